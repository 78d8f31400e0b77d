import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { DomainError } from '../../../../shared/errors';
import { resetFfmpegResolution, resolveFfmpeg } from '../../../../shared/media/ffmpeg-path';

const saved = process.env.FFMPEG_PATH;

describe('resolveFfmpeg', () => {
  afterEach(() => {
    if (saved === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved;
    resetFfmpegResolution();
  });

  it('should find an executable ffmpeg from a package or PATH when FFMPEG_PATH is unset', () => {
    delete process.env.FFMPEG_PATH;
    resetFfmpegResolution();
    const found = resolveFfmpeg();
    assert.ok(['@ffmpeg-installer/ffmpeg', 'PATH'].includes(found.source), found.source);
    accessSync(found.path, constants.X_OK);
  });

  it('should cache the resolution', () => {
    assert.equal(resolveFfmpeg(), resolveFfmpeg());
  });

  it('should prefer FFMPEG_PATH', () => {
    delete process.env.FFMPEG_PATH;
    resetFfmpegResolution();
    const real = resolveFfmpeg().path;
    process.env.FFMPEG_PATH = real;
    resetFfmpegResolution();
    assert.deepEqual(resolveFfmpeg(), { path: real, source: 'FFMPEG_PATH' });
  });

  it('should fail with an internal ffmpeg-unavailable error when FFMPEG_PATH points nowhere', () => {
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    resetFfmpegResolution();
    assert.throws(
      () => resolveFfmpeg(),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'ffmpeg-unavailable' && !error.expose && /FFMPEG_PATH/.test(error.message),
    );
  });
});
