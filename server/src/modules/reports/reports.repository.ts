import { type Insertable, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { type ReadScope, visibilitySql } from '../ledger/ledger.scope.js';

const MEETING_COLUMNS = [
  'rm.id',
  'rm.kind',
  'rm.meetingDate',
  'rm.termId',
  'rm.roundId',
  'r.name as roundName',
  't.name as termName',
  'rm.title',
  'rm.summary',
  'rm.reportKind',
  'rm.figures',
  'rm.createdBy',
  'cb.displayName as createdByName',
  'rm.version',
  'rm.createdAt',
  'rm.updatedAt',
] as const;

const MINUTES_COLUMNS = [
  'mm.id',
  'mm.kind',
  'mm.meetingDate',
  'mm.docNumber',
  'mm.title',
  'mm.content',
  'mm.roundId',
  'mm.reportMeetingId',
  'mm.createdBy',
  'cb.displayName as createdByName',
  'mm.version',
  'mm.createdAt',
  'mm.updatedAt',
] as const;

const TASK_COLUMNS = [
  'ft.id',
  'ft.minutesId',
  'mm.title as minutesTitle',
  'mm.kind as minutesKind',
  'mm.meetingDate',
  'ft.seq',
  'ft.content',
  'ft.ownerOrgId',
  'o.name as ownerOrgName',
  'ft.ownerUserId',
  'ou.displayName as ownerUserName',
  'ft.deadline',
  'ft.status',
  'ft.reportText',
  'ft.reportedAt',
  'rb.displayName as reportedByName',
  'ft.reviewNote',
  'ft.reviewedAt',
  'ft.closedOn',
  'ft.urgeCount',
  'ft.lastUrgedAt',
  'ft.version',
  'ft.createdAt',
  'ft.updatedAt',
] as const;

export interface TaskFilter {
  orgIds?: ReadonlySet<number>; // undefined: every task
  status?: string;
  overdue?: boolean;
  ownerOrgId?: number;
  minutesId?: number;
  today: string;
  before?: number;
  limit: number;
}

/** SQL of the reports feature: 三个汇报 records, minutes, tasks and their log, and the open-measure rows. */
export class ReportsRepository {
  constructor(private readonly dialect: Dialect) {}

  // --- reference checks ---------------------------------------------------------------------------

  async term(db: Executor, id: number) {
    return db.selectFrom('terms').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  }

  async round(db: Executor, id: number) {
    return db.selectFrom('rounds').select(['id', 'name', 'termId']).where('id', '=', id).executeTakeFirst();
  }

  async organisation(db: Executor, id: number) {
    return db.selectFrom('organisations').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst();
  }

  async user(db: Executor, id: number) {
    return db.selectFrom('users').select(['id', 'orgId', 'displayName']).where('id', '=', id).executeTakeFirst();
  }

  // --- 三个汇报 -------------------------------------------------------------------------------------

  private meetings(db: Executor) {
    return db
      .selectFrom('reportMeetings as rm')
      .leftJoin('rounds as r', 'r.id', 'rm.roundId')
      .leftJoin('terms as t', 't.id', 'rm.termId')
      .leftJoin('users as cb', 'cb.id', 'rm.createdBy')
      .select(MEETING_COLUMNS);
  }

  async meeting(db: Executor, id: number) {
    return this.meetings(db).where('rm.id', '=', id).executeTakeFirst();
  }

  async meetingList(db: Executor, kind: string | undefined) {
    let q = this.meetings(db);
    if (kind) q = q.where('rm.kind', '=', kind);
    return q.orderBy('rm.meetingDate', 'desc').orderBy('rm.id', 'desc').limit(500).execute();
  }

  async insertMeeting(db: Executor, row: Insertable<DB['reportMeetings']>) {
    const r = await db.insertInto('reportMeetings').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateMeeting(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('reportMeetings')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- minutes --------------------------------------------------------------------------------------

  private minutesQuery(db: Executor) {
    return db
      .selectFrom('meetingMinutes as mm')
      .leftJoin('users as cb', 'cb.id', 'mm.createdBy')
      .select(MINUTES_COLUMNS);
  }

  async minutes(db: Executor, id: number) {
    return this.minutesQuery(db).where('mm.id', '=', id).executeTakeFirst();
  }

  async minutesList(db: Executor) {
    return this.minutesQuery(db).orderBy('mm.meetingDate', 'desc').orderBy('mm.id', 'desc').limit(500).execute();
  }

  async reportMeetingExists(db: Executor, id: number) {
    return !!(await db.selectFrom('reportMeetings').select('id').where('id', '=', id).executeTakeFirst());
  }

  async insertMinutes(db: Executor, row: Insertable<DB['meetingMinutes']>) {
    const r = await db.insertInto('meetingMinutes').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  // --- tasks ----------------------------------------------------------------------------------------

  private tasks(db: Executor) {
    return db
      .selectFrom('followupTasks as ft')
      .innerJoin('meetingMinutes as mm', 'mm.id', 'ft.minutesId')
      .innerJoin('organisations as o', 'o.id', 'ft.ownerOrgId')
      .leftJoin('users as ou', 'ou.id', 'ft.ownerUserId')
      .leftJoin('users as rb', 'rb.id', 'ft.reportedBy')
      .select(TASK_COLUMNS);
  }

  async task(db: Executor, id: number) {
    return this.tasks(db).where('ft.id', '=', id).executeTakeFirst();
  }

  async lockTask(db: Executor, id: number) {
    const q = db.selectFrom('followupTasks').select(['id']).where('id', '=', id);
    return this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  async tasksOfMinutes(db: Executor, minutesIds: readonly number[], orgIds?: ReadonlySet<number>) {
    if (!minutesIds.length) return [];
    let q = this.tasks(db).where('ft.minutesId', 'in', [...minutesIds]);
    if (orgIds) q = orgIds.size ? q.where('ft.ownerOrgId', 'in', [...orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q.orderBy('ft.minutesId').orderBy('ft.seq').execute();
  }

  async taskPage(db: Executor, f: TaskFilter) {
    let q = this.tasks(db);
    if (f.orgIds) q = f.orgIds.size ? q.where('ft.ownerOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    if (f.status) q = q.where('ft.status', '=', f.status);
    if (f.ownerOrgId) q = q.where('ft.ownerOrgId', '=', f.ownerOrgId);
    if (f.minutesId) q = q.where('ft.minutesId', '=', f.minutesId);
    // Same rule as isTaskOverdue: waiting on the owner (open / returned) past the deadline.
    const late = sql<boolean>`(ft.status IN ('open', 'returned') AND ft.deadline < ${f.today})`;
    if (f.overdue === true) q = q.where(late);
    if (f.overdue === false) q = q.where(sql<boolean>`NOT ${late}`);
    if (f.before) q = q.where('ft.id', '<', f.before);
    return q.orderBy('ft.id', 'desc').limit(f.limit).execute();
  }

  async insertTask(db: Executor, row: Insertable<DB['followupTasks']>) {
    const r = await db.insertInto('followupTasks').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateTask(db: Executor, id: number, version: number | null, patch: Record<string, unknown>) {
    let q = db.updateTable('followupTasks').set(patch).where('id', '=', id);
    if (version !== null) q = q.set({ version: sql`version + 1` }).where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertEvent(db: Executor, row: Insertable<DB['followupTaskEvents']>) {
    await db.insertInto('followupTaskEvents').values(row).execute();
  }

  async events(db: Executor, taskId: number) {
    return db
      .selectFrom('followupTaskEvents as e')
      .leftJoin('users as u', 'u.id', 'e.actorId')
      .leftJoin('organisations as o', 'o.id', 'e.actorOrgId')
      .select([
        'e.id',
        'e.kind',
        'e.note',
        'e.actorId',
        'u.displayName as actorName',
        'o.name as actorOrgName',
        'e.createdAt',
      ])
      .where('e.taskId', '=', taskId)
      .orderBy('e.id')
      .execute();
  }

  // --- 正在整改情况: open measures ---------------------------------------------------------------

  /** Not-done measures (is_done, the ledger's flag) in scope, in id order from `afterId`, one batch. */
  async openMeasures(
    db: Executor,
    f: { termId?: number; roundId?: number; unitOrgId?: number; scope: ReadScope },
    afterId: number,
    limit: number,
  ) {
    const c: RawBuilder<boolean>[] = [sql`m.is_done = 0`, sql`m.id > ${afterId}`];
    if (f.termId) c.push(sql`m.term_id = ${f.termId}`);
    if (f.roundId) c.push(sql`m.round_id = ${f.roundId}`);
    if (f.unitOrgId) c.push(sql`m.unit_org_id = ${f.unitOrgId}`);
    const scope = visibilitySql(f.scope, sql`m.unit_org_id`, sql`m.category_code`);
    if (scope) c.push(scope);
    const r = await sql<{
      id: number;
      roundName: string;
      unitName: string;
      problemNumber: string;
      problemDescription: string;
      content: string;
      type: string;
      status: string;
      deadline: string;
      effectiveDeadline: string;
      ownerName: string | null;
      ownerDisplayName: string | null;
      responsibleLeader: string | null;
      responsibleDepartment: string | null;
    }>`
      SELECT m.id, r.name AS round_name, o.name AS unit_name, p.number AS problem_number,
        p.description AS problem_description, m.content, m.type, m.status, m.deadline,
        m.effective_deadline, m.owner_name, u.display_name AS owner_display_name,
        p.responsible_leader, p.responsible_department
      FROM measures m
      JOIN problems p ON p.id = m.problem_id
      JOIN organisations o ON o.id = m.unit_org_id
      JOIN rounds r ON r.id = m.round_id
      LEFT JOIN users u ON u.id = m.owner_user_id
      WHERE ${sql.join(c, sql` AND `)}
      ORDER BY m.id
      LIMIT ${sql.lit(Math.max(1, Math.min(limit, 5000)))}`.execute(db);
    return r.rows;
  }
}
