import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, ROOT } from '../../e2e/support/server.js';

/** Where one drill instance keeps its data, and how the server and the drill's own checks reach it. */
export interface Installation {
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  masterKeyHex: string;
  /** The environment of the server and of the CLI for this installation. */
  env: Record<string, string>;
  /** Removes the data directory and, on PostgreSQL, the schema. */
  drop(): Promise<void>;
  /** On PostgreSQL the schema, for pg_terminate_backend of this installation's connections only. */
  schema: string | null;
}

/** A fresh installation: a temp data directory, and on PostgreSQL a new schema of TEST_DATABASE_URL. */
export async function newInstallation(dialect: 'sqlite' | 'postgres', extraEnv: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-drill-'));
  const masterKeyHex = crypto.randomBytes(32).toString('hex');
  const env: Record<string, string> = { RECTIFY_DATA_DIR: dataDir, RECTIFY_MASTER_KEY: masterKeyHex, ...extraEnv };
  let schema: string | null = null;
  const base = process.env.TEST_DATABASE_URL;
  if (dialect === 'postgres') {
    if (!base) throw new Error('TEST_DATABASE_URL is not set');
    schema = `drill_${crypto.randomBytes(5).toString('hex')}`;
    await pgAdmin(`CREATE SCHEMA ${schema}`);
    // application_name marks this installation's connections (pg_terminate_backend targets only them).
    const opts = encodeURIComponent(`-c search_path=${schema}`);
    env.DATABASE_URL = `${base}${base.includes('?') ? '&' : '?'}options=${opts}&application_name=${schema}`;
  }
  const inst: Installation = {
    dialect,
    dataDir,
    masterKeyHex,
    env,
    schema,
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema) await pgAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    },
  };
  return inst;
}

export async function pgAdmin(query: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    return await c.query(query, params);
  } finally {
    await c.end();
  }
}

export interface DrillServer {
  baseUrl: string;
  port: number;
  pid: number;
  output(): string;
  exited(): boolean;
  /** kill -9: no shutdown hooks, no flush. */
  kill9(): Promise<void>;
  /** SIGTERM (the server's own graceful close), then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** Resident set size in KiB, from /proc. */
  rssKb(): number;
}

/**
 * Starts the real server (server/src/main.ts under tsx, as `npm start` does, but without npx so that
 * the pid is the server itself) for an installation, and waits for /api/health.
 */
export async function startServer(
  inst: Installation,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<DrillServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    ...inst.env,
    ...env,
  };
  if (!inst.env.DATABASE_URL) delete childEnv.DATABASE_URL;
  delete childEnv.SQLITE_PATH;
  delete childEnv.RECTIFY_FILES_DIR;
  delete childEnv.RECTIFY_ADMIN_PASSWORD;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'server/src/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pid = child.pid!;
  const kill = async (signal: NodeJS.Signals) => {
    if (exited) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: DrillServer = {
    baseUrl,
    port,
    pid,
    output: () => out,
    exited: () => exited,
    kill9: () => kill('SIGKILL'),
    stop: () => kill('SIGTERM'),
    rssKb: () => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) : 0;
      } catch {
        return 0;
      }
    },
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited) throw new Error(`server exited while starting:\n${out}`);
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`server did not start in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/**
 * The local PostgreSQL cluster that TEST_DATABASE_URL points at, when this user can stop and start it
 * (Debian's pg_ctlcluster, as root or postgres, on this machine's port); null otherwise.
 */
export function localCluster(): { stop(): void; start(): void; name: string } | null {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return null;
  const url = new URL(base);
  if (!['127.0.0.1', 'localhost', '::1', ''].includes(url.hostname)) return null;
  const uid = process.getuid?.();
  if (uid !== 0 && os.userInfo().username !== 'postgres') return null;
  const ls = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (ls.status !== 0) return null;
  const port = url.port || '5432';
  const line = ls.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[2] === port && f[3] === 'online');
  if (!line) return null;
  const [version, cluster] = line as [string, string];
  const ctl = (action: 'stop' | 'start', options: string[] = []) => {
    const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...options, version, cluster, action], {
      encoding: 'utf8',
    });
    // pg_ctlcluster start says 2 when the cluster already runs.
    if (r.status !== 0 && !(action === 'start' && r.status === 2))
      throw new Error(`pg_ctlcluster ${action}: ${r.stderr || r.stdout}`);
  };
  return {
    name: `${version}/${cluster}`,
    stop: () => ctl('stop', ['-m', 'immediate']),
    start: () => ctl('start'),
  };
}
