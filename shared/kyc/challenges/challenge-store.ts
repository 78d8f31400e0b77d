/** The `kyc-challenges` container: tenant-scoped reads, ETag-conditioned use. */
import type { Container } from '@azure/cosmos';
import { challengeRecordSchema, type ChallengeRecord } from './challenge';

export interface ChallengeStore {
  create(challenge: ChallengeRecord): Promise<void>;
  /** The tenant's challenge, or undefined (absent, expired and purged, or another tenant's). */
  get(tenantId: string, id: string): Promise<ChallengeRecord | undefined>;
  /** Replaces the challenge if it still has the ETag it was read with; false when it changed meanwhile. */
  replaceIfUnchanged(challenge: ChallengeRecord): Promise<boolean>;
}

const statusOf = (e: unknown): number | undefined => {
  const { code, statusCode } = (e ?? {}) as { code?: unknown; statusCode?: unknown };
  return typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
};

export function createChallengeStore(container: Container): ChallengeStore {
  return {
    async create(challenge) {
      await container.items.create(challenge);
    },
    async get(tenantId, id) {
      const { resource, statusCode } = await container.item(id, tenantId).read();
      if (statusCode === 404 || !resource) return undefined;
      const parsed = challengeRecordSchema.parse(resource);
      return parsed.tenantId === tenantId ? parsed : undefined;
    },
    async replaceIfUnchanged(challenge) {
      const { _etag, ...body } = challenge;
      try {
        await container.item(challenge.id, challenge.tenantId).replace(body, { accessCondition: { type: 'IfMatch', condition: _etag ?? '' } });
        return true;
      } catch (e) {
        if (statusOf(e) === 412) return false;
        throw e;
      }
    },
  };
}
