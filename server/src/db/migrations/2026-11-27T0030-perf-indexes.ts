import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Indexes that `npm run bench` (issue 9, bench/README.md) showed missing at province scale (SPEC §4).
// SQLite plans without statistics (the application never runs ANALYZE), so each index below puts the
// columns a query compares for equality first: the planner then prefers it on either dialect.
//
// - measures_problem_done: the summary rebuild of every ledger write counts each problem's done
//   measures (`problem_id = ? AND is_done = 1`). SQLite answered that through measures_overdue
//   (is_done, …), reading every done measure of the database for each problem: 265 ms per status
//   change at 10,000 measures, 33 s for the full rebuild; with this index 0.3 ms and 0.05 s.
// - measures_open_term / _round / _unit: the dashboard's overdue count (`is_done = 0 AND
//   effective_deadline < today` in a term, a round or a scope of units) read every overdue measure of
//   the database through measures_overdue and looked each one up: 6–11 ms at 100,000 measures,
//   growing with the table. These count only the scope's own overdue entries, without the table
//   (0.02–0.2 ms); measures_open_unit also covers the per-unit lights of /dashboard/units (76 → 6 ms).
// - measures_term_status: the ledger's total for a status tab (`term_id = ? AND status = ?`) walked
//   the status's rows in every term and read each one: 16–30 ms at 100,000 measures; now 0.7 ms.
// Together they cost a status change about 0.1 ms (is_done and status move in five more indexes).

export async function up(db: Kysely<any>): Promise<void> {
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('measures').columns(columns).execute();
  await index('measures_problem_done', ['problem_id', 'is_done']);
  await index('measures_open_term', ['is_done', 'term_id', 'effective_deadline']);
  await index('measures_open_round', ['is_done', 'round_id', 'effective_deadline']);
  await index('measures_open_unit', [
    'is_done',
    'unit_org_id',
    'effective_deadline',
    'last_progress_at',
    'created_at',
    'term_id',
    'round_id',
  ]);
  await index('measures_term_status', ['term_id', 'status']);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'measures_term_status',
    'measures_open_unit',
    'measures_open_round',
    'measures_open_term',
    'measures_problem_done',
  ])
    await db.schema.dropIndex(name).execute();
}
