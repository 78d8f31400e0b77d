/**
 * The deployment package (`npm run package`): built once into a temp dir (zip level 1 to keep the
 * test short; the content is the same), then checked from the zip's own central directory and, where
 * installed, with `unzip -Z`: no tests, local runtime or dev tools; ffmpeg executable; sharp's
 * linux-x64 binary; only the face models the engine loads; and the packaged app imports alone.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { USED_FACE_MODELS } from '../../../shared/face/local/model-list';
import { SCALAR_BUNDLE } from '../../../shared/openapi/scalar-bundle';
import { buildPackage, type PackageReport } from '../../../scripts/package';
import { listZip, type ZipListing } from '../../../scripts/package/zip-listing';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('npm run package', () => {
  let out: string;
  let report: PackageReport;
  let entries: ZipListing[];
  const names = () => entries.map((e) => e.name);
  const entry = (name: string) => entries.find((e) => e.name === name);

  before(() => {
    out = mkdtempSync(path.join(tmpdir(), 'vouch-package-'));
    report = buildPackage(root, out, 1);
    entries = listZip(path.join(out, 'vouch.zip'));
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it('should hold compiled functions and shared, host.json and package.json, and no tests, runtime, bench or scripts', () => {
    assert.equal(entries.length, report.files);
    for (const required of ['host.json', 'package.json', 'dist/functions/index.js', 'dist/shared/config.js', 'dist/infra/queues.json']) {
      assert.ok(entry(required), required);
    }
    const compiled = names().filter((n) => n.startsWith('dist/'));
    assert.deepEqual(compiled.filter((n) => !/^dist\/(functions|shared|infra)\//.test(n)), []);
    assert.deepEqual(compiled.filter((n) => /\.test\.js$/.test(n)), []);
    assert.deepEqual(names().filter((n) => /\.js\.map$|\.d\.ts$/.test(n)), []);
  });

  it('should ship production dependencies only, without ffmpeg-static', () => {
    const pkg = JSON.parse(execFileSync('unzip', ['-p', path.join(out, 'vouch.zip'), 'package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(pkg.devDependencies, undefined);
    assert.equal(pkg.scripts, undefined);
    for (const dev of ['typescript', 'azurite', '@vercel/cosmosdb-server', 'esbuild', '@types/node', 'ffmpeg-static']) {
      assert.ok(!names().some((n) => n.startsWith(`node_modules/${dev}/`)), dev);
    }
  });

  it('should keep ffmpeg executable and ship sharp for linux-x64', () => {
    const ffmpeg = entry('node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
    assert.ok(ffmpeg?.mode !== undefined && (ffmpeg.mode & 0o111) === 0o111, `ffmpeg mode ${ffmpeg?.mode?.toString(8)}`);
    assert.ok(entry('node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node'));
    assert.ok(names().some((n) => n.startsWith('node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so')));
    assert.ok(!names().some((n) => /node_modules\/@img\/sharp-(?!linux-x64|libvips-linux-x64)/.test(n)), 'no other platform');
    const zipinfo = spawnSync('unzip', ['-Z', path.join(out, 'vouch.zip'), 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg'], { encoding: 'utf8' });
    if (zipinfo.status === 0) assert.match(zipinfo.stdout, /^-rwxr-xr-x .* unx /m);
    const version = execFileSync(path.join(out, 'app', 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg'), ['-version'], { encoding: 'utf8' });
    assert.match(version, /^ffmpeg version/);
  });

  it('should ship the pages under web/ and only the one Scalar file the reference page loads', () => {
    for (const page of ['web/app/index.html', 'web/app/app.js', 'web/app/app.css', 'web/docs/index.html', 'web/docs/init.js', SCALAR_BUNDLE.packaged]) {
      assert.ok(entry(page), page);
    }
    assert.ok((entry(SCALAR_BUNDLE.packaged)?.bytes ?? 0) > 1_000_000, 'the standalone bundle, not a stub');
    assert.deepEqual(names().filter((n) => n.startsWith('node_modules/@scalar/')), [], 'no Scalar dependency tree');
  });

  it('should ship only the face model files the engine loads', () => {
    const modelFiles = names().filter((n) => /^node_modules\/@vladmandic\/[^/]+\/models?\//.test(n));
    for (const model of USED_FACE_MODELS) {
      assert.ok(modelFiles.some((n) => n.startsWith(`node_modules/${model.pkg}/${model.dir}/${model.name}`)), model.name);
    }
    const used = (n: string) => USED_FACE_MODELS.some((m) => n.startsWith(`node_modules/${m.pkg}/${m.dir}/${m.name}`));
    assert.deepEqual(modelFiles.filter((n) => !used(n)), []);
  });

  it('should import every function registration from the package alone', () => {
    const app = path.join(out, 'app');
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(app, 'dist/functions/index.js'))})`], { cwd: app, stdio: 'pipe' });
  });
});
