import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import {
  CLOSURE_TRANSITIONS,
  type ClosureStatus,
  needsRecheck,
  type ReopenSource,
  recheckDates,
} from '../../../../domain/progress.js';
import { canTransition } from '../../../../domain/rectification.js';
import type { DB } from '../../db/types.js';
import { inScope } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { requireRoundUnitFiles } from '../evidence/evidence.checks.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { toMeasure } from '../ledger/ledger.mappers.js';
import type { Executor, MeasureRow } from '../ledger/ledger.repository.js';
import { type ReadScope, visible } from '../ledger/ledger.scope.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { SummaryRepository } from '../ledger/summaries.repository.js';
import {
  type ClosureView,
  toClosure,
  toClosureListItem,
  toRecheck,
  toVerification,
  type VerificationView,
} from './closure.mappers.js';
import { ClosureRepository } from './closure.repository.js';
import type { ApplyClosure, ClosureQuery, DecideClosure, ReopenMeasure, VerifyClosure } from './closure.schemas.js';

type Trx = Transaction<DB>;
type ClosureRow = NonNullable<Awaited<ReturnType<ClosureRepository['closure']>>>;

/** Who verifies on whose behalf: the inspection office, or one supervising organisation. */
export interface VerifierParty {
  role: 'office' | 'supervisor';
  orgId: number;
}

/** Whether a liaison link's line covers a category: a link without categories covers every one. */
export function lineCovers(categories: string | null, categoryCode: string): boolean {
  if (categories === null) return true;
  return categories
    .split(',')
    .map((c) => c.trim())
    .includes(categoryCode);
}

/** What a closure's audit record keeps: the application and where its measure stands. */
function auditView(c: ClosureView, m: { status: string; version: number }) {
  return { ...c, measureStatus: m.status, measureVersion: m.version };
}

/**
 * 对账销号 (SPEC M7, M18): the unit applies with evidence; the office and the liaison supervisors
 * whose line covers the problem verify; someone other than the applicant and the measure's owner
 * decides (separation of duties); approved → 已销号, rejected → back to 整改中 with the reason; a
 * closed measure can be reopened with a reason. Each write locks the round-unit, rebuilds its
 * counters and is audited, in one transaction.
 */
export class ClosureService {
  readonly repo = new ClosureRepository();
  private readonly evidence = new EvidenceRepository();
  private readonly summaries = new SummaryRepository();

  constructor(
    private readonly ctx: AppContext,
    readonly ledger: LedgerService,
  ) {}

  // --- who verifies ---------------------------------------------------------------------------

  /** The supervising organisations liaising with the unit whose line covers the category. */
  async supervisorsOf(db: Executor, unitOrgId: number, categoryCode: string) {
    const out = new Map<number, string>();
    for (const l of await this.repo.liaisonsOfUnit(db, unitOrgId)) {
      const orgId = Number(l.supervisorOrgId);
      if (lineCovers(l.categories, categoryCode) && !out.has(orgId)) out.set(orgId, l.name);
    }
    return [...out].map(([orgId, name]) => ({ orgId, name }));
  }

  /** On whose behalf the caller verifies or re-checks this unit's record; null when it may not. */
  async party(
    db: Executor,
    actor: Actor,
    c: { unitOrgId: number; categoryCode: string },
  ): Promise<VerifierParty | null> {
    if (actor.role === 'office') return { role: 'office', orgId: actor.orgId };
    if (actor.role === 'supervisor') {
      const sups = await this.supervisorsOf(db, Number(c.unitOrgId), c.categoryCode);
      if (sups.some((s) => s.orgId === actor.orgId)) return { role: 'supervisor', orgId: actor.orgId };
    }
    return null;
  }

  /** The verifications a closure needs before approval, each with whether it was given. */
  async requiredVerifiers(
    db: Executor,
    c: { unitOrgId: number; categoryCode: string },
    verifications: readonly VerificationView[],
  ) {
    const office = verifications.find((v) => v.verifierRole === 'office');
    const out: {
      kind: 'office' | 'supervisor';
      orgId: number | null;
      name: string;
      done: boolean;
      verdict: string | null;
    }[] = [
      {
        kind: 'office',
        orgId: null,
        name: (await this.repo.officeName(db)) ?? '巡察机构',
        done: !!office,
        verdict: office?.verdict ?? null,
      },
    ];
    for (const s of await this.supervisorsOf(db, Number(c.unitOrgId), c.categoryCode)) {
      const v = verifications.find((x) => x.verifierRole === 'supervisor' && x.verifierOrgId === s.orgId);
      out.push({ kind: 'supervisor', orgId: s.orgId, name: s.name, done: !!v, verdict: v?.verdict ?? null });
    }
    return out;
  }

  /** Separation of duties: the applicant and the measure's owner never verify or decide it. */
  assertNotOwn(actor: Actor, applicantId: number | null, m: Pick<MeasureRow, 'ownerUserId'>) {
    if (
      (applicantId !== null && Number(applicantId) === actor.userId) ||
      (m.ownerUserId !== null && Number(m.ownerUserId) === actor.userId)
    )
      throw new AppError(403, 'CLOSURE_OWN_APPLICATION');
  }

  // --- reads ----------------------------------------------------------------------------------

  /** The full view a verifier works from, with the 虚假整改 flags filtered to the caller's scope. */
  async detail(db: Executor, row: ClosureRow, scope: ReadScope) {
    const base = toClosure(row);
    const today = shanghaiDate(this.ctx.clock.now());
    const [m, problem, verificationRows, files, rechecks] = await Promise.all([
      this.ledger.repo.measure(db, base.measureId),
      this.repo.problemBrief(db, base.problemId),
      this.repo.verifications(db, base.id),
      this.evidence.files(db, base.fileIds),
      this.repo.rechecksOfClosure(db, base.id),
    ]);
    if (!m) throw notFound();
    const owner = m.ownerUserId ? await this.repo.userBrief(db, Number(m.ownerUserId)) : undefined;
    const verifications = verificationRows.map(toVerification);
    const reuses = await this.evidence.reuses(
      db,
      files.map((f) => f.sm3),
      base.problemId,
      500,
    );
    const reusedEvidence = files
      .map((f) => {
        const seen = new Set<number>();
        const elsewhere: {
          problemId: number;
          problemNumber: string;
          measureId: number;
          unitOrgId: number;
          unitName: string;
          roundUnitId: number;
          source: string;
          offeredAt: number;
        }[] = [];
        let hiddenCount = 0;
        for (const r of reuses) {
          if (r.sm3 !== f.sm3 || seen.has(Number(r.problemId))) continue;
          seen.add(Number(r.problemId));
          if (!visible(scope, Number(r.unitOrgId), r.categoryCode)) {
            hiddenCount++;
            continue;
          }
          elsewhere.push({
            problemId: Number(r.problemId),
            problemNumber: r.problemNumber,
            measureId: Number(r.measureId),
            unitOrgId: Number(r.unitOrgId),
            unitName: r.unitName,
            roundUnitId: Number(r.roundUnitId),
            source: r.source,
            offeredAt: Number(r.createdAt),
          });
        }
        return { fileId: Number(f.id), name: f.name, sm3: f.sm3, elsewhere, hiddenCount };
      })
      .filter((r) => r.elsewhere.length || r.hiddenCount);
    const reused = new Set(reusedEvidence.map((r) => r.fileId));
    return {
      ...base,
      measure: {
        id: Number(m.id),
        content: m.content,
        type: m.type,
        status: m.status,
        ownerName: m.ownerName,
        ownerUserId: m.ownerUserId === null ? null : Number(m.ownerUserId),
        ownerDisplayName: owner?.displayName ?? null,
        effectiveDeadline: m.effectiveDeadline,
        version: Number(m.version),
      },
      problem: {
        id: Number(problem.id),
        number: problem.number,
        description: problem.description,
        categoryCode: problem.categoryCode,
      },
      files: files.map((f) => ({
        id: Number(f.id),
        name: f.name,
        kind: f.kind,
        size: Number(f.size),
        sm3: f.sm3,
        reused: reused.has(Number(f.id)),
      })),
      verifications,
      requiredVerifiers: await this.requiredVerifiers(db, base, verifications),
      reusedEvidence,
      rechecks: rechecks.map((r) => toRecheck(r, today)),
    };
  }

  async get(actor: Actor, id: number) {
    const scope = await this.ledger.readScope(actor);
    const row = await this.repo.closure(this.ctx.db, id);
    if (!row || !visible(scope, row.unitOrgId, row.categoryCode)) throw notFound();
    return this.detail(this.ctx.db, row, scope);
  }

  async page(actor: Actor, q: Static<typeof ClosureQuery>) {
    const scope = await this.ledger.readScope(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      status: q.status,
      roundUnitId: q.roundUnitId,
      unitOrgId: q.unitOrgId,
      scope,
      before: q.cursor,
      limit,
    });
    return {
      items: rows.map(toClosureListItem),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async ofMeasure(actor: Actor, measureId: number) {
    await this.ledger.getMeasure(actor, measureId); // 404 when absent or out of scope
    const rows = await this.repo.closuresOfMeasure(this.ctx.db, measureId);
    return { items: rows.map(toClosureListItem) };
  }

  // --- writes ---------------------------------------------------------------------------------

  /** Locks a round-unit whatever its state (decisions and reopening may come after 评价). */
  async lockRoundUnit(trx: Trx, id: number) {
    const ru = await this.ledger.repo.roundUnit(trx, id, true);
    if (!ru) throw notFound();
    return ru;
  }

  /** The closure for a write by a reader of it (404 outside the read scope), its round-unit locked. */
  private async lockedClosure(trx: Trx, scope: ReadScope, id: number): Promise<ClosureRow> {
    const first = await this.repo.closure(trx, id);
    if (!first || !visible(scope, first.unitOrgId, first.categoryCode)) throw notFound();
    await this.lockRoundUnit(trx, Number(first.roundUnitId));
    return (await this.repo.closure(trx, id))!;
  }

  private async measureOf(trx: Trx, c: ClosureRow): Promise<MeasureRow> {
    const m = await this.ledger.repo.measure(trx, Number(c.measureId));
    if (!m) throw notFound();
    return m;
  }

  private transition(from: string, to: ClosureStatus) {
    if (!canTransition(CLOSURE_TRANSITIONS, from as ClosureStatus, to))
      throw new AppError(409, 'INVALID_TRANSITION', { from, to });
  }

  async apply(actor: Actor, audit: AuditContext, measureId: number, input: Static<typeof ApplyClosure>) {
    if (!input.fileIds.length) throw new AppError(400, 'CLOSURE_EVIDENCE_REQUIRED');
    const summary = input.summary.trim();
    if (!summary) throw invalid('summary is required');
    const [scope, readScope] = await Promise.all([this.ledger.scope(actor), this.ledger.readScope(actor)]);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.ledger.repo.measure(trx, measureId);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      const ru = await this.ledger.writableRoundUnit(trx, scope, Number(first.roundUnitId));
      const m = (await this.ledger.repo.measure(trx, measureId))!;
      if (Number(m.version) !== input.version) throw stale(toMeasure(m));
      if (m.status !== 'completed' || (await this.repo.pendingOfMeasure(trx, measureId)))
        throw new AppError(409, 'CLOSURE_NOT_READY', {}, { measureStatus: m.status });
      const files = await requireRoundUnitFiles(trx, this.evidence, Number(ru.id), input.fileIds);
      const moved = await this.ledger.repo.updateMeasure(trx, measureId, input.version, {
        status: 'closure_requested',
        isDone: 1,
        lastProgressAt: now,
        updatedAt: now,
      });
      if (!moved) throw stale(toMeasure((await this.ledger.repo.measure(trx, measureId))!));
      const id = await this.repo.insertClosure(trx, {
        measureId,
        problemId: Number(m.problemId),
        roundUnitId: Number(m.roundUnitId),
        unitOrgId: Number(m.unitOrgId),
        categoryCode: m.categoryCode,
        status: 'pending',
        summary,
        fileIds: JSON.stringify(files.map((f) => Number(f.id))),
        applicantId: actor.userId,
        appliedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        reopenedBy: null,
        reopenedAt: null,
        reopenSource: null,
        reopenReason: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.evidence.attach(
        trx,
        {
          id: measureId,
          problemId: Number(m.problemId),
          roundUnitId: Number(m.roundUnitId),
          unitOrgId: Number(m.unitOrgId),
        },
        files.map((f) => ({ id: Number(f.id), sm3: f.sm3 })),
        'closure',
        id,
        now,
      );
      await this.summaries.recount(trx, [Number(ru.id)]);
      const after = await this.detail(trx, (await this.repo.closure(trx, id))!, readScope);
      await this.ctx.audit.record(trx, audit, {
        action: 'closure.apply',
        entity: 'closure',
        entityId: id,
        after: { ...auditView(after, after.measure), files: after.files },
      });
      return after;
    });
  }

  async verify(actor: Actor, audit: AuditContext, id: number, input: Static<typeof VerifyClosure>) {
    const note = input.note?.trim() || null;
    if (input.verdict === 'disagree' && !note) throw invalid('note is required to disagree');
    const scope = await this.ledger.readScope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const c = await this.lockedClosure(trx, scope, id);
      const party = await this.party(trx, actor, c);
      if (!party) throw notFound();
      const m = await this.measureOf(trx, c);
      this.assertNotOwn(actor, Number(c.applicantId), m);
      if (c.status !== 'pending') throw new AppError(409, 'INVALID_TRANSITION', { from: c.status, to: 'verified' });
      const done = await this.repo.verifications(trx, id);
      if (
        done.some(
          (v) => Number(v.verifierOrgId) === party.orgId || (party.role === 'office' && v.verifierRole === 'office'),
        )
      )
        throw new AppError(409, 'CLOSURE_ALREADY_VERIFIED');
      const verificationId = await this.repo.insertVerification(trx, {
        closureId: id,
        verifierId: actor.userId,
        verifierRole: party.role,
        verifierOrgId: party.orgId,
        verdict: input.verdict,
        note,
        createdAt: now,
      });
      // A decision is made on a view that includes every verification: the closure's version moves.
      if (!(await this.repo.updateClosure(trx, id, Number(c.version), { updatedAt: now })))
        throw stale(toClosure((await this.repo.closure(trx, id))!));
      const after = await this.detail(trx, (await this.repo.closure(trx, id))!, scope);
      await this.ctx.audit.record(trx, audit, {
        action: 'closure.verify',
        entity: 'closure',
        entityId: id,
        after: {
          verificationId,
          verifierRole: party.role,
          verifierOrgId: party.orgId,
          verdict: input.verdict,
          note,
          closureVersion: after.version,
        },
      });
      return after;
    });
  }

  async decide(actor: Actor, audit: AuditContext, id: number, input: Static<typeof DecideClosure>) {
    const approve = input.decision === 'approve';
    const note = input.note?.trim() || null;
    if (!approve && !note) throw invalid('note is required to reject: the reason goes back to the unit');
    const scope = await this.ledger.readScope(actor);
    const now = this.ctx.clock.now();
    const { recheckMonths } = await this.ctx.settings.get('system.rectification');
    return this.ctx.db.transaction().execute(async (trx) => {
      const c = await this.lockedClosure(trx, scope, id);
      const m = await this.measureOf(trx, c);
      this.assertNotOwn(actor, Number(c.applicantId), m);
      const before = toClosure(c);
      if (before.version !== input.version) throw stale(await this.detail(trx, c, scope));
      const to: ClosureStatus = approve ? 'approved' : 'rejected';
      this.transition(c.status, to);
      const measureTo = approve ? 'closed' : 'in_progress';
      if (m.status !== 'closure_requested')
        throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: measureTo });
      if (approve) {
        const verifications = (await this.repo.verifications(trx, id)).map(toVerification);
        const missing = (await this.requiredVerifiers(trx, c, verifications)).filter((r) => !r.done);
        if (missing.length) {
          const names = missing.map((r) => r.name);
          throw new AppError(409, 'CLOSURE_VERIFICATION_MISSING', { missing: names.join('、') }, { missing: names });
        }
      }
      const moved = await this.ledger.repo.updateMeasure(
        trx,
        Number(m.id),
        Number(m.version),
        approve
          ? { status: 'closed', isDone: 1, lastProgressAt: now, updatedAt: now }
          : { status: 'in_progress', isDone: 0, completedOn: null, lastProgressAt: now, updatedAt: now },
      );
      if (!moved) throw stale(await this.detail(trx, c, scope));
      if (
        !(await this.repo.updateClosure(trx, id, input.version, {
          status: to,
          decidedBy: actor.userId,
          decidedAt: now,
          decisionNote: note,
          updatedAt: now,
        }))
      )
        throw stale(await this.detail(trx, (await this.repo.closure(trx, id))!, scope));
      let rechecks: { monthsAfter: number; dueDate: string }[] = [];
      if (approve && needsRecheck({ type: m.type, rulesEstablished: Number(m.rulesEstablished) })) {
        rechecks = recheckDates(shanghaiDate(now), recheckMonths);
        await this.repo.insertRechecks(
          trx,
          rechecks.map((r) => ({
            measureId: Number(m.id),
            closureId: id,
            roundUnitId: Number(m.roundUnitId),
            unitOrgId: Number(m.unitOrgId),
            categoryCode: m.categoryCode,
            monthsAfter: r.monthsAfter,
            dueDate: r.dueDate,
            status: 'pending',
            resultNote: null,
            doneBy: null,
            doneAt: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
          })),
        );
      }
      await this.summaries.recount(trx, [Number(c.roundUnitId)]);
      const after = await this.detail(trx, (await this.repo.closure(trx, id))!, scope);
      await this.ctx.audit.record(trx, audit, {
        action: approve ? 'closure.approve' : 'closure.reject',
        entity: 'closure',
        entityId: id,
        before: auditView(before, { status: m.status, version: Number(m.version) }),
        after: { ...auditView(after, after.measure), rechecks },
      });
      return after;
    });
  }

  async withdraw(actor: Actor, audit: AuditContext, id: number, version: number) {
    const [scope, readScope] = await Promise.all([this.ledger.scope(actor), this.ledger.readScope(actor)]);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.closure(trx, id);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      await this.lockRoundUnit(trx, Number(first.roundUnitId));
      const c = (await this.repo.closure(trx, id))!;
      const before = toClosure(c);
      if (before.version !== version) throw stale(await this.detail(trx, c, readScope));
      this.transition(c.status, 'withdrawn');
      const m = await this.measureOf(trx, c);
      if (m.status !== 'closure_requested')
        throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: 'completed' });
      const moved = await this.ledger.repo.updateMeasure(trx, Number(m.id), Number(m.version), {
        status: 'completed',
        isDone: 1,
        updatedAt: now,
      });
      if (!moved || !(await this.repo.updateClosure(trx, id, version, { status: 'withdrawn', updatedAt: now })))
        throw stale(await this.detail(trx, (await this.repo.closure(trx, id))!, readScope));
      await this.summaries.recount(trx, [Number(c.roundUnitId)]);
      const after = await this.detail(trx, (await this.repo.closure(trx, id))!, readScope);
      await this.ctx.audit.record(trx, audit, {
        action: 'closure.withdraw',
        entity: 'closure',
        entityId: id,
        before: auditView(before, { status: m.status, version: Number(m.version) }),
        after: auditView(after, after.measure),
      });
      return after;
    });
  }

  async reopen(actor: Actor, audit: AuditContext, measureId: number, input: Static<typeof ReopenMeasure>) {
    const reason = input.reason.trim();
    if (!reason) throw invalid('reason is required');
    const scope = await this.ledger.readScope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.ledger.repo.measure(trx, measureId);
      if (!first || !visible(scope, first.unitOrgId, first.categoryCode)) throw notFound();
      await this.lockRoundUnit(trx, Number(first.roundUnitId));
      const m = (await this.ledger.repo.measure(trx, measureId))!;
      if (Number(m.version) !== input.version) throw stale(toMeasure(m));
      if (m.status !== 'closed') throw new AppError(409, 'INVALID_TRANSITION', { from: m.status, to: 'in_progress' });
      const closureId = await this.reopenWithin(trx, audit, actor, m, input.source, reason, now);
      await this.summaries.recount(trx, [Number(m.roundUnitId)]);
      const measure = toMeasure((await this.ledger.repo.measure(trx, measureId))!);
      const closure = closureId ? toClosure((await this.repo.closure(trx, closureId))!) : null;
      return { measure, closure };
    });
  }

  /**
   * Inside the caller's transaction, its round-unit locked: a closed measure back to 整改中, its
   * approved closure marked reopened (who, when, why), the re-checks still pending cancelled; audited.
   * The caller rebuilds the counters. Answers the id of the closure reopened, if there was one.
   */
  async reopenWithin(
    trx: Trx,
    audit: AuditContext,
    actor: Actor,
    m: MeasureRow,
    source: ReopenSource,
    reason: string,
    now: number,
  ): Promise<number | null> {
    const moved = await this.ledger.repo.updateMeasure(trx, Number(m.id), Number(m.version), {
      status: 'in_progress',
      isDone: 0,
      completedOn: null,
      lastProgressAt: now,
      updatedAt: now,
    });
    if (!moved) throw stale(toMeasure((await this.ledger.repo.measure(trx, Number(m.id)))!));
    const closure = await this.repo.approvedOfMeasure(trx, Number(m.id));
    let cancelledRechecks: number[] = [];
    if (closure) {
      const ok = await this.repo.updateClosure(trx, Number(closure.id), Number(closure.version), {
        status: 'reopened',
        reopenedBy: actor.userId,
        reopenedAt: now,
        reopenSource: source,
        reopenReason: reason,
        updatedAt: now,
      });
      if (!ok) throw stale(toClosure((await this.repo.closure(trx, Number(closure.id)))!));
      cancelledRechecks = await this.repo.cancelPendingRechecks(trx, Number(closure.id), now);
    }
    await this.ctx.audit.record(trx, audit, {
      action: 'closure.reopen',
      entity: 'measure',
      entityId: Number(m.id),
      before: { status: m.status, version: Number(m.version) },
      after: {
        status: 'in_progress',
        version: Number(m.version) + 1,
        closureId: closure ? Number(closure.id) : null,
        source,
        reason,
        cancelledRechecks,
      },
    });
    return closure ? Number(closure.id) : null;
  }
}
