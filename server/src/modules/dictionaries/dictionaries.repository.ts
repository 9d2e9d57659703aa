import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

export type DictionaryRow = Selectable<DB['dictionaries']>;

const COLUMNS = [
  'id',
  'kind',
  'code',
  'labelZhCn',
  'labelZhTw',
  'labelEn',
  'sort',
  'active',
  'extra',
  'version',
  'updatedAt',
] as const;

/** Dictionaries are small (hundreds of rows): lists are capped, not paged. */
export const LIST_CAP = 5000;

export class DictionaryRepository {
  async list(db: Executor, f: { kind?: string; active?: boolean }) {
    let q = db.selectFrom('dictionaries').select(COLUMNS);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
    return q.orderBy('kind').orderBy('sort').orderBy('id').limit(LIST_CAP).execute();
  }

  async byId(db: Executor, id: number) {
    return db.selectFrom('dictionaries').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async byKindCode(db: Executor, kind: string, code: string) {
    return db
      .selectFrom('dictionaries')
      .select(COLUMNS)
      .where('kind', '=', kind)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  async insert(db: Executor, row: Insertable<DB['dictionaries']>) {
    const r = await db.insertInto('dictionaries').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async update(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('dictionaries')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(db: Executor, id: number) {
    await db.deleteFrom('dictionaries').where('id', '=', id).execute();
  }
}
