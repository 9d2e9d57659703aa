import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

export class CalendarRepository {
  /** Exceptions in [from, to] (inclusive; either end open when omitted), by date. */
  async range(db: Executor, from?: string, to?: string) {
    let q = db.selectFrom('calendarDays').select(['date', 'kind', 'note']);
    if (from) q = q.where('date', '>=', from);
    if (to) q = q.where('date', '<=', to);
    return q.orderBy('date').execute();
  }

  async byDate(db: Executor, date: string) {
    return db.selectFrom('calendarDays').select(['date', 'kind', 'note']).where('date', '=', date).executeTakeFirst();
  }

  async upsert(db: Executor, row: { date: string; kind: string; note: string | null }) {
    await db
      .insertInto('calendarDays')
      .values(row)
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: row.kind, note: row.note }))
      .execute();
  }

  async delete(db: Executor, date: string) {
    await db.deleteFrom('calendarDays').where('date', '=', date).execute();
  }
}
