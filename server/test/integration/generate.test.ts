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
        sum(CASE WHEN is_done = 0 AND effective_deadline < ${new Date(t.ctx.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10)} THEN 1 ELSE 0 END) AS overdue,
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

  it('submits a period-end progress report for every round-unit whose period has ended, one item per measure', async () => {
    const db = t.ctx.db;
    const today = new Date(t.ctx.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const rus = await db.selectFrom('roundUnits').select(['id', 'status', 'deadline']).execute();
    const reports = await db.selectFrom('progressReports').selectAll().execute();
    const byRu = new Map(reports.map((x) => [Number(x.roundUnitId), x]));
    expect(reports.length).toBe(byRu.size); // one report per round-unit
    const ended = rus.filter((x) => x.status !== 'rectifying');
    expect(ended.length).toBeGreaterThan(0);
    expect(rus.some((x) => x.status === 'rectifying')).toBe(true);
    for (const ru of rus) {
      const rep = byRu.get(Number(ru.id));
      if (ru.status === 'rectifying') {
        expect(rep).toBeUndefined();
        continue;
      }
      expect(rep).toMatchObject({ status: 'submitted', periodSeq: 1, periodKind: 'period_end', revision: 1 });
      expect(rep!.dueDate).toBe(ru.deadline);
      const submittedOn = new Date(Number(rep!.submittedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(submittedOn <= today).toBe(true);
      expect(Number(rep!.late)).toBe(submittedOn > rep!.dueDate ? 1 : 0);
      expect(rep!.signedBy).not.toBeNull();
      expect(Number(rep!.signedBy)).not.toBe(Number(rep!.preparedBy));
    }
    const late = reports.filter((x) => Number(x.late) === 1).length;
    expect(late / reports.length).toBeLessThan(0.35);
    expect(r.counts.progress_reports).toBe(reports.length);

    // Every item's measure belongs to the report's round-unit, and every measure of it is reported once.
    const mismatch = await sql<{ n: number | string }>`SELECT count(*) AS n FROM progress_report_items i
      JOIN progress_reports r ON r.id = i.report_id JOIN measures m ON m.id = i.measure_id
      WHERE m.round_unit_id <> r.round_unit_id`.execute(db);
    expect(Number(mismatch.rows[0]!.n)).toBe(0);
    const missing = await sql<{ n: number | string }>`SELECT count(*) AS n FROM measures m
      JOIN progress_reports r ON r.round_unit_id = m.round_unit_id
      WHERE NOT EXISTS (SELECT 1 FROM progress_report_items i WHERE i.report_id = r.id AND i.measure_id = m.id)`.execute(
      db,
    );
    expect(Number(missing.rows[0]!.n)).toBe(0);
    const items = await db.selectFrom('progressReportItems').selectAll().execute();
    expect(items.length).toBe(r.counts.progress_report_items);
    expect(items.every((i) => i.narrative.length > 0 && i.fileIds === '[]')).toBe(true);
    expect([...new Set(items.map((i) => i.reportedStatus))]).toEqual(
      expect.arrayContaining(['completed', 'in_progress']),
    );

    // One frozen version per report, whose snapshot lists the same items in the shape the service reads.
    const versions = await db.selectFrom('progressReportVersions').selectAll().execute();
    expect(versions.length).toBe(reports.length);
    const itemsOf = new Map<number, typeof items>();
    for (const i of items) itemsOf.set(Number(i.reportId), [...(itemsOf.get(Number(i.reportId)) ?? []), i]);
    for (const v of versions) {
      const rep = reports.find((x) => Number(x.id) === Number(v.reportId))!;
      expect(Number(v.revision)).toBe(1);
      expect(Number(v.submittedAt)).toBe(Number(rep.submittedAt));
      expect(Number(v.late)).toBe(Number(rep.late));
      const snap = JSON.parse(v.snapshot) as { summary: string; items: Record<string, unknown>[] };
      expect(snap.summary).toBe(rep.summary);
      const own = itemsOf.get(Number(v.reportId)) ?? [];
      expect(snap.items.map((i) => i.measureId).sort()).toEqual(own.map((i) => Number(i.measureId)).sort());
      for (const i of snap.items) {
        expect(Object.keys(i).sort()).toEqual(
          [
            'categoryCode',
            'content',
            'files',
            'measureId',
            'narrative',
            'problemId',
            'problemNumber',
            'reportedStatus',
            'seq',
            'type',
          ].sort(),
        );
        const item = own.find((x) => Number(x.measureId) === i.measureId)!;
        expect([i.reportedStatus, i.narrative]).toEqual([item.reportedStatus, item.narrative]);
      }
    }
  });

  it('closes every closed measure with exactly one approved closure, verified by the office and decided by another user', async () => {
    const db = t.ctx.db;
    const rows = await sql<Record<string, number | string>>`SELECT m.id, m.status,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id AND c.status = 'approved') AS approved,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id AND c.status = 'pending') AS pending,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id) AS total
      FROM measures m`.execute(db);
    let closed = 0;
    let requested = 0;
    for (const m of rows.rows) {
      if (m.status === 'closed') closed++;
      if (m.status === 'closure_requested') requested++;
      expect([Number(m.approved), Number(m.pending), Number(m.total)]).toEqual(
        m.status === 'closed' ? [1, 0, 1] : m.status === 'closure_requested' ? [0, 1, 1] : [0, 0, 0],
      );
    }
    expect(closed).toBeGreaterThan(0);
    expect(requested).toBeGreaterThan(0);
    expect(r.counts.closures).toBe(closed + requested);

    const closures = await db
      .selectFrom('closures as c')
      .innerJoin('measures as m', 'm.id', 'c.measureId')
      .innerJoin('users as a', 'a.id', 'c.applicantId')
      .select([
        'c.id',
        'c.status',
        'c.applicantId',
        'c.decidedBy',
        'c.appliedAt',
        'c.decidedAt',
        'c.problemId',
        'c.roundUnitId',
        'c.unitOrgId',
        'c.categoryCode',
        'c.fileIds',
        'm.problemId as mProblemId',
        'm.roundUnitId as mRoundUnitId',
        'm.unitOrgId as mUnitOrgId',
        'm.categoryCode as mCategoryCode',
        'm.completedOn',
        'a.orgId as applicantOrgId',
        'a.role as applicantRole',
      ])
      .execute();
    const verifications = await db
      .selectFrom('closureVerifications as v')
      .innerJoin('users as u', 'u.id', 'v.verifierId')
      .select(['v.closureId', 'v.verifierId', 'v.verifierRole', 'v.verifierOrgId', 'u.role', 'u.orgId', 'v.createdAt'])
      .execute();
    const now = Date.now();
    for (const c of closures) {
      expect([c.problemId, c.roundUnitId, c.unitOrgId, c.categoryCode]).toEqual([
        c.mProblemId,
        c.mRoundUnitId,
        c.mUnitOrgId,
        c.mCategoryCode,
      ]);
      expect([c.applicantRole, Number(c.applicantOrgId)]).toEqual(['unit', Number(c.unitOrgId)]);
      expect(c.fileIds).toBe('[]');
      const applied = new Date(Number(c.appliedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(applied >= c.completedOn!).toBe(true);
      const vs = verifications.filter((v) => Number(v.closureId) === Number(c.id));
      if (c.status === 'pending') {
        expect(c.decidedBy).toBeNull();
        expect(vs).toEqual([]);
        continue;
      }
      expect(c.decidedBy).not.toBeNull();
      expect(Number(c.decidedBy)).not.toBe(Number(c.applicantId));
      expect(Number(c.decidedAt)).toBeGreaterThan(Number(c.appliedAt));
      expect(Number(c.decidedAt)).toBeLessThanOrEqual(now);
      expect(vs).toHaveLength(1);
      expect(vs[0]).toMatchObject({ verifierRole: 'office', role: 'office' });
      expect(Number(vs[0]!.verifierOrgId)).toBe(Number(vs[0]!.orgId));
      expect(Number(vs[0]!.createdAt)).toBeGreaterThanOrEqual(Number(c.appliedAt));
      expect(Number(vs[0]!.createdAt)).toBeLessThanOrEqual(Number(c.decidedAt));
    }
  });

  it('schedules re-checks 6 and 12 months after closing a long-term or rule-making measure, passed once due', async () => {
    const db = t.ctx.db;
    // The generator's today is the app clock's day in Shanghai (a test clock, not the wall clock).
    const today = new Date(t.ctx.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const closed = await db
      .selectFrom('closures as c')
      .innerJoin('measures as m', 'm.id', 'c.measureId')
      .select(['c.id', 'c.decidedAt', 'm.id as measureId', 'm.type', 'm.rulesEstablished'])
      .where('c.status', '=', 'approved')
      .execute();
    const rechecks = await db.selectFrom('rechecks').selectAll().execute();
    expect(rechecks.length).toBe(r.counts.rechecks);
    expect(rechecks.length).toBeGreaterThan(0);
    let due = 0;
    for (const c of closed) {
      const own = rechecks.filter((x) => Number(x.closureId) === Number(c.id));
      const needs = c.type === 'long_term' || Number(c.rulesEstablished) > 0;
      expect(own.map((x) => Number(x.monthsAfter)).sort((a, b) => a - b)).toEqual(needs ? [6, 12] : []);
      const closedOn = new Date(Number(c.decidedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      for (const x of own) {
        expect(Number(x.measureId)).toBe(Number(c.measureId));
        expect(x.dueDate > closedOn).toBe(true);
        expect(x.status).toBe(x.dueDate < today ? 'passed' : 'pending');
        if (x.status === 'passed') {
          due++;
          expect(x.doneBy).not.toBeNull();
          expect(Number(x.doneAt)).toBeLessThanOrEqual(Date.now());
        } else expect(x.doneAt).toBeNull();
      }
    }
    expect(due).toBeGreaterThan(0);
  });

  it('is read through the services: a signed-off version, a closure with its verification, the re-checks', async () => {
    const office = await t.login('bench-office', PASSWORD);
    const reports = await office.get('/api/v1/progress-reports?limit=5');
    expect(reports.statusCode).toBe(200);
    const id = reports.json().items[0].id;
    const version = await office.get(`/api/v1/progress-reports/${id}/versions/1`);
    expect(version.statusCode).toBe(200);
    expect(version.json().items.length).toBeGreaterThan(0);
    expect(version.json().items[0]).toMatchObject({ files: [], narrative: expect.any(String) });
    const approved = await office.get('/api/v1/closures?status=approved&limit=1');
    expect(approved.statusCode).toBe(200);
    const closure = await office.get(`/api/v1/closures/${approved.json().items[0].id}`);
    expect(closure.statusCode).toBe(200);
    expect(closure.json().verifications).toMatchObject([{ verifierRole: 'office', verdict: 'agree' }]);
    const rechecks = await office.get('/api/v1/rechecks?limit=5');
    expect(rechecks.statusCode).toBe(200);
    expect(rechecks.json().items.length).toBeGreaterThan(0);
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
