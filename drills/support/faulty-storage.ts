import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { LocalFileStore, StoreDisk } from '../../server/src/platform/files/local-store.js';

/** The statements that write: a fault is injected on the k-th of these (COMMIT included). */
const WRITE = /^\s*(insert|update|delete|replace|commit)\b/i;

export type WriteKind = 'database' | 'file';

/**
 * One count of writes across the database and the file store: armed with k, it lets k − 1 writes
 * pass and fails the k-th, whichever kind it is, so that every k of an operation that writes both
 * (an upload: temp file, fsync, mkdir, rename, then the row) meets the fault once. The injectors
 * below ask it before each write; odd k fail as a full disk, even k as an I/O error.
 */
export class Faults {
  private armedAt: number | null = null;
  private seen = 0;
  /** The kind of each write since the last arm(), in order. */
  readonly writes: WriteKind[] = [];
  /** Whether the armed fault was thrown, and where. */
  fired: { k: number; kind: WriteKind; what: string } | null = null;

  /** Fails the k-th write from now on (counting restarts). */
  arm(k: number) {
    this.armedAt = k;
    this.seen = 0;
    this.writes.length = 0;
    this.fired = null;
  }

  disarm() {
    this.armedAt = null;
  }

  /** Writes seen since the last arm(). */
  get count() {
    return this.seen;
  }

  /** Called before a write: 'full' or 'io' when this one must fail, else null. */
  hit(kind: WriteKind, what: string): 'full' | 'io' | null {
    this.seen++;
    this.writes.push(kind);
    if (this.armedAt === null || this.seen !== this.armedAt) return null;
    this.fired = { k: this.seen, kind, what };
    this.armedAt = null;
    return this.seen % 2 ? 'full' : 'io';
  }
}

/**
 * The SQLite of a running app: every statement the app prepares goes through the handle's
 * `prepare`, which this replaces (the app's statement cache notices and drops what it kept), so the
 * services, the audit log and the counters all meet the fault, which fails the statement without
 * executing it (SQLITE_FULL "database or disk is full", or SQLITE_IOERR "disk I/O error").
 * Returns the undo.
 */
export function faultySqlite(sqlite: SQLite.Database, faults: Faults): () => void {
  const own = Object.hasOwn(sqlite, 'prepare');
  const original = sqlite.prepare;
  const prepare = original.bind(sqlite);
  (sqlite as { prepare: (src: string) => SQLite.Statement }).prepare = (src: string) => {
    const stmt = prepare(src);
    if (!WRITE.test(src)) return stmt;
    return new Proxy(stmt, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function' || !['run', 'all', 'get', 'iterate'].includes(String(prop))) return v;
        return (...args: unknown[]) => {
          const fault = faults.hit('database', src.slice(0, 60));
          if (fault === 'full') throw new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL');
          if (fault === 'io') throw new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR');
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return () => {
    if (own) sqlite.prepare = original;
    else delete (sqlite as { prepare?: unknown }).prepare;
  };
}

/** What PostgreSQL answers when its disk is full or failing (SQLSTATE 53100 disk_full, 58030 io_error). */
function pgError(fault: 'full' | 'io'): pg.DatabaseError {
  const e =
    fault === 'full'
      ? new pg.DatabaseError('could not extend file "base/16384/16403": No space left on device', 0, 'error')
      : new pg.DatabaseError('could not write to file "pg_wal/xlogtemp.4242": Input/output error', 0, 'error');
  e.severity = 'ERROR';
  e.code = fault === 'full' ? '53100' : '58030';
  e.hint = fault === 'full' ? 'Check free disk space.' : undefined;
  return e;
}

/**
 * PostgreSQL below Kysely: the `query` of every pg client (the pool's included) is replaced, and a
 * writing statement the fault falls on is refused without being sent, with the error PostgreSQL
 * gives for a full or failing disk. The transaction it was part of is still open and is rolled back
 * by the caller, as after a real failed statement. Returns the undo (restores the prototype).
 */
export function faultyPostgres(faults: Faults): () => void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: unknown } | null)?.text ?? '');
    if (typeof text === 'string' && WRITE.test(text)) {
      const fault = faults.hit('database', text.slice(0, 60));
      if (fault) {
        const err = pgError(fault);
        const callback = args.find((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
        if (callback) {
          process.nextTick(() => callback(err));
          return undefined;
        }
        return Promise.reject(err);
      }
    }
    return query.apply(this, args);
  };
  return () => {
    proto.query = query;
  };
}

/** The error node:fs gives for a full disk or an I/O error. */
function fsError(fault: 'full' | 'io', syscall: string, file: string): NodeJS.ErrnoException {
  const [code, errno, text] = fault === 'full' ? ['ENOSPC', -28, 'no space left on device'] : ['EIO', -5, 'i/o error'];
  return Object.assign(new Error(`${code}: ${text}, ${syscall} '${file}'`), { code, errno, syscall, path: file });
}

/**
 * The local file store of a running app: its disk (new file bytes, fsync, mkdir, rename, directory
 * fsync) is wrapped so that the write the fault falls on fails as a full or failing disk would — a
 * new file's bytes half written then ENOSPC/EIO; fsync, mkdir and rename refused without effect.
 * Returns the undo.
 */
export function faultyFiles(store: LocalFileStore, faults: Faults): () => void {
  const disk = store.disk;
  const wrapped: StoreDisk = {
    async mkdir(dir) {
      const f = faults.hit('file', `mkdir ${dir}`);
      if (f) throw fsError(f, 'mkdir', dir);
      return disk.mkdir(dir);
    },
    create(file) {
      const f = faults.hit('file', `write ${file}`);
      const real = disk.create(file);
      if (!f) return real;
      // The disk fills up (or fails) part-way: half of the first chunk reaches the file, then the write fails.
      return new Writable({
        write(chunk: Buffer, _enc, done) {
          real.end(chunk.subarray(0, chunk.length >> 1), () => done(fsError(f, 'write', file)));
        },
        final(done) {
          real.end(() => done(fsError(f, 'write', file)));
        },
        destroy(err, done) {
          if (!real.destroyed) real.destroy();
          done(err);
        },
      });
    },
    async syncFile(file) {
      const f = faults.hit('file', `fsync ${file}`);
      if (f) throw fsError(f, 'fsync', file);
      return disk.syncFile(file);
    },
    async syncDir(dir) {
      const f = faults.hit('file', `fsync ${dir}/`);
      if (f) throw fsError(f, 'fsync', dir);
      return disk.syncDir(dir);
    },
    async rename(from, to) {
      const f = faults.hit('file', `rename ${from}`);
      if (f) throw fsError(f, 'rename', from);
      return disk.rename(from, to);
    },
  };
  store.disk = wrapped;
  return () => {
    store.disk = disk;
  };
}
