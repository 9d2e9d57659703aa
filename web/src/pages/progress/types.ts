import type { FileKind } from '../../../../domain/evidence';
import type { PeriodKind, ProgressReportStatus } from '../../../../domain/progress';
import type { MeasureStatus, MeasureType } from '../../../../domain/rectification';

/** Shapes of server/src/modules/{evidence,progress}/*.schemas.ts (SPEC M6). */

export interface EvidenceFile {
  id: number;
  name: string;
  size: number;
  sm3: string;
  kind: FileKind | string;
  roundUnitId: number;
  unitOrgId: number;
  uploadedBy: number | null;
  uploadedByName?: string | null;
  createdAt: number;
  /** Other uploads with the same bytes (the server says where); shown as a hint only. */
  duplicates?: unknown;
}

export interface ReportingPeriodRow {
  seq: number;
  kind: PeriodKind;
  dueDate: string;
  overdue: boolean;
  report: ProgressReport | null;
}

export interface ProgressReport {
  id: number;
  roundUnitId: number;
  roundId?: number;
  unitOrgId: number;
  unitName?: string | null;
  roundName?: string | null;
  periodSeq: number;
  periodKind: PeriodKind;
  dueDate: string;
  status: ProgressReportStatus;
  revision: number;
  summary: string | null;
  late: boolean;
  overdue?: boolean;
  preparedBy?: number | null;
  preparedByName?: string | null;
  sentForSignoffAt?: number | null;
  signedBy?: number | null;
  signedByName?: string | null;
  submittedAt: number | null;
  returnedBy?: number | null;
  returnedByName?: string | null;
  returnedAt?: number | null;
  returnNote?: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface ReportItem {
  measureId: number;
  problemId?: number;
  problemNumber?: string | null;
  problemDescription?: string | null;
  measureSeq?: number;
  measureContent: string;
  measureType?: MeasureType;
  measureStatus: MeasureStatus;
  deadline?: string | null;
  reportedStatus: MeasureStatus;
  narrative: string;
  fileIds: number[];
  files: EvidenceFile[];
}

export interface ProgressReportDetail extends ProgressReport {
  items: ReportItem[];
}

export interface ReportVersionRow {
  revision: number;
  late: boolean;
  submittedAt: number;
  preparedBy?: number | null;
  preparedByName?: string | null;
  signedBy?: number | null;
  signedByName?: string | null;
}

export interface ReportVersion extends ReportVersionRow {
  summary: string | null;
  items: ReportItem[];
}
