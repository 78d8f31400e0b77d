/**
 * `npm run seed`: loads the order engine's demo data (merchants demo-a/demo-b,
 * traders, requisites, rates, deposits) into the configured Cosmos database.
 * Reads `local.settings.json` (else the sample) `Values`; environment variables
 * win. Idempotent. Refuses unless VOUCH_MODE is `local`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { config } from '../shared/config';
import { keyRingFromSettings } from '../shared/crypto/key-ring';
import { openDatabase } from '../shared/platform/cosmos';
import { seedOrders } from './seed-data';

export async function seed(root: string, env: NodeJS.ProcessEnv): Promise<{ created: number; database: string }> {
  const file = ['local.settings.json', 'local.settings.sample.json'].map((f) => path.join(root, f)).find((f) => existsSync(f));
  const values = file ? z.object({ Values: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(file, 'utf8'))).Values : {};
  for (const [name, value] of Object.entries(values)) env[name] ??= value;
  if (env.VOUCH_MODE !== 'local') throw new Error(`Refusing: VOUCH_MODE is '${env.VOUCH_MODE ?? ''}', not 'local'.`);
  const cfg = config();
  const { created } = await seedOrders(openDatabase(cfg), undefined, keyRingFromSettings(cfg.PAYMENT_DATA_KEY, cfg.PAYMENT_DATA_KEY_PREVIOUS));
  return { created, database: cfg.COSMOS_DATABASE };
}

if (require.main === module) {
  // dist/scripts/seed.js -> the package root holds local.settings*.json
  seed(path.resolve(__dirname, '..', '..'), process.env).then(
    ({ created, database }) => console.log(`Seeded order demo data into ${database}: ${created} new documents`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
