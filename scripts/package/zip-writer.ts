/**
 * A minimal zip writer that keeps unix permissions: the deployment package must carry ffmpeg and
 * sharp's native files with their executable bits, which zip tools only restore from the
 * "made by unix" external attributes written here. Entries are deflated (or stored when that is
 * smaller) with a fixed timestamp, so the same files give the same zip.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION_NEEDED = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const UTF8_NAMES = 1 << 11;
const FIXED_DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1; // 2026-01-01, time 00:00
const ZIP32_LIMIT = 0xffffffff;

export interface ZipEntry {
  /** Path inside the zip, `/`-separated. */
  name: string;
  data: Buffer;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
}

interface CommonFields { method: number; crc: number; compressedBytes: number; bytes: number; nameBytes: number }

/** Version needed, flags, method, time, date, CRC, sizes and name length (26 bytes). */
function writeCommonFields(header: Buffer, at: number, f: CommonFields): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(0, at + 6); // time 00:00
  header.writeUInt16LE(FIXED_DOS_DATE, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressedBytes, at + 14);
  header.writeUInt32LE(f.bytes, at + 18);
  header.writeUInt16LE(f.nameBytes, at + 22);
}

export class ZipWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly central: Buffer[] = [];

  constructor(file: string, private readonly level = 6) {
    this.fd = openSync(file, 'w');
  }

  add(entry: ZipEntry): void {
    if (this.central.length >= 0xffff) throw new Error('zip: more than 65535 entries needs zip64, which this writer does not write');
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: this.level });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const crc = crc32(entry.data);
    if (this.offset + 30 + name.length + body.length > ZIP32_LIMIT) throw new Error('zip: over 4 GiB needs zip64');

    // The local and the central header share one run of fields, at offset 4 and 6.
    const fields = { method: stored ? 0 : 8, crc, compressedBytes: body.length, bytes: entry.data.length, nameBytes: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    writeCommonFields(local, 4, fields); // extra length 28: 0

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeCommonFields(central, 6, fields);
    // extra length 30, comment length 32, disk 34, internal attributes 36: all 0
    central.writeUInt32LE((((0o100000 | (entry.mode & 0o7777)) << 16) >>> 0), 38); // regular file + permissions
    central.writeUInt32LE(this.offset, 42);
    this.central.push(central, name);

    this.write(local);
    this.write(name);
    this.write(body);
  }

  close(): void {
    const start = this.offset;
    for (const part of this.central) this.write(part);
    const entries = this.central.length / 2;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(entries, 8);
    end.writeUInt16LE(entries, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.write(end);
    closeSync(this.fd);
  }

  private write(buffer: Buffer): void {
    writeSync(this.fd, buffer);
    this.offset += buffer.length;
  }
}
