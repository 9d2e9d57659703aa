import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import {
  ACCOUNTABILITY_KINDS,
  CASE_KINDS,
  countByKind,
  HELD_ACCOUNTABLE_KINDS,
  personKey,
} from '../../../../domain/meetings.js';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import { inScope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { type Executor, LedgerRepository } from '../ledger/ledger.repository.js';
import { readScopeOf, visible } from '../ledger/ledger.scope.js';
import { AccountabilityRepository, type AccountabilityScope } from './accountability.repository.js';
import type {
  AccountabilityQuery,
  CadreQuery,
  CreateAccountability,
  FiguresQuery,
  UpdateAccountability,
} from './meetings.schemas.js';

type RecordRow = NonNullable<Awaited<ReturnType<AccountabilityRepository['record']>>>;

export function toAccountability(r: RecordRow) {
  return {
    id: Number(r.id),
    kind: r.kind,
    problemId: Number(r.problemId),
    problemNumber: r.problemNumber,
    problemDescription: r.problemDescription,
    categoryCode: r.categoryCode,
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    roundName: r.roundName,
    termId: Number(r.termId),
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    personName: r.personName,
    personPost: r.personPost,
    personUnitOrgId: Number(r.personUnitOrgId),
    personUnitName: r.personUnitName,
    reason: r.reason,
    decidingOrgId: Number(r.decidingOrgId),
    decidingOrgName: r.decidingOrgName,
    decidedOn: r.decidedOn,
    outcome: r.outcome,
    negativeList: Number(r.negativeList) === 1,
    negativeListNote: r.negativeListNote,
    createdBy: r.createdBy === null ? null : Number(r.createdBy),
    createdByName: r.createdByName,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
type RecordView = ReturnType<typeof toAccountability>;

const trimOrNull = (v: string | null | undefined) => (v === undefined || v === null ? null : v.trim() || null);

/**
 * Accountability (SPEC M12): 约谈、警示约谈、提醒谈话、通报批评、问责 and 立案, each tied to a problem
 * (so a round-unit and unit), a person (name, post, the person's unit), the reason and the deciding
 * body. Who reads a record: whoever reads its problem in the ledger (the office and the leadership
 * all; a supervisor its liaised units, within its line where so configured), and the deciding body
 * (a discipline office reads what it decided). Who writes one: office, supervisor, discipline, for a
 * problem they read; the deciding body is the caller's organisation or one above it (the office may
 * name any). The ledger's measures (people_held_accountable, cases_filed) are never written here:
 * these figures are reported separately (GET /accountability/figures).
 */
export class AccountabilityService {
  readonly repo = new AccountabilityRepository();
  private readonly ledger: LedgerRepository;

  constructor(private readonly ctx: AppContext) {
    this.ledger = new LedgerRepository(ctx.dialect);
  }

  async scope(actor: Actor): Promise<AccountabilityScope> {
    const read = await readScopeOf(this.ctx.db, this.ledger, actor);
    if (!read.orgIds) return { read };
    const scope = await scopeOf(this.ctx.db, actor);
    const own = ROLE_SCOPE[actor.role] === 'own' && !scope.all ? [...scope.orgIds] : [actor.orgId];
    return { read, decidedBy: own };
  }

  private canSee(s: AccountabilityScope, r: { unitOrgId: number; categoryCode: string; decidingOrgId: number }) {
    return (
      visible(s.read, Number(r.unitOrgId), r.categoryCode) || (s.decidedBy ?? []).includes(Number(r.decidingOrgId))
    );
  }

  private async visibleRecord(db: Executor, s: AccountabilityScope, id: number): Promise<RecordRow> {
    const r = await this.repo.record(db, id);
    if (!r || !this.canSee(s, r)) throw notFound();
    return r;
  }

  // --- reads ----------------------------------------------------------------------------------

  async get(actor: Actor, id: number) {
    return toAccountability(await this.visibleRecord(this.ctx.db, await this.scope(actor), id));
  }

  async ofProblem(actor: Actor, problemId: number) {
    const s = await this.scope(actor);
    const p = await this.repo.problem(this.ctx.db, problemId);
    if (!p || !visible(s.read, Number(p.unitOrgId), p.categoryCode)) throw notFound();
    const rows = await this.repo.all(this.ctx.db, s, { problemId });
    return { items: rows.map(toAccountability) };
  }

  async page(actor: Actor, q: Static<typeof AccountabilityQuery>) {
    const s = await this.scope(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, s, { ...q, before: q.cursor, limit });
    return {
      items: rows.map(toAccountability),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  /** Exact counts in scope (never from the ledger's measures, never floats). */
  async figures(actor: Actor, q: Static<typeof FiguresQuery>) {
    const s = await this.scope(actor);
    const { byKind: rows, people } = await this.repo.figures(this.ctx.db, s, q);
    const byKind = countByKind([]);
    let negativeList = 0;
    for (const r of rows) {
      if ((ACCOUNTABILITY_KINDS as readonly string[]).includes(r.kind))
        byKind[r.kind as keyof typeof byKind] = Number(r.records);
      negativeList += Number(r.negative ?? 0);
    }
    const sum = (kinds: readonly string[]) => kinds.reduce((n, k) => n + byKind[k as keyof typeof byKind], 0);
    return {
      records: sum(ACCOUNTABILITY_KINDS),
      byKind,
      people,
      peopleHeldAccountable: sum(HELD_ACCOUNTABLE_KINDS),
      casesFiled: sum(CASE_KINDS),
      negativeList,
    };
  }

  /**
   * A leading cadre's record across rounds for the organisation department (M12): the person is
   * known by name and unit. Talk reports (个别谈话情况报告) of the unit's round-units, accountability
   * records of that person, the problems of the unit whose responsibility lists name the person
   * with their rectification, and the 政治素质负面清单 entries — each part filtered to the caller's scope.
   */
  async cadre(actor: Actor, q: Static<typeof CadreQuery>) {
    const name = q.name.trim();
    if (!name) throw invalid('name is required');
    const unitName = await this.repo.orgName(this.ctx.db, q.unitOrgId);
    if (unitName === null) throw new AppError(400, 'INVALID_REFERENCE', { field: 'unitOrgId' });
    const s = await this.scope(actor);
    const scope = await scopeOf(this.ctx.db, actor);
    const [records, problems, talks] = await Promise.all([
      this.repo.all(this.ctx.db, s, { personKey: personKey(name, q.unitOrgId) }),
      this.repo.responsibilities(this.ctx.db, s.read, name, q.unitOrgId),
      inScope(scope, q.unitOrgId) ? this.repo.talkReports(this.ctx.db, q.unitOrgId) : Promise.resolve([]),
    ]);
    const accountability = records.map(toAccountability);
    const responsibilities = problems.map((p) => {
      const duties: string[] = [];
      if (p.responsibleLeader === name) duties.push('leader');
      if (p.responsiblePerson === name) duties.push('person');
      if (p.listDuty) duties.push(p.listDuty);
      const measureCount = Number(p.measureCount);
      const doneCount = Number(p.doneCount);
      return {
        problemId: Number(p.id),
        number: p.number,
        description: p.description,
        categoryCode: p.categoryCode,
        roundUnitId: Number(p.roundUnitId),
        roundId: Number(p.roundId),
        roundName: p.roundName,
        duties,
        measureCount,
        doneCount,
        rectified: measureCount > 0 && doneCount === measureCount,
      };
    });
    const negativeList = accountability.filter((r) => r.negativeList);
    return {
      person: {
        name,
        unitOrgId: q.unitOrgId,
        unitName,
        posts: [...new Set(accountability.map((r) => r.personPost).filter((p): p is string => !!p))],
      },
      talkReports: talks.map((t) => ({
        id: Number(t.id),
        roundUnitId: Number(t.roundUnitId),
        roundId: Number(t.roundId),
        roundName: t.roundName,
        sentToOrgId: t.sentToOrgId === null ? null : Number(t.sentToOrgId),
        sentToOrgName: t.sentToOrgName,
        summary: t.summary,
        sentAt: t.sentAt === null ? null : Number(t.sentAt),
        receivedAt: t.receivedAt === null ? null : Number(t.receivedAt),
      })),
      accountability,
      negativeList,
      responsibilities,
      figures: {
        byKind: countByKind(accountability.map((r) => r.kind)),
        records: accountability.length,
        negativeList: negativeList.length,
        problems: responsibilities.length,
        rectifiedProblems: responsibilities.filter((r) => r.rectified).length,
        measures: responsibilities.reduce((n, r) => n + r.measureCount, 0),
        doneMeasures: responsibilities.reduce((n, r) => n + r.doneCount, 0),
      },
    };
  }

  // --- writes ---------------------------------------------------------------------------------

  private checkDecidedOn(decidedOn: string) {
    if (!isValidDate(decidedOn)) throw invalid('decidedOn is not a valid date');
    if (decidedOn > shanghaiDate(this.ctx.clock.now())) throw new AppError(400, 'ACCOUNTABILITY_DATE_INVALID');
  }

  async create(actor: Actor, audit: AuditContext, problemId: number, input: Static<typeof CreateAccountability>) {
    const personName = input.personName.trim();
    const reason = input.reason.trim();
    if (!personName) throw invalid('personName is required');
    if (!reason) throw invalid('reason is required');
    this.checkDecidedOn(input.decidedOn);
    const s = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const p = await this.repo.problem(trx, problemId);
      if (!p || !visible(s.read, Number(p.unitOrgId), p.categoryCode)) throw notFound();
      const personUnitOrgId = input.personUnitOrgId ?? Number(p.unitOrgId);
      if (!(await this.repo.orgExists(trx, personUnitOrgId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'personUnitOrgId' });
      const decidingOrgId = input.decidingOrgId ?? actor.orgId;
      if (!(await this.repo.orgExists(trx, decidingOrgId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'decidingOrgId' });
      if (actor.role !== 'office' && !(await this.repo.ancestors(trx, actor.orgId)).includes(decidingOrgId))
        throw new AppError(400, 'ACCOUNTABILITY_DECIDING_BODY');
      const id = await this.repo.insert(trx, {
        kind: input.kind,
        problemId,
        roundUnitId: Number(p.roundUnitId),
        roundId: Number(p.roundId),
        termId: Number(p.termId),
        unitOrgId: Number(p.unitOrgId),
        personName,
        personKey: personKey(personName, personUnitOrgId),
        personPost: trimOrNull(input.personPost),
        personUnitOrgId,
        reason,
        decidingOrgId,
        decidedOn: input.decidedOn,
        outcome: trimOrNull(input.outcome),
        negativeList: input.negativeList ? 1 : 0,
        negativeListNote: input.negativeList ? trimOrNull(input.negativeListNote) : null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = toAccountability((await this.repo.record(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'accountability.create',
        entity: 'accountability_record',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /**
   * Edits the outcome, reason, post, date and the negative-list entry; the kind, problem, person and
   * deciding body are what the record is, and are not changed (a wrong one is a new record).
   */
  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateAccountability>) {
    if (input.reason !== undefined && !input.reason.trim()) throw invalid('reason is required');
    if (input.decidedOn !== undefined) this.checkDecidedOn(input.decidedOn);
    const s = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const r = await this.visibleRecord(trx, s, id);
      const before: RecordView = toAccountability(r);
      if (before.version !== input.version) throw stale(before);
      // Only the deciding body (or a body below it) and the office amend a decision.
      if (actor.role !== 'office' && !(await this.repo.ancestors(trx, actor.orgId)).includes(before.decidingOrgId))
        throw new AppError(403, 'ACCOUNTABILITY_DECIDING_BODY');
      const patch: Parameters<AccountabilityRepository['update']>[3] = { updatedAt: now };
      if (input.personPost !== undefined) patch.personPost = trimOrNull(input.personPost);
      if (input.reason !== undefined) patch.reason = input.reason.trim();
      if (input.decidedOn !== undefined) patch.decidedOn = input.decidedOn;
      if (input.outcome !== undefined) patch.outcome = trimOrNull(input.outcome);
      if (input.negativeList !== undefined) patch.negativeList = input.negativeList ? 1 : 0;
      if (input.negativeListNote !== undefined) patch.negativeListNote = trimOrNull(input.negativeListNote);
      if (patch.negativeList === 0) patch.negativeListNote = null;
      if (!(await this.repo.update(trx, id, input.version, patch)))
        throw stale(toAccountability((await this.repo.record(trx, id))!));
      const after = toAccountability((await this.repo.record(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'accountability.update',
        entity: 'accountability_record',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }
}
