import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * Zip bomb checks for uploaded ZIP-based files (zip, docx, xlsx, ofd). The entries come from the
 * central directory; every declared figure is checked first (entries, total and per-entry ratio,
 * overlapping entries), then every entry that can be read is actually inflated with a hard bound of
 * its declared size, so a header that says small but inflates large is refused after at most one
 * chunk past what it declared. The work is bounded by the declared total (at most 1 GiB and at most
 * 200 × the file's size) across the file and its nested archives.
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

export const ZIP_LIMITS = {
  /** Total declared uncompressed bytes, all levels together. */
  maxTotalBytes: 1024 ** 3,
  /** Total declared uncompressed bytes per byte of the archive. */
  maxTotalRatio: 200,
  /** Declared uncompressed per compressed byte of any one entry. */
  maxEntryRatio: 1000,
  maxEntries: 10_000,
  /** An archive inside the archive is fine; one inside that is not. */
  maxDepth: 1,
  /** A nested archive is inspected in memory: at most this many inflated bytes. */
  maxNestedBytes: 64 * 1024 * 1024,
  /** The central directory itself. */
  maxDirectoryBytes: 32 * 1024 * 1024,
};
export type ZipLimits = typeof ZIP_LIMITS;

export type ZipProblem =
  | 'malformed'
  | 'too_many_entries'
  | 'too_large'
  | 'ratio'
  | 'entry_ratio'
  | 'overlap'
  | 'entry_name'
  | 'method'
  | 'size_mismatch'
  | 'crc'
  | 'nested';

export class ZipUnsafeError extends Error {
  constructor(
    readonly problem: ZipProblem,
    readonly entry?: string,
  ) {
    super(`unsafe zip: ${problem}${entry ? ` (${entry})` : ''}`);
  }
}

export interface ZipEntryInfo {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntryInfo[];
  /** Where the central directory starts: every entry's data lies before it. */
  directoryOffset: number;
}

export interface ZipReport {
  entries: number;
  encryptedEntries: number;
  nestedArchives: number;
  declaredBytes: number;
  inflatedBytes: number;
}

/** Random access to the archive's bytes: a staged file on disk, or a nested archive in memory. */
export interface ZipSource {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

export async function fileSource(path: string): Promise<ZipSource> {
  const fh = await fsp.open(path, 'r');
  const size = (await fh.stat()).size;
  return {
    size,
    async read(position, length) {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
        if (!bytesRead) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
    stream: (start, end) =>
      end > start ? fs.createReadStream(path, { start, end: end - 1, highWaterMark: 64 * 1024 }) : Readable.from([]),
    close: () => fh.close(),
  };
}

export function bufferSource(buf: Buffer): ZipSource {
  return {
    size: buf.length,
    read: async (position, length) => buf.subarray(position, Math.min(buf.length, position + length)),
    stream: (start, end) => Readable.from(end > start ? [buf.subarray(start, end)] : []),
    close: async () => {},
  };
}

const bad = (problem: ZipProblem = 'malformed', entry?: string) => new ZipUnsafeError(problem, entry);

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad();
  return Number(v);
}

/** The end records: where the central directory is, how long, how many entries. */
async function endOfDirectory(src: ZipSource) {
  if (src.size < 22) throw bad();
  const tailLength = Math.min(src.size, 22 + 0xffff + 20);
  const tailStart = src.size - tailLength;
  const tail = await src.read(tailStart, tailLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== SIG_END) continue;
    // The record's comment must run exactly to the end of the file.
    if (i + 22 + tail.readUInt16LE(i + 20) !== tail.length) continue;
    const endAt = tailStart + i;
    let count = tail.readUInt16LE(i + 10);
    let size = tail.readUInt32LE(i + 12);
    let offset = tail.readUInt32LE(i + 16);
    let limit = endAt;
    const disk = tail.readUInt16LE(i + 4);
    const cdDisk = tail.readUInt16LE(i + 6);
    const zip64 = count === 0xffff || size === 0xffffffff || offset === 0xffffffff;
    if (i >= 20 && tail.readUInt32LE(i - 20) === SIG_LOCATOR64) {
      const at = u64(tail, i - 20 + 8);
      if (at + 56 > endAt - 20) throw bad();
      const rec = await src.read(at, 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== SIG_END64) throw bad();
      count = u64(rec, 32);
      size = u64(rec, 40);
      offset = u64(rec, 48);
      limit = at;
    } else if (zip64) throw bad();
    if ((disk !== 0 && disk !== 0xffff) || (cdDisk !== 0 && cdDisk !== 0xffff)) throw bad(); // split archives
    if (offset + size > limit) throw bad();
    return { count, size, offset };
  }
  throw bad();
}

function zip64Extra(extra: Buffer, e: ZipEntryInfo, raw: { usize: number; csize: number; offset: number }) {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (p + 4 + len > extra.length) throw bad();
    if (id === 0x0001) {
      let q = p + 4;
      const take = () => {
        if (q + 8 > p + 4 + len) throw bad();
        const v = u64(extra, q);
        q += 8;
        return v;
      };
      if (raw.usize === 0xffffffff) e.uncompressedSize = take();
      if (raw.csize === 0xffffffff) e.compressedSize = take();
      if (raw.offset === 0xffffffff) e.localOffset = take();
      return;
    }
    p += 4 + len;
  }
  if (raw.usize === 0xffffffff || raw.csize === 0xffffffff || raw.offset === 0xffffffff) throw bad();
}

/** Reads and checks the central directory; ZipUnsafeError for anything malformed or too big to list. */
export async function readZipDirectory(src: ZipSource, limits: ZipLimits = ZIP_LIMITS): Promise<ZipDirectory> {
  const end = await endOfDirectory(src);
  if (end.count > limits.maxEntries) throw bad('too_many_entries');
  if (end.size > limits.maxDirectoryBytes) throw bad('too_many_entries');
  if (end.size < end.count * 46) throw bad();
  const cd = await src.read(end.offset, end.size);
  if (cd.length !== end.size) throw bad();
  const entries: ZipEntryInfo[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < end.count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw bad();
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cd.length) throw bad();
    const rawName = cd.subarray(p + 46, p + 46 + nameLength);
    const name = flags & 0x800 ? rawName.toString('utf8') : rawName.toString('latin1');
    const raw = { csize: cd.readUInt32LE(p + 20), usize: cd.readUInt32LE(p + 24), offset: cd.readUInt32LE(p + 42) };
    const e: ZipEntryInfo = {
      name,
      flags,
      method: cd.readUInt16LE(p + 10),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: raw.csize,
      uncompressedSize: raw.usize,
      localOffset: raw.offset,
    };
    zip64Extra(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), e, raw);
    // Names that would unpack outside the folder they are unpacked into, or hide what they are.
    const segments = name.split(/[/\\]/);
    if (!name || name.includes('\0') || /^[/\\]/.test(name) || /^[A-Za-z]:/.test(name) || segments.includes('..'))
      throw bad('entry_name', name.slice(0, 100));
    if (names.has(name)) throw bad('malformed', name.slice(0, 100));
    names.add(name);
    if (e.localOffset + 30 > end.offset) throw bad('malformed', name.slice(0, 100));
    entries.push(e);
    p = next;
  }
  if (p !== cd.length) throw bad();
  return { entries, directoryOffset: end.offset };
}

const encrypted = (e: ZipEntryInfo) => (e.flags & 0x1) !== 0 || e.method === 99;
const isDirectory = (e: ZipEntryInfo) => e.name.endsWith('/');

/** Magic numbers of archives: zip, gzip, bzip2, xz, 7z, rar, zstd, cab. */
export function looksLikeArchive(head: Buffer): boolean {
  const starts = (...b: number[]) => head.length >= b.length && b.every((x, i) => head[i] === x);
  return (
    starts(0x50, 0x4b, 0x03, 0x04) ||
    starts(0x50, 0x4b, 0x05, 0x06) ||
    starts(0x1f, 0x8b) ||
    starts(0x42, 0x5a, 0x68) ||
    starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) ||
    starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) ||
    starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07) ||
    starts(0x28, 0xb5, 0x2f, 0xfd) ||
    starts(0x4d, 0x53, 0x43, 0x46)
  );
}
const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === SIG_LOCAL;

/**
 * Decides from an entry's first bytes whether to keep its bytes for a look inside: a zip one level
 * down is inspected in turn (if small enough to hold); any archive deeper than that is refused.
 */
function nestedZip(head: Buffer, e: ZipEntryInfo, depth: number, limits: ZipLimits): boolean {
  if (!looksLikeArchive(head)) return false;
  if (depth >= limits.maxDepth) throw bad('nested', e.name.slice(0, 100));
  if (!isZip(head)) return false;
  if (e.uncompressedSize > limits.maxNestedBytes) throw bad('nested', e.name.slice(0, 100));
  return true;
}

interface Budget {
  /** Declared bytes still allowed, across the archive and its nested archives. */
  declared: number;
}

/**
 * Checks an archive whose directory was read by readZipDirectory (depth 0 = the upload itself).
 * Throws ZipUnsafeError; answers what it counted.
 */
export async function inspectZip(
  src: ZipSource,
  dir: ZipDirectory,
  limits: ZipLimits = ZIP_LIMITS,
  depth = 0,
  budget: Budget = { declared: limits.maxTotalBytes },
): Promise<ZipReport> {
  const report: ZipReport = {
    entries: dir.entries.length,
    encryptedEntries: 0,
    nestedArchives: 0,
    declaredBytes: 0,
    inflatedBytes: 0,
  };
  // 1. What the directory declares.
  for (const e of dir.entries) {
    report.declaredBytes += e.uncompressedSize;
    if (encrypted(e)) report.encryptedEntries++;
    if (e.uncompressedSize > limits.maxEntryRatio * Math.max(1, e.compressedSize))
      throw bad('entry_ratio', e.name.slice(0, 100));
    if (!encrypted(e) && e.method !== 0 && e.method !== 8) throw bad('method', e.name.slice(0, 100));
    if (!encrypted(e) && e.method === 0 && e.compressedSize !== e.uncompressedSize)
      throw bad('malformed', e.name.slice(0, 100));
  }
  if (report.declaredBytes > budget.declared) throw bad('too_large');
  if (report.declaredBytes > limits.maxTotalRatio * Math.max(1, src.size)) throw bad('ratio');
  budget.declared -= report.declaredBytes;

  // 2. Where each entry's bytes are: inside the archive, before the directory, none overlapping another.
  const spans: { e: ZipEntryInfo; start: number; end: number }[] = [];
  for (const e of [...dir.entries].sort((a, b) => a.localOffset - b.localOffset)) {
    const h = await src.read(e.localOffset, 30);
    if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) throw bad('malformed', e.name.slice(0, 100));
    const start = e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    const end = start + e.compressedSize;
    if (end > dir.directoryOffset) throw bad('malformed', e.name.slice(0, 100));
    const prev = spans.at(-1);
    if (prev && e.localOffset < prev.end) throw bad('overlap', e.name.slice(0, 100));
    spans.push({ e, start, end });
  }

  // 3. The bytes themselves, each bounded by what its entry declared.
  for (const { e, start, end } of spans) {
    if (encrypted(e)) continue; // counted; unreadable here, the declared figures above are all there is
    if (isDirectory(e) && e.uncompressedSize === 0 && e.compressedSize <= 2) continue;
    const chunks: Buffer[] = [];
    let head = Buffer.alloc(0);
    let keep = true; // until the first bytes say whether this is a zip to look inside
    let got = 0;
    let crc = 0;
    let refusal: ZipUnsafeError | null = null;
    const source = src.stream(start, end);
    const stages: NodeJS.ReadWriteStream[] = e.method === 8 ? [zlib.createInflateRaw({ chunkSize: 64 * 1024 })] : [];
    try {
      await pipeline(source, ...(stages as []), async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) {
          got += chunk.length;
          if (got > e.uncompressedSize) {
            refusal = bad('size_mismatch', e.name.slice(0, 100));
            throw refusal;
          }
          crc = zlib.crc32(chunk, crc);
          if (head.length < 8) {
            head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
            if (head.length >= 8 || got === e.uncompressedSize) {
              try {
                keep = nestedZip(head, e, depth, limits);
              } catch (err) {
                refusal = err as ZipUnsafeError;
                throw err;
              }
              if (!keep) chunks.length = 0;
            }
          }
          if (keep) chunks.push(chunk);
        }
      });
    } catch (err) {
      // The pipeline may answer with the source's premature close rather than the refusal that caused it.
      if (refusal) throw refusal;
      if (err instanceof ZipUnsafeError) throw err;
      throw bad('malformed', e.name.slice(0, 100));
    }
    report.inflatedBytes += got;
    if (got !== e.uncompressedSize) throw bad('size_mismatch', e.name.slice(0, 100));
    if (crc >>> 0 !== e.crc32 >>> 0) throw bad('crc', e.name.slice(0, 100));
    if (!looksLikeArchive(head)) continue;
    report.nestedArchives++;
    if (!isZip(head)) continue; // gzip, 7z …: an opaque file one level down
    const inner = bufferSource(Buffer.concat(chunks));
    const innerDir = await readZipDirectory(inner, limits);
    const sub = await inspectZip(inner, innerDir, limits, depth + 1, budget);
    report.encryptedEntries += sub.encryptedEntries;
    report.nestedArchives += sub.nestedArchives;
    report.inflatedBytes += sub.inflatedBytes;
  }
  return report;
}
