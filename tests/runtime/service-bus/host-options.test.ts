import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LOCAL_MAX_CONCURRENT_CALLS, listenerSettings, readServiceBusSection, timeSpanMs } from '../../../runtime/service-bus/host-options';

describe('listenerSettings', () => {
  it('should use the Service Bus defaults, with a local default for concurrency', () => {
    assert.deepEqual(listenerSettings(undefined), {
      autoCompleteMessages: true,
      maxConcurrentCalls: LOCAL_MAX_CONCURRENT_CALLS,
      maxAutoLockRenewalDurationMs: 300_000,
      maxMessageBatchSize: 1000,
    });
    assert.ok(LOCAL_MAX_CONCURRENT_CALLS >= 2 && LOCAL_MAX_CONCURRENT_CALLS <= 16);
  });

  it('should read the host.json values and ignore keys it does not use', () => {
    const settings = listenerSettings({ autoCompleteMessages: false, maxConcurrentCalls: 3, maxAutoLockRenewalDuration: '00:10:00', prefetchCount: 0 });
    assert.equal(settings.autoCompleteMessages, false);
    assert.equal(settings.maxConcurrentCalls, 3);
    assert.equal(settings.maxAutoLockRenewalDurationMs, 600_000);
  });

  it('should reject invalid values naming the section', () => {
    assert.throws(() => listenerSettings({ maxConcurrentCalls: 0 }), /extensions\.serviceBus/);
    assert.throws(() => listenerSettings({ maxAutoLockRenewalDuration: '5 minutes' }), /TimeSpan/);
  });
});

describe('timeSpanMs', () => {
  it('should parse hh:mm:ss, days and fractions', () => {
    assert.equal(timeSpanMs('00:05:00'), 300_000);
    assert.equal(timeSpanMs('1.00:00:01.5'), 86_401_500);
  });
});

describe('readServiceBusSection', () => {
  it('should return the extensions.serviceBus section of host.json, or undefined without one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-hostjson-'));
    try {
      assert.equal(readServiceBusSection(dir), undefined);
      writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0', extensions: { serviceBus: { maxConcurrentCalls: 5 } } }));
      assert.deepEqual(readServiceBusSection(dir), { maxConcurrentCalls: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
