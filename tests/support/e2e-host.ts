/**
 * The whole app on the local runtime, in this process, for end-to-end tests and benches:
 * `local.settings.sample.json` plus its own Azurite (a host in another test file must not take
 * this host's queue messages), a database and task hub of its own on the suite's Cosmos server
 * (or on one started here when `COSMOS_ENDPOINT` is unset), and a random HTTP port.
 *
 * The local runtime puts settings into `process.env` and the app caches its config, so one
 * process runs one host at a time; `stop()` restores the environment it found.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost, type StartedHost } from '../../runtime';
import { startAzurite } from '../../runtime/storage/azurite';
import { startCosmos } from '../../runtime/storage/cosmos';
import { freePorts } from '../../runtime/storage/free-ports';
import { signLocalToken } from '../../shared/auth';
import { resetConfigForTests } from '../../shared/config';

/** Compiled file's folder is `<outDir>/tests/support`; the sources' root holds host.json and the settings. */
const compiledRoot = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(compiledRoot, '..');

export const TERMINAL_STATUSES = ['approved', 'declined', 'review', 'failed'] as const;

export interface VerificationView {
  id: string;
  status: string;
  failureReason?: string;
  decision?: {
    outcome: string;
    reasons: string[];
    faceMatch?: { score: number | null } | null;
    liveness?: { score?: number | null; method?: string } | null;
  };
}

/** One multipart file part of an upload. */
export interface UploadPart {
  name: 'document' | 'selfie' | 'selfieVideo';
  bytes: Buffer;
  filename: string;
  type: string;
}

export interface E2eHost {
  origin: string;
  /** Settings the host runs with (sample values plus the unique ones). */
  settings: Readonly<Record<string, string>>;
  started: StartedHost;
  /** `fetch` against the app; `apiKey` becomes `x-api-key`, `token` a bearer token. */
  call(route: string, init?: RequestInit & { apiKey?: string; token?: string }): Promise<Response>;
  /** POST /api/v1/verifications as `apiKey` (default `demo-a-key`); returns the raw response. */
  submit(parts: UploadPart[], options?: { apiKey?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Polls GET until a terminal status; throws after `timeoutMs` (a deadline, not a timing assertion). */
  waitForDecision(id: string, options?: { apiKey?: string; timeoutMs?: number; pollMs?: number }): Promise<VerificationView>;
  /** A local admin JWT for `tenantId` (default `platform`: its admins own the deployment-wide settings). */
  adminToken(tenantId?: string): Promise<string>;
  /** PUT /api/v1/admin/settings/{key} as admin; throws unless 200. */
  putSetting(key: string, value: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export const png = (name: UploadPart['name'], bytes: Buffer): UploadPart => ({ name, bytes, filename: `${name}.png`, type: 'image/png' });
export const jpeg = (name: UploadPart['name'], bytes: Buffer): UploadPart => ({ name, bytes, filename: `${name}.jpg`, type: 'image/jpeg' });
export const mp4 = (bytes: Buffer): UploadPart => ({ name: 'selfieVideo', bytes, filename: 'selfie.mp4', type: 'video/mp4' });

export function uploadForm(parts: UploadPart[]): FormData {
  const body = new FormData();
  for (const p of parts) body.append(p.name, new Blob([new Uint8Array(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength)], { type: p.type }), p.filename);
  return body;
}

function sampleSettings(): Record<string, string> {
  const parsed = JSON.parse(readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
}

export async function startE2eHost(overrides: Record<string, string> = {}): Promise<E2eHost> {
  const savedEnv = { ...process.env };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-e2e-'));
  const azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
  const cosmos = process.env.COSMOS_ENDPOINT ? undefined : await startCosmos({ port: await freePorts(1) });
  const unique = randomBytes(4).toString('hex');
  const settings: Record<string, string> = {
    ...sampleSettings(),
    AzureWebJobsStorage: azurite.connectionString,
    COSMOS_ENDPOINT: cosmos?.endpoint ?? process.env.COSMOS_ENDPOINT ?? '',
    COSMOS_KEY: cosmos?.key ?? process.env.COSMOS_KEY ?? 'local-cosmos-key',
    COSMOS_DATABASE: `e2e-${unique}`,
    TASKHUB_NAME: `E2e${unique}`,
    ...overrides,
  };
  const cleanup = async () => {
    await Promise.allSettled([azurite.stop(), cosmos?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    resetConfigForTests();
  };
  resetConfigForTests();
  let started: StartedHost;
  try {
    started = await startHost({ appDir: repoRoot, main: path.join(compiledRoot, 'functions', 'index.js'), port: 0, settings });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const origin = started.origin;

  const call: E2eHost['call'] = (route, init = {}) => {
    const { apiKey, token, headers, ...rest } = init;
    const auth: Record<string, string> = {
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    return fetch(`${origin}${route}`, { ...rest, headers: { ...auth, ...(headers as Record<string, string> | undefined) } });
  };

  const adminToken = (tenantId = 'platform') =>
    signLocalToken({
      secret: settings.LOCAL_JWT_SECRET ?? '',
      issuer: settings.JWT_ISSUER ?? '',
      audience: settings.JWT_AUDIENCE ?? '',
      subject: 'e2e-admin',
      tenantId,
      roles: ['admin'],
    });

  return {
    origin,
    settings,
    started,
    call,
    submit: (parts, options = {}) =>
      call('/api/v1/verifications', { method: 'POST', apiKey: options.apiKey ?? 'demo-a-key', headers: options.headers ?? {}, body: uploadForm(parts) }),
    async waitForDecision(id, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 120_000);
      let last = '';
      while (Date.now() < deadline) {
        const response = await call(`/api/v1/verifications/${id}`, { apiKey: options.apiKey ?? 'demo-a-key' });
        last = await response.text();
        if (response.status === 429) {
          // A polite client: many polls on a slow (loaded) machine can exhaust the tenant's budget.
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
          continue;
        }
        if (response.status !== 200) throw new Error(`GET verification ${id}: ${response.status} ${last}`);
        const view = JSON.parse(last) as VerificationView;
        if ((TERMINAL_STATUSES as readonly string[]).includes(view.status)) return view;
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
      }
      throw new Error(`verification ${id} not decided within the deadline; last view ${last}`);
    },
    adminToken,
    async putSetting(key, value) {
      const response = await call(`/api/v1/admin/settings/${key}`, {
        method: 'PUT',
        token: await adminToken(),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`PUT setting ${key}: ${response.status} ${text}`);
      return (JSON.parse(text) as { value: unknown }).value;
    },
    async stop() {
      try {
        await started.stop();
      } finally {
        await cleanup();
      }
    },
  };
}
