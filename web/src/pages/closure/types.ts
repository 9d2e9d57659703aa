import type { ClosureStatus, ClosureVerdict, RecheckStatus, ReopenSource } from '../../../../domain/progress';
import type { MeasureStatus, MeasureType } from '../../../../domain/rectification';
import type { EvidenceFile } from '../progress/types';

/** Shapes of server/src/modules/closure/closure.schemas.ts (SPEC M7, M18). */

export interface Closure {
  id: number;
  measureId: number;
  problemId: number;
  roundUnitId: number;
  unitOrgId: number;
  unitName?: string | null;
  roundName?: string | null;
  categoryCode: string;
  status: ClosureStatus;
  summary: string;
  fileIds?: number[];
  applicantId: number;
  applicantName?: string | null;
  appliedAt: number;
  decidedBy: number | null;
  decidedByName?: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  reopenedBy?: number | null;
  reopenedByName?: string | null;
  reopenedAt?: number | null;
  reopenSource?: ReopenSource | null;
  reopenReason?: string | null;
  measureContent?: string;
  problemNumber?: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface Verification {
  id: number;
  verifierId: number;
  verifierName?: string | null;
  verifierRole: string;
  verifierOrgId: number;
  verifierOrgName?: string | null;
  verdict: ClosureVerdict;
  note: string | null;
  createdAt: number;
}

/** Who has to verify: the office and each liaison supervisor, and whether each has. */
export interface RequiredVerifier {
  kind: 'office' | 'supervisor';
  orgId: number | null;
  name: string;
  done: boolean;
  verdict: ClosureVerdict | null;
}

/** The same file (same SM3) offered as evidence elsewhere: a hint of 虚假整改 for the verifier. */
export interface ReusedEvidence {
  fileId: number;
  name: string;
  sm3: string;
  elsewhere: {
    problemId: number;
    problemNumber: string;
    measureId: number;
    unitOrgId: number;
    unitName: string;
    roundUnitId: number;
    source: string;
    offeredAt: number;
  }[];
  /** Other problems outside the caller's scope with the same bytes. */
  hiddenCount: number;
}

export interface ClosureMeasure {
  id: number;
  content: string;
  type: MeasureType | string;
  status: MeasureStatus;
  ownerName: string | null;
  ownerUserId: number | null;
  ownerDisplayName: string | null;
  effectiveDeadline: string;
  version: number;
}

export interface ClosureProblem {
  id: number;
  number: string;
  description: string;
  categoryCode?: string;
}

export interface ClosureDetail extends Closure {
  files: EvidenceFile[];
  verifications: Verification[];
  requiredVerifiers: RequiredVerifier[];
  reusedEvidence: ReusedEvidence[];
  measure: ClosureMeasure;
  problem: ClosureProblem;
  rechecks: Recheck[];
}

export interface Recheck {
  id: number;
  measureId: number;
  closureId: number;
  roundUnitId: number;
  unitOrgId: number;
  unitName: string;
  problemNumber: string;
  measureContent: string;
  monthsAfter: number;
  dueDate: string;
  overdue: boolean;
  status: RecheckStatus;
  resultNote: string | null;
  doneBy: number | null;
  doneByName?: string | null;
  doneAt: number | null;
  version: number;
}

export interface StalledMeasure {
  measureId: number;
  problemId: number;
  problemNumber: string;
  roundUnitId: number;
  unitOrgId: number;
  unitName: string;
  content: string;
  type: MeasureType | string;
  status: MeasureStatus;
  effectiveDeadline: string;
  ownerName: string | null;
  ownerDisplayName: string | null;
  lastProgressAt: number;
  daysWithoutProgress: number;
}
