/**
 * A transactional batch: operations on one logical partition that commit together or not at all,
 * in one round trip (the local server runs them the same way: runtime/storage/cosmos-batch.ts).
 * A failed batch is an answer, not an exception: the failing operation carries its status (409,
 * 404, 412...) and the others 424, so callers decide what a conflict means.
 */
import type { Container, JSONObject, OperationInput } from '@azure/cosmos';

export interface BatchResult {
  ok: boolean;
  /** Index of the operation that failed (-1 when ok). */
  failedAt: number;
  /** Status of the failed operation (200 when ok). */
  status: number;
  /** Per operation: the written or read document (ok only). */
  docs: (JSONObject | undefined)[];
}

export async function runBatch(container: Container, partitionKey: string, operations: OperationInput[]): Promise<BatchResult> {
  const response = await container.items.batch(operations, partitionKey);
  const results = response.result ?? [];
  const failedAt = results.findIndex((r) => r.statusCode >= 400 && r.statusCode !== 424);
  if (failedAt < 0 && (results.length !== operations.length || results.some((r) => r.statusCode >= 400))) {
    throw new Error(`Cosmos batch on ${container.id} answered ${response.code ?? '?'} without a failed operation`);
  }
  return {
    ok: failedAt < 0,
    failedAt,
    status: failedAt < 0 ? 200 : results[failedAt]!.statusCode,
    docs: results.map((r) => r.resourceBody),
  };
}
