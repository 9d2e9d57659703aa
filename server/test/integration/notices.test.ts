import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../domain/calendar.js';
import { WarningsService } from '../../src/modules/notices/warnings.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { addMeasure, addMeeting, DAY, makeUnit, morning, noticesOf, today, type Unit } from './notices-fixture.js';

describe.each(DIALECTS)('notices and the warning chain on %s', (dialect) => {
  let t: TestApp;
  let supOrg: number;
  let supervisor: number;
  let leaderUser: number;
  let office: number;
  let a: Unit;
  let b: Unit;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    t.clock.set(morning('2026-12-01'));
    supOrg = await t.createOrg({ code: 'SUP', name: '纪委监委第一监督检查室', type: 'supervisor' });
    supervisor = await t.createUser({ username: 'sup1', role: 'supervisor', orgId: supOrg });
    leaderUser = await t.createUser({ username: 'leader1', role: 'leader' });
    office = await t.createUser({ username: 'office1', role: 'office' });
    a = await makeUnit(t, 'UA', supOrg); // liaised with the supervisor
    b = await makeUnit(t, 'UB', null); // nobody's liaison unit
  });
  afterAll(() => t.close());

  it('fires each chain step on its day, to the owner, the leader in charge, the principal and the liaison supervisors — once', async () => {
    const start = today(t);
    const deadline = addDays(start, 25);
    const m = await addMeasure(t, a, { deadline });
    const first = new Map<number, string[]>(); // user → dates a chain notice for m arrived
    const seen = new Set<number>();
    for (let d = 0; d <= 30; d++) {
      const date = addDays(start, d);
      t.clock.set(morning(date));
      // Keep the measure "reported": this test is about the chain, not about stalling.
      await t.ctx.db.updateTable('measures').set({ lastProgressAt: t.clock.now() }).where('id', '=', m).execute();
      const r = await t.app.scheduler.tick();
      expect(r.errors).toEqual([]);
      for (const u of [a.owner, a.leader, a.head, supervisor, a.liaison, b.owner]) {
        for (const n of await noticesOf(t, u)) {
          if (seen.has(Number(n.id)) || n.entity !== 'measure' || n.entityId !== String(m)) continue;
          seen.add(Number(n.id));
          first.set(u, [...(first.get(u) ?? []), `${date}:${n.kind}`]);
        }
      }
    }
    expect(first.get(a.owner)).toEqual([`${addDays(start, 5)}:deadline`]); // 20 days before
    expect(first.get(a.leader)).toEqual([`${addDays(start, 15)}:deadline`]); // 10 days before
    expect(first.get(a.head)).toEqual([`${addDays(start, 26)}:overdue`]); // 1 day overdue
    expect(first.get(supervisor)).toEqual([`${addDays(start, 26)}:overdue`]);
    expect(first.get(a.liaison)).toBeUndefined(); // the owner has an account: the liaison is not told
    expect(first.get(b.owner)).toBeUndefined();
    const overdue = (await noticesOf(t, a.head)).find((n) => n.entityId === String(m))!;
    expect(overdue.title).toContain('已逾期1天');
    expect(overdue.body).toContain(`整改期限：${deadline}`);

    // An approved extension is a new deadline: the chain starts again for it, and only for it.
    const extended = addDays(today(t), 15);
    await t.ctx.db
      .updateTable('measures')
      .set({ extendedDeadline: extended, effectiveDeadline: extended, lastProgressAt: t.clock.now() })
      .where('id', '=', m)
      .execute();
    const before = (await noticesOf(t, a.owner)).length;
    await new WarningsService(t.ctx).runDaily(t.clock.now());
    await new WarningsService(t.ctx).runDaily(t.clock.now()); // a rerun adds nothing
    const after = await noticesOf(t, a.owner);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.idemKey).toBe(`chain:measure:${m}@${extended}:d20:owner:u${a.owner}`);
    await t.ctx.db.updateTable('measures').set({ isDone: 1, status: 'completed' }).where('id', '=', m).execute();
  });

  it('without an owner account the unit liaison is told; without a responsible leader account, the unit head', async () => {
    const c = await makeUnit(t, 'UC', null);
    await t.ctx.db.deleteFrom('problemResponsibles').where('problemId', '=', c.problem).execute();
    const m = await addMeasure(t, c, { deadline: addDays(today(t), 5), owner: null });
    await new WarningsService(t.ctx).runDaily(t.clock.now());
    const ofM = async (u: number) => (await noticesOf(t, u)).filter((n) => n.entityId === String(m)).map((n) => n.kind);
    expect(await ofM(c.liaison)).toEqual(['deadline']);
    expect(await ofM(c.head)).toEqual(['deadline']); // the leader-in-charge step falls back to the head
    expect(await ofM(a.liaison)).toEqual([]); // another unit's liaison is not
  });

  it('flags a stalled measure once per stall, to its owner and the liaison supervisors', async () => {
    const now = t.clock.now();
    const m = await addMeasure(t, a, {
      deadline: addDays(today(t), 200),
      lastProgressAt: now - 31 * DAY,
      createdAt: now - 60 * DAY,
    });
    const fresh = await addMeasure(t, a, { deadline: addDays(today(t), 200), lastProgressAt: now - 29 * DAY });
    const w = new WarningsService(t.ctx);
    await w.runDaily(now);
    await w.runDaily(now);
    const stalledOf = async (u: number, id: number) =>
      (await noticesOf(t, u)).filter((n) => n.kind === 'stalled' && n.entityId === String(id));
    expect(await stalledOf(a.owner, m)).toHaveLength(1);
    expect(await stalledOf(supervisor, m)).toHaveLength(1);
    expect((await stalledOf(a.owner, m))[0]!.title).toContain(`自${addDays(today(t), -31)}起无进展`);
    expect(await stalledOf(a.owner, fresh)).toHaveLength(0);
    expect(await stalledOf(a.head, m)).toHaveLength(0);
    // Progress re-arms it: the next stall is a new warning.
    await t.ctx.db.updateTable('measures').set({ lastProgressAt: now }).where('id', '=', m).execute();
    await w.runDaily(now + 31 * DAY);
    expect(await stalledOf(a.owner, m)).toHaveLength(2);
    await t.ctx.db.updateTable('measures').set({ isDone: 1 }).where('id', 'in', [m, fresh]).execute();
  });

  it('warns the unit head and the liaison supervisors of a 整改专题民主生活会 not held by its due date', async () => {
    const missed = await addMeeting(t, a, addDays(today(t), -1), 'planned');
    const notYet = await addMeeting(t, a, today(t), 'planned');
    const held = await addMeeting(t, a, addDays(today(t), -3), 'held');
    const w = new WarningsService(t.ctx);
    await w.runDaily(t.clock.now());
    await w.runDaily(t.clock.now());
    const about = async (u: number, id: number) =>
      (await noticesOf(t, u)).filter((n) => n.kind === 'meeting_missed' && n.entityId === String(id));
    expect(await about(a.head, missed)).toHaveLength(1);
    expect(await about(supervisor, missed)).toHaveLength(1);
    expect((await about(a.head, missed))[0]!.title).toContain(`应于${addDays(today(t), -1)}前召开`);
    expect(await about(a.owner, missed)).toHaveLength(0);
    expect(await about(a.head, notYet)).toHaveLength(0);
    expect(await about(a.head, held)).toHaveLength(0);
    await t.ctx.db.updateTable('democraticMeetings').set({ status: 'held' }).where('id', '=', missed).execute();
  });

  it('sends a weekly digest per supervisor (its liaison units only) and per leader (all), and the warning signs per unit', async () => {
    const now = t.clock.now();
    const td = today(t);
    await addMeasure(t, a, { deadline: addDays(td, -3) }); // late at A
    await addMeasure(t, b, { deadline: addDays(td, -100) }); // late at B, 挂账 (over 90 days)
    await addMeasure(t, b, { deadline: addDays(td, -4) }); // late at B
    await addMeasure(t, a, { deadline: addDays(td, 50), lastProgressAt: now - 40 * DAY, createdAt: now - 40 * DAY });
    // 日常工作代替整改: a narrative submitted this week that restates routine work.
    await t.ctx.db
      .updateTable('progressReportItems')
      .set({ narrative: '本月按照惯例开展日常工作' })
      .where('measureId', 'in', t.ctx.db.selectFrom('measures').select('id').where('unitOrgId', '=', b.orgId))
      .execute();
    await t.ctx.db
      .updateTable('progressReports')
      .set({ submittedAt: now - DAY })
      .where('unitOrgId', '=', b.orgId)
      .execute();

    const r = await new WarningsService(t.ctx).runWeekly(now, 'wtest');
    expect(r.created).toBeGreaterThan(0);
    const digestOf = async (u: number) =>
      (await noticesOf(t, u)).filter((n) => n.kind === 'digest' && n.entityId === 'wtest');
    const [sd] = await digestOf(supervisor);
    const [ld] = await digestOf(leaderUser);
    expect(sd!.title).toContain('逾期1项');
    expect(sd!.body).toContain('联系单位 1 个');
    expect(sd!.body).toContain('UA单位');
    expect(sd!.body).not.toContain('UB单位');
    expect(sd!.body).toMatch(/停滞无进展：[1-9]\d*项/);
    expect(ld!.title).toContain('逾期3项');
    expect(ld!.body).toContain('UB单位 2项');
    expect(await digestOf(office)).toHaveLength(0);

    const signs = (await noticesOf(t, office)).filter((n) => n.kind === 'warning_signs');
    const bSigns = signs.find((n) => n.title.includes('UB单位'))!;
    expect(bSigns.body).toContain('整改超规定时限：2项');
    expect(bSigns.body).toContain('挂账整改（逾期超过90天）：1项');
    expect(bSigns.body).toContain('疑似日常工作代替整改（请核查）：1项');
    expect((await noticesOf(t, supervisor)).some((n) => n.kind === 'warning_signs' && n.title.includes('UB'))).toBe(
      false,
    );

    // The office reads the same signs per unit on the API.
    const officeAgent = await t.login('office1');
    const res = await officeAgent.get('/api/v1/notices/warning-signs');
    expect(res.statusCode).toBe(200);
    const row = res.json().items.find((x: { unitOrgId: number }) => x.unitOrgId === b.orgId);
    expect(row).toMatchObject({ overdue: 2, onBooks: 1, routineWork: 1 });

    // Rerunning the week adds nothing.
    const again = await new WarningsService(t.ctx).runWeekly(now, 'wtest');
    expect(again.created).toBe(0);
  });

  describe('the notification centre', () => {
    let owner: Agent;
    let head: Agent;
    beforeAll(async () => {
      const ownerName = (
        await t.ctx.db.selectFrom('users').select('username').where('id', '=', a.owner).executeTakeFirstOrThrow()
      ).username;
      const headName = (
        await t.ctx.db.selectFrom('users').select('username').where('id', '=', a.head).executeTakeFirstOrThrow()
      ).username;
      owner = await t.login(ownerName);
      head = await t.login(headName);
    });

    it('lists my notices with the unread count, marks one read, then all', async () => {
      const mine = await noticesOf(t, a.owner);
      expect(mine.length).toBeGreaterThan(1);
      const count = (await owner.get('/api/v1/notices/unread-count')).json().count;
      expect(count).toBe(mine.length);
      const page = (await owner.get('/api/v1/notices?pageSize=200')).json();
      expect(page.total).toBe(mine.length);
      expect(page.unread).toBe(mine.length);
      expect(page.items[0].id).toBe(Number(mine.at(-1)!.id)); // newest first
      expect(page.items[0]).not.toHaveProperty('userId');

      const id = page.items[1].id;
      const read = await owner.post(`/api/v1/notices/${id}/read`);
      expect(read.statusCode).toBe(200);
      expect(read.json().readAt).toBe(t.clock.now());
      expect((await owner.get('/api/v1/notices/unread-count')).json().count).toBe(mine.length - 1);
      expect((await owner.post(`/api/v1/notices/${id}/read`)).json().readAt).toBe(t.clock.now()); // idempotent
      expect((await owner.get('/api/v1/notices?unread=true&pageSize=200')).json().items).toHaveLength(mine.length - 1);
      const audit = await t.ctx.db.selectFrom('auditLog').select('action').where('entityId', '=', String(id)).execute();
      expect(audit.map((x) => x.action)).toEqual(['notice.read']);

      const all = await owner.post('/api/v1/notices/read-all');
      expect(all.json().updated).toBe(mine.length - 1);
      expect((await owner.get('/api/v1/notices/unread-count')).json().count).toBe(0);
    });

    it("answers 404 for another user's notice, as for one that does not exist, and changes nothing", async () => {
      const [ownerNotice] = await noticesOf(t, a.owner);
      const [headNotice] = await noticesOf(t, a.head);
      expect((await head.get(`/api/v1/notices/${headNotice!.id}`)).statusCode).toBe(200);
      const other = await head.get(`/api/v1/notices/${ownerNotice!.id}`);
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('NOT_FOUND');
      expect((await head.get('/api/v1/notices/99999999')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      const unreadBefore = (await head.get('/api/v1/notices/unread-count')).json().count;
      expect((await head.post(`/api/v1/notices/${ownerNotice!.id}/read`)).statusCode).toBe(404);
      expect((await head.get('/api/v1/notices/unread-count')).json().count).toBe(unreadBefore);
      await t.createUser({ username: 'sysadm_n', role: 'sysadmin' });
      const admin = await t.login('sysadm_n');
      expect((await admin.get(`/api/v1/notices/${ownerNotice!.id}`)).statusCode).toBe(404);
    });

    it('shows the office every delivery and its state, and the job runs; others are refused', async () => {
      const officeAgent = await t.login('office1');
      const d = await officeAgent.get('/api/v1/notices/deliveries?pageSize=5');
      expect(d.statusCode).toBe(200);
      const body = d.json();
      expect(body.total).toBeGreaterThan(0);
      // Channels are off by default: the dispatcher marks the webhook deliveries skipped, with the reason.
      expect(body.counts.skipped).toBeGreaterThan(0);
      expect(body.items[0]).toHaveProperty('userName');
      const skipped = (await officeAgent.get('/api/v1/notices/deliveries?status=skipped&pageSize=1')).json().items[0];
      expect(skipped.lastError).toMatch(/switched off|no e-mail/);
      const runs = (await officeAgent.get('/api/v1/notices/job-runs?pageSize=100')).json();
      expect(runs.jobs).toEqual(expect.arrayContaining(['warnings.daily', 'warnings.weekly']));
      expect(
        runs.items.filter(
          (x: { job: string; periodKey: string }) => x.job === 'warnings.daily' && !x.periodKey.startsWith('manual'),
        ).length,
      ).toBe(31);
      expect(runs.items.every((x: { status: string }) => x.status === 'done')).toBe(true);
      expect((await owner.get('/api/v1/notices/deliveries')).statusCode).toBe(403);
      // The office runs the daily warnings now, twice: a run row each, the second sends nothing new.
      const manual = await officeAgent.post('/api/v1/notices/job-runs/warnings.daily/run');
      expect(manual.statusCode).toBe(200);
      expect(manual.json()).toMatchObject({ status: 'done', periodKey: `manual-${t.clock.now()}` });
      const before = await t.ctx.db.selectFrom('notices').select('id').execute();
      t.clock.advance(1000);
      const again = await officeAgent.post('/api/v1/notices/job-runs/warnings.daily/run');
      expect(again.json().result.created).toBe(0);
      expect((await t.ctx.db.selectFrom('notices').select('id').execute()).length).toBe(before.length);
      expect((await officeAgent.post('/api/v1/notices/job-runs/no.such.job/run')).statusCode).toBe(404);
      expect((await owner.post('/api/v1/notices/job-runs/warnings.daily/run')).statusCode).toBe(403);
      expect((await officeAgent.post(`/api/v1/notices/deliveries/${skipped.id}/retry`)).json().code).toBe(
        'NOTICE_DELIVERY_NOT_FAILED',
      );
    });
  });
});
