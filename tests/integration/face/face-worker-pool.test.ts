/** The local provider's worker pool with the real engine: surviving a crashed worker. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalFaceProvider } from '../../../shared/face/local/local-provider';
import { frameAt, LIVE_VIDEO_DIR } from './face-fixtures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vouch-face-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('local face provider worker pool', () => {
  it('should retry an analysis whose worker crashed on a fresh worker and keep working', async () => {
    process.env.FACE_WORKER_CRASH_MARKER = path.join(dir, 'crashed');
    const provider = createLocalFaceProvider({ workers: 2, workerScript: path.join(__dirname, 'crashing-face-worker.js') });
    try {
      const frame = await frameAt(path.join(LIVE_VIDEO_DIR, 'grid_bbaf2n.mpg'), 1);
      const [first, second] = await Promise.all([provider.analyseImage(frame), provider.analyseImage(frame)]);
      assert.equal(first.faces.length, 1, 'the job in flight on the crashed worker was re-run');
      assert.equal(second.faces.length, 1);
      const again = await provider.analyseImage(frame);
      assert.equal(again.faces.length, 1, 'the pool still works after the crash');
    } finally {
      delete process.env.FACE_WORKER_CRASH_MARKER;
      await provider.close();
    }
  });
});
