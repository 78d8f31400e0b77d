/**
 * Starts an order's orchestration with instance id = order id. A second start
 * (duplicate message, sweeper) is answered "already exists" by the durable
 * extension (HTTP 409): that means the order is already being processed.
 * On Azure a start over a *finished* instance would restart it, so an existing
 * instance is looked up first (the activities are idempotent either way).
 */
import type { OrderOrchestrationInput } from './orchestration-input';

/** The durable client's `startNew`, narrowed. */
export interface OrchestrationStarter {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  /** Rejects (HTTP 404) when there is no such instance. */
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown } | undefined>;
}

export type StartOutcome = 'started' | 'already-exists';

const ALREADY_EXISTS = /already exists|\b409\b/i;

export async function startOrderOrchestration(client: OrchestrationStarter, name: string, input: OrderOrchestrationInput): Promise<StartOutcome> {
  const existing = await client.getStatus(input.orderId).catch((error: unknown) => {
    if (error instanceof Error && /\b404\b/.test(error.message)) return undefined;
    throw error;
  });
  if (existing?.runtimeStatus) return 'already-exists';
  try {
    await client.startNew(name, { instanceId: input.orderId, input });
    return 'started';
  } catch (error) {
    if (error instanceof Error && ALREADY_EXISTS.test(error.message)) return 'already-exists';
    throw error;
  }
}
