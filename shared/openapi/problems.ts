import { z } from 'zod';
import { problemType } from '../errors';
import type { RouteDoc } from './route-doc';

/** RFC 9457 problem document as `shared/http/problem.ts` writes it. */
export const problemSchema = z
  .object({
    type: z.string().describe('`urn:vouch:problem:<code>`; stable, switch on it'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    correlationId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('validation-failed: each invalid field'),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    example: {
      type: 'urn:vouch:problem:validation-failed', title: 'Bad Request', status: 400, detail: 'Invalid request body',
      instance: '/api/v1/payins', correlationId: '5b1c8a5e-0d6f-4c1e-9a53-2b7d1d2f9f10', errors: [{ path: 'amount', message: 'Invalid input' }],
    },
  });

/** Problem codes a route can answer, by status: what the pipeline adds for its options, plus the route's own. */
export function problemsOf(route: RouteDoc): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const add = (status: number, ...codes: string[]) => {
    const set = out.get(status) ?? new Set<string>();
    codes.forEach((c) => set.add(c));
    out.set(status, set);
  };
  if (route.params || route.query) add(400, 'validation-failed');
  if (route.body) {
    add(413, 'payload-too-large');
    if ((route.body.contentType ?? 'application/json') === 'application/json') {
      add(400, 'validation-failed', 'malformed-json');
      add(415, 'unsupported-media-type');
    }
  }
  if (!route.auth.includes('none')) {
    add(401, 'unauthorized');
    add(403, 'forbidden');
    if (route.auth.includes('apiKey')) add(403, 'tenant-suspended');
  }
  if (route.rateLimited) add(429, 'rate-limited');
  for (const [status, codes] of Object.entries(route.problems ?? {})) add(Number(status), ...codes);
  add(500, 'internal');
  return out;
}

export const problemTypeOf = problemType;
