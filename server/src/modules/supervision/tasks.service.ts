import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import { canTransition } from '../../../../domain/rectification.js';
import {
  SUPERVISION_TASK_TRANSITIONS,
  type SupervisionTaskStatus,
  taskOverdue,
} from '../../../../domain/supervision.js';
import { scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import type { Executor } from '../ledger/ledger.repository.js';
import type {
  AcceptTask,
  AddTask,
  CreateSupervisionMeeting,
  ReportTask,
  ReturnTask,
  SupervisionMeetingQuery,
  TaskQuery,
} from './supervision.schemas.js';
import { TasksRepository, type TaskVisibility } from './tasks.repository.js';

type TaskRow = NonNullable<Awaited<ReturnType<TasksRepository['task']>>>;
type MeetingRow = NonNullable<Awaited<ReturnType<TasksRepository['meeting']>>>;
type NewTask = Static<typeof AddTask>;
type CheckedTask = { content: string; ownerOrgId: number; ownerUserId: number | null; deadline: string };

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

export function toTask(r: TaskRow, today: string) {
  return {
    id: Number(r.id),
    meetingId: Number(r.meetingId),
    meetingTitle: r.meetingTitle,
    meetingHeldOn: r.meetingHeldOn,
    convenerOrgId: Number(r.convenerOrgId),
    convenerName: r.convenerName,
    seq: Number(r.seq),
    content: r.content,
    ownerOrgId: Number(r.ownerOrgId),
    ownerOrgName: r.ownerOrgName,
    ownerUserId: numOrNull(r.ownerUserId),
    ownerUserName: r.ownerUserName,
    deadline: r.deadline,
    status: r.status,
    overdue: taskOverdue(r, today),
    reportText: r.reportText,
    reportedBy: numOrNull(r.reportedBy),
    reportedByName: r.reportedByName,
    reportedAt: numOrNull(r.reportedAt),
    completedOn: r.completedOn,
    reviewedBy: numOrNull(r.reviewedBy),
    reviewedByName: r.reviewedByName,
    reviewedAt: numOrNull(r.reviewedAt),
    reviewNote: r.reviewNote,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type TaskView = ReturnType<typeof toTask>;

function parseAttendees(s: string): { name: string; orgId: number | null }[] {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map((a) => ({ name: String(a.name), orgId: numOrNull(a.orgId) })) : [];
  } catch {
    return [];
  }
}

function toMeeting(r: MeetingRow, tasks: readonly TaskView[]) {
  return {
    id: Number(r.id),
    convenerOrgId: Number(r.convenerOrgId),
    convenerName: r.convenerName,
    roundId: numOrNull(r.roundId),
    roundName: r.roundName,
    title: r.title,
    heldOn: r.heldOn,
    location: r.location,
    attendees: parseAttendees(r.attendees),
    summary: r.summary,
    tasks: [...tasks],
    openTasks: tasks.filter((t) => t.status !== 'accepted').length,
    overdueTasks: tasks.filter((t) => t.overdue).length,
    createdBy: Number(r.createdBy),
    createdByName: r.createdByName,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

/**
 * 整改监督信息沟通会 (SPEC M8): the supervising body (or the office) records the meeting and its
 * decisions; each decision is a task with an owner organisation (optionally a named person) and a
 * deadline, followed to completion: the owner reports, the convener accepts or returns it; overdue
 * while the owner owes a report past the deadline. Reads: the office and the leadership all; anyone
 * else the tasks its organisation convened and those owned by an organisation of its scope (a unit:
 * its own; a supervisor: itself and the units it liaises with), and the meetings holding them.
 * Out-of-scope reads answer 404. Every write is one transaction with its audit record.
 */
export class SupervisionTasksService {
  readonly repo: TasksRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new TasksRepository(ctx.dialect);
  }

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  private async visibility(db: Executor, actor: Actor): Promise<TaskVisibility | undefined> {
    const scope = await scopeOf(db, actor);
    if (scope.all) return undefined;
    return { convenerOrgId: actor.orgId, ownerOrgIds: [...scope.orgIds] };
  }

  private taskVisible(
    v: TaskVisibility | undefined,
    t: { convenerOrgId: number | string; ownerOrgId: number | string },
  ) {
    return !v || Number(t.convenerOrgId) === v.convenerOrgId || v.ownerOrgIds.includes(Number(t.ownerOrgId));
  }

  private async meetingView(db: Executor, id: number, v: TaskVisibility | undefined) {
    const row = await this.repo.meeting(db, id);
    if (!row) throw notFound();
    const today = this.today();
    const tasks = (await this.repo.tasksOf(db, [id], v)).map((t) => toTask(t, today));
    if (v && Number(row.convenerOrgId) !== v.convenerOrgId && !tasks.length) throw notFound();
    return toMeeting(row, tasks);
  }

  async getMeeting(actor: Actor, id: number) {
    return this.meetingView(this.ctx.db, id, await this.visibility(this.ctx.db, actor));
  }

  async meetingPage(actor: Actor, q: Static<typeof SupervisionMeetingQuery>) {
    const v = await this.visibility(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.meetingPage(this.ctx.db, {
      visibility: v,
      convenerOrgId: q.convenerOrgId,
      before: q.cursor,
      limit,
    });
    const today = this.today();
    const tasks = (
      await this.repo.tasksOf(
        this.ctx.db,
        rows.map((r) => Number(r.id)),
        v,
      )
    ).map((t) => toTask(t, today));
    return {
      items: rows.map((r) =>
        toMeeting(
          r,
          tasks.filter((t) => t.meetingId === Number(r.id)),
        ),
      ),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async getTask(actor: Actor, id: number) {
    const v = await this.visibility(this.ctx.db, actor);
    const row = await this.repo.task(this.ctx.db, id);
    if (!row || !this.taskVisible(v, row)) throw notFound();
    return toTask(row, this.today());
  }

  async taskPage(actor: Actor, q: Static<typeof TaskQuery>) {
    const v = await this.visibility(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const today = this.today();
    const rows = await this.repo.taskPage(this.ctx.db, {
      visibility: v,
      meetingId: q.meetingId,
      ownerOrgId: q.ownerOrgId,
      convenerOrgId: q.convenerOrgId,
      status: q.status,
      overdue: q.overdue,
      today,
      before: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => toTask(r, today)),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  /** Checked and trimmed tasks: owners are active organisations, a named person belongs to the owner. */
  private async checkTasks(db: Executor, heldOn: string, tasks: readonly NewTask[]) {
    const out = tasks.map((t, i) => {
      const content = t.content.trim();
      if (!content) throw invalid(`tasks.${i}.content is required`);
      if (!isValidDate(t.deadline))
        throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: `tasks.${i}.deadline ${t.deadline}` });
      if (t.deadline < heldOn) throw new AppError(400, 'SUPERVISION_TASK_DEADLINE_INVALID');
      return { content, ownerOrgId: t.ownerOrgId, ownerUserId: t.ownerUserId ?? null, deadline: t.deadline };
    });
    const orgs = await this.repo.activeOrgs(db, [...new Set(out.map((t) => t.ownerOrgId))]);
    for (const t of out) {
      if (!orgs.has(t.ownerOrgId)) throw new AppError(400, 'SUPERVISION_TASK_OWNER_UNKNOWN');
      if (t.ownerUserId !== null) {
        const u = await this.repo.activeUser(db, t.ownerUserId);
        if (!u || Number(u.orgId) !== t.ownerOrgId) throw new AppError(400, 'SUPERVISION_TASK_OWNER_UNKNOWN');
      }
    }
    return out;
  }

  private taskRows(
    meetingId: number,
    convenerOrgId: number,
    firstSeq: number,
    tasks: readonly CheckedTask[],
    now: number,
  ) {
    return tasks.map((t, i) => ({
      meetingId,
      convenerOrgId,
      seq: firstSeq + i,
      ...t,
      status: 'open',
      reportText: null,
      reportedBy: null,
      reportedAt: null,
      completedOn: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
  }

  async createMeeting(actor: Actor, audit: AuditContext, input: Static<typeof CreateSupervisionMeeting>) {
    const title = input.title.trim();
    if (!title) throw invalid('title is required');
    if (!isValidDate(input.heldOn))
      throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: `heldOn ${input.heldOn}` });
    if (input.heldOn > this.today())
      throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: 'heldOn after today' });
    const attendees = (input.attendees ?? []).map((a) => ({ name: a.name.trim(), orgId: a.orgId ?? null }));
    if (attendees.some((a) => !a.name)) throw invalid('attendees: every attendee needs a name');
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (input.roundId !== undefined && !(await this.repo.roundExists(trx, input.roundId)))
        throw new AppError(400, 'SUPERVISION_ROUND_UNKNOWN');
      const attendeeOrgs = [...new Set(attendees.flatMap((a) => (a.orgId === null ? [] : [a.orgId])))];
      const known = await this.repo.activeOrgs(trx, attendeeOrgs);
      if (attendeeOrgs.some((id) => !known.has(id)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'attendees' });
      const tasks = await this.checkTasks(trx, input.heldOn, input.tasks);
      const id = await this.repo.insertMeeting(trx, {
        convenerOrgId: actor.orgId,
        roundId: input.roundId ?? null,
        title,
        heldOn: input.heldOn,
        location: input.location?.trim() || null,
        attendees: JSON.stringify(attendees),
        summary: input.summary.trim(),
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.insertTasks(trx, this.taskRows(id, actor.orgId, 1, tasks, now));
      const after = await this.meetingView(trx, id, undefined);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.meeting.create',
        entity: 'supervision_meeting',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /** Only the convening organisation (or the office) adds decisions and accepts or returns reports. */
  private assertConvener(actor: Actor, convenerOrgId: number | string) {
    if (actor.role === 'office' || actor.orgId === Number(convenerOrgId)) return;
    throw new AppError(403, 'SUPERVISION_NOT_ISSUER');
  }

  async addTask(actor: Actor, audit: AuditContext, meetingId: number, input: NewTask) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const v = await this.visibility(trx, actor);
      await this.repo.lockMeeting(trx, meetingId);
      const before = await this.meetingView(trx, meetingId, v);
      this.assertConvener(actor, before.convenerOrgId);
      const [task] = await this.checkTasks(trx, before.heldOn, [input]);
      const seq = await this.repo.nextTaskSeq(trx, meetingId);
      const [id] = await this.repo.insertTasks(trx, this.taskRows(meetingId, before.convenerOrgId, seq, [task], now));
      const after = await this.meetingView(trx, meetingId, v);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.task.create',
        entity: 'supervision_task',
        entityId: id!,
        after: after.tasks.find((t) => t.id === id),
      });
      return after;
    });
  }

  private transition(from: string, to: SupervisionTaskStatus) {
    if (!canTransition(SUPERVISION_TASK_TRANSITIONS, from as SupervisionTaskStatus, to))
      throw new AppError(409, 'INVALID_TRANSITION', { from, to });
  }

  /** The owner reports what it did (again after a return). */
  async report(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReportTask>) {
    const text = input.text.trim();
    if (!text) throw invalid('text is required');
    const today = this.today();
    const completedOn = input.completedOn ?? today;
    if (!isValidDate(completedOn) || completedOn > today)
      throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: `completedOn ${completedOn}` });
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const v = await this.visibility(trx, actor);
      const row = await this.repo.task(trx, id);
      if (!row || !this.taskVisible(v, row)) throw notFound();
      const before = toTask(row, today);
      const owner =
        before.ownerUserId !== null ? actor.userId === before.ownerUserId : actor.orgId === before.ownerOrgId;
      if (!owner) throw new AppError(403, 'SUPERVISION_NOT_TASK_OWNER');
      if (before.version !== input.version) throw stale(before);
      this.transition(before.status, 'reported');
      const ok = await this.repo.updateTask(trx, id, input.version, {
        status: 'reported',
        reportText: text,
        reportedBy: actor.userId,
        reportedAt: now,
        completedOn,
        updatedAt: now,
      });
      if (!ok) throw stale(toTask((await this.repo.task(trx, id))!, today));
      const after = toTask((await this.repo.task(trx, id))!, today);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.task.report',
        entity: 'supervision_task',
        entityId: id,
        before: { status: before.status, version: before.version, overdue: before.overdue },
        after: { status: after.status, version: after.version, reportText: text, completedOn },
      });
      return after;
    });
  }

  /** The convener accepts the report (the task is done) or returns it with the reason. */
  async review(
    actor: Actor,
    audit: AuditContext,
    id: number,
    decision: 'accepted' | 'returned',
    input: Static<typeof AcceptTask> | Static<typeof ReturnTask>,
  ) {
    const note = input.note?.trim() || null;
    if (decision === 'returned' && !note) throw invalid('note is required to return a report');
    const today = this.today();
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const v = await this.visibility(trx, actor);
      const row = await this.repo.task(trx, id);
      if (!row || !this.taskVisible(v, row)) throw notFound();
      this.assertConvener(actor, row.convenerOrgId);
      const before = toTask(row, today);
      if (before.version !== input.version) throw stale(before);
      this.transition(before.status, decision);
      const ok = await this.repo.updateTask(trx, id, input.version, {
        status: decision,
        reviewedBy: actor.userId,
        reviewedAt: now,
        reviewNote: note,
        updatedAt: now,
      });
      if (!ok) throw stale(toTask((await this.repo.task(trx, id))!, today));
      const after = toTask((await this.repo.task(trx, id))!, today);
      await this.ctx.audit.record(trx, audit, {
        action: decision === 'accepted' ? 'supervision.task.accept' : 'supervision.task.return',
        entity: 'supervision_task',
        entityId: id,
        before: { status: before.status, version: before.version },
        after: { status: after.status, version: after.version, note },
      });
      return after;
    });
  }
}
