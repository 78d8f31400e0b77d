/**
 * A tenant's KYC policy: choices each tenant makes for its own verifications (unlike the
 * deployment-wide `kyc` settings). Stored in the Cosmos `settings` container as the document
 * `kyc-policy:{tenantId}`, edited by the tenant's admins (`/api/v1/tenant/settings/kyc-policy`),
 * read by the upload (challenge required?) and the decision (may a photo selfie be approved?).
 */
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { DomainError } from '../errors';
import { systemClock, type Clock } from '../platform/clock';

export const kycPolicySchema = z.strictObject({
  /** Video selfies must carry a `challengeId` (active liveness); a video without one is refused with 400 `challenge-required`. */
  requireVideoChallenge: z.boolean().default(false),
  /** A photo selfie may be auto-approved; when false, one that would be approved goes to review (`PHOTO_AUTO_APPROVE_DISABLED`). */
  allowPhotoAutoApprove: z.boolean().default(true),
});
export type KycPolicy = z.infer<typeof kycPolicySchema>;

export const DEFAULT_KYC_POLICY: KycPolicy = kycPolicySchema.parse({});

/** The port the pipeline and the capture pages read: a tenant's policy (defaults when never set). */
export type TenantKycPolicy = (tenantId: string) => Promise<KycPolicy>;

export interface KycPolicyStore {
  get: TenantKycPolicy;
  /** Validates and stores the whole policy; returns what was stored. */
  put(tenantId: string, value: unknown, actor: string): Promise<KycPolicy>;
}

interface PolicyDocument { id: string; tenantId: string; value: KycPolicy; updatedAt: string; updatedBy: string }

export const kycPolicyDocId = (tenantId: string) => `kyc-policy:${tenantId}`;

/** Reads are cached for `cacheMs` (10 s) per instance, like the runtime settings. */
export function createKycPolicyStore(settings: Container, options: { cacheMs?: number; clock?: Clock } = {}): KycPolicyStore {
  const cacheMs = options.cacheMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, { value: KycPolicy; at: number }>();
  return {
    async get(tenantId) {
      const now = clock.now().getTime();
      const hit = cache.get(tenantId);
      if (hit && now - hit.at < cacheMs) return hit.value;
      const id = kycPolicyDocId(tenantId);
      const { resource } = await settings.item(id, id).read<PolicyDocument>();
      let value = DEFAULT_KYC_POLICY;
      if (resource) {
        const parsed = kycPolicySchema.safeParse(resource.value);
        // A hand-edited invalid document fails loudly rather than silently relaxing the policy.
        if (!parsed.success || resource.tenantId !== tenantId) throw new DomainError('invalid-setting', 'Stored KYC policy is invalid', 500, {}, false);
        value = parsed.data;
      }
      cache.set(tenantId, { value, at: now });
      return value;
    },
    async put(tenantId, input, actor) {
      const parsed = kycPolicySchema.safeParse(input);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new DomainError('validation-failed', 'Invalid KYC policy', 400, { errors });
      }
      const doc: PolicyDocument = { id: kycPolicyDocId(tenantId), tenantId, value: parsed.data, updatedAt: clock.now().toISOString(), updatedBy: actor };
      await settings.items.upsert(doc);
      cache.delete(tenantId);
      return parsed.data;
    },
  };
}
