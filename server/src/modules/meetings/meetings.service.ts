import type { Static } from 'typebox';
import { addDays, isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import {
  canTransitionMeeting,
  heldOnAllowed,
  type MeetingStatus,
  meetingDueDate,
  meetingEditable,
  meetingFlag,
  meetingHeldLate,
  meetingOverdue,
} from '../../../../domain/meetings.js';
import { inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { MeetingsRepository } from './meetings.repository.js';
import type {
  AddMeetingNote,
  Attendee,
  CreateMeeting,
  HoldMeeting,
  MeetingQuery,
  ReviewMeeting,
  UnplannedQuery,
  UpdateMeeting,
} from './meetings.schemas.js';

type MeetingRow = NonNullable<Awaited<ReturnType<MeetingsRepository['meeting']>>>;
type NoteRow = Awaited<ReturnType<MeetingsRepository['notes']>>[number];
type AttendeeIn = Static<typeof Attendee>;

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: string | null | undefined) => (v === undefined || v === null ? null : v.trim() || null);

function parseAttendees(raw: string): { name: string; orgId: number; side: string }[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as { name: string; orgId: number; side: string }[]) : [];
  } catch {
    return [];
  }
}

export function toMeeting(r: MeetingRow, today: string, orgNames: ReadonlyMap<number, string>) {
  const timing = { status: r.status as MeetingStatus, dueDate: r.dueDate, heldOn: r.heldOn };
  return {
    id: Number(r.id),
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    roundName: r.roundName,
    termId: Number(r.termId),
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    cycle: Number(r.cycle),
    status: r.status,
    feedbackDate: r.feedbackDate,
    dueDate: r.dueDate,
    plannedDate: r.plannedDate,
    plan: r.plan,
    report: r.report,
    heldOn: r.heldOn,
    attendees: parseAttendees(r.attendees).map((a) => ({
      name: a.name,
      orgId: Number(a.orgId),
      orgName: orgNames.get(Number(a.orgId)) ?? null,
      side: a.side,
    })),
    problemsFound: r.problemsFound,
    measuresDecided: r.measuresDecided,
    overdue: meetingOverdue(timing, today),
    heldLate: meetingHeldLate(timing),
    flag: meetingFlag(timing, today),
    createdBy: numOrNull(r.createdBy),
    createdByName: r.createdByName,
    heldRecordedBy: numOrNull(r.heldRecordedBy),
    heldRecordedByName: r.heldRecordedByName,
    heldRecordedAt: numOrNull(r.heldRecordedAt),
    reviewedBy: numOrNull(r.reviewedBy),
    reviewedByName: r.reviewedByName,
    reviewedAt: numOrNull(r.reviewedAt),
    reviewNote: r.reviewNote,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

function toNote(n: NoteRow) {
  return {
    id: Number(n.id),
    meetingId: Number(n.meetingId),
    kind: n.kind,
    content: n.content,
    authorId: Number(n.authorId),
    authorName: n.authorName,
    authorOrgId: Number(n.authorOrgId),
    authorOrgName: n.authorOrgName,
    createdAt: Number(n.createdAt),
  };
}

/**
 * 整改专题民主生活会 (SPEC M10): per round-unit and rectification cycle the unit records its plan, the
 * leadership's 对照检查材料, the date held, who attended for the discipline commission and the
 * organisation department, and the outcomes; the supervising bodies add guidance and supervision
 * notes and review it. planned → held → reviewed; flagged overdue when not held by its due date
 * (feedback + the 'system.meetings' days, default 60). Scope: the unit's organisation (scopeOf) — the unit
 * its own, a supervisor its liaised units, the office and the leadership all. Each write is one
 * transaction with its audit record.
 */
export class MeetingsService {
  readonly repo: MeetingsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new MeetingsRepository(ctx.dialect);
  }

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  private async view(db: Executor, r: MeetingRow) {
    const ids = parseAttendees(r.attendees).map((a) => Number(a.orgId));
    return toMeeting(r, this.today(), await this.repo.orgNames(db, ids));
  }

  private async detail(db: Executor, r: MeetingRow) {
    const notes = await this.repo.notes(db, Number(r.id));
    return { ...(await this.view(db, r)), notes: notes.map(toNote) };
  }

  private async visibleMeeting(db: Executor, scope: Scope, id: number): Promise<MeetingRow> {
    const r = await this.repo.meeting(db, id);
    if (!r || !inScope(scope, r.unitOrgId)) throw notFound();
    return r;
  }

  // --- reads ----------------------------------------------------------------------------------

  async get(actor: Actor, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    return this.detail(this.ctx.db, await this.visibleMeeting(this.ctx.db, scope, id));
  }

  async ofRoundUnit(actor: Actor, roundUnitId: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const ru = await this.repo.roundUnit(this.ctx.db, roundUnitId);
    if (!ru || !inScope(scope, ru.unitOrgId)) throw notFound();
    const rows = await this.repo.ofRoundUnit(this.ctx.db, roundUnitId);
    return { items: await Promise.all(rows.map((r) => this.view(this.ctx.db, r))) };
  }

  async page(actor: Actor, q: Static<typeof MeetingQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      orgIds: scope.all ? undefined : [...scope.orgIds],
      status: q.status,
      overdueBefore: q.overdue ? this.today() : undefined,
      roundId: q.roundId,
      termId: q.termId,
      unitOrgId: q.unitOrgId,
      before: q.cursor,
      limit,
    });
    return {
      items: await Promise.all(rows.map((r) => this.view(this.ctx.db, r))),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  /**
   * Round-units that should plan a meeting and have none for their current cycle (overdue=true: whose
   * due date, feedback + the 'system.meetings' days, has passed) — the units not flagged by any
   * meeting record.
   */
  async unplanned(actor: Actor, q: Static<typeof UnplannedQuery>) {
    const dueDays = await this.dueDays();
    const scope = await scopeOf(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const today = this.today();
    const rows = await this.repo.unplanned(this.ctx.db, {
      orgIds: scope.all ? undefined : [...scope.orgIds],
      feedbackBefore: q.overdue ? addDays(today, -dueDays) : undefined,
      roundId: q.roundId,
      unitOrgId: q.unitOrgId,
      after: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => {
        const dueDate = meetingDueDate(r.feedbackDate!, dueDays);
        return {
          roundUnitId: Number(r.id),
          roundId: Number(r.roundId),
          roundName: r.roundName,
          unitOrgId: Number(r.unitOrgId),
          unitName: r.unitName,
          cycle: Number(r.cycle),
          status: r.status,
          feedbackDate: r.feedbackDate!,
          dueDate,
          overdue: dueDate < today,
        };
      }),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  /**
   * The supervising bodies a meeting's attendees come from (纪委监委 and 组织部 sides): reference data
   * a unit needs to name who attended, though its own scope does not hold those organisations.
   */
  async attendeeOrgs() {
    const rows = await this.repo.attendeeOrgs(this.ctx.db);
    return {
      items: rows.map((r) => ({ id: Number(r.id), name: r.name, type: r.type, supervisorLine: r.supervisorLine })),
    };
  }

  /** Days after the feedback within which the meeting is due (setting 'system.meetings'). */
  private async dueDays(): Promise<number> {
    return (await this.ctx.settings.get('system.meetings')).dueDays;
  }

  // --- writes ---------------------------------------------------------------------------------

  /** Attendees name existing organisations; answers them trimmed, or 400. */
  private async checkAttendees(db: Executor, list: readonly AttendeeIn[]) {
    const out = list.map((a) => ({ name: a.name.trim(), orgId: a.orgId, side: a.side }));
    if (out.some((a) => !a.name)) throw invalid('attendees: every attendee needs a name');
    const known = await this.repo.orgNames(
      db,
      out.map((a) => a.orgId),
    );
    if (out.some((a) => !known.has(a.orgId))) throw new AppError(400, 'INVALID_REFERENCE', { field: 'attendees' });
    return out;
  }

  private checkDate(field: string, value: string | undefined) {
    if (value !== undefined && !isValidDate(value)) throw invalid(`${field} is not a valid date`);
  }

  async create(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof CreateMeeting>) {
    this.checkDate('plannedDate', input.plannedDate);
    // Read before the transaction: the settings service opens its own connection (pool deadlock).
    const dueDays = await this.dueDays();
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.repo.roundUnit(trx, roundUnitId, true);
      if (!ru || !inScope(scope, ru.unitOrgId)) throw notFound();
      if (!ru.feedbackDate) throw new AppError(409, 'FEEDBACK_REQUIRED');
      if (input.plannedDate < ru.feedbackDate)
        throw new AppError(400, 'MEETING_PLANNED_DATE_INVALID', { feedbackDate: ru.feedbackDate });
      const cycle = Number(ru.cycle);
      if (await this.repo.ofCycle(trx, roundUnitId, cycle)) throw new AppError(409, 'MEETING_EXISTS');
      const id = await this.repo.insert(trx, {
        roundUnitId,
        roundId: Number(ru.roundId),
        termId: Number(ru.termId),
        unitOrgId: Number(ru.unitOrgId),
        cycle,
        status: 'planned',
        feedbackDate: ru.feedbackDate,
        dueDate: meetingDueDate(ru.feedbackDate, dueDays),
        plannedDate: input.plannedDate,
        plan: textOrNull(input.plan),
        report: textOrNull(input.report),
        heldOn: null,
        attendees: '[]',
        problemsFound: null,
        measuresDecided: null,
        createdBy: actor.userId,
        heldRecordedBy: null,
        heldRecordedAt: null,
        reviewedBy: null,
        reviewedAt: null,
        reviewNote: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = await this.detail(trx, (await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'meeting.create',
        entity: 'democratic_meeting',
        entityId: id,
        after,
      });
      return after;
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateMeeting>) {
    this.checkDate('plannedDate', input.plannedDate);
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const m = await this.visibleMeeting(trx, scope, id);
      const before = await this.detail(trx, m);
      if (before.version !== input.version) throw stale(before);
      if (!meetingEditable(m.status as MeetingStatus)) throw new AppError(409, 'MEETING_NOT_EDITABLE');
      if (input.plannedDate !== undefined && input.plannedDate < m.feedbackDate)
        throw new AppError(400, 'MEETING_PLANNED_DATE_INVALID', { feedbackDate: m.feedbackDate });
      const patch: Parameters<MeetingsRepository['update']>[3] = { updatedAt: now };
      if (input.plannedDate !== undefined) patch.plannedDate = input.plannedDate;
      if (input.plan !== undefined) patch.plan = textOrNull(input.plan);
      if (input.report !== undefined) patch.report = textOrNull(input.report);
      if (input.problemsFound !== undefined) patch.problemsFound = textOrNull(input.problemsFound);
      if (input.measuresDecided !== undefined) patch.measuresDecided = textOrNull(input.measuresDecided);
      if (input.attendees !== undefined)
        patch.attendees = JSON.stringify(await this.checkAttendees(trx, input.attendees));
      if (m.status === 'held' && patch.report === null) throw new AppError(400, 'MEETING_REPORT_REQUIRED');
      if (!(await this.repo.update(trx, id, input.version, patch)))
        throw stale(await this.detail(trx, (await this.repo.meeting(trx, id))!));
      const after = await this.detail(trx, (await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'meeting.update',
        entity: 'democratic_meeting',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async hold(actor: Actor, audit: AuditContext, id: number, input: Static<typeof HoldMeeting>) {
    this.checkDate('heldOn', input.heldOn);
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const m = await this.visibleMeeting(trx, scope, id);
      const before = await this.detail(trx, m);
      if (before.version !== input.version) throw stale(before);
      if (!canTransitionMeeting(m.status, 'held'))
        throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: 'held' });
      if (!heldOnAllowed(input.heldOn, m.feedbackDate, this.today()))
        throw new AppError(400, 'MEETING_HELD_ON_INVALID', { feedbackDate: m.feedbackDate });
      const report = input.report !== undefined ? textOrNull(input.report) : m.report;
      if (!report) throw new AppError(400, 'MEETING_REPORT_REQUIRED');
      const attendees = await this.checkAttendees(trx, input.attendees);
      const ok = await this.repo.update(trx, id, input.version, {
        status: 'held',
        heldOn: input.heldOn,
        attendees: JSON.stringify(attendees),
        report,
        problemsFound: input.problemsFound !== undefined ? textOrNull(input.problemsFound) : m.problemsFound,
        measuresDecided: input.measuresDecided !== undefined ? textOrNull(input.measuresDecided) : m.measuresDecided,
        heldRecordedBy: actor.userId,
        heldRecordedAt: now,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.detail(trx, (await this.repo.meeting(trx, id))!));
      const after = await this.detail(trx, (await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'meeting.held',
        entity: 'democratic_meeting',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async review(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReviewMeeting>) {
    const note = input.note.trim();
    if (!note) throw invalid('note is required');
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const m = await this.visibleMeeting(trx, scope, id);
      const before = await this.detail(trx, m);
      if (before.version !== input.version) throw stale(before);
      if (!canTransitionMeeting(m.status, 'reviewed'))
        throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: 'reviewed' });
      const ok = await this.repo.update(trx, id, input.version, {
        status: 'reviewed',
        reviewedBy: actor.userId,
        reviewedAt: now,
        reviewNote: note,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.detail(trx, (await this.repo.meeting(trx, id))!));
      const after = await this.detail(trx, (await this.repo.meeting(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'meeting.review',
        entity: 'democratic_meeting',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** A guidance or supervision note of a supervising body, on a meeting of a unit it sees (any state). */
  async addNote(actor: Actor, audit: AuditContext, id: number, input: Static<typeof AddMeetingNote>) {
    const content = input.content.trim();
    if (!content) throw invalid('content is required');
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.visibleMeeting(trx, scope, id);
      const noteId = await this.repo.insertNote(trx, {
        meetingId: id,
        kind: input.kind,
        content,
        authorId: actor.userId,
        authorOrgId: actor.orgId,
        createdAt: now,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'meeting.note',
        entity: 'democratic_meeting',
        entityId: id,
        after: { noteId, kind: input.kind, content, authorOrgId: actor.orgId },
      });
      return this.detail(trx, (await this.repo.meeting(trx, id))!);
    });
  }
}
