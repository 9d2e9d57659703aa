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
  measureContent?: string | null;
  problemNumber?: string | null;
  verificationCount?: number;
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

/** Who still has to verify: the office and each liaison supervisor (the server's list, as it gives it). */
export type RequiredVerifier =
  | string
  | {
      role?: string;
      orgId?: number | null;
      orgName?: string | null;
      name?: string | null;
      done?: boolean;
      verified?: boolean;
    };

/** The same file (same SM3) offered as evidence elsewhere: a hint of 虚假整改 for the verifier. */
export interface ReusedEvidence {
  fileId?: number;
  name?: string;
  fileName?: string;
  sm3?: string;
  measureId?: number;
  problemId?: number;
  problemNumber?: string | null;
  unitName?: string | null;
  unitOrgId?: number;
  roundUnitId?: number;
  source?: string;
  [k: string]: unknown;
}

export interface ClosureMeasure {
  id: number;
  content: string;
  type?: MeasureType;
  status: MeasureStatus;
  deadline?: string;
  effectiveDeadline?: string;
  completedOn?: string | null;
  ownerName?: string | null;
  version?: number;
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
  measure?: ClosureMeasure;
  problem?: ClosureProblem;
}

export interface Recheck {
  id: number;
  measureId: number;
  closureId: number;
  roundUnitId: number;
  unitOrgId: number;
  unitName?: string | null;
  measureContent?: string | null;
  monthsAfter: number;
  dueDate: string;
  status: RecheckStatus;
  resultNote: string | null;
  doneBy: number | null;
  doneByName?: string | null;
  doneAt: number | null;
  version: number;
}

export interface StalledMeasure {
  id: number;
  content: string;
  status: MeasureStatus;
  roundUnitId?: number;
  unitOrgId?: number;
  unitName?: string | null;
  problemNumber?: string | null;
  lastProgressAt: number | null;
  createdAt?: number;
  stalledDays?: number;
  effectiveDeadline?: string;
  ownerName?: string | null;
}
