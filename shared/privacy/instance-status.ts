/** What the privacy orchestrations need to know of a durable instance, whatever client asks. */
export interface StatusClient {
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown } | undefined>;
}

const NOT_FOUND = /\b404\b|not found/i;
const ALREADY_EXISTS = /already exists|\b409\b/i;

/** The instance's runtime status, or undefined when there is no such instance. */
export async function instanceStatus(client: StatusClient, instanceId: string): Promise<string | undefined> {
  try {
    const status = await client.getStatus(instanceId);
    return typeof status?.runtimeStatus === 'string' ? status.runtimeStatus : undefined;
  } catch (error) {
    if (error instanceof Error && NOT_FOUND.test(error.message)) return undefined;
    throw error;
  }
}

/** A start refused because another starter created the instance first. */
export const isAlreadyExists = (error: unknown): boolean => error instanceof Error && ALREADY_EXISTS.test(error.message);
