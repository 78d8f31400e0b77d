import { isMediaError } from '../media/media-error';
import type { FailureReason } from './reasons';

/**
 * The failure reason for an error thrown while reading client media, or undefined when
 * the error is not about the media (storage down, a bug): those are rethrown so the
 * platform retries and, in the end, dead-letters. Unusable media fails at once: running
 * ffmpeg or sharp again on the same bytes gives the same answer.
 */
export function mediaFailureReason(error: unknown): Exclude<FailureReason, 'PROCESSING_FAILED'> | undefined {
  if (!isMediaError(error)) return undefined;
  return error.reason === 'VIDEO_TOO_LONG' ? 'VIDEO_TOO_LONG' : 'UNREADABLE_MEDIA';
}
