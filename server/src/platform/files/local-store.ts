import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type FileStore,
  isDigest,
  type OpenedBlob,
  type StagedBlob,
  StoreIntegrityError,
  StoreLimitError,
  StoreMissingError,
} from './store.js';

/** Counts and hashes what passes through, and fails the stream past `maxBytes`. */
export function meter(maxBytes: number) {
  const hash = crypto.createHash('sm3');
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new StoreLimitError(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { t, result: () => ({ sm3: hash.digest('hex'), size }) };
}

/** Hashes a file on disk (SM3, streamed). */
export async function sm3OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sm3');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Writes a stream to a new temporary file in `dir`, fsynced; returns its digest and size. */
export async function stageToTemp(dir: string, source: Readable, maxBytes: number) {
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, `upload-${process.pid}-${crypto.randomBytes(12).toString('hex')}.part`);
  const m = meter(maxBytes);
  try {
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    await pipeline(source, m.t, out);
    const fh = await fsp.open(file, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await fsp.rm(file, { force: true });
    throw e;
  }
  return { file, ...m.result() };
}

/** Removes the `.part` files in `dir` not modified for `olderThanMs`; a missing dir is nothing to do. */
export async function sweepPartFiles(dir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(dir, name);
    const st = await fsp.stat(file).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs > olderThanMs) {
      await fsp.rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

async function fsyncDir(dir: string) {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on a directory; the rename is still atomic
  } finally {
    await fh.close();
  }
}

/**
 * Local disk (the default): `<filesDir>/ab/cd/<sm3>`. Written as temp file + fsync + rename, so a
 * blob is either whole or absent; read back only after its digest is checked.
 */
export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, 'tmp');
  }

  /** Where a digest lives; only ever a 64-hex name under the root. */
  pathOf(sm3: string): string {
    if (!isDigest(sm3)) throw new Error('not an SM3 digest');
    return path.join(this.root, sm3.slice(0, 2), sm3.slice(2, 4), sm3);
  }

  async stage(source: Readable, maxBytes: number): Promise<StagedBlob> {
    const { file, sm3, size } = await stageToTemp(this.tmpDir, source, maxBytes);
    const target = this.pathOf(sm3);
    return {
      sm3,
      size,
      path: file,
      commit: async () => {
        if (fs.existsSync(target)) {
          await fsp.rm(file, { force: true }); // stored once: the same bytes are already there
          return;
        }
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.rename(file, target).catch(async (e: NodeJS.ErrnoException) => {
          if (!fs.existsSync(target)) throw e; // lost a race with the same bytes: fine
          await fsp.rm(file, { force: true });
        });
        await fsyncDir(path.dirname(target));
      },
      discard: () => fsp.rm(file, { force: true }),
    };
  }

  async has(sm3: string): Promise<boolean> {
    return isDigest(sm3) && fs.existsSync(this.pathOf(sm3));
  }

  async open(sm3: string): Promise<OpenedBlob> {
    const file = this.pathOf(sm3);
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch {
      throw new StoreMissingError(sm3);
    }
    const actual = await sm3OfFile(file);
    if (actual !== sm3) throw new StoreIntegrityError(sm3, actual);
    return { size, stream: () => fs.createReadStream(file), close: async () => {} };
  }

  sweepTemporary(olderThanMs: number, now?: number): Promise<number> {
    return sweepPartFiles(this.tmpDir, olderThanMs, now);
  }

  async *list(): AsyncIterable<string> {
    for (const a of await fsp.readdir(this.root).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await fsp.readdir(path.join(this.root, a))) {
        for (const f of await fsp.readdir(path.join(this.root, a, b))) if (isDigest(f)) yield f;
      }
    }
  }
}
