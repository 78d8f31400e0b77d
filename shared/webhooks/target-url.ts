import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isLoopbackAddress, isPublicAddress } from './public-address';

export type VouchMode = 'local' | 'azure';

/** Resolves a host name to every address it has (the platform resolver by default). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A target that passed the check: connect to `address`, and only to it. */
export interface CheckedTarget {
  url: URL;
  /** The checked IP address the connection must use (no second lookup). */
  address: string;
  family: 4 | 6;
}

export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

/**
 * The one SSRF check, used when a URL is registered and again right before each
 * delivery: https only (locally also http to loopback), no credentials, and every
 * address the name resolves to must be public (locally loopback too). A name with
 * one private address among public ones is refused: we could not say which one a
 * later lookup would pick, so delivery connects to the address checked here.
 */
export async function checkWebhookTarget(raw: string, mode: VouchMode, resolve: ResolveHost = systemResolver): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in URL' };
  if (url.protocol !== 'https:' && !(mode === 'local' && url.protocol === 'http:')) return { ok: false, reason: 'https required' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch {
    return { ok: false, reason: 'host does not resolve' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'host does not resolve' };
  const allowed = (a: string) => isPublicAddress(a) || (mode === 'local' && isLoopbackAddress(a));
  if (!addresses.every((a) => allowed(a.address))) return { ok: false, reason: 'non-public address' };
  // Locally http is for a receiver on this machine only.
  if (url.protocol === 'http:' && !addresses.every((a) => isLoopbackAddress(a.address))) {
    return { ok: false, reason: 'http only to loopback in local mode' };
  }
  const first = addresses[0]!;
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
