/** Errors the local broker raises, named after their Service Bus counterparts. */

/** The lock was lost (expired, or the message was settled already): the message will be delivered again. */
export class MessageLockLostError extends Error {
  readonly code = 'MessageLockLost';
  constructor(queue: string, messageId: string) {
    super(`The lock on message "${messageId}" in queue "${queue}" was lost (expired or already settled)`);
    this.name = 'MessageLockLostError';
  }
}

/** The message does not fit into a storage queue message. */
export class MessageTooLargeError extends Error {
  readonly code = 'MessageSizeExceeded';
  constructor(queue: string, messageId: string, encodedBytes: number, limitBytes: number) {
    super(
      `Message "${messageId}" for queue "${queue}" is ${encodedBytes} bytes encoded; the local broker stores ` +
        `messages in Azure Storage queues, which allow ${limitBytes} (about 48 KB of JSON body). Service Bus ` +
        `Standard allows 256 KB; either way, put large payloads in a blob and send a reference.`,
    );
    this.name = 'MessageTooLargeError';
  }
}
