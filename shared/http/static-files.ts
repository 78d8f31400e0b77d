import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
import { notFound } from '../errors';

/** One file a route may serve: only names in the allow-list are ever read (no path from the request). */
export interface StaticFile {
  file: string;
  contentType: string;
}

/**
 * The file or folder `relative` under the first ancestor of this module that has it (the repo
 * root, or the package on Azure); with `fallback`, that path where the first is nowhere.
 */
export function findUp(relative: string, fallback?: string, from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      if (fallback !== undefined) return findUp(fallback, undefined, from);
      throw new Error(`${relative} not found above ${from}`);
    }
  }
}

/** Headers every page and asset gets: no sniffing, no framing, no referrer leaking the page URL (it may hold a session token). */
export const PAGE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves `name` from `files`; each file is read once and kept in memory (they are
 * small and change only with a deployment). 404 for any name not listed.
 */
export function staticFiles(files: Record<string, StaticFile>, headers: Record<string, string> = {}) {
  const cache = new Map<string, Buffer>();
  return async (name: string): Promise<HttpResponseInit> => {
    const entry = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!entry) throw notFound('File');
    let body = cache.get(name);
    if (!body) {
      body = await readFile(entry.file);
      cache.set(name, body);
    }
    return { status: 200, headers: { 'content-type': entry.contentType, 'cache-control': 'no-cache', ...PAGE_SECURITY_HEADERS, ...headers }, body };
  };
}
