import type { FileKind } from '../../../../domain/evidence.js';
import {
  fileSource,
  inspectZip,
  readZipDirectory,
  ZIP_LIMITS,
  type ZipDirectory,
  type ZipLimits,
  type ZipReport,
  type ZipSource,
  ZipUnsafeError,
} from './zip-inspect.js';

/**
 * What an uploaded file is, told from its bytes, never from its name or the client's Content-Type
 * (SPEC M6): %PDF- → pdf; OLE2 → doc or xls by the streams of its directory; ZIP → docx, xlsx, ofd
 * or zip by the parts in its central directory; JPEG and PNG by their signatures. Anything else
 * (executables, scripts, HTML, plain text) is no allowed kind.
 */
export interface Sniffed {
  /** The kind the bytes are, or null when they are none of the allowed kinds. */
  kind: FileKind | null;
  /**
   * The kinds whose extension the file may carry: [kind], or both doc and xls for an OLE2 file
   * whose directory could not be read, or every ZIP-based kind for a zip whose directory is broken
   * (it is refused as unsafe just after).
   */
  accepts: readonly FileKind[];
  /** For a ZIP-based file: its central directory, or why it could not be read. */
  zip?: { directory: ZipDirectory } | { error: ZipUnsafeError };
}

const NONE: Sniffed = { kind: null, accepts: [] };
const OLE2 = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
const ZIP_KINDS: readonly FileKind[] = ['zip', 'docx', 'xlsx', 'ofd'];

const startsWith = (head: Buffer, sig: Buffer | readonly number[]) =>
  head.length >= sig.length && [...sig].every((b, i) => head[i] === b);

/** Sniffs a staged file (on local disk). */
export async function sniffFile(path: string): Promise<Sniffed> {
  const src = await fileSource(path);
  try {
    return await sniffSource(src);
  } finally {
    await src.close();
  }
}

export async function sniffSource(src: ZipSource): Promise<Sniffed> {
  const head = await src.read(0, 8);
  if (startsWith(head, Buffer.from('%PDF-'))) return { kind: 'pdf', accepts: ['pdf'] };
  if (startsWith(head, PNG)) return { kind: 'png', accepts: ['png'] };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'jpg', accepts: ['jpg'] };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    let directory: ZipDirectory;
    try {
      directory = await readZipDirectory(src);
    } catch (e) {
      if (e instanceof ZipUnsafeError) return { kind: 'zip', accepts: ZIP_KINDS, zip: { error: e } };
      throw e;
    }
    const names = new Set(directory.entries.map((e) => e.name));
    const kind: FileKind = names.has('word/document.xml')
      ? 'docx'
      : names.has('xl/workbook.xml')
        ? 'xlsx'
        : names.has('OFD.xml')
          ? 'ofd'
          : 'zip';
    return { kind, accepts: [kind], zip: { directory } };
  }
  if (startsWith(head, OLE2)) {
    const streams = await oleStreamNames(src).catch(() => null);
    if (!streams) return { kind: 'doc', accepts: ['doc', 'xls'] };
    if (streams.has('WordDocument')) return { kind: 'doc', accepts: ['doc'] };
    if (streams.has('Workbook') || streams.has('Book')) return { kind: 'xls', accepts: ['xls'] };
    return NONE; // another OLE2 file: PowerPoint, Outlook, an MSI installer …
  }
  return NONE;
}

/**
 * The zip bomb checks for a ZIP-based file (nothing to do for other kinds). Throws ZipUnsafeError
 * for a broken directory, too many entries, too much declared or actual inflated data, a ratio out
 * of bounds, overlapping entries or archives nested deeper than one level.
 */
export async function checkArchive(
  path: string,
  sniffed: Sniffed,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<ZipReport | null> {
  if (!sniffed.zip) return null;
  if ('error' in sniffed.zip) throw sniffed.zip.error;
  const src = await fileSource(path);
  try {
    return await inspectZip(src, sniffed.zip.directory, limits);
  } finally {
    await src.close();
  }
}

// --- OLE2 / Compound File Binary (MS-CFB) --------------------------------------------------------

const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTOR = 0xfffffffa;
/** At most this many directory sectors are read (64 K directory entries at 4 KiB sectors). */
const MAX_DIRECTORY_SECTORS = 2048;

/** The names of the streams and storages in an OLE2 file's directory; throws if it cannot be read. */
async function oleStreamNames(src: ZipSource): Promise<Set<string>> {
  const h = await src.read(0, 512);
  if (h.length < 512) throw new Error('short');
  const shift = h.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw new Error('sector size');
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorAt = (n: number) => (n + 1) * sectorSize;
  const readSector = async (n: number) => {
    if (n > MAX_SECTOR) throw new Error('sector');
    const b = await src.read(sectorAt(n), sectorSize);
    if (b.length < sectorSize) throw new Error('truncated');
    return b;
  };

  // The FAT's own sectors: 109 in the header, the rest along the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(h.readUInt32LE(0x4c + i * 4));
  let difat = h.readUInt32LE(0x44);
  const difatSeen = new Set<number>();
  while (difat <= MAX_SECTOR && !difatSeen.has(difat) && difatSeen.size < 1024) {
    difatSeen.add(difat);
    const b = await readSector(difat);
    for (let i = 0; i < perSector - 1; i++) fatSectors.push(b.readUInt32LE(i * 4));
    difat = b.readUInt32LE((perSector - 1) * 4);
  }
  const fatCache = new Map<number, Buffer>();
  const nextSector = async (n: number) => {
    const which = Math.floor(n / perSector);
    const at = fatSectors[which];
    if (at === undefined || at > MAX_SECTOR) throw new Error('fat');
    let b = fatCache.get(at);
    if (!b) {
      b = await readSector(at);
      fatCache.set(at, b);
    }
    return b.readUInt32LE((n % perSector) * 4);
  };

  const names = new Set<string>();
  let sector = h.readUInt32LE(0x30);
  const seen = new Set<number>();
  while (sector !== END_OF_CHAIN) {
    if (seen.has(sector) || seen.size >= MAX_DIRECTORY_SECTORS) throw new Error('loop');
    seen.add(sector);
    const b = await readSector(sector);
    for (let p = 0; p + 128 <= b.length; p += 128) {
      const type = b[p + 0x42];
      const length = b.readUInt16LE(p + 0x40);
      if (!type || length < 2 || length > 64) continue;
      names.add(b.toString('utf16le', p, p + length - 2));
    }
    sector = await nextSector(sector);
  }
  if (!names.size) throw new Error('empty directory');
  return names;
}
