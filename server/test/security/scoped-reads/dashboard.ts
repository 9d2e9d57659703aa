import type { ScopedRead } from '../records.js';

/** Reads by path parameter of the dashboard feature's records, with a maker per record kind. */
export const DASHBOARD_SCOPED_READS: Record<string, ScopedRead> = {};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const DASHBOARD_NOT_ORG_SCOPED: Record<string, string> = {};
