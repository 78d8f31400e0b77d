/**
 * Azurite for the Service Bus tests: the runtime tests' shared helper (the suite's AzureWebJobsStorage
 * when set, else a private Azurite on free ports), plus unique queue names.
 */
import { randomBytes } from 'node:crypto';
import { useAzurite, type TestStorage } from '../local-storage';

export type StorageFixture = TestStorage;

export const startStorage = useAzurite;

/** A queue name no other test (or test process) uses. */
export function uniqueQueue(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
