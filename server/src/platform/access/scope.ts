import { type Kysely, sql } from 'kysely';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../auth/actor.js';
import { notFound } from '../errors.js';

/**
 * Which organisations' business records a caller may see (SPEC §2). `all` for the office and the
 * leadership; otherwise an explicit set of organisation ids. Services filter every list by it and
 * answer 404 for a single record outside it.
 */
export type Scope = { all: true } | { all: false; orgIds: ReadonlySet<number> };

export class ScopeRepository {
  /** The organisation and everything below it. */
  async subtree(db: Kysely<DB>, rootId: number): Promise<number[]> {
    const r = await sql<{ id: number }>`
      WITH RECURSIVE sub(id) AS (
        SELECT id FROM organisations WHERE id = ${rootId}
        UNION ALL
        SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id
      ) SELECT id FROM sub`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }

  /** Units linked to a supervising organisation (联系关系). */
  async liaisedUnits(db: Kysely<DB>, supervisorOrgId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('liaisonLinks')
      .select('unitOrgId')
      .where('supervisorOrgId', '=', supervisorOrgId)
      .execute();
    return rows.map((r) => Number(r.unitOrgId));
  }
}

const repo = new ScopeRepository();

export async function scopeOf(db: Kysely<DB>, actor: Actor): Promise<Scope> {
  switch (ROLE_SCOPE[actor.role]) {
    case 'all':
      return { all: true };
    case 'own':
      return {
        all: false,
        orgIds: new Set(await keptRead(db, actor, `subtree:${actor.orgId}`, () => repo.subtree(db, actor.orgId))),
      };
    case 'liaised':
      return {
        all: false,
        orgIds: new Set([
          actor.orgId,
          ...(await keptRead(db, actor, `liaised:${actor.orgId}`, () => repo.liaisedUnits(db, actor.orgId))),
        ]),
      };
    default:
      return { all: false, orgIds: new Set() };
  }
}

/**
 * A read of scope data, kept for the request's access epoch (auth/access-cache.ts). Inside a
 * transaction it is read there and not kept: that transaction's own writes could still roll back.
 */
export function keptRead<T>(db: Kysely<DB>, actor: Actor, key: string, load: () => Promise<T>): Promise<T> {
  if (!actor.access || db.isTransaction) return load();
  return actor.access.memo(key, load);
}

export function inScope(scope: Scope, orgId: number | null | undefined): boolean {
  return scope.all || (orgId !== null && orgId !== undefined && scope.orgIds.has(Number(orgId)));
}

/** A record outside the caller's scope answers exactly as a record that does not exist. */
export function assertInScope(scope: Scope, orgId: number | null | undefined): void {
  if (!inScope(scope, orgId)) throw notFound();
}
