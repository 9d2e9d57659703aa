import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface OrgFilter {
  q?: string;
  type?: string;
  parentId?: number;
  active?: boolean;
  orgIds?: ReadonlySet<number>; // scope; undefined = all
}

const COLUMNS = [
  'id',
  'parentId',
  'code',
  'name',
  'shortName',
  'type',
  'supervisorLine',
  'sort',
  'active',
  'version',
  'createdAt',
  'updatedAt',
] as const;

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class OrganisationRepository {
  private filtered(db: Executor, f: OrgFilter) {
    let q = db.selectFrom('organisations');
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`name`, 'like', sql`${like} escape '\\'`),
          eb(sql`short_name`, 'like', sql`${like} escape '\\'`),
          eb(sql`code`, 'like', sql`${like} escape '\\'`),
        ]),
      );
    }
    if (f.type) q = q.where('type', '=', f.type);
    if (f.parentId) q = q.where('parentId', '=', f.parentId);
    if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
    if (f.orgIds) q = f.orgIds.size ? q.where('id', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q;
  }

  async page(db: Executor, f: OrgFilter, after: number, limit: number) {
    const [items, total] = await Promise.all([
      this.filtered(db, f).select(COLUMNS).where('id', '>', after).orderBy('id').limit(limit).execute(),
      this.filtered(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  async byId(db: Executor, id: number) {
    return db.selectFrom('organisations').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async byCode(db: Executor, code: string) {
    return db.selectFrom('organisations').select(COLUMNS).where('code', '=', code).executeTakeFirst();
  }

  async insert(db: Executor, row: Omit<DB['organisations'], 'id'> extends infer T ? { [K in keyof T]: T[K] } : never) {
    const r = await db.insertInto('organisations').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async update(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('organisations')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Ancestors of an organisation (itself first), to refuse a parent that would make a cycle. */
  async ancestors(db: Executor, id: number): Promise<number[]> {
    const r = await sql<{ id: number }>`
      WITH RECURSIVE up(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM organisations WHERE id = ${id}
        UNION ALL
        SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 64
      ) SELECT id FROM up`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }

  async usage(db: Executor, id: number): Promise<number> {
    const r = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM organisations WHERE parent_id = ${id})
           + (SELECT count(*) FROM users WHERE org_id = ${id})
           + (SELECT count(*) FROM liaison_links WHERE unit_org_id = ${id} OR supervisor_org_id = ${id}) AS n`.execute(
      db,
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async delete(db: Executor, id: number) {
    await db.deleteFrom('organisations').where('id', '=', id).execute();
  }

  async links(db: Executor, f: { unitOrgId?: number; supervisorOrgId?: number; orgIds?: ReadonlySet<number> }) {
    let q = db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as u', 'u.id', 'l.unitOrgId')
      .innerJoin('organisations as s', 's.id', 'l.supervisorOrgId')
      .select([
        'l.id',
        'l.unitOrgId',
        'u.name as unitName',
        'l.supervisorOrgId',
        's.name as supervisorName',
        's.supervisorLine',
        'l.categories',
        'l.createdAt',
      ]);
    if (f.unitOrgId) q = q.where('l.unitOrgId', '=', f.unitOrgId);
    if (f.supervisorOrgId) q = q.where('l.supervisorOrgId', '=', f.supervisorOrgId);
    if (f.orgIds) {
      const ids = [...f.orgIds];
      q = ids.length
        ? q.where((eb) => eb.or([eb('l.unitOrgId', 'in', ids), eb('l.supervisorOrgId', 'in', ids)]))
        : q.where(sql<boolean>`1 = 0`);
    }
    return q.orderBy('l.id').limit(5000).execute();
  }

  async linkById(db: Executor, id: number) {
    return db.selectFrom('liaisonLinks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async linkByPair(db: Executor, unitOrgId: number, supervisorOrgId: number) {
    return db
      .selectFrom('liaisonLinks')
      .selectAll()
      .where('unitOrgId', '=', unitOrgId)
      .where('supervisorOrgId', '=', supervisorOrgId)
      .executeTakeFirst();
  }

  async insertLink(
    db: Executor,
    row: { unitOrgId: number; supervisorOrgId: number; categories: string | null; createdAt: number },
  ) {
    const r = await db.insertInto('liaisonLinks').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async deleteLink(db: Executor, id: number) {
    await db.deleteFrom('liaisonLinks').where('id', '=', id).execute();
  }
}
