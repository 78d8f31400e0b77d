import { spawn } from 'node:child_process';
import { resolveFfmpeg } from './ffmpeg-path';
import { MediaError } from './media-error';

export interface RunFfmpegOptions {
  /** Absolute time (ms since epoch, `Date.now()` scale) by which ffmpeg must have exited. */
  deadline: number;
  /** Cap on bytes ffmpeg may write to stdout before it is killed. */
  maxStdoutBytes: number;
}

export interface FfmpegRun {
  exitCode: number | null;
  stdout: Buffer;
  /** The last 64 KiB of stderr (ffmpeg's log). */
  stderr: string;
}

const STDERR_TAIL_CHARS = 64 * 1024;

/** Arguments every run gets: no banner, no stdin (it would wait on a TTY), no interactive prompts. */
const BASE_ARGS = ['-hide_banner', '-nostdin', '-y'];

/**
 * Runs ffmpeg with a hard deadline. ffmpeg is started in its own process group
 * so a timeout kills it and anything it spawned; the promise settles only once
 * the process has exited, so a rejected run never leaves ffmpeg behind.
 * A non-zero exit is returned, not thrown: callers know what it means for them.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  const { path } = resolveFfmpeg();
  const budgetMs = options.deadline - Date.now();
  if (budgetMs <= 0) return Promise.reject(timeoutError(0));

  return new Promise((resolve, reject) => {
    const child = spawn(path, [...BASE_ARGS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: MediaError | Error | undefined;

    const kill = (why: MediaError) => {
      failure ??= why;
      killTree(child.pid, () => child.kill('SIGKILL'));
    };
    const timer = setTimeout(() => kill(timeoutError(budgetMs)), budgetMs);

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxStdoutBytes) {
        kill(new MediaError('MEDIA_OUTPUT_TOO_LARGE', 'Media processing produced more output than allowed'));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (error) => {
      failure ??= error;
      // A failed spawn (no pid) may never emit 'close'.
      if (child.pid === undefined) {
        clearTimeout(timer);
        reject(error);
      }
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else resolve({ exitCode, stdout: Buffer.concat(stdout), stderr });
    });
  });
}

/** Kills the whole process group (POSIX) so no decoder thread or child outlives a timeout. */
function killTree(pid: number | undefined, fallback: () => void): void {
  if (pid === undefined || process.platform === 'win32') {
    fallback();
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback(); // group already gone, or not a group leader
  }
}

const timeoutError = (budgetMs: number) =>
  new MediaError('MEDIA_TIMEOUT', 'Media processing took too long', { timeoutMs: Math.max(0, Math.round(budgetMs)) });
