/**
 * Read-modify-write under an ETag condition: Cosmos's stand-in for a row lock.
 * On 412 (someone wrote in between) read again and re-run `mutate`, with a short
 * jittered pause so many writers on one document do not retry in lockstep.
 */
import type { Container, ItemDefinition } from '@azure/cosmos';
import { notFound } from '../errors';
import { concurrencyExhausted, isPreconditionFailed } from './cosmos-errors';
import { ifMatch, readItem } from './store';

/** Return the new document, or `null` when no write is needed. May throw to abort. */
export type Mutation<T> = (current: T) => T | null | Promise<T | null>;

/**
 * `known`: the document as the caller last read or wrote it (with its `_etag`);
 * the first attempt starts from it instead of reading again, saving a round
 * trip. If it is stale the replace answers 412 and the next attempt reads.
 * (A `null` from `mutate` on a stale copy means "nothing to do as of that
 * copy", the same answer an earlier read would have given.)
 */
export async function mutateItem<T extends ItemDefinition & { _etag?: string }>(
  container: Container,
  id: string,
  partitionKey: string,
  mutate: Mutation<T>,
  maxAttempts: number,
  known?: T,
): Promise<{ doc: T; changed: boolean }> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const current = attempt === 0 && known?._etag ? known : await readItem<T>(container, id, partitionKey);
    if (!current) throw notFound(`${container.id} document ${id}`);
    const next = await mutate(current);
    if (next === null) return { doc: current, changed: false };
    try {
      const { resource } = await container.item(id, partitionKey).replace<T>(next, ifMatch(current._etag));
      return { doc: resource ?? next, changed: true };
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      await contentionPause(attempt);
    }
  }
  throw concurrencyExhausted(`${container.id}/${id}`);
}

/** 0..2^(attempt+1) ms, capped at 200 ms: exponential backoff, so a hot document serves its writers nearly in turn instead of all retrying at once. */
export function contentionPause(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(200, 2 ** (attempt + 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
