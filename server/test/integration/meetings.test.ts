import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const DAY = 86_400_000;

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

describe.each(DIALECTS)('整改专题民主生活会 on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  const ru: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.unitC = await t.createOrg({ code: 'UC', name: '市水务局' });
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
    org.disc = await t.createOrg({ code: 'DISC', name: '党风政风室', type: 'discipline_office' });
    const link = (unitOrgId: number, supervisorOrgId: number) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories: null, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA!, org.supA!);
    await link(org.unitB!, org.supB!);
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['heada', 'unit_head', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['unitc', 'unit', org.unitC],
      ['supa', 'supervisor', org.supA],
      ['supb', 'supervisor', org.supB],
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
    for (const [key, unitOrgId, feedbackDate] of [
      ['A', org.unitA, '2026-11-01'],
      ['B', org.unitB, '2026-11-10'],
      ['C', org.unitC, null],
    ] as const) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
          unitOrgId: unitOrgId!,
          teamId: null,
          status: feedbackDate ? 'rectifying' : 'awaiting_feedback',
          cycle: 1,
          feedbackDate,
          deadline: feedbackDate ? '2027-02-01' : null,
          deadlineOverridden: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ru[key] = Number(r.id);
    }
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );
    for (const u of ['office', 'leader', 'unita', 'heada', 'unitb', 'unitc', 'supa', 'supb', 'disc', 'sys'])
      a[u] = await t.login(u);
  });
  afterAll(() => t.close());

  /** Row counts and version sums of the feature's tables and the audit head. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM democratic_meetings) AS meetings,
        (SELECT coalesce(sum(version), 0) FROM democratic_meetings) AS versions,
        (SELECT count(*) FROM democratic_meeting_notes) AS notes,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  async function auditActions(entityId: number) {
    const rows = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName'])
      .where('entity', '=', 'democratic_meeting')
      .where('entityId', '=', String(entityId))
      .orderBy('seq')
      .execute();
    return rows.map((r) => `${r.action}:${r.actorName}`);
  }

  let meetingA: { id: number; version: number };

  it('the unit plans its meeting: due 60 days after the feedback, planned, audited', async () => {
    const m = expectOk(
      await a.unita!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, {
        plannedDate: '2026-12-15',
        plan: '  征求意见、谈心谈话、撰写对照检查材料  ',
      }),
      201,
    );
    expect(m).toMatchObject({
      roundUnitId: ru.A,
      unitOrgId: org.unitA,
      unitName: '市财政局',
      cycle: 1,
      status: 'planned',
      feedbackDate: '2026-11-01',
      dueDate: '2026-12-31',
      plannedDate: '2026-12-15',
      plan: '征求意见、谈心谈话、撰写对照检查材料',
      report: null,
      overdue: false,
      flag: null,
      version: 1,
      notes: [],
    });
    meetingA = m;
    expect(await auditActions(m.id)).toEqual(['meeting.create:unita']);
    const list = expectOk(await a.supa!.get(`${V1}/round-units/${ru.A}/democratic-meetings`));
    expect(list.items.map((x: { id: number }) => x.id)).toEqual([m.id]);
    // One meeting per rectification cycle: a second plan is refused and nothing is written.
    const before = await fingerprint();
    expectProblem(
      await a.heada!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, { plannedDate: '2026-12-16' }),
      409,
      'MEETING_EXISTS',
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('edits with the version read; a stale version answers 409 with the current record', async () => {
    const edited = expectOk(
      await a.heada!.patch(`${V1}/democratic-meetings/${meetingA.id}`, {
        version: meetingA.version,
        report: '领导班子对照检查材料：一、存在的问题……',
        plannedDate: '2026-12-20',
      }),
    );
    expect(edited).toMatchObject({
      version: 2,
      plannedDate: '2026-12-20',
      report: '领导班子对照检查材料：一、存在的问题……',
    });
    const before = await fingerprint();
    const res = await a.unita!.patch(`${V1}/democratic-meetings/${meetingA.id}`, { version: 1, plan: '旧版本' });
    expectProblem(res, 409, 'CONFLICT_STALE');
    expect(res.json().current).toMatchObject({ id: meetingA.id, version: 2 });
    expect(await fingerprint()).toEqual(before);
    meetingA = edited;
    expect(await auditActions(meetingA.id)).toEqual(['meeting.create:unita', 'meeting.update:heada']);
  });

  it('records the meeting held with attendees of the discipline commission and the organisation department', async () => {
    const held = expectOk(
      await a.unita!.post(`${V1}/democratic-meetings/${meetingA.id}/held`, {
        version: meetingA.version,
        heldOn: '2026-11-25',
        attendees: [
          { name: '李四', orgId: org.supA, side: 'discipline' },
          { name: '王五', orgId: org.supB, side: 'organisation' },
        ],
        problemsFound: '查摆问题 12 个',
        measuresDecided: '制定整改措施 30 条',
      }),
    );
    expect(held).toMatchObject({
      status: 'held',
      heldOn: '2026-11-25',
      heldLate: false,
      overdue: false,
      flag: null,
      problemsFound: '查摆问题 12 个',
      measuresDecided: '制定整改措施 30 条',
      version: 3,
      attendees: [
        { name: '李四', orgId: org.supA, orgName: '第一监督检查室', side: 'discipline' },
        { name: '王五', orgId: org.supB, orgName: '市委组织部', side: 'organisation' },
      ],
    });
    // Held twice is not a transition.
    expectProblem(
      await a.unita!.post(`${V1}/democratic-meetings/${meetingA.id}/held`, {
        version: 3,
        heldOn: '2026-11-25',
        attendees: [],
      }),
      409,
      'INVALID_TRANSITION',
    );
    meetingA = held;
  });

  it('supervising bodies add guidance and supervision notes and review it; then it is closed to edits', async () => {
    const noted = expectOk(
      await a.supa!.post(`${V1}/democratic-meetings/${meetingA.id}/notes`, {
        kind: 'guidance',
        content: '会前审核对照检查材料',
      }),
      201,
    );
    expect(noted.notes).toMatchObject([
      { kind: 'guidance', content: '会前审核对照检查材料', authorOrgId: org.supA, authorOrgName: '第一监督检查室' },
    ]);
    expect(noted.version).toBe(meetingA.version); // a note does not move the record's version
    expectOk(
      await a.office!.post(`${V1}/democratic-meetings/${meetingA.id}/notes`, {
        kind: 'supervision',
        content: '批评与自我批评开展较好',
      }),
      201,
    );
    const reviewed = expectOk(
      await a.supa!.post(`${V1}/democratic-meetings/${meetingA.id}/review`, {
        version: meetingA.version,
        note: '会议质量较高',
      }),
    );
    expect(reviewed).toMatchObject({
      status: 'reviewed',
      reviewNote: '会议质量较高',
      reviewedByName: 'supa',
      version: 4,
    });
    expect(reviewed.notes).toHaveLength(2);
    const before = await fingerprint();
    expectProblem(
      await a.unita!.patch(`${V1}/democratic-meetings/${meetingA.id}`, { version: 4, plan: '改' }),
      409,
      'MEETING_NOT_EDITABLE',
    );
    expectProblem(
      await a.office!.post(`${V1}/democratic-meetings/${meetingA.id}/review`, { version: 4, note: '再审' }),
      409,
      'INVALID_TRANSITION',
    );
    expect(await fingerprint()).toEqual(before);
    expect(await auditActions(meetingA.id)).toEqual([
      'meeting.create:unita',
      'meeting.update:heada',
      'meeting.held:unita',
      'meeting.note:supa',
      'meeting.note:office',
      'meeting.review:supa',
    ]);
    // The leadership reads it; the record it reads is the same.
    expect(expectOk(await a.leader!.get(`${V1}/democratic-meetings/${meetingA.id}`))).toEqual(reviewed);
  });

  it('flags a meeting not held by its due date as overdue (ManualClock), in the office and supervisor lists only', async () => {
    // Before it plans, B is on the list of round-units without a meeting (not yet due); C has no feedback.
    const unplanned = async (agent: Agent, q = '') =>
      (expectOk(await agent.get(`${V1}/democratic-meetings/unplanned${q}`)).items as { roundUnitId: number }[]).map(
        (x) => x.roundUnitId,
      );
    expect(expectOk(await a.office!.get(`${V1}/democratic-meetings/unplanned`)).items).toMatchObject([
      { roundUnitId: ru.B, unitName: '市人防办', feedbackDate: '2026-11-10', dueDate: '2027-01-09', overdue: false },
    ]);
    expect(await unplanned(a.office!, '?overdue=true')).toEqual([]);
    expect(await unplanned(a.supa!)).toEqual([]);
    expect(await unplanned(a.supb!)).toEqual([ru.B]);
    const m = expectOk(
      await a.unitb!.post(`${V1}/round-units/${ru.B}/democratic-meetings`, { plannedDate: '2027-01-05' }),
      201,
    );
    expect(m).toMatchObject({ dueDate: '2027-01-09', overdue: false });
    expect(await unplanned(a.office!)).toEqual([]);
    const overdueIds = async (agent: Agent) =>
      (expectOk(await agent.get(`${V1}/democratic-meetings?overdue=true`)).items as { id: number }[]).map((x) => x.id);
    expect(await overdueIds(a.office!)).toEqual([]);
    t.clock.set(Date.UTC(2027, 0, 9, 15, 0, 0)); // 2027-01-09 23:00 in Shanghai: still the due day
    expect(await overdueIds(a.office!)).toEqual([]);
    t.clock.advance(2 * 3600_000); // 2027-01-10 01:00 in Shanghai
    expect(await overdueIds(a.office!)).toEqual([m.id]);
    expect(await overdueIds(a.supb!)).toEqual([m.id]);
    expect(await overdueIds(a.leader!)).toEqual([m.id]);
    expect(await overdueIds(a.supa!)).toEqual([]); // not its unit
    expect(await overdueIds(a.unita!)).toEqual([]);
    expect(expectOk(await a.supb!.get(`${V1}/democratic-meetings/${m.id}`))).toMatchObject({
      overdue: true,
      flag: 'overdue',
    });
    // Held late: no longer overdue, flagged as held late.
    const held = expectOk(
      await a.unitb!.post(`${V1}/democratic-meetings/${m.id}/held`, {
        version: m.version,
        heldOn: '2027-01-10',
        report: '对照检查材料',
        attendees: [{ name: '王五', orgId: org.supB, side: 'organisation' }],
      }),
    );
    expect(held).toMatchObject({ overdue: false, heldLate: true, flag: 'held_late' });
    expect(await overdueIds(a.office!)).toEqual([]);
    const all = expectOk(await a.office!.get(`${V1}/democratic-meetings?limit=1`));
    expect(all.items).toHaveLength(1);
    const rest = expectOk(await a.office!.get(`${V1}/democratic-meetings?limit=1&cursor=${all.nextCursor}`));
    expect([...all.items, ...rest.items].map((x: { id: number }) => x.id).sort()).toEqual([meetingA.id, m.id].sort());
    expect(
      expectOk(await a.office!.get(`${V1}/democratic-meetings?status=reviewed`)).items.map((x: { id: number }) => x.id),
    ).toEqual([meetingA.id]);
  });

  it('answers 404 for a meeting or round-unit outside the caller scope, exactly as for a missing one', async () => {
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    const urls = [`${V1}/democratic-meetings/${meetingA.id}`, `${V1}/round-units/${ru.A}/democratic-meetings`];
    const missing = [`${V1}/democratic-meetings/2147483647`, `${V1}/round-units/2147483647/democratic-meetings`];
    for (const who of ['unitb', 'unitc', 'supb', 'disc']) {
      for (const [i, url] of urls.entries()) {
        const res = await a[who]!.get(url);
        expectProblem(res, 404, 'NOT_FOUND');
        expect(strip(res.json())).toEqual(strip((await a[who]!.get(missing[i]!)).json()));
      }
      expect(
        expectOk(await a[who]!.get(`${V1}/democratic-meetings`)).items.map((x: { unitOrgId: number }) => x.unitOrgId),
      ).not.toContain(org.unitA);
    }
    for (const who of ['office', 'leader', 'unita', 'heada', 'supa']) {
      for (const url of urls) expect((await a[who]!.get(url)).statusCode, `${who} ${url}`).toBe(200);
    }
    expectProblem(await a.sys!.get(urls[0]!), 403, 'FORBIDDEN');
    // Writes outside the scope are 404 too, and change nothing.
    const before = await fingerprint();
    expectProblem(await a.unitb!.patch(urls[0]!, { version: 4, plan: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await a.supb!.post(`${urls[0]}/notes`, { kind: 'guidance', content: 'x' }), 404, 'NOT_FOUND');
    expectProblem(
      await a.unitb!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, { plannedDate: '2027-01-20' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.supa!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, { plannedDate: '2027-01-20' }),
      403,
      'FORBIDDEN',
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('answers bad input with a 4xx problem and changes nothing', async () => {
    const m = expectOk(await a.unitb!.get(`${V1}/round-units/${ru.B}/democratic-meetings`)).items[0];
    const before = await fingerprint();
    const cases: [Agent, string, string, unknown, number, string][] = [
      [
        a.unitc!,
        'POST',
        `${V1}/round-units/${ru.C}/democratic-meetings`,
        { plannedDate: '2027-01-01' },
        409,
        'FEEDBACK_REQUIRED',
      ],
      [
        a.unita!,
        'POST',
        `${V1}/round-units/${ru.A}/democratic-meetings`,
        { plannedDate: '2027-02-30' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.unita!,
        'POST',
        `${V1}/round-units/${ru.A}/democratic-meetings`,
        { plannedDate: '20270101' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.unita!,
        'POST',
        `${V1}/round-units/${ru.A}/democratic-meetings`,
        { plannedDate: '2027-01-01', extra: 1 },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.unita!,
        'POST',
        `${V1}/round-units/${ru.A}/democratic-meetings`,
        { plannedDate: '2027-01-01', plan: 'x'.repeat(20001) },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.unita!,
        'POST',
        `${V1}/round-units/abc/democratic-meetings`,
        { plannedDate: '2027-01-01' },
        400,
        'VALIDATION_FAILED',
      ],
      [a.unitb!, 'PATCH', `${V1}/democratic-meetings/${m.id}`, { plan: 'no version' }, 400, 'VALIDATION_FAILED'],
      [
        a.unitb!,
        'PATCH',
        `${V1}/democratic-meetings/${m.id}`,
        { version: m.version, plannedDate: '2026-10-01' },
        400,
        'MEETING_PLANNED_DATE_INVALID',
      ],
      [
        a.unitb!,
        'PATCH',
        `${V1}/democratic-meetings/${m.id}`,
        { version: m.version, report: null },
        400,
        'MEETING_REPORT_REQUIRED',
      ],
      [
        a.unitb!,
        'PATCH',
        `${V1}/democratic-meetings/${m.id}`,
        { version: m.version, attendees: [{ name: '某', orgId: 2147483647, side: 'discipline' }] },
        400,
        'INVALID_REFERENCE',
      ],
      [
        a.unitb!,
        'PATCH',
        `${V1}/democratic-meetings/${m.id}`,
        { version: m.version, attendees: [{ name: '某', orgId: org.supB, side: 'other' }] },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.unitb!,
        'PATCH',
        `${V1}/democratic-meetings/${m.id}`,
        { version: m.version, attendees: [{ name: '   ', orgId: org.supB, side: 'discipline' }] },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.supb!,
        'POST',
        `${V1}/democratic-meetings/${m.id}/notes`,
        { kind: 'guidance', content: '   ' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        a.supb!,
        'POST',
        `${V1}/democratic-meetings/${m.id}/notes`,
        { kind: 'praise', content: 'x' },
        400,
        'VALIDATION_FAILED',
      ],
      [a.supb!, 'POST', `${V1}/democratic-meetings/${m.id}/review`, { version: 1, note: 'x' }, 409, 'CONFLICT_STALE'],
      [a.office!, 'GET', `${V1}/democratic-meetings?overdue=maybe`, undefined, 400, 'VALIDATION_FAILED'],
      [a.office!, 'GET', `${V1}/democratic-meetings?status=lost`, undefined, 400, 'VALIDATION_FAILED'],
      [a.office!, 'GET', `${V1}/democratic-meetings?limit=0`, undefined, 400, 'VALIDATION_FAILED'],
    ];
    for (const [agent, method, url, body, status, code] of cases) {
      expectProblem(await agent.request(method, url, body), status, code);
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses a date held before the feedback or in the future, and a held meeting without a report', async () => {
    // A fresh cycle for unit A (重新整改), planned without a report.
    await t.ctx.db.updateTable('roundUnits').set({ cycle: 2 }).where('id', '=', ru.A!).execute();
    // Its new cycle has no meeting and is past due (the feedback of 2026-11-01 + 60 days).
    const flagged = expectOk(await a.office!.get(`${V1}/democratic-meetings/unplanned?overdue=true`)).items;
    expect(flagged).toMatchObject([{ roundUnitId: ru.A, cycle: 2, dueDate: '2026-12-31', overdue: true }]);
    expect(expectOk(await a.supb!.get(`${V1}/democratic-meetings/unplanned?overdue=true`)).items).toEqual([]);
    const m = expectOk(
      await a.unita!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, { plannedDate: '2027-01-20' }),
      201,
    );
    expect(m.cycle).toBe(2);
    const before = await fingerprint();
    const hold = (body: object) =>
      a.unita!.post(`${V1}/democratic-meetings/${m.id}/held`, { version: m.version, attendees: [], ...body });
    expectProblem(await hold({ heldOn: '2026-10-31', report: '材料' }), 400, 'MEETING_HELD_ON_INVALID');
    expectProblem(await hold({ heldOn: '2027-01-11', report: '材料' }), 400, 'MEETING_HELD_ON_INVALID');
    expectProblem(await hold({ heldOn: '2027-01-09' }), 400, 'MEETING_REPORT_REQUIRED');
    expect(await fingerprint()).toEqual(before);
    const ok = expectOk(await hold({ heldOn: '2027-01-10', report: '材料' }));
    // The due date still counts from the round-unit's feedback (2026-11-01 + 60 days): held late.
    expect(ok).toMatchObject({ status: 'held', heldOn: '2027-01-10', dueDate: '2026-12-31', flag: 'held_late' });
    const list = expectOk(await a.unita!.get(`${V1}/round-units/${ru.A}/democratic-meetings`));
    expect(list.items.map((x: { cycle: number }) => x.cycle)).toEqual([1, 2]);
    expect(expectOk(await a.office!.get(`${V1}/democratic-meetings/unplanned`)).items).toEqual([]);
    t.clock.advance(DAY);
  });

  it("takes the due days from the 'system.meetings' setting, read afresh; meetings already planned keep theirs", async () => {
    const put = (value: object, version: number) =>
      a.sys!.put(`${V1}/settings/system/system.meetings`, { value, version });
    expectProblem(await put({ dueDays: 0 }, 0), 400, 'VALIDATION_FAILED');
    expectOk(await put({ dueDays: 30 }, 0));
    const before = expectOk(await a.office!.get(`${V1}/democratic-meetings?unitOrgId=${org.unitB}`)).items;
    await t.ctx.db.updateTable('roundUnits').set({ cycle: 3 }).where('id', '=', ru.A!).execute();
    // 2026-11-01 + 30 days.
    expect(expectOk(await a.office!.get(`${V1}/democratic-meetings/unplanned`)).items).toMatchObject([
      { roundUnitId: ru.A, cycle: 3, dueDate: '2026-12-01', overdue: true },
    ]);
    const m = expectOk(
      await a.unita!.post(`${V1}/round-units/${ru.A}/democratic-meetings`, { plannedDate: '2027-01-25' }),
      201,
    );
    expect(m).toMatchObject({ cycle: 3, dueDate: '2026-12-01', overdue: true });
    // B's meeting, planned under 60 days, keeps its due date.
    expect(expectOk(await a.office!.get(`${V1}/democratic-meetings?unitOrgId=${org.unitB}`)).items).toEqual(before);
  });

  it('lists the supervising bodies attendees come from, to a unit whose own scope does not hold them', async () => {
    const names = (
      expectOk(await a.unita!.get(`${V1}/democratic-meetings/attendee-orgs`)).items as {
        id: number;
        type: string;
      }[]
    ).map((o) => o.id);
    expect(names).toEqual(expect.arrayContaining([org.supA, org.supB, org.disc]));
    expect(names).not.toContain(org.unitA);
    expect(names).not.toContain(org.office);
    expectProblem(await a.sys!.get(`${V1}/democratic-meetings/attendee-orgs`), 403, 'FORBIDDEN');
  });
});
