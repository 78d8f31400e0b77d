/**
 * `npm run package [-- --out DIR]`: the deployment package for Flex Consumption (linux-x64).
 * Writes DIR/app (the unpacked app, which azd deploys: azure.yaml `dist`), DIR/vouch.zip (the same
 * files, with unix permissions, for `az functionapp deployment source config-zip` or any zip
 * deploy) and DIR/package-report.json (sizes, read by the bench). DIR defaults to dist-package/.
 * Run after `npm run build` with production dependencies installed (npm ci).
 */
import { chmodSync, copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appFiles, type AppFile } from './package/app-files';
import { ZipWriter } from './package/zip-writer';

export interface PackageReport {
  files: number;
  unpackedBytes: number;
  zipBytes: number;
  /** The heaviest top-level dependencies, unpacked bytes. */
  largestDependencies: Record<string, number>;
}

export function buildPackage(root: string, outDir: string, zipLevel = 6): PackageReport {
  const appDir = path.join(outDir, 'app');
  const zipFile = path.join(outDir, 'vouch.zip');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  const files = appFiles(root);
  const zip = new ZipWriter(zipFile, zipLevel);
  let unpackedBytes = 0;
  const byDependency = new Map<string, number>();
  try {
    for (const file of files) {
      const data = contentOf(file);
      const target = path.join(appDir, ...file.target.split('/'));
      mkdirSync(path.dirname(target), { recursive: true });
      if (file.source) stageFile(file.source, target);
      else writeFileSync(target, data, { mode: file.mode });
      zip.add({ name: file.target, data, mode: file.mode });
      unpackedBytes += data.length;
      const dependency = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file.target)?.[1];
      if (dependency) byDependency.set(dependency, (byDependency.get(dependency) ?? 0) + data.length);
    }
  } finally {
    zip.close();
  }
  const largest = [...byDependency].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const report: PackageReport = {
    files: files.length,
    unpackedBytes,
    zipBytes: statSync(zipFile).size,
    largestDependencies: Object.fromEntries(largest),
  };
  writeFileSync(path.join(outDir, 'package-report.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/**
 * A hard link where the file system allows (the staged app is hundreds of MB and read-only in
 * use; a link keeps the source's permissions), else a copy with the same permissions.
 */
function stageFile(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
    chmodSync(target, statSync(source).mode & 0o777);
  }
}

function contentOf(file: AppFile): Buffer {
  if (file.content) return file.content;
  if (!file.source) throw new Error(`package: ${file.target} has neither source nor content`);
  return readFileSync(file.source);
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const outArg = process.argv.indexOf('--out');
  const outDir = path.resolve(outArg >= 0 ? (process.argv[outArg + 1] ?? '') : path.join(root, 'dist-package'));
  const started = performance.now();
  const report = buildPackage(root, outDir);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `package: ${report.files} files, ${mb(report.unpackedBytes)} unpacked, ${mb(report.zipBytes)} zipped ` +
      `in ${Math.round((performance.now() - started) / 1000)} s -> ${path.relative(process.cwd(), outDir) || '.'}/{app,vouch.zip}`,
  );
}
