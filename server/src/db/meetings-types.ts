import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0063-meetings-accountability (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    democraticMeetings: DemocraticMeetingTable;
    democraticMeetingNotes: DemocraticMeetingNoteTable;
    accountabilityRecords: AccountabilityRecordTable;
  }
}

export interface DemocraticMeetingTable {
  id: Generated<number>;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  cycle: number;
  status: string;
  feedbackDate: string;
  dueDate: string;
  plannedDate: string;
  plan: string | null;
  report: string | null;
  heldOn: string | null;
  attendees: string;
  problemsFound: string | null;
  measuresDecided: string | null;
  createdBy: number | null;
  heldRecordedBy: number | null;
  heldRecordedAt: number | null;
  reviewedBy: number | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DemocraticMeetingNoteTable {
  id: Generated<number>;
  meetingId: number;
  kind: string;
  content: string;
  authorId: number;
  authorOrgId: number;
  createdAt: number;
}

export interface AccountabilityRecordTable {
  id: Generated<number>;
  kind: string;
  problemId: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  personName: string;
  personKey: string;
  personPost: string | null;
  personUnitOrgId: number;
  reason: string;
  decidingOrgId: number;
  decidedOn: string;
  outcome: string | null;
  negativeList: number;
  negativeListNote: string | null;
  createdBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}
