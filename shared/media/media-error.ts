import { DomainError } from '../errors';

/**
 * Why a piece of client media could not be used. The pipeline stores the
 * verification as `failed` with reason `UNREADABLE_MEDIA` for any of these
 * (or the finer reason where it chooses to expose one).
 */
export const MEDIA_FAILURE_REASONS = [
  /** The bytes are no accepted image or video format (sniffed, not declared). */
  'UNSUPPORTED_MEDIA_TYPE',
  /** The declared MIME type contradicts the content. */
  'MEDIA_TYPE_MISMATCH',
  /** Corrupt, truncated, empty, or undecodable. */
  'UNREADABLE_MEDIA',
  /** A video container without a (non cover-art) video stream, e.g. audio only. */
  'NO_VIDEO_STREAM',
  /** Longer than the allowed duration. */
  'VIDEO_TOO_LONG',
  /** Too many pixels (decompression bomb) or a file too big to read. */
  'MEDIA_TOO_LARGE',
  /** Processing exceeded its time limit; the worker process was killed. */
  'MEDIA_TIMEOUT',
  /** Processing produced more output than allowed. */
  'MEDIA_OUTPUT_TOO_LARGE',
] as const;

export type MediaFailureReason = (typeof MEDIA_FAILURE_REASONS)[number];

/** HTTP status per reason: 415 for "not a format we take", 422 for "right format, unusable content". */
const STATUS: Record<MediaFailureReason, number> = {
  UNSUPPORTED_MEDIA_TYPE: 415,
  MEDIA_TYPE_MISMATCH: 415,
  UNREADABLE_MEDIA: 422,
  NO_VIDEO_STREAM: 422,
  VIDEO_TOO_LONG: 422,
  MEDIA_TOO_LARGE: 422,
  MEDIA_TIMEOUT: 422,
  MEDIA_OUTPUT_TOO_LARGE: 422,
};

/**
 * A client's media cannot be used. `reason` is the UPPER_SNAKE failure reason the
 * KYC pipeline records; `code` is the same in the kebab-case the error taxonomy
 * uses for problem types (`UNREADABLE_MEDIA` → `unreadable-media`). Messages never
 * contain personal data, only format facts, so `expose` is true.
 */
export class MediaError extends DomainError {
  constructor(
    readonly reason: MediaFailureReason,
    message: string,
    details: Record<string, unknown> = {},
    /** The underlying tool error, for logs only (may name internal paths). */
    cause?: unknown,
  ) {
    super(reason.toLowerCase().replace(/_/g, '-'), message, STATUS[reason], { reason, ...details }, true);
    this.name = 'MediaError';
    if (cause !== undefined) this.cause = cause;
  }
}

export const isMediaError = (value: unknown): value is MediaError => value instanceof MediaError;
