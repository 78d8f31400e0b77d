/**
 * Secrets: Key Vault on Azure (managed identity), app settings locally
 * (`SECRET_<NAME>` with dashes as underscores). Cached for five minutes so a
 * rotated secret takes effect without a restart.
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import { config } from '../config';
import { DomainError } from '../errors';
import { azureCredential } from './credential';

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { value: string; at: number }>();
let client: SecretClient | undefined;

export async function getSecret(name: string): Promise<string> {
  const hit = cache.get(name);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = config().VOUCH_MODE === 'local' ? localSecret(name) : await vaultSecret(name);
  cache.set(name, { value, at: Date.now() });
  return value;
}

function localSecret(name: string): string {
  const key = `SECRET_${name.toUpperCase().replace(/-/g, '_')}`;
  const value = process.env[key];
  if (!value) throw new DomainError('secret-missing', `Secret ${name} is not set (${key})`, 500, {}, false);
  return value;
}

async function vaultSecret(name: string): Promise<string> {
  if (!client) {
    const { SecretClient } = require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets');
    client = new SecretClient(config().KEY_VAULT_URL ?? '', azureCredential());
  }
  const secret = await client.getSecret(name);
  if (!secret.value) throw new DomainError('secret-missing', `Secret ${name} is empty`, 500, {}, false);
  return secret.value;
}
