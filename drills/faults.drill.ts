/**
 * Issue 10 §3 — faults. A storage wrapper (support/faulty-storage.ts) fails the k-th writing statement
 * of an operation with disk-full or I/O error, for every k from 1 until the operation no longer meets
 * the fault (k = N + 1, where it must succeed). After each failure: the database equals the state
 * before the request (a digest of every table but sessions), the answer is a problem document without
 * stack trace or SQL, and the next requests (a read, and a write elsewhere) succeed.
 *
 * OPERATIONS is the list to extend as modules land (progress submissions next).
 * SQLite only: the wrapper sits on the better-sqlite3 handle (see the table for PostgreSQL).
 */
import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerText, LEDGER_COLUMNS, LEDGER_SHEET } from '../server/src/modules/ledger-excel/ledger-excel.layout.js';
import { type Agent, createTestApp, type TestApp } from '../server/test/helpers.js';
import { FaultyStorage } from './support/faulty-storage.js';
import { pdfOf } from './support/pdf.js';
import { record } from './support/results.js';

const V1 = '/api/v1';
const MAX_K = 500;

interface Env {
  t: TestApp;
  office: Agent;
  ru: number[];
  measures: number[];
}

interface Operation {
  name: string;
  /** Tables the operation writes (for the report; the digest covers every table). */
  request(e: Env, attempt: number): Promise<{ statusCode: number; body: string }>;
  /** The success status. */
  ok: number;
  /** Run once before the k loop (what the operation needs, e.g. a completed measure and its files). */
  prepare?(e: Env): Promise<void>;
}

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

const OPERATIONS: Operation[] = [
  {
    name: 'ledger import (workbook: 3 problems × 2 measures)',
    ok: 200,
    async request(e) {
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
    },
  },
  {
    name: 'bulk owner change of 10 measures',
    ok: 200,
    request: (e, attempt) =>
      e.office.post(`${V1}/measures/bulk`, { ids: e.measures, action: 'owner', ownerName: `负责人${attempt}` }),
  },
  {
    name: 'problem with 5 measures and 2 responsibles',
    ok: 201,
    request: (e) =>
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
  },
  {
    name: 'closure application with 2 evidence files',
    ok: 201,
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
        const m = multipart(`evidence-${i}.pdf`, pdfOf(20_000, `closure-${i}`));
        const r = await e.office.request('POST', `${V1}/round-units/${e.ru[1]}/files`, m.body, {
          'content-type': m.contentType,
        });
        expect(r.statusCode, r.body).toBe(201);
        closureTarget.fileIds.push(r.json().id);
      }
    },
    async request(e) {
      const v = (await e.office.get(`${V1}/measures/${closureTarget.measureId}`)).json().version;
      return e.office.post(`${V1}/measures/${closureTarget.measureId}/closure`, {
        version: v,
        summary: '已完成整改，附佐证材料。',
        fileIds: closureTarget.fileIds,
      });
    },
  },
];

/** SM3 over every row of every table except sessions (touched by every request), in a fixed order. */
async function digest(t: TestApp): Promise<string> {
  const tables = (
    await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
      AND name <> 'sessions' ORDER BY name`.execute(t.ctx.db)
  ).rows.map((r) => r.name);
  const h = crypto.createHash('sm3');
  for (const name of tables) {
    const rows = t.ctx.sqlite!.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all();
    h.update(`${name}\n${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  }
  return h.digest('hex');
}

describe('faults on sqlite: the k-th write fails', () => {
  let e: Env;
  let storage: FaultyStorage;

  beforeAll(async () => {
    const t = await createTestApp('sqlite');
    const unitOrg = await t.createOrg({ code: 'U1' });
    await t.createUser({ username: 'office', role: 'office' });
    const now = t.clock.now();
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 1, name: '第一届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId: Number(term.id),
        number: 1,
        name: '第1轮',
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
    const ru: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
          unitOrgId: i === 0 ? unitOrg : await t.createOrg({ code: `U${i + 1}` }),
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
      ru.push(Number(r.id));
    }
    const office = await t.login('office');
    const p = await office.post(`${V1}/round-units/${ru[2]}/problems`, {
      number: 'BULK',
      categoryCode: 'eight_point_rules',
      description: '批量',
      source: 'feedback',
      severity: 'low',
      measures: Array.from({ length: 10 }, (_, i) => ({ content: `m${i}`, type: 'deadline', deadline: '2027-01-31' })),
    });
    expect(p.statusCode, p.body).toBe(201);
    e = { t, office, ru, measures: p.json().measures.map((m: { id: number }) => m.id) };
    storage = new FaultyStorage(t.ctx.sqlite!);
  });

  afterAll(async () => {
    await e?.t.close();
  });

  for (const op of OPERATIONS) {
    it(`${op.name}: before or after, never between, for every k`, async () => {
      let k = 1;
      let partial = 0;
      let leaks = 0;
      let notRecovered = 0;
      let statuses = new Set<number>();
      let writes = 0;
      await op.prepare?.(e);
      for (; k <= MAX_K; k++) {
        const before = await digest(e.t);
        storage.arm(k);
        const res = await op.request(e, k);
        storage.disarm();
        if (!storage.fired) {
          // k passed the operation's last write: it must have succeeded, with k − 1 writes.
          expect(res.statusCode, res.body).toBe(op.ok);
          writes = k - 1;
          break;
        }
        statuses.add(res.statusCode);
        if ((await digest(e.t)) !== before) partial++;
        if (/\bat .+:\d+:\d+|SqliteError|SQLITE_|disk I\/O|disk is full|INSERT |UPDATE |DELETE /i.test(res.body))
          leaks++;
        const read = await e.office.get(`${V1}/ledger?roundUnitId=${e.ru[2]}`);
        const write = await e.office.patch(`${V1}/measures/${e.measures[0]}`, {
          version: (await e.office.get(`${V1}/measures/${e.measures[0]}`)).json().version,
          casesFiled: k,
        });
        if (read.statusCode !== 200 || write.statusCode !== 200) notRecovered++;
      }
      statuses = new Set([...statuses]);
      console.log(
        `[faults] ${op.name}: ${writes} writing statements; ${writes} faults injected; partial ${partial}, ` +
          `leaks ${leaks}, not recovered ${notRecovered}; answers ${[...statuses].join(',')}`,
      );
      record({
        drill: 'faults',
        database: 'sqlite',
        figure: `${op.name}: k = 1..N injected`,
        value: writes,
        target: '≥ 1',
        pass: writes >= 1,
      });
      record({
        drill: 'faults',
        database: 'sqlite',
        figure: `${op.name}: partial states`,
        value: partial,
        target: '0',
        pass: partial === 0,
      });
      record({
        drill: 'faults',
        database: 'sqlite',
        figure: `${op.name}: answers with stack/SQL`,
        value: leaks,
        target: '0',
        pass: leaks === 0,
      });
      record({
        drill: 'faults',
        database: 'sqlite',
        figure: `${op.name}: next requests failed`,
        value: notRecovered,
        target: '0',
        pass: notRecovered === 0,
      });
      expect({ partial, leaks, notRecovered }).toEqual({ partial: 0, leaks: 0, notRecovered: 0 });
      expect(writes).toBeGreaterThan(0);
    });
  }

  it('is not yet extended to PostgreSQL or progress submissions', () => {
    record({
      drill: 'faults',
      database: 'postgres',
      figure: 'not built',
      value: '-',
      target: '-',
      pass: null,
      note: 'wrapper is SQLite-only; progress submissions not added yet',
    });
  });
});
