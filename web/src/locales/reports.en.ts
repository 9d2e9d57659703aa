import type { ReportsMenuMessages, ReportsMessages } from './reports.zh-CN';
import type { Translation } from './types';

/** English — the reports feature. */

export const reportsMenuEn: Translation<ReportsMenuMessages> = {
  reports: 'Reports',
  tasks: 'Time-limited tasks',
};

const reportsEn: Translation<ReportsMessages> = {};

export default reportsEn;
