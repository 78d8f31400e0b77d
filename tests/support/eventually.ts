/**
 * Polls `read` until it returns a value. The timeout is a ceiling against a hang, not a timing
 * assertion. With `retryErrors` a failed read (a 5xx or a reset on a busy machine) is one more poll.
 */
export async function eventually<T>(
  read: () => Promise<T | undefined>,
  what: string,
  options: { timeoutMs?: number; pollMs?: number; retryErrors?: boolean } = {},
): Promise<T> {
  const { timeoutMs = 30_000, pollMs = 100, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await (retryErrors ? read().catch(() => undefined) : read());
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
