import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaError } from '../../../../shared/media/media-error';
import { parseInputHeader, parsePacketTimes, probeVideo, safeInputArgs } from '../../../../shared/media/probe-video';
import { audioOnlyMp4, hd720Video, liveClip, streamedWebm, transcodedClip } from '../../../support/media-fixtures';

describe('probeVideo', () => {
  it('should report size, codec, audio, duration and keyframes of a real MP4', async () => {
    const probe = await probeVideo(liveClip('pyfeat_single_face.mp4'));
    assert.equal(probe.format.mime, 'video/mp4');
    assert.deepEqual([probe.width, probe.height, probe.codec, probe.hasAudio], [640, 360, 'h264', true]);
    assert.equal(probe.containerDurationS, 2.43);
    assert.ok(probe.videoDurationS > 2.2 && probe.videoDurationS < 2.5);
    assert.equal(probe.packetCount, 72);
    assert.equal(probe.keyframeTimesS[0], 0);
  });

  it('should find keyframes every 2 s in the phone-like 720p video', async () => {
    const probe = await probeVideo(await hd720Video());
    assert.deepEqual(probe.keyframeTimesS, [0, 2, 4, 6, 8]);
  });

  it('should measure a WebM whose header has no duration', async () => {
    const probe = await probeVideo(await streamedWebm());
    assert.equal(probe.containerDurationS, null);
    assert.ok(probe.videoDurationS > 2.5);
    assert.equal(probe.codec, 'vp8');
  });

  it('should tell VP9 apart', async () => {
    assert.equal((await probeVideo(await transcodedClip('grid_lbax4n', 'webm-vp9'))).codec, 'vp9');
  });

  it('should reject audio-only MP4 with NO_VIDEO_STREAM', async () => {
    await assert.rejects(probeVideo(await audioOnlyMp4()), (e: unknown) => e instanceof MediaError && e.reason === 'NO_VIDEO_STREAM');
  });
});

describe('parseInputHeader', () => {
  it('should skip cover art and not read the codec tag as a frame size', () => {
    const header = parseInputHeader(
      [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x.m4a':",
        '  Duration: 00:01:02.50, start: 0.000000, bitrate: 77 kb/s',
        '    Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 73 kb/s (default)',
        '    Stream #0:1: Video: mjpeg, yuvj420p(pc), 600x600 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)',
      ].join('\n'),
    );
    assert.deepEqual(header, { durationS: 62.5, video: undefined, hasAudio: true });
  });

  it('should return undefined when ffmpeg could not open the input', () => {
    assert.equal(parseInputHeader('file:/x.mp4: Invalid data found when processing input'), undefined);
  });
});

describe('parsePacketTimes', () => {
  it('should read times and keyframes from framecrc output', () => {
    const text = ['#tb 0: 1/1000', '0, -40, 0, 40, 100, 0x1', '0, 0, 80, 40, 50, 0x2, F=0x0', '0, 40, 40, 40, 50, 0x3, F=0x0', '0, 80, 120, 40, 90, 0x4'].join('\n');
    assert.deepEqual(parsePacketTimes(text), { count: 4, firstS: 0, lastS: 0.12, keyframesS: [0, 0.12] });
  });
});

describe('safeInputArgs', () => {
  it('should allow only the file protocol, force the sniffed demuxer and make the name a plain file', () => {
    assert.deepEqual(safeInputArgs('concat:a.mp4|b.mp4', { mime: 'video/webm' }, 2).slice(0, 6), [
      '-protocol_whitelist',
      'file',
      '-f',
      'matroska',
      '-threads',
      '2',
    ]);
    const input = safeInputArgs('/uploads/x.mov', { mime: 'video/quicktime' }, 1);
    assert.equal(input.at(-1), 'file:/uploads/x.mov');
    assert.equal(input[3], 'mov');
  });
});
