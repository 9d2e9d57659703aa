import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_BENCH_PASSWORD, SIZES } from '../server/src/cli/generate.js';
import { type GenerateResult, generateDataset } from '../server/src/cli/generate-data.js';
import { AuditService } from '../server/src/platform/audit/audit.service.js';
import { systemClock } from '../server/src/platform/clock.js';
import { createCryptoProvider } from '../server/src/platform/crypto.js';
import { openRuntime } from '../server/src/runtime.js';

/**
 * The bench's datasets, one per size and database, kept between runs: SQLite in
 * data/bench/<size>-sqlite/rectify.db, PostgreSQL in the schema bench_<size> of the database
 * rectify_bench (BENCH_DATABASE_URL to use another), each with its master key in its data directory.
 * A dataset.json beside it records what was generated; a run regenerates when it is missing or
 * asks for other sizes.
 */

export const PG_BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/rectify_bench';

export interface Dataset {
  size: string;
  db: 'sqlite' | 'postgres';
  dataDir: string;
  /** The environment the CLI and the server read their configuration from. */
  env: NodeJS.ProcessEnv;
  sqlitePath: string;
  databaseUrl: string | null;
  password: string;
  generated: {
    at: string;
    params: Record<string, number>;
    result: Omit<GenerateResult, 'refs'> & { refs: GenerateResult['refs'] };
  };
  reused: boolean;
}

function pgUrl(schema: string): string {
  const u = new URL(PG_BASE);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function pgAdmin(fn: (c: pg.Client) => Promise<void>, database?: string) {
  const u = new URL(PG_BASE);
  if (database) u.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}

export async function ensureDataset(o: {
  size: string;
  db: 'sqlite' | 'postgres';
  auditRows: number;
  regenerate: boolean;
  log: (line: string) => void;
}): Promise<Dataset> {
  const preset = SIZES[o.size];
  if (!preset) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const params = {
    units: preset.units,
    measures: preset.measures,
    rounds: preset.rounds,
    terms: Math.max(1, Math.ceil(preset.rounds / 10)),
    auditRows: o.auditRows,
    seed: 1,
  };
  const dataDir = path.resolve('data/bench', `${o.size}-${o.db}`);
  const schema = `bench_${o.size}`;
  const databaseUrl = o.db === 'postgres' ? pgUrl(schema) : null;
  const password = process.env.RECTIFY_BENCH_PASSWORD || DEFAULT_BENCH_PASSWORD;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RECTIFY_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    SQLITE_PATH: '',
    RECTIFY_MASTER_KEY: '',
  };
  const sqlitePath = path.join(dataDir, 'rectify.db');
  const marker = path.join(dataDir, 'dataset.json');
  const base = { size: o.size, db: o.db, dataDir, env, sqlitePath, databaseUrl, password };

  if (!o.regenerate && fs.existsSync(marker)) {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    const same = JSON.stringify(m.params) === JSON.stringify(params) && m.password === password;
    const present = o.db === 'sqlite' ? fs.existsSync(sqlitePath) : true;
    if (same && present) return { ...base, generated: { at: m.at, params: m.params, result: m.result }, reused: true };
  }

  // Start from nothing: a new data directory (and master key), an empty schema.
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  if (o.db === 'postgres') {
    const name = new URL(PG_BASE).pathname.slice(1);
    await pgAdmin(async (c) => {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!exists.rowCount) await c.query(`CREATE DATABASE ${name}`);
    }, 'postgres');
    await pgAdmin(async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.query(`CREATE SCHEMA ${schema}`);
    });
  }
  o.log(`Generating the ${o.size} dataset on ${o.db} (${dataDir})…`);
  const { config, database } = await openRuntime(env);
  let result: GenerateResult;
  try {
    const crypto = createCryptoProvider(config.masterKey);
    const audit = new AuditService(database.db, database.dialect, crypto, systemClock);
    await audit.ensureHeads();
    result = await generateDataset(
      { db: database.db, dialect: database.dialect, sqlite: database.sqlite, crypto, audit, clock: systemClock },
      { ...params, password, log: o.log, actor: { actorId: null, actorName: 'bench', ip: null, requestId: null } },
    );
  } finally {
    await database.close();
  }
  o.log(
    `  ${result.rows.toLocaleString('en')} rows in ${(result.elapsedMs / 1000).toFixed(1)} s = ${result.rowsPerSecond.toLocaleString('en')} rows/s`,
  );
  const at = new Date().toISOString();
  fs.writeFileSync(marker, JSON.stringify({ at, params, password, result }, null, 2));
  return { ...base, generated: { at, params, result }, reused: false };
}
