/**
 * Binding expressions (`{name}`, `{queueTrigger}`, `{rand-guid}`, `{DateTime}`) as the host resolves
 * them in binding options such as a blob output `path`: from the trigger's metadata, the route
 * parameters and query of an HTTP trigger, and the top-level properties of a JSON trigger payload.
 * An expression that names nothing known fails the invocation with a message; it is never left as text.
 */
import { randomUUID } from 'node:crypto';
import type { InvokeRequest } from '../types';
import type { RpcTypedData } from '../rpc-data';

/** Values binding expressions may name, by lower-cased name. */
export type BindingData = Map<string, unknown>;

export function bindingDataFor(request: InvokeRequest & { triggerData?: RpcTypedData }): BindingData {
  const data: BindingData = new Map();
  const add = (values: Record<string, unknown> | undefined): void => {
    for (const [key, value] of Object.entries(values ?? {})) data.set(key.toLowerCase(), value);
  };
  const payload = request.triggerValue;
  if (typeof payload === 'object' && payload !== null && !Buffer.isBuffer(payload) && !Array.isArray(payload)) {
    add(payload as Record<string, unknown>);
  }
  const http = request.triggerData?.http;
  if (http) {
    add(queryOf(http.url));
    const body = http.body?.string ?? (http.body?.bytes ? Buffer.from(http.body.bytes).toString('utf8') : undefined);
    add(jsonObject(body));
    add(http.params);
  }
  add(request.triggerMetadata);
  return data;
}

function queryOf(url: string | undefined): Record<string, string> {
  if (!url) return {};
  try {
    return Object.fromEntries(new URL(url, 'http://localhost').searchParams);
  } catch {
    return {};
  }
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text || !text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Resolves `{expr}` in `template`; `what` names the binding in the error for an unknown expression. */
export function resolveExpression(template: string, data: BindingData, what: string): string {
  return template.replace(/\{([^{}]+)\}/g, (_match, expression: string) => {
    const key = expression.trim();
    const lower = key.toLowerCase();
    if (lower === 'rand-guid' || lower === 'sys.randguid') return randomUUID();
    if (lower === 'datetime' || lower === 'sys.utcnow') return new Date().toISOString();
    const value = dotted(data, lower);
    if (value === undefined || value === null) throw new Error(`${what}: binding expression {${key}} has no value for this invocation`);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** `{a.b}` reads a nested property of a JSON payload, as the host does. */
function dotted(data: BindingData, path: string): unknown {
  if (data.has(path)) return data.get(path);
  const [head, ...rest] = path.split('.');
  let value: unknown = data.get(head ?? '');
  for (const part of rest) {
    if (typeof value !== 'object' || value === null) return undefined;
    const entry = Object.entries(value).find(([k]) => k.toLowerCase() === part);
    value = entry?.[1];
  }
  return rest.length > 0 ? value : undefined;
}
