import type { Static } from 'typebox';
import { isValidDate } from '../../../../domain/calendar.js';
import {
  canTransition,
  IMMEDIATE_ITEM_TRANSITIONS,
  type ImmediateItemStatus,
  isDone,
  type MeasureStatus,
} from '../../../../domain/rectification.js';
import { inScope } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { LOCKED_MEASURE_STATUSES, toExtension, toImmediateItem, toMeasure } from './ledger.mappers.js';
import type {
  ApproveImmediate,
  DecideExtension,
  ExtensionQuery,
  FixImmediate,
  ProposeImmediate,
  RequestExtension,
  VerifyImmediate,
} from './ledger.schemas.js';
import type { LedgerService } from './ledger.service.js';
import { WorkflowRepository } from './workflow.repository.js';

/** Which step of 立行立改 may act on an item in which state. */
const STEP_FROM: Record<'approve' | 'fix' | 'verify', ImmediateItemStatus> = {
  approve: 'proposed',
  fix: 'approved',
  verify: 'fixed',
};

/**
 * 立行立改 (M5: propose → approve (报批) → fix → verify, each with who and when) and deadline
 * extensions (M18 延期申请: request with a reason → decision; the original deadline is kept).
 */
export class WorkflowService {
  readonly repo = new WorkflowRepository();

  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: LedgerService,
  ) {}

  // --- 立行立改 -------------------------------------------------------------------------------

  async listImmediate(actor: Actor, roundUnitId: number) {
    await this.ledger.readableRoundUnit(actor, roundUnitId);
    const rows = await this.repo.immediateItemsOfRoundUnit(this.ctx.db, roundUnitId);
    return { items: rows.map(toImmediateItem) };
  }

  async getImmediate(actor: Actor, id: number) {
    const scope = await this.ledger.scope(actor);
    const item = await this.repo.immediateItem(this.ctx.db, id);
    if (!item || !inScope(scope, item.unitOrgId)) throw notFound();
    return toImmediateItem(item);
  }

  async propose(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof ProposeImmediate>) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.ledger.writableRoundUnit(trx, scope, roundUnitId);
      if (input.problemId) {
        const p = await this.ledger.repo.problem(trx, input.problemId);
        if (!p || Number(p.roundUnitId) !== Number(ru.id))
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'problemId' });
      }
      const content = input.content.trim();
      if (!content) throw invalid('content is required');
      const id = await this.repo.insertImmediateItem(trx, {
        roundUnitId: Number(ru.id),
        unitOrgId: Number(ru.unitOrgId),
        problemId: input.problemId ?? null,
        content,
        status: 'proposed',
        proposedBy: actor.userId,
        proposedAt: now,
        approvedBy: null,
        approvedAt: null,
        approvalNote: null,
        fixedBy: null,
        fixedAt: null,
        fixReport: null,
        verifiedBy: null,
        verifiedAt: null,
        verifyNote: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = toImmediateItem((await this.repo.immediateItem(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.immediate.propose',
        entity: 'immediate_item',
        entityId: id,
        after,
      });
      return after;
    });
  }

  private async step(
    actor: Actor,
    audit: AuditContext,
    id: number,
    version: number,
    step: 'approve' | 'fix' | 'verify',
    to: ImmediateItemStatus,
    fields: (now: number) => Record<string, unknown>,
  ) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.immediateItem(trx, id);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      await this.ledger.writableRoundUnit(trx, scope, Number(first.roundUnitId));
      const item = (await this.repo.immediateItem(trx, id))!;
      if (Number(item.version) !== version) throw stale(toImmediateItem(item));
      const from = item.status as ImmediateItemStatus;
      if (from !== STEP_FROM[step] || !canTransition(IMMEDIATE_ITEM_TRANSITIONS, from, to))
        throw new AppError(409, 'INVALID_TRANSITION', { from, to });
      if (!(await this.repo.updateImmediateItem(trx, id, version, { status: to, updatedAt: now, ...fields(now) })))
        throw stale(toImmediateItem((await this.repo.immediateItem(trx, id))!));
      const after = toImmediateItem((await this.repo.immediateItem(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: `ledger.immediate.${step}`,
        entity: 'immediate_item',
        entityId: id,
        before: toImmediateItem(item),
        after,
      });
      return after;
    });
  }

  approve(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ApproveImmediate>) {
    return this.step(actor, audit, id, input.version, 'approve', input.approve ? 'approved' : 'rejected', (now) => ({
      approvedBy: actor.userId,
      approvedAt: now,
      approvalNote: input.note?.trim() || null,
    }));
  }

  fix(actor: Actor, audit: AuditContext, id: number, input: Static<typeof FixImmediate>) {
    const report = input.report.trim();
    if (!report) throw invalid('report is required');
    return this.step(actor, audit, id, input.version, 'fix', 'fixed', (now) => ({
      fixedBy: actor.userId,
      fixedAt: now,
      fixReport: report,
    }));
  }

  verify(actor: Actor, audit: AuditContext, id: number, input: Static<typeof VerifyImmediate>) {
    return this.step(actor, audit, id, input.version, 'verify', input.accept ? 'verified' : 'approved', (now) => ({
      verifiedBy: actor.userId,
      verifiedAt: now,
      verifyNote: input.note?.trim() || null,
    }));
  }

  // --- 延期申请 -------------------------------------------------------------------------------

  async listExtensions(actor: Actor, measureId: number) {
    await this.ledger.getMeasure(actor, measureId); // 404 when absent or out of scope
    const rows = await this.repo.extensionsOfMeasure(this.ctx.db, measureId);
    return { items: rows.map(toExtension) };
  }

  async extensionPage(actor: Actor, q: Static<typeof ExtensionQuery>) {
    const scope = await this.ledger.readScope(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.extensionPage(this.ctx.db, {
      status: q.status,
      unitOrgId: q.unitOrgId,
      scope,
      after: q.after ?? 0,
      limit,
    });
    return {
      items: rows.map(toExtension),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async requestExtension(actor: Actor, audit: AuditContext, measureId: number, input: Static<typeof RequestExtension>) {
    if (!isValidDate(input.requestedDeadline)) throw invalid('requestedDeadline is not a valid date');
    const reason = input.reason.trim();
    if (!reason) throw invalid('reason is required');
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.ledger.repo.measure(trx, measureId);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      await this.ledger.writableRoundUnit(trx, scope, Number(first.roundUnitId));
      const m = (await this.ledger.repo.measure(trx, measureId))!;
      if (LOCKED_MEASURE_STATUSES.includes(m.status)) throw new AppError(409, 'MEASURE_LOCKED');
      if (isDone(m.status as MeasureStatus)) throw new AppError(409, 'EXTENSION_NOT_NEEDED');
      if (await this.repo.pendingExtension(trx, measureId)) throw new AppError(409, 'EXTENSION_PENDING');
      if (input.requestedDeadline <= m.effectiveDeadline)
        throw new AppError(400, 'EXTENSION_NOT_LATER', { deadline: m.effectiveDeadline });
      const id = await this.repo.insertExtension(trx, {
        measureId,
        unitOrgId: Number(m.unitOrgId),
        previousDeadline: m.effectiveDeadline,
        requestedDeadline: input.requestedDeadline,
        reason,
        status: 'pending',
        requestedBy: actor.userId,
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = toExtension((await this.repo.extension(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.extension.request',
        entity: 'deadline_extension',
        entityId: id,
        after,
      });
      return after;
    });
  }

  async decideExtension(actor: Actor, audit: AuditContext, id: number, input: Static<typeof DecideExtension>) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.extension(trx, id);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      const m0 = (await this.ledger.repo.measure(trx, Number(first.measureId)))!;
      await this.ledger.writableRoundUnit(trx, scope, Number(m0.roundUnitId));
      const ext = (await this.repo.extension(trx, id))!;
      if (Number(ext.version) !== input.version) throw stale(toExtension(ext));
      const to = input.approve ? 'approved' : 'rejected';
      if (ext.status !== 'pending') throw new AppError(409, 'INVALID_TRANSITION', { from: ext.status, to });
      const m = (await this.ledger.repo.measure(trx, Number(ext.measureId)))!;
      const measureBefore = toMeasure(m);
      if (input.approve) {
        if (LOCKED_MEASURE_STATUSES.includes(m.status)) throw new AppError(409, 'MEASURE_LOCKED');
        if (ext.requestedDeadline <= m.effectiveDeadline)
          throw new AppError(409, 'EXTENSION_NOT_LATER', { deadline: m.effectiveDeadline });
        const moved = await this.ledger.repo.updateMeasure(trx, Number(m.id), Number(m.version), {
          extendedDeadline: ext.requestedDeadline,
          effectiveDeadline: ext.requestedDeadline,
          updatedAt: now,
        });
        if (!moved) throw stale(toExtension(ext));
      }
      if (
        !(await this.repo.updateExtension(trx, id, input.version, {
          status: to,
          decidedBy: actor.userId,
          decidedAt: now,
          decisionNote: input.note?.trim() || null,
          updatedAt: now,
        }))
      )
        throw stale(toExtension((await this.repo.extension(trx, id))!));
      const after = toExtension((await this.repo.extension(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.extension.decide',
        entity: 'deadline_extension',
        entityId: id,
        before: toExtension(ext),
        after,
      });
      if (input.approve) {
        await this.ctx.audit.record(trx, audit, {
          action: 'ledger.measure.extend',
          entity: 'measure',
          entityId: Number(m.id),
          before: measureBefore,
          after: toMeasure((await this.ledger.repo.measure(trx, Number(m.id)))!),
        });
      }
      return after;
    });
  }
}
