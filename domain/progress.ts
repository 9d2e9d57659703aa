/**
 * Progress reports (整改进展报告, SPEC M6), 对账销号 closure (M7) and the re-checks after closure
 * (M18): states, transitions and the reporting calendar, shared by the server and the web app.
 */
import { addMonths } from './calendar.js';

export const PROGRESS_REPORT_STATUSES = [
  'draft', // 填报中
  'pending_signoff', // 待主要负责人审签
  'submitted', // 已报送
] as const;
export type ProgressReportStatus = (typeof PROGRESS_REPORT_STATUSES)[number];

export const PROGRESS_REPORT_TRANSITIONS: Record<ProgressReportStatus, readonly ProgressReportStatus[]> = {
  draft: ['pending_signoff'], // the liaison sends it to the head
  pending_signoff: ['submitted', 'draft'], // the head signs it off, or returns it with a note
  submitted: ['draft'], // revised: a new revision is drafted; the submitted one is kept
};

export const PERIOD_KINDS = ['period_end', 'monthly', 'quarterly'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type LongTermCadence = 'monthly' | 'quarterly';

export interface ReportingPeriod {
  seq: number;
  kind: PeriodKind;
  dueDate: string;
}

/**
 * The reporting periods of a round-unit: the first report is due when the rectification period ends
 * (its deadline); then, while long-term measures remain, one every month or quarter after it.
 * Periods are listed up to and including the first one due on or after `until`.
 */
export function reportingPeriods(deadline: string, cadence: LongTermCadence, until: string): ReportingPeriod[] {
  const out: ReportingPeriod[] = [{ seq: 1, kind: 'period_end', dueDate: deadline }];
  const step = cadence === 'monthly' ? 1 : 3;
  for (let i = 1; out[out.length - 1]!.dueDate < until && i < 1200; i++) {
    out.push({ seq: i + 1, kind: cadence, dueDate: addMonths(deadline, step * i) });
  }
  return out;
}

/** A submission is late when it is signed off after the day the period's report was due. */
export function isLate(dueDate: string, submittedOn: string): boolean {
  return submittedOn > dueDate;
}

export const CLOSURE_STATUSES = [
  'pending', // 申请销号
  'approved', // 已销号
  'rejected', // 退回
  'withdrawn', // 撤回
  'reopened', // 已重新打开
] as const;
export type ClosureStatus = (typeof CLOSURE_STATUSES)[number];

export const CLOSURE_TRANSITIONS: Record<ClosureStatus, readonly ClosureStatus[]> = {
  pending: ['approved', 'rejected', 'withdrawn'],
  approved: ['reopened'],
  rejected: [],
  withdrawn: [],
  reopened: [],
};

export const CLOSURE_VERDICTS = ['agree', 'disagree'] as const;
export type ClosureVerdict = (typeof CLOSURE_VERDICTS)[number];

/** Why a closed measure is opened again (SPEC M7, M18). */
export const REOPEN_SOURCES = ['lookback', 'complaint', 'recheck', 'other'] as const;
export type ReopenSource = (typeof REOPEN_SOURCES)[number];

export const RECHECK_STATUSES = ['pending', 'passed', 'failed', 'cancelled'] as const;
export type RecheckStatus = (typeof RECHECK_STATUSES)[number];

/**
 * Which closed measures come back for re-verification: 长期坚持 (long-term) measures, and 建章立制
 * measures — those that established rules (rules_established > 0).
 */
export function needsRecheck(m: { type: string; rulesEstablished: number }): boolean {
  return m.type === 'long_term' || Number(m.rulesEstablished) > 0;
}

/** The re-check due dates after a closure on `closedOn`, one per configured interval (default 6 and 12 months). */
export function recheckDates(closedOn: string, months: readonly number[]): { monthsAfter: number; dueDate: string }[] {
  return [...new Set(months)]
    .filter((m) => Number.isInteger(m) && m > 0)
    .sort((a, b) => a - b)
    .map((m) => ({ monthsAfter: m, dueDate: addMonths(closedOn, m) }));
}

/** Stalled (停滞): open, and no recorded progress (or creation) within the last `days` days. */
export function isStalled(
  m: { isDone: boolean | number; lastProgressAt: number | null; createdAt: number },
  now: number,
  days: number,
): boolean {
  if (m.isDone) return false;
  return (m.lastProgressAt ?? m.createdAt) < now - days * 86_400_000;
}
