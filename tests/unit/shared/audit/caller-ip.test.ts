import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callerIp, normaliseIp } from '../../../../shared/audit/caller-ip';

const headers = (values: Record<string, string>) => new Headers(values);

describe('callerIp', () => {
  it('should take the hop the platform appended (the last of x-forwarded-for), not a forged first one', () => {
    assert.equal(callerIp(headers({ 'x-forwarded-for': '1.2.3.4, 203.0.113.7:50000' })), '203.0.113.7');
    assert.equal(callerIp(headers({ 'x-forwarded-for': '203.0.113.7' })), '203.0.113.7');
  });

  it('should fall back to client-ip when x-forwarded-for is absent or not an IP', () => {
    assert.equal(callerIp(headers({ 'client-ip': '198.51.100.4:50123' })), '198.51.100.4');
    assert.equal(callerIp(headers({ 'x-forwarded-for': 'unknown', 'client-ip': '198.51.100.4' })), '198.51.100.4');
  });

  it('should be undefined without a usable header', () => {
    assert.equal(callerIp(headers({})), undefined);
    assert.equal(callerIp(headers({ 'x-forwarded-for': '<script>' })), undefined);
  });

  it('should drop the port Azure front ends append, for IPv4 and bracketed IPv6', () => {
    assert.equal(normaliseIp('203.0.113.7:52114'), '203.0.113.7');
    assert.equal(normaliseIp('[2001:DB8::1]:443'), '2001:db8::1');
    assert.equal(normaliseIp(' 2001:db8::1 '), '2001:db8::1');
    assert.equal(normaliseIp('999.1.1.1:80'), undefined);
    assert.equal(normaliseIp('example.com'), undefined);
  });
});
