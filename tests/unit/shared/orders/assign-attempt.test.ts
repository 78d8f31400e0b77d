import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AssignmentPendingError, assignmentFailureReason } from '../../../../shared/orders/assign-attempt';

describe('assignment failure reason', () => {
  it('should say no-requisite-available when the last attempt found nothing that fits', () => {
    assert.equal(assignmentFailureReason(new AssignmentPendingError('o1', '2026-11-23T12:00:10.000Z')), 'no-requisite-available');
  });

  it('should recognise the pending error by the message a durable task failure carries', () => {
    // What an orchestrator receives: the activity's error type and message re-wrapped by the durable SDK.
    const wrapped = new Error(`AssignmentPendingError: ${new AssignmentPendingError('o2', undefined).message}`);
    assert.equal(assignmentFailureReason(wrapped), 'no-requisite-available');
  });

  it('should say assignment-error for anything else, so an outage is not reported as missing capacity', () => {
    assert.equal(assignmentFailureReason(new Error('Error: Concurrency conflict on requisite r1')), 'assignment-error');
    assert.equal(assignmentFailureReason('not an error'), 'assignment-error');
  });
});
