import type {
  ExtensionStatus,
  ImmediateItemStatus,
  Light,
  MeasureStatus,
  MeasureType,
  PROBLEM_SEVERITIES,
  PROBLEM_SOURCES,
} from '../../../../domain/rectification';

/** Shapes of server/src/modules/ledger/ledger.schemas.ts and ledger-excel.schemas.ts (M4, M5, M14, M18). */

export type Severity = (typeof PROBLEM_SEVERITIES)[number];
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];

/** The statuses the ledger screens move a measure between; closure belongs to 对账销号 (M7). */
export const EDITABLE_MEASURE_STATUSES = [
  'not_started',
  'in_progress',
  'completed',
] as const satisfies readonly MeasureStatus[];

export interface Measure {
  id: number;
  problemId: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  categoryCode: string;
  seq: number;
  content: string;
  type: MeasureType;
  status: MeasureStatus;
  isDone: boolean;
  /** The original deadline. */
  deadline: string;
  extendedDeadline: string | null;
  effectiveDeadline: string;
  ownerName: string | null;
  ownerUserId: number | null;
  completedOn: string | null;
  rulesEstablished: number;
  /** 元, decimal string. */
  fundsReturned: string;
  lossesRecovered: string;
  peopleHeldAccountable: number;
  casesFiled: number;
  lastProgressAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface LedgerRow extends Measure {
  problemNumber: string;
  problemSeq: number;
  problemDescription: string;
  severity: Severity;
  source: ProblemSource;
  campaignId: number | null;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  firstResponsible: string | null;
  sharedResponsibles: string[];
  unitName: string;
  roundName: string;
  overdue: boolean;
  overdueAgainstOriginal: boolean;
  overdueAgainstExtended: boolean;
  light: Light;
}

export interface LedgerPage {
  items: LedgerRow[];
  nextCursor: string | null;
  total: number;
}

export interface ProblemResponsible {
  id: number;
  name: string;
  post: string | null;
  duty: 'first' | 'shared';
}

export interface ProblemSummary {
  id: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  campaignId: number | null;
  seq: number;
  number: string;
  categoryCode: string;
  description: string;
  source: ProblemSource;
  severity: Severity;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  measureCount: number;
  doneCount: number;
  rectified: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
  responsibles: ProblemResponsible[];
}

export interface Extension {
  id: number;
  measureId: number;
  unitOrgId: number;
  previousDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: ExtensionStatus;
  requestedBy: number | null;
  requestedByName: string | null;
  requestedAt: number;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  version: number;
}

export interface ImmediateItem {
  id: number;
  roundUnitId: number;
  unitOrgId: number;
  problemId: number | null;
  content: string;
  status: ImmediateItemStatus;
  proposedBy: number | null;
  proposedAt: number | null;
  approvedBy: number | null;
  approvedAt: number | null;
  approvalNote: string | null;
  fixedBy: number | null;
  fixedAt: number | null;
  fixReport: string | null;
  verifiedBy: number | null;
  verifiedAt: number | null;
  verifyNote: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface Figures {
  units: number;
  problems: number;
  rectifiedProblems: number;
  measures: number;
  doneMeasures: number;
  closedMeasures: number;
  rectificationRate: number | null;
  closureRate: number | null;
  problemRectificationRate: number | null;
  rulesEstablished: number;
  fundsReturned: string;
  lossesRecovered: string;
  peopleHeldAccountable: number;
  casesFiled: number;
  overdue: number;
}

export interface UnitFigures {
  unitOrgId: number;
  unitName: string;
  problems: number;
  rectifiedProblems: number;
  measures: number;
  doneMeasures: number;
  rectificationRate: number | null;
  rulesEstablished: number;
  fundsReturned: string;
  lossesRecovered: string;
  peopleHeldAccountable: number;
  casesFiled: number;
  overdue: number;
  dueSoon: number;
  stalled: number;
  light: Light;
}

export interface DraftProblem {
  number: string;
  heading: string;
  description: string;
  categoryCode: string | null;
}

export interface ParseResult {
  preamble: string;
  drafts: DraftProblem[];
}

export interface LedgerImportResult {
  problems: number;
  measures: number;
}
