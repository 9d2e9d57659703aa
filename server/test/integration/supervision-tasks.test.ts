import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const DAY = 86_400_000;

type Res = { statusCode: number; body: string; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code, res.body).toBe(code);
}

function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

type Entry = {
  key: string;
  kind: string;
  id: number;
  move: string;
  overdue: boolean;
  stalled: boolean;
  deadline: string | null;
  daysLeft: number | null;
  problemId: number | null;
};

/**
 * 整改监督信息沟通会 → tasks followed to completion, routing by line, and each supervisor's work queue
 * (SPEC M8, M18), through the HTTP API on both databases.
 */
describe.each(DIALECTS)('沟通会 tasks, routing by line and the work queue on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  const cat: Record<string, number> = {};
  let ruA: number;
  let ruB: number;
  let today: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    const sup = (code: string, name: string, supervisorLine: string) =>
      t.createOrg({ code, name, type: 'supervisor', supervisorLine });
    org.disc = await sup('JW1', '市纪委监委第一监督检查室', 'discipline');
    org.orgDept = await sup('ZZB', '市委组织部', 'organisation');
    org.prop = await sup('XCBU', '市委宣传部', 'propaganda');
    org.stationed = await sup('PZZ', '市纪委监委派驻第三纪检监察组', 'stationed');
    org.industry = await sup('HY', '市住建局', 'industry');
    org.dfzf = await t.createOrg({ code: 'DFZF', name: '党风政风监督室', type: 'discipline_office' });
    const link = (unitOrgId: number, supervisorOrgId: number, categories: string | null) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA, org.disc, null);
    await link(org.unitA, org.orgDept, null);
    await link(org.unitA, org.prop, 'T_IDEO'); // 宣传部 follows unit A for 意识形态 only
    await link(org.unitB, org.stationed, null);
    await link(org.unitB, org.industry, 'T_SECTOR');
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['heada', 'unit_head', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['unitb2', 'unit', org.unitB],
      ['disc', 'supervisor', org.disc],
      ['orgdept', 'supervisor', org.orgDept],
      ['prop', 'supervisor', org.prop],
      ['stationed', 'supervisor', org.stationed],
      ['industry', 'supervisor', org.industry],
      ['dfzf', 'discipline', org.dfzf],
      ['sys', 'sysadmin', t.rootOrgId],
    ] as const) {
      user[username] = await t.createUser({ username, role, orgId });
    }
    // The routing lines of the categories (configurable: dictionary extra.line).
    for (const [code, line] of [
      ['T_CADRE', 'organisation'], // 选人用人 → 组织部
      ['T_IDEO', 'propaganda'], // 意识形态 → 宣传部
      ['T_DISC', 'discipline'], // 纪律 → 纪委监委 / 派驻组
      ['T_SECTOR', 'industry'], // 行业 → 行业主管部门
      ['T_NONE', null],
    ] as const) {
      const r = await t.ctx.db
        .insertInto('dictionaries')
        .values({
          kind: 'problem_category',
          code,
          labelZhCn: code,
          labelZhTw: code,
          labelEn: code,
          sort: 0,
          active: 1,
          extra: line ? JSON.stringify({ line }) : null,
          version: 1,
          updatedAt: t.clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      cat[code] = Number(r.id);
    }
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
    const rus: number[] = [];
    for (const unitOrgId of [org.unitA!, org.unitB!]) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
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
        .executeTakeFirstOrThrow();
      rus.push(Number(r.id));
    }
    [ruA, ruB] = rus as [number, number];
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );
    for (const u of Object.keys(user)) a[u] = await t.login(u);
    today = shanghaiDate(t.clock.now());
  });
  afterAll(() => t.close());

  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM supervision_meetings) AS meetings,
        (SELECT coalesce(sum(version), 0) FROM supervision_meetings) AS mversions,
        (SELECT count(*) FROM supervision_tasks) AS tasks,
        (SELECT coalesce(sum(version), 0) FROM supervision_tasks) AS tversions,
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

  /** A problem through the ledger API (by the unit), with one measure or none. */
  async function problem(agent: Agent, ru: number, categoryCode: string, withMeasure = true) {
    const p = expectOk(
      await agent.post(`${V1}/round-units/${ru}/problems`, {
        number: `一、（${++n}）`,
        categoryCode,
        description: `问题 ${categoryCode}`,
        source: 'feedback',
        severity: 'high',
        measures: withMeasure ? [{ content: `措施 ${categoryCode}`, type: 'deadline', deadline: '2027-01-31' }] : [],
      }),
      201,
    );
    return { id: p.id as number, measureId: withMeasure ? (p.measures[0].id as number) : null };
  }

  /** Every entry of a caller's queue, walking the keyset pages of `limit`. */
  async function queue(agent: Agent, q = '', limit = 2): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const qs = `limit=${limit}${q ? `&${q}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = expectOk(await agent.get(`${V1}/supervision-queue?${qs}`));
      expect(page.items.length).toBeLessThanOrEqual(limit);
      out.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) {
        expect(out.length).toBe(page.total);
        return out;
      }
    }
    throw new Error('queue did not end');
  }

  const problemsIn = (q: Entry[]) =>
    [...new Set(q.filter((e) => e.kind === 'problem' || e.kind === 'measure').map((e) => e.problemId))].sort(
      (x, y) => x! - y!,
    );

  let meeting: { id: number; tasks: { id: number; ownerOrgId: number; version: number; status: string }[] };
  const problems: Record<string, { id: number; measureId: number | null }> = {};

  it('routes each problem to the queue of the supervisors of its category line; unlined ones to all who see them', async () => {
    problems.cadre = await problem(a.unita!, ruA, 'T_CADRE');
    problems.ideo = await problem(a.unita!, ruA, 'T_IDEO');
    problems.disc = await problem(a.unita!, ruA, 'T_DISC');
    problems.none = await problem(a.unita!, ruA, 'T_NONE', false);
    problems.discB = await problem(a.unitb!, ruB, 'T_DISC');
    problems.sectorB = await problem(a.unitb!, ruB, 'T_SECTOR');
    const ids = (...ks: string[]) => ks.map((k) => problems[k]!.id).sort((x, y) => x - y);
    expect(problemsIn(await queue(a.orgdept!))).toEqual(ids('cadre', 'none'));
    expect(problemsIn(await queue(a.prop!))).toEqual(ids('ideo')); // it does not see T_NONE at unit A
    expect(problemsIn(await queue(a.disc!))).toEqual(ids('disc', 'none'));
    expect(problemsIn(await queue(a.stationed!))).toEqual(ids('discB')); // 派驻组 shares the discipline line
    expect(problemsIn(await queue(a.industry!))).toEqual(ids('sectorB'));
    // A problem without measures shows as such; those with measures through their open measures.
    const q = await queue(a.disc!);
    expect(q.find((e) => e.problemId === problems.none!.id)).toMatchObject({ kind: 'problem', move: 'watch' });
    expect(q.find((e) => e.problemId === problems.disc!.id)).toMatchObject({
      kind: 'measure',
      id: problems.disc!.measureId,
      deadline: '2027-01-31',
      overdue: false,
    });
    // Nothing of the ledger lands in the office's, a unit's or the leadership's queue.
    for (const who of ['office', 'unita', 'leader', 'dfzf']) expect(problemsIn(await queue(a[who]!)), who).toEqual([]);
  });

  it('follows the configurable mapping: a category moved to another line moves its problems', async () => {
    const entry = expectOk(await a.sys!.get(`${V1}/dictionaries?kind=problem_category`)).items.find(
      (d: { code: string }) => d.code === 'T_NONE',
    );
    expectOk(
      await a.sys!.patch(`${V1}/dictionaries/${cat.T_NONE}`, {
        version: entry.version,
        extra: { line: 'organisation' },
      }),
    );
    expect(problemsIn(await queue(a.disc!))).toEqual([problems.disc!.id]);
    expect(problemsIn(await queue(a.orgdept!))).toEqual([problems.cadre!.id, problems.none!.id].sort((x, y) => x - y));
  });

  it('the 沟通会 records decisions as tasks with owners and deadlines, audited, visible to each owner in its scope', async () => {
    const m = expectOk(
      await a.disc!.post(`${V1}/supervision-meetings`, {
        title: '第一季度整改监督信息沟通会',
        heldOn: today,
        location: '市纪委监委三楼会议室',
        attendees: [{ name: '张三', orgId: org.orgDept }, { name: '李四' }],
        summary: '通报整改进展，研究部署下一步工作。',
        tasks: [
          { content: '市财政局报送三重一大制度修订稿', ownerOrgId: org.unitA, deadline: addDays(today, 5) },
          { content: '组织部核查干部选任问题', ownerOrgId: org.orgDept, deadline: addDays(today, 10) },
          {
            content: '市人防办报送专项整改报告',
            ownerOrgId: org.unitB,
            ownerUserId: user.unitb,
            deadline: addDays(today, 20),
          },
        ],
      }),
      201,
    );
    expect(m).toMatchObject({
      convenerOrgId: org.disc,
      convenerName: '市纪委监委第一监督检查室',
      heldOn: today,
      attendees: [
        { name: '张三', orgId: org.orgDept },
        { name: '李四', orgId: null },
      ],
      openTasks: 3,
      overdueTasks: 0,
      version: 1,
    });
    expect(m.tasks.map((x: { seq: number; status: string }) => [x.seq, x.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'open'],
    ]);
    expect(m.tasks[2]).toMatchObject({ ownerOrgName: '市人防办', ownerUserId: user.unitb, ownerUserName: 'unitb' });
    meeting = m;
    expect(await auditActions('supervision_meeting', m.id)).toEqual(['supervision.meeting.create:disc']);
    // Each owner reads the meeting with its own tasks only; the office and the leadership all of it.
    const seen = async (who: string) =>
      expectOk(await a[who]!.get(`${V1}/supervision-meetings/${m.id}`)).tasks.map((x: { seq: number }) => x.seq);
    expect(await seen('unita')).toEqual([1]);
    expect(await seen('orgdept')).toEqual([1, 2]); // itself, and unit A it liaises with
    expect(await seen('unitb')).toEqual([3]);
    expect(await seen('stationed')).toEqual([3]);
    expect(await seen('leader')).toEqual([1, 2, 3]);
    expect(await seen('office')).toEqual([1, 2, 3]);
    // A supervisor following a unit for its line only sees the unit's tasks (as its unit-wide actions).
    expect(await seen('prop')).toEqual([1]);
    expect(await seen('industry')).toEqual([3]);
    // Anyone else: 404, exactly as for a missing meeting or task.
    expectProblem(await a.dfzf!.get(`${V1}/supervision-meetings/${m.id}`), 404, 'NOT_FOUND');
    expectProblem(await a.unita!.get(`${V1}/supervision-tasks/${m.tasks[2].id}`), 404, 'NOT_FOUND');
    expectProblem(await a.unita!.get(`${V1}/supervision-meetings/999999`), 404, 'NOT_FOUND');
    expectProblem(await a.sys!.get(`${V1}/supervision-meetings/${m.id}`), 403, 'FORBIDDEN');
    const list = async (who: string, q = '') =>
      expectOk(await a[who]!.get(`${V1}/supervision-tasks${q}`)).items.map((x: { seq: number }) => x.seq);
    expect(await list('unita')).toEqual([1]);
    expect(await list('unitb')).toEqual([3]);
    expect(await list('disc')).toEqual([3, 2, 1]);
    expect(expectOk(await a.unita!.get(`${V1}/supervision-meetings`)).items.map((x: { id: number }) => x.id)).toEqual([
      m.id,
    ]);
    expect(expectOk(await a.dfzf!.get(`${V1}/supervision-meetings`)).items).toEqual([]);
  });

  it('the owner reports, the convener returns and then accepts: done; only owner and convener may move it', async () => {
    const [tA, tOrg, tB] = meeting.tasks as { id: number; version: number }[];
    // Not the owner: 403 (in scope) or 404 (out of it); nothing written.
    const before = await fingerprint();
    expectProblem(
      await a.disc!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 1, text: '已完成' }),
      403,
      'SUPERVISION_NOT_TASK_OWNER',
    );
    expectProblem(
      await a.unitb2!.post(`${V1}/supervision-tasks/${tB!.id}/report`, { version: 1, text: '已完成' }),
      403,
      'SUPERVISION_NOT_TASK_OWNER',
    ); // the task names unitb in person
    expectProblem(
      await a.unitb!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 1, text: '已完成' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await a.unita!.post(`${V1}/supervision-tasks/${tA!.id}/accept`, { version: 1 }), 403, 'FORBIDDEN');
    expectProblem(
      await a.orgdept!.post(`${V1}/supervision-tasks/${tOrg!.id}/accept`, { version: 1 }),
      403,
      'SUPERVISION_NOT_ISSUER',
    ); // its own task: the owner does not accept its own report
    expectProblem(
      await a.disc!.post(`${V1}/supervision-tasks/${tOrg!.id}/accept`, { version: 1 }),
      409,
      'INVALID_TRANSITION',
    ); // not yet reported
    expectProblem(
      await a.stationed!.post(`${V1}/supervision-tasks/${tB!.id}/return`, { version: 1, note: '不行' }),
      403,
      'SUPERVISION_NOT_ISSUER',
    );
    expect(await fingerprint()).toEqual(before);

    const r1 = expectOk(
      await a.heada!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 1, text: '已报送修订稿' }),
    );
    expect(r1).toMatchObject({ status: 'reported', reportText: '已报送修订稿', completedOn: today, version: 2 });
    // The convener's queue: its move now.
    expect((await queue(a.disc!, 'kind=task')).find((e) => e.id === tA!.id)).toMatchObject({ move: 'act' });
    expectProblem(
      await a.disc!.post(`${V1}/supervision-tasks/${tA!.id}/return`, { version: 2, note: '  ' }),
      400,
      'VALIDATION_FAILED',
    );
    const ret = expectOk(
      await a.disc!.post(`${V1}/supervision-tasks/${tA!.id}/return`, { version: 2, note: '缺少党组会议纪要' }),
    );
    expect(ret).toMatchObject({ status: 'returned', reviewNote: '缺少党组会议纪要', version: 3 });
    expect((await queue(a.unita!, 'kind=task')).find((e) => e.id === tA!.id)).toMatchObject({ move: 'act' });
    // A stale version answers 409 with the current record.
    const st = await a.unita!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 2, text: 'x' });
    expectProblem(st, 409, 'CONFLICT_STALE');
    const r2 = expectOk(
      await a.unita!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 3, text: '已补充会议纪要' }),
    );
    expect(r2.status).toBe('reported');
    const done = expectOk(await a.disc!.post(`${V1}/supervision-tasks/${tA!.id}/accept`, { version: 4, note: '同意' }));
    expect(done).toMatchObject({ status: 'accepted', overdue: false, version: 5 });
    expectProblem(
      await a.unita!.post(`${V1}/supervision-tasks/${tA!.id}/report`, { version: 5, text: 'again' }),
      409,
      'INVALID_TRANSITION',
    );
    expect(await auditActions('supervision_task', tA!.id)).toEqual([
      'supervision.task.report:heada',
      'supervision.task.return:disc',
      'supervision.task.report:unita',
      'supervision.task.accept:disc',
    ]);
    // Done tasks leave every queue.
    for (const who of ['disc', 'unita'])
      expect((await queue(a[who]!)).some((e) => e.kind === 'task' && e.id === tA!.id)).toBe(false);
    // The convener adds a later decision.
    const more = expectOk(
      await a.disc!.post(`${V1}/supervision-meetings/${meeting.id}/tasks`, {
        content: '市财政局召开专题民主生活会',
        ownerOrgId: org.unitA,
        deadline: addDays(today, 30),
      }),
      201,
    );
    expect(more.tasks.map((x: { seq: number; status: string }) => [x.seq, x.status])).toEqual([
      [1, 'accepted'],
      [2, 'open'],
      [3, 'open'],
      [4, 'open'],
    ]);
    expectProblem(
      await a.orgdept!.post(`${V1}/supervision-meetings/${meeting.id}/tasks`, {
        content: 'x',
        ownerOrgId: org.unitA,
        deadline: addDays(today, 30),
      }),
      403,
      'SUPERVISION_NOT_ISSUER',
    );
  });

  it('flags overdue tasks and measures and sorts the queue: overdue first, then nearest deadline, then stalled', async () => {
    const tOrg = meeting.tasks[1]!;
    t.clock.advance(11 * DAY + 3600_000); // past the 组织部 task's deadline (today + 10)
    const late = expectOk(await a.disc!.get(`${V1}/supervision-tasks?overdue=true`)).items;
    expect(late.map((x: { id: number }) => x.id)).toEqual([tOrg.id]);
    expect(expectOk(await a.orgdept!.get(`${V1}/supervision-tasks/${tOrg.id}`))).toMatchObject({
      overdue: true,
      status: 'open',
    });
    const m = expectOk(await a.office!.get(`${V1}/supervision-meetings/${meeting.id}`));
    expect(m).toMatchObject({ openTasks: 3, overdueTasks: 1 });
    // The owner's queue: its overdue task first, its move.
    const q = await queue(a.orgdept!);
    expect(q[0]).toMatchObject({ kind: 'task', id: tOrg.id, overdue: true, move: 'act', daysLeft: -1 });
    // Stalled: the measures without progress for 30 days (system.rectification) count as stalled.
    t.clock.advance(25 * DAY);
    const q2 = await queue(a.disc!, '', 3);
    expect(q2.find((e) => e.kind === 'measure')).toMatchObject({ stalled: true });
    // The order: overdue first, then by deadline (none last), stalled before not at the same deadline.
    for (const list of [q2, await queue(a.orgdept!, '', 1), await queue(a.unitb!, '', 5)]) {
      for (let i = 1; i < list.length; i++) {
        const [x, y] = [list[i - 1]!, list[i]!];
        expect(x.key < y.key).toBe(true);
        if (x.overdue !== y.overdue) expect(x.overdue).toBe(true);
        else if (x.deadline !== y.deadline) expect((x.deadline ?? '9999') < (y.deadline ?? '9999')).toBe(true);
        else if (x.stalled !== y.stalled) expect(x.stalled).toBe(true);
      }
    }
    // The same entries whatever the page size (keyset paging neither skips nor repeats).
    const whole = (await queue(a.disc!, '', 200)).map((e) => e.key);
    expect((await queue(a.disc!, '', 1)).map((e) => e.key)).toEqual(whole);
    expect(new Set(whole).size).toBe(whole.length);
    // Filters.
    expect((await queue(a.disc!, 'move=act')).every((e) => e.move === 'act')).toBe(true);
    expect((await queue(a.disc!, 'kind=measure')).every((e) => e.kind === 'measure')).toBe(true);
  });

  it('puts what a unit owes in its queue: 沟通会 tasks, required responses and 派单 items', async () => {
    const act = expectOk(
      await a.disc!.post(`${V1}/supervision-actions`, {
        kind: 'tracking',
        unitOrgId: org.unitA,
        targetType: 'unit',
        actionDate: shanghaiDate(t.clock.now()),
        title: '加快整改进度',
        content: '请逐项整改。',
        responseRequired: true,
        responseDeadline: addDays(shanghaiDate(t.clock.now()), 3),
      }),
      201,
    );
    const order = expectOk(
      await a.disc!.post(`${V1}/dispatch-orders`, {
        unitOrgId: org.unitA,
        title: '主体责任派单',
        deadline: addDays(shanghaiDate(t.clock.now()), 7),
        items: [{ content: '修订制度' }],
      }),
      201,
    );
    const q = await queue(a.unita!);
    expect(q.find((e) => e.kind === 'action' && e.id === act.id)).toMatchObject({ move: 'act', daysLeft: 3 });
    expect(q.find((e) => e.kind === 'dispatch_item' && e.id === order.items[0].id)).toMatchObject({ move: 'act' });
    const dq = await queue(a.disc!);
    expect(dq.find((e) => e.kind === 'action' && e.id === act.id)).toMatchObject({ move: 'watch' });
    expect(await queue(a.unitb!)).not.toContainEqual(expect.objectContaining({ kind: 'action', id: act.id }));
    expectOk(await a.unita!.post(`${V1}/supervision-actions/${act.id}/respond`, { version: 1, text: '已整改' }));
    expect((await queue(a.disc!)).find((e) => e.kind === 'action' && e.id === act.id)).toMatchObject({ move: 'act' });
    expect((await queue(a.unita!)).some((e) => e.kind === 'action' && e.id === act.id)).toBe(false);
  });

  it('answers bad input with a 4xx and a code and changes nothing', async () => {
    const before = await fingerprint();
    const day = shanghaiDate(t.clock.now());
    const good = {
      title: '沟通会',
      heldOn: day,
      summary: '纪要',
      tasks: [{ content: '事项', ownerOrgId: org.unitA, deadline: addDays(day, 3) }],
    };
    const tid = meeting.tasks[2]!.id;
    const cases: [Agent, string, string, unknown, number, string][] = [
      [a.disc!, 'POST', '/supervision-meetings', { ...good, title: '   ' }, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'POST', '/supervision-meetings', { ...good, heldOn: '2026-02-30' }, 400, 'SUPERVISION_DATE_INVALID'],
      [a.disc!, 'POST', '/supervision-meetings', { ...good, heldOn: addDays(day, 1) }, 400, 'SUPERVISION_DATE_INVALID'],
      [a.disc!, 'POST', '/supervision-meetings', { ...good, extra: 1 }, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'POST', '/supervision-meetings', { ...good, roundId: 999999 }, 400, 'SUPERVISION_ROUND_UNKNOWN'],
      [
        a.disc!,
        'POST',
        '/supervision-meetings',
        { ...good, attendees: [{ name: 'x', orgId: 999999 }] },
        400,
        'INVALID_REFERENCE',
      ],
      [
        a.disc!,
        'POST',
        '/supervision-meetings',
        { ...good, tasks: [{ ...good.tasks[0], ownerOrgId: 999999 }] },
        400,
        'SUPERVISION_TASK_OWNER_UNKNOWN',
      ],
      [
        a.disc!,
        'POST',
        '/supervision-meetings',
        { ...good, tasks: [{ ...good.tasks[0], ownerUserId: user.unitb }] },
        400,
        'SUPERVISION_TASK_OWNER_UNKNOWN',
      ],
      [
        a.disc!,
        'POST',
        '/supervision-meetings',
        { ...good, tasks: [good.tasks[0], { ...good.tasks[0], deadline: addDays(day, -1) }] },
        400,
        'SUPERVISION_TASK_DEADLINE_INVALID',
      ],
      [
        a.disc!,
        'POST',
        '/supervision-meetings',
        { ...good, tasks: [{ ...good.tasks[0], content: ' ' }] },
        400,
        'VALIDATION_FAILED',
      ],
      [a.unita!, 'POST', '/supervision-meetings', good, 403, 'FORBIDDEN'],
      [a.unitb!, 'POST', `/supervision-tasks/${tid}/report`, { version: 1, text: ' ' }, 400, 'VALIDATION_FAILED'],
      [
        a.unitb!,
        'POST',
        `/supervision-tasks/${tid}/report`,
        { version: 1, text: 'x', completedOn: addDays(day, 1) },
        400,
        'SUPERVISION_DATE_INVALID',
      ],
      [a.unitb!, 'POST', `/supervision-tasks/${tid}/report`, { version: 1 }, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'GET', '/supervision-tasks?status=lost', undefined, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'GET', '/supervision-queue?cursor=nope', undefined, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'GET', '/supervision-queue?kind=clue', undefined, 400, 'VALIDATION_FAILED'],
      [a.disc!, 'GET', '/supervision-queue?limit=0', undefined, 400, 'VALIDATION_FAILED'],
      [a.sys!, 'GET', '/supervision-queue', undefined, 403, 'FORBIDDEN'],
    ];
    for (const [agent, method, url, body, status, code] of cases) {
      expectProblem(await agent.request(method, `${V1}${url}`, body), status, code);
    }
    expect(await fingerprint()).toEqual(before);
  });
});
