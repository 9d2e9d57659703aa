import zlib from 'node:zlib';
import { AppError } from '../../platform/errors.js';

/**
 * Just enough of the zip format to read an Office package safely: the entries come from the
 * central directory, and an entry is inflated with a hard bound on its inflated size, so a zip
 * bomb is refused (413) before it costs memory. No ZIP64: an Office file of that size is refused.
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export const hasZipMagic = (buf: Buffer) => buf.length >= 30 && buf.readUInt32LE(0) === SIG_LOCAL;

/** The entries of the central directory; `bad()` for anything that is not a well-formed zip. */
export function zipEntries(buf: Buffer, bad: () => AppError): Map<string, ZipEntry> {
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw bad();
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) throw bad();
  const list = new Map<string, ZipEntry>();
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== SIG_CENTRAL) throw bad();
    const nameLength = buf.readUInt16LE(p + 28);
    if (p + 46 + nameLength > end) throw bad();
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    list.set(name, {
      name,
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return list;
}

/** The inflated bytes of one entry, at most `max` of them (413 beyond). */
export function inflateEntry(buf: Buffer, e: ZipEntry, max: number, bad: () => AppError): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL) throw bad();
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw bad();
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    if (data.length > max) throw new AppError(413, 'PAYLOAD_TOO_LARGE');
    return data;
  }
  if (e.method !== 8) throw bad();
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new AppError(413, 'PAYLOAD_TOO_LARGE');
    throw bad();
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character and entity references decoded (the five named ones and numeric ones). */
export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] !== '#') return ENTITIES[e]!;
    const cp = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '';
  });
}

/** The attributes of a start tag's inside (`name="v"` or `name='v'`, with or without a prefix). */
export function xmlAttributes(s: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of s.matchAll(/([\w.-]+(?::[\w.-]+)?)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs.set(m[1]!, decodeXml(m[2] ?? m[3] ?? ''));
  }
  return attrs;
}
