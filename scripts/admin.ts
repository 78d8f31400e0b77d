/**
 * `npm run admin -- <command>`: the onboarding API's operations from a terminal, through the same
 * core (`shared/tenants/tenant-admin.ts`) and with the same audit entries as the HTTP routes.
 *
 *   tenants create <id> --name <name>     tenants list     tenants show <id>
 *   keys create <tenantId> [--store <storeId>]     keys list <tenantId>     keys revoke <tenantId> <keyId>
 *   webhooks create <tenantId> --url <https url> [--events verification.completed,order.status_changed]
 *   webhooks list <tenantId>
 *
 * Locally (default) it reads `local.settings.json` (else the sample) `Values`, environment variables
 * winning, and talks to the Cosmos server of `npm start`. With `--azure` it talks to a deployed
 * account through `@azure/identity` (DefaultAzureCredential: `az login`): `COSMOS_ENDPOINT` (or
 * `--cosmos-endpoint`), `COSMOS_DATABASE` (default `vouch`), and the pepper from `API_KEY_PEPPER` or
 * the Key Vault secret `api-key-pepper` of `KEY_VAULT_URL` (or `--key-vault`).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '@azure/cosmos';
import { z } from 'zod';
import { createAuditStore } from '../shared/audit/audit-store';
import { CosmosTenantStore } from '../shared/auth/tenant-store';
import { DomainError } from '../shared/errors';
import { COSMOS_CONTAINERS } from '../shared/names';
import { systemClock } from '../shared/platform/clock';
import { openDatabase } from '../shared/platform/cosmos';
import { ensureContainers } from '../shared/platform/cosmos-containers';
import { createSettingsStore } from '../shared/settings/settings-store';
import { type AdminActor, createTenantAdmin, createTenantBodySchema, issueKeyBodySchema, keyIdSchema, onboardWebhookBodySchema, type TenantAdmin } from '../shared/tenants/tenant-admin';
import { tenantIdSchema } from '../shared/auth/tenant';
import { SETTINGS } from '../shared/wiring/settings';
import { WebhookEndpointStore } from '../shared/webhooks/endpoint-store';

/** Name of the Key Vault secret holding the API-key pepper (the app reads it through `API_KEY_PEPPER`'s Key Vault reference). */
export const PEPPER_SECRET_NAME = 'api-key-pepper';

export class UsageError extends Error {}

const USAGE = `usage: npm run admin -- [--azure] <command>
  tenants create <id> --name <name>
  tenants list | tenants show <id>
  keys create <tenantId> [--store <storeId>]
  keys list <tenantId> | keys revoke <tenantId> <keyId>
  webhooks create <tenantId> --url <url> [--events <type,type>] | webhooks list <tenantId>
options: --azure  --cosmos-endpoint <url>  --database <name>  --key-vault <url>  --actor <name>`;

function localValues(root: string): Record<string, string> {
  const file = ['local.settings.json', 'local.settings.sample.json'].map((f) => path.join(root, f)).find((f) => existsSync(f));
  return file ? z.object({ Values: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(file, 'utf8'))).Values : {};
}

/** A Key Vault reference (`@Microsoft.KeyVault(...)`) is app-setting syntax, not a pepper. */
const isUsable = (value: string | undefined): value is string => !!value && !value.startsWith('@Microsoft.KeyVault(');

async function pepperFromVault(vaultUrl: string | undefined): Promise<string> {
  if (!vaultUrl) throw new UsageError('--azure needs API_KEY_PEPPER or KEY_VAULT_URL (--key-vault) to read the pepper');
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const { SecretClient } = require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets');
  const secret = await new SecretClient(vaultUrl, new DefaultAzureCredential()).getSecret(PEPPER_SECRET_NAME);
  if (!secret.value) throw new Error(`Key Vault secret ${PEPPER_SECRET_NAME} is empty`);
  return secret.value;
}

interface Connection {
  database: Database;
  pepper: string;
  where: string;
  /** Decides the webhook URL check: loopback receivers are allowed only locally. */
  mode: 'local' | 'azure';
}

async function connect(options: { azure?: boolean; 'cosmos-endpoint'?: string; database?: string; 'key-vault'?: string }, env: NodeJS.ProcessEnv, root: string): Promise<Connection> {
  if (options.azure) {
    const endpoint = options['cosmos-endpoint'] ?? env.COSMOS_ENDPOINT;
    if (!endpoint) throw new UsageError('--azure needs COSMOS_ENDPOINT or --cosmos-endpoint');
    const databaseName = options.database ?? env.COSMOS_DATABASE ?? 'vouch';
    const pepper = isUsable(env.API_KEY_PEPPER) ? env.API_KEY_PEPPER : await pepperFromVault(options['key-vault'] ?? env.KEY_VAULT_URL);
    const database = openDatabase({ VOUCH_MODE: 'azure', COSMOS_ENDPOINT: endpoint, COSMOS_DATABASE: databaseName });
    return { database, pepper, where: `${endpoint} (${databaseName})`, mode: 'azure' };
  }
  const values = localValues(root);
  const pick = (name: string) => env[name] ?? values[name];
  if (pick('VOUCH_MODE') !== 'local') throw new UsageError(`VOUCH_MODE is '${pick('VOUCH_MODE') ?? ''}'; use --azure for a deployed app`);
  const endpoint = options['cosmos-endpoint'] ?? pick('COSMOS_ENDPOINT');
  const pepper = pick('API_KEY_PEPPER');
  if (!endpoint || !pepper) throw new UsageError('COSMOS_ENDPOINT and API_KEY_PEPPER must be set (local.settings.json)');
  const databaseName = options.database ?? pick('COSMOS_DATABASE') ?? 'vouch';
  const database = openDatabase({ VOUCH_MODE: 'local', COSMOS_ENDPOINT: endpoint, COSMOS_KEY: pick('COSMOS_KEY'), COSMOS_DATABASE: databaseName });
  await ensureContainers(database);
  return { database, pepper, where: `${endpoint} (${databaseName}, local)`, mode: 'local' };
}

function buildAdmin({ database, pepper, mode }: Connection): TenantAdmin {
  const settings = createSettingsStore(database.container(COSMOS_CONTAINERS.settings));
  const auditStore = createAuditStore(database.container(COSMOS_CONTAINERS.audit), {
    pepper,
    retentionDays: async () => (await settings.get(SETTINGS.privacy)).auditRetentionDays,
  });
  return createTenantAdmin({
    tenants: new CosmosTenantStore(database.container(COSMOS_CONTAINERS.tenants), { cacheTtlMs: 0 }),
    pepper,
    clock: systemClock,
    // Unlike the app, the CLI fails loudly when the entry cannot be written: the operator is there to see it.
    audit: (event) => auditStore.append(event).then(() => undefined),
    webhooks: new WebhookEndpointStore({ container: database.container(COSMOS_CONTAINERS.webhooks), clock: systemClock, mode }),
  });
}

const parse = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
  return result.data;
};

/** Runs one command; returns what it prints (JSON). */
export async function runAdmin(argv: string[], env: NodeJS.ProcessEnv, root: string): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      azure: { type: 'boolean' },
      'cosmos-endpoint': { type: 'string' },
      database: { type: 'string' },
      'key-vault': { type: 'string' },
      actor: { type: 'string' },
      name: { type: 'string' },
      store: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
    },
  });
  const [noun, verb, ...args] = positionals;
  const command = `${noun ?? ''} ${verb ?? ''}`;
  const known = ['tenants create', 'tenants list', 'tenants show', 'keys create', 'keys list', 'keys revoke', 'webhooks create', 'webhooks list'];
  if (!known.includes(command)) throw new UsageError(USAGE);
  const admin = buildAdmin(await connect(values, env, root));
  const by: AdminActor = { actor: `cli:${values.actor ?? userInfo().username}`, roles: ['admin'], correlationId: randomUUID() };
  const tenantId = () => parse(tenantIdSchema, args[0], 'tenant id');
  switch (command) {
    case 'tenants create':
      return admin.createTenant(parse(createTenantBodySchema, { id: args[0], name: values.name }, 'tenant'), by);
    case 'tenants list':
      return { items: await admin.listTenants() };
    case 'tenants show':
      return admin.getTenant(tenantId());
    case 'keys create': {
      const body = parse(issueKeyBodySchema, values.store === undefined ? {} : { storeId: values.store }, 'key');
      const { keyId, key } = await admin.issueKey(tenantId(), body, by);
      return { keyId, key, ...(body.storeId === undefined ? {} : { storeId: body.storeId }), note: 'The key is shown once; only its hash is stored.' };
    }
    case 'keys list':
      return { items: (await admin.getTenant(tenantId())).apiKeys };
    case 'webhooks create': {
      const events = values.events?.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
      const body = parse(onboardWebhookBodySchema, { url: values.url, ...(events ? { eventTypes: events } : {}) }, 'webhook endpoint');
      return { ...(await admin.addWebhookEndpoint(tenantId(), body, by)), note: 'The signing secret is shown once; rotate it with POST /api/v1/webhooks/endpoints/{id}/rotate-secret.' };
    }
    case 'webhooks list':
      return { items: await admin.listWebhookEndpoints(tenantId()) };
    default: {
      const id = tenantId();
      const keyId = parse(keyIdSchema, args[1], 'key id');
      await admin.revokeKey(id, keyId, by);
      return { revoked: keyId, tenant: id, note: 'Refused at once by instances that did not cache the tenant, within 30 s by the others.' };
    }
  }
}

if (require.main === module) {
  // dist/scripts/admin.js -> the package root holds local.settings*.json
  runAdmin(process.argv.slice(2), process.env, path.resolve(__dirname, '..', '..')).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (e: unknown) => {
      const message = e instanceof DomainError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      console.error(message);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
