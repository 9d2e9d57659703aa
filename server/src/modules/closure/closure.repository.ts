import { type Insertable, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { type ReadScope, visibilitySql } from '../ledger/ledger.scope.js';

const CLOSURE_COLUMNS = [
  'c.id',
  'c.measureId',
  'c.problemId',
  'c.roundUnitId',
  'c.unitOrgId',
  'u.name as unitName',
  'm.categoryCode',
  'c.status',
  'c.summary',
  'c.fileIds',
  'c.applicantId',
  'ap.displayName as applicantName',
  'c.appliedAt',
  'c.decidedBy',
  'dc.displayName as decidedByName',
  'c.decidedAt',
  'c.decisionNote',
  'c.reopenedBy',
  'ro.displayName as reopenedByName',
  'c.reopenedAt',
  'c.reopenSource',
  'c.reopenReason',
  'c.version',
  'c.createdAt',
  'c.updatedAt',
  'p.number as problemNumber',
  'm.content as measureContent',
] as const;

const RECHECK_COLUMNS = [
  'r.id',
  'r.measureId',
  'r.closureId',
  'r.roundUnitId',
  'r.unitOrgId',
  'u.name as unitName',
  'm.categoryCode',
  'p.number as problemNumber',
  'm.content as measureContent',
  'r.monthsAfter',
  'r.dueDate',
  'r.status',
  'r.resultNote',
  'r.doneBy',
  'dn.displayName as doneByName',
  'r.doneAt',
  'r.version',
  'r.createdAt',
  'r.updatedAt',
] as const;

/**
 * 对账销号 (M7): applications with their verifications, and the re-checks after closure (M18).
 * The scope of a closure or re-check is its measure's unit and category (the category follows the
 * problem when it is changed, so it is read from the measure, not from the copy on the row).
 */
export class ClosureRepository {
  private closures(db: Executor) {
    return db
      .selectFrom('closures as c')
      .innerJoin('measures as m', 'm.id', 'c.measureId')
      .innerJoin('problems as p', 'p.id', 'c.problemId')
      .innerJoin('organisations as u', 'u.id', 'c.unitOrgId')
      .leftJoin('users as ap', 'ap.id', 'c.applicantId')
      .leftJoin('users as dc', 'dc.id', 'c.decidedBy')
      .leftJoin('users as ro', 'ro.id', 'c.reopenedBy')
      .select(CLOSURE_COLUMNS);
  }

  async closure(db: Executor, id: number) {
    return this.closures(db).where('c.id', '=', id).executeTakeFirst();
  }

  async closuresOfMeasure(db: Executor, measureId: number) {
    return this.closures(db).where('c.measureId', '=', measureId).orderBy('c.id', 'desc').limit(1000).execute();
  }

  /** The application still open for a measure, if any. */
  async pendingOfMeasure(db: Executor, measureId: number) {
    return db
      .selectFrom('closures')
      .select('id')
      .where('measureId', '=', measureId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  }

  /** The approved closure of a closed measure (the newest). */
  async approvedOfMeasure(db: Executor, measureId: number) {
    return db
      .selectFrom('closures')
      .select(['id', 'version'])
      .where('measureId', '=', measureId)
      .where('status', '=', 'approved')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async page(
    db: Executor,
    f: { status?: string; roundUnitId?: number; unitOrgId?: number; scope: ReadScope; before?: number; limit: number },
  ) {
    let q = this.closures(db);
    if (f.before) q = q.where('c.id', '<', f.before);
    if (f.status) q = q.where('c.status', '=', f.status);
    if (f.roundUnitId) q = q.where('c.roundUnitId', '=', f.roundUnitId);
    if (f.unitOrgId) q = q.where('c.unitOrgId', '=', f.unitOrgId);
    const visibility = visibilitySql(f.scope, sql`c.unit_org_id`, sql`m.category_code`);
    if (visibility) q = q.where(visibility);
    return q.orderBy('c.id', 'desc').limit(f.limit).execute();
  }

  async insertClosure(db: Executor, row: Insertable<DB['closures']>): Promise<number> {
    const r = await db.insertInto('closures').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateClosure(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['closures']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('closures')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- verifications ------------------------------------------------------------------------

  async verifications(db: Executor, closureId: number) {
    return db
      .selectFrom('closureVerifications as v')
      .leftJoin('users as us', 'us.id', 'v.verifierId')
      .leftJoin('organisations as o', 'o.id', 'v.verifierOrgId')
      .select([
        'v.id',
        'v.verifierId',
        'us.displayName as verifierName',
        'v.verifierRole',
        'v.verifierOrgId',
        'o.name as verifierOrgName',
        'v.verdict',
        'v.note',
        'v.createdAt',
      ])
      .where('v.closureId', '=', closureId)
      .orderBy('v.id')
      .execute();
  }

  async insertVerification(db: Executor, row: Insertable<DB['closureVerifications']>): Promise<number> {
    const r = await db.insertInto('closureVerifications').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** The supervising organisations linked to a unit (联系关系), with their line restriction. */
  async liaisonsOfUnit(db: Executor, unitOrgId: number) {
    return db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as o', 'o.id', 'l.supervisorOrgId')
      .select(['l.supervisorOrgId', 'o.name', 'l.categories'])
      .where('l.unitOrgId', '=', unitOrgId)
      .orderBy('l.supervisorOrgId')
      .execute();
  }

  /** The name of the inspection office (巡察机构) as the organisation tree has it, if it has one. */
  async officeName(db: Executor): Promise<string | null> {
    const r = await db
      .selectFrom('organisations')
      .select('name')
      .where('type', '=', 'inspection_office')
      .where('active', '=', 1)
      .orderBy('id')
      .executeTakeFirst();
    return r?.name ?? null;
  }

  async userBrief(db: Executor, id: number) {
    return db.selectFrom('users').select(['id', 'displayName']).where('id', '=', id).executeTakeFirst();
  }

  async problemBrief(db: Executor, id: number) {
    return db
      .selectFrom('problems')
      .select(['id', 'number', 'description', 'categoryCode'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  // --- re-checks ----------------------------------------------------------------------------

  private rechecks(db: Executor) {
    return db
      .selectFrom('rechecks as r')
      .innerJoin('measures as m', 'm.id', 'r.measureId')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .innerJoin('organisations as u', 'u.id', 'r.unitOrgId')
      .leftJoin('users as dn', 'dn.id', 'r.doneBy')
      .select(RECHECK_COLUMNS);
  }

  async recheck(db: Executor, id: number) {
    return this.rechecks(db).where('r.id', '=', id).executeTakeFirst();
  }

  async rechecksOfClosure(db: Executor, closureId: number) {
    return this.rechecks(db).where('r.closureId', '=', closureId).orderBy('r.dueDate').orderBy('r.id').execute();
  }

  async recheckPage(
    db: Executor,
    f: {
      status?: string;
      dueBefore?: string;
      unitOrgId?: number;
      scope: ReadScope;
      after?: { dueDate: string; id: number };
      limit: number;
    },
  ) {
    let q = this.rechecks(db);
    if (f.status) q = q.where('r.status', '=', f.status);
    if (f.dueBefore) q = q.where('r.dueDate', '<', f.dueBefore);
    if (f.unitOrgId) q = q.where('r.unitOrgId', '=', f.unitOrgId);
    if (f.after) {
      const { dueDate, id } = f.after;
      q = q.where((eb) =>
        eb.or([eb('r.dueDate', '>', dueDate), eb.and([eb('r.dueDate', '=', dueDate), eb('r.id', '>', id)])]),
      );
    }
    const visibility = visibilitySql(f.scope, sql`r.unit_org_id`, sql`m.category_code`);
    if (visibility) q = q.where(visibility);
    return q.orderBy('r.dueDate').orderBy('r.id').limit(f.limit).execute();
  }

  async insertRechecks(db: Executor, rows: Insertable<DB['rechecks']>[]): Promise<void> {
    if (rows.length) await db.insertInto('rechecks').values(rows).execute();
  }

  async updateRecheck(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['rechecks']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('rechecks')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Cancels the re-checks still pending for a closure (it was reopened); the ids cancelled. */
  async cancelPendingRechecks(db: Executor, closureId: number, now: number): Promise<number[]> {
    const rows = await db
      .selectFrom('rechecks')
      .select('id')
      .where('closureId', '=', closureId)
      .where('status', '=', 'pending')
      .execute();
    if (!rows.length) return [];
    await db
      .updateTable('rechecks')
      .set((eb) => ({ status: 'cancelled', updatedAt: now, version: eb('version', '+', 1) }))
      .where('closureId', '=', closureId)
      .where('status', '=', 'pending')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  // --- stalled measures (停滞) --------------------------------------------------------------

  /**
   * Open measures whose last progress (or creation) is before `olderThan`, oldest first, keyset
   * paged on (that time, id).
   */
  async stalledPage(
    db: Executor,
    f: {
      olderThan: number;
      roundId?: number;
      termId?: number;
      unitOrgId?: number;
      scope: ReadScope;
      after?: { at: number; id: number };
      limit: number;
    },
  ) {
    const since = sql<number>`coalesce(m.last_progress_at, m.created_at)`;
    let q = db
      .selectFrom('measures as m')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .innerJoin('organisations as u', 'u.id', 'm.unitOrgId')
      .leftJoin('users as ow', 'ow.id', 'm.ownerUserId')
      .select([
        'm.id',
        'm.problemId',
        'p.number as problemNumber',
        'm.roundUnitId',
        'm.roundId',
        'm.termId',
        'm.unitOrgId',
        'u.name as unitName',
        'm.categoryCode',
        'm.content',
        'm.type',
        'm.status',
        'm.effectiveDeadline',
        'm.ownerName',
        'm.ownerUserId',
        'ow.displayName as ownerDisplayName',
        since.as('since'),
      ])
      .where('m.isDone', '=', 0)
      .where(sql<boolean>`${since} < ${f.olderThan}`);
    if (f.roundId) q = q.where('m.roundId', '=', f.roundId);
    if (f.termId) q = q.where('m.termId', '=', f.termId);
    if (f.unitOrgId) q = q.where('m.unitOrgId', '=', f.unitOrgId);
    if (f.after)
      q = q.where(sql<boolean>`(${since} > ${f.after.at} OR (${since} = ${f.after.at} AND m.id > ${f.after.id}))`);
    const visibility = visibilitySql(f.scope, sql`m.unit_org_id`, sql`m.category_code`);
    if (visibility) q = q.where(visibility);
    return q.orderBy(since).orderBy('m.id').limit(f.limit).execute();
  }
}
