import type { EvaluationMenuMessages, EvaluationMessages } from './evaluation.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the evaluation feature. */

export const evaluationMenuZhTW: Translation<EvaluationMenuMessages> = {
  evaluation: '檢查考核評價',
};

const evaluationZhTW: Translation<EvaluationMessages> = {};

export default evaluationZhTW;
