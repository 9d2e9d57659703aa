import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The status history of a round-unit (M2): who moved it from which status to which, when and why
// (重新整改 after 不合格, an extended period …). The audit log keeps the same facts for the auditor, but
// business users (巡察办, 领导小组) cannot read the audit log (三员分立), so the history lives here too.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

  await db.schema
    .createTable('round_unit_events')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, (c) => c.notNull().references('round_units.id'))
    .addColumn('from_status', 'varchar(24)') // null when the unit was added to the round
    .addColumn('to_status', 'varchar(24)', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'varchar(10)') // the deadline after the move
    .addColumn('reason', 'varchar(1000)')
    .addColumn('actor_id', idType, (c) => c.references('users.id'))
    .addColumn('actor_name', 'varchar(100)')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('round_unit_events_round_unit')
    .on('round_unit_events')
    .columns(['round_unit_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('round_unit_events').execute();
}
