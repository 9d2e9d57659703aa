import { type Kysely, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The counters by measure status (未启动 / 整改中 / 已完成 / 申请销号; 已销号 is closed_count), per
// round-unit and category and per round and category. The ledger's status tabs ("整改中 in this
// term") showed a total counted over the measures on every page (1.2 ms of the first page's 1.3 ms
// at SPEC §4 size, found by the bench); from these counters it is a sum over about a hundred rows.

const COLUMNS = ['not_started_count', 'in_progress_count', 'completed_count', 'closure_requested_count'];
const STATUS: Record<string, string> = {
  not_started_count: 'not_started',
  in_progress_count: 'in_progress',
  completed_count: 'completed',
  closure_requested_count: 'closure_requested',
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['ledger_summaries', 'ledger_round_totals'])
    for (const column of COLUMNS)
      await db.schema
        .alterTable(table)
        .addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
  // Filled the way SummaryRepository.recount fills them: measures by their problem's round-unit and
  // category (a measure's own category_code follows its problem's).
  const sums = sql.join(
    COLUMNS.map((c) => sql`sum(CASE WHEN m.status = ${STATUS[c]} THEN 1 ELSE 0 END) AS ${sql.ref(c)}`),
  );
  await sql`
    UPDATE ledger_summaries SET ${sql.join(COLUMNS.map((c) => sql`${sql.ref(c)} = x.${sql.ref(c)}`))}
    FROM (
      SELECT p.round_unit_id, p.category_code, ${sums}
      FROM measures m JOIN problems p ON p.id = m.problem_id
      GROUP BY p.round_unit_id, p.category_code
    ) x
    WHERE ledger_summaries.round_unit_id = x.round_unit_id AND ledger_summaries.category_code = x.category_code`.execute(
    db,
  );
  await sql`
    UPDATE ledger_round_totals SET ${sql.join(COLUMNS.map((c) => sql`${sql.ref(c)} = x.${sql.ref(c)}`))}
    FROM (
      SELECT round_id, category_code, ${sql.join(COLUMNS.map((c) => sql`sum(${sql.ref(c)}) AS ${sql.ref(c)}`))}
      FROM ledger_summaries GROUP BY round_id, category_code
    ) x
    WHERE ledger_round_totals.round_id = x.round_id AND ledger_round_totals.category_code = x.category_code`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['ledger_summaries', 'ledger_round_totals'])
    for (const column of COLUMNS) await db.schema.alterTable(table).dropColumn(column).execute();
}
