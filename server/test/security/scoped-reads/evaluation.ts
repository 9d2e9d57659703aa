import { ledgerRecords, type ScopedRead } from '../records.js';

/** Reads by path parameter of the evaluation feature's records, with a maker per record kind. */
export const EVALUATION_SCOPED_READS: Record<string, ScopedRead> = {
  // A round-unit's evaluation (checks, 汇商会, sheet): scoped by the round-unit's unit.
  'GET /api/v1/evaluation/round-units/:id': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const EVALUATION_NOT_ORG_SCOPED: Record<string, string> = {};
