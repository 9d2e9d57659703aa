/** The reports feature's records as the API answers them (server/src/modules/reports/reports.schemas.ts). */

export type MeetingKind = 'leading_group' | 'secretary' | 'standing_committee';
export type MinutesKind = MeetingKind | 'other';
export type ReportKind = 'comprehensive' | 'progress_statistics' | 'open_measures';
export type TaskStatus = 'open' | 'reported' | 'returned' | 'closed';

export interface ReportMeeting {
  id: number;
  kind: MeetingKind;
  meetingDate: string;
  termId: number | null;
  roundId: number | null;
  roundName: string | null;
  termName: string | null;
  title: string;
  summary: string;
  reportKind: ReportKind | null;
  figures: { measures?: number; doneMeasures?: number; rectificationRate?: number | null } | null;
  createdByName: string | null;
  version: number;
}

export interface TaskEvent {
  id: number;
  kind: 'urge' | 'report' | 'return' | 'close';
  note: string | null;
  actorName: string | null;
  actorOrgName: string | null;
  createdAt: number;
}

export interface Task {
  id: number;
  minutesId: number;
  minutesTitle: string;
  minutesKind: MinutesKind;
  meetingDate: string;
  seq: number;
  content: string;
  ownerOrgId: number;
  ownerOrgName: string;
  ownerUserId: number | null;
  ownerUserName: string | null;
  deadline: string;
  status: TaskStatus;
  overdue: boolean;
  reportText: string | null;
  reportedAt: number | null;
  reportedByName: string | null;
  reviewNote: string | null;
  reviewedAt: number | null;
  closedOn: string | null;
  urgeCount: number;
  lastUrgedAt: number | null;
  version: number;
}

export interface TaskWithEvents extends Task {
  events: TaskEvent[];
}

export interface Minutes {
  id: number;
  kind: MinutesKind;
  meetingDate: string;
  docNumber: string | null;
  title: string;
  content: string;
  roundId: number | null;
  createdByName: string | null;
  tasks: Task[];
}

export const TASK_COLOR: Record<TaskStatus, string> = {
  open: 'gold',
  reported: 'processing',
  returned: 'error',
  closed: 'success',
};

/** Which report file each kind downloads. */
export const REPORT_FILES: Record<ReportKind, { path: string; fallback: string }> = {
  comprehensive: { path: '/reports/comprehensive.docx', fallback: 'comprehensive-report.docx' },
  progress_statistics: { path: '/reports/progress-statistics.xlsx', fallback: 'progress-statistics.xlsx' },
  open_measures: { path: '/reports/open-measures.xlsx', fallback: 'open-measures.xlsx' },
};
