/** Runtime settings of every domain, each under one key of the Cosmos `settings` container. */
import { kycSettingsSchema } from '../kyc/kyc-settings';
import { orderSettingsSchema } from '../orders/settings';
import { privacySettingsSchema } from '../privacy/privacy-settings';
import { COSMOS_CONTAINERS } from '../names';
import { cosmosContainer } from '../platform/cosmos';
import { createSettingsStore, type SettingsDefinition, type SettingsStore } from '../settings/settings-store';
import { rateLimitSettingsSchema } from './rate-limit-settings';
import { lazy } from './lazy';

export const SETTINGS = {
  kyc: { key: 'kyc', schema: kycSettingsSchema, description: 'Face thresholds, frame count, upload limits, back-pressure, retention' },
  orders: { key: 'orders', schema: orderSettingsSchema, description: 'Retries, backoff, timeouts, fraud rules, payment methods' },
  privacy: { key: 'privacy', schema: privacySettingsSchema, description: 'Audit retention, export link lifetime, retention sweep batch' },
  rateLimits: { key: 'rate-limits', schema: rateLimitSettingsSchema, description: 'Requests per tenant per window' },
} as const satisfies Record<string, SettingsDefinition>;

export type SettingsKey = (typeof SETTINGS)[keyof typeof SETTINGS]['key'];

export const settingsDefinition = (key: string): SettingsDefinition | undefined =>
  Object.values(SETTINGS).find((d) => d.key === key);

export const settingsStore: () => Promise<SettingsStore> = lazy(async () =>
  createSettingsStore(await cosmosContainer(COSMOS_CONTAINERS.settings)),
);
