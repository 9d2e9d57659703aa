import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import { canTransition } from '../../../../domain/rectification.js';
import {
  DISPATCH_ITEM_TRANSITIONS,
  type DispatchItemStatus,
  dispatchOrderStatus,
  documentNumber,
  hasDocument,
  SUPERVISION_ACTION_TRANSITIONS,
  SUPERVISION_DOCUMENTS,
  type SupervisionActionStatus,
} from '../../../../domain/supervision.js';
import type { DB } from '../../db/types.js';
import { inScope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { requireRoundUnitFiles } from '../evidence/evidence.checks.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { type Executor, LedgerRepository } from '../ledger/ledger.repository.js';
import { type ReadScope, readScopeOf, visibleUnits } from '../ledger/ledger.scope.js';
import { buildDocx } from './supervision.docx.js';
import { toAction, toItem, toMilestone, toOrder, toPlan } from './supervision.mappers.js';
import { SupervisionRepository } from './supervision.repository.js';
import type {
  ActionQuery,
  AddMilestone,
  AnswerItem,
  CloseAction,
  CreateAction,
  CreateOrder,
  CreatePlan,
  MilestoneDone,
  OrderQuery,
  PlanQuery,
  RespondAction,
  ReturnItem,
  ReviewItem,
  UpdateMilestone,
  UpdatePlan,
} from './supervision.schemas.js';

type Trx = Transaction<DB>;
type ActionRow = NonNullable<Awaited<ReturnType<SupervisionRepository['action']>>>;

/** A real calendar date, or 400 SUPERVISION_DATE_INVALID naming the field. */
function checkDate(field: string, value: string | null | undefined) {
  if (value !== null && value !== undefined && !isValidDate(value))
    throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: `${field} ${value}` });
}

function nonBlank(field: string, value: string): string {
  const v = value.trim();
  if (!v) throw invalid(`${field} is required`);
  return v;
}

/** "关于…的督办单": the document's heading from the action's title. */
function documentTitle(title: string, docTitle: string): string {
  const t = title.trim();
  if (t.endsWith(docTitle)) return t;
  return t.startsWith('关于') ? `${t}的${docTitle}` : `关于${t}的${docTitle}`;
}

/**
 * Day-to-day supervision (SPEC M8). A supervising body plans, acts on and dispatches to the units it
 * liaises with (and, where its link names categories, acts on problems and measures of its line
 * only); the office does so for every unit. The leadership reads all; the 党风政风室 and the 督查室
 * read what concerns their own organisation (ROLE_SCOPE 'own'); a unit reads what is addressed to it
 * and answers. Every write is one transaction with its audit record.
 */
export class SupervisionService {
  readonly repo: SupervisionRepository;
  private readonly ledgerRepo: LedgerRepository;
  private readonly evidence = new EvidenceRepository();

  constructor(private readonly ctx: AppContext) {
    this.repo = new SupervisionRepository(ctx.dialect);
    this.ledgerRepo = new LedgerRepository(ctx.dialect);
  }

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  readScope(actor: Actor): Promise<ReadScope> {
    return readScopeOf(this.ctx.db, this.ledgerRepo, actor);
  }

  // --- access ---------------------------------------------------------------------------------

  /**
   * May the caller issue plans, actions and orders for this unit? The office for any organisation;
   * a supervisor for a unit it has a liaison link with (`categories`: its line there, null = all).
   * Anything else reads as an unknown unit (400), never as a hint that the unit exists.
   */
  private async issuerFor(db: Executor, actor: Actor, unitOrgId: number) {
    const unit = await this.repo.organisation(db, unitOrgId);
    if (unit && Number(unit.active) === 1) {
      if (actor.role === 'office') return { unit, categories: null as string[] | null };
      if (actor.role === 'supervisor' && unitOrgId !== actor.orgId) {
        const link = await this.repo.link(db, unitOrgId, actor.orgId);
        if (link)
          return {
            unit,
            categories: link.categories === null ? null : link.categories.split(',').map((c) => c.trim()),
          };
      }
    }
    throw new AppError(400, 'SUPERVISION_UNIT_UNKNOWN');
  }

  /** Only the issuing organisation (or the office) changes a plan, closes an action, reviews an answer. */
  private assertIssuer(actor: Actor, supervisorOrgId: number) {
    if (actor.role === 'office') return;
    if (actor.role === 'supervisor' && actor.orgId === Number(supervisorOrgId)) return;
    throw new AppError(403, 'SUPERVISION_NOT_ISSUER');
  }

  private unitVisible(scope: ReadScope, unitOrgId: number) {
    const units = visibleUnits(scope);
    return !units || units.has(Number(unitOrgId));
  }

  private actionVisible(scope: ReadScope, a: Pick<ActionRow, 'unitOrgId' | 'targetType' | 'categoryCode'>) {
    if (!scope.orgIds || scope.orgIds.has(Number(a.unitOrgId))) return true;
    const line = scope.lines?.get(Number(a.unitOrgId));
    if (!line) return false;
    return a.targetType === 'unit' || (a.categoryCode !== null && line.includes(a.categoryCode));
  }

  private async checkRoundUnit(db: Executor, unitOrgId: number, roundUnitId: number | null | undefined) {
    if (roundUnitId === null || roundUnitId === undefined) return null;
    const ru = await this.repo.roundUnit(db, roundUnitId);
    if (!ru || Number(ru.unitOrgId) !== unitOrgId) throw new AppError(400, 'SUPERVISION_ROUND_UNIT_MISMATCH');
    return Number(ru.id);
  }

  private async files(db: Executor, roundUnitId: number | null, fileIds: readonly number[] | undefined) {
    if (!fileIds?.length) return [];
    if (roundUnitId === null) throw new AppError(400, 'SUPERVISION_FILES_NOT_ALLOWED');
    const rows = await requireRoundUnitFiles(db, this.evidence, roundUnitId, fileIds);
    return rows.map((f) => Number(f.id));
  }

  // --- plans ----------------------------------------------------------------------------------

  private async planView(db: Executor, id: number) {
    const row = await this.repo.plan(db, id);
    if (!row) throw notFound();
    const today = this.today();
    const ms = (await this.repo.milestonesOf(db, [id])).map((m) => toMilestone(m, today));
    return toPlan(row, ms);
  }

  async getPlan(actor: Actor, id: number) {
    const scope = await this.readScope(actor);
    const row = await this.repo.plan(this.ctx.db, id);
    if (!row || !this.unitVisible(scope, row.unitOrgId)) throw notFound();
    return this.planView(this.ctx.db, id);
  }

  async planPage(actor: Actor, q: Static<typeof PlanQuery>) {
    const scope = await this.readScope(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.planPage(this.ctx.db, {
      scope,
      unitOrgId: q.unitOrgId,
      supervisorOrgId: q.supervisorOrgId,
      before: q.cursor,
      limit,
    });
    const today = this.today();
    const ms = await this.repo.milestonesOf(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    return {
      items: rows.map((r) =>
        toPlan(
          r,
          ms.filter((m) => Number(m.planId) === Number(r.id)).map((m) => toMilestone(m, today)),
        ),
      ),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async createPlan(actor: Actor, audit: AuditContext, input: Static<typeof CreatePlan>) {
    const title = nonBlank('title', input.title);
    checkDate('startDate', input.startDate);
    checkDate('endDate', input.endDate);
    if (input.startDate && input.endDate && input.endDate < input.startDate)
      throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: 'endDate before startDate' });
    const milestones = (input.milestones ?? []).map((m, i) => {
      checkDate(`milestones.${i}.dueDate`, m.dueDate);
      return { title: nonBlank(`milestones.${i}.title`, m.title), dueDate: m.dueDate };
    });
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.issuerFor(trx, actor, input.unitOrgId);
      const roundUnitId = await this.checkRoundUnit(trx, input.unitOrgId, input.roundUnitId);
      const id = await this.repo.insertPlan(trx, {
        supervisorOrgId: actor.orgId,
        unitOrgId: input.unitOrgId,
        roundUnitId,
        title,
        content: input.content?.trim() ?? '',
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.insertMilestones(
        trx,
        milestones.map((m) => ({
          planId: id,
          ...m,
          doneDate: null,
          doneNote: null,
          doneBy: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      const after = await this.planView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.plan.create',
        entity: 'supervision_plan',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /** The plan for a write: 404 unless the caller reads it, 403 unless it issued it (or is the office). */
  private async planForWrite(trx: Trx, actor: Actor, id: number) {
    const scope = await readScopeOf(trx, this.ledgerRepo, actor);
    const row = await this.repo.plan(trx, id);
    if (!row || !this.unitVisible(scope, row.unitOrgId)) throw notFound();
    this.assertIssuer(actor, row.supervisorOrgId);
    return row;
  }

  async updatePlan(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdatePlan>) {
    checkDate('startDate', input.startDate);
    checkDate('endDate', input.endDate);
    const title = input.title === undefined ? undefined : nonBlank('title', input.title);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.planForWrite(trx, actor, id);
      const before = await this.planView(trx, id);
      if (before.version !== input.version) throw stale(before);
      const startDate = input.startDate === undefined ? before.startDate : input.startDate;
      const endDate = input.endDate === undefined ? before.endDate : input.endDate;
      if (startDate && endDate && endDate < startDate)
        throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: 'endDate before startDate' });
      const roundUnitId =
        input.roundUnitId === undefined
          ? before.roundUnitId
          : await this.checkRoundUnit(trx, Number(row.unitOrgId), input.roundUnitId);
      const ok = await this.repo.updatePlan(trx, id, input.version, {
        title: title ?? before.title,
        content: input.content === undefined ? before.content : input.content.trim(),
        startDate,
        endDate,
        roundUnitId,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.planView(trx, id));
      const after = await this.planView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.plan.update',
        entity: 'supervision_plan',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async addMilestone(actor: Actor, audit: AuditContext, planId: number, input: Static<typeof AddMilestone>) {
    const title = nonBlank('title', input.title);
    checkDate('dueDate', input.dueDate);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.planForWrite(trx, actor, planId);
      if ((await this.repo.countMilestones(trx, planId)) >= 200) throw invalid('a plan has at most 200 milestones');
      const [id] = await this.repo.insertMilestones(trx, [
        {
          planId,
          title,
          dueDate: input.dueDate,
          doneDate: null,
          doneNote: null,
          doneBy: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
      ]);
      const after = await this.planView(trx, planId);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.milestone.create',
        entity: 'supervision_milestone',
        entityId: id,
        after: after.milestones.find((m) => m.id === id),
      });
      return after;
    });
  }

  private async milestoneForWrite(trx: Trx, actor: Actor, id: number) {
    const m = await this.repo.milestone(trx, id);
    if (!m) throw notFound();
    await this.planForWrite(trx, actor, Number(m.planId));
    return toMilestone(m, this.today());
  }

  async updateMilestone(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateMilestone>) {
    checkDate('dueDate', input.dueDate);
    const title = input.title === undefined ? undefined : nonBlank('title', input.title);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.milestoneForWrite(trx, actor, id);
      if (before.version !== input.version) throw stale(before);
      const ok = await this.repo.updateMilestone(trx, id, input.version, {
        title: title ?? before.title,
        dueDate: input.dueDate ?? before.dueDate,
        updatedAt: now,
      });
      if (!ok) throw stale(toMilestone((await this.repo.milestone(trx, id))!, this.today()));
      const after = await this.planView(trx, before.planId);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.milestone.update',
        entity: 'supervision_milestone',
        entityId: id,
        before,
        after: after.milestones.find((m) => m.id === id),
      });
      return after;
    });
  }

  async milestoneDone(actor: Actor, audit: AuditContext, id: number, input: Static<typeof MilestoneDone>) {
    const today = this.today();
    const doneDate = input.doneDate ?? today;
    checkDate('doneDate', doneDate);
    if (doneDate > today) throw new AppError(400, 'SUPERVISION_DATE_INVALID', { detail: 'doneDate after today' });
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.milestoneForWrite(trx, actor, id);
      if (before.version !== input.version) throw stale(before);
      if (before.doneDate) throw new AppError(409, 'INVALID_TRANSITION', { from: 'done', to: 'done' });
      const ok = await this.repo.updateMilestone(trx, id, input.version, {
        doneDate,
        doneNote: input.note?.trim() || null,
        doneBy: actor.userId,
        updatedAt: now,
      });
      if (!ok) throw stale(toMilestone((await this.repo.milestone(trx, id))!, today));
      const after = await this.planView(trx, before.planId);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.milestone.done',
        entity: 'supervision_milestone',
        entityId: id,
        before,
        after: after.milestones.find((m) => m.id === id),
      });
      return after;
    });
  }

  // --- actions --------------------------------------------------------------------------------

  private async actionView(db: Executor, id: number) {
    const row = await this.repo.action(db, id);
    if (!row) throw notFound();
    return toAction(row, this.today());
  }

  private async readableAction(db: Executor, actor: Actor, id: number) {
    const scope = await readScopeOf(db, this.ledgerRepo, actor);
    const row = await this.repo.action(db, id);
    if (!row || !this.actionVisible(scope, row)) throw notFound();
    return row;
  }

  async getAction(actor: Actor, id: number) {
    return toAction(await this.readableAction(this.ctx.db, actor, id), this.today());
  }

  async actionPage(actor: Actor, q: Static<typeof ActionQuery>) {
    const scope = await this.readScope(actor);
    const limit = q.limit ?? 50;
    const today = this.today();
    const rows = await this.repo.actionPage(this.ctx.db, {
      scope,
      kind: q.kind,
      status: q.status,
      unitOrgId: q.unitOrgId,
      overdue: q.overdue,
      today,
      before: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => toAction(r, today)),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async createAction(actor: Actor, audit: AuditContext, input: Static<typeof CreateAction>) {
    const title = nonBlank('title', input.title);
    const content = nonBlank('content', input.content);
    checkDate('actionDate', input.actionDate);
    checkDate('responseDeadline', input.responseDeadline);
    if (input.responseRequired) {
      if (!input.responseDeadline || input.responseDeadline < input.actionDate)
        throw new AppError(400, 'SUPERVISION_DEADLINE_REQUIRED');
    } else if (input.responseDeadline) throw invalid('responseDeadline is only for a required response');
    if (input.targetType === 'unit' && (input.problemId || input.measureId))
      throw invalid('a unit target names no problem or measure');
    if (input.targetType === 'problem' && (!input.problemId || input.measureId))
      throw invalid('a problem target names problemId only');
    if (input.targetType === 'measure' && !input.measureId) throw invalid('a measure target names measureId');
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { categories } = await this.issuerFor(trx, actor, input.unitOrgId);
      let problemId: number | null = null;
      let measureId: number | null = null;
      let roundUnitId = await this.checkRoundUnit(trx, input.unitOrgId, input.roundUnitId);
      if (input.targetType !== 'unit') {
        const target =
          input.targetType === 'problem'
            ? await this.repo.problem(trx, input.problemId!)
            : await this.repo.measure(trx, input.measureId!);
        const m = input.targetType === 'measure' ? await this.repo.measure(trx, input.measureId!) : undefined;
        if (
          !target ||
          Number(target.unitOrgId) !== input.unitOrgId ||
          (categories !== null && !categories.includes(target.categoryCode)) ||
          (m && input.problemId !== undefined && Number(m.problemId) !== input.problemId)
        )
          throw new AppError(400, 'SUPERVISION_TARGET_UNKNOWN');
        if (roundUnitId !== null && roundUnitId !== Number(target.roundUnitId))
          throw new AppError(400, 'SUPERVISION_ROUND_UNIT_MISMATCH');
        roundUnitId = Number(target.roundUnitId);
        problemId = m ? Number(m.problemId) : Number(target.id);
        measureId = m ? Number(m.id) : null;
      }
      let planId: number | null = null;
      if (input.planId !== undefined) {
        const plan = await this.repo.plan(trx, input.planId);
        if (!plan || Number(plan.unitOrgId) !== input.unitOrgId) throw new AppError(400, 'SUPERVISION_PLAN_UNKNOWN');
        planId = Number(plan.id);
      }
      let doc = { docYear: null as number | null, docSeq: null as number | null, docNumber: null as string | null };
      const spec = hasDocument(input.kind) ? SUPERVISION_DOCUMENTS[input.kind] : undefined;
      if (spec) {
        // The issuer's row lock serialises its numbering (文号 per issuer, kind and year).
        const issuer = (await this.repo.organisation(trx, actor.orgId, true))!;
        const year = Number(input.actionDate.slice(0, 4));
        const seq = await this.repo.nextDocSeq(trx, actor.orgId, input.kind, year);
        doc = {
          docYear: year,
          docSeq: seq,
          docNumber: documentNumber(issuer.shortName || issuer.name, spec.abbreviation, year, seq),
        };
      }
      const id = await this.repo.insertAction(trx, {
        kind: input.kind,
        supervisorOrgId: actor.orgId,
        unitOrgId: input.unitOrgId,
        targetType: input.targetType,
        problemId,
        measureId,
        roundUnitId,
        planId,
        actionDate: input.actionDate,
        title,
        content,
        responseRequired: input.responseRequired ? 1 : 0,
        responseDeadline: input.responseDeadline ?? null,
        status: 'open',
        responseText: null,
        responseFileIds: '[]',
        respondedBy: null,
        respondedAt: null,
        closedBy: null,
        closedAt: null,
        closeNote: null,
        ...doc,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const after = await this.actionView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.action.create',
        entity: 'supervision_action',
        entityId: id,
        after,
      });
      return after;
    });
  }

  private transition(from: string, to: SupervisionActionStatus) {
    if (!canTransition(SUPERVISION_ACTION_TRANSITIONS, from as SupervisionActionStatus, to))
      throw new AppError(409, 'INVALID_TRANSITION', { from, to });
  }

  /** The unit answers (its liaison or head): text and evidence files of the action's round-unit. */
  async respond(actor: Actor, audit: AuditContext, id: number, input: Static<typeof RespondAction>) {
    const text = nonBlank('text', input.text);
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.repo.action(trx, id);
      if (!row || !inScope(scope, row.unitOrgId)) throw notFound();
      const before = toAction(row, this.today());
      if (before.version !== input.version) throw stale(before);
      this.transition(before.status, 'responded');
      const fileIds = await this.files(trx, before.roundUnitId, input.fileIds);
      const ok = await this.repo.updateAction(trx, id, input.version, {
        status: 'responded',
        responseText: text,
        responseFileIds: JSON.stringify(fileIds),
        respondedBy: actor.userId,
        respondedAt: now,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.actionView(trx, id));
      const after = await this.actionView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.action.respond',
        entity: 'supervision_action',
        entityId: id,
        before: { status: before.status, version: before.version },
        after: { status: after.status, version: after.version, responseText: text, responseFileIds: fileIds },
      });
      return after;
    });
  }

  async close(actor: Actor, audit: AuditContext, id: number, input: Static<typeof CloseAction>) {
    const note = nonBlank('note', input.note);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.readableAction(trx, actor, id);
      this.assertIssuer(actor, row.supervisorOrgId);
      const before = toAction(row, this.today());
      if (before.version !== input.version) throw stale(before);
      this.transition(before.status, 'closed');
      const ok = await this.repo.updateAction(trx, id, input.version, {
        status: 'closed',
        closedBy: actor.userId,
        closedAt: now,
        closeNote: note,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.actionView(trx, id));
      const after = await this.actionView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.action.close',
        entity: 'supervision_action',
        entityId: id,
        before: { status: before.status, version: before.version, overdue: before.overdue },
        after: { status: after.status, version: after.version, closeNote: note },
      });
      return after;
    });
  }

  /** 督办单 / 监察建议书 as a .docx; the download is audited. */
  async document(actor: Actor, audit: AuditContext, id: number) {
    const a = toAction(await this.readableAction(this.ctx.db, actor, id), this.today());
    const spec = hasDocument(a.kind) ? SUPERVISION_DOCUMENTS[a.kind] : undefined;
    if (!spec || !a.docNumber) throw new AppError(409, 'SUPERVISION_NO_DOCUMENT');
    const bytes = await buildDocx(
      {
        issuer: a.supervisorName,
        docNumber: a.docNumber,
        title: documentTitle(a.title, spec.title),
        addressee: a.unitName,
        body: a.content,
        responseDeadline: a.responseRequired ? a.responseDeadline : null,
        date: a.actionDate,
      },
      new Date(a.createdAt),
    );
    await this.ctx.audit.recordAlone(audit, {
      action: 'supervision.action.document',
      entity: 'supervision_action',
      entityId: id,
      after: { kind: a.kind, docNumber: a.docNumber, size: bytes.length },
    });
    return { bytes, name: `${spec.title}-${a.docNumber}.docx`, ascii: `supervision-${a.id}.docx` };
  }

  // --- dispatch orders (主体责任派单) -----------------------------------------------------------

  private async orderView(db: Executor, id: number) {
    const row = await this.repo.order(db, id);
    if (!row) throw notFound();
    const today = this.today();
    return toOrder(
      row,
      (await this.repo.itemsOf(db, [id])).map((i) => toItem(i, today)),
    );
  }

  async getOrder(actor: Actor, id: number) {
    const scope = await this.readScope(actor);
    const row = await this.repo.order(this.ctx.db, id);
    if (!row || !this.unitVisible(scope, row.unitOrgId)) throw notFound();
    return this.orderView(this.ctx.db, id);
  }

  async orderPage(actor: Actor, q: Static<typeof OrderQuery>) {
    const scope = await this.readScope(actor);
    const limit = q.limit ?? 50;
    const today = this.today();
    const rows = await this.repo.orderPage(this.ctx.db, {
      scope,
      status: q.status,
      unitOrgId: q.unitOrgId,
      overdue: q.overdue,
      today,
      before: q.cursor,
      limit,
    });
    const items = await this.repo.itemsOf(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    return {
      items: rows.map((r) =>
        toOrder(
          r,
          items.filter((i) => Number(i.orderId) === Number(r.id)).map((i) => toItem(i, today)),
        ),
      ),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async createOrder(actor: Actor, audit: AuditContext, input: Static<typeof CreateOrder>) {
    const title = nonBlank('title', input.title);
    checkDate('deadline', input.deadline);
    const items = input.items.map((it, i) => {
      checkDate(`items.${i}.deadline`, it.deadline);
      const deadline = it.deadline ?? input.deadline;
      if (deadline > input.deadline) throw new AppError(400, 'DISPATCH_ITEM_DEADLINE_INVALID');
      return { content: nonBlank(`items.${i}.content`, it.content), deadline };
    });
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { unit } = await this.issuerFor(trx, actor, input.unitOrgId);
      const roundUnitId = await this.checkRoundUnit(trx, input.unitOrgId, input.roundUnitId);
      const id = await this.repo.insertOrder(trx, {
        supervisorOrgId: actor.orgId,
        unitOrgId: input.unitOrgId,
        roundUnitId,
        addressee: input.addressee?.trim() || unit.name,
        title,
        content: input.content?.trim() ?? '',
        deadline: input.deadline,
        status: 'open',
        doneAt: null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.insertItems(
        trx,
        items.map((it, i) => ({
          orderId: id,
          seq: i + 1,
          ...it,
          status: 'pending',
          answerText: null,
          answerFileIds: '[]',
          answeredBy: null,
          answeredAt: null,
          reviewedBy: null,
          reviewedAt: null,
          reviewNote: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      const after = await this.orderView(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.dispatch.create',
        entity: 'dispatch_order',
        entityId: id,
        after,
      });
      return after;
    });
  }

  /** The order (locked) and one of its items; 404 when either is missing or the item is another order's. */
  private async lockedItem(trx: Trx, orderId: number, itemId: number) {
    await this.repo.lockOrder(trx, orderId);
    const order = await this.repo.order(trx, orderId);
    const item = await this.repo.item(trx, itemId);
    if (!order || !item || Number(item.orderId) !== orderId) throw notFound();
    return { order, item: toItem(item, this.today()) };
  }

  private itemTransition(from: string, to: DispatchItemStatus) {
    if (!canTransition(DISPATCH_ITEM_TRANSITIONS, from as DispatchItemStatus, to))
      throw new AppError(409, 'INVALID_TRANSITION', { from, to });
  }

  /** The unit answers one item: text and evidence files of the order's round-unit. */
  async answerItem(
    actor: Actor,
    audit: AuditContext,
    orderId: number,
    itemId: number,
    input: Static<typeof AnswerItem>,
  ) {
    const text = nonBlank('text', input.text);
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.order(trx, orderId);
      if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
      const { order, item } = await this.lockedItem(trx, orderId, itemId);
      if (item.version !== input.version) throw stale(item);
      this.itemTransition(item.status, 'answered');
      const fileIds = await this.files(
        trx,
        order.roundUnitId === null ? null : Number(order.roundUnitId),
        input.fileIds,
      );
      const ok = await this.repo.updateItem(trx, itemId, input.version, {
        status: 'answered',
        answerText: text,
        answerFileIds: JSON.stringify(fileIds),
        answeredBy: actor.userId,
        answeredAt: now,
        updatedAt: now,
      });
      if (!ok) throw stale(toItem((await this.repo.item(trx, itemId))!, this.today()));
      const after = await this.orderView(trx, orderId);
      await this.ctx.audit.record(trx, audit, {
        action: 'supervision.dispatch.answer',
        entity: 'dispatch_item',
        entityId: itemId,
        before: { orderId, status: item.status, version: item.version, overdue: item.overdue },
        after: { orderId, status: 'answered', version: item.version + 1, answerText: text, answerFileIds: fileIds },
      });
      return after;
    });
  }

  /** The sender accepts an answer (the order is done when every item is accepted) or returns it with the reason. */
  async reviewItem(
    actor: Actor,
    audit: AuditContext,
    orderId: number,
    itemId: number,
    decision: 'accepted' | 'returned',
    input: Static<typeof ReviewItem> | Static<typeof ReturnItem>,
  ) {
    const note = input.note?.trim() || null;
    if (decision === 'returned' && !note) throw invalid('note is required to return an answer');
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const scope = await readScopeOf(trx, this.ledgerRepo, actor);
      const first = await this.repo.order(trx, orderId);
      if (!first || !this.unitVisible(scope, first.unitOrgId)) throw notFound();
      this.assertIssuer(actor, first.supervisorOrgId);
      const { order, item } = await this.lockedItem(trx, orderId, itemId);
      if (item.version !== input.version) throw stale(item);
      this.itemTransition(item.status, decision);
      const ok = await this.repo.updateItem(trx, itemId, input.version, {
        status: decision,
        reviewedBy: actor.userId,
        reviewedAt: now,
        reviewNote: note,
        updatedAt: now,
      });
      if (!ok) throw stale(toItem((await this.repo.item(trx, itemId))!, this.today()));
      const status = dispatchOrderStatus(await this.repo.itemsOf(trx, [orderId]));
      if (status !== order.status) {
        const moved = await this.repo.updateOrder(trx, orderId, Number(order.version), {
          status,
          doneAt: status === 'done' ? now : null,
          updatedAt: now,
        });
        if (!moved) throw stale(await this.orderView(trx, orderId));
      }
      const after = await this.orderView(trx, orderId);
      await this.ctx.audit.record(trx, audit, {
        action: decision === 'accepted' ? 'supervision.dispatch.accept' : 'supervision.dispatch.return',
        entity: 'dispatch_item',
        entityId: itemId,
        before: { orderId, status: item.status, version: item.version, orderStatus: order.status },
        after: { orderId, status: decision, version: item.version + 1, note, orderStatus: after.status },
      });
      return after;
    });
  }
}
