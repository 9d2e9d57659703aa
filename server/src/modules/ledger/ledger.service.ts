import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import type { ErrorCode } from '../../../../domain/errors.js';
import { canTransition, isDone, MEASURE_TRANSITIONS, type MeasureStatus } from '../../../../domain/rectification.js';
import { can } from '../../../../domain/roles.js';
import type { DB } from '../../db/types.js';
import { inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { RoundService } from '../rounds/rounds.service.js';
import {
  CLOSED_ROUND_UNIT_STATUSES,
  LOCKED_MEASURE_STATUSES,
  moneyField,
  toMeasure,
  toProblem,
  toResponsible,
} from './ledger.mappers.js';
import { type Executor, LedgerRepository, type MeasureRow, type NewMeasure } from './ledger.repository.js';
import {
  type BulkMeasures,
  type CreateMeasure,
  type CreateProblem,
  EDITABLE_MEASURE_STATUSES,
  type MeasureStatusChange,
  type UpdateMeasure,
  type UpdateProblem,
} from './ledger.schemas.js';
import { type ReadScope, readScopeOf, visible } from './ledger.scope.js';
import { OUTCOME_FIELDS, SummaryRepository } from './summaries.repository.js';

type Trx = Transaction<DB>;
type RoundUnitRow = NonNullable<Awaited<ReturnType<LedgerRepository['roundUnit']>>>;
type ProblemRow = NonNullable<Awaited<ReturnType<LedgerRepository['problem']>>>;
type MeasureInput = Static<typeof CreateMeasure>;

/** The status moves this screen makes: among 未启动 / 整改中 / 已完成, along MEASURE_TRANSITIONS. */
export function legalMeasureMove(from: string, to: string): boolean {
  const editable = EDITABLE_MEASURE_STATUSES as readonly string[];
  return (
    editable.includes(from) &&
    editable.includes(to) &&
    canTransition(MEASURE_TRANSITIONS, from as MeasureStatus, to as MeasureStatus)
  );
}

/**
 * 三清单 (M4): problems with their responsibility lists, and their measures. Each write is one
 * transaction: lock the round-unit, check, write, rebuild that round-unit's summary counters, audit.
 */
export class LedgerService {
  readonly repo: LedgerRepository;
  private readonly summaries = new SummaryRepository();
  private readonly rounds: RoundService;

  constructor(private readonly ctx: AppContext) {
    this.repo = new LedgerRepository(ctx.dialect);
    this.rounds = new RoundService(ctx);
  }

  /** The caller's scope for writes and for records without a category (round-units, 立行立改). */
  scope(actor: Actor): Promise<Scope> {
    return scopeOf(this.ctx.db, actor);
  }

  /** The caller's scope for reading problems and measures: units, and a supervisor's line (categories). */
  readScope(actor: Actor): Promise<ReadScope> {
    return readScopeOf(this.ctx.db, this.repo, actor);
  }

  /** The round-unit, locked for this write; 404 out of scope, 409 when its ledger is frozen. */
  async writableRoundUnit(trx: Trx, scope: Scope, id: number): Promise<RoundUnitRow> {
    const ru = await this.repo.roundUnit(trx, id, true);
    if (!ru || !inScope(scope, ru.unitOrgId)) throw notFound();
    if (CLOSED_ROUND_UNIT_STATUSES.includes(ru.status)) throw new AppError(409, 'ROUND_UNIT_CLOSED');
    return ru;
  }

  /** The round-unit for a read: the rounds module's answer (404 when absent or out of the caller's scope). */
  readableRoundUnit(actor: Actor, id: number) {
    return this.rounds.getRoundUnitForActor(actor, id);
  }

  private async checkCategory(db: Executor, code: string, field = 'categoryCode') {
    if (!(await this.repo.activeCategory(db, code))) throw new AppError(400, 'INVALID_REFERENCE', { field });
  }

  private async checkCampaign(db: Executor, id: number | null | undefined) {
    if (id && !(await this.repo.campaignExists(db, id)))
      throw new AppError(400, 'INVALID_REFERENCE', { field: 'campaignId' });
  }

  /** An owner is an active user of the measure's unit (its subtree) or of the inspection office role. */
  async ownerAllowed(db: Executor, unitOrgId: number, userId: number): Promise<boolean> {
    const u = await this.repo.user(db, userId);
    if (!u || u.disabled) return false;
    if (u.role === 'office') return true;
    return this.repo.orgWithin(db, Number(u.orgId), unitOrgId);
  }

  private async checkOwner(db: Executor, unitOrgId: number, userId: number | null | undefined, field = 'ownerUserId') {
    if (userId && !(await this.ownerAllowed(db, unitOrgId, userId)))
      throw new AppError(400, 'INVALID_REFERENCE', { field });
  }

  private checkDate(field: string, value: string) {
    if (!isValidDate(value)) throw invalid(`${field} is not a valid date`);
  }

  private responsibleRows(input: Static<typeof CreateProblem>['responsibles']) {
    const rows = (input ?? []).map((r) => ({ name: r.name.trim(), post: r.post?.trim() || null, duty: r.duty }));
    if (rows.filter((r) => r.duty === 'first').length > 1)
      throw invalid('responsibles: at most one 第一责任人 (duty "first")');
    if (rows.some((r) => !r.name)) throw invalid('responsibles: a name is required');
    return rows;
  }

  private async measureRow(
    db: Executor,
    problem: Pick<ProblemRow, 'id' | 'roundUnitId' | 'roundId' | 'termId' | 'unitOrgId' | 'categoryCode'>,
    input: MeasureInput,
    seq: number,
    now: number,
    path: string,
  ): Promise<NewMeasure> {
    this.checkDate(`${path}deadline`, input.deadline);
    await this.checkOwner(db, Number(problem.unitOrgId), input.ownerUserId, `${path}ownerUserId`);
    if (!input.content.trim()) throw invalid(`${path}content is required`);
    return {
      problemId: Number(problem.id),
      roundUnitId: Number(problem.roundUnitId),
      roundId: Number(problem.roundId),
      termId: Number(problem.termId),
      unitOrgId: Number(problem.unitOrgId),
      categoryCode: problem.categoryCode,
      seq,
      content: input.content.trim(),
      type: input.type,
      status: 'not_started',
      isDone: 0,
      deadline: input.deadline,
      extendedDeadline: null,
      effectiveDeadline: input.deadline,
      ownerName: input.ownerName?.trim() || null,
      ownerUserId: input.ownerUserId ?? null,
      completedOn: null,
      rulesEstablished: input.rulesEstablished ?? 0,
      fundsReturnedFen: moneyField(`${path}fundsReturned`, input.fundsReturned ?? '0'),
      lossesRecoveredFen: moneyField(`${path}lossesRecovered`, input.lossesRecovered ?? '0'),
      peopleHeldAccountable: input.peopleHeldAccountable ?? 0,
      casesFiled: input.casesFiled ?? 0,
      lastProgressAt: now,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  async problemView(db: Executor, id: number) {
    const p = await this.repo.problem(db, id);
    if (!p) throw notFound();
    const [responsibles, measures] = await Promise.all([
      this.repo.responsibles(db, [Number(p.id)]),
      this.repo.measuresOfProblem(db, Number(p.id)),
    ]);
    return { ...toProblem(p, responsibles.map(toResponsible)), measures: measures.map(toMeasure) };
  }

  // --- reads ------------------------------------------------------------------------------------

  async getProblem(actor: Actor, id: number) {
    const scope = await this.readScope(actor);
    const p = await this.repo.problem(this.ctx.db, id);
    if (!p || !visible(scope, p.unitOrgId, p.categoryCode)) throw notFound();
    return this.problemView(this.ctx.db, id);
  }

  async listProblems(actor: Actor, roundUnitId: number) {
    await this.readableRoundUnit(actor, roundUnitId);
    const scope = await this.readScope(actor);
    const rows = (await this.repo.problemsOfRoundUnit(this.ctx.db, roundUnitId, 5000)).filter((p) =>
      visible(scope, p.unitOrgId, p.categoryCode),
    );
    const responsibles = await this.repo.responsibles(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    const byProblem = new Map<number, ReturnType<typeof toResponsible>[]>();
    for (const r of responsibles) {
      const list = byProblem.get(Number(r.problemId)) ?? [];
      list.push(toResponsible(r));
      byProblem.set(Number(r.problemId), list);
    }
    return { items: rows.map((p) => toProblem(p, byProblem.get(Number(p.id)) ?? [])) };
  }

  async getMeasure(actor: Actor, id: number) {
    const scope = await this.readScope(actor);
    const m = await this.repo.measure(this.ctx.db, id);
    if (!m || !visible(scope, m.unitOrgId, m.categoryCode)) throw notFound();
    return toMeasure(m);
  }

  // --- problems ---------------------------------------------------------------------------------

  async createProblem(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof CreateProblem>) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.writableRoundUnit(trx, scope, roundUnitId);
      await this.checkCategory(trx, input.categoryCode);
      await this.checkCampaign(trx, input.campaignId);
      const responsibles = this.responsibleRows(input.responsibles);
      const row = {
        roundUnitId: Number(ru.id),
        roundId: Number(ru.roundId),
        termId: Number(ru.termId),
        unitOrgId: Number(ru.unitOrgId),
        campaignId: input.campaignId ?? null,
        seq: await this.repo.nextProblemSeq(trx, Number(ru.id)),
        number: input.number.trim(),
        categoryCode: input.categoryCode,
        description: input.description.trim(),
        source: input.source,
        severity: input.severity,
        responsibleLeader: input.responsibleLeader?.trim() || null,
        responsibleDepartment: input.responsibleDepartment?.trim() || null,
        responsiblePerson: input.responsiblePerson?.trim() || null,
        measureCount: 0,
        doneCount: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      if (!row.number) throw invalid('number is required');
      if (!row.description) throw invalid('description is required');
      const id = await this.repo.insertProblem(trx, row);
      await this.repo.replaceResponsibles(trx, id, responsibles);
      const measures: NewMeasure[] = [];
      for (const [i, m] of (input.measures ?? []).entries()) {
        measures.push(await this.measureRow(trx, { ...row, id }, m, i + 1, now, `measures.${i}.`));
      }
      for (const m of measures) await this.repo.insertMeasure(trx, m);
      await this.summaries.recount(trx, [Number(ru.id)]);
      const after = await this.problemView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.problem.create',
        entity: 'problem',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /** The problem for a write: in scope (else 404), its round-unit locked and open, the version current. */
  private async problemForWrite(trx: Trx, scope: Scope, id: number, version: number) {
    const first = await this.repo.problem(trx, id);
    if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
    const ru = await this.writableRoundUnit(trx, scope, Number(first.roundUnitId));
    const p = (await this.repo.problem(trx, id))!;
    if (Number(p.version) !== version) throw stale(await this.problemView(trx, id));
    return { ru, p };
  }

  async updateProblem(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateProblem>) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { ru, p } = await this.problemForWrite(trx, scope, id, input.version);
      const before = await this.problemView(trx, id);
      const patch: Record<string, unknown> = { updatedAt: now };
      if (input.number !== undefined) {
        patch.number = input.number.trim();
        if (!patch.number) throw invalid('number is required');
      }
      if (input.description !== undefined) {
        patch.description = input.description.trim();
        if (!patch.description) throw invalid('description is required');
      }
      if (input.source !== undefined) patch.source = input.source;
      if (input.severity !== undefined) patch.severity = input.severity;
      for (const k of ['responsibleLeader', 'responsibleDepartment', 'responsiblePerson'] as const) {
        if (input[k] !== undefined) patch[k] = input[k]?.trim() || null;
      }
      if (input.campaignId !== undefined) {
        await this.checkCampaign(trx, input.campaignId);
        patch.campaignId = input.campaignId;
      }
      const categoryChanged = input.categoryCode !== undefined && input.categoryCode !== p.categoryCode;
      if (categoryChanged) {
        await this.checkCategory(trx, input.categoryCode!);
        patch.categoryCode = input.categoryCode;
      }
      const responsibles = input.responsibles !== undefined ? this.responsibleRows(input.responsibles) : null;
      if (!(await this.repo.updateProblem(trx, id, input.version, patch))) throw stale(await this.problemView(trx, id));
      if (categoryChanged) await this.repo.setMeasuresCategory(trx, id, input.categoryCode!);
      if (responsibles) await this.repo.replaceResponsibles(trx, id, responsibles);
      await this.summaries.recount(trx, [Number(ru.id)]);
      const after = await this.problemView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.problem.update',
        entity: 'problem',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async deleteProblem(actor: Actor, audit: AuditContext, id: number, version: number) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const { ru } = await this.problemForWrite(trx, scope, id, version);
      const before = await this.problemView(trx, id);
      if (before.measures.some((m) => LOCKED_MEASURE_STATUSES.includes(m.status)))
        throw new AppError(409, 'MEASURE_LOCKED');
      if (await this.repo.measuresHaveHistory(trx, { problemId: id })) throw new AppError(409, 'IN_USE');
      await this.repo.deleteProblem(trx, id, now);
      await this.summaries.recount(trx, [Number(ru.id)]);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.problem.delete',
        entity: 'problem',
        entityId: id,
        before,
      });
    });
  }

  // --- measures ---------------------------------------------------------------------------------

  async createMeasure(actor: Actor, audit: AuditContext, problemId: number, input: MeasureInput) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.problem(trx, problemId);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      const ru = await this.writableRoundUnit(trx, scope, Number(first.roundUnitId));
      const p = (await this.repo.problem(trx, problemId))!;
      const seq = await this.repo.nextMeasureSeq(trx, problemId);
      const id = await this.repo.insertMeasure(trx, await this.measureRow(trx, p, input, seq, now, ''));
      await this.summaries.recount(trx, [Number(ru.id)]);
      const after = toMeasure((await this.repo.measure(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.measure.create',
        entity: 'measure',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /** The measure for a write: in scope (else 404), its round-unit locked and open, the version current. */
  private async measureForWrite(trx: Trx, scope: Scope, id: number, version: number) {
    const first = await this.repo.measure(trx, id);
    if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
    const ru = await this.writableRoundUnit(trx, scope, Number(first.roundUnitId));
    const m = (await this.repo.measure(trx, id))!;
    if (Number(m.version) !== version) throw stale(toMeasure(m));
    return { ru, m };
  }

  /** Status fields after a move: done flag, completion date (kept while done), progress time. */
  private statusPatch(m: MeasureRow, to: string, now: number): Partial<NewMeasure> {
    const done = isDone(to as MeasureStatus);
    const wasDone = isDone(m.status as MeasureStatus);
    return {
      status: to,
      isDone: done ? 1 : 0,
      completedOn: done ? (wasDone && m.completedOn ? m.completedOn : shanghaiDate(now)) : null,
      lastProgressAt: now,
      updatedAt: now,
    };
  }

  private mayPostpone(actor: Actor): boolean {
    return can(actor.role, 'extension.decide');
  }

  async updateMeasure(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateMeasure>) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { ru, m } = await this.measureForWrite(trx, scope, id, input.version);
      if (LOCKED_MEASURE_STATUSES.includes(m.status)) throw new AppError(409, 'MEASURE_LOCKED');
      const patch: Partial<NewMeasure> = { updatedAt: now };
      if (input.content !== undefined) {
        patch.content = input.content.trim();
        if (!patch.content) throw invalid('content is required');
      }
      if (input.type !== undefined) patch.type = input.type;
      if (input.deadline !== undefined) {
        this.checkDate('deadline', input.deadline);
        if (input.deadline > m.deadline && !this.mayPostpone(actor)) throw new AppError(409, 'EXTENSION_REQUIRED');
        patch.deadline = input.deadline;
        patch.effectiveDeadline = m.extendedDeadline ?? input.deadline;
      }
      if (input.ownerName !== undefined) patch.ownerName = input.ownerName?.trim() || null;
      if (input.ownerUserId !== undefined) {
        await this.checkOwner(trx, Number(m.unitOrgId), input.ownerUserId);
        patch.ownerUserId = input.ownerUserId;
      }
      const outcome: Partial<Record<(typeof OUTCOME_FIELDS)[number], number>> = {};
      if (input.rulesEstablished !== undefined) outcome.rulesEstablished = input.rulesEstablished;
      if (input.fundsReturned !== undefined)
        outcome.fundsReturnedFen = moneyField('fundsReturned', input.fundsReturned);
      if (input.lossesRecovered !== undefined)
        outcome.lossesRecoveredFen = moneyField('lossesRecovered', input.lossesRecovered);
      if (input.peopleHeldAccountable !== undefined) outcome.peopleHeldAccountable = input.peopleHeldAccountable;
      if (input.casesFiled !== undefined) outcome.casesFiled = input.casesFiled;
      // Progress is a change of what was achieved, not of the wording, owner or dates.
      if (OUTCOME_FIELDS.some((k) => outcome[k] !== undefined && outcome[k] !== Number(m[k])))
        patch.lastProgressAt = now;
      Object.assign(patch, outcome);
      if (!(await this.repo.updateMeasure(trx, id, input.version, patch)))
        throw stale(toMeasure((await this.repo.measure(trx, id))!));
      await this.summaries.recount(trx, [Number(ru.id)]);
      const after = toMeasure((await this.repo.measure(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.measure.update',
        entity: 'measure',
        entityId: id,
        before: toMeasure(m),
        after,
      });
      return after;
    });
  }

  async changeStatus(actor: Actor, audit: AuditContext, id: number, input: Static<typeof MeasureStatusChange>) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      // The most frequent write (SPEC §4), so one read and one update: the update holds only while the
      // version is the one read, and then so is the status the move starts from. No second read after
      // the round-unit's lock, no read after the update (it answers the row).
      // With the audit chain's claim, in one round trip on PostgreSQL.
      const [found] = await this.ctx.audit.claimWith(trx, this.repo.measureWithLockedRoundUnitQuery(trx, id));
      if (!found || !inScope(scope, found.unitOrgId) || !inScope(scope, found.roundUnitOrgId)) throw notFound();
      const { roundUnitOrgId: _, roundUnitStatus, ...m } = found;
      if (Number(m.version) !== input.version) throw stale(toMeasure(m));
      // as writableRoundUnit, from the row read with the lock
      if (CLOSED_ROUND_UNIT_STATUSES.includes(roundUnitStatus)) throw new AppError(409, 'ROUND_UNIT_CLOSED');
      // The update and the counters' move together (one statement on PostgreSQL).
      const row = legalMeasureMove(m.status, input.to)
        ? await this.summaries.measureUpdatedWithStatusMove(
            trx,
            this.repo.measureUpdateReturning(trx, id, input.version, this.statusPatch(m, input.to, now)),
            {
              problemId: Number(m.problemId),
              roundUnitId: Number(m.roundUnitId),
              roundId: Number(m.roundId),
              categoryCode: m.categoryCode,
            },
            m.status as MeasureStatus,
            input.to as MeasureStatus,
          )
        : null;
      if (!row) {
        const current = (await this.repo.measure(trx, id))!;
        if (Number(current.version) !== input.version) throw stale(toMeasure(current));
        throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: input.to });
      }
      const after = toMeasure(row);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.measure.status',
        entity: 'measure',
        entityId: id,
        before: { status: m.status, version: Number(m.version) },
        after: { status: after.status, version: after.version, note: input.note ?? null },
      });
      return after;
    });
  }

  async deleteMeasure(actor: Actor, audit: AuditContext, id: number, version: number) {
    const scope = await this.scope(actor);
    await this.ctx.db.transaction().execute(async (trx) => {
      const { ru, m } = await this.measureForWrite(trx, scope, id, version);
      if (LOCKED_MEASURE_STATUSES.includes(m.status)) throw new AppError(409, 'MEASURE_LOCKED');
      if (await this.repo.measuresHaveHistory(trx, [id])) throw new AppError(409, 'IN_USE');
      await this.repo.deleteMeasure(trx, id);
      await this.summaries.recount(trx, [Number(ru.id)]);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.measure.delete',
        entity: 'measure',
        entityId: id,
        before: toMeasure(m),
      });
    });
  }

  // --- bulk -------------------------------------------------------------------------------------

  /**
   * One change to many measures, all or nothing: every id must be in scope, current (when its version
   * is sent) and allowed the change, or nothing is written and every failing id is listed.
   */
  async bulk(actor: Actor, audit: AuditContext, input: Static<typeof BulkMeasures>) {
    if (input.action === 'status' && !input.to) throw invalid('to is required for action "status"');
    if (input.action === 'owner' && input.ownerName === undefined && input.ownerUserId === undefined)
      throw invalid('ownerName or ownerUserId is required for action "owner"');
    if (input.action === 'deadline') {
      if (!input.deadline) throw invalid('deadline is required for action "deadline"');
      this.checkDate('deadline', input.deadline);
    }
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    const ids = [...new Set(input.ids)];
    return this.ctx.db.transaction().execute(async (trx) => {
      const failures: { id: number; code: ErrorCode }[] = [];
      const seen = (await this.repo.measures(trx, ids)).filter((m) => inScope(scope, m.unitOrgId));
      const found = new Set(seen.map((m) => Number(m.id)));
      for (const id of ids) if (!found.has(id)) failures.push({ id, code: 'NOT_FOUND' });
      const rus = await this.repo.lockRoundUnits(
        trx,
        seen.map((m) => Number(m.roundUnitId)),
      );
      const closed = new Set(rus.filter((r) => CLOSED_ROUND_UNIT_STATUSES.includes(r.status)).map((r) => Number(r.id)));
      const rows = await this.repo.measures(trx, [...found]);
      const ownerOk = new Map<number, boolean>();
      for (const m of rows) {
        const id = Number(m.id);
        const fail = (code: ErrorCode) => failures.push({ id, code });
        const sent = input.versions?.[String(id)];
        if (closed.has(Number(m.roundUnitId))) fail('ROUND_UNIT_CLOSED');
        else if (sent !== undefined && sent !== Number(m.version)) fail('CONFLICT_STALE');
        else if (input.action === 'status') {
          if (!legalMeasureMove(m.status, input.to!)) fail('INVALID_TRANSITION');
        } else if (LOCKED_MEASURE_STATUSES.includes(m.status)) fail('MEASURE_LOCKED');
        else if (input.action === 'deadline' && input.deadline! > m.deadline && !this.mayPostpone(actor))
          fail('EXTENSION_REQUIRED');
        else if (input.action === 'owner' && input.ownerUserId) {
          const unit = Number(m.unitOrgId);
          if (!ownerOk.has(unit)) ownerOk.set(unit, await this.ownerAllowed(trx, unit, input.ownerUserId));
          if (!ownerOk.get(unit)) fail('INVALID_REFERENCE');
        }
      }
      if (failures.length) {
        failures.sort((a, b) => a.id - b.id);
        const badIds = failures.some((f) => f.code === 'NOT_FOUND' || f.code === 'INVALID_REFERENCE');
        throw new AppError(
          badIds ? 400 : 409,
          'BULK_REJECTED',
          { count: failures.length },
          { failures, ids: failures.map((f) => f.id) },
        );
      }
      const before: Record<string, unknown>[] = [];
      for (const m of rows) {
        let patch: Partial<NewMeasure>;
        if (input.action === 'status') patch = this.statusPatch(m, input.to!, now);
        else if (input.action === 'deadline')
          patch = {
            deadline: input.deadline!,
            effectiveDeadline: m.extendedDeadline ?? input.deadline!,
            updatedAt: now,
          };
        else {
          patch = { updatedAt: now };
          if (input.ownerName !== undefined) patch.ownerName = input.ownerName?.trim() || null;
          if (input.ownerUserId !== undefined) patch.ownerUserId = input.ownerUserId;
        }
        if (!(await this.repo.updateMeasure(trx, Number(m.id), Number(m.version), patch)))
          throw stale(toMeasure((await this.repo.measure(trx, Number(m.id)))!));
        before.push({
          id: Number(m.id),
          version: Number(m.version),
          status: m.status,
          deadline: m.deadline,
          ownerName: m.ownerName,
          ownerUserId: m.ownerUserId,
        });
      }
      await this.summaries.recount(
        trx,
        rus.map((r) => Number(r.id)),
      );
      const items = (await this.repo.measures(trx, [...found])).map(toMeasure);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.measure.bulk',
        entity: 'measure',
        entityId: null,
        before,
        after: {
          action: input.action,
          to: input.to,
          deadline: input.deadline,
          ownerName: input.ownerName,
          ownerUserId: input.ownerUserId,
          note: input.note,
          ids: items.map((m) => m.id),
        },
      });
      return { updated: items.length, items };
    });
  }
}
