/**
 * 数着改 (SPEC M14): the dashboard's own rules — how a number maps back to ledger rows (drill-down),
 * how units are ranked, and how the trend over time is laid out. The figures themselves are defined
 * once in rectification.ts (rectificationRate, unitLight, DONE_STATUSES); nothing here redefines them.
 */
import { DONE_STATUSES, type MeasureStatus, rectificationRate } from './rectification.js';

/** The dashboard's filter (term, round, unit, category); the caller's scope is applied on top. */
export interface BoardFilter {
  termId?: number;
  roundId?: number;
  unitOrgId?: number;
  categoryCode?: string;
}

/** One filter of the ledger sheet (GET /ledger and the /ledger page's address take exactly these keys). */
export interface LedgerDrillFilter extends BoardFilter {
  status?: MeasureStatus;
  overdue?: boolean;
}

/**
 * The ledger rows behind a number: the union of `parts` (disjoint filters of the ledger sheet).
 * `exact` is false where the sheet has no filter for the number's rows (e.g. completions in one
 * month): the parts then hold a superset the number was counted from.
 */
export interface Drill {
  parts: LedgerDrillFilter[];
  exact: boolean;
}

function clean(f: LedgerDrillFilter): LedgerDrillFilter {
  const out: LedgerDrillFilter = {};
  if (f.termId) out.termId = f.termId;
  if (f.roundId) out.roundId = f.roundId;
  if (f.unitOrgId) out.unitOrgId = f.unitOrgId;
  if (f.categoryCode) out.categoryCode = f.categoryCode;
  if (f.status) out.status = f.status;
  if (f.overdue !== undefined) out.overdue = f.overdue;
  return out;
}

/** All measures under the filter. */
export function drillAll(f: BoardFilter): Drill {
  return { parts: [clean(f)], exact: true };
}

/** Done measures (SPEC §5): one part per done status, since the sheet filters by one status. */
export function drillDone(f: BoardFilter, exact = true): Drill {
  return { parts: DONE_STATUSES.map((status) => clean({ ...f, status })), exact };
}

export function drillStatus(f: BoardFilter, status: MeasureStatus): Drill {
  return { parts: [clean({ ...f, status })], exact: true };
}

/** Overdue (SPEC §5): not done and past the effective deadline — the sheet's own `overdue` filter. */
export function drillOverdue(f: BoardFilter): Drill {
  return { parts: [clean({ ...f, overdue: true })], exact: true };
}

/** The /ledger page address of one part (the sheet reads its filters from the query). */
export function ledgerHref(part: LedgerDrillFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(clean(part))) q.set(k, String(v));
  const s = q.toString();
  return s ? `/ledger?${s}` : '/ledger';
}

export interface RankedUnit {
  unitOrgId: number;
  unitName: string;
  rectificationRate: number | null;
  overdue: number;
}

/**
 * The unit ranking: highest rectification rate first (units without measures last), then fewer
 * overdue measures, then name and id so that equal units keep one stable order.
 */
export function compareUnits(a: RankedUnit, b: RankedUnit): number {
  const ra = a.rectificationRate ?? -1;
  const rb = b.rectificationRate ?? -1;
  if (ra !== rb) return rb - ra;
  if (a.overdue !== b.overdue) return a.overdue - b.overdue;
  if (a.unitName !== b.unitName) return a.unitName < b.unitName ? -1 : 1;
  return a.unitOrgId - b.unitOrgId;
}

/** Months 'YYYY-MM' from `from` to `to` inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export interface TrendPoint {
  month: string;
  completed: number; // measures done, by the month of their completion date
  due: number; // measures whose effective deadline falls in the month
  cumulativeDone: number;
  cumulativeRate: number | null; // done by the month's end ÷ all measures under the filter
}

/** The most months the trend shows (the latest ones); earlier completions still count in the cumulative. */
export const TREND_MAX_MONTHS = 60;
/** How far past this month the trend shows deadlines still to come. */
export const TREND_AHEAD_MONTHS = 6;

/** The month `n` months after 'YYYY-MM'. */
export function addMonthsTo(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * The trend over time from per-month counts. Every month between the first and the last dated one
 * is present (zeros included), up to `until` (deadlines far ahead are left out); the cumulative
 * figures count all earlier months, shown or not.
 */
export function buildTrend(
  completedByMonth: ReadonlyMap<string, number>,
  dueByMonth: ReadonlyMap<string, number>,
  totalMeasures: number,
  maxMonths = TREND_MAX_MONTHS,
  until?: string,
): TrendPoint[] {
  const months = [...completedByMonth.keys(), ...dueByMonth.keys()].sort();
  if (!months.length) return [];
  let last = months[months.length - 1]!;
  if (until && last > until) last = until;
  const all = monthRange(months[0]!, last);
  let cumulative = 0;
  const points = all.map((month) => {
    const completed = completedByMonth.get(month) ?? 0;
    cumulative += completed;
    return {
      month,
      completed,
      due: dueByMonth.get(month) ?? 0,
      cumulativeDone: cumulative,
      cumulativeRate: rectificationRate(cumulative, totalMeasures),
    };
  });
  return points.slice(Math.max(0, points.length - maxMonths));
}
