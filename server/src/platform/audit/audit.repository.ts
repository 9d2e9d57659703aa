import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ChainHead, ChainRow, StoredHead } from './chain.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** A chain's head as its writer holds it, with the seq the writer's row takes. */
export interface ClaimedHead extends StoredHead {
  next: number;
}

export class AuditRepository {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /**
   * Takes a chain's head for this transaction. On PostgreSQL the head stays row-locked until COMMIT,
   * so concurrent writers append one after another on a chain; the first free chain from `start` on
   * is taken without waiting (SKIP LOCKED), and only when all are busy does the writer wait, for
   * `start`. A transaction that already holds a chain (`held`) takes the same one again, so it never
   * holds two and never waits on a chain while holding another. The row's seq comes from a sequence
   * while the chain is held, so it rises along each chain. SQLite has one writer and one chain.
   */
  async claimHead(
    trx: Executor,
    chains: number,
    start: number,
    held: number | undefined,
  ): Promise<ClaimedHead | undefined> {
    if (this.dialect === 'sqlite') {
      const h = await trx
        .selectFrom('auditHead')
        .select(['id', 'seq', 'hash', 'mac'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return h && { ...h, next: Number(h.seq) + 1 };
    }
    const claim = (locked: RawBuilder<unknown>) =>
      sql<ClaimedHead>`SELECT h.id, h.seq, h.hash, h.mac, nextval('audit_log_seq') AS next FROM (${locked}) h`
        .execute(trx)
        .then((r) => r.rows[0]);
    const one = (chain: number) => sql`SELECT id, seq, hash, mac FROM audit_head WHERE id = ${chain} FOR UPDATE`;
    if (held !== undefined) return claim(one(held));
    const free = await claim(
      sql`SELECT id, seq, hash, mac FROM audit_head WHERE id BETWEEN 1 AND ${chains}
          ORDER BY (id + ${chains - start}) % ${chains} LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return free ?? claim(one(start));
  }

  async insertHeadsIfMissing(db: Executor, heads: StoredHead[]): Promise<void> {
    await db
      .insertInto('auditHead')
      .values(heads)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async append(trx: Executor, row: ChainRow & { chain: number }, head: ChainHead): Promise<void> {
    if (this.dialect === 'postgres') {
      // One statement: on PostgreSQL every write holds its chain's head from claimHead to COMMIT, so
      // each round trip in between is one that the next writer of the chain waits for.
      await trx
        .with('appended', (db) => db.insertInto('auditLog').values(row).returning('seq'))
        .updateTable('auditHead')
        .set(head)
        .where('id', '=', row.chain)
        .execute();
      return;
    }
    await trx.insertInto('auditLog').values(row).execute();
    await trx.updateTable('auditHead').set(head).where('id', '=', row.chain).execute();
  }

  /** The head of chain 1: the whole log's on SQLite and on a log written before chains. */
  async head(db: Executor): Promise<ChainHead | undefined> {
    return db.selectFrom('auditHead').select(['seq', 'hash', 'mac']).where('id', '=', 1).executeTakeFirst();
  }

  async heads(db: Executor): Promise<StoredHead[]> {
    return db.selectFrom('auditHead').select(['id', 'seq', 'hash', 'mac']).orderBy('id').execute();
  }

  /** The head of the chain that holds the latest row (what a backup records and checks after restore). */
  async latestHead(db: Executor): Promise<{ seq: number; hash: string } | null> {
    const h = await db
      .selectFrom('auditHead')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return h ? { seq: Number(h.seq), hash: h.hash } : null;
  }

  /** The seq of the latest row, 0 for an empty log. */
  async lastSeq(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return Number(r?.m ?? 0);
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
