import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../platform/logger';

/** A `Logger` writing through the invocation context, tagging every line with the correlation id. */
export function contextLogger(context: InvocationContext, correlationId: string): Logger {
  return {
    info: (message, properties) => context.info(message, { correlationId, ...properties }),
    warn: (message, properties) => context.warn(message, { correlationId, ...properties }),
    error: (message, properties) => context.error(message, { correlationId, ...properties }),
  };
}
