import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DomainError } from '../errors';

/** Where the ffmpeg binary came from, in the order they are tried. */
export type FfmpegSource = 'FFMPEG_PATH' | '@ffmpeg-installer/ffmpeg' | 'PATH';

export interface ResolvedFfmpeg {
  /** Absolute path (or, for PATH, the path found on PATH) of an executable ffmpeg. */
  path: string;
  source: FfmpegSource;
}

let cached: ResolvedFfmpeg | undefined;

/**
 * Finds ffmpeg once per process: `FFMPEG_PATH`, then `@ffmpeg-installer/ffmpeg` (the
 * binary ships inside its per-platform npm package, so the deployment package carries the
 * very ffmpeg the tests ran; nothing is downloaded at install), then `ffmpeg` on PATH. A deployment
 * without any of them is an operator error, not the client's: it throws an
 * internal (non-exposed) `ffmpeg-unavailable` error.
 */
export function resolveFfmpeg(): ResolvedFfmpeg {
  cached ??= findFfmpeg();
  return cached;
}

/** Forgets the cached resolution (tests that change `FFMPEG_PATH`). */
export function resetFfmpegResolution(): void {
  cached = undefined;
}

function findFfmpeg(): ResolvedFfmpeg {
  const tried: string[] = [];
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) {
    // An explicit setting that points nowhere is a misconfiguration: say so instead of silently falling back.
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'FFMPEG_PATH' };
    throw unavailable(`FFMPEG_PATH is set to "${fromEnv}", which is not an executable file`);
  }
  tried.push('FFMPEG_PATH (unset)');

  const fromInstaller = packageBinary('@ffmpeg-installer/ffmpeg', (m) => pathMember(m));
  if (fromInstaller && isExecutable(fromInstaller)) return { path: fromInstaller, source: '@ffmpeg-installer/ffmpeg' };
  tried.push(`@ffmpeg-installer/ffmpeg (${fromInstaller ? `binary missing at ${fromInstaller}` : 'not installed'})`);

  const onPath = findOnPath(process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  if (onPath) return { path: onPath, source: 'PATH' };
  tried.push('ffmpeg on PATH (not found)');

  throw unavailable(`ffmpeg not found; tried ${tried.join(', ')}`);
}

/** Requires a package; a missing one (e.g. no binary package for this platform) yields undefined. */
function packageBinary(name: string, pick: (moduleValue: unknown) => string | undefined): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a missing platform package must not fail at import
    return pick(require(name) as unknown);
  } catch {
    return undefined;
  }
}

function pathMember(m: unknown): string | undefined {
  return typeof m === 'object' && m !== null && 'path' in m && typeof m.path === 'string' ? m.path : undefined;
}

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const unavailable = (message: string) => new DomainError('ffmpeg-unavailable', message, 500, {}, false);
