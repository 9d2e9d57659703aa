/**
 * Issue 10 §3 — faults. The storage under a running app (support/faulty-storage.ts) fails its k-th
 * write with disk-full or I/O error, for every k from 1 until the operation no longer meets the fault
 * (k = N + 1, where it must succeed). A write is a writing SQL statement (COMMIT included: on SQLite
 * at the better-sqlite3 handle, on PostgreSQL at the pg client, both below Kysely) or a write of the
 * evidence file store (a new file's bytes, fsync, mkdir, rename, directory fsync), counted in one
 * sequence, so that an upload meets the fault at each of its file writes and at each of its rows.
 *
 * After each failure: the state equals the state before the failed request — a digest of every table
 * but sessions and login throttling, the same blobs in the store, no temporary file left, no row
 * naming a missing blob — the answer is a problem document without stack trace, SQL or path, and the
 * next requests (a read, and a write elsewhere) succeed. An operation of several requests (a progress
 * submission: two uploads, the report, its items, send, sign-off) is checked request by request: the
 * request that met the fault must leave what the previous one left.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../server/src/db/database.js';
import { headerText, LEDGER_COLUMNS, LEDGER_SHEET } from '../server/src/modules/ledger-excel/ledger-excel.layout.js';
import { LocalFileStore } from '../server/src/platform/files/local-store.js';
import { type Agent, createTestApp, type TestApp } from '../server/test/helpers.js';
import { Faults, faultyFiles, faultyPostgres, faultySqlite } from './support/faulty-storage.js';
import { pdfOf } from './support/pdf.js';
import { DATABASES, PG_URL, record, skipped } from './support/results.js';

const V1 = '/api/v1';
const MAX_K = 500;
/** Written by every request (the session's last use) or by sign-in; not data of the operation. */
const UNCOUNTED_TABLES = new Set(['sessions', 'login_throttle']);

interface Env {
  t: TestApp;
  dialect: Dialect;
  office: Agent;
  unit: Agent;
  head: Agent;
  unitOrgId: number;
  termId: number;
  ru: number[];
  measures: number[];
  tables: string[];
}

type Res = Awaited<ReturnType<Agent['request']>>;
/** What the requests of one attempt pass on to the next (ids, versions). */
interface Scratch {
  attempt: number;
  ru: number;
  measures: number[];
  periodSeq: number;
  file1: number | null;
  file2: number | null;
  report: number;
  version: number;
}

const scratch = (attempt: number): Scratch => ({
  attempt,
  ru: 0,
  measures: [],
  periodSeq: 0,
  file1: null,
  file2: null,
  report: 0,
  version: 0,
});

interface Step {
  name: string;
  /** The success status. */
  ok: number;
  request(e: Env, s: Scratch): Promise<Res>;
}

interface Operation {
  name: string;
  /** Run once before the k loop (what the operation needs, e.g. a completed measure and its files). */
  prepare?(e: Env): Promise<void>;
  /** Run before each attempt, without fault: what the attempt needs fresh (a round-unit of its own). */
  setup?(e: Env, s: Scratch): Promise<void>;
  /** The requests, in order: the fault falls on the k-th write of the whole sequence. */
  steps: Step[];
}

const single = (ok: number, request: Step['request']): Step[] => [{ name: 'request', ok, request }];

const closureTarget = { measureId: 0, fileIds: [] as number[] };

async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet(LEDGER_SHEET);
  // The headers the application's own layout gives the template (the import finds columns by them).
  ws.addRow(LEDGER_COLUMNS.map(headerText)).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

function multipart(filename: string, content: Buffer) {
  const boundary = `----drill${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One evidence file (a PDF unique to `tag`, so that no attempt finds its bytes already stored). */
function upload(who: Agent, roundUnitId: number, tag: string) {
  const m = multipart(`${tag}.pdf`, pdfOf(20_000, tag));
  return who.request('POST', `${V1}/round-units/${roundUnitId}/files`, m.body, { 'content-type': m.contentType });
}

/** Inserts a round-unit (and its round) directly: the fixture, not what is measured. */
async function roundUnit(t: TestApp, termId: number, roundNumber: number, unitOrgId: number): Promise<number> {
  const now = t.clock.now();
  const round = await t.ctx.db
    .insertInto('rounds')
    .values({
      termId,
      number: roundNumber,
      name: `第${roundNumber}轮`,
      type: 'regular',
      onSiteStart: null,
      onSiteEnd: null,
      notes: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const r = await t.ctx.db
    .insertInto('roundUnits')
    .values({
      roundId: Number(round.id),
      termId,
      unitOrgId,
      teamId: null,
      status: 'rectifying',
      cycle: 1,
      feedbackDate: '2026-11-01',
      deadline: '2027-02-01',
      deadlineOverridden: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

const OPERATIONS: Operation[] = [
  {
    name: 'ledger import (workbook: 3 problems × 2 measures)',
    steps: single(200, async (e) => {
      const rows: (string | number | null)[][] = [];
      for (let p = 1; p <= 3; p++)
        for (let m = 1; m <= 2; m++)
          rows.push([
            `F${p}`,
            m === 1 ? 'eight_point_rules' : null,
            m === 1 ? `第${p}个问题：制度执行不严格。` : null,
            m === 1 ? '巡察反馈' : null,
            m === 1 ? '一般' : null,
            null,
            null,
            null,
            m === 1 ? `第一${p}` : null,
            null,
            m,
            `措施${p}-${m}：建立健全相关制度。`,
            '限期整改',
            '2027-03-31',
            null,
            '未启动',
            1,
            null,
            null,
            0,
            0,
          ]);
      const m = multipart('ledger.xlsx', await workbook(rows));
      return e.office.request('POST', `${V1}/round-units/${e.ru[0]}/ledger/import`, m.body, {
        'content-type': m.contentType,
      });
    }),
  },
  {
    name: 'bulk owner change of 10 measures',
    steps: single(200, (e, s) =>
      e.office.post(`${V1}/measures/bulk`, { ids: e.measures, action: 'owner', ownerName: `负责人${s.attempt}` }),
    ),
  },
  {
    name: 'problem with 5 measures and 2 responsibles',
    steps: single(201, (e) =>
      e.office.post(`${V1}/round-units/${e.ru[1]}/problems`, {
        number: 'FP-1',
        categoryCode: 'eight_point_rules',
        description: '问题',
        source: 'feedback',
        severity: 'high',
        responsibles: [
          { name: '张三', duty: 'first' },
          { name: '李四', duty: 'shared' },
        ],
        measures: Array.from({ length: 5 }, (_, i) => ({
          content: `措施${i + 1}`,
          type: 'deadline',
          deadline: '2027-01-31',
        })),
      }),
    ),
  },
  {
    name: 'closure application with 2 evidence files',
    async prepare(e) {
      const p = await e.office.post(`${V1}/round-units/${e.ru[1]}/problems`, {
        number: 'CL-1',
        categoryCode: 'eight_point_rules',
        description: '销号',
        source: 'feedback',
        severity: 'low',
        measures: [{ content: '完成的措施', type: 'deadline', deadline: '2027-01-31' }],
      });
      expect(p.statusCode, p.body).toBe(201);
      const id = p.json().measures[0].id as number;
      for (const to of ['in_progress', 'completed']) {
        const v = (await e.office.get(`${V1}/measures/${id}`)).json().version;
        const r = await e.office.post(`${V1}/measures/${id}/status`, { to, version: v });
        expect(r.statusCode, r.body).toBe(200);
      }
      closureTarget.measureId = id;
      closureTarget.fileIds = [];
      for (let i = 0; i < 2; i++) {
        const r = await upload(e.office, e.ru[1]!, `closure-${e.dialect}-${i}`);
        expect(r.statusCode, r.body).toBe(201);
        closureTarget.fileIds.push(r.json().id);
      }
    },
    steps: single(201, async (e) => {
      const v = (await e.office.get(`${V1}/measures/${closureTarget.measureId}`)).json().version;
      return e.office.post(`${V1}/measures/${closureTarget.measureId}/closure`, {
        version: v,
        summary: '已完成整改，附佐证材料。',
        fileIds: closureTarget.fileIds,
      });
    }),
  },
  {
    name: 'evidence upload (PDF, 20 kB)',
    steps: single(201, (e, s) => upload(e.office, e.ru[1]!, `upload-${e.dialect}-${s.attempt}`)),
  },
  {
    name: 'progress submission with 2 files (2 uploads, report, 2 items, send, sign-off)',
    // Each attempt its own round-unit with a problem of two measures: a report is one per period.
    async setup(e, s) {
      s.ru = await roundUnit(e.t, e.termId, 100 + s.attempt, e.unitOrgId);
      const p = await e.unit.post(`${V1}/round-units/${s.ru}/problems`, {
        number: `PR-${s.attempt}`,
        categoryCode: 'eight_point_rules',
        description: '整改进展',
        source: 'feedback',
        severity: 'medium',
        measures: [
          { content: '建立制度', type: 'deadline', deadline: '2027-01-31' },
          { content: '开展教育', type: 'long_term', deadline: '2027-01-31' },
        ],
      });
      expect(p.statusCode, p.body).toBe(201);
      s.measures = p.json().measures.map((m: { id: number }) => m.id);
      const periods = await e.unit.get(`${V1}/round-units/${s.ru}/progress-reports`);
      expect(periods.statusCode, periods.body).toBe(200);
      s.periodSeq = periods.json().items[0].seq;
    },
    steps: [
      {
        name: 'upload 1',
        ok: 201,
        async request(e, s) {
          const r = await upload(e.unit, s.ru, `progress-${e.dialect}-${s.attempt}-1`);
          s.file1 = r.statusCode === 201 ? r.json().id : null;
          return r;
        },
      },
      {
        name: 'upload 2',
        ok: 201,
        async request(e, s) {
          const r = await upload(e.unit, s.ru, `progress-${e.dialect}-${s.attempt}-2`);
          s.file2 = r.statusCode === 201 ? r.json().id : null;
          return r;
        },
      },
      {
        name: 'create report',
        ok: 201,
        async request(e, s) {
          const r = await e.unit.post(`${V1}/round-units/${s.ru}/progress-reports`, { periodSeq: s.periodSeq });
          if (r.statusCode === 201) [s.report, s.version] = [r.json().id, r.json().version];
          return r;
        },
      },
      {
        name: 'item 1',
        ok: 200,
        async request(e, s) {
          const r = await e.unit.put(`${V1}/progress-reports/${s.report}/items/${s.measures[0]}`, {
            version: s.version,
            reportedStatus: 'in_progress',
            narrative: '已起草制度，正在征求意见。',
            fileIds: [s.file1],
          });
          if (r.statusCode === 200) s.version = r.json().version;
          return r;
        },
      },
      {
        name: 'item 2',
        ok: 200,
        async request(e, s) {
          const r = await e.unit.put(`${V1}/progress-reports/${s.report}/items/${s.measures[1]}`, {
            version: s.version,
            narrative: '已开展两次警示教育。',
            fileIds: [s.file1, s.file2],
          });
          if (r.statusCode === 200) s.version = r.json().version;
          return r;
        },
      },
      {
        name: 'send',
        ok: 200,
        async request(e, s) {
          const r = await e.unit.post(`${V1}/progress-reports/${s.report}/send`, { version: s.version });
          if (r.statusCode === 200) s.version = r.json().version;
          return r;
        },
      },
      {
        name: 'sign-off',
        ok: 200,
        request: (e, s) => e.head.post(`${V1}/progress-reports/${s.report}/signoff`, { version: s.version }),
      },
    ],
  },
];

async function tablesOf(t: TestApp): Promise<string[]> {
  const names =
    t.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
          ORDER BY name`.execute(t.ctx.db)
      : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(t.ctx.db);
  return names.rows.map((r) => r.name).filter((n) => !UNCOUNTED_TABLES.has(n));
}

/** SM3 over every row of every counted table, in a fixed order (PostgreSQL: one md5 per table, one query). */
async function digest(e: Env): Promise<string> {
  const h = crypto.createHash('sm3');
  if (e.dialect === 'sqlite') {
    for (const name of e.tables) {
      // Rows as text, sorted: some tables are WITHOUT ROWID (the anonymous survey answers).
      const rows = e.t.ctx
        .sqlite!.prepare(`SELECT * FROM "${name}"`)
        .raw()
        .all()
        .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
        .sort();
      h.update(`${name}\n${rows.join('\n')}\n`);
    }
  } else {
    const parts = e.tables.map(
      (name, i) => `(SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM "${name}" x) AS t${i}`,
    );
    const row = (await sql.raw<Record<string, string>>(`SELECT ${parts.join(', ')}`).execute(e.t.ctx.db)).rows[0]!;
    for (const [i, name] of e.tables.entries()) h.update(`${name}\n${row[`t${i}`]}\n`);
  }
  return h.digest('hex');
}

/** What "before or after, never between" compares: the tables, the store's blobs, its temp files, dangling rows. */
async function snapshot(e: Env) {
  const blobs: string[] = [];
  for await (const d of e.t.ctx.files.list()) blobs.push(d);
  blobs.sort();
  const tmp = fs.readdirSync(path.join(e.t.ctx.config.filesDir, 'tmp'), { withFileTypes: true }).map((d) => d.name);
  const named = await sql<{
    sm3: string;
  }>`SELECT sm3 FROM evidence_files UNION SELECT sm3 FROM measure_evidence`.execute(e.t.ctx.db);
  const have = new Set(blobs);
  const dangling = named.rows.filter((r) => !have.has(r.sm3)).length;
  return { digest: await digest(e), blobs: blobs.join(','), blobCount: blobs.length, tmp, dangling };
}

/** A stack frame, an SQL text, a driver's or the OS's error, or a server path in an answer. */
const LEAK =
  /\bat .+:\d+:\d+|SqliteError|SQLITE_|disk I\/O|disk is full|INSERT |UPDATE |DELETE |could not (extend|write)|No space left|Input\/output|ENOSPC|EIO\b|\b(53100|58030)\b|rectify-test|\.part\b/i;

async function setup(dialect: Dialect): Promise<Env> {
  const t = await createTestApp(dialect);
  const unitOrgId = await t.createOrg({ code: 'U1' });
  await t.createUser({ username: 'office', role: 'office' });
  await t.createUser({ username: 'unit', role: 'unit', orgId: unitOrgId });
  await t.createUser({ username: 'head', role: 'unit_head', orgId: unitOrgId });
  const now = t.clock.now();
  const term = await t.ctx.db
    .insertInto('terms')
    .values({ number: 1, name: '第一届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const termId = Number(term.id);
  const ru: number[] = [await roundUnit(t, termId, 1, unitOrgId)];
  for (let i = 1; i < 3; i++) ru.push(await roundUnit(t, termId, 1 + i, await t.createOrg({ code: `U${i + 1}` })));
  const [office, unit, head] = [await t.login('office'), await t.login('unit'), await t.login('head')];
  const p = await office.post(`${V1}/round-units/${ru[2]}/problems`, {
    number: 'BULK',
    categoryCode: 'eight_point_rules',
    description: '批量',
    source: 'feedback',
    severity: 'low',
    measures: Array.from({ length: 10 }, (_, i) => ({ content: `m${i}`, type: 'deadline', deadline: '2027-01-31' })),
  });
  expect(p.statusCode, p.body).toBe(201);
  // The store's temp directory exists from the first upload on; made here so that every k starts alike.
  fs.mkdirSync(path.join(t.ctx.config.filesDir, 'tmp'), { recursive: true });
  const e: Env = {
    t,
    dialect,
    office,
    unit,
    head,
    unitOrgId,
    termId,
    ru,
    measures: p.json().measures.map((m: { id: number }) => m.id),
    tables: [],
  };
  e.tables = await tablesOf(t);
  return e;
}

describe.each(DATABASES)('faults on %s: the k-th write fails', (dialect) => {
  const enabled = dialect === 'sqlite' || !!PG_URL;
  let e: Env;
  const faults = new Faults();
  const undo: (() => void)[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    e = await setup(dialect);
    expect(e.t.ctx.files).toBeInstanceOf(LocalFileStore);
    undo.push(faultyFiles(e.t.ctx.files as LocalFileStore, faults));
    undo.push(dialect === 'sqlite' ? faultySqlite(e.t.ctx.sqlite!, faults) : faultyPostgres(faults));
  });

  afterAll(async () => {
    for (const u of undo.reverse()) u();
    await e?.t.close();
  });

  for (const op of OPERATIONS) {
    it.runIf(enabled)(`${op.name}: before or after, never between, for every k`, async () => {
      let partial = 0;
      let leaks = 0;
      let notRecovered = 0;
      let tolerated = 0;
      const statuses = new Set<number>();
      let writes: { db: number; file: number } | null = null;
      await op.prepare?.(e);
      try {
        for (let k = 1; k <= MAX_K && !writes; k++) {
          const s = scratch(k);
          await op.setup?.(e, s);
          faults.arm(k);
          let start: string | null = null;
          for (const step of op.steps) {
            const firedBefore = !!faults.fired;
            const before = firedBefore ? null : await snapshot(e);
            if (before) start ??= before.digest;
            const res = await step.request(e, s);
            if (firedBefore || !faults.fired) {
              expect(res.statusCode, `${step.name} (k = ${k}): ${res.body}`).toBe(step.ok);
              continue;
            }
            // The fault fell in this request.
            const after = await snapshot(e);
            const at = `${step.name}: ${faults.fired.kind} ${faults.fired.what}`;
            const between: string[] = [];
            if (after.tmp.length) between.push(`temp files left: ${after.tmp.join(' ')}`);
            if (after.dangling) between.push(`${after.dangling} rows name a missing blob`);
            if (res.statusCode === step.ok) {
              tolerated++; // the request got past the failed write: it is "after", with nothing left half-done
            } else {
              statuses.add(res.statusCode);
              if (after.digest !== before!.digest) between.push('tables changed');
              if (after.blobs !== before!.blobs) between.push(`blobs ${before!.blobCount} → ${after.blobCount}`);
              if (LEAK.test(res.body)) {
                leaks++;
                console.warn(`[faults] k = ${k} at ${at}: answer leaks: ${res.body.slice(0, 300)}`);
              }
            }
            if (between.length) {
              partial++;
              console.warn(`[faults] ${dialect} ${op.name}, k = ${k} at ${at}: BETWEEN — ${between.join('; ')}`);
            }
            const read = await e.office.get(`${V1}/ledger?roundUnitId=${e.ru[2]}`);
            const write = await e.office.patch(`${V1}/measures/${e.measures[0]}`, {
              version: (await e.office.get(`${V1}/measures/${e.measures[0]}`)).json().version,
              casesFiled: k,
            });
            if (read.statusCode !== 200 || write.statusCode !== 200) notRecovered++;
            if (res.statusCode !== step.ok) break; // the operation stopped here, as a user's would
          }
          faults.disarm();
          if (!faults.fired) {
            // k passed the operation's last write: every request succeeded, with k − 1 writes.
            expect(faults.count).toBe(k - 1);
            const end = await snapshot(e);
            expect({ tmp: end.tmp, dangling: end.dangling }).toEqual({ tmp: [], dangling: 0 });
            // The digest sees what the operation wrote (else "unchanged" after a failure would prove nothing).
            expect(end.digest).not.toBe(start);
            writes = {
              db: faults.writes.filter((w) => w === 'database').length,
              file: faults.writes.filter((w) => w === 'file').length,
            };
          }
        }
      } finally {
        faults.disarm(); // an assertion thrown mid-attempt must not leave the next test armed
      }
      expect(writes, `still meeting the fault at k = ${MAX_K}`).not.toBeNull();
      const n = writes!.db + writes!.file;
      const value = writes!.file ? `${n} (${writes!.db} db + ${writes!.file} file)` : n;
      console.log(
        `[faults] ${dialect} ${op.name}: ${n} writes (${writes!.db} database, ${writes!.file} file store), each failed ` +
          `once; partial ${partial}, leaks ${leaks}, not recovered ${notRecovered}, got past ${tolerated}; ` +
          `answers ${[...statuses].join(',')}`,
      );
      const fig = (figure: string, v: number | string, target: string, pass: boolean) =>
        record({ drill: 'faults', database: dialect, figure: `${op.name}: ${figure}`, value: v, target, pass });
      fig('writes failed in turn (k = 1..N)', value, '≥ 1', n >= 1);
      fig('partial states', partial, '0', partial === 0);
      fig('answers with stack/SQL/path', leaks, '0', leaks === 0);
      fig('next requests failed', notRecovered, '0', notRecovered === 0);
      expect({ partial, leaks, notRecovered }).toEqual({ partial: 0, leaks: 0, notRecovered: 0 });
      expect(n).toBeGreaterThan(0);
    });
  }

  it.skipIf(enabled)('needs TEST_DATABASE_URL', () => skipped('faults', dialect, 'TEST_DATABASE_URL not set'));
});
