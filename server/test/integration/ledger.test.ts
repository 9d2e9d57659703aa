import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMMEDIATE_ITEM_STATUSES,
  IMMEDIATE_ITEM_TRANSITIONS,
  type ImmediateItemStatus,
  isDone,
  MEASURE_STATUSES,
  type MeasureStatus,
} from '../../../domain/rectification.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const DAY = 86_400_000;

/** Terms, rounds and round-units straight into the database (the rounds module has its own tests). */
async function seedRounds(t: TestApp, units: { unitOrgId: number; status?: string; round?: number }[]) {
  const now = t.clock.now();
  const term = await t.ctx.db
    .insertInto('terms')
    .values({ number: 5, name: '第五届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const termId = Number(term.id);
  const rounds: number[] = [];
  for (const n of [1, 2]) {
    const r = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId,
        number: n,
        name: `第${n}轮巡察`,
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
    rounds.push(Number(r.id));
  }
  const roundUnits: number[] = [];
  for (const u of units) {
    const r = await t.ctx.db
      .insertInto('roundUnits')
      .values({
        roundId: rounds[u.round ?? 0]!,
        termId,
        unitOrgId: u.unitOrgId,
        teamId: null,
        status: u.status ?? 'rectifying',
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
    roundUnits.push(Number(r.id));
  }
  return { termId, rounds, roundUnits };
}

async function seedCategories(t: TestApp) {
  for (const [code, active] of [
    ['T_LEAD', 1],
    ['T_BUILD', 1],
    ['T_OLD', 0],
  ] as const) {
    await t.ctx.db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code,
        labelZhCn: code,
        labelZhTw: code,
        labelEn: code,
        sort: 0,
        active,
        extra: null,
        version: 1,
        updatedAt: t.clock.now(),
      })
      .execute();
  }
}

const measureBody = (over: Record<string, unknown> = {}) => ({
  content: '建立健全三重一大决策制度',
  type: 'deadline',
  deadline: '2027-01-31',
  ...over,
});

const problemBody = (over: Record<string, unknown> = {}) => ({
  number: '一、（一）1.',
  categoryCode: 'T_LEAD',
  description: '落实全面从严治党主体责任不到位',
  source: 'feedback',
  severity: 'high',
  responsibleLeader: '张书记',
  responsibles: [
    { name: '张三', post: '党组书记', duty: 'first' },
    { name: '李四', post: '副局长', duty: 'shared' },
  ],
  measures: [measureBody()],
  ...over,
});

describe.each(DIALECTS)('the 三清单一台账 ledger on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let leader: Agent;
  let unitA: Agent;
  let unitB: Agent;
  let unitHeadA: Agent;
  let supervisor: Agent;
  let supLine: Agent;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  let termId: number;
  let rounds: number[];
  let ruA: number;
  let ruB: number;
  let ruA1Closed: number;
  let ruA2: number;

  beforeAll(async () => {
    // The tests move the manual clock by days and months: sessions must outlive that.
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitA1 = await t.createOrg({ code: 'UA1', name: '市财政局国库科', parentId: org.unitA });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.sup = await t.createOrg({ code: 'SUP', name: '第一监督检查室', type: 'supervisor' });
    org.supLine = await t.createOrg({
      code: 'PROP',
      name: '市委宣传部',
      type: 'supervisor',
      supervisorLine: 'propaganda',
    });
    // 宣传部 follows unit B for one line only (where so configured, SPEC §2).
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unitB, supervisorOrgId: org.supLine, categories: 'T_BUILD', createdAt: t.clock.now() })
      .execute();
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unitA, supervisorOrgId: org.sup, categories: null, createdAt: t.clock.now() })
      .execute();
    user.office = await t.createUser({ username: 'office', role: 'office' });
    user.office2 = await t.createUser({ username: 'office2', role: 'office' });
    user.leader = await t.createUser({ username: 'leader', role: 'leader' });
    user.unitA = await t.createUser({ username: 'unita', role: 'unit', orgId: org.unitA });
    user.unitA1 = await t.createUser({ username: 'unita1', role: 'unit', orgId: org.unitA1 });
    user.unitB = await t.createUser({ username: 'unitb', role: 'unit', orgId: org.unitB });
    user.unitHeadA = await t.createUser({ username: 'heada', role: 'unit_head', orgId: org.unitA });
    user.sup = await t.createUser({ username: 'sup', role: 'supervisor', orgId: org.sup });
    user.supLine = await t.createUser({ username: 'supline', role: 'supervisor', orgId: org.supLine });
    await seedCategories(t);
    const s = await seedRounds(t, [
      { unitOrgId: org.unitA },
      { unitOrgId: org.unitB },
      { unitOrgId: org.unitA1, status: 'evaluated' },
      { unitOrgId: org.unitA, round: 1 },
    ]);
    termId = s.termId;
    rounds = s.rounds;
    [ruA, ruB, ruA1Closed, ruA2] = s.roundUnits as [number, number, number, number];
    [office, leader, unitA, unitB, unitHeadA, supervisor, supLine] = await Promise.all(
      ['office', 'leader', 'unita', 'unitb', 'heada', 'sup', 'supline'].map((u) => t.login(u)),
    );
  });
  afterAll(() => t.close());

  /** Row counts, version sums and the audit head: equal before and after means nothing was written. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM problems) AS problems,
        (SELECT coalesce(sum(version), 0) FROM problems) AS problem_versions,
        (SELECT count(*) FROM problem_responsibles) AS responsibles,
        (SELECT count(*) FROM measures) AS measures,
        (SELECT coalesce(sum(version), 0) FROM measures) AS measure_versions,
        (SELECT count(*) FROM immediate_items) AS immediate,
        (SELECT coalesce(sum(version), 0) FROM immediate_items) AS immediate_versions,
        (SELECT count(*) FROM deadline_extensions) AS extensions,
        (SELECT coalesce(sum(version), 0) FROM deadline_extensions) AS extension_versions,
        (SELECT count(*) FROM campaigns) AS campaigns,
        (SELECT count(*) FROM ledger_summaries) AS summaries,
        (SELECT coalesce(sum(done_count), 0) FROM ledger_summaries) AS summary_done,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  async function createProblem(agent: Agent, ru: number, over: Record<string, unknown> = {}) {
    const res = await agent.post(`${V1}/round-units/${ru}/problems`, problemBody(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  /** Puts a measure into a status directly (the closure states have no route here yet). */
  async function forceStatus(id: number, status: string) {
    await t.ctx.db
      .updateTable('measures')
      .set({ status, isDone: isDone(status as MeasureStatus) ? 1 : 0 })
      .where('id', '=', id)
      .execute();
    return (await office.get(`${V1}/measures/${id}`)).json();
  }

  function expectProblemDoc(res: { statusCode: number; body: string; json(): any }, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code, res.body).toBe(code);
  }

  // --- problems -------------------------------------------------------------------------------

  it('creates a problem with its responsibility list and measures, numbered in its round-unit', async () => {
    const p1 = await createProblem(unitA, ruA);
    expect(p1).toMatchObject({
      roundUnitId: ruA,
      roundId: rounds[0],
      termId,
      unitOrgId: org.unitA,
      number: '一、（一）1.',
      categoryCode: 'T_LEAD',
      responsibleLeader: '张书记',
      measureCount: 1,
      doneCount: 0,
      rectified: false,
      version: 1,
    });
    expect(p1.responsibles.map((r: { name: string; duty: string }) => [r.name, r.duty])).toEqual([
      ['张三', 'first'],
      ['李四', 'shared'],
    ]);
    expect(p1.measures[0]).toMatchObject({
      seq: 1,
      status: 'not_started',
      isDone: false,
      deadline: '2027-01-31',
      effectiveDeadline: '2027-01-31',
      extendedDeadline: null,
      categoryCode: 'T_LEAD',
      fundsReturned: '0.00',
    });
    const p2 = await createProblem(office, ruA, { measures: [] });
    expect(p2.seq).toBe(p1.seq + 1);
    const got = await unitA.get(`${V1}/problems/${p1.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(p1);
    const list = (await supervisor.get(`${V1}/round-units/${ruA}/problems`)).json();
    expect(list.items.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([p1.id, p2.id]));
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName'])
      .where('entity', '=', 'problem')
      .where('entityId', '=', String(p1.id))
      .execute();
    expect(audit).toEqual([{ action: 'ledger.problem.create', actorName: 'unita' }]);
  });

  it('refuses an unknown or inactive category and an unknown campaign with INVALID_REFERENCE', async () => {
    const before = await fingerprint();
    for (const over of [{ categoryCode: 'NOPE' }, { categoryCode: 'T_OLD' }, { campaignId: 2147483647 }]) {
      const res = await office.post(`${V1}/round-units/${ruA}/problems`, problemBody(over));
      expectProblemDoc(res, 400, 'INVALID_REFERENCE');
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('changes a problem optimistically; a new category follows into its measures and the counters', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody(), measureBody({ type: 'long_term' })] });
    const res = await unitA.patch(`${V1}/problems/${p.id}`, {
      version: 1,
      categoryCode: 'T_BUILD',
      description: '党建工作薄弱',
      responsibles: [{ name: '王五', duty: 'first' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ version: 2, categoryCode: 'T_BUILD', description: '党建工作薄弱' });
    expect(after.responsibles).toMatchObject([{ name: '王五', duty: 'first', post: null }]);
    expect(after.measures.map((m: { categoryCode: string }) => m.categoryCode)).toEqual(['T_BUILD', 'T_BUILD']);
    const summary = await t.ctx.db
      .selectFrom('ledgerSummaries')
      .select(['categoryCode', 'measureCount'])
      .where('roundUnitId', '=', ruA)
      .where('categoryCode', '=', 'T_BUILD')
      .executeTakeFirstOrThrow();
    expect(Number(summary.measureCount)).toBeGreaterThanOrEqual(2);

    const before = await fingerprint();
    const stale = await unitA.patch(`${V1}/problems/${p.id}`, { version: 1, description: 'x' });
    expectProblemDoc(stale, 409, 'CONFLICT_STALE');
    expect(stale.json().current).toMatchObject({ id: p.id, version: 2, description: '党建工作薄弱' });
    expect(await fingerprint()).toEqual(before);
  });

  it('deletes a problem with its measures, but not while a measure is in closure or closed', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody(), measureBody()] });
    await forceStatus(p.measures[0].id, 'closed');
    const before = await fingerprint();
    expectProblemDoc(await unitA.delete(`${V1}/problems/${p.id}?version=1`), 409, 'MEASURE_LOCKED');
    await forceStatus(p.measures[0].id, 'closure_requested');
    expectProblemDoc(await unitA.delete(`${V1}/problems/${p.id}?version=1`), 409, 'MEASURE_LOCKED');
    expect(await fingerprint()).toEqual(before);
    await forceStatus(p.measures[0].id, 'in_progress');
    expectProblemDoc(await unitA.delete(`${V1}/problems/${p.id}?version=9`), 409, 'CONFLICT_STALE');
    expect((await unitA.delete(`${V1}/problems/${p.id}?version=1`)).statusCode).toBe(200);
    expectProblemDoc(await unitA.get(`${V1}/problems/${p.id}`), 404, 'NOT_FOUND');
    const left = await t.ctx.db.selectFrom('measures').select('id').where('problemId', '=', p.id).execute();
    expect(left).toEqual([]);
  });

  it('keeps a problem or measure that a closure application refers to (409 IN_USE), and deletes nothing', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody(), measureBody()] });
    const [m1, m2] = p.measures as { id: number; version: number }[];
    const now = t.clock.now();
    // A withdrawn application: the measure is back in the ledger, but its history stays.
    await t.ctx.db
      .insertInto('closures')
      .values({
        measureId: m1!.id,
        problemId: p.id,
        roundUnitId: ruA,
        unitOrgId: p.unitOrgId,
        categoryCode: p.categoryCode,
        status: 'withdrawn',
        summary: '申请销号',
        fileIds: '[]',
        applicantId: user.unitA!,
        appliedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        reopenedBy: null,
        reopenedAt: null,
        reopenSource: null,
        reopenReason: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const before = await fingerprint();
    expectProblemDoc(await unitA.delete(`${V1}/measures/${m1!.id}?version=${m1!.version}`), 409, 'IN_USE');
    expectProblemDoc(await unitA.delete(`${V1}/problems/${p.id}?version=1`), 409, 'IN_USE');
    expect(await fingerprint()).toEqual(before);
    expect((await unitA.delete(`${V1}/measures/${m2!.id}?version=${m2!.version}`)).statusCode).toBe(200);
  });

  // --- measures -------------------------------------------------------------------------------

  it('allows every legal measure edge here and refuses every other with INVALID_TRANSITION', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody()] });
    const id = p.measures[0].id;
    const allowed: string[] = [];
    for (const from of MEASURE_STATUSES) {
      for (const to of MEASURE_STATUSES) {
        const current = await forceStatus(id, from);
        const before = await fingerprint();
        const res = await unitA.post(`${V1}/measures/${id}/status`, { to, version: current.version, note: '推进' });
        if (res.statusCode === 200) {
          allowed.push(`${from}→${to}`);
          const m = res.json();
          expect(m).toMatchObject({ status: to, isDone: isDone(to), version: current.version + 1 });
          expect(m.completedOn).toBe(isDone(to) ? (isDone(from) ? current.completedOn : '2026-11-27') : null);
          expect(m.lastProgressAt).toBe(t.clock.now());
        } else {
          expectProblemDoc(res, 409, 'INVALID_TRANSITION');
          expect(await fingerprint()).toEqual(before);
        }
      }
    }
    // The closure states (申请销号, 已销号) belong to 对账销号; here only these edges of the table.
    expect(allowed.sort()).toEqual(
      [
        'completed→in_progress',
        'in_progress→completed',
        'in_progress→not_started',
        'not_started→completed',
        'not_started→in_progress',
      ].sort(),
    );
  });

  it('keeps the done flag, completion date and counters right through status changes', async () => {
    const p = await createProblem(unitA, ruA2, { measures: [measureBody(), measureBody()] });
    const [a, b] = p.measures;
    let r = await unitA.post(`${V1}/measures/${a.id}/status`, { to: 'completed', version: 1 });
    expect(r.json()).toMatchObject({ isDone: true, completedOn: '2026-11-27' });
    expect((await unitA.get(`${V1}/problems/${p.id}`)).json()).toMatchObject({ doneCount: 1, rectified: false });
    t.clock.advance(DAY);
    r = await unitA.post(`${V1}/measures/${b.id}/status`, { to: 'completed', version: 1 });
    expect(r.json().completedOn).toBe('2026-11-28');
    expect((await unitA.get(`${V1}/problems/${p.id}`)).json()).toMatchObject({ doneCount: 2, rectified: true });
    r = await unitA.post(`${V1}/measures/${b.id}/status`, { to: 'in_progress', version: 2 });
    expect(r.json()).toMatchObject({ isDone: false, completedOn: null });
    expect((await unitA.get(`${V1}/problems/${p.id}`)).json()).toMatchObject({ doneCount: 1, rectified: false });
    t.clock.advance(-DAY);
  });

  it('keeps money as exact 分 and answers it as 元 strings; refuses negative or malformed amounts', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody({ fundsReturned: '12.5' })] });
    const m = p.measures[0];
    expect(m.fundsReturned).toBe('12.50');
    const res = await unitA.patch(`${V1}/measures/${m.id}`, {
      version: 1,
      fundsReturned: '149000000.01',
      lossesRecovered: '0.07',
      rulesEstablished: 3,
      peopleHeldAccountable: 2,
      casesFiled: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ fundsReturned: '149000000.01', lossesRecovered: '0.07', rulesEstablished: 3 });
    const row = await t.ctx.db
      .selectFrom('measures')
      .select(['fundsReturnedFen', 'lossesRecoveredFen'])
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.fundsReturnedFen)).toBe(14900000001);
    expect(Number(row.lossesRecoveredFen)).toBe(7);
    const before = await fingerprint();
    for (const bad of ['-1.00', '1.234', 'abc', '1e5', '99999999999999999']) {
      const r = await unitA.patch(`${V1}/measures/${m.id}`, { version: 2, fundsReturned: bad });
      expectProblemDoc(r, 400, 'VALIDATION_FAILED');
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('takes as owner a user of the unit or its subtree, or of the office, and no one else', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody()] });
    const id = p.measures[0].id;
    let version = 1;
    for (const owner of [user.unitA1, user.unitA, user.office]) {
      const r = await unitA.patch(`${V1}/measures/${id}`, { version, ownerUserId: owner, ownerName: '经办人' });
      expect(r.statusCode, r.body).toBe(200);
      version = r.json().version;
    }
    const before = await fingerprint();
    for (const owner of [user.unitB, user.sup, user.leader, 2147483647]) {
      expectProblemDoc(
        await unitA.patch(`${V1}/measures/${id}`, { version, ownerUserId: owner }),
        400,
        'INVALID_REFERENCE',
      );
    }
    expectProblemDoc(
      await unitA.post(`${V1}/problems/${p.id}/measures`, measureBody({ ownerUserId: user.unitB })),
      400,
      'INVALID_REFERENCE',
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('lets a unit bring a deadline forward but not postpone it (that is an extension); the office may', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody({ deadline: '2027-01-31' })] });
    const id = p.measures[0].id;
    expectProblemDoc(
      await unitA.patch(`${V1}/measures/${id}`, { version: 1, deadline: '2027-03-31' }),
      409,
      'EXTENSION_REQUIRED',
    );
    let r = await unitA.patch(`${V1}/measures/${id}`, { version: 1, deadline: '2027-01-15' });
    expect(r.json()).toMatchObject({ deadline: '2027-01-15', effectiveDeadline: '2027-01-15', version: 2 });
    r = await office.patch(`${V1}/measures/${id}`, { version: 2, deadline: '2027-04-30' });
    expect(r.json()).toMatchObject({ deadline: '2027-04-30', effectiveDeadline: '2027-04-30', version: 3 });
    expectProblemDoc(
      await office.patch(`${V1}/measures/${id}`, { version: 3, deadline: '2027-02-30' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses edits of a measure in closure or closed, and every write to a closed round-unit', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody(), measureBody()] });
    const m = await forceStatus(p.measures[0].id, 'closed');
    const before = await fingerprint();
    expectProblemDoc(
      await unitA.patch(`${V1}/measures/${m.id}`, { version: m.version, content: 'x' }),
      409,
      'MEASURE_LOCKED',
    );
    expectProblemDoc(await unitA.delete(`${V1}/measures/${m.id}?version=${m.version}`), 409, 'MEASURE_LOCKED');
    expect(await fingerprint()).toEqual(before);

    // A round-unit that has been evaluated: its ledger is frozen.
    const now = t.clock.now();
    const closedProblem = await t.ctx.db
      .insertInto('problems')
      .values({
        roundUnitId: ruA1Closed,
        roundId: rounds[0]!,
        termId,
        unitOrgId: org.unitA1,
        campaignId: null,
        seq: 1,
        number: '1',
        categoryCode: 'T_LEAD',
        description: '已评价单位的问题',
        source: 'feedback',
        severity: 'low',
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
    const pid = Number(closedProblem.id);
    const before2 = await fingerprint();
    expectProblemDoc(
      await unitA.post(`${V1}/round-units/${ruA1Closed}/problems`, problemBody()),
      409,
      'ROUND_UNIT_CLOSED',
    );
    expectProblemDoc(await unitA.patch(`${V1}/problems/${pid}`, { version: 1, number: '2' }), 409, 'ROUND_UNIT_CLOSED');
    expectProblemDoc(await unitA.post(`${V1}/problems/${pid}/measures`, measureBody()), 409, 'ROUND_UNIT_CLOSED');
    expectProblemDoc(await unitA.delete(`${V1}/problems/${pid}?version=1`), 409, 'ROUND_UNIT_CLOSED');
    expectProblemDoc(
      await office.post(`${V1}/round-units/${ruA1Closed}/immediate-items`, { content: '立即整改' }),
      409,
      'ROUND_UNIT_CLOSED',
    );
    expect(await fingerprint()).toEqual(before2);
    // It can still be read.
    expect((await unitA.get(`${V1}/problems/${pid}`)).statusCode).toBe(200);
  });

  // --- bad input ------------------------------------------------------------------------------

  it('answers bad input to every write with a 4xx and a code, and writes nothing', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody()] });
    const m = p.measures[0];
    const long = (n: number) => '长'.repeat(n);
    const cases: [string, string, unknown, number, string][] = [
      // missing
      ['POST', `/round-units/${ruA}/problems`, { number: '1' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, { content: 'x', type: 'deadline' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/problems/${p.id}`, { description: 'x' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/measures/${m.id}`, { content: 'x' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/measures/${m.id}/status`, { to: 'completed' }, 400, 'VALIDATION_FAILED'],
      ['DELETE', `/problems/${p.id}`, undefined, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { action: 'status', to: 'completed' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { ids: [m.id], action: 'status' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { ids: [m.id], action: 'deadline' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { ids: [m.id], action: 'owner' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/measures/${m.id}/extensions`, { reason: 'x' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/round-units/${ruA}/immediate-items`, {}, 400, 'VALIDATION_FAILED'],
      ['POST', '/campaigns', {}, 400, 'VALIDATION_FAILED'],
      // wrong type
      ['POST', `/round-units/${ruA}/problems`, problemBody({ severity: 'huge' }), 400, 'VALIDATION_FAILED'],
      ['POST', `/round-units/${ruA}/problems`, problemBody({ source: 7 }), 400, 'VALIDATION_FAILED'],
      [
        'POST',
        `/round-units/${ruA}/problems`,
        problemBody({ measures: [measureBody({ type: 'x' })] }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        `/round-units/${ruA}/problems`,
        problemBody({
          responsibles: [
            { name: 'a', duty: 'first' },
            { name: 'b', duty: 'first' },
          ],
        }),
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', `/round-units/${ruA}/problems`, problemBody({ extra: 1 }), 400, 'VALIDATION_FAILED'],
      ['POST', `/round-units/${ruA}/problems`, problemBody({ description: '   ' }), 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, measureBody({ deadline: '2027-13-01' }), 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, measureBody({ deadline: 20270101 }), 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, measureBody({ rulesEstablished: -1 }), 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, measureBody({ casesFiled: 1.5 }), 400, 'VALIDATION_FAILED'],
      ['PATCH', `/measures/${m.id}`, { version: 'one' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/measures/${m.id}/status`, { to: 'done', version: 1 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { ids: [m.id, m.id], action: 'status', to: 'completed' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/measures/bulk', { ids: [], action: 'status', to: 'completed' }, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/measures/bulk',
        { ids: [m.id], action: 'status', to: 'in_progress', versions: { abc: 1 } },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/measures/bulk',
        { ids: Array.from({ length: 1001 }, (_, i) => i + 1), action: 'status', to: 'completed' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        `/measures/${m.id}/extensions`,
        { requestedDeadline: '2027-02-29', reason: 'x' },
        400,
        'VALIDATION_FAILED',
      ],
      ['GET', '/ledger?after=not-a-cursor', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/ledger?limit=201', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/ledger?sort=name', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/ledger?overdue=maybe', undefined, 400, 'VALIDATION_FAILED'],
      // oversize
      ['POST', `/round-units/${ruA}/problems`, problemBody({ number: long(41) }), 400, 'VALIDATION_FAILED'],
      ['POST', `/round-units/${ruA}/problems`, problemBody({ description: long(4001) }), 400, 'VALIDATION_FAILED'],
      ['POST', `/problems/${p.id}/measures`, measureBody({ content: long(2001) }), 400, 'VALIDATION_FAILED'],
      ['PATCH', `/measures/${m.id}`, { version: 1, ownerName: long(101) }, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        `/measures/${m.id}/status`,
        { to: 'in_progress', version: 1, note: long(1001) },
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', `/round-units/${ruA}/immediate-items`, { content: long(2001) }, 400, 'VALIDATION_FAILED'],
      ['POST', '/campaigns', { name: long(201) }, 400, 'VALIDATION_FAILED'],
      ['GET', `/ledger?q=${encodeURIComponent(long(101))}`, undefined, 400, 'VALIDATION_FAILED'],
      // unknown ids
      ['POST', '/round-units/2147483647/problems', problemBody(), 404, 'NOT_FOUND'],
      ['POST', '/round-units/0/problems', problemBody(), 400, 'VALIDATION_FAILED'],
      ['PATCH', '/problems/2147483647', { version: 1 }, 404, 'NOT_FOUND'],
      ['POST', '/problems/2147483647/measures', measureBody(), 404, 'NOT_FOUND'],
      ['PATCH', '/measures/2147483647', { version: 1 }, 404, 'NOT_FOUND'],
      ['POST', '/measures/2147483647/status', { to: 'in_progress', version: 1 }, 404, 'NOT_FOUND'],
      ['DELETE', '/measures/2147483647?version=1', undefined, 404, 'NOT_FOUND'],
      ['POST', '/measures/2147483647/extensions', { requestedDeadline: '2028-01-01', reason: 'x' }, 404, 'NOT_FOUND'],
      ['POST', '/measures/bulk', { ids: [2147483647], action: 'status', to: 'completed' }, 400, 'BULK_REJECTED'],
      [
        'POST',
        `/round-units/${ruA}/immediate-items`,
        { content: 'x', problemId: 2147483647 },
        400,
        'INVALID_REFERENCE',
      ],
      ['POST', '/immediate-items/2147483647/verify', { accept: true, version: 1 }, 404, 'NOT_FOUND'],
      ['POST', '/extensions/2147483647/decide', { approve: true, version: 1 }, 404, 'NOT_FOUND'],
      ['PATCH', '/campaigns/2147483647', { version: 1 }, 404, 'NOT_FOUND'],
      ['POST', '/campaigns', { name: 'x', categoryCode: 'NOPE' }, 400, 'INVALID_REFERENCE'],
      // stale versions
      ['PATCH', `/problems/${p.id}`, { version: 7, number: '2' }, 409, 'CONFLICT_STALE'],
      ['PATCH', `/measures/${m.id}`, { version: 7, content: 'y' }, 409, 'CONFLICT_STALE'],
      ['POST', `/measures/${m.id}/status`, { to: 'in_progress', version: 7 }, 409, 'CONFLICT_STALE'],
      ['DELETE', `/measures/${m.id}?version=7`, undefined, 409, 'CONFLICT_STALE'],
      [
        'POST',
        '/measures/bulk',
        { ids: [m.id], action: 'status', to: 'in_progress', versions: { [m.id]: 7 } },
        409,
        'BULK_REJECTED',
      ],
    ];
    const before = await fingerprint();
    for (const [method, path, body, status, code] of cases) {
      const agent =
        method === 'GET' ||
        path.startsWith('/campaigns') ||
        path.includes('immediate') ||
        path.startsWith('/extensions')
          ? office
          : unitA;
      const res = await agent.request(method, `${V1}${path}`, body);
      expect(res.statusCode, `${method} ${path} ${res.body.slice(0, 300)}`).toBe(status);
      expect(res.headers['content-type'], `${method} ${path}`).toContain('application/problem+json');
      expect(res.json().code, `${method} ${path} ${res.body.slice(0, 300)}`).toBe(code);
    }
    expect(await fingerprint()).toEqual(before);
  });

  // --- scope ----------------------------------------------------------------------------------

  it("keeps each unit to its own subtree: another unit's problem answers 404 exactly like a missing one", async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody()] });
    const m = p.measures[0];
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    const before = await fingerprint();
    const tries: [string, string, unknown][] = [
      ['GET', `/problems/${p.id}`, undefined],
      ['PATCH', `/problems/${p.id}`, { version: 1, description: '改' }],
      ['DELETE', `/problems/${p.id}?version=1`, undefined],
      ['POST', `/problems/${p.id}/measures`, measureBody()],
      ['GET', `/measures/${m.id}`, undefined],
      ['PATCH', `/measures/${m.id}`, { version: 1, content: '改' }],
      ['POST', `/measures/${m.id}/status`, { to: 'in_progress', version: 1 }],
      ['DELETE', `/measures/${m.id}?version=1`, undefined],
      ['GET', `/measures/${m.id}/extensions`, undefined],
      ['POST', `/measures/${m.id}/extensions`, { requestedDeadline: '2028-01-01', reason: '理由' }],
      ['GET', `/round-units/${ruA}/problems`, undefined],
      ['POST', `/round-units/${ruA}/problems`, problemBody()],
      ['GET', `/round-units/${ruA}/immediate-items`, undefined],
    ];
    for (const [method, path, body] of tries) {
      const res = await unitB.request(method, `${V1}${path}`, body);
      expectProblemDoc(res, 404, 'NOT_FOUND');
      const missing = await unitB.request(method, `${V1}${path.replace(/\/(\d+)/, '/2147483647')}`, body);
      expect(strip(res.json()), `${method} ${path}`).toEqual(strip(missing.json()));
    }
    // The bulk route names the ids it will not touch, without telling whether they exist.
    const bulk = await unitB.post(`${V1}/measures/bulk`, { ids: [m.id], action: 'status', to: 'in_progress' });
    expectProblemDoc(bulk, 400, 'BULK_REJECTED');
    expect(bulk.json().failures).toEqual([{ id: m.id, code: 'NOT_FOUND' }]);
    expect(await fingerprint()).toEqual(before);

    // The unit below A sees nothing of A; the supervisor sees A (liaised) but not B; the leader sees all.
    expect((await unitA.get(`${V1}/problems/${p.id}`)).statusCode).toBe(200);
    expect((await supervisor.get(`${V1}/problems/${p.id}`)).statusCode).toBe(200);
    expect((await leader.get(`${V1}/problems/${p.id}`)).statusCode).toBe(200);
    expect((await unitHeadA.get(`${V1}/problems/${p.id}`)).statusCode).toBe(200);
    const pb = await createProblem(unitB, ruB);
    expectProblemDoc(await supervisor.get(`${V1}/problems/${pb.id}`), 404, 'NOT_FOUND');
    expectProblemDoc(await unitA.get(`${V1}/problems/${pb.id}`), 404, 'NOT_FOUND');
    // Read-only roles cannot write at all.
    expectProblemDoc(await leader.patch(`${V1}/problems/${p.id}`, { version: 1 }), 403, 'FORBIDDEN');
    expectProblemDoc(await supervisor.post(`${V1}/problems/${p.id}/measures`, measureBody()), 403, 'FORBIDDEN');

    // Lists are filtered in SQL: every row a caller gets is in its scope.
    for (const [agent, allowed] of [
      [unitB, [org.unitB]],
      [unitA, [org.unitA, org.unitA1]],
      [supervisor, [org.unitA, org.sup]],
    ] as const) {
      const rows = (await agent.get(`${V1}/ledger?limit=200`)).json().items as { unitOrgId: number }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(allowed).toContain(r.unitOrgId);
    }
    const all = (await leader.get(`${V1}/ledger?limit=200`)).json().items as { unitOrgId: number }[];
    expect(new Set(all.map((r) => r.unitOrgId))).toEqual(
      new Set([org.unitA, org.unitB, org.unitA1].filter((o) => all.some((r) => r.unitOrgId === o))),
    );
    expect(all.some((r) => r.unitOrgId === org.unitB)).toBe(true);
    // Figures follow the scope too.
    const figB = (await unitB.get(`${V1}/dashboard/figures`)).json();
    const figAll = (await leader.get(`${V1}/dashboard/figures`)).json();
    expect(figB.units).toBe(1);
    expect(figAll.measures).toBeGreaterThan(figB.measures);
  });

  it("shows a supervising body limited to its line only that line's problems at the unit", async () => {
    const lead = await createProblem(unitB, ruB, { categoryCode: 'T_LEAD', measures: [measureBody()] });
    const build = await createProblem(unitB, ruB, {
      categoryCode: 'T_BUILD',
      measures: [measureBody({ fundsReturned: '8.00' }), measureBody({ deadline: '2026-11-01' })],
    });
    expectProblemDoc(await supLine.get(`${V1}/problems/${lead.id}`), 404, 'NOT_FOUND');
    expectProblemDoc(await supLine.get(`${V1}/measures/${lead.measures[0].id}`), 404, 'NOT_FOUND');
    expect((await supLine.get(`${V1}/problems/${build.id}`)).statusCode).toBe(200);
    expect((await supLine.get(`${V1}/measures/${build.measures[0].id}`)).statusCode).toBe(200);
    const problems = (await supLine.get(`${V1}/round-units/${ruB}/problems`)).json().items;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p: { categoryCode: string }) => p.categoryCode === 'T_BUILD')).toBe(true);
    const rows = (await supLine.get(`${V1}/ledger?limit=200`)).json();
    expect(rows.items.map((r: { id: number }) => r.id)).toEqual(
      expect.arrayContaining(build.measures.map((m: { id: number }) => m.id)),
    );
    expect(
      rows.items.every(
        (r: { unitOrgId: number; categoryCode: string }) => r.unitOrgId === org.unitB && r.categoryCode === 'T_BUILD',
      ),
    ).toBe(true);
    const want = await t.ctx.db
      .selectFrom('measures')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('fundsReturnedFen').as('funds')])
      .where('unitOrgId', '=', org.unitB)
      .where('categoryCode', '=', 'T_BUILD')
      .executeTakeFirstOrThrow();
    expect(rows.total).toBe(Number(want.n));
    const fig = (await supLine.get(`${V1}/dashboard/figures`)).json();
    expect(fig).toMatchObject({
      units: 1,
      measures: Number(want.n),
      fundsReturned: (Number(want.funds) / 100).toFixed(2),
    });
    expect(fig.overdue).toBeGreaterThan(0);
    expect(
      (await supLine.get(`${V1}/dashboard/units`)).json().items.map((u: { unitOrgId: number }) => u.unitOrgId),
    ).toEqual([org.unitB]);
    // The unit itself and the leadership still see every category.
    expect((await unitB.get(`${V1}/problems/${lead.id}`)).statusCode).toBe(200);
    expect((await leader.get(`${V1}/problems/${lead.id}`)).statusCode).toBe(200);
  });

  // --- bulk -----------------------------------------------------------------------------------

  it('applies a bulk change to all the measures or to none, naming every failing id', async () => {
    const p = await createProblem(unitA, ruA, {
      measures: [measureBody(), measureBody(), measureBody(), measureBody()],
    });
    const ids = p.measures.map((m: { id: number }) => m.id) as number[];
    const pb = await createProblem(unitB, ruB, { measures: [measureBody()] });
    const foreign = pb.measures[0].id;
    await forceStatus(ids[3]!, 'completed');

    const before = await fingerprint();
    // One out of scope, one illegal move (already completed), one stale.
    let res = await unitA.post(`${V1}/measures/bulk`, {
      ids: [...ids, foreign],
      action: 'status',
      to: 'completed',
      versions: { [ids[1]!]: 5 },
    });
    expectProblemDoc(res, 400, 'BULK_REJECTED');
    expect(res.json().failures).toEqual(
      [
        { id: ids[1], code: 'CONFLICT_STALE' },
        { id: ids[3], code: 'INVALID_TRANSITION' },
        { id: foreign, code: 'NOT_FOUND' },
      ].sort((a, b) => a.id! - b.id!),
    );
    // Without the foreign id it is a conflict (409), still nothing written.
    res = await unitA.post(`${V1}/measures/bulk`, { ids, action: 'status', to: 'completed' });
    expectProblemDoc(res, 409, 'BULK_REJECTED');
    expect(res.json().ids).toEqual([ids[3]]);
    res = await unitA.post(`${V1}/measures/bulk`, { ids, action: 'owner', ownerUserId: user.unitB });
    expectProblemDoc(res, 400, 'BULK_REJECTED');
    expect(res.json().failures.map((f: { code: string }) => f.code)).toEqual(ids.map(() => 'INVALID_REFERENCE'));
    res = await unitA.post(`${V1}/measures/bulk`, { ids, action: 'deadline', deadline: '2099-01-01' });
    expectProblemDoc(res, 409, 'BULK_REJECTED');
    expect(res.json().failures.map((f: { code: string }) => f.code)).toEqual(ids.map(() => 'EXTENSION_REQUIRED'));
    expect(await fingerprint()).toEqual(before);

    const open = ids.slice(0, 3);
    res = await unitA.post(`${V1}/measures/bulk`, {
      ids: open,
      action: 'status',
      to: 'in_progress',
      versions: Object.fromEntries(open.map((id) => [id, 1])),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().updated).toBe(3);
    expect(res.json().items.map((m: { status: string }) => m.status)).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
    ]);
    res = await unitA.post(`${V1}/measures/bulk`, {
      ids,
      action: 'owner',
      ownerName: '办公室',
      ownerUserId: user.unitA1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.every((m: { ownerUserId: number }) => m.ownerUserId === user.unitA1)).toBe(true);
    res = await unitA.post(`${V1}/measures/bulk`, { ids, action: 'deadline', deadline: '2027-01-10' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.every((m: { effectiveDeadline: string }) => m.effectiveDeadline === '2027-01-10')).toBe(
      true,
    );
    res = await unitA.post(`${V1}/measures/bulk`, { ids: open, action: 'status', to: 'completed' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await unitA.get(`${V1}/problems/${p.id}`)).json()).toMatchObject({ doneCount: 4, rectified: true });
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(sql<number>`count(*)`.as('n'))
      .where('action', '=', 'ledger.measure.bulk')
      .executeTakeFirstOrThrow();
    expect(Number(audit.n)).toBe(4);
  });

  // --- extensions and the two overdue flags ---------------------------------------------------

  it('runs a deadline extension and judges lateness against both the original and the approved deadline', async () => {
    const p = await createProblem(unitA, ruA, { measures: [measureBody({ deadline: '2026-12-10' })] });
    const id = p.measures[0].id;
    const row = async () =>
      (await office.get(`${V1}/ledger?roundUnitId=${ruA}&limit=200`))
        .json()
        .items.find((r: { id: number }) => r.id === id);

    // 2026-11-27: due within 7 days? No (13 days away): green.
    expect(await row()).toMatchObject({
      overdue: false,
      overdueAgainstOriginal: false,
      overdueAgainstExtended: false,
      light: 'green',
    });
    t.clock.set(Date.UTC(2026, 11, 5, 1)); // 2026-12-05: within the 7-day reminder window
    expect(await row()).toMatchObject({ overdue: false, light: 'yellow' });
    t.clock.set(Date.UTC(2026, 11, 10, 15, 59)); // 23:59 on 12-10 in Shanghai: still due today
    expect(await row()).toMatchObject({ overdue: false, light: 'yellow' });
    t.clock.set(Date.UTC(2026, 11, 10, 16, 0)); // 00:00 on 12-11 in Shanghai: late
    expect(await row()).toMatchObject({
      overdue: true,
      overdueAgainstOriginal: true,
      overdueAgainstExtended: true,
      light: 'red',
    });
    const overdueIds = (await office.get(`${V1}/ledger?overdue=true&limit=200`))
      .json()
      .items.map((r: { id: number }) => r.id);
    expect(overdueIds).toContain(id);

    const before = await fingerprint();
    expectProblemDoc(
      await unitA.post(`${V1}/measures/${id}/extensions`, { requestedDeadline: '2026-12-10', reason: '需要更多时间' }),
      400,
      'EXTENSION_NOT_LATER',
    );
    expectProblemDoc(
      await office.post(`${V1}/measures/${id}/extensions`, { requestedDeadline: '2027-01-31', reason: 'x' }),
      403,
      'FORBIDDEN',
    );
    expect(await fingerprint()).toEqual(before);

    const req = await unitHeadA.post(`${V1}/measures/${id}/extensions`, {
      requestedDeadline: '2027-01-31',
      reason: '涉及跨部门协调，需延期',
    });
    expect(req.statusCode, req.body).toBe(201);
    const ext = req.json();
    expect(ext).toMatchObject({
      status: 'pending',
      previousDeadline: '2026-12-10',
      requestedDeadline: '2027-01-31',
      requestedBy: user.unitHeadA,
      requestedByName: 'heada',
    });
    expectProblemDoc(
      await unitA.post(`${V1}/measures/${id}/extensions`, { requestedDeadline: '2027-02-28', reason: '再延' }),
      409,
      'EXTENSION_PENDING',
    );
    expectProblemDoc(
      await unitA.post(`${V1}/extensions/${ext.id}/decide`, { approve: true, version: 1 }),
      403,
      'FORBIDDEN',
    );
    const queue = (await office.get(`${V1}/extensions?status=pending`)).json().items.map((e: { id: number }) => e.id);
    expect(queue).toContain(ext.id);
    expect((await unitB.get(`${V1}/extensions?status=pending`)).json().items).toEqual([]);
    expectProblemDoc(
      await office.post(`${V1}/extensions/${ext.id}/decide`, { approve: true, version: 2 }),
      409,
      'CONFLICT_STALE',
    );

    const decided = await office.post(`${V1}/extensions/${ext.id}/decide`, { approve: true, note: '同意', version: 1 });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'approved',
      decidedBy: user.office,
      decisionNote: '同意',
      version: 2,
    });
    const m = (await unitA.get(`${V1}/measures/${id}`)).json();
    expect(m).toMatchObject({
      deadline: '2026-12-10',
      extendedDeadline: '2027-01-31',
      effectiveDeadline: '2027-01-31',
    });
    expect(await row()).toMatchObject({
      overdue: false,
      overdueAgainstOriginal: true,
      overdueAgainstExtended: false,
      light: 'green',
    });
    expectProblemDoc(
      await office.post(`${V1}/extensions/${ext.id}/decide`, { approve: false, version: 2 }),
      409,
      'INVALID_TRANSITION',
    );

    // A second request, rejected: the extended deadline stays; the history keeps both.
    const second = (
      await unitA.post(`${V1}/measures/${id}/extensions`, { requestedDeadline: '2027-03-31', reason: '再延期' })
    ).json();
    expect(second.previousDeadline).toBe('2027-01-31');
    const rejected = await office.post(`${V1}/extensions/${second.id}/decide`, {
      approve: false,
      note: '不同意',
      version: 1,
    });
    expect(rejected.json().status).toBe('rejected');
    expect((await unitA.get(`${V1}/measures/${id}`)).json().effectiveDeadline).toBe('2027-01-31');
    const history = (await supervisor.get(`${V1}/measures/${id}/extensions`)).json().items;
    expect(history.map((e: { status: string }) => e.status)).toEqual(['approved', 'rejected']);

    t.clock.set(Date.UTC(2027, 1, 1, 1)); // 2027-02-01: late against both again
    expect(await row()).toMatchObject({ overdueAgainstOriginal: true, overdueAgainstExtended: true, light: 'red' });
    const done = await unitA.post(`${V1}/measures/${id}/status`, { to: 'completed', version: m.version });
    expect(done.json().completedOn).toBe('2027-02-01');
    expect(await row()).toMatchObject({
      overdue: false,
      overdueAgainstOriginal: false,
      overdueAgainstExtended: false,
      light: 'green',
    });
    expectProblemDoc(
      await unitA.post(`${V1}/measures/${id}/extensions`, { requestedDeadline: '2027-06-30', reason: '已完成' }),
      409,
      'EXTENSION_NOT_NEEDED',
    );
    t.clock.set(Date.UTC(2026, 10, 27, 1));
    const actions = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'in', ['ledger.extension.request', 'ledger.extension.decide', 'ledger.measure.extend'])
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'ledger.extension.request',
      'ledger.extension.decide',
      'ledger.measure.extend',
      'ledger.extension.request',
      'ledger.extension.decide',
    ]);
  });

  // --- 立行立改 --------------------------------------------------------------------------------

  it('runs 立行立改 propose → approve → fix → verify, with who and when at each step', async () => {
    const p = await createProblem(unitA, ruA, { measures: [] });
    let item = await office.post(`${V1}/round-units/${ruA}/immediate-items`, {
      content: '立即清退违规发放的津补贴',
      problemId: p.id,
    });
    expect(item.statusCode, item.body).toBe(201);
    let i = item.json();
    expect(i).toMatchObject({
      status: 'proposed',
      proposedBy: user.office,
      proposedAt: t.clock.now(),
      problemId: p.id,
    });
    expectProblemDoc(
      await unitA.post(`${V1}/immediate-items/${i.id}/approve`, { approve: true, version: 1 }),
      403,
      'FORBIDDEN',
    );
    t.clock.advance(3600_000);
    item = await leader.post(`${V1}/immediate-items/${i.id}/approve`, { approve: true, note: '同意', version: 1 });
    i = item.json();
    expect(i).toMatchObject({
      status: 'approved',
      approvedBy: user.leader,
      approvedAt: t.clock.now(),
      approvalNote: '同意',
    });
    expectProblemDoc(
      await unitB.post(`${V1}/immediate-items/${i.id}/fix`, { report: '已整改', version: 2 }),
      404,
      'NOT_FOUND',
    );
    t.clock.advance(3600_000);
    i = (await unitA.post(`${V1}/immediate-items/${i.id}/fix`, { report: '已全部清退', version: 2 })).json();
    expect(i).toMatchObject({ status: 'fixed', fixedBy: user.unitA, fixedAt: t.clock.now(), fixReport: '已全部清退' });
    i = (
      await office.post(`${V1}/immediate-items/${i.id}/verify`, { accept: false, note: '证据不足', version: 3 })
    ).json();
    expect(i).toMatchObject({ status: 'approved', verifiedBy: user.office, verifyNote: '证据不足' });
    i = (await unitA.post(`${V1}/immediate-items/${i.id}/fix`, { report: '补充凭证', version: 4 })).json();
    i = (await office.post(`${V1}/immediate-items/${i.id}/verify`, { accept: true, version: 5 })).json();
    expect(i).toMatchObject({ status: 'verified', version: 6 });
    const list = (await supervisor.get(`${V1}/round-units/${ruA}/immediate-items`)).json().items;
    expect(list.map((x: { id: number }) => x.id)).toContain(i.id);
    t.clock.set(Date.UTC(2026, 10, 27, 1));
    // A problem of another round-unit cannot be linked.
    const pb = await createProblem(unitB, ruB, { measures: [] });
    expectProblemDoc(
      await office.post(`${V1}/round-units/${ruA}/immediate-items`, { content: 'x', problemId: pb.id }),
      400,
      'INVALID_REFERENCE',
    );
  });

  it('allows every legal 立行立改 edge through its step and refuses every other with INVALID_TRANSITION', async () => {
    const created = (await office.post(`${V1}/round-units/${ruB}/immediate-items`, { content: '边界测试' })).json();
    const id = created.id;
    type Step = { agent: () => Agent; path: string; body: Record<string, unknown>; to: ImmediateItemStatus };
    const steps: Step[] = [
      { agent: () => leader, path: 'approve', body: { approve: true }, to: 'approved' },
      { agent: () => leader, path: 'approve', body: { approve: false }, to: 'rejected' },
      { agent: () => unitB, path: 'fix', body: { report: '已改' }, to: 'fixed' },
      { agent: () => office, path: 'verify', body: { accept: true }, to: 'verified' },
      { agent: () => office, path: 'verify', body: { accept: false }, to: 'approved' },
    ];
    const allowed: string[] = [];
    for (const from of IMMEDIATE_ITEM_STATUSES) {
      for (const step of steps) {
        await t.ctx.db.updateTable('immediateItems').set({ status: from }).where('id', '=', id).execute();
        const { version } = (await office.get(`${V1}/immediate-items/${id}`)).json();
        const before = await fingerprint();
        const res = await step.agent().post(`${V1}/immediate-items/${id}/${step.path}`, { ...step.body, version });
        if (res.statusCode === 200) {
          expect(res.json().status).toBe(step.to);
          allowed.push(`${from}→${step.to}`);
        } else {
          expectProblemDoc(res, 409, 'INVALID_TRANSITION');
          expect(res.json().detail).toContain(from);
          expect(await fingerprint()).toEqual(before);
        }
      }
    }
    const legal = IMMEDIATE_ITEM_STATUSES.flatMap((from) =>
      IMMEDIATE_ITEM_TRANSITIONS[from].map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(legal.sort());
  });

  // --- the ledger sheet: keyset paging --------------------------------------------------------

  it('pages the ledger by keyset for every sort: pages join up to exactly the filtered rows, once each', async () => {
    const statuses = ['not_started', 'in_progress', 'completed'];
    for (let i = 0; i < 12; i++) {
      const agent = i % 3 === 2 ? unitB : unitA;
      const ru = i % 3 === 2 ? ruB : i % 2 ? ruA2 : ruA;
      const p = await createProblem(agent, ru, {
        description: i % 4 === 0 ? `公车私用问题_${i}%` : `一般问题 ${i}`,
        categoryCode: i % 2 ? 'T_BUILD' : 'T_LEAD',
        measures: [0, 1, 2].map((k) =>
          measureBody({
            deadline: `2027-0${1 + ((i + k) % 3)}-${String(10 + ((i * 7 + k) % 18)).padStart(2, '0')}`,
            content: `措施 ${i}-${k}`,
          }),
        ),
      });
      for (const [k, m] of (p.measures as { id: number }[]).entries()) {
        const s = statuses[(i + k) % 3]!;
        if (s !== 'not_started') await agent.post(`${V1}/measures/${m.id}/status`, { to: s, version: 1 });
      }
    }
    const filters = [
      '',
      `roundUnitId=${ruA}`,
      'status=in_progress',
      `categoryCode=T_BUILD&termId=${termId}`,
      `q=${encodeURIComponent('公车私用问题_0%')}`,
      'type=deadline&overdue=false',
    ];
    for (const filter of filters) {
      const everything = await t.ctx.db.selectFrom('measures').select('id').execute();
      expect(everything.length).toBeGreaterThan(36);
      const full = (await office.get(`${V1}/ledger?${filter}&limit=200`)).json();
      expect(full.total).toBe(full.items.length);
      const expected = full.items as { id: number; effectiveDeadline: string; status: string; unitOrgId: number }[];
      for (const sort of ['id', 'deadline', 'status', 'unit'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const got: typeof expected = [];
          let after: string | null = null;
          let pages = 0;
          do {
            const url: string = `${V1}/ledger?${filter}&sort=${sort}&order=${order}&limit=9${after ? `&after=${after}` : ''}`;
            const res = await office.get(url);
            expect(res.statusCode, res.body).toBe(200);
            const page = res.json();
            expect(page.total).toBe(expected.length);
            got.push(...page.items);
            after = page.nextCursor;
            expect(++pages).toBeLessThan(100);
          } while (after);
          const ids = got.map((r) => r.id);
          expect(new Set(ids).size, `${filter} ${sort} ${order}`).toBe(ids.length);
          expect([...ids].sort((a, b) => a - b)).toEqual(expected.map((r) => r.id).sort((a, b) => a - b));
          const key = (r: (typeof expected)[number]) =>
            sort === 'id'
              ? r.id
              : sort === 'deadline'
                ? r.effectiveDeadline
                : sort === 'status'
                  ? r.status
                  : r.unitOrgId;
          const sorted = [...got].sort((a, b) => {
            const ka = key(a);
            const kb = key(b);
            const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
            return order === 'asc' ? c : -c;
          });
          expect(ids, `${filter} ${sort} ${order}`).toEqual(sorted.map((r) => r.id));
        }
      }
    }
    // The text search escapes LIKE wildcards: '%' matches only a literal percent sign.
    const pct = (await office.get(`${V1}/ledger?q=${encodeURIComponent('问题_0%')}`)).json();
    expect(pct.items.length).toBe(3);
    expect(pct.items.every((r: { problemDescription: string }) => r.problemDescription === '公车私用问题_0%')).toBe(
      true,
    );
    // Rows carry the problem's columns, the unit and the round.
    const one = (await office.get(`${V1}/ledger?roundUnitId=${ruB}&limit=1`)).json().items[0];
    expect(one).toMatchObject({
      unitName: '市人防办',
      roundName: '第1轮巡察',
      firstResponsible: '张三',
      sharedResponsibles: ['李四'],
    });
    // Several shared responsibles in the order given; none at all.
    const many = await createProblem(unitB, ruB, {
      number: '多名责任人',
      responsibles: [
        { name: '王五', post: null, duty: 'shared' },
        { name: '赵六', post: null, duty: 'first' },
        { name: '钱七', post: null, duty: 'shared' },
      ],
    });
    const nobody = await createProblem(unitB, ruB, { number: '无责任人', responsibles: [] });
    const rowOf = async (problemId: number) =>
      (await office.get(`${V1}/ledger?roundUnitId=${ruB}&limit=200`))
        .json()
        .items.find((r: { problemId: number }) => r.problemId === problemId);
    expect(await rowOf(many.id)).toMatchObject({ firstResponsible: '赵六', sharedResponsibles: ['王五', '钱七'] });
    expect(await rowOf(nobody.id)).toMatchObject({ firstResponsible: null, sharedResponsibles: [] });
    // A cursor is bound to its sort.
    const first = (await office.get(`${V1}/ledger?sort=status&limit=2`)).json();
    expectProblemDoc(
      await office.get(`${V1}/ledger?sort=deadline&limit=2&after=${first.nextCursor}`),
      400,
      'VALIDATION_FAILED',
    );
  });

  // --- campaigns and figures ------------------------------------------------------------------

  it('follows a campaign across units with its own figures, and answers the dashboard figures', async () => {
    expectProblemDoc(await unitA.post(`${V1}/campaigns`, { name: '人防系统专项整治' }), 403, 'FORBIDDEN');
    const c = await office.post(`${V1}/campaigns`, {
      name: '人防系统专项整治',
      categoryCode: 'T_BUILD',
      description: '一盘棋',
    });
    expect(c.statusCode, c.body).toBe(201);
    const campaign = c.json();
    const pa = await createProblem(unitA, ruA, {
      campaignId: campaign.id,
      measures: [
        measureBody({ fundsReturned: '100.10', rulesEstablished: 2 }),
        measureBody({ deadline: '2026-11-01' }),
      ],
    });
    const pb = await createProblem(unitB, ruB, {
      campaignId: campaign.id,
      measures: [measureBody({ lossesRecovered: '5' })],
    });
    await unitB.post(`${V1}/measures/${pb.measures[0].id}/status`, { to: 'completed', version: 1 });
    const got = (await leader.get(`${V1}/campaigns/${campaign.id}`)).json();
    expect(got.figures).toEqual({
      units: 2,
      problems: 2,
      rectifiedProblems: 1,
      measures: 3,
      doneMeasures: 1,
      closedMeasures: 0,
      rectificationRate: 33.3,
      closureRate: 0,
      problemRectificationRate: 50,
      rulesEstablished: 2,
      fundsReturned: '100.10',
      lossesRecovered: '5.00',
      peopleHeldAccountable: 0,
      casesFiled: 0,
      overdue: 1,
    });
    // A unit sees the campaign's figures over its own units only.
    expect((await unitB.get(`${V1}/campaigns/${campaign.id}`)).json().figures).toMatchObject({ units: 1, measures: 1 });
    const renamed = await office.patch(`${V1}/campaigns/${campaign.id}`, { version: 1, name: '人防系统一盘棋整治' });
    expect(renamed.json()).toMatchObject({ name: '人防系统一盘棋整治', version: 2 });
    expect((await unitA.get(`${V1}/campaigns`)).json().items.map((x: { id: number }) => x.id)).toContain(campaign.id);
    void pa;

    // The dashboard: summaries plus the overdue count, by filter, as exact as a recount.
    const fig = (await leader.get(`${V1}/dashboard/figures?termId=${termId}&roundId=${rounds[0]}`)).json();
    const r = await sql<Record<string, number | string>>`
      SELECT count(*) AS measures, coalesce(sum(is_done), 0) AS done,
        coalesce(sum(funds_returned_fen), 0) AS funds,
        coalesce(sum(CASE WHEN is_done = 0 AND effective_deadline < '2026-11-27' THEN 1 ELSE 0 END), 0) AS overdue
      FROM measures WHERE round_id = ${rounds[0]}`.execute(t.ctx.db);
    const want = r.rows[0]!;
    expect(fig.measures).toBe(Number(want.measures));
    expect(fig.doneMeasures).toBe(Number(want.done));
    expect(fig.overdue).toBe(Number(want.overdue));
    expect(fig.overdue).toBeGreaterThan(0);
    expect(fig.fundsReturned).toBe((Number(want.funds) / 100).toFixed(2));
    expect(fig.rectificationRate).toBe(Math.round((Number(want.done) * 1000) / Number(want.measures)) / 10);
    expect((await leader.get(`${V1}/dashboard/figures?categoryCode=NOPE`)).json()).toMatchObject({
      measures: 0,
      rectificationRate: null,
      overdue: 0,
    });

    const units = (await leader.get(`${V1}/dashboard/units?termId=${termId}`)).json().items as {
      unitOrgId: number;
      light: string;
      overdue: number;
      measures: number;
    }[];
    expect(units.map((u) => u.unitOrgId).sort()).toEqual([org.unitA, org.unitB, org.unitA1].sort());
    const a = units.find((u) => u.unitOrgId === org.unitA)!;
    expect(a.overdue).toBeGreaterThan(0);
    expect(a.light).toBe('red');
    expect(units.find((u) => u.unitOrgId === org.unitA1)).toMatchObject({ measures: 0, light: 'green' });
    const mine = (await unitB.get(`${V1}/dashboard/units`)).json().items;
    expect(mine.map((u: { unitOrgId: number }) => u.unitOrgId)).toEqual([org.unitB]);
  });
});
