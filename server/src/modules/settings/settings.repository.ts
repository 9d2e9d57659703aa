import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

export class SettingsRepository {
  async all(db: Executor) {
    return db.selectFrom('settings').select(['key', 'value', 'version', 'updatedAt']).execute();
  }
  async get(db: Executor, key: string) {
    return db
      .selectFrom('settings')
      .select(['key', 'value', 'version', 'updatedAt'])
      .where('key', '=', key)
      .executeTakeFirst();
  }
  async insert(db: Executor, key: string, value: string, now: number, by: number | null) {
    await db.insertInto('settings').values({ key, value, version: 1, updatedAt: now, updatedBy: by }).execute();
  }
  /** Optimistic update: returns false when the stored version moved on. */
  async update(db: Executor, key: string, value: string, version: number, now: number, by: number | null) {
    const r = await db
      .updateTable('settings')
      .set({ value, version: version + 1, updatedAt: now, updatedBy: by })
      .where('key', '=', key)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
