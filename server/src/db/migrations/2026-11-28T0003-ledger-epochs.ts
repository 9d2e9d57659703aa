import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// round_units.ledger_epoch: a counter that moves whenever anything the per-unit figures of
// /dashboard/units are computed from changes in that round-unit — its summary rows (every count and
// sum), a measure's dates (effective deadline, last progress), a measure moving, the unit's name.
// The server keeps the computed figures and answers from them while (count, sum of ids, sum of
// epochs) over the round-units of the term or round is what it was: a read of a few hundred rows
// instead of a scan of the term's open measures on every request (SPEC §4; bench/README.md).
// Triggers, not the writes' own code, so that no write path (API, import, CLI, a hand-run UPDATE)
// can leave the figures stale. A ledger write locks its round-unit before anything else, so the
// UPDATE of that row inside the trigger takes no lock the writer does not already hold (on
// PostgreSQL the app's lock is itself the epoch's move; see postgres() below).

const MEASURE_COLUMNS = [
  'effective_deadline',
  'last_progress_at',
  'created_at',
  'round_unit_id',
  'unit_org_id',
  'term_id',
  'round_id',
  'category_code',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('round_units')
    .addColumn('ledger_epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) return postgres(db);

  const bump = (ids: string) => `UPDATE round_units SET ledger_epoch = ledger_epoch + 1 WHERE id IN (${ids});`;
  for (const [event, row] of [
    ['INSERT', 'NEW'],
    ['DELETE', 'OLD'],
    ['UPDATE', 'NEW'],
  ] as const) {
    await sql
      .raw(
        `CREATE TRIGGER ledger_summaries_epoch_${event.toLowerCase()} AFTER ${event} ON ledger_summaries
        BEGIN ${bump(`${row}.round_unit_id`)} END`,
      )
      .execute(db);
  }
  for (const [event, row] of [
    ['INSERT', 'NEW'],
    ['DELETE', 'OLD'],
  ] as const) {
    await sql
      .raw(
        `CREATE TRIGGER measures_epoch_${event.toLowerCase()} AFTER ${event} ON measures
        BEGIN ${bump(`${row}.round_unit_id`)} END`,
      )
      .execute(db);
  }
  const changed = MEASURE_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  await sql
    .raw(
      `CREATE TRIGGER measures_epoch_update AFTER UPDATE OF ${MEASURE_COLUMNS.join(', ')} ON measures
      WHEN ${changed}
      BEGIN ${bump('OLD.round_unit_id, NEW.round_unit_id')} END`,
    )
    .execute(db);
  // The round-unit's own place (which unit, term, round) and the unit's name.
  await sql
    .raw(
      `CREATE TRIGGER round_units_epoch_update AFTER UPDATE OF unit_org_id, term_id, round_id ON round_units
      WHEN OLD.unit_org_id IS NOT NEW.unit_org_id OR OLD.term_id IS NOT NEW.term_id OR OLD.round_id IS NOT NEW.round_id
      BEGIN ${bump('NEW.id')} END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER organisations_epoch_update AFTER UPDATE OF name ON organisations
      WHEN OLD.name IS NOT NEW.name
      BEGIN UPDATE round_units SET ledger_epoch = ledger_epoch + 1 WHERE unit_org_id = NEW.id; END`,
    )
    .execute(db);
}

/**
 * PostgreSQL: inserts and deletes by statement, with the rows in a transition table (an import adds
 * thousands of measures to one round-unit in one statement: one UPDATE of its row, not thousands of
 * versions of it); updates by row, only when a watched column changed. Each trigger marks the
 * round-units it moved in a transaction-local setting and leaves marked ones alone: the epoch moves
 * once per round-unit and transaction. The app's writers lock a round-unit by moving its epoch and
 * marking it (LedgerRepository's lock), so on their path the WHEN of the row triggers is false and no
 * function runs at all.
 */
async function postgres(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION ledger_epoch_move(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      marked text := coalesce(nullif(current_setting('rectify.ledger_epochs', true), ''), ',');
      todo bigint[];
    BEGIN
      SELECT array_agg(DISTINCT i ORDER BY i) INTO todo FROM unnest(ids) AS i
      WHERE i IS NOT NULL AND strpos(marked, ',' || i || ',') = 0;
      IF todo IS NULL THEN RETURN; END IF;
      UPDATE round_units SET ledger_epoch = ledger_epoch + 1 WHERE id = ANY (todo);
      PERFORM set_config('rectify.ledger_epochs', marked || array_to_string(todo, ',') || ',', true);
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION ledger_epoch_of_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ledger_epoch_move(ARRAY(SELECT DISTINCT round_unit_id FROM changed));
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION ledger_epoch_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ledger_epoch_move(ARRAY[OLD.round_unit_id, NEW.round_unit_id]);
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['ledger_summaries', 'measures']) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_epoch_insert AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ledger_epoch_of_changed()`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_epoch_delete AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ledger_epoch_of_changed()`,
      )
      .execute(db);
  }
  // Not yet marked in this transaction: evaluated in the WHEN, without calling a function.
  const unmarked = (row: string) =>
    `strpos(coalesce(current_setting('rectify.ledger_epochs', true), ''), ',' || ${row}.round_unit_id || ',') = 0`;
  await sql
    .raw(
      `CREATE TRIGGER ledger_summaries_epoch_update AFTER UPDATE ON ledger_summaries
      FOR EACH ROW WHEN (${unmarked('NEW')}) EXECUTE FUNCTION ledger_epoch_of_row()`,
    )
    .execute(db);
  const changed = MEASURE_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
  await sql
    .raw(
      `CREATE TRIGGER measures_epoch_update AFTER UPDATE OF ${MEASURE_COLUMNS.join(', ')} ON measures
      FOR EACH ROW WHEN ((${unmarked('NEW')} OR ${unmarked('OLD')}) AND (${changed}))
      EXECUTE FUNCTION ledger_epoch_of_row()`,
    )
    .execute(db);
  await sql`
    CREATE FUNCTION round_units_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.ledger_epoch := OLD.ledger_epoch + 1;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER round_units_epoch_update BEFORE UPDATE OF unit_org_id, term_id, round_id ON round_units
    FOR EACH ROW WHEN (OLD.unit_org_id IS DISTINCT FROM NEW.unit_org_id OR OLD.term_id IS DISTINCT FROM NEW.term_id
      OR OLD.round_id IS DISTINCT FROM NEW.round_id)
    EXECUTE FUNCTION round_units_epoch()`.execute(db);
  await sql`
    CREATE FUNCTION organisations_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ledger_epoch_move(ARRAY(SELECT id FROM round_units WHERE unit_org_id = NEW.id));
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER organisations_epoch_update AFTER UPDATE OF name ON organisations
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION organisations_epoch()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const triggers = [
    ['ledger_summaries_epoch_insert', 'ledger_summaries'],
    ['ledger_summaries_epoch_delete', 'ledger_summaries'],
    ['ledger_summaries_epoch_update', 'ledger_summaries'],
    ['measures_epoch_insert', 'measures'],
    ['measures_epoch_delete', 'measures'],
    ['measures_epoch_update', 'measures'],
    ['round_units_epoch_update', 'round_units'],
    ['organisations_epoch_update', 'organisations'],
  ];
  for (const [name, table] of triggers)
    await sql.raw(pg ? `DROP TRIGGER IF EXISTS ${name} ON ${table}` : `DROP TRIGGER IF EXISTS ${name}`).execute(db);
  if (pg)
    for (const f of [
      'ledger_epoch_of_changed()',
      'ledger_epoch_of_row()',
      'round_units_epoch()',
      'organisations_epoch()',
      'ledger_epoch_move(bigint[])',
    ])
      await sql.raw(`DROP FUNCTION IF EXISTS ${f}`).execute(db);
  await db.schema.alterTable('round_units').dropColumn('ledger_epoch').execute();
}
