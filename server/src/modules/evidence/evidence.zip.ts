import { createRequire } from 'node:module';
import type { Readable, Transform } from 'node:stream';
import type { OpenedBlob } from '../../platform/files/store.js';
import type { EvidenceFileRow } from './evidence.repository.js';

/** The part of archiver 5 used here (it ships no types). */
interface Archive extends Transform {
  append(source: Readable, data: { name: string; date?: Date }): this;
  finalize(): Promise<void>;
}
const archiver = createRequire(import.meta.url)('archiver') as (
  format: 'zip',
  options: { store?: boolean; zlib?: { level: number } },
) => Archive;

/** "a.pdf", "a.pdf" → "a.pdf", "a (2).pdf": one entry per file, none overwriting another. */
export function entryNames(files: readonly Pick<EvidenceFileRow, 'name'>[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    let name = f.name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Resolves when archiver has written the entry just appended; rejects when the archive fails or closes first. */
function appended(archive: Archive, source: Readable, name: string, date: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = () => {
      archive.off('entry', onEntry);
      archive.off('error', onError);
      archive.off('close', onClose);
      source.off('error', onError);
    };
    const onEntry = () => {
      off();
      resolve();
    };
    const onError = (e: Error) => {
      off();
      reject(e);
    };
    const onClose = () => {
      off();
      source.destroy();
      reject(new Error('closed'));
    };
    archive.on('entry', onEntry);
    archive.on('error', onError);
    archive.on('close', onClose);
    source.on('error', onError);
    archive.append(source, { name, date });
  });
}

/**
 * A streamed zip of `files`. Entries go one at a time: each blob is opened (and so verified against
 * its SM3) just before it is added and closed once written, and the next waits until the client has
 * taken what the archive holds (pipe backpressure), so memory stays flat whatever the total.
 * `first` is the first file's blob, opened before the answer started (an integrity failure there is
 * still a clean 409). A failure later aborts the response: the client never gets a zip that looks
 * whole but is not.
 */
export function streamZip(
  files: readonly EvidenceFileRow[],
  first: OpenedBlob | null,
  open: (f: EvidenceFileRow) => Promise<OpenedBlob>,
  onError: (err: unknown) => void,
): Archive {
  const archive = archiver('zip', { store: true });
  const names = entryNames(files);
  let gone = false;
  archive.on('close', () => {
    gone = true;
  });
  const run = async () => {
    let blob = first;
    try {
      for (let i = 0; i < files.length && !gone; i++) {
        const f = files[i]!;
        blob ??= await open(f);
        await appended(archive, blob.stream(), names[i]!, new Date(Number(f.createdAt)));
        await blob.close();
        blob = null;
      }
      if (!gone) await archive.finalize();
    } finally {
      await blob?.close();
    }
  };
  run().catch((err) => {
    if (!gone) {
      onError(err);
      archive.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });
  return archive;
}
