import { isIP } from 'node:net';

export type VouchMode = 'local' | 'azure';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// Literal private, loopback and link-local (169.254.169.254 is the instance metadata service).
const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./];

/**
 * Where a webhook may go: https only on Azure, and not to literal private or
 * loopback addresses (no probing of our own network); locally, http is also
 * allowed to loopback so a receiver on the laptop works. Returns why not, or undefined.
 */
export function rejectTargetUrl(raw: string, mode: VouchMode): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in URL';
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (mode === 'local') {
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback) ? undefined : 'http only to loopback in local mode';
  }
  if (url.protocol !== 'https:') return 'https required';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (loopback || (isIP(host) === 4 && PRIVATE_V4.some((r) => r.test(host))) || (isIP(host) === 6 && /^(::1|f[cd]|fe80)/i.test(host))) {
    return 'private address';
  }
  return undefined;
}
