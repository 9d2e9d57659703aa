import SQLite from 'better-sqlite3';

/** The statements that write: a fault is injected on the k-th of these (COMMIT included). */
const WRITE = /^\s*(insert|update|delete|replace|commit)\b/i;

/**
 * A storage wrapper for the SQLite of a running app: every statement the app prepares goes through
 * it, and when armed with k it lets k − 1 writing statements run and makes the k-th fail as the disk
 * would (SQLITE_FULL "database or disk is full", or SQLITE_IOERR "disk I/O error", alternately),
 * without executing it. Installed on the better-sqlite3 handle itself, under Kysely's driver, so the
 * services, the audit log and the counters all meet it.
 */
export class FaultyStorage {
  private armedAt: number | null = null;
  private seen = 0;
  /** Whether the armed fault was thrown. */
  fired = false;

  constructor(sqlite: SQLite.Database) {
    const prepare = sqlite.prepare.bind(sqlite);
    (sqlite as { prepare: (src: string) => SQLite.Statement }).prepare = (src: string) => {
      const stmt = prepare(src);
      if (!WRITE.test(src)) return stmt;
      return new Proxy(stmt, {
        get: (target, prop) => {
          const v = Reflect.get(target, prop, target);
          if (typeof v !== 'function' || !['run', 'all', 'get', 'iterate'].includes(String(prop))) return v;
          return (...args: unknown[]) => {
            this.tick();
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    };
  }

  /** Fails the k-th writing statement from now on (counting restarts). */
  arm(k: number) {
    this.armedAt = k;
    this.seen = 0;
    this.fired = false;
  }

  disarm() {
    this.armedAt = null;
  }

  /** Writing statements run since the last arm(). */
  get count() {
    return this.seen;
  }

  private tick() {
    this.seen++;
    if (this.armedAt !== null && this.seen === this.armedAt) {
      this.fired = true;
      this.armedAt = null;
      throw this.seen % 2
        ? new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL')
        : new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR');
    }
  }
}
