import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Day-to-day supervision (SPEC M8): plans with milestones (路线图、时间表), supervision actions
// (跟踪督办 … 立案审查调查) with the unit's response, and 主体责任派单 (dispatch orders) with items.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // A supervising organisation's plan for one unit (optionally one round-unit of it).
  await db.schema
    .createTable('supervision_plans')
    .addColumn('id', idType, id)
    .addColumn('supervisor_org_id', idType, refNN('organisations'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('round_unit_id', idType, ref('round_units'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('start_date', date)
    .addColumn('end_date', date)
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_plans_unit')
    .on('supervision_plans')
    .columns(['unit_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('supervision_plans_supervisor')
    .on('supervision_plans')
    .columns(['supervisor_org_id', 'id'])
    .execute();

  await db.schema
    .createTable('supervision_milestones')
    .addColumn('id', idType, id)
    .addColumn('plan_id', idType, refNN('supervision_plans'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('due_date', date, (c) => c.notNull())
    .addColumn('done_date', date)
    .addColumn('done_note', 'varchar(2000)')
    .addColumn('done_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_milestones_plan')
    .on('supervision_milestones')
    .columns(['plan_id', 'due_date', 'id'])
    .execute();

  // An action on a unit, one of its problems or one of its measures. open → responded → closed.
  // 督办单 and 监察建议书 carry a 文号 numbered per issuing organisation, kind and year.
  await db.schema
    .createTable('supervision_actions')
    .addColumn('id', idType, id)
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('supervisor_org_id', idType, refNN('organisations'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull()) // unit | problem | measure
    .addColumn('problem_id', idType, ref('problems'))
    .addColumn('measure_id', idType, ref('measures'))
    .addColumn('round_unit_id', idType, ref('round_units'))
    .addColumn('plan_id', idType, ref('supervision_plans'))
    .addColumn('action_date', date, (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('response_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_deadline', date)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('response_text', 'text')
    .addColumn('response_file_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('responded_by', idType, ref('users'))
    .addColumn('responded_at', ms)
    .addColumn('closed_by', idType, ref('users'))
    .addColumn('closed_at', ms)
    .addColumn('close_note', 'varchar(2000)')
    .addColumn('doc_year', 'integer')
    .addColumn('doc_seq', 'integer')
    .addColumn('doc_number', 'varchar(100)')
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('supervision_actions_doc_number', ['supervisor_org_id', 'kind', 'doc_year', 'doc_seq'])
    .execute();
  await db.schema
    .createIndex('supervision_actions_unit')
    .on('supervision_actions')
    .columns(['unit_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('supervision_actions_status')
    .on('supervision_actions')
    .columns(['status', 'response_deadline'])
    .execute();

  // 主体责任派单: an order to a unit's party organisation, answered item by item.
  await db.schema
    .createTable('dispatch_orders')
    .addColumn('id', idType, id)
    .addColumn('supervisor_org_id', idType, refNN('organisations'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('round_unit_id', idType, ref('round_units'))
    .addColumn('addressee', 'varchar(200)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deadline', date, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // open | done
    .addColumn('done_at', ms)
    .addColumn('created_by', idType, refNN('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispatch_orders_unit').on('dispatch_orders').columns(['unit_org_id', 'id']).execute();

  await db.schema
    .createTable('dispatch_items')
    .addColumn('id', idType, id)
    .addColumn('order_id', idType, refNN('dispatch_orders'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'varchar(2000)', (c) => c.notNull())
    .addColumn('deadline', date, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // pending | answered | accepted | returned
    .addColumn('answer_text', 'text')
    .addColumn('answer_file_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('answered_by', idType, ref('users'))
    .addColumn('answered_at', ms)
    .addColumn('reviewed_by', idType, ref('users'))
    .addColumn('reviewed_at', ms)
    .addColumn('review_note', 'varchar(2000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('dispatch_items_seq', ['order_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'dispatch_items',
    'dispatch_orders',
    'supervision_actions',
    'supervision_milestones',
    'supervision_plans',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
