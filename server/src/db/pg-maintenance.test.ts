import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.js';
import type { Database } from './database.js';
import { maintainTables, startPgMaintenance } from './pg-maintenance.js';

const BASE = process.env.TEST_DATABASE_URL;
if (!BASE) console.log('  !!! pg-maintenance.test.ts SKIPPED: PostgreSQL needs TEST_DATABASE_URL.');

describe.skipIf(!BASE)('PostgreSQL maintenance when autovacuum is off', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await sql`CREATE TABLE maintenance_probe (id integer PRIMARY KEY, v text)`.execute(database.db);
  });
  afterAll(async () => database?.close());

  /** Runs `change` on one connection and has its statistics sent at once (else up to 10 s later). */
  async function changeAndReport(
    change: string,
    counted: (s: { live: number; dead: number; changed: number }) => boolean,
  ) {
    await database.db.connection().execute(async (conn) => {
      await sql.raw(change).execute(conn);
      await sql`SELECT pg_stat_force_next_flush()`.execute(conn);
      await sql`SELECT 1`.execute(conn);
    });
    for (let i = 0; i < 100; i++) {
      const s = await stats();
      if (counted(s)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`statistics never showed: ${change}`);
  }
  async function stats() {
    const { rows } = await sql<{ live: string; dead: string; changed: string }>`
      SELECT n_live_tup AS live, n_dead_tup AS dead, n_mod_since_analyze AS changed
      FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'maintenance_probe'`.execute(
      database.db,
    );
    const r = rows[0]!;
    return { live: Number(r.live), dead: Number(r.dead), changed: Number(r.changed) };
  }
  async function reltuples() {
    const { rows } = await sql<{ n: number }>`
      SELECT reltuples::int AS n FROM pg_class WHERE oid = 'maintenance_probe'::regclass`.execute(database.db);
    return rows[0]!.n;
  }

  it('analyzes a table once enough rows changed, vacuums it once enough are dead, and leaves it otherwise', async () => {
    expect(await reltuples()).toBe(-1); // never analyzed
    await changeAndReport(
      'INSERT INTO maintenance_probe SELECT g, md5(g::text) FROM generate_series(1, 1000) g',
      (s) => s.changed >= 1000,
    );
    const first = await maintainTables(database.db);
    expect(first).toContainEqual({ table: 'maintenance_probe', did: 'analyze' });
    expect(await reltuples()).toBe(1000);

    // 10 changes on 1,000 rows: under the threshold (50 + 10%).
    await changeAndReport('UPDATE maintenance_probe SET v = v WHERE id <= 10', (s) => s.changed >= 10);
    expect((await maintainTables(database.db)).map((d) => d.table)).not.toContain('maintenance_probe');

    // 600 dead of 400 live: over the vacuum threshold (50 + 20%).
    await changeAndReport('DELETE FROM maintenance_probe WHERE id > 400', (s) => s.dead >= 600);
    const second = await maintainTables(database.db);
    expect(second).toContainEqual({ table: 'maintenance_probe', did: 'vacuum' });
    expect(await reltuples()).toBe(400);
  });

  it('starts only when the server has autovacuum off, and says so', async () => {
    const { rows } = await sql<{ a: string }>`SELECT current_setting('autovacuum') AS a`.execute(database.db);
    const said: string[] = [];
    const stop = await startPgMaintenance(database.db, (m) => said.push(m), 60_000);
    await stop();
    if (rows[0]!.a === 'on') expect(said).toEqual([]);
    else expect(said.join('\n')).toMatch(/autovacuum off/);
  });
});
