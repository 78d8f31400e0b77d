/**
 * Storage for runtime tests: the suite's Azurite when `AzureWebJobsStorage` is
 * set (scripts/test.ts), else a private Azurite on free ports in a temp folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startAzurite } from '../../runtime/storage/azurite';
import { freePort } from '../../runtime/storage/child-process';

export interface TestStorage {
  connectionString: string;
  stop(): Promise<void>;
}

export async function useAzurite(): Promise<TestStorage> {
  const shared = process.env.AzureWebJobsStorage;
  if (shared) return { connectionString: shared, stop: async () => undefined };
  let blobPort = await freePort();
  // Azurite needs three consecutive ports; retry until the two after the free one are free too.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const location = mkdtempSync(path.join(os.tmpdir(), 'vouch-azurite-'));
      return await startAzurite({ blobPort, location });
    } catch (error) {
      if (attempt === 4) throw error;
      blobPort = await freePort();
    }
  }
  throw new Error('unreachable');
}

/** Lower-case alphanumeric suffix valid in container, queue and table names. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export function tempAppDir(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vouch-app-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), JSON.stringify(content));
  }
  return dir;
}

export const fixture = (name: string): string => path.join(__dirname, 'fixtures', `${name}.js`);

/** Polls until `check` returns true; no timing assertions, just a generous ceiling. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
