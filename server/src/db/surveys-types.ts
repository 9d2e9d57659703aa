import type { Generated } from 'kysely';

/** Table types of migration 2026-11-27T0070-surveys (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {
    surveys: SurveyTable;
    surveyUnits: SurveyUnitTable;
    surveyBatches: SurveyBatchTable;
    surveyCodes: SurveyCodeTable;
    surveyResponses: SurveyResponseTable;
    surveyAnswers: SurveyAnswerTable;
  }
}

export interface SurveyTable {
  id: Generated<number>;
  title: string;
  intro: string;
  questions: string;
  status: string;
  openedAt: number | null;
  closedAt: number | null;
  createdBy: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface SurveyUnitTable {
  surveyId: number;
  roundUnitId: number;
  unitOrgId: number;
}

export interface SurveyBatchTable {
  id: Generated<number>;
  surveyId: number;
  roundUnitId: number;
  audience: string;
  label: string | null;
  codeCount: number;
  sealedCodes: string;
  createdBy: number | null;
  createdAt: number;
}

export interface SurveyCodeTable {
  id: Generated<number>;
  batchId: number;
  surveyId: number;
  codeHash: string;
  used: number;
}

/** Anonymous: no code, batch, person or time (see the migration). */
export interface SurveyResponseTable {
  id: string;
  surveyId: number;
  roundUnitId: number;
  audience: string;
}

export interface SurveyAnswerTable {
  responseId: string;
  questionKey: string;
  optionKey: string | null;
  text: string | null;
}
