import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createDatabase } from './database.js';
import { WAL_BACKSTOP_PAGES } from './sqlite-checkpointer.js';

it('checkpoints a SQLite file from its worker thread, not at the requests’ COMMITs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-checkpoint-'));
  const database = createDatabase({ databaseUrl: null, sqlitePath: path.join(dir, 'db.sqlite') });
  try {
    const sqlite = database.sqlite!;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES);
    await sql`CREATE TABLE t (b BLOB NOT NULL)`.execute(database.db);
    // About 300 WAL frames: fewer than the main connection's backstop, so only the worker copies them.
    for (let i = 0; i < 100; i++) await sql`INSERT INTO t (b) VALUES (randomblob(3000))`.execute(database.db);
    const state = () => (sqlite.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0]!;
    expect(state().log).toBeGreaterThan(250);
    const until = Date.now() + 10_000;
    while (state().checkpointed < state().log && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(state().checkpointed).toBe(state().log);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
