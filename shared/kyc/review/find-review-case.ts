import type { Container } from '@azure/cosmos';
import { notFound } from '../../errors';
import { isTombstoneDocument } from '../tombstone';
import { verificationRecordSchema, type VerificationRecord } from '../verification';
import type { VerificationStore } from '../verification-store';
import { wentToReview } from './review-decision';

/** Reads one verification for the review desk. */
export interface ReviewCaseReader {
  verifications: VerificationStore;
  /** The `verifications` container, for an operator's lookup by id across tenants. */
  container: Container;
}

/** The record by id in any tenant (platform staff without a `tenantId`): a fan-out query, rare and small. */
async function findInAnyTenant(container: Container, id: string): Promise<VerificationRecord | undefined> {
  const { resources } = await container.items
    .query({ query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: id }] })
    .fetchAll();
  const doc: unknown = resources.find((d: unknown) => !isTombstoneDocument(d));
  return doc === undefined ? undefined : verificationRecordSchema.parse(doc);
}

/**
 * A case that went to review (open or settled since), within the caller's tenant scope; 404 for
 * anything else: unknown, another tenant's, erased, or decided by the policy alone.
 */
export async function findReviewCase(reader: ReviewCaseReader, tenantId: string | undefined, id: string): Promise<VerificationRecord> {
  const record = tenantId === undefined ? await findInAnyTenant(reader.container, id) : await reader.verifications.get(tenantId, id);
  if (!record || !wentToReview(record)) throw notFound('Review case');
  return record;
}
