import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// access_epoch: one counter that moves whenever anything that decides who a caller is or what they
// may see changes — a session (but for its last_seen_at, which every active session moves), a user,
// an organisation, a liaison link. A server reads this one row per request and answers the session's
// user and the caller's scope from what it read at that epoch, instead of reading them again
// (a join and one or two more queries per request; bench/README.md, ninth session). Triggers, not the
// writes' own code, so that no path (API, import, CLI, another server on the same PostgreSQL, a
// hand-run UPDATE) can leave a server answering from a revoked session or a narrowed scope.
// A new session needs no move: nothing can hold it yet.

const SESSION_COLUMNS = ['id', 'user_id', 'csrf_token', 'mfa_pending', 'created_at', 'expires_at', 'revoked_at'];
const WATCHED: [table: string, insert: boolean][] = [
  ['users', false], // a new user has no session yet
  ['organisations', true],
  ['liaison_links', true],
  ['sessions', false],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('access_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('access_epoch').values({ id: 1, epoch: 0 }).execute();
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`
      CREATE FUNCTION access_epoch_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE access_epoch SET epoch = epoch + 1 WHERE id = 1;
        RETURN NULL;
      END $$`.execute(db);
  }
  const move = 'UPDATE access_epoch SET epoch = epoch + 1 WHERE id = 1;';
  for (const [table, insert] of WATCHED) {
    const events = [...(insert ? ['INSERT'] : []), 'DELETE', 'UPDATE'];
    for (const event of events) {
      const name = `${table}_access_${event.toLowerCase()}`;
      // A session's UPDATE moves the epoch only when something but its last_seen_at changed.
      const when =
        event === 'UPDATE' && table === 'sessions'
          ? SESSION_COLUMNS.map((c) => `OLD.${c} IS ${pg ? 'DISTINCT FROM' : 'NOT'} NEW.${c}`).join(' OR ')
          : null;
      if (pg) {
        // By statement where no row matters (one move for a purge of thousands of sessions).
        const each = when ? `FOR EACH ROW WHEN (${when})` : 'FOR EACH STATEMENT';
        await sql
          .raw(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} ${each} EXECUTE FUNCTION access_epoch_move()`)
          .execute(db);
      } else {
        await sql
          .raw(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} ${when ? `WHEN ${when}` : ''} BEGIN ${move} END`)
          .execute(db);
      }
    }
    // TRUNCATE fires no DELETE trigger (PostgreSQL only; SQLite has no TRUNCATE).
    if (pg)
      await sql
        .raw(
          `CREATE TRIGGER ${table}_access_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_move()`,
        )
        .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const [table, insert] of WATCHED)
    for (const event of [...(insert ? ['INSERT'] : []), 'DELETE', 'UPDATE', ...(pg ? ['TRUNCATE'] : [])]) {
      const name = `${table}_access_${event.toLowerCase()}`;
      await sql.raw(pg ? `DROP TRIGGER IF EXISTS ${name} ON ${table}` : `DROP TRIGGER IF EXISTS ${name}`).execute(db);
    }
  if (pg) await sql`DROP FUNCTION IF EXISTS access_epoch_move()`.execute(db);
  await db.schema.dropTable('access_epoch').execute();
}
