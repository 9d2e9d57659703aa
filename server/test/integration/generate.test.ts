import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateError, type GenerateResult, generateDataset } from '../../src/cli/generate-data.js';
import { main } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/lib/command.js';
import { SummaryRepository } from '../../src/modules/ledger/summaries.repository.js';
import { createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const PASSWORD = 'Bench-Test-Passw0rd!';

describe.each(DIALECTS)('generate (%s)', (dialect) => {
  let t: TestApp;
  let r: GenerateResult;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    r = await generateDataset(t.ctx, {
      units: 20,
      measures: 2000,
      rounds: 4,
      terms: 2,
      auditRows: 500,
      seed: 7,
      password: PASSWORD,
    });
  }, 120_000);
  afterAll(async () => t?.close());

  const count = async (table: string) => {
    const q = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.ctx.db);
    return Number(q.rows[0]!.n);
  };

  it('writes the sizes asked for and reports what it wrote', async () => {
    expect(await count('measures')).toBe(2000);
    expect(await count('rounds')).toBe(4);
    expect(await count('terms')).toBe(2);
    expect(await count('round_units')).toBeGreaterThanOrEqual(20);
    expect(await count('audit_log')).toBe(501); // the history and the run itself
    for (const table of ['problems', 'problem_responsibles', 'round_units', 'liaison_links', 'users'])
      expect(r.counts[table]).toBe(await count(table));
    expect(r.counts.measures).toBe(2000);
    expect(r.rows).toBeGreaterThan(2000);
    expect(r.rowsPerSecond).toBeGreaterThan(0);
    const units = await t.ctx.db
      .selectFrom('organisations')
      .select(sql<number>`count(*)`.as('n'))
      .where('type', '=', 'inspected_unit')
      .executeTakeFirstOrThrow();
    expect(Number(units.n)).toBe(20);
  });

  it('skews the statuses: most measures done, some open, some overdue, deadlines and money set', async () => {
    const q = await sql<{
      done: number | string;
      open: number | string;
      overdue: number | string;
      funds: number | string;
    }>`
      SELECT sum(is_done) AS done, sum(1 - is_done) AS open,
        sum(CASE WHEN is_done = 0 AND effective_deadline < ${new Date().toISOString().slice(0, 10)} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN funds_returned_fen > 0 THEN 1 ELSE 0 END) AS funds
      FROM measures`.execute(t.ctx.db);
    const s = q.rows[0]!;
    expect(Number(s.done)).toBeGreaterThan(1000);
    expect(Number(s.open)).toBeGreaterThan(0);
    expect(Number(s.overdue)).toBeGreaterThan(0);
    expect(Number(s.funds)).toBeGreaterThan(0);
    const statuses = await t.ctx.db.selectFrom('measures').select('status').distinct().execute();
    expect(statuses.map((x) => x.status).sort()).toEqual(
      expect.arrayContaining(['closed', 'completed', 'in_progress']),
    );
  });

  it('leaves summary counters equal to a full recount and to the measures themselves', async () => {
    const snapshot = async () =>
      (
        await sql<
          Record<string, unknown>
        >`SELECT * FROM ledger_summaries ORDER BY round_unit_id, category_code`.execute(t.ctx.db)
      ).rows.map((row) => JSON.stringify(Object.values(row).map(String)));
    const before = await snapshot();
    await t.ctx.db.transaction().execute((trx) => new SummaryRepository().recount(trx, null));
    expect(await snapshot()).toEqual(before);

    const sums = await sql<Record<string, number | string>>`
      SELECT sum(measure_count) AS measures, sum(done_count) AS done, sum(funds_returned_fen) AS funds,
        sum(problem_count) AS problems FROM ledger_summaries`.execute(t.ctx.db);
    const direct = await sql<Record<string, number | string>>`
      SELECT count(*) AS measures, sum(is_done) AS done, sum(funds_returned_fen) AS funds,
        (SELECT count(*) FROM problems) AS problems FROM measures`.execute(t.ctx.db);
    const norm = (o: Record<string, number | string>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(BigInt(String(v).split('.')[0]!))]));
    expect(norm(sums.rows[0]!)).toEqual(norm(direct.rows[0]!));
  });

  it('writes its audit history on the real chain, so the log verifies', async () => {
    const v = await t.ctx.audit.verify();
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(501);
  });

  it('gives the benchmark accounts their scopes: the office sees all, the supervisor its units, the unit its own', async () => {
    const office = await t.login('bench-office', PASSWORD);
    const page = await office.get('/api/v1/ledger?limit=5');
    expect(page.statusCode).toBe(200);
    expect(page.json().total).toBe(2000);
    const figures = await office.get(`/api/v1/dashboard/figures?termId=${r.refs.latestTermId}`);
    expect(figures.statusCode).toBe(200);
    expect(figures.json().measures).toBeGreaterThan(0);

    const supervisor = await t.login('bench-supervisor', PASSWORD);
    const all = await supervisor.get('/api/v1/dashboard/figures');
    expect(all.json().measures).toBe(2000); // 20 units: the first supervision office liaises with all of them
    const unit = await t.login('bench-unit', PASSWORD);
    const own = await unit.get('/api/v1/ledger?limit=200');
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBeGreaterThan(0);
    expect(own.json().total).toBeLessThan(2000);
    expect(new Set(own.json().items.map((i: { unitOrgId: number }) => i.unitOrgId))).toEqual(
      new Set([r.refs.benchUnitOrgId]),
    );
  });

  it('refuses a database that already holds a generated dataset', async () => {
    await expect(
      generateDataset(t.ctx, {
        units: 2,
        measures: 10,
        rounds: 1,
        terms: 1,
        auditRows: 0,
        seed: 1,
        password: PASSWORD,
      }),
    ).rejects.toBeInstanceOf(GenerateError);
  });
});

describe('npm run cli -- generate (SQLite file)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-generate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the audit history from a worker thread and audit-verify passes afterwards', async () => {
    const out: string[] = [];
    const io: CliIO = {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { RECTIFY_DATA_DIR: dir, RECTIFY_MASTER_KEY: crypto.randomBytes(32).toString('hex'), USER: 'tester' },
    };
    const args = ['--units', '10', '--measures', '1k', '--rounds', '2', '--audit-rows', '3000', '--seed', '3'];
    expect(await main(['generate', ...args], io)).toBe(0);
    expect(out.join('\n')).toMatch(/audit_log\s+3,000/);
    expect(out.join('\n')).toMatch(/rows\/s/);
    expect(out.join('\n')).toContain('bench-supervisor');
    out.length = 0;
    expect(await main(['audit-verify'], io)).toBe(0);
    expect(out.join('\n')).toContain('audit chain OK: 3001 rows');
    out.length = 0;
    expect(await main(['generate', ...args], io)).toBe(1); // refuses a second dataset
  }, 120_000);
});
