/** The request pipeline every `app.http` registration uses. */
export { httpHandler, type ApiCall, type ApiHandler, type HttpHandlerOptions } from './handler';
export { json, ok, created, accepted, noContent } from './respond';
export { correlationIdOf, CORRELATION_HEADER } from './correlation';
export { type ProblemDocument, PROBLEM_CONTENT_TYPE, HttpDomainError } from './problem';
export { type FieldError, validationFailed, parseJsonBody, parseQuery, parseParams } from './validation';
export { DEFAULT_MAX_BODY_BYTES, readBodyLimited, payloadTooLarge } from './body-limit';
export {
  type RateLimiter,
  type RateLimitDecision,
  CosmosFixedWindowRateLimiter,
  RATE_LIMIT_CONTAINER,
} from './rate-limit';
