import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 整改监督信息沟通会 (SPEC M8): the supervision information meeting's record, and its decisions as
// tracked tasks with an owner organisation (optionally a person) and a deadline, followed to
// completion: open → reported (the owner) → accepted | returned (the convening body) → reported again.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  await db.schema
    .createTable('supervision_meetings')
    .addColumn('id', idType, id)
    .addColumn('convener_org_id', idType, refNN('organisations'))
    .addColumn('round_id', idType, ref('rounds'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('held_on', date, (c) => c.notNull())
    .addColumn('location', 'varchar(200)')
    .addColumn('attendees', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{ name, orgId }]
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_meetings_convener')
    .on('supervision_meetings')
    .columns(['convener_org_id', 'id'])
    .execute();

  await db.schema
    .createTable('supervision_tasks')
    .addColumn('id', idType, id)
    .addColumn('meeting_id', idType, refNN('supervision_meetings'))
    .addColumn('convener_org_id', idType, refNN('organisations')) // copied from the meeting: scoped reads
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'varchar(2000)', (c) => c.notNull())
    .addColumn('owner_org_id', idType, refNN('organisations'))
    .addColumn('owner_user_id', idType, ref('users'))
    .addColumn('deadline', date, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // open | reported | accepted | returned
    .addColumn('report_text', 'text')
    .addColumn('reported_by', idType, ref('users'))
    .addColumn('reported_at', ms)
    .addColumn('completed_on', date)
    .addColumn('reviewed_by', idType, ref('users'))
    .addColumn('reviewed_at', ms)
    .addColumn('review_note', 'varchar(2000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('supervision_tasks_seq', ['meeting_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('supervision_tasks_owner')
    .on('supervision_tasks')
    .columns(['owner_org_id', 'status', 'deadline'])
    .execute();
  await db.schema
    .createIndex('supervision_tasks_convener')
    .on('supervision_tasks')
    .columns(['convener_org_id', 'status', 'deadline'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['supervision_tasks', 'supervision_meetings']) await db.schema.dropTable(t).execute();
}
