/**
 * 检查考核评价 (SPEC M11): the special check after the period, the 汇商会, the scoring sheet and the
 * grade. Pure: no I/O. The indicators, weights, deduction reasons and grade thresholds are the
 * dictionaries of M17 (scoring_indicator, deduction_reason, grade); this file only says how they
 * combine. Scores are kept in hundredths of a point (centi-points, integers) so that a total is exact.
 */

/** What the check team did in the 整改专项检查. */
export const CHECK_KINDS = [
  'talk', // 个别谈话
  'questionnaire', // 问卷调查
  'site_visit', // 实地查看
  'reconciliation', // 对账销号
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** An evaluation of one round-unit's rectification cycle: open while scored, then finalised once. */
export const EVALUATION_STATUSES = ['open', 'finalised'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** The grade whose finalisation means 约谈 and 重新整改 (不合格). */
export const FAILING_GRADE = 'unsatisfactory';

/**
 * Indicators scored from the ledger instead of by hand, by dictionary code. 问题整改落实 is the
 * average of the closure rate (销号率) and the on-time rate (按期完成率) times its maximum.
 */
export const LEDGER_INDICATORS: Readonly<Record<string, 'closure_on_time'>> = {
  problems_rectified: 'closure_on_time',
};

/** The deduction reason applied once per overdue measure (超期未整改), computed from the ledger. */
export const OVERDUE_REASON = 'overdue';

/** The ledger's figures for one round-unit, as counted by the repository. */
export interface LedgerFigures {
  /** All measures of the round-unit. */
  measures: number;
  /** Done (已完成 / 申请销号 / 已销号, SPEC §5). */
  done: number;
  /** 已销号. */
  closed: number;
  /** Done with a completion date on or before the effective deadline. */
  onTime: number;
  /** Not done and past the effective deadline (SPEC §5 overdue). */
  overdue: number;
}

/** Percent with one decimal, half up; null without a base. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

export const toCenti = (points: number): number => Math.round(points * 100);
export const fromCenti = (centi: number): number => centi / 100;

/**
 * The computed score of a ledger indicator in centi-points: maxScore × (closed + onTime) ÷ (2 × measures),
 * rounded half up. A round-unit without measures has nothing left undone and scores the maximum.
 */
export function ledgerIndicatorCenti(maxScore: number, f: LedgerFigures): number {
  const max = toCenti(maxScore);
  if (f.measures <= 0) return max;
  return Math.round((max * (f.closed + f.onTime)) / (2 * f.measures));
}

export interface SheetIndicator {
  code: string;
  weight: number;
  maxScore: number;
  /** The score in centi-points (0 … maxScore × 100), null when not yet entered. */
  scoreCenti: number | null;
}

/** An indicator's contribution to the total out of 100: score ÷ maxScore × weight, in centi-points. */
export function weightedCenti(i: SheetIndicator): number {
  if (i.scoreCenti === null || i.maxScore <= 0) return 0;
  return Math.round((i.scoreCenti * i.weight) / i.maxScore);
}

/**
 * The total in centi-points: the weighted indicator scores plus the deductions (negative), kept
 * within 0 … 100 points. Null while an indicator has no score.
 */
export function totalCenti(indicators: readonly SheetIndicator[], deductionCenti: readonly number[]): number | null {
  if (indicators.some((i) => i.scoreCenti === null)) return null;
  const sum = indicators.reduce((s, i) => s + weightedCenti(i), 0) + deductionCenti.reduce((s, d) => s + d, 0);
  return Math.max(0, Math.min(10_000, sum));
}

/** A score is valid for an indicator when it is within 0 … maxScore with at most two decimals. */
export function scoreAllowed(score: number, maxScore: number): boolean {
  return Number.isFinite(score) && score >= 0 && score <= maxScore && Math.abs(toCenti(score) - score * 100) < 1e-6;
}

export interface GradeThreshold {
  code: string;
  /** The lowest score (points, 0–100, two decimals) that earns this grade. */
  minScore: number;
}

/**
 * The grade a score earns: the threshold with the highest minimum not above the score, whatever
 * order the thresholds come in; null when the score is below every threshold. Compared in
 * centi-points, so 74.99 is below a threshold of 75 and 75 is at it.
 */
export function gradeOf(scoreCenti: number, thresholds: readonly GradeThreshold[]): string | null {
  let best: GradeThreshold | null = null;
  for (const t of thresholds) {
    const min = toCenti(t.minScore);
    if (min <= scoreCenti && (!best || min > toCenti(best.minScore))) best = t;
  }
  return best?.code ?? null;
}

/**
 * Thresholds are usable when there is at least one, no two share a minimum (which grade would a
 * score at it earn?) and each is within 0 … 100.
 */
export function thresholdsValid(thresholds: readonly GradeThreshold[]): boolean {
  if (!thresholds.length) return false;
  const mins = thresholds.map((t) => toCenti(t.minScore));
  return new Set(mins).size === mins.length && mins.every((m) => m >= 0 && m <= 10_000);
}

/** The liaison supervisors that have not yet given an opinion at the 汇商会. */
export function missingOpinions<T extends { orgId: number }>(
  liaisons: readonly T[],
  opinions: readonly { supervisorOrgId: number }[],
): T[] {
  const given = new Set(opinions.map((o) => o.supervisorOrgId));
  return liaisons.filter((l) => !given.has(l.orgId));
}
