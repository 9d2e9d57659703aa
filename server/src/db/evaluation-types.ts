import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0071-evaluation (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    evaluations: EvaluationTable;
    evaluationChecks: EvaluationCheckTable;
    evaluationOpinions: EvaluationOpinionTable;
    evaluationScores: EvaluationScoreTable;
    evaluationDeductions: EvaluationDeductionTable;
    evaluationScoreHistory: EvaluationScoreHistoryTable;
  }
}

export interface EvaluationTable {
  id: Generated<number>;
  roundUnitId: number;
  cycle: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  status: string;
  totalCenti: number | null;
  gradeCode: string | null;
  sheet: string | null;
  conclusion: string | null;
  finalisedBy: number | null;
  finalisedAt: number | null;
  finalisedYear: number | null;
  accountabilityId: number | null;
  reRectifyDeadline: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluationCheckTable {
  id: Generated<number>;
  evaluationId: number;
  kind: string;
  checkedOn: string;
  checkers: string;
  subjects: string | null;
  findings: string;
  createdBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluationOpinionTable {
  id: Generated<number>;
  evaluationId: number;
  supervisorOrgId: number;
  opinion: string;
  suggestedGrade: string | null;
  givenBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluationScoreTable {
  id: Generated<number>;
  evaluationId: number;
  indicatorCode: string;
  scoreCenti: number;
  note: string | null;
  updatedBy: number | null;
  version: number;
  updatedAt: number;
}

export interface EvaluationDeductionTable {
  id: Generated<number>;
  evaluationId: number;
  reasonCode: string;
  pointsCenti: number;
  note: string | null;
  createdBy: number | null;
  createdAt: number;
}

export interface EvaluationScoreHistoryTable {
  id: Generated<number>;
  evaluationId: number;
  action: string;
  code: string | null;
  beforeCenti: number | null;
  afterCenti: number | null;
  note: string | null;
  actorId: number | null;
  actorName: string | null;
  at: number;
}
