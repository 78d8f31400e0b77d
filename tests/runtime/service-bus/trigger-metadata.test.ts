import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceivedMessage } from '../../../runtime/service-bus/local-broker';
import { batchMetadata, singleMessageMetadata } from '../../../runtime/service-bus/trigger-metadata';

const message = (id: string, extra: Partial<ReceivedMessage> = {}): ReceivedMessage => ({
  queue: 'q',
  messageId: id,
  body: {},
  deliveryCount: 2,
  enqueuedTimeUtc: new Date('2026-01-02T03:04:05.000Z'),
  lockToken: `lock-${id}`,
  lockedUntilUtc: new Date('2026-01-02T03:05:05.000Z'),
  applicationProperties: { Tenant: 't', n: 1 },
  ...extra,
});

describe('singleMessageMetadata', () => {
  it('should carry the extension keys, camel-cased as @azure/functions delivers them', () => {
    const metadata = singleMessageMetadata(message('m', { correlationId: 'c', subject: 'order.created' }));
    assert.deepEqual(metadata, {
      messageId: 'm',
      deliveryCount: 2,
      lockToken: 'lock-m',
      enqueuedTimeUtc: '2026-01-02T03:04:05.000Z',
      enqueuedTime: '2026-01-02T03:04:05.000Z',
      expiresAtUtc: '9999-12-31T23:59:59.999Z',
      expiresAt: '9999-12-31T23:59:59.999Z',
      applicationProperties: { tenant: 't', n: 1 },
      userProperties: { tenant: 't', n: 1 },
      correlationId: 'c',
      subject: 'order.created',
      label: 'order.created',
    });
  });

  it('should leave out optional keys the message does not have', () => {
    const keys = Object.keys(singleMessageMetadata(message('m')));
    for (const absent of ['correlationId', 'subject', 'label', 'contentType']) assert.ok(!keys.includes(absent), absent);
  });
});

describe('batchMetadata', () => {
  it('should suffix every key with Array and hold one entry per message', () => {
    const metadata = batchMetadata([message('a', { correlationId: 'c' }), message('b')]);
    assert.deepEqual(metadata.messageIdArray, ['a', 'b']);
    assert.deepEqual(metadata.deliveryCountArray, [2, 2]);
    assert.deepEqual(metadata.correlationIdArray, ['c', null]);
  });
});
