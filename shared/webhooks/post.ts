import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { CheckedTarget } from './target-url';

/** Outcome of one POST; never includes the response body. */
export interface PostResult {
  ok: boolean;
  statusCode?: number;
  /** Why it failed without a usable status. */
  error?: 'timeout' | 'network';
  durationMs: number;
}

/** A lookup that answers only the address the SSRF check approved: no second DNS query can change it. */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/**
 * One POST to the checked target with a deadline. The connection goes to
 * `target.address` while TLS (SNI, certificate check) and the Host header use the
 * URL's name. Redirects are not followed (a 3xx is a failure: the signed body must
 * reach the configured URL only). The response body is discarded.
 */
export function postWebhook(target: CheckedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  const { url } = target;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: pinnedLookup(target),
      // SNI takes names only; an IP-literal URL is checked against the certificate's IP entries.
      ...(url.protocol === 'https:' && !isIP(hostname) ? { servername: hostname } : {}),
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Vouch-Webhooks/1',
        ...headers,
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.on('response', (response) => {
      // Free the connection without reading what the receiver sent.
      response.resume();
      response.destroy();
      const statusCode = response.statusCode ?? 0;
      resolve({ ok: statusCode >= 200 && statusCode < 300, statusCode, durationMs: durationMs() });
    });
    request.on('error', (e) => {
      const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError';
      resolve({ ok: false, error: timedOut ? 'timeout' : 'network', durationMs: durationMs() });
    });
    request.end(body);
  });
}
