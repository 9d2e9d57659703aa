/**
 * /dashboard/units answers from FiguresCache while nothing it is computed from changed. These are
 * the changes that do not go through the counters (ledger-counters.test.ts checks the counters' own
 * writes after random sequences): a write outside the API, a measure's dates, the unit's name, a new
 * round-unit, the passing of time (a stall, a new day) and the settings; and that the cache is used.
 */
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SheetRepository } from '../../src/modules/ledger/sheet.repository.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { insertCategories, insertTermWithRounds, insertRoundUnit as insertUnit } from '../ledger-fixture.js';

const V1 = '/api/v1';
const DAY = 86_400_000;

interface UnitRow {
  unitOrgId: number;
  unitName: string;
  measures: number;
  doneMeasures: number;
  overdue: number;
  dueSoon: number;
  stalled: number;
  light: string;
}

describe.each(DIALECTS)('unit figures on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let sys: Agent;
  let termId: number;
  let roundId: number;
  let orgA: number;
  let orgB: number;
  let measureIds: number[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    orgA = await t.createOrg({ code: 'UA', name: '市交通运输局' });
    orgB = await t.createOrg({ code: 'UB', name: '市卫生健康委' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'sys', role: 'sysadmin' });
    await t.createUser({ username: 'sec', role: 'secadmin' });
    await insertCategories(t, ['C_LEAD']);
    const term = await insertTermWithRounds(t, 5, 1);
    termId = term.termId;
    roundId = term.roundIds[0]!;
    const ruA = await insertRoundUnit(orgA);
    [office, sys] = await Promise.all([t.login('office'), t.login('sys')]);
    // Deadlines: yesterday (overdue), in three days (due soon), in a month (neither).
    const created = await office.post(`${V1}/round-units/${ruA}/problems`, {
      number: '1.',
      categoryCode: 'C_LEAD',
      description: '问题',
      source: 'feedback',
      severity: 'medium',
      measures: ['2026-11-26', '2026-11-30', '2026-12-27'].map((deadline) => ({
        content: '整改措施',
        type: 'deadline',
        deadline,
      })),
    });
    expect(created.statusCode, created.body).toBe(201);
    measureIds = (created.json().measures as { id: number }[]).map((m) => m.id);
  });
  afterAll(() => t.close());

  const insertRoundUnit = (unitOrgId: number) => insertUnit(t, { termId, roundId, unitOrgId });

  /** Moves the clock, and signs in again (a session idles out within hours). */
  const setClock = async (ms: number) => {
    t.clock.set(ms);
    [office, sys] = await Promise.all([t.login('office'), t.login('sys')]);
  };
  const units = async () => {
    const res = await office.get(`${V1}/dashboard/units?termId=${termId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as UnitRow[];
  };
  const unitA = async () => (await units()).find((u) => u.unitOrgId === orgA)!;

  it('answers from the cache while nothing changed, and computes again after a write', async () => {
    const spy = vi.spyOn(SheetRepository.prototype, 'openByUnit');
    try {
      const first = await units();
      const computed = spy.mock.calls.length;
      expect(await units()).toEqual(first);
      expect(await units()).toEqual(first);
      expect(spy.mock.calls.length).toBe(computed); // both from the cache
      const m = (await office.get(`${V1}/measures/${measureIds[2]}`)).json();
      const moved = await office.post(`${V1}/measures/${m.id}/status`, { to: 'completed', version: m.version });
      expect(moved.statusCode, moved.body).toBe(200);
      expect((await unitA()).doneMeasures).toBe(1);
      expect(spy.mock.calls.length).toBe(computed + 1);
    } finally {
      spy.mockRestore();
    }
  });

  it.each(['units', 'board'])(
    'sends /dashboard/%s gzipped to a client that accepts it, as browsers do',
    async (name) => {
      const url = `${V1}/dashboard/${name}?termId=${termId}`;
      const plain = await office.get(url);
      const zipped = await office.get(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.statusCode).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers['content-type']).toMatch(/^application\/json/);
      expect(zipped.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
      expect(plain.json()[name === 'units' ? 'items' : 'ranking'].length).toBeGreaterThan(0);
    },
  );

  it('sees a measure written outside the API (a hand-run UPDATE): its deadline and its progress', async () => {
    expect(await unitA()).toMatchObject({ overdue: 1, dueSoon: 1, light: 'red' });
    await sql`UPDATE measures SET effective_deadline = '2026-12-20', deadline = '2026-12-20' WHERE id = ${measureIds[0]}`.execute(
      t.ctx.db,
    );
    expect(await unitA()).toMatchObject({ overdue: 0, dueSoon: 1, light: 'yellow' });
    await sql`UPDATE measures SET effective_deadline = '2026-12-20', deadline = '2026-12-20' WHERE id = ${measureIds[1]}`.execute(
      t.ctx.db,
    );
    expect(await unitA()).toMatchObject({ overdue: 0, dueSoon: 0, stalled: 0, light: 'green' });
    await sql`UPDATE measures SET last_progress_at = ${t.clock.now() - 40 * DAY} WHERE id = ${measureIds[0]}`.execute(
      t.ctx.db,
    );
    expect(await unitA()).toMatchObject({ stalled: 1, light: 'yellow' });
    await sql`UPDATE measures SET last_progress_at = ${t.clock.now()} WHERE id = ${measureIds[0]}`.execute(t.ctx.db);
    expect(await unitA()).toMatchObject({ stalled: 0, light: 'green' });
  });

  it('sees a measure stall the moment its last progress is stalledDays old', async () => {
    // Both open measures: last progress now. They stall after 30 days, not a millisecond before.
    await sql`UPDATE measures SET last_progress_at = ${t.clock.now()} WHERE is_done = 0`.execute(t.ctx.db);
    expect((await unitA()).stalled).toBe(0);
    const start = t.clock.now();
    await sql`UPDATE measures SET last_progress_at = ${start - 30 * DAY + 60_000} WHERE id = ${measureIds[0]}`.execute(
      t.ctx.db,
    );
    expect((await unitA()).stalled).toBe(0);
    t.clock.advance(60_000); // exactly 30 days: not yet
    expect((await unitA()).stalled).toBe(0);
    t.clock.advance(1);
    expect((await unitA()).stalled).toBe(1);
    t.clock.set(start);
    await sql`UPDATE measures SET last_progress_at = ${start} WHERE id = ${measureIds[0]}`.execute(t.ctx.db);
  });

  it('counts overdue and due soon against the new day once the day changes', async () => {
    const start = t.clock.now(); // 2026-11-27 09:00 in Asia/Shanghai
    await sql`UPDATE measures SET effective_deadline = '2026-11-27', deadline = '2026-11-27' WHERE id = ${measureIds[0]}`.execute(
      t.ctx.db,
    );
    expect(await unitA()).toMatchObject({ overdue: 0, dueSoon: 1 });
    await setClock(Date.UTC(2026, 10, 27, 15, 59, 59)); // 23:59:59 the same day
    expect(await unitA()).toMatchObject({ overdue: 0, dueSoon: 1 });
    await setClock(Date.UTC(2026, 10, 27, 16, 0, 0)); // midnight: 2026-11-28
    expect(await unitA()).toMatchObject({ overdue: 1, dueSoon: 0, light: 'red' });
    await setClock(start);
    expect(await unitA()).toMatchObject({ overdue: 0, dueSoon: 1 });
  });

  it('follows the settings: the stalled days and the reminder window', async () => {
    const before = await unitA();
    const settings = (await sys.get(`${V1}/settings/system`)).json();
    const rect = settings.items.find((s: { key: string }) => s.key === 'system.rectification');
    await sql`UPDATE measures SET last_progress_at = ${t.clock.now() - 5 * DAY} WHERE id = ${measureIds[1]}`.execute(
      t.ctx.db,
    );
    expect((await unitA()).stalled).toBe(before.stalled);
    const put = await sys.put(`${V1}/settings/system/system.rectification`, {
      value: { ...rect.value, stalledDays: 3 },
      version: rect.version,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await unitA()).stalled).toBe(before.stalled + 1);
  });

  it("sees the unit's new name and a unit added to the term", async () => {
    const sec = await t.login('sec'); // 三员分立: the security administrator keeps the organisations
    const org = (await sec.get(`${V1}/organisations/${orgA}`)).json();
    const renamed = await sec.patch(`${V1}/organisations/${orgA}`, { version: org.version, name: '市交通运输委员会' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await unitA()).unitName).toBe('市交通运输委员会');
    expect((await units()).map((u) => u.unitOrgId)).toEqual([orgA]);
    await insertRoundUnit(orgB);
    expect((await units()).map((u) => u.unitOrgId)).toEqual([orgA, orgB]);
  });
});
