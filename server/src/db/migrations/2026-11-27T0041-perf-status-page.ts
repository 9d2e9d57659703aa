import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// From `npm run bench` at 1,000,000 measures (named after 2026-11-27T0040: Kysely refuses a new migration
// that sorts before one a database has already run):
// the ledger's status tab of a term sorted by deadline (`term_id = ? AND status = ? ORDER BY
// effective_deadline, id`, the sheet's commonest view) walked measures_status_deadline through the
// status's rows of every older term, reading each one, before it found the page: 38 ms on SQLite.
// One index answers the page in order and its total without the table; it replaces
// measures_term_status (term_id, status), which it contains.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('measures_term_status_deadline')
    .on('measures')
    .columns(['term_id', 'status', 'effective_deadline'])
    .execute();
  await db.schema.dropIndex('measures_term_status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('measures_term_status').on('measures').columns(['term_id', 'status']).execute();
  await db.schema.dropIndex('measures_term_status_deadline').execute();
}
