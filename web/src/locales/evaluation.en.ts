import type { EvaluationMenuMessages, EvaluationMessages } from './evaluation.zh-CN';
import type { Translation } from './types';

/** English — the evaluation feature. */

export const evaluationMenuEn: Translation<EvaluationMenuMessages> = {
  evaluation: 'Evaluation and grading',
};

const evaluationEn: Translation<EvaluationMessages> = {};

export default evaluationEn;
