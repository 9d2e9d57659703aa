import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each(DIALECTS)('accountability and the leading cadre record on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  const prob: Record<string, number> = {};
  let round2Id: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市供销社' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.supA = await t.createOrg({ code: 'SUPA', name: '第一监督检查室', type: 'supervisor' });
    org.supB = await t.createOrg({ code: 'SUPB', name: '第二监督检查室', type: 'supervisor' });
    org.prop = await t.createOrg({
      code: 'PROP',
      name: '市委宣传部',
      type: 'supervisor',
      supervisorLine: 'propaganda',
    });
    org.orgDept = await t.createOrg({
      code: 'ZZB',
      name: '市委组织部',
      type: 'supervisor',
      supervisorLine: 'organisation',
    });
    org.disc = await t.createOrg({ code: 'DISC', name: '党风政风室', type: 'discipline_office' });
    const link = (unitOrgId: number, supervisorOrgId: number, categories: string | null) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA!, org.supA!, null);
    await link(org.unitB!, org.supB!, null);
    await link(org.unitA!, org.prop!, 'ideology'); // 宣传部 follows unit A for 意识形态 only
    await link(org.unitA!, org.orgDept!, null);
    await link(org.unitB!, org.orgDept!, null);
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['supa', 'supervisor', org.supA],
      ['supb', 'supervisor', org.supB],
      ['prop', 'supervisor', org.prop],
      ['zzb', 'supervisor', org.orgDept],
      ['disc', 'discipline', org.disc],
      ['sys', 'sysadmin', t.rootOrgId],
    ] as const) {
      await t.createUser({ username, role, orgId: orgId! });
    }
    const now = t.clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow();
    const termId = Number(term.id);
    const rounds: number[] = [];
    for (const n of [9, 10]) {
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
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      rounds.push(Number(r.id));
    }
    round2Id = rounds[1]!;
    const roundUnit = async (roundId: number, unitOrgId: number) =>
      Number(
        (
          await t.ctx.db
            .insertInto('roundUnits')
            .values({
              roundId,
              termId,
              unitOrgId,
              teamId: null,
              status: 'rectifying',
              cycle: 1,
              feedbackDate: '2026-11-01',
              deadline: '2027-02-01',
              deadlineOverridden: 0,
              ...stamps,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const problem = async (
      roundUnitId: number,
      roundId: number,
      unitOrgId: number,
      seq: number,
      o: { category?: string; leader?: string | null; measures: number; done: number },
    ) =>
      Number(
        (
          await t.ctx.db
            .insertInto('problems')
            .values({
              roundUnitId,
              roundId,
              termId,
              unitOrgId,
              campaignId: null,
              seq,
              number: `（${seq}）`,
              categoryCode: o.category ?? 'party_leadership',
              description: `问题${seq}`,
              source: 'feedback',
              severity: 'high',
              responsibleLeader: o.leader ?? null,
              responsibleDepartment: null,
              responsiblePerson: null,
              measureCount: o.measures,
              doneCount: o.done,
              ...stamps,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const ruA9 = await roundUnit(rounds[0]!, org.unitA!);
    const ruA10 = await roundUnit(rounds[1]!, org.unitA!);
    const ruB10 = await roundUnit(rounds[1]!, org.unitB!);
    prob.a9 = await problem(ruA9, rounds[0]!, org.unitA!, 1, { leader: '张三', measures: 2, done: 2 });
    prob.a10 = await problem(ruA10, rounds[1]!, org.unitA!, 1, { leader: null, measures: 3, done: 1 });
    prob.a10ideology = await problem(ruA10, rounds[1]!, org.unitA!, 2, { category: 'ideology', measures: 1, done: 0 });
    prob.b10 = await problem(ruB10, rounds[1]!, org.unitB!, 1, { leader: '张三', measures: 1, done: 1 });
    await t.ctx.db
      .insertInto('problemResponsibles')
      .values([
        { problemId: prob.a10, name: '张三', post: '党组书记', duty: 'first', userId: null },
        { problemId: prob.a10, name: '李四', post: '副主任', duty: 'shared', userId: null },
      ])
      .execute();
    await t.ctx.db
      .insertInto('talkReports')
      .values({
        roundUnitId: ruA10,
        sentToOrgId: org.orgDept!,
        summary: '个别谈话情况报告',
        sentAt: now,
        receivedAt: null,
        version: 1,
        createdAt: now,
      })
      .execute();
    for (const u of ['office', 'leader', 'unita', 'supa', 'supb', 'prop', 'zzb', 'disc', 'sys'])
      a[u] = await t.login(u);
  });
  afterAll(() => t.close());

  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM accountability_records) AS records,
        (SELECT coalesce(sum(version), 0) FROM accountability_records) AS versions,
        (SELECT coalesce(sum(people_held_accountable + cases_filed), 0) FROM measures) AS measure_figures,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  async function auditActions(entityId: number) {
    const rows = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName'])
      .where('entity', '=', 'accountability_record')
      .where('entityId', '=', String(entityId))
      .orderBy('seq')
      .execute();
    return rows.map((r) => `${r.action}:${r.actorName}`);
  }

  const rec: Record<string, { id: number; version: number }> = {};

  it('records 警示约谈, 约谈 and 立案 tied to a problem, a person and the deciding body, each audited', async () => {
    rec.warning = expectOk(
      await a.office!.post(`${V1}/problems/${prob.a10}/accountability`, {
        kind: 'warning_interview',
        personName: ' 张三 ',
        personPost: '党组书记',
        reason: '整改超规定时限，日常工作代替整改，以整改计划代替工作落实、挂账整改事项多',
        decidingOrgId: t.rootOrgId,
        decidedOn: '2026-11-20',
        negativeList: true,
        negativeListNote: '整改中表现出的突出问题',
      }),
      201,
    );
    expect(rec.warning).toMatchObject({
      kind: 'warning_interview',
      problemId: prob.a10,
      unitOrgId: org.unitA,
      unitName: '市供销社',
      roundName: '第10轮巡察',
      personName: '张三',
      personUnitOrgId: org.unitA,
      personUnitName: '市供销社',
      decidingOrgId: t.rootOrgId,
      decidingOrgName: '中共市委',
      negativeList: true,
      version: 1,
    });
    // A supervisor names nobody else: the deciding body is its own organisation.
    rec.interview = expectOk(
      await a.supa!.post(`${V1}/problems/${prob.a9}/accountability`, {
        kind: 'interview',
        personName: '张三',
        personPost: '主任',
        reason: '整改不力',
        decidedOn: '2026-11-21',
      }),
      201,
    );
    expect(rec.interview).toMatchObject({
      decidingOrgId: org.supA,
      decidingOrgName: '第一监督检查室',
      negativeList: false,
    });
    // The office records a case filed by the discipline commission's office.
    rec.case = expectOk(
      await a.office!.post(`${V1}/problems/${prob.b10}/accountability`, {
        kind: 'case_filed',
        personName: '赵六',
        reason: '违规减免易地建设费',
        decidingOrgId: org.disc,
        decidedOn: '2026-11-22',
        outcome: '立案审查调查',
      }),
      201,
    );
    for (const r of Object.values(rec)) expect(await auditActions(r.id)).toHaveLength(1);
    expect(await auditActions(rec.warning.id)).toEqual(['accountability.create:office']);
    // The ledger's measures are never written by accountability.
    expect((await fingerprint()).measureFigures).toBe(0);
  });

  it('edits the outcome with the version read; a stale version answers 409 and changes nothing', async () => {
    const edited = expectOk(
      await a.office!.patch(`${V1}/accountability/${rec.warning!.id}`, { version: 1, outcome: '已作出书面检查' }),
    );
    expect(edited).toMatchObject({ outcome: '已作出书面检查', version: 2 });
    const before = await fingerprint();
    const res = await a.office!.patch(`${V1}/accountability/${rec.warning!.id}`, { version: 1, outcome: '旧' });
    expectProblem(res, 409, 'CONFLICT_STALE');
    expect(res.json().current).toMatchObject({ version: 2, outcome: '已作出书面检查' });
    expect(await fingerprint()).toEqual(before);
    expect(await auditActions(rec.warning!.id)).toEqual([
      'accountability.create:office',
      'accountability.update:office',
    ]);
    // Only the deciding body (or one below it) and the office amend a decision: 组织部 reads the
    // case filed by the 党风政风室 but does not change it.
    expectProblem(
      await a.zzb!.patch(`${V1}/accountability/${rec.case!.id}`, { version: 1, outcome: '改' }),
      403,
      'ACCOUNTABILITY_DECIDING_BODY',
    );
    expect(await fingerprint()).toEqual(before);
    const bySup = expectOk(
      await a.supa!.patch(`${V1}/accountability/${rec.interview!.id}`, { version: 1, outcome: '已约谈' }),
    );
    expect(bySup).toMatchObject({ outcome: '已约谈', version: 2 });
    rec.interview = bySup;
    rec.warning = edited;
  });

  it('lets each role read only its scope: 404 outside it, exactly as a missing record', async () => {
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    const sees: Record<string, string[]> = {
      office: ['warning', 'interview', 'case'],
      leader: ['warning', 'interview', 'case'],
      supa: ['warning', 'interview'], // liaises with A
      supb: ['case'], // liaises with B
      zzb: ['warning', 'interview', 'case'], // the organisation department liaises with both
      prop: [], // A for 意识形态 only: these problems are of another line
      disc: ['case'], // decided by it
      unita: ['warning', 'interview'], // a unit reads the records of its own people
    };
    for (const [who, visible] of Object.entries(sees)) {
      const missing = await a[who]!.get(`${V1}/accountability/2147483647`);
      expectProblem(missing, 404, 'NOT_FOUND');
      for (const [name, r] of Object.entries(rec)) {
        const res = await a[who]!.get(`${V1}/accountability/${r.id}`);
        if (visible.includes(name)) expect(res.statusCode, `${who} ${name}`).toBe(200);
        else {
          expectProblem(res, 404, 'NOT_FOUND');
          expect(strip(res.json())).toEqual(strip(missing.json()));
        }
      }
      const list = expectOk(await a[who]!.get(`${V1}/accountability`));
      expect(list.items.map((x: { id: number }) => x.id).sort()).toEqual(visible.map((n) => rec[n]!.id).sort());
    }
    // Per problem: 404 for a problem outside the ledger scope.
    expectProblem(await a.supb!.get(`${V1}/problems/${prob.a10}/accountability`), 404, 'NOT_FOUND');
    expectProblem(await a.disc!.get(`${V1}/problems/${prob.b10}/accountability`), 404, 'NOT_FOUND');
    expect(expectOk(await a.supa!.get(`${V1}/problems/${prob.a10}/accountability`)).items).toHaveLength(1);
    // The administrators hold no accountability.read; a unit writes none.
    expectProblem(await a.sys!.get(`${V1}/accountability`), 403, 'FORBIDDEN');
    // Writes outside the scope are 404 and change nothing.
    const before = await fingerprint();
    expectProblem(
      await a.supb!.post(`${V1}/problems/${prob.a10}/accountability`, {
        kind: 'interview',
        personName: '张三',
        reason: 'x',
        decidedOn: '2026-11-20',
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.supb!.patch(`${V1}/accountability/${rec.warning!.id}`, { version: 2, outcome: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.prop!.post(`${V1}/problems/${prob.a10}/accountability`, {
        kind: 'interview',
        personName: '张三',
        reason: 'x',
        decidedOn: '2026-11-20',
      }),
      404,
      'NOT_FOUND',
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('pages by keyset and counts exactly, separately from the measures’ figures', async () => {
    const first = expectOk(await a.office!.get(`${V1}/accountability?limit=2`));
    expect(first.items).toHaveLength(2);
    const second = expectOk(await a.office!.get(`${V1}/accountability?limit=2&cursor=${first.nextCursor}`));
    expect(second.items).toHaveLength(1);
    expect([...first.items, ...second.items].map((x: { id: number }) => x.id)).toEqual([
      rec.case!.id,
      rec.interview!.id,
      rec.warning!.id,
    ]);
    expect(
      expectOk(await a.office!.get(`${V1}/accountability?kind=case_filed`)).items.map((x: { id: number }) => x.id),
    ).toEqual([rec.case!.id]);
    expect(
      expectOk(await a.office!.get(`${V1}/accountability?negativeList=true`)).items.map((x: { id: number }) => x.id),
    ).toEqual([rec.warning!.id]);
    const all = expectOk(await a.office!.get(`${V1}/accountability/figures`));
    expect(all).toEqual({
      records: 3,
      byKind: {
        interview: 1,
        warning_interview: 1,
        reminder_talk: 0,
        circulated_criticism: 0,
        accountability: 0,
        case_filed: 1,
      },
      people: 2,
      peopleHeldAccountable: 0,
      casesFiled: 1,
      negativeList: 1,
    });
    expect(expectOk(await a.office!.get(`${V1}/accountability/figures?roundId=${round2Id}`))).toMatchObject({
      records: 2,
      people: 2,
    });
    expect(expectOk(await a.supa!.get(`${V1}/accountability/figures`))).toMatchObject({
      records: 2,
      people: 1,
      casesFiled: 0,
    });
    expect(expectOk(await a.prop!.get(`${V1}/accountability/figures`))).toMatchObject({ records: 0, people: 0 });
  });

  it("gives the organisation department a leading cadre's record across rounds", async () => {
    const r = expectOk(
      await a.zzb!.get(`${V1}/cadres/record?name=${encodeURIComponent('张三')}&unitOrgId=${org.unitA}`),
    );
    expect(r.person).toEqual({
      name: '张三',
      unitOrgId: org.unitA,
      unitName: '市供销社',
      posts: expect.arrayContaining(['党组书记', '主任']),
    });
    expect(r.accountability.map((x: { id: number }) => x.id)).toEqual([rec.warning!.id, rec.interview!.id]);
    expect(r.negativeList.map((x: { id: number }) => x.id)).toEqual([rec.warning!.id]);
    expect(r.talkReports).toMatchObject([
      { roundName: '第10轮巡察', sentToOrgName: '市委组织部', summary: '个别谈话情况报告' },
    ]);
    expect(r.responsibilities).toMatchObject([
      {
        problemId: prob.a9,
        roundName: '第9轮巡察',
        duties: ['leader'],
        measureCount: 2,
        doneCount: 2,
        rectified: true,
      },
      {
        problemId: prob.a10,
        roundName: '第10轮巡察',
        duties: ['first'],
        measureCount: 3,
        doneCount: 1,
        rectified: false,
      },
    ]);
    expect(r.figures).toEqual({
      byKind: {
        interview: 1,
        warning_interview: 1,
        reminder_talk: 0,
        circulated_criticism: 0,
        accountability: 0,
        case_filed: 0,
      },
      records: 2,
      negativeList: 1,
      problems: 2,
      rectifiedProblems: 1,
      measures: 5,
      doneMeasures: 3,
    });
    // Another unit's 张三 is another person (prob.b10 names a 张三 of unit B).
    const b = expectOk(
      await a.office!.get(`${V1}/cadres/record?name=${encodeURIComponent('张三')}&unitOrgId=${org.unitB}`),
    );
    expect(b.accountability).toEqual([]);
    expect(b.responsibilities.map((x: { problemId: number }) => x.problemId)).toEqual([prob.b10]);
    // A supervisor of B sees nothing of A's cadre; the answer is empty, not another unit's data.
    const s = expectOk(
      await a.supb!.get(`${V1}/cadres/record?name=${encodeURIComponent('张三')}&unitOrgId=${org.unitA}`),
    );
    expect([s.accountability, s.responsibilities, s.talkReports, s.negativeList]).toEqual([[], [], [], []]);
  });

  it('answers bad input with a 4xx problem and changes nothing', async () => {
    const before = await fingerprint();
    const ok = { kind: 'interview', personName: '张三', reason: '整改不力', decidedOn: '2026-11-20' };
    const post = (body: unknown, agent = a.office!) => agent.post(`${V1}/problems/${prob.a10}/accountability`, body);
    expectProblem(await post({ ...ok, kind: '谈心' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...ok, personName: '   ' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...ok, reason: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...ok, decidedOn: '2026-13-01' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...ok, decidedOn: '2026-11-28' }), 400, 'ACCOUNTABILITY_DATE_INVALID');
    expectProblem(await post({ ...ok, decidingOrgId: 2147483647 }), 400, 'INVALID_REFERENCE');
    expectProblem(await post({ ...ok, personUnitOrgId: 2147483647 }), 400, 'INVALID_REFERENCE');
    expectProblem(await post({ ...ok, decidingOrgId: org.supB }, a.supa!), 400, 'ACCOUNTABILITY_DECIDING_BODY');
    expectProblem(await post({ ...ok, extra: true }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...ok, reason: 'x'.repeat(10001) }), 400, 'VALIDATION_FAILED');
    expectProblem(await a.office!.post(`${V1}/problems/0/accountability`, ok), 400, 'VALIDATION_FAILED');
    expectProblem(await a.office!.post(`${V1}/problems/2147483647/accountability`, ok), 404, 'NOT_FOUND');
    expectProblem(
      await a.office!.patch(`${V1}/accountability/${rec.warning!.id}`, { outcome: 'no version' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.office!.patch(`${V1}/accountability/${rec.warning!.id}`, { version: 2, kind: 'case_filed' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.office!.patch(`${V1}/accountability/${rec.warning!.id}`, { version: 2, reason: '  ' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await a.office!.get(`${V1}/cadres/record?unitOrgId=${org.unitA}`), 400, 'VALIDATION_FAILED');
    expectProblem(await a.office!.get(`${V1}/cadres/record?name=x&unitOrgId=2147483647`), 400, 'INVALID_REFERENCE');
    expectProblem(await a.office!.get(`${V1}/cadres/record?name=%20&unitOrgId=${org.unitA}`), 400, 'VALIDATION_FAILED');
    expectProblem(await a.office!.get(`${V1}/accountability?kind=x`), 400, 'VALIDATION_FAILED');
    expectProblem(await a.office!.get(`${V1}/accountability/figures?roundId=-1`), 400, 'VALIDATION_FAILED');
    expect(await fingerprint()).toEqual(before);
  });
});
