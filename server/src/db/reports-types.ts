import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0073-reports (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    reportMeetings: ReportMeetingTable;
    meetingMinutes: MeetingMinutesTable;
    followupTasks: FollowupTaskTable;
    followupTaskEvents: FollowupTaskEventTable;
  }
}

export interface ReportMeetingTable {
  id: Generated<number>;
  kind: string;
  meetingDate: string;
  termId: number | null;
  roundId: number | null;
  title: string;
  summary: string;
  reportKind: string | null;
  figures: string | null;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface MeetingMinutesTable {
  id: Generated<number>;
  kind: string;
  meetingDate: string;
  docNumber: string | null;
  title: string;
  content: string;
  roundId: number | null;
  reportMeetingId: number | null;
  createdBy: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface FollowupTaskTable {
  id: Generated<number>;
  minutesId: number;
  seq: number;
  content: string;
  ownerOrgId: number;
  ownerUserId: number | null;
  deadline: string;
  status: string;
  reportText: string | null;
  reportedBy: number | null;
  reportedAt: number | null;
  reviewNote: string | null;
  reviewedBy: number | null;
  reviewedAt: number | null;
  closedOn: string | null;
  urgeCount: number;
  lastUrgedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface FollowupTaskEventTable {
  id: Generated<number>;
  taskId: number;
  kind: string;
  note: string | null;
  actorId: number;
  actorOrgId: number;
  createdAt: number;
}
