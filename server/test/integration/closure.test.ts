import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const DAY = 86_400_000;
const SM3_SHARED = 'a1'.repeat(32);

type Res = { statusCode: number; body: string; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code, res.body).toBe(code);
}

function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

describe.each(DIALECTS)('对账销号 closure, re-checks and the stalled list on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  let termId: number;
  let roundId: number;
  let ruA: number;
  let ruB: number;
  let ruC: number;
  let startedAt: number;
  let sm3Counter = 0;

  /** A fresh 64-hex digest (distinct per call) unless one is given. */
  const nextSm3 = () => (++sm3Counter).toString(16).padStart(64, '0');

  beforeAll(async () => {
    // The tests move the manual clock by days and months: sessions must outlive that.
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600 * 3, sessionAbsoluteHours: 8_760 * 3 });
    startedAt = t.clock.now();
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.unitC = await t.createOrg({ code: 'UC', name: '市水务局' });
    org.sup = await t.createOrg({ code: 'SUP', name: '第一监督检查室', type: 'supervisor' });
    org.supLine = await t.createOrg({ code: 'PROP', name: '市委宣传部', type: 'supervisor' });
    org.supB = await t.createOrg({ code: 'SUPB', name: '第二监督检查室', type: 'supervisor' });
    const link = (unitOrgId: number, supervisorOrgId: number, categories: string | null) =>
      t.ctx.db.insertInto('liaisonLinks').values({ unitOrgId, supervisorOrgId, categories, createdAt: t.clock.now() });
    await link(org.unitA, org.sup, null).execute();
    await link(org.unitC, org.sup, null).execute();
    await link(org.unitA, org.supLine, 'T_BUILD').execute(); // 宣传部 follows unit A for one line only
    await link(org.unitB, org.supB, null).execute();
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['office2', 'office', org.office],
      ['office3', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['unita2', 'unit', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['unitc', 'unit', org.unitC],
      ['sup', 'supervisor', org.sup],
      ['sup2', 'supervisor', org.sup],
      ['supline', 'supervisor', org.supLine],
      ['supb', 'supervisor', org.supB],
      ['sys', 'sysadmin', t.rootOrgId],
    ] as const) {
      user[username] = await t.createUser({ username, role, orgId });
    }
    for (const code of ['T_LEAD', 'T_BUILD']) {
      await t.ctx.db
        .insertInto('dictionaries')
        .values({
          kind: 'problem_category',
          code,
          labelZhCn: code,
          labelZhTw: code,
          labelEn: code,
          sort: 0,
          active: 1,
          extra: null,
          version: 1,
          updatedAt: t.clock.now(),
        })
        .execute();
    }
    const now = t.clock.now();
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    termId = Number(term.id);
    const round = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId,
        number: 1,
        name: '第一轮巡察',
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
    roundId = Number(round.id);
    const rus: number[] = [];
    for (const unitOrgId of [org.unitA, org.unitB, org.unitC]) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId,
          termId,
          unitOrgId: unitOrgId!,
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
      rus.push(Number(r.id));
    }
    [ruA, ruB, ruC] = rus as [number, number, number];
    // Passwords must not expire while the clock is moved by months.
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );
    for (const username of Object.keys(user)) a[username] = await t.login(username);
  });
  afterAll(() => t.close());

  // --- helpers ------------------------------------------------------------------------------

  /** Row counts, version sums and the audit head: equal before and after means nothing was written. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM closures) AS closures,
        (SELECT coalesce(sum(version), 0) FROM closures) AS closure_versions,
        (SELECT count(*) FROM closure_verifications) AS verifications,
        (SELECT count(*) FROM rechecks) AS rechecks,
        (SELECT coalesce(sum(version), 0) FROM rechecks) AS recheck_versions,
        (SELECT count(*) FROM measure_evidence) AS evidence,
        (SELECT coalesce(sum(version), 0) FROM measures) AS measure_versions,
        (SELECT coalesce(sum(closed_count), 0) FROM ledger_summaries) AS closed,
        (SELECT coalesce(sum(done_count), 0) FROM ledger_summaries) AS done,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  async function auditActions(entity: string, entityId: number) {
    const rows = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName'])
      .where('entity', '=', entity)
      .where('entityId', '=', String(entityId))
      .orderBy('seq')
      .execute();
    return rows.map((r) => `${r.action}:${r.actorName}`);
  }

  /** A problem with one measure through the ledger API, by the unit; answers the measure. */
  async function newMeasure(
    agent: Agent,
    ru: number,
    over: { type?: string; categoryCode?: string; ownerUserId?: number; rulesEstablished?: number } = {},
  ) {
    const { categoryCode = 'T_LEAD', ...m } = over;
    const res = await agent.post(`${V1}/round-units/${ru}/problems`, {
      number: `一、（${++sm3Counter}）`,
      categoryCode,
      description: '落实全面从严治党主体责任不到位',
      source: 'feedback',
      severity: 'high',
      measures: [{ content: '建立健全三重一大决策制度', type: 'deadline', deadline: '2027-01-31', ...m }],
    });
    const p = expectOk(res, 201);
    return p.measures[0] as { id: number; version: number; problemId: number; status: string };
  }

  /** A measure of the round-unit, moved to 已完成 through the ledger API. */
  async function completedMeasure(agent: Agent, ru: number, over: Parameters<typeof newMeasure>[2] = {}) {
    const m = await newMeasure(agent, ru, over);
    const done = expectOk(await agent.post(`${V1}/measures/${m.id}/status`, { to: 'completed', version: m.version }));
    expect(done.status).toBe('completed');
    return done as { id: number; version: number; problemId: number; status: string };
  }

  /** An uploaded evidence file, straight into the table (the upload route is another feature's). */
  async function file(ru: number, unitOrgId: number, sm3 = nextSm3(), name = '整改报告.pdf') {
    const r = await t.ctx.db
      .insertInto('evidenceFiles')
      .values({
        sm3,
        size: 1024,
        kind: 'pdf',
        name,
        roundUnitId: ru,
        unitOrgId,
        uploadedBy: null,
        createdAt: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async function apply(agent: Agent, m: { id: number; version: number }, fileIds: number[]) {
    return expectOk(
      await agent.post(`${V1}/measures/${m.id}/closure`, {
        version: m.version,
        summary: '已制定《三重一大决策制度实施办法》并印发执行',
        fileIds,
      }),
      201,
    );
  }

  /** A pending application for a fresh completed measure of unit A. */
  async function pendingA(over: Parameters<typeof newMeasure>[2] = {}, applicant = a.unita!) {
    const m = await completedMeasure(a.unita!, ruA, over);
    return apply(applicant, m, [await file(ruA, org.unitA)]);
  }

  /** The office and the liaison supervisor verify; answers the closure as it then stands. */
  async function verifyAll(id: number) {
    expectOk(await a.office!.post(`${V1}/closures/${id}/verify`, { verdict: 'agree', note: '材料齐全' }));
    return expectOk(await a.sup!.post(`${V1}/closures/${id}/verify`, { verdict: 'agree' }));
  }

  async function figures() {
    return expectOk(await a.office!.get(`${V1}/dashboard/figures?roundId=${roundId}`));
  }

  async function closedCount() {
    const r = await t.ctx.db
      .selectFrom('ledgerSummaries')
      .select(sql<string>`coalesce(sum(closed_count), 0)`.as('n'))
      .where('roundId', '=', roundId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // --- the whole flow ---------------------------------------------------------------------------

  it('applies with a file, is verified by the office and the liaison supervisor, and is approved by another', async () => {
    const m = await completedMeasure(a.unita!, ruA);
    const fileId = await file(ruA, org.unitA);
    const closedBefore = await closedCount();
    const figuresBefore = await figures();

    const c = await apply(a.unita!, m, [fileId]);
    expect(c).toMatchObject({
      measureId: m.id,
      unitOrgId: org.unitA,
      unitName: '市财政局',
      status: 'pending',
      fileIds: [fileId],
      applicantId: user.unita,
      version: 1,
      measure: { id: m.id, status: 'closure_requested', version: m.version + 1 },
      problem: { id: m.problemId, categoryCode: 'T_LEAD' },
      files: [{ id: fileId, name: '整改报告.pdf', reused: false }],
      verifications: [],
      reusedEvidence: [],
    });
    // The office, and the supervisor whose line covers T_LEAD (宣传部 follows only T_BUILD here).
    expect(c.requiredVerifiers).toEqual([
      { kind: 'office', orgId: null, name: '市委巡察办', done: false, verdict: null },
      { kind: 'supervisor', orgId: org.sup, name: '第一监督检查室', done: false, verdict: null },
    ]);
    const evidence = await t.ctx.db
      .selectFrom('measureEvidence')
      .select(['fileId', 'source', 'sourceId', 'problemId'])
      .where('measureId', '=', m.id)
      .execute();
    expect(evidence.map((e) => [Number(e.fileId), e.source, Number(e.sourceId), Number(e.problemId)])).toEqual([
      [fileId, 'closure', c.id, m.problemId],
    ]);
    const measure = expectOk(await a.unita!.get(`${V1}/measures/${m.id}`));
    expect(measure.status).toBe('closure_requested');

    // The queue of pending applications shows it to the office and to the liaison supervisor.
    for (const who of [a.office!, a.sup!, a.leader!]) {
      const page = expectOk(await who.get(`${V1}/closures?status=pending&roundUnitId=${ruA}`));
      expect(page.items.map((x: { id: number }) => x.id)).toContain(c.id);
    }

    let v = expectOk(await a.office!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree', note: '材料齐全' }));
    expect(v.version).toBe(2);
    expect(v.requiredVerifiers.map((r: { done: boolean }) => r.done)).toEqual([true, false]);
    v = expectOk(await a.sup!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }));
    expect(v.version).toBe(3);
    expect(v.requiredVerifiers.map((r: { done: boolean; verdict: string }) => [r.done, r.verdict])).toEqual([
      [true, 'agree'],
      [true, 'agree'],
    ]);
    expect(v.verifications).toMatchObject([
      {
        verifierId: user.office,
        verifierRole: 'office',
        verifierOrgId: org.office,
        verdict: 'agree',
        note: '材料齐全',
      },
      { verifierId: user.sup, verifierRole: 'supervisor', verifierOrgName: '第一监督检查室', verdict: 'agree' },
    ]);

    const done = expectOk(await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 3, decision: 'approve' }));
    expect(done).toMatchObject({
      status: 'approved',
      decidedBy: user.office2,
      decidedByName: 'office2',
      decidedAt: t.clock.now(),
      measure: { status: 'closed' },
      rechecks: [], // a deadline measure without rules established is not re-checked
    });
    expect(expectOk(await a.unita!.get(`${V1}/measures/${m.id}`))).toMatchObject({ status: 'closed', isDone: true });
    expect(await closedCount()).toBe(closedBefore + 1);
    const figuresAfter = await figures();
    expect(figuresAfter.measures).toBe(figuresBefore.measures);
    expect(figuresAfter.doneMeasures).toBe(figuresBefore.doneMeasures); // completed and closed both count as done
    expect(figuresAfter.rectificationRate).toBe(figuresBefore.rectificationRate);

    const history = expectOk(await a.unita!.get(`${V1}/measures/${m.id}/closures`));
    expect(history.items.map((x: { id: number; status: string }) => [x.id, x.status])).toEqual([[c.id, 'approved']]);
    expect(expectOk(await a.office!.get(`${V1}/closures/${c.id}`))).toEqual(done);
    expect(await auditActions('closure', c.id)).toEqual([
      'closure.apply:unita',
      'closure.verify:office',
      'closure.verify:sup',
      'closure.approve:office2',
    ]);
  });

  it('keeps separation of duties: the applicant and the owner never verify or decide, whatever their role', async () => {
    // The office also holds closure.apply: an office user applies for a unit's measure.
    const m = await completedMeasure(a.unita!, ruA, { ownerUserId: user.office3 });
    const c = await apply(a.office!, m, [await file(ruA, org.unitA)]);
    expect(c.applicantId).toBe(user.office);
    const before = await fingerprint();
    expectProblem(
      await a.office!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      403,
      'CLOSURE_OWN_APPLICATION',
    );
    expectProblem(
      await a.office!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'approve' }),
      403,
      'CLOSURE_OWN_APPLICATION',
    );
    // The measure's owner (an office user) neither.
    expectProblem(
      await a.office3!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      403,
      'CLOSURE_OWN_APPLICATION',
    );
    expectProblem(
      await a.office3!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'reject', note: '不同意' }),
      403,
      'CLOSURE_OWN_APPLICATION',
    );
    expect(await fingerprint()).toEqual(before);
    // A second office user verifies and a third one decides.
    expectOk(await a.office2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }));
    const v = expectOk(await a.sup!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }));
    expectProblem(
      await a.office3!.post(`${V1}/closures/${c.id}/decide`, { version: v.version, decision: 'approve' }),
      403,
      'CLOSURE_OWN_APPLICATION',
    );
    const done = expectOk(
      await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: v.version, decision: 'approve' }),
    );
    expect(done).toMatchObject({ status: 'approved', decidedBy: user.office2, measure: { status: 'closed' } });
  });

  it('refuses approval until every required organisation has verified, once each', async () => {
    const c = await pendingA();
    expectOk(await a.office!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }));
    const before = await fingerprint();
    // One verification per organisation: the office has spoken, and so has no one else yet.
    expectProblem(
      await a.office2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      409,
      'CLOSURE_ALREADY_VERIFIED',
    );
    const missing = await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 2, decision: 'approve' });
    expectProblem(missing, 409, 'CLOSURE_VERIFICATION_MISSING');
    expect(missing.json().missing).toEqual(['第一监督检查室']);
    expect(missing.json().detail).toContain('第一监督检查室');
    expect(await fingerprint()).toEqual(before);

    const v = expectOk(await a.sup!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'disagree', note: '佐证不足' }));
    expectProblem(
      await a.sup2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      409,
      'CLOSURE_ALREADY_VERIFIED',
    );
    // The decision is made on what was read: a version from before the last verification is stale.
    const stale = await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 2, decision: 'approve' });
    expectProblem(stale, 409, 'CONFLICT_STALE');
    expect(stale.json().current).toMatchObject({ id: c.id, version: v.version });
    expect(await fingerprint()).toEqual({
      ...before,
      verifications: before.verifications! + 1,
      closureVersions: before.closureVersions! + 1,
      auditSeq: before.auditSeq! + 1,
    });
  });

  it('serialises concurrent writers of one application: one verification per organisation, one decision', async () => {
    const c = await pendingA();
    const office = await Promise.all([
      a.office!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      a.office2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      a.sup!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      a.sup2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
    ]);
    expect(office.map((r) => r.statusCode).sort()).toEqual([200, 200, 409, 409]);
    for (const r of office.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('CLOSURE_ALREADY_VERIFIED');
    const current = expectOk(await a.office3!.get(`${V1}/closures/${c.id}`));
    expect(current.verifications).toHaveLength(2);
    expect(current.version).toBe(3);
    const closedBefore = await closedCount();
    const decisions = await Promise.all([
      a.office3!.post(`${V1}/closures/${c.id}/decide`, { version: 3, decision: 'approve' }),
      a.leader!.get(`${V1}/closures/${c.id}`),
      a.office3!.post(`${V1}/closures/${c.id}/decide`, { version: 3, decision: 'reject', note: '退回' }),
    ]);
    expect([decisions[0]!.statusCode, decisions[2]!.statusCode].sort()).toEqual([200, 409]);
    expect(decisions[1]!.statusCode).toBe(200);
    const final = expectOk(await a.office!.get(`${V1}/closures/${c.id}`));
    expect(final.version).toBe(4);
    expect(final.measure.status).toBe(final.status === 'approved' ? 'closed' : 'in_progress');
    expect(await closedCount()).toBe(closedBefore + (final.status === 'approved' ? 1 : 0));
    const decided = (await auditActions('closure', c.id)).filter((x) => /approve|reject/.test(x));
    expect(decided).toHaveLength(1);
  });

  it('rejects back to 整改中 with the reason; the unit can complete and apply again', async () => {
    const c = await pendingA();
    const before = await fingerprint();
    expectProblem(
      await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'reject' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'reject', note: '   ' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await fingerprint()).toEqual(before);
    const doneBefore = (await figures()).doneMeasures;
    const r = expectOk(
      await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'reject', note: '制度未印发' }),
    );
    expect(r).toMatchObject({ status: 'rejected', decisionNote: '制度未印发', measure: { status: 'in_progress' } });
    const m = expectOk(await a.unita!.get(`${V1}/measures/${c.measureId}`));
    expect(m).toMatchObject({ status: 'in_progress', isDone: false, completedOn: null });
    expect((await figures()).doneMeasures).toBe(doneBefore - 1);
    expect(await auditActions('closure', c.id)).toEqual(['closure.apply:unita', 'closure.reject:office2']);
    // Rejected is final for the application; the measure goes round again.
    expectProblem(
      await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: 2, decision: 'approve' }),
      409,
      'INVALID_TRANSITION',
    );
    const again = expectOk(
      await a.unita!.post(`${V1}/measures/${m.id}/status`, { to: 'completed', version: m.version }),
    );
    const c2 = await apply(a.unita!, again, [await file(ruA, org.unitA)]);
    const history = expectOk(await a.office!.get(`${V1}/measures/${m.id}/closures`));
    expect(history.items.map((x: { id: number; status: string }) => [x.id, x.status])).toEqual([
      [c2.id, 'pending'],
      [c.id, 'rejected'],
    ]);
  });

  it('withdraws a pending application back to 已完成, only within the unit and at the current version', async () => {
    const c = await pendingA();
    const before = await fingerprint();
    expectProblem(await a.unitb!.post(`${V1}/closures/${c.id}/withdraw`, { version: 1 }), 404, 'NOT_FOUND');
    expectProblem(await a.unita!.post(`${V1}/closures/${c.id}/withdraw`, { version: 7 }), 409, 'CONFLICT_STALE');
    expectProblem(await a.unita!.post(`${V1}/closures/${c.id}/withdraw`, {}), 400, 'VALIDATION_FAILED');
    expect(await fingerprint()).toEqual(before);
    const w = expectOk(await a.unita2!.post(`${V1}/closures/${c.id}/withdraw`, { version: 1 }));
    expect(w).toMatchObject({ status: 'withdrawn', version: 2, measure: { status: 'completed' } });
    expect(expectOk(await a.unita!.get(`${V1}/measures/${c.measureId}`))).toMatchObject({
      status: 'completed',
      isDone: true,
    });
    expectProblem(await a.unita!.post(`${V1}/closures/${c.id}/withdraw`, { version: 2 }), 409, 'INVALID_TRANSITION');
    expectProblem(
      await a.office2!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }),
      409,
      'INVALID_TRANSITION',
    );
    expect(await auditActions('closure', c.id)).toEqual(['closure.apply:unita', 'closure.withdraw:unita2']);
  });

  it('reopens a closed measure with the source and reason, even after the round-unit was evaluated', async () => {
    const c = await pendingA();
    const v = await verifyAll(c.id);
    // 评价 may come before the decision: the decision and the reopening still go through.
    await t.ctx.db.updateTable('roundUnits').set({ status: 'evaluated' }).where('id', '=', ruA).execute();
    try {
      const done = expectOk(
        await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: v.version, decision: 'approve' }),
      );
      const m = expectOk(await a.office!.get(`${V1}/measures/${c.measureId}`));
      const closedBefore = await closedCount();
      const before = await fingerprint();
      for (const body of [
        { version: m.version, source: 'rumour', reason: 'x' },
        { version: m.version, source: 'complaint' },
        { version: m.version, source: 'complaint', reason: 'x', extra: 1 },
      ]) {
        expectProblem(await a.office!.post(`${V1}/measures/${m.id}/reopen`, body), 400, 'VALIDATION_FAILED');
      }
      expectProblem(
        await a.office!.post(`${V1}/measures/${m.id}/reopen`, {
          version: m.version - 1,
          source: 'complaint',
          reason: 'x',
        }),
        409,
        'CONFLICT_STALE',
      );
      // Reopening is the office's: neither the unit nor the supervisor.
      expectProblem(
        await a.unita!.post(`${V1}/measures/${m.id}/reopen`, { version: m.version, source: 'complaint', reason: 'x' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await a.sup!.post(`${V1}/measures/${m.id}/reopen`, { version: m.version, source: 'complaint', reason: 'x' }),
        403,
        'FORBIDDEN',
      );
      expect(await fingerprint()).toEqual(before);

      t.clock.advance(DAY);
      const r = expectOk(
        await a.office!.post(`${V1}/measures/${m.id}/reopen`, {
          version: m.version,
          source: 'lookback',
          reason: '回头看发现制度未执行',
        }),
      );
      expect(r.measure).toMatchObject({ id: m.id, status: 'in_progress', isDone: false, version: m.version + 1 });
      expect(r.closure).toMatchObject({
        id: done.id,
        status: 'reopened',
        reopenedBy: user.office,
        reopenedByName: 'office',
        reopenedAt: t.clock.now(),
        reopenSource: 'lookback',
        reopenReason: '回头看发现制度未执行',
      });
      expect(await closedCount()).toBe(closedBefore - 1);
      expect(await auditActions('measure', m.id)).toContain('closure.reopen:office');
      expectProblem(
        await a.office!.post(`${V1}/measures/${m.id}/reopen`, { version: m.version + 1, source: 'other', reason: 'x' }),
        409,
        'INVALID_TRANSITION',
      );
      // A new application waits for the round-unit to be open again.
      const again = expectOk(await a.office!.get(`${V1}/measures/${m.id}`));
      expectProblem(
        await a.unita!.post(`${V1}/measures/${m.id}/status`, { to: 'completed', version: again.version }),
        409,
        'ROUND_UNIT_CLOSED',
      );
    } finally {
      await t.ctx.db.updateTable('roundUnits').set({ status: 'rectifying' }).where('id', '=', ruA).execute();
      t.clock.set(startedAt);
    }
  });

  // --- re-checks --------------------------------------------------------------------------------

  it('brings 长期坚持 and 建章立制 measures back for re-checks at 6 and 12 months; a failed one reopens', async () => {
    // Closed on 2027-08-31 (Asia/Shanghai): 6 months on is the leap day, 12 months the month's end.
    t.clock.set(Date.UTC(2027, 7, 31, 2, 0, 0));
    try {
      const long = await pendingA({ type: 'long_term' });
      const rules = await pendingA({ rulesEstablished: 2 });
      const plain = await pendingA();
      const decided: Record<string, any> = {};
      for (const [k, c] of Object.entries({ long, rules, plain })) {
        const v = await verifyAll(c.id);
        decided[k] = expectOk(
          await a.office2!.post(`${V1}/closures/${c.id}/decide`, { version: v.version, decision: 'approve' }),
        );
      }
      for (const k of ['long', 'rules']) {
        expect(decided[k].rechecks.map((r: any) => [r.monthsAfter, r.dueDate, r.status, r.overdue])).toEqual([
          [6, '2028-02-29', 'pending', false],
          [12, '2028-08-31', 'pending', false],
        ]);
      }
      expect(decided.plain.rechecks).toEqual([]);

      // The queue: in scope for the office and the liaison supervisor, not for another unit or supervisor.
      const queue = expectOk(
        await a.sup!.get(`${V1}/rechecks?status=pending&dueBefore=2028-03-01&unitOrgId=${org.unitA}`),
      );
      const ids = queue.items.map((r: { id: number }) => r.id);
      expect(ids).toEqual(expect.arrayContaining([decided.long.rechecks[0].id, decided.rules.rechecks[0].id]));
      expect(ids).not.toContain(decided.long.rechecks[1].id);
      for (const who of [a.unitb!, a.supb!]) {
        expect(expectOk(await who.get(`${V1}/rechecks`)).items).toEqual([]);
      }
      // Paging by due date: limit 1 walks the same rows.
      const walked: number[] = [];
      let cursor: string | null = null;
      do {
        const page: any = expectOk(
          await a.office!.get(`${V1}/rechecks?status=pending&limit=1${cursor ? `&cursor=${cursor}` : ''}`),
        );
        walked.push(...page.items.map((r: { id: number }) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      const all = expectOk(await a.office!.get(`${V1}/rechecks?status=pending&limit=200`));
      expect(walked).toEqual(all.items.map((r: { id: number }) => r.id));
      expect(all.items.map((r: { dueDate: string }) => r.dueDate)).toEqual(
        [...all.items.map((r: { dueDate: string }) => r.dueDate)].sort(),
      );

      const first = decided.rules.rechecks[0];
      const before = await fingerprint();
      expectProblem(
        await a.supb!.post(`${V1}/rechecks/${first.id}`, { version: 1, result: 'passed' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await a.unita!.post(`${V1}/rechecks/${first.id}`, { version: 1, result: 'passed' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await a.sup!.post(`${V1}/rechecks/${first.id}`, { version: 1, result: 'failed' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await a.sup!.post(`${V1}/rechecks/${first.id}`, { version: 1, result: 'maybe' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await a.sup!.post(`${V1}/rechecks/${first.id}`, { version: 2, result: 'passed' }),
        409,
        'CONFLICT_STALE',
      );
      expect(await fingerprint()).toEqual(before);

      // Six months on, the supervisor passes the first re-check of the 建章立制 measure.
      t.clock.set(Date.UTC(2028, 2, 1, 2, 0, 0));
      const overdue = expectOk(await a.office!.get(`${V1}/rechecks?status=pending&unitOrgId=${org.unitA}&limit=200`));
      expect(overdue.items.find((r: { id: number }) => r.id === first.id).overdue).toBe(true);
      const passed = expectOk(
        await a.sup!.post(`${V1}/rechecks/${first.id}`, { version: 1, result: 'passed', note: '制度执行良好' }),
      );
      expect(passed).toMatchObject({
        status: 'passed',
        doneBy: user.sup,
        doneByName: 'sup',
        version: 2,
        overdue: false,
      });
      expectProblem(
        await a.sup!.post(`${V1}/rechecks/${first.id}`, { version: 2, result: 'passed' }),
        409,
        'RECHECK_NOT_PENDING',
      );
      expect(await auditActions('recheck', first.id)).toEqual(['recheck.record:sup']);

      // The long-term measure fails its re-check: back to 整改中, the closure reopened, the later re-check cancelled.
      const [six, twelve] = decided.long.rechecks;
      const closedBefore = await closedCount();
      const failed = expectOk(
        await a.office!.post(`${V1}/rechecks/${six.id}`, { version: 1, result: 'failed', note: '长效机制未坚持' }),
      );
      expect(failed).toMatchObject({ status: 'failed', resultNote: '长效机制未坚持', doneBy: user.office });
      const m = expectOk(await a.unita!.get(`${V1}/measures/${long.measureId}`));
      expect(m).toMatchObject({ status: 'in_progress', isDone: false });
      const c = expectOk(await a.office!.get(`${V1}/closures/${long.id}`));
      expect(c).toMatchObject({
        status: 'reopened',
        reopenSource: 'recheck',
        reopenReason: '长效机制未坚持',
        reopenedBy: user.office,
      });
      expect(c.rechecks.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([
        [six.id, 'failed'],
        [twelve.id, 'cancelled'],
      ]);
      expect(await closedCount()).toBe(closedBefore - 1);
      expectProblem(
        await a.office!.post(`${V1}/rechecks/${twelve.id}`, { version: 2, result: 'passed' }),
        409,
        'RECHECK_NOT_PENDING',
      );
      expect(await auditActions('recheck', six.id)).toEqual(['recheck.record:office']);
      expect(await auditActions('measure', long.measureId)).toContain('closure.reopen:office');
    } finally {
      t.clock.set(startedAt);
    }
  });

  // --- against false rectification ------------------------------------------------------------------

  it('flags evidence whose bytes were offered for another unit’s problem, in detail only where in scope', async () => {
    const mb = await completedMeasure(a.unitb!, ruB);
    const cb = await apply(a.unitb!, mb, [await file(ruB, org.unitB, SM3_SHARED, '制度文件.pdf')]);
    expect(cb.reusedEvidence).toEqual([]);
    const ma = await completedMeasure(a.unita!, ruA);
    const shared = await file(ruA, org.unitA, SM3_SHARED, '我局制度.pdf');
    const own = await file(ruA, org.unitA);
    const ca = await apply(a.unita!, ma, [shared, own]);

    const office = expectOk(await a.office!.get(`${V1}/closures/${ca.id}`));
    expect(office.files.map((f: { id: number; reused: boolean }) => [f.id, f.reused])).toEqual([
      [shared, true],
      [own, false],
    ]);
    expect(office.reusedEvidence).toEqual([
      {
        fileId: shared,
        name: '我局制度.pdf',
        sm3: SM3_SHARED,
        elsewhere: [
          {
            problemId: mb.problemId,
            problemNumber: expect.any(String),
            measureId: mb.id,
            unitOrgId: org.unitB,
            unitName: '市人防办',
            roundUnitId: ruB,
            source: 'closure',
            offeredAt: expect.any(Number),
          },
        ],
        hiddenCount: 0,
      },
    ]);
    // The liaison supervisor of unit A does not see unit B: only that there is another use.
    for (const who of [a.sup!, a.unita!]) {
      const view = expectOk(await who.get(`${V1}/closures/${ca.id}`));
      expect(view.reusedEvidence).toEqual([
        { fileId: shared, name: '我局制度.pdf', sm3: SM3_SHARED, elsewhere: [], hiddenCount: 1 },
      ]);
      expect(view.files[0].reused).toBe(true);
    }
    // And the flag works both ways: unit B's application now shows unit A's use to unit B's supervisor as a count.
    const viewB = expectOk(await a.supb!.get(`${V1}/closures/${cb.id}`));
    expect(viewB.reusedEvidence).toMatchObject([{ elsewhere: [], hiddenCount: 1 }]);
    const officeB = expectOk(await a.office!.get(`${V1}/closures/${cb.id}`));
    expect(officeB.reusedEvidence[0].elsewhere.map((e: { unitName: string }) => e.unitName)).toEqual(['市财政局']);
  });

  // --- scope and bad input --------------------------------------------------------------------------

  it('answers 404 outside the caller’s scope, for reads and writes alike', async () => {
    const c = await pendingA();
    const mB = await completedMeasure(a.unitb!, ruB);
    const before = await fingerprint();
    for (const who of [a.unitb!, a.supb!]) {
      expectProblem(await who.get(`${V1}/closures/${c.id}`), 404, 'NOT_FOUND');
      expectProblem(await who.get(`${V1}/measures/${c.measureId}/closures`), 404, 'NOT_FOUND');
      const list = expectOk(await who.get(`${V1}/closures?limit=200`));
      expect(list.items.map((x: { id: number }) => x.id)).not.toContain(c.id);
    }
    // 宣传部 follows unit A for T_BUILD only: this T_LEAD application is not its to see or verify.
    expectProblem(await a.supline!.get(`${V1}/closures/${c.id}`), 404, 'NOT_FOUND');
    expectProblem(await a.supline!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }), 404, 'NOT_FOUND');
    expectProblem(await a.supb!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }), 404, 'NOT_FOUND');
    expectProblem(await a.unitb!.post(`${V1}/closures/${c.id}/withdraw`, { version: 1 }), 404, 'NOT_FOUND');
    const fB = await file(ruB, org.unitB);
    expectProblem(
      await a.unita!.post(`${V1}/measures/${mB.id}/closure`, { version: mB.version, summary: 'x', fileIds: [fB] }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.unita!.post(`${V1}/measures/2147483647/closure`, { version: 1, summary: 'x', fileIds: [fB] }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await a.office!.get(`${V1}/closures/2147483647`), 404, 'NOT_FOUND');
    expectProblem(
      await a.office!.post(`${V1}/rechecks/2147483647`, { version: 1, result: 'passed' }),
      404,
      'NOT_FOUND',
    );
    expect(await fingerprint()).toEqual(before);

    // A T_BUILD application of unit A is 宣传部's to verify as well as the 监督检查室's.
    const cBuild = await pendingA({ categoryCode: 'T_BUILD' });
    expect(cBuild.requiredVerifiers.map((r: { name: string }) => r.name)).toEqual([
      '市委巡察办',
      '第一监督检查室',
      '市委宣传部',
    ]);
    expectOk(await a.supline!.post(`${V1}/closures/${cBuild.id}/verify`, { verdict: 'agree' }));
    const lineList = expectOk(await a.supline!.get(`${V1}/closures?unitOrgId=${org.unitA}&limit=200`));
    expect(lineList.items.map((x: { categoryCode: string }) => x.categoryCode)).toEqual(
      lineList.items.map(() => 'T_BUILD'),
    );
    expect(lineList.items.map((x: { id: number }) => x.id)).toContain(cBuild.id);
  });

  it('answers bad input to every write with a 4xx and a code, and changes nothing', async () => {
    const m = await completedMeasure(a.unita!, ruA);
    const open = await newMeasure(a.unita!, ruA);
    const fA = await file(ruA, org.unitA);
    const fB = await file(ruB, org.unitB);
    const c = await pendingA();
    const before = await fingerprint();
    const body = (over: Record<string, unknown>) => ({ version: m.version, summary: '已整改', fileIds: [fA], ...over });
    const cases: [string, unknown, number, string][] = [
      [`/measures/${m.id}/closure`, body({ fileIds: [] }), 400, 'CLOSURE_EVIDENCE_REQUIRED'],
      [`/measures/${m.id}/closure`, body({ fileIds: [fB] }), 400, 'FILE_NOT_IN_ROUND_UNIT'],
      [`/measures/${m.id}/closure`, body({ fileIds: [fA, 2147483647] }), 400, 'FILE_NOT_IN_ROUND_UNIT'],
      [`/measures/${m.id}/closure`, body({ summary: '   ' }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ summary: undefined }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ fileIds: [fA, fA] }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ fileIds: ['x'] }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ extra: true }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ summary: '长'.repeat(4001) }), 400, 'VALIDATION_FAILED'],
      [`/measures/${m.id}/closure`, body({ version: m.version - 1 }), 409, 'CONFLICT_STALE'],
      [`/measures/${open.id}/closure`, body({ version: open.version }), 409, 'CLOSURE_NOT_READY'],
      [`/measures/${c.measureId}/closure`, body({ version: c.measure.version }), 409, 'CLOSURE_NOT_READY'],
      [`/measures/abc/closure`, body({}), 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/verify`, { verdict: 'maybe' }, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/verify`, { verdict: 'disagree' }, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/verify`, {}, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/decide`, { decision: 'approve' }, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/decide`, { version: 1, decision: 'close' }, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/decide`, { version: 0, decision: 'approve' }, 400, 'VALIDATION_FAILED'],
      [`/closures/${c.id}/decide`, { version: 2, decision: 'reject', note: '不同意' }, 409, 'CONFLICT_STALE'],
      [`/closures/${c.id}/withdraw`, { version: 'x' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, payload, status, code] of cases) {
      // The office holds every closure permission; the unit's own tries go through the unit.
      const who = url.includes('/closure') && url.startsWith('/measures') ? a.unita! : a.office2!;
      const res = await who.post(`${V1}${url}`, payload);
      expectProblem(res, status, code);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const url of [
      '/closures?status=open',
      '/closures?limit=0',
      '/closures?cursor=abc',
      '/rechecks?dueBefore=2028-1-1',
      '/rechecks?cursor=x',
      '/measures/stalled?cursor=1-2',
      '/measures/stalled?limit=201',
    ]) {
      expectProblem(await a.office!.get(`${V1}${url}`), 400, 'VALIDATION_FAILED');
    }
    // Who may call what: a unit does not verify or decide, a supervisor does not apply.
    expectProblem(await a.unita!.post(`${V1}/closures/${c.id}/verify`, { verdict: 'agree' }), 403, 'FORBIDDEN');
    expectProblem(
      await a.unita!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'approve' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await a.sup!.post(`${V1}/closures/${c.id}/decide`, { version: 1, decision: 'approve' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await a.sup!.post(`${V1}/measures/${m.id}/closure`, body({})), 403, 'FORBIDDEN');
    expect(await fingerprint()).toEqual(before);
  });

  // --- the stalled list -----------------------------------------------------------------------------

  it('lists open measures without progress for the configured days, oldest first, within scope', async () => {
    try {
      const first = await newMeasure(a.unitc!, ruC);
      t.clock.advance(2 * DAY);
      const second = await newMeasure(a.unitc!, ruC, { categoryCode: 'T_BUILD' });
      const done = await completedMeasure(a.unitc!, ruC);
      const url = `${V1}/measures/stalled?unitOrgId=${org.unitC}`;
      let page = expectOk(await a.office!.get(url));
      expect(page).toEqual({ stalledDays: 30, items: [], nextCursor: null });

      // The system administrator shortens the window to 10 days.
      const settings = expectOk(await a.sys!.get(`${V1}/settings/system`));
      const current = settings.items.find((s: { key: string }) => s.key === 'system.rectification');
      const put = await a.sys!.put(`${V1}/settings/system/system.rectification`, {
        value: { ...current.value, stalledDays: 10 },
        version: current.version,
      });
      expect(put.statusCode, put.body).toBe(200);

      t.clock.advance(9 * DAY); // first: 11 days without progress, second: 9
      page = expectOk(await a.office!.get(url));
      expect(page.stalledDays).toBe(10);
      expect(
        page.items.map((x: { measureId: number; daysWithoutProgress: number }) => [x.measureId, x.daysWithoutProgress]),
      ).toEqual([[first.id, 11]]);
      expect(page.items[0]).toMatchObject({
        unitName: '市水务局',
        problemNumber: expect.any(String),
        roundId,
        termId,
        status: 'not_started',
        lastProgressAt: startedAt,
      });

      t.clock.advance(2 * DAY);
      page = expectOk(await a.office!.get(`${url}&roundId=${roundId}&termId=${termId}`));
      expect(page.items.map((x: { measureId: number }) => x.measureId)).toEqual([first.id, second.id]);
      expect(page.items.map((x: { measureId: number }) => x.measureId)).not.toContain(done.id);
      // Keyset paging on (time without progress, id).
      const p1 = expectOk(await a.office!.get(`${url}&limit=1`));
      expect(p1.items.map((x: { measureId: number }) => x.measureId)).toEqual([first.id]);
      const p2 = expectOk(await a.office!.get(`${url}&limit=1&cursor=${p1.nextCursor}`));
      expect(p2.items.map((x: { measureId: number }) => x.measureId)).toEqual([second.id]);
      const p3 = expectOk(await a.office!.get(`${url}&limit=1&cursor=${p2.nextCursor}`));
      expect(p3).toMatchObject({ items: [], nextCursor: null });

      // Scope: the unit and its supervisor see it, another unit and another supervisor do not.
      expect(expectOk(await a.unitc!.get(url)).items).toHaveLength(2);
      expect(expectOk(await a.sup!.get(url)).items).toHaveLength(2);
      for (const who of [a.unitb!, a.supb!, a.supline!]) expect(expectOk(await who.get(url)).items).toEqual([]);
      expect(expectOk(await a.office!.get(`${url}&roundId=2147483647`)).items).toEqual([]);

      // Progress takes a measure off the list.
      expectOk(await a.unitc!.post(`${V1}/measures/${first.id}/status`, { to: 'in_progress', version: first.version }));
      page = expectOk(await a.office!.get(url));
      expect(page.items.map((x: { measureId: number }) => x.measureId)).toEqual([second.id]);
      // The static path is not taken for a measure id.
      expect(expectOk(await a.office!.get(`${V1}/measures/${second.id}`)).id).toBe(second.id);
    } finally {
      t.clock.set(startedAt);
    }
  });
});
