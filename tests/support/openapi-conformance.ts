/**
 * Checks real responses against the OpenAPI document the app serves: the route and status
 * must be documented, the content type must match, and the body must validate against the
 * documented schema (JSON Schema 2020-12, via ajv).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RecordedResponse } from './openapi-responses';

type Json = Record<string, unknown>;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

/** `#/components/schemas/X` → `#/$defs/X`, so each response schema carries the components it needs. */
const toDefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toDefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : toDefs(v)]),
    );
  }
  return value;
};

function findOperation(doc: Json, method: string, route: string): { path: string; operation: Operation } | undefined {
  const pathname = new URL(route, 'http://x').pathname;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    const pattern = new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
    const operation = item[method.toLowerCase()];
    if (pattern.test(pathname) && operation) return { path, operation };
  }
  return undefined;
}

/** Every problem found, one line each (empty: all conform). */
export function nonConformingResponses(doc: Json, responses: readonly RecordedResponse[]): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const defs = toDefs((doc.components as { schemas: Json }).schemas) as Json;
  const problems: string[] = [];
  for (const r of responses) {
    const where = `${r.method} ${r.route} → ${r.status}`;
    const found = findOperation(doc, r.method, r.route);
    if (!found) {
      problems.push(`${where}: route not in the document`);
      continue;
    }
    const documented = found.operation.responses[String(r.status)];
    if (!documented) {
      problems.push(`${where}: status not documented for ${found.path}`);
      continue;
    }
    if (!documented.content) {
      if (r.body !== '') problems.push(`${where}: documented without a body but one was sent`);
      continue;
    }
    const type = (r.contentType ?? '').split(';')[0]!.trim();
    const media = documented.content[type];
    if (!media) {
      problems.push(`${where}: content type ${type} not documented (${Object.keys(documented.content).join(', ')})`);
      continue;
    }
    const body: unknown = type.endsWith('json') ? JSON.parse(r.body) : r.body;
    const validate = ajv.compile({ ...(toDefs(media.schema) as Json), $defs: defs });
    if (!validate(body)) problems.push(`${where}: ${ajv.errorsText(validate.errors)} in ${r.body.slice(0, 300)}`);
  }
  return problems;
}
