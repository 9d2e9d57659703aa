import type { Static } from 'typebox';
import { addDays, shanghaiDate } from '../../../../domain/calendar.js';
import { fenToYuan } from '../../../../domain/money.js';
import { rectificationRate, unitLight } from '../../../../domain/rectification.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { type PreparedJson, prepareJson } from '../../platform/encoding.js';
import { AppError, notFound, stale } from '../../platform/errors.js';
import { FiguresCache, scopeKey } from './figures.cache.js';
import { decodeCursor, encodeCursor, measureLight, toCampaign } from './ledger.mappers.js';
import type {
  CreateCampaign,
  FiguresQuery,
  LedgerQuery,
  UnitFigures,
  UnitsQuery,
  UpdateCampaign,
} from './ledger.schemas.js';
import type { LedgerService } from './ledger.service.js';
import { type FigureFilter, type LedgerSort, type LedgerSqlRow, SheetRepository } from './sheet.repository.js';
import { SummaryRepository } from './summaries.repository.js';

const DAY_MS = 86_400_000;

/** The ledger sheet (整改台账), the dashboard's figures (数着改) and campaigns (一盘棋). */
export class SheetService {
  private readonly repo: SheetRepository;
  private readonly summaries = new SummaryRepository();
  private readonly unitFigures = new FiguresCache<{ items: Static<typeof UnitFigures>[]; body: PreparedJson }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: LedgerService,
  ) {
    this.repo = new SheetRepository(ctx.dialect);
  }

  /** Today in Asia/Shanghai and the last day of the reminder window (黄灯). */
  private async days() {
    const today = shanghaiDate(this.ctx.clock.now());
    const { reminderDaysBefore } = await this.ctx.settings.get('system.general');
    return { today, soon: addDays(today, reminderDaysBefore) };
  }

  async page(actor: Actor, q: Static<typeof LedgerQuery>) {
    const scope = await this.ledger.readScope(actor);
    const sort: LedgerSort = q.sort ?? 'id';
    const order = q.order ?? 'asc';
    const limit = q.limit ?? 50;
    const after = q.after ? decodeCursor(q.after, sort, order) : null;
    const { today, soon } = await this.days();
    const filter = {
      termId: q.termId,
      roundId: q.roundId,
      roundUnitId: q.roundUnitId,
      unitOrgId: q.unitOrgId,
      categoryCode: q.categoryCode,
      status: q.status,
      type: q.type,
      overdue: q.overdue,
      ownerUserId: q.ownerUserId,
      q: q.q?.trim() || undefined,
      scope,
      today,
    };
    const [rows, total] = await Promise.all([
      this.repo.page(this.ctx.db, filter, sort, order, after, limit),
      this.repo.total(this.ctx.db, filter),
    ]);
    const items = rows.map((r) => this.row(r, today, soon));
    const last = rows[rows.length - 1];
    const sortValue = (r: LedgerSqlRow) =>
      sort === 'id'
        ? Number(r.id)
        : sort === 'unit'
          ? Number(r.unitOrgId)
          : sort === 'status'
            ? r.status
            : r.effectiveDeadline;
    return {
      items,
      nextCursor: rows.length === limit && last ? encodeCursor(sort, order, sortValue(last), Number(last.id)) : null,
      total,
    };
  }

  private row(r: LedgerSqlRow, today: string, soon: string) {
    const people: [string, string][] =
      typeof r.responsibles === 'string' ? JSON.parse(r.responsibles) : (r.responsibles ?? []);
    const isDone = !!Number(r.isDone);
    return {
      id: Number(r.id),
      problemId: Number(r.problemId),
      roundUnitId: Number(r.roundUnitId),
      roundId: Number(r.roundId),
      termId: Number(r.termId),
      unitOrgId: Number(r.unitOrgId),
      categoryCode: r.categoryCode,
      seq: Number(r.seq),
      content: r.content,
      type: r.type,
      status: r.status,
      isDone,
      deadline: r.deadline,
      extendedDeadline: r.extendedDeadline,
      effectiveDeadline: r.effectiveDeadline,
      ownerName: r.ownerName,
      ownerUserId: r.ownerUserId === null ? null : Number(r.ownerUserId),
      completedOn: r.completedOn,
      rulesEstablished: Number(r.rulesEstablished),
      fundsReturned: fenToYuan(r.fundsReturnedFen),
      lossesRecovered: fenToYuan(r.lossesRecoveredFen),
      peopleHeldAccountable: Number(r.peopleHeldAccountable),
      casesFiled: Number(r.casesFiled),
      lastProgressAt: r.lastProgressAt === null ? null : Number(r.lastProgressAt),
      version: Number(r.version),
      createdAt: Number(r.createdAt),
      updatedAt: Number(r.updatedAt),
      problemNumber: r.problemNumber,
      problemSeq: Number(r.problemSeq),
      problemDescription: r.problemDescription,
      severity: r.severity,
      source: r.source,
      campaignId: r.campaignId === null ? null : Number(r.campaignId),
      responsibleLeader: r.responsibleLeader,
      responsibleDepartment: r.responsibleDepartment,
      responsiblePerson: r.responsiblePerson,
      firstResponsible: people.find(([, duty]) => duty === 'first')?.[0] ?? null,
      sharedResponsibles: people.filter(([, duty]) => duty === 'shared').map(([name]) => name),
      unitName: r.unitName,
      roundName: r.roundName,
      ...measureLight({ isDone, deadline: r.deadline, effectiveDeadline: r.effectiveDeadline }, today, soon),
    };
  }

  // --- figures ----------------------------------------------------------------------------------

  async figures(actor: Actor, q: Static<typeof FiguresQuery>) {
    const scope = await this.ledger.readScope(actor);
    const { today } = await this.days();
    const f = { ...q, scope };
    const [s, overdue] = await Promise.all([
      scope.lines?.size
        ? this.repo.summaryFigures(this.ctx.db, f)
        : this.summaries.figures(this.ctx.db, { ...q, orgIds: scope.orgIds }),
      this.repo.overdueCount(this.ctx.db, f, today),
    ]);
    return {
      units: s.units,
      problems: s.problems,
      rectifiedProblems: s.rectifiedProblems,
      measures: s.measures,
      doneMeasures: s.doneMeasures,
      closedMeasures: s.closedMeasures,
      rectificationRate: rectificationRate(s.doneMeasures, s.measures),
      closureRate: rectificationRate(s.closedMeasures, s.measures),
      problemRectificationRate: rectificationRate(s.rectifiedProblems, s.problems),
      rulesEstablished: s.rulesEstablished,
      fundsReturned: fenToYuan(s.fundsReturnedFen),
      lossesRecovered: fenToYuan(s.lossesRecoveredFen),
      peopleHeldAccountable: s.peopleHeldAccountable,
      casesFiled: s.casesFiled,
      overdue,
    };
  }

  /**
   * Per-unit figures and the 红黄绿 light, for the leader's home page. Computed over the term's open
   * measures, then answered from FiguresCache until a write, the day or a stall changes them.
   */
  async units(actor: Actor, q: Static<typeof UnitsQuery>) {
    return { items: (await this.unitsEntry(actor, q)).items };
  }

  /** The same, as the response body prepared once per entry (JSON text, and gzipped). */
  async unitsBody(actor: Actor, q: Static<typeof UnitsQuery>): Promise<PreparedJson> {
    return (await this.unitsEntry(actor, q)).body;
  }

  private async unitsEntry(actor: Actor, q: Static<typeof UnitsQuery>) {
    const scope = await this.ledger.readScope(actor);
    const { today, soon } = await this.days();
    const { stalledDays } = await this.ctx.settings.get('system.rectification');
    const now = this.ctx.clock.now();
    const f = { termId: q.termId, roundId: q.roundId, scope };
    // The epoch before the figures: a write in between makes the entry older than its epoch says, so
    // the next request computes again; never the other way round.
    const epoch = await this.repo.unitFiguresEpoch(this.ctx.db, f);
    const key = [q.termId ?? '', q.roundId ?? '', today, soon, stalledDays, scopeKey(scope)].join('|');
    return this.unitFigures.get(key, epoch, now, () => this.computeUnits(f, today, soon, now, stalledDays));
  }

  private async computeUnits(f: FigureFilter, today: string, soon: string, now: number, stalledDays: number) {
    const stalledBefore = now - stalledDays * DAY_MS;
    const [units, sums, open] = await Promise.all([
      this.repo.roundUnitOrgs(this.ctx.db, f),
      this.repo.summariesByUnit(this.ctx.db, f),
      this.repo.openByUnit(this.ctx.db, f, today, soon, stalledBefore),
    ]);
    const sumOf = new Map(sums.map((s) => [Number(s.unitOrgId), s]));
    const openOf = new Map(open.map((o) => [Number(o.unitOrgId), o]));
    // The first open measure to stall does so once its last progress is stalledDays old.
    let validUntil = Number.POSITIVE_INFINITY;
    for (const o of open)
      if (o.oldestActive !== null) validUntil = Math.min(validUntil, Number(o.oldestActive) + stalledDays * DAY_MS);
    const items = units.map((u) => {
      const s = sumOf.get(u.unitOrgId);
      const o = openOf.get(u.unitOrgId);
      const measures = Number(s?.measures ?? 0);
      const doneMeasures = Number(s?.doneMeasures ?? 0);
      const overdue = Number(o?.overdue ?? 0);
      const dueSoon = Number(o?.dueSoon ?? 0);
      const stalled = Number(o?.stalled ?? 0);
      return {
        unitOrgId: u.unitOrgId,
        unitName: u.unitName,
        problems: Number(s?.problems ?? 0),
        rectifiedProblems: Number(s?.rectifiedProblems ?? 0),
        measures,
        doneMeasures,
        rectificationRate: rectificationRate(doneMeasures, measures),
        rulesEstablished: Number(s?.rulesEstablished ?? 0),
        fundsReturned: fenToYuan(s?.fundsReturnedFen ?? 0),
        lossesRecovered: fenToYuan(s?.lossesRecoveredFen ?? 0),
        peopleHeldAccountable: Number(s?.peopleHeldAccountable ?? 0),
        casesFiled: Number(s?.casesFiled ?? 0),
        overdue,
        dueSoon,
        stalled,
        light: unitLight(overdue, dueSoon, stalled),
      };
    });
    // A leader's page of a term lists hundreds of units (170 KB at SPEC §4 size): the body is written
    // and gzipped once per entry, not on every request.
    return { value: { items, body: await prepareJson({ items }) }, validUntil };
  }

  // --- campaigns (一盘棋) -----------------------------------------------------------------------

  async campaigns() {
    return { items: (await this.ledger.repo.campaigns(this.ctx.db)).map(toCampaign) };
  }

  async campaign(actor: Actor, id: number) {
    const c = await this.ledger.repo.campaign(this.ctx.db, id);
    if (!c) throw notFound();
    const scope = await this.ledger.readScope(actor);
    const { today } = await this.days();
    const r = await this.repo.campaignFigures(this.ctx.db, id, scope, today);
    const n = (v: number | string | null | undefined) => Number(v ?? 0);
    const measures = n(r.measures);
    const done = n(r.done);
    const problems = n(r.problems);
    const rectified = n(r.rectified);
    return {
      ...toCampaign(c),
      figures: {
        units: n(r.units),
        problems,
        rectifiedProblems: rectified,
        measures,
        doneMeasures: done,
        closedMeasures: n(r.closed),
        rectificationRate: rectificationRate(done, measures),
        closureRate: rectificationRate(n(r.closed), measures),
        problemRectificationRate: rectificationRate(rectified, problems),
        rulesEstablished: n(r.rules),
        fundsReturned: fenToYuan(r.funds ?? 0),
        lossesRecovered: fenToYuan(r.losses ?? 0),
        peopleHeldAccountable: n(r.people),
        casesFiled: n(r.cases),
        overdue: n(r.overdue),
      },
    };
  }

  async createCampaign(actor: Actor, audit: AuditContext, input: Static<typeof CreateCampaign>) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (input.categoryCode && !(await this.ledger.repo.activeCategory(trx, input.categoryCode)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'categoryCode' });
      const name = input.name.trim();
      if (!name) throw new AppError(400, 'VALIDATION_FAILED', { detail: 'name is required' });
      const row = {
        name,
        categoryCode: input.categoryCode ?? null,
        description: input.description?.trim() || null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const id = await this.ledger.repo.insertCampaign(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.campaign.create',
        entity: 'campaign',
        entityId: id,
        after: row,
      });
      void actor;
      return toCampaign((await this.ledger.repo.campaign(trx, id))!);
    });
  }

  async updateCampaign(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateCampaign>) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.ledger.repo.campaign(trx, id);
      if (!before) throw notFound();
      if (Number(before.version) !== input.version) throw stale(toCampaign(before));
      const patch: Record<string, unknown> = { updatedAt: now };
      if (input.name !== undefined) {
        patch.name = input.name.trim();
        if (!patch.name) throw new AppError(400, 'VALIDATION_FAILED', { detail: 'name is required' });
      }
      if (input.categoryCode !== undefined) {
        if (
          input.categoryCode &&
          input.categoryCode !== before.categoryCode &&
          !(await this.ledger.repo.activeCategory(trx, input.categoryCode))
        )
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'categoryCode' });
        patch.categoryCode = input.categoryCode;
      }
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      if (!(await this.ledger.repo.updateCampaign(trx, id, input.version, patch)))
        throw stale(toCampaign((await this.ledger.repo.campaign(trx, id))!));
      const after = toCampaign((await this.ledger.repo.campaign(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'ledger.campaign.update',
        entity: 'campaign',
        entityId: id,
        before: toCampaign(before),
        after,
      });
      void actor;
      return after;
    });
  }
}
