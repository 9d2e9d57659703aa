import { type Insertable, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Executor } from './ledger.repository.js';
import { type ReadScope, visibilitySql } from './ledger.scope.js';

const EXTENSION_COLUMNS = [
  'e.id',
  'e.measureId',
  'e.unitOrgId',
  'e.previousDeadline',
  'e.requestedDeadline',
  'e.reason',
  'e.status',
  'e.requestedBy',
  'rq.displayName as requestedByName',
  'e.requestedAt',
  'e.decidedBy',
  'dc.displayName as decidedByName',
  'e.decidedAt',
  'e.decisionNote',
  'e.version',
] as const;

/** 立行立改 items and deadline extensions (延期申请): small workflows with who and when at each step. */
export class WorkflowRepository {
  // --- 立行立改 -------------------------------------------------------------------------------

  async immediateItem(db: Executor, id: number) {
    return db.selectFrom('immediateItems').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async immediateItemsOfRoundUnit(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('immediateItems')
      .selectAll()
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('id')
      .limit(5000)
      .execute();
  }

  async insertImmediateItem(db: Executor, row: Insertable<DB['immediateItems']>): Promise<number> {
    const r = await db.insertInto('immediateItems').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateImmediateItem(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['immediateItems']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('immediateItems')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- 延期申请 -------------------------------------------------------------------------------

  private extensions(db: Executor) {
    return db
      .selectFrom('deadlineExtensions as e')
      .leftJoin('users as rq', 'rq.id', 'e.requestedBy')
      .leftJoin('users as dc', 'dc.id', 'e.decidedBy')
      .select(EXTENSION_COLUMNS);
  }

  async extension(db: Executor, id: number) {
    return this.extensions(db).where('e.id', '=', id).executeTakeFirst();
  }

  async extensionsOfMeasure(db: Executor, measureId: number) {
    return this.extensions(db).where('e.measureId', '=', measureId).orderBy('e.id').limit(1000).execute();
  }

  async extensionPage(
    db: Executor,
    f: { status?: string; unitOrgId?: number; scope: ReadScope; after: number; limit: number },
  ) {
    let q = this.extensions(db).innerJoin('measures as m', 'm.id', 'e.measureId').where('e.id', '>', f.after);
    if (f.status) q = q.where('e.status', '=', f.status);
    if (f.unitOrgId) q = q.where('e.unitOrgId', '=', f.unitOrgId);
    const visibility = visibilitySql(f.scope, sql`e.unit_org_id`, sql`m.category_code`);
    if (visibility) q = q.where(visibility);
    return q.orderBy('e.id').limit(f.limit).execute();
  }

  async pendingExtension(db: Executor, measureId: number) {
    return db
      .selectFrom('deadlineExtensions')
      .select('id')
      .where('measureId', '=', measureId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  }

  async insertExtension(db: Executor, row: Insertable<DB['deadlineExtensions']>): Promise<number> {
    const r = await db.insertInto('deadlineExtensions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateExtension(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['deadlineExtensions']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('deadlineExtensions')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
