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
  roundUnitId?: number;
  unitOrgId?: number;
  uploadedBy?: number | null;
  createdAt?: number;
  /** On upload: how many evidence links of other problems carry the same bytes. */
  duplicates?: number;
  /** In a closure: the same bytes were offered for another problem (虚假整改 flag). */
  reused?: boolean;
}

export interface ReportSummaryRef {
  id: number;
  status: ProgressReportStatus;
  revision: number;
  late: boolean;
  dueDate: string;
  submittedAt: number | null;
}

export interface ReportingPeriodRow {
  seq: number;
  kind: PeriodKind;
  dueDate: string;
  overdue: boolean;
  report: ReportSummaryRef | null;
}

export interface PeriodList {
  deadline: string | null;
  cadence: 'monthly' | 'quarterly';
  items: ReportingPeriodRow[];
}

export interface ProgressReport {
  id: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  unitName: string;
  periodSeq: number;
  periodKind: PeriodKind;
  dueDate: string;
  status: ProgressReportStatus;
  revision: number;
  late: boolean;
  overdue: boolean;
  submittedAt: number | null;
  updatedAt: number;
}

export interface ReportItem {
  measureId: number;
  problemId: number;
  problemNumber: string;
  seq: number;
  content: string;
  type: MeasureType | string;
  categoryCode: string;
  measureStatus: MeasureStatus | null;
  reportedStatus: MeasureStatus;
  narrative: string;
  files: EvidenceFile[];
}

export interface ProgressReportDetail extends ProgressReport {
  summary: string | null;
  preparedBy: number | null;
  sentForSignoffAt: number | null;
  signedBy: number | null;
  signedByName: string | null;
  returnedBy: number | null;
  returnedAt: number | null;
  returnNote: string | null;
  version: number;
  createdAt: number;
  items: ReportItem[];
}

export interface ReportVersionRow {
  revision: number;
  submittedAt: number;
  late: boolean;
  signedBy: number | null;
  signedByName: string | null;
}

export interface ReportVersion extends ReportVersionRow {
  reportId: number;
  preparedBy: number | null;
  summary: string | null;
  items: ReportItem[];
}

type Side = { reportedStatus: MeasureStatus; narrative: string } | null;
export interface Comparison {
  from: number;
  to: number;
  summaryChanged: boolean;
  items: {
    measureId: number;
    problemNumber: string;
    seq: number;
    content: string;
    from: Side;
    to: Side;
    statusChanged: boolean;
    narrativeChanged: boolean;
    filesAdded: EvidenceFile[];
    filesRemoved: EvidenceFile[];
  }[];
}
