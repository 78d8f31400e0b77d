import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth } from '../../../../shared/platform/health';

describe('checkHealth', () => {
  it('should report healthy when every probe answers', async () => {
    const report = await checkHealth({ a: async () => 1, b: async () => 2 });
    assert.equal(report.status, 'healthy');
    assert.equal(report.checks.a?.status, 'ok');
  });

  it('should report a failing or silent probe without its stack, and not hang', async () => {
    const report = await checkHealth(
      { broken: async () => { throw new Error('connect ECONNREFUSED\n    at secret/stack'); }, silent: () => new Promise(() => {}) },
      50,
    );
    assert.equal(report.status, 'unhealthy');
    assert.deepEqual(report.checks.broken && 'error' in report.checks.broken && report.checks.broken.error, 'connect ECONNREFUSED');
    assert.equal(report.checks.silent?.status, 'unreachable');
  });
});
