/**
 * In-process wake-ups for queue listeners. The host's queue listener learns at once when a function
 * of the same host writes to a queue (the SDK's SharedQueueWatcher does the same), so a local
 * pipeline does not wait out a polling interval; writes from other processes are found by polling.
 */
import { EventEmitter } from 'node:events';

const emitter = new EventEmitter().setMaxListeners(0);

/** Key of one queue in one account, e.g. `queue:http://127.0.0.1:10001/devstoreaccount1/orders`. */
export function queueKey(kind: string, url: string): string {
  return `${kind}:${url.toLowerCase()}`;
}

export function notifyQueue(key: string): void {
  emitter.emit(key);
}

/** Calls `wake` whenever `key` gets a message; returns the unsubscribe. */
export function onQueueMessage(key: string, wake: () => void): () => void {
  emitter.on(key, wake);
  return () => emitter.off(key, wake);
}
