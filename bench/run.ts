import { type ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { addDays, shanghaiDate } from '../domain/calendar.js';
import { GenRandom, SEARCH_PHRASE } from '../server/src/cli/generate-texts.js';
import {
  type FigureFilter,
  type LedgerFilter,
  type LedgerSort,
  SheetRepository,
} from '../server/src/modules/ledger/sheet.repository.js';
import { SummaryRepository } from '../server/src/modules/ledger/summaries.repository.js';
import { type Dataset, ensureDataset } from './dataset.js';
import {
  type Captured,
  capture,
  exportFloor,
  loginFloor,
  openHandle,
  type PoolMeasure,
  runCaptured,
  type SqlHandle,
  statusFloor,
} from './floor.js';
import type { ParentMessage, ServerMessage } from './server.js';
import { type Latency, latency, median, ms, int as num } from './stats.js';
import { importFloor, importRows, importWorkbook } from './workbook.js';

/**
 * `npm run bench [-- --size 100k|1m|10k --db sqlite|postgres]` (issue 9): generates or reuses the
 * dataset, starts the real application in a child process on 127.0.0.1, signs in through the API
 * (cookie + CSRF) and runs each scenario with autocannon — 50 connections, 10 s, 3 repetitions,
 * medians — plus one client alone for its latency; in the same run it times the scenario's SQL
 * straight through the driver (the floor) and, for the reads, a bare Fastify route serving that SQL.
 * Prints one table and writes JSON under bench/results/.
 */

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' },
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    'audit-rows': { type: 'string' },
    regenerate: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(`npm run bench [-- options]
  --size 10k|100k|1m       dataset (default 100k; generated once per size and database, then reused)
  --db sqlite|postgres     database (default sqlite; PostgreSQL in BENCH_DATABASE_URL or
                           postgres://postgres@127.0.0.1:5432/rectify_bench, schema bench_<size>)
  --duration S --reps N    each load run: S seconds (default 10), N repetitions (default 3), medians
  --connections N          concurrent connections of the load runs (default 50)
  --only a,b               only the scenarios whose key contains one of these words
  --audit-rows N           audit history of a newly generated dataset (default: ten per measure, SPEC §4)
  --regenerate             generate the dataset again
  --quick                  2 s runs, 1 repetition, no warm-up: for trying the suite, not for figures
  --explain                print each read's SQL (captured from the repositories), its plan and time
  --profile                the server writes a V8 CPU profile (data/bench/<size>-<db>/profiles/)`);
  process.exit(0);
}

const SIZE = args.size!.toLowerCase();
const DB = args.db as 'sqlite' | 'postgres';
if (DB !== 'sqlite' && DB !== 'postgres') throw new Error('--db must be sqlite or postgres');
const QUICK = args.quick!;
const EXPLAIN = args.explain!;
const DURATION = QUICK ? 2 : Number(args.duration);
const REPS = QUICK ? 1 : Number(args.reps);
const CONNECTIONS = Number(args.connections);
const ONE_CLIENT_SECONDS = QUICK ? 2 : 5;
const FLOOR_SECONDS = QUICK ? 1 : 3;
const WARMUP_SECONDS = QUICK ? 0 : 2;
const ONLY = args.only?.split(',').map((s) => s.trim().toLowerCase());
const SIZE_MEASURES: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
/** SPEC §4: ten audit rows per measure (10,000,000 at 1M); --audit-rows to change it. */
const AUDIT_ROWS = args['audit-rows'] !== undefined ? Number(args['audit-rows']) : (SIZE_MEASURES[SIZE] ?? 0) * 10;

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Server and sessions

interface Server {
  child: ChildProcess;
  appPort: number;
  barePort: number;
  pid: number;
}

/**
 * The Node flags of `npm start` (package.json), so that the bench's server runs as the real one does:
 * `--min-semi-space-size=16` there keeps the young generation at its full 16 MB from the start, and
 * with it a streamed export's batches die young instead of being promoted (PostgreSQL export peak RSS
 * 314 → 220 MB).
 */
function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((t) => t.startsWith('--'));
}

async function startServer(ds: Dataset): Promise<Server> {
  const logFile = fs.openSync(path.join(ds.dataDir, 'server.log'), 'a');
  const child = fork(path.resolve('bench/server.ts'), [], {
    execArgv: [
      ...startFlags(),
      '--import',
      'tsx',
      ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ds.dataDir, 'profiles')}`] : []),
      // Experiments (a preload that patches something, say): BENCH_SERVER_NODE_OPTIONS="--import ./x.mjs"
      ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
    ],
    env: {
      ...ds.env,
      // The limits protect a real server from one address; the bench is one address by design.
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', logFile, logFile, 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const fail = (code: number | null) =>
      reject(new Error(`bench server exited (${code}); see ${ds.dataDir}/server.log`));
    child.once('exit', fail);
    child.once('message', (m: ServerMessage) => {
      child.off('exit', fail);
      resolve({ child, appPort: m.appPort, barePort: m.barePort, pid: m.pid });
    });
  });
}

async function stopServer(s: Server) {
  s.child.send({ type: 'stop' } satisfies ParentMessage);
  await new Promise((r) => s.child.once('exit', r));
}

interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

let server: Server;
let ds: Dataset;
/** The bench's own connection (floors, references, clean-up). */
let handle: SqlHandle;
/** A session for drain(). */
let drainSession: Session | null = null;
const base = () => `http://127.0.0.1:${server.appPort}`;

async function login(username: string): Promise<Session> {
  const res = await fetch(`${base()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: ds.password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = (await res.json()) as { csrfToken: string; restriction: string | null };
  if (me.restriction) throw new Error(`login ${username}: restricted (${me.restriction})`);
  // The headers of the web app's requests: the browser always offers gzip (only prepared bodies use it).
  const headers = { cookie, 'x-csrf-token': me.csrfToken, 'accept-encoding': 'gzip, deflate, br' };
  return { cookie, csrf: me.csrfToken, headers };
}

async function getJson<T>(s: Session, url: string): Promise<T> {
  const res = await fetch(`${base()}${url}`, { headers: s.headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Load {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** --explain: each captured query with its plan and its time alone. */
async function explain(queries: Captured[]) {
  for (const q of queries) {
    const plan = await handle.raw(
      `${DB === 'postgres' ? 'EXPLAIN (ANALYZE, BUFFERS)' : 'EXPLAIN QUERY PLAN'} ${q.sql}`,
      q.parameters,
    );
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await handle.raw(q.sql, q.parameters);
      times.push(performance.now() - t);
    }
    log(`      ${ms(median(times))} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
    log(`        params ${JSON.stringify(q.parameters).slice(0, 200)}`);
    for (const row of plan) log(`        ${row.detail ?? row['QUERY PLAN']}`);
  }
}

/**
 * Waits until the server has worked off what a finished run left queued (autocannon stops sending,
 * but a blocked event loop still owes the answers): a health check must come back quickly.
 */
async function drain() {
  const deadline = Date.now() + 300_000;
  const checks: [string, Record<string, string>][] = [
    // through the session lookup, so through the database and its pool
    [`http://127.0.0.1:${server.appPort}/api/v1/auth/me`, drainSession ? { cookie: drainSession.cookie } : {}],
    [`http://127.0.0.1:${server.barePort}/floor-ping`, {}],
  ];
  for (const [url, headers] of checks) {
    for (;;) {
      const t = performance.now();
      await fetch(url, { headers }).then((r) => r.arrayBuffer());
      if (performance.now() - t < 50 || Date.now() > deadline) break;
    }
  }
}

async function cannon(o: {
  port: number;
  connections: number;
  seconds: number;
  request: CannonRequest;
}): Promise<Load> {
  const times: number[] = [];
  const inst = autocannon({
    url: `http://127.0.0.1:${o.port}`,
    connections: o.connections,
    duration: o.seconds,
    timeout: 60,
    requests: [o.request],
  });
  inst.on('response', (_client: unknown, _status: number, _bytes: number, rt: number) => times.push(rt));
  const r = await inst;
  await drain();
  const l = latency(times);
  return {
    p50: l.p50,
    p95: l.p95,
    p99: l.p99,
    // answers received within the run (autocannon drops what is still in flight when it stops)
    rps: times.length / r.duration,
    requests: times.length,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** The floor, one client: the operation repeated for a few seconds (at least 20 times). */
async function timeFloor(
  op: () => Promise<unknown> | unknown,
  seconds = FLOOR_SECONDS,
): Promise<Latency & { ops: number }> {
  for (let i = 0; i < 3; i++) await op();
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || times.length < 20) {
    const t = performance.now();
    await op();
    times.push(performance.now() - t);
    if (times.length >= 100_000) break;
  }
  const l = latency(times);
  return { ...l, ops: times.length / ((performance.now() - start) / 1000) };
}

interface Target {
  text: string;
  ok: boolean | null;
}

interface ScenarioResult {
  key: string;
  name: string;
  kind: 'http' | 'timed' | 'missing';
  note?: string;
  oneClient?: Load;
  load?: Load & { reps: Load[] };
  bareRps?: number;
  floor?: Latency & { ops: number };
  timed?: { medianMs: number; runs: number[]; peakRssMb?: number; baseRssMb?: number; rows?: number; floorMs?: number };
  targets: Target[];
}

const results: ScenarioResult[] = [];
const want = (key: string) => !ONLY || ONLY.some((w) => key.includes(w));

async function httpScenario(o: {
  key: string;
  name: string;
  request: () => CannonRequest;
  floor?: () => Promise<unknown> | unknown;
  /** A read's floor: its captured queries, timed here and served by the bare route. */
  queries?: Captured[];
  targets?: (r: ScenarioResult) => Target[];
  note?: string;
}) {
  if (!want(o.key)) return;
  log(`· ${o.name}`);
  const r: ScenarioResult = { key: o.key, name: o.name, kind: 'http', note: o.note, targets: [] };
  await drain();
  const queries = o.queries;
  if (queries && EXPLAIN) await explain(queries);
  const floor = o.floor ?? (queries ? () => runCaptured(handle, queries) : undefined);
  if (floor) r.floor = await timeFloor(floor);
  if (WARMUP_SECONDS)
    await cannon({ port: server.appPort, connections: 10, seconds: WARMUP_SECONDS, request: o.request() });
  r.oneClient = await cannon({
    port: server.appPort,
    connections: 1,
    seconds: ONE_CLIENT_SECONDS,
    request: o.request(),
  });
  const reps: Load[] = [];
  for (let i = 0; i < REPS; i++)
    reps.push(
      await cannon({ port: server.appPort, connections: CONNECTIONS, seconds: DURATION, request: o.request() }),
    );
  const pick = (k: keyof Load) => median(reps.map((x) => x[k]));
  r.load = {
    p50: pick('p50'),
    p95: pick('p95'),
    p99: pick('p99'),
    rps: pick('rps'),
    requests: reps.reduce((s, x) => s + x.requests, 0),
    non2xx: reps.reduce((s, x) => s + x.non2xx, 0) + (r.oneClient?.non2xx ?? 0),
    errors: reps.reduce((s, x) => s + x.errors + x.timeouts, 0),
    timeouts: reps.reduce((s, x) => s + x.timeouts, 0),
    reps,
  };
  if (queries) {
    server.child.send({ type: 'routes', routes: { [o.key]: { queries } } } satisfies ParentMessage);
    const path = `/floor/${o.key}`;
    if (WARMUP_SECONDS)
      await cannon({
        port: server.barePort,
        connections: 10,
        seconds: WARMUP_SECONDS,
        request: { method: 'GET', path },
      });
    r.bareRps = (
      await cannon({
        port: server.barePort,
        connections: CONNECTIONS,
        seconds: DURATION,
        request: { method: 'GET', path },
      })
    ).rps;
  }
  r.targets = o.targets?.(r) ?? [];
  results.push(r);
  log(
    `    1 client p95 ${ms(r.oneClient.p95)} ms · ${CONNECTIONS} conns p50 ${ms(r.load.p50)} p95 ${ms(r.load.p95)} p99 ${ms(r.load.p99)} ms, ${num(r.load.rps)} req/s` +
      `${r.bareRps ? ` (bare ${num(r.bareRps)}/s)` : ''}${r.floor ? ` · floor p50 ${ms(r.floor.p50)} ms` : ''}` +
      `${r.load.non2xx || r.load.errors ? ` · ${r.load.non2xx} non-2xx, ${r.load.errors} errors` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Targets (issue 9, at 1M measures)

const isPg = () => DB === 'postgres';
const le = (text: string, v: number | undefined, max: number): Target => ({
  text: `${text} ≤ ${max}`,
  ok: v === undefined || !Number.isFinite(v) ? null : v <= max,
});
const ge = (text: string, v: number | undefined, min: number): Target => ({
  text: `${text} ≥ ${min}`,
  ok: v === undefined || !Number.isFinite(v) ? null : v >= min,
});
const clean = (r: ScenarioResult): Target => ({ text: 'no errors', ok: !r.load?.non2xx && !r.load?.errors });

const ledgerTargets = (r: ScenarioResult): Target[] => [
  le('1-client p95 ms', r.oneClient?.p95, isPg() ? 15 : 8),
  ge('req/s', r.load?.rps, 430),
  le('p99 ms', r.load?.p99, 250),
  ge('% of bare', r.bareRps ? (100 * (r.load?.rps ?? 0)) / r.bareRps : undefined, 50),
  clean(r),
];
const dashboardTargets = (r: ScenarioResult): Target[] => [
  le('1-client p95 ms', r.oneClient?.p95, 10),
  ge('req/s', r.load?.rps, 1000),
  clean(r),
];
const statusTargets = (r: ScenarioResult): Target[] => [
  le('1-client p95 ms', r.oneClient?.p95, 5),
  ge('req/s', r.load?.rps, 1000),
  le('p99 ms', r.load?.p99, 100),
  clean(r),
];

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  ds = await ensureDataset({ size: SIZE, db: DB, auditRows: AUDIT_ROWS, regenerate: args.regenerate!, log });
  if (ds.reused) log(`Reusing the ${SIZE} dataset on ${DB} generated ${ds.generated.at} (${ds.dataDir}).`);
  const h = await openHandle({ sqlitePath: ds.sqlitePath, databaseUrl: ds.databaseUrl });
  handle = h;
  server = await startServer(ds);
  log(`Application on 127.0.0.1:${server.appPort}, bare routes on :${server.barePort} (pid ${server.pid}).`);

  try {
    await runScenarios(h);
  } finally {
    await stopServer(server);
  }

  const dbVersion = String(
    (await h.all(DB === 'postgres' ? 'SELECT version() AS v' : 'SELECT sqlite_version() AS v'))[0]?.v ?? '',
  );
  const counts: Record<string, number> = {};
  for (const t of ['measures', 'problems', 'round_units', 'audit_log', 'users'])
    counts[t] = Number((await h.all(`SELECT count(*) AS n FROM ${t}`))[0]!.n);
  await h.close();

  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    database: DB === 'postgres' ? dbVersion.split(' on ')[0] : `SQLite ${dbVersion} (better-sqlite3)`,
    loadAverageBefore: loadBefore.map((x) => Math.round(x * 10) / 10),
    loadAverageAfter: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  const compare = compareWith100k();
  printTable(machine, counts, compare);
  const out = path.resolve('bench/results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${startedAt.toISOString().replace(/[:.]/g, '-')}-${SIZE}-${DB}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        size: SIZE,
        db: DB,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        settings: { duration: DURATION, reps: REPS, connections: CONNECTIONS, quick: QUICK },
        machine,
        dataset: { counts, generated: ds.generated, reused: ds.reused },
        results,
        compare100k: compare,
      },
      null,
      2,
    ),
  );
  log(`\nJSON: ${path.relative(process.cwd(), file)}`);
}

/** Dashboard one-client p50 at this size against the latest 100k run on the same database. */
function compareWith100k(): { file: string; ratios: Record<string, number> } | null {
  if (SIZE === '100k') return null;
  const dir = path.resolve('bench/results');
  if (!fs.existsSync(dir)) return null;
  // The latest full run (not --quick, every dashboard scenario) at 100k on the same database.
  type Run = { settings?: { quick?: boolean }; results: ScenarioResult[] };
  const runs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(`-100k-${DB}.json`))
    .sort()
    .reverse()
    .map((f) => ({ f, run: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Run }))
    .filter(({ run }) => !run.settings?.quick && run.results.filter((x) => x.key.startsWith('dashboard')).length >= 4);
  const last = runs[0]?.f;
  const prev = runs[0]?.run;
  if (!last || !prev) return null;
  const ratios: Record<string, number> = {};
  for (const r of results) {
    if (!r.key.startsWith('dashboard')) continue;
    const p = prev.results.find((x) => x.key === r.key);
    if (p?.oneClient && r.oneClient) ratios[r.key] = r.oneClient.p50 / p.oneClient.p50;
  }
  for (const r of results) {
    const ratio = ratios[r.key];
    if (ratio !== undefined) r.targets.push(le(`${SIZE} ÷ 100k p50`, Math.round(ratio * 100) / 100, 1.5));
  }
  return { file: last, ratios };
}

// ---------------------------------------------------------------------------------------------
// The floors of the reads: what SheetService / SummaryRepository send, captured from the repositories

const sheet = new SheetRepository(DB);

/**
 * Filters in both shapes the ledger module has used for the caller's scope (`orgIds`, and `scope`
 * with its supervisor lines), so the bench follows the module while it changes.
 */
const ALL = { scope: {} } as unknown as { scope: never };
const scoped = (orgIds: number[]) => {
  const set = new Set(orgIds);
  return { orgIds: set, scope: { orgIds: set } } as unknown as FigureFilter;
};

/** SheetService.page: the page with its responsibles, and its total (from the summary counters when the filter allows). */
async function ledgerQueries(
  f: Omit<LedgerFilter, 'scope'> & { scope: never },
  sort: LedgerSort,
  after: { value: string | number; id: number } | null,
  limit: number,
): Promise<Captured[]> {
  const page = await capture(DB, (db) => sheet.page(db, f as LedgerFilter, sort, 'asc', after, limit));
  const total = await capture(DB, (db) => sheet.total(db, f as LedgerFilter));
  return [...page, ...total];
}

/** SheetService.figures: the summary sums and the overdue count. */
const figureQueries = async (f: FigureFilter, today: string) => [
  ...(await capture(DB, (db) => new SummaryRepository().figures(db, f))),
  ...(await capture(DB, (db) => sheet.overdueCount(db, f, today))),
];

/** SheetService.units: the units, their summary sums and their open measures. */
const unitQueries = async (f: FigureFilter, today: string, soon: string, stalledBefore: number) => [
  ...(await capture(DB, (db) => sheet.roundUnitOrgs(db, f))),
  ...(await capture(DB, (db) => sheet.summariesByUnit(db, f))),
  ...(await capture(DB, (db) => sheet.openByUnit(db, f, today, soon, stalledBefore))),
];

async function runScenarios(h: SqlHandle) {
  const now = Date.now();
  const today = shanghaiDate(now);
  const soon = addDays(today, 7);
  const one = async (text: string, params: unknown[] = []) => (await h.all(text, params))[0] ?? {};
  const termId = Number((await one('SELECT id FROM terms ORDER BY number DESC, id DESC LIMIT 1')).id);
  const roundId = Number(
    (await one('SELECT id FROM rounds WHERE term_id = ? ORDER BY number DESC, id DESC LIMIT 1', [termId])).id,
  );
  const supOrg = Number((await one("SELECT org_id FROM users WHERE username = 'bench-supervisor'")).org_id);
  const supScope = [
    supOrg,
    ...(await h.all('SELECT unit_org_id FROM liaison_links WHERE supervisor_org_id = ?', [supOrg])).map((r) =>
      Number(r.unit_org_id),
    ),
  ];
  const unitOrg = Number((await one("SELECT org_id FROM users WHERE username = 'bench-unit'")).org_id);
  const termMeasures = Number((await one('SELECT count(*) AS n FROM measures WHERE term_id = ?', [termId])).n);
  const unitUsers = Number((await one("SELECT count(*) AS n FROM users WHERE username LIKE 'g-unit-%'")).n);
  log(
    `Latest term ${termId} (${termMeasures.toLocaleString('en')} measures), latest round ${roundId}, bench-supervisor sees ${supScope.length - 1} units.`,
  );

  const office = await login('bench-office');
  drainSession = await login('bench-office');
  const get = (s: Session, url: string) => () => ({ method: 'GET', path: url, headers: s.headers });

  // --- the ledger sheet -------------------------------------------------------------------------
  const firstPage = await ledgerQueries({ termId, status: 'in_progress', today, ...ALL }, 'deadline', null, 50);
  await httpScenario({
    key: 'ledger-first-page',
    name: 'Ledger: first page, filters + total',
    note: 'office; termId, status=in_progress, sort=deadline, 50 rows + total',
    request: get(office, `/api/v1/ledger?termId=${termId}&status=in_progress&sort=deadline&limit=50`),
    queries: firstPage,
    targets: ledgerTargets,
  });

  if (want('ledger-keyset')) {
    // Walk the cursor 10,000 rows deep the way a client does, then time the page found there.
    let after: string | null = null;
    let lastId = 0;
    for (let depth = 0; depth < 10_000; depth += 200) {
      const q = `/api/v1/ledger?termId=${termId}&limit=200${after ? `&after=${after}` : ''}`;
      const page: { items: { id: number }[]; nextCursor: string | null } = await getJson(office, q);
      if (!page.nextCursor) break;
      after = page.nextCursor;
      lastId = page.items[page.items.length - 1]!.id;
    }
    const deep = await ledgerQueries({ termId, today, ...ALL }, 'id', { value: lastId, id: lastId }, 50);
    await httpScenario({
      key: 'ledger-keyset-10000',
      name: 'Ledger: keyset page 10,000 rows deep',
      note: 'office; termId, sort=id, the cursor after 10,000 rows, 50 rows + total',
      request: get(office, `/api/v1/ledger?termId=${termId}&limit=50&after=${after}`),
      queries: deep,
      targets: ledgerTargets,
    });
  }

  const search = await ledgerQueries({ termId, q: SEARCH_PHRASE, today, ...ALL }, 'id', null, 50);
  await httpScenario({
    key: 'ledger-search',
    name: `Ledger: text search "${SEARCH_PHRASE}"`,
    note: 'office; termId + q (problem description or measure content), 50 rows + total',
    request: get(office, `/api/v1/ledger?termId=${termId}&q=${encodeURIComponent(SEARCH_PHRASE)}&limit=50`),
    queries: search,
    targets: (r) => [clean(r)],
  });

  // --- the dashboard ----------------------------------------------------------------------------
  const figures = async (key: string, name: string, s: Session, url: string, f: FigureFilter, note: string) => {
    const queries = await figureQueries(f, today);
    await httpScenario({
      key,
      name,
      note,
      request: get(s, url),
      queries,
      targets: dashboardTargets,
    });
  };
  await figures(
    'dashboard-term',
    'Dashboard: whole term',
    office,
    `/api/v1/dashboard/figures?termId=${termId}`,
    { termId, ...ALL } as FigureFilter,
    'office; figures of the latest term',
  );
  await figures(
    'dashboard-round',
    'Dashboard: one round',
    office,
    `/api/v1/dashboard/figures?roundId=${roundId}`,
    { roundId, ...ALL } as FigureFilter,
    'office; figures of the latest round',
  );
  if (want('dashboard-supervisor')) {
    const sup = await login('bench-supervisor');
    await figures(
      'dashboard-supervisor',
      "Dashboard: a supervisor's scope",
      sup,
      '/api/v1/dashboard/figures',
      scoped(supScope),
      `bench-supervisor; all of its ${supScope.length - 1} units, every term`,
    );
  }
  const stalledBefore = now - 30 * 86_400_000;
  const units = await unitQueries({ termId, ...ALL } as FigureFilter, today, soon, stalledBefore);
  await httpScenario({
    key: 'dashboard-units',
    name: 'Dashboard: units with lights (term)',
    note: 'office; /dashboard/units of the latest term (per-unit figures, overdue, due soon, stalled)',
    request: get(office, `/api/v1/dashboard/units?termId=${termId}`),
    queries: units,
    targets: dashboardTargets,
  });

  // --- export -----------------------------------------------------------------------------------
  if (want('export')) {
    log(`· Export of the latest term (${termMeasures.toLocaleString('en')} ledger rows)`);
    // A fresh server, so that its peak RSS is the export's and not what earlier load runs left behind.
    await stopServer(server);
    server = await startServer(ds);
    await login('bench-office').then((s) => getJson(s, '/api/v1/auth/me'));
    const floorMs = (await timeFloor(() => exportFloor(h, termId), 0)).p50;
    const runs: number[] = [];
    let peak = 0;
    let baseRss = 0;
    let bytes = 0;
    for (let i = 0; i < Math.max(1, Math.min(REPS, 3)); i++) {
      const s = await login('bench-office');
      if (i === 0) baseRss = rssMb(server.pid);
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, rssMb(server.pid));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const t = performance.now();
      const res = await fetch(`${base()}/api/v1/ledger/export?termId=${termId}`, { headers: s.headers });
      if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
      bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      runs.push(performance.now() - t);
      sampling = false;
      await sampler;
    }
    const medianMs = median(runs);
    results.push({
      key: 'export',
      name: `Export ${termMeasures.toLocaleString('en')} ledger rows`,
      kind: 'timed',
      note: `office; GET /ledger/export?termId (${(bytes / 2 ** 20).toFixed(1)} MB xlsx); floor = the same rows read by SQL`,
      timed: { medianMs, runs, peakRssMb: peak, baseRssMb: baseRss, rows: termMeasures, floorMs },
      targets: [
        le('s per 100k rows', (medianMs / 1000) * (100_000 / Math.max(termMeasures, 1)), 10),
        le('peak RSS MB', peak, 250),
      ],
    });
    log(
      `    ${ms(medianMs)} ms (runs ${runs.map(ms).join(', ')}), peak RSS ${num(peak)} MB (before ${num(baseRss)} MB), floor ${ms(floorMs)} ms`,
    );
  }

  // --- import -----------------------------------------------------------------------------------
  if (want('import')) {
    const ru = await one(
      "SELECT id, round_id, term_id, unit_org_id FROM round_units WHERE unit_org_id = ? AND status IN ('rectifying', 'period_ended') ORDER BY id DESC LIMIT 1",
      [unitOrg],
    );
    const target = {
      id: Number(ru.id),
      roundId: Number(ru.round_id),
      termId: Number(ru.term_id),
      unitOrgId: Number(ru.unit_org_id),
    };
    const rows = importRows(10_000, `B${crypto.randomBytes(2).toString('hex')}-`);
    const book = await importWorkbook(rows);
    log(`· Import of a 10,000-row workbook (${(book.length / 2 ** 20).toFixed(1)} MB) into round-unit ${target.id}`);
    const floorRuns: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(REPS, 3)); i++) {
      const t = performance.now();
      await importFloor(h, target, rows);
      floorRuns.push(performance.now() - t);
    }
    const runs: number[] = [];
    let peak = 0;
    for (let i = 0; i < Math.max(1, Math.min(REPS, 3)); i++) {
      const s = await login('bench-unit');
      const before = Number((await one('SELECT coalesce(max(id), 0) AS m FROM problems')).m);
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(book)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
        'ledger-10000.xlsx',
      );
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, rssMb(server.pid));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const t = performance.now();
      const res = await fetch(`${base()}/api/v1/round-units/${target.id}/ledger/import`, {
        method: 'POST',
        headers: s.headers,
        body: form,
      });
      const body = await res.text();
      runs.push(performance.now() - t);
      sampling = false;
      await sampler;
      if (res.status !== 200) throw new Error(`import: ${res.status} ${body.slice(0, 500)}`);
      await removeImported(h, target.id, before);
    }
    const medianMs = median(runs);
    results.push({
      key: 'import',
      name: 'Import a 10,000-row workbook',
      kind: 'timed',
      note: 'bench-unit; POST /round-units/:id/ledger/import (2,500 problems); removed again after each run; floor = the same rows by multi-row INSERT, rolled back',
      timed: { medianMs, runs, peakRssMb: peak, rows: 10_000, floorMs: median(floorRuns) },
      targets: [le('s', medianMs / 1000, 2)],
    });
    log(
      `    ${ms(medianMs)} ms (runs ${runs.map(ms).join(', ')}), peak RSS ${num(peak)} MB, floor ${ms(median(floorRuns))} ms`,
    );
  }

  // --- a status change --------------------------------------------------------------------------
  if (want('status')) {
    const pool: PoolMeasure[] = (
      await h.all(
        `SELECT m.id, m.round_unit_id, m.status, m.version FROM measures m JOIN round_units ru ON ru.id = m.round_unit_id
         WHERE ru.status IN ('rectifying', 'period_ended') AND m.status IN ('in_progress', 'completed') ORDER BY m.id LIMIT 20000`,
      )
    ).map((r) => ({
      id: Number(r.id),
      roundUnitId: Number(r.round_unit_id),
      status: r.status,
      version: Number(r.version),
    }));
    if (pool.length < CONNECTIONS * 2) throw new Error(`only ${pool.length} open measures to change`);
    // In a shuffled order (fixed seed): taken in id order, the 50 connections always wrote to the
    // ~200 consecutive measures of one round-unit and queued on its lock — one unit's lock, not the
    // province's many units writing at once. Spread over the pool's round-units instead.
    new GenRandom(9).shuffle(pool);
    const poolRoundUnits = new Set(pool.map((m) => m.roundUnitId)).size;
    const free: PoolMeasure[] = [...pool];
    const chainKey = await chainKeyOf(ds);
    let floorNext = 0;
    const s = await login('bench-office');
    await httpScenario({
      key: 'status-change',
      name: 'Measure status change (+ audit, counters)',
      note: `office; POST /measures/:id/status in_progress ↔ completed with the current version, over ${pool.length.toLocaleString('en')} measures of ${poolRoundUnits} open round-units, in a shuffled order`,
      floor: () => statusFloor(h, pool[floorNext++ % pool.length]!, chainKey),
      request: () => ({
        method: 'POST',
        path: '/api/v1/measures/0/status',
        headers: { ...s.headers, 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          const m = free.shift() ?? pool[Math.floor(Math.random() * pool.length)]!;
          context.m = m;
          return {
            ...req,
            path: `/api/v1/measures/${m.id}/status`,
            body: JSON.stringify({ to: m.status === 'completed' ? 'in_progress' : 'completed', version: m.version }),
          };
        },
        onResponse: (status, body, context) => {
          const m = context.m as PoolMeasure | undefined;
          if (!m) return;
          try {
            const b = JSON.parse(body);
            const cur = status === 200 ? b : b.current;
            if (cur?.version) {
              m.version = cur.version;
              m.status = cur.status;
            }
          } catch {
            // a non-JSON answer: leave the measure as it was
          }
          free.push(m);
        },
      }),
      targets: statusTargets,
    });
  }

  // --- progress submission (M6) -----------------------------------------------------------------
  // The end-of-period burst: every unit uploads its evidence (here a distinct 1 MB PDF per request,
  // so nothing is deduplicated away) into its round-unit; SM3 while streaming, temp + fsync + rename,
  // one row and one audit record each.
  if (want('progress')) {
    const ru = await one(
      "SELECT id FROM round_units WHERE unit_org_id = ? AND status IN ('rectifying', 'period_ended') ORDER BY id DESC LIMIT 1",
      [unitOrg],
    );
    const s = await login('bench-unit');
    const upload = evidenceUpload(1024 * 1024);
    const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-upload-floor-'));
    let floorNext = 0;
    await httpScenario({
      key: 'progress-submission',
      name: 'Progress submission: a 1 MB evidence file',
      note: `bench-unit; POST /round-units/${ru.id}/files, multipart, a different 1 MB PDF each time; floor = SM3 of the bytes, temp file + fsync + rename`,
      floor: () => uploadFloor(floorDir, upload.next(floorNext++)),
      request: () => ({
        method: 'POST',
        path: `/api/v1/round-units/${ru.id}/files`,
        headers: { ...s.headers, 'content-type': `multipart/form-data; boundary=${upload.boundary}` },
        setupRequest: (req) => ({ ...req, body: upload.next() }),
      }),
      targets: (r) => [clean(r)],
    });
    fs.rmSync(floorDir, { recursive: true, force: true });
  }

  // --- login ------------------------------------------------------------------------------------
  if (want('login')) {
    const stored = String((await one("SELECT password_hash FROM users WHERE username = 'bench-office'")).password_hash);
    let next = 0;
    await httpScenario({
      key: 'login',
      name: 'Login (PBKDF2-SM3, session, audit)',
      note: `POST /auth/login as ${unitUsers.toLocaleString('en')} different unit accounts in turn; floor = the password check alone`,
      floor: () => loginFloor(ds.password, stored),
      request: () => ({
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            username: `g-unit-${String((next++ % unitUsers) + 1).padStart(5, '0')}`,
            password: ds.password,
          }),
        }),
      }),
      targets: (r) => [clean(r)],
    });
  }
}

/** Multipart bodies of distinct PDFs of `size` bytes (a counter written into a comment line). */
function evidenceUpload(size: number) {
  const boundary = `----rectify-bench-${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="整改佐证材料.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const pdfStart = Buffer.from('%PDF-1.4\n%');
  const pdfEnd = Buffer.from('\n%%EOF\n');
  const filler = Buffer.alloc(size - pdfStart.length - pdfEnd.length, 0x41);
  const template = Buffer.concat([head, pdfStart, filler, pdfEnd, tail]);
  const counterAt = head.length + pdfStart.length;
  let n = 0;
  return {
    boundary,
    /** The next body (or the file alone, for the floor, when given a number). */
    next(floorIndex?: number): Buffer {
      const b = Buffer.from(template);
      b.write(`${process.pid}-${Date.now()}-${floorIndex ?? n++}`.padEnd(40, '-'), counterAt, 'latin1');
      return floorIndex === undefined ? b : b.subarray(head.length, b.length - tail.length);
    },
  };
}

/** What an upload costs below the application: the digest, a temp file made durable, the rename. */
function uploadFloor(dir: string, bytes: Buffer) {
  const sm3 = crypto.createHash('sm3').update(bytes).digest('hex');
  const tmp = path.join(dir, `${sm3}.part`);
  const fd = fs.openSync(tmp, 'wx');
  fs.writeSync(fd, bytes);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, path.join(dir, sm3));
  fs.rmSync(path.join(dir, sm3));
}

async function chainKeyOf(d: Dataset): Promise<Buffer> {
  const { createCryptoProvider } = await import('../server/src/platform/crypto.js');
  const hex = fs.readFileSync(path.join(d.dataDir, 'master.key'), 'utf8').trim();
  return createCryptoProvider(Buffer.from(hex, 'hex')).subkey('audit-chain');
}

/** Takes an imported workbook out again, so that the dataset stays the same from run to run. */
async function removeImported(h: SqlHandle, roundUnitId: number, afterProblemId: number) {
  const { recountFloor } = await import('./floor.js');
  await h.exec('BEGIN');
  try {
    const mine = 'SELECT id FROM problems WHERE round_unit_id = ? AND id > ?';
    await h.all(`DELETE FROM measures WHERE problem_id IN (${mine})`, [roundUnitId, afterProblemId]);
    await h.all(`DELETE FROM problem_responsibles WHERE problem_id IN (${mine})`, [roundUnitId, afterProblemId]);
    await h.all('DELETE FROM problems WHERE round_unit_id = ? AND id > ?', [roundUnitId, afterProblemId]);
    await recountFloor(h, roundUnitId);
    await h.exec('COMMIT');
  } catch (e) {
    await h.exec('ROLLBACK');
    throw e;
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The table

function printTable(
  machine: Record<string, unknown>,
  counts: Record<string, number>,
  compare: ReturnType<typeof compareWith100k>,
) {
  const rows: string[][] = [];
  const head = [
    'scenario',
    '1 client p95',
    'p50',
    'p95',
    'p99',
    'req/s',
    'bare req/s',
    '% bare',
    'floor p50',
    '× floor',
    'targets',
  ];
  const verdict = (t: Target[]) => {
    if (!t.length) return '';
    const bad = t.filter((x) => x.ok === false);
    return bad.length ? `FAIL: ${bad.map((x) => x.text).join('; ')}` : 'ok';
  };
  for (const r of results) {
    if (r.kind === 'missing') {
      rows.push([r.name, 'not built yet', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    if (r.kind === 'timed') {
      const t = r.timed!;
      rows.push([
        r.name,
        `${ms(t.medianMs)} ms`,
        '',
        '',
        '',
        '',
        '',
        '',
        `${ms(t.floorMs)}`,
        t.floorMs ? `${(t.medianMs / t.floorMs).toFixed(1)}` : '',
        `${verdict(r.targets)}${t.peakRssMb ? ` (peak RSS ${num(t.peakRssMb)} MB)` : ''}`,
      ]);
      continue;
    }
    const l = r.load!;
    rows.push([
      r.name,
      ms(r.oneClient?.p95),
      ms(l.p50),
      ms(l.p95),
      ms(l.p99),
      num(l.rps),
      num(r.bareRps),
      r.bareRps ? `${Math.round((100 * l.rps) / r.bareRps)}%` : '',
      ms(r.floor?.p50),
      r.floor && r.oneClient ? (r.oneClient.p50 / r.floor.p50).toFixed(1) : '',
      verdict(r.targets),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  log('');
  log(
    `Rectify bench — ${SIZE} on ${DB}: ${Object.entries(counts)
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')}`,
  );
  log(
    `${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}; load average ${(machine.loadAverageBefore as number[])[0]} → ${(machine.loadAverageAfter as number[])[0]}`,
  );
  log(
    `Load runs: ${CONNECTIONS} connections × ${DURATION} s × ${REPS} (medians); times in ms; × floor = 1-client p50 ÷ floor p50.`,
  );
  log('');
  log(line(head));
  log(
    `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? ':' : '-') + '-'.repeat(w) + (i === 0 || i === widths.length - 1 ? '-' : ':')).join('|')}|`,
  );
  for (const r of rows) log(line(r));
  if (compare)
    log(
      `\nDashboard p50 against ${compare.file}: ${Object.entries(compare.ratios)
        .map(([k, v]) => `${k} ${v.toFixed(2)}×`)
        .join(', ')}`,
    );
  if (ds.generated) {
    const g = ds.generated.result;
    log(
      `Dataset generated at ${g.rowsPerSecond.toLocaleString('en')} rows/s (${g.rows.toLocaleString('en')} rows in ${(g.elapsedMs / 1000).toFixed(1)} s).`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  if (server?.child && !server.child.killed) server.child.kill();
  process.exit(1);
});
