/**
 * Queue semantics shared by the app, Bicep and the local runtime, from one file
 * (`infra/queues.json`): a handler knows it is on its last delivery when
 * `deliveryCount` reaches `maxDeliveryCount`.
 */
import queues from '../infra/queues.json';
import type { QueueName } from './names';

export interface QueueProperties {
  lockDurationSeconds: number;
  maxDeliveryCount: number;
}

export const QUEUE_PROPERTIES: Record<QueueName, QueueProperties> = queues;

/** True when a failure now sends the message to the dead-letter queue. */
export const isLastDelivery = (queue: QueueName, deliveryCount: unknown): boolean =>
  typeof deliveryCount === 'number' && deliveryCount >= QUEUE_PROPERTIES[queue].maxDeliveryCount;
