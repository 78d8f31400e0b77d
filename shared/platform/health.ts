/**
 * Reachability of the services every request depends on. Each probe gets a
 * short deadline so a dead dependency makes the report `unhealthy`, not a hang.
 */
export type ProbeResult = { status: 'ok'; latencyMs: number } | { status: 'unreachable'; latencyMs: number; error: string };

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checks: Record<string, ProbeResult>;
}

export type Probe = () => Promise<unknown>;

export async function checkHealth(probes: Record<string, Probe>, timeoutMs = 3000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => [name, await runProbe(probe, timeoutMs)] as const),
  );
  const checks = Object.fromEntries(entries);
  const healthy = entries.every(([, r]) => r.status === 'ok');
  return { status: healthy ? 'healthy' : 'unhealthy', checks };
}

async function runProbe(probe: Probe, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), deadline]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the message: connection strings or stack traces must not reach a client.
    const message = error instanceof Error ? error.message.split('\n')[0] ?? 'error' : 'error';
    return { status: 'unreachable', latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}
