import type { ScopedRead } from '../records.js';

/** The clues feature's reads by path parameter (see route-table.test.ts). */
export const CLUE_SCOPED_READS: Record<string, ScopedRead> = {};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const CLUE_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/clues/:id': 'confidential: sender office and receiving body only, proven in clues.test.ts',
};
