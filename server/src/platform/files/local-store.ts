import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type Writable } from 'node:stream';
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

/**
 * The file-system calls by which a store writes: a new file's bytes, fsync of a file and of a
 * directory, mkdir, rename. Gathered in one object so that the fault drill can make the k-th of them
 * fail as a full or broken disk would (drills/support/faulty-storage.ts).
 */
export interface StoreDisk {
  mkdir(dir: string): Promise<unknown>;
  /** A stream to a new file (exclusive create, owner-only). */
  create(file: string): Writable;
  syncFile(file: string): Promise<void>;
  syncDir(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const nodeDisk: StoreDisk = {
  mkdir: (dir) => fsp.mkdir(dir, { recursive: true }),
  create: (file) => fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }),
  async syncFile(file) {
    const fh = await fsp.open(file, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async syncDir(dir) {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
};

/** Writes a stream to a new temporary file in `dir`, fsynced; returns its digest and size. */
export async function stageToTemp(dir: string, source: Readable, maxBytes: number, disk: StoreDisk = nodeDisk) {
  await disk.mkdir(dir);
  const file = path.join(dir, `upload-${process.pid}-${crypto.randomBytes(12).toString('hex')}.part`);
  const m = meter(maxBytes);
  const out = disk.create(file);
  try {
    await pipeline(source, m.t, out);
    await disk.syncFile(file);
  } catch (e) {
    await removeWritten(out, file);
    throw e;
  }
  return { file, ...m.result() };
}

/**
 * Removes the file a failed pipeline() was writing. pipeline() can settle on an earlier stream's
 * error while the file is still being opened; removing it before the write stream has closed would
 * leave the file that stream is about to create.
 */
export async function removeWritten(out: Writable, file: string): Promise<void> {
  if (!out.closed) await new Promise((resolve) => out.once('close', resolve));
  await fsp.rm(file, { force: true });
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

/**
 * Some file systems refuse fsync on a directory (the rename is still atomic there); a disk that
 * fails it (EIO, full) does not make the new name durable, so that is an error.
 */
async function fsyncDir(disk: StoreDisk, dir: string) {
  try {
    await disk.syncDir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EIO' || code === 'ENOSPC' || code === 'EDQUOT') throw e;
  }
}

/**
 * The uploads a store has staged and not yet discarded, per digest, so that a blob is taken back
 * (retract) only while its upload is the one upload of those bytes under way in this process, and a
 * commit of the same bytes waits for that decision rather than find a blob that is about to go.
 * Only for a store one process owns: the S3 store, shared by instances, keeps unnamed blobs.
 */
class Staging {
  private readonly held = new Map<string, number>();
  private readonly retracting = new Map<string, Promise<unknown>>();

  /** Counts one staged upload of `sm3`; the returned release (idempotent) ends it. */
  hold(sm3: string): () => void {
    this.held.set(sm3, (this.held.get(sm3) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.held.get(sm3) ?? 1) - 1;
      if (n > 0) this.held.set(sm3, n);
      else this.held.delete(sm3);
    };
  }

  /** Before a commit looks for the blob: waits while a retract of the same bytes is deciding. */
  async settled(sm3: string): Promise<void> {
    await this.retracting.get(sm3);
  }

  /**
   * Removes the blob (`remove`) if the caller's upload is the only one of `sm3` staged here and
   * `named()` finds no row naming it. Whoever stages the same bytes from now on commits after this.
   */
  async retract(sm3: string, named: () => Promise<boolean>, remove: () => Promise<void>): Promise<boolean> {
    if ((this.held.get(sm3) ?? 0) > 1 || this.retracting.has(sm3)) return false;
    const run = (async () => {
      if (await named()) return false;
      await remove();
      return true;
    })();
    this.retracting.set(
      sm3,
      run.catch(() => {}),
    );
    try {
      return await run;
    } finally {
      this.retracting.delete(sm3);
    }
  }
}

/**
 * Local disk (the default): `<filesDir>/ab/cd/<sm3>`. Written as temp file + fsync + rename, so a
 * blob is either whole or absent; read back only after its digest is checked.
 */
export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  private readonly tmpDir: string;
  private readonly staging = new Staging();

  constructor(
    private readonly root: string,
    /** How it writes (the fault drill wraps it). */
    public disk: StoreDisk = nodeDisk,
  ) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, 'tmp');
  }

  /** Where a digest lives; only ever a 64-hex name under the root. */
  pathOf(sm3: string): string {
    if (!isDigest(sm3)) throw new Error('not an SM3 digest');
    return path.join(this.root, sm3.slice(0, 2), sm3.slice(2, 4), sm3);
  }

  async stage(source: Readable, maxBytes: number): Promise<StagedBlob> {
    const { file, sm3, size } = await stageToTemp(this.tmpDir, source, maxBytes, this.disk);
    const target = this.pathOf(sm3);
    const release = this.staging.hold(sm3);
    /** Whether this upload's commit put the blob in place (rather than finding it there). */
    let stored = false;
    return {
      sm3,
      size,
      path: file,
      commit: async () => {
        await this.staging.settled(sm3);
        if (fs.existsSync(target)) {
          await fsp.rm(file, { force: true }); // stored once: the same bytes are already there
          return;
        }
        await this.disk.mkdir(path.dirname(target));
        const renamed = await this.disk.rename(file, target).then(
          () => true,
          async (e: NodeJS.ErrnoException) => {
            if (!fs.existsSync(target)) throw e; // lost a race with the same bytes: fine
            await fsp.rm(file, { force: true });
            return false;
          },
        );
        stored ||= renamed;
        await fsyncDir(this.disk, path.dirname(target));
      },
      retract: async (named) => {
        if (!stored) return;
        if (await this.staging.retract(sm3, named, () => fsp.rm(target, { force: true }))) stored = false;
      },
      discard: async () => {
        release();
        await fsp.rm(file, { force: true });
      },
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
