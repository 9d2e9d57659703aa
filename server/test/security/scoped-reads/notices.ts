import type { ScopedRead } from '../records.js';

/** Reads by path parameter of the notices feature's records, with a maker per record kind. */
export const NOTICE_SCOPED_READS: Record<string, ScopedRead> = {};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const NOTICE_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/notices/:id':
    "a notice belongs to its recipient user, not to an organisation: anyone else's answers 404 (notices.test.ts)",
};
