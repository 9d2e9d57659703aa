import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never edit once landed; add a new dated file instead. Imports no app code.
// 催着改 (SPEC M14, M18): the scheduler's run leases, notices in the app, and their deliveries out of
// it (e-mail, webhook), each claimed before it is sent.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'bigint' : 'integer';
  const id = (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const ms = 'bigint';

  // One row per job and period (e.g. warnings.daily + 2026-12-01): the unique pair is the lease, so
  // several app instances on one database run each period once. running → done | failed.
  await db.schema
    .createTable('job_runs')
    .addColumn('id', idType, id)
    .addColumn('job', 'varchar(64)', (c) => c.notNull())
    .addColumn('period_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('lease_until', ms, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('scheduled_at', ms, (c) => c.notNull())
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('finished_at', ms)
    .addColumn('result', 'text') // JSON summary of what the run did
    .addColumn('error', 'varchar(2000)')
    .addUniqueConstraint('job_runs_period', ['job', 'period_key'])
    .execute();
  await db.schema.createIndex('job_runs_recent').on('job_runs').columns(['started_at', 'id']).execute();

  // A notice to one user. idem_key = rule:record:step:recipient, so a rerun never adds a second one.
  await db.schema
    .createTable('notices')
    .addColumn('id', idType, id)
    .addColumn('user_id', idType, (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('severity', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'varchar(300)')
    .addColumn('unit_org_id', idType, (c) => c.references('organisations.id'))
    .addColumn('entity', 'varchar(32)')
    .addColumn('entity_id', 'varchar(64)')
    .addColumn('idem_key', 'varchar(300)', (c) => c.notNull().unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('read_at', ms)
    .execute();
  await db.schema.createIndex('notices_user').on('notices').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notices_user_unread').on('notices').columns(['user_id', 'read_at']).execute();

  // One delivery per notice and channel. pending → sending (claimed, lease) → sent | pending (retry
  // after backoff) | failed (attempts exhausted) | skipped (channel off or no address).
  await db.schema
    .createTable('notice_deliveries')
    .addColumn('id', idType, id)
    .addColumn('notice_id', idType, (c) => c.notNull().references('notices.id'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ms, (c) => c.notNull())
    .addColumn('lease_until', ms)
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('target', 'varchar(500)')
    .addColumn('last_error', 'varchar(2000)')
    .addColumn('sent_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('notice_deliveries_channel', ['notice_id', 'channel'])
    .execute();
  await db.schema
    .createIndex('notice_deliveries_due')
    .on('notice_deliveries')
    .columns(['status', 'next_attempt_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notice_deliveries').execute();
  await db.schema.dropTable('notices').execute();
  await db.schema.dropTable('job_runs').execute();
}
