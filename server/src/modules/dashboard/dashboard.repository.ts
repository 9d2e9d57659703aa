import { type RawBuilder, sql } from 'kysely';
import type { BoardFilter } from '../../../../domain/dashboard.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { type ReadScope, visibilitySql } from '../ledger/ledger.scope.js';

const TRUE = sql<boolean>`1 = 1`;
const and = (conds: RawBuilder<boolean>[]) => (conds.length ? sql.join(conds, sql` AND `) : TRUE);
const n = (v: number | string | null | undefined) => Number(v ?? 0);

/**
 * The dashboard's breakdowns (数着改). Sums come from ledger_summaries (kept current by every ledger
 * write); what depends on today or on dates (overdue, due soon, stalled, the trend) is counted on
 * `measures`, with the same filter columns and the same scope rule (visibilitySql) as the ledger sheet.
 */
export class DashboardRepository {
  private conds(f: BoardFilter, scope: ReadScope, alias: string, withCategory = true): RawBuilder<boolean>[] {
    const a = sql.raw(alias);
    const c: RawBuilder<boolean>[] = [];
    if (f.termId) c.push(sql`${a}.term_id = ${f.termId}`);
    if (f.roundId) c.push(sql`${a}.round_id = ${f.roundId}`);
    if (f.unitOrgId) c.push(sql`${a}.unit_org_id = ${f.unitOrgId}`);
    if (withCategory && f.categoryCode) c.push(sql`${a}.category_code = ${f.categoryCode}`);
    const s = visibilitySql(scope, sql`${a}.unit_org_id`, withCategory ? sql`${a}.category_code` : null);
    if (s) c.push(s);
    return c;
  }

  /** Measures per status (index measures_status_page covers status). */
  async byStatus(db: Executor, f: BoardFilter, scope: ReadScope) {
    const r = await sql<{ status: string; n: number | string }>`
      SELECT m.status AS status, count(*) AS n FROM measures m
      WHERE ${and(this.conds(f, scope, 'm'))} GROUP BY m.status`.execute(db);
    return new Map(r.rows.map((x) => [x.status, n(x.n)]));
  }

  /** Summary counters per category. */
  async byCategory(db: Executor, f: BoardFilter, scope: ReadScope) {
    const r = await sql<{
      categoryCode: string;
      problems: number | string;
      rectifiedProblems: number | string;
      measures: number | string;
      doneMeasures: number | string;
    }>`
      SELECT s.category_code AS category_code,
        coalesce(sum(s.problem_count), 0) AS problems,
        coalesce(sum(s.rectified_problem_count), 0) AS rectified_problems,
        coalesce(sum(s.measure_count), 0) AS measures,
        coalesce(sum(s.done_count), 0) AS done_measures
      FROM ledger_summaries s WHERE ${and(this.conds(f, scope, 's'))}
      GROUP BY s.category_code ORDER BY s.category_code`.execute(db);
    return r.rows.map((x) => ({
      categoryCode: x.categoryCode,
      problems: n(x.problems),
      rectifiedProblems: n(x.rectifiedProblems),
      measures: n(x.measures),
      doneMeasures: n(x.doneMeasures),
    }));
  }

  /** Overdue measures (SPEC §5: not done, effective deadline passed) per category. */
  async overdueByCategory(db: Executor, f: BoardFilter, scope: ReadScope, today: string) {
    const r = await sql<{ categoryCode: string; n: number | string }>`
      SELECT m.category_code AS category_code, count(*) AS n FROM measures m
      WHERE ${and([sql<boolean>`m.is_done = 0`, sql<boolean>`m.effective_deadline < ${today}`, ...this.conds(f, scope, 'm')])}
      GROUP BY m.category_code`.execute(db);
    return new Map(r.rows.map((x) => [x.categoryCode, n(x.n)]));
  }

  /**
   * The units of the selected term/round the caller sees anything of (a unit in the round counts even
   * before its problem list exists), narrowed to the unit filter.
   */
  async units(db: Executor, f: BoardFilter, scope: ReadScope) {
    const c = this.conds({ termId: f.termId, roundId: f.roundId, unitOrgId: f.unitOrgId }, scope, 'ru', false);
    const r = await sql<{ unitOrgId: number; unitName: string }>`
      SELECT DISTINCT ru.unit_org_id AS unit_org_id, o.name AS unit_name
      FROM round_units ru JOIN organisations o ON o.id = ru.unit_org_id
      WHERE ${and(c)} ORDER BY ru.unit_org_id LIMIT 20000`.execute(db);
    return r.rows.map((x) => ({ unitOrgId: Number(x.unitOrgId), unitName: x.unitName }));
  }

  /** Summary counters per unit. */
  async sumsByUnit(db: Executor, f: BoardFilter, scope: ReadScope) {
    const r = await sql<{
      unitOrgId: number;
      problems: number | string;
      measures: number | string;
      doneMeasures: number | string;
    }>`
      SELECT s.unit_org_id AS unit_org_id,
        coalesce(sum(s.problem_count), 0) AS problems,
        coalesce(sum(s.measure_count), 0) AS measures,
        coalesce(sum(s.done_count), 0) AS done_measures
      FROM ledger_summaries s WHERE ${and(this.conds(f, scope, 's'))}
      GROUP BY s.unit_org_id`.execute(db);
    return new Map(
      r.rows.map((x) => [
        Number(x.unitOrgId),
        { problems: n(x.problems), measures: n(x.measures), doneMeasures: n(x.doneMeasures) },
      ]),
    );
  }

  /**
   * Open measures per unit: overdue, due within the reminder window, stalled (no progress since); and
   * the oldest last progress of those not yet stalled (`oldestActive`: the next to stall).
   */
  async openByUnit(db: Executor, f: BoardFilter, scope: ReadScope, today: string, soon: string, stalledBefore: number) {
    const r = await sql<{
      unitOrgId: number;
      overdue: number | string;
      dueSoon: number | string;
      stalled: number | string;
      oldestActive: number | string | null;
    }>`
      SELECT m.unit_org_id AS unit_org_id,
        sum(CASE WHEN m.effective_deadline < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN m.effective_deadline >= ${today} AND m.effective_deadline <= ${soon} THEN 1 ELSE 0 END) AS due_soon,
        sum(CASE WHEN coalesce(m.last_progress_at, m.created_at) < ${stalledBefore} THEN 1 ELSE 0 END) AS stalled,
        min(CASE WHEN coalesce(m.last_progress_at, m.created_at) >= ${stalledBefore}
          THEN coalesce(m.last_progress_at, m.created_at) END) AS oldest_active
      FROM measures m
      WHERE ${and([sql<boolean>`m.is_done = 0`, ...this.conds(f, scope, 'm')])}
      GROUP BY m.unit_org_id`.execute(db);
    const byUnit = new Map(
      r.rows.map((x) => [Number(x.unitOrgId), { overdue: n(x.overdue), dueSoon: n(x.dueSoon), stalled: n(x.stalled) }]),
    );
    const actives = r.rows.filter((x) => x.oldestActive !== null).map((x) => Number(x.oldestActive));
    return { byUnit, oldestActive: actives.length ? Math.min(...actives) : null };
  }

  /** Done measures per month of their completion date (YYYY-MM). */
  async completedByMonth(db: Executor, f: BoardFilter, scope: ReadScope) {
    const r = await sql<{ month: string; n: number | string }>`
      SELECT substr(m.completed_on, 1, 7) AS month, count(*) AS n FROM measures m
      WHERE ${and([sql<boolean>`m.is_done = 1`, sql<boolean>`m.completed_on IS NOT NULL`, ...this.conds(f, scope, 'm')])}
      GROUP BY substr(m.completed_on, 1, 7)`.execute(db);
    return new Map(r.rows.map((x) => [x.month, n(x.n)]));
  }

  /** Measures per month of their effective deadline (YYYY-MM). */
  async dueByMonth(db: Executor, f: BoardFilter, scope: ReadScope) {
    const r = await sql<{ month: string; n: number | string }>`
      SELECT substr(m.effective_deadline, 1, 7) AS month, count(*) AS n FROM measures m
      WHERE ${and(this.conds(f, scope, 'm'))}
      GROUP BY substr(m.effective_deadline, 1, 7)`.execute(db);
    return new Map(r.rows.map((x) => [x.month, n(x.n)]));
  }
}
