/**
 * Test wiring: the real local host (runtime/index.ts) with only the durable
 * extension and the durable fixture app, on a unique task hub, plus small
 * clients of the durable task HTTP API.
 */
import { startHost, type StartedHost } from '../../../runtime/index';
import { httpExtension } from '../../../runtime/triggers/http';
import { memoryHostLog } from '../../../runtime/host-log';
import { durableExtension, type DurableExtensionOptions } from '../../../runtime/durable/index';
import { fixture, tempAppDir, uniqueSuffix, type TestStorage } from '../local-storage';

export interface DurableTestHost {
  host: StartedHost;
  hubName: string;
  api: string;
  start(name: string, instanceId: string, input?: unknown): Promise<Response>;
  status(instanceId: string, query?: string): Promise<{ httpStatus: number; body: StatusBody | undefined }>;
  waitFor(instanceId: string, statuses?: string[], timeoutMs?: number): Promise<StatusBody>;
  post(path: string, body?: unknown): Promise<Response>;
}

export interface StatusBody {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  history?: { EventType: string }[];
}

export function uniqueHub(): string {
  return `hub${uniqueSuffix()}`;
}

export async function startDurableHost(
  storage: TestStorage, options: DurableExtensionOptions = {}, settings: Record<string, string> = {},
): Promise<DurableTestHost> {
  const hubName = options.hubName ?? uniqueHub();
  const appDir = tempAppDir({ 'host.json': { version: '2.0' } });
  const host = await startHost({
    appDir, main: fixture('../durable/fixtures/durable-app'), port: 0, log: memoryHostLog(),
    settings: { AzureWebJobsStorage: storage.connectionString, ...settings },
    extensions: [httpExtension(), durableExtension({ pollIntervalMs: 50, ...options, hubName })],
  });
  const api = `${host.origin}/runtime/webhooks/durabletask`;
  const status: DurableTestHost['status'] = async (instanceId, query = '') => {
    const response = await fetch(`${api}/instances/${instanceId}${query}`);
    const text = await response.text();
    return { httpStatus: response.status, body: text ? (JSON.parse(text) as StatusBody) : undefined };
  };
  return {
    host, hubName, api, status,
    start: (name, instanceId, input) =>
      fetch(`${api}/orchestrators/${name}/${instanceId}`, { method: 'POST', body: input === undefined ? '' : JSON.stringify(input) }),
    post: (path, body) =>
      fetch(`${api}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) }),
    async waitFor(instanceId, statuses = ['Completed', 'Failed', 'Terminated'], timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await status(instanceId);
        if (body && statuses.includes(body.runtimeStatus)) return body;
        if (Date.now() > deadline) throw new Error(`instance ${instanceId} did not reach ${statuses.join('/')}: ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
