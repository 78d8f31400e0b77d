import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import type { Authenticator } from '../auth/authenticate';
import { type Principal, type PrincipalKind, type Role, requireRoles } from '../auth/principal';
import { forbidden } from '../errors';
import type { Logger } from '../platform/logger';
import { checkContentLength, maxJsonBodyBytes, payloadTooLarge, readBodyLimited } from './body-limit';
import { contextLogger } from './context-logger';
import { CORRELATION_HEADER, correlationIdFrom, setCorrelationId } from './correlation';
import { isServerFault, problemResponse } from './problem';
import { type RateLimiter, rateLimited } from './rate-limit';
import { parseJsonBytes, parseParams, parseQuery, requireJsonContentType } from './validation';

/** What a wrapped handler receives. */
export interface ApiCall<P extends Principal | null> {
  request: HttpRequest;
  context: InvocationContext;
  /** The authenticated caller; null only for `auth: 'anonymous'`. */
  principal: P;
  correlationId: string;
  /** Logs through the invocation context with the correlation id attached. */
  log: Logger;
  /** Reads the JSON body (within `maxBodyBytes`) and validates it; 415 unless the content type is JSON. */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** The raw body bytes, within `maxBodyBytes`; read once, so `body` and `bytes` may both be called. */
  bytes(): Promise<Buffer>;
  query<S extends z.ZodType>(schema: S): z.output<S>;
  params<S extends z.ZodType>(schema: S): z.output<S>;
}

export type ApiHandler<P extends Principal | null> = (call: ApiCall<P>) => Promise<HttpResponseInit>;

interface CommonOptions {
  /**
   * Largest accepted request body in bytes; default `MAX_JSON_BODY_BYTES` (64 KiB). Checked on
   * Content-Length and while reading. A JSON body is held to `MAX_JSON_BODY_BYTES` even where this is larger.
   */
  maxBodyBytes?: number;
}

export interface AnonymousOptions extends CommonOptions {
  auth: 'anonymous';
}

export interface AuthenticatedOptions extends CommonOptions {
  /** Builds the principal from the request (see `createAuthenticator`). */
  auth: Authenticator;
  /** Which kinds of caller may use the endpoint; default both. */
  accept?: PrincipalKind[];
  /** If set, the caller must be a user holding at least one of these roles (else 403). */
  roles?: Role[];
  /** Per-tenant limit; `scope` defaults to the function name. Answers 429 with Retry-After. */
  rateLimit?: { limiter: RateLimiter; scope?: string };
}

export type HttpHandlerOptions = AnonymousOptions | AuthenticatedOptions;

/**
 * Wraps an `app.http` handler: correlation id, size limit, authentication, roles,
 * rate limit, validation helpers and problem+json errors. Every response carries
 * `x-correlation-id`.
 */
export function httpHandler(options: AnonymousOptions, fn: ApiHandler<null>): HttpHandler;
export function httpHandler(options: AuthenticatedOptions, fn: ApiHandler<Principal>): HttpHandler;
export function httpHandler(options: HttpHandlerOptions, fn: ApiHandler<null> | ApiHandler<Principal>): HttpHandler {
  // The overloads pair `auth: 'anonymous'` with a null principal and an authenticator with a real one.
  const handle = fn as ApiHandler<Principal | null>;
  return async (request, context) => {
    const jsonLimit = maxJsonBodyBytes();
    const maxBodyBytes = options.maxBodyBytes ?? jsonLimit;
    const correlationId = correlationIdFrom(request, context);
    setCorrelationId(context, correlationId);
    const log = contextLogger(context, correlationId);
    let response: HttpResponseInit;
    let read: Promise<Buffer> | undefined;
    const bytes = () => (read ??= readBodyLimited(request, maxBodyBytes));
    try {
      checkContentLength(request, maxBodyBytes);
      const principal = options.auth === 'anonymous' ? null : await admit(options, request, context);
      response = await handle({
        request,
        context,
        principal,
        correlationId,
        log,
        body: async (schema) => {
          requireJsonContentType(request);
          checkContentLength(request, jsonLimit);
          const raw = await bytes();
          if (raw.byteLength > jsonLimit) throw payloadTooLarge(jsonLimit);
          return parseJsonBytes(raw, schema);
        },
        bytes,
        query: (schema) => parseQuery(request, schema),
        params: (schema) => parseParams(request, schema),
      });
    } catch (thrown) {
      if (isServerFault(thrown)) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        log.error('Request failed', { error: error.message, stack: error.stack });
      }
      response = problemResponse(thrown, { correlationId, instance: new URL(request.url).pathname });
    }
    return withHeader(response, CORRELATION_HEADER, correlationId);
  };
}

/** Authenticates, then applies `accept`, `roles` and the rate limit. */
async function admit(options: AuthenticatedOptions, request: HttpRequest, context: InvocationContext) {
  const principal = await options.auth(request);
  if (options.accept && !options.accept.includes(principal.kind)) throw forbidden();
  if (options.roles?.length) requireRoles(principal, ...options.roles);
  if (options.rateLimit) {
    const scope = options.rateLimit.scope ?? context.functionName;
    const decision = await options.rateLimit.limiter.consume(principal.tenantId, scope);
    if (!decision.allowed) throw rateLimited(decision.retryAfterS);
  }
  return principal;
}

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return { ...response, headers };
}
