import type { CheckKind, EvaluationStatus } from '../../../../domain/evaluation';

/** Shapes of /api/v1/evaluation (see server/src/modules/evaluation/evaluation.schemas.ts). */

export interface Labels {
  labelZhCn: string;
  labelZhTw: string;
  labelEn: string;
}

export interface ListItem {
  roundUnitId: number;
  roundId: number;
  roundName: string;
  unitOrgId: number;
  unitName: string;
  status: string;
  cycle: number;
  deadline: string | null;
  evaluationStatus: EvaluationStatus | null;
  checks: number;
  opinions: number;
  liaisons: number;
  total: number | null;
  gradeCode: string | null;
  lastTotal: number | null;
  lastGradeCode: string | null;
}

export interface SheetView {
  indicators: (Labels & {
    code: string;
    weight: number;
    maxScore: number;
    source: 'ledger' | 'entered';
    score: number | null;
    weighted: number | null;
    note: string | null;
    version: number;
    updatedByName: string | null;
  })[];
  deductions: (Labels & {
    id: number | null;
    reasonCode: string;
    points: number;
    computed: boolean;
    count: number;
    note: string | null;
    createdByName: string | null;
  })[];
  figures: {
    measures: number;
    done: number;
    closed: number;
    onTime: number;
    overdue: number;
    onTimeRate: number | null;
    closureRate: number | null;
    rectificationRate: number | null;
  };
  grades: (Labels & { code: string; minScore: number })[];
  total: number | null;
  gradeCode: string | null;
  missing: string[];
  asOf: string;
}

export interface Detail {
  roundUnit: {
    id: number;
    roundId: number;
    roundName: string;
    unitOrgId: number;
    unitName: string;
    status: string;
    cycle: number;
    feedbackDate: string | null;
    deadline: string | null;
    version: number;
  };
  cycle: number;
  evaluation: {
    id: number;
    status: EvaluationStatus;
    total: number | null;
    gradeCode: string | null;
    conclusion: string | null;
    finalisedByName: string | null;
    finalisedAt: number | null;
    accountabilityId: number | null;
    reRectifyDeadline: string | null;
    version: number;
  } | null;
  version: number;
  open: boolean;
  checks: {
    id: number;
    kind: CheckKind;
    checkedOn: string;
    checkers: string;
    subjects: string | null;
    findings: string;
    createdByName: string | null;
    version: number;
  }[];
  opinions:
    | {
        id: number;
        supervisorOrgId: number;
        supervisorName: string;
        opinion: string;
        suggestedGrade: string | null;
        givenByName: string | null;
        version: number;
        updatedAt: number;
      }[]
    | null;
  missingOpinions: { orgId: number; name: string }[] | null;
  sheet: SheetView;
  history:
    | {
        id: number;
        action: string;
        code: string | null;
        before: number | null;
        after: number | null;
        note: string | null;
        actorName: string | null;
        at: number;
      }[]
    | null;
  past: {
    cycle: number;
    total: number | null;
    gradeCode: string | null;
    finalisedAt: number | null;
    reRectifyDeadline: string | null;
    accountabilityId: number | null;
  }[];
}
