/**
 * Starts an order's orchestration with instance id = order id. A second start
 * (duplicate message, sweeper) while one runs or after one completed is
 * answered `already-exists`: that order is already being (or was) processed.
 * An instance that failed or was terminated left its order unfinished, so it
 * is started again over the same id (`restarted`): every activity is
 * idempotent, so the new run picks up where the order stands.
 */
import type { OrderOrchestrationInput } from './orchestration-input';

/** The durable client's `startNew`, narrowed. */
export interface OrchestrationStarter {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  /** Rejects (HTTP 404) when there is no such instance. */
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown } | undefined>;
}

export type StartOutcome = 'started' | 'already-exists' | 'restarted';

const ALREADY_EXISTS = /already exists|\b409\b/i;
/** Runtime statuses of a run that ended without finishing its order; durable allows a new start over them. */
const RESTARTABLE: readonly unknown[] = ['Failed', 'Terminated', 'Canceled'];

export async function startOrderOrchestration(client: OrchestrationStarter, name: string, input: OrderOrchestrationInput): Promise<StartOutcome> {
  const existing = await client.getStatus(input.orderId).catch((error: unknown) => {
    if (error instanceof Error && /\b404\b/.test(error.message)) return undefined;
    throw error;
  });
  const status = existing?.runtimeStatus;
  if (status && !RESTARTABLE.includes(status)) return 'already-exists';
  try {
    await client.startNew(name, { instanceId: input.orderId, input });
    return status ? 'restarted' : 'started';
  } catch (error) {
    if (error instanceof Error && ALREADY_EXISTS.test(error.message)) return 'already-exists';
    throw error;
  }
}
