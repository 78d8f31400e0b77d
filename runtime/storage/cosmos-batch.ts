/**
 * Transactional batch for `@vercel/cosmosdb-server`, as Azure Cosmos DB runs it: every operation
 * of a batch targets one logical partition (the request's partition key), they run in order, and
 * either all of them commit or none does. The server's own batch handler is neither atomic (a
 * failing operation leaves the earlier ones written) nor knows Patch, and needs a partition key on
 * every operation; the order engine relies on all three (see shared/orders/cosmos-batch.ts).
 *
 * Answers as the service does: 200 with one result per operation when all succeeded; otherwise
 * 207 (multi-status) where the failing operation carries its own status (409, 404, 412, 400...)
 * and every other one 424 (failed dependency).
 *
 * The server handles one request at a time once its body is read (the operations below are
 * synchronous), so nothing interleaves with a batch; on a failure the touched documents are put
 * back exactly as they were (same `_etag`, `_rid`, `_ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Doc = Record<string, unknown> & { id: string; _etag?: string };

interface Documents {
  create(data: Doc): Doc;
  replace(data: Doc, original: Doc): Doc;
  delete(id: string, partition: unknown): void;
  _set(data: Doc): Doc;
  _ridCount: number;
  _getPartition(data: Doc): unknown;
}

interface Collection {
  read(): unknown;
  documents: Documents;
  document(id: string, partition: unknown): { read(): Doc | undefined };
}

interface Account {
  database(id: string): { collection(id: string): Collection };
}

interface OperationInput {
  operationType?: string;
  id?: string;
  partitionKey?: string;
  ifMatch?: string;
  resourceBody?: unknown;
}

interface PatchBody {
  operations: { op: string; path: string; value?: unknown; from?: string }[];
  condition?: string;
}

interface Outcome {
  statusCode: number;
  body?: Doc;
  message?: string;
}

type Handler = (account: Account, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<unknown>;
type Router = (req: IncomingMessage) => [Record<string, string>, Handler] | undefined;

const MAX_OPERATIONS = 100;

/** The partition key value of a `["value"]` / `"value"` header or operation field. */
function partitionValue(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const parsed = JSON.parse(raw) as unknown;
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

const fail = (statusCode: number, message: string): Outcome => ({ statusCode, message });
const preconditionFailed = () => fail(412, 'Operation cannot be performed because one of the specified precondition is not met.');

function runOperation(collection: Collection, partition: unknown, input: OperationInput): Outcome {
  const docs = collection.documents;
  const type = input.operationType;
  const body = input.resourceBody as Doc | undefined;
  if (type === 'Create' || type === 'Upsert' || type === 'Replace') {
    if (!body || typeof body.id !== 'string' || body.id === '') return fail(400, 'missing id');
    if (docs._getPartition(body) !== partition) return fail(400, 'The partition key of the document does not match the batch partition key.');
  }
  const id = type === 'Create' || type === 'Upsert' ? body!.id : input.id ?? body?.id;
  if (typeof id !== 'string') return fail(400, 'missing id');
  const current = collection.document(id, partition).read();
  if (input.ifMatch && current && input.ifMatch !== current._etag) return preconditionFailed();
  switch (type) {
    case 'Create':
      if (current) return fail(409, 'Entity with the specified id already exists in the system.');
      return { statusCode: 201, body: docs.create(body!) };
    case 'Upsert':
      return current ? { statusCode: 200, body: docs.replace(body!, current) } : { statusCode: 201, body: docs.create(body!) };
    case 'Read':
      return current ? { statusCode: 200, body: current } : fail(404, 'Entity with the specified id does not exist in the system.');
    case 'Replace':
      if (!current) return fail(404, 'Entity with the specified id does not exist in the system.');
      return { statusCode: 200, body: docs.replace({ ...body!, id }, current) };
    case 'Delete':
      if (!current) return fail(404, 'Entity with the specified id does not exist in the system.');
      docs.delete(id, partition);
      return { statusCode: 204 };
    case 'Patch':
      if (!current) return fail(404, 'Entity with the specified id does not exist in the system.');
      return patch(collection, current, input.resourceBody as PatchBody | PatchBody['operations']);
    default:
      return fail(400, `Operation type '${String(type)}' is not supported in Batch.`);
  }
}

/** The server's own patch operations, with the condition evaluated on this document only. */
function patch(collection: Collection, current: Doc, raw: PatchBody | PatchBody['operations']): Outcome {
  const body: PatchBody = Array.isArray(raw) ? { operations: raw } : raw;
  if (body.condition && !conditionHolds(current, body.condition)) return fail(412, 'Condition specified in the patch request is not satisfied.');
  const { patchOperation } = require('@vercel/cosmosdb-server/lib/handler/_patch-operations') as {
    patchOperation(collection: Collection, input: { id: string; partitionKey: string; operations: PatchBody['operations'] }): Outcome;
  };
  const partition = collection.documents._getPartition(current);
  const result = patchOperation(collection, { id: current.id, partitionKey: JSON.stringify([partition]), operations: body.operations });
  return result.statusCode >= 400 ? fail(result.statusCode, String((result.body as { message?: unknown } | undefined)?.message ?? 'patch failed')) : result;
}

/** `from c where <predicate>` (the SDK's form) evaluated against one document. */
function conditionHolds(doc: Doc, condition: string): boolean {
  const match = /^\s*from\s+(\w+)\s+where\s+([\s\S]+)$/i.exec(condition);
  if (!match) throw new Error(`unsupported patch condition ${condition}`);
  const { default: query } = require('@zeit/cosmosdb-query') as { default: (sql: string) => { exec(docs: unknown[], options: object): { result: unknown[] } } };
  return query(`SELECT VALUE 1 FROM ${match[1]} WHERE ${match[2]}`).exec([doc], {}).result.length > 0;
}

/** Runs the operations all-or-nothing; on a failure every touched document is restored. */
export function executeBatch(collection: Collection, partition: unknown, operations: OperationInput[]): { status: number; results: object[] } {
  const docs = collection.documents;
  const before = new Map<string, Doc | undefined>();
  const ridCount = docs._ridCount;
  const outcomes: Outcome[] = [];
  let failedAt = -1;
  for (const [index, input] of operations.entries()) {
    const opPartition = input.partitionKey !== undefined ? partitionValue(input.partitionKey) : partition;
    const id = input.operationType === 'Create' || input.operationType === 'Upsert' ? (input.resourceBody as Doc | undefined)?.id : input.id;
    if (opPartition !== partition) {
      outcomes.push(fail(400, 'All operations of a transactional batch must target its partition key.'));
    } else {
      if (typeof id === 'string' && !before.has(id)) before.set(id, collection.document(id, partition).read());
      outcomes.push(runOperation(collection, partition, input));
    }
    if (outcomes[index]!.statusCode >= 400) {
      failedAt = index;
      break;
    }
  }
  if (failedAt < 0) {
    return {
      status: 200,
      results: outcomes.map((o) => ({ statusCode: o.statusCode, requestCharge: 1, ...(o.body ? { eTag: o.body._etag, resourceBody: o.body } : {}) })),
    };
  }
  for (const [id, original] of [...before.entries()].reverse()) {
    if (collection.document(id, partition).read()) docs.delete(id, partition);
    if (original) docs._set(original);
  }
  docs._ridCount = ridCount;
  const failed = outcomes[failedAt]!;
  return {
    status: 207,
    results: operations.map((_, i) =>
      i === failedAt ? { statusCode: failed.statusCode, requestCharge: 0, message: failed.message } : { statusCode: 424, requestCharge: 0 },
    ),
  };
}

const atomicBatch: Handler = async (account, req, res, { dbId, collId }) => {
  const { default: readJson } = require('@vercel/cosmosdb-server/lib/json') as { default: (r: IncomingMessage) => Promise<unknown> };
  const body = await readJson(req);
  const collection = account.database(dbId ?? '').collection(collId ?? '');
  if (!collection.read()) {
    res.statusCode = 404;
    return { message: 'collection not found' };
  }
  const header = req.headers['x-ms-documentdb-partitionkey'];
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_OPERATIONS || typeof header !== 'string') {
    res.statusCode = 400;
    return { message: `A transactional batch needs a partition key and 1..${MAX_OPERATIONS} operations.` };
  }
  const { status, results } = executeBatch(collection, partitionValue(header), body as OperationInput[]);
  res.statusCode = status;
  return results;
};

let installed = false;

/**
 * Routes the server's batch requests to `atomicBatch`. The server looks its router up on every
 * request (`routes_1.default(req)`), so wrapping the router works whenever it is called, before or
 * after the server module was first loaded.
 */
export function installAtomicBatch(): void {
  if (installed) return;
  installed = true;
  const routes = require('@vercel/cosmosdb-server/lib/routes') as { default: Router };
  const original = routes.default;
  const { default: serverBatch } = require('@vercel/cosmosdb-server/lib/handler/batch-documents') as { default: Handler };
  routes.default = (req) => {
    const route = original(req);
    return route && route[1] === serverBatch ? [route[0], atomicBatch] : route;
  };
}

/** `@vercel/cosmosdb-server`'s HTTPS server with the atomic batch installed. */
export function createCosmosServer(options: { keepAlive: boolean }): import('node:https').Server {
  installAtomicBatch();
  const { default: createServer } = require('@vercel/cosmosdb-server') as { default: (opts: object) => import('node:https').Server };
  return createServer(options);
}
