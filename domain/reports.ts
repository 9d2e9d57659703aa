/**
 * Reports (SPEC M13): the 三个汇报 meeting kinds, the 限时办结 task states the 督查室 follows, and the
 * text of the comprehensive report written from the figures (never typed twice).
 */

/** 三个汇报: 巡察工作领导小组会, 市委书记专题会, 市委常委会 (the seed's order). */
export const REPORT_MEETING_KINDS = ['leading_group', 'secretary', 'standing_committee'] as const;
export type ReportMeetingKind = (typeof REPORT_MEETING_KINDS)[number];

export const REPORT_MEETING_LABELS: Record<ReportMeetingKind, string> = {
  leading_group: '巡察工作领导小组会',
  secretary: '书记专题会',
  standing_committee: '常委会',
};

/** Minutes (会议纪要) come from the same meetings, or another meeting (e.g. 专题协调会). */
export const MINUTES_KINDS = [...REPORT_MEETING_KINDS, 'other'] as const;
export type MinutesKind = (typeof MINUTES_KINDS)[number];

export const TASK_STATUSES = [
  'open', // 待办理
  'reported', // 已报办结 (the owner reported completion; the 督查室 reviews)
  'returned', // 已退回 (the 督查室 returned the report with the reason)
  'closed', // 已办结 (accepted)
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['reported'],
  reported: ['closed', 'returned'],
  returned: ['reported'],
  closed: [],
};

/** The log entries of a task. */
export const TASK_EVENT_KINDS = ['urge', 'report', 'return', 'close'] as const;
export type TaskEventKind = (typeof TASK_EVENT_KINDS)[number];

/** Waiting on the owner: the states in which a task may be urged (催办) and counts as overdue. */
export const TASK_PENDING_STATUSES: readonly TaskStatus[] = ['open', 'returned'];

/** 超期: the owner has not reported completion and the deadline (限时) has passed. */
export function isTaskOverdue(status: string, deadline: string, today: string): boolean {
  return (TASK_PENDING_STATUSES as readonly string[]).includes(status) && deadline < today;
}

export function canUrge(status: string): boolean {
  return (TASK_PENDING_STATUSES as readonly string[]).includes(status);
}

// --- the comprehensive report's text ------------------------------------------------------------

/** The figures the report's text is written from (the ledger's definitions, SPEC §5). */
export interface ReportFigures {
  units: number;
  problems: number;
  rectifiedProblems: number;
  measures: number;
  doneMeasures: number;
  closedMeasures: number;
  rectificationRate: number | null;
  closureRate: number | null;
  problemRectificationRate: number | null;
  rulesEstablished: number;
  fundsReturned: string; // 元, exact decimal string
  lossesRecovered: string;
  peopleHeldAccountable: number;
  casesFiled: number;
  overdue: number;
}

/** 93.7 → "93.7%"; no measures → "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${rate.toFixed(1)}%`;
}

/** 149000000.00 元 → "14900万元"-style amounts stay exact: 元 with two decimals, as the ledger keeps them. */
export function yuan(amount: string): string {
  return `${amount}元`;
}

/** 总体情况: the headline paragraph. */
export function overviewParagraph(scope: string, f: ReportFigures): string {
  return (
    `${scope}共涉及被巡察党组织${f.units}个，反馈问题${f.problems}个，制定整改措施${f.measures}项。` +
    `截至目前，已完成整改措施${f.doneMeasures}项，整改率${percent(f.rectificationRate)}；` +
    `已整改到位问题${f.rectifiedProblems}个，问题整改率${percent(f.problemRectificationRate)}；` +
    `已销号措施${f.closedMeasures}项，销号率${percent(f.closureRate)}。`
  );
}

/** 整改成效: rules, money and accountability. */
export function outcomeParagraph(f: ReportFigures): string {
  return (
    `通过整改，建立完善制度${f.rulesEstablished}项，退缴违规资金${yuan(f.fundsReturned)}，` +
    `挽回经济损失${yuan(f.lossesRecovered)}，追责问责${f.peopleHeldAccountable}人，立案${f.casesFiled}件。`
  );
}

export interface UnitLine {
  unitName: string;
  measures: number;
  doneMeasures: number;
  rectificationRate: number | null;
  overdue: number;
  stalled: number;
}

/** 各单位整改进展: which units are done, which lag (the lowest rates first). */
export function unitsParagraph(units: readonly UnitLine[]): string {
  if (!units.length) return '范围内暂无被巡察党组织。';
  const complete = units.filter((u) => u.measures > 0 && u.doneMeasures === u.measures);
  const lagging = units
    .filter((u) => u.measures > u.doneMeasures)
    .sort((a, b) => (a.rectificationRate ?? 0) - (b.rectificationRate ?? 0) || a.unitName.localeCompare(b.unitName));
  const parts = [`${units.length}个被巡察党组织中，${complete.length}个已完成全部整改措施`];
  if (lagging.length)
    parts.push(
      `${lagging.length}个尚有未完成措施，整改率较低的有${lagging
        .slice(0, 3)
        .map((u) => `${u.unitName}（${percent(u.rectificationRate)}）`)
        .join('、')}`,
    );
  return `${parts.join('，')}。`;
}

/** 超期和停滞: the counts, and what follows from them. */
export function lateParagraph(overdue: number, stalled: number, overdueUnits: number): string {
  if (overdue === 0 && stalled === 0) return '目前无超期未完成和长期停滞的整改措施。';
  const parts: string[] = [];
  if (overdue > 0) parts.push(`超过整改时限尚未完成的措施${overdue}项，涉及${overdueUnits}个单位`);
  if (stalled > 0) parts.push(`长期无进展的措施${stalled}项`);
  return `${parts.join('；')}，需督促相关单位加快推进。`;
}

/** 下步工作: follows from the figures (more work where more is open). */
export function nextStepsParagraph(f: ReportFigures): string {
  const open = f.measures - f.doneMeasures;
  const closing = f.doneMeasures - f.closedMeasures;
  const parts = [open > 0 ? `对尚未完成的${open}项整改措施，压实整改主体责任，逐项盯办` : '巩固整改成果，防止问题反弹'];
  if (f.overdue > 0) parts.push(`对${f.overdue}项超期措施开展专项督办，必要时约谈提醒`);
  if (closing > 0) parts.push(`对已完成的${closing}项措施加快对账销号`);
  parts.push('持续做好整改“后半篇文章”');
  return `${parts.join('；')}。`;
}
