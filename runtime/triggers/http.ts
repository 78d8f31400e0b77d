/**
 * HTTP trigger: maps requests to `app.http` functions by route prefix, route
 * template and method. Bodies are buffered and passed as bytes, as the host does;
 * when the app enabled HTTP streaming (`app.setup({ enableHttpStream: true })`)
 * the request is forwarded to the library's stream proxy instead, so handlers
 * read the body as it arrives and streamed responses flow back as produced.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import { currentProgrammingModel } from '../core-api';
import { sendProblem } from '../http-server';
import { RpcInvoker } from '../invoker';
import type { HttpResult } from '../rpc-data';
import type { HostContext, Invoker, RegisteredFunction, RuntimeExtension } from '../types';
import { byPrecedence, compileRoute, type CompiledRoute } from './http-route';

/** App setting that overrides host.json's route prefix, as on Azure (`AzureFunctionsJobHost__<path>`). */
export const ROUTE_PREFIX_SETTING = 'AzureFunctionsJobHost__extensions__http__routePrefix';

/** `host.json` → `extensions.http`. */
export interface HttpExtensionOptions {
  /** Prefix of every function route; default `api`, `""` for none (the app setting above wins). */
  routePrefix?: string;
  /** Largest accepted request body in bytes; default 100 MiB (the Azure front-end limit). */
  maxRequestBodySize?: number;
}

interface Route {
  fn: RegisteredFunction;
  compiled: CompiledRoute;
  methods: Set<string> | undefined;
}

const DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export function httpExtension(options: HttpExtensionOptions = {}): RuntimeExtension {
  const inFlight = new Set<Promise<void>>();
  return {
    name: 'http',
    async start(host) {
      const routePrefix = host.settings[ROUTE_PREFIX_SETTING] ?? options.routePrefix ?? 'api';
      const routes = buildRoutes(host.functionsWithTrigger('httpTrigger'), routePrefix);
      const streamUri = await httpStreamUri();
      const limit = options.maxRequestBodySize ?? DEFAULT_BODY_LIMIT;
      host.addHttpHandler('/', (req, res, url) => {
        const handled = handle({ host, routes, streamUri, limit }, req, res, url);
        inFlight.add(handled);
        return handled.finally(() => inFlight.delete(handled));
      });
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

function buildRoutes(functions: RegisteredFunction[], routePrefix: string): Route[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  return functions
    .map((fn) => {
      const route = typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.name;
      const methods = Array.isArray(fn.trigger.methods) ? fn.trigger.methods.map((m) => String(m).toUpperCase()) : undefined;
      return { fn, compiled: compileRoute(`${prefix}/${route}`), methods: methods && new Set(methods) };
    })
    .sort((a, b) => byPrecedence(a.compiled, b.compiled));
}

let streamUriPromise: Promise<string | undefined> | undefined;

/** Asks the library for its capabilities once per process, as the worker does after loading the app. */
function httpStreamUri(): Promise<string | undefined> {
  const model = currentProgrammingModel();
  if (!model) return Promise.resolve(undefined);
  streamUriPromise ??= withUnrefServers(() => model.getCapabilities({})).then((capabilities) => capabilities.HttpUri);
  return streamUriPromise;
}

/**
 * The library starts its stream proxy server inside getCapabilities and never
 * closes it; unref it so a stopped host does not keep the process alive.
 */
async function withUnrefServers<T>(run: () => Promise<T>): Promise<T> {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    this.unref();
    return Reflect.apply(listen, this, args) as net.Server;
  } as typeof listen;
  try {
    return await run();
  } finally {
    net.Server.prototype.listen = listen;
  }
}

interface HandleContext {
  host: HostContext;
  routes: Route[];
  streamUri: string | undefined;
  limit: number;
}

async function handle(context: HandleContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  for (const route of context.routes) {
    const params = route.compiled.match(url.pathname);
    if (!params || (route.methods && !route.methods.has(method))) continue;
    if (Number(req.headers['content-length'] ?? 0) > context.limit) return rejectTooLarge(req, res, context.limit);
    if (context.streamUri) return invokeStreaming(context, route.fn, params, req, res, url);
    return invokeBuffered(context, route.fn, params, req, res, url);
  }
  sendProblem(res, 404, 'Not Found', `No function route matches ${method} ${url.pathname}`);
}

/** HTTP needs typed trigger data (and a fixed invocation id for streaming), which only the host's invoker takes. */
function rpcInvoker(invoker: Invoker): RpcInvoker {
  if (invoker instanceof RpcInvoker) return invoker;
  throw new Error('The HTTP trigger needs the host RpcInvoker');
}

function rejectTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  res.setHeader('connection', 'close');
  sendProblem(res, 413, 'Payload Too Large', `The request body exceeds ${limit} bytes`);
  req.resume();
}

function requestMeta(req: IncomingMessage): { headers: Record<string, string>; correlationId?: string; traceParent?: string } {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  const correlationId = headers['x-correlation-id'] ?? headers['x-request-id'];
  const traceParent = headers.traceparent;
  return { headers, ...(correlationId ? { correlationId } : {}), ...(traceParent ? { traceParent } : {}) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function invokeBuffered(
  context: HandleContext,
  fn: RegisteredFunction,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await readBody(req, context.limit);
  if (!body) return rejectTooLarge(req, res, context.limit);
  const { headers, ...meta } = requestMeta(req);
  const httpData = { method: req.method ?? 'GET', url: url.href, headers, params, body: { bytes: body } };
  const invoker = rpcInvoker(context.host.invoker);
  try {
    const result = await invoker.invokeTyped({ functionName: fn.name, triggerValue: undefined, triggerData: { http: httpData }, ...meta });
    writeResult(res, result.returnValue as HttpResult | undefined);
  } catch {
    sendProblem(res, 500, 'Internal Server Error', `Function "${fn.name}" failed`);
  }
}

function writeResult(res: ServerResponse, result: HttpResult | undefined): void {
  if (!result) {
    res.writeHead(204).end();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(result.headers)) if (!HOP_BY_HOP.has(key.toLowerCase())) headers[key] = value;
  if (result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const lowerNames = Object.keys(headers).map((key) => key.toLowerCase());
  if (!lowerNames.includes('content-length') && result.status !== 204 && result.status !== 304) {
    headers['content-length'] = String(result.body.length);
  }
  res.writeHead(result.status, headers);
  res.end(result.body);
}

/** Stream mode: the library reads the request from, and writes the response to, its own proxy server. */
async function invokeStreaming(
  context: HandleContext,
  fn: RegisteredFunction,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const invocationId = randomUUID();
  const { headers, ...meta } = requestMeta(req);
  const proxyReq = http.request(new URL(url.pathname + url.search, context.streamUri), {
    method: req.method,
    headers: { ...req.headers, 'x-ms-invocation-id': invocationId, 'x-forwarded-host': url.host, 'x-forwarded-proto': 'http' },
    // A fresh loopback connection per request: reusing a keep-alive socket races the library server's
    // keep-alive timeout (ECONNRESET → a spurious 500), most often when a busy event loop skews the timers.
    agent: false,
  });
  const proxied = new Promise<IncomingMessage>((resolve, reject) => proxyReq.on('response', resolve).on('error', reject));
  req.pipe(proxyReq);
  const invoker = rpcInvoker(context.host.invoker);
  const invocation = invoker.invokeTyped({
    functionName: fn.name,
    invocationId,
    triggerValue: undefined,
    triggerData: { http: {} },
    triggerMetadata: { Headers: headers, ...params },
    ...meta,
  });
  invocation.catch(() => proxyReq.destroy(new Error('invocation failed')));
  try {
    const proxyRes = await proxied;
    res.writeHead(proxyRes.statusCode ?? 200, filterHeaders(proxyRes.headers));
    await pipeline(proxyRes, res);
  } catch {
    if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', `Function "${fn.name}" failed`);
    else res.destroy();
  }
  await invocation.catch(() => undefined);
}

function filterHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const result: http.OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key) && key !== 'x-ms-invocation-id') result[key] = value;
  }
  return result;
}
