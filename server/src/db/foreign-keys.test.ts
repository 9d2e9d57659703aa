import { describe, expect, it } from 'vitest';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

/** Rows the application deletes (or a user may remove) whose referrers must be found by an index. */
const DELETABLE = new Set(['measures', 'problems', 'round_units', 'closures']);

describe('the schema', () => {
  it('indexes every reference to a deletable business row (a delete otherwise scans the referring table)', async () => {
    const database = createDatabase({ databaseUrl: null, sqlitePath: ':memory:' });
    try {
      await migrateToLatest(database.db);
      const sqlite = database.sqlite!;
      const tables = (
        sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      const missing: string[] = [];
      let checked = 0;
      for (const table of tables) {
        const leading = new Set(
          (sqlite.prepare(`PRAGMA index_list("${table}")`).all() as { name: string }[]).map(
            (i) => (sqlite.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[])[0]?.name,
          ),
        );
        for (const fk of sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as {
          table: string;
          from: string;
        }[]) {
          if (!DELETABLE.has(fk.table)) continue;
          checked++;
          if (!leading.has(fk.from)) missing.push(`${table}.${fk.from} → ${fk.table}`);
        }
      }
      expect(checked).toBeGreaterThan(20);
      expect(missing).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
