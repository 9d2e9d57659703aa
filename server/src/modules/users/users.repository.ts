import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { escapeLike } from '../organisations/organisations.repository.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface UserFilter {
  q?: string;
  role?: string;
  orgId?: number;
  disabled?: boolean;
  orgIds?: ReadonlySet<number>; // scope; undefined = all
}

export type NewUser = Omit<DB['users'], 'id'> extends infer T ? { [K in keyof T]: T[K] } : never;

/** What an administrator may see of an account: no password hash, no TOTP secret. */
const COLUMNS = [
  'u.id',
  'u.username',
  'u.displayName',
  'u.orgId',
  'o.name as orgName',
  'u.role',
  'u.email',
  'u.phone',
  'u.disabled',
  'u.totpEnabled',
  'u.mustChangePassword',
  't.lockedUntil',
  'u.passwordChangedAt',
  'u.version',
  'u.createdAt',
  'u.updatedAt',
] as const;

const INSERT_BATCH = 500;

export class UserRepository {
  private base(db: Executor) {
    return db
      .selectFrom('users as u')
      .innerJoin('organisations as o', 'o.id', 'u.orgId')
      .leftJoin('loginThrottle as t', 't.username', 'u.username');
  }

  private filtered(db: Executor, f: UserFilter) {
    let q = this.base(db);
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`u.username`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(u.display_name)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(u.email)`, 'like', sql`${like} escape '\\'`),
        ]),
      );
    }
    if (f.role) q = q.where('u.role', '=', f.role);
    if (f.orgId) q = q.where('u.orgId', '=', f.orgId);
    if (f.disabled !== undefined) q = q.where('u.disabled', '=', f.disabled ? 1 : 0);
    if (f.orgIds) q = f.orgIds.size ? q.where('u.orgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q;
  }

  async page(db: Executor, f: UserFilter, after: number, limit: number) {
    const [items, total] = await Promise.all([
      this.filtered(db, f).select(COLUMNS).where('u.id', '>', after).orderBy('u.id').limit(limit).execute(),
      this.filtered(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  async byId(db: Executor, id: number) {
    return this.base(db).select(COLUMNS).where('u.id', '=', id).executeTakeFirst();
  }

  async usernameTaken(db: Executor, username: string): Promise<boolean> {
    return !!(await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst());
  }

  async orgExists(db: Executor, orgId: number): Promise<boolean> {
    return !!(await db.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst());
  }

  async insert(db: Executor, row: NewUser): Promise<number> {
    const r = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Many accounts at once (the Excel import), in statements of a few hundred rows. */
  async insertMany(db: Executor, rows: NewUser[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await db
        .insertInto('users')
        .values(rows.slice(i, i + INSERT_BATCH))
        .execute();
    }
  }

  /** Every username in the system (lower case), to check an import against in one query. */
  async allUsernames(db: Executor): Promise<Set<string>> {
    const rows = await db.selectFrom('users').select('username').execute();
    return new Set(rows.map((r) => r.username.toLowerCase()));
  }

  async update(db: Executor, id: number, version: number, patch: Record<string, unknown>): Promise<boolean> {
    const r = await db
      .updateTable('users')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
