import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen. SQLite's INSERT OR REPLACE deletes the conflicting row without firing the delete trigger
// (recursive triggers are off), so an audit row could be overwritten: refuse any insert whose seq
// exists already. PostgreSQL has no REPLACE; its primary key and triggers cover it.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`DROP TRIGGER IF EXISTS audit_log_no_replace`.execute(db);
}
