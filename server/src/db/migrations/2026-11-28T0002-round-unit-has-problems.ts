import { type Kysely, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The dashboard's "units" of a term or round counted the units whose round-units have a summary row
// (any problem) by probing ledger_summaries once per round-unit: 1.3 ms of the whole term's 2.0 ms
// at SPEC §4 size on PostgreSQL (bench/README.md). round_units.has_problems keeps that answer; the
// summary rebuild that adds or removes a round-unit's last summary row sets it, in the same
// transaction. The index answers the count from the index alone.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('round_units')
    .addColumn('has_problems', 'smallint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE round_units SET has_problems = 1
    WHERE EXISTS (SELECT 1 FROM ledger_summaries s WHERE s.round_unit_id = round_units.id)`.execute(db);
  await db.schema
    .createIndex('round_units_term_problems')
    .on('round_units')
    .columns(['term_id', 'has_problems', 'unit_org_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('round_units_term_problems').execute();
  await db.schema.alterTable('round_units').dropColumn('has_problems').execute();
}
