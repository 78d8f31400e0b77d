import { z } from 'zod';

/** Per-tenant request budget of the public API (seed 002: rate limits per client). */
export const rateLimitSettingsSchema = z.strictObject({
  /** Requests a tenant may make per window, per endpoint group. */
  limit: z.number().int().positive().default(600),
  /** Window length, seconds. */
  windowS: z.number().int().positive().default(60),
});
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;
