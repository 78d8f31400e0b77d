import type { z } from 'zod';

/**
 * How a caller authenticates; each is a security scheme of the document:
 * `apiKey` (`x-api-key`, a tenant's backend), `bearer` (JWT of a person),
 * `sessionToken` (`X-Session-Token`, the capture page's one-verification token),
 * `payerToken` (the payer gateway's token), `none` (public).
 */
export type AuthScheme = 'apiKey' | 'bearer' | 'sessionToken' | 'payerToken' | 'none';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One response of a route; `schema` validates the body the route really sends. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
  example?: unknown;
}

/**
 * The documentation of one registered HTTP function: the schemas are the very zod
 * schemas the handler validates with (no second copy). Problem responses are derived
 * from `auth`, `body`, `query`, `params` and `rateLimited`; list the route's own in `problems`.
 */
export interface RouteDoc {
  /** The registered function name (`FUNCTIONS.x`); the completeness test matches on it. */
  function: string;
  method: HttpMethod;
  /** Path under the host, with `{param}`s as registered: `/api/v1/verifications/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Any of these authenticates (OR). */
  auth: AuthScheme[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads (`Idempotency-Key`...), name → description. */
  headers?: Record<string, string>;
  body?: { schema: z.ZodType; contentType?: 'application/json' | 'multipart/form-data'; required?: boolean; example?: unknown };
  responses: Record<number, ResponseDoc>;
  /** Route-specific problem codes by status (`{ 409: ['illegal-transition'] }`). */
  problems?: Record<number, string[]>;
  rateLimited?: boolean;
}

const registry = new Map<string, RouteDoc>();

/**
 * Adds a route to `GET /api/openapi.json`. Call it next to the `app.http` registration
 * (or in the area's file under functions/openapi-docs/); one call per function and method.
 */
export function documentRoute(doc: RouteDoc): void {
  registry.set(`${doc.function} ${doc.method}`, doc);
}

export const documentedRoutes = (): RouteDoc[] => [...registry.values()];
