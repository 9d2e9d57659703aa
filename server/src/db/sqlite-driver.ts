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
 */
export class GroupCommitSqliteDriver implements Driver {
  readonly #writer: SqliteDatabase;
  readonly #raw: SQLite.Database;
  readonly #reader: SqliteDatabase | null;
  #locked = false;
  readonly #waiting: (() => void)[] = [];
  #group: Group | null = null;
  #flushScheduled = false;

  constructor(opts: { writer: SqliteDatabase; raw: SQLite.Database; reader: SqliteDatabase | null }) {
    this.#writer = opts.writer;
    this.#raw = opts.raw;
    this.#reader = opts.reader;
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
    if (this.#group) this.#scheduleFlush();
    this.#unlock();
    if (group) await group.done.promise;
  }

  async destroy(): Promise<void> {
    if (this.#group) this.flush();
    this.#writer.close();
    this.#reader?.close();
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
    g.done.resolve();
  }

  /** Runs a statement for a holder of the writer. */
  execute(c: GroupConnection, query: CompiledQuery): QueryResult<unknown> {
    // Outside a transaction a statement is its own: it sees and writes committed data only.
    if (!c.inTransaction && this.#group) this.flush();
    try {
      return runStatement(this.#writer, query);
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

class GroupConnection implements DatabaseConnection {
  locked = false;
  inTransaction = false;
  /** This holder wrote into the open group: its answer waits for the group's COMMIT. */
  joined = false;

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
