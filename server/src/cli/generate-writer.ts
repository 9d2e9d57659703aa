import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../db/types.js';

/**
 * Bulk inserts for the synthetic dataset (`npm run cli -- generate`): multi-row INSERTs inside
 * explicit transactions, with rows given as arrays in column order (snake_case names). On SQLite one
 * prepared statement per table and batch size through the raw better-sqlite3 handle; on PostgreSQL
 * batches of two thousand rows as one array per column (`unnest`) on one connection, the next batch
 * being built while the server works on the previous one. Only the generator uses this: application writes go through the
 * repositories.
 */
export interface BulkWriter {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Queues (PostgreSQL) or runs (SQLite) the inserts; errors surface at the latest on commit(). */
  insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /** Plain SQL without parameters (ANALYZE, setval …). */
  exec(text: string): Promise<void>;
  rows: number;
}

/** Rows per statement: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
function batchSize(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(30_000 / columns)));
}

export class SqliteBulkWriter implements BulkWriter {
  rows = 0;
  private readonly statements = new Map<string, SQLite.Statement>();
  constructor(private readonly sqlite: SQLite.Database) {}

  async begin() {
    this.sqlite.exec('BEGIN');
  }
  async commit() {
    this.sqlite.exec('COMMIT');
  }
  async rollback() {
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
  }
  async exec(text: string) {
    this.sqlite.exec(text);
  }

  private statement(table: string, columns: readonly string[], n: number): SQLite.Statement {
    const key = `${table}|${n}`;
    let s = this.statements.get(key);
    if (!s) {
      const one = `(${columns.map(() => '?').join(',')})`;
      s = this.sqlite.prepare(
        `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: n }, () => one).join(',')}`,
      );
      this.statements.set(key, s);
    }
    return s;
  }

  async insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) {
    const size = batchSize(columns.length);
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      const flat: unknown[] = [];
      for (const r of chunk) for (const v of r) flat.push(v);
      this.statement(table, columns, chunk.length).run(flat);
    }
    this.rows += rows.length;
  }
}

export class PostgresBulkWriter implements BulkWriter {
  rows = 0;
  private pending: Promise<unknown> | null = null;
  private readonly texts = new Map<string, string>();
  /** `conn` must be one connection (Kysely's `db.connection()`), so that BEGIN … COMMIT hold. */
  constructor(private readonly conn: Kysely<DB>) {}

  private async settle() {
    const p = this.pending;
    this.pending = null;
    if (p) await p;
  }
  private async run(text: string, params: readonly unknown[] = []) {
    await this.settle();
    await this.conn.executeQuery(CompiledQuery.raw(text, params as unknown[]));
  }
  async begin() {
    await this.run('BEGIN');
  }
  async commit() {
    await this.run('COMMIT');
  }
  async rollback() {
    try {
      await this.settle();
    } catch {
      // the failed insert is what we are rolling back
    }
    await this.conn.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async exec(text: string) {
    await this.run(text);
  }

  /**
   * `INSERT … SELECT * FROM unnest($1::int8[], $2::varchar[], …)`: one array per column, so a batch
   * of thousands of rows is one short statement to parse instead of tens of thousands of parameters.
   */
  private async text(table: string, columns: readonly string[]): Promise<string> {
    let t = this.texts.get(table);
    if (!t) {
      await this.settle();
      const r = await this.conn.executeQuery<{ columnName: string; udtName: string }>(
        CompiledQuery.raw(
          'SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
          [table],
        ),
      );
      const types = new Map(r.rows.map((c) => [c.columnName, c.udtName]));
      const arrays = columns.map((c, i) => {
        const type = types.get(c);
        if (!type) throw new Error(`${table}.${c}: no such column`);
        return `$${i + 1}::${type}[]`;
      });
      t = `INSERT INTO ${table} (${columns.join(',')}) SELECT * FROM unnest(${arrays.join(',')})`;
      this.texts.set(table, t);
    }
    return t;
  }

  async insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) {
    const text = await this.text(table, columns);
    for (let i = 0; i < rows.length; i += PG_BATCH) {
      const chunk = rows.slice(i, i + PG_BATCH);
      const arrays: unknown[][] = columns.map(() => new Array(chunk.length));
      for (let r = 0; r < chunk.length; r++) {
        const row = chunk[r]!;
        for (let c = 0; c < arrays.length; c++) arrays[c]![r] = row[c];
      }
      await this.settle(); // at most one statement in flight: the next batch is built meanwhile
      this.pending = this.conn.executeQuery(CompiledQuery.raw(text, arrays));
      // An unobserved rejection would crash the process before settle() sees it.
      this.pending.catch(() => {});
    }
    this.rows += rows.length;
  }
}

/** Rows per PostgreSQL statement (one array parameter per column, so no parameter limit applies). */
const PG_BATCH = 2000;

/**
 * SQLite writes on a worker thread with a connection of its own, so that the main thread can go on
 * building and hashing rows meanwhile (the audit history: the chain is sequential, its hashing is
 * half the work). Plain JavaScript evaluated in the worker: it needs nothing but better-sqlite3.
 * Only for a database file (an in-memory database is not shared between connections), and only while
 * the main connection holds no transaction.
 */
export class SqliteWorkerWriter implements BulkWriter {
  rows = 0;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly inFlight: Promise<void>[] = [];
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) {
        this.failure ??= new Error(m.error);
        w?.reject(this.failure);
      } else w?.resolve();
    });
    worker.on('error', (e) => {
      this.failure ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    });
  }

  /** A writer on `file`, or null when that is not possible (in-memory database). */
  static async open(file: string, memory: boolean): Promise<SqliteWorkerWriter | null> {
    if (memory || !file || file === ':memory:') return null;
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, file } });
    const w = new SqliteWorkerWriter(worker);
    await w.send({ op: 'exec', sql: 'SELECT 1' });
    return w;
  }

  private send(message: Record<string, unknown>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const p = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    p.catch(() => {});
    this.worker.postMessage({ ...message, id });
    return p;
  }
  private async settle() {
    await Promise.all(this.inFlight.splice(0));
    if (this.failure) throw this.failure;
  }
  async begin() {
    await this.settle();
    await this.send({ op: 'exec', sql: 'BEGIN' });
  }
  async commit() {
    await this.settle();
    await this.send({ op: 'exec', sql: 'COMMIT' });
  }
  async rollback() {
    await Promise.allSettled(this.inFlight.splice(0));
    await this.send({ op: 'exec', sql: 'ROLLBACK' }).catch(() => {});
  }
  async exec(text: string) {
    await this.settle();
    await this.send({ op: 'exec', sql: text });
  }
  async insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) {
    const flat: unknown[] = [];
    for (const r of rows) for (const v of r) flat.push(v);
    this.inFlight.push(this.send({ op: 'insert', table, columns, size: batchSize(columns.length), flat }));
    // A few batches ahead of the worker at most: memory stays flat.
    if (this.inFlight.length > 3) await this.inFlight.shift();
    if (this.failure) throw this.failure;
    this.rows += rows.length;
  }
  async close() {
    await Promise.allSettled(this.inFlight.splice(0));
    await this.send({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -2097152');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const statements = new Map();
function statement(table, columns, n) {
  const key = table + '|' + n;
  let s = statements.get(key);
  if (!s) {
    const one = '(' + columns.map(() => '?').join(',') + ')';
    s = db.prepare('INSERT INTO ' + table + ' (' + columns.join(',') + ') VALUES ' + Array.from({ length: n }, () => one).join(','));
    statements.set(key, s);
  }
  return s;
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'exec') db.exec(m.sql);
    else if (m.op === 'insert') {
      const c = m.columns.length;
      const rows = m.flat.length / c;
      for (let i = 0; i < rows; i += m.size) {
        const n = Math.min(m.size, rows - i);
        statement(m.table, m.columns, n).run(m.flat.slice(i * c, (i + n) * c));
      }
    } else if (m.op === 'close') db.close();
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;
