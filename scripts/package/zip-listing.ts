/**
 * Reads a zip's central directory: names, sizes and unix modes. Used to check the deployment
 * package (tests) and to report its contents (bench), independently of the writer's own records.
 */
import { readFileSync } from 'node:fs';

export interface ZipListing {
  name: string;
  compressedBytes: number;
  bytes: number;
  /** Unix mode bits (type and permissions) when the entry was made on unix, else undefined. */
  mode?: number;
}

export function listZip(file: string): ZipListing[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file}: no end of central directory`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipListing[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      compressedBytes: zip.readUInt32LE(at + 20),
      bytes: zip.readUInt32LE(at + 24),
      mode: madeBy === 3 ? external >>> 16 : undefined,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
