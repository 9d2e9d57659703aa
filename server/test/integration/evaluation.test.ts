import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService } from '../../src/modules/calendar/calendar.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json().code, res.body).toBe(code);
}
function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

const ENTERED = ['organisation_leadership', 'rules_established', 'rectification_disclosure', 'public_satisfaction'];

describe.each(DIALECTS)('检查考核评价 on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  const ru: Record<string, number> = {};
  let roundId = 0;

  /** Everything an evaluation step may write, to prove a refused one wrote nothing. */
  async function snapshot(roundUnitId: number) {
    const db = t.ctx.db;
    const [r, ev, events, acc, audit, hist] = await Promise.all([
      db
        .selectFrom('roundUnits')
        .select(['status', 'cycle', 'deadline', 'version'])
        .where('id', '=', roundUnitId)
        .executeTakeFirstOrThrow(),
      db.selectFrom('evaluations').selectAll().where('roundUnitId', '=', roundUnitId).execute(),
      db.selectFrom('roundUnitEvents').select('id').where('roundUnitId', '=', roundUnitId).execute(),
      db.selectFrom('accountabilityRecords').select('id').where('roundUnitId', '=', roundUnitId).execute(),
      db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
      db.selectFrom('evaluationScoreHistory').select('id').execute(),
    ]);
    return JSON.stringify({ r, ev, events: events.length, acc: acc.length, audit: Number(audit.n), hist: hist.length });
  }

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    for (const [k, code, name] of [
      ['unitA', 'UA', '市财政局'],
      ['unitB', 'UB', '市人防办'],
      ['unitC', 'UC', '市水务局'],
      ['unitD', 'UD', '市档案馆'],
    ] as const)
      org[k] = await t.createOrg({ code, name });
    org.supA = await t.createOrg({
      code: 'SUPA',
      name: '第一监督检查室',
      type: 'supervisor',
      supervisorLine: 'discipline',
    });
    org.supB = await t.createOrg({
      code: 'SUPB',
      name: '市委组织部',
      type: 'supervisor',
      supervisorLine: 'organisation',
    });
    const link = (unitOrgId: number, supervisorOrgId: number) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories: null, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA!, org.supA!);
    await link(org.unitA!, org.supB!);
    await link(org.unitB!, org.supB!);
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['supa', 'supervisor', org.supA],
      ['supb', 'supervisor', org.supB],
      ['sys', 'sysadmin', t.rootOrgId],
    ] as const)
      await t.createUser({ username, role, orgId: orgId! });
    const now = t.clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId: Number(term.id),
        number: 1,
        name: '第一轮巡察',
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundId = Number(round.id);
    for (const [key, unitOrgId, status] of [
      ['A', org.unitA, 'period_ended'],
      ['B', org.unitB, 'period_ended'],
      ['C', org.unitC, 'rectifying'],
      ['D', org.unitD, 'period_ended'],
    ] as const) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId,
          termId: Number(term.id),
          unitOrgId: unitOrgId!,
          teamId: null,
          status,
          cycle: 1,
          feedbackDate: '2026-08-01',
          deadline: status === 'period_ended' ? '2026-11-01' : '2027-02-01',
          deadlineOverridden: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ru[key] = Number(r.id);
    }
    // A: measures in every state; B: one problem with open measures past their deadline; D: none.
    const measures: Record<
      string,
      [status: string, deadline: string, extended: string | null, completed: string | null][]
    > = {
      A: [
        ['closed', '2026-10-01', null, '2026-09-20'],
        ['closed', '2026-10-01', null, '2026-10-05'], // closed, but late
        ['completed', '2026-10-01', '2026-11-30', '2026-11-10'], // on time against the extension
        ['closure_requested', '2026-11-01', null, '2026-10-30'],
        ['in_progress', '2026-11-01', null, null], // overdue
        ['not_started', '2027-01-31', null, null], // not yet due
        ['completed', '2026-10-01', null, null], // done without a completion date
      ],
      B: [
        ['in_progress', '2026-10-01', null, null],
        ['not_started', '2026-10-15', null, null],
        ['completed', '2026-10-01', null, '2026-10-20'],
      ],
    };
    for (const [key, ms] of Object.entries(measures)) {
      const owner = {
        roundUnitId: ru[key]!,
        roundId,
        termId: Number(term.id),
        unitOrgId: key === 'A' ? org.unitA! : org.unitB!,
      };
      const p = await t.ctx.db
        .insertInto('problems')
        .values({
          ...owner,
          campaignId: null,
          seq: 1,
          number: '一、',
          categoryCode: 'party_leadership',
          description: '主体责任落实不到位',
          source: 'feedback',
          severity: 'high',
          responsibleLeader: '王五',
          responsibleDepartment: null,
          responsiblePerson: null,
          measureCount: ms.length,
          doneCount: ms.filter(([s]) => s !== 'in_progress' && s !== 'not_started').length,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let seq = 0;
      for (const [status, deadline, extended, completed] of ms) {
        await t.ctx.db
          .insertInto('measures')
          .values({
            ...owner,
            problemId: Number(p.id),
            categoryCode: 'party_leadership',
            seq: ++seq,
            content: `措施${seq}`,
            type: 'deadline',
            status,
            isDone: ['completed', 'closure_requested', 'closed'].includes(status) ? 1 : 0,
            deadline,
            extendedDeadline: extended,
            effectiveDeadline: extended ?? deadline,
            ownerName: null,
            ownerUserId: null,
            completedOn: completed,
            rulesEstablished: 0,
            fundsReturnedFen: 0,
            lossesRecoveredFen: 0,
            peopleHeldAccountable: 0,
            casesFiled: 0,
            lastProgressAt: null,
            ...stamps,
          })
          .execute();
      }
    }
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );
    for (const u of ['office', 'leader', 'unita', 'unitb', 'supa', 'supb', 'sys']) a[u] = await t.login(u);
  });
  afterAll(() => t.close());

  it('the ledger figures of the sheet equal a direct recount of the measures', async () => {
    for (const key of ['A', 'B']) {
      const d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru[key]}`));
      const rows = await t.ctx.db
        .selectFrom('measures')
        .select(['status', 'isDone', 'effectiveDeadline', 'completedOn'])
        .where('roundUnitId', '=', ru[key]!)
        .execute();
      const today = '2026-11-27';
      const done = rows.filter((m) => Number(m.isDone) === 1);
      const expected = {
        measures: rows.length,
        done: done.length,
        closed: rows.filter((m) => m.status === 'closed').length,
        onTime: done.filter((m) => m.completedOn !== null && m.completedOn <= m.effectiveDeadline).length,
        overdue: rows.filter((m) => Number(m.isDone) === 0 && m.effectiveDeadline < today).length,
      };
      expect(d.sheet.figures).toMatchObject(expected);
      expect(d.sheet.figures.closureRate).toBe(Math.round((expected.closed * 1000) / expected.measures) / 10);
      expect(d.sheet.figures.onTimeRate).toBe(Math.round((expected.onTime * 1000) / expected.measures) / 10);
      // 问题整改落实 (40) = 40 × (closed + onTime) ÷ (2 × measures), two decimals
      const ledger = d.sheet.indicators.find((i: any) => i.code === 'problems_rectified');
      expect(ledger.source).toBe('ledger');
      expect(ledger.score).toBe(
        Math.round((4000 * (expected.closed + expected.onTime)) / (2 * expected.measures)) / 100,
      );
      // 超期未整改 −2 per overdue measure, computed
      const overdue = d.sheet.deductions.find((x: any) => x.computed);
      expect(overdue).toMatchObject({ reasonCode: 'overdue', count: expected.overdue, points: -2 * expected.overdue });
    }
    // A: 7 measures, 2 closed, on time: #1, #3, #4 → 3; overdue: #5 → 1
    const d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(d.sheet.figures).toMatchObject({ measures: 7, done: 5, closed: 2, onTime: 3, overdue: 1 });
  });

  it('the check team records the special check; nothing before the period ends, nothing from others', async () => {
    const body = {
      kind: 'talk',
      checkedOn: '2026-11-25',
      checkers: '张组长、李组员',
      subjects: '党组书记、分管副局长',
      findings: '主体责任压得不实，个别问题整改停留在表面',
    };
    const c = expectOk(await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/checks`, body), 201);
    expect(c).toMatchObject({ kind: 'talk', checkedOn: '2026-11-25', checkers: '张组长、李组员', version: 1 });
    for (const kind of ['questionnaire', 'site_visit', 'reconciliation'])
      expectOk(await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/checks`, { ...body, kind }), 201);
    const d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(d.checks.map((x: any) => x.kind)).toEqual(['talk', 'questionnaire', 'site_visit', 'reconciliation']);

    const before = await snapshot(ru.C!);
    expectProblem(await a.office!.post(`${V1}/evaluation/round-units/${ru.C}/checks`, body), 409, 'EVALUATION_NOT_DUE');
    expect(await snapshot(ru.C!)).toBe(before);
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/checks`, { ...body, checkedOn: '2026-12-01' }),
      400,
      'EVALUATION_CHECK_DATE_INVALID',
    );
    expectProblem(await a.unita!.post(`${V1}/evaluation/round-units/${ru.A}/checks`, body), 403, 'FORBIDDEN');
    expectProblem(await a.supa!.post(`${V1}/evaluation/round-units/${ru.A}/checks`, body), 403, 'FORBIDDEN');

    const upd = expectOk(
      await a.office!.patch(`${V1}/evaluation/checks/${c.id}`, { version: 1, findings: '主体责任压得不实' }),
    );
    expect(upd).toMatchObject({ findings: '主体责任压得不实', version: 2 });
    expectProblem(
      await a.office!.patch(`${V1}/evaluation/checks/${c.id}`, { version: 1, findings: 'x' }),
      409,
      'CONFLICT_STALE',
    );
  });

  it('汇商会: each liaison supervisor gives its opinion; the missing ones are shown; others are refused', async () => {
    let d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(d.missingOpinions.map((m: any) => m.orgId).sort()).toEqual([org.supA, org.supB].sort());
    const o = expectOk(
      await a.supa!.put(`${V1}/evaluation/round-units/${ru.A}/opinion`, {
        version: 0,
        opinion: '整改总体推进，但财务问题整改不彻底',
        suggestedGrade: 'basically_satisfactory',
      }),
    );
    expect(o).toMatchObject({ supervisorOrgId: org.supA, version: 1, suggestedGrade: 'basically_satisfactory' });
    d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(d.missingOpinions).toEqual([{ orgId: org.supB, name: '市委组织部' }]);
    expectProblem(
      await a.supa!.put(`${V1}/evaluation/round-units/${ru.A}/opinion`, { version: 0, opinion: 'again' }),
      409,
      'CONFLICT_STALE',
    );
    expectOk(
      await a.supa!.put(`${V1}/evaluation/round-units/${ru.A}/opinion`, { version: 1, opinion: '修改后的意见' }),
    );
    expectOk(await a.supb!.put(`${V1}/evaluation/round-units/${ru.A}/opinion`, { version: 0, opinion: '同意' }));
    d = expectOk(await a.supa!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(d.missingOpinions).toEqual([]);
    expect(d.opinions.map((x: any) => x.opinion).sort()).toEqual(['修改后的意见', '同意'].sort());
    // Not liaised with B: B does not exist for supa.
    expectProblem(
      await a.supa!.put(`${V1}/evaluation/round-units/${ru.B}/opinion`, { version: 0, opinion: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.office!.put(`${V1}/evaluation/round-units/${ru.A}/opinion`, { version: 0, opinion: 'x' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await a.supb!.put(`${V1}/evaluation/round-units/${ru.B}/opinion`, {
        version: 0,
        opinion: 'x',
        suggestedGrade: 'nope',
      }),
      400,
      'INVALID_REFERENCE',
    );
    // The unit sees its own result, not the deliberation.
    const own = expectOk(await a.unita!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(own.opinions).toBeNull();
    expect(own.missingOpinions).toBeNull();
    expect(own.history).toBeNull();
    expect(own.checks).toHaveLength(4);
  });

  it('scores: entered ones logged with versions, computed ones refused, out of range refused, deductions', async () => {
    const url = (code: string) => `${V1}/evaluation/round-units/${ru.A}/scores/${code}`;
    expectProblem(
      await a.office!.put(url('problems_rectified'), { version: 0, score: 30 }),
      409,
      'EVALUATION_INDICATOR_COMPUTED',
    );
    expectProblem(
      await a.office!.put(url('organisation_leadership'), { version: 0, score: 20.5 }),
      400,
      'EVALUATION_SCORE_INVALID',
    );
    expectProblem(
      await a.office!.put(url('organisation_leadership'), { version: 0, score: 1.234 }),
      400,
      'EVALUATION_SCORE_INVALID',
    );
    expectProblem(await a.office!.put(url('no_such_indicator'), { version: 0, score: 1 }), 400, 'INVALID_REFERENCE');
    let sheet = expectOk(await a.office!.put(url('organisation_leadership'), { version: 0, score: 15 }));
    expect(sheet.indicators.find((i: any) => i.code === 'organisation_leadership')).toMatchObject({
      score: 15,
      version: 1,
    });
    expectProblem(
      await a.office!.put(url('organisation_leadership'), { version: 0, score: 16 }),
      409,
      'CONFLICT_STALE',
    );
    sheet = expectOk(
      await a.office!.put(url('organisation_leadership'), { version: 1, score: 18, note: '复核后调整' }),
    );
    // Two first entries of the same score at once: one is saved, the other is told it is stale.
    const both = await Promise.all([
      a.office!.put(url('rules_established'), { version: 0, score: 14 }),
      a.office!.put(url('rules_established'), { version: 0, score: 14 }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(
      await t.ctx.db
        .selectFrom('evaluationScores')
        .select('id')
        .where('indicatorCode', '=', 'rules_established')
        .execute(),
    ).toHaveLength(1);
    for (const [code, score] of [
      ['rectification_disclosure', 9],
      ['public_satisfaction', 13.5],
    ] as const)
      sheet = expectOk(await a.office!.put(url(code), { version: 0, score }));
    expectProblem(await a.unita!.put(url('rules_established'), { version: 1, score: 15 }), 403, 'FORBIDDEN');

    sheet = expectOk(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/deductions`, {
        reasonCode: 'not_taken_seriously',
        note: '未按时召开专题会',
      }),
      201,
    );
    const manual = sheet.deductions.find((x: any) => x.reasonCode === 'not_taken_seriously');
    expect(manual).toMatchObject({ points: -5, computed: false });
    const extra = expectOk(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/deductions`, { reasonCode: 'not_carried_through' }),
      201,
    );
    const removeId = extra.deductions.find((x: any) => x.reasonCode === 'not_carried_through').id;
    sheet = expectOk(await a.office!.delete(`${V1}/evaluation/deductions/${removeId}`));
    expect(sheet.deductions.some((x: any) => x.reasonCode === 'not_carried_through')).toBe(false);
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/deductions`, { reasonCode: 'nope' }),
      400,
      'INVALID_REFERENCE',
    );

    // total = 18 + ledger + 14 + 9 + 13.5 − 5 − 2×overdue(1)
    const ledger = sheet.indicators.find((i: any) => i.code === 'problems_rectified').score;
    expect(ledger).toBe(Math.round((4000 * (2 + 3)) / 14) / 100); // 14.29
    expect(sheet.total).toBe(Math.round((18 + ledger + 14 + 9 + 13.5 - 5 - 2) * 100) / 100);
    expect(sheet.missing).toEqual([]);
    expect(sheet.total).toBe(61.79);
    expect(sheet.gradeCode).toBe('basically_satisfactory');
  });

  it('each change is in the sheet history and the audit log', async () => {
    const d = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    const scoreChanges = d.history.filter((h: any) => h.action === 'score' && h.code === 'organisation_leadership');
    expect(scoreChanges.map((h: any) => [h.before, h.after])).toEqual([
      [15, 18],
      [null, 15],
    ]);
    expect(d.history.filter((h: any) => h.action === 'deduction_add')).toHaveLength(2);
    expect(d.history.filter((h: any) => h.action === 'deduction_remove')).toHaveLength(1);
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action'])
      .where('action', 'like', 'evaluation.%')
      .execute();
    const actions = audit.map((x) => x.action);
    expect(actions.filter((x) => x === 'evaluation.score')).toHaveLength(5);
    expect(actions).toContain('evaluation.deduction_create');
    expect(actions).toContain('evaluation.deduction_delete');
    expect(actions).toContain('evaluation.opinion_create');
    expect(actions).toContain('evaluation.check_create');
  });
  it('finalising needs every score, then fixes the grade and moves the round-unit to 已评价 with its history', async () => {
    // B has no entered scores yet
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.B}/finalise`, { version: 0 }),
      409,
      'EVALUATION_INCOMPLETE',
    );
    const d0 = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/finalise`, { version: d0.version - 1 }),
      409,
      'CONFLICT_STALE',
    );
    expectProblem(
      await a.unita!.post(`${V1}/evaluation/round-units/${ru.A}/finalise`, { version: d0.version }),
      403,
      'FORBIDDEN',
    );
    const d = expectOk(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.A}/finalise`, {
        version: d0.version,
        conclusion: '基本合格',
      }),
    );
    expect(d.evaluation).toMatchObject({
      status: 'finalised',
      total: 61.79,
      gradeCode: 'basically_satisfactory',
      accountabilityId: null,
    });
    expect(d.roundUnit).toMatchObject({ status: 'evaluated', cycle: 1 });
    expect(d.open).toBe(false);
    const events = await t.ctx.db
      .selectFrom('roundUnitEvents')
      .select(['fromStatus', 'toStatus', 'cycle'])
      .where('roundUnitId', '=', ru.A!)
      .execute();
    expect(events).toEqual([{ fromStatus: 'period_ended', toStatus: 'evaluated', cycle: 1 }]);
    expectProblem(
      await a.office!.put(`${V1}/evaluation/round-units/${ru.A}/scores/rules_established`, { version: 1, score: 15 }),
      409,
      'EVALUATION_FINALISED',
    );
    // A later change of the dictionaries does not rewrite a finalised sheet.
    await t.ctx.db
      .updateTable('dictionaries')
      .set({ extra: JSON.stringify({ minScore: 50 }) })
      .where('kind', '=', 'grade')
      .where('code', '=', 'satisfactory')
      .execute();
    const again = expectOk(await a.leader!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expect(again.sheet.gradeCode).toBe('basically_satisfactory');
    expect(again.sheet.grades.find((g: any) => g.code === 'satisfactory').minScore).toBe(75);
    await t.ctx.db
      .updateTable('dictionaries')
      .set({ extra: JSON.stringify({ minScore: 75 }) })
      .where('kind', '=', 'grade')
      .where('code', '=', 'satisfactory')
      .execute();
  });

  it('不合格 ⇒ an 约谈 and 重新整改 with its own deadline, in one transaction; a refused step writes nothing', async () => {
    for (const code of ENTERED)
      expectOk(await a.office!.put(`${V1}/evaluation/round-units/${ru.B}/scores/${code}`, { version: 0, score: 2 }));
    const d0 = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.B}`));
    expect(d0.sheet.gradeCode).toBe('unsatisfactory');
    const url = `${V1}/evaluation/round-units/${ru.B}/finalise`;
    const before = await snapshot(ru.B!);
    // No one to interview: refused, nothing written.
    expectProblem(await a.office!.post(url, { version: d0.version }), 400, 'EVALUATION_INTERVIEW_REQUIRED');
    expect(await snapshot(ru.B!)).toBe(before);
    // A deadline in the past: the rounds module refuses the 重新整改 after 已评价 and the 约谈 were written — all undone.
    const interview = { personName: '赵六', personPost: '党组书记' };
    const refused = await a.office!.post(url, { version: d0.version, interview, reRectifyDeadline: '2026-01-01' });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(await snapshot(ru.B!)).toBe(before);

    const d = expectOk(await a.office!.post(url, { version: d0.version, interview, reRectifyDeadline: '2027-03-31' }));
    expect(d.evaluation).toMatchObject({
      status: 'finalised',
      gradeCode: 'unsatisfactory',
      reRectifyDeadline: '2027-03-31',
    });
    expect(d.roundUnit).toMatchObject({ status: 're_rectifying', cycle: 2, deadline: '2027-03-31' });
    const acc = await t.ctx.db
      .selectFrom('accountabilityRecords')
      .selectAll()
      .where('roundUnitId', '=', ru.B!)
      .execute();
    expect(acc).toHaveLength(1);
    expect(acc[0]).toMatchObject({
      kind: 'interview',
      personName: '赵六',
      personPost: '党组书记',
      unitOrgId: org.unitB,
      decidedOn: '2026-11-27',
    });
    expect(Number(acc[0]!.id)).toBe(d.evaluation.accountabilityId);
    const events = await t.ctx.db
      .selectFrom('roundUnitEvents')
      .select(['fromStatus', 'toStatus', 'cycle', 'deadline'])
      .where('roundUnitId', '=', ru.B!)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { fromStatus: 'period_ended', toStatus: 'evaluated', cycle: 1, deadline: '2026-11-01' },
      { fromStatus: 'evaluated', toStatus: 're_rectifying', cycle: 2, deadline: '2027-03-31' },
    ]);
    // The 约谈 is readable through the meetings module, and the unit sees its own result.
    const rec = expectOk(await a.office!.get(`${V1}/accountability/${d.evaluation.accountabilityId}`));
    expect(rec.kind).toBe('interview');
    const own = expectOk(await a.unitb!.get(`${V1}/evaluation/round-units/${ru.B}`));
    expect(own.evaluation.gradeCode).toBe('unsatisfactory');
    expect(own.past).toEqual([
      expect.objectContaining({ cycle: 1, gradeCode: 'unsatisfactory', reRectifyDeadline: '2027-03-31' }),
    ]);
    // The new cycle is not open for scoring until its period ends again.
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.B}/checks`, {
        kind: 'talk',
        checkedOn: '2026-11-27',
        checkers: 'x',
        findings: 'y',
      }),
      409,
      'EVALUATION_NOT_DUE',
    );
  });

  it('不合格 without a deadline given: today + the rectification period on the working calendar; no problem ⇒ refused', async () => {
    // D has no problems: an 约谈 cannot be tied to one, so nothing is written.
    for (const code of ENTERED)
      expectOk(await a.office!.put(`${V1}/evaluation/round-units/${ru.D}/scores/${code}`, { version: 0, score: 0 }));
    const d0 = expectOk(await a.office!.get(`${V1}/evaluation/round-units/${ru.D}`));
    expect(d0.sheet.total).toBe(40); // 问题整改落实 full without measures
    const before = await snapshot(ru.D!);
    expectProblem(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.D}/finalise`, {
        version: d0.version,
        interview: { personName: '钱七' },
      }),
      409,
      'EVALUATION_NO_PROBLEM',
    );
    expect(await snapshot(ru.D!)).toBe(before);
    // Give D a problem, then the default deadline applies.
    const r = (await t.ctx.db
      .selectFrom('roundUnits')
      .selectAll()
      .where('id', '=', ru.D!)
      .executeTakeFirstOrThrow()) as any;
    const now = t.clock.now();
    await t.ctx.db
      .insertInto('problems')
      .values({
        roundUnitId: ru.D!,
        roundId,
        termId: Number(r.termId),
        unitOrgId: org.unitD!,
        campaignId: null,
        seq: 1,
        number: '一、',
        categoryCode: 'party_building',
        description: '档案管理不规范',
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
      .execute();
    const d = expectOk(
      await a.office!.post(`${V1}/evaluation/round-units/${ru.D}/finalise`, {
        version: d0.version,
        interview: { personName: '钱七' },
      }),
    );
    const expected = await CalendarService.deadline(t.ctx.db, '2026-11-27', 3);
    expect(d.roundUnit).toMatchObject({ status: 're_rectifying', cycle: 2, deadline: expected });
    expect(d.evaluation.reRectifyDeadline).toBe(expected);
  });

  it('scope: a supervisor reads only its liaised units, a unit only its own; 404 outside and for none', async () => {
    expectOk(await a.supa!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expectProblem(await a.supa!.get(`${V1}/evaluation/round-units/${ru.B}`), 404, 'NOT_FOUND');
    expectOk(await a.supb!.get(`${V1}/evaluation/round-units/${ru.B}`));
    expectProblem(await a.supb!.get(`${V1}/evaluation/round-units/${ru.C}`), 404, 'NOT_FOUND');
    expectOk(await a.unita!.get(`${V1}/evaluation/round-units/${ru.A}`));
    expectProblem(await a.unita!.get(`${V1}/evaluation/round-units/${ru.B}`), 404, 'NOT_FOUND');
    expectProblem(await a.unitb!.get(`${V1}/evaluation/round-units/${ru.A}`), 404, 'NOT_FOUND');
    expectProblem(await a.office!.get(`${V1}/evaluation/round-units/999999`), 404, 'NOT_FOUND');
    expectProblem(await a.sys!.get(`${V1}/evaluation/round-units/${ru.A}`), 403, 'FORBIDDEN');
    const ids = async (ag: Agent) =>
      expectOk(await ag.get(`${V1}/evaluation/round-units?roundId=${roundId}`))
        .items.map((x: any) => x.roundUnitId)
        .sort();
    expect(await ids(a.supa!)).toEqual([ru.A]);
    expect(await ids(a.supb!)).toEqual([ru.A, ru.B].sort());
    expect(await ids(a.unita!)).toEqual([ru.A]);
    expect(await ids(a.leader!)).toEqual([ru.A, ru.B, ru.C, ru.D].sort());
    const list = expectOk(
      await a.office!.get(`${V1}/evaluation/round-units?roundId=${roundId}&q=${encodeURIComponent('财政')}`),
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      roundUnitId: ru.A,
      status: 'evaluated',
      evaluationStatus: 'finalised',
      checks: 4,
      opinions: 2,
      liaisons: 2,
      total: 61.79,
      gradeCode: 'basically_satisfactory',
    });
    // Writes outside scope: a deduction of A is not there for a unit (403 by permission), nor a check.
    expectProblem(await a.unita!.delete(`${V1}/evaluation/deductions/1`), 403, 'FORBIDDEN');
  });

  it("exports: the year's grades and the 整改检查考核评价得分 table parse back to what the database holds", async () => {
    const res = await a.office!.get(`${V1}/evaluation/export/grades?year=2026`);
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((row, i) => {
      if (i > 1) rows.push((row.values as unknown[]).slice(1));
    });
    const db = await t.ctx.db
      .selectFrom('evaluations as e')
      .innerJoin('organisations as o', 'o.id', 'e.unitOrgId')
      .select(['o.name', 'e.cycle', 'e.totalCenti', 'e.gradeCode', 'e.reRectifyDeadline', 'e.accountabilityId'])
      .where('e.status', '=', 'finalised')
      .orderBy('e.id')
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r[1], r[4], r[5], r[6], r[10] || null, r[9] === '约谈'])).toEqual(
      db.map((e) => [
        e.name,
        Number(e.cycle),
        Number(e.totalCenti) / 100,
        e.gradeCode,
        e.reRectifyDeadline,
        e.accountabilityId !== null,
      ]),
    );
    expect(rows.find((r) => r[1] === '市财政局')![7]).toBe('基本合格');
    const none = await a.office!.get(`${V1}/evaluation/export/grades?year=2025`);
    const wb0 = new ExcelJS.Workbook();
    await wb0.xlsx.load(none.rawPayload as never);
    expect(wb0.worksheets[0]!.rowCount).toBe(1);
    expectProblem(await a.unita!.get(`${V1}/evaluation/export/grades?year=2026`), 403, 'FORBIDDEN');
    expectProblem(await a.office!.get(`${V1}/evaluation/export/grades?year=abc`), 400, 'VALIDATION_FAILED');

    const sr = await a.office!.get(`${V1}/evaluation/export/scores?roundId=${roundId}`);
    expect(sr.statusCode, sr.body).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(sr.rawPayload as never);
    const s2 = wb2.worksheets[0]!;
    const header = (s2.getRow(2).values as unknown[]).slice(1);
    expect(header[0]).toBe('被巡察单位');
    const body: Record<string, unknown[]> = {};
    s2.eachRow((row, i) => {
      if (i > 2) {
        const v = (row.values as unknown[]).slice(1);
        body[String(v[0])] = v;
      }
    });
    expect(Object.keys(body).sort()).toEqual(['市人防办', '市档案馆', '市水务局', '市财政局'].sort());
    const totalCol = header.indexOf('总分');
    const gradeCol = header.indexOf('等次');
    for (const e of await t.ctx.db
      .selectFrom('evaluations as e')
      .innerJoin('organisations as o', 'o.id', 'e.unitOrgId')
      .select(['o.name', 'e.totalCenti', 'e.sheet'])
      .where('e.status', '=', 'finalised')
      .execute()) {
      expect(body[e.name]![totalCol]).toBe(Number(e.totalCenti) / 100);
      const sheet = JSON.parse(e.sheet!);
      const orgLead = header.findIndex((h) => String(h).startsWith('整改组织领导'));
      expect(body[e.name]![orgLead]).toBe(
        sheet.indicators.find((i: any) => i.code === 'organisation_leadership').score,
      );
    }
    expect(body['市财政局']![gradeCol]).toBe('基本合格');
    expect(body['市财政局']![header.indexOf('扣分事由')]).toContain('整改不重视-5');
    expect(body['市水务局']![header.indexOf('状态')]).toBe('未评定');
    expectProblem(await a.office!.get(`${V1}/evaluation/export/scores?roundId=999999`), 404, 'NOT_FOUND');
  });
});
