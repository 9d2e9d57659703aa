import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectificationDeadline } from '../../../domain/calendar.js';
import { recheckDates } from '../../../domain/progress.js';
import { rectificationRate } from '../../../domain/rectification.js';
import { buildDemo, DEMO_FIGURES, DEMO_USERS, ID_TABLES } from '../../src/cli/demo-build.js';
import { main } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/lib/command.js';
import { cliContext, DemoNotEmptyError, type DemoResult, seedDemo, seedDemoIfEmpty } from '../../src/cli/seed-demo.js';
import { SummaryRepository } from '../../src/modules/ledger/summaries.repository.js';
import { createTestApp, createTestDatabase, DIALECTS, type TestApp, testConfig } from '../helpers.js';

const one = async <T>(q: Promise<{ rows: T[] }>) => (await q).rows[0]!;

describe.each(DIALECTS)('demo dataset on %s', (dialect) => {
  let t: TestApp;
  let r: DemoResult;
  let termId: number;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demoPassword: null });
    r = await seedDemo(t.ctx);
    termId = r.termId;
  }, 120_000);
  afterAll(() => t.close());

  it('reproduces the headline figures of the seed exactly, counted by SQL', async () => {
    const db = t.ctx.db;
    const units = await one(
      sql<{ n: number | string }>`SELECT count(DISTINCT ru.unit_org_id) AS n FROM round_units ru
        JOIN rounds r ON r.id = ru.round_id WHERE r.term_id = ${termId} AND r.number BETWEEN 1 AND 10`.execute(db),
    );
    expect(Number(units.n)).toBe(77);
    const m = await one(
      sql<Record<string, number | string>>`SELECT count(*) AS measures,
          sum(CASE WHEN is_done = 1 THEN 1 ELSE 0 END) AS done,
          sum(CASE WHEN status IN ('completed', 'closed') THEN 1 ELSE 0 END) AS completedorclosed,
          sum(rules_established) AS rules, sum(funds_returned_fen) AS funds, sum(losses_recovered_fen) AS losses,
          sum(people_held_accountable) AS people, sum(cases_filed) AS cases
        FROM measures WHERE term_id = ${termId}`.execute(db),
    );
    expect(Number(m.measures)).toBe(5310);
    expect(Number(m.done)).toBe(4975);
    expect(Number(m.completedorclosed)).toBe(4975);
    expect(rectificationRate(Number(m.done), Number(m.measures))).toBe(93.7);
    expect(Number(m.rules)).toBe(2103);
    expect(BigInt(String(m.funds))).toBe(14_900_000_000n);
    expect(BigInt(String(m.losses))).toBe(8_967_000_000n);
    expect(Number(m.people)).toBe(DEMO_FIGURES.peopleHeldAccountable);
    expect(Number(m.cases)).toBe(DEMO_FIGURES.casesFiled);
    // Nothing outside the ten rounds carries a measure: the figures of the term are those of the ten rounds.
    const outside = await one(
      sql<{ n: number | string }>`SELECT count(*) AS n FROM measures m JOIN rounds r ON r.id = m.round_id
        WHERE r.number NOT BETWEEN 1 AND 10`.execute(db),
    );
    expect(Number(outside.n)).toBe(0);
    expect(r.counts).toMatchObject({ units: 77, measures: 5310, doneMeasures: 4975, rectificationRate: 93.7 });
  });

  it('gives the same figures from the rebuilt dashboard counters', async () => {
    const expected = {
      units: 77,
      measures: 5310,
      doneMeasures: 4975,
      rulesEstablished: 2103,
      fundsReturnedFen: '14900000000',
      lossesRecoveredFen: '8967000000',
      peopleHeldAccountable: DEMO_FIGURES.peopleHeldAccountable,
      casesFiled: DEMO_FIGURES.casesFiled,
    };
    const repo = new SummaryRepository();
    const all = await repo.figures(t.ctx.db, {});
    expect(all).toMatchObject(expected);
    expect(rectificationRate(all.doneMeasures, all.measures)).toBe(93.7);
    expect(await repo.figures(t.ctx.db, { termId })).toMatchObject(expected);
    const problems = await one(sql<{ n: number | string }>`SELECT count(*) AS n FROM problems`.execute(t.ctx.db));
    expect(all.problems).toBe(Number(problems.n));
  });

  it('shows the leader the six headline figures through the dashboard API', async () => {
    const leader = await t.login('leader', r.password!);
    for (const url of ['/api/v1/dashboard/figures', `/api/v1/dashboard/figures?termId=${termId}`]) {
      const res = await leader.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        units: 77,
        measures: 5310,
        doneMeasures: 4975,
        rectificationRate: 93.7,
        rulesEstablished: 2103,
        fundsReturned: '149000000.00',
        lossesRecovered: '89670000.00',
      });
      expect(res.json().overdue).toBeGreaterThan(0);
    }
  });

  it('has one account for every role, each able to sign in with the demo password', async () => {
    expect(r.password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/);
    expect(new Set(DEMO_USERS.map((u) => u.role)).size).toBe(10);
    for (const u of DEMO_USERS) {
      const agent = await t.login(u.username, r.password!);
      const me = await agent.get('/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username: u.username, role: u.role });
    }
    const rows = await t.ctx.db
      .selectFrom('users as u')
      .innerJoin('organisations as o', 'o.id', 'u.orgId')
      .select(['u.username', 'u.mustChangePassword', 'o.name', 'o.type'])
      .execute();
    const by = new Map(rows.map((x) => [x.username, x]));
    expect(rows.every((x) => x.mustChangePassword === 0)).toBe(true);
    expect(by.get('office')!.type).toBe('inspection_office');
    expect(by.get('leader')!.type).toBe('leadership_group');
    expect(by.get('discipline')!.type).toBe('discipline_office');
    expect(by.get('followup')!.type).toBe('followup_office');
    expect(by.get('unit')!.name).toBe('玉溪市供销合作社联合社');
    expect(by.get('unithead')!.name).toBe('玉溪市供销合作社联合社');
    expect(by.get('supervisor')!.name).toContain('监督检查室');
  });

  it('lets the supervisor see the units it liaises with, 市供销社 among them, and no others', async () => {
    const supervisor = await t.login('supervisor', r.password!);
    const res = await supervisor.get('/api/v1/dashboard/figures');
    expect(res.statusCode).toBe(200);
    const liaised = await t.ctx.db
      .selectFrom('liaisonLinks as l')
      .innerJoin('users as u', 'u.orgId', 'l.supervisorOrgId')
      .innerJoin('organisations as o', 'o.id', 'l.unitOrgId')
      .select(['o.shortName'])
      .where('u.username', '=', 'supervisor')
      .execute();
    expect(liaised.map((x) => x.shortName)).toContain('市供销社');
    expect(liaised.length).toBeGreaterThan(5);
    expect(res.json().units).toBe(liaised.length);
  });

  it('lets the unit and its head see 市供销社 alone, late and red as in the seed', async () => {
    for (const username of ['unit', 'unithead']) {
      const a = await t.login(username, r.password!);
      const res = await a.get('/api/v1/dashboard/units');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { unitName: string; overdue: number; light: string }[];
      expect(items.map((x) => x.unitName)).toEqual(['玉溪市供销合作社联合社']);
      expect(items[0]!.overdue).toBeGreaterThan(0);
      expect(items[0]!.light).toBe('red');
    }
  });

  it('links every unit to two to four supervisors, 组织部 and 宣传部 on their own line only', async () => {
    const rows = await t.ctx.db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as s', 's.id', 'l.supervisorOrgId')
      .innerJoin('organisations as u', 'u.id', 'l.unitOrgId')
      .select(['l.unitOrgId', 'l.categories', 's.supervisorLine', 's.type', 'u.type as unitType'])
      .execute();
    const per = new Map<number, number>();
    for (const x of rows) per.set(x.unitOrgId, (per.get(x.unitOrgId) ?? 0) + 1);
    expect(per.size).toBe(77);
    expect(Math.min(...per.values())).toBeGreaterThanOrEqual(2);
    expect(Math.max(...per.values())).toBeLessThanOrEqual(4);
    expect(rows.every((x) => x.type === 'supervisor' && x.supervisorLine && x.unitType === 'inspected_unit')).toBe(
      true,
    );
    for (const x of rows.filter((y) => y.supervisorLine === 'propaganda')) expect(x.categories).toBe('ideology');
    for (const x of rows.filter((y) => y.supervisorLine === 'organisation'))
      expect(x.categories).toBe('personnel_selection');
    const lines = await t.ctx.db
      .selectFrom('organisations')
      .select(['supervisorLine'])
      .where('type', '=', 'supervisor')
      .execute();
    expect(new Set(lines.map((x) => x.supervisorLine))).toEqual(
      new Set(['discipline', 'stationed', 'organisation', 'propaganda', 'audit', 'industry', 'leader']),
    );
  });

  it('follows the 人防 system as one campaign: 301 problems over the 机动 round’s 人防 offices, 1.43亿元 cleared', async () => {
    const db = t.ctx.db;
    const c = await db.selectFrom('campaigns').selectAll().executeTakeFirstOrThrow();
    expect(Number(c.id)).toBe(r.campaignId);
    expect(c.categoryCode).toBe('civil_air_defence');
    const p = await one(
      sql<Record<string, number | string>>`SELECT count(*) AS problems, count(DISTINCT p.unit_org_id) AS units,
          min(r.type) AS mintype, max(r.type) AS maxtype, sum(CASE WHEN o.name LIKE '%人民防空办公室' THEN 0 ELSE 1 END) AS other
        FROM problems p JOIN rounds r ON r.id = p.round_id JOIN organisations o ON o.id = p.unit_org_id
        WHERE p.campaign_id = ${r.campaignId}`.execute(db),
    );
    expect(Number(p.problems)).toBe(301);
    expect(Number(p.units)).toBe(10);
    expect([p.mintype, p.maxtype]).toEqual(['mobile', 'mobile']);
    expect(Number(p.other)).toBe(0);
    const funds = await one(
      sql<{ f: number | string }>`SELECT sum(m.funds_returned_fen) AS f FROM measures m
        JOIN problems p ON p.id = m.problem_id WHERE p.campaign_id = ${r.campaignId}`.execute(db),
    );
    expect(BigInt(String(funds.f))).toBe(14_300_000_000n); // over 1亿元
    const leader = await t.login('leader', r.password!);
    const res = await leader.get(`/api/v1/campaigns/${r.campaignId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().figures).toMatchObject({ problems: 301, units: 10, fundsReturned: '143000000.00' });
  });

  it('builds realistic rounds: types, dates 2017–2021, teams from 纪委监委 and 组织部, the latest round rectifying', async () => {
    const db = t.ctx.db;
    const rounds = await db.selectFrom('rounds').selectAll().orderBy('number').execute();
    const ten = rounds.filter((x) => x.number <= 10);
    expect(ten.map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const types = ten.map((x) => x.type);
    expect(types.filter((x) => x === 'regular').length).toBe(7);
    expect(types.filter((x) => x === 'special').length).toBe(1);
    expect(types.filter((x) => x === 'mobile').length).toBe(1);
    expect(types.filter((x) => x === 'lookback').length).toBe(1);
    expect(rounds.find((x) => x.number > 10)?.type).toBe('higher_inspection');
    expect(ten.every((x) => x.onSiteStart! >= '2017-01-01' && x.onSiteEnd! <= '2021-12-31')).toBe(true);

    const ru = await db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .select(['r.number', 'ru.status', 'ru.feedbackDate', 'ru.deadline', 'ru.cycle'])
      .where('r.number', '<=', 10)
      .execute();
    expect(ru.filter((x) => x.number === 10).every((x) => x.status === 'rectifying')).toBe(true);
    const finished = ru.filter((x) => x.status === 'published' || x.status === 'evaluated').length;
    expect(finished / ru.length).toBeGreaterThan(0.8);
    for (const x of ru.filter((y) => y.cycle === 1)) {
      // feedback + 3 months, moved onto a working day (no calendar exceptions before 2026)
      expect(x.deadline).toBe(rectificationDeadline(x.feedbackDate!, new Map()));
    }

    const members = await db
      .selectFrom('teamMembers as m')
      .innerJoin('organisations as o', 'o.id', 'm.sourceOrgId')
      .select(['o.shortName', 'm.memberRole'])
      .execute();
    expect(members.some((x) => x.shortName?.includes('监督检查室'))).toBe(true);
    expect(members.some((x) => x.shortName === '市委组织部')).toBe(true);
    expect(new Set(members.map((x) => x.memberRole))).toEqual(new Set(['leader', 'deputy', 'member', 'liaison']));
  });

  it('writes problems with responsibility and measures of all three types, some overdue', async () => {
    const db = t.ctx.db;
    const stats = await one(
      sql<Record<string, number | string>>`SELECT
          (SELECT count(*) FROM problems WHERE responsible_leader IS NULL OR responsible_person IS NULL) AS unassigned,
          (SELECT count(*) FROM problems p WHERE NOT EXISTS
             (SELECT 1 FROM problem_responsibles x WHERE x.problem_id = p.id AND x.duty = 'first')) AS nofirst,
          (SELECT count(DISTINCT description) FROM problems) AS distinctdescriptions,
          (SELECT count(*) FROM problems) AS problems,
          (SELECT count(DISTINCT type) FROM measures) AS types,
          (SELECT count(*) FROM measures WHERE is_done = 0 AND effective_deadline < '2026-11-27') AS overdue,
          (SELECT count(*) FROM measures WHERE owner_name IS NULL) AS noowner,
          (SELECT count(DISTINCT category_code) FROM problems) AS categories`.execute(db),
    );
    expect(Number(stats.unassigned)).toBe(0);
    expect(Number(stats.nofirst)).toBe(0);
    expect(Number(stats.distinctdescriptions) / Number(stats.problems)).toBeGreaterThan(0.8);
    expect(Number(stats.types)).toBe(3);
    expect(Number(stats.overdue)).toBeGreaterThan(0);
    expect(Number(stats.overdue)).toBeLessThan(335);
    expect(Number(stats.noowner)).toBe(0);
    const dict = await db.selectFrom('dictionaries').select('code').where('kind', '=', 'problem_category').execute();
    const used = await db.selectFrom('problems').select('categoryCode').distinct().execute();
    expect(used.length).toBe(Number(stats.categories));
    for (const u of used) expect(dict.map((d) => d.code)).toContain(u.categoryCode);
  });

  it('submits a period-end progress report for every round-unit whose period has ended, each frozen as a version', async () => {
    const db = t.ctx.db;
    const ended = await db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .select(['ru.id', 'ru.status'])
      .where('r.number', '<=', 10)
      .where('ru.status', '<>', 'rectifying')
      .execute();
    const reports = await db.selectFrom('progressReports').selectAll().execute();
    const submitted = reports.filter((x) => x.status === 'submitted');
    expect(new Set(submitted.map((x) => Number(x.roundUnitId)))).toEqual(new Set(ended.map((x) => Number(x.id))));
    expect(submitted).toHaveLength(ended.length);
    expect(submitted.length).toBe(r.counts.submittedReports);
    expect(reports.length).toBe(r.counts.progressReports);
    for (const x of submitted) {
      expect([x.periodSeq, x.periodKind, x.revision]).toEqual([1, 'period_end', 1]);
      const on = new Date(Number(x.submittedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(x.late).toBe(on > x.dueDate ? 1 : 0);
      expect(x.signedBy).not.toBeNull();
      expect(Number(x.signedBy)).not.toBe(Number(x.preparedBy));
      expect(Number(x.sentForSignoffAt)).toBeLessThan(Number(x.submittedAt));
      expect(x.summary).toMatch(/整改/);
    }
    const late = submitted.filter((x) => x.late === 1).length;
    expect(late).toBe(r.counts.lateReports);
    expect(late).toBeGreaterThan(0);
    expect(late / submitted.length).toBeLessThan(0.3);

    // Items: every measure of the round-unit once, none of another, each with a narrative in Chinese.
    const stray = await one(
      sql<{ n: number | string }>`SELECT count(*) AS n FROM progress_report_items i
        JOIN progress_reports r ON r.id = i.report_id JOIN measures m ON m.id = i.measure_id
        WHERE m.round_unit_id <> r.round_unit_id`.execute(db),
    );
    expect(Number(stray.n)).toBe(0);
    const missing = await one(
      sql<{ n: number | string }>`SELECT count(*) AS n FROM measures m
        JOIN progress_reports r ON r.round_unit_id = m.round_unit_id AND r.period_seq = 1
        WHERE NOT EXISTS (SELECT 1 FROM progress_report_items i WHERE i.report_id = r.id AND i.measure_id = m.id)`.execute(
        db,
      ),
    );
    expect(Number(missing.n)).toBe(0);
    const items = await db.selectFrom('progressReportItems').selectAll().execute();
    expect(items.length).toBe(r.counts.progressReportItems);
    const submittedIds = new Set(submitted.map((x) => Number(x.id)));
    const submittedItems = items.filter((i) => submittedIds.has(Number(i.reportId)));
    expect(submittedItems.every((i) => (i.narrative.match(/[\u4e00-\u9fa5]/g) ?? []).length >= 15)).toBe(true);
    expect(submittedItems.some((i) => i.reportedStatus === 'closed')).toBe(true);
    expect(submittedItems.some((i) => i.reportedStatus === 'in_progress')).toBe(true);

    // One version per submitted report: the snapshot is the report as signed off.
    const versions = await db.selectFrom('progressReportVersions').selectAll().execute();
    expect(versions).toHaveLength(submitted.length);
    const itemsOf = new Map<number, typeof items>();
    for (const i of items) itemsOf.set(Number(i.reportId), [...(itemsOf.get(Number(i.reportId)) ?? []), i]);
    for (const v of versions) {
      const rep = submitted.find((x) => Number(x.id) === Number(v.reportId))!;
      expect([Number(v.revision), Number(v.submittedAt), v.late]).toEqual([1, Number(rep.submittedAt), rep.late]);
      const snap = JSON.parse(v.snapshot) as {
        summary: string;
        items: { measureId: number; reportedStatus: string; narrative: string; files: { id: number; sm3: string }[] }[];
      };
      expect(snap.summary).toBe(rep.summary);
      const own = itemsOf.get(Number(v.reportId))!.sort((a, b) => Number(a.id) - Number(b.id)); // in ledger order
      expect(
        snap.items.map((i) => [i.measureId, i.reportedStatus, i.narrative, JSON.stringify(i.files.map((f) => f.id))]),
      ).toEqual(own.map((i) => [Number(i.measureId), i.reportedStatus, i.narrative, i.fileIds]));
    }
    // The reported measures record the progress: none was last moved before its report was signed off.
    const behind = await one(
      sql<{ n: number | string }>`SELECT count(*) AS n FROM progress_report_items i
        JOIN progress_reports r ON r.id = i.report_id JOIN measures m ON m.id = i.measure_id
        WHERE r.status = 'submitted' AND m.last_progress_at < r.submitted_at`.execute(db),
    );
    expect(Number(behind.n)).toBe(0);
  });

  it('leaves 市供销社 a report awaiting its head’s sign-off and a draft its liaison has begun', async () => {
    const db = t.ctx.db;
    const rows = await db
      .selectFrom('progressReports as p')
      .innerJoin('organisations as o', 'o.id', 'p.unitOrgId')
      .innerJoin('users as u', 'u.id', 'p.preparedBy')
      .select(['p.id', 'p.status', 'p.periodSeq', 'p.periodKind', 'p.submittedAt', 'p.sentForSignoffAt', 'u.username'])
      .where('p.status', '<>', 'submitted')
      .orderBy('p.periodSeq')
      .execute();
    expect(rows.map((x) => [x.periodSeq, x.periodKind, x.status, x.username])).toEqual([
      [1, 'period_end', 'pending_signoff', 'unit'],
      [2, 'quarterly', 'draft', 'unit'],
    ]);
    const unit = await db
      .selectFrom('progressReports as p')
      .innerJoin('organisations as o', 'o.id', 'p.unitOrgId')
      .select('o.name')
      .where('p.id', '=', rows[0]!.id)
      .executeTakeFirstOrThrow();
    expect(unit.name).toBe('玉溪市供销合作社联合社');
    expect(rows[0]!.sentForSignoffAt).not.toBeNull();
    expect(rows.every((x) => x.submittedAt === null)).toBe(true);
    const versions = await db
      .selectFrom('progressReportVersions')
      .select('id')
      .where(
        'reportId',
        'in',
        rows.map((x) => x.id),
      )
      .execute();
    expect(versions).toEqual([]);
    // As the service pre-fills them: the ledger's statuses; the draft covers long-term and open measures only.
    const items = await sql<{
      reportId: number | string;
      reportedStatus: string;
      status: string;
      type: string;
      isDone: number | string;
      narrative: string;
    }>`
      SELECT i.report_id, i.reported_status, m.status, m.type, m.is_done, i.narrative FROM progress_report_items i
      JOIN measures m ON m.id = i.measure_id WHERE i.report_id IN (${rows[0]!.id}, ${rows[1]!.id})`.execute(db);
    expect(items.rows.every((i) => i.reportedStatus === i.status)).toBe(true);
    const draft = items.rows.filter((i) => Number(i.reportId) === Number(rows[1]!.id));
    expect(draft.length).toBeGreaterThan(0);
    expect(draft.every((i) => i.type === 'long_term' || Number(i.isDone) === 0)).toBe(true);
    expect(draft.some((i) => i.narrative === '')).toBe(true); // work left for the liaison
    const pending = items.rows.filter((i) => Number(i.reportId) === Number(rows[0]!.id));
    expect(pending.every((i) => i.narrative.length > 0)).toBe(true);
  });

  it('closes every closed measure by an approved closure, verified by the office and the liaison supervisors, decided by someone other than the applicant', async () => {
    const db = t.ctx.db;
    const per = await sql<Record<string, number | string>>`SELECT m.status,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id AND c.status = 'approved') AS approved,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id AND c.status = 'pending') AS pending,
        (SELECT count(*) FROM closures c WHERE c.measure_id = m.id) AS total
      FROM measures m`.execute(db);
    let closed = 0;
    for (const m of per.rows) {
      if (m.status === 'closed') closed++;
      expect([Number(m.approved), Number(m.pending), Number(m.total)]).toEqual(
        m.status === 'closed' ? [1, 0, 1] : m.status === 'closure_requested' ? [0, 1, 1] : [0, 0, 0],
      );
    }
    expect(closed).toBeGreaterThan(3000);
    expect(r.counts.approvedClosures).toBe(closed);

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
        'c.unitOrgId',
        'c.categoryCode',
        'c.problemId',
        'm.problemId as measureProblemId',
        'm.ownerUserId',
        'm.completedOn',
        'a.role as applicantRole',
        'a.orgId as applicantOrgId',
      ])
      .execute();
    const verifications = await db
      .selectFrom('closureVerifications as v')
      .innerJoin('users as u', 'u.id', 'v.verifierId')
      .select(['v.closureId', 'v.verifierId', 'v.verifierRole', 'v.verifierOrgId', 'v.createdAt', 'u.role', 'u.orgId'])
      .execute();
    expect(verifications.length).toBe(r.counts.closureVerifications);
    const byClosure = new Map<number, typeof verifications>();
    for (const v of verifications)
      byClosure.set(Number(v.closureId), [...(byClosure.get(Number(v.closureId)) ?? []), v]);
    const links = await db.selectFrom('liaisonLinks').select(['unitOrgId', 'supervisorOrgId', 'categories']).execute();
    const office = await db
      .selectFrom('users')
      .select(['id', 'orgId'])
      .where('username', '=', 'office')
      .executeTakeFirstOrThrow();
    for (const c of closures.filter((x) => x.status === 'approved')) {
      expect(c.problemId).toBe(c.measureProblemId);
      expect([c.applicantRole, Number(c.applicantOrgId)]).toEqual(['unit', Number(c.unitOrgId)]);
      expect(c.decidedBy).not.toBeNull();
      expect(Number(c.decidedBy)).not.toBe(Number(c.applicantId));
      if (c.ownerUserId !== null) expect(Number(c.decidedBy)).not.toBe(Number(c.ownerUserId));
      expect(new Date(Number(c.appliedAt) + 8 * 3_600_000).toISOString().slice(0, 10) > c.completedOn!).toBe(true);
      const vs = byClosure.get(Number(c.id)) ?? [];
      // The verifications the service requires before approval: the office, and every liaison
      // supervisor whose line covers the problem's category — each by a user of that body, none the applicant.
      const required = links
        .filter(
          (l) =>
            Number(l.unitOrgId) === Number(c.unitOrgId) &&
            (l.categories === null || l.categories.split(',').includes(c.categoryCode)),
        )
        .map((l) => Number(l.supervisorOrgId));
      expect(
        vs
          .filter((v) => v.verifierRole === 'supervisor')
          .map((v) => Number(v.verifierOrgId))
          .sort(),
      ).toEqual([...new Set(required)].sort());
      expect(vs.filter((v) => v.verifierRole === 'office').map((v) => Number(v.verifierOrgId))).toEqual([
        Number(office.orgId),
      ]);
      for (const v of vs) {
        expect(Number(v.verifierId)).not.toBe(Number(c.applicantId));
        expect(Number(v.orgId)).toBe(Number(v.verifierOrgId));
        expect(v.role).toBe(v.verifierRole);
        expect(Number(v.createdAt)).toBeGreaterThan(Number(c.appliedAt));
        expect(Number(v.createdAt)).toBeLessThan(Number(c.decidedAt));
      }
    }
    // The people behind the history cannot sign in: only the demo accounts carry a password.
    const noPassword = await db.selectFrom('users').select(['username', 'passwordHash']).execute();
    const demo = new Set(DEMO_USERS.map((u) => u.username));
    for (const u of noPassword) expect(u.passwordHash === '').toBe(!demo.has(u.username));
  });

  it('re-checks closed long-term and rule-making measures 6 and 12 months after closure, passed once due', async () => {
    const db = t.ctx.db;
    const today = new Date(t.ctx.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const recent = new Date(t.ctx.clock.now() + 8 * 3_600_000 - 20 * 86_400_000).toISOString().slice(0, 10);
    const closed = await db
      .selectFrom('closures as c')
      .innerJoin('measures as m', 'm.id', 'c.measureId')
      .select(['c.id', 'c.decidedAt', 'c.applicantId', 'm.type', 'm.rulesEstablished'])
      .where('c.status', '=', 'approved')
      .execute();
    const rechecks = await db.selectFrom('rechecks').selectAll().execute();
    expect(rechecks.length).toBe(r.counts.rechecks);
    const of = new Map<number, typeof rechecks>();
    for (const x of rechecks) of.set(Number(x.closureId), [...(of.get(Number(x.closureId)) ?? []), x]);
    let needing = 0;
    for (const c of closed) {
      const own = of.get(Number(c.id)) ?? [];
      const needs = c.type === 'long_term' || Number(c.rulesEstablished) > 0;
      if (needs) needing++;
      const closedOn = new Date(Number(c.decidedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(own.map((x) => [x.monthsAfter, x.dueDate]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
        needs ? [6, 12].map((n) => [n, recheckDates(closedOn, [n])[0]!.dueDate]) : [],
      );
      for (const x of own) {
        if (x.status === 'passed') {
          expect(x.dueDate < today).toBe(true);
          expect(Number(x.doneAt)).toBeLessThanOrEqual(t.ctx.clock.now());
          expect(x.doneBy).not.toBeNull();
          expect(Number(x.doneBy)).not.toBe(Number(c.applicantId));
          expect(x.resultNote).toMatch(/复查/);
        } else {
          expect(x.status).toBe('pending');
          expect([x.doneAt, x.doneBy]).toEqual([null, null]);
          // still open only when due today or later, or so recently that it may not have been done yet
          expect(x.dueDate >= recent).toBe(true);
        }
      }
    }
    expect(needing).toBeGreaterThan(500);
    expect(rechecks.filter((x) => x.status === 'passed').length).toBe(r.counts.passedRechecks);
  });

  it('stores a handful of real evidence files that open with a verified digest, one offered for two units’ problems', async () => {
    const db = t.ctx.db;
    const files = await db.selectFrom('evidenceFiles').selectAll().execute();
    expect(files.length).toBe(r.counts.evidenceFiles);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const blob = await t.ctx.files.open(f.sm3);
      const chunks: Buffer[] = [];
      try {
        for await (const c of blob.stream()) chunks.push(c as Buffer);
      } finally {
        await blob.close();
      }
      const bytes = Buffer.concat(chunks);
      expect(bytes.length).toBe(Number(f.size));
      expect(crypto.createHash('sm3').update(bytes).digest('hex')).toBe(f.sm3);
      if (f.kind === 'pdf') {
        expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
        expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
        expect(f.name.endsWith('.pdf')).toBe(true);
      } else {
        expect(f.kind).toBe('png');
        expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      }
    }
    // Every file cited belongs to the citing record's round-unit, as the services require.
    const fileRu = new Map(files.map((f) => [Number(f.id), Number(f.roundUnitId)]));
    const items = await db
      .selectFrom('progressReportItems as i')
      .innerJoin('progressReports as p', 'p.id', 'i.reportId')
      .select(['i.fileIds', 'p.roundUnitId'])
      .where('i.fileIds', '<>', '[]')
      .execute();
    const closures = await db
      .selectFrom('closures')
      .select(['fileIds', 'roundUnitId'])
      .where('fileIds', '<>', '[]')
      .execute();
    expect(items.length).toBeGreaterThan(0);
    expect(closures.length).toBeGreaterThan(0);
    for (const x of [...items, ...closures])
      for (const id of JSON.parse(x.fileIds) as number[]) expect(fileRu.get(id)).toBe(Number(x.roundUnitId));
    const links = await db.selectFrom('measureEvidence').selectAll().execute();
    expect(links.length).toBe(r.counts.measureEvidence);
    expect(new Set(links.map((x) => x.source))).toEqual(new Set(['report', 'closure']));
    // The reuse warning: the same bytes offered for problems of two different units.
    const reused = await sql<{ sm3: string; units: number | string; problems: number | string }>`
      SELECT sm3, count(DISTINCT unit_org_id) AS units, count(DISTINCT problem_id) AS problems
      FROM measure_evidence GROUP BY sm3 HAVING count(DISTINCT unit_org_id) > 1`.execute(db);
    expect(reused.rows).toHaveLength(1);
    expect(Number(reused.rows[0]!.problems)).toBeGreaterThanOrEqual(2);
    expect(new Set(files.filter((f) => f.sm3 === reused.rows[0]!.sm3).map((f) => f.name)).size).toBe(2);
  });

  it('audits the load once, with its counts', async () => {
    const rows = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('action', '=', 'demo.seed')
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.after!)).toMatchObject({ units: 77, measures: 5310, doneMeasures: 4975 });
  });

  it('does not load twice', async () => {
    const before = await one(
      sql<Record<string, number | string>>`SELECT (SELECT count(*) FROM organisations) AS orgs,
        (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM measures) AS measures`.execute(t.ctx.db),
    );
    expect(await seedDemoIfEmpty(t.ctx)).toBeNull();
    await expect(seedDemo(t.ctx)).rejects.toBeInstanceOf(DemoNotEmptyError);
    const after = await one(
      sql<Record<string, number | string>>`SELECT (SELECT count(*) FROM organisations) AS orgs,
        (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM measures) AS measures`.execute(t.ctx.db),
    );
    expect(after).toEqual(before);
  });

  it('is read through the services: the supervisor reads a signed-off version, the office sees the reuse warning', async () => {
    const db = t.ctx.db;
    const supervisor = await t.login('supervisor', r.password!);
    const list = await supervisor.get('/api/v1/progress-reports?limit=200');
    expect(list.statusCode).toBe(200);
    const seen = list.json().items as { id: number; unitName: string; status: string }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.status === 'submitted')).toBe(true);
    const first = seen.find((x) => x.unitName !== '玉溪市供销合作社联合社')!;
    const version = await supervisor.get(`/api/v1/progress-reports/${first.id}/versions/1`);
    expect(version.statusCode).toBe(200);
    const stored = await db.selectFrom('progressReportItems').select('id').where('reportId', '=', first.id).execute();
    expect(version.json().items.length).toBeGreaterThan(0);
    expect(version.json().items.length).toBeLessThanOrEqual(stored.length); // the supervisor's lines only
    expect(version.json().items[0].narrative).toMatch(/[\u4e00-\u9fa5]/);

    const office = await t.login('office', r.password!);
    const cited = await db
      .selectFrom('measureEvidence as e')
      .innerJoin('organisations as o', 'o.id', 'e.unitOrgId')
      .select(['e.sourceId', 'e.source', 'o.name'])
      .where('e.source', '=', 'closure')
      .where('o.name', '=', '玉溪市供销合作社联合社')
      .execute();
    const ids = [...new Set(cited.map((c) => Number(c.sourceId)))];
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const details = await Promise.all(ids.map((id) => office.get(`/api/v1/closures/${id}`)));
    expect(details.every((d) => d.statusCode === 200)).toBe(true);
    const warned = details.flatMap(
      (d) => d.json().reusedEvidence as { name: string; elsewhere: { unitName: string }[] }[],
    );
    expect(warned).toHaveLength(1);
    expect(warned[0]!.elsewhere.map((x) => x.unitName)).not.toContain('玉溪市供销合作社联合社');
    expect(warned[0]!.elsewhere.length).toBe(1);
    const rechecks = await office.get('/api/v1/rechecks?status=passed&limit=5');
    expect(rechecks.statusCode).toBe(200);
    expect(rechecks.json().items.length).toBe(5);
  });

  it('gives the unit head a report to sign off; signing it moves no figure', async () => {
    const db = t.ctx.db;
    const head = await t.login('unithead', r.password!);
    const mine = await head.get('/api/v1/progress-reports?status=pending_signoff');
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { id: number; status: string }[];
    expect(items).toHaveLength(1);
    const report = await head.get(`/api/v1/progress-reports/${items[0]!.id}`);
    expect(report.statusCode).toBe(200);
    expect(report.json().items.some((i: { files: unknown[] }) => i.files.length > 0)).toBe(true);
    const signed = await head.post(`/api/v1/progress-reports/${items[0]!.id}/signoff`, {
      version: report.json().version,
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'submitted', late: true });
    const figures = await new SummaryRepository().figures(db, {});
    expect(figures).toMatchObject({ units: 77, measures: 5310, doneMeasures: 4975 });
    const unit = await t.login('unit', r.password!);
    const drafts = await unit.get('/api/v1/progress-reports?status=draft');
    expect(drafts.json().items).toHaveLength(1);
  });

  it('leaves the ids usable: the next organisation gets a fresh id', async () => {
    const id = await t.createOrg({ code: 'AFTER-DEMO', name: '演示之后新增单位' });
    const max = await one(sql<{ m: number | string }>`SELECT max(id) AS m FROM organisations`.execute(t.ctx.db));
    expect(id).toBe(Number(max.m));
  });
});

describe.each(DIALECTS)('demo dataset on an empty %s database, from the command line', (dialect) => {
  it('finds or makes the root, keeps an existing admin and a set RECTIFY_DEMO_PASSWORD', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const config = testConfig({ demoPassword: 'Yuxi-Demo-2021!' });
      const ctx = await cliContext(config, database);
      const now = Date.now();
      const root = await database.db
        .insertInto('organisations')
        .values({
          parentId: null,
          code: 'ROOT',
          name: '中共市委',
          shortName: null,
          type: 'party_committee',
          supervisorLine: null,
          sort: 0,
          active: 1,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('users')
        .values({
          username: 'admin',
          displayName: '安全管理员',
          orgId: Number(root.id),
          role: 'secadmin',
          email: null,
          phone: null,
          passwordHash: 'x',
          passwordChangedAt: now,
          mustChangePassword: 1,
          totpSecret: null,
          totpEnabled: 0,
          disabled: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      const r = await seedDemoIfEmpty(ctx);
      expect(r?.password).toBeNull();
      expect(r?.counts.measures).toBe(5310);
      const roots = await database.db.selectFrom('organisations').select('id').where('parentId', 'is', null).execute();
      expect(roots.map((x) => Number(x.id))).toEqual([Number(root.id)]);
      const admin = await database.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'admin')
        .executeTakeFirst();
      expect(admin).toMatchObject({ passwordHash: 'x', mustChangePassword: 1, role: 'secadmin' });
      const office = await database.db
        .selectFrom('users')
        .select('passwordHash')
        .where('username', '=', 'office')
        .executeTakeFirstOrThrow();
      expect(ctx.crypto.verifyPassword('Yuxi-Demo-2021!', office.passwordHash)).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('refuses a weak RECTIFY_DEMO_PASSWORD and changes nothing', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const ctx = await cliContext(testConfig({ demoPassword: 'demo1234' }), database);
      await expect(seedDemo(ctx)).rejects.toThrow(/RECTIFY_DEMO_PASSWORD/);
      expect(await database.db.selectFrom('organisations').select('id').execute()).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('runs as `seed-demo`, prints the password once, and refuses a second run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-demo-'));
    let schema: string | null = null;
    const env: NodeJS.ProcessEnv = {
      RECTIFY_DATA_DIR: dir,
      RECTIFY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
      USER: 'tester',
    };
    if (dialect === 'postgres') {
      const base = process.env.TEST_DATABASE_URL!;
      schema = `t_${crypto.randomBytes(6).toString('hex')}`;
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.end();
      env.DATABASE_URL = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    const lines: string[] = [];
    const io: CliIO = { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), env };
    try {
      expect(await main(['seed-demo'], io)).toBe(0);
      const pw = lines.find((l) => l.includes('Demo password'))?.split(': ')[1];
      expect(pw).toMatch(/^Demo-/);
      expect(lines.join('\n')).toContain('5310 measures, 4975 done (93.7%)');
      lines.length = 0;
      expect(await main(['seed-demo'], io)).toBe(1);
      expect(lines.join('\n')).toContain('already holds terms');
      expect(lines.join('\n')).not.toContain('Demo password');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      if (schema) {
        const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      }
    }
  }, 120_000);
});

describe('demo dataset builder', () => {
  it('builds the same dataset on every run', () => {
    const input = {
      orgIds: new Map<string, number>(),
      userIds: new Map<string, number>(),
      nextIds: Object.fromEntries(ID_TABLES.map((x) => [x, 1])) as Record<(typeof ID_TABLES)[number], number>,
      now: 1_795_737_600_000,
    };
    const a = buildDemo(input);
    const b = buildDemo(input);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.measures).toHaveLength(5310);
  });
});
