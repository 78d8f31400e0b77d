/**
 * Loads a function app the way Core Tools does: settings from
 * `local.settings.json` into the environment, then every file matched by
 * `package.json` `main`, with the `@azure/functions-core` Proxy installed first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppRegistry, loadInto } from './core-api';
import type { BindingInfo, RegisteredFunction } from './types';

export interface LoadedApp {
  registry: AppRegistry;
  functions: Map<string, RegisteredFunction>;
  files: string[];
}

/**
 * `Values` of `local.settings.json`, or of `local.settings.sample.json` when the
 * former is absent (so a fresh clone runs without copying files).
 */
export function readLocalSettings(appDir: string): Record<string, string> {
  for (const name of ['local.settings.json', 'local.settings.sample.json']) {
    const file = path.join(appDir, name);
    if (!existsSync(file)) continue;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

/**
 * Settings precedence, as in Core Tools: real environment variables win over
 * local settings (Core Tools skips a local value already defined in the
 * environment); explicit overrides win over both. The result is written to
 * `process.env`, because app code reads settings from there.
 */
export function applySettings(local: Record<string, string>, overrides: Record<string, string> = {}): Record<string, string | undefined> {
  for (const [key, value] of Object.entries(local)) if (process.env[key] === undefined) process.env[key] = value;
  Object.assign(process.env, overrides);
  return process.env;
}

/**
 * Files matched by `main` (a path or glob with `*`, `**` and `{a,b}` alternatives, the form of the
 * official TypeScript quickstart: `dist/src/{index.js,functions/*.js}`), relative to `appDir`.
 */
export function resolveMainFiles(appDir: string, main: string | string[]): string[] {
  const patterns = (Array.isArray(main) ? main : [main]).flatMap(expandBraces);
  const files = patterns.flatMap((pattern) => expandGlob(appDir, pattern));
  if (files.length === 0) throw new Error(`No files match "main" (${patterns.join(', ')}) in ${appDir}`);
  return [...new Set(files)];
}

export function readPackageMain(appDir: string): string {
  const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main) throw new Error(`package.json in ${appDir} has no "main"`);
  return pkg.main;
}

/** `a/{b,c/{d,e}}.js` → `a/b.js`, `a/c/d.js`, `a/c/e.js` (innermost group first). */
export function expandBraces(pattern: string): string[] {
  const match = /\{([^{}]*)\}/.exec(pattern);
  if (!match) return [pattern];
  const before = pattern.slice(0, match.index);
  const after = pattern.slice(match.index + match[0].length);
  return [...new Set((match[1] ?? '').split(',').flatMap((choice) => expandBraces(`${before}${choice}${after}`)))];
}

function expandGlob(appDir: string, pattern: string): string[] {
  const absolute = path.resolve(appDir, pattern);
  if (!/[*?]/.test(pattern)) return existsSync(absolute) ? [absolute] : [];
  const segments = absolute.split(path.sep);
  const firstGlob = segments.findIndex((segment) => /[*?]/.test(segment));
  const base = segments.slice(0, firstGlob).join(path.sep) || path.sep;
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')))
    .sort();
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('/')
    .map((part) => (part === '**' ? '(?:[^/]+/)*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '/'))
    .join('')
    .replace(/\/$/, '');
  return new RegExp(`^${source}$`);
}

/**
 * Requires the app files into a fresh registry. Their require-cache entries are
 * dropped first so a second host in the same process registers them again.
 */
export function loadApp(files: string[]): LoadedApp {
  const registry = new AppRegistry();
  loadInto(registry, () => {
    for (const file of files) {
      delete require.cache[require.resolve(file)];
      require(file);
    }
  });
  const functions = new Map<string, RegisteredFunction>();
  for (const { metadata } of registry.functions.values()) {
    functions.set(metadata.name, toRegisteredFunction(metadata.name, metadata.bindings, metadata.retryOptions));
  }
  return { registry, functions, files };
}

function toRegisteredFunction(
  name: string,
  bindings: Record<string, BindingInfo>,
  retryOptions: Record<string, unknown> | undefined,
): RegisteredFunction {
  const triggerEntry = Object.entries(bindings).find(([, binding]) => /trigger$/i.test(binding.type));
  if (!triggerEntry) throw new Error(`Function "${name}" has no trigger binding`);
  const [triggerBindingName, trigger] = triggerEntry;
  return { name, bindings, triggerBindingName, trigger, ...(retryOptions ? { retryOptions } : {}) };
}

/** Runs `appStart` (or `appTerminate`) hooks with the shared app hook data. */
export async function runAppHooks(
  registry: AppRegistry,
  name: 'appStart' | 'appTerminate',
  appDir: string,
  hookData: Record<string, unknown>,
): Promise<void> {
  for (const hook of registry.hooksFor(name)) {
    await hook({ hookData, functionAppDirectory: appDir, hostVersion: '4.1040.0' });
  }
}
