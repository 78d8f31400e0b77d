/**
 * The durable task HTTP API the durable-functions client calls (via
 * `rpcBaseUrl`) and the webhook URLs `createCheckStatusResponse` hands out.
 * Status codes follow the extension: 202 start, 409 duplicate running id,
 * 404 unknown instance, 410 finished instance, 412 purge of a running one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { RawHttpHandler } from '../types';
import { durableApiPrefix, managementPayload, type DurableClientBinding } from './binding';
import { control, purgeInstance, startInstance, type DeliveryOutcome } from './instances';
import { isTerminal } from './state';
import { matchesQuery, statusDocument, type StatusQuery } from './status';
import type { DurableStore, WorkItem } from './store';

export interface DurableApiDeps {
  store: DurableStore;
  binding: DurableClientBinding;
  orchestratorExists(name: string): boolean;
  /** Called after work was enqueued, so the engine picks it up at once. */
  onWork(): void;
  /** An instance was started: its start item, for the engine to apply at once. */
  onStarted(item: Extract<WorkItem, { kind: 'event' }>): void;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers });
  res.end(text);
}

/**
 * The starter's W3C trace: the durable-functions client sends the active span's `traceparent` with
 * `startNew`, and the orchestration continues it (Durable extension distributed tracing on Azure).
 */
function traceOf(req: IncomingMessage): { traceParent?: string } {
  const header = req.headers.traceparent;
  return typeof header === 'string' ? { traceParent: header } : {};
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body, or undefined when empty; throws on malformed JSON. */
function jsonBody(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  JSON.parse(text);
  return text;
}

function flag(url: URL, name: string, fallback: boolean): boolean {
  const value = url.searchParams.get(name);
  return value === null ? fallback : value.toLowerCase() === 'true';
}

function statusQuery(url: URL): StatusQuery {
  const date = (name: string): Date | undefined => (url.searchParams.get(name) ? new Date(String(url.searchParams.get(name))) : undefined);
  const statuses = url.searchParams.get('runtimeStatus');
  const query: StatusQuery = {};
  const from = date('createdTimeFrom');
  const to = date('createdTimeTo');
  if (from) query.createdTimeFrom = from;
  if (to) query.createdTimeTo = to;
  if (statuses) query.runtimeStatus = statuses.split(',').map((s) => s.trim()).filter(Boolean);
  const prefix = url.searchParams.get('instanceIdPrefix');
  if (prefix) query.instanceIdPrefix = prefix;
  return query;
}

/** Table keys cannot hold `/ \\ # ?` or control characters, and the extension caps ids at 100 chars. */
export function invalidInstanceId(id: string): string | undefined {
  if (id.length === 0 || id.length > 100) return 'instance ids must be 1-100 characters';
  // eslint-disable-next-line no-control-regex
  if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(id)) return 'instance ids cannot contain /, \\, #, ? or control characters';
  return undefined;
}

const deliveryStatus: Record<DeliveryOutcome, number> = { accepted: 202, notFound: 404, gone: 410 };

/**
 * `POST instances/{id}/restart[?restartWithNewInstanceId=false]`: starts the orchestration again
 * with its input, under a new id by default (the extension's default) or the same id once finished.
 */
async function restart(deps: DurableApiDeps, req: IncomingMessage, res: ServerResponse, id: string, url: URL, now: Date): Promise<void> {
  const loaded = await deps.store.getInstance(id);
  if (!loaded) return send(res, 404);
  const sameId = url.searchParams.get('restartWithNewInstanceId')?.toLowerCase() === 'false';
  const instanceId = sameId ? id : randomUUID().replace(/-/g, '');
  const { name, input } = loaded.record;
  const outcome = await startInstance(deps.store, { name, instanceId, ...(input === undefined ? {} : { inputJson: input }), ...traceOf(req) }, now, deps.onStarted);
  if (outcome === 'conflict') return send(res, 409, { message: `An instance with ID '${instanceId}' is still running.` });
  const payload = managementPayload(deps.binding, instanceId);
  return send(res, 202, payload, { location: payload['statusQueryGetUri'] ?? '' });
}

export function durableHttpHandler(deps: DurableApiDeps): RawHttpHandler {
  const { store } = deps;
  return async (req, res, url) => {
    const rest = url.pathname.slice(url.pathname.indexOf(durableApiPrefix) + durableApiPrefix.length);
    const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const method = (req.method ?? 'GET').toUpperCase();
    const now = new Date();
    try {
      const [root, id, op, eventName] = parts;
      if (root === 'orchestrators' && method === 'POST' && id) {
        if (!deps.orchestratorExists(id)) return send(res, 400, { message: `The function '${id}' doesn't exist or is not an orchestrator function.` });
        const instanceId = op ?? randomUUID().replace(/-/g, '');
        const invalid = invalidInstanceId(instanceId);
        if (invalid) return send(res, 400, { message: invalid });
        const inputJson = jsonBody(await readBody(req));
        const outcome = await startInstance(store, { name: id, instanceId, ...(inputJson === undefined ? {} : { inputJson }), ...traceOf(req) }, now, deps.onStarted);
        if (outcome === 'conflict') return send(res, 409, { message: `An instance with ID '${instanceId}' already exists.` });
        const payload = managementPayload(deps.binding, instanceId);
        return send(res, 202, payload, { location: payload['statusQueryGetUri'] ?? '' });
      }
      if (root === 'instances' && id === undefined) {
        const records = (await store.listInstances()).filter((r) => matchesQuery(r, statusQuery(url)));
        if (method === 'GET') {
          const options = { showInput: flag(url, 'showInput', true), showHistory: false, showHistoryOutput: false };
          return send(res, 200, await Promise.all(records.map((r) => statusDocument(store, r, options))));
        }
        if (method === 'DELETE') {
          const finished = records.filter((r) => isTerminal(r.status));
          for (const r of finished) await store.purgeInstance(r.instanceId);
          return finished.length === 0 ? send(res, 404) : send(res, 200, { instancesDeleted: finished.length });
        }
      }
      if (root === 'instances' && id !== undefined && op === undefined) {
        if (method === 'GET') {
          const loaded = await store.getInstance(id);
          if (!loaded) return send(res, 404);
          const options = { showInput: flag(url, 'showInput', true), showHistory: flag(url, 'showHistory', false), showHistoryOutput: flag(url, 'showHistoryOutput', false) };
          const doc = await statusDocument(store, loaded.record, options);
          // Webhook semantics: 202 + Location while the instance is still going, 200 once finished.
          if (isTerminal(loaded.record.status)) return send(res, 200, doc);
          return send(res, 202, doc, { location: `${url.origin}${url.pathname}${url.search}`, 'retry-after': '1' });
        }
        if (method === 'DELETE') {
          const outcome = await purgeInstance(store, id);
          if (outcome === 'notFound') return send(res, 404);
          if (outcome === 'running') return send(res, 412, { message: `Instance '${id}' is not in a terminal state.` });
          return send(res, 200, { instancesDeleted: 1 });
        }
      }
      if (root === 'instances' && id !== undefined && method === 'POST') {
        const reason = url.searchParams.get('reason') ?? '';
        let outcome: DeliveryOutcome | undefined;
        if (op === 'raiseEvent' && eventName) outcome = await control.raiseEvent(store, id, eventName, jsonBody(await readBody(req)), now);
        else if (op === 'terminate') outcome = await control.terminate(store, id, reason, now);
        else if (op === 'suspend') outcome = await control.suspend(store, id, reason, now);
        else if (op === 'resume') outcome = await control.resume(store, id, reason, now);
        else if (op === 'restart') return await restart(deps, req, res, id, url, now);
        else if (op === 'rewind') {
          return send(res, 501, { message: 'rewind is not supported by the local durable runtime (restart the instance instead)' });
        }
        if (outcome) {
          if (outcome === 'accepted') deps.onWork();
          return send(res, deliveryStatus[outcome]);
        }
      }
      if (root === 'entities') return send(res, 501, { message: 'durable entities are not supported by the local durable runtime' });
      return send(res, 404, { message: `no durable task endpoint for ${method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof SyntaxError) return send(res, 400, { message: `request body is not valid JSON: ${error.message}` });
      throw error;
    }
  };
}
