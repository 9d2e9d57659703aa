import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 检查考核评价 (SPEC M11): one evaluation per round-unit and rectification cycle (重新整改 opens a new
// cycle, and so a new evaluation), the special check's records (个别谈话、问卷、实地查看、对账销号), the
// 汇商会 opinions of the liaison supervisors, the scoring sheet (entered scores, deductions) and its
// history. Indicators, deduction reasons and grade thresholds are the dictionaries of M17; what an
// evaluation used is copied into it when it is finalised, so a later change of the dictionaries
// never rewrites a past grade.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // status open → finalised. Scores in hundredths of a point (integers): totals stay exact.
  await db.schema
    .createTable('evaluations')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('total_centi', 'integer')
    .addColumn('grade_code', 'varchar(64)')
    .addColumn('sheet', 'text') // JSON snapshot at finalisation: indicators, deductions, figures, thresholds
    .addColumn('conclusion', 'text')
    .addColumn('finalised_by', idType, ref('users'))
    .addColumn('finalised_at', ms)
    .addColumn('finalised_year', 'integer') // Shanghai year of finalisation: the annual assessment's key
    .addColumn('accountability_id', idType, ref('accountability_records')) // the 约谈 of a 不合格
    .addColumn('re_rectify_deadline', date) // the new cycle's deadline after 不合格
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('evaluations_cycle', ['round_unit_id', 'cycle'])
    .execute();
  await db.schema.createIndex('evaluations_unit').on('evaluations').columns(['unit_org_id', 'id']).execute();
  await db.schema
    .createIndex('evaluations_year')
    .on('evaluations')
    .columns(['finalised_year', 'unit_org_id'])
    .execute();

  await db.schema
    .createTable('evaluation_checks')
    .addColumn('id', idType, id)
    .addColumn('evaluation_id', idType, refNN('evaluations'))
    .addColumn('kind', 'varchar(24)', (c) => c.notNull()) // talk | questionnaire | site_visit | reconciliation
    .addColumn('checked_on', date, (c) => c.notNull())
    .addColumn('checkers', 'varchar(500)', (c) => c.notNull()) // who of the check team
    .addColumn('subjects', 'varchar(1000)') // whom they talked to / where they looked / how many answered
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('created_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evaluation_checks_evaluation')
    .on('evaluation_checks')
    .columns(['evaluation_id', 'id'])
    .execute();

  // 汇商会: one opinion per liaison supervisor and evaluation.
  await db.schema
    .createTable('evaluation_opinions')
    .addColumn('id', idType, id)
    .addColumn('evaluation_id', idType, refNN('evaluations'))
    .addColumn('supervisor_org_id', idType, refNN('organisations'))
    .addColumn('opinion', 'text', (c) => c.notNull())
    .addColumn('suggested_grade', 'varchar(64)')
    .addColumn('given_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('evaluation_opinions_supervisor', ['evaluation_id', 'supervisor_org_id'])
    .execute();

  // Scores the check team entered, per indicator code.
  await db.schema
    .createTable('evaluation_scores')
    .addColumn('id', idType, id)
    .addColumn('evaluation_id', idType, refNN('evaluations'))
    .addColumn('indicator_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('score_centi', 'integer', (c) => c.notNull())
    .addColumn('note', 'varchar(2000)')
    .addColumn('updated_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('evaluation_scores_indicator', ['evaluation_id', 'indicator_code'])
    .execute();

  // 扣分: the points are copied from the reason when the deduction is made.
  await db.schema
    .createTable('evaluation_deductions')
    .addColumn('id', idType, id)
    .addColumn('evaluation_id', idType, refNN('evaluations'))
    .addColumn('reason_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('points_centi', 'integer', (c) => c.notNull()) // negative
    .addColumn('note', 'varchar(2000)')
    .addColumn('created_by', idType, ref('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evaluation_deductions_evaluation')
    .on('evaluation_deductions')
    .columns(['evaluation_id', 'id'])
    .execute();

  // Every change of the sheet, readable by the office (the audit log is the auditor's only, 三员分立).
  await db.schema
    .createTable('evaluation_score_history')
    .addColumn('id', idType, id)
    .addColumn('evaluation_id', idType, refNN('evaluations'))
    .addColumn('action', 'varchar(24)', (c) => c.notNull()) // score | deduction_add | deduction_remove | finalise
    .addColumn('code', 'varchar(64)') // indicator, deduction reason or grade code
    .addColumn('before_centi', 'integer')
    .addColumn('after_centi', 'integer')
    .addColumn('note', 'varchar(2000)')
    .addColumn('actor_id', idType, ref('users'))
    .addColumn('actor_name', 'varchar(100)')
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evaluation_score_history_evaluation')
    .on('evaluation_score_history')
    .columns(['evaluation_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'evaluation_score_history',
    'evaluation_deductions',
    'evaluation_scores',
    'evaluation_opinions',
    'evaluation_checks',
    'evaluations',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
