import { type Insertable, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

const MEETING_COLUMNS = [
  'm.id',
  'm.convenerOrgId',
  'co.name as convenerName',
  'm.roundId',
  'r.name as roundName',
  'm.title',
  'm.heldOn',
  'm.location',
  'm.attendees',
  'm.summary',
  'm.createdBy',
  'cb.displayName as createdByName',
  'm.version',
  'm.createdAt',
  'm.updatedAt',
] as const;

const TASK_COLUMNS = [
  't.id',
  't.meetingId',
  'm.title as meetingTitle',
  'm.heldOn as meetingHeldOn',
  't.convenerOrgId',
  'co.name as convenerName',
  't.seq',
  't.content',
  't.ownerOrgId',
  'oo.name as ownerOrgName',
  't.ownerUserId',
  'ou.displayName as ownerUserName',
  't.deadline',
  't.status',
  't.reportText',
  't.reportedBy',
  'rb.displayName as reportedByName',
  't.reportedAt',
  't.completedOn',
  't.reviewedBy',
  'rv.displayName as reviewedByName',
  't.reviewedAt',
  't.reviewNote',
  't.version',
  't.createdAt',
  't.updatedAt',
] as const;

/**
 * Which tasks a caller reads: all (undefined), or those its organisation convened and those owned by
 * an organisation of its scope.
 */
export interface TaskVisibility {
  convenerOrgId: number;
  ownerOrgIds: readonly number[];
}

/** SQL for 整改监督信息沟通会 records, their tasks, and the work queue's reads (SPEC M8, M18). */
export class TasksRepository {
  constructor(private readonly dialect: Dialect) {}

  private meetings(db: Executor) {
    return db
      .selectFrom('supervisionMeetings as m')
      .innerJoin('organisations as co', 'co.id', 'm.convenerOrgId')
      .leftJoin('rounds as r', 'r.id', 'm.roundId')
      .leftJoin('users as cb', 'cb.id', 'm.createdBy')
      .select(MEETING_COLUMNS);
  }

  private tasks(db: Executor) {
    return db
      .selectFrom('supervisionTasks as t')
      .innerJoin('supervisionMeetings as m', 'm.id', 't.meetingId')
      .innerJoin('organisations as co', 'co.id', 't.convenerOrgId')
      .innerJoin('organisations as oo', 'oo.id', 't.ownerOrgId')
      .leftJoin('users as ou', 'ou.id', 't.ownerUserId')
      .leftJoin('users as rb', 'rb.id', 't.reportedBy')
      .leftJoin('users as rv', 'rv.id', 't.reviewedBy')
      .select(TASK_COLUMNS);
  }

  private taskVisible(v: TaskVisibility) {
    const owners = v.ownerOrgIds.length ? sql`OR t.owner_org_id IN (${sql.join([...v.ownerOrgIds])})` : sql``;
    return sql<boolean>`(t.convener_org_id = ${v.convenerOrgId} ${owners})`;
  }

  async meeting(db: Executor, id: number) {
    return this.meetings(db).where('m.id', '=', id).executeTakeFirst();
  }

  async meetingPage(
    db: Executor,
    f: { visibility?: TaskVisibility; convenerOrgId?: number; before?: number; limit: number },
  ) {
    let q = this.meetings(db);
    if (f.before) q = q.where('m.id', '<', f.before);
    if (f.convenerOrgId) q = q.where('m.convenerOrgId', '=', f.convenerOrgId);
    if (f.visibility) {
      const v = f.visibility;
      const owners = v.ownerOrgIds.length
        ? sql`OR EXISTS (SELECT 1 FROM supervision_tasks t WHERE t.meeting_id = m.id AND t.owner_org_id IN (${sql.join([...v.ownerOrgIds])}))`
        : sql``;
      q = q.where(sql<boolean>`(m.convener_org_id = ${v.convenerOrgId} ${owners})`);
    }
    return q.orderBy('m.id', 'desc').limit(f.limit).execute();
  }

  async lockMeeting(db: Executor, id: number) {
    const q = db.selectFrom('supervisionMeetings').select(['id']).where('id', '=', id);
    return this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  async insertMeeting(db: Executor, row: Insertable<DB['supervisionMeetings']>): Promise<number> {
    const r = await db.insertInto('supervisionMeetings').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async insertTasks(db: Executor, rows: Insertable<DB['supervisionTasks']>[]): Promise<number[]> {
    if (!rows.length) return [];
    const r = await db.insertInto('supervisionTasks').values(rows).returning('id').execute();
    return r.map((x) => Number(x.id));
  }

  async nextTaskSeq(db: Executor, meetingId: number): Promise<number> {
    const r = await db
      .selectFrom('supervisionTasks')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('meetingId', '=', meetingId)
      .executeTakeFirst();
    return Number(r?.seq ?? 0) + 1;
  }

  async task(db: Executor, id: number) {
    return this.tasks(db).where('t.id', '=', id).executeTakeFirst();
  }

  async tasksOf(db: Executor, meetingIds: readonly number[], visibility?: TaskVisibility) {
    if (!meetingIds.length) return [];
    let q = this.tasks(db).where('t.meetingId', 'in', [...meetingIds]);
    if (visibility) q = q.where(this.taskVisible(visibility));
    return q.orderBy('t.meetingId').orderBy('t.seq').execute();
  }

  async taskPage(
    db: Executor,
    f: {
      visibility?: TaskVisibility;
      ownerOrgId?: number;
      convenerOrgId?: number;
      meetingId?: number;
      status?: string;
      overdue?: boolean;
      today: string;
      before?: number;
      limit: number;
    },
  ) {
    let q = this.tasks(db);
    if (f.before) q = q.where('t.id', '<', f.before);
    if (f.ownerOrgId) q = q.where('t.ownerOrgId', '=', f.ownerOrgId);
    if (f.convenerOrgId) q = q.where('t.convenerOrgId', '=', f.convenerOrgId);
    if (f.meetingId) q = q.where('t.meetingId', '=', f.meetingId);
    if (f.status) q = q.where('t.status', '=', f.status);
    const late = sql<boolean>`(t.status IN ('open', 'returned') AND t.deadline < ${f.today})`;
    if (f.overdue === true) q = q.where(late);
    if (f.overdue === false) q = q.where(sql<boolean>`NOT ${late}`);
    if (f.visibility) q = q.where(this.taskVisible(f.visibility));
    return q.orderBy('t.id', 'desc').limit(f.limit).execute();
  }

  async updateTask(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['supervisionTasks']>>) {
    const r = await db
      .updateTable('supervisionTasks')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async activeOrgs(db: Executor, ids: readonly number[]) {
    if (!ids.length) return new Map<number, string>();
    const rows = await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', [...ids])
      .where('active', '=', 1)
      .execute();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  async activeUser(db: Executor, id: number) {
    return db
      .selectFrom('users')
      .select(['id', 'orgId'])
      .where('id', '=', id)
      .where('disabled', '=', 0)
      .executeTakeFirst();
  }

  async roundExists(db: Executor, id: number) {
    return !!(await db.selectFrom('rounds').select('id').where('id', '=', id).executeTakeFirst());
  }

  // --- work queue reads -------------------------------------------------------------------------

  /** Every liaison link of the units a supervisor liaises with, with each linked supervisor's line. */
  async linksAround(db: Executor, supervisorOrgId: number) {
    return db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as s', 's.id', 'l.supervisorOrgId')
      .select(['l.unitOrgId', 'l.supervisorOrgId', 'l.categories', 's.supervisorLine'])
      .where('s.active', '=', 1)
      .where(
        'l.unitOrgId',
        'in',
        db.selectFrom('liaisonLinks').select('unitOrgId').where('supervisorOrgId', '=', supervisorOrgId),
      )
      .execute();
  }

  /** The routing line of each problem category (dictionary extra.line), whatever its state. */
  async categoryLines(db: Executor) {
    const rows = await db
      .selectFrom('dictionaries')
      .select(['code', 'extra'])
      .where('kind', '=', 'problem_category')
      .execute();
    const out = new Map<string, string | null>();
    for (const r of rows) {
      let line: string | null = null;
      try {
        const x = r.extra ? JSON.parse(r.extra) : null;
        if (x && typeof x.line === 'string') line = x.line;
      } catch {
        line = null;
      }
      out.set(r.code, line);
    }
    return out;
  }

  /** Problems of these units not yet done (none of their measures open counts as done only when all are). */
  async openProblems(db: Executor, unitOrgIds: readonly number[]) {
    if (!unitOrgIds.length) return [];
    return db
      .selectFrom('problems as p')
      .innerJoin('organisations as u', 'u.id', 'p.unitOrgId')
      .innerJoin('roundUnits as ru', 'ru.id', 'p.roundUnitId')
      .select([
        'p.id',
        'p.unitOrgId',
        'u.name as unitName',
        'p.number',
        'p.categoryCode',
        'p.description',
        'p.measureCount',
        'p.doneCount',
        'ru.deadline',
        'p.createdAt',
      ])
      .where('p.unitOrgId', 'in', [...unitOrgIds])
      .where((eb) => eb.or([eb('p.measureCount', '=', 0), eb('p.doneCount', '<', eb.ref('p.measureCount'))]))
      .execute();
  }

  async openMeasures(db: Executor, problemIds: readonly number[]) {
    if (!problemIds.length) return [];
    const out = [];
    // Chunked: SQLite caps the number of bound parameters.
    for (let i = 0; i < problemIds.length; i += 500) {
      out.push(
        ...(await db
          .selectFrom('measures as me')
          .innerJoin('problems as p', 'p.id', 'me.problemId')
          .innerJoin('organisations as u', 'u.id', 'me.unitOrgId')
          .select([
            'me.id',
            'me.problemId',
            'p.number as problemNumber',
            'me.unitOrgId',
            'u.name as unitName',
            'me.seq',
            'me.content',
            'me.status',
            'me.effectiveDeadline',
            'me.lastProgressAt',
            'me.createdAt',
            'me.isDone',
          ])
          .where('me.problemId', 'in', problemIds.slice(i, i + 500))
          .where('me.isDone', '=', 0)
          .execute()),
      );
    }
    return out;
  }

  /** Actions an organisation issued that still need a move: a required response owed, or one given. */
  async issuedActions(db: Executor, supervisorOrgId: number) {
    return this.pendingActions(db).where('a.supervisorOrgId', '=', supervisorOrgId).execute();
  }

  /** Actions addressed to these units whose required response is still owed. */
  async actionsOwed(db: Executor, unitOrgIds: readonly number[]) {
    if (!unitOrgIds.length) return [];
    return this.pendingActions(db)
      .where('a.unitOrgId', 'in', [...unitOrgIds])
      .where('a.status', '=', 'open')
      .execute();
  }

  private pendingActions(db: Executor) {
    return db
      .selectFrom('supervisionActions as a')
      .innerJoin('organisations as u', 'u.id', 'a.unitOrgId')
      .select([
        'a.id',
        'a.kind',
        'a.title',
        'a.unitOrgId',
        'u.name as unitName',
        'a.status',
        'a.responseDeadline',
        'a.createdAt',
      ])
      .where((eb) =>
        eb.or([
          eb.and([eb('a.status', '=', 'open'), eb('a.responseRequired', '=', 1)]),
          eb('a.status', '=', 'responded'),
        ]),
      );
  }

  private openItems(db: Executor) {
    return db
      .selectFrom('dispatchItems as i')
      .innerJoin('dispatchOrders as o', 'o.id', 'i.orderId')
      .innerJoin('organisations as u', 'u.id', 'o.unitOrgId')
      .select([
        'i.id',
        'i.orderId',
        'o.title as orderTitle',
        'i.seq',
        'i.content',
        'o.unitOrgId',
        'u.name as unitName',
        'i.status',
        'i.deadline',
        'i.createdAt',
      ])
      .where('i.status', 'in', ['pending', 'answered', 'returned']);
  }

  async issuedItems(db: Executor, supervisorOrgId: number) {
    return this.openItems(db).where('o.supervisorOrgId', '=', supervisorOrgId).execute();
  }

  async itemsOwed(db: Executor, unitOrgIds: readonly number[]) {
    if (!unitOrgIds.length) return [];
    return this.openItems(db)
      .where('o.unitOrgId', 'in', [...unitOrgIds])
      .where('i.status', 'in', ['pending', 'returned'])
      .execute();
  }

  /** Tasks not yet accepted that an organisation convened or owns. */
  async openTasksOf(db: Executor, orgId: number) {
    return this.tasks(db)
      .where('t.status', '!=', 'accepted')
      .where((eb) => eb.or([eb('t.convenerOrgId', '=', orgId), eb('t.ownerOrgId', '=', orgId)]))
      .execute();
  }
}
