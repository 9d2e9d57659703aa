/** 简体中文 — the evaluation feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const evaluationMenuZhCN = {
  evaluation: '检查考核评价',
};

const evaluationZhCN = {};

export default evaluationZhCN;
export type EvaluationMessages = typeof evaluationZhCN;
export type EvaluationMenuMessages = typeof evaluationMenuZhCN;
