import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The ledger sheet sorts by the effective deadline with the measure id as tie-breaker and pages by
// keyset on (effective_deadline, id); this index serves that order without sorting a million rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('measures_effective_deadline')
    .on('measures')
    .columns(['effective_deadline', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('measures_effective_deadline').execute();
}
