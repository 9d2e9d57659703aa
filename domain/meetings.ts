/**
 * 整改专题民主生活会 (SPEC M10) and accountability (SPEC M12): pure rules shared by server and web.
 */
import { addDays } from './calendar.js';

// --- 整改专题民主生活会 ------------------------------------------------------------------------

export const MEETING_STATUSES = [
  'planned', // 已计划: the unit has recorded its plan (and may draft the leadership's report)
  'held', // 已召开: the date held, attendees and outcomes are recorded
  'reviewed', // 已审核: a supervising body (meeting.supervise) has reviewed how it was held
] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const MEETING_TRANSITIONS: Record<MeetingStatus, readonly MeetingStatus[]> = {
  planned: ['held'],
  held: ['reviewed'],
  reviewed: [],
};

/** Who attended on behalf of a supervising body: the discipline commission or the organisation department. */
export const MEETING_ATTENDEE_SIDES = ['discipline', 'organisation'] as const;
export type MeetingAttendeeSide = (typeof MEETING_ATTENDEE_SIDES)[number];

/** Notes by the supervising bodies: 指导 before and during, 监督 on how it was held. */
export const MEETING_NOTE_KINDS = ['guidance', 'supervision'] as const;
export type MeetingNoteKind = (typeof MEETING_NOTE_KINDS)[number];

/**
 * Days after the feedback (反馈) within which the meeting is due. The seed [§2] names the city's
 * 《玉溪市巡察整改专题民主生活会实施意见（试行）》 (purpose, report, holding, guidance, supervision,
 * requirements) but states no period; 60 days follows the common rule that the inspected party
 * organisation holds its rectification meeting within two months of the feedback. The due date is
 * stored on each meeting, so a change of this default never moves existing ones.
 */
export const DEFAULT_MEETING_DUE_DAYS = 60;

export function meetingDueDate(feedbackDate: string, days = DEFAULT_MEETING_DUE_DAYS): string {
  return addDays(feedbackDate, days);
}

/** Fields the unit may still edit in a state (the plan until held; the record until reviewed). */
export function meetingEditable(status: MeetingStatus): boolean {
  return status === 'planned' || status === 'held';
}

export interface MeetingTiming {
  status: MeetingStatus;
  dueDate: string;
  heldOn: string | null;
}

/** Not held and past its due date (today is a Shanghai 'YYYY-MM-DD'). */
export function meetingOverdue(m: MeetingTiming, today: string): boolean {
  return m.status === 'planned' && m.dueDate < today;
}

/** Held, but after the due date. */
export function meetingHeldLate(m: MeetingTiming): boolean {
  return m.status !== 'planned' && m.heldOn !== null && m.heldOn > m.dueDate;
}

/** The flag shown beside a meeting: not held in time, held late, or none. */
export function meetingFlag(m: MeetingTiming, today: string): 'overdue' | 'held_late' | null {
  if (meetingOverdue(m, today)) return 'overdue';
  if (meetingHeldLate(m)) return 'held_late';
  return null;
}

/** A date held is a real date no later than today and not before the feedback. */
export function heldOnAllowed(heldOn: string, feedbackDate: string, today: string): boolean {
  return heldOn <= today && heldOn >= feedbackDate;
}

// --- accountability -----------------------------------------------------------------------------

export const ACCOUNTABILITY_KINDS = [
  'interview', // 约谈
  'warning_interview', // 警示约谈
  'reminder_talk', // 提醒谈话
  'circulated_criticism', // 通报批评
  'accountability', // 问责
  'case_filed', // 立案审查调查
] as const;
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];

/** Kinds that hold a person accountable in the M4 sense (people held accountable) and cases filed. */
export const HELD_ACCOUNTABLE_KINDS: readonly AccountabilityKind[] = ['circulated_criticism', 'accountability'];
export const CASE_KINDS: readonly AccountabilityKind[] = ['case_filed'];

/** How a leading cadre is recognised across rounds: the name as written and the unit (whitespace trimmed). */
export function personKey(name: string, unitOrgId: number): string {
  return `${name.replace(/\s+/g, '')}@${unitOrgId}`;
}

/** Exact counts per kind of a list of records (every kind present, zero when none). */
export function countByKind(kinds: readonly string[]): Record<AccountabilityKind, number> {
  const out = Object.fromEntries(ACCOUNTABILITY_KINDS.map((k) => [k, 0])) as Record<AccountabilityKind, number>;
  for (const k of kinds) if (Object.hasOwn(out, k)) out[k as AccountabilityKind]++;
  return out;
}

/** Whether a meeting may move from one state to another (own keys only: '__proto__' is no state). */
export function canTransitionMeeting(from: string, to: string): boolean {
  return (
    Object.hasOwn(MEETING_TRANSITIONS, from) && MEETING_TRANSITIONS[from as MeetingStatus].includes(to as MeetingStatus)
  );
}
