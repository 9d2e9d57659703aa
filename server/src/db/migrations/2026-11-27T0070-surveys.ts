import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 满意度测评 (SPEC M11): questionnaires, batches of one-time codes, and anonymous answers.
//
// Anonymity by construction: the answer tables (survey_responses, survey_answers) hold no code, code
// id, batch, user, IP or time. A response row carries only what the results are read by: the survey,
// the round-unit and the audience (a group of at least MIN_BATCH_SIZE codes). Its key is random, not
// a sequence, and on SQLite the tables are WITHOUT ROWID, so not even the row order tells in which
// order codes were used. A code keeps only a `used` flag (no used-at), set in the same transaction
// that inserts the answer. (Left: PostgreSQL's own system columns, e.g. the transaction id xmin, are
// outside any schema; only a database administrator sees them.)

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';

  // draft → open → closed. title/intro: JSON {zh, tw?, en?}; questions: JSON [SurveyQuestion].
  await db.schema
    .createTable('surveys')
    .addColumn('id', idType, id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('opened_at', ms)
    .addColumn('closed_at', ms)
    .addColumn('created_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  // The round-units (被巡察单位 of a round) a survey is about.
  await db.schema
    .createTable('survey_units')
    .addColumn('survey_id', idType, refNN('surveys'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addPrimaryKeyConstraint('survey_units_pk', ['survey_id', 'round_unit_id'])
    .execute();
  await db.schema.createIndex('survey_units_org').on('survey_units').columns(['unit_org_id', 'survey_id']).execute();

  // A batch of codes for one round-unit and audience. sealed_codes: the plaintext list, SM4-sealed
  // (crypto provider, context survey-batch:<id>), opened only for a reprint by survey.write, audited.
  await db.schema
    .createTable('survey_batches')
    .addColumn('id', idType, id)
    .addColumn('survey_id', idType, refNN('surveys'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('audience', 'varchar(16)', (c) => c.notNull())
    .addColumn('label', 'varchar(200)')
    .addColumn('code_count', 'integer', (c) => c.notNull())
    .addColumn('sealed_codes', 'text', (c) => c.notNull())
    .addColumn('created_by', idType, ref('users'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_batches_survey').on('survey_batches').columns(['survey_id', 'id']).execute();

  // One row per code: its keyed hash (HMAC-SM3) and a used flag — never a time.
  await db.schema
    .createTable('survey_codes')
    .addColumn('id', idType, id)
    .addColumn('batch_id', idType, refNN('survey_batches'))
    .addColumn('survey_id', idType, refNN('surveys'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('survey_codes_batch').on('survey_codes').columns(['batch_id', 'used']).execute();

  // Anonymous answer sheets: random key, no code, batch or time (see the note at the top).
  let responses = db.schema
    .createTable('survey_responses')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('survey_id', idType, refNN('surveys'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('audience', 'varchar(16)', (c) => c.notNull());
  if (!pg) responses = responses.modifyEnd(sql`without rowid`);
  await responses.execute();
  await db.schema
    .createIndex('survey_responses_survey')
    .on('survey_responses')
    .columns(['survey_id', 'round_unit_id', 'audience'])
    .execute();

  let answers = db.schema
    .createTable('survey_answers')
    .addColumn('response_id', 'varchar(32)', (c) => c.notNull().references('survey_responses.id'))
    .addColumn('question_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('option_key', 'varchar(32)')
    .addColumn('text', 'text')
    .addPrimaryKeyConstraint('survey_answers_pk', ['response_id', 'question_key']);
  if (!pg) answers = answers.modifyEnd(sql`without rowid`);
  await answers.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['survey_answers', 'survey_responses', 'survey_codes', 'survey_batches', 'survey_units', 'surveys']) {
    await db.schema.dropTable(t).execute();
  }
}
