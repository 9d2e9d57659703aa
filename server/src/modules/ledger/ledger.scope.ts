import { type RawBuilder, sql } from 'kysely';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import { keptRead, scopeOf } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Executor, LedgerRepository } from './ledger.repository.js';

/**
 * What of the ledger a caller reads (SPEC §2): every unit (`orgIds` undefined), or the units in
 * `orgIds` in full and, for a supervising body whose liaison link names problem categories (its line,
 * e.g. 宣传部: 意识形态), the units in `lines` for those categories only.
 */
export interface ReadScope {
  orgIds?: ReadonlySet<number>;
  lines?: ReadonlyMap<number, readonly string[]>;
}

export async function readScopeOf(db: Executor, repo: LedgerRepository, actor: Actor): Promise<ReadScope> {
  if (ROLE_SCOPE[actor.role] !== 'liaised') {
    const scope = await scopeOf(db, actor);
    return scope.all ? {} : { orgIds: scope.orgIds };
  }
  // A supervising body: its links read once (units and lines together; one round trip per request).
  const orgIds = new Set([actor.orgId]);
  const lines = new Map<number, string[]>();
  for (const link of await keptRead(db, actor, `links:${actor.orgId}`, () => repo.liaisonLinks(db, actor.orgId))) {
    const unit = Number(link.unitOrgId);
    // Its own records stay its own, whatever a link to itself names.
    if (link.categories === null || unit === actor.orgId) orgIds.add(unit);
    else lines.set(unit, link.categories.split(',').filter(Boolean));
  }
  return { orgIds, lines };
}

export function visible(s: ReadScope, unitOrgId: number, categoryCode: string): boolean {
  if (!s.orgIds) return true;
  if (s.orgIds.has(Number(unitOrgId))) return true;
  return s.lines?.get(Number(unitOrgId))?.includes(categoryCode) ?? false;
}

/** The units a caller sees anything of (for lists of units, not of records). */
export function visibleUnits(s: ReadScope): ReadonlySet<number> | undefined {
  if (!s.orgIds) return undefined;
  return new Set([...s.orgIds, ...(s.lines?.keys() ?? [])]);
}

/** The same rule in SQL over a unit column and a category column; null when everything is visible. */
export function visibilitySql(
  s: ReadScope,
  unitColumn: RawBuilder<unknown>,
  categoryColumn: RawBuilder<unknown> | null,
): RawBuilder<boolean> | null {
  if (!s.orgIds) return null;
  const parts: RawBuilder<boolean>[] = [];
  const full = categoryColumn ? [...s.orgIds] : [...(visibleUnits(s) ?? [])];
  if (full.length) parts.push(sql<boolean>`${unitColumn} IN (${sql.join(full)})`);
  if (categoryColumn) {
    for (const [unit, categories] of s.lines ?? []) {
      if (categories.length)
        parts.push(sql<boolean>`(${unitColumn} = ${unit} AND ${categoryColumn} IN (${sql.join([...categories])}))`);
    }
  }
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : sql<boolean>`1 = 0`;
}
