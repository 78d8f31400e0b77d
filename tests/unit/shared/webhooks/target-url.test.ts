import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectTargetUrl } from '../../../../shared/webhooks/target-url';

describe('rejectTargetUrl', () => {
  it('should allow https anywhere public and http only to loopback in local mode', () => {
    assert.equal(rejectTargetUrl('https://hooks.example.com/vouch', 'azure'), undefined);
    assert.equal(rejectTargetUrl('http://127.0.0.1:9000/hook', 'local'), undefined);
    assert.equal(rejectTargetUrl('http://localhost:9000/hook', 'local'), undefined);
    assert.ok(rejectTargetUrl('http://hooks.example.com/vouch', 'local'));
  });

  it('should refuse http, private addresses and credentials in azure mode', () => {
    for (const u of ['http://hooks.example.com/', 'https://127.0.0.1/', 'https://169.254.169.254/metadata', 'https://10.0.0.5/', 'https://[::1]/', 'https://u:p@hooks.example.com/', 'nonsense']) {
      assert.ok(rejectTargetUrl(u, 'azure'), u);
    }
  });
});
