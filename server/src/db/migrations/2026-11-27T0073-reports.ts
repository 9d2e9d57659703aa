import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// SPEC M13: the 三个汇报 records (领导小组会 / 书记专题会 / 常委会), meeting minutes (会议纪要) and the
// 限时办结 tasks their decisions become, followed by the 督查室 (催办, 办结认定, 退回) with a log.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // 三个汇报: the office reports a term's or a round's inspection and rectification to a meeting. The
  // generated report it took is referenced by its parameters, with the headline figures as reported.
  await db.schema
    .createTable('report_meetings')
    .addColumn('id', idType, id)
    .addColumn('kind', 'varchar(24)', (c) => c.notNull()) // leading_group | secretary | standing_committee
    .addColumn('meeting_date', date, (c) => c.notNull())
    .addColumn('term_id', idType, ref('terms'))
    .addColumn('round_id', idType, ref('rounds'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('report_kind', 'varchar(32)') // the generated document presented (comprehensive …)
    .addColumn('figures', 'text') // JSON: the headline figures when recorded
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_meetings_date').on('report_meetings').columns(['meeting_date', 'id']).execute();

  // 会议纪要: standing-committee (and other) minutes whose decisions become tasks.
  await db.schema
    .createTable('meeting_minutes')
    .addColumn('id', idType, id)
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('meeting_date', date, (c) => c.notNull())
    .addColumn('doc_number', 'varchar(100)')
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('round_id', idType, ref('rounds'))
    .addColumn('report_meeting_id', idType, ref('report_meetings'))
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_minutes_date').on('meeting_minutes').columns(['meeting_date', 'id']).execute();

  // 限时办结 tasks: one decision of the minutes, owned by an organisation (optionally a person there).
  // open → reported → closed, or reported → returned → reported …
  await db.schema
    .createTable('followup_tasks')
    .addColumn('id', idType, id)
    .addColumn('minutes_id', idType, refNN('meeting_minutes'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('owner_org_id', idType, refNN('organisations'))
    .addColumn('owner_user_id', idType, ref('users'))
    .addColumn('deadline', date, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('report_text', 'text')
    .addColumn('reported_by', idType, ref('users'))
    .addColumn('reported_at', ms)
    .addColumn('review_note', 'varchar(2000)')
    .addColumn('reviewed_by', idType, ref('users'))
    .addColumn('reviewed_at', ms)
    .addColumn('closed_on', date)
    .addColumn('urge_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_urged_at', ms)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('followup_tasks_seq', ['minutes_id', 'seq'])
    .execute();
  await db.schema.createIndex('followup_tasks_owner').on('followup_tasks').columns(['owner_org_id', 'id']).execute();
  await db.schema
    .createIndex('followup_tasks_due')
    .on('followup_tasks')
    .columns(['status', 'deadline', 'id'])
    .execute();

  // The task's log: 催办 (urge), 报告办结 (report), 退回 (return), 办结 (close), with who and when.
  await db.schema
    .createTable('followup_task_events')
    .addColumn('id', idType, id)
    .addColumn('task_id', idType, refNN('followup_tasks'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', idType, refNN('users'))
    .addColumn('actor_org_id', idType, refNN('organisations'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('followup_task_events_task')
    .on('followup_task_events')
    .columns(['task_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['followup_task_events', 'followup_tasks', 'meeting_minutes', 'report_meetings']) {
    await db.schema.dropTable(t).execute();
  }
}
