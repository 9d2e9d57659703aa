import type { Static } from 'typebox';
import { addDays, shanghaiDate } from '../../../../domain/calendar.js';
import {
  addMonthsTo,
  type BoardFilter,
  buildTrend,
  compareUnits,
  drillAll,
  drillDone,
  drillOverdue,
  drillStatus,
  TREND_AHEAD_MONTHS,
  TREND_MAX_MONTHS,
} from '../../../../domain/dashboard.js';
import { MEASURE_STATUSES, rectificationRate, unitLight } from '../../../../domain/rectification.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { type PreparedJson, prepareJson } from '../../platform/encoding.js';
import { FiguresCache, scopeKey } from '../ledger/figures.cache.js';
import type { ReadScope } from '../ledger/ledger.scope.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { SheetRepository } from '../ledger/sheet.repository.js';
import { SheetService } from '../ledger/sheet.service.js';
import { DashboardRepository } from './dashboard.repository.js';
import type { BoardQuery } from './dashboard.schemas.js';

const DAY_MS = 86_400_000;

/**
 * 数着改 (SPEC M14): the headline figures (the ledger's own, from SheetService.figures), the
 * breakdowns by status and category, the unit ranking with its 红黄绿 lights and the trend, all in
 * the caller's scope (the ledger's readScope: office/leader everything, a supervisor its liaised
 * units and line, a unit itself). Each number carries the ledger filters that list its rows.
 */
export class DashboardService {
  private readonly repo = new DashboardRepository();
  private readonly sheetRepo: SheetRepository;
  private readonly kept = new FiguresCache<Awaited<ReturnType<DashboardService['compute']>>['value']>();
  private readonly ledger: LedgerService;
  private readonly sheet: SheetService;

  constructor(private readonly ctx: AppContext) {
    this.ledger = new LedgerService(ctx);
    this.sheet = new SheetService(ctx, this.ledger);
    this.sheetRepo = new SheetRepository(ctx.dialect);
  }

  /**
   * The board, computed over the ledger's counters and measures, then kept (a FiguresCache: the same rule
   * as /dashboard/units: valid while the round-units' epoch, the day and the next stall allow), so a
   * 大屏 refreshing every few seconds costs one computation per write, not one per refresh. Answers
   * the response body, prepared once per entry (JSON text, and gzipped).
   */
  async boardBody(actor: Actor, q: Static<typeof BoardQuery>): Promise<PreparedJson> {
    const [scope, general, rect] = await Promise.all([
      this.ledger.readScope(actor),
      this.ctx.settings.get('system.general'),
      this.ctx.settings.get('system.rectification'),
    ]);
    const now = this.ctx.clock.now();
    const today = shanghaiDate(now);
    const soon = addDays(today, general.reminderDaysBefore);
    const epoch = await this.sheetRepo.unitFiguresEpoch(this.ctx.db, { termId: q.termId, roundId: q.roundId });
    const key = [
      q.termId ?? '',
      q.roundId ?? '',
      q.unitOrgId ?? '',
      q.categoryCode ?? '',
      today,
      soon,
      rect.stalledDays,
      scopeKey(scope),
    ].join('|');
    return this.kept.get(key, epoch, now, () => this.compute(actor, q, scope, today, soon, now, rect.stalledDays));
  }

  private async compute(
    actor: Actor,
    q: Static<typeof BoardQuery>,
    scope: ReadScope,
    today: string,
    soon: string,
    now: number,
    stalledDays: number,
  ) {
    const f: BoardFilter = {
      termId: q.termId,
      roundId: q.roundId,
      unitOrgId: q.unitOrgId,
      categoryCode: q.categoryCode,
    };
    const stalledBefore = now - stalledDays * DAY_MS;
    const db = this.ctx.db;
    const [figures, statuses, categories, overdueByCat, units, sums, open, completed, due] = await Promise.all([
      this.sheet.figures(actor, q),
      this.repo.byStatus(db, f, scope),
      this.repo.byCategory(db, f, scope),
      this.repo.overdueByCategory(db, f, scope, today),
      this.repo.units(db, f, scope),
      this.repo.sumsByUnit(db, f, scope),
      this.repo.openByUnit(db, f, scope, today, soon, stalledBefore),
      this.repo.completedByMonth(db, f, scope),
      this.repo.dueByMonth(db, f, scope),
    ]);

    const all = drillAll(f);
    const drill = {
      units: all,
      problems: { ...all, exact: false }, // the sheet lists measures: a problem without any is not shown
      rectifiedProblems: drillDone(f, false),
      measures: all,
      doneMeasures: drillDone(f),
      closedMeasures: drillStatus(f, 'closed'),
      overdue: drillOverdue(f),
      rulesEstablished: all,
      fundsReturned: all,
      lossesRecovered: all,
      peopleHeldAccountable: all,
      casesFiled: all,
    };

    const byStatus = MEASURE_STATUSES.map((status) => ({
      status,
      count: statuses.get(status) ?? 0,
      drill: drillStatus(f, status),
    }));

    const byCategory = categories.map((c) => {
      const cf = { ...f, categoryCode: c.categoryCode };
      return {
        ...c,
        overdue: overdueByCat.get(c.categoryCode) ?? 0,
        rectificationRate: rectificationRate(c.doneMeasures, c.measures),
        drill: { measures: drillAll(cf), doneMeasures: drillDone(cf), overdue: drillOverdue(cf) },
      };
    });

    const ranked = units
      .map((u) => {
        const s = sums.get(u.unitOrgId) ?? { problems: 0, measures: 0, doneMeasures: 0 };
        const o = open.byUnit.get(u.unitOrgId) ?? { overdue: 0, dueSoon: 0, stalled: 0 };
        const uf = { ...f, unitOrgId: u.unitOrgId };
        return {
          unitOrgId: u.unitOrgId,
          unitName: u.unitName,
          ...s,
          rectificationRate: rectificationRate(s.doneMeasures, s.measures),
          ...o,
          light: unitLight(o.overdue, o.dueSoon, o.stalled),
          drill: { measures: drillAll(uf), doneMeasures: drillDone(uf), overdue: drillOverdue(uf) },
        };
      })
      .sort(compareUnits)
      .map((u, i) => ({ rank: i + 1, ...u }));
    const lights = { red: 0, yellow: 0, green: 0 };
    for (const u of ranked) lights[u.light] += 1;

    // The sheet has no date filter: a month's rows are drilled to as the superset they come from.
    const until = addMonthsTo(today.slice(0, 7), TREND_AHEAD_MONTHS);
    const trend = buildTrend(completed, due, figures.measures, TREND_MAX_MONTHS, until).map((p) => ({
      ...p,
      drill: { completed: drillDone(f, false), due: { ...all, exact: false } },
    }));

    // Prepared once per entry: a term's board is about 300 KB of JSON at SPEC §4 size.
    const value = await prepareJson({
      filter: q,
      today,
      figures,
      drill,
      byStatus,
      byCategory,
      ranking: ranked,
      lights,
      trend,
    });
    // Valid until the first open measure not yet stalled becomes stalled.
    const validUntil = open.oldestActive === null ? Number.POSITIVE_INFINITY : open.oldestActive + stalledDays * DAY_MS;
    return { value, validUntil };
  }
}
