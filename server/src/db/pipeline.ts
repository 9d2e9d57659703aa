import type { CompiledQuery, DatabaseConnection, Kysely, QueryResult, Transaction } from 'kysely';
import type { PipelinedConnection } from './pg-driver.js';
import type { DB } from './types.js';

type Executor = Kysely<DB> | Transaction<DB>;

const pipelined = (c: DatabaseConnection): c is PipelinedConnection => 'together' in c && 'atCommit' in c;

/**
 * Runs the statements in this order and answers each one's rows. On PostgreSQL they leave in one
 * round trip (pg-driver.ts); at the start of a transaction BEGIN goes with them, so they must be
 * harmless on their own (reads, row locks, a sequence number). SQLite runs them one after another.
 */
export async function together<R extends unknown[]>(
  db: Executor,
  queries: { [K in keyof R]: CompiledQuery<R[K]> },
): Promise<{ [K in keyof R]: R[K][] }> {
  const executor = db.getExecutor();
  const list = queries as readonly CompiledQuery[];
  const answers = await executor.provideConnection(async (c) => {
    if (pipelined(c)) return c.together(list);
    const out: QueryResult<unknown>[] = [];
    for (const q of list) out.push(await c.executeQuery(q));
    return out;
  });
  // What Kysely's executor does with every answer (the camel-case plugin's names).
  const rows = await Promise.all(
    answers.map(async (answer, i) => {
      let r = answer as QueryResult<Record<string, unknown>>;
      for (const plugin of executor.plugins) r = await plugin.transformResult({ result: r, queryId: list[i]!.queryId });
      return r.rows;
    }),
  );
  return rows as { [K in keyof R]: R[K][] };
}

/**
 * A write of the transaction whose answer nobody reads (the audit row). On PostgreSQL it is sent with
 * COMMIT, in the order given; if it fails, nothing of the transaction is committed and its error is
 * what the transaction throws. SQLite writes it now.
 */
export async function atCommit(trx: Transaction<DB>, query: CompiledQuery): Promise<void> {
  await trx.getExecutor().provideConnection(async (c) => {
    if (pipelined(c)) c.atCommit(query);
    else await c.executeQuery(query);
  });
}
