import { z } from 'zod';

/** Per-tenant request budget of the public API (seed 002: rate limits per client). */
export const rateLimitSettingsSchema = z.strictObject({
  /** Requests a tenant may make per window, per endpoint group. */
  limit: z.number().int().positive().default(600),
  /** Window length, seconds. */
  windowS: z.number().int().positive().default(60),
  /** Failed credential attempts (bad API key or token) one source IP may make per window before 429. */
  failedCredentialsPerSource: z.number().int().positive().default(20),
});
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;
