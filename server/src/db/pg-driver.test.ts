import net from 'node:net';
import { type CompiledQuery, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.js';
import type { Database } from './database.js';
import { atCommit, together } from './pipeline.js';

const BASE = process.env.TEST_DATABASE_URL;
if (!BASE) console.log('  !!! pg-driver.test.ts SKIPPED: PostgreSQL needs TEST_DATABASE_URL.');

/** Counts the writes that leave for the database (one per round trip the driver starts). */
function countFlushes() {
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
  const original = { _write: proto._write, _writev: proto._writev };
  let n = 0;
  for (const k of ['_write', '_writev'] as const)
    proto[k] = function (this: unknown, ...a: unknown[]) {
      n++;
      return original[k].apply(this, a);
    };
  return {
    get count() {
      return n;
    },
    restore: () => Object.assign(proto, original),
  };
}

describe.skipIf(!BASE)('PostgreSQL driver: statements sent together', () => {
  let database: Database;
  let flushes: ReturnType<typeof countFlushes> | undefined;
  const q = (text: string) => sql.raw(text).compile(database.db) as CompiledQuery<Record<string, unknown>>;
  const ids = async () =>
    (await sql<{ id: number }>`SELECT id FROM pipeline_probe ORDER BY id`.execute(database.db)).rows.map((r) => r.id);

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await sql`CREATE TABLE pipeline_probe (id integer PRIMARY KEY, v text)`.execute(database.db);
    await sql`CREATE SEQUENCE pipeline_seq`.execute(database.db);
  });
  afterEach(async () => {
    flushes?.restore();
    flushes = undefined;
    await sql`DELETE FROM pipeline_probe`.execute(database.db);
  });
  afterAll(async () => database?.close());

  it('sends leading reads with BEGIN and trailing writes with COMMIT: a write in three round trips, one transaction', async () => {
    await sql`INSERT INTO pipeline_probe VALUES (1, 'a')`.execute(database.db);
    flushes = countFlushes();
    const xids = await database.db.transaction().execute(async (trx) => {
      const [locked, drawn] = await together(trx, [
        q('SELECT id, v, pg_current_xact_id()::text AS xid FROM pipeline_probe WHERE id = 1 FOR UPDATE'),
        q("SELECT nextval('pipeline_seq') AS next, pg_current_xact_id()::text AS xid"),
      ]);
      expect(locked).toEqual([{ id: 1, v: 'a', xid: expect.any(String) }]);
      const updated = await sql<{ xid: string }>`
        UPDATE pipeline_probe SET v = 'b' WHERE id = 1 RETURNING pg_current_xact_id()::text AS xid`.execute(trx);
      await atCommit(trx, q(`INSERT INTO pipeline_probe VALUES (${Number(drawn[0]!.next) + 100}, 'audit')`));
      return [locked[0]!.xid, drawn[0]!.xid, updated.rows[0]!.xid];
    });
    expect(flushes.count).toBe(3);
    expect(new Set(xids).size).toBe(1); // all three statements in the same transaction
    expect(await ids()).toEqual([1, 101]);
  });

  it('a first statement that reads goes with BEGIN; one that writes waits for BEGIN, and rolls back with the rest', async () => {
    flushes = countFlushes();
    await database.db.transaction().execute((trx) => sql`SELECT 1 AS one`.execute(trx));
    expect(flushes.count).toBe(2); // BEGIN + SELECT, COMMIT
    flushes.restore();
    flushes = countFlushes();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO pipeline_probe VALUES (2, 'x')`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(flushes.count).toBe(3); // BEGIN, INSERT, ROLLBACK
    expect(await ids()).toEqual([]);
  });

  it('a write for COMMIT that fails fails the transaction with its own error, and none of it stays', async () => {
    await sql`INSERT INTO pipeline_probe VALUES (3, 'there')`.execute(database.db);
    const failed = database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO pipeline_probe VALUES (4, 'mine')`.execute(trx);
      await atCommit(trx, q("INSERT INTO pipeline_probe VALUES (5, 'ok')"));
      await atCommit(trx, q("INSERT INTO pipeline_probe VALUES (3, 'duplicate')"));
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(await ids()).toEqual([3]);
    // The connection went back to the pool usable.
    for (let i = 0; i < 8; i++) await database.db.transaction().execute((trx) => sql`SELECT 1`.execute(trx));
  });

  it('writes for COMMIT are never sent when the transaction rolls back, and an empty transaction sends nothing', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await atCommit(trx, q("INSERT INTO pipeline_probe VALUES (6, 'never')"));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await ids()).toEqual([]);
    flushes = countFlushes();
    expect(await database.db.transaction().execute(async () => 'nothing')).toBe('nothing');
    expect(flushes.count).toBe(0);
  });

  it('a failing statement among those sent together throws its error and the transaction keeps nothing', async () => {
    await sql`INSERT INTO pipeline_probe VALUES (7, 'there')`.execute(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await together(trx, [q('SELECT id FROM pipeline_probe FOR UPDATE'), q('SELECT 1 / 0 AS boom')]);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`UPDATE pipeline_probe SET v = 'changed' WHERE id = 7`.execute(trx);
        await together(trx, [q("INSERT INTO pipeline_probe VALUES (7, 'dup')"), q('SELECT 1 AS one')]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{ v: string }>`SELECT v FROM pipeline_probe WHERE id = 7`.execute(database.db);
    expect(rows).toEqual([{ v: 'there' }]);
  });
});
