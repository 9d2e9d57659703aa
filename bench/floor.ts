import crypto from 'node:crypto';
import type SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import pg from 'pg';
import { openSqlite } from '../server/src/db/database.js';
import type { DB } from '../server/src/db/types.js';
import { SummaryRepository } from '../server/src/modules/ledger/summaries.repository.js';
import { AUDIT_CHAINS } from '../server/src/platform/audit/audit.service.js';
import { headMac, rowHash } from '../server/src/platform/audit/chain.js';

/**
 * The floor of each scenario: the same SQL the application runs for it, sent straight through the
 * driver (better-sqlite3 or pg) with no HTTP, no authentication, no validation, no serialisation.
 * The reads and the summary rebuild are captured from the repositories themselves (`capture`), so
 * they stay the application's SQL as it changes; the rest of a status change, the import and the
 * export are written out here. The bench times these directly (one client) and the bare-route
 * server (bench/server.ts) serves the reads over plain Fastify.
 */

export type Dialect = 'sqlite' | 'postgres';
type Row = Record<string, any>;

export interface SqlHandle {
  dialect: Dialect;
  /** `?` placeholders on both dialects. */
  all(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The dialect's own placeholders (`?` on SQLite, `$1` on PostgreSQL), as Kysely compiles them. */
  raw(text: string, params?: readonly unknown[]): Promise<Row[]>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface HandleOptions {
  sqlitePath: string;
  databaseUrl: string | null;
  /** PostgreSQL: a pool of this size (the app's default is 10) instead of one client. */
  pool?: number;
}

const dollar = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

export async function openHandle(o: HandleOptions): Promise<SqlHandle> {
  if (!o.databaseUrl) {
    const db: SQLite.Database = openSqlite(o.sqlitePath);
    const cache = new Map<string, SQLite.Statement>();
    const stmt = (text: string) => {
      let s = cache.get(text);
      if (!s) {
        s = db.prepare(text);
        cache.set(text, s);
      }
      return s;
    };
    return {
      dialect: 'sqlite',
      async all(text, params = []) {
        const s = stmt(text);
        if (s.reader) return s.all(...(params as unknown[])) as Row[];
        s.run(...(params as unknown[]));
        return [];
      },
      async raw(text, params = []) {
        const s = stmt(text);
        if (s.reader) return s.all(...(params as unknown[])) as Row[];
        s.run(...(params as unknown[]));
        return [];
      },
      async exec(text) {
        db.exec(text);
      },
      async close() {
        db.close();
      },
    };
  }
  const texts = new Map<string, string>();
  const convert = (text: string) => {
    let t = texts.get(text);
    if (!t) {
      t = dollar(text);
      texts.set(text, t);
    }
    return t;
  };
  if (o.pool) {
    const pool = new pg.Pool({ connectionString: o.databaseUrl, max: o.pool });
    return {
      dialect: 'postgres',
      async all(text, params = []) {
        return (await pool.query(convert(text), params as unknown[])).rows;
      },
      async raw(text, params = []) {
        return (await pool.query(text, params as unknown[])).rows;
      },
      async exec(text) {
        await pool.query(text);
      },
      close: () => pool.end(),
    };
  }
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  return {
    dialect: 'postgres',
    async all(text, params = []) {
      return (await client.query(convert(text), params as unknown[])).rows;
    },
    async raw(text, params = []) {
      return (await client.query(text, params as unknown[])).rows;
    },
    async exec(text) {
      await client.query(text);
    },
    close: () => client.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// The repositories' own SQL, captured

export interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Runs a repository method against a Kysely whose driver records each compiled query instead of
 * sending it (every query answers no rows), and answers those queries: the floor then sends exactly
 * the SQL text and parameters the application sends, whatever the repository does today.
 */
export async function capture(dialect: Dialect, fn: (db: Kysely<DB>) => Promise<unknown>): Promise<Captured[]> {
  const out: Captured[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(cq: CompiledQuery): Promise<QueryResult<R>> {
      out.push({ sql: cq.sql, parameters: cq.parameters });
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('not captured');
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const pgDialect = dialect === 'postgres';
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => (pgDialect ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => driver,
      createQueryCompiler: () => (pgDialect ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
      createIntrospector: (k: Kysely<any>) => (pgDialect ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
    },
    plugins: [new CamelCasePlugin()],
  });
  try {
    await fn(db);
  } catch (e) {
    // e.g. executeTakeFirstOrThrow on the empty answer: the query was recorded all the same
    if (!out.length) throw e;
  }
  if (!out.length) throw new Error('the repository sent no query');
  return out;
}

/** Sends captured queries one after the other; answers the rows of each. */
export async function runCaptured(h: SqlHandle, queries: readonly Captured[]): Promise<Row[][]> {
  const out: Row[][] = [];
  for (const q of queries) out.push(await h.raw(q.sql, q.parameters));
  return out;
}

// ---------------------------------------------------------------------------------------------
// A measure status change: LedgerService.changeStatus → LedgerRepository, SummaryRepository.recount,
// AuditService.record, in one transaction

const recountCache = new Map<string, Captured[]>();

/** SummaryRepository.recount of one round-unit, its SQL captured once per dialect. */
export async function recountFloor(h: SqlHandle, roundUnitId: number) {
  let qs = recountCache.get(h.dialect);
  if (!qs) {
    qs = await capture(h.dialect, (db) => new SummaryRepository().recount(db, [-424242]));
    recountCache.set(h.dialect, qs);
  }
  for (const q of qs)
    await h.raw(
      q.sql,
      q.parameters.map((p) => (p === -424242 ? roundUnitId : p)),
    );
}

export interface PoolMeasure {
  id: number;
  roundUnitId: number;
  status: string;
  version: number;
}

/** One status change with its counters and audit row, as the service does it; answers the new version. */
export async function statusFloor(h: SqlHandle, m: PoolMeasure, chainKey: Buffer): Promise<void> {
  const pgLock = h.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const to = m.status === 'completed' ? 'in_progress' : 'completed';
  const now = Date.now();
  await h.exec('BEGIN');
  try {
    await h.all('SELECT * FROM measures WHERE id = ?', [m.id]);
    await h.all(`SELECT id, round_id, term_id, unit_org_id, status, version FROM round_units WHERE id = ?${pgLock}`, [
      m.roundUnitId,
    ]);
    await h.all(
      `UPDATE measures SET status = ?, is_done = ?, completed_on = ?, last_progress_at = ?, updated_at = ?, version = ?
       WHERE id = ? AND version = ?`,
      [
        to,
        to === 'completed' ? 1 : 0,
        to === 'completed' ? new Date(now).toISOString().slice(0, 10) : null,
        now,
        now,
        m.version + 1,
        m.id,
        m.version,
      ],
    );
    await recountFloor(h, m.roundUnitId);
    // The audit chain's head as AuditRepository.claimHead takes it: on PostgreSQL the first free chain
    // and the next seq of the sequence; SQLite has one chain.
    const head =
      h.dialect === 'postgres'
        ? (
            await h.all(
              `SELECT h.id, h.seq, h.hash, h.mac, nextval('audit_log_seq') AS next FROM (SELECT id, seq, hash, mac
               FROM audit_head WHERE id BETWEEN 1 AND ${AUDIT_CHAINS.postgres} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) h`,
            )
          )[0]!
        : { ...(await h.all('SELECT id, seq, hash, mac FROM audit_head WHERE id = 1'))[0]! };
    const chain = Number(head.id);
    const base = {
      seq: h.dialect === 'postgres' ? Number(head.next) : Number(head.seq) + 1,
      chain,
      at: now,
      actorId: null,
      actorName: 'bench-floor',
      ip: '127.0.0.1',
      requestId: crypto.randomBytes(6).toString('base64url'),
      action: 'ledger.measure.status',
      entity: 'measure',
      entityId: String(m.id),
      before: JSON.stringify({ status: m.status, version: m.version }),
      after: JSON.stringify({ status: to, version: m.version + 1, note: null }),
      result: 'ok',
    };
    const hash = rowHash(chainKey, head.hash, base);
    await h.all(
      `INSERT INTO audit_log (seq, chain, at, actor_id, actor_name, ip, request_id, action, entity, entity_id, before, after, result, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        base.seq,
        base.chain,
        base.at,
        base.actorId,
        base.actorName,
        base.ip,
        base.requestId,
        base.action,
        base.entity,
        base.entityId,
        base.before,
        base.after,
        base.result,
        head.hash,
        hash,
      ],
    );
    await h.all('UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = ?', [
      base.seq,
      hash,
      headMac(chainKey, base.seq, hash, chain),
      chain,
    ]);
    await h.exec('COMMIT');
  } catch (e) {
    await h.exec('ROLLBACK');
    throw e;
  }
  m.status = to;
  m.version += 1;
}

// ---------------------------------------------------------------------------------------------
// Export: the rows LedgerExcelRepository reads (problems, their measures and responsibles), in one pass

export async function exportFloor(h: SqlHandle, termId: number | undefined): Promise<number> {
  const where = termId ? 'WHERE m.term_id = ?' : '';
  const rows = await h.all(
    `SELECT p.round_unit_id, p.seq, p.number, p.category_code, p.description, p.source, p.severity,
      p.responsible_leader, p.responsible_department, p.responsible_person,
      m.seq AS measure_seq, m.content, m.type, m.status, m.effective_deadline, m.owner_name, m.rules_established,
      m.funds_returned_fen, m.losses_recovered_fen, m.people_held_accountable, m.cases_filed
    FROM measures m JOIN problems p ON p.id = m.problem_id ${where}
    ORDER BY p.round_unit_id, p.seq, m.seq, m.id`,
    termId ? [termId] : [],
  );
  const responsibles = await h.all(
    `SELECT r.problem_id, r.name, r.duty FROM problem_responsibles r JOIN problems p ON p.id = r.problem_id
     ${termId ? 'WHERE p.term_id = ?' : ''} ORDER BY r.problem_id, r.id`,
    termId ? [termId] : [],
  );
  return rows.length + responsibles.length * 0;
}

// ---------------------------------------------------------------------------------------------
// Login: the password check dominates (PBKDF2-HMAC-SM3, platform/crypto.ts)

export function loginFloor(password: string, stored: string): boolean {
  const [, iter, salt, hash] = stored.split('$');
  const dk = crypto.pbkdf2Sync(password.normalize('NFC'), Buffer.from(salt!, 'base64'), Number(iter), 32, 'sm3');
  return dk.equals(Buffer.from(hash!, 'base64'));
}
