import type { ScopedRead } from '../records.js';

/** Reads by path parameter of the reports feature's records, with a maker per record kind. */
export const REPORT_SCOPED_READS: Record<string, ScopedRead> = {};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const REPORT_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/minutes/:id':
    "the standing committee's minutes are the office's records, read by the office, the leadership and the 督查室 " +
    'and by no unit (404); a unit reads only its own tasks (integration/reports.test.ts)',
  'GET /api/v1/tasks/:id':
    'a 限时办结 task: the 督查室 (task.follow) follows every task across organisations although its ROLE_SCOPE is ' +
    '"own", which this matrix cannot express; a unit reads only tasks of its own scope, 404 otherwise, ' +
    'exactly as a missing task (tested in integration/reports.test.ts)',
};
