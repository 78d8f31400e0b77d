/**
 * Which files make the deployment package, from a built checkout (`npm run build` done, production
 * dependencies installed): compiled `functions/` and `shared/` (no tests, runtime, bench or
 * scripts), the JSON they import, host.json, a trimmed package.json and the production
 * dependency tree for linux-x64, minus what never runs there (source maps, type declarations,
 * docs, `.bin` links, `@types/*`, packages for other platforms, and face model files the engine
 * does not load); the pages under `web/`, and the one browser file of the API reference (Scalar's
 * standalone bundle: its package and dependency tree are dev dependencies, ~170 MB never run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { modelFileNames } from '../../shared/face/local/model-files';
import { USED_FACE_MODELS } from '../../shared/face/local/model-list';
import { SCALAR_BUNDLE } from '../../shared/openapi/scalar-bundle';

export interface AppFile {
  /** Absolute path on disk; absent for generated content. */
  source?: string;
  /** Generated content (package.json). */
  content?: Buffer;
  /** Path inside the package, `/`-separated. */
  target: string;
  mode: number;
}

/** Compiled folders that run on Azure; `dist/infra` holds the JSON that shared/ imports (queues.json). */
const COMPILED_DIRS = ['functions', 'shared', 'infra'];
const DROPPED_FILE = /(\.map|\.d\.[cm]?ts|\.tsbuildinfo|\.md|\.markdown)$/i;
/** Static pages the app serves (`/app/`, `/api/docs`). */
const WEB_DIR = 'web';

/** Packages whose `model`/`models` folders hold weights: only the files of USED_FACE_MODELS ship. */
const MODEL_PACKAGE = /^@vladmandic\//;
const MODEL_DIRS = ['model', 'models'];

/** Every file of the package, in a stable order. */
export function appFiles(root: string): AppFile[] {
  const files: AppFile[] = [];
  for (const dir of COMPILED_DIRS) {
    walk(path.join(root, 'dist', dir), `dist/${dir}`, files, (name) => !DROPPED_FILE.test(name));
  }
  walk(path.join(root, WEB_DIR), WEB_DIR, files, (name) => !DROPPED_FILE.test(name));
  files.push({ source: path.join(root, SCALAR_BUNDLE.installed), target: SCALAR_BUNDLE.packaged, mode: 0o644 });
  files.push({ source: path.join(root, 'host.json'), target: 'host.json', mode: 0o644 });
  files.push({ content: Buffer.from(JSON.stringify(deployedPackageJson(root), null, 2) + '\n'), target: 'package.json', mode: 0o644 });
  const keptModelFiles = usedModelFiles(root);
  for (const pkgDir of productionPackageDirs(root)) {
    const relative = path.relative(root, pkgDir).split(path.sep).join('/');
    const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as PlatformFields & { name: string };
    // Type packages (`@types/*`, pulled in by some dependencies) never run.
    if (!runsOnLinuxX64(manifest) || manifest.name.startsWith('@types/')) continue;
    const modelDirs = MODEL_PACKAGE.test(manifest.name) ? MODEL_DIRS.map((d) => path.join(pkgDir, d)) : [];
    walk(pkgDir, relative, files, (name, full) => {
      if (DROPPED_FILE.test(name) && !/^license/i.test(name)) return false;
      const inModelDir = modelDirs.find((d) => path.dirname(full) === d);
      return !inModelDir || keptModelFiles.has(full);
    });
  }
  return files.sort((a, b) => a.target.localeCompare(b.target));
}

/** package.json as the Functions host needs it: entry point and dependencies, no scripts or dev tools. */
function deployedPackageJson(root: string): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { name, version, private: isPrivate, description, main, engines, dependencies } = pkg;
  return { name, version, private: isPrivate, description, main, engines, dependencies };
}

/** Installed production packages (`npm ls --omit=dev`), the root excluded. */
function productionPackageDirs(root: string): string[] {
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const dirs = ls.stdout.split('\n').map((l) => l.trim()).filter((l) => l && l !== root && existsSync(path.join(l, 'package.json')));
  if (dirs.length === 0) throw new Error(`npm ls --omit=dev listed no packages: ${ls.stderr}`);
  return [...new Set(dirs)];
}

interface PlatformFields { os?: string[]; cpu?: string[]; libc?: string[] }

/**
 * A package restricted to other platforms (`os`/`cpu`/`libc`, e.g. `@img/sharp-darwin-arm64` or
 * the musl build) is not shipped: Flex Consumption is linux-x64 with glibc.
 */
function runsOnLinuxX64(manifest: PlatformFields): boolean {
  const allows = (list: string[] | undefined, value: string) =>
    !list || list.length === 0 || list.includes(value) || (list.every((v) => v.startsWith('!')) && !list.includes(`!${value}`));
  return allows(manifest.os, 'linux') && allows(manifest.cpu, 'x64') && allows(manifest.libc, 'glibc');
}

function usedModelFiles(root: string): Set<string> {
  const kept = new Set<string>();
  for (const model of USED_FACE_MODELS) {
    const dir = path.join(root, 'node_modules', model.pkg, model.dir);
    for (const file of modelFileNames(dir, model)) kept.add(path.join(dir, file));
  }
  return kept;
}

/** Adds the files under `dir` (not nested node_modules: each package is walked on its own). */
function walk(dir: string, target: string, files: AppFile[], keep: (name: string, full: string) => boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const inside = `${target}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '.bin') continue;
      walk(full, inside, files, keep);
    } else if (entry.isFile() && keep(entry.name, full)) {
      files.push({ source: full, target: inside, mode: lstatSync(full).mode & 0o777 });
    }
  }
}
