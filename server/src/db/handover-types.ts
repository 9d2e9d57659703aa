import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0061-handover (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    handovers: HandoverTable;
    handoverItems: HandoverItemTable;
    handoverItemNotes: HandoverItemNoteTable;
    responsibilityHandovers: ResponsibilityHandoverTable;
    responsibilityHandoverMeasures: ResponsibilityHandoverMeasureTable;
    responsibilityHandoverNotices: ResponsibilityHandoverNoticeTable;
  }
}

export interface HandoverTable {
  id: Generated<number>;
  receivingOrgId: number;
  note: string | null;
  sentBy: number;
  sentAt: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface HandoverItemTable {
  id: Generated<number>;
  handoverId: number;
  problemId: number;
  roundUnitId: number;
  unitOrgId: number;
  receivingOrgId: number;
  kind: string;
  status: string;
  openProblemId: number | null;
  acceptedBy: number | null;
  acceptedAt: number | null;
  returnedBy: number | null;
  returnedAt: number | null;
  returnReason: string | null;
  supervisorOrgId: number | null;
  dispatchedBy: number | null;
  dispatchedAt: number | null;
  dispatchNote: string | null;
  dueDate: string | null;
  concludedBy: number | null;
  concludedAt: number | null;
  conclusion: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface HandoverItemNoteTable {
  id: Generated<number>;
  itemId: number;
  authorId: number;
  authorOrgId: number;
  content: string;
  createdAt: number;
}

export interface ResponsibilityHandoverTable {
  id: Generated<number>;
  roundUnitId: number;
  unitOrgId: number;
  fromUserId: number | null;
  fromName: string;
  toUserId: number | null;
  toName: string;
  effectiveDate: string;
  reason: string;
  measureCount: number;
  recordedBy: number;
  createdAt: number;
}

export interface ResponsibilityHandoverMeasureTable {
  id: Generated<number>;
  handoverId: number;
  measureId: number;
  previousOwnerName: string | null;
  previousOwnerUserId: number | null;
  versionBefore: number;
  versionAfter: number;
}

export interface ResponsibilityHandoverNoticeTable {
  id: Generated<number>;
  handoverId: number;
  recipientUserId: number;
  role: string;
  createdAt: number;
  readAt: number | null;
}
