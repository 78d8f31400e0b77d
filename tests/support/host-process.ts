/** A local host in a process of its own, for tests that kill it mid-work (SIGKILL: no cleanup runs). */
import { spawn, type ChildProcess } from 'node:child_process';

export interface HostProcess {
  child: ChildProcess;
  origin: string;
  /** Everything it wrote, stdout and stderr. */
  output: string[];
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Runs a compiled host fixture `script`; resolves once it prints `ready <origin>`. */
export function startHostProcess(script: string, env: Record<string, string>): Promise<HostProcess> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      output.push(chunk.toString());
      const match = /ready (\S+)/.exec(pending);
      if (match?.[1]) {
        pending = '';
        resolve({ child, origin: match[1], output, exited });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((how) => reject(new Error(`host process exited (${String(how)}) before ready: ${output.join('').slice(-2000)}`)));
  });
}

/** Kills the host as a crash would, and waits until it is gone. */
export async function killHost(host: HostProcess | undefined): Promise<void> {
  if (!host || host.child.exitCode !== null || host.child.signalCode !== null) return;
  host.child.kill('SIGKILL');
  await host.exited;
}
