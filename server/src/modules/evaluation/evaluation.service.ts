import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import type { DictionaryEntry } from '../../../../domain/dictionaries.js';
import { dictionaryLabel } from '../../../../domain/dictionaries.js';
import type { Locale } from '../../../../domain/errors.js';
import {
  type CheckKind,
  FAILING_GRADE,
  fromCenti,
  type GradeThreshold,
  gradeOf,
  LEDGER_INDICATORS,
  type LedgerFigures,
  ledgerIndicatorCenti,
  missingOpinions,
  OVERDUE_REASON,
  percent,
  scoreAllowed,
  thresholdsValid,
  toCenti,
  totalCenti,
  weightedCenti,
} from '../../../../domain/evaluation.js';
import { personKey } from '../../../../domain/meetings.js';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import type { DB } from '../../db/types.js';
import { assertInScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { DictionaryService } from '../dictionaries/dictionaries.service.js';
import { AccountabilityRepository } from '../meetings/accountability.repository.js';
import { isUniqueViolation } from '../rounds/rounds.repository.js';
import { RoundService } from '../rounds/rounds.service.js';
import { EvaluationRepository, type Executor } from './evaluation.repository.js';
import type {
  CreateCheck,
  CreateDeduction,
  Finalise,
  ListQuery,
  PutOpinion,
  PutScore,
  UpdateCheck,
} from './evaluation.schemas.js';

const num = (v: number | string | bigint) => Number(v);
const numOrNull = (v: number | string | bigint | null) => (v === null ? null : Number(v));
const centiOrNull = (v: number | string | null) => (v === null ? null : fromCenti(Number(v)));
const trimOrNull = (v: string | null | undefined) => (v === undefined || v === null ? null : v.trim() || null);

type RoundUnitRow = NonNullable<Awaited<ReturnType<EvaluationRepository['roundUnit']>>>;
type EvaluationRow = NonNullable<Awaited<ReturnType<EvaluationRepository['evaluation']>>>;
type CheckRow = NonNullable<Awaited<ReturnType<EvaluationRepository['check']>>>;

const labels = (e: { labelZhCn: string; labelZhTw: string; labelEn: string }) => ({
  labelZhCn: e.labelZhCn,
  labelZhTw: e.labelZhTw,
  labelEn: e.labelEn,
});

const toCheck = (c: CheckRow) => ({
  id: num(c.id),
  kind: c.kind as CheckKind,
  checkedOn: c.checkedOn,
  checkers: c.checkers,
  subjects: c.subjects,
  findings: c.findings,
  createdBy: numOrNull(c.createdBy),
  createdByName: c.createdByName,
  version: num(c.version),
  createdAt: num(c.createdAt),
  updatedAt: num(c.updatedAt),
});

const toRoundUnit = (r: RoundUnitRow) => ({
  id: num(r.id),
  roundId: num(r.roundId),
  roundName: r.roundName,
  unitOrgId: num(r.unitOrgId),
  unitName: r.unitName,
  status: r.status,
  cycle: num(r.cycle),
  feedbackDate: r.feedbackDate,
  deadline: r.deadline,
  version: num(r.version),
});

export type SheetView = Awaited<ReturnType<EvaluationService['computeSheet']>>;

/** The dictionaries an evaluation uses: active indicators, deduction reasons and grades. */
interface Dictionaries {
  indicators: DictionaryEntry<'scoring_indicator'>[];
  reasons: DictionaryEntry<'deduction_reason'>[];
  grades: DictionaryEntry<'grade'>[];
}

/**
 * 检查考核评价 (SPEC M11). Per round-unit and rectification cycle, once the period has ended
 * (整改期满): the check team (evaluation.write, the office) records the 整改专项检查 and scores the
 * sheet; each liaison supervisor (evaluation.opinion) gives its opinion at the 汇商会; finalising
 * fixes the total and the grade and moves the round-unit to 已评价 through the rounds module's own
 * transition — and for 不合格, in the same transaction, an 约谈 record and 重新整改 with a new deadline.
 * Reads: the office and the leadership all, a supervisor its liaised units, a unit its own (without
 * the 汇商会 deliberation and the sheet's history); anything else answers 404.
 */
export class EvaluationService {
  readonly repo = new EvaluationRepository();
  private readonly accountability = new AccountabilityRepository();
  private readonly rounds: RoundService;

  constructor(private readonly ctx: AppContext) {
    this.rounds = new RoundService(ctx);
  }

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  /**
   * A write transaction where two first entries at once (an opinion or score at version 0) meet on a
   * unique key: the later one answers 409 like any stale version, not a 500.
   */
  private async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    try {
      return await this.ctx.db.transaction().execute(fn);
    } catch (e) {
      if (isUniqueViolation(e)) throw stale(null);
      throw e;
    }
  }

  private async roundUnitInScope(db: Executor, scope: Scope, id: number) {
    const ru = await this.repo.roundUnit(db, id);
    if (!ru) throw notFound();
    assertInScope(scope, num(ru.unitOrgId));
    return ru;
  }

  private async dictionaries(db: Executor): Promise<Dictionaries> {
    const [indicators, reasons, grades] = await Promise.all([
      DictionaryService.entries(db, 'scoring_indicator'),
      DictionaryService.entries(db, 'deduction_reason'),
      DictionaryService.entries(db, 'grade'),
    ]);
    return { indicators, reasons, grades };
  }

  /**
   * The live scoring sheet of an open evaluation: the active indicators (ledger ones computed, the
   * others as entered), the deductions (the overdue one computed), the total and the grade it earns.
   */
  async computeSheet(db: Executor, roundUnitId: number, evaluationId: number | null, today: string) {
    const [d, figures, scores, deductions] = await Promise.all([
      this.dictionaries(db),
      this.repo.figures(db, roundUnitId, today),
      evaluationId ? this.repo.scores(db, evaluationId) : Promise.resolve([]),
      evaluationId ? this.repo.deductions(db, evaluationId) : Promise.resolve([]),
    ]);
    const byCode = new Map(scores.map((s) => [s.indicatorCode, s]));
    const indicators = d.indicators
      .filter((i) => i.extra)
      .map((i) => {
        const { weight, maxScore } = i.extra!;
        const ledger = !!LEDGER_INDICATORS[i.code];
        const s = ledger ? undefined : byCode.get(i.code);
        const scoreCenti = ledger ? ledgerIndicatorCenti(maxScore, figures) : s ? num(s.scoreCenti) : null;
        const weighted = scoreCenti === null ? null : weightedCenti({ code: i.code, weight, maxScore, scoreCenti });
        return {
          code: i.code,
          ...labels(i),
          weight,
          maxScore,
          source: (ledger ? 'ledger' : 'entered') as 'ledger' | 'entered',
          scoreCenti,
          score: centiOrNull(scoreCenti),
          weighted: centiOrNull(weighted),
          note: s?.note ?? null,
          version: s ? num(s.version) : 0,
          updatedByName: s?.updatedByName ?? null,
        };
      });
    const reasonByCode = new Map(d.reasons.map((r) => [r.code, r]));
    const lines = deductions.map((x) => {
      const r = reasonByCode.get(x.reasonCode);
      return {
        id: num(x.id),
        reasonCode: x.reasonCode,
        labelZhCn: r?.labelZhCn ?? x.reasonCode,
        labelZhTw: r?.labelZhTw ?? x.reasonCode,
        labelEn: r?.labelEn ?? x.reasonCode,
        pointsCenti: num(x.pointsCenti),
        points: fromCenti(num(x.pointsCenti)),
        computed: false,
        count: 1,
        note: x.note,
        createdByName: x.createdByName,
      };
    });
    const overdueReason = reasonByCode.get(OVERDUE_REASON);
    if (overdueReason?.extra && figures.overdue > 0) {
      const pointsCenti = toCenti(overdueReason.extra.points) * figures.overdue;
      lines.unshift({
        id: null as unknown as number,
        reasonCode: OVERDUE_REASON,
        ...labels(overdueReason),
        pointsCenti,
        points: fromCenti(pointsCenti),
        computed: true,
        count: figures.overdue,
        note: null,
        createdByName: null,
      });
    }
    const total = totalCenti(
      indicators,
      lines.map((l) => l.pointsCenti),
    );
    const thresholds: GradeThreshold[] = d.grades
      .filter((g) => g.extra)
      .map((g) => ({ code: g.code, minScore: g.extra!.minScore }));
    return {
      indicators,
      deductions: lines.map((l) => ({ ...l, id: l.computed ? null : l.id })),
      figures: this.figuresOut(figures),
      grades: d.grades.filter((g) => g.extra).map((g) => ({ code: g.code, ...labels(g), minScore: g.extra!.minScore })),
      thresholds,
      totalCenti: total,
      total: centiOrNull(total),
      gradeCode: total === null || !thresholdsValid(thresholds) ? null : gradeOf(total, thresholds),
      missing: indicators.filter((i) => i.scoreCenti === null).map((i) => i.code),
      asOf: today,
    };
  }

  private figuresOut(f: LedgerFigures) {
    return {
      ...f,
      onTimeRate: percent(f.onTime, f.measures),
      closureRate: percent(f.closed, f.measures),
      rectificationRate: percent(f.done, f.measures),
    };
  }

  /** The sheet for the API: strips the internal centi-points. */
  private sheetOut(s: SheetView) {
    return {
      indicators: s.indicators.map(({ scoreCenti: _s, ...i }) => i),
      deductions: s.deductions.map(({ pointsCenti: _p, ...d }) => d),
      figures: s.figures,
      grades: s.grades,
      total: s.total,
      gradeCode: s.gradeCode,
      missing: s.missing,
      asOf: s.asOf,
    };
  }

  // --- reads ------------------------------------------------------------------------------------

  async list(actor: Actor, q: Static<typeof ListQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(this.ctx.db, {
      roundId: q.roundId,
      status: q.status,
      q: q.q?.trim() || undefined,
      orgIds: scope.all ? null : scope.orgIds,
      after: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => ({
        roundUnitId: num(r.id),
        roundId: num(r.roundId),
        roundName: r.roundName,
        unitOrgId: num(r.unitOrgId),
        unitName: r.unitName,
        status: r.status,
        cycle: num(r.cycle),
        deadline: r.deadline,
        evaluationStatus: (r.evaluationStatus ?? null) as 'open' | 'finalised' | null,
        checks: num(r.checks),
        opinions: num(r.opinions),
        liaisons: num(r.liaisons),
        total: centiOrNull(r.totalCenti),
        gradeCode: r.gradeCode,
        lastTotal: centiOrNull(r.lastTotalCenti),
        lastGradeCode: r.lastGradeCode,
      })),
      nextCursor: rows.length === limit ? num(rows[rows.length - 1]!.id) : null,
    };
  }

  /** What the sheet of a finalised evaluation was when it was finalised. */
  private frozenSheet(e: EvaluationRow): SheetView {
    return JSON.parse(e.sheet!) as SheetView;
  }

  async detail(actor: Actor, roundUnitId: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const db = this.ctx.db;
    const ru = await this.roundUnitInScope(db, scope, roundUnitId);
    const all = await this.repo.evaluationsOf(db, roundUnitId);
    const currentCycle = num(ru.cycle);
    let e = all.find((x) => num(x.cycle) === currentCycle) ?? null;
    // Between cycles (重新整改 under way), the last finalised result is what there is to see.
    if (!e && ru.status !== 'period_ended') e = [...all].reverse().find((x) => x.status === 'finalised') ?? null;
    const cycle = e ? num(e.cycle) : currentCycle;
    const today = this.today();
    const sheet =
      e?.status === 'finalised'
        ? this.frozenSheet(e)
        : await this.computeSheet(db, roundUnitId, e ? num(e.id) : null, today);
    const isUnit = ROLE_SCOPE[actor.role] === 'own';
    const [checks, opinions, liaisons, history] = await Promise.all([
      e ? this.repo.checks(db, num(e.id)) : Promise.resolve([]),
      e && !isUnit ? this.repo.opinions(db, num(e.id)) : Promise.resolve([]),
      isUnit ? Promise.resolve([]) : this.repo.liaisons(db, num(ru.unitOrgId)),
      e && !isUnit ? this.repo.history(db, num(e.id)) : Promise.resolve([]),
    ]);
    const opinionsOut = opinions.map((o) => ({
      id: num(o.id),
      supervisorOrgId: num(o.supervisorOrgId),
      supervisorName: o.supervisorName,
      opinion: o.opinion,
      suggestedGrade: o.suggestedGrade,
      givenBy: numOrNull(o.givenBy),
      givenByName: o.givenByName,
      version: num(o.version),
      createdAt: num(o.createdAt),
      updatedAt: num(o.updatedAt),
    }));
    return {
      roundUnit: toRoundUnit(ru),
      cycle,
      evaluation: e
        ? {
            id: num(e.id),
            status: e.status as 'open' | 'finalised',
            total: centiOrNull(e.totalCenti),
            gradeCode: e.gradeCode,
            conclusion: e.conclusion,
            finalisedByName: e.finalisedByName,
            finalisedAt: numOrNull(e.finalisedAt),
            accountabilityId: numOrNull(e.accountabilityId),
            reRectifyDeadline: e.reRectifyDeadline,
            version: num(e.version),
          }
        : null,
      version: e ? num(e.version) : 0,
      open: ru.status === 'period_ended' && e?.status !== 'finalised' && cycle === currentCycle,
      checks: checks.map(toCheck),
      opinions: isUnit ? null : opinionsOut,
      missingOpinions: isUnit
        ? null
        : missingOpinions(
            liaisons.map((l) => ({ orgId: num(l.orgId), name: l.name })),
            opinionsOut,
          ),
      sheet: this.sheetOut(sheet),
      history: isUnit
        ? null
        : history.map((h) => ({
            id: num(h.id),
            action: h.action,
            code: h.code,
            before: centiOrNull(h.beforeCenti),
            after: centiOrNull(h.afterCenti),
            note: h.note,
            actorName: h.actorName,
            at: num(h.at),
          })),
      past: all
        .filter((x) => x.status === 'finalised')
        .map((x) => ({
          cycle: num(x.cycle),
          total: centiOrNull(x.totalCenti),
          gradeCode: x.gradeCode,
          finalisedAt: numOrNull(x.finalisedAt),
          reRectifyDeadline: x.reRectifyDeadline,
          accountabilityId: numOrNull(x.accountabilityId),
        })),
    };
  }

  // --- writes -----------------------------------------------------------------------------------

  /**
   * The round-unit (in scope) and its current cycle's open evaluation, made if there is none. Refused
   * before the period has ended and once finalised.
   */
  private async openEvaluation(trx: Executor, actor: Actor, roundUnitId: number) {
    const scope = await scopeOf(trx, actor);
    const ru = await this.roundUnitInScope(trx, scope, roundUnitId);
    const existing = await this.repo.evaluation(trx, roundUnitId, num(ru.cycle));
    if (existing?.status === 'finalised') throw new AppError(409, 'EVALUATION_FINALISED');
    if (ru.status !== 'period_ended') throw new AppError(409, 'EVALUATION_NOT_DUE', { status: ru.status });
    const e =
      existing ??
      (await this.repo.ensure(
        trx,
        {
          id: num(ru.id),
          cycle: num(ru.cycle),
          roundId: num(ru.roundId),
          termId: num(ru.termId),
          unitOrgId: num(ru.unitOrgId),
        },
        this.ctx.clock.now(),
      ));
    if (e.status === 'finalised') throw new AppError(409, 'EVALUATION_FINALISED');
    return { ru, e };
  }

  private async history(
    trx: Executor,
    actor: Actor,
    evaluationId: number,
    h: { action: string; code: string | null; before: number | null; after: number | null; note?: string | null },
  ) {
    await this.repo.addHistory(trx, {
      evaluationId,
      action: h.action,
      code: h.code,
      beforeCenti: h.before,
      afterCenti: h.after,
      note: h.note ?? null,
      actorId: actor.userId,
      actorName: actor.displayName,
      at: this.ctx.clock.now(),
    });
  }

  private checkDate(d: string) {
    if (!isValidDate(d)) throw invalid('checkedOn is not a valid date');
    if (d > this.today()) throw new AppError(400, 'EVALUATION_CHECK_DATE_INVALID');
  }

  async createCheck(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof CreateCheck>) {
    this.checkDate(input.checkedOn);
    const checkers = input.checkers.trim();
    const findings = input.findings.trim();
    if (!checkers) throw invalid('checkers is required');
    if (!findings) throw invalid('findings is required');
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { e } = await this.openEvaluation(trx, actor, roundUnitId);
      const id = await this.repo.insertCheck(trx, {
        evaluationId: num(e.id),
        kind: input.kind,
        checkedOn: input.checkedOn,
        checkers,
        subjects: trimOrNull(input.subjects),
        findings,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = toCheck((await this.repo.check(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.check_create',
        entity: 'evaluation_check',
        entityId: id,
        after: { ...after, roundUnitId },
      });
      return after;
    });
  }

  async updateCheck(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateCheck>) {
    if (input.checkedOn !== undefined) this.checkDate(input.checkedOn);
    if (input.checkers !== undefined && !input.checkers.trim()) throw invalid('checkers is required');
    if (input.findings !== undefined && !input.findings.trim()) throw invalid('findings is required');
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.repo.check(trx, id);
      if (!row) throw notFound();
      assertInScope(scope, num(row.unitOrgId));
      const before = toCheck(row);
      if (row.evaluationStatus === 'finalised') throw new AppError(409, 'EVALUATION_FINALISED');
      if (before.version !== input.version) throw stale(before);
      const patch: Record<string, unknown> = { updatedAt: now };
      if (input.checkedOn !== undefined) patch.checkedOn = input.checkedOn;
      if (input.checkers !== undefined) patch.checkers = input.checkers.trim();
      if (input.subjects !== undefined) patch.subjects = trimOrNull(input.subjects);
      if (input.findings !== undefined) patch.findings = input.findings.trim();
      if (!(await this.repo.updateCheck(trx, id, input.version, patch)))
        throw stale(toCheck((await this.repo.check(trx, id))!));
      const after = toCheck((await this.repo.check(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.check_update',
        entity: 'evaluation_check',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** 汇商会: the caller's organisation, a liaison supervisor of the unit, gives or amends its opinion. */
  async putOpinion(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof PutOpinion>) {
    const opinion = input.opinion.trim();
    if (!opinion) throw invalid('opinion is required');
    const now = this.ctx.clock.now();
    const result = await this.write(async (trx) => {
      const { ru, e } = await this.openEvaluation(trx, actor, roundUnitId);
      if (!(await this.repo.isLiaison(trx, num(ru.unitOrgId), actor.orgId)))
        throw new AppError(403, 'EVALUATION_NOT_LIAISON');
      const suggested = input.suggestedGrade ?? null;
      if (suggested && !(await DictionaryService.isActiveCode(trx, 'grade', suggested)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'suggestedGrade' });
      const mine = (await this.repo.opinions(trx, num(e.id))).find((o) => num(o.supervisorOrgId) === actor.orgId);
      if ((mine ? num(mine.version) : 0) !== input.version) throw stale(mine ?? null);
      if (mine) {
        if (
          !(await this.repo.updateOpinion(trx, num(mine.id), input.version, {
            opinion,
            suggestedGrade: suggested,
            givenBy: actor.userId,
            updatedAt: now,
          }))
        )
          throw stale(null);
      } else {
        await this.repo.insertOpinion(trx, {
          evaluationId: num(e.id),
          supervisorOrgId: actor.orgId,
          opinion,
          suggestedGrade: suggested,
          givenBy: actor.userId,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
      }
      const after = (await this.repo.opinions(trx, num(e.id))).find((o) => num(o.supervisorOrgId) === actor.orgId)!;
      await this.ctx.audit.record(trx, audit, {
        action: mine ? 'evaluation.opinion_update' : 'evaluation.opinion_create',
        entity: 'evaluation_opinion',
        entityId: num(after.id),
        before: mine ?? null,
        after: { ...after, roundUnitId },
      });
      return after;
    });
    return {
      id: num(result.id),
      supervisorOrgId: num(result.supervisorOrgId),
      supervisorName: result.supervisorName,
      opinion: result.opinion,
      suggestedGrade: result.suggestedGrade,
      givenBy: numOrNull(result.givenBy),
      givenByName: result.givenByName,
      version: num(result.version),
      createdAt: num(result.createdAt),
      updatedAt: num(result.updatedAt),
    };
  }

  /** The check team enters (or corrects) the score of an indicator that is not computed. */
  async putScore(actor: Actor, audit: AuditContext, roundUnitId: number, code: string, input: Static<typeof PutScore>) {
    const now = this.ctx.clock.now();
    const today = this.today();
    await this.write(async (trx) => {
      const { e } = await this.openEvaluation(trx, actor, roundUnitId);
      const indicator = await DictionaryService.find(trx, 'scoring_indicator', code);
      if (!indicator?.active || !indicator.extra) throw new AppError(400, 'INVALID_REFERENCE', { field: 'code' });
      if (LEDGER_INDICATORS[code]) throw new AppError(409, 'EVALUATION_INDICATOR_COMPUTED');
      if (!scoreAllowed(input.score, indicator.extra.maxScore))
        throw new AppError(400, 'EVALUATION_SCORE_INVALID', { maxScore: indicator.extra.maxScore });
      const evaluationId = num(e.id);
      const current = (await this.repo.scores(trx, evaluationId)).find((s) => s.indicatorCode === code);
      if ((current ? num(current.version) : 0) !== input.version) throw stale(current ?? null);
      const scoreCenti = toCenti(input.score);
      const note = trimOrNull(input.note);
      if (current) {
        if (
          !(await this.repo.updateScore(trx, num(current.id), input.version, {
            scoreCenti,
            note,
            updatedBy: actor.userId,
            updatedAt: now,
          }))
        )
          throw stale(current);
      } else {
        await this.repo.insertScore(trx, {
          evaluationId,
          indicatorCode: code,
          scoreCenti,
          note,
          updatedBy: actor.userId,
          version: 1,
          updatedAt: now,
        });
      }
      await this.repo.touch(trx, evaluationId, now);
      const before = current ? num(current.scoreCenti) : null;
      await this.history(trx, actor, evaluationId, { action: 'score', code, before, after: scoreCenti, note });
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.score',
        entity: 'evaluation',
        entityId: evaluationId,
        before: current ? { indicator: code, score: fromCenti(before!), note: current.note } : null,
        after: { indicator: code, score: input.score, note, roundUnitId },
      });
    });
    return this.sheetOut(await this.sheetOf(roundUnitId, today));
  }

  private async sheetOf(roundUnitId: number, today: string) {
    const ru = (await this.repo.roundUnit(this.ctx.db, roundUnitId))!;
    const e = await this.repo.evaluation(this.ctx.db, roundUnitId, num(ru.cycle));
    return this.computeSheet(this.ctx.db, roundUnitId, e ? num(e.id) : null, today);
  }

  /** 扣分 with a reason of the dictionary; its points are copied when the deduction is made. */
  async addDeduction(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof CreateDeduction>) {
    const now = this.ctx.clock.now();
    const today = this.today();
    await this.ctx.db.transaction().execute(async (trx) => {
      const { e } = await this.openEvaluation(trx, actor, roundUnitId);
      const reason = await DictionaryService.find(trx, 'deduction_reason', input.reasonCode);
      if (!reason?.active || !reason.extra) throw new AppError(400, 'INVALID_REFERENCE', { field: 'reasonCode' });
      const evaluationId = num(e.id);
      const pointsCenti = toCenti(reason.extra.points);
      const note = trimOrNull(input.note);
      const id = await this.repo.insertDeduction(trx, {
        evaluationId,
        reasonCode: reason.code,
        pointsCenti,
        note,
        createdBy: actor.userId,
        createdAt: now,
      });
      await this.repo.touch(trx, evaluationId, now);
      await this.history(trx, actor, evaluationId, {
        action: 'deduction_add',
        code: reason.code,
        before: null,
        after: pointsCenti,
        note,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.deduction_create',
        entity: 'evaluation_deduction',
        entityId: id,
        after: { evaluationId, roundUnitId, reasonCode: reason.code, points: reason.extra.points, note },
      });
    });
    return this.sheetOut(await this.sheetOf(roundUnitId, today));
  }

  async removeDeduction(actor: Actor, audit: AuditContext, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    const today = this.today();
    const roundUnitId = await this.ctx.db.transaction().execute(async (trx) => {
      const d = await this.repo.deduction(trx, id);
      if (!d) throw notFound();
      assertInScope(scope, num(d.unitOrgId));
      if (d.evaluationStatus === 'finalised') throw new AppError(409, 'EVALUATION_FINALISED');
      await this.repo.deleteDeduction(trx, id);
      await this.repo.touch(trx, num(d.evaluationId), now);
      await this.history(trx, actor, num(d.evaluationId), {
        action: 'deduction_remove',
        code: d.reasonCode,
        before: num(d.pointsCenti),
        after: null,
        note: d.note,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.deduction_delete',
        entity: 'evaluation_deduction',
        entityId: id,
        before: { ...d, pointsCenti: num(d.pointsCenti) },
      });
      return num(d.roundUnitId);
    });
    return this.sheetOut(await this.sheetOf(roundUnitId, today));
  }

  /**
   * Fixes the total and the grade. The round-unit goes 整改期满 → 已评价 through the rounds module's
   * own transition (its history and audit); for 不合格 also, in the same transaction, an 约谈 record
   * on the unit's first unrectified problem and 已评价 → 重新整改 with a new cycle and deadline.
   * Any refusal on the way leaves everything as it was.
   */
  async finalise(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof Finalise>) {
    const today = this.today();
    const now = this.ctx.clock.now();
    if (input.reRectifyDeadline !== undefined && !isValidDate(input.reRectifyDeadline))
      throw invalid('reRectifyDeadline is not a valid date');
    // Read before the transaction (a setting read inside it would take a second connection).
    const general = await this.ctx.settings.get('system.general');
    const defaultDeadline = await CalendarService.deadline(this.ctx.db, today, general?.rectificationMonths || 3);
    await this.ctx.db.transaction().execute(async (trx) => {
      const scope = await scopeOf(trx, actor);
      const ru = await this.roundUnitInScope(trx, scope, roundUnitId);
      const existing = await this.repo.evaluation(trx, roundUnitId, num(ru.cycle));
      if (existing?.status === 'finalised') throw new AppError(409, 'EVALUATION_FINALISED');
      if (ru.status !== 'period_ended') throw new AppError(409, 'EVALUATION_NOT_DUE', { status: ru.status });
      if ((existing ? num(existing.version) : 0) !== input.version)
        throw stale({ version: existing ? num(existing.version) : 0 });
      const { e } = await this.openEvaluation(trx, actor, roundUnitId);
      const evaluationId = num(e.id);
      const sheet = await this.computeSheet(trx, roundUnitId, evaluationId, today);
      if (sheet.totalCenti === null)
        throw new AppError(409, 'EVALUATION_INCOMPLETE', { indicators: sheet.missing.join(', ') });
      if (!thresholdsValid(sheet.thresholds)) throw new AppError(409, 'EVALUATION_THRESHOLDS_INVALID');
      const gradeCode = sheet.gradeCode;
      if (!gradeCode) throw new AppError(409, 'EVALUATION_NO_GRADE', { score: sheet.total });
      const failing = gradeCode === FAILING_GRADE;

      // 整改期满 → 已评价, through the rounds module (status history + audit).
      let after = await this.rounds.transitionIn(trx, actor, audit, roundUnitId, {
        to: 'evaluated',
        version: num(ru.version),
      });
      let accountabilityId: number | null = null;
      let reRectifyDeadline: string | null = null;
      if (failing) {
        const personName = input.interview?.personName.trim();
        if (!personName) throw new AppError(400, 'EVALUATION_INTERVIEW_REQUIRED');
        const problem = await this.repo.problemForInterview(trx, roundUnitId);
        if (!problem) throw new AppError(409, 'EVALUATION_NO_PROBLEM');
        const gradeLabel = sheet.grades.find((g) => g.code === gradeCode)?.labelZhCn ?? gradeCode;
        const reason =
          input.interview?.reason?.trim() ||
          `整改检查考核评价为${gradeLabel}（${fromCenti(sheet.totalCenti)}分），第${num(ru.cycle)}轮整改`;
        accountabilityId = await this.accountability.insert(trx, {
          kind: 'interview',
          problemId: num(problem.id),
          roundUnitId,
          roundId: num(ru.roundId),
          termId: num(ru.termId),
          unitOrgId: num(ru.unitOrgId),
          personName,
          personKey: personKey(personName, num(ru.unitOrgId)),
          personPost: trimOrNull(input.interview?.personPost),
          personUnitOrgId: num(ru.unitOrgId),
          reason,
          decidingOrgId: actor.orgId,
          decidedOn: today,
          outcome: null,
          negativeList: 0,
          negativeListNote: null,
          createdBy: actor.userId,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        const interview = await this.accountability.record(trx, accountabilityId);
        await this.ctx.audit.record(trx, audit, {
          action: 'accountability.create',
          entity: 'accountability_record',
          entityId: accountabilityId,
          after: { ...interview, source: 'evaluation', evaluationId },
        });
        // 已评价 → 重新整改: a new cycle with its own deadline.
        after = await this.rounds.transitionIn(trx, actor, audit, roundUnitId, {
          to: 're_rectifying',
          version: num(after.version),
          reason: `不合格（${fromCenti(sheet.totalCenti)}分）：重新整改`,
          deadline: input.reRectifyDeadline ?? defaultDeadline,
        });
        reRectifyDeadline = after.deadline;
      }
      const frozen = { ...sheet };
      const ok = await this.repo.updateEvaluation(trx, evaluationId, num(e.version), {
        status: 'finalised',
        totalCenti: sheet.totalCenti,
        gradeCode,
        sheet: JSON.stringify(frozen),
        conclusion: trimOrNull(input.conclusion),
        finalisedBy: actor.userId,
        finalisedAt: now,
        finalisedYear: Number(today.slice(0, 4)),
        accountabilityId,
        reRectifyDeadline,
        updatedAt: now,
      });
      if (!ok) throw stale({ version: num((await this.repo.evaluationById(trx, evaluationId))!.version) });
      await this.history(trx, actor, evaluationId, {
        action: 'finalise',
        code: gradeCode,
        before: null,
        after: sheet.totalCenti,
        note: trimOrNull(input.conclusion),
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'evaluation.finalise',
        entity: 'evaluation',
        entityId: evaluationId,
        after: {
          roundUnitId,
          cycle: num(ru.cycle),
          total: fromCenti(sheet.totalCenti),
          gradeCode,
          accountabilityId,
          reRectifyDeadline,
        },
      });
    });
    return this.detail(actor, roundUnitId);
  }

  // --- exports ----------------------------------------------------------------------------------

  async exportScope(actor: Actor) {
    const scope = await scopeOf(this.ctx.db, actor);
    return scope.all ? null : scope.orgIds;
  }

  /** The year's grades for the annual assessment, streamed in batches. */
  async writeYearGrades(orgIds: ReadonlySet<number> | null, year: number, locale: Locale, out: Writable) {
    const grades = await DictionaryService.entries(this.ctx.db, 'grade', { includeInactive: true });
    const gradeLabel = (code: string | null) => {
      const g = grades.find((x) => x.code === code);
      return g ? dictionaryLabel(g, locale) : (code ?? '');
    };
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Rectify';
    wb.created = new Date(this.ctx.clock.now());
    const ws = wb.addWorksheet(`${year}年度考核`, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = YEAR_COLUMNS.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let after = 0;
    let written = 0;
    for (;;) {
      if (out.destroyed) return written;
      const rows = await this.repo.finalisedOfYear(this.ctx.db, year, orgIds, after, 500);
      for (const r of rows) {
        ws.addRow([
          r.unitCode,
          r.unitName,
          r.termName,
          r.roundName,
          num(r.cycle),
          centiOrNull(r.totalCenti),
          r.gradeCode,
          gradeLabel(r.gradeCode),
          r.finalisedAt === null ? null : shanghaiDate(num(r.finalisedAt)),
          r.accountabilityId === null ? '' : '约谈',
          r.reRectifyDeadline ?? '',
        ]).commit();
        written++;
      }
      if (rows.length < 500) break;
      after = num(rows[rows.length - 1]!.id);
    }
    ws.commit();
    await wb.commit();
    return written;
  }

  /**
   * 整改检查考核评价得分 of a round: per unit its indicators, deductions, total and grade — the
   * finalised sheet where there is one (latest cycle), the live sheet otherwise.
   */
  async writeRoundScores(
    orgIds: ReadonlySet<number> | null,
    roundId: number,
    locale: Locale,
    out: Writable,
  ): Promise<number> {
    const db = this.ctx.db;
    const today = this.today();
    const [roundName, units, indicators] = await Promise.all([
      this.repo.roundName(db, roundId),
      this.repo.roundUnitsOfRound(db, roundId, orgIds),
      DictionaryService.entries(db, 'scoring_indicator'),
    ]);
    const inds = indicators.filter((i) => i.extra);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Rectify';
    const ws = wb.addWorksheet('整改检查考核评价得分', { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([`${roundName ?? ''} 整改检查考核评价得分`]).commit();
    const header = [
      '被巡察单位',
      '整改轮次',
      ...inds.map((i) => `${dictionaryLabel(i, locale)}（${i.extra!.weight}）`),
      '扣分',
      '扣分事由',
      '总分',
      '等次',
      '状态',
    ];
    const h = ws.addRow(header);
    h.font = { bold: true };
    h.commit();
    let written = 0;
    for (const u of units) {
      if (out.destroyed) return written;
      const all = await this.repo.evaluationsOf(db, num(u.id));
      const e = [...all].reverse().find((x) => x.status === 'finalised' || num(x.cycle) === num(u.cycle)) ?? null;
      const sheet: SheetView =
        e?.status === 'finalised'
          ? this.frozenSheet(e)
          : await this.computeSheet(db, num(u.id), e ? num(e.id) : null, today);
      const byCode = new Map(sheet.indicators.map((i) => [i.code, i]));
      const deduction = sheet.deductions.reduce((s, d) => s + d.pointsCenti, 0);
      const gradeLabel = sheet.grades.find((g) => g.code === sheet.gradeCode);
      ws.addRow([
        u.unitName,
        e ? num(e.cycle) : num(u.cycle),
        ...inds.map((i) => byCode.get(i.code)?.score ?? null),
        fromCenti(deduction),
        sheet.deductions.map((d) => `${dictionaryLabel(d, locale)}${fromCenti(d.pointsCenti)}`).join('；'),
        sheet.total,
        gradeLabel ? dictionaryLabel(gradeLabel, locale) : '',
        e?.status === 'finalised' ? '已评定' : '未评定',
      ]).commit();
      written++;
    }
    ws.commit();
    await wb.commit();
    return written;
  }
}

/** Columns of the annual assessment export (年度考核): header and width. */
export const YEAR_COLUMNS: readonly [string, number][] = [
  ['单位编码', 14],
  ['被巡察单位', 28],
  ['届次', 12],
  ['轮次', 20],
  ['整改轮次', 10],
  ['总分', 10],
  ['等次编码', 16],
  ['等次', 12],
  ['评定日期', 12],
  ['约谈', 8],
  ['重新整改期限', 14],
];
