import type { ScopedRead } from '../records.js';

/** The supervision feature's reads by path parameter (see route-table.test.ts). */
export const SUPERVISION_SCOPED_READS: Record<string, ScopedRead> = {};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const SUPERVISION_NOT_ORG_SCOPED: Record<string, string> = {};
