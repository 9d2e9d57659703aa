import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 整改公开 (SPEC M15): progress reports after a unit's period and batches of typical problems
// (先曝光、后查处), each item draft → submitted → approved → published, or withdrawn (never deleted);
// the channels it appeared in with their dates.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // 第N批 of typical problems; the public title in both scripts.
  await db.schema
    .createTable('disclosure_batches')
    .addColumn('id', idType, id)
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('title_hans', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_hant', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  // One item: a report (kind=report, one per round-unit and cycle through report_key) or a typical
  // problem (kind=typical, in a batch). Public wording in 简体 and 繁體; snapshot = the figures and
  // problem statuses at drafting (JSON, already free of internal fields); persons = JSON
  // [{name, post, rank}] whose names the public view masks below the configured rank;
  // internal_note never leaves the office.
  await db.schema
    .createTable('disclosure_items')
    .addColumn('id', idType, id)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('batch_id', idType, ref('disclosure_batches'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('problem_id', idType, ref('problems'))
    .addColumn('report_key', 'varchar(40)', (c) => c.unique())
    .addColumn('title_hans', 'varchar(300)', (c) => c.notNull())
    .addColumn('title_hant', 'varchar(300)', (c) => c.notNull())
    .addColumn('body_hans', 'text', (c) => c.notNull())
    .addColumn('body_hant', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text')
    .addColumn('persons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('internal_note', 'text')
    .addColumn('published_on', date)
    .addColumn('created_by', idType, ref('users'))
    .addColumn('submitted_by', idType, ref('users'))
    .addColumn('submitted_at', ms)
    .addColumn('approved_by', idType, ref('users'))
    .addColumn('approved_at', ms)
    .addColumn('returned_note', 'varchar(2000)')
    .addColumn('published_by', idType, ref('users'))
    .addColumn('published_at', ms)
    .addColumn('withdrawn_by', idType, ref('users'))
    .addColumn('withdrawn_at', ms)
    .addColumn('withdraw_reason', 'varchar(2000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disclosure_items_public')
    .on('disclosure_items')
    .columns(['status', 'published_on', 'id'])
    .execute();
  await db.schema.createIndex('disclosure_items_batch').on('disclosure_items').columns(['batch_id', 'id']).execute();
  await db.schema.createIndex('disclosure_items_unit').on('disclosure_items').columns(['unit_org_id', 'id']).execute();
  await db.schema.createIndex('disclosure_items_problem').on('disclosure_items').columns(['problem_id']).execute();

  // 日报 / 网站 / 党风廉政网 … with the date it appeared there.
  await db.schema
    .createTable('disclosure_channels')
    .addColumn('id', idType, id)
    .addColumn('item_id', idType, refNN('disclosure_items'))
    .addColumn('channel', 'varchar(50)', (c) => c.notNull())
    .addColumn('published_on', date, (c) => c.notNull())
    .addColumn('note', 'varchar(500)')
    .addColumn('recorded_by', idType, ref('users'))
    .addColumn('recorded_at', ms, (c) => c.notNull())
    .addUniqueConstraint('disclosure_channels_once', ['item_id', 'channel'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('disclosure_channels').execute();
  await db.schema.dropTable('disclosure_items').execute();
  await db.schema.dropTable('disclosure_batches').execute();
}
