/**
 * A loopback stand-in for the Application Insights ingestion endpoint: it accepts what the Azure
 * Monitor exporter posts to `<IngestionEndpoint>/v2.1/track` (a JSON array of envelopes, gzipped or
 * not), answers as the service does, and keeps every envelope for the test to read.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One telemetry item as the exporter sends it (the fields the tests read). */
export interface Envelope {
  /** e.g. `Microsoft.ApplicationInsights.Request`, `…Event`, `…Metric`, `…Message`, `…RemoteDependency`. */
  name: string;
  time: string;
  iKey?: string;
  /** `ai.operation.id` (the trace id), `ai.operation.parentId`, `ai.cloud.role`, … */
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
}

export interface IngestionCapture {
  /** The connection string that sends this process's (or a host's) telemetry here. */
  connectionString: string;
  envelopes: Envelope[];
  /** Raw request bodies as received (decoded), to scan for data that must never leave the app. */
  bodies: string[];
  /** Paths posted to, e.g. `/v2.1/track`. */
  paths: string[];
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

export async function startIngestionCapture(instrumentationKey = '00000000-0000-4000-8000-00000000abcd'): Promise<IngestionCapture> {
  const envelopes: Envelope[] = [];
  const bodies: string[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      paths.push(req.url ?? '');
      bodies.push(body);
      let items: Envelope[] = [];
      try {
        const parsed = JSON.parse(body) as unknown;
        items = (Array.isArray(parsed) ? parsed : [parsed]) as Envelope[];
      } catch {
        // Not JSON: count it as one rejected item, as the service would answer 400.
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}');
        return;
      }
      envelopes.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: `InstrumentationKey=${instrumentationKey};IngestionEndpoint=http://127.0.0.1:${port}/`,
    envelopes,
    bodies,
    paths,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
