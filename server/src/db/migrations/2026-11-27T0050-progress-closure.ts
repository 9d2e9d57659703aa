import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// Evidence files (佐证材料, SPEC M6), progress reports with their signed-off versions (M6),
// 对账销号 closure with its verifications (M7), and the re-checks after closure (M18).

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // One row per upload; the bytes live once in the file store under their SM3 digest (content-addressed).
  await db.schema
    .createTable('evidence_files')
    .addColumn('id', idType, id)
    .addColumn('sm3', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // pdf | doc | docx | xls | xlsx | jpg | png | ofd | zip
    .addColumn('name', 'varchar(255)', (c) => c.notNull()) // cleaned, as shown and as downloaded
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('uploaded_by', idType, ref('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_files_sm3').on('evidence_files').column('sm3').execute();
  await db.schema
    .createIndex('evidence_files_round_unit')
    .on('evidence_files')
    .columns(['round_unit_id', 'id'])
    .execute();

  // Which file was offered as evidence for which measure, from a progress report or a closure application.
  // The digest is copied here so that "the same file for unrelated problems" is one index lookup.
  await db.schema
    .createTable('measure_evidence')
    .addColumn('id', idType, id)
    .addColumn('measure_id', idType, refNN('measures'))
    .addColumn('file_id', idType, refNN('evidence_files'))
    .addColumn('sm3', 'varchar(64)', (c) => c.notNull())
    .addColumn('problem_id', idType, refNN('problems'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('source', 'varchar(16)', (c) => c.notNull()) // report | closure
    .addColumn('source_id', idType, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('measure_evidence_measure')
    .on('measure_evidence')
    .columns(['measure_id', 'id'])
    .execute();
  await db.schema.createIndex('measure_evidence_sm3').on('measure_evidence').columns(['sm3', 'problem_id']).execute();
  await db.schema.createIndex('measure_evidence_file').on('measure_evidence').column('file_id').execute();

  // 整改进展报告: one per round-unit and reporting period (the period's end, then monthly or quarterly
  // for long-term measures). draft → pending_signoff → submitted (the unit head signs it off);
  // a submitted report can be revised, which starts a new draft revision; each submission is kept.
  await db.schema
    .createTable('progress_reports')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('period_seq', 'integer', (c) => c.notNull()) // 1 = at the period's end, then 2, 3 …
    .addColumn('period_kind', 'varchar(16)', (c) => c.notNull()) // period_end | monthly | quarterly
    .addColumn('due_date', date, (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1)) // the revision being drafted or last submitted
    .addColumn('summary', 'text')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prepared_by', idType, ref('users'))
    .addColumn('sent_for_signoff_at', ms)
    .addColumn('signed_by', idType, ref('users'))
    .addColumn('submitted_at', ms)
    .addColumn('returned_by', idType, ref('users'))
    .addColumn('returned_at', ms)
    .addColumn('return_note', 'varchar(1000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('progress_reports_period', ['round_unit_id', 'period_seq'])
    .execute();
  await db.schema
    .createIndex('progress_reports_unit')
    .on('progress_reports')
    .columns(['unit_org_id', 'status', 'id'])
    .execute();
  await db.schema.createIndex('progress_reports_due').on('progress_reports').columns(['status', 'due_date']).execute();

  // Per measure: the status reported, a narrative and the evidence (file ids, JSON array) of the draft.
  await db.schema
    .createTable('progress_report_items')
    .addColumn('id', idType, id)
    .addColumn('report_id', idType, refNN('progress_reports'))
    .addColumn('measure_id', idType, refNN('measures'))
    .addColumn('reported_status', 'varchar(24)', (c) => c.notNull())
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('progress_report_items_measure', ['report_id', 'measure_id'])
    .execute();

  // Every submitted revision, frozen as it was signed off (items, narratives, files with their digests).
  await db.schema
    .createTable('progress_report_versions')
    .addColumn('id', idType, id)
    .addColumn('report_id', idType, refNN('progress_reports'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('prepared_by', idType, ref('users'))
    .addColumn('signed_by', idType, ref('users'))
    .addColumn('submitted_at', ms, (c) => c.notNull())
    .addUniqueConstraint('progress_report_versions_revision', ['report_id', 'revision'])
    .execute();

  // 对账销号: the unit applies with evidence; the office and the liaison supervisor verify; someone
  // other than the applicant decides. pending → approved | rejected | withdrawn; approved → reopened.
  await db.schema
    .createTable('closures')
    .addColumn('id', idType, id)
    .addColumn('measure_id', idType, refNN('measures'))
    .addColumn('problem_id', idType, refNN('problems'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('category_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('file_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('applicant_id', idType, refNN('users'))
    .addColumn('applied_at', ms, (c) => c.notNull())
    .addColumn('decided_by', idType, ref('users'))
    .addColumn('decided_at', ms)
    .addColumn('decision_note', 'varchar(2000)')
    .addColumn('reopened_by', idType, ref('users'))
    .addColumn('reopened_at', ms)
    .addColumn('reopen_source', 'varchar(16)') // lookback | complaint | recheck | other
    .addColumn('reopen_reason', 'varchar(2000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('closures_measure').on('closures').columns(['measure_id', 'id']).execute();
  await db.schema.createIndex('closures_unit').on('closures').columns(['unit_org_id', 'status', 'id']).execute();
  await db.schema.createIndex('closures_status').on('closures').columns(['status', 'id']).execute();

  await db.schema
    .createTable('closure_verifications')
    .addColumn('id', idType, id)
    .addColumn('closure_id', idType, refNN('closures'))
    .addColumn('verifier_id', idType, refNN('users'))
    .addColumn('verifier_role', 'varchar(16)', (c) => c.notNull()) // office | supervisor
    .addColumn('verifier_org_id', idType, refNN('organisations'))
    .addColumn('verdict', 'varchar(16)', (c) => c.notNull()) // agree | disagree
    .addColumn('note', 'varchar(2000)')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('closure_verifications_once', ['closure_id', 'verifier_org_id'])
    .execute();

  // 长期坚持 and 建章立制 measures come back for re-verification after closure (default 6 and 12 months).
  await db.schema
    .createTable('rechecks')
    .addColumn('id', idType, id)
    .addColumn('measure_id', idType, refNN('measures'))
    .addColumn('closure_id', idType, refNN('closures'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('category_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('months_after', 'integer', (c) => c.notNull())
    .addColumn('due_date', date, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // pending | passed | failed | cancelled
    .addColumn('result_note', 'varchar(2000)')
    .addColumn('done_by', idType, ref('users'))
    .addColumn('done_at', ms)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rechecks_due').on('rechecks').columns(['status', 'due_date', 'id']).execute();
  await db.schema.createIndex('rechecks_measure').on('rechecks').columns(['measure_id', 'id']).execute();
  await db.schema.createIndex('rechecks_unit').on('rechecks').columns(['unit_org_id', 'status']).execute();

  // Stalled measures (open, no progress for N days) are found through this index at province scale.
  await db.schema
    .createIndex('measures_open_progress')
    .on('measures')
    .columns(['is_done', 'last_progress_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('measures_open_progress').execute();
  for (const t of [
    'rechecks',
    'closure_verifications',
    'closures',
    'progress_report_versions',
    'progress_report_items',
    'progress_reports',
    'measure_evidence',
    'evidence_files',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
