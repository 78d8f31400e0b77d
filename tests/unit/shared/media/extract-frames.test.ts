import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chooseStrategy, extractFrames, targetTimes } from '../../../../shared/media/extract-frames';
import { loadSharp } from '../../../../shared/media/load-sharp';
import { MediaError } from '../../../../shared/media/media-error';
import {
  GRID_CLIPS,
  MP4_CLIPS,
  audioOnlyMp4,
  corruptVideo,
  hd720Video,
  jpegNamedMp4,
  liveClip,
  longVideo,
  privateCopy,
  processesMentioning,
  rotatedMov,
  stillPhotoVideo,
  streamedWebm,
  transcodedClip,
  truncatedVideo,
  zeroByteVideo,
  type Container,
} from '../../../support/media-fixtures';

const reason = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof MediaError, `expected a MediaError, got ${String(error)}`);
  assert.equal(error.reason, expected);
  return true;
};

async function assertJpegFrames(frames: Array<{ jpeg: Buffer; timeS: number }>, count: number, width: number, height: number) {
  assert.equal(frames.length, count);
  for (const frame of frames) {
    assert.deepEqual([...frame.jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const metadata = await loadSharp()(frame.jpeg).metadata();
    assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', width, height]);
  }
  const times = frames.map((frame) => frame.timeS);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
}

describe('extractFrames', () => {
  const containers: Container[] = ['mp4', 'mov', 'webm-vp8', 'webm-vp9'];
  GRID_CLIPS.forEach((clip, i) => {
    const container = containers[i % containers.length] ?? 'mp4';
    it(`should extract 5 JPEG frames from ${clip} as ${container}`, async () => {
      const { frames, video } = await extractFrames(await transcodedClip(clip, container));
      await assertJpegFrames(frames, 5, 360, 288);
      assert.ok(video.videoDurationS > 2.5 && video.videoDurationS < 3.5, String(video.videoDurationS));
      // The first and last 5 % are skipped.
      const { videoStartS: start, videoDurationS: span } = video;
      assert.ok((frames[0]?.timeS ?? 0) >= start + 0.05 * span - 0.01);
      assert.ok((frames.at(-1)?.timeS ?? 99) <= start + 0.95 * span + 0.01);
    });
  });

  for (const clip of MP4_CLIPS) {
    it(`should extract frames from the real clip ${clip}`, async () => {
      const { frames, video } = await extractFrames(liveClip(clip), { count: 4 });
      await assertJpegFrames(frames, 4, video.width, video.height);
    });
  }

  it('should read a streamed WebM without duration or seek index (MediaRecorder)', async () => {
    const { frames, video } = await extractFrames(await streamedWebm());
    assert.equal(video.containerDurationS, null);
    await assertJpegFrames(frames, 5, 360, 288);
  });

  it('should apply the container rotation of a portrait phone video', async () => {
    const { frames, video } = await extractFrames(await rotatedMov());
    assert.equal(video.rotationDeg % 180, 90);
    await assertJpegFrames(frames, 5, 288, 360);
  });

  it('should extract frames from replayed still-photo videos', async () => {
    for (const motion of ['static', 'pan'] as const) {
      await assertJpegFrames((await extractFrames(await stillPhotoVideo(motion))).frames, 5, 360, 288);
    }
  });

  it('should scale frames wider than maxWidth and honour count', async () => {
    const { frames, strategy } = await extractFrames(await hd720Video(), { count: 3, maxWidth: 640 });
    await assertJpegFrames(frames, 3, 640, 360);
    assert.equal(strategy, 'seek'); // keyframe every 2 s
  });

  it('should take a single frame from the middle', async () => {
    const { frames, video } = await extractFrames(await transcodedClip('grid_bbaf2n', 'mp4'), { count: 1 });
    assert.equal(frames.length, 1);
    assert.ok(Math.abs((frames[0]?.timeS ?? 0) - video.videoDurationS / 2) < 0.05);
  });

  it('should reject a video longer than maxDurationS with VIDEO_TOO_LONG', async () => {
    await assert.rejects(extractFrames(await longVideo(35)), reason('VIDEO_TOO_LONG'));
    await assert.rejects(extractFrames(await transcodedClip('grid_bbaf2n', 'mp4'), { maxDurationS: 2 }), reason('VIDEO_TOO_LONG'));
  });

  it('should reject frames above maxFramePixels with MEDIA_TOO_LARGE', async () => {
    await assert.rejects(extractFrames(await hd720Video(), { maxFramePixels: 640 * 480 }), reason('MEDIA_TOO_LARGE'));
  });

  it('should answer broken input with typed errors', async () => {
    await assert.rejects(extractFrames(await corruptVideo()), reason('UNREADABLE_MEDIA'));
    await assert.rejects(extractFrames(await truncatedVideo()), reason('UNREADABLE_MEDIA'));
    await assert.rejects(extractFrames(await zeroByteVideo()), reason('UNREADABLE_MEDIA'));
    await assert.rejects(extractFrames('/nonexistent/selfie.mp4'), reason('UNREADABLE_MEDIA'));
    await assert.rejects(extractFrames(await audioOnlyMp4()), reason('NO_VIDEO_STREAM'));
    await assert.rejects(extractFrames(await jpegNamedMp4()), reason('UNSUPPORTED_MEDIA_TYPE'));
    await assert.rejects(extractFrames(liveClip('intel_asl_book.mkv')), reason('UNSUPPORTED_MEDIA_TYPE'));
    await assert.rejects(extractFrames(liveClip('grid_bbaf2n.mpg')), reason('UNSUPPORTED_MEDIA_TYPE'));
  });

  it('should kill ffmpeg on timeout with MEDIA_TIMEOUT and leave no process behind', async () => {
    const copy = await privateCopy(await hd720Video());
    try {
      await assert.rejects(extractFrames(copy.path, { timeoutMs: 1 }), reason('MEDIA_TIMEOUT'));
      assert.deepEqual(processesMentioning(copy.path), []);
    } finally {
      await copy.dispose();
    }
  });

  it('should remove its temporary folder after success and after failure', async () => {
    const video = await transcodedClip('grid_bbaf2n', 'mp4');
    const audio = await audioOnlyMp4();
    const savedTmp = process.env.TMPDIR;
    const privateTmp = await mkdtemp(join(tmpdir(), 'vouch-media-tmp-'));
    process.env.TMPDIR = privateTmp; // os.tmpdir() reads it on every call
    try {
      await extractFrames(video);
      await assert.rejects(extractFrames(audio));
      await assert.rejects(extractFrames(video, { timeoutMs: 1 }));
      assert.deepEqual(await readdir(privateTmp), []);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });

  it('should refuse a count outside 1..60', async () => {
    await assert.rejects(extractFrames(await transcodedClip('grid_bbaf2n', 'mp4'), { count: 0 }), RangeError);
  });
});

describe('targetTimes', () => {
  it('should space times evenly over the middle 90 %', () => {
    assert.deepEqual(targetTimes({ videoStartS: 0, videoDurationS: 10 }, 5), [0.5, 2.75, 5, 7.25, 9.5]);
    assert.deepEqual(targetTimes({ videoStartS: 1, videoDurationS: 10 }, 1), [6]);
  });
});

describe('chooseStrategy', () => {
  const times = [0.5, 2.75, 5, 7.25, 9.5];
  it('should seek when keyframes are frequent', () => {
    assert.equal(chooseStrategy(times, { keyframeTimesS: [0, 2, 4, 6, 8] }), 'seek');
  });
  it('should scan when the only keyframe is the first', () => {
    assert.equal(chooseStrategy(times, { keyframeTimesS: [0] }), 'scan');
  });
});
