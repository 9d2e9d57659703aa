import type { Static } from 'typebox';
import { isValidDate } from '../../../../domain/calendar.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { LOCKED_MEASURE_STATUSES, toMeasure } from '../ledger/ledger.mappers.js';
import type { Executor, MeasureRow } from '../ledger/ledger.repository.js';
import { type ReadScope, visible } from '../ledger/ledger.scope.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { SummaryRepository } from '../ledger/summaries.repository.js';
import { toNotice, toResponsibilityHandover } from './handover.mappers.js';
import type { HandoverRepository } from './handover.repository.js';
import type { CreateResponsibilityHandover, NoticeQuery, PageQuery } from './handover.schemas.js';

const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * 整改责任交接 (SPEC M18). When a responsible person changes post, the unit (or the office) records a
 * handover in one round-unit: from the outgoing person (user id, or the name written as owner) to a
 * successor (a user of the unit's subtree or of the office — the ledger's owner rule — and/or a
 * name), with the effective date and the reason. In one transaction, the round-unit locked: the
 * measures chosen (or all the outgoing person's open measures: 未启动, 整改中, 已完成 — not those in
 * 对账销号) change owner with their versions bumped, the handover is kept with its measure list, and
 * a notice is recorded for each of the two people who has an account. The notices live in
 * responsibility_handover_notices and are read at GET /my/handover-notices until a notices module
 * (issue 7) absorbs them.
 */
export class ResponsibilityService {
  private readonly summaries = new SummaryRepository();

  constructor(
    private readonly ctx: AppContext,
    private readonly repo: HandoverRepository,
    private readonly ledger: LedgerService,
  ) {}

  private async detail(db: Executor, readScope: ReadScope, id: number) {
    const r = await this.repo.responsibilityHandover(db, id);
    if (!r) throw notFound();
    const [measures, notices] = await Promise.all([
      this.repo.responsibilityMeasures(db, id),
      this.repo.noticesOfHandover(db, id),
    ]);
    return {
      ...toResponsibilityHandover(r),
      // A supervisor whose link names a line sees the measures of its line only.
      measures: measures
        .filter((m) => visible(readScope, Number(m.unitOrgId), m.categoryCode))
        .map((m) => ({
          measureId: Number(m.measureId),
          problemId: Number(m.problemId),
          problemNumber: m.problemNumber,
          content: m.content,
          status: m.status,
          previousOwnerName: m.previousOwnerName,
          previousOwnerUserId: numOrNull(m.previousOwnerUserId),
          versionBefore: Number(m.versionBefore),
          versionAfter: Number(m.versionAfter),
        })),
      notices: notices.map((n) => ({
        recipientUserId: Number(n.recipientUserId),
        role: n.role,
        readAt: numOrNull(n.readAt),
      })),
    };
  }

  async get(actor: Actor, id: number) {
    const r = await this.repo.responsibilityHandover(this.ctx.db, id);
    if (!r) throw notFound();
    await this.ledger.readableRoundUnit(actor, Number(r.roundUnitId)); // 404 outside the caller's scope
    return this.detail(this.ctx.db, await this.ledger.readScope(actor), id);
  }

  async page(actor: Actor, roundUnitId: number, q: Static<typeof PageQuery>) {
    await this.ledger.readableRoundUnit(actor, roundUnitId);
    const limit = q.limit ?? 50;
    const rows = await this.repo.responsibilityPage(this.ctx.db, roundUnitId, q.cursor, limit);
    return {
      items: rows.map(toResponsibilityHandover),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async create(
    actor: Actor,
    audit: AuditContext,
    roundUnitId: number,
    input: Static<typeof CreateResponsibilityHandover>,
  ) {
    if (!isValidDate(input.effectiveDate)) throw invalid('effectiveDate is not a valid date');
    const reason = input.reason.trim();
    if (!reason) throw invalid('reason is required');
    if (input.fromUserId === undefined && !input.fromName?.trim()) throw invalid('fromUserId or fromName is required');
    if (input.toUserId === undefined && !input.toName?.trim()) throw invalid('toUserId or toName is required');
    const [scope, readScope] = await Promise.all([this.ledger.scope(actor), this.ledger.readScope(actor)]);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.ledger.writableRoundUnit(trx, scope, roundUnitId);
      const unitOrgId = Number(ru.unitOrgId);
      const fromUser = input.fromUserId !== undefined ? await this.ledger.repo.user(trx, input.fromUserId) : undefined;
      if (input.fromUserId !== undefined && !fromUser)
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'fromUserId' });
      if (input.toUserId !== undefined && !(await this.ledger.ownerAllowed(trx, unitOrgId, input.toUserId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'toUserId' });
      const toUser = input.toUserId !== undefined ? await this.ledger.repo.user(trx, input.toUserId) : undefined;
      const from = { userId: input.fromUserId ?? null, name: input.fromName?.trim() || fromUser!.displayName };
      const to = { userId: input.toUserId ?? null, name: input.toName?.trim() || toUser!.displayName };
      if (
        (from.userId !== null && from.userId === to.userId) ||
        (from.userId === null && to.userId === null && from.name === to.name)
      )
        throw invalid('the successor must be another person');

      const owned = (m: MeasureRow) =>
        from.userId !== null ? Number(m.ownerUserId) === from.userId : m.ownerName === from.name;
      let measures: MeasureRow[];
      if (input.measureIds) {
        measures = await this.ledger.repo.measures(trx, input.measureIds);
        const inUnit = new Set(measures.filter((m) => Number(m.roundUnitId) === roundUnitId).map((m) => Number(m.id)));
        const unknown = input.measureIds.filter((x) => !inUnit.has(x));
        if (unknown.length)
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'measureIds' }, { measureIds: unknown });
        const others = measures.filter((m) => !owned(m)).map((m) => Number(m.id));
        if (others.length)
          throw invalid('measureIds: some measures are not owned by the outgoing person', { measureIds: others });
        if (measures.some((m) => LOCKED_MEASURE_STATUSES.includes(m.status))) throw new AppError(409, 'MEASURE_LOCKED');
      } else {
        measures = await this.repo.ownedMeasures(trx, roundUnitId, from);
        if (!measures.length) throw invalid('the outgoing person owns no open measure in this round-unit');
      }
      for (const m of measures) {
        const sent = input.versions?.[String(m.id)];
        if (sent !== undefined && sent !== Number(m.version)) throw stale(toMeasure(m));
      }

      for (const m of measures) {
        const ok = await this.ledger.repo.updateMeasure(trx, Number(m.id), Number(m.version), {
          ownerUserId: to.userId,
          ownerName: to.name,
          updatedAt: now,
        });
        if (!ok) throw stale(toMeasure((await this.ledger.repo.measure(trx, Number(m.id)))!));
      }
      const id = await this.repo.insertResponsibilityHandover(trx, {
        roundUnitId,
        unitOrgId,
        fromUserId: from.userId,
        fromName: from.name,
        toUserId: to.userId,
        toName: to.name,
        effectiveDate: input.effectiveDate,
        reason,
        measureCount: measures.length,
        recordedBy: actor.userId,
        createdAt: now,
      });
      await this.repo.insertResponsibilityMeasures(
        trx,
        measures.map((m) => ({
          handoverId: id,
          measureId: Number(m.id),
          previousOwnerName: m.ownerName,
          previousOwnerUserId: numOrNull(m.ownerUserId),
          versionBefore: Number(m.version),
          versionAfter: Number(m.version) + 1,
        })),
      );
      const recipients: { recipientUserId: number; role: string }[] = [];
      if (from.userId !== null) recipients.push({ recipientUserId: from.userId, role: 'outgoing' });
      if (to.userId !== null) recipients.push({ recipientUserId: to.userId, role: 'successor' });
      await this.repo.insertNotices(
        trx,
        recipients.map((r) => ({ ...r, handoverId: id, createdAt: now, readAt: null })),
      );
      await this.summaries.recount(trx, [roundUnitId]);
      const after = await this.detail(trx, readScope, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'responsibility_handover.create',
        entity: 'responsibility_handover',
        entityId: id,
        before: measures.map((m) => ({
          id: Number(m.id),
          version: Number(m.version),
          ownerName: m.ownerName,
          ownerUserId: numOrNull(m.ownerUserId),
        })),
        after,
      });
      return after;
    });
  }

  // --- notices ----------------------------------------------------------------------------------

  async notices(actor: Actor, q: Static<typeof NoticeQuery>) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.noticePage(this.ctx.db, actor.userId, { unread: q.unread, before: q.cursor, limit });
    return {
      items: rows.map(toNotice),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async markRead(actor: Actor, audit: AuditContext, id: number) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const n = await this.repo.notice(trx, id);
      if (!n || Number(n.recipientUserId) !== actor.userId) throw notFound();
      if (await this.repo.markRead(trx, id, now))
        await this.ctx.audit.record(trx, audit, {
          action: 'responsibility_handover.notice_read',
          entity: 'responsibility_handover_notice',
          entityId: id,
          after: { readAt: now },
        });
      return toNotice((await this.repo.notice(trx, id))!);
    });
  }
}
