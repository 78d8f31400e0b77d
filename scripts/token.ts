/**
 * `npm run token -- --role trader [--role admin] --sub <user id> --tenant <tenant id> [--expires 3600]`
 * Prints an HS256 JWT that the local host accepts. Reads LOCAL_JWT_SECRET, JWT_ISSUER and
 * JWT_AUDIENCE from `local.settings.json` (else `local.settings.sample.json`) `Values`;
 * environment variables win. Refuses unless VOUCH_MODE is `local`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { signLocalToken } from '../shared/auth/local-token';
import { isRole, ROLES } from '../shared/auth/principal';

const settingsSchema = z.object({
  VOUCH_MODE: z.string().optional(),
  LOCAL_JWT_SECRET: z.string().min(32, 'LOCAL_JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
});

class UsageError extends Error {}

/** `Values` of the first settings file found under `root`, overlaid with `env`. */
function readSettings(root: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const file = ['local.settings.json', 'local.settings.sample.json'].map((f) => path.join(root, f)).find((f) => existsSync(f));
  const values = file ? z.object({ Values: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(file, 'utf8'))).Values : {};
  const pick = (name: string) => env[name] ?? values[name];
  return Object.fromEntries(['VOUCH_MODE', 'LOCAL_JWT_SECRET', 'JWT_ISSUER', 'JWT_AUDIENCE'].map((n) => [n, pick(n)]));
}

export async function createToken(argv: string[], env: NodeJS.ProcessEnv, root: string): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      tenant: { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((r) => !isRole(r));
  if (!values.sub || !values.tenant || roles.length === 0) {
    throw new UsageError('Usage: npm run token -- --role <role> [--role <role>] --sub <user id> --tenant <tenant id> [--expires <seconds>]');
  }
  if (unknown.length) throw new UsageError(`Unknown role(s) ${unknown.join(', ')}; valid: ${ROLES.join(', ')}`);
  const settings = settingsSchema.safeParse(readSettings(root, env));
  if (!settings.success) {
    throw new UsageError(`Missing settings: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (settings.data.VOUCH_MODE !== 'local') {
    throw new UsageError(`Refusing: VOUCH_MODE is '${settings.data.VOUCH_MODE ?? ''}', not 'local'. Tokens for Azure come from the identity provider.`);
  }
  const expiresInS = values.expires ? Number(values.expires) : 3600;
  if (!Number.isInteger(expiresInS) || expiresInS <= 0) throw new UsageError('--expires must be a positive number of seconds');
  return signLocalToken({
    secret: settings.data.LOCAL_JWT_SECRET,
    issuer: settings.data.JWT_ISSUER,
    audience: settings.data.JWT_AUDIENCE,
    subject: values.sub,
    tenantId: values.tenant,
    roles: roles.filter(isRole),
    expiresInS,
  });
}

if (require.main === module) {
  // dist/scripts/token.js -> the package root holds local.settings*.json
  createToken(process.argv.slice(2), process.env, path.resolve(__dirname, '..', '..')).then(
    (token) => console.log(token),
    (e: unknown) => {
      console.error(e instanceof UsageError || e instanceof TypeError ? e.message : e);
      process.exitCode = 1;
    },
  );
}
