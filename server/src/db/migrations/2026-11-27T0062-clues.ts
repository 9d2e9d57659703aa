import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 问题线索 (issue 5): confidential clues sent by the inspection office to a receiving body. The title,
// content, names and the disposal note are SM4-sealed by the application; no index touches them.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';

  await db.schema
    .createTable('clues')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('problem_id', idType, ref('problems'))
    .addColumn('sender_org_id', idType, refNN('organisations'))
    .addColumn('sent_by', idType, ref('users'))
    .addColumn('receiving_org_id', idType, refNN('organisations'))
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('title_sealed', 'text', (c) => c.notNull())
    .addColumn('content_sealed', 'text', (c) => c.notNull())
    .addColumn('persons_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // sent | received | disposed
    .addColumn('sent_at', ms, (c) => c.notNull())
    .addColumn('received_by', idType, ref('users'))
    .addColumn('received_at', ms)
    .addColumn('disposal_kind', 'varchar(32)')
    .addColumn('disposal_date', 'varchar(10)')
    .addColumn('disposal_note_sealed', 'text')
    .addColumn('disposed_by', idType, ref('users'))
    .addColumn('disposed_at', ms)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  // The two sides that see a clue, each listed newest first; and the round filter.
  await db.schema.createIndex('clues_receiver').on('clues').columns(['receiving_org_id', 'id']).execute();
  await db.schema.createIndex('clues_sender').on('clues').columns(['sender_org_id', 'id']).execute();
  await db.schema.createIndex('clues_round').on('clues').columns(['round_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clues').execute();
}
