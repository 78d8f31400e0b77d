import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../shared/errors';
import { MEDIA_FAILURE_REASONS, MediaError, isMediaError } from '../../../../shared/media/media-error';

describe('MediaError', () => {
  it('should be an exposed DomainError with a kebab-case code and the UPPER_SNAKE reason', () => {
    const error = new MediaError('VIDEO_TOO_LONG', 'too long', { maxDurationS: 30 });
    assert.ok(error instanceof DomainError);
    assert.ok(isMediaError(error));
    assert.equal(error.code, 'video-too-long');
    assert.equal(error.reason, 'VIDEO_TOO_LONG');
    assert.equal(error.status, 422);
    assert.equal(error.expose, true);
    assert.deepEqual(error.details, { reason: 'VIDEO_TOO_LONG', maxDurationS: 30 });
  });

  it('should map every reason to 415 or 422', () => {
    for (const reason of MEDIA_FAILURE_REASONS) assert.ok([415, 422].includes(new MediaError(reason, 'x').status), reason);
    assert.equal(new MediaError('UNSUPPORTED_MEDIA_TYPE', 'x').status, 415);
  });
});
