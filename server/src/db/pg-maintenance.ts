import { type Kysely, sql } from 'kysely';
import type { DB } from './types.js';

/** PostgreSQL's own defaults for autovacuum (autovacuum_*_threshold and *_scale_factor). */
const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE = 0.2;
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;

export interface MaintenanceStep {
  table: string;
  did: 'vacuum' | 'analyze';
}

/**
 * One pass of autovacuum's work over the app's own tables (its schema): VACUUM (with ANALYZE) where
 * dead rows passed autovacuum's threshold, ANALYZE where enough rows changed since the last one.
 * SKIP_LOCKED: a table another instance is already doing is left to it. Answers what it did.
 */
export async function maintainTables(db: Kysely<DB>): Promise<MaintenanceStep[]> {
  const { rows } = await sql<{ relname: string; live: string; dead: string; changed: string }>`
    SELECT relname, n_live_tup AS live, n_dead_tup AS dead, n_mod_since_analyze AS changed
    FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname`.execute(db);
  const done: MaintenanceStep[] = [];
  for (const t of rows) {
    const live = Number(t.live);
    if (Number(t.dead) > VACUUM_THRESHOLD + VACUUM_SCALE * live) {
      await sql`VACUUM (ANALYZE, SKIP_LOCKED) ${sql.table(t.relname)}`.execute(db);
      done.push({ table: t.relname, did: 'vacuum' });
    } else if (Number(t.changed) > ANALYZE_THRESHOLD + ANALYZE_SCALE * live) {
      await sql`ANALYZE (SKIP_LOCKED) ${sql.table(t.relname)}`.execute(db);
      done.push({ table: t.relname, did: 'analyze' });
    }
  }
  return done;
}

/**
 * Does autovacuum's work when the PostgreSQL server has autovacuum turned off (some hardened or
 * hand-tuned installations do; this machine's does). Without it nothing refreshes the planner's
 * statistics or removes dead rows: plans made for the empty tables of the first start stay, and the
 * load drill's throughput fell by two thirds in four minutes as the ledger grew. With autovacuum on
 * (the default) this does nothing: PostgreSQL does it better. Answers the stop.
 */
export async function startPgMaintenance(
  db: Kysely<DB>,
  warn: (message: string) => void,
  everyMs = 30_000,
): Promise<() => Promise<void>> {
  const { rows } = await sql<{ autovacuum: string; trackCounts: string }>`
    SELECT current_setting('autovacuum') AS autovacuum, current_setting('track_counts') AS track_counts`.execute(db);
  const s = rows[0];
  if (!s || s.autovacuum === 'on') return async () => {};
  if (s.trackCounts !== 'on') {
    warn('PostgreSQL has autovacuum and track_counts off: no table statistics are kept; turn autovacuum on');
    return async () => {};
  }
  warn(
    `PostgreSQL has autovacuum off: Rectify vacuums and analyzes its own tables every ${everyMs / 1000} s, by autovacuum's thresholds`,
  );
  let running: Promise<void> | null = null;
  let lastError = '';
  const pass = () => {
    if (running) return;
    running = maintainTables(db)
      .then(() => {
        lastError = '';
      })
      .catch((e: Error) => {
        // Said once per kind of failure, not every 30 s.
        if (e.message !== lastError) warn(`database maintenance failed: ${e.message}`);
        lastError = e.message;
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(pass, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
