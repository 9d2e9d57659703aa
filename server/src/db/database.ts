import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, type Dialect as KyselyDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import { pipelinePostgresDialect } from './pg-driver.js';
import { startCheckpointer, WAL_BACKSTOP_PAGES } from './sqlite-checkpointer.js';
import { GroupCommitSqliteDriver } from './sqlite-driver.js';
import type { DB } from './types.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (backup API); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// int8 (counts, ids) as numbers: our ids stay far below 2^53. numeric stays a string (exact money).
pg.types.setTypeParser(20, (v) => Number(v));

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL'); // the app's writer lowers it and syncs the WAL itself (sqlite-driver.ts)
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('secure_delete = ON'); // deleted secrets are overwritten, not left in free pages
  // Planner statistics: without them SQLite may pick a poor index at SPEC §4 sizes.
  sqlite.pragma('optimize = 0x10002');
  return sqlite;
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing is a good part of a small query's
 * time (the bench's profile of a status change). The application sends a few hundred distinct SQL
 * texts, so they are kept, the least recently used dropped past `max`. Safe because the driver runs
 * one query at a time on the connection (its mutex), so a kept statement is never busy when reused.
 */
export function withStatementCache(database: SQLite.Database, max = 1000): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  let preparer = database.prepare;
  return {
    close: () => database.close(),
    prepare(text: string) {
      // Whoever wraps the handle's prepare afterwards (the fault drill's storage wrapper) must see
      // every statement from then on: the kept ones were made by the previous prepare.
      if (database.prepare !== preparer) {
        kept.clear();
        preparer = database.prepare;
      }
      let statement = kept.get(text);
      if (statement) kept.delete(text);
      else statement = database.prepare(text);
      kept.set(text, statement); // most recently used last
      if (kept.size > max) kept.delete(kept.keys().next().value as string);
      return statement;
    },
  };
}

/** Statement names by SQL text, shared by every connection (a name is a digest of its text). */
const statementNames = new Map<string, string>();
const MAX_PREPARED_PER_CONNECTION = 1000;
const MAX_PREPARED_PARAMETERS = 64;

/**
 * PostgreSQL parses and plans an unnamed statement anew on every execution; a named one is parsed
 * once per connection and its plan reused. Kysely sends unnamed statements, so each connection names
 * the application's statements itself (the bench at 1M measures: ledger page +33% requests/s).
 * Bounded: at most 1,000 named statements per connection, and none with more than 64 parameters
 * (batched inserts, long IN lists: texts that vary with their length and would only fill the cache).
 * Anything else (a cursor, a config object) passes through as it is.
 */
export function keepPreparedStatements(client: pg.PoolClient): void {
  type Query = (this: pg.PoolClient, ...args: unknown[]) => unknown;
  // Looked up on the prototype at each call: whoever wraps Client.prototype.query (the fault drill)
  // still sees every statement.
  const base = (c: pg.PoolClient) => Object.getPrototypeOf(c).query as Query;
  const prepared = new Set<string>();
  (client as unknown as { query: Query }).query = function (...args) {
    const [text, values] = args;
    const nameable =
      args.length === 2 &&
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length <= MAX_PREPARED_PARAMETERS &&
      (prepared.has(text) || prepared.size < MAX_PREPARED_PER_CONNECTION);
    if (!nameable) return base(this).apply(this, args);
    let name = statementNames.get(text);
    if (!name) {
      name = `r${crypto.createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      if (statementNames.size < 10 * MAX_PREPARED_PER_CONNECTION) statementNames.set(text, name);
    }
    prepared.add(text);
    return base(this).call(this, { name, text, values });
  };
}

/**
 * A second connection for reads outside transactions (see GroupCommitSqliteDriver): WAL lets it read
 * committed data while the writer writes.
 */
function openSqliteReader(file: string): SQLite.Database {
  const reader = new SQLite(file);
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  return reader;
}

function sqliteDialect(sqlite: SQLite.Database): KyselyDialect {
  const writer = withStatementCache(sqlite);
  // An in-memory database is private to its connection: no reader there.
  const reader = sqlite.memory ? null : withStatementCache(openSqliteReader(sqlite.name));
  const base = new SqliteDialect({ database: writer });
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => new GroupCommitSqliteDriver({ writer, raw: sqlite, reader }),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
  };
}

export function createDatabase(opts: { databaseUrl: string | null; sqlitePath: string; poolSize?: number }): Database {
  const plugins = [new CamelCasePlugin()];
  if (opts.databaseUrl) {
    // pipeline: a transaction's statements may leave together (pg-driver.ts).
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      pipeline: true,
    });
    // A connection the server drops (restart, pg_terminate_backend, failover) emits 'error': on the
    // pool while idle, on the client itself while checked out between queries. Unheard, either ends
    // the process. The query in flight fails on its own; the pool discards the broken client when it
    // is released (it is no longer queryable) and the next query opens a new one — found by the
    // connection-cut drill.
    const lost = (err: Error) =>
      process.emitWarning(
        `PostgreSQL connection lost (${(err as { code?: string }).code ?? err.message}); reconnecting`,
      );
    pool.on('error', lost);
    pool.on('connect', (client) => {
      client.on('error', lost);
      keepPreparedStatements(client);
    });
    const db = new Kysely<DB>({ dialect: pipelinePostgresDialect(pool), plugins });
    return { db, dialect: 'postgres', sqlite: null, close: () => db.destroy() };
  }
  const sqlite = openSqlite(opts.sqlitePath);
  const db = new Kysely<DB>({ dialect: sqliteDialect(sqlite), plugins });
  let stopCheckpoints: (() => Promise<void>) | null = null;
  if (!sqlite.memory) {
    // Checkpoints off the requests' thread; this connection only catches up should the worker fall behind.
    sqlite.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    stopCheckpoints = startCheckpointer(sqlite.name);
  }
  const close = async () => {
    await stopCheckpoints?.();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', sqlite, close };
}
