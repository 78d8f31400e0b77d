import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateDetectionTableName, storageQueueNames } from '../../../runtime/service-bus/queue-names';

const STORAGE_QUEUE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

describe('storageQueueNames', () => {
  it('should map a plain name onto three distinct storage queues', () => {
    assert.deepEqual(storageQueueNames('frames'), { active: 'sbq-frames', scheduled: 'sbs-frames', deadLetter: 'sbd-frames' });
  });

  it('should use the prefix and keep the kinds apart whatever the queue is called', () => {
    const a = storageQueueNames('x-dlq', 't1');
    const b = storageQueueNames('x', 't1');
    assert.equal(a.active, 't1q-x-dlq');
    assert.equal(new Set([a.active, a.scheduled, a.deadLetter, b.active, b.scheduled, b.deadLetter]).size, 6);
  });

  it('should lowercase without a hash, since Service Bus names are case-insensitive', () => {
    assert.equal(storageQueueNames('Orders').active, 'sbq-orders');
  });

  it('should sanitise disallowed characters and add a hash so distinct names stay distinct', () => {
    const dotted = storageQueueNames('kyc.faces').active;
    const underscored = storageQueueNames('kyc_faces').active;
    assert.match(dotted, /^sbq-kyc-faces-[0-9a-f]{8}$/);
    assert.notEqual(dotted, underscored);
  });

  it('should keep every name within the storage rules, even for long or odd names', () => {
    for (const name of ['a', 'x'.repeat(260), 'a//b', '__', 'Q-1.2_3/4', '-edge-']) {
      for (const storageName of Object.values(storageQueueNames(name))) {
        assert.match(storageName, STORAGE_QUEUE_NAME, `${name} → ${storageName}`);
      }
    }
  });

  it('should reject an empty queue name and a prefix with a hyphen', () => {
    assert.throws(() => storageQueueNames(''), /must not be empty/);
    assert.throws(() => storageQueueNames('a', 'my-app'), /prefix/);
  });

  it('should name the duplicate-detection table after the prefix', () => {
    assert.equal(duplicateDetectionTableName(), 'sbdedupe');
    assert.equal(duplicateDetectionTableName('t1'), 't1dedupe');
  });
});
