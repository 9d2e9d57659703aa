/** 简体中文 — the surveys feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const surveysMenuZhCN = {
  surveys: '满意度测评',
};

const surveysZhCN = {};

export default surveysZhCN;
export type SurveysMessages = typeof surveysZhCN;
export type SurveysMenuMessages = typeof surveysMenuZhCN;
