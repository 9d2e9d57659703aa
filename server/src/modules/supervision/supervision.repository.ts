import { type Insertable, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { type ReadScope, visibleUnits } from '../ledger/ledger.scope.js';

const PLAN_COLUMNS = [
  'p.id',
  'p.supervisorOrgId',
  'so.name as supervisorName',
  'p.unitOrgId',
  'u.name as unitName',
  'p.roundUnitId',
  'p.title',
  'p.content',
  'p.startDate',
  'p.endDate',
  'p.createdBy',
  'cb.displayName as createdByName',
  'p.version',
  'p.createdAt',
  'p.updatedAt',
] as const;

const MILESTONE_COLUMNS = [
  'ms.id',
  'ms.planId',
  'ms.title',
  'ms.dueDate',
  'ms.doneDate',
  'ms.doneNote',
  'ms.doneBy',
  'db.displayName as doneByName',
  'ms.version',
  'ms.createdAt',
  'ms.updatedAt',
] as const;

const ACTION_COLUMNS = [
  'a.id',
  'a.kind',
  'a.supervisorOrgId',
  'so.name as supervisorName',
  'so.shortName as supervisorShortName',
  'a.unitOrgId',
  'u.name as unitName',
  'a.targetType',
  'a.problemId',
  'pr.number as problemNumber',
  'a.measureId',
  'me.content as measureContent',
  'a.roundUnitId',
  'a.planId',
  'a.actionDate',
  'a.title',
  'a.content',
  'a.responseRequired',
  'a.responseDeadline',
  'a.status',
  'a.responseText',
  'a.responseFileIds',
  'a.respondedBy',
  'rb.displayName as respondedByName',
  'a.respondedAt',
  'a.closedBy',
  'cl.displayName as closedByName',
  'a.closedAt',
  'a.closeNote',
  'a.docNumber',
  'a.createdBy',
  'cb.displayName as createdByName',
  'a.version',
  'a.createdAt',
  'a.updatedAt',
] as const;

const ORDER_COLUMNS = [
  'o.id',
  'o.supervisorOrgId',
  'so.name as supervisorName',
  'o.unitOrgId',
  'u.name as unitName',
  'o.roundUnitId',
  'o.addressee',
  'o.title',
  'o.content',
  'o.deadline',
  'o.status',
  'o.doneAt',
  'o.createdBy',
  'cb.displayName as createdByName',
  'o.version',
  'o.createdAt',
  'o.updatedAt',
] as const;

const ITEM_COLUMNS = [
  'i.id',
  'i.orderId',
  'i.seq',
  'i.content',
  'i.deadline',
  'i.status',
  'i.answerText',
  'i.answerFileIds',
  'i.answeredBy',
  'ab.displayName as answeredByName',
  'i.answeredAt',
  'i.reviewedBy',
  'rv.displayName as reviewedByName',
  'i.reviewedAt',
  'i.reviewNote',
  'i.version',
  'i.createdAt',
  'i.updatedAt',
] as const;

/** The current category of an action's target (a measure's follows its problem), null for the unit itself. */
const ACTION_CATEGORY = sql<string | null>`coalesce(me.category_code, pr.category_code)`;

/** The units a caller sees records of (plans and orders are about a unit as a whole). */
function unitVisibility(s: ReadScope, unitColumn: RawBuilder<unknown>): RawBuilder<boolean> | null {
  const units = visibleUnits(s);
  if (!units) return null;
  return units.size ? sql<boolean>`${unitColumn} IN (${sql.join([...units])})` : sql<boolean>`1 = 0`;
}

/**
 * An action is seen in full at the units of the read scope; at a unit a supervisor follows for its
 * line only, the actions on the unit as a whole and those on problems or measures of its line.
 */
function actionVisibility(s: ReadScope): RawBuilder<boolean> | null {
  if (!s.orgIds) return null;
  const parts: RawBuilder<boolean>[] = [];
  if (s.orgIds.size) parts.push(sql<boolean>`a.unit_org_id IN (${sql.join([...s.orgIds])})`);
  for (const [unit, categories] of s.lines ?? []) {
    const cats = categories.length ? sql<boolean>` OR ${ACTION_CATEGORY} IN (${sql.join([...categories])})` : sql``;
    parts.push(sql<boolean>`(a.unit_org_id = ${unit} AND (a.target_type = 'unit'${cats}))`);
  }
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : sql<boolean>`1 = 0`;
}

/** Supervision plans and milestones, actions, dispatch orders and items (SPEC M8): all the SQL. */
export class SupervisionRepository {
  constructor(private readonly dialect: Dialect) {}

  // --- references -----------------------------------------------------------------------------

  async organisation(db: Executor, id: number, lock = false) {
    const q = db.selectFrom('organisations').select(['id', 'name', 'shortName', 'type', 'active']).where('id', '=', id);
    return lock && this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  /** The liaison link between a unit and a supervising organisation, with its line (null = all). */
  async link(db: Executor, unitOrgId: number, supervisorOrgId: number) {
    return db
      .selectFrom('liaisonLinks')
      .select(['id', 'categories'])
      .where('unitOrgId', '=', unitOrgId)
      .where('supervisorOrgId', '=', supervisorOrgId)
      .executeTakeFirst();
  }

  async roundUnit(db: Executor, id: number) {
    return db.selectFrom('roundUnits').select(['id', 'unitOrgId']).where('id', '=', id).executeTakeFirst();
  }

  async problem(db: Executor, id: number) {
    return db
      .selectFrom('problems')
      .select(['id', 'unitOrgId', 'roundUnitId', 'categoryCode', 'number'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async measure(db: Executor, id: number) {
    return db
      .selectFrom('measures')
      .select(['id', 'unitOrgId', 'roundUnitId', 'problemId', 'categoryCode'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  // --- plans and milestones -------------------------------------------------------------------

  private plans(db: Executor) {
    return db
      .selectFrom('supervisionPlans as p')
      .innerJoin('organisations as so', 'so.id', 'p.supervisorOrgId')
      .innerJoin('organisations as u', 'u.id', 'p.unitOrgId')
      .leftJoin('users as cb', 'cb.id', 'p.createdBy')
      .select(PLAN_COLUMNS);
  }

  async plan(db: Executor, id: number) {
    return this.plans(db).where('p.id', '=', id).executeTakeFirst();
  }

  async planPage(
    db: Executor,
    f: { scope: ReadScope; unitOrgId?: number; supervisorOrgId?: number; before?: number; limit: number },
  ) {
    let q = this.plans(db);
    if (f.before) q = q.where('p.id', '<', f.before);
    if (f.unitOrgId) q = q.where('p.unitOrgId', '=', f.unitOrgId);
    if (f.supervisorOrgId) q = q.where('p.supervisorOrgId', '=', f.supervisorOrgId);
    const v = unitVisibility(f.scope, sql`p.unit_org_id`);
    if (v) q = q.where(v);
    return q.orderBy('p.id', 'desc').limit(f.limit).execute();
  }

  async insertPlan(db: Executor, row: Insertable<DB['supervisionPlans']>): Promise<number> {
    const r = await db.insertInto('supervisionPlans').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updatePlan(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['supervisionPlans']>>) {
    const r = await db
      .updateTable('supervisionPlans')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private milestoneQuery(db: Executor) {
    return db
      .selectFrom('supervisionMilestones as ms')
      .leftJoin('users as db', 'db.id', 'ms.doneBy')
      .select(MILESTONE_COLUMNS);
  }

  async milestone(db: Executor, id: number) {
    return this.milestoneQuery(db).where('ms.id', '=', id).executeTakeFirst();
  }

  async milestonesOf(db: Executor, planIds: readonly number[]) {
    if (!planIds.length) return [];
    return this.milestoneQuery(db)
      .where('ms.planId', 'in', [...planIds])
      .orderBy('ms.dueDate')
      .orderBy('ms.id')
      .execute();
  }

  async countMilestones(db: Executor, planId: number): Promise<number> {
    const r = await db
      .selectFrom('supervisionMilestones')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('planId', '=', planId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertMilestones(db: Executor, rows: Insertable<DB['supervisionMilestones']>[]): Promise<number[]> {
    if (!rows.length) return [];
    const r = await db.insertInto('supervisionMilestones').values(rows).returning('id').execute();
    return r.map((x) => Number(x.id));
  }

  async updateMilestone(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['supervisionMilestones']>>,
  ) {
    const r = await db
      .updateTable('supervisionMilestones')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- actions --------------------------------------------------------------------------------

  private actions(db: Executor) {
    return db
      .selectFrom('supervisionActions as a')
      .innerJoin('organisations as so', 'so.id', 'a.supervisorOrgId')
      .innerJoin('organisations as u', 'u.id', 'a.unitOrgId')
      .leftJoin('problems as pr', 'pr.id', 'a.problemId')
      .leftJoin('measures as me', 'me.id', 'a.measureId')
      .leftJoin('users as rb', 'rb.id', 'a.respondedBy')
      .leftJoin('users as cl', 'cl.id', 'a.closedBy')
      .leftJoin('users as cb', 'cb.id', 'a.createdBy')
      .select([...ACTION_COLUMNS, ACTION_CATEGORY.as('categoryCode')]);
  }

  async action(db: Executor, id: number) {
    return this.actions(db).where('a.id', '=', id).executeTakeFirst();
  }

  async actionPage(
    db: Executor,
    f: {
      scope: ReadScope;
      kind?: string;
      status?: string;
      unitOrgId?: number;
      overdue?: boolean;
      today: string;
      before?: number;
      limit: number;
    },
  ) {
    let q = this.actions(db);
    if (f.before) q = q.where('a.id', '<', f.before);
    if (f.kind) q = q.where('a.kind', '=', f.kind);
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.unitOrgId) q = q.where('a.unitOrgId', '=', f.unitOrgId);
    const late = sql<boolean>`(a.status = 'open' AND a.response_required = 1 AND coalesce(a.response_deadline, '9999-12-31') < ${f.today})`;
    if (f.overdue === true) q = q.where(late);
    if (f.overdue === false) q = q.where(sql<boolean>`NOT ${late}`);
    const v = actionVisibility(f.scope);
    if (v) q = q.where(v);
    return q.orderBy('a.id', 'desc').limit(f.limit).execute();
  }

  /** The next 文号 sequence of an issuer, kind and year (the caller holds the issuer's row lock). */
  async nextDocSeq(db: Executor, supervisorOrgId: number, kind: string, year: number): Promise<number> {
    const r = await db
      .selectFrom('supervisionActions')
      .select((eb) => eb.fn.max('docSeq').as('n'))
      .where('supervisorOrgId', '=', supervisorOrgId)
      .where('kind', '=', kind)
      .where('docYear', '=', year)
      .executeTakeFirst();
    return Number(r?.n ?? 0) + 1;
  }

  async insertAction(db: Executor, row: Insertable<DB['supervisionActions']>): Promise<number> {
    const r = await db.insertInto('supervisionActions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateAction(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['supervisionActions']>>) {
    const r = await db
      .updateTable('supervisionActions')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- dispatch orders ------------------------------------------------------------------------

  private orders(db: Executor) {
    return db
      .selectFrom('dispatchOrders as o')
      .innerJoin('organisations as so', 'so.id', 'o.supervisorOrgId')
      .innerJoin('organisations as u', 'u.id', 'o.unitOrgId')
      .leftJoin('users as cb', 'cb.id', 'o.createdBy')
      .select(ORDER_COLUMNS);
  }

  async order(db: Executor, id: number) {
    return this.orders(db).where('o.id', '=', id).executeTakeFirst();
  }

  /** Locks an order for a write of one of its items (PostgreSQL; SQLite writers are serial). */
  async lockOrder(db: Executor, id: number) {
    const q = db.selectFrom('dispatchOrders').select(['id']).where('id', '=', id);
    return this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  async orderPage(
    db: Executor,
    f: {
      scope: ReadScope;
      status?: string;
      unitOrgId?: number;
      overdue?: boolean;
      today: string;
      before?: number;
      limit: number;
    },
  ) {
    let q = this.orders(db);
    if (f.before) q = q.where('o.id', '<', f.before);
    if (f.status) q = q.where('o.status', '=', f.status);
    if (f.unitOrgId) q = q.where('o.unitOrgId', '=', f.unitOrgId);
    const late = sql<boolean>`EXISTS (SELECT 1 FROM dispatch_items i WHERE i.order_id = o.id AND i.status IN ('pending', 'returned') AND i.deadline < ${f.today})`;
    if (f.overdue === true) q = q.where(late);
    if (f.overdue === false) q = q.where(sql<boolean>`NOT ${late}`);
    const v = unitVisibility(f.scope, sql`o.unit_org_id`);
    if (v) q = q.where(v);
    return q.orderBy('o.id', 'desc').limit(f.limit).execute();
  }

  async insertOrder(db: Executor, row: Insertable<DB['dispatchOrders']>): Promise<number> {
    const r = await db.insertInto('dispatchOrders').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateOrder(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['dispatchOrders']>>) {
    const r = await db
      .updateTable('dispatchOrders')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private itemQuery(db: Executor) {
    return db
      .selectFrom('dispatchItems as i')
      .leftJoin('users as ab', 'ab.id', 'i.answeredBy')
      .leftJoin('users as rv', 'rv.id', 'i.reviewedBy')
      .select(ITEM_COLUMNS);
  }

  async item(db: Executor, id: number) {
    return this.itemQuery(db).where('i.id', '=', id).executeTakeFirst();
  }

  async itemsOf(db: Executor, orderIds: readonly number[]) {
    if (!orderIds.length) return [];
    return this.itemQuery(db)
      .where('i.orderId', 'in', [...orderIds])
      .orderBy('i.orderId')
      .orderBy('i.seq')
      .execute();
  }

  async insertItems(db: Executor, rows: Insertable<DB['dispatchItems']>[]) {
    if (rows.length) await db.insertInto('dispatchItems').values(rows).execute();
  }

  async updateItem(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['dispatchItems']>>) {
    const r = await db
      .updateTable('dispatchItems')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
