import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService } from '../../src/modules/calendar/calendar.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

describe.each(DIALECTS)('working calendar on %s', (dialect) => {
  let t: TestApp;
  let sysadmin: Agent;
  let office: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.createUser({ username: 'sys', role: 'sysadmin' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'unit', role: 'unit' });
    await t.createUser({ username: 'sec', role: 'secadmin' });
    sysadmin = await t.login('sys');
    office = await t.login('office');
  });
  afterAll(() => t.close());

  it('ships the 2026 holidays and make-up working days', async () => {
    const r = await office.get('/api/v1/calendar?year=2026');
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { date: string; kind: string; note: string | null }[];
    const byDate = new Map(items.map((i) => [i.date, i]));
    expect(byDate.get('2026-10-01')).toEqual({ date: '2026-10-01', kind: 'holiday', note: '国庆节' });
    expect(byDate.get('2026-09-20')?.kind).toBe('workday'); // Sunday, 调休上班
    expect(byDate.get('2026-02-17')?.kind).toBe('holiday'); // 春节
    expect(items.every((i) => i.date.startsWith('2026-'))).toBe(true);
    expect(items.map((i) => i.date)).toEqual([...items.map((i) => i.date)].sort());
    const y2027 = (await office.get('/api/v1/calendar?year=2027')).json().items as any[];
    expect(y2027.length).toBeGreaterThan(20);
    expect(y2027.every((i) => i.note.includes('预估'))).toBe(true);
    expect((await office.get('/api/v1/calendar?year=1999')).json().items).toEqual([]);
  });

  it('counts a deadline over a holiday onto the next working day', async () => {
    // 2026-07-01 + 3 months = 2026-10-01, inside the National Day holiday (10-01..10-07) → 10-08
    const r = await office.get('/api/v1/calendar/deadline?from=2026-07-01&months=3');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ date: '2026-10-08' });
    // the default period comes from system.general.rectificationMonths (3)
    expect((await office.get('/api/v1/calendar/deadline?from=2026-07-01')).json()).toEqual({ date: '2026-10-08' });
    // a month end clamps: 2026-11-30 + 3 months = 2027-02-28 (a Sunday) → 2027-03-01
    expect((await office.get('/api/v1/calendar/deadline?from=2026-11-30&months=3')).json()).toEqual({
      date: '2027-03-01',
    });
    expect(await CalendarService.deadline(t.ctx.db, '2026-07-01', 3)).toBe('2026-10-08');
  });

  it('keeps a deadline on a 调休 working day even though it is a weekend', async () => {
    // 2026-06-20 + 3 months = 2026-09-20, a Sunday that is a make-up working day
    expect((await office.get('/api/v1/calendar/deadline?from=2026-06-20&months=3')).json()).toEqual({
      date: '2026-09-20',
    });
    // 2026-09-18 (Fri) + 1 working day = 2026-09-20 (Sun, 调休), + 2 = 2026-09-21 (Mon)
    expect((await office.get('/api/v1/calendar/add-working-days?from=2026-09-18&days=1')).json()).toEqual({
      date: '2026-09-20',
    });
    expect((await office.get('/api/v1/calendar/add-working-days?from=2026-09-18&days=2')).json()).toEqual({
      date: '2026-09-21',
    });
    // over the whole National Day week: 2026-09-30 (Wed) + 2 working days = 10-08 (Thu), + 3 = 10-09 (Fri), + 4 = 10-10 (Sat, 调休)
    const add = async (days: number) =>
      (await office.get(`/api/v1/calendar/add-working-days?from=2026-09-30&days=${days}`)).json().date;
    expect(await add(0)).toBe('2026-09-30');
    expect(await add(1)).toBe('2026-10-08');
    expect(await add(2)).toBe('2026-10-09');
    expect(await add(3)).toBe('2026-10-10');
    expect(await add(4)).toBe('2026-10-12');
  });

  it('follows the administrator’s changes: a new holiday moves a deadline, removing it moves it back', async () => {
    // 2028 has no stored exceptions: 2028-01-03 + 3 months = 2028-04-03 (Mon)
    const url = '/api/v1/calendar/deadline?from=2028-01-03&months=3';
    expect((await office.get(url)).json().date).toBe('2028-04-03');
    const put = await sysadmin.put('/api/v1/calendar/2028-04-03', { kind: 'holiday', note: ' 清明节 ' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ date: '2028-04-03', kind: 'holiday', note: '清明节' });
    expect((await office.get(url)).json().date).toBe('2028-04-04');
    // a Saturday made a working day
    expect((await sysadmin.put('/api/v1/calendar/2028-04-08', { kind: 'workday' })).json()).toEqual({
      date: '2028-04-08',
      kind: 'workday',
      note: null,
    });
    expect((await office.get('/api/v1/calendar/add-working-days?from=2028-04-07&days=1')).json().date).toBe(
      '2028-04-08',
    );
    // changing the kind of an existing date replaces it
    expect((await sysadmin.put('/api/v1/calendar/2028-04-08', { kind: 'holiday', note: 'x' })).statusCode).toBe(200);
    expect((await office.get('/api/v1/calendar?year=2028')).json().items).toEqual([
      { date: '2028-04-03', kind: 'holiday', note: '清明节' },
      { date: '2028-04-08', kind: 'holiday', note: 'x' },
    ]);
    expect((await sysadmin.delete('/api/v1/calendar/2028-04-03')).statusCode).toBe(200);
    expect((await sysadmin.delete('/api/v1/calendar/2028-04-08')).statusCode).toBe(200);
    expect((await office.get(url)).json().date).toBe('2028-04-03');
    expect((await sysadmin.delete('/api/v1/calendar/2028-04-03')).statusCode).toBe(404);

    const log = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'entityId', 'before', 'after'])
      .where('entity', '=', 'calendar_day')
      .orderBy('seq')
      .execute();
    expect(log.map((l) => `${l.action} ${l.entityId}`)).toEqual([
      'calendar.set 2028-04-03',
      'calendar.set 2028-04-08',
      'calendar.set 2028-04-08',
      'calendar.delete 2028-04-03',
      'calendar.delete 2028-04-08',
    ]);
    expect(JSON.parse(log[2]!.before!)).toEqual({ date: '2028-04-08', kind: 'workday', note: null });
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('refuses dates that do not exist and malformed input', async () => {
    for (const d of ['2026-02-30', '2026-13-01', '2025-02-29']) {
      const r = await sysadmin.put(`/api/v1/calendar/${d}`, { kind: 'holiday' });
      expect(r.statusCode, d).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await sysadmin.put('/api/v1/calendar/2026-1-01', { kind: 'holiday' })).statusCode).toBe(400);
    expect((await sysadmin.put('/api/v1/calendar/2028-02-29', { kind: 'sometimes' })).statusCode).toBe(400);
    expect((await sysadmin.put('/api/v1/calendar/2028-02-29', { kind: 'holiday', x: 1 })).statusCode).toBe(400);
    expect((await office.get('/api/v1/calendar/deadline?from=2026-02-30')).statusCode).toBe(400);
    expect((await office.get('/api/v1/calendar/deadline?from=20260101')).statusCode).toBe(400);
    expect((await office.get('/api/v1/calendar/add-working-days?from=2026-01-01&days=-1')).statusCode).toBe(400);
    expect((await office.get('/api/v1/calendar/add-working-days?from=2026-01-01')).statusCode).toBe(400);
    expect((await office.get('/api/v1/calendar?year=20260')).statusCode).toBe(400);
  });

  it('refuses writes by anyone but the system administrator', async () => {
    const unit = await t.login('unit');
    const sec = await t.login('sec');
    for (const a of [office, unit, sec]) {
      const put = await a.put('/api/v1/calendar/2028-05-02', { kind: 'holiday' });
      expect(put.statusCode).toBe(403);
      expect(put.json().code).toBe('FORBIDDEN');
      expect((await a.delete('/api/v1/calendar/2026-10-01')).statusCode).toBe(403);
    }
    // everyone reads
    expect((await unit.get('/api/v1/calendar?year=2026')).statusCode).toBe(200);
    expect((await unit.get('/api/v1/calendar/deadline?from=2026-07-01')).statusCode).toBe(200);
    expect((await t.anonymous().get('/api/v1/calendar?year=2026')).statusCode).toBe(401);
    // and the system administrator can
    expect((await sysadmin.put('/api/v1/calendar/2028-05-02', { kind: 'holiday' })).statusCode).toBe(200);
    expect((await sysadmin.delete('/api/v1/calendar/2028-05-02')).statusCode).toBe(200);
  });
});
