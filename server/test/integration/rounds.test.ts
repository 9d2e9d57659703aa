import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FEEDBACK_RECIPIENT_KINDS,
  ROUND_UNIT_STATUSES,
  ROUND_UNIT_TRANSITIONS,
  type RoundUnitStatus,
} from '../../../domain/rectification.js';
import type { Role } from '../../../domain/roles.js';
import { RoundService, roundUnitInScope } from '../../src/modules/rounds/rounds.service.js';
import type { Actor } from '../../src/platform/auth/actor.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';

describe.each(DIALECTS)('rounds, round-units, feedback and distribution on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let leader: Agent;
  let unitA: Agent;
  let unitB: Agent;
  let supDisc: Agent;
  let supOrgDept: Agent;
  let supX: Agent;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  let termId: number;
  let roundId: number;
  let otherRoundId: number;
  let teamId: number;
  let ruA: number;
  let ruB: number;

  const link = async (unit: number, supervisor: number) => {
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: unit, supervisorOrgId: supervisor, categories: null, createdAt: t.clock.now() })
      .execute();
  };
  const auditCount = async (action: string) =>
    Number(
      (
        await t.ctx.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const actorOf = (username: string, role: Role, orgId: number): Actor => ({
    userId: user[username]!,
    username,
    displayName: username,
    role,
    orgId,
    orgName: '',
    via: 'session',
    sessionId: null,
    csrfToken: null,
    restriction: null,
    totpEnabled: false,
    passwordChangedAt: 0,
  });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.leaders = await t.createOrg({ code: 'LDXZ', name: '巡察工作领导小组', type: 'leadership_group' });
    org.A = await t.createOrg({ code: 'GXS', name: '市供销社' });
    org.Achild = await t.createOrg({ code: 'GXS-1', name: '市供销社机关党委', type: 'other', parentId: org.A });
    org.B = await t.createOrg({ code: 'TSW', name: '团市委' });
    org.disc = await t.createOrg({
      code: 'JW1',
      name: '市纪委监委第一监督检查室',
      type: 'supervisor',
      supervisorLine: 'discipline',
    });
    org.stationed = await t.createOrg({
      code: 'PZ3',
      name: '派驻第三纪检监察组',
      type: 'supervisor',
      supervisorLine: 'stationed',
    });
    org.orgDept = await t.createOrg({
      code: 'ZZB',
      name: '市委组织部',
      type: 'supervisor',
      supervisorLine: 'organisation',
    });
    org.industry = await t.createOrg({ code: 'SWJ', name: '市商务局', type: 'supervisor', supervisorLine: 'industry' });
    org.leader = await t.createOrg({ code: 'FGLD', name: '分管副市长', type: 'supervisor', supervisorLine: 'leader' });
    org.X = await t.createOrg({
      code: 'JW2',
      name: '市纪委监委第二监督检查室',
      type: 'supervisor',
      supervisorLine: 'discipline',
    });
    for (const s of ['disc', 'stationed', 'orgDept', 'industry', 'leader']) await link(org.A!, org[s]!);
    await link(org.B!, org.X!);

    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', org.leaders],
      ['unita', 'unit', org.A],
      ['heada', 'unit_head', org.A],
      ['unitb', 'unit', org.B],
      ['supdisc', 'supervisor', org.disc],
      ['suporgdept', 'supervisor', org.orgDept],
      ['supx', 'supervisor', org.X],
      ['sysadmin', 'sysadmin', t.rootOrgId],
    ] as [string, Role, number][]) {
      user[username] = await t.createUser({ username, role, orgId });
    }
    office = await t.login('office');
    leader = await t.login('leader');
    unitA = await t.login('unita');
    unitB = await t.login('unitb');
    supDisc = await t.login('supdisc');
    supOrgDept = await t.login('suporgdept');
    supX = await t.login('supx');

    // The seeded calendar has National Day 1–7 October 2026 off and Saturday 10 October worked (调休上班);
    // this test adds 8–9 October as holidays, so a deadline falling on 1 October lands on that Saturday.
    for (const [date, kind] of [
      ['2026-10-01', 'holiday'],
      ['2026-10-08', 'holiday'],
      ['2026-10-09', 'holiday'],
      ['2026-10-10', 'workday'],
    ])
      await t.ctx.db
        .insertInto('calendarDays')
        .values({ date, kind, note: '测试' })
        .onConflict((oc) => oc.column('date').doUpdateSet({ kind, note: '测试' }))
        .execute();
  });
  afterAll(() => t.close());

  describe('terms (届)', () => {
    it('creates, lists and changes a term with its version', async () => {
      const c = await office.post(`${V1}/terms`, { number: 5, name: '五届市委', startDate: '2021-09-01' });
      expect(c.statusCode).toBe(201);
      expect(c.json()).toMatchObject({
        number: 5,
        name: '五届市委',
        startDate: '2021-09-01',
        endDate: null,
        version: 1,
      });
      termId = c.json().id;
      const p = await office.patch(`${V1}/terms/${termId}`, { version: 1, endDate: '2026-08-31' });
      expect(p.statusCode).toBe(200);
      expect(p.json()).toMatchObject({ endDate: '2026-08-31', version: 2 });
      const l = await leader.get(`${V1}/terms`);
      expect(l.json().items.map((x: { id: number }) => x.id)).toContain(termId);
      expect(await auditCount('term.create')).toBe(1);
      expect(await auditCount('term.update')).toBe(1);
    });

    it('refuses a stale version with 409 and the current record', async () => {
      const r = await office.patch(`${V1}/terms/${termId}`, { version: 1, name: '改名' });
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('CONFLICT_STALE');
      expect(r.json().current).toMatchObject({ id: termId, version: 2, name: '五届市委' });
    });

    it('refuses unreal dates, reversed dates and a duplicate number, changing nothing', async () => {
      const before = (await office.get(`${V1}/terms`)).json().items.length;
      const feb30 = await office.post(`${V1}/terms`, { number: 6, name: '六届', startDate: '2026-02-30' });
      expect(feb30.statusCode).toBe(400);
      expect(feb30.json().code).toBe('VALIDATION_FAILED');
      const reversed = await office.post(`${V1}/terms`, {
        number: 6,
        name: '六届',
        startDate: '2026-09-01',
        endDate: '2026-08-01',
      });
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().errors[0].path).toBe('body.endDate');
      const dup = await office.post(`${V1}/terms`, { number: 5, name: '又一个五届' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE');
      const unknownField = await office.post(`${V1}/terms`, { number: 7, name: '七届', colour: 'red' });
      expect(unknownField.statusCode).toBe(400);
      const patchReversed = await office.patch(`${V1}/terms/${termId}`, { version: 2, startDate: '2027-01-01' });
      expect(patchReversed.statusCode).toBe(400);
      expect((await office.get(`${V1}/terms`)).json().items.length).toBe(before);
    });

    it('lets only the office write and keeps the three administrators out', async () => {
      expect((await unitA.post(`${V1}/terms`, { number: 9, name: '九届' })).statusCode).toBe(403);
      expect((await leader.post(`${V1}/terms`, { number: 9, name: '九届' })).statusCode).toBe(403);
      const sys = await t.login('sysadmin');
      expect((await sys.get(`${V1}/terms`)).statusCode).toBe(403);
      expect((await sys.get(`${V1}/round-units`)).statusCode).toBe(403);
    });
  });

  describe('rounds (轮) and teams (巡察组)', () => {
    it('creates rounds and refuses bad dates, bad types, unknown terms and duplicates', async () => {
      const c = await office.post(`${V1}/rounds`, {
        termId,
        number: 10,
        name: '五届市委第十轮巡察',
        type: 'regular',
        onSiteStart: '2026-03-02',
        onSiteEnd: '2026-04-30',
      });
      expect(c.statusCode).toBe(201);
      expect(c.json()).toMatchObject({
        termId,
        termNumber: 5,
        number: 10,
        type: 'regular',
        unitCounts: { total: 0, awaiting_feedback: 0 },
      });
      roundId = c.json().id;
      const o = await office.post(`${V1}/rounds`, { termId, number: 7, name: '第七轮专项巡察', type: 'special' });
      otherRoundId = o.json().id;

      const count = async () => (await office.get(`${V1}/rounds`)).json().items.length;
      const before = await count();
      const bad = [
        { termId, number: 11, name: 'x', type: 'regular', onSiteStart: '2026-05-10', onSiteEnd: '2026-05-01' },
        { termId, number: 11, name: 'x', type: 'regular', onSiteStart: '2026-13-01' },
        { termId, number: 11, name: 'x', type: 'inspection' },
        { termId, number: 11, name: '', type: 'regular' },
        { termId, number: 11, name: '   ', type: 'regular' },
      ];
      for (const body of bad) {
        const r = await office.post(`${V1}/rounds`, body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.json().code).toBe('VALIDATION_FAILED');
      }
      const noTerm = await office.post(`${V1}/rounds`, { termId: 99999, number: 1, name: 'x', type: 'regular' });
      expect(noTerm.statusCode).toBe(400);
      expect(noTerm.json()).toMatchObject({ code: 'INVALID_REFERENCE' });
      const dup = await office.post(`${V1}/rounds`, { termId, number: 10, name: '重复', type: 'regular' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE');
      expect(await count()).toBe(before);
    });

    it('changes a round with its version, and filters by term, type and text', async () => {
      const p = await office.patch(`${V1}/rounds/${roundId}`, { version: 1, notes: '现场巡察两个月' });
      expect(p.json()).toMatchObject({ version: 2, notes: '现场巡察两个月' });
      const stale = await office.patch(`${V1}/rounds/${roundId}`, { version: 1, name: 'x' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().current.version).toBe(2);
      const reversed = await office.patch(`${V1}/rounds/${roundId}`, { version: 2, onSiteEnd: '2026-01-01' });
      expect(reversed.statusCode).toBe(400);
      expect((await office.get(`${V1}/rounds?type=special`)).json().items.map((r: any) => r.id)).toEqual([
        otherRoundId,
      ]);
      expect(
        (await office.get(`${V1}/rounds?q=${encodeURIComponent('第十轮')}`)).json().items.map((r: any) => r.id),
      ).toEqual([roundId]);
      expect((await office.get(`${V1}/rounds?termId=${termId}`)).json().items).toHaveLength(2);
      expect((await office.get(`${V1}/rounds?q=${encodeURIComponent('%')}`)).json().items).toHaveLength(0);
    });

    it('creates teams, seconds members from other departments and removes them', async () => {
      const c = await office.post(`${V1}/rounds/${roundId}/teams`, { name: '市委第一巡察组' });
      expect(c.statusCode).toBe(201);
      teamId = c.json().id;
      expect(c.json()).toMatchObject({ roundId, name: '市委第一巡察组', members: [] });
      const dup = await office.post(`${V1}/rounds/${roundId}/teams`, { name: '市委第一巡察组' });
      expect(dup.statusCode).toBe(409);
      const m1 = await office.post(`${V1}/teams/${teamId}/members`, {
        name: '张三',
        post: '组长',
        memberRole: 'leader',
        sourceOrgId: org.disc,
      });
      expect(m1.statusCode).toBe(201);
      expect(m1.json()).toMatchObject({
        memberRole: 'leader',
        sourceOrgId: org.disc,
        sourceOrgName: '市纪委监委第一监督检查室',
      });
      const m2 = await office.post(`${V1}/teams/${teamId}/members`, {
        name: '李四',
        memberRole: 'member',
        sourceOrgId: org.orgDept,
      });
      expect(
        (await office.post(`${V1}/teams/${teamId}/members`, { name: '王五', memberRole: 'boss' })).statusCode,
      ).toBe(400);
      const badOrg = await office.post(`${V1}/teams/${teamId}/members`, {
        name: '王五',
        memberRole: 'member',
        sourceOrgId: 99999,
      });
      expect(badOrg.statusCode).toBe(400);
      expect(badOrg.json().code).toBe('INVALID_REFERENCE');
      expect((await office.post(`${V1}/teams/99999/members`, { name: '王五', memberRole: 'member' })).statusCode).toBe(
        404,
      );

      const teams = await office.get(`${V1}/rounds/${roundId}/teams`);
      expect(teams.json().items[0].members.map((m: any) => m.name)).toEqual(['张三', '李四']);
      expect((await office.delete(`${V1}/team-members/${m2.json().id}`)).statusCode).toBe(200);
      expect((await office.delete(`${V1}/team-members/${m2.json().id}`)).statusCode).toBe(404);
      const after = await office.get(`${V1}/rounds/${roundId}/teams`);
      expect(after.json().items[0].members.map((m: any) => m.name)).toEqual(['张三']);

      const p = await office.patch(`${V1}/teams/${teamId}`, { version: 1, notes: '联系电话 0877-xxxx' });
      expect(p.json()).toMatchObject({ version: 2, notes: '联系电话 0877-xxxx' });
      expect((await office.patch(`${V1}/teams/${teamId}`, { version: 1, name: 'x' })).statusCode).toBe(409);
      expect(await auditCount('team.member.remove')).toBe(1);
    });
  });

  describe('units of a round (被巡察单位)', () => {
    it('adds inspected units awaiting feedback, and refuses other organisations, strange teams and duplicates', async () => {
      const a = await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.A, teamId });
      expect(a.statusCode).toBe(201);
      expect(a.json()).toMatchObject({
        roundId,
        termId,
        unitOrgId: org.A,
        unitName: '市供销社',
        teamId,
        teamName: '市委第一巡察组',
        status: 'awaiting_feedback',
        cycle: 1,
        feedbackDate: null,
        deadline: null,
        deadlineOverridden: false,
        version: 1,
      });
      ruA = a.json().id;
      ruB = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.B })).json().id;

      const notUnit = await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.Achild });
      expect(notUnit.statusCode).toBe(400);
      expect(notUnit.json()).toMatchObject({ code: 'INVALID_REFERENCE' });
      expect((await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.disc })).statusCode).toBe(400);
      expect((await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: 99999 })).statusCode).toBe(400);
      const otherTeam = (await office.post(`${V1}/rounds/${otherRoundId}/teams`, { name: '专项巡察组' })).json().id;
      const wrongTeam = await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.B, teamId: otherTeam });
      expect(wrongTeam.statusCode).toBe(400);
      const dup = await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: org.A });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE');
      expect((await office.post(`${V1}/rounds/99999/units`, { unitOrgId: org.A })).statusCode).toBe(404);

      const round = await office.get(`${V1}/rounds/${roundId}`);
      expect(round.json().unitCounts).toMatchObject({ total: 2, awaiting_feedback: 2, rectifying: 0 });
    });

    it('pages round-units by keyset and filters them', async () => {
      const p1 = await office.get(`${V1}/round-units?roundId=${roundId}&limit=1`);
      expect(p1.json()).toMatchObject({ total: 2, nextCursor: ruA });
      expect(p1.json().items.map((x: any) => x.id)).toEqual([ruA]);
      const p2 = await office.get(`${V1}/round-units?roundId=${roundId}&limit=1&after=${ruA}`);
      expect(p2.json().items.map((x: any) => x.id)).toEqual([ruB]);
      expect((await office.get(`${V1}/round-units?unitOrgId=${org.B}`)).json().items.map((x: any) => x.id)).toEqual([
        ruB,
      ]);
      expect((await office.get(`${V1}/round-units?status=rectifying&roundId=${roundId}`)).json().total).toBe(0);
      expect((await office.get(`${V1}/round-units?status=done`)).statusCode).toBe(400);
      const byName = await office.get(`${V1}/round-units?q=${encodeURIComponent('团市')}`);
      expect(byName.json().items.map((x: any) => x.id)).toEqual([ruB]);
      expect((await office.get(`${V1}/round-units?q=${encodeURIComponent('_')}`)).json().total).toBe(0);
    });

    it('takes a unit added by mistake out of the round, but not once feedback or anything else hangs on it', async () => {
      const u = await t.createOrg({ code: 'MISTAKE', name: '误加单位' });
      const ru = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json();
      expect((await unitA.delete(`${V1}/round-units/${ru.id}`)).statusCode).toBe(403);
      expect((await office.delete(`${V1}/round-units/${ru.id}`)).statusCode).toBe(200);
      expect((await office.get(`${V1}/round-units/${ru.id}`)).statusCode).toBe(404);
      expect((await office.delete(`${V1}/round-units/${ru.id}`)).statusCode).toBe(404);
      expect(await auditCount('round_unit.delete')).toBe(1);

      const kept = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json();
      const sup = await t.createOrg({ code: 'SJJ', name: '市审计局', type: 'supervisor', supervisorLine: 'audit' });
      await link(u, sup);
      await t.createUser({ username: 'supaudit', role: 'supervisor', orgId: sup });
      const auditor = await t.login('supaudit');
      expect((await auditor.post(`${V1}/round-units/${kept.id}/briefings`, { content: '审计发现' })).statusCode).toBe(
        201,
      );
      const inUse = await office.delete(`${V1}/round-units/${kept.id}`);
      expect(inUse.statusCode).toBe(409);
      expect(inUse.json().code).toBe('IN_USE');
    });
  });

  describe('feedback (反馈意见) starts the clock', () => {
    it('moves the unit to 整改中 and sets the deadline three months on, moved onto a working day (调休)', async () => {
      // 2026-07-01 + 3 months = Thursday 1 October, a holiday; 2–9 October too; Saturday 10 October is worked.
      const r = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        title: '关于巡察市供销社党组的反馈意见',
        body: '一、党的领导方面\n（一）……',
        deliveredOn: '2026-07-01',
        version: 0,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().feedback).toMatchObject({ version: 1, deliveredOn: '2026-07-01' });
      expect(r.json().roundUnit).toMatchObject({
        status: 'rectifying',
        feedbackDate: '2026-07-01',
        deadline: '2026-10-10',
        deadlineOverridden: false,
        version: 2,
      });
      const detail = (await office.get(`${V1}/round-units/${ruA}`)).json();
      expect(detail.history.map((h: any) => [h.fromStatus, h.toStatus])).toEqual([
        [null, 'awaiting_feedback'],
        ['awaiting_feedback', 'rectifying'],
      ]);
      expect(detail.history[1]).toMatchObject({ actorName: 'office', deadline: '2026-10-10' });
      expect(await auditCount('round_unit.feedback_delivered')).toBe(1);
    });

    it('moves a Sunday deadline to Monday and clamps the month end', async () => {
      const b = await office.put(`${V1}/round-units/${ruB}/feedback`, {
        body: '反馈',
        deliveredOn: '2026-08-29',
        version: 0,
      });
      expect(b.json().roundUnit.deadline).toBe('2026-11-30'); // 29 November is a Sunday
      const fixed = await office.put(`${V1}/round-units/${ruB}/feedback`, {
        body: '反馈',
        deliveredOn: '2026-08-31',
        version: 1,
      });
      expect(fixed.statusCode).toBe(200);
      expect(fixed.json().roundUnit).toMatchObject({
        feedbackDate: '2026-08-31',
        deadline: '2026-11-30',
        status: 'rectifying',
      });
    });

    it('uses the configured period (system.general.rectificationMonths)', async () => {
      const general = await t.ctx.settings.view('system.general');
      await t.ctx.settings.set(
        { actorId: null, actorName: null, ip: null, requestId: null },
        'system.general',
        { ...(general.value as object), rectificationMonths: 4 },
        general.version,
      );
      try {
        const u = await t.createOrg({ code: 'RMONTHS', name: '市人防办' });
        const id = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json().id;
        const r = await office.put(`${V1}/round-units/${id}/feedback`, {
          body: '反馈',
          deliveredOn: '2026-08-31',
          version: 0,
        });
        expect(r.json().roundUnit.deadline).toBe('2026-12-31');
      } finally {
        const now = await t.ctx.settings.view('system.general');
        await t.ctx.settings.set(
          { actorId: null, actorName: null, ip: null, requestId: null },
          'system.general',
          { ...(now.value as object), rectificationMonths: 3 },
          now.version,
        );
      }
    });

    it('refuses a stale feedback version, an unreal or future date, and changes nothing', async () => {
      const stale = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        body: '覆盖',
        deliveredOn: '2026-07-01',
        version: 0,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({
        code: 'CONFLICT_STALE',
        current: { version: 1, deliveredOn: '2026-07-01' },
      });
      const feb29 = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        body: 'x',
        deliveredOn: '2026-02-29',
        version: 1,
      });
      expect(feb29.statusCode).toBe(400);
      expect(feb29.json().code).toBe('VALIDATION_FAILED');
      const future = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        body: 'x',
        deliveredOn: '2027-01-04',
        version: 1,
      });
      expect(future.statusCode).toBe(400);
      const blank = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        body: '',
        deliveredOn: '2026-07-01',
        version: 1,
      });
      expect(blank.statusCode).toBe(400);
      const detail = (await office.get(`${V1}/round-units/${ruA}`)).json();
      expect(detail.feedback).toMatchObject({ version: 1, body: '一、党的领导方面\n（一）……' });
      expect(detail).toMatchObject({ version: 2, deadline: '2026-10-10' });
      expect(
        (await unitA.put(`${V1}/round-units/${ruA}/feedback`, { body: 'x', deliveredOn: '2026-07-01', version: 1 }))
          .statusCode,
      ).toBe(403);
    });

    it('lets the office set the deadline by hand, not before the feedback, and keeps it when the date is corrected', async () => {
      const tooEarly = await office.patch(`${V1}/round-units/${ruA}`, { version: 2, deadline: '2026-06-30' });
      expect(tooEarly.statusCode).toBe(400);
      const unreal = await office.patch(`${V1}/round-units/${ruA}`, { version: 2, deadline: '2026-11-31' });
      expect(unreal.statusCode).toBe(400);
      const set = await office.patch(`${V1}/round-units/${ruA}`, { version: 2, deadline: '2026-12-31' });
      expect(set.json()).toMatchObject({ deadline: '2026-12-31', deadlineOverridden: true, version: 3 });
      const stale = await office.patch(`${V1}/round-units/${ruA}`, { version: 2, deadline: '2027-01-31' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'CONFLICT_STALE', current: { version: 3, deadline: '2026-12-31' } });
      const corrected = await office.put(`${V1}/round-units/${ruA}/feedback`, {
        body: '更正',
        deliveredOn: '2026-07-02',
        version: 1,
      });
      expect(corrected.json().roundUnit).toMatchObject({ feedbackDate: '2026-07-02', deadline: '2026-12-31' });

      const u = await t.createOrg({ code: 'NOFB', name: '市档案馆' });
      const fresh = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json();
      const early = await office.patch(`${V1}/round-units/${fresh.id}`, { version: 1, deadline: '2026-12-31' });
      expect(early.statusCode).toBe(409);
      expect(early.json().code).toBe('FEEDBACK_REQUIRED');
      const team = await office.patch(`${V1}/round-units/${fresh.id}`, { version: 1, teamId });
      expect(team.json()).toMatchObject({ teamId, teamName: '市委第一巡察组' });
    });
  });

  describe('status transitions (ROUND_UNIT_TRANSITIONS)', () => {
    const path: Record<RoundUnitStatus, RoundUnitStatus[]> = {
      awaiting_feedback: [],
      rectifying: [],
      period_ended: ['period_ended'],
      evaluated: ['period_ended', 'evaluated'],
      published: ['period_ended', 'evaluated', 'published'],
      re_rectifying: ['period_ended', 'evaluated', 're_rectifying'],
    };
    let seq = 0;
    /** A fresh round-unit brought to `status` through legal moves. */
    const reach = async (status: RoundUnitStatus) => {
      const u = await t.createOrg({ code: `TR${++seq}`, name: `转换测试单位${seq}` });
      let ru = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json();
      if (status !== 'awaiting_feedback') {
        ru = (
          await office.put(`${V1}/round-units/${ru.id}/feedback`, {
            body: '反馈',
            deliveredOn: '2026-09-30',
            version: 0,
          })
        ).json().roundUnit;
      }
      for (const to of path[status]) {
        const r = await office.post(`${V1}/round-units/${ru.id}/transition`, {
          to,
          version: ru.version,
          reason: '测试',
        });
        expect(r.statusCode, `${ru.status} → ${to}: ${r.body}`).toBe(200);
        ru = r.json();
      }
      expect(ru.status).toBe(status);
      return ru;
    };

    it.each(ROUND_UNIT_STATUSES)('from %s: allows exactly the moves of the table', async (from) => {
      for (const to of ROUND_UNIT_STATUSES) {
        const ru = await reach(from);
        const legal = ROUND_UNIT_TRANSITIONS[from].includes(to);
        const body: Record<string, unknown> = { to, version: ru.version, reason: '按规定' };
        if (from === 'period_ended' && to === 'rectifying') body.deadline = '2027-01-29';
        const r = await office.post(`${V1}/round-units/${ru.id}/transition`, body);
        if (!legal) {
          expect(r.statusCode, `${from} → ${to}`).toBe(409);
          expect(r.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
          expect(r.json().detail).toBe(`不能从「${from}」变为「${to}」`);
          expect((await office.get(`${V1}/round-units/${ru.id}`)).json()).toMatchObject({
            status: from,
            version: ru.version,
          });
        } else if (from === 'awaiting_feedback') {
          // the legal way out of 待反馈 is delivering the feedback, which also starts the clock
          expect(r.statusCode).toBe(409);
          expect(r.json().code).toBe('FEEDBACK_REQUIRED');
          const f = await office.put(`${V1}/round-units/${ru.id}/feedback`, {
            body: '反馈',
            deliveredOn: '2026-09-30',
            version: 0,
          });
          expect(f.json().roundUnit).toMatchObject({ status: 'rectifying', deadline: '2026-12-30' });
        } else {
          expect(r.statusCode, `${from} → ${to}: ${r.body}`).toBe(200);
          expect(r.json()).toMatchObject({ status: to, version: ru.version + 1 });
          if (to === 're_rectifying') {
            // a new cycle, and a new period from today (Friday 2026-11-27 + 3 months = Saturday → Monday)
            expect(r.json()).toMatchObject({ cycle: ru.cycle + 1, deadline: '2027-03-01', deadlineOverridden: false });
          } else {
            expect(r.json().cycle).toBe(ru.cycle);
          }
          if (from === 'period_ended' && to === 'rectifying') expect(r.json().deadline).toBe('2027-01-29');
        }
      }
    });

    it('needs a reason to reopen, a future deadline to extend, and the current version', async () => {
      const ended = await reach('period_ended');
      const noReason = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 'rectifying',
        version: ended.version,
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].path).toBe('body.reason');
      const past = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 'rectifying',
        version: ended.version,
        reason: '延期',
        deadline: '2026-11-01',
      });
      expect(past.statusCode).toBe(400);
      const stale = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 'evaluated',
        version: ended.version - 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'CONFLICT_STALE', current: { status: 'period_ended' } });
      const deadlineOnForward = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 'evaluated',
        version: ended.version,
        deadline: '2027-01-29',
      });
      expect(deadlineOnForward.statusCode).toBe(400);
      const bogus = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 'closed',
        version: ended.version,
      });
      expect(bogus.statusCode).toBe(400);
      expect(
        (await unitA.post(`${V1}/round-units/${ended.id}/transition`, { to: 'evaluated', version: ended.version }))
          .statusCode,
      ).toBe(403);

      // a re-rectification may be given its own deadline; the history keeps the reason
      const evaluated = (
        await office.post(`${V1}/round-units/${ended.id}/transition`, { to: 'evaluated', version: ended.version })
      ).json();
      const again = await office.post(`${V1}/round-units/${ended.id}/transition`, {
        to: 're_rectifying',
        version: evaluated.version,
        reason: '评价不合格，责成重新整改',
        deadline: '2027-02-26',
      });
      expect(again.json()).toMatchObject({
        status: 're_rectifying',
        cycle: 2,
        deadline: '2027-02-26',
        deadlineOverridden: true,
      });
      const detail = (await office.get(`${V1}/round-units/${ended.id}`)).json();
      expect(detail.history.at(-1)).toMatchObject({
        fromStatus: 'evaluated',
        toStatus: 're_rectifying',
        cycle: 2,
        reason: '评价不合格，责成重新整改',
      });
      expect(detail.allowedTransitions).toEqual(['period_ended']);
    });

    it('says the transition error in the reader’s language', async () => {
      const ru = await reach('rectifying');
      const en = await office.request(
        'POST',
        `${V1}/round-units/${ru.id}/transition`,
        { to: 'published', version: ru.version },
        {
          'accept-language': 'en',
        },
      );
      expect(en.json().detail).toBe('Cannot change from "rectifying" to "published"');
      const tw = await office.request(
        'POST',
        `${V1}/round-units/${ru.id}/transition`,
        { to: 'published', version: ru.version },
        {
          'accept-language': 'zh-TW',
        },
      );
      expect(tw.json().detail).toBe('不能從「rectifying」變為「published」');
    });
  });

  describe('data scope', () => {
    it('shows a unit its own round-units only, and another unit’s as not found', async () => {
      const mine = await unitA.get(`${V1}/round-units`);
      expect(mine.statusCode).toBe(200);
      expect(mine.json().items.map((x: any) => x.id)).toEqual([ruA]);
      expect(mine.json().total).toBe(1);
      expect((await unitA.get(`${V1}/round-units/${ruA}`)).statusCode).toBe(200);
      const other = await unitA.get(`${V1}/round-units/${ruB}`);
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('NOT_FOUND');
      expect((await unitA.get(`${V1}/round-units/99999`)).json().code).toBe('NOT_FOUND');
      expect((await unitA.get(`${V1}/round-units?unitOrgId=${org.B}`)).json().items).toEqual([]);
      expect((await unitB.get(`${V1}/round-units`)).json().items.map((x: any) => x.id)).toEqual([ruB]);
      const head = await t.login('heada');
      expect((await head.get(`${V1}/round-units`)).json().items.map((x: any) => x.id)).toEqual([ruA]);
    });

    it('shows a unit only the rounds and teams that concern it, counted within its scope', async () => {
      const rounds = (await unitA.get(`${V1}/rounds`)).json().items;
      expect(rounds.map((r: any) => r.id)).toEqual([roundId]);
      expect(rounds[0].unitCounts.total).toBe(1);
      expect((await unitA.get(`${V1}/rounds/${otherRoundId}`)).statusCode).toBe(404);
      expect((await unitA.get(`${V1}/rounds/${otherRoundId}/teams`)).statusCode).toBe(404);
      expect((await unitA.get(`${V1}/rounds/${roundId}/teams`)).json().items.map((x: any) => x.id)).toEqual([teamId]);
      expect((await unitB.get(`${V1}/rounds/${roundId}/teams`)).json().items).toEqual([]);
      const all = (await leader.get(`${V1}/rounds/${roundId}`)).json();
      expect(all.unitCounts.total).toBeGreaterThan(2);
    });

    it('shows a supervisor the units it liaises with only', async () => {
      expect((await supDisc.get(`${V1}/round-units`)).json().items.map((x: any) => x.id)).toEqual([ruA]);
      expect((await supX.get(`${V1}/round-units`)).json().items.map((x: any) => x.id)).toEqual([ruB]);
      expect((await supX.get(`${V1}/round-units/${ruA}`)).statusCode).toBe(404);
      expect((await leader.get(`${V1}/round-units?roundId=${roundId}`)).json().total).toBeGreaterThan(2);
    });

    it('gives other modules the round-unit in scope or not found', async () => {
      const own = await roundUnitInScope(t.ctx.db, actorOf('unita', 'unit', org.A!), ruA);
      expect(own).toMatchObject({
        id: ruA,
        termId,
        roundId,
        unitOrgId: org.A,
        status: 'rectifying',
        deadline: '2026-12-31',
      });
      await expect(roundUnitInScope(t.ctx.db, actorOf('unita', 'unit', org.A!), ruB)).rejects.toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
      const svc = new RoundService(t.ctx);
      expect(await svc.getRoundUnitForActor(actorOf('supx', 'supervisor', org.X!), ruB)).toMatchObject({ id: ruB });
      await expect(svc.getRoundUnitForActor(actorOf('supx', 'supervisor', org.X!), ruA)).rejects.toMatchObject({
        status: 404,
      });
      await expect(svc.getRoundUnitForActor(actorOf('sysadmin', 'sysadmin', t.rootOrgId), ruA)).rejects.toMatchObject({
        status: 404,
      });
    });
  });

  describe('distribution (抄送) and talk reports', () => {
    it('needs the feedback first', async () => {
      const u = await t.createOrg({ code: 'NOFB2', name: '市气象局' });
      const id = (await office.post(`${V1}/rounds/${roundId}/units`, { unitOrgId: u })).json().id;
      expect((await office.post(`${V1}/round-units/${id}/distribute`, {})).json().code).toBe('FEEDBACK_REQUIRED');
      const c = await office.post(`${V1}/round-units/${id}/copies`, {
        recipientKind: 'leader',
        recipientName: '分管副市长',
      });
      expect(c.statusCode).toBe(409);
      expect(c.json().code).toBe('FEEDBACK_REQUIRED');
    });

    it('creates the five standard copies from the liaison links in one step, skipping kinds already present', async () => {
      const first = await office.post(`${V1}/round-units/${ruA}/distribute`, {});
      expect(first.statusCode).toBe(200);
      expect(
        first
          .json()
          .created.map((c: any) => c.recipientKind)
          .sort(),
      ).toEqual([...FEEDBACK_RECIPIENT_KINDS].sort());
      expect(first.json().missing).toEqual([]);
      const byKind = Object.fromEntries(first.json().created.map((c: any) => [c.recipientKind, c]));
      expect(byKind.supervision_office).toMatchObject({
        recipientOrgId: org.disc,
        recipientOrgName: '市纪委监委第一监督检查室',
      });
      expect(byKind.stationed_group.recipientOrgId).toBe(org.stationed);
      expect(byKind.organisation_dept.recipientOrgId).toBe(org.orgDept);
      expect(byKind.industry.recipientOrgId).toBe(org.industry);
      expect(byKind.leader).toMatchObject({ recipientOrgId: org.leader, sentAt: null });
      const again = await office.post(`${V1}/round-units/${ruA}/distribute`, {});
      expect(again.json()).toMatchObject({ created: [] });
      expect(again.json().skipped).toHaveLength(5);
      expect(again.json().copies).toHaveLength(5);

      const b = await office.post(`${V1}/round-units/${ruB}/distribute`, { markSent: true });
      expect(b.json().created).toHaveLength(1);
      expect(b.json().created[0]).toMatchObject({
        recipientKind: 'supervision_office',
        recipientOrgId: org.X,
        sentAt: t.clock.now(),
      });
      expect(b.json().missing.sort()).toEqual(['industry', 'leader', 'organisation_dept', 'stationed_group']);
      expect(await auditCount('feedback_copy.distribute')).toBe(2);
    });

    it('adds a copy by hand and refuses one without a recipient or a duplicate', async () => {
      const none = await office.post(`${V1}/round-units/${ruB}/copies`, { recipientKind: 'leader' });
      expect(none.statusCode).toBe(400);
      const badKind = await office.post(`${V1}/round-units/${ruB}/copies`, {
        recipientKind: 'press',
        recipientName: '日报',
      });
      expect(badKind.statusCode).toBe(400);
      const badOrg = await office.post(`${V1}/round-units/${ruB}/copies`, {
        recipientKind: 'industry',
        recipientOrgId: 99999,
      });
      expect(badOrg.json().code).toBe('INVALID_REFERENCE');
      const ok = await office.post(`${V1}/round-units/${ruB}/copies`, {
        recipientKind: 'leader',
        recipientName: '分管副市长 王某',
        note: '书面抄送',
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({
        recipientKind: 'leader',
        recipientOrgId: null,
        recipientName: '分管副市长 王某',
      });
      const dup = await office.post(`${V1}/round-units/${ruB}/copies`, {
        recipientKind: 'leader',
        recipientName: '分管副市长 王某',
      });
      expect(dup.statusCode).toBe(409);
    });

    it('records sending and receipt, by the recipient or the office only', async () => {
      const copies = (await office.get(`${V1}/round-units/${ruA}`)).json().copies;
      const disc = copies.find((c: any) => c.recipientKind === 'supervision_office');
      const org2 = copies.find((c: any) => c.recipientKind === 'organisation_dept');
      const early = await supDisc.post(`${V1}/feedback-copies/${disc.id}/received`);
      expect(early.statusCode).toBe(409);
      expect(early.json().code).toBe('INVALID_TRANSITION');
      expect((await unitA.post(`${V1}/feedback-copies/${disc.id}/sent`)).statusCode).toBe(403);
      t.clock.advance(60_000);
      const sent = await office.post(`${V1}/feedback-copies/${disc.id}/sent`);
      expect(sent.json()).toMatchObject({ sentAt: t.clock.now(), receivedAt: null, version: 2 });
      expect((await office.post(`${V1}/feedback-copies/${disc.id}/sent`)).json().sentAt).toBe(t.clock.now());
      expect((await office.post(`${V1}/feedback-copies/${org2.id}/sent`)).statusCode).toBe(200);

      expect((await unitA.post(`${V1}/feedback-copies/${disc.id}/received`)).statusCode).toBe(403);
      expect((await supX.post(`${V1}/feedback-copies/${disc.id}/received`)).statusCode).toBe(404);
      expect((await supOrgDept.post(`${V1}/feedback-copies/${disc.id}/received`)).statusCode).toBe(403);
      t.clock.advance(60_000);
      const got = await supDisc.post(`${V1}/feedback-copies/${disc.id}/received`);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({ receivedAt: t.clock.now(), version: 3 });
      const byOffice = await office.post(`${V1}/feedback-copies/${org2.id}/received`);
      expect(byOffice.json().receivedAt).toBe(t.clock.now());
      expect((await office.post(`${V1}/feedback-copies/99999/sent`)).statusCode).toBe(404);
      expect(await auditCount('feedback_copy.received')).toBe(2);
    });

    it('sends the talk report to the organisation department, which alone (with the office) sees and receipts it', async () => {
      const r = await office.post(`${V1}/round-units/${ruA}/talk-reports`, {
        sentToOrgId: org.orgDept,
        summary: '个别谈话 32 人次，反映选人用人问题 3 条',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        sentToOrgId: org.orgDept,
        sentToOrgName: '市委组织部',
        sentAt: t.clock.now(),
        receivedAt: null,
      });
      const id = r.json().id;
      expect(
        (await office.post(`${V1}/round-units/${ruA}/talk-reports`, { sentToOrgId: 99999, summary: 'x' })).statusCode,
      ).toBe(400);

      expect((await unitA.get(`${V1}/round-units/${ruA}`)).json().talkReports).toEqual([]);
      expect((await supDisc.get(`${V1}/round-units/${ruA}`)).json().talkReports).toEqual([]);
      expect((await supOrgDept.get(`${V1}/round-units/${ruA}`)).json().talkReports.map((x: any) => x.id)).toEqual([id]);
      expect((await leader.get(`${V1}/round-units/${ruA}`)).json().talkReports).toHaveLength(1);

      expect((await supDisc.post(`${V1}/talk-reports/${id}/received`)).statusCode).toBe(404);
      expect((await unitA.post(`${V1}/talk-reports/${id}/received`)).statusCode).toBe(404);
      const got = await supOrgDept.post(`${V1}/talk-reports/${id}/received`);
      expect(got.statusCode).toBe(200);
      expect(got.json().receivedAt).toBe(t.clock.now());
      const log = await t.ctx.db
        .selectFrom('auditLog')
        .select(['after'])
        .where('action', '=', 'talk_report.create')
        .executeTakeFirstOrThrow();
      expect(log.after).not.toContain('选人用人');
    });
  });

  describe('pre-inspection briefings (巡前情况通报)', () => {
    it('lets a liaison supervisor brief on its unit, and no one else but the office', async () => {
      const r = await supDisc.post(`${V1}/round-units/${ruA}/briefings`, {
        content: '近三年信访举报 12 件',
        givenOn: '2026-02-20',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        supervisorOrgId: org.disc,
        supervisorOrgName: '市纪委监委第一监督检查室',
        teamId,
        teamName: '市委第一巡察组',
        givenOn: '2026-02-20',
        createdBy: user.supdisc,
      });
      expect((await supX.post(`${V1}/round-units/${ruA}/briefings`, { content: 'x' })).statusCode).toBe(404);
      expect((await supDisc.post(`${V1}/round-units/${ruB}/briefings`, { content: 'x' })).statusCode).toBe(404);
      expect((await unitA.post(`${V1}/round-units/${ruA}/briefings`, { content: 'x' })).statusCode).toBe(403);
      expect((await leader.post(`${V1}/round-units/${ruA}/briefings`, { content: 'x' })).statusCode).toBe(403);
      expect(
        (await supDisc.post(`${V1}/round-units/${ruA}/briefings`, { content: 'x', givenOn: '2026-02-30' })).statusCode,
      ).toBe(400);
      const asOther = await supDisc.post(`${V1}/round-units/${ruA}/briefings`, {
        content: 'x',
        supervisorOrgId: org.stationed,
      });
      expect(asOther.statusCode).toBe(400);

      const noOrg = await office.post(`${V1}/round-units/${ruA}/briefings`, { content: '派驻组通报' });
      expect(noOrg.statusCode).toBe(400);
      const notLinked = await office.post(`${V1}/round-units/${ruA}/briefings`, {
        content: 'x',
        supervisorOrgId: org.X,
      });
      expect(notLinked.json().code).toBe('INVALID_REFERENCE');
      const onBehalf = await office.post(`${V1}/round-units/${ruA}/briefings`, {
        content: '派驻组通报：审计发现问题 5 个',
        supervisorOrgId: org.stationed,
        teamId: null,
      });
      expect(onBehalf.statusCode).toBe(201);
      expect(onBehalf.json()).toMatchObject({ supervisorOrgId: org.stationed, teamId: null });
    });

    it('shows briefings to the office and leadership, to a supervisor its own, and not to the unit', async () => {
      expect((await office.get(`${V1}/round-units/${ruA}/briefings`)).json().items).toHaveLength(2);
      expect((await leader.get(`${V1}/round-units/${ruA}/briefings`)).json().items).toHaveLength(2);
      const own = (await supDisc.get(`${V1}/round-units/${ruA}/briefings`)).json().items;
      expect(own.map((b: any) => b.supervisorOrgId)).toEqual([org.disc]);
      expect((await supX.get(`${V1}/round-units/${ruA}/briefings`)).statusCode).toBe(404);
      const unitView = await unitA.get(`${V1}/round-units/${ruA}/briefings`);
      expect(unitView.statusCode).toBe(200);
      expect(unitView.json().items).toEqual([]);
      const detail = (await unitA.get(`${V1}/round-units/${ruA}`)).json();
      expect(detail.briefings).toEqual([]);
      expect(detail.feedback.body).toBe('更正');
      expect(detail.team.members.map((m: any) => m.name)).toEqual(['张三']);
      expect(detail.allowedTransitions).toEqual([]);
      expect((await supDisc.get(`${V1}/round-units/${ruA}`)).json().briefings).toHaveLength(1);
      expect((await office.get(`${V1}/round-units/${ruA}`)).json().allowedTransitions).toEqual(['period_ended']);
    });
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/terms',
      '/api/v1/rounds/{id}',
      '/api/v1/rounds/{id}/teams',
      '/api/v1/round-units',
      '/api/v1/round-units/{id}/feedback',
      '/api/v1/round-units/{id}/transition',
      '/api/v1/round-units/{id}/distribute',
      '/api/v1/feedback-copies/{id}/received',
      '/api/v1/talk-reports/{id}/received',
      '/api/v1/round-units/{id}/briefings',
      '/api/v1/team-members/{id}',
    ])
      expect(doc.paths[p], p).toBeDefined();
    expect(doc.paths['/api/v1/round-units/{id}/transition'].post.tags).toEqual(['rounds']);
  });
});
