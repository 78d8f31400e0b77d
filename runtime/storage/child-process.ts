/** Starting a storage emulator as a child process and waiting until it accepts connections. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RunningChild {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false));
    socket.setTimeout(timeoutMs, () => done(false));
  });
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawns `node args…` and waits until every port accepts connections; fails with the child's output if it exits. */
export async function spawnAndWait(
  name: string,
  args: string[],
  ports: number[],
  timeoutMs = 30_000,
  options: { cwd?: string } = {},
): Promise<RunningChild> {
  // stdin stays an open pipe: children that watch it can exit when this process dies.
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready:\n${output}`))),
  );
  const ready = waitForPorts(ports, timeoutMs).then((ok) => {
    if (!ok) throw new Error(`${name} did not accept connections on ${ports.join(', ')} within ${timeoutMs} ms:\n${output}`);
  });
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill();
    throw error;
  }
  exited.catch(() => undefined);
  return { child, stop: () => stopChild(child) };
}

async function waitForPorts(ports: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    while (!(await canConnect(port))) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return true;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
