/**
 * Runtime-tunable settings (thresholds, retries, retention, rate limits) kept in
 * the Cosmos `settings` container, one document per key, validated by that key's
 * zod schema. Reads are cached briefly so a change takes effect within
 * `cacheMs` without a restart; defaults are written on first read so operators
 * can see and edit every setting.
 */
import type { Container } from '@azure/cosmos';
import type { z } from 'zod';
import { DomainError } from '../errors';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';

/** A settings key and the schema of its value; the schema's defaults are the seeded values. */
export interface SettingsDefinition<S extends z.ZodType = z.ZodType> {
  key: string;
  schema: S;
  /** One line for the admin API and README. */
  description: string;
}

interface SettingsDocument {
  id: string;
  value: unknown;
  updatedAt: string;
  updatedBy: string;
}

export interface SettingsStore {
  get<S extends z.ZodType>(definition: SettingsDefinition<S>): Promise<z.infer<S>>;
  put<S extends z.ZodType>(definition: SettingsDefinition<S>, value: unknown, actor: string): Promise<z.infer<S>>;
}

export function createSettingsStore(container: Container, options: { cacheMs?: number; clock?: Clock } = {}): SettingsStore {
  const cacheMs = options.cacheMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, { value: unknown; at: number }>();

  async function load<S extends z.ZodType>(def: SettingsDefinition<S>): Promise<z.infer<S>> {
    const { resource } = await container.item(def.key, def.key).read<SettingsDocument>();
    if (resource) {
      // Parse on read too: a document edited by hand may be invalid; fall back loudly, never silently.
      const parsed = def.schema.safeParse(resource.value);
      if (parsed.success) return parsed.data;
      throw new DomainError('invalid-setting', `Stored setting ${def.key} is invalid`, 500, {}, false);
    }
    const value = def.schema.parse({});
    await container.items
      .create<SettingsDocument>({ id: def.key, value, updatedAt: clock.now().toISOString(), updatedBy: 'seed' })
      .catch((error: { code?: number }) => {
        if (error.code !== 409) throw error; // another instance seeded it first
      });
    return value;
  }

  return {
    async get(def) {
      const hit = cache.get(def.key);
      const now = clock.now().getTime();
      if (hit && now - hit.at < cacheMs) return hit.value as z.infer<typeof def.schema>;
      const value = await load(def);
      cache.set(def.key, { value, at: now });
      return value;
    },
    async put(def, input, actor) {
      const parsed = def.schema.safeParse(input);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new DomainError('validation-failed', `Invalid value for setting ${def.key}`, 400, { errors });
      }
      const doc: SettingsDocument = { id: def.key, value: parsed.data, updatedAt: clock.now().toISOString(), updatedBy: actor };
      await container.items.upsert(doc);
      cache.delete(def.key);
      return parsed.data;
    },
  };
}
