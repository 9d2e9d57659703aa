import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import {
  canTransition,
  FEEDBACK_RECIPIENT_KINDS,
  type FeedbackRecipientKind,
  ROUND_UNIT_STATUSES,
  ROUND_UNIT_TRANSITIONS,
  type RoundUnitStatus,
} from '../../../../domain/rectification.js';
import { can, ROLE_SCOPE, type SupervisorLine } from '../../../../domain/roles.js';
import type { DB } from '../../db/types.js';
import { assertInScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { isUniqueViolation, RoundRepository } from './rounds.repository.js';
import type {
  CreateBriefing,
  CreateFeedbackCopy,
  CreateRound,
  CreateRoundUnit,
  CreateTalkReport,
  CreateTeam,
  CreateTeamMember,
  CreateTerm,
  PutFeedback,
  RoundQuery,
  RoundUnitQuery,
  Transition,
  UpdateRound,
  UpdateRoundUnit,
  UpdateTeam,
  UpdateTerm,
} from './rounds.schemas.js';

const repo = new RoundRepository();

/** What other modules (the ledger) need of a round-unit the caller may see. */
export interface RoundUnitRef {
  id: number;
  termId: number;
  roundId: number;
  unitOrgId: number;
  teamId: number | null;
  status: RoundUnitStatus;
  cycle: number;
  feedbackDate: string | null;
  deadline: string | null;
  version: number;
}

type RoundUnitRow = NonNullable<Awaited<ReturnType<RoundRepository['roundUnitById']>>>;

const toRef = (r: RoundUnitRow): RoundUnitRef => ({
  id: Number(r.id),
  termId: Number(r.termId),
  roundId: Number(r.roundId),
  unitOrgId: Number(r.unitOrgId),
  teamId: r.teamId === null ? null : Number(r.teamId),
  status: r.status as RoundUnitStatus,
  cycle: Number(r.cycle),
  feedbackDate: r.feedbackDate,
  deadline: r.deadline,
  version: Number(r.version),
});

/**
 * The round-unit `roundUnitId` if the caller's data scope covers its unit; otherwise 404, exactly as
 * for one that does not exist (SPEC §2). For other modules: `import { roundUnitInScope } from …/rounds.service.js`.
 */
export async function roundUnitInScope(db: Kysely<DB>, actor: Actor, roundUnitId: number): Promise<RoundUnitRef> {
  const row = await repo.roundUnitById(db, roundUnitId);
  if (!row) throw notFound();
  assertInScope(await scopeOf(db, actor), row.unitOrgId);
  return toRef(row);
}

// ── shaping rows for the API ────────────────────────────────────────────────────────────────
const num = (v: number | string) => Number(v);
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

type TermRow = NonNullable<Awaited<ReturnType<RoundRepository['termById']>>>;
const toTerm = (r: TermRow) => ({
  ...r,
  id: num(r.id),
  createdAt: num(r.createdAt),
  updatedAt: num(r.updatedAt),
});

type RoundRow = NonNullable<Awaited<ReturnType<RoundRepository['roundById']>>>;
type UnitCounts = { total: number } & Record<RoundUnitStatus, number>;
const emptyCounts = (): UnitCounts =>
  Object.fromEntries([['total', 0], ...ROUND_UNIT_STATUSES.map((s) => [s, 0])]) as UnitCounts;
const toRound = (r: RoundRow, unitCounts: UnitCounts) => ({
  ...r,
  id: num(r.id),
  termId: num(r.termId),
  termNumber: num(r.termNumber),
  createdAt: num(r.createdAt),
  updatedAt: num(r.updatedAt),
  unitCounts,
});

type MemberRow = NonNullable<Awaited<ReturnType<RoundRepository['memberById']>>>;
const toMember = (m: MemberRow) => ({
  ...m,
  id: num(m.id),
  teamId: num(m.teamId),
  sourceOrgId: numOrNull(m.sourceOrgId),
  userId: numOrNull(m.userId),
  createdAt: num(m.createdAt),
});

type TeamRow = NonNullable<Awaited<ReturnType<RoundRepository['teamById']>>>;
const toTeam = (t: TeamRow, members: MemberRow[]) => ({
  ...t,
  id: num(t.id),
  roundId: num(t.roundId),
  createdAt: num(t.createdAt),
  updatedAt: num(t.updatedAt),
  members: members.filter((m) => num(m.teamId) === num(t.id)).map(toMember),
});

export const toRoundUnit = (r: RoundUnitRow) => ({
  ...r,
  id: num(r.id),
  roundId: num(r.roundId),
  termId: num(r.termId),
  unitOrgId: num(r.unitOrgId),
  teamId: numOrNull(r.teamId),
  status: r.status as RoundUnitStatus,
  deadlineOverridden: !!r.deadlineOverridden,
  createdAt: num(r.createdAt),
  updatedAt: num(r.updatedAt),
});

type FeedbackRow = NonNullable<Awaited<ReturnType<RoundRepository['feedbackOf']>>>;
const toFeedback = (f: FeedbackRow) => ({
  ...f,
  id: num(f.id),
  roundUnitId: num(f.roundUnitId),
  createdAt: num(f.createdAt),
  updatedAt: num(f.updatedAt),
});

type CopyRow = NonNullable<Awaited<ReturnType<RoundRepository['copyById']>>>;
const toCopy = (c: CopyRow) => ({
  ...c,
  id: num(c.id),
  roundUnitId: num(c.roundUnitId),
  recipientOrgId: numOrNull(c.recipientOrgId),
  sentAt: numOrNull(c.sentAt),
  receivedAt: numOrNull(c.receivedAt),
  createdAt: num(c.createdAt),
});

type TalkReportRow = NonNullable<Awaited<ReturnType<RoundRepository['talkReportById']>>>;
const toTalkReport = (t: TalkReportRow) => ({
  ...t,
  id: num(t.id),
  roundUnitId: num(t.roundUnitId),
  sentToOrgId: numOrNull(t.sentToOrgId),
  sentAt: numOrNull(t.sentAt),
  receivedAt: numOrNull(t.receivedAt),
  createdAt: num(t.createdAt),
});

type BriefingRow = NonNullable<Awaited<ReturnType<RoundRepository['briefingById']>>>;
const toBriefing = (b: BriefingRow) => ({
  ...b,
  id: num(b.id),
  roundUnitId: num(b.roundUnitId),
  teamId: numOrNull(b.teamId),
  supervisorOrgId: num(b.supervisorOrgId),
  createdBy: numOrNull(b.createdBy),
  createdAt: num(b.createdAt),
});

type EventRow = Awaited<ReturnType<RoundRepository['events']>>[number];
const toEvent = (e: EventRow) => ({ ...e, id: num(e.id), actorId: numOrNull(e.actorId), at: num(e.at) });

// ── input checks ────────────────────────────────────────────────────────────────────────────
function bad(field: string, message: string): AppError {
  return invalid(`${field} ${message}`, { errors: [{ path: `body.${field}`, message }] });
}

function assertDate(value: string | null | undefined, field: string): void {
  if (value !== null && value !== undefined && !isValidDate(value))
    throw bad(field, `${value} is not a real calendar date (YYYY-MM-DD)`);
}

function assertOrder(start: string | null | undefined, end: string | null | undefined, s: string, e: string) {
  if (start && end && end < start) throw bad(e, `must not be before ${s}`);
}

const trimOrNull = (s: string | null | undefined) => (s === null || s === undefined ? null : s.trim() || null);

/** Which supervising line (联系关系) receives which standard copy of the feedback (SPEC M3, seed §6). */
export const COPY_LINES: Record<FeedbackRecipientKind, SupervisorLine> = {
  leader: 'leader', // 分管或联系市级领导
  industry: 'industry', // 行业主管部门
  supervision_office: 'discipline', // 联系纪检监察监督室
  stationed_group: 'stationed', // 派驻纪检监察组
  organisation_dept: 'organisation', // 市委组织部
};

type Db = Kysely<DB>;
type Tx = Transaction<DB>;

/**
 * M2 terms, rounds, teams and the units of a round; M3 feedback, its distribution and the talk
 * reports; the pre-inspection briefings. Reads are filtered by the caller's data scope; writes are
 * the inspection office's (round.write), except briefings (the liaison supervisors) and receipts
 * (the recipient).
 */
export class RoundService {
  readonly repo = repo;
  constructor(private readonly ctx: AppContext) {}

  /** The round-unit if the caller may see it (404 otherwise); for the ledger and other modules. */
  getRoundUnitForActor(actor: Actor, id: number): Promise<RoundUnitRef> {
    return roundUnitInScope(this.ctx.db, actor, id);
  }

  private scope(actor: Actor, db: Db = this.ctx.db): Promise<Scope> {
    return scopeOf(db, actor);
  }

  private today(): string {
    return shanghaiDate(this.ctx.clock.now());
  }

  /** Runs a write transaction; a duplicate that slipped past the checks answers `onDuplicate`, not a 500. */
  private async write<T>(fn: (trx: Tx) => Promise<T>, onDuplicate: () => AppError): Promise<T> {
    try {
      return await this.ctx.db.transaction().execute(fn);
    } catch (e) {
      if (isUniqueViolation(e)) throw onDuplicate();
      throw e;
    }
  }

  private async deadlineFrom(db: Db, from: string): Promise<string> {
    const general = await this.ctx.settings.get('system.general');
    return CalendarService.deadline(db, from, general?.rectificationMonths || 3);
  }

  // ── 届 ──────────────────────────────────────────────────────────────────────────────────────
  async listTerms(actor: Actor) {
    void actor; // terms are names and dates only: every holder of round.read sees them
    return { items: (await repo.terms(this.ctx.db)).map(toTerm) };
  }

  async createTerm(actor: Actor, audit: AuditContext, input: Static<typeof CreateTerm>) {
    void actor;
    assertDate(input.startDate, 'startDate');
    assertDate(input.endDate, 'endDate');
    assertOrder(input.startDate, input.endDate, 'startDate', 'endDate');
    const now = this.ctx.clock.now();
    const duplicate = () => new AppError(409, 'DUPLICATE', { field: 'number' });
    return this.write(async (trx) => {
      if (await repo.termByNumber(trx, input.number)) throw duplicate();
      const row = {
        number: input.number,
        name: input.name.trim(),
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      if (!row.name) throw bad('name', 'must not be blank');
      const id = await repo.insertTerm(trx, row);
      await this.ctx.audit.record(trx, audit, { action: 'term.create', entity: 'term', entityId: id, after: row });
      return toTerm((await repo.termById(trx, id))!);
    }, duplicate);
  }

  async updateTerm(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateTerm>) {
    void actor;
    const now = this.ctx.clock.now();
    const duplicate = () => new AppError(409, 'DUPLICATE', { field: 'number' });
    return this.write(async (trx) => {
      const before = await repo.termById(trx, id);
      if (!before) throw notFound();
      if (before.version !== input.version) throw stale(toTerm(before));
      const { version, ...rest } = input;
      assertDate(rest.startDate, 'startDate');
      assertDate(rest.endDate, 'endDate');
      const start = rest.startDate === undefined ? before.startDate : rest.startDate;
      const end = rest.endDate === undefined ? before.endDate : rest.endDate;
      assertOrder(start, end, 'startDate', 'endDate');
      if (rest.name !== undefined && !rest.name.trim()) throw bad('name', 'must not be blank');
      if (rest.number !== undefined && rest.number !== before.number) {
        const other = await repo.termByNumber(trx, rest.number);
        if (other && num(other.id) !== id) throw duplicate();
      }
      const patch: Record<string, unknown> = { ...rest, updatedAt: now };
      if (rest.name !== undefined) patch.name = rest.name.trim();
      if (!(await repo.updateTerm(trx, id, version, patch))) throw stale(toTerm((await repo.termById(trx, id))!));
      const after = (await repo.termById(trx, id))!;
      await this.ctx.audit.record(trx, audit, { action: 'term.update', entity: 'term', entityId: id, before, after });
      return toTerm(after);
    }, duplicate);
  }

  // ── 轮 ──────────────────────────────────────────────────────────────────────────────────────
  private async countsFor(db: Db, roundIds: number[], scope: Scope) {
    const out = new Map<number, UnitCounts>(roundIds.map((id) => [id, emptyCounts()]));
    for (const c of await repo.unitCounts(db, roundIds, scope.all ? undefined : scope.orgIds)) {
      const counts = out.get(num(c.roundId));
      if (!counts) continue;
      const n = Number(c.n);
      counts.total += n;
      if (c.status in counts) counts[c.status as RoundUnitStatus] += n;
    }
    return out;
  }

  /** The round, if the caller may see it: the office and leadership see all; others the rounds holding their units. */
  private async visibleRound(db: Db, scope: Scope, id: number): Promise<RoundRow> {
    const row = await repo.roundById(db, id);
    if (!row) throw notFound();
    if (!scope.all && !(await repo.roundHasUnitIn(db, id, scope.orgIds))) throw notFound();
    return row;
  }

  private async roundOut(db: Db, scope: Scope, row: RoundRow) {
    const counts = await this.countsFor(db, [num(row.id)], scope);
    return toRound(row, counts.get(num(row.id))!);
  }

  async listRounds(actor: Actor, q: Static<typeof RoundQuery>) {
    const scope = await this.scope(actor);
    const rows = await repo.rounds(this.ctx.db, {
      termId: q.termId,
      type: q.type,
      q: q.q?.trim() || undefined,
      orgIds: scope.all ? undefined : scope.orgIds,
    });
    const counts = await this.countsFor(
      this.ctx.db,
      rows.map((r) => num(r.id)),
      scope,
    );
    return { items: rows.map((r) => toRound(r, counts.get(num(r.id))!)) };
  }

  async getRound(actor: Actor, id: number) {
    const scope = await this.scope(actor);
    return this.roundOut(this.ctx.db, scope, await this.visibleRound(this.ctx.db, scope, id));
  }

  async createRound(actor: Actor, audit: AuditContext, input: Static<typeof CreateRound>) {
    assertDate(input.onSiteStart, 'onSiteStart');
    assertDate(input.onSiteEnd, 'onSiteEnd');
    assertOrder(input.onSiteStart, input.onSiteEnd, 'onSiteStart', 'onSiteEnd');
    const now = this.ctx.clock.now();
    const duplicate = () => new AppError(409, 'DUPLICATE', { field: 'number' });
    return this.write(async (trx) => {
      if (!(await repo.termById(trx, input.termId))) throw new AppError(400, 'INVALID_REFERENCE', { field: 'termId' });
      if (await repo.roundByTermNumber(trx, input.termId, input.number)) throw duplicate();
      const row = {
        termId: input.termId,
        number: input.number,
        name: input.name.trim(),
        type: input.type,
        onSiteStart: input.onSiteStart ?? null,
        onSiteEnd: input.onSiteEnd ?? null,
        notes: trimOrNull(input.notes),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      if (!row.name) throw bad('name', 'must not be blank');
      const id = await repo.insertRound(trx, row);
      await this.ctx.audit.record(trx, audit, { action: 'round.create', entity: 'round', entityId: id, after: row });
      return this.roundOut(trx, await this.scope(actor, trx), (await repo.roundById(trx, id))!);
    }, duplicate);
  }

  async updateRound(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateRound>) {
    const now = this.ctx.clock.now();
    const duplicate = () => new AppError(409, 'DUPLICATE', { field: 'number' });
    return this.write(async (trx) => {
      const scope = await this.scope(actor, trx);
      const before = await this.visibleRound(trx, scope, id);
      if (before.version !== input.version) throw stale(await this.roundOut(trx, scope, before));
      const { version, ...rest } = input;
      assertDate(rest.onSiteStart, 'onSiteStart');
      assertDate(rest.onSiteEnd, 'onSiteEnd');
      const start = rest.onSiteStart === undefined ? before.onSiteStart : rest.onSiteStart;
      const end = rest.onSiteEnd === undefined ? before.onSiteEnd : rest.onSiteEnd;
      assertOrder(start, end, 'onSiteStart', 'onSiteEnd');
      if (rest.name !== undefined && !rest.name.trim()) throw bad('name', 'must not be blank');
      if (rest.number !== undefined && rest.number !== before.number) {
        const other = await repo.roundByTermNumber(trx, num(before.termId), rest.number);
        if (other && num(other.id) !== id) throw duplicate();
      }
      const patch: Record<string, unknown> = { ...rest, updatedAt: now };
      if (rest.name !== undefined) patch.name = rest.name.trim();
      if (rest.notes !== undefined) patch.notes = trimOrNull(rest.notes);
      if (!(await repo.updateRound(trx, id, version, patch)))
        throw stale(await this.roundOut(trx, scope, (await repo.roundById(trx, id))!));
      const after = (await repo.roundById(trx, id))!;
      await this.ctx.audit.record(trx, audit, { action: 'round.update', entity: 'round', entityId: id, before, after });
      return this.roundOut(trx, scope, after);
    }, duplicate);
  }

  // ── 巡察组 and 巡察人员选派 ──────────────────────────────────────────────────────────────────
  private async teamOut(db: Db, team: TeamRow) {
    return toTeam(team, await repo.members(db, [num(team.id)]));
  }

  /** Teams of a round; a scoped caller sees only the teams assigned to its units. */
  async listTeams(actor: Actor, roundId: number) {
    const scope = await this.scope(actor);
    await this.visibleRound(this.ctx.db, scope, roundId);
    const teams = await repo.teams(this.ctx.db, roundId, scope.all ? undefined : scope.orgIds);
    const members = await repo.members(
      this.ctx.db,
      teams.map((t) => num(t.id)),
    );
    return { items: teams.map((t) => toTeam(t, members)) };
  }

  async createTeam(actor: Actor, audit: AuditContext, roundId: number, input: Static<typeof CreateTeam>) {
    void actor;
    const now = this.ctx.clock.now();
    const name = input.name.trim();
    if (!name) throw bad('name', 'must not be blank');
    return this.ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.roundById(trx, roundId))) throw notFound();
      if (await repo.teamByName(trx, roundId, name)) throw new AppError(409, 'DUPLICATE', { field: 'name' });
      const row = { roundId, name, notes: trimOrNull(input.notes), version: 1, createdAt: now, updatedAt: now };
      const id = await repo.insertTeam(trx, row);
      await this.ctx.audit.record(trx, audit, { action: 'team.create', entity: 'team', entityId: id, after: row });
      return this.teamOut(trx, (await repo.teamById(trx, id))!);
    });
  }

  async updateTeam(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateTeam>) {
    void actor;
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.teamById(trx, id);
      if (!before) throw notFound();
      if (before.version !== input.version) throw stale(await this.teamOut(trx, before));
      const patch: Record<string, unknown> = { updatedAt: now };
      if (input.name !== undefined) {
        const name = input.name.trim();
        if (!name) throw bad('name', 'must not be blank');
        const other = await repo.teamByName(trx, num(before.roundId), name);
        if (other && num(other.id) !== id) throw new AppError(409, 'DUPLICATE', { field: 'name' });
        patch.name = name;
      }
      if (input.notes !== undefined) patch.notes = trimOrNull(input.notes);
      if (!(await repo.updateTeam(trx, id, input.version, patch)))
        throw stale(await this.teamOut(trx, (await repo.teamById(trx, id))!));
      const after = (await repo.teamById(trx, id))!;
      await this.ctx.audit.record(trx, audit, { action: 'team.update', entity: 'team', entityId: id, before, after });
      return this.teamOut(trx, after);
    });
  }

  async addMember(actor: Actor, audit: AuditContext, teamId: number, input: Static<typeof CreateTeamMember>) {
    void actor;
    const name = input.name.trim();
    if (!name) throw bad('name', 'must not be blank');
    return this.ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.teamById(trx, teamId))) throw notFound();
      if (input.sourceOrgId && !(await repo.orgById(trx, input.sourceOrgId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'sourceOrgId' });
      if (input.userId && !(await repo.userExists(trx, input.userId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'userId' });
      const row = {
        teamId,
        name,
        post: trimOrNull(input.post),
        memberRole: input.memberRole,
        sourceOrgId: input.sourceOrgId ?? null,
        userId: input.userId ?? null,
        createdAt: this.ctx.clock.now(),
      };
      const id = await repo.insertMember(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'team.member.add',
        entity: 'team_member',
        entityId: id,
        after: row,
      });
      return toMember((await repo.memberById(trx, id))!);
    });
  }

  async removeMember(actor: Actor, audit: AuditContext, id: number) {
    void actor;
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.memberById(trx, id);
      if (!before) throw notFound();
      await repo.deleteMember(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'team.member.remove',
        entity: 'team_member',
        entityId: id,
        before,
      });
    });
  }

  // ── 被巡察单位 of a round ────────────────────────────────────────────────────────────────────
  async listRoundUnits(actor: Actor, q: Static<typeof RoundUnitQuery>) {
    const scope = await this.scope(actor);
    const limit = q.limit ?? 50;
    const { items, total } = await repo.roundUnitsPage(
      this.ctx.db,
      {
        q: q.q?.trim() || undefined,
        termId: q.termId,
        roundId: q.roundId,
        unitOrgId: q.unitOrgId,
        status: q.status,
        orgIds: scope.all ? undefined : scope.orgIds,
      },
      q.after ?? 0,
      limit,
    );
    return {
      items: items.map(toRoundUnit),
      total,
      nextCursor: items.length === limit ? num(items[items.length - 1]!.id) : null,
    };
  }

  /**
   * Who sees which briefings (巡前情况通报 is intelligence about the unit for the team): the office and
   * the leadership all; a supervisor those its organisation gave; the unit itself none (null).
   */
  private briefingsFor(actor: Actor): 'all' | number | null {
    if (ROLE_SCOPE[actor.role] === 'all') return 'all';
    if (can(actor.role, 'briefing.write')) return actor.orgId;
    return null;
  }

  /** Talk reports (个别谈话情况报告) are for the office, the leadership and the department they went to. */
  private talkReportsFor(actor: Actor): 'all' | number {
    return ROLE_SCOPE[actor.role] === 'all' ? 'all' : actor.orgId;
  }

  private allowedTransitions(actor: Actor, status: RoundUnitStatus): RoundUnitStatus[] {
    if (!can(actor.role, 'round.write') || status === 'awaiting_feedback') return []; // feedback starts the clock
    return [...ROUND_UNIT_TRANSITIONS[status]];
  }

  async getRoundUnit(actor: Actor, id: number) {
    const db = this.ctx.db;
    const row = await repo.roundUnitById(db, id);
    if (!row) throw notFound();
    const scope = await this.scope(actor);
    assertInScope(scope, row.unitOrgId);
    const ru = toRoundUnit(row);
    const team = ru.teamId ? await repo.teamById(db, ru.teamId) : undefined;
    const briefingsFor = this.briefingsFor(actor);
    const talkFor = this.talkReportsFor(actor);
    const [round, members, feedback, copies, talkReports, briefings, history] = await Promise.all([
      repo.roundById(db, ru.roundId),
      team ? repo.members(db, [num(team.id)]) : Promise.resolve([]),
      repo.feedbackOf(db, id),
      repo.copies(db, id),
      repo.talkReports(db, id, talkFor === 'all' ? undefined : talkFor),
      briefingsFor === null
        ? Promise.resolve([])
        : repo.briefings(db, id, briefingsFor === 'all' ? undefined : briefingsFor),
      repo.events(db, id),
    ]);
    return {
      ...ru,
      round: await this.roundOut(db, scope, round!),
      team: team ? toTeam(team, members) : null,
      feedback: feedback ? toFeedback(feedback) : null,
      copies: copies.map(toCopy),
      talkReports: talkReports.map(toTalkReport),
      briefings: briefings.map(toBriefing),
      history: history.map(toEvent),
      allowedTransitions: this.allowedTransitions(actor, ru.status),
    };
  }

  private async event(
    trx: Tx,
    actor: Actor,
    roundUnitId: number,
    e: { from: string | null; to: string; cycle: number; deadline: string | null; reason?: string | null },
  ) {
    await repo.insertEvent(trx, {
      roundUnitId,
      fromStatus: e.from,
      toStatus: e.to,
      cycle: e.cycle,
      deadline: e.deadline,
      reason: e.reason ?? null,
      actorId: actor.userId,
      actorName: actor.displayName,
      at: this.ctx.clock.now(),
    });
  }

  async addRoundUnit(actor: Actor, audit: AuditContext, roundId: number, input: Static<typeof CreateRoundUnit>) {
    const now = this.ctx.clock.now();
    const duplicate = () => new AppError(409, 'DUPLICATE', { field: 'unitOrgId' });
    return this.write(async (trx) => {
      const round = await repo.roundById(trx, roundId);
      if (!round) throw notFound();
      const org = await repo.orgById(trx, input.unitOrgId);
      if (org?.type !== 'inspected_unit' || !org.active)
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'unitOrgId' });
      if (input.teamId) {
        const team = await repo.teamById(trx, input.teamId);
        if (!team || num(team.roundId) !== roundId) throw new AppError(400, 'INVALID_REFERENCE', { field: 'teamId' });
      }
      if (await repo.roundUnitByPair(trx, roundId, input.unitOrgId)) throw duplicate();
      const row = {
        roundId,
        termId: num(round.termId),
        unitOrgId: input.unitOrgId,
        teamId: input.teamId ?? null,
        status: 'awaiting_feedback' as const,
        cycle: 1,
        feedbackDate: null,
        deadline: null,
        deadlineOverridden: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const id = await repo.insertRoundUnit(trx, row);
      await this.event(trx, actor, id, { from: null, to: row.status, cycle: 1, deadline: null });
      await this.ctx.audit.record(trx, audit, {
        action: 'round_unit.create',
        entity: 'round_unit',
        entityId: id,
        after: row,
      });
      return toRoundUnit((await repo.roundUnitById(trx, id))!);
    }, duplicate);
  }

  /** Takes a unit added by mistake out of a round: only while it awaits feedback and nothing hangs on it. */
  async removeRoundUnit(actor: Actor, audit: AuditContext, id: number) {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, actor, id);
      if (before.status !== 'awaiting_feedback' || (await repo.roundUnitUsage(trx, id)) > 0)
        throw new AppError(409, 'IN_USE');
      await repo.deleteRoundUnit(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'round_unit.delete',
        entity: 'round_unit',
        entityId: id,
        before,
      });
    });
  }

  /** The round-unit for a write: 404 outside scope, 409 with the current record when the version is old. */
  private async forWrite(trx: Tx, actor: Actor, id: number, version?: number) {
    const row = await repo.roundUnitById(trx, id);
    if (!row) throw notFound();
    assertInScope(await this.scope(actor, trx), row.unitOrgId);
    if (version !== undefined && num(row.version) !== version) throw stale(toRoundUnit(row));
    return row;
  }

  private async saveRoundUnit(trx: Tx, row: RoundUnitRow, patch: Record<string, unknown>) {
    const id = num(row.id);
    if (!(await repo.updateRoundUnit(trx, id, num(row.version), { ...patch, updatedAt: this.ctx.clock.now() })))
      throw stale(toRoundUnit((await repo.roundUnitById(trx, id))!));
    return (await repo.roundUnitById(trx, id))!;
  }

  async updateRoundUnit(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateRoundUnit>) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, actor, id, input.version);
      const patch: Record<string, unknown> = {};
      if (input.deadline !== undefined) {
        assertDate(input.deadline, 'deadline');
        if (!before.feedbackDate) throw new AppError(409, 'FEEDBACK_REQUIRED');
        if (input.deadline < before.feedbackDate) throw bad('deadline', `must not be before the feedback date`);
        patch.deadline = input.deadline;
        patch.deadlineOverridden = 1;
      }
      if (input.teamId !== undefined) {
        if (input.teamId !== null) {
          const team = await repo.teamById(trx, input.teamId);
          if (!team || num(team.roundId) !== num(before.roundId))
            throw new AppError(400, 'INVALID_REFERENCE', { field: 'teamId' });
        }
        patch.teamId = input.teamId;
      }
      const after = await this.saveRoundUnit(trx, before, patch);
      await this.ctx.audit.record(trx, audit, {
        action: 'round_unit.update',
        entity: 'round_unit',
        entityId: id,
        before,
        after,
      });
      return toRoundUnit(after);
    });
  }

  /**
   * Records the 反馈意见. Its first delivery starts the clock: 待反馈 → 整改中, the feedback date, and
   * the deadline = delivery + N months (system.general.rectificationMonths) moved onto a working day,
   * unless the deadline was set by hand. Correcting the delivery date moves a computed deadline with it.
   */
  async putFeedback(actor: Actor, audit: AuditContext, id: number, input: Static<typeof PutFeedback>) {
    assertDate(input.deliveredOn, 'deliveredOn');
    if (input.deliveredOn > this.today()) throw bad('deliveredOn', 'must not be in the future');
    const now = this.ctx.clock.now();
    const conflict = async () => {
      const current = await repo.feedbackOf(this.ctx.db, id);
      return stale(current ? toFeedback(current) : null);
    };
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const ru = await this.forWrite(trx, actor, id);
        const existing = await repo.feedbackOf(trx, id);
        if ((existing ? num(existing.version) : 0) !== input.version)
          throw stale(existing ? toFeedback(existing) : null);
        const fields = { title: trimOrNull(input.title), body: input.body, deliveredOn: input.deliveredOn };
        let feedbackId: number;
        if (existing) {
          feedbackId = num(existing.id);
          if (!(await repo.updateFeedback(trx, feedbackId, input.version, { ...fields, updatedAt: now })))
            throw await conflict();
        } else {
          feedbackId = await repo.insertFeedback(trx, {
            roundUnitId: id,
            ...fields,
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
        }
        const feedback = (await repo.feedbackOf(trx, id))!;
        await this.ctx.audit.record(trx, audit, {
          action: existing ? 'feedback.update' : 'feedback.create',
          entity: 'feedback',
          entityId: feedbackId,
          before: existing ?? null,
          after: feedback,
        });

        const patch: Record<string, unknown> = {};
        if (ru.feedbackDate !== input.deliveredOn) {
          patch.feedbackDate = input.deliveredOn;
          if (!ru.deadlineOverridden && num(ru.cycle) === 1)
            patch.deadline = await this.deadlineFrom(trx, input.deliveredOn);
          else if (ru.deadline && ru.deadline < input.deliveredOn)
            throw bad('deliveredOn', `must not be after the deadline ${ru.deadline}`);
        }
        const starts = ru.status === 'awaiting_feedback';
        if (starts) patch.status = 'rectifying';
        let after = ru;
        if (Object.keys(patch).length) {
          after = await this.saveRoundUnit(trx, ru, patch);
          if (starts)
            await this.event(trx, actor, id, {
              from: ru.status,
              to: after.status,
              cycle: num(after.cycle),
              deadline: after.deadline,
            });
          await this.ctx.audit.record(trx, audit, {
            action: starts ? 'round_unit.feedback_delivered' : 'round_unit.update',
            entity: 'round_unit',
            entityId: id,
            before: ru,
            after,
          });
        }
        return { feedback: toFeedback(feedback), roundUnit: toRoundUnit(after) };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw await conflict(); // two first deliveries at once: one wins
      throw e;
    }
  }

  /**
   * Moves a round-unit along ROUND_UNIT_TRANSITIONS inside the caller's transaction (the evaluation
   * module uses this too: 不合格 ⇒ 重新整改). Going back (整改期满 → 整改中, → 重新整改) needs a reason;
   * 重新整改 opens a new cycle with a new deadline (given, or today + N months on the working calendar).
   */
  async transitionIn(
    trx: Tx,
    actor: Actor,
    audit: AuditContext,
    id: number,
    input: Static<typeof Transition>,
  ): Promise<RoundUnitRow> {
    const before = await this.forWrite(trx, actor, id, input.version);
    const from = before.status as RoundUnitStatus;
    const to = input.to;
    if (!canTransition(ROUND_UNIT_TRANSITIONS, from, to)) throw new AppError(409, 'INVALID_TRANSITION', { from, to });
    if (from === 'awaiting_feedback') throw new AppError(409, 'FEEDBACK_REQUIRED'); // PUT …/feedback starts the clock
    const reason = input.reason?.trim() || null;
    const reopening = to === 're_rectifying' || (from === 'period_ended' && to === 'rectifying');
    if (reopening && !reason) throw bad('reason', 'is required to reopen the rectification');
    const today = this.today();
    const patch: Record<string, unknown> = { status: to };
    if (input.deadline !== undefined) {
      assertDate(input.deadline, 'deadline');
      if (!reopening) throw bad('deadline', `can only be given when reopening the rectification, not for ${to}`);
      if (input.deadline < today) throw bad('deadline', 'must not be in the past');
      patch.deadline = input.deadline;
      patch.deadlineOverridden = 1;
    }
    if (to === 're_rectifying') {
      patch.cycle = num(before.cycle) + 1;
      if (input.deadline === undefined) {
        patch.deadline = await this.deadlineFrom(trx, today);
        patch.deadlineOverridden = 0;
      }
    } else if (to === 'rectifying' && input.deadline === undefined && (!before.deadline || before.deadline < today)) {
      throw bad('deadline', 'a new deadline is needed to extend an ended period');
    }
    const after = await this.saveRoundUnit(trx, before, patch);
    await this.event(trx, actor, id, { from, to, cycle: num(after.cycle), deadline: after.deadline, reason });
    await this.ctx.audit.record(trx, audit, {
      action: 'round_unit.transition',
      entity: 'round_unit',
      entityId: id,
      before,
      after: { ...after, reason },
    });
    return after;
  }

  async transition(actor: Actor, audit: AuditContext, id: number, input: Static<typeof Transition>) {
    const after = await this.ctx.db.transaction().execute((trx) => this.transitionIn(trx, actor, audit, id, input));
    return toRoundUnit(after);
  }

  // ── 抄送 ────────────────────────────────────────────────────────────────────────────────────
  private async feedbackDelivered(trx: Tx, id: number) {
    const feedback = await repo.feedbackOf(trx, id);
    if (!feedback?.deliveredOn) throw new AppError(409, 'FEEDBACK_REQUIRED');
  }

  async addCopy(actor: Actor, audit: AuditContext, id: number, input: Static<typeof CreateFeedbackCopy>) {
    const recipientName = trimOrNull(input.recipientName);
    const recipientOrgId = input.recipientOrgId ?? null;
    if (!recipientOrgId && !recipientName) throw bad('recipientOrgId', 'or recipientName is required');
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.forWrite(trx, actor, id);
      await this.feedbackDelivered(trx, id);
      if (recipientOrgId && !(await repo.orgById(trx, recipientOrgId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'recipientOrgId' });
      const same = (await repo.copies(trx, id)).some(
        (c) =>
          c.recipientKind === input.recipientKind &&
          numOrNull(c.recipientOrgId) === recipientOrgId &&
          (recipientOrgId !== null || c.recipientName === recipientName),
      );
      if (same) throw new AppError(409, 'DUPLICATE', { field: 'recipientKind' });
      const row = {
        roundUnitId: id,
        recipientKind: input.recipientKind,
        recipientOrgId,
        recipientName,
        sentAt: null,
        receivedAt: null,
        note: trimOrNull(input.note),
        version: 1,
        createdAt: this.ctx.clock.now(),
      };
      const copyId = await repo.insertCopy(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'feedback_copy.create',
        entity: 'feedback_copy',
        entityId: copyId,
        after: row,
      });
      return toCopy((await repo.copyById(trx, copyId))!);
    });
  }

  /**
   * 抄送 in one step: a copy for each of the five standard recipients, found through the unit's
   * liaison links by line; kinds that already have a copy are left alone.
   */
  async distribute(actor: Actor, audit: AuditContext, id: number, input: { markSent?: boolean }) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.forWrite(trx, actor, id);
      await this.feedbackDelivered(trx, id);
      const present = new Set((await repo.copies(trx, id)).map((c) => c.recipientKind));
      const supervisors = await repo.liaisonSupervisors(trx, num(ru.unitOrgId));
      const now = this.ctx.clock.now();
      const createdIds: number[] = [];
      const skipped: FeedbackRecipientKind[] = [];
      const missing: FeedbackRecipientKind[] = [];
      for (const kind of FEEDBACK_RECIPIENT_KINDS) {
        if (present.has(kind)) {
          skipped.push(kind);
          continue;
        }
        const orgs = supervisors.filter((s) => s.supervisorLine === COPY_LINES[kind]);
        if (!orgs.length) missing.push(kind);
        for (const org of orgs) {
          createdIds.push(
            await repo.insertCopy(trx, {
              roundUnitId: id,
              recipientKind: kind,
              recipientOrgId: num(org.id),
              recipientName: null,
              sentAt: input.markSent ? now : null,
              receivedAt: null,
              note: null,
              version: 1,
              createdAt: now,
            }),
          );
        }
      }
      const copies = (await repo.copies(trx, id)).map(toCopy);
      const created = copies.filter((c) => createdIds.includes(c.id));
      if (created.length) {
        await this.ctx.audit.record(trx, audit, {
          action: 'feedback_copy.distribute',
          entity: 'round_unit',
          entityId: id,
          after: { created, skipped, missing },
        });
      }
      return { created, skipped, missing, copies };
    });
  }

  async markCopySent(actor: Actor, audit: AuditContext, copyId: number) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.copyById(trx, copyId);
      if (!before) throw notFound();
      await this.forWrite(trx, actor, num(before.roundUnitId));
      if (before.sentAt !== null) return toCopy(before); // already sent: nothing changes
      if (!(await repo.updateCopy(trx, copyId, num(before.version), { sentAt: this.ctx.clock.now() })))
        throw stale(toCopy((await repo.copyById(trx, copyId))!));
      const after = (await repo.copyById(trx, copyId))!;
      await this.ctx.audit.record(trx, audit, {
        action: 'feedback_copy.sent',
        entity: 'feedback_copy',
        entityId: copyId,
        before,
        after,
      });
      return toCopy(after);
    });
  }

  /** Receipt of a copy: by the recipient organisation's users, or by the office on their behalf. */
  async markCopyReceived(actor: Actor, audit: AuditContext, copyId: number) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.copyById(trx, copyId);
      if (!before) throw notFound();
      const isRecipient = before.recipientOrgId !== null && num(before.recipientOrgId) === actor.orgId;
      if (!isRecipient) {
        const ru = await repo.roundUnitById(trx, num(before.roundUnitId));
        assertInScope(await this.scope(actor, trx), ru?.unitOrgId);
        if (!can(actor.role, 'round.write')) throw new AppError(403, 'FORBIDDEN');
      }
      if (before.sentAt === null) throw new AppError(409, 'INVALID_TRANSITION', { from: 'unsent', to: 'received' });
      if (before.receivedAt !== null) return toCopy(before);
      if (!(await repo.updateCopy(trx, copyId, num(before.version), { receivedAt: this.ctx.clock.now() })))
        throw stale(toCopy((await repo.copyById(trx, copyId))!));
      const after = (await repo.copyById(trx, copyId))!;
      await this.ctx.audit.record(trx, audit, {
        action: 'feedback_copy.received',
        entity: 'feedback_copy',
        entityId: copyId,
        before,
        after,
      });
      return toCopy(after);
    });
  }

  // ── 个别谈话情况报告 ───────────────────────────────────────────────────────────────────────────
  async addTalkReport(actor: Actor, audit: AuditContext, id: number, input: Static<typeof CreateTalkReport>) {
    const summary = input.summary.trim();
    if (!summary) throw bad('summary', 'must not be blank');
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.forWrite(trx, actor, id);
      if (!(await repo.orgById(trx, input.sentToOrgId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'sentToOrgId' });
      const now = this.ctx.clock.now();
      const row = {
        roundUnitId: id,
        sentToOrgId: input.sentToOrgId,
        summary,
        sentAt: now,
        receivedAt: null,
        version: 1,
        createdAt: now,
      };
      const reportId = await repo.insertTalkReport(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'talk_report.create',
        entity: 'talk_report',
        entityId: reportId,
        // what cadres said in individual talks stays out of the audit images: only its size is logged
        after: { ...row, summary: undefined, summaryChars: summary.length },
      });
      return toTalkReport((await repo.talkReportById(trx, reportId))!);
    });
  }

  /** Receipt by the organisation department it was sent to, or by the office; invisible (404) to anyone else. */
  async markTalkReportReceived(actor: Actor, audit: AuditContext, reportId: number) {
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.talkReportById(trx, reportId);
      if (!before) throw notFound();
      const isRecipient = before.sentToOrgId !== null && num(before.sentToOrgId) === actor.orgId;
      if (!isRecipient && !can(actor.role, 'round.write')) throw notFound();
      if (before.receivedAt !== null) return toTalkReport(before);
      if (!(await repo.updateTalkReport(trx, reportId, num(before.version), { receivedAt: this.ctx.clock.now() })))
        throw stale(toTalkReport((await repo.talkReportById(trx, reportId))!));
      const after = (await repo.talkReportById(trx, reportId))!;
      const image = (r: TalkReportRow) => ({ ...r, summary: undefined });
      await this.ctx.audit.record(trx, audit, {
        action: 'talk_report.received',
        entity: 'talk_report',
        entityId: reportId,
        before: image(before),
        after: image(after),
      });
      return toTalkReport(after);
    });
  }

  // ── 巡前情况通报 ─────────────────────────────────────────────────────────────────────────────
  /**
   * A liaison supervisor briefs the team about a unit before the inspection. A supervisor without a
   * liaison link to the unit gets 404; the office records a briefing on behalf of a liaison supervisor.
   */
  async addBriefing(actor: Actor, audit: AuditContext, id: number, input: Static<typeof CreateBriefing>) {
    const content = input.content.trim();
    if (!content) throw bad('content', 'must not be blank');
    assertDate(input.givenOn, 'givenOn');
    if (input.givenOn && input.givenOn > this.today()) throw bad('givenOn', 'must not be in the future');
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await repo.roundUnitById(trx, id);
      if (!ru) throw notFound();
      const unitOrgId = num(ru.unitOrgId);
      let supervisorOrgId: number;
      if (can(actor.role, 'round.write')) {
        if (!input.supervisorOrgId) throw bad('supervisorOrgId', 'is required when the office records a briefing');
        if (!(await repo.isLiaised(trx, unitOrgId, input.supervisorOrgId)))
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'supervisorOrgId' });
        supervisorOrgId = input.supervisorOrgId;
      } else {
        if (!(await repo.isLiaised(trx, unitOrgId, actor.orgId))) throw notFound();
        if (input.supervisorOrgId && input.supervisorOrgId !== actor.orgId)
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'supervisorOrgId' });
        supervisorOrgId = actor.orgId;
      }
      let teamId = ru.teamId === null ? null : num(ru.teamId);
      if (input.teamId !== undefined) {
        if (input.teamId !== null) {
          const team = await repo.teamById(trx, input.teamId);
          if (!team || num(team.roundId) !== num(ru.roundId))
            throw new AppError(400, 'INVALID_REFERENCE', { field: 'teamId' });
        }
        teamId = input.teamId;
      }
      const row = {
        roundUnitId: id,
        teamId,
        supervisorOrgId,
        content,
        givenOn: input.givenOn ?? null,
        createdBy: actor.userId,
        createdAt: this.ctx.clock.now(),
      };
      const briefingId = await repo.insertBriefing(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'briefing.create',
        entity: 'briefing',
        entityId: briefingId,
        // pre-inspection intelligence stays out of the audit images: only its size is logged
        after: { ...row, content: undefined, contentChars: content.length },
      });
      return toBriefing((await repo.briefingById(trx, briefingId))!);
    });
  }

  async listBriefings(actor: Actor, id: number) {
    await roundUnitInScope(this.ctx.db, actor, id);
    const who = this.briefingsFor(actor);
    if (who === null) return { items: [] }; // the unit itself never sees what was said about it
    const rows = await repo.briefings(this.ctx.db, id, who === 'all' ? undefined : who);
    return { items: rows.map(toBriefing) };
  }
}
