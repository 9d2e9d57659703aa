import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 整改专题民主生活会 (SPEC M10) with the supervising bodies' notes, and accountability records
// (约谈、警示约谈、提醒谈话、通报批评、问责、立案, SPEC M12), each tied to a problem and a person.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`);
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const ms = 'bigint';
  const date = 'varchar(10)';

  // One meeting per round-unit and rectification cycle (重新整改 starts a new cycle, and a new meeting).
  // planned → held → reviewed. due_date = feedback + N days, fixed when planned.
  await db.schema
    .createTable('democratic_meetings')
    .addColumn('id', idType, id)
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('feedback_date', date, (c) => c.notNull())
    .addColumn('due_date', date, (c) => c.notNull())
    .addColumn('planned_date', date, (c) => c.notNull())
    .addColumn('plan', 'text') // the plan: topics, who speaks, preparation (征求意见、谈心谈话)
    .addColumn('report', 'text') // 对照检查材料 of the leadership
    .addColumn('held_on', date)
    .addColumn('attendees', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{name, orgId, side}]
    .addColumn('problems_found', 'text')
    .addColumn('measures_decided', 'text')
    .addColumn('created_by', idType, ref('users'))
    .addColumn('held_recorded_by', idType, ref('users'))
    .addColumn('held_recorded_at', ms)
    .addColumn('reviewed_by', idType, ref('users'))
    .addColumn('reviewed_at', ms)
    .addColumn('review_note', 'varchar(2000)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('democratic_meetings_cycle', ['round_unit_id', 'cycle'])
    .execute();
  await db.schema
    .createIndex('democratic_meetings_unit')
    .on('democratic_meetings')
    .columns(['unit_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('democratic_meetings_due')
    .on('democratic_meetings')
    .columns(['status', 'due_date', 'id'])
    .execute();

  // 指导 and 监督 notes of the discipline commission, the organisation department and the office.
  await db.schema
    .createTable('democratic_meeting_notes')
    .addColumn('id', idType, id)
    .addColumn('meeting_id', idType, refNN('democratic_meetings'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // guidance | supervision
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('author_id', idType, refNN('users'))
    .addColumn('author_org_id', idType, refNN('organisations'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('democratic_meeting_notes_meeting')
    .on('democratic_meeting_notes')
    .columns(['meeting_id', 'id'])
    .execute();

  // 约谈 / 警示约谈 / 提醒谈话 / 通报批评 / 问责 / 立案: tied to a problem (so a round-unit and unit), a
  // person (name, post, the person's unit), the reason and the deciding body. negative_list marks an
  // entry of the person's 政治素质负面清单 (rectification showed prominent problems).
  await db.schema
    .createTable('accountability_records')
    .addColumn('id', idType, id)
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('problem_id', idType, refNN('problems'))
    .addColumn('round_unit_id', idType, refNN('round_units'))
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('unit_org_id', idType, refNN('organisations'))
    .addColumn('person_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('person_key', 'varchar(160)', (c) => c.notNull()) // name without spaces @ unit id
    .addColumn('person_post', 'varchar(100)')
    .addColumn('person_unit_org_id', idType, refNN('organisations'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('deciding_org_id', idType, refNN('organisations'))
    .addColumn('decided_on', date, (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('negative_list', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('negative_list_note', 'varchar(2000)')
    .addColumn('created_by', idType, ref('users'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('accountability_records_unit')
    .on('accountability_records')
    .columns(['unit_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('accountability_records_person')
    .on('accountability_records')
    .columns(['person_key', 'id'])
    .execute();
  await db.schema
    .createIndex('accountability_records_problem')
    .on('accountability_records')
    .columns(['problem_id', 'id'])
    .execute();
  await db.schema
    .createIndex('accountability_records_decider')
    .on('accountability_records')
    .columns(['deciding_org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('accountability_records_round')
    .on('accountability_records')
    .columns(['round_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['accountability_records', 'democratic_meeting_notes', 'democratic_meetings']) {
    await db.schema.dropTable(t).execute();
  }
}
