import type { ScopedRead } from '../records.js';

/** The handover feature's reads by path parameter (see route-table.test.ts). */
export const HANDOVER_SCOPED_READS: Record<string, ScopedRead> = {};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const HANDOVER_NOT_ORG_SCOPED: Record<string, string> = {};
