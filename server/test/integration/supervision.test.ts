import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import { decodeXml, inflateEntry, zipEntries } from '../../src/modules/ledger-excel/ledger-excel.zip.js';
import { AppError } from '../../src/platform/errors.js';
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

/** The text of word/document.xml in a .docx: the package must open as a zip with the three parts. */
function docxText(bytes: Buffer): string {
  const bad = () => new AppError(400, 'VALIDATION_FAILED', { detail: 'not a zip' });
  const entries = zipEntries(bytes, bad);
  expect([...entries.keys()].sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  const xml = inflateEntry(bytes, entries.get('word/document.xml')!, 10_000_000, bad).toString('utf8');
  expect(xml.startsWith('<?xml')).toBe(true);
  const types = inflateEntry(bytes, entries.get('[Content_Types].xml')!, 100_000, bad).toString('utf8');
  expect(types).toContain('wordprocessingml.document.main+xml');
  // Well-formed enough: every < opens a tag (no raw specials from the content).
  expect(xml).not.toMatch(/<(?![/?a-zA-Z])/);
  return [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1]!)).join('\n');
}

describe.each(DIALECTS)('day-to-day supervision (M8) on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  let ruA: number;
  let ruB: number;
  let today: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.sup = await t.createOrg({ code: 'SUP', name: '市纪委监委第一监督检查室', type: 'supervisor' });
    org.supLine = await t.createOrg({ code: 'PROP', name: '市委宣传部', type: 'supervisor' });
    org.supB = await t.createOrg({ code: 'SUPB', name: '市纪委监委第二监督检查室', type: 'supervisor' });
    org.disc = await t.createOrg({ code: 'DISC', name: '党风政风监督室', type: 'discipline_office' });
    org.follow = await t.createOrg({ code: 'DCS', name: '市委督查室', type: 'followup_office' });
    const link = (unitOrgId: number, supervisorOrgId: number, categories: string | null) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA, org.sup, null);
    await link(org.unitA, org.supLine, 'T_IDEO'); // 宣传部 follows unit A for 意识形态 only
    await link(org.unitB, org.supB, null);
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['heada', 'unit_head', org.unitA],
      ['unitb', 'unit', org.unitB],
      ['sup', 'supervisor', org.sup],
      ['sup2', 'supervisor', org.sup],
      ['supline', 'supervisor', org.supLine],
      ['supb', 'supervisor', org.supB],
      ['disc', 'discipline', org.disc],
      ['follow', 'followup', org.follow],
      ['sys', 'sysadmin', t.rootOrgId],
    ] as const) {
      await t.createUser({ username, role, orgId });
    }
    for (const code of ['T_LEAD', 'T_IDEO']) {
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
    for (const u of ['office', 'leader', 'unita', 'heada', 'unitb', 'sup', 'sup2', 'supline', 'supb', 'disc', 'follow'])
      a[u] = await t.login(u);
    today = shanghaiDate(t.clock.now());
  });
  afterAll(() => t.close());

  // --- helpers ------------------------------------------------------------------------------

  /** A problem with one measure of a round-unit, through the ledger API by the unit. */
  async function problem(agent: Agent, ru: number, categoryCode: string) {
    const p = expectOk(
      await agent.post(`${V1}/round-units/${ru}/problems`, {
        number: `一、（${++n}）`,
        categoryCode,
        description: '落实全面从严治党主体责任不到位',
        source: 'feedback',
        severity: 'high',
        measures: [{ content: '建立健全三重一大决策制度', type: 'deadline', deadline: '2027-01-31' }],
      }),
      201,
    );
    return { id: p.id as number, measureId: p.measures[0].id as number };
  }

  async function file(ru: number, unitOrgId: number) {
    const r = await t.ctx.db
      .insertInto('evidenceFiles')
      .values({
        sm3: (++n).toString(16).padStart(64, '0'),
        size: 1024,
        kind: 'pdf',
        name: '整改情况报告.pdf',
        roundUnitId: ru,
        unitOrgId,
        uploadedBy: null,
        createdAt: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  function action(agent: Agent, over: Record<string, unknown> = {}) {
    return agent.post(`${V1}/supervision-actions`, {
      kind: 'tracking',
      unitOrgId: org.unitA,
      targetType: 'unit',
      actionDate: today,
      title: '加快整改进度',
      content: '请对照问题清单逐项整改。',
      responseRequired: true,
      responseDeadline: addDays(today, 10),
      ...over,
    });
  }

  /** Row counts and version sums of the feature's tables and the audit head: equal means nothing was written. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM supervision_plans) AS plans,
        (SELECT coalesce(sum(version), 0) FROM supervision_plans) AS plan_versions,
        (SELECT count(*) FROM supervision_milestones) AS milestones,
        (SELECT coalesce(sum(version), 0) FROM supervision_milestones) AS milestone_versions,
        (SELECT count(*) FROM supervision_actions) AS actions,
        (SELECT coalesce(sum(version), 0) FROM supervision_actions) AS action_versions,
        (SELECT count(*) FROM dispatch_orders) AS orders,
        (SELECT coalesce(sum(version), 0) FROM dispatch_orders) AS order_versions,
        (SELECT count(*) FROM dispatch_items) AS items,
        (SELECT coalesce(sum(version), 0) FROM dispatch_items) AS item_versions,
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

  // --- plans --------------------------------------------------------------------------------

  it('plans a unit with milestones whose lights go amber and red with time, and green when done', async () => {
    const plan = expectOk(
      await a.sup!.post(`${V1}/supervision-plans`, {
        unitOrgId: org.unitA,
        roundUnitId: ruA,
        title: '市财政局整改监督计划',
        content: '盯着改、催着改',
        startDate: today,
        endDate: addDays(today, 90),
        milestones: [
          { title: '审核整改方案', dueDate: addDays(today, 3) },
          { title: '列席专题民主生活会', dueDate: addDays(today, 30) },
        ],
      }),
      201,
    );
    expect(plan.supervisorOrgId).toBe(org.sup);
    expect(plan.milestones.map((m: any) => m.light)).toEqual(['amber', 'green']);
    expect(plan.light).toBe('amber');

    const added = expectOk(
      await a.sup2!.post(`${V1}/supervision-plans/${plan.id}/milestones`, {
        title: '对账销号',
        dueDate: addDays(today, 60),
      }),
      201,
    );
    expect(added.milestones).toHaveLength(3);

    t.clock.advance(5 * DAY); // the first milestone is now two days late
    const late = expectOk(await a.unita!.get(`${V1}/supervision-plans/${plan.id}`));
    expect(late.milestones.map((m: any) => m.light)).toEqual(['red', 'green', 'green']);
    expect(late.light).toBe('red');

    const first = late.milestones[0];
    expectProblem(
      await a.sup!.post(`${V1}/supervision-milestones/${first.id}/done`, {
        version: first.version,
        doneDate: addDays(today, 30),
      }),
      400,
      'SUPERVISION_DATE_INVALID',
    );
    const done = expectOk(
      await a.sup!.post(`${V1}/supervision-milestones/${first.id}/done`, { version: first.version, note: '已审核' }),
    );
    expect(done.milestones[0]).toMatchObject({ doneDate: addDays(today, 5), light: 'green', doneNote: '已审核' });
    expect(done.light).toBe('green');
    expectProblem(
      await a.sup!.post(`${V1}/supervision-milestones/${first.id}/done`, { version: first.version }),
      409,
      'CONFLICT_STALE',
    );

    const moved = expectOk(
      await a.sup!.patch(`${V1}/supervision-milestones/${late.milestones[1].id}`, {
        version: late.milestones[1].version,
        dueDate: addDays(today, 8),
      }),
    );
    expect(moved.milestones.find((m: any) => m.title === '列席专题民主生活会').light).toBe('amber');

    const edited = expectOk(
      await a.office!.patch(`${V1}/supervision-plans/${plan.id}`, {
        version: plan.version,
        title: '整改监督计划（修订）',
      }),
    );
    expect(edited.version).toBe(plan.version + 1);
    expectProblem(
      await a.sup!.patch(`${V1}/supervision-plans/${plan.id}`, { version: plan.version, title: 'x' }),
      409,
      'CONFLICT_STALE',
    );
    // 宣传部 reads the plan of a unit it follows, but only its issuer or the office changes it.
    expect((await a.supline!.get(`${V1}/supervision-plans/${plan.id}`)).statusCode).toBe(200);
    expectProblem(
      await a.supline!.patch(`${V1}/supervision-plans/${plan.id}`, { version: edited.version, title: 'x' }),
      403,
      'SUPERVISION_NOT_ISSUER',
    );
    // Outside the scope it does not exist.
    for (const who of ['supb', 'unitb', 'disc', 'follow'])
      expectProblem(await a[who]!.get(`${V1}/supervision-plans/${plan.id}`), 404, 'NOT_FOUND');
    expectProblem(
      await a.supb!.patch(`${V1}/supervision-plans/${plan.id}`, { version: edited.version, title: 'x' }),
      404,
      'NOT_FOUND',
    );
    expect((await a.leader!.get(`${V1}/supervision-plans/${plan.id}`)).statusCode).toBe(200);
    const listB = expectOk(await a.supb!.get(`${V1}/supervision-plans`));
    expect(listB.items.map((p: any) => p.id)).not.toContain(plan.id);
    const listA = expectOk(await a.heada!.get(`${V1}/supervision-plans?unitOrgId=${org.unitA}`));
    expect(listA.items.map((p: any) => p.id)).toContain(plan.id);

    expect(await auditActions('supervision_plan', plan.id)).toEqual([
      'supervision.plan.create:sup',
      'supervision.plan.update:office',
    ]);
    expect(await auditActions('supervision_milestone', first.id)).toEqual(['supervision.milestone.done:sup']);
    t.clock.advance(-5 * DAY);
  });

  it('refuses a plan for a unit the supervisor does not liaise with, or a round-unit of another unit', async () => {
    const before = await fingerprint();
    expectProblem(
      await a.supb!.post(`${V1}/supervision-plans`, { unitOrgId: org.unitA, title: '计划' }),
      400,
      'SUPERVISION_UNIT_UNKNOWN',
    );
    expectProblem(
      await a.sup!.post(`${V1}/supervision-plans`, { unitOrgId: 2147483647, title: '计划' }),
      400,
      'SUPERVISION_UNIT_UNKNOWN',
    );
    expectProblem(
      await a.sup!.post(`${V1}/supervision-plans`, { unitOrgId: org.unitA, roundUnitId: ruB, title: '计划' }),
      400,
      'SUPERVISION_ROUND_UNIT_MISMATCH',
    );
    expectProblem(
      await a.sup!.post(`${V1}/supervision-plans`, {
        unitOrgId: org.unitA,
        title: '计划',
        milestones: [{ title: '节点', dueDate: '2026-02-30' }],
      }),
      400,
      'SUPERVISION_DATE_INVALID',
    );
    expectProblem(
      await a.sup!.post(`${V1}/supervision-plans`, { unitOrgId: org.unitA, title: '   ' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.unita!.post(`${V1}/supervision-plans`, { unitOrgId: org.unitA, title: '计划' }),
      403,
      'FORBIDDEN',
    );
    expect(await fingerprint()).toEqual(before);
  });

  // --- actions ------------------------------------------------------------------------------

  it('issues a 督办单 with a 文号, the unit responds with its evidence, the supervisor closes it', async () => {
    const p = await problem(a.unita!, ruA, 'T_LEAD');
    const first = expectOk(await action(a.sup!, { targetType: 'problem', problemId: p.id }), 201);
    expect(first).toMatchObject({
      status: 'open',
      targetType: 'problem',
      problemId: p.id,
      roundUnitId: ruA,
      categoryCode: 'T_LEAD',
      hasDocument: true,
      overdue: false,
    });
    const year = today.slice(0, 4);
    const m = /^市纪委监委第一监督检查室督〔(\d{4})〕(\d+)号$/.exec(first.docNumber);
    expect(m?.[1]).toBe(year);
    const second = expectOk(await action(a.sup2!, { targetType: 'measure', measureId: p.measureId }), 201);
    expect(second.problemId).toBe(p.id);
    expect(second.docNumber).toBe(`市纪委监委第一监督检查室督〔${year}〕${Number(m![2]) + 1}号`);
    const proposal = expectOk(await action(a.sup!, { kind: 'supervision_proposal' }), 201);
    expect(proposal.docNumber).toMatch(/监建〔\d{4}〕1号$/);
    const other = expectOk(
      await action(a.sup!, { kind: 'stationed_research', responseRequired: false, responseDeadline: undefined }),
      201,
    );
    expect(other).toMatchObject({ hasDocument: false, docNumber: null, responseRequired: false });

    // Another unit may not answer; files must be of the action's round-unit.
    const before = await fingerprint();
    expectProblem(
      await a.unitb!.post(`${V1}/supervision-actions/${first.id}/respond`, { version: first.version, text: '已整改' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.unita!.post(`${V1}/supervision-actions/${first.id}/respond`, {
        version: first.version,
        text: '已整改',
        fileIds: [await file(ruB, org.unitB)],
      }),
      400,
      'FILE_NOT_IN_ROUND_UNIT',
    );
    expectProblem(
      await a.unita!.post(`${V1}/supervision-actions/${first.id}/respond`, { version: first.version + 1, text: 'x' }),
      409,
      'CONFLICT_STALE',
    );
    expectProblem(
      await a.unita!.post(`${V1}/supervision-actions/${first.id}/close`, { version: first.version, note: 'x' }),
      403,
      'FORBIDDEN',
    );
    expect(await fingerprint()).toEqual(before);

    const evidence = await file(ruA, org.unitA);
    const answered = expectOk(
      await a.heada!.post(`${V1}/supervision-actions/${first.id}/respond`, {
        version: first.version,
        text: '已制定整改方案并召开专题会议',
        fileIds: [evidence],
      }),
    );
    expect(answered).toMatchObject({ status: 'responded', responseFileIds: [evidence], respondedByName: 'heada' });
    expectProblem(
      await a.unita!.post(`${V1}/supervision-actions/${first.id}/respond`, { version: answered.version, text: 'x' }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(
      await a.supb!.post(`${V1}/supervision-actions/${first.id}/close`, { version: answered.version, note: 'x' }),
      404,
      'NOT_FOUND',
    );
    const closed = expectOk(
      await a.sup!.post(`${V1}/supervision-actions/${first.id}/close`, { version: answered.version, note: '整改到位' }),
    );
    expect(closed).toMatchObject({ status: 'closed', closeNote: '整改到位', closedByName: 'sup' });
    expect(await auditActions('supervision_action', first.id)).toEqual([
      'supervision.action.create:sup',
      'supervision.action.respond:heada',
      'supervision.action.close:sup',
    ]);

    // A unit-level action has no round-unit: no files.
    expectProblem(
      await a.unita!.post(`${V1}/supervision-actions/${proposal.id}/respond`, {
        version: proposal.version,
        text: '收悉',
        fileIds: [evidence],
      }),
      400,
      'SUPERVISION_FILES_NOT_ALLOWED',
    );
  });

  it('flags a required response overdue once its deadline passed without one, and filters by it', async () => {
    const late = expectOk(await action(a.sup!, { kind: 'review', responseDeadline: addDays(today, 2) }), 201);
    const answeredInTime = expectOk(
      await action(a.sup!, { kind: 'guidance', responseDeadline: addDays(today, 2) }),
      201,
    );
    expectOk(
      await a.unita!.post(`${V1}/supervision-actions/${answeredInTime.id}/respond`, {
        version: answeredInTime.version,
        text: '已落实',
      }),
    );
    t.clock.advance(2 * DAY);
    expect(expectOk(await a.sup!.get(`${V1}/supervision-actions/${late.id}`)).overdue).toBe(false); // the deadline day itself
    t.clock.advance(1 * DAY);
    try {
      expect(expectOk(await a.sup!.get(`${V1}/supervision-actions/${late.id}`)).overdue).toBe(true);
      const overdue = expectOk(await a.office!.get(`${V1}/supervision-actions?overdue=true&limit=200`));
      const ids = overdue.items.map((x: any) => x.id);
      expect(ids).toContain(late.id);
      expect(ids).not.toContain(answeredInTime.id);
      expect(overdue.items.every((x: any) => x.overdue)).toBe(true);
      const notOverdue = expectOk(await a.office!.get(`${V1}/supervision-actions?overdue=false&limit=200`));
      expect(notOverdue.items.map((x: any) => x.id)).toContain(answeredInTime.id);
      expect(notOverdue.items.some((x: any) => x.overdue)).toBe(false);
      const byKind = expectOk(await a.unita!.get(`${V1}/supervision-actions?kind=review&status=open`));
      expect(byKind.items.map((x: any) => x.id)).toContain(late.id);
      expect(byKind.items.every((x: any) => x.kind === 'review' && x.status === 'open')).toBe(true);
      const responded = expectOk(
        await a.unita!.post(`${V1}/supervision-actions/${late.id}/respond`, { version: late.version, text: '迟复' }),
      );
      expect(responded.overdue).toBe(false);
    } finally {
      t.clock.advance(-3 * DAY);
    }
  });

  it("keeps a line-limited supervisor to its line's problems and everyone else to their units (404 otherwise)", async () => {
    const lead = await problem(a.unita!, ruA, 'T_LEAD');
    const ideo = await problem(a.unita!, ruA, 'T_IDEO');
    const bProblem = await problem(a.unitb!, ruB, 'T_LEAD');
    const before = await fingerprint();
    expectProblem(
      await action(a.supline!, { targetType: 'problem', problemId: lead.id }),
      400,
      'SUPERVISION_TARGET_UNKNOWN',
    );
    expectProblem(
      await action(a.supline!, { targetType: 'measure', measureId: lead.measureId }),
      400,
      'SUPERVISION_TARGET_UNKNOWN',
    );
    expectProblem(await action(a.supb!, {}), 400, 'SUPERVISION_UNIT_UNKNOWN');
    expectProblem(
      await action(a.sup!, { targetType: 'problem', problemId: bProblem.id }),
      400,
      'SUPERVISION_TARGET_UNKNOWN',
    );
    expectProblem(
      await action(a.sup!, { targetType: 'problem', problemId: lead.id, roundUnitId: ruB }),
      400,
      'SUPERVISION_ROUND_UNIT_MISMATCH',
    );
    expectProblem(await action(a.sup!, { targetType: 'problem' }), 400, 'VALIDATION_FAILED');
    expectProblem(await action(a.sup!, { responseDeadline: addDays(today, -1) }), 400, 'SUPERVISION_DEADLINE_REQUIRED');
    expectProblem(await action(a.sup!, { planId: 2147483647 }), 400, 'SUPERVISION_PLAN_UNKNOWN');
    expect(await fingerprint()).toEqual(before);

    const mine = expectOk(
      await action(a.supline!, { kind: 'special_check', targetType: 'problem', problemId: ideo.id }),
      201,
    );
    const theirs = expectOk(
      await action(a.sup!, { kind: 'special_check', targetType: 'problem', problemId: lead.id }),
      201,
    );
    const unitWide = expectOk(await action(a.sup!, { kind: 'attend_meeting' }), 201);

    expectProblem(await a.supline!.get(`${V1}/supervision-actions/${theirs.id}`), 404, 'NOT_FOUND');
    expect((await a.supline!.get(`${V1}/supervision-actions/${unitWide.id}`)).statusCode).toBe(200);
    expect((await a.supline!.get(`${V1}/supervision-actions/${mine.id}`)).statusCode).toBe(200);
    const lineList = expectOk(await a.supline!.get(`${V1}/supervision-actions?limit=200`));
    const lineIds = lineList.items.map((x: any) => x.id);
    expect(lineIds).toContain(mine.id);
    expect(lineIds).toContain(unitWide.id);
    expect(lineIds).not.toContain(theirs.id);
    expectProblem(
      await a.supline!.post(`${V1}/supervision-actions/${theirs.id}/close`, { version: theirs.version, note: 'x' }),
      404,
      'NOT_FOUND',
    );
    // The office, the other officer of the same supervising body, the leadership see all of unit A.
    for (const who of ['office', 'sup2', 'leader', 'unita'])
      expect((await a[who]!.get(`${V1}/supervision-actions/${theirs.id}`)).statusCode, who).toBe(200);
    for (const who of ['supb', 'unitb', 'disc', 'follow']) {
      expectProblem(await a[who]!.get(`${V1}/supervision-actions/${theirs.id}`), 404, 'NOT_FOUND');
      const list = expectOk(await a[who]!.get(`${V1}/supervision-actions?limit=200`));
      expect(
        list.items.some((x: any) => x.unitOrgId === org.unitA),
        who,
      ).toBe(false);
    }
    // The office closes anyone's action; the issuer body's other officer too.
    expectOk(
      await a.sup2!.post(`${V1}/supervision-actions/${theirs.id}/close`, { version: theirs.version, note: '已查' }),
    );
    expectOk(
      await a.office!.post(`${V1}/supervision-actions/${mine.id}/close`, { version: mine.version, note: '已查' }),
    );
    expectProblem(
      await a.supline!.post(`${V1}/supervision-actions/${unitWide.id}/close`, { version: unitWide.version, note: 'x' }),
      403,
      'SUPERVISION_NOT_ISSUER',
    );
  });

  it('prints the 督办单 and the 监察建议书 as a .docx that opens and carries the texts, escaped', async () => {
    const content = '经查，你单位"三重一大"制度执行不到位 <第1项> & 财务管理不规范。\n请于期限内整改到位。';
    const tracking = expectOk(await action(a.sup!, { title: '落实整改主体责任', content }), 201);
    const res = await a.unita!.get(`${V1}/supervision-actions/${tracking.id}/document.docx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toContain('wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toContain('.docx');
    const text = docxText(res.rawPayload);
    for (const s of [
      '市纪委监委第一监督检查室',
      tracking.docNumber,
      '关于落实整改主体责任的督办单',
      '市财政局：',
      '经查，你单位"三重一大"制度执行不到位 <第1项> & 财务管理不规范。',
      '请于期限内整改到位。',
      `请于${Number(today.slice(0, 4))}年`,
    ])
      expect(text).toContain(s);
    const [y, mo, d] = today.split('-').map(Number);
    expect(text).toContain(`${y}年${mo}月${d}日`);

    const proposal = expectOk(
      await action(a.office!, {
        kind: 'supervision_proposal',
        title: '关于规范财务管理的监察建议书',
        responseRequired: false,
        responseDeadline: undefined,
      }),
      201,
    );
    const doc = await a.leader!.get(`${V1}/supervision-actions/${proposal.id}/document.docx`);
    expect(doc.statusCode, doc.body).toBe(200);
    const text2 = docxText(doc.rawPayload);
    expect(text2).toContain('关于规范财务管理的监察建议书');
    expect(text2).toContain(proposal.docNumber);
    expect(text2).not.toContain('请于');
    expect(await auditActions('supervision_action', proposal.id)).toEqual([
      'supervision.action.create:office',
      'supervision.action.document:leader',
    ]);

    const plain = expectOk(await action(a.sup!, { kind: 'rotation' }), 201);
    expectProblem(
      await a.sup!.get(`${V1}/supervision-actions/${plain.id}/document.docx`),
      409,
      'SUPERVISION_NO_DOCUMENT',
    );
    expectProblem(await a.unitb!.get(`${V1}/supervision-actions/${tracking.id}/document.docx`), 404, 'NOT_FOUND');
  });

  it('numbers concurrent 督办单 of one issuer without gaps or duplicates', async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) => action(i % 2 ? a.sup! : a.sup2!, { title: `并发督办${i}` })),
    );
    const numbers = made.map((r) => expectOk(r, 201).docNumber as string);
    const seqs = numbers.map((d) => Number(/〔\d{4}〕(\d+)号$/.exec(d)![1])).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(6);
    expect(seqs[5]! - seqs[0]!).toBe(5);
  });

  it('pages actions newest first by keyset, each page in scope, none twice', async () => {
    const all = expectOk(await a.unita!.get(`${V1}/supervision-actions?limit=200`)).items.map((x: any) => x.id);
    expect(all.length).toBeGreaterThan(3);
    expect([...all].sort((x: number, y: number) => y - x)).toEqual(all);
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: any = expectOk(
        await a.unita!.get(`${V1}/supervision-actions?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((x: any) => x.unitOrgId === org.unitA)).toBe(true);
      seen.push(...page.items.map((x: any) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const ofB = expectOk(await a.unitb!.get(`${V1}/supervision-actions?unitOrgId=${org.unitA}`));
    expect(ofB.items).toEqual([]);
  });

  // --- dispatch orders ----------------------------------------------------------------------

  it('dispatches items to a unit, answered item by item, returned and accepted; done when all accepted', async () => {
    const order = expectOk(
      await a.sup!.post(`${V1}/dispatch-orders`, {
        unitOrgId: org.unitA,
        roundUnitId: ruA,
        addressee: '中共市财政局党组',
        title: '落实整改主体责任派单',
        deadline: addDays(today, 20),
        items: [{ content: '召开整改专题会议', deadline: addDays(today, 5) }, { content: '报送整改方案' }],
      }),
      201,
    );
    expect(order).toMatchObject({ status: 'open', addressee: '中共市财政局党组', overdueItems: 0 });
    const [i1, i2] = order.items;
    expect(i2.deadline).toBe(addDays(today, 20));

    const before = await fingerprint();
    expectProblem(
      await a.unitb!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/answer`, { version: 1, text: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.sup!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/accept`, { version: 1 }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(
      await a.sup!.post(`${V1}/dispatch-orders/2147483647/items/${i1.id}/accept`, { version: 1 }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.unita!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/answer`, {
        version: 1,
        text: '已召开',
        fileIds: [await file(ruB, org.unitB)],
      }),
      400,
      'FILE_NOT_IN_ROUND_UNIT',
    );
    expect(await fingerprint()).toEqual(before);

    t.clock.advance(6 * DAY); // item 1 is late
    try {
      const lateView = expectOk(await a.sup!.get(`${V1}/dispatch-orders/${order.id}`));
      expect(lateView.items.map((i: any) => i.overdue)).toEqual([true, false]);
      expect(lateView.overdueItems).toBe(1);
      const overdueList = expectOk(await a.office!.get(`${V1}/dispatch-orders?overdue=true`));
      expect(overdueList.items.map((o: any) => o.id)).toContain(order.id);

      const ev = await file(ruA, org.unitA);
      let o = expectOk(
        await a.unita!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/answer`, {
          version: 1,
          text: '已召开专题会议',
          fileIds: [ev],
        }),
      );
      expect(o.items[0]).toMatchObject({ status: 'answered', overdue: false, answerFileIds: [ev] });
      expectProblem(
        await a.supb!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/return`, { version: 2, note: 'x' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await a.supline!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/return`, { version: 2, note: 'x' }),
        403,
        'SUPERVISION_NOT_ISSUER',
      );
      o = expectOk(
        await a.sup!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/return`, {
          version: 2,
          note: '缺会议纪要',
        }),
      );
      expect(o.items[0]).toMatchObject({ status: 'returned', reviewNote: '缺会议纪要', overdue: true });
      o = expectOk(
        await a.heada!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/answer`, {
          version: 3,
          text: '补充会议纪要',
        }),
      );
      o = expectOk(await a.sup!.post(`${V1}/dispatch-orders/${order.id}/items/${i1.id}/accept`, { version: 4 }));
      expect(o.items[0].status).toBe('accepted');
      expect(o.status).toBe('open');
      o = expectOk(
        await a.unita!.post(`${V1}/dispatch-orders/${order.id}/items/${i2.id}/answer`, { version: 1, text: '已报送' }),
      );
      o = expectOk(await a.office!.post(`${V1}/dispatch-orders/${order.id}/items/${i2.id}/accept`, { version: 2 }));
      expect(o.status).toBe('done');
      expect(o.doneAt).toBe(t.clock.now());
      expect(o.overdueItems).toBe(0);
      const doneList = expectOk(await a.unita!.get(`${V1}/dispatch-orders?status=done`));
      expect(doneList.items.map((x: any) => x.id)).toContain(order.id);
    } finally {
      t.clock.advance(-6 * DAY);
    }
    expect(await auditActions('dispatch_order', order.id)).toEqual(['supervision.dispatch.create:sup']);
    expect(await auditActions('dispatch_item', i1.id)).toEqual([
      'supervision.dispatch.answer:unita',
      'supervision.dispatch.return:sup',
      'supervision.dispatch.answer:heada',
      'supervision.dispatch.accept:sup',
    ]);
    for (const who of ['supb', 'unitb', 'disc', 'follow'])
      expectProblem(await a[who]!.get(`${V1}/dispatch-orders/${order.id}`), 404, 'NOT_FOUND');
  });

  it('refuses bad dispatch orders with 4xx and writes nothing', async () => {
    const before = await fingerprint();
    const base = { unitOrgId: org.unitA, title: '派单', deadline: addDays(today, 10), items: [{ content: '事项' }] };
    expectProblem(await a.sup!.post(`${V1}/dispatch-orders`, { ...base, items: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await a.sup!.post(`${V1}/dispatch-orders`, {
        ...base,
        items: [{ content: '事项', deadline: addDays(today, 11) }],
      }),
      400,
      'DISPATCH_ITEM_DEADLINE_INVALID',
    );
    expectProblem(
      await a.sup!.post(`${V1}/dispatch-orders`, { ...base, deadline: '2026-13-01' }),
      400,
      'SUPERVISION_DATE_INVALID',
    );
    expectProblem(await a.supb!.post(`${V1}/dispatch-orders`, base), 400, 'SUPERVISION_UNIT_UNKNOWN');
    expectProblem(
      await a.sup!.post(`${V1}/dispatch-orders`, { ...base, roundUnitId: ruB }),
      400,
      'SUPERVISION_ROUND_UNIT_MISMATCH',
    );
    expectProblem(await a.sup!.post(`${V1}/dispatch-orders`, { ...base, extra: 1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await a.unita!.post(`${V1}/dispatch-orders`, base), 403, 'FORBIDDEN');
    expectProblem(await a.sup!.post(`${V1}/supervision-actions`, { kind: 'nope' }), 400, 'VALIDATION_FAILED');
    expect(await fingerprint()).toEqual(before);
  });
});
