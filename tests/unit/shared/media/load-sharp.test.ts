import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('lazy sharp loading', () => {
  it('should not load sharp when the media modules are imported', () => {
    const mediaDir = join(__dirname, '../../../../shared/media');
    const script = `
      for (const m of ['normalise-image', 'pad-for-face-detection', 'extract-frames', 'probe-video', 'sniff', 'identify-media', 'load-sharp'])
        require(${JSON.stringify(mediaDir)} + '/' + m + '.js');
      const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](sharp|@img)[\\\\/]/.test(k));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), []);
  });
});
