import { createHash, randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import { DomainError, unauthorized } from '../errors';
import type { Clock } from '../platform/clock';
import { isNotFound, isPreconditionFailed } from '../platform/cosmos-status';

/** Request header of the capture page's token (never a query parameter beyond the page URL). */
export const SESSION_TOKEN_HEADER = 'x-session-token';

/** Default and longest life of a session, in minutes. */
export const SESSION_TTL_MIN = { default: 30, max: 120 } as const;

/**
 * Whether a tenant's verifications need an active liveness challenge (its KYC policy's
 * `requireVideoChallenge`). The page then asks `POST /api/v1/verifications/challenges` with its
 * token just before recording: a challenge lives two minutes, a session up to two hours, so the
 * session never holds one itself.
 */
export type ChallengeRequirement = (tenantId: string) => Promise<boolean>;
export const noChallengeRequired: ChallengeRequirement = async () => false;

/** `POST /v1/verifications/sessions` body (optional). */
export const createSessionBodySchema = z
  .strictObject({
    expiresInMinutes: z.number().int().min(1).max(SESSION_TTL_MIN.max).default(SESSION_TTL_MIN.default).describe('Life of the token; default 30'),
  })
  .meta({ id: 'CreateVerificationSession' });

export const createdSessionSchema = z
  .object({
    /** Give it to the capture page as `/app/?session=<token>`; good for one verification. */
    token: z.string(),
    expiresAt: z.string(),
    challengeRequired: z.boolean().describe("The tenant's KYC policy requires a video challenge (the page fetches one before recording)"),
  })
  .meta({
    id: 'VerificationSession',
    example: { token: 'vst.demo-a.Qm9sZCBhbmQgcmFuZG9tIDMyIGJ5dGVzIG9mIHRva2Vu', expiresAt: '2026-03-01T12:30:00.000Z', challengeRequired: false },
  });

/** What the page learns from its own token. */
export const currentSessionSchema = z
  .object({ expiresAt: z.string(), challengeRequired: z.boolean(), verificationId: z.string().nullable() })
  .meta({ id: 'CurrentVerificationSession', example: { expiresAt: '2026-03-01T12:30:00.000Z', challengeRequired: true, verificationId: null } });

/** Document in `verification-sessions` (partition `/tenantId`, id = SHA-256 of the token: the token itself is never stored). */
interface SessionDocument {
  id: string;
  tenantId: string;
  createdAt: string;
  expiresAt: string;
  verificationId: string | null;
  ttl: number;
}

export type VerificationSession = Omit<SessionDocument, 'ttl'>;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
// `vst.<tenantId>.<43 base64url chars>`: the tenant picks the partition; the random part is the secret.
const TOKEN = /^vst\.([a-z0-9][a-z0-9-]{0,62})\.[A-Za-z0-9_-]{43}$/;

export class VerificationSessionStore {
  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
    /** Read when asked, not stored: a policy change applies to sessions already handed out. */
    readonly challengeRequired: ChallengeRequirement = noChallengeRequired,
  ) {}

  async create(tenantId: string, expiresInMinutes: number): Promise<z.infer<typeof createdSessionSchema>> {
    const token = `vst.${tenantId}.${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + expiresInMinutes * 60_000).toISOString();
    const doc: SessionDocument = { id: hashToken(token), tenantId, createdAt: now.toISOString(), expiresAt, verificationId: null, ttl: expiresInMinutes * 60 + 3600 };
    const [challengeRequired] = await Promise.all([this.challengeRequired(tenantId), this.container.items.create(doc)]);
    return { token, expiresAt, challengeRequired };
  }

  /** The live session of `token`; 401 for an unknown, malformed or expired one (the same answer for each). */
  async find(token: string): Promise<VerificationSession> {
    const tenantId = TOKEN.exec(token.trim())?.[1];
    if (!tenantId) throw unauthorized('Invalid or expired session');
    return this.byId(tenantId, hashToken(token.trim()));
  }

  /** The session a session principal names (`sessionIdOf`); 401 once expired. */
  async byId(tenantId: string, sessionId: string): Promise<VerificationSession> {
    let doc: SessionDocument | undefined;
    try {
      doc = (await this.container.item(sessionId, tenantId).read<SessionDocument>()).resource;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!doc || Date.parse(doc.expiresAt) <= this.clock.now().getTime()) throw unauthorized('Invalid or expired session');
    const { ttl: _ttl, ...session } = doc;
    return session;
  }

  /** Records the one verification the session created (ETag: a session never names two). */
  async bindVerification(session: VerificationSession, verificationId: string): Promise<void> {
    const item = this.container.item(session.id, session.tenantId);
    const { resource, etag } = await item.read<SessionDocument>();
    if (!resource) throw unauthorized('Invalid or expired session');
    if (resource.verificationId === verificationId) return;
    if (resource.verificationId !== null) throw sessionUsed();
    try {
      await item.replace({ ...resource, verificationId }, { accessCondition: { type: 'IfMatch', condition: etag! } });
    } catch (e) {
      if (isPreconditionFailed(e)) throw sessionUsed();
      throw e;
    }
  }
}

const sessionUsed = () => new DomainError('session-used', 'This session already created its verification', 409);

/** The principal a session acts as: the tenant's, marked so handlers can hold it to its one verification. */
export const SESSION_KEY_PREFIX = 'session:';
export const isSessionPrincipal = (p: Principal) => p.kind === 'apiKey' && p.keyId.startsWith(SESSION_KEY_PREFIX);
export const sessionIdOf = (p: Principal) => (p.kind === 'apiKey' ? p.keyId.slice(SESSION_KEY_PREFIX.length) : '');

/**
 * `X-Session-Token` when sent, else the usual authentication. Only the routes that use this
 * authenticator accept a session: creating its verification, polling it, reading its challenge.
 */
export function sessionOrApiKey(authenticate: Authenticator, sessions: () => Promise<VerificationSessionStore>): Authenticator {
  return async (request) => {
    const token = request.headers.get(SESSION_TOKEN_HEADER);
    if (token === null) return authenticate(request);
    const session = await (await sessions()).find(token);
    return { kind: 'apiKey', tenantId: session.tenantId, keyId: `${SESSION_KEY_PREFIX}${session.id}` };
  };
}
