import { z } from 'zod';

/** Per-tenant request budget of the public API (seed 002: rate limits per client). */
export const rateLimitSettingsSchema = z.strictObject({
  /** Requests a tenant may make per window, per endpoint group. */
  limit: z.number().int().positive().default(600),
  /** Window length, seconds. */
  windowS: z.number().int().positive().default(60),
  /** Failed credential attempts (bad API key or token) one source IP may make per window before 429. */
  failedCredentialsPerSource: z.number().int().positive().default(20),
  /** Payer gateway (`/pay/{token}`): requests one link may take per window. */
  payerPerToken: z.number().int().positive().default(60),
  /** Payer gateway: requests one source IP may make per window, whatever token it sends. */
  payerPerSource: z.number().int().positive().default(300),
});
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;
