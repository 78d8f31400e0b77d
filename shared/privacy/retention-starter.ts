import { ERASE_EVENT, retentionInstanceId, type RetentionInput } from './retention-plan';
import { instanceStatus, isAlreadyExists } from './instance-status';

/** The durable client's methods the retention code uses (kept narrow: shared/ needs no durable types). */
export interface RetentionClient {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  /** Rejects (HTTP 404) when there is no such instance. */
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown } | undefined>;
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
}

/** Instance states in which it still waits for events (the rest are final). */
const LISTENING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

async function startOrDetectRace(client: RetentionClient, name: string, instanceId: string, input: RetentionInput): Promise<boolean> {
  try {
    await client.startNew(name, { instanceId, input });
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}

/**
 * Starts a verification's retention orchestration unless one exists (any state: a finished one
 * means the verification is already erased, and on Azure a start would restart it).
 */
export async function startRetention(client: RetentionClient, name: string, input: RetentionInput): Promise<'started' | 'already-exists'> {
  const instanceId = retentionInstanceId(input.tenantId, input.verificationId);
  if ((await instanceStatus(client, instanceId)) !== undefined) return 'already-exists';
  return (await startOrDetectRace(client, name, instanceId, input)) ? 'started' : 'already-exists';
}

/**
 * Erasure on request: a listening orchestration gets the `erase` event; a missing or finished
 * (failed, terminated) one is started again with `eraseNow`. Every step is safe to repeat.
 */
export async function requestRetentionErasure(
  client: RetentionClient,
  name: string,
  input: RetentionInput,
): Promise<'raised' | 'started' | 'left-to-sweep'> {
  const instanceId = retentionInstanceId(input.tenantId, input.verificationId);
  const status = await instanceStatus(client, instanceId);
  if (status === undefined || !LISTENING.has(status)) {
    if (await startOrDetectRace(client, name, instanceId, { ...input, eraseNow: true })) return 'started';
    // The start was refused: only a listening instance takes an event (raising on a finished one
    // throws). The record's `erasureRequestedAt` mark lets the daily sweep finish the erasure.
    if (!LISTENING.has((await instanceStatus(client, instanceId)) ?? '')) return 'left-to-sweep';
  }
  await client.raiseEvent(instanceId, ERASE_EVENT, {});
  return 'raised';
}

/** The orchestration input for a record: its ids and deadlines. */
export const retentionInputFor = (record: {
  tenantId: string;
  id: string;
  mediaExpiresAt: string;
  recordExpiresAt: string;
}): RetentionInput => ({
  tenantId: record.tenantId,
  verificationId: record.id,
  mediaExpiresAt: record.mediaExpiresAt,
  recordExpiresAt: record.recordExpiresAt,
});
