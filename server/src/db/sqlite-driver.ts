import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';

/** A group is committed once it holds this many writes, or once it is this old (ms) when the next begins. */
export const GROUP_MAX_MEMBERS = 32;
export const GROUP_MAX_AGE_MS = 8;

const SAVEPOINT = 'rectify_write';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // whoever joined awaits it; an unawaited rejection must not crash the process
  return { promise, resolve, reject };
}

/** The writes that share one SQLite transaction (组提交), each waiting for its COMMIT. */
interface Group {
  done: Deferred;
  members: number;
  startedAt: number;
}

/**
 * SQLite has one writer. Each write transaction used to end in its own COMMIT, and at 1M measures a
 * COMMIT is half of a status change's time (27 pages into the WAL and an fsync, bench/README.md).
 * This driver commits writes in groups: a finished transaction only RELEASEs its savepoint, the
 * writes of the requests handled in the same turn of the event loop continue in the same SQLite
 * transaction, and the group commits at the end of that turn, or earlier once it has 32 members or
 * is 8 ms old.
 *
 * - A write is answered only after the COMMIT that holds it: `releaseConnection` waits for the group,
 *   so nothing is acknowledged that a crash could lose (the crash drill).
 * - A failed write rolls back to its own savepoint; the others in the group are untouched. A failed
 *   COMMIT (disk full, I/O error) fails every write of the group: none was acknowledged.
 * - Reads outside a transaction go to a second, read-only connection (file databases; WAL lets it
 *   read while the writer writes), so they see only committed data and never wait for the writer.
 *   On an in-memory database there is no second connection: a statement outside a transaction
 *   commits the open group first.
 * - A transaction's own reads stay on the writer, inside its savepoint.
 * - On a database file the writer runs with `synchronous = NORMAL`: COMMIT writes the WAL but does
 *   not sync it, and the group's writes (and a write outside any transaction, which commits on its
 *   own) are answered once a `WalSync` has synced the WAL on a thread of libuv's pool. The fsync
 *   (most of a COMMIT's time at 1M measures, bench/README.md) no longer stops the event loop, and one
 *   fsync serves every group committed while the previous one ran.
 *   Other requests may read a committed group before its fsync ends; none of its writers has been
 *   answered, and a process crash (not a power cut) keeps it anyway.
 */
export class GroupCommitSqliteDriver implements Driver {
  readonly #writer: SqliteDatabase;
  readonly #raw: SQLite.Database;
  readonly #reader: SqliteDatabase | null;
  #locked = false;
  readonly #waiting: (() => void)[] = [];
  #group: Group | null = null;
  #flushScheduled = false;
  readonly #walSync: WalSync | null;

  constructor(opts: { writer: SqliteDatabase; raw: SQLite.Database; reader: SqliteDatabase | null }) {
    this.#writer = opts.writer;
    this.#raw = opts.raw;
    this.#reader = opts.reader;
    // An in-memory database has no WAL and nothing to make durable.
    this.#walSync = opts.raw.memory ? null : new WalSync(`${opts.raw.name}-wal`);
    if (this.#walSync) opts.raw.pragma('synchronous = NORMAL');
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    await c.lock();
    const g = this.#group;
    if (g && (g.members >= GROUP_MAX_MEMBERS || performance.now() - g.startedAt > GROUP_MAX_AGE_MS)) this.flush();
    this.#ensureGroup();
    this.#run(`savepoint ${SAVEPOINT}`);
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    this.#run(`release ${SAVEPOINT}`);
    c.inTransaction = false;
    c.joined = true;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    c.inTransaction = false;
    if (this.#raw.inTransaction) {
      this.#run(`rollback to ${SAVEPOINT}`);
      this.#run(`release ${SAVEPOINT}`);
      // nothing of this one is left in the group: it answers its own error, not the group's COMMIT
    } else {
      this.#lost(new Error('SQLite rolled back the whole transaction'));
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    if (!c.locked) return;
    if (c.inTransaction) await this.rollbackTransaction(c); // Kysely always ends it first; stay sound anyway
    const group = c.joined ? this.#group : null;
    // A write outside a transaction committed on its own, unsynced (synchronous = NORMAL): it too is
    // answered only once the WAL is on disk.
    const synced = c.wroteAlone && this.#walSync ? this.#walSync.synced() : null;
    c.wroteAlone = false;
    if (this.#group) this.#scheduleFlush();
    this.#unlock();
    if (group) await group.done.promise;
    if (synced) await synced;
  }

  async destroy(): Promise<void> {
    if (this.#group) this.flush();
    await this.#walSync?.drain();
    this.#writer.close();
    this.#reader?.close();
    await this.#walSync?.close();
  }

  /** Commits the open group now (the next write starts a new one). */
  flush(): void {
    const g = this.#group;
    if (!g) return;
    this.#group = null;
    try {
      this.#run('commit');
    } catch (e) {
      // Runs from setImmediate too: whatever the ROLLBACK does, every member hears the COMMIT's error.
      try {
        if (this.#raw.inTransaction) this.#raw.exec('rollback');
      } catch {
        // left open: the next group rolls it back before it begins (#ensureGroup)
      }
      g.done.reject(e);
      return;
    }
    if (this.#walSync) this.#walSync.synced().then(g.done.resolve, g.done.reject);
    else g.done.resolve();
  }

  /** Runs a statement for a holder of the writer. */
  execute(c: GroupConnection, query: CompiledQuery): QueryResult<unknown> {
    // Outside a transaction a statement is its own: it sees and writes committed data only.
    if (!c.inTransaction && this.#group) this.flush();
    try {
      const result = runStatement(this.#writer, query);
      if (!c.inTransaction && result.numAffectedRows !== undefined) c.wroteAlone = true;
      return result;
    } catch (e) {
      if (this.#group && !this.#raw.inTransaction) this.#lost(e);
      throw e;
    }
  }

  /** A read outside any transaction on the read connection, or null when it must go to the writer. */
  readCommitted(query: CompiledQuery): QueryResult<unknown> | null {
    if (!this.#reader) return null;
    const stmt = this.#reader.prepare(query.sql);
    if (!stmt.reader || !(stmt as unknown as { readonly: boolean }).readonly) return null;
    return { rows: stmt.all(query.parameters as unknown[]) as unknown[] };
  }

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#locked = false;
  }

  /**
   * better-sqlite3 answers synchronously, so a transaction runs to its end without yielding and the
   * requests that arrived with it are still queued on the event loop: the COMMIT waits for them, until
   * the loop's check phase. Never while someone holds the writer (a savepoint may be open): that
   * holder's release schedules it again.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (!this.#locked) this.flush();
    });
  }

  #ensureGroup(): void {
    if (this.#group) {
      this.#group.members++;
      return;
    }
    // IMMEDIATE: the write lock is taken now, so a writer waits its turn under busy_timeout. A deferred
    // BEGIN reads first and upgrades later; when another process (the backup CLI, a second instance)
    // committed in between, SQLite refuses the upgrade at once with SQLITE_BUSY (the backup drill).
    // A transaction still open here was left by a failed ROLLBACK: nothing of it was answered.
    if (this.#raw.inTransaction) this.#raw.exec('rollback');
    this.#run('begin immediate');
    this.#group = { done: deferred(), members: 1, startedAt: performance.now() };
  }

  /** SQLite ended the transaction itself (some errors do): every write of the group is gone. */
  #lost(e: unknown): void {
    const g = this.#group;
    this.#group = null;
    g?.done.reject(e);
  }

  #run(text: string): void {
    runStatement(this.#writer, CompiledQuery.raw(text));
  }
}

/**
 * Syncs a WAL file after COMMITs and then settles their waiters. One fsync at a time: the groups
 * committed while it runs wait for the next, which covers them all (group commit of the fsync itself).
 * The descriptor stays open: SQLite deletes the WAL only when its last connection closes, and the
 * writer's outlives this. Closing it early would also be wrong — a process's POSIX locks on a file
 * go with any of its descriptors (SQLite locks the database and -shm files, never the -wal).
 * A failed fsync fails every waiter it was for: none of them is answered as written.
 */
export class WalSync {
  #waiting: Deferred[] = [];
  #running: Promise<void> | null = null;
  #handle: Promise<fs.promises.FileHandle> | null = null;

  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed so far is on disk. */
  synced(): Promise<void> {
    const d = deferred();
    this.#waiting.push(d);
    this.#running ??= this.#run();
    return d.promise;
  }

  /** Resolves when no waiter is left. */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    await this.drain();
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await (await handle).close();
  }

  async #run(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        this.#handle ??= fs.promises.open(this.walFile, 'r');
        await (await this.#handle).datasync();
        for (const d of batch) d.resolve();
      } catch (e) {
        // Opened again by the next sync (the open failed, or the descriptor is broken).
        const broken = this.#handle;
        this.#handle = null;
        broken?.then((h) => h.close()).catch(() => {});
        for (const d of batch) d.reject(e);
      }
    }
    this.#running = null;
  }
}

class GroupConnection implements DatabaseConnection {
  locked = false;
  inTransaction = false;
  /** This holder wrote into the open group: its answer waits for the group's COMMIT. */
  joined = false;
  /** This holder wrote outside a transaction (its own COMMIT): its answer waits for the WAL's sync. */
  wroteAlone = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  async lock(): Promise<void> {
    if (this.locked) return;
    await this.driver.lock();
    this.locked = true;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.locked) {
      const read = this.driver.readCommitted(query);
      if (read) return read as QueryResult<R>;
      await this.lock();
    }
    return this.driver.execute(this, query) as QueryResult<R>;
  }

  // biome-ignore lint/correctness/useYield: the application streams nothing from SQLite; Kysely's interface wants the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite here');
  }
}

function runStatement(database: SqliteDatabase, query: CompiledQuery): QueryResult<unknown> {
  const stmt: SqliteStatement = database.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) as unknown[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}
