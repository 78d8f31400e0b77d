import { z } from 'zod';

/**
 * Runtime settings of the privacy lifecycle (the `privacy` settings document). The media and
 * record deadlines of a verification are `mediaRetentionDays`/`recordRetentionDays` of `kyc`;
 * these are the rest. Unknown keys are rejected so a typo fails loudly.
 */
export const privacySettingsSchema = z.strictObject({
  /** Days an audit entry is kept. */
  auditRetentionDays: z.number().int().min(1).default(365),
  /** Minutes a media link in a subject export stays valid. */
  exportLinkMinutes: z.number().int().min(1).max(60).default(15),
  /** Items the daily retention sweep erases per run at most (the next run takes the rest). */
  sweepBatchSize: z.number().int().min(1).default(500),
  /** Days an erased verification's tombstone keeps answering GET with 410 (then 404). */
  tombstoneDays: z.number().int().min(1).default(30),
});
export type PrivacySettings = z.output<typeof privacySettingsSchema>;
