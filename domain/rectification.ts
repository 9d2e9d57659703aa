/**
 * The states of a round's unit (被巡察单位 in one round) and of a rectification measure (整改措施),
 * as explicit transition tables shared by the server (which enforces them) and the web app (which
 * only offers legal moves). SPEC M2, M4, M5, M7.
 */

export const ROUND_TYPES = [
  'regular', // 常规巡察
  'special', // 专项巡察
  'mobile', // 机动巡察
  'elevated', // 提级巡察
  'lookback', // "回头看"
  'higher_inspection', // 上级巡视 (e.g. the province's 机动巡视) whose rectification the city supervises
] as const;
export type RoundType = (typeof ROUND_TYPES)[number];

export const ROUND_UNIT_STATUSES = [
  'awaiting_feedback', // 待反馈
  'rectifying', // 整改中
  'period_ended', // 整改期满
  'evaluated', // 已评价
  're_rectifying', // 重新整改 (after 不合格)
  'published', // 已公开
] as const;
export type RoundUnitStatus = (typeof ROUND_UNIT_STATUSES)[number];

export const ROUND_UNIT_TRANSITIONS: Record<RoundUnitStatus, readonly RoundUnitStatus[]> = {
  awaiting_feedback: ['rectifying'], // feedback delivered: the clock starts
  rectifying: ['period_ended'],
  period_ended: ['evaluated', 'rectifying'], // back to rectifying when the period is extended
  evaluated: ['published', 're_rectifying'],
  re_rectifying: ['period_ended'],
  published: ['re_rectifying'],
};

export const MEASURE_TYPES = [
  'immediate', // 立行立改
  'deadline', // 限期整改
  'long_term', // 长期坚持
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

export const MEASURE_STATUSES = [
  'not_started', // 未启动
  'in_progress', // 整改中
  'completed', // 已完成 (long-term: reported in time)
  'closure_requested', // 申请销号
  'closed', // 已销号
] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const MEASURE_TRANSITIONS: Record<MeasureStatus, readonly MeasureStatus[]> = {
  not_started: ['in_progress', 'completed'],
  in_progress: ['completed', 'not_started'],
  completed: ['in_progress', 'closure_requested'],
  closure_requested: ['closed', 'in_progress'], // verified → 已销号; rejected → back with the reason
  closed: ['in_progress'], // reopened after a 回头看 or a complaint, with a reason
};

/** SPEC §5: a measure is done when it is 已完成 or 已销号 (closure requested counts as completed work). */
export const DONE_STATUSES: readonly MeasureStatus[] = ['completed', 'closure_requested', 'closed'];
export function isDone(status: MeasureStatus): boolean {
  return DONE_STATUSES.includes(status);
}

export function canTransition<S extends string>(table: Record<S, readonly S[]>, from: S, to: S): boolean {
  // Own keys only: 'valueOf' or '__proto__' are not states.
  return Object.hasOwn(table, from) && table[from].includes(to);
}

export const IMMEDIATE_ITEM_STATUSES = [
  'proposed', // 提出
  'approved', // 已报批
  'rejected', // 未批准
  'fixed', // 已整改
  'verified', // 已核验
] as const;
export type ImmediateItemStatus = (typeof IMMEDIATE_ITEM_STATUSES)[number];
export const IMMEDIATE_ITEM_TRANSITIONS: Record<ImmediateItemStatus, readonly ImmediateItemStatus[]> = {
  proposed: ['approved', 'rejected'],
  approved: ['fixed'],
  rejected: [],
  fixed: ['verified', 'approved'], // verification can send it back
  verified: [],
};

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

export const FEEDBACK_RECIPIENT_KINDS = [
  'leader', // 分管或联系市级领导
  'industry', // 行业主管部门
  'supervision_office', // 联系纪检监察监督室
  'stationed_group', // 派驻纪检监察组
  'organisation_dept', // 市委组织部
] as const;
export type FeedbackRecipientKind = (typeof FEEDBACK_RECIPIENT_KINDS)[number];

export const PROBLEM_SEVERITIES = ['high', 'medium', 'low'] as const;
export const PROBLEM_SOURCES = ['feedback', 'immediate', 'lookback', 'complaint', 'higher_inspection'] as const;

/** Rectification rate (整改率) in per-mille, rounded half up: done ÷ all, one decimal as a percentage. */
export function rectificationRate(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.round((done * 1000) / total) / 10;
}

/** 红黄绿 light per unit: red when anything is overdue, yellow when something is due soon or stalled, else green. */
export type Light = 'red' | 'yellow' | 'green';
export function unitLight(overdue: number, dueSoon: number, stalled: number): Light {
  if (overdue > 0) return 'red';
  if (dueSoon > 0 || stalled > 0) return 'yellow';
  return 'green';
}
