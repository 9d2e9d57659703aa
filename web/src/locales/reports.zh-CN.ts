/** 简体中文 — the reports feature (the source of these keys). */

/** Menu labels, spread into the `menu` section. */
export const reportsMenuZhCN = {
  reports: '报告与汇报',
  tasks: '限时办结',
};

const reportsZhCN = {};

export default reportsZhCN;
export type ReportsMessages = typeof reportsZhCN;
export type ReportsMenuMessages = typeof reportsMenuZhCN;
