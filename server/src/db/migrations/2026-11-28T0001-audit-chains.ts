import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// The audit log in several hash chains (platform/audit/chain.ts). With one chain every write held
// the one head row from its audit record to COMMIT, and on PostgreSQL the writes of the whole system
// queued there (bench/README.md: the status change waited on it, its CPUs three-quarters idle).
// Each row now names its chain; the rows written before belong to chain 1, whose hashes do not
// change. The heads of the new chains are written by the application at start (their MACs need the
// key). On PostgreSQL the seq comes from a sequence, taken while the writer holds its chain.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .addColumn('chain', 'smallint', (c) => c.notNull().defaultTo(1))
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE SEQUENCE audit_log_seq OWNED BY audit_log.seq`.execute(db);
    await sql`SELECT setval('audit_log_seq', m) FROM (SELECT max(seq) AS m FROM audit_log) x WHERE m IS NOT NULL`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`DROP SEQUENCE audit_log_seq`.execute(db);
  await db.schema.alterTable('audit_log').dropColumn('chain').execute();
}
