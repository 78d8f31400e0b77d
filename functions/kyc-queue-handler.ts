import type { InvocationContext } from '@azure/functions';
import type { QueueName } from '../shared/names';
import { contextLogger } from '../shared/http/context-logger';
import { onPoisonMessage, type PipelineDeps } from '../shared/kyc/pipeline';
import { isLastDelivery } from '../shared/queue-properties';
import { recordKycStage } from '../shared/platform/metrics';
import { pipelineDeps, prewarmFaceEngine } from '../shared/wiring/kyc';

/** Results of a step that did its stage's work (the others found it done, erased or not theirs). */
const WORKED = new Set(['sent-faces', 'decided', 'failed']);

type Step = (message: unknown, deps: PipelineDeps) => Promise<{ action: string }>;

/**
 * A KYC queue handler: runs `step`; on the last delivery a failure first marks the
 * verification `failed` (so it never sits in `processing`), then is rethrown so
 * Service Bus dead-letters the message.
 */
export function kycQueueHandler(queue: QueueName, step: Step) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const id = (message as { verificationId?: unknown } | null)?.verificationId;
    prewarmFaceEngine();
    const deps = await pipelineDeps(contextLogger(context, typeof id === 'string' ? id : context.invocationId));
    try {
      const started = performance.now();
      const result = await step(message, deps);
      if (WORKED.has(result.action)) recordKycStage(queue === 'frames' ? 'frames' : 'faces', performance.now() - started);
      context.log(`kyc ${String(id)}: ${queue} → ${result.action}`);
    } catch (error) {
      if (isLastDelivery(queue, context.triggerMetadata?.deliveryCount)) await onPoisonMessage(message, deps);
      throw error;
    }
  };
}
