import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ChainHead, ChainRow } from './chain.js';

type Executor = Kysely<DB> | Transaction<DB>;

export class AuditRepository {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Reads the head under a row lock (PostgreSQL) so that concurrent writers append one after another. */
  async lockHead(trx: Executor): Promise<ChainHead | undefined> {
    const q = trx.selectFrom('auditHead').select(['seq', 'hash', 'mac']).where('id', '=', 1);
    return this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  async insertHeadIfMissing(db: Executor, head: ChainHead): Promise<void> {
    await db
      .insertInto('auditHead')
      .values({ id: 1, ...head })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async append(trx: Executor, row: ChainRow, head: ChainHead): Promise<void> {
    if (this.dialect === 'postgres') {
      // One statement: on PostgreSQL every write holds the head's row lock from lockHead to COMMIT,
      // so each round trip in between is one every other writer waits for (the bench's status change).
      await trx
        .with('appended', (db) => db.insertInto('auditLog').values(row).returning('seq'))
        .updateTable('auditHead')
        .set(head)
        .where('id', '=', 1)
        .execute();
      return;
    }
    await trx.insertInto('auditLog').values(row).execute();
    await trx.updateTable('auditHead').set(head).where('id', '=', 1).execute();
  }

  async head(db: Executor): Promise<ChainHead | undefined> {
    return db.selectFrom('auditHead').select(['seq', 'hash', 'mac']).where('id', '=', 1).executeTakeFirst();
  }

  /** All rows in seq order, read in keyset batches so that ten million rows stream in constant memory. */
  async *scan(db: Executor, batch = 5000): AsyncGenerator<ChainRow> {
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batch)
        .execute();
      for (const r of rows) yield r;
      if (rows.length < batch) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  async page(
    db: Executor,
    f: {
      beforeSeq?: number;
      actor?: string;
      action?: string;
      entity?: string;
      from?: number;
      to?: number;
      limit: number;
    },
  ) {
    let q = db.selectFrom('auditLog').selectAll();
    if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
    if (f.actor) q = q.where('actorName', '=', f.actor);
    if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
    if (f.entity) q = q.where('entity', '=', f.entity);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.to) q = q.where('at', '<', f.to);
    return q.orderBy('seq', 'desc').limit(f.limit).execute();
  }

  async count(db: Executor): Promise<number> {
    const r = await db.selectFrom('auditLog').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
