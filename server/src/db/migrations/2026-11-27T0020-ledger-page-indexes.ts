import { type Kysely, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Indexes for the ledger sheet and the dashboard at SPEC §4 sizes (a million measures):
// - measures_open: open measures only (a few percent), covering the per-unit lights of the dashboard
//   (overdue, due soon, stalled) so that they never touch the table. Partial indexes are plain SQL on
//   SQLite and on the PostgreSQL family (KingbaseES, openGauss, Highgo).
// - measures_status_deadline: "what is in progress, by deadline", the sheet's most common view, as a
//   keyset page without sorting the status's rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('measures_open')
    .on('measures')
    .columns(['unit_org_id', 'effective_deadline', 'last_progress_at', 'created_at', 'term_id', 'round_id'])
    .where(sql<boolean>`is_done = 0`)
    .execute();
  await db.schema
    .createIndex('measures_status_deadline')
    .on('measures')
    .columns(['status', 'effective_deadline', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('measures_status_deadline').execute();
  await db.schema.dropIndex('measures_open').execute();
}
