/**
 * 数着改 (SPEC M14): every figure of GET /dashboard/board — headline figures, breakdowns by status
 * and category, the unit ranking with its lights, the trend — equals a recount written here in plain
 * SQL over problems and measures, for random ledgers, random filters and every kind of scope
 * (office, leader, a supervisor with full and line-limited liaison links, another supervisor, a unit).
 * The drill-down filters list, through GET /ledger, exactly the rows each number counts.
 */
import fc from 'fast-check';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import { addMonthsTo } from '../../../domain/dashboard.js';
import { fenToYuan } from '../../../domain/money.js';
import { MEASURE_STATUSES, type MeasureStatus, rectificationRate } from '../../../domain/rectification.js';
import { SummaryRepository } from '../../src/modules/ledger/summaries.repository.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { insertCategories, insertRoundUnit, insertTermWithRounds } from '../ledger-fixture.js';

const V1 = '/api/v1';
const CATEGORIES = ['C_A', 'C_B', 'C_C'] as const;
const DAY = 86_400_000;

interface MeasureSpec {
  status: MeasureStatus;
  deadline: number; // days from today
  extension: number | null;
  completedAgo: number; // days before today, for done measures
  progressAgo: number | null; // days since the last progress (null: none)
  rules: number;
  fundsFen: number;
}
interface ProblemSpec {
  ru: number;
  cat: number;
  measures: MeasureSpec[];
}
interface Filter {
  term?: boolean;
  round?: number;
  unit?: number;
  cat?: number;
}

const measureSpec: fc.Arbitrary<MeasureSpec> = fc.record({
  status: fc.constantFrom(...MEASURE_STATUSES),
  deadline: fc.integer({ min: -120, max: 250 }), // some beyond the trend's six months ahead
  extension: fc.option(fc.integer({ min: -10, max: 40 }), { freq: 4 }),
  completedAgo: fc.integer({ min: 0, max: 400 }),
  progressAgo: fc.option(fc.integer({ min: 0, max: 80 })),
  rules: fc.integer({ min: 0, max: 3 }),
  fundsFen: fc.integer({ min: 0, max: 1_000_000 }),
});
const problemSpec: fc.Arbitrary<ProblemSpec> = fc.record({
  ru: fc.nat({ max: 100 }),
  cat: fc.nat({ max: 2 }),
  measures: fc.array(measureSpec, { maxLength: 4 }),
});
const filterSpec: fc.Arbitrary<Filter> = fc.record(
  { term: fc.boolean(), round: fc.nat({ max: 1 }), unit: fc.nat({ max: 4 }), cat: fc.nat({ max: 2 }) },
  { requiredKeys: [] },
);

describe.each(DIALECTS)('dashboard on %s', (dialect) => {
  let t: TestApp;
  let units: number[]; // U1..U4 and U5 (U5 in no round)
  let roundIds: number[];
  let termId: number;
  let roundUnits: { id: number; roundId: number; unitOrgId: number }[];
  const agents: Record<string, Agent> = {};
  /** Each caller's scope, written out by hand from the links made below: [unit, categories|null]. */
  let scopes: Record<string, [number, string[] | null][] | null>;
  let today: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    today = shanghaiDate(t.clock.now());
    const now = t.clock.now();
    units = [];
    for (const [i, name] of ['市交通运输局', '市卫生健康委', '市教育体育局', '市财政局', '市林草局'].entries())
      units.push(await t.createOrg({ code: `U${i + 1}`, name }));
    const s1 = await t.createOrg({ code: 'S1', name: '第一监督检查室', type: 'supervisor' });
    const s2 = await t.createOrg({ code: 'S2', name: '市委宣传部', type: 'supervisor' });
    // S1 follows U1 in full and U2 only for its line C_A; S2 follows U3 only.
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values([
        { unitOrgId: units[0]!, supervisorOrgId: s1, categories: null, createdAt: now },
        { unitOrgId: units[1]!, supervisorOrgId: s1, categories: 'C_A', createdAt: now },
        { unitOrgId: units[2]!, supervisorOrgId: s2, categories: null, createdAt: now },
      ])
      .execute();
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'leader', role: 'leader' });
    await t.createUser({ username: 'sup1', role: 'supervisor', orgId: s1 });
    await t.createUser({ username: 'sup2', role: 'supervisor', orgId: s2 });
    await t.createUser({ username: 'unit2', role: 'unit', orgId: units[1]! });
    scopes = {
      office: null,
      leader: null,
      sup1: [
        [units[0]!, null],
        [units[1]!, ['C_A']],
      ],
      sup2: [[units[2]!, null]],
      unit2: [[units[1]!, null]],
    };
    await insertCategories(t, CATEGORIES);
    ({ termId, roundIds } = await insertTermWithRounds(t, 5, 2));
    roundUnits = [];
    // Round 1: U1..U4; round 2: U1 and U3.
    for (const [ri, ui] of [
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 0],
      [1, 2],
    ] as const) {
      const roundId = roundIds[ri]!;
      const unitOrgId = units[ui]!;
      const id = await insertRoundUnit(t, {
        termId,
        roundId,
        unitOrgId,
        feedbackDate: '2026-08-01',
        deadline: '2026-11-01',
      });
      roundUnits.push({ id, roundId, unitOrgId });
    }
    for (const u of Object.keys(scopes)) agents[u] = await t.login(u);
  });
  afterAll(() => t.close());

  /** Replaces the whole ledger with the drawn one, straight into the tables, then rebuilds the counters. */
  async function load(problems: ProblemSpec[]) {
    const db = t.ctx.db;
    await db.deleteFrom('measures').execute();
    await db.deleteFrom('problems').execute();
    const now = t.clock.now();
    let seq = 0;
    for (const p of problems) {
      const ru = roundUnits[p.ru % roundUnits.length]!;
      seq += 1;
      const base = { roundUnitId: ru.id, roundId: ru.roundId, termId, unitOrgId: ru.unitOrgId };
      const categoryCode = CATEGORIES[p.cat]!;
      const pr = await db
        .insertInto('problems')
        .values({
          ...base,
          campaignId: null,
          seq,
          number: `${seq}.`,
          categoryCode,
          description: `问题 ${seq}`,
          source: 'feedback',
          severity: 'medium',
          responsibleLeader: null,
          responsibleDepartment: null,
          responsiblePerson: null,
          measureCount: 0,
          doneCount: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [i, m] of p.measures.entries()) {
        const done = ['completed', 'closure_requested', 'closed'].includes(m.status);
        const deadline = addDays(today, m.deadline);
        const extended = m.extension === null ? null : addDays(today, m.extension);
        await db
          .insertInto('measures')
          .values({
            ...base,
            problemId: Number(pr.id),
            categoryCode,
            seq: i + 1,
            content: `措施 ${seq}.${i + 1}`,
            type: 'deadline',
            status: m.status,
            isDone: done ? 1 : 0,
            deadline,
            extendedDeadline: extended,
            effectiveDeadline: extended ?? deadline,
            ownerName: null,
            ownerUserId: null,
            completedOn: done ? addDays(today, -m.completedAgo) : null,
            rulesEstablished: m.rules,
            fundsReturnedFen: m.fundsFen,
            lossesRecoveredFen: 0,
            peopleHeldAccountable: 0,
            casesFiled: 0,
            lastProgressAt: m.progressAgo === null ? null : now - m.progressAgo * DAY,
            version: 1,
            createdAt: now - 45 * DAY,
            updatedAt: now,
          })
          .execute();
      }
    }
    await new SummaryRepository().recount(db, null);
  }

  /** The test's own WHERE clause over alias m/p: the filter and the caller's scope written out. */
  function where(alias: 'm' | 'p' | 'ru', f: Filter, who: string, withCategory = true): RawBuilder<boolean> {
    const a = sql.raw(alias);
    const c: RawBuilder<boolean>[] = [sql<boolean>`1 = 1`];
    if (f.term) c.push(sql<boolean>`${a}.term_id = ${termId}`);
    if (f.round !== undefined) c.push(sql<boolean>`${a}.round_id = ${roundIds[f.round]!}`);
    if (f.unit !== undefined) c.push(sql<boolean>`${a}.unit_org_id = ${units[f.unit]!}`);
    if (withCategory && f.cat !== undefined) c.push(sql<boolean>`${a}.category_code = ${CATEGORIES[f.cat]!}`);
    const scope = scopes[who];
    if (scope) {
      const ors = scope.map(([u, cats]) =>
        cats && withCategory
          ? sql<boolean>`(${a}.unit_org_id = ${u} AND ${a}.category_code IN (${sql.join(cats)}))`
          : sql<boolean>`${a}.unit_org_id = ${u}`,
      );
      c.push(sql<boolean>`(${sql.join(ors, sql` OR `)})`);
    }
    return sql<boolean>`${sql.join(c, sql` AND `)}`;
  }

  const num = (v: unknown) => Number(v ?? 0);

  async function expected(f: Filter, who: string) {
    const db = t.ctx.db;
    const soon = addDays(today, 7);
    const stalledBefore = t.clock.now() - 30 * DAY;
    const rows = async <T>(q: RawBuilder<T>) => (await q.execute(db)).rows;
    const [tot] = await rows(sql<Record<string, unknown>>`
      SELECT count(*) AS measures,
        sum(CASE WHEN m.status IN ('completed', 'closure_requested', 'closed') THEN 1 ELSE 0 END) AS done,
        sum(CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END) AS closed,
        sum(CASE WHEN m.status NOT IN ('completed', 'closure_requested', 'closed') AND coalesce(m.extended_deadline, m.deadline) < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(m.rules_established) AS rules, sum(m.funds_returned_fen) AS funds
      FROM measures m WHERE ${where('m', f, who)}`);
    const [prob] = await rows(sql<Record<string, unknown>>`
      SELECT count(*) AS problems, count(DISTINCT p.unit_org_id) AS units,
        sum(CASE WHEN EXISTS (SELECT 1 FROM measures x WHERE x.problem_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM measures x WHERE x.problem_id = p.id
            AND x.status NOT IN ('completed', 'closure_requested', 'closed')) THEN 1 ELSE 0 END) AS rectified
      FROM problems p WHERE ${where('p', f, who)}`);
    const status = await rows(sql<{ status: string; n: unknown }>`
      SELECT m.status AS status, count(*) AS n FROM measures m WHERE ${where('m', f, who)} GROUP BY m.status`);
    const cats = await rows(sql<Record<string, unknown>>`
      SELECT p.category_code AS code, count(*) AS problems,
        sum((SELECT count(*) FROM measures x WHERE x.problem_id = p.id)) AS measures,
        sum((SELECT count(*) FROM measures x WHERE x.problem_id = p.id AND x.status IN ('completed', 'closure_requested', 'closed'))) AS done,
        sum((SELECT count(*) FROM measures x WHERE x.problem_id = p.id AND x.status NOT IN ('completed', 'closure_requested', 'closed') AND coalesce(x.extended_deadline, x.deadline) < ${today})) AS overdue
      FROM problems p WHERE ${where('p', f, who)} GROUP BY p.category_code ORDER BY p.category_code`);
    const unitRows = await rows(sql<{ id: unknown; name: string }>`
      SELECT DISTINCT ru.unit_org_id AS id, o.name AS name FROM round_units ru JOIN organisations o ON o.id = ru.unit_org_id
      WHERE ${where('ru', f, who, false)}`);
    const perUnit = await rows(sql<Record<string, unknown>>`
      SELECT m.unit_org_id AS unit, count(*) AS measures,
        sum(CASE WHEN m.status IN ('completed', 'closure_requested', 'closed') THEN 1 ELSE 0 END) AS done,
        sum(CASE WHEN m.status NOT IN ('completed', 'closure_requested', 'closed') AND coalesce(m.extended_deadline, m.deadline) < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN m.status NOT IN ('completed', 'closure_requested', 'closed') AND coalesce(m.extended_deadline, m.deadline) >= ${today} AND coalesce(m.extended_deadline, m.deadline) <= ${soon} THEN 1 ELSE 0 END) AS due_soon,
        sum(CASE WHEN m.status NOT IN ('completed', 'closure_requested', 'closed') AND coalesce(m.last_progress_at, m.created_at) < ${stalledBefore} THEN 1 ELSE 0 END) AS stalled
      FROM measures m WHERE ${where('m', f, who)} GROUP BY m.unit_org_id`);
    const problemsPerUnit = await rows(sql<Record<string, unknown>>`
      SELECT p.unit_org_id AS unit, count(*) AS n FROM problems p WHERE ${where('p', f, who)} GROUP BY p.unit_org_id`);
    const completed = await rows(sql<{ d: string }>`
      SELECT m.completed_on AS d FROM measures m
      WHERE m.status IN ('completed', 'closure_requested', 'closed') AND ${where('m', f, who)}`);
    const due = await rows(sql<{ d: string }>`
      SELECT coalesce(m.extended_deadline, m.deadline) AS d FROM measures m WHERE ${where('m', f, who)}`);
    return { tot: tot!, prob: prob!, status, cats, unitRows, perUnit, problemsPerUnit, completed, due };
  }

  function query(f: Filter): string {
    const q = new URLSearchParams();
    if (f.term) q.set('termId', String(termId));
    if (f.round !== undefined) q.set('roundId', String(roundIds[f.round]));
    if (f.unit !== undefined) q.set('unitOrgId', String(units[f.unit]));
    if (f.cat !== undefined) q.set('categoryCode', CATEGORIES[f.cat]!);
    return q.toString();
  }

  async function drillTotal(who: string, drill: { parts: Record<string, unknown>[] }) {
    let sum = 0;
    for (const part of drill.parts) {
      const q = new URLSearchParams(Object.entries(part).map(([k, v]) => [k, String(v)]));
      const res = await agents[who]!.get(`${V1}/ledger?${q}&limit=1`);
      expect(res.statusCode, res.body).toBe(200);
      sum += res.json().total;
    }
    return sum;
  }

  async function check(f: Filter, who: string) {
    const res = await agents[who]!.get(`${V1}/dashboard/board?${query(f)}`);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    const e = await expected(f, who);
    const ctxt = `${who} ${query(f)}`;

    const measures = num(e.tot.measures);
    const done = num(e.tot.done);
    expect(b.figures, ctxt).toMatchObject({
      units: num(e.prob.units),
      problems: num(e.prob.problems),
      rectifiedProblems: num(e.prob.rectified),
      measures,
      doneMeasures: done,
      closedMeasures: num(e.tot.closed),
      overdue: num(e.tot.overdue),
      rectificationRate: rectificationRate(done, measures),
      rulesEstablished: num(e.tot.rules),
      fundsReturned: fenToYuan(BigInt(String(e.tot.funds ?? 0))),
    });

    const statusOf = new Map(e.status.map((s) => [s.status, num(s.n)]));
    expect(
      b.byStatus.map((s: { status: string; count: number }) => [s.status, s.count]),
      ctxt,
    ).toEqual(MEASURE_STATUSES.map((s) => [s, statusOf.get(s) ?? 0]));

    expect(
      b.byCategory.map((c: Record<string, unknown>) => [
        c.categoryCode,
        c.problems,
        c.measures,
        c.doneMeasures,
        c.overdue,
        c.rectificationRate,
      ]),
      ctxt,
    ).toEqual(
      e.cats.map((c) => [
        c.code,
        num(c.problems),
        num(c.measures),
        num(c.done),
        num(c.overdue),
        rectificationRate(num(c.done), num(c.measures)),
      ]),
    );

    // The ranking: the units in scope of the selected rounds, nobody else.
    const unitOf = new Map(e.perUnit.map((u) => [num(u.unit), u]));
    const problemsOf = new Map(e.problemsPerUnit.map((u) => [num(u.unit), num(u.n)]));
    const want = e.unitRows.map((u) => {
      const id = num(u.id);
      const x = unitOf.get(id);
      const overdue = num(x?.overdue);
      const dueSoon = num(x?.due_soon ?? x?.dueSoon);
      const stalled = num(x?.stalled);
      return {
        unitOrgId: id,
        unitName: u.name,
        problems: problemsOf.get(id) ?? 0,
        measures: num(x?.measures),
        doneMeasures: num(x?.done),
        rectificationRate: rectificationRate(num(x?.done), num(x?.measures)),
        overdue,
        dueSoon,
        stalled,
        light: overdue > 0 ? 'red' : dueSoon > 0 || stalled > 0 ? 'yellow' : 'green',
      };
    });
    const got = b.ranking.map((u: Record<string, unknown>) => ({
      unitOrgId: u.unitOrgId,
      unitName: u.unitName,
      problems: u.problems,
      measures: u.measures,
      doneMeasures: u.doneMeasures,
      rectificationRate: u.rectificationRate,
      overdue: u.overdue,
      dueSoon: u.dueSoon,
      stalled: u.stalled,
      light: u.light,
    }));
    const byId = (a: { unitOrgId: unknown }, z: { unitOrgId: unknown }) => Number(a.unitOrgId) - Number(z.unitOrgId);
    expect([...got].sort(byId), ctxt).toEqual([...want].sort(byId));
    // Best first: higher rate, then fewer overdue; ranks 1..n.
    for (let i = 1; i < got.length; i++) {
      const [p, q] = [got[i - 1]!, got[i]!];
      expect((p.rectificationRate ?? -1) >= (q.rectificationRate ?? -1), ctxt).toBe(true);
      if (p.rectificationRate === q.rectificationRate) expect(p.overdue <= q.overdue, ctxt).toBe(true);
    }
    expect(b.ranking.map((u: { rank: number }) => u.rank)).toEqual(got.map((_: unknown, i: number) => i + 1));
    const lights = { red: 0, yellow: 0, green: 0 };
    for (const u of want) lights[u.light as 'red'] += 1;
    expect(b.lights, ctxt).toEqual(lights);
    const scope = scopes[who];
    if (scope)
      for (const u of got)
        expect(
          scope.map(([id]) => id),
          ctxt,
        ).toContain(u.unitOrgId);

    // The trend: completions and deadlines by month, cumulative up to all done measures.
    const month = (d: string) => d.slice(0, 7);
    const compl = new Map<string, number>();
    for (const r of e.completed) compl.set(month(r.d), (compl.get(month(r.d)) ?? 0) + 1);
    const dueBy = new Map<string, number>();
    for (const r of e.due) dueBy.set(month(r.d), (dueBy.get(month(r.d)) ?? 0) + 1);
    for (const p of b.trend) {
      expect([p.month, p.completed, p.due], ctxt).toEqual([p.month, compl.get(p.month) ?? 0, dueBy.get(p.month) ?? 0]);
    }
    // Shown: from the first dated month to the last one, but no further than six months ahead of today.
    const ahead = addMonthsTo(today.slice(0, 7), 6);
    const dated = [...compl.keys(), ...dueBy.keys()].sort();
    if (b.trend.length) {
      const last = b.trend[b.trend.length - 1];
      expect(last.cumulativeDone, ctxt).toBe(done);
      expect(last.cumulativeRate, ctxt).toBe(rectificationRate(done, measures));
      const lastDated = dated[dated.length - 1]!;
      expect([b.trend[0].month, last.month], ctxt).toEqual([dated[0], [lastDated, ahead].sort()[0]]);
    } else
      expect(
        dated.filter((m) => m <= ahead),
        ctxt,
      ).toEqual([]);
    return b;
  }

  it('every figure, breakdown, ranking, light and trend equals a direct SQL recount, in every scope', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(problemSpec, { minLength: 1, maxLength: 14 }),
        fc.array(filterSpec, { minLength: 1, maxLength: 2 }),
        async (problems, filters) => {
          await load(problems);
          for (const who of Object.keys(scopes)) {
            for (const f of [{}, ...filters]) {
              const b = await check(f, who);
              if (b.figures.measures > 0) nonEmpty += 1;
            }
          }
        },
      ),
      { numRuns: 15 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 600_000);

  it('each number drills down to exactly its rows in the ledger sheet', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(problemSpec, { minLength: 3, maxLength: 12 }), async (problems) => {
        await load(problems);
        for (const who of ['office', 'sup1', 'unit2']) {
          const b = await check({}, who);
          expect(await drillTotal(who, b.drill.measures)).toBe(b.figures.measures);
          expect(await drillTotal(who, b.drill.doneMeasures)).toBe(b.figures.doneMeasures);
          expect(await drillTotal(who, b.drill.overdue)).toBe(b.figures.overdue);
          for (const s of b.byStatus) expect(await drillTotal(who, s.drill)).toBe(s.count);
          for (const c of b.byCategory) {
            expect(await drillTotal(who, c.drill.measures)).toBe(c.measures);
            expect(await drillTotal(who, c.drill.overdue)).toBe(c.overdue);
          }
          for (const u of b.ranking) {
            expect(await drillTotal(who, u.drill.overdue)).toBe(u.overdue);
            expect(await drillTotal(who, u.drill.doneMeasures)).toBe(u.doneMeasures);
          }
        }
      }),
      { numRuns: 4 },
    );
  }, 600_000);

  it("a supervisor's board never counts a unit outside its scope, even when asked for it", async () => {
    await load(
      [0, 1, 2, 3].map((ru) => ({
        ru,
        cat: 1, // C_B: outside sup1's line at U2
        measures: [
          {
            status: 'in_progress',
            deadline: -5,
            extension: null,
            completedAgo: 0,
            progressAgo: 1,
            rules: 1,
            fundsFen: 100,
          },
        ],
      })),
    );
    // sup2 follows U3 only: asking for U1 gives nothing, not U1's figures.
    const res = await agents.sup2!.get(`${V1}/dashboard/board?unitOrgId=${units[0]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().figures.measures).toBe(0);
    expect(res.json().ranking).toEqual([]);
    // sup1 sees U1 in full, but at U2 only C_A: U2's C_B measure is not counted.
    const s1 = (await agents.sup1!.get(`${V1}/dashboard/board`)).json();
    expect(s1.figures.measures).toBe(1);
    expect(s1.ranking.map((u: { unitOrgId: number }) => u.unitOrgId).sort()).toEqual([units[0], units[1]].sort());
    expect(s1.ranking.find((u: { unitOrgId: number }) => u.unitOrgId === units[1]).measures).toBe(0);
    // The office sees all four, each red (one overdue measure each).
    const o = (await agents.office!.get(`${V1}/dashboard/board`)).json();
    expect(o.lights).toEqual({ red: 4, yellow: 0, green: 0 });
  });

  it('refuses bad filters with a code and answers 401 without a session', async () => {
    const bad = await agents.office!.get(`${V1}/dashboard/board?termId=abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBeTypeOf('string');
    const extra = await agents.office!.get(`${V1}/dashboard/board?foo=1`);
    expect(extra.statusCode).toBe(400);
    expect((await t.anonymous().get(`${V1}/dashboard/board`)).statusCode).toBe(401);
  });
});
