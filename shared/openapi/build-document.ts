import { z } from 'zod';
import { problemSchema, problemsOf, problemTypeOf } from './problems';
import type { AuthScheme, RouteDoc } from './route-doc';

type JsonSchema = Record<string, unknown>;

/** Security schemes, one per `AuthScheme` (but `none`). */
const SECURITY_SCHEMES: Record<Exclude<AuthScheme, 'none'>, JsonSchema> = {
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: "A tenant's API key; for the tenant's backend only, never a browser." },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A person (admin, trader, support...): JWT with `tenant` and `roles` claims.' },
  sessionToken: {
    type: 'apiKey', in: 'header', name: 'X-Session-Token',
    description: 'Short-lived token from `POST /api/v1/verifications/sessions`, good for one verification (the capture page).',
  },
  payerToken: { type: 'apiKey', in: 'header', name: 'X-Payer-Token', description: "A payer's token for one order (payer gateway)." },
};

/** Turns zod schemas into JSON Schema 2020-12 (OpenAPI 3.1's dialect), sharing named ones as components. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    // A request's schema is what the client sends (before defaults/coercion); a response's is what we send.
    const suffix = io === 'input' ? 'Input' : '';
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    delete json.$schema;
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) =>
            k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? [k, `#/components/schemas/${v.slice(8)}${suffix}`] : [k, rewrite(v)],
          ),
        );
      }
      return value;
    };
    for (const [id, def] of Object.entries(defs)) this.components[`${id}${suffix}`] = rewrite(def) as JsonSchema;
    return rewrite(json) as JsonSchema;
  }
}

const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

function parametersOf(route: RouteDoc, schemas: SchemaCollector): JsonSchema[] {
  const out: JsonSchema[] = [];
  const params = route.params ? (schemas.convert(route.params, 'input').properties as Record<string, JsonSchema>) : {};
  for (const name of pathParamsOf(route.path)) out.push({ name, in: 'path', required: true, schema: params[name] ?? { type: 'string' } });
  if (route.query) {
    const q = schemas.convert(route.query, 'input');
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
      out.push({ name, in: 'query', required: required.has(name), schema, ...(schema.description ? { description: schema.description } : {}) });
    }
  }
  for (const [name, description] of Object.entries(route.headers ?? {})) out.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  return out;
}

function problemResponses(route: RouteDoc): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, codes] of problemsOf(route)) {
    const types = [...codes].map(problemTypeOf);
    out[String(status)] = {
      description: `Problem: ${[...codes].map((c) => `\`${c}\``).join(', ')}`,
      content: {
        'application/problem+json': {
          schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { type: { enum: types } } }] },
          examples: Object.fromEntries([...codes].map((c) => [c, { value: { type: problemTypeOf(c), title: 'Error', status, detail: '…', correlationId: '5b1c8a5e-0d6f-4c1e-9a53-2b7d1d2f9f10' } }])),
        },
      },
    };
  }
  return out;
}

function operationOf(route: RouteDoc, schemas: SchemaCollector, operationId: string): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema
        ? { content: { [r.contentType ?? 'application/json']: { schema: schemas.convert(r.schema, 'output'), ...(r.example === undefined ? {} : { example: r.example }) } } }
        : {}),
    };
  }
  const security = route.auth.filter((a) => a !== 'none').map((a) => ({ [a]: [] }));
  return {
    operationId,
    /** The registered function serving it (a function may serve several methods). */
    'x-function': route.function,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: route.auth.includes('none') ? [{}, ...security] : security,
    parameters: parametersOf(route, schemas),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required ?? true,
            content: {
              [route.body.contentType ?? 'application/json']: {
                schema: schemas.convert(route.body.schema, 'input'),
                ...(route.body.example === undefined ? {} : { example: route.body.example }),
              },
            },
          },
        }
      : {}),
    responses: { ...responses, ...problemResponses(route) },
  };
}

/** The OpenAPI 3.1 document of every documented route. */
export function buildOpenApiDocument(routes: RouteDoc[], info: { version: string; serverUrl?: string }): JsonSchema {
  const schemas = new SchemaCollector();
  schemas.convert(problemSchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const methodsOf = (fn: string) => routes.filter((r) => r.function === fn).length;
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path))) {
    // operationIds are unique: a function serving several methods gets one per method.
    const operationId = methodsOf(route.function) > 1 ? `${route.function}${route.method[0]}${route.method.slice(1).toLowerCase()}` : route.function;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(route, schemas, operationId);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vouch API',
      version: info.version,
      description:
        'KYC verifications and pay-in/pay-out orders. Errors are `application/problem+json` with a stable `type` ' +
        '(`urn:vouch:problem:<code>`) and a `correlationId`. Webhooks are signed per Standard Webhooks.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(routes.flatMap((r) => r.tags))].sort().map((name) => ({ name })),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES, schemas: schemas.components },
  };
}
