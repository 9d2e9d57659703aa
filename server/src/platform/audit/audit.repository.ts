import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { atCommit } from '../../db/pipeline.js';
import type { DB } from '../../db/types.js';
import type { ChainHead, ChainRow, StoredHead } from './chain.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** A chain's head as its writer holds it, with the seq the writer's row takes. */
export interface ClaimedHead extends StoredHead {
  next: number;
}

const claim = (locked: RawBuilder<unknown>) =>
  sql<ClaimedHead>`SELECT h.id, h.seq, h.hash, h.mac, nextval('audit_log_seq') AS next FROM (${locked}) h`;

export class AuditRepository {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Seqs come from a sequence (PostgreSQL, several chains); on SQLite a row's seq is its head's + 1. */
  get sequenced(): boolean {
    return this.dialect === 'postgres';
  }

  /**
   * Takes a chain's head for this transaction. On PostgreSQL the head stays row-locked until COMMIT,
   * so concurrent writers append one after another on a chain; the first free chain from `start` on
   * is taken without waiting (SKIP LOCKED, `freeChainClaim`), and only when all are busy does the
   * writer wait, for `start`. The row's seq comes from a sequence while the chain is held, so it rises
   * along each chain. SQLite has one writer and one chain.
   */
  async claimHead(trx: Executor, chains: number, start: number): Promise<ClaimedHead | undefined> {
    if (this.dialect === 'sqlite') {
      const h = await trx
        .selectFrom('auditHead')
        .select(['id', 'seq', 'hash', 'mac'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return h && { ...h, next: Number(h.seq) + 1 };
    }
    const free = await trx.executeQuery(this.freeChainClaim(trx, chains, start));
    if (free.rows[0]) return free.rows[0];
    const r = await claim(sql`SELECT id, seq, hash, mac FROM audit_head WHERE id = ${start} FOR UPDATE`).execute(trx);
    return r.rows[0];
  }

  /** PostgreSQL: the first free chain's head from `start` on, locked, with the seq its row takes; none when all are busy. */
  freeChainClaim(db: Executor, chains: number, start: number) {
    return claim(
      sql`SELECT id, seq, hash, mac FROM audit_head WHERE id BETWEEN 1 AND ${chains}
          ORDER BY (id + ${chains - start}) % ${chains} LIMIT 1 FOR UPDATE SKIP LOCKED`,
    ).compile(db);
  }

  /** PostgreSQL: the seq of a further row on a chain this transaction holds. */
  async nextSeq(db: Executor): Promise<number> {
    const r = await sql<{ next: number }>`SELECT nextval('audit_log_seq') AS next`.execute(db);
    return Number(r.rows[0]!.next);
  }

  async insertHeadsIfMissing(db: Executor, heads: StoredHead[]): Promise<void> {
    await db
      .insertInto('auditHead')
      .values(heads)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /**
   * The row and its chain's new head. On PostgreSQL one statement, sent with COMMIT (db/pipeline.ts):
   * every write holds its chain's head from its claim to COMMIT, so each round trip in between is one
   * that the next writer of the chain waits for.
   */
  async append(trx: Transaction<DB>, row: ChainRow & { chain: number }, head: ChainHead): Promise<void> {
    if (this.dialect === 'postgres') {
      await atCommit(
        trx,
        trx
          .with('appended', (db) => db.insertInto('auditLog').values(row).returning('seq'))
          .updateTable('auditHead')
          .set(head)
          .where('id', '=', row.chain)
          .compile(),
      );
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
