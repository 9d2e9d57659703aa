import type { ReportsMenuMessages, ReportsMessages } from './reports.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the reports feature. */

export const reportsMenuZhTW: Translation<ReportsMenuMessages> = {
  reports: '報告與匯報',
  tasks: '限時辦結',
};

const reportsZhTW: Translation<ReportsMessages> = {};

export default reportsZhTW;
