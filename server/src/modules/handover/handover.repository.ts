import { type Insertable, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

const ITEM_COLUMNS = [
  'i.id',
  'i.handoverId',
  'i.problemId',
  'p.number as problemNumber',
  'p.description as problemDescription',
  'p.categoryCode',
  'p.severity',
  'i.roundUnitId',
  'rd.name as roundName',
  'i.unitOrgId',
  'u.name as unitName',
  'i.receivingOrgId',
  'rc.name as receivingOrgName',
  'i.kind',
  'i.status',
  'i.acceptedBy',
  'ac.displayName as acceptedByName',
  'i.acceptedAt',
  'i.returnedBy',
  'rt.displayName as returnedByName',
  'i.returnedAt',
  'i.returnReason',
  'i.supervisorOrgId',
  'so.name as supervisorOrgName',
  'i.dispatchedBy',
  'dp.displayName as dispatchedByName',
  'i.dispatchedAt',
  'i.dispatchNote',
  'i.dueDate',
  'i.concludedBy',
  'cc.displayName as concludedByName',
  'i.concludedAt',
  'i.conclusion',
  'i.version',
  'i.createdAt',
  'i.updatedAt',
] as const;

/** Who sees which handed-over items (SPEC §2, M9); `all` for the inspection office. */
export type HandoverViewer =
  | { kind: 'all' }
  | { kind: 'receiver'; orgIds: readonly number[] }
  | { kind: 'supervisor'; orgId: number }
  | { kind: 'none' };

/** The viewer's rule over the item alias `i`, in SQL; null when everything is visible. */
function itemVisibility(v: HandoverViewer) {
  switch (v.kind) {
    case 'all':
      return null;
    case 'receiver':
      return v.orgIds.length ? sql<boolean>`i.receiving_org_id IN (${sql.join([...v.orgIds])})` : sql<boolean>`1 = 0`;
    case 'supervisor':
      return sql<boolean>`i.supervisor_org_id = ${v.orgId}`;
    default:
      return sql<boolean>`1 = 0`;
  }
}

/**
 * Handovers to the 党风政风室 with their items and the supervision offices' notes (M9), and the
 * responsibility handovers of measures between people with their notices (M18).
 */
export class HandoverRepository {
  // --- references ---------------------------------------------------------------------------

  /** The supervision offices an item can be dispatched to: every active organisation of type supervisor. */
  async dispatchTargets(db: Executor) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'shortName', 'supervisorLine'])
      .where('type', '=', 'supervisor')
      .where('active', '=', 1)
      .orderBy('sort')
      .orderBy('id')
      .limit(2000)
      .execute();
  }

  /** An active organisation of the given type (党风政风室: discipline_office; 监督室: supervisor). */
  async activeOrgOfType(db: Executor, id: number, type: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', '=', id)
      .where('type', '=', type)
      .where('active', '=', 1)
      .executeTakeFirst();
  }

  async problems(db: Executor, ids: readonly number[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('problems')
      .select(['id', 'roundUnitId', 'unitOrgId', 'categoryCode'])
      .where('id', 'in', [...ids])
      .orderBy('id')
      .execute();
  }

  async measuresOfProblems(db: Executor, problemIds: readonly number[]) {
    if (!problemIds.length) return [];
    return db
      .selectFrom('measures')
      .select(['id', 'problemId', 'type', 'status', 'isDone'])
      .where('problemId', 'in', [...problemIds])
      .execute();
  }

  /** The problems among `ids` already in a live handover item. */
  async liveProblems(db: Executor, ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await db
      .selectFrom('handoverItems')
      .select('openProblemId')
      .where('openProblemId', 'in', [...ids])
      .execute();
    return rows.map((r) => Number(r.openProblemId));
  }

  // --- handovers ----------------------------------------------------------------------------

  async insertHandover(db: Executor, row: Insertable<DB['handovers']>): Promise<number> {
    const r = await db.insertInto('handovers').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async insertItems(db: Executor, rows: Insertable<DB['handoverItems']>[]): Promise<void> {
    if (rows.length) await db.insertInto('handoverItems').values(rows).execute();
  }

  private handovers(db: Executor) {
    return db
      .selectFrom('handovers as h')
      .innerJoin('organisations as rc', 'rc.id', 'h.receivingOrgId')
      .leftJoin('users as sb', 'sb.id', 'h.sentBy')
      .select([
        'h.id',
        'h.receivingOrgId',
        'rc.name as receivingOrgName',
        'h.note',
        'h.sentBy',
        'sb.displayName as sentByName',
        'h.sentAt',
        'h.version',
        'h.createdAt',
        'h.updatedAt',
      ]);
  }

  async handover(db: Executor, id: number) {
    return this.handovers(db).where('h.id', '=', id).executeTakeFirst();
  }

  /** Handovers with at least one item the viewer sees, newest first, keyset paged on id. */
  async handoverPage(
    db: Executor,
    f: { viewer: HandoverViewer; receivingOrgId?: number; pending?: boolean; before?: number; limit: number },
  ) {
    let q = this.handovers(db);
    if (f.before) q = q.where('h.id', '<', f.before);
    if (f.receivingOrgId) q = q.where('h.receivingOrgId', '=', f.receivingOrgId);
    const vis = itemVisibility(f.viewer);
    const conds = [vis, f.pending ? sql<boolean>`i.status = 'handed_over'` : null].filter((c) => c !== null);
    if (conds.length)
      q = q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM handover_items i WHERE i.handover_id = h.id AND ${sql.join(conds, sql` AND `)})`,
      );
    return q.orderBy('h.id', 'desc').limit(f.limit).execute();
  }

  /** Items by status of the given handovers, of those the viewer sees. */
  async counts(db: Executor, handoverIds: readonly number[], viewer: HandoverViewer) {
    if (!handoverIds.length) return [];
    let q = db
      .selectFrom('handoverItems as i')
      .select(['i.handoverId', 'i.status', sql<number>`count(*)`.as('n')])
      .where('i.handoverId', 'in', [...handoverIds]);
    const vis = itemVisibility(viewer);
    if (vis) q = q.where(vis);
    return q.groupBy(['i.handoverId', 'i.status']).execute();
  }

  async bumpHandover(db: Executor, id: number, version: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('handovers')
      .set({ version: version + 1, updatedAt: now })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- items --------------------------------------------------------------------------------

  private items(db: Executor) {
    return db
      .selectFrom('handoverItems as i')
      .innerJoin('problems as p', 'p.id', 'i.problemId')
      .innerJoin('roundUnits as ru', 'ru.id', 'i.roundUnitId')
      .innerJoin('rounds as rd', 'rd.id', 'ru.roundId')
      .innerJoin('organisations as u', 'u.id', 'i.unitOrgId')
      .innerJoin('organisations as rc', 'rc.id', 'i.receivingOrgId')
      .leftJoin('organisations as so', 'so.id', 'i.supervisorOrgId')
      .leftJoin('users as ac', 'ac.id', 'i.acceptedBy')
      .leftJoin('users as rt', 'rt.id', 'i.returnedBy')
      .leftJoin('users as dp', 'dp.id', 'i.dispatchedBy')
      .leftJoin('users as cc', 'cc.id', 'i.concludedBy')
      .select(ITEM_COLUMNS);
  }

  async item(db: Executor, id: number) {
    return this.items(db).where('i.id', '=', id).executeTakeFirst();
  }

  async itemsOfHandover(db: Executor, handoverId: number, viewer: HandoverViewer) {
    let q = this.items(db).where('i.handoverId', '=', handoverId);
    const vis = itemVisibility(viewer);
    if (vis) q = q.where(vis);
    return q.orderBy('i.id').limit(1000).execute();
  }

  /** The supervision ledger: items the viewer sees, newest first, keyset paged on id. */
  async itemPage(
    db: Executor,
    f: {
      viewer: HandoverViewer;
      status?: string;
      supervisorOrgId?: number;
      unitOrgId?: number;
      before?: number;
      limit: number;
    },
  ) {
    let q = this.items(db);
    if (f.before) q = q.where('i.id', '<', f.before);
    if (f.status) q = q.where('i.status', '=', f.status);
    if (f.supervisorOrgId) q = q.where('i.supervisorOrgId', '=', f.supervisorOrgId);
    if (f.unitOrgId) q = q.where('i.unitOrgId', '=', f.unitOrgId);
    const vis = itemVisibility(f.viewer);
    if (vis) q = q.where(vis);
    return q.orderBy('i.id', 'desc').limit(f.limit).execute();
  }

  async updateItem(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['handoverItems']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('handoverItems')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async measuresOfProblem(db: Executor, problemId: number) {
    return db
      .selectFrom('measures')
      .select(['id', 'content', 'type', 'status', 'effectiveDeadline', 'ownerName'])
      .where('problemId', '=', problemId)
      .orderBy('seq')
      .limit(1000)
      .execute();
  }

  async notes(db: Executor, itemId: number) {
    return db
      .selectFrom('handoverItemNotes as n')
      .leftJoin('users as a', 'a.id', 'n.authorId')
      .leftJoin('organisations as o', 'o.id', 'n.authorOrgId')
      .select([
        'n.id',
        'n.authorId',
        'a.displayName as authorName',
        'n.authorOrgId',
        'o.name as authorOrgName',
        'n.content',
        'n.createdAt',
      ])
      .where('n.itemId', '=', itemId)
      .orderBy('n.id')
      .limit(1000)
      .execute();
  }

  async insertNote(db: Executor, row: Insertable<DB['handoverItemNotes']>): Promise<number> {
    const r = await db.insertInto('handoverItemNotes').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  // --- responsibility handovers (整改责任交接) --------------------------------------------------

  /** Open measures of a round-unit owned by a person: by user id when known, else by the name written. */
  async ownedMeasures(db: Executor, roundUnitId: number, owner: { userId: number | null; name: string }) {
    let q = db
      .selectFrom('measures')
      .selectAll()
      .where('roundUnitId', '=', roundUnitId)
      .where('status', 'in', ['not_started', 'in_progress', 'completed']);
    q = owner.userId !== null ? q.where('ownerUserId', '=', owner.userId) : q.where('ownerName', '=', owner.name);
    return q.orderBy('id').limit(5000).execute();
  }

  async insertResponsibilityHandover(db: Executor, row: Insertable<DB['responsibilityHandovers']>): Promise<number> {
    const r = await db.insertInto('responsibilityHandovers').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async insertResponsibilityMeasures(db: Executor, rows: Insertable<DB['responsibilityHandoverMeasures']>[]) {
    if (rows.length) await db.insertInto('responsibilityHandoverMeasures').values(rows).execute();
  }

  async insertNotices(db: Executor, rows: Insertable<DB['responsibilityHandoverNotices']>[]) {
    if (rows.length) await db.insertInto('responsibilityHandoverNotices').values(rows).execute();
  }

  private responsibilityHandovers(db: Executor) {
    return db
      .selectFrom('responsibilityHandovers as r')
      .innerJoin('organisations as u', 'u.id', 'r.unitOrgId')
      .leftJoin('users as rb', 'rb.id', 'r.recordedBy')
      .select([
        'r.id',
        'r.roundUnitId',
        'r.unitOrgId',
        'u.name as unitName',
        'r.fromUserId',
        'r.fromName',
        'r.toUserId',
        'r.toName',
        'r.effectiveDate',
        'r.reason',
        'r.measureCount',
        'r.recordedBy',
        'rb.displayName as recordedByName',
        'r.createdAt',
      ]);
  }

  async responsibilityHandover(db: Executor, id: number) {
    return this.responsibilityHandovers(db).where('r.id', '=', id).executeTakeFirst();
  }

  async responsibilityPage(db: Executor, roundUnitId: number, before: number | undefined, limit: number) {
    let q = this.responsibilityHandovers(db).where('r.roundUnitId', '=', roundUnitId);
    if (before) q = q.where('r.id', '<', before);
    return q.orderBy('r.id', 'desc').limit(limit).execute();
  }

  async responsibilityMeasures(db: Executor, handoverId: number) {
    return db
      .selectFrom('responsibilityHandoverMeasures as hm')
      .innerJoin('measures as m', 'm.id', 'hm.measureId')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .select([
        'hm.measureId',
        'm.problemId',
        'm.unitOrgId',
        'm.categoryCode',
        'p.number as problemNumber',
        'm.content',
        'm.status',
        'hm.previousOwnerName',
        'hm.previousOwnerUserId',
        'hm.versionBefore',
        'hm.versionAfter',
      ])
      .where('hm.handoverId', '=', handoverId)
      .orderBy('hm.measureId')
      .execute();
  }

  async noticesOfHandover(db: Executor, handoverId: number) {
    return db
      .selectFrom('responsibilityHandoverNotices')
      .select(['recipientUserId', 'role', 'readAt'])
      .where('handoverId', '=', handoverId)
      .orderBy('id')
      .execute();
  }

  private notices(db: Executor) {
    return db
      .selectFrom('responsibilityHandoverNotices as n')
      .innerJoin('responsibilityHandovers as r', 'r.id', 'n.handoverId')
      .innerJoin('organisations as u', 'u.id', 'r.unitOrgId')
      .select([
        'n.id',
        'n.handoverId',
        'n.role',
        'n.recipientUserId',
        'r.roundUnitId',
        'u.name as unitName',
        'r.fromName',
        'r.toName',
        'r.effectiveDate',
        'r.reason',
        'r.measureCount',
        'n.createdAt',
        'n.readAt',
      ]);
  }

  async notice(db: Executor, id: number) {
    return this.notices(db).where('n.id', '=', id).executeTakeFirst();
  }

  async noticePage(db: Executor, userId: number, f: { unread?: boolean; before?: number; limit: number }) {
    let q = this.notices(db).where('n.recipientUserId', '=', userId);
    if (f.unread) q = q.where('n.readAt', 'is', null);
    if (f.before) q = q.where('n.id', '<', f.before);
    return q.orderBy('n.id', 'desc').limit(f.limit).execute();
  }

  async markRead(db: Executor, id: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('responsibilityHandoverNotices')
      .set({ readAt: now })
      .where('id', '=', id)
      .where('readAt', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
