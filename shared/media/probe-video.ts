import { resolve as resolvePath } from 'node:path';
import { identifyMediaFile } from './identify-media';
import { MediaError } from './media-error';
import { runFfmpeg } from './run-ffmpeg';
import type { SniffedMedia } from './sniff';

export interface VideoProbe {
  /** The container format, sniffed from the content. */
  format: SniffedMedia;
  /** Duration the container header declares, in seconds; null when it declares none (MediaRecorder WebM). */
  containerDurationS: number | null;
  /** Presentation time of the first video frame, in seconds from the file start (the origin `-ss` uses). */
  videoStartS: number;
  /** Span of the video stream (last minus first frame time), in seconds, measured by reading its packets. */
  videoDurationS: number;
  /** Video packets read (≈ frames). */
  packetCount: number;
  /** Presentation times of keyframes, in seconds from the file start, ascending: where a seek can start decoding. */
  keyframeTimesS: number[];
  /** Coded frame size in pixels, before any rotation the container asks for. */
  width: number;
  height: number;
  /** Rotation the container asks players to apply, in degrees (0, 90, 180, 270); ffmpeg applies it when decoding. */
  rotationDeg: number;
  /** ffmpeg's codec name, e.g. `h264`, `vp8`, `vp9`. */
  codec: string;
  hasAudio: boolean;
}

export interface ProbeVideoOptions {
  /** Longest accepted video, in seconds; longer ones fail with `VIDEO_TOO_LONG`. Default 30. */
  maxDurationS?: number;
  /** Largest accepted frame, in pixels (width × height). Default 7680 × 4320 (8K UHD). */
  maxFramePixels?: number;
  /** Time limit in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Absolute deadline (`Date.now()` scale); overrides `timeoutMs` when probing is one step of a larger budget. */
  deadline?: number;
  /** Largest accepted file, in bytes. Default 200 MiB. */
  maxInputBytes?: number;
}

export const DEFAULT_MAX_DURATION_S = 30;
export const DEFAULT_MAX_FRAME_PIXELS = 7680 * 4320;
export const DEFAULT_MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/**
 * Sniffs the file, then reads its header and walks its video packets without
 * decoding them (`-c copy` into the `framecrc` muxer): one ffmpeg process, no
 * ffprobe needed. Walking the packets gives the true video span even when the
 * header declares no duration (MediaRecorder WebM) and the keyframe positions,
 * and stops at `maxDurationS + 1` s so a long upload costs little.
 */
export async function probeVideo(path: string, options: ProbeVideoOptions = {}): Promise<VideoProbe> {
  const format = await identifyMediaFile(path, { maxBytes: options.maxInputBytes ?? DEFAULT_MAX_VIDEO_BYTES });
  if (format.kind !== 'video') throw new MediaError('UNSUPPORTED_MEDIA_TYPE', `Expected a video, got ${format.mime}`);
  const maxDurationS = options.maxDurationS ?? DEFAULT_MAX_DURATION_S;
  const maxFramePixels = options.maxFramePixels ?? DEFAULT_MAX_FRAME_PIXELS;
  const deadline = options.deadline ?? Date.now() + (options.timeoutMs ?? 10_000);

  const run = await runFfmpeg(
    [
      ...safeInputArgs(path, format, 1),
      // 0:V skips cover art ("attached pic" streams) that audio-only files carry.
      ['-map', '0:V:0', '-c', 'copy', '-t', String(maxDurationS + 1)],
      // framecrc lists every packet's timestamp and keyframe flag: the span, the frame rate and the seek cost.
      ['-f', 'framecrc', '-nostats', 'pipe:1'],
    ].flat(),
    { deadline, maxStdoutBytes: 8 * 1024 * 1024 },
  );

  const header = parseInputHeader(run.stderr);
  if (!header) throw new MediaError('UNREADABLE_MEDIA', 'The video could not be read', {}, tail(run.stderr));
  // A container whose index yields no streams at all is damaged; one with only audio is a wrong upload.
  if (!header.video && !header.hasAudio) throw new MediaError('UNREADABLE_MEDIA', 'The video could not be read', {}, tail(run.stderr));
  if (!header.video) throw new MediaError('NO_VIDEO_STREAM', 'The file contains no video stream');
  const { width, height } = header.video;
  if (width * height > maxFramePixels) {
    throw new MediaError('MEDIA_TOO_LARGE', 'The video frame size is too large', { width, height, maxFramePixels });
  }

  const packets = parsePacketTimes(run.stdout.toString('latin1'));
  if (run.exitCode !== 0 || packets.count === 0 || packets.keyframesS.length === 0) {
    throw new MediaError('UNREADABLE_MEDIA', 'The video could not be read', {}, tail(run.stderr));
  }
  const videoDurationS = packets.lastS - packets.firstS;
  const durationS = Math.max(header.durationS ?? 0, videoDurationS);
  if (durationS > maxDurationS) {
    throw new MediaError('VIDEO_TOO_LONG', `The video is longer than ${maxDurationS} s`, { maxDurationS });
  }
  return {
    format,
    containerDurationS: header.durationS,
    videoStartS: packets.firstS,
    videoDurationS,
    packetCount: packets.count,
    keyframeTimesS: packets.keyframesS,
    width,
    height,
    rotationDeg: header.video.rotationDeg,
    codec: header.video.codec,
    hasAudio: header.hasAudio,
  };
}

/**
 * Input arguments that keep ffmpeg to the one local file: only the `file`
 * protocol (a hostile playlist cannot make it fetch URLs), the demuxer forced
 * to the sniffed format (no probing into exotic demuxers), a bounded thread count.
 */
export function safeInputArgs(path: string, format: Pick<SniffedMedia, 'mime'>, threads: number): string[] {
  const demuxer = format.mime === 'video/webm' ? 'matroska' : 'mov';
  // `file:` prefix: a name like `concat:a|b` or `http:x` is then just a file name.
  return ['-protocol_whitelist', 'file', '-f', demuxer, '-threads', String(threads), '-i', `file:${resolvePath(path)}`];
}

interface InputHeader {
  durationS: number | null;
  video: { codec: string; width: number; height: number; rotationDeg: number } | undefined;
  hasAudio: boolean;
}

/** Parses the "Input #0" block ffmpeg logs; undefined when ffmpeg could not open the input at all. */
export function parseInputHeader(stderr: string): InputHeader | undefined {
  const start = stderr.indexOf('Input #0');
  if (start < 0) return undefined;
  const end = stderr.search(/^(Output #0|Stream mapping:|Stream map )/m);
  const block = stderr.slice(start, end > start ? end : undefined);

  const duration = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(block);
  const durationS = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : null;

  let video: InputHeader['video'];
  let hasAudio = false;
  const lines = block.split('\n');
  lines.forEach((line, i) => {
    const stream = /^\s*Stream #0:\d+\S*: (Video|Audio): (\w+)/.exec(line);
    if (!stream) return;
    if (stream[1] === 'Audio') hasAudio = true;
    else if (!video && !line.includes('(attached pic)')) {
      // Frame size is the ", WxH" field; the codec tag "(avc1 / 0x31637661)" is not preceded by a comma.
      const size = /, (\d{1,5})x(\d{1,5})(?=[\s,[]|$)/.exec(line);
      if (size) video = { codec: stream[2] ?? 'unknown', width: Number(size[1]), height: Number(size[2]), rotationDeg: rotationAfter(lines, i) };
    }
  });
  return { durationS, video, hasAudio };
}

/** The stream's rotation from its metadata (`rotate : 90`) or side data (`displaymatrix: rotation of -90.00 degrees`). */
function rotationAfter(lines: readonly string[], streamLine: number): number {
  for (let i = streamLine + 1; i < lines.length && !/^\s*Stream #/.test(lines[i] ?? ''); i++) {
    const line = lines[i] ?? '';
    const tag = /^\s*rotate\s*:\s*(-?\d+)/.exec(line);
    const matrix = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(line);
    const degrees = tag ? Number(tag[1]) : matrix ? -Number(matrix[1]) : undefined;
    if (degrees !== undefined && Number.isFinite(degrees)) return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  }
  return 0;
}

interface PacketTimes {
  count: number;
  firstS: number;
  lastS: number;
  keyframesS: number[];
}

/**
 * Reads ffmpeg's `framecrc` listing of the copied video packets: a `#tb 0: num/den`
 * header, then one `stream, dts, pts, duration, size, crc[, F=0x..]` line per
 * packet, where `F=` appears only on non-keyframes. Times are relative to the
 * file start, the same origin `-ss` seeks from.
 */
export function parsePacketTimes(text: string): PacketTimes {
  const tb = /^#tb 0: (\d+)\/(\d+)/m.exec(text);
  const unit = tb ? Number(tb[1]) / Number(tb[2]) : 0;
  const times: number[] = [];
  const keyframesS: number[] = [];
  for (const line of text.split('\n')) {
    const fields = /^0,\s*-?\d+,\s*(-?\d+),/.exec(line);
    if (!fields || !unit) continue;
    const pts = Number(fields[1]);
    if (!Number.isSafeInteger(pts)) continue; // NOPTS
    const timeS = pts * unit;
    times.push(timeS);
    if (!line.includes('F=')) keyframesS.push(timeS);
  }
  if (times.length === 0) return { count: 0, firstS: 0, lastS: 0, keyframesS };
  keyframesS.sort((a, b) => a - b);
  return { count: times.length, firstS: Math.min(...times), lastS: Math.max(...times), keyframesS };
}

/** The end of ffmpeg's log, as the error's cause (internal logs only). */
const tail = (stderr: string) => new Error(stderr.trim().split('\n').slice(-5).join('\n'));
