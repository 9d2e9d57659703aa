import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Rounds (M2), feedback and distribution (M3), 三清单一台账 (M4), 立行立改 (M5), deadline extensions,
// and the ledger summaries that keep the dashboard's counters current in the writing transaction.
// Measures carry their round, unit and term ids so that ledger pages and figures need no joins.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';
  const stamps = <T extends { addColumn: (...a: any[]) => T }>(t: T) =>
    t
      .addColumn('version', 'integer', (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(1))
      .addColumn('created_at', ms, (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('updated_at', ms, (c: ColumnDefinitionBuilder) => c.notNull());

  // 届
  await stamps(
    db.schema
      .createTable('terms')
      .addColumn('id', idType, id)
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('start_date', date)
      .addColumn('end_date', date),
  ).execute();

  // 轮
  await stamps(
    db.schema
      .createTable('rounds')
      .addColumn('id', idType, id)
      .addColumn('term_id', idType, refNN('terms'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('type', 'varchar(32)', (c) => c.notNull())
      .addColumn('on_site_start', date)
      .addColumn('on_site_end', date)
      .addColumn('notes', 'text')
      .addUniqueConstraint('rounds_term_number', ['term_id', 'number']),
  ).execute();

  // 巡察组 and members (巡察人员选派)
  await stamps(
    db.schema
      .createTable('inspection_teams')
      .addColumn('id', idType, id)
      .addColumn('round_id', idType, refNN('rounds'))
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('notes', 'text'),
  ).execute();
  await db.schema.createIndex('inspection_teams_round').on('inspection_teams').column('round_id').execute();
  await db.schema
    .createTable('team_members')
    .addColumn('id', idType, id)
    .addColumn('team_id', idType, refNN('inspection_teams'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('post', 'varchar(100)')
    .addColumn('member_role', 'varchar(16)', (c) => c.notNull()) // leader | deputy | member | liaison
    .addColumn('source_org_id', idType, ref('organisations')) // seconded from (纪委监委、组织部 …)
    .addColumn('user_id', idType, ref('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_members_team').on('team_members').column('team_id').execute();

  // 被巡察单位 in a round
  await stamps(
    db.schema
      .createTable('round_units')
      .addColumn('id', idType, id)
      .addColumn('round_id', idType, refNN('rounds'))
      .addColumn('term_id', idType, refNN('terms'))
      .addColumn('unit_org_id', idType, refNN('organisations'))
      .addColumn('team_id', idType, ref('inspection_teams'))
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('cycle', 'integer', (c) => c.notNull().defaultTo(1)) // 2+ after 重新整改
      .addColumn('feedback_date', date)
      .addColumn('deadline', date) // rectification deadline: feedback + 3 months on the working calendar, editable
      .addColumn('deadline_overridden', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('round_units_round_unit', ['round_id', 'unit_org_id']),
  ).execute();
  await db.schema.createIndex('round_units_unit').on('round_units').columns(['unit_org_id', 'round_id']).execute();
  await db.schema.createIndex('round_units_term').on('round_units').columns(['term_id', 'round_id']).execute();

  // 巡前情况通报: a liaison supervisor briefs a team about a unit before the inspection
  await db.schema
    .createTable('briefings')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('team_id', idType, ref('inspection_teams'))
    .addColumn('supervisor_org_id', idType, refNN('organisations'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('given_on', date)
    .addColumn('created_by', idType, ref('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('briefings_round_unit').on('briefings').column('round_unit_id').execute();

  // 反馈意见 per round-unit
  await stamps(
    db.schema
      .createTable('feedbacks')
      .addColumn('id', idType, id)
      .addColumn('round_unit_id', idType, (c) => c.notNull().unique().references('round_units.id'))
      .addColumn('title', 'varchar(300)')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('delivered_on', date),
  ).execute();

  // 抄送: written copies to the five kinds of recipient, each sent / received
  await db.schema
    .createTable('feedback_copies')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('recipient_kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('recipient_org_id', idType, ref('organisations'))
    .addColumn('recipient_name', 'varchar(200)')
    .addColumn('sent_at', ms)
    .addColumn('received_at', ms)
    .addColumn('note', 'varchar(500)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_copies_round_unit').on('feedback_copies').column('round_unit_id').execute();

  // 个别谈话情况报告 to the organisation department
  await db.schema
    .createTable('talk_reports')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('sent_to_org_id', idType, ref('organisations'))
    .addColumn('summary', 'text')
    .addColumn('sent_at', ms)
    .addColumn('received_at', ms)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('talk_reports_round_unit').on('talk_reports').column('round_unit_id').execute();

  // 一盘棋: a problem found across a whole sector, followed as one campaign over its units
  await stamps(
    db.schema
      .createTable('campaigns')
      .addColumn('id', idType, id)
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('category_code', 'varchar(64)')
      .addColumn('description', 'text'),
  ).execute();

  // 问题清单 + 责任清单 (leader, department, person on the problem; 第一责任人 / 一岗双责 members below)
  await stamps(
    db.schema
      .createTable('problems')
      .addColumn('id', idType, id)
      .addColumn('round_unit_id', idType, refNN('round_units'))
      .addColumn('round_id', idType, refNN('rounds'))
      .addColumn('term_id', idType, refNN('terms'))
      .addColumn('unit_org_id', idType, refNN('organisations'))
      .addColumn('campaign_id', idType, ref('campaigns'))
      .addColumn('seq', 'integer', (c) => c.notNull()) // order within the round-unit
      .addColumn('number', 'varchar(40)', (c) => c.notNull()) // as numbered in the feedback: 一、（一）1.
      .addColumn('category_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('source', 'varchar(24)', (c) => c.notNull())
      .addColumn('severity', 'varchar(16)', (c) => c.notNull())
      .addColumn('responsible_leader', 'varchar(100)')
      .addColumn('responsible_department', 'varchar(200)')
      .addColumn('responsible_person', 'varchar(100)')
      .addColumn('measure_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('problems_round_unit_seq', ['round_unit_id', 'seq']),
  ).execute();
  await db.schema.createIndex('problems_unit').on('problems').columns(['unit_org_id', 'id']).execute();
  await db.schema.createIndex('problems_round').on('problems').columns(['round_id', 'id']).execute();
  await db.schema.createIndex('problems_category').on('problems').columns(['category_code', 'id']).execute();
  await db.schema.createIndex('problems_campaign').on('problems').columns(['campaign_id', 'id']).execute();

  await db.schema
    .createTable('problem_responsibles')
    .addColumn('id', idType, id)
    .addColumn('problem_id', idType, refNN('problems'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('post', 'varchar(100)')
    .addColumn('duty', 'varchar(16)', (c) => c.notNull()) // first (第一责任人) | shared (一岗双责)
    .addColumn('user_id', idType, ref('users'))
    .execute();
  await db.schema.createIndex('problem_responsibles_problem').on('problem_responsibles').column('problem_id').execute();

  // 任务清单 / 整改措施, with the outcome figures of M4 (money in 分)
  await stamps(
    db.schema
      .createTable('measures')
      .addColumn('id', idType, id)
      .addColumn('problem_id', idType, refNN('problems'))
      .addColumn('round_unit_id', idType, refNN('round_units'))
      .addColumn('round_id', idType, refNN('rounds'))
      .addColumn('term_id', idType, refNN('terms'))
      .addColumn('unit_org_id', idType, refNN('organisations'))
      .addColumn('category_code', 'varchar(64)', (c) => c.notNull()) // copied from the problem, for figures by category
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('is_done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deadline', date, (c) => c.notNull()) // the original deadline
      .addColumn('extended_deadline', date) // the approved extension, if any
      .addColumn('effective_deadline', date, (c) => c.notNull()) // extended ?? original
      .addColumn('owner_name', 'varchar(100)')
      .addColumn('owner_user_id', idType, ref('users'))
      .addColumn('completed_on', date)
      .addColumn('rules_established', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('funds_returned_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('losses_recovered_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('people_held_accountable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cases_filed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_progress_at', ms),
  ).execute();
  await db.schema.createIndex('measures_problem').on('measures').columns(['problem_id', 'seq']).execute();
  await db.schema.createIndex('measures_unit').on('measures').columns(['unit_org_id', 'id']).execute();
  await db.schema.createIndex('measures_round').on('measures').columns(['round_id', 'id']).execute();
  await db.schema.createIndex('measures_term').on('measures').columns(['term_id', 'id']).execute();
  await db.schema.createIndex('measures_round_unit').on('measures').columns(['round_unit_id', 'id']).execute();
  await db.schema.createIndex('measures_overdue').on('measures').columns(['is_done', 'effective_deadline']).execute();
  await db.schema.createIndex('measures_status').on('measures').columns(['status', 'id']).execute();
  await db.schema.createIndex('measures_owner').on('measures').columns(['owner_user_id', 'id']).execute();

  // 立行立改: propose → approve (报批) → fix → verify, each step with who and when
  await stamps(
    db.schema
      .createTable('immediate_items')
      .addColumn('id', idType, id)
      .addColumn('round_unit_id', idType, refNN('round_units'))
      .addColumn('unit_org_id', idType, refNN('organisations'))
      .addColumn('problem_id', idType, ref('problems'))
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('proposed_by', idType, ref('users'))
      .addColumn('proposed_at', ms)
      .addColumn('approved_by', idType, ref('users'))
      .addColumn('approved_at', ms)
      .addColumn('approval_note', 'varchar(1000)')
      .addColumn('fixed_by', idType, ref('users'))
      .addColumn('fixed_at', ms)
      .addColumn('fix_report', 'text')
      .addColumn('verified_by', idType, ref('users'))
      .addColumn('verified_at', ms)
      .addColumn('verify_note', 'varchar(1000)'),
  ).execute();
  await db.schema
    .createIndex('immediate_items_round_unit')
    .on('immediate_items')
    .columns(['round_unit_id', 'id'])
    .execute();
  await db.schema.createIndex('immediate_items_unit').on('immediate_items').columns(['unit_org_id', 'id']).execute();

  // 延期申请 with its history
  await stamps(
    db.schema
      .createTable('deadline_extensions')
      .addColumn('id', idType, id)
      .addColumn('measure_id', idType, refNN('measures'))
      .addColumn('unit_org_id', idType, refNN('organisations'))
      .addColumn('previous_deadline', date, (c) => c.notNull())
      .addColumn('requested_deadline', date, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('requested_by', idType, ref('users'))
      .addColumn('requested_at', ms, (c) => c.notNull())
      .addColumn('decided_by', idType, ref('users'))
      .addColumn('decided_at', ms)
      .addColumn('decision_note', 'varchar(1000)'),
  ).execute();
  await db.schema
    .createIndex('deadline_extensions_measure')
    .on('deadline_extensions')
    .columns(['measure_id', 'id'])
    .execute();
  await db.schema
    .createIndex('deadline_extensions_unit')
    .on('deadline_extensions')
    .columns(['unit_org_id', 'status'])
    .execute();

  // Counters per round-unit and category, kept by every write in the same transaction (SPEC §4).
  // The figures of any term, round, unit or category are sums over at most a few thousand rows.
  await db.schema
    .createTable('ledger_summaries')
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('category_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('problem_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rectified_problem_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('measure_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rules_established', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('funds_returned_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('losses_recovered_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('people_held_accountable', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cases_filed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('ledger_summaries_pk', ['round_unit_id', 'category_code'])
    .execute();
  await db.schema.createIndex('ledger_summaries_round').on('ledger_summaries').columns(['round_id']).execute();
  await db.schema.createIndex('ledger_summaries_term').on('ledger_summaries').columns(['term_id']).execute();
  await db.schema.createIndex('ledger_summaries_unit').on('ledger_summaries').columns(['unit_org_id']).execute();

  void sql;
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'ledger_summaries',
    'deadline_extensions',
    'immediate_items',
    'measures',
    'problem_responsibles',
    'problems',
    'campaigns',
    'talk_reports',
    'feedback_copies',
    'feedbacks',
    'briefings',
    'round_units',
    'team_members',
    'inspection_teams',
    'rounds',
    'terms',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
