import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWebhook } from '../../../../shared/webhooks/event';

describe('buildWebhook', () => {
  const input = { subjectId: 'ord-42', type: 'order.status_changed', status: 'paid', createdAt: new Date('2026-01-01T00:00:00Z'), data: { orderId: 'ord-42', status: 'paid' } };

  it('should derive a stable id from subject, type and status', () => {
    assert.deepEqual(buildWebhook(input), {
      id: 'ord-42:order.status_changed:paid',
      type: 'order.status_changed',
      createdAt: '2026-01-01T00:00:00.000Z',
      data: { orderId: 'ord-42', status: 'paid' },
    });
    assert.deepEqual(buildWebhook(input), buildWebhook({ ...input }));
  });

  it('should give each status transition its own id', () => {
    assert.notEqual(buildWebhook(input).id, buildWebhook({ ...input, status: 'cancelled' }).id);
  });

  it('should refuse ids that cannot be Cosmos or message ids', () => {
    assert.throws(() => buildWebhook({ ...input, subjectId: 'a/b#c' }));
  });
});
