import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { MediaError } from '../../../../shared/media/media-error';
import { runFfmpeg } from '../../../../shared/media/run-ffmpeg';
import { processesMentioning } from '../../../support/media-fixtures';

const endless = (marker: string) => ['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=1000', '-metadata', `comment=${marker}`];

describe('runFfmpeg', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('should kill ffmpeg at the deadline with MEDIA_TIMEOUT and leave no process behind', async () => {
    const marker = randomUUID();
    await assert.rejects(
      runFfmpeg([...endless(marker), '-f', 'null', '-'], { deadline: Date.now() + 300, maxStdoutBytes: 1024 }),
      (error: unknown) => error instanceof MediaError && error.reason === 'MEDIA_TIMEOUT',
    );
    assert.deepEqual(processesMentioning(marker), []);
  });

  it('should kill ffmpeg when stdout exceeds the cap with MEDIA_OUTPUT_TOO_LARGE', async () => {
    const marker = randomUUID();
    await assert.rejects(
      runFfmpeg([...endless(marker), '-f', 'rawvideo', 'pipe:1'], { deadline: Date.now() + 30_000, maxStdoutBytes: 1024 * 1024 }),
      (error: unknown) => error instanceof MediaError && error.reason === 'MEDIA_OUTPUT_TOO_LARGE',
    );
    assert.deepEqual(processesMentioning(marker), []);
  });

  it('should not start ffmpeg when the deadline has already passed', async () => {
    await assert.rejects(runFfmpeg(['-version'], { deadline: Date.now() - 1, maxStdoutBytes: 1024 }), (error: unknown) => {
      return error instanceof MediaError && error.reason === 'MEDIA_TIMEOUT';
    });
  });

  it('should return a non-zero exit and the log instead of throwing', async () => {
    const run = await runFfmpeg(['-i', 'file:/nonexistent/input.mp4'], { deadline: Date.now() + 10_000, maxStdoutBytes: 1024 });
    assert.notEqual(run.exitCode, 0);
    assert.match(run.stderr, /No such file/);
  });
});
