import {
  AbortedTransactionError,
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresDialect,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';

/**
 * Kysely's PostgreSQL driver, with the statements of a transaction sent together where their order
 * allows it (the pipeline of PostgreSQL's extended protocol; `pg` with `pipeline: true`).
 *
 * Why: on this kind of machine every round trip costs the server and a backend each a wake-up, and in
 * the bench's profile of a status change a quarter of the server's time was `writev` under the
 * query's submit. So:
 * - BEGIN is not sent on its own: it goes out with the transaction's first statement when that is a
 *   SELECT, or with the statements given to `together()` at the start of a transaction. Either must be
 *   harmless should it run on its own (a read, a row lock, a sequence number, a cache epoch): BEGIN
 *   does not fail on a live connection, but if it did, they would have run outside the transaction;
 *   nothing after them is sent, and the error is thrown.
 * - `atCommit()` writes (a write whose answer nobody reads: the audit row) wait for COMMIT and go out
 *   with it. PostgreSQL runs them in order; if one fails, the transaction is aborted, COMMIT answers
 *   ROLLBACK, nothing of the transaction stays, and the write's own error is thrown.
 * - Statements written together leave in one write to the socket (corked).
 */

/** What `together()` and `atCommit()` (pipeline.ts) ask of a connection. */
export interface PipelinedConnection extends DatabaseConnection {
  together(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]>;
  atCommit(query: CompiledQuery): void;
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const READ = /^\s*select\b/i;

type Client = pg.PoolClient & { connection: { stream: { cork(): void; uncork(): void } } };

class PipelinePostgresConnection implements PipelinedConnection {
  /** BEGIN asked for and not yet sent: it leaves with the first statement. */
  beginPending = false;
  /** Written at COMMIT, in this order; dropped on rollback. */
  private pending: CompiledQuery[] = [];
  broken: Error | undefined;

  constructor(readonly client: Client) {}

  private send(q: CompiledQuery) {
    return this.client.query(q.sql, [...q.parameters]) as Promise<pg.QueryResult>;
  }

  /** The queries in one write; their answers in order, or the first error (after all have answered). */
  private async batch(queries: readonly CompiledQuery[]): Promise<pg.QueryResult[]> {
    const stream = this.client.connection.stream;
    let sent: Promise<pg.QueryResult>[];
    stream.cork();
    try {
      sent = queries.map((q) => this.send(q));
    } finally {
      stream.uncork();
    }
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
  }

  /** Sends what leads: BEGIN if still pending. `withBegin`: the queries may travel with it. */
  private async run(queries: readonly CompiledQuery[], withBegin: boolean): Promise<pg.QueryResult[]> {
    if (!this.beginPending) return this.batch(queries);
    this.beginPending = false;
    if (withBegin) return (await this.batch([BEGIN, ...queries])).slice(1);
    await this.send(BEGIN);
    return this.batch(queries);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const [r] = await this.run([query], READ.test(query.sql));
    return toResult<R>(r!);
  }

  async together(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    return (await this.run(queries, true)).map((r) => toResult(r));
  }

  atCommit(query: CompiledQuery): void {
    this.pending.push(query);
  }

  async commit(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    // Nothing was sent: there is no transaction to end.
    if (this.beginPending && !pending.length) {
      this.beginPending = false;
      return;
    }
    // Writes never travel with BEGIN (they must not run outside the transaction).
    const answers = await this.run([...pending, COMMIT], false);
    if (answers[answers.length - 1]!.command === 'ROLLBACK') throw new AbortedTransactionError();
  }

  async rollback(): Promise<void> {
    this.pending = [];
    if (this.beginPending) {
      this.beginPending = false;
      return;
    }
    try {
      await this.send(ROLLBACK);
    } catch (e) {
      this.broken = e as Error;
      throw e;
    }
  }

  // biome-ignore lint/correctness/useYield: streaming is not used on PostgreSQL (keyset batches instead)
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported: read in keyset batches');
  }
}

function toResult<R>(r: pg.QueryResult): QueryResult<R> {
  if (r.command === 'ROLLBACK' || r.command === 'COMMIT') return { rows: [{ command: r.command } as R] };
  const writes = r.command === 'INSERT' || r.command === 'UPDATE' || r.command === 'DELETE' || r.command === 'MERGE';
  return {
    numAffectedRows: writes ? BigInt(r.rowCount ?? 0) : undefined,
    rows: (r.rows ?? []) as R[],
  };
}

export class PipelinePostgresDriver implements Driver {
  private readonly connections = new WeakMap<pg.PoolClient, PipelinePostgresConnection>();

  /** `pool` must make its clients with `pipeline: true` (database.ts). */
  constructor(private readonly pool: pg.Pool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.pool.connect();
    let c = this.connections.get(client);
    if (!c) {
      c = new PipelinePostgresConnection(client as Client);
      this.connections.set(client, c);
    }
    return c;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as PipelinePostgresConnection;
    if (settings.isolationLevel || settings.accessMode) {
      const parts = ['start transaction'];
      if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
      if (settings.accessMode) parts.push(settings.accessMode);
      await c.executeQuery(CompiledQuery.raw(parts.join(' ')));
      return;
    }
    c.beginPending = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PipelinePostgresConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PipelinePostgresConnection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as PipelinePostgresConnection;
    c.beginPending = false;
    // A connection whose ROLLBACK failed may still be inside a transaction: the pool closes it.
    const broken = c.broken;
    c.broken = undefined;
    c.client.release(broken);
    if (broken) this.connections.delete(c.client);
  }

  async destroy(): Promise<void> {
    await this.pool.end();
  }
}

/** Kysely's PostgreSQL dialect with this driver; `pool` must make its clients with `pipeline: true`. */
export function pipelinePostgresDialect(pool: pg.Pool): Dialect {
  const base = new PostgresDialect({ pool });
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => new PipelinePostgresDriver(pool),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
  };
}
