import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Handover (移交, SPEC M9): the inspection office hands long-term and unrectified problems to the
// 党风政风室, which accepts them into its supervision responsibility list (监督责任清单) and dispatches
// each item to a supervision office, whose supervision ledger (监督台账) keeps its notes and closure.
// Responsibility handover (整改责任交接, SPEC M18): a responsible person's measures move to a successor,
// recorded with the measures moved and a notice to both people.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // One handover: the office sends one or many problems to one 党风政风室 with a note.
  await db.schema
    .createTable('handovers')
    .addColumn('id', idType, id)
    .addColumn('receiving_org_id', idType, refNN('organisations'))
    .addColumn('note', 'varchar(2000)')
    .addColumn('sent_by', idType, refNN('users'))
    .addColumn('sent_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handovers_receiving').on('handovers').columns(['receiving_org_id', 'id']).execute();

  // One problem of a handover. handed_over → accepted → dispatched → concluded; handed_over → returned.
  // open_problem_id is the problem id while the item is live (not returned or concluded), null after:
  // a unique index on it keeps a problem in at most one live handover on both dialects.
  await db.schema
    .createTable('handover_items')
    .addColumn('id', idType, id)
    .addColumn('handover_id', idType, refNN('handovers'))
    .addColumn('problem_id', idType, refNN('problems'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('receiving_org_id', idType, refNN('organisations'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // long_term | unrectified
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('open_problem_id', idType)
    .addColumn('accepted_by', idType, ref('users'))
    .addColumn('accepted_at', ms)
    .addColumn('returned_by', idType, ref('users'))
    .addColumn('returned_at', ms)
    .addColumn('return_reason', 'varchar(2000)')
    .addColumn('supervisor_org_id', idType, ref('organisations'))
    .addColumn('dispatched_by', idType, ref('users'))
    .addColumn('dispatched_at', ms)
    .addColumn('dispatch_note', 'varchar(2000)')
    .addColumn('due_date', date)
    .addColumn('concluded_by', idType, ref('users'))
    .addColumn('concluded_at', ms)
    .addColumn('conclusion', 'varchar(4000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handover_items_handover').on('handover_items').columns(['handover_id', 'id']).execute();
  await db.schema
    .createIndex('handover_items_open_problem')
    .on('handover_items')
    .column('open_problem_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('handover_items_supervisor')
    .on('handover_items')
    .columns(['supervisor_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('handover_items_receiving')
    .on('handover_items')
    .columns(['receiving_org_id', 'id'])
    .execute();
  await db.schema.createIndex('handover_items_problem').on('handover_items').columns(['problem_id', 'id']).execute();

  // The supervision office's follow-up notes on an item of its ledger (append-only).
  await db.schema
    .createTable('handover_item_notes')
    .addColumn('id', idType, id)
    .addColumn('item_id', idType, refNN('handover_items'))
    .addColumn('author_id', idType, refNN('users'))
    .addColumn('author_org_id', idType, refNN('organisations'))
    .addColumn('content', 'varchar(4000)', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('handover_item_notes_item')
    .on('handover_item_notes')
    .columns(['item_id', 'id'])
    .execute();

  // 整改责任交接: who hands over to whom, when and why, in one round-unit.
  await db.schema
    .createTable('responsibility_handovers')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('from_user_id', idType, ref('users'))
    .addColumn('from_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('to_user_id', idType, ref('users'))
    .addColumn('to_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('effective_date', date, (c) => c.notNull())
    .addColumn('reason', 'varchar(2000)', (c) => c.notNull())
    .addColumn('measure_count', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', idType, refNN('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('responsibility_handovers_round_unit')
    .on('responsibility_handovers')
    .columns(['round_unit_id', 'id'])
    .execute();

  // The measures it moved, with the owner and version before and after.
  await db.schema
    .createTable('responsibility_handover_measures')
    .addColumn('id', idType, id)
    .addColumn('handover_id', idType, refNN('responsibility_handovers'))
    .addColumn('measure_id', idType, refNN('measures'))
    .addColumn('previous_owner_name', 'varchar(100)')
    .addColumn('previous_owner_user_id', idType, ref('users'))
    .addColumn('version_before', 'integer', (c) => c.notNull())
    .addColumn('version_after', 'integer', (c) => c.notNull())
    .addUniqueConstraint('responsibility_handover_measures_once', ['handover_id', 'measure_id'])
    .execute();

  // A notice to each person of a handover who has an account (until a notices module absorbs it).
  await db.schema
    .createTable('responsibility_handover_notices')
    .addColumn('id', idType, id)
    .addColumn('handover_id', idType, refNN('responsibility_handovers'))
    .addColumn('recipient_user_id', idType, refNN('users'))
    .addColumn('role', 'varchar(16)', (c) => c.notNull()) // outgoing | successor
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('read_at', ms)
    .execute();
  await db.schema
    .createIndex('responsibility_handover_notices_recipient')
    .on('responsibility_handover_notices')
    .columns(['recipient_user_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'responsibility_handover_notices',
    'responsibility_handover_measures',
    'responsibility_handovers',
    'handover_item_notes',
    'handover_items',
    'handovers',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
