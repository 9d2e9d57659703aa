import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The dashboard's counters one level up: per round and problem category, the sums of the
// ledger_summaries rows of that round, kept by the same writes in the same transaction. The figures
// of a whole term were a sum over every round-unit's rows (4,748 at SPEC §4 size, about 1 ms on
// SQLite — the bench's floor for the term dashboard); from these rows they are a sum over about a
// hundred.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const refNN = (table: string) => (c: ColumnDefinitionBuilder) => c.notNull().references(`${table}.id`);
  const count = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
  await db.schema
    .createTable('ledger_round_totals')
    .addColumn('round_id', idType, refNN('rounds'))
    .addColumn('category_code', 'varchar(64)', (c) => c.notNull())
    .addColumn('term_id', idType, refNN('terms'))
    .addColumn('problem_count', 'bigint', count)
    .addColumn('rectified_problem_count', 'bigint', count)
    .addColumn('measure_count', 'bigint', count)
    .addColumn('done_count', 'bigint', count)
    .addColumn('closed_count', 'bigint', count)
    .addColumn('rules_established', 'bigint', count)
    .addColumn('funds_returned_fen', 'bigint', count)
    .addColumn('losses_recovered_fen', 'bigint', count)
    .addColumn('people_held_accountable', 'bigint', count)
    .addColumn('cases_filed', 'bigint', count)
    .addPrimaryKeyConstraint('ledger_round_totals_pk', ['round_id', 'category_code'])
    .execute();
  await db.schema.createIndex('ledger_round_totals_term').on('ledger_round_totals').columns(['term_id']).execute();
  await sql`
    INSERT INTO ledger_round_totals (
      round_id, category_code, term_id, problem_count, rectified_problem_count, measure_count, done_count,
      closed_count, rules_established, funds_returned_fen, losses_recovered_fen, people_held_accountable, cases_filed)
    SELECT round_id, category_code, min(term_id), sum(problem_count), sum(rectified_problem_count),
      sum(measure_count), sum(done_count), sum(closed_count), sum(rules_established), sum(funds_returned_fen),
      sum(losses_recovered_fen), sum(people_held_accountable), sum(cases_filed)
    FROM ledger_summaries GROUP BY round_id, category_code`.execute(db);
}
