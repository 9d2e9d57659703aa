import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

export type NewOrganisation = Omit<DB['organisations'], 'id'> extends infer T ? { [K in keyof T]: T[K] } : never;

const INSERT_BATCH = 500;

export class ImportRepository {
  /** Every organisation code with its id, to check a whole sheet against in one query. */
  async orgCodes(db: Executor): Promise<Map<string, number>> {
    const rows = await db.selectFrom('organisations').select(['id', 'code']).execute();
    return new Map(rows.map((r) => [r.code, Number(r.id)]));
  }

  /** Inserts organisations in statements of a few hundred rows; answers code → new id. */
  async insertOrganisations(db: Executor, rows: NewOrganisation[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const created = await db
        .insertInto('organisations')
        .values(rows.slice(i, i + INSERT_BATCH))
        .returning(['id', 'code'])
        .execute();
      for (const c of created) ids.set(c.code, Number(c.id));
    }
    return ids;
  }
}
