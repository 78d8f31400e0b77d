/**
 * App settings, parsed once with zod. A missing or malformed setting fails at
 * startup with a message naming it. Runtime-tunable values (thresholds, retries,
 * retention) are not here: they live in Cosmos (`shared/settings/`).
 */
import { z } from 'zod';

const optionalUrl = z.url().optional();

const envSchema = z
  .object({
    /** `local`: Azurite, the Cosmos-protocol server, local broker and signing key. `azure`: managed identity everywhere. */
    VOUCH_MODE: z.enum(['local', 'azure']),
    /** Local: Azurite connection string. Azure: identity-based (`AzureWebJobsStorage__accountName`). */
    AzureWebJobsStorage: z.string().min(1).optional(),
    AzureWebJobsStorage__accountName: z.string().min(1).optional(),
    /** Azure: Service Bus namespace host, e.g. `vouch.servicebus.windows.net`. Locally the runtime's broker is used. */
    ServiceBusConnection__fullyQualifiedNamespace: z.string().min(1).optional(),
    COSMOS_ENDPOINT: z.url(),
    /** Local only: the emulator key. On Azure the managed identity is used. */
    COSMOS_KEY: z.string().min(1).optional(),
    COSMOS_DATABASE: z.string().min(1).default('vouch'),
    /** Azure: Key Vault holding tenant webhook secrets and the API-key pepper. */
    KEY_VAULT_URL: optionalUrl,
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
    TASKHUB_NAME: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'letters and digits, 3-45 chars, starting with a letter'),
    FACE_PROVIDER: z.enum(['local', 'azure']).default('local'),
    FACE_ENDPOINT: optionalUrl,
    /** Azure Face key; without it the managed identity is used. */
    FACE_API_KEY: z.string().min(1).optional(),
    JWT_ISSUER: z.string().min(1),
    JWT_AUDIENCE: z.string().min(1),
    /** Azure: where signing keys of user tokens are published. */
    JWKS_URL: optionalUrl,
    /** Claim of user tokens holding the roles (array or space-separated string); a dotted path reaches nested claims. */
    JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
    /** Claim of user tokens naming the Vouch tenant. */
    JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
    /** Local only: HS256 secret for `npm run token`. */
    LOCAL_JWT_SECRET: z.string().min(32).optional(),
    /** HMAC key for stored API-key hashes (a Key Vault reference on Azure). */
    API_KEY_PEPPER: z.string().min(16),
    /** Largest JSON request body accepted, bytes. */
    MAX_JSON_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
    /**
     * Key-encryption key of payment details, 32 bytes base64 (a Key Vault reference on Azure).
     * Checked where the order engine is wired (shared/crypto/key-ring.ts), so KYC-only hosts need not set it.
     */
    PAYMENT_DATA_KEY: z.string().min(1).optional(),
    /** Retired payment-data keys still needed to read older documents, comma-separated (rotation). */
    PAYMENT_DATA_KEY_PREVIOUS: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const need = (name: keyof typeof env, why: string) => {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required ${why}` });
    };
    if (env.VOUCH_MODE === 'local') {
      need('AzureWebJobsStorage', 'in local mode');
      need('COSMOS_KEY', 'in local mode');
      need('LOCAL_JWT_SECRET', 'in local mode');
    } else {
      need('AzureWebJobsStorage__accountName', 'in azure mode');
      need('ServiceBusConnection__fullyQualifiedNamespace', 'in azure mode');
      need('KEY_VAULT_URL', 'in azure mode');
      need('JWKS_URL', 'in azure mode');
    }
    if (env.FACE_PROVIDER === 'azure') need('FACE_ENDPOINT', 'when FACE_PROVIDER=azure');
  });

export type AppConfig = z.infer<typeof envSchema>;

/** Thrown at startup; names every bad setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * What App Service leaves in a setting whose Key Vault reference it could not resolve (missing
 * secret, no access): the reference text itself, which must never be used as the value.
 */
const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty value means "not set" (the sample settings list azure-only names empty).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const unresolved = Object.keys(envSchema.shape).filter((name) => KEY_VAULT_REFERENCE.test(present[name] ?? ''));
  const result = envSchema.safeParse(present);
  if (result.success && unresolved.length === 0) return result.data;
  const lines = unresolved.map(
    (name) => `  ${name}: unresolved Key Vault reference (does the secret exist, and may the app's identity read it?)`,
  );
  for (const i of result.error?.issues ?? []) {
    if (!unresolved.includes(String(i.path[0]))) lines.push(`  ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  throw new ConfigError(`Invalid app settings:\n${lines.join('\n')}`);
}

let cached: AppConfig | undefined;

/** The process's config, parsed on first use. */
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests that change process.env call this to re-read it. */
export function resetConfigForTests(): void {
  cached = undefined;
}

/** Every app setting this module reads (kept in step with local.settings.sample.json and Bicep by a test). */
export const APP_SETTING_NAMES = Object.keys(envSchema.shape);
