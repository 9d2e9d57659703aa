import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0050-progress-closure (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    evidenceFiles: EvidenceFileTable;
    measureEvidence: MeasureEvidenceTable;
    progressReports: ProgressReportTable;
    progressReportItems: ProgressReportItemTable;
    progressReportVersions: ProgressReportVersionTable;
    closures: ClosureTable;
    closureVerifications: ClosureVerificationTable;
    rechecks: RecheckTable;
  }
}

export interface EvidenceFileTable {
  id: Generated<number>;
  sm3: string;
  size: number;
  kind: string;
  name: string;
  roundUnitId: number;
  unitOrgId: number;
  uploadedBy: number | null;
  createdAt: number;
}

export interface MeasureEvidenceTable {
  id: Generated<number>;
  measureId: number;
  fileId: number;
  sm3: string;
  problemId: number;
  roundUnitId: number;
  unitOrgId: number;
  source: string;
  sourceId: number;
  createdAt: number;
}

export interface ProgressReportTable {
  id: Generated<number>;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  periodSeq: number;
  periodKind: string;
  dueDate: string;
  status: string;
  revision: number;
  summary: string | null;
  late: number;
  preparedBy: number | null;
  sentForSignoffAt: number | null;
  signedBy: number | null;
  submittedAt: number | null;
  returnedBy: number | null;
  returnedAt: number | null;
  returnNote: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface ProgressReportItemTable {
  id: Generated<number>;
  reportId: number;
  measureId: number;
  reportedStatus: string;
  narrative: string;
  fileIds: string;
  updatedAt: number;
}

export interface ProgressReportVersionTable {
  id: Generated<number>;
  reportId: number;
  revision: number;
  snapshot: string;
  late: number;
  preparedBy: number | null;
  signedBy: number | null;
  submittedAt: number;
}

export interface ClosureTable {
  id: Generated<number>;
  measureId: number;
  problemId: number;
  roundUnitId: number;
  unitOrgId: number;
  categoryCode: string;
  status: string;
  summary: string;
  fileIds: string;
  applicantId: number;
  appliedAt: number;
  decidedBy: number | null;
  decidedAt: number | null;
  decisionNote: string | null;
  reopenedBy: number | null;
  reopenedAt: number | null;
  reopenSource: string | null;
  reopenReason: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface ClosureVerificationTable {
  id: Generated<number>;
  closureId: number;
  verifierId: number;
  verifierRole: string;
  verifierOrgId: number;
  verdict: string;
  note: string | null;
  createdAt: number;
}

export interface RecheckTable {
  id: Generated<number>;
  measureId: number;
  closureId: number;
  roundUnitId: number;
  unitOrgId: number;
  categoryCode: string;
  monthsAfter: number;
  dueDate: string;
  status: string;
  resultNote: string | null;
  doneBy: number | null;
  doneAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}
