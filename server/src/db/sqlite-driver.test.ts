import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Database } from './database.js';
import { GROUP_MAX_AGE_MS } from './sqlite-driver.js';

/**
 * Group commit (GroupCommitSqliteDriver): the writes of one turn of the event loop share a COMMIT,
 * none is answered before it, a failure stays with its own write, and reads outside a transaction
 * see committed data only.
 */

let dir: string;
let file: string;
let database: Database;
let commits: number;
let failNextCommit: boolean;

/** Counts the COMMITs the app runs and can fail the next one (as the fault drill does). */
function watchCommits(sqlite: SQLite.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: (src: string) => SQLite.Statement }).prepare = (src: string) => {
    const stmt = prepare(src);
    if (!/^\s*commit\b/i.test(src)) return stmt;
    return new Proxy(stmt, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (prop !== 'run' && prop !== 'all') return typeof v === 'function' ? v.bind(target) : v;
        return (...args: unknown[]) => {
          if (failNextCommit) {
            failNextCommit = false;
            throw new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR');
          }
          commits++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
}

async function open(sqlitePath: string) {
  database = createDatabase({ databaseUrl: null, sqlitePath });
  await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`.execute(database.db);
  commits = 0;
  failNextCommit = false;
  watchCommits(database.sqlite!);
}

const insert = (v: string) => sql`INSERT INTO t (v) VALUES (${v})`;
/** The rows as another process sees them. */
function rowsNow() {
  const other = new SQLite(file, { readonly: true });
  try {
    return other.prepare('SELECT v FROM t ORDER BY id').pluck().all();
  } finally {
    other.close();
  }
}

describe('SQLite group commit on a database file', () => {
  /** The group's clock: stands still unless a test moves it, so a slow machine does not age a group. */
  let clock = 0;
  beforeEach(async () => {
    clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-group-'));
    file = path.join(dir, 'db.sqlite');
    await open(file);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes of one turn together and answers each only once it is on disk', async () => {
    const seenOnAnswer: number[] = [];
    const writes = Array.from({ length: 10 }, (_, i) =>
      database.db
        .transaction()
        .execute(async (trx) => {
          await insert(`w${i}`).execute(trx);
          await sql`SELECT count(*) FROM t`.execute(trx);
        })
        // what another process sees when the write is answered
        .then(() => seenOnAnswer.push(rowsNow().length)),
    );
    await Promise.all(writes);
    expect(commits).toBe(1);
    expect(seenOnAnswer).toEqual(Array(10).fill(10));
    expect(rowsNow()).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`));
  });

  it('commits a group early once it is older than its age limit when the next write begins', async () => {
    const writes = Array.from({ length: 4 }, (_, i) =>
      database.db.transaction().execute(async (trx) => {
        if (i === 1) clock += GROUP_MAX_AGE_MS + 1; // time passes in the second write: the third begins in an aged group
        await insert(`w${i}`).execute(trx);
      }),
    );
    await Promise.all(writes);
    expect(commits).toBe(2);
    expect(rowsNow()).toEqual(['w0', 'w1', 'w2', 'w3']);
  });

  it('rolls a failing write back alone; the others of its group commit', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((v) =>
        database.db.transaction().execute(async (trx) => {
          await insert(v).execute(trx);
          if (v === 'b') throw new Error('b refused');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('b refused');
    expect(commits).toBe(1);
    expect(rowsNow()).toEqual(['a', 'c']);
  });

  it('fails every write of a group whose COMMIT fails, keeps none of them, and goes on', async () => {
    failNextCommit = true;
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((v) => database.db.transaction().execute((trx) => insert(v).execute(trx))),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason.code).toBe('SQLITE_IOERR');
    expect(rowsNow()).toEqual([]);
    await database.db.transaction().execute((trx) => insert('d').execute(trx));
    expect(rowsNow()).toEqual(['d']);
  });

  it('reads outside a transaction see committed data only, without waiting for the writer', async () => {
    await database.db.transaction().execute((trx) => insert('before').execute(trx));
    let finish!: () => void;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let inserted!: () => void;
    const didInsert = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const writing = database.db.transaction().execute(async (trx) => {
      await insert('during').execute(trx);
      inserted();
      await held; // the writer is held mid-transaction
    });
    await didInsert;
    const read = await sql<{ v: string }>`SELECT v FROM t ORDER BY id`.execute(database.db);
    expect(read.rows.map((r) => r.v)).toEqual(['before']);
    finish();
    await writing;
    const after = await sql<{ v: string }>`SELECT v FROM t ORDER BY id`.execute(database.db);
    expect(after.rows.map((r) => r.v)).toEqual(['before', 'during']);
  });

  describe('the WAL is synced off the event loop before a write is answered', () => {
    /** FileHandle.datasync, held until a test lets it go, on the WAL file of this test's database. */
    let syncs: { file: string; release: (e?: Error) => void }[];
    let proto: { datasync: () => Promise<void> };
    let original: () => Promise<void>;
    beforeEach(async () => {
      syncs = [];
      const probe = await fs.promises.open(file, 'r');
      proto = Object.getPrototypeOf(probe);
      await probe.close();
      original = proto.datasync;
      proto.datasync = function (this: fs.promises.FileHandle) {
        return new Promise<void>((resolve, reject) => {
          const path = fs.readlinkSync(`/proc/self/fd/${this.fd}`);
          syncs.push({
            file: path,
            release: (e) => (e ? reject(e) : original.call(this).then(resolve, reject)),
          });
        });
      };
    });
    afterEach(() => {
      proto.datasync = original;
    });
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 5_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 2));
      }
    };

    it('runs the writer at synchronous = NORMAL and answers a write only after its WAL is synced', async () => {
      expect(database.sqlite!.pragma('synchronous', { simple: true })).toBe(1);
      let answered = false;
      const write = database.db
        .transaction()
        .execute((trx) => insert('a').execute(trx))
        .then(() => {
          answered = true;
        });
      await until(() => syncs.length === 1);
      expect(syncs[0]!.file).toBe(`${fs.realpathSync(file)}-wal`);
      expect(rowsNow()).toEqual(['a']); // committed: others may read it …
      await new Promise((r) => setTimeout(r, 20));
      expect(answered).toBe(false); // … but its writer waits for the fsync
      syncs[0]!.release();
      await write;
      expect(answered).toBe(true);
    });

    it('answers a write outside any transaction (its own COMMIT) only after the WAL is synced', async () => {
      let answered = false;
      const write = insert('alone')
        .execute(database.db)
        .then(() => {
          answered = true;
        });
      await until(() => syncs.length === 1);
      expect(rowsNow()).toEqual(['alone']);
      await new Promise((r) => setTimeout(r, 20));
      expect(answered).toBe(false);
      syncs[0]!.release();
      await write;
      expect(answered).toBe(true);
      await sql`SELECT count(*) FROM t`.execute(database.db); // a read waits for no sync
      expect(syncs.length).toBe(1);
    });

    it('serves every group committed during one fsync with the next fsync', async () => {
      const first = database.db.transaction().execute((trx) => insert('a').execute(trx));
      await until(() => syncs.length === 1);
      const later = ['b', 'c', 'd'].map((v, i) => {
        if (i > 0) clock += GROUP_MAX_AGE_MS + 1; // separate groups, separate COMMITs
        return database.db.transaction().execute((trx) => insert(v).execute(trx));
      });
      await until(() => commits >= 2);
      await new Promise((r) => setTimeout(r, 20));
      expect(syncs.length).toBe(1); // one fsync at a time
      syncs[0]!.release();
      await first;
      await until(() => syncs.length === 2);
      syncs[1]!.release();
      await Promise.all(later);
      expect(syncs.length).toBe(2);
      expect(rowsNow()).toEqual(['a', 'b', 'c', 'd']);
    });

    it('fails the writes whose fsync fails, and syncs again for the next', async () => {
      const write = database.db.transaction().execute((trx) => insert('a').execute(trx));
      await until(() => syncs.length === 1);
      syncs[0]!.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await expect(write).rejects.toMatchObject({ code: 'EIO' });
      const next = database.db.transaction().execute((trx) => insert('b').execute(trx));
      await until(() => syncs.length === 2);
      syncs[1]!.release();
      await next;
    });
  });
});

describe('SQLite group commit in memory (no read connection)', () => {
  afterEach(() => database.close());

  it('commits the open group before a statement outside a transaction', async () => {
    await open(':memory:');
    const write = database.db.transaction().execute((trx) => insert('x').execute(trx));
    const read = sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(database.db).then((r) => ({
      n: Number(r.rows[0]!.n),
      commitsSeen: commits,
    }));
    const [, seen] = await Promise.all([write, read]);
    expect(seen).toEqual({ n: 1, commitsSeen: 1 });
  });
});
