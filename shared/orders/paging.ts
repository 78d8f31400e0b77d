/**
 * One page of a Cosmos query with an opaque continuation token for the next.
 * The SDK's token is JSON; clients get it base64url-encoded so it travels in a
 * query string untouched, and a token that is not one of ours answers 400.
 */
import type { Container, FeedOptions, SqlQuerySpec } from '@azure/cosmos';
import { z } from 'zod';
import { DomainError } from '../errors';
import { hasStatus } from './cosmos-errors';

export interface Page<T> {
  items: T[];
  /** Pass as `continuation` for the next page; absent on the last page. */
  continuation?: string;
}

/** Query-string part every paginated list accepts. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuation: z.string().min(1).max(8192).regex(/^[A-Za-z0-9_-]+$/, 'not a continuation token').optional(),
});

export const invalidContinuation = () => new DomainError('invalid-continuation', 'The continuation token is not valid for this query', 400);

function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    throw invalidContinuation();
  }
  return text;
}

export async function queryPage<T>(
  container: Container,
  query: SqlQuerySpec,
  page: { limit: number; continuation?: string | undefined; partitionKey?: string | undefined },
): Promise<Page<T>> {
  const options: FeedOptions = {
    maxItemCount: page.limit,
    // Across partitions the SDK accepts a continuation token only under query control (4.x).
    ...(page.partitionKey === undefined ? { enableQueryControl: true } : { partitionKey: page.partitionKey }),
  };
  const token = decodeToken(page.continuation);
  if (token !== undefined) options.continuationToken = token;
  try {
    const response = await container.items.query<T>(query, options).fetchNext();
    const next = response.continuationToken;
    return { items: response.resources, ...(next ? { continuation: Buffer.from(next, 'utf8').toString('base64url') } : {}) };
  } catch (error) {
    // The service answers 400 for a token that does not belong to the query; the SDK's own token
    // parser throws plain errors for one it cannot read. Either way the client's token is at fault.
    const fromService = typeof (error as { code?: unknown } | null)?.code === 'number';
    if (token !== undefined && (hasStatus(error, 400) || !fromService)) throw invalidContinuation();
    throw error;
  }
}
