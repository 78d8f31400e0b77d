import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { readBodyLimited } from './body-limit';

/** One invalid field: `path` is dotted (`items.0.amount`), empty for the whole value. */
export interface FieldError {
  path: string;
  message: string;
}

export const validationFailed = (where: string, errors: FieldError[]) =>
  new DomainError('validation-failed', `Invalid ${where}`, 400, { errors });

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(where, fieldErrors(result.error));
  return result.data;
}

/**
 * Reads a JSON body within `maxBytes` and validates it. 415 unless the content type
 * is JSON, 400 `malformed-json` when it does not parse, 400 `validation-failed`
 * naming each bad field otherwise.
 */
export async function parseJsonBody<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
  maxBytes: number,
): Promise<z.output<S>> {
  requireJsonContentType(request);
  return parseJsonBytes(await readBodyLimited(request, maxBytes), schema);
}

export function requireJsonContentType(request: HttpRequest): void {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new DomainError('unsupported-media-type', 'Expected Content-Type: application/json', 415);
  }
}

/** Parses and validates an already-read body. */
export function parseJsonBytes<S extends z.ZodType>(raw: Buffer, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('malformed-json', 'Request body is not valid JSON', 400);
  }
  return parseWith(schema, value, 'request body');
}

/** Validates the query string; a repeated key becomes an array, a single one a string. */
export function parseQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.output<S> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 && values[0] !== undefined ? values[0] : values;
  }
  return parseWith(schema, query, 'query string');
}

/** Validates route parameters (`{id}` in the route template). */
export function parseParams<S extends z.ZodType>(request: HttpRequest, schema: S): z.output<S> {
  return parseWith(schema, { ...request.params }, 'route parameters');
}
