import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Every reference to a measure, problem, round-unit or closure gets an index that leads with it.
// Deleting such a row makes the database look for rows that still refer to it; without an index
// that is a scan of the referring table for every deleted row — found by the bench at SPEC §4
// size, where removing 10,000 imported measures scanned 988,112 progress-report items each time.
// (References to users, organisations, terms and rounds stay unindexed: those rows are disabled
// or refused with IN_USE, never deleted in bulk.) schema.test.ts keeps this true for new tables.

const INDEXES: [table: string, column: string][] = [
  ['progress_report_items', 'measure_id'],
  ['supervision_actions', 'measure_id'],
  ['responsibility_handover_measures', 'measure_id'],
  ['immediate_items', 'problem_id'],
  ['measure_evidence', 'problem_id'],
  ['closures', 'problem_id'],
  ['supervision_actions', 'problem_id'],
  ['clues', 'problem_id'],
  ['measure_evidence', 'round_unit_id'],
  ['closures', 'round_unit_id'],
  ['rechecks', 'round_unit_id'],
  ['rechecks', 'closure_id'],
  ['supervision_plans', 'round_unit_id'],
  ['supervision_actions', 'round_unit_id'],
  ['dispatch_orders', 'round_unit_id'],
  ['handover_items', 'round_unit_id'],
  ['clues', 'round_unit_id'],
  ['accountability_records', 'round_unit_id'],
  ['survey_units', 'round_unit_id'],
  ['survey_batches', 'round_unit_id'],
  ['survey_responses', 'round_unit_id'],
  ['disclosure_items', 'round_unit_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of INDEXES)
    await db.schema.createIndex(`${table}_fk_${column}`).on(table).column(column).execute();
}
