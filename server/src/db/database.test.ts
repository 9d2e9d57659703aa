import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.js';
import type { Database } from './database.js';

const BASE = process.env.TEST_DATABASE_URL;
if (!BASE) console.log('  !!! database.test.ts (prepared statements) SKIPPED: PostgreSQL needs TEST_DATABASE_URL.');

describe.skipIf(!BASE)('PostgreSQL: the application statements are prepared once per connection', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database?.close());

  it('names a statement with parameters, reuses it, and answers as before', async () => {
    await database.db.transaction().execute(async (trx) => {
      const first = await sql<{ n: number }>`SELECT count(*)::int AS n FROM terms WHERE id > ${0}`.execute(trx);
      const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM terms WHERE id > ${0}`.execute(trx);
      expect(again.rows).toEqual(first.rows);
      const { rows } = await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE ${'%FROM terms WHERE id >%'}`.execute(
        trx,
      );
      // One statement under one name, however often it ran (the LIKE text itself is not among them).
      expect(rows.filter((r) => r.statement.startsWith('SELECT count(*)'))).toHaveLength(1);
      expect(rows[0]!.name).toMatch(/^r[0-9a-f]{24}$/);
    });
  });

  it('leaves long parameter lists unnamed (their texts vary with their length)', async () => {
    await database.db.transaction().execute(async (trx) => {
      const ids = Array.from({ length: 65 }, (_, i) => i + 1);
      await sql`SELECT id FROM terms WHERE id IN (${sql.join(ids)})`.execute(trx);
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'%WHERE id IN ($1, $2%'}`.execute(
        trx,
      );
      expect(rows[0]!.n).toBe(0);
    });
  });

  it('reports a failing statement and prepares it again once it is valid (no stale name)', async () => {
    await expect(sql`SELECT no_such_column FROM terms WHERE id = ${1}`.execute(database.db)).rejects.toThrow(
      /no_such_column/,
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM terms WHERE id = ${1}`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
