/** Outcome of one POST; never includes the response body. */
export interface PostResult {
  ok: boolean;
  statusCode?: number;
  /** Why it failed without a usable status. */
  error?: 'timeout' | 'network';
  durationMs: number;
}

/**
 * One POST with a deadline. Redirects are not followed (a 3xx is a failure: the
 * signed body must reach the configured URL only). The response body is discarded.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Vouch-Webhooks/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Free the connection without reading what the receiver sent.
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, durationMs: durationMs() };
  } catch (e) {
    const timedOut = e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return { ok: false, error: timedOut ? 'timeout' : 'network', durationMs: durationMs() };
  }
}
