/**
 * Day-to-day supervision (SPEC M8): plans with milestones (路线图、时间表), supervision actions and
 * 主体责任派单 (dispatch orders). Pure rules shared by the server and the web: no I/O.
 * Dates are 'YYYY-MM-DD' strings in Asia/Shanghai; "today" is passed in by the caller.
 */
import { addDays } from './calendar.js';

/**
 * A milestone turns amber this many calendar days before its due date (inclusive). The same default
 * as the reminders of SPEC M14 (7 days); a constant until the settings gain a supervision entry.
 */
export const MILESTONE_AMBER_DAYS = 7;

export type MilestoneLight = 'green' | 'amber' | 'red';

/**
 * A milestone's light: green when done (on time or late: it is done) or due later than the amber
 * window; amber when not done and due within `amberDays` days from today (or today); red when not
 * done and the due date has passed.
 */
export function milestoneLight(
  m: { dueDate: string; doneDate: string | null },
  today: string,
  amberDays: number = MILESTONE_AMBER_DAYS,
): MilestoneLight {
  if (m.doneDate) return 'green';
  if (m.dueDate < today) return 'red';
  if (m.dueDate <= addDays(today, Math.max(0, amberDays))) return 'amber';
  return 'green';
}

const LIGHT_RANK: Record<MilestoneLight, number> = { green: 0, amber: 1, red: 2 };

/** A plan's light: the worst of its milestones' (green when it has none). */
export function planLight(lights: readonly MilestoneLight[]): MilestoneLight {
  let worst: MilestoneLight = 'green';
  for (const l of lights) if (LIGHT_RANK[l] > LIGHT_RANK[worst]) worst = l;
  return worst;
}

/** The kinds of supervision action of SPEC M8, with their codes (stable: stored and sent). */
export const SUPERVISION_ACTION_KINDS = [
  'tracking', // 跟踪督办 (its document: 督办单)
  'attend_meeting', // 列席会议
  'review', // 审核把关
  'guidance', // 调研指导
  'stationed_research', // 蹲点式调研
  'rotation', // 推磨式监督
  'special_check', // 专项检查
  'public_exposure', // 公开曝光
  'supervision_proposal', // 监察建议书 (a document)
  'case_review', // 立案审查调查
] as const;
export type SupervisionActionKind = (typeof SUPERVISION_ACTION_KINDS)[number];

export const SUPERVISION_ACTION_LABELS: Record<SupervisionActionKind, Record<'zh-CN' | 'zh-TW' | 'en', string>> = {
  tracking: { 'zh-CN': '跟踪督办', 'zh-TW': '跟蹤督辦', en: 'Follow-up urging' },
  attend_meeting: { 'zh-CN': '列席会议', 'zh-TW': '列席會議', en: 'Attending a meeting' },
  review: { 'zh-CN': '审核把关', 'zh-TW': '審核把關', en: 'Review and gatekeeping' },
  guidance: { 'zh-CN': '调研指导', 'zh-TW': '調研指導', en: 'Research and guidance' },
  stationed_research: { 'zh-CN': '蹲点式调研', 'zh-TW': '蹲點式調研', en: 'On-site stationed research' },
  rotation: { 'zh-CN': '推磨式监督', 'zh-TW': '推磨式監督', en: 'Rotating supervision' },
  special_check: { 'zh-CN': '专项检查', 'zh-TW': '專項檢查', en: 'Special inspection' },
  public_exposure: { 'zh-CN': '公开曝光', 'zh-TW': '公開曝光', en: 'Public exposure' },
  supervision_proposal: { 'zh-CN': '监察建议书', 'zh-TW': '監察建議書', en: 'Supervision proposal' },
  case_review: { 'zh-CN': '立案审查调查', 'zh-TW': '立案審查調查', en: 'Case review and investigation' },
};

/**
 * The kinds printed as an official document, with the document's title and the abbreviation used in
 * its 文号 (e.g. 纪委监委督〔2026〕3号).
 */
export const SUPERVISION_DOCUMENTS: Partial<Record<SupervisionActionKind, { title: string; abbreviation: string }>> = {
  tracking: { title: '督办单', abbreviation: '督' },
  supervision_proposal: { title: '监察建议书', abbreviation: '监建' },
};

export function hasDocument(kind: string): kind is SupervisionActionKind {
  return Object.hasOwn(SUPERVISION_DOCUMENTS, kind);
}

/** 文号: issuer〔year〕sequence号, the sequence counted per issuing organisation, kind and year. */
export function documentNumber(issuer: string, abbreviation: string, year: number, seq: number): string {
  return `${issuer}${abbreviation}〔${year}〕${seq}号`;
}

/** What a supervision action points at: the unit as a whole, one of its problems, or one of its measures. */
export const SUPERVISION_TARGET_TYPES = ['unit', 'problem', 'measure'] as const;
export type SupervisionTargetType = (typeof SUPERVISION_TARGET_TYPES)[number];

/** An action: open → responded (the unit answers) → closed (the supervisor, with a note); open → closed. */
export const SUPERVISION_ACTION_STATUSES = ['open', 'responded', 'closed'] as const;
export type SupervisionActionStatus = (typeof SUPERVISION_ACTION_STATUSES)[number];
export const SUPERVISION_ACTION_TRANSITIONS: Record<SupervisionActionStatus, readonly SupervisionActionStatus[]> = {
  open: ['responded', 'closed'],
  responded: ['closed'],
  closed: [],
};

/** Overdue: a response was required, its deadline has passed, and none was given (and it is not closed). */
export function actionOverdue(
  a: { status: string; responseRequired: boolean; responseDeadline: string | null },
  today: string,
): boolean {
  return a.status === 'open' && a.responseRequired && a.responseDeadline !== null && a.responseDeadline < today;
}

/**
 * A dispatch order's item: pending → answered (the unit, item by item) → accepted (the sender) or
 * returned (back to the unit with the reason) → answered again.
 */
export const DISPATCH_ITEM_STATUSES = ['pending', 'answered', 'accepted', 'returned'] as const;
export type DispatchItemStatus = (typeof DISPATCH_ITEM_STATUSES)[number];
export const DISPATCH_ITEM_TRANSITIONS: Record<DispatchItemStatus, readonly DispatchItemStatus[]> = {
  pending: ['answered'],
  answered: ['accepted', 'returned'],
  returned: ['answered'],
  accepted: [],
};

export const DISPATCH_ORDER_STATUSES = ['open', 'done'] as const;
export type DispatchOrderStatus = (typeof DISPATCH_ORDER_STATUSES)[number];

/** The order is done when it has items and every one of them is answered and accepted. */
export function dispatchOrderStatus(items: readonly { status: string }[]): DispatchOrderStatus {
  return items.length > 0 && items.every((i) => i.status === 'accepted') ? 'done' : 'open';
}

/** An item is overdue when its deadline has passed and the unit still owes an answer (pending or returned). */
export function dispatchItemOverdue(i: { status: string; deadline: string }, today: string): boolean {
  return (i.status === 'pending' || i.status === 'returned') && i.deadline < today;
}

/**
 * A decision of the 整改监督信息沟通会 as a tracked task: open → reported (the owner organisation,
 * with what it did) → accepted (the convening body; done) or returned (with the reason) → reported
 * again.
 */
export const SUPERVISION_TASK_STATUSES = ['open', 'reported', 'accepted', 'returned'] as const;
export type SupervisionTaskStatus = (typeof SUPERVISION_TASK_STATUSES)[number];
export const SUPERVISION_TASK_TRANSITIONS: Record<SupervisionTaskStatus, readonly SupervisionTaskStatus[]> = {
  open: ['reported'],
  reported: ['accepted', 'returned'],
  returned: ['reported'],
  accepted: [],
};

/** A task is overdue when its deadline has passed and its owner still owes a report (open or returned). */
export function taskOverdue(t: { status: string; deadline: string }, today: string): boolean {
  return (t.status === 'open' || t.status === 'returned') && t.deadline < today;
}

/**
 * Routing by line (SPEC M18): which of the supervisors liaising with a problem's unit get it in their
 * work queue. `line` is the problem category's line (dictionary extra.line). Those of that line get it
 * (纪委监委 and 派驻组 share the discipline line); where the category has no line, or no liaising
 * supervisor is of it, every liaising supervisor gets it, so that no problem is left without one.
 * Only supervisors that may see the problem (`sees`: their link's categories) are candidates.
 */
export function routeProblem(
  line: string | null | undefined,
  supervisors: readonly { orgId: number; line: string | null; sees: boolean }[],
): number[] {
  const candidates = supervisors.filter((s) => s.sees);
  const family = (l: string | null) => (l === 'stationed' ? 'discipline' : l);
  const ofLine = line ? candidates.filter((s) => s.line !== null && family(s.line) === family(line)) : [];
  return (ofLine.length ? ofLine : candidates).map((s) => s.orgId).sort((a, b) => a - b);
}

/** What a work-queue entry is and whose move it is (the holder's: 'act'; someone else's: 'watch'). */
export const WORK_QUEUE_KINDS = ['problem', 'measure', 'action', 'dispatch_item', 'task'] as const;
export type WorkQueueKind = (typeof WORK_QUEUE_KINDS)[number];

/**
 * The urgency key of a work-queue entry, a string that sorts most urgent first: overdue before not,
 * then the earlier deadline (none last), then stalled before moving, then kind and id for a stable
 * order. It doubles as the keyset cursor: the next page is every entry whose key is greater.
 */
export function urgencyKey(e: {
  kind: WorkQueueKind;
  id: number;
  deadline: string | null;
  overdue: boolean;
  stalled: boolean;
}): string {
  return [
    e.overdue ? '0' : '1',
    e.deadline ?? '9999-12-31',
    e.stalled ? '0' : '1',
    String(WORK_QUEUE_KINDS.indexOf(e.kind)),
    String(e.id).padStart(12, '0'),
  ].join('|');
}

/** Whole days from `today` to `deadline` (negative when past), by the calendar dates alone. */
export function daysUntil(deadline: string, today: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
