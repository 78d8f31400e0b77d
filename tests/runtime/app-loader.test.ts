import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applySettings, expandBraces, readLocalSettings, resolveMainFiles } from '../../runtime/app-loader';
import { resolveSetting } from '../../runtime/host';
import { tempAppDir } from './local-storage';

describe('app loader', () => {
  it('should expand package.json main globs', () => {
    const dir = tempAppDir();
    mkdirSync(path.join(dir, 'dist', 'functions', 'nested'), { recursive: true });
    for (const file of ['a.js', 'b.js', 'a.js.map', 'nested/c.js']) writeFileSync(path.join(dir, 'dist', 'functions', file), '');
    const names = (pattern: string): string[] => resolveMainFiles(dir, pattern).map((file) => path.relative(dir, file));
    assert.deepEqual(names('dist/functions/*.js'), ['dist/functions/a.js', 'dist/functions/b.js']);
    assert.equal(names('dist/**/*.js').length, 3);
    assert.throws(() => resolveMainFiles(dir, 'nothing/*.js'), /No files match/);
  });

  it('should expand brace alternatives in main, as the TypeScript quickstart writes it', () => {
    const dir = tempAppDir();
    mkdirSync(path.join(dir, 'dist', 'src', 'functions'), { recursive: true });
    for (const file of ['index.js', 'other.js', 'functions/a.js', 'functions/b.js']) writeFileSync(path.join(dir, 'dist', 'src', file), '');
    const names = resolveMainFiles(dir, 'dist/src/{index.js,functions/*.js}').map((file) => path.relative(dir, file));
    assert.deepEqual(names, ['dist/src/index.js', 'dist/src/functions/a.js', 'dist/src/functions/b.js']);
    assert.deepEqual(expandBraces('a/{b,c/{d,e}}.js'), ['a/b.js', 'a/c/d.js', 'a/c/e.js']);
  });

  it('should fall back to local.settings.sample.json and let the environment win', () => {
    const dir = tempAppDir({ 'local.settings.sample.json': { Values: { FROM_SAMPLE: 'sample', LOADER_ENV_WINS: 'sample' } } });
    process.env.LOADER_ENV_WINS = 'env';
    const settings = applySettings(readLocalSettings(dir), { OVERRIDDEN: 'yes' });
    assert.equal(settings.FROM_SAMPLE, 'sample');
    assert.equal(settings.LOADER_ENV_WINS, 'env');
    assert.equal(settings.OVERRIDDEN, 'yes');
    writeFileSync(path.join(dir, 'local.settings.json'), JSON.stringify({ Values: { ONLY_REAL: '1' } }));
    assert.deepEqual(readLocalSettings(dir), { ONLY_REAL: '1' });
  });

  it('should resolve %SETTING% placeholders and name a missing one', () => {
    assert.equal(resolveSetting({ Q: 'jobs' }, '%Q%-poison'), 'jobs-poison');
    assert.throws(() => resolveSetting({}, '%MISSING%'), /MISSING/);
  });
});
