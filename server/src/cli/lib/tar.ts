import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * A small POSIX tar (ustar, with pax extended headers for long or non-ASCII names and sizes over
 * 8 GiB), so that a backup is one file any `tar -tvf` can list and unpack. Synchronous and chunked:
 * memory stays constant whatever the size of the database image or the evidence files. Only regular
 * files are written or accepted (directories are implied by the paths; links are refused on read).
 */
const BLOCK = 512;
const CHUNK = 1024 * 1024;
const MAX_OCTAL_SIZE = 0o77777777777; // 11 octal digits

function writeAll(fd: number, buf: Buffer) {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function isPlainAscii(s: string) {
  return /^[\x20-\x7e]*$/.test(s);
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length !== String(bodyLen).length) len = bodyLen + String(len).length;
  return Buffer.from(`${len}${body}`, 'utf8');
}

function header(name: string, size: number, mtime: number, typeflag: string): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size > MAX_OCTAL_SIZE ? 0 : size, 12), 124, 'ascii');
  h.write(octal(Math.max(0, Math.floor(mtime / 1000)), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(typeflag, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('rectify', 265, 'ascii');
  h.write('rectify', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

export interface WrittenEntry {
  name: string;
  size: number;
  sm3: string;
}

export class TarWriter {
  constructor(private readonly fd: number) {}

  private entryHeader(name: string, size: number, mtime: number) {
    const needsPax = !isPlainAscii(name) || Buffer.byteLength(name) > 100 || size > MAX_OCTAL_SIZE;
    let shortName = name;
    if (needsPax) {
      const records = [paxRecord('path', name)];
      if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', String(size)));
      const data = Buffer.concat(records);
      shortName = name.replace(/[^\x20-\x7e]/g, '_').slice(-100);
      writeAll(this.fd, header(`PaxHeader/${shortName}`.slice(0, 100), data.length, mtime, 'x'));
      this.writeData(data);
    }
    writeAll(this.fd, header(shortName, size, mtime, '0'));
  }

  private writeData(data: Buffer) {
    writeAll(this.fd, data);
    this.pad(data.length);
  }

  private pad(size: number) {
    const rest = size % BLOCK;
    if (rest) writeAll(this.fd, Buffer.alloc(BLOCK - rest, 0));
  }

  addBuffer(name: string, data: Buffer, mtime = Date.now()): WrittenEntry {
    this.entryHeader(name, data.length, mtime);
    this.writeData(data);
    return { name, size: data.length, sm3: crypto.createHash('sm3').update(data).digest('hex') };
  }

  /** Copies a file in, hashing (SM3) as it goes; fails if the file changes size while it is read. */
  addFile(name: string, source: string): WrittenEntry {
    const src = fs.openSync(source, 'r');
    try {
      const st = fs.fstatSync(src);
      const size = st.size;
      this.entryHeader(name, size, st.mtimeMs);
      const hash = crypto.createHash('sm3');
      const buf = Buffer.allocUnsafe(CHUNK);
      let done = 0;
      while (done < size) {
        const n = fs.readSync(src, buf, 0, Math.min(CHUNK, size - done), done);
        if (n === 0) throw new Error(`${source} became shorter while it was being copied`);
        const chunk = buf.subarray(0, n);
        hash.update(chunk);
        writeAll(this.fd, chunk);
        done += n;
      }
      if (fs.readSync(src, buf, 0, 1, done) !== 0) throw new Error(`${source} grew while it was being copied`);
      this.pad(size);
      return { name, size, sm3: hash.digest('hex') };
    } finally {
      fs.closeSync(src);
    }
  }

  /** The two zero blocks that end an archive. */
  finish() {
    writeAll(this.fd, Buffer.alloc(BLOCK * 2, 0));
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** Where the entry's data starts in the archive. */
  offset: number;
}

export class TarFormatError extends Error {}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return off === length ? buf : buf.subarray(0, off);
}

function parseOctal(field: Buffer, what: string): number {
  if (field[0]! & 0x80) throw new TarFormatError(`unsupported binary ${what} field`);
  const s = field
    .toString('ascii')
    .replace(/[\0 ]+$/g, '')
    .trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarFormatError(`bad ${what} field`);
  return Number.parseInt(s, 8);
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) throw new TarFormatError('bad pax record');
    const len = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw new TarFormatError('bad pax record');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq === -1) throw new TarFormatError('bad pax record');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** The regular files of an archive, in order, with where their data lies (headers are checksummed). */
export function listTar(fd: number): TarEntry[] {
  const total = fs.fstatSync(fd).size;
  const entries: TarEntry[] = [];
  let pos = 0;
  let pax: Record<string, string> = {};
  for (;;) {
    const h = readExactly(fd, BLOCK, pos);
    if (h.length < BLOCK) throw new TarFormatError('archive is truncated (no end marker)');
    if (h.every((b) => b === 0)) return entries;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== parseOctal(h.subarray(148, 156), 'checksum'))
      throw new TarFormatError(`bad header checksum at byte ${pos}`);
    const type = String.fromCharCode(h[156]!);
    let size = parseOctal(h.subarray(124, 136), 'size');
    let name = cString(h.subarray(0, 100));
    const prefix = h.subarray(257, 262).toString('ascii') === 'ustar' ? cString(h.subarray(345, 500)) : '';
    if (prefix) name = `${prefix}/${name}`;
    const dataAt = pos + BLOCK;
    if (type === 'x' || type === 'g') {
      if (dataAt + size > total) throw new TarFormatError('archive is truncated');
      const records = parsePax(readExactly(fd, size, dataAt));
      if (type === 'x') pax = records;
      pos = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      continue;
    }
    if (pax.path !== undefined) name = pax.path;
    if (pax.size !== undefined) {
      size = Number(pax.size);
      if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError('bad pax size');
    }
    pax = {};
    if (dataAt + size > total) throw new TarFormatError(`archive is truncated inside ${name}`);
    if (type === '0' || type === '\0') entries.push({ name, size, offset: dataAt });
    else if (type !== '5') throw new TarFormatError(`unsupported entry type '${type}' for ${name}`);
    pos = dataAt + Math.ceil(size / BLOCK) * BLOCK;
  }
}

/** Reads an entry's data in chunks (constant memory). */
export function readEntry(fd: number, entry: TarEntry, onChunk: (chunk: Buffer) => void): void {
  const buf = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  while (done < entry.size) {
    const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, entry.size - done), entry.offset + done);
    if (n === 0) throw new TarFormatError(`archive is truncated inside ${entry.name}`);
    onChunk(buf.subarray(0, n));
    done += n;
  }
}

export function readEntryBuffer(fd: number, entry: TarEntry, max = 64 * 1024 * 1024): Buffer {
  if (entry.size > max) throw new TarFormatError(`${entry.name} is too large`);
  return readExactly(fd, entry.size, entry.offset);
}
