/**
 * Maps Service Bus queue names onto Azure Storage names.
 *
 * Scheme (prefix `p`, default `sb`, lowercase letters/digits, no hyphen):
 *   active messages     `<p>q-<name>`
 *   scheduled messages  `<p>s-<name>`   (hidden until due, then moved to the active queue)
 *   dead letters        `<p>d-<name>`
 *   duplicate-detection table `<p>dedupe`
 * The prefix never contains a hyphen, so the first hyphen ends it and the three kinds can never collide.
 * `<name>` is the Service Bus name lowercased (Service Bus names are case-insensitive). A name holding
 * characters storage does not allow (`.`, `_`, `/`) or too long for 63 characters is sanitised and gets
 * an 8-hex hash of the original name, so two distinct names never share a storage queue.
 */
import { createHash } from 'node:crypto';

export interface StorageQueueNames {
  active: string;
  scheduled: string;
  deadLetter: string;
}

const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,9}$/;
const STORAGE_QUEUE_MAX = 63;

export function assertValidPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`Local broker prefix "${prefix}" must be 1-10 lowercase letters/digits, starting with a letter`);
  }
}

export function storageQueueNames(queue: string, prefix = 'sb'): StorageQueueNames {
  assertValidPrefix(prefix);
  const name = storageSafeName(queue, STORAGE_QUEUE_MAX - prefix.length - 2);
  return { active: `${prefix}q-${name}`, scheduled: `${prefix}s-${name}`, deadLetter: `${prefix}d-${name}` };
}

export function duplicateDetectionTableName(prefix = 'sb'): string {
  assertValidPrefix(prefix);
  return `${prefix}dedupe`;
}

function storageSafeName(queue: string, maxLength: number): string {
  if (queue.length === 0) throw new Error('Service Bus queue name must not be empty');
  const lower = queue.toLowerCase();
  const cleaned = lower.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned === lower && cleaned.length <= maxLength) return cleaned;
  const hash = createHash('sha256').update(lower).digest('hex').slice(0, 8);
  const head = cleaned.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return head.length > 0 ? `${head}-${hash}` : hash;
}
