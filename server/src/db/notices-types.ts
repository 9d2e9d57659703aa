import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0072-notices (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    jobRuns: JobRunTable;
    notices: NoticeTable;
    noticeDeliveries: NoticeDeliveryTable;
  }
}

export interface JobRunTable {
  id: Generated<number>;
  job: string;
  periodKey: string;
  status: string; // running | done | failed
  claimedBy: string;
  leaseUntil: number;
  attempts: number;
  scheduledAt: number;
  startedAt: number;
  finishedAt: number | null;
  result: string | null;
  error: string | null;
}

export interface NoticeTable {
  id: Generated<number>;
  userId: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  link: string | null;
  unitOrgId: number | null;
  entity: string | null;
  entityId: string | null;
  idemKey: string;
  createdAt: number;
  readAt: number | null;
}

export interface NoticeDeliveryTable {
  id: Generated<number>;
  noticeId: number;
  channel: string; // email | webhook
  status: string; // pending | sending | sent | failed | skipped
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  claimedBy: string | null;
  target: string | null;
  lastError: string | null;
  sentAt: number | null;
  createdAt: number;
  updatedAt: number;
}
