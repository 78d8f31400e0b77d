import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../../shared/errors';
import { merchantOrderQuerySchema, requireDisputeReason, statementQuerySchema } from '../../../../../shared/orders/merchant/merchant-requests';

describe('merchant self-service requests', () => {
  it('should normalise the time range and refuse one that runs backwards', () => {
    const q = merchantOrderQuerySchema.parse({ from: '2026-12-01T00:00:00+03:00', status: 'assigned' });
    assert.deepEqual([q.from, q.limit, q.status], ['2026-11-30T21:00:00.000Z', 50, 'assigned']);
    assert.equal(merchantOrderQuerySchema.safeParse({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }).success, false);
    assert.equal(merchantOrderQuerySchema.safeParse({ status: 'paid' }).success, false);
    assert.equal(statementQuerySchema.safeParse({}).success, false, 'the statement needs its currency');
  });

  it('should refuse a dispute without a reason and delete the evidence it stored', async () => {
    const deleted: string[] = [];
    const blobs = { delete: async (name: string) => void deleted.push(name) };
    const receipt = { blobName: 'demo-a/o1/evidence-1.pdf', contentType: 'application/pdf' as const, sizeBytes: 10, sha256: 'x' };
    await assert.rejects(requireDisputeReason({ receipt, reason: '  ' }, blobs), (e: unknown) => e instanceof DomainError && e.code === 'validation-failed');
    assert.deepEqual(deleted, ['demo-a/o1/evidence-1.pdf']);
    assert.deepEqual(await requireDisputeReason({ receipt, reason: ' paid twice ' }, blobs), { receipt, reason: 'paid twice' });
  });
});
