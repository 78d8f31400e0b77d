/**
 * Conversions between JS values and the worker protocol's `RpcTypedData`,
 * mirroring what the Functions host sends and what the library returns.
 */

/** The subset of `RpcTypedData` the local host produces or consumes. */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

export interface RpcHttpCookie {
  name?: string;
  value?: string;
  domain?: { value?: string } | null;
  path?: { value?: string } | null;
  expires?: { value?: { seconds?: number } } | null;
  secure?: { value?: boolean } | null;
  httpOnly?: { value?: boolean } | null;
  sameSite?: string | null;
  maxAge?: { value?: number } | null;
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData | null;
  statusCode?: string;
  cookies?: RpcHttpCookie[];
}

/** HTTP result handed back to trigger extensions (see `InvokeResult.returnValue`). */
export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** JS value → typed data, as the host would send a trigger or input value. */
export function toRpcTypedData(value: unknown): RpcTypedData | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { string: value };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { bytes: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

/** Trigger metadata values are typed data too; the library camelCases the keys. */
export function toRpcTriggerMetadata(metadata: Record<string, unknown> | undefined): Record<string, RpcTypedData> {
  const result: Record<string, RpcTypedData> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const data = toRpcTypedData(value);
    if (data) result[key] = data;
  }
  return result;
}

/** Typed data → JS value, as a host output adapter would read a return value or output. */
export function fromRpcTypedData(data: unknown): unknown {
  if (!data || typeof data !== 'object') return undefined;
  const typed = data as RpcTypedData;
  if (typed.http) return toHttpResult(typed.http);
  if (typed.json !== undefined && typed.json !== null) return JSON.parse(typed.json);
  if (typed.string !== undefined && typed.string !== null) return typed.string;
  const bytes = typed.bytes ?? typed.stream;
  if (bytes) return Buffer.from(bytes);
  return typed.int ?? typed.double ?? undefined;
}

function toHttpResult(http: RpcHttpData): HttpResult {
  const body = http.body ? fromRpcTypedData(http.body) : undefined;
  return {
    status: Number(http.statusCode ?? 200),
    headers: { ...http.headers },
    cookies: (http.cookies ?? []).map(serializeCookie),
    body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : ''),
  };
}

const SAME_SITE: Record<string, string | undefined> = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' };

/** RpcHttpCookie → `Set-Cookie` header value. */
export function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${encodeURIComponent(cookie.value ?? '')}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined) parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = SAME_SITE[cookie.sameSite ?? ''];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
