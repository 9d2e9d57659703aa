import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decideHandover,
  HANDOVER_ACTIONS,
  type HandoverAction,
  type HandoverItemStatus,
} from '../../../domain/handover.js';
import type { Role } from '../../../domain/roles.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type']), res.body).toContain('application/problem+json');
  expect(res.json().code, res.body).toBe(code);
}

function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

describe.each(DIALECTS)('handover (M9) and responsibility handover (M18) on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const user: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  let ruA: number;
  let ruB: number;
  let ruC: number;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitA1 = await t.createOrg({ code: 'UA1', name: '市财政局国库科', parentId: org.unitA });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.unitC = await t.createOrg({ code: 'UC', name: '市水务局' });
    org.sup1 = await t.createOrg({ code: 'SUP1', name: '第一监督检查室', type: 'supervisor' });
    org.sup2 = await t.createOrg({ code: 'SUP2', name: '第二监督检查室', type: 'supervisor' });
    org.disc1 = await t.createOrg({ code: 'DF1', name: '党风政风监督室', type: 'discipline_office' });
    org.disc2 = await t.createOrg({ code: 'DF2', name: '县纪委党风政风监督室', type: 'discipline_office' });
    const link = (unitOrgId: number, supervisorOrgId: number) =>
      t.ctx.db
        .insertInto('liaisonLinks')
        .values({ unitOrgId, supervisorOrgId, categories: null, createdAt: t.clock.now() })
        .execute();
    await link(org.unitA, org.sup1);
    await link(org.unitB, org.sup2);
    for (const [username, role, orgId] of [
      ['office', 'office', org.office],
      ['leader', 'leader', t.rootOrgId],
      ['unita', 'unit', org.unitA],
      ['unita2', 'unit', org.unitA],
      ['unitsub', 'unit', org.unitA1],
      ['unitb', 'unit', org.unitB],
      ['head', 'unit_head', org.unitA],
      ['sup1', 'supervisor', org.sup1],
      ['sup2', 'supervisor', org.sup2],
      ['disc1', 'discipline', org.disc1],
      ['disc2', 'discipline', org.disc2],
      ['sys', 'sysadmin', t.rootOrgId],
      ['sec', 'secadmin', t.rootOrgId],
      ['aud', 'auditor', t.rootOrgId],
    ] as const) {
      user[username] = await t.createUser({ username, role, orgId });
    }
    const now = t.clock.now();
    await t.ctx.db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code: 'T_LEAD',
        labelZhCn: '党的领导',
        labelZhTw: '黨的領導',
        labelEn: 'leadership',
        sort: 0,
        active: 1,
        extra: null,
        version: 1,
        updatedAt: now,
      })
      .execute();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow();
    const termId = Number(term.id);
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
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rus: number[] = [];
    for (const unitOrgId of [org.unitA!, org.unitB!, org.unitC!]) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
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
        .executeTakeFirstOrThrow();
      rus.push(Number(r.id));
    }
    [ruA, ruB, ruC] = rus as [number, number, number];
    for (const username of Object.keys(user)) a[username] = await t.login(username);
  });
  afterAll(() => t.close());

  // --- helpers ------------------------------------------------------------------------------

  /** Row counts, version sums and the audit head: equal before and after means nothing was written. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM handovers) AS handovers,
        (SELECT coalesce(sum(version), 0) FROM handovers) AS handover_versions,
        (SELECT count(*) FROM handover_items) AS items,
        (SELECT coalesce(sum(version), 0) FROM handover_items) AS item_versions,
        (SELECT count(*) FROM handover_item_notes) AS notes,
        (SELECT count(*) FROM responsibility_handovers) AS rhs,
        (SELECT count(*) FROM responsibility_handover_measures) AS rh_measures,
        (SELECT count(*) FROM responsibility_handover_notices) AS notices,
        (SELECT count(read_at) FROM responsibility_handover_notices) AS read_notices,
        (SELECT coalesce(sum(version), 0) FROM measures) AS measure_versions,
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

  type MeasureIn = { type?: string; ownerUserId?: number; ownerName?: string };
  /** A problem with measures, through the ledger API by the office; answers the problem. */
  async function problem(ru: number, measures: MeasureIn[] = [{}]) {
    const res = await a.office!.post(`${V1}/round-units/${ru}/problems`, {
      number: `一、（${++serial}）`,
      categoryCode: 'T_LEAD',
      description: '落实全面从严治党主体责任不到位',
      source: 'feedback',
      severity: 'high',
      measures: measures.map((m) => ({
        content: `整改措施${++serial}`,
        type: 'deadline',
        deadline: '2027-01-31',
        ...m,
      })),
    });
    return expectOk(res, 201) as {
      id: number;
      measures: { id: number; version: number; status: string; ownerUserId: number | null; ownerName: string | null }[];
    };
  }

  async function setMeasureStatus(id: number, status: string) {
    await t.ctx.db
      .updateTable('measures')
      .set({ status, isDone: ['completed', 'closure_requested', 'closed'].includes(status) ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async function handOver(problemIds: number[], receivingOrgId = org.disc1!) {
    return expectOk(await a.office!.post(`${V1}/handovers`, { problemIds, receivingOrgId, note: '请督促整改' }), 201);
  }

  // --- M9 -----------------------------------------------------------------------------------

  it('runs office → 党风政风室 → supervision office → concluded, each step audited, visible only to the parties', async () => {
    const pC = await problem(ruC, [{ type: 'deadline' }]); // 市水务局: liaised by no supervisor
    const pA = await problem(ruA, [{ type: 'long_term' }]);
    await setMeasureStatus(pA.measures[0]!.id, 'completed'); // long-term: still handed over
    const h = await handOver([pC.id, pA.id]);
    expect(h.receivingOrgId).toBe(org.disc1);
    expect(h.counts).toEqual({ handed_over: 2 });
    const itemC = h.items.find((i: any) => i.problemId === pC.id);
    const itemA = h.items.find((i: any) => i.problemId === pA.id);
    expect(itemC).toMatchObject({ kind: 'unrectified', status: 'handed_over', unitName: '市水务局' });
    expect(itemA).toMatchObject({ kind: 'long_term', status: 'handed_over' });

    // Who sees the handover: the office, the leadership (SPEC §2: it sees all, read-only) and the
    // 党风政风室 addressed; nobody else.
    expect(expectOk(await a.leader!.get(`${V1}/handovers/${h.id}`)).items).toHaveLength(2);
    expect(expectOk(await a.disc1!.get(`${V1}/handovers/${h.id}`)).items).toHaveLength(2);
    expect(expectOk(await a.disc1!.get(`${V1}/handovers/${h.id}`)).items[0].actions.sort()).toEqual([
      'accept',
      'return',
    ]);
    const missing = await a.disc2!.get(`${V1}/handovers/2147483647`);
    for (const who of ['disc2', 'sup1', 'sup2', 'unita', 'head']) {
      const res = await a[who]!.get(`${V1}/handovers/${h.id}`);
      expectProblem(res, 404, 'NOT_FOUND');
      expect({ ...res.json(), requestId: 0, instance: 0 }).toEqual({ ...missing.json(), requestId: 0, instance: 0 });
      expectProblem(await a[who]!.get(`${V1}/handover-items/${itemC.id}`), 404, 'NOT_FOUND');
      expect(expectOk(await a[who]!.get(`${V1}/handovers`)).items.map((x: any) => x.id)).not.toContain(h.id);
    }
    for (const who of ['sys', 'sec', 'aud'])
      expectProblem(await a[who]!.get(`${V1}/handovers/${h.id}`), 403, 'FORBIDDEN');
    expect(expectOk(await a.office!.get(`${V1}/handovers`)).items.map((x: any) => x.id)).toContain(h.id);
    expect(expectOk(await a.disc1!.get(`${V1}/handovers?pending=true`)).items.map((x: any) => x.id)).toContain(h.id);

    // The 党风政风室 accepts both into its supervision responsibility list.
    const accepted = expectOk(await a.disc1!.post(`${V1}/handovers/${h.id}/accept`, { version: h.version }));
    expect(accepted.counts).toEqual({ accepted: 2 });
    expect(accepted.version).toBe(h.version + 1);
    const list = expectOk(await a.disc1!.get(`${V1}/supervision-ledger?status=accepted`));
    expect(list.items.map((i: any) => i.id).sort()).toEqual([itemA.id, itemC.id].sort());

    // … and dispatches 市水务局's item to the first supervision office, which does not liaise with it.
    const itemC1 = accepted.items.find((i: any) => i.id === itemC.id);
    const dispatched = expectOk(
      await a.disc1!.post(`${V1}/handover-items/${itemC.id}/dispatch`, {
        version: itemC1.version,
        supervisorOrgId: org.sup1,
        note: '请跟踪督办',
        dueDate: '2027-03-31',
      }),
    );
    expect(dispatched).toMatchObject({ status: 'dispatched', supervisorOrgId: org.sup1, dueDate: '2027-03-31' });

    // The supervision office sees the item and its problem's details (given to it), not the unit's ledger.
    const seen = expectOk(await a.sup1!.get(`${V1}/handover-items/${itemC.id}`));
    expect(seen.problemDescription).toBe('落实全面从严治党主体责任不到位');
    expect(seen.measures).toHaveLength(1);
    expect(seen.actions.sort()).toEqual(['conclude', 'note']);
    expectProblem(await a.sup1!.get(`${V1}/problems/${pC.id}`), 404, 'NOT_FOUND');
    const supView = expectOk(await a.sup1!.get(`${V1}/handovers/${h.id}`));
    expect(supView.items.map((i: any) => i.id)).toEqual([itemC.id]); // only its own item
    expectProblem(await a.sup1!.get(`${V1}/handover-items/${itemA.id}`), 404, 'NOT_FOUND');
    expectProblem(await a.sup2!.get(`${V1}/handover-items/${itemC.id}`), 404, 'NOT_FOUND');
    expect(expectOk(await a.sup1!.get(`${V1}/supervision-ledger`)).items.map((i: any) => i.id)).toEqual([itemC.id]);
    expect(expectOk(await a.sup2!.get(`${V1}/supervision-ledger`)).items).toEqual([]);
    expect(expectOk(await a.disc2!.get(`${V1}/supervision-ledger`)).items).toEqual([]);
    expect(expectOk(await a.leader!.get(`${V1}/supervision-ledger`)).items.map((i: any) => i.id)).toContain(itemC.id);

    // Its ledger: follow-up notes, then the conclusion.
    const noted = expectOk(
      await a.sup1!.post(`${V1}/handover-items/${itemC.id}/notes`, { content: '已约谈单位主要负责人' }),
      201,
    );
    expect(noted.notes.map((n: any) => n.content)).toEqual(['已约谈单位主要负责人']);
    const concluded = expectOk(
      await a.sup1!.post(`${V1}/handover-items/${itemC.id}/conclude`, {
        version: noted.version,
        conclusion: '问题已整改到位，办结',
      }),
    );
    expect(concluded).toMatchObject({ status: 'concluded', conclusion: '问题已整改到位，办结', actions: [] });
    expect(expectOk(await a.office!.get(`${V1}/handover-items/${itemC.id}`)).status).toBe('concluded');

    expect(await auditActions('handover', h.id)).toEqual(['handover.create:office', 'handover.accept:disc1']);
    expect(await auditActions('handover_item', itemC.id)).toEqual([
      'handover.dispatch:disc1',
      'handover.note:sup1',
      'handover.conclude:sup1',
    ]);

    // A concluded problem may be handed over again; one still live (pA, accepted) may not.
    expect((await handOver([pC.id])).items).toHaveLength(1);
    expectProblem(
      await a.office!.post(`${V1}/handovers`, { problemIds: [pA.id], receivingOrgId: org.disc1 }),
      409,
      'DUPLICATE',
    );
  });

  it('lets the 党风政风室 return items before accepting them, with the reason; a returned item moves no further', async () => {
    const p1 = await problem(ruB);
    const p2 = await problem(ruB);
    const h = await handOver([p1.id, p2.id]);
    const [i1, i2] = h.items;
    expectProblem(
      await a.disc1!.post(`${V1}/handovers/${h.id}/return`, { version: h.version, itemIds: [i1.id], reason: '  ' }),
      400,
      'VALIDATION_FAILED',
    );
    const back = expectOk(
      await a.disc1!.post(`${V1}/handovers/${h.id}/return`, {
        version: h.version,
        itemIds: [i1.id],
        reason: '该问题属于选人用人，应移交组织部',
      }),
    );
    expect(back.counts).toEqual({ returned: 1, handed_over: 1 });
    expect(back.items.find((i: any) => i.id === i1.id)).toMatchObject({
      status: 'returned',
      returnReason: '该问题属于选人用人，应移交组织部',
      returnedByName: 'disc1',
    });
    const before = await fingerprint();
    expectProblem(
      await a.disc1!.post(`${V1}/handovers/${h.id}/accept`, { version: back.version, itemIds: [i1.id] }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(
      await a.disc1!.post(`${V1}/handover-items/${i1.id}/dispatch`, { version: 2, supervisorOrgId: org.sup2 }),
      409,
      'INVALID_TRANSITION',
    );
    expect(await fingerprint()).toEqual(before);
    const acc = expectOk(await a.disc1!.post(`${V1}/handovers/${h.id}/accept`, { version: back.version }));
    expect(acc.items.find((i: any) => i.id === i2.id).status).toBe('accepted');
    expect(await auditActions('handover', h.id)).toEqual([
      'handover.create:office',
      'handover.return:disc1',
      'handover.accept:disc1',
    ]);
    // The returned problem can go again, to another 党风政风室.
    expect((await handOver([p1.id], org.disc2)).receivingOrgId).toBe(org.disc2);
  });

  it('answers bad input with 4xx and a code, and changes nothing', async () => {
    const open = await problem(ruA);
    const done = await problem(ruA, [{ type: 'deadline' }, { type: 'long_term' }]);
    for (const m of done.measures) await setMeasureStatus(m.id, m === done.measures[0] ? 'completed' : 'closed');
    const h = await handOver([(await problem(ruB)).id]);
    const item = h.items[0];
    const before = await fingerprint();
    const post = (agent: Agent, url: string, body: unknown) => () => agent.post(`${V1}${url}`, body);
    const cases: [() => Promise<Res>, number, string][] = [
      [post(a.office!, '/handovers', { problemIds: [open.id], receivingOrgId: org.sup1 }), 400, 'INVALID_REFERENCE'],
      [post(a.office!, '/handovers', { problemIds: [open.id], receivingOrgId: org.unitA }), 400, 'INVALID_REFERENCE'],
      [
        post(a.office!, '/handovers', { problemIds: [open.id, 2147483647], receivingOrgId: org.disc1 }),
        400,
        'INVALID_REFERENCE',
      ],
      [post(a.office!, '/handovers', { problemIds: [done.id], receivingOrgId: org.disc1 }), 409, 'INVALID_TRANSITION'],
      [post(a.office!, '/handovers', { problemIds: [], receivingOrgId: org.disc1 }), 400, 'VALIDATION_FAILED'],
      [
        post(a.office!, '/handovers', { problemIds: [open.id, open.id], receivingOrgId: org.disc1 }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        post(a.office!, '/handovers', { problemIds: [open.id], receivingOrgId: org.disc1, x: 1 }),
        400,
        'VALIDATION_FAILED',
      ],
      [post(a.office!, '/handovers', { problemIds: ['x'], receivingOrgId: org.disc1 }), 400, 'VALIDATION_FAILED'],
      [post(a.unita!, '/handovers', { problemIds: [open.id], receivingOrgId: org.disc1 }), 403, 'FORBIDDEN'],
      [post(a.disc1!, `/handovers/${h.id}/accept`, { version: h.version + 5 }), 409, 'CONFLICT_STALE'],
      [
        post(a.disc1!, `/handovers/${h.id}/accept`, { version: h.version, itemIds: [2147483647] }),
        400,
        'INVALID_REFERENCE',
      ],
      [post(a.disc2!, `/handovers/${h.id}/accept`, { version: h.version }), 404, 'NOT_FOUND'],
      [post(a.sup1!, `/handovers/${h.id}/accept`, { version: h.version }), 404, 'NOT_FOUND'],
      [post(a.office!, `/handovers/${h.id}/accept`, { version: h.version }), 403, 'FORBIDDEN'],
      [post(a.disc1!, `/handovers/${h.id}/return`, { version: h.version }), 400, 'VALIDATION_FAILED'],
      [
        post(a.disc1!, `/handover-items/${item.id}/dispatch`, { version: 1, supervisorOrgId: org.sup1 }),
        409,
        'INVALID_TRANSITION',
      ],
      [post(a.disc1!, `/handover-items/${item.id}/conclude`, { version: 1, conclusion: '办结' }), 403, 'FORBIDDEN'],
      [post(a.disc1!, `/handover-items/${item.id}/notes`, { content: '记录' }), 403, 'FORBIDDEN'],
      [
        post(a.disc1!, `/handover-items/${item.id}/dispatch`, { version: 1, supervisorOrgId: 'x' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        post(a.disc1!, '/handover-items/2147483647/dispatch', { version: 1, supervisorOrgId: org.sup1 }),
        404,
        'NOT_FOUND',
      ],
      [
        post(a.disc1!, '/handover-items/0/dispatch', { version: 1, supervisorOrgId: org.sup1 }),
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [send, status, code] of cases) expectProblem(await send(), status, code);
    // An accepted item: a bad supervision office, a bad date, a stale version.
    const acc = expectOk(await a.disc1!.post(`${V1}/handovers/${h.id}/accept`, { version: h.version }));
    const v = acc.items[0].version;
    const mid = await fingerprint();
    expectProblem(
      await post(a.disc1!, `/handover-items/${item.id}/dispatch`, { version: v, supervisorOrgId: org.disc2 })(),
      400,
      'INVALID_REFERENCE',
    );
    expectProblem(
      await post(a.disc1!, `/handover-items/${item.id}/dispatch`, {
        version: v,
        supervisorOrgId: org.sup1,
        dueDate: '2027-02-30',
      })(),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post(a.disc1!, `/handover-items/${item.id}/dispatch`, { version: v + 1, supervisorOrgId: org.sup1 })(),
      409,
      'CONFLICT_STALE',
    );
    expectProblem(await post(a.sup1!, `/handover-items/${item.id}/notes`, { content: '记录' })(), 404, 'NOT_FOUND');
    expect(await fingerprint()).toEqual(mid);
    expect(before.auditSeq! + 1).toBe(mid.auditSeq); // only the acceptance was written
  });

  it('refuses through the API exactly the moves the state table refuses (random sequences)', async () => {
    const agentOf: Partial<Record<Role, Agent>> = {
      discipline: a.disc1!,
      supervisor: a.sup1!,
      unit: a.unita!,
      office: a.office!,
      leader: a.leader!,
    };
    const roles = Object.keys(agentOf) as Role[];
    let moves = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...HANDOVER_ACTIONS), fc.constantFrom(...roles)), {
          minLength: 1,
          maxLength: 8,
        }),
        async (steps) => {
          const h = await handOver([(await problem(ruB)).id]);
          const itemId = h.items[0].id as number;
          let state: HandoverItemStatus = 'handed_over';
          for (const [action, role] of steps) {
            const agent = agentOf[role]!;
            const [hv, iv] = await Promise.all([
              t.ctx.db.selectFrom('handovers').select('version').where('id', '=', h.id).executeTakeFirstOrThrow(),
              t.ctx.db.selectFrom('handoverItems').select('version').where('id', '=', itemId).executeTakeFirstOrThrow(),
            ]);
            const bodies: Record<HandoverAction, [string, unknown]> = {
              accept: [`/handovers/${h.id}/accept`, { version: Number(hv.version) }],
              return: [`/handovers/${h.id}/return`, { version: Number(hv.version), reason: '退回' }],
              dispatch: [
                `/handover-items/${itemId}/dispatch`,
                { version: Number(iv.version), supervisorOrgId: org.sup1 },
              ],
              note: [`/handover-items/${itemId}/notes`, { content: '跟踪' }],
              conclude: [`/handover-items/${itemId}/conclude`, { version: Number(iv.version), conclusion: '办结' }],
            };
            const [url, body] = bodies[action];
            const res = await agent.post(`${V1}${url}`, body);
            const d = decideHandover(state, action, role);
            expect(res.statusCode, `${role} ${action} from ${state}: ${res.body}`).toBeLessThan(500);
            expect(res.statusCode < 300, `${role} ${action} from ${state}: ${res.body}`).toBe(d.ok);
            moves++;
            if (d.ok) state = d.to;
            else refused++;
            const row = await t.ctx.db
              .selectFrom('handoverItems')
              .select('status')
              .where('id', '=', itemId)
              .executeTakeFirstOrThrow();
            expect(row.status).toBe(state);
          }
        },
      ),
      { numRuns: 12 },
    );
    expect(moves).toBeGreaterThan(12);
    expect(refused).toBeGreaterThan(0);
  });

  it('hands a problem over once when two requests race for it', async () => {
    const p = await problem(ruB);
    const [r1, r2] = await Promise.all([
      a.office!.post(`${V1}/handovers`, { problemIds: [p.id], receivingOrgId: org.disc1 }),
      a.office!.post(`${V1}/handovers`, { problemIds: [p.id], receivingOrgId: org.disc2 }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([201, 409]);
    expectProblem([r1, r2].find((r) => r.statusCode === 409)!, 409, 'DUPLICATE');
    const live = await t.ctx.db.selectFrom('handoverItems').select('id').where('openProblemId', '=', p.id).execute();
    expect(live).toHaveLength(1);
  });

  // --- M18 ----------------------------------------------------------------------------------

  it('moves the outgoing person’s open measures to the successor atomically, with versions bumped and notices for both', async () => {
    const p = await problem(ruA, [
      { ownerUserId: user.unita },
      { ownerUserId: user.unita },
      { ownerUserId: user.unita },
      { ownerUserId: user.unita },
      { ownerUserId: user.unita2 },
    ]);
    const [m1, m2, m3, mClosed, mOther] = p.measures as typeof p.measures;
    await setMeasureStatus(m3!.id, 'completed');
    await setMeasureStatus(mClosed!.id, 'closed');
    const url = `${V1}/round-units/${ruA}/responsibility-handovers`;
    const body = { fromUserId: user.unita, effectiveDate: '2026-11-20', reason: '岗位调整' };

    // A bad successor (another unit's user) changes nothing.
    const before = await fingerprint();
    const owners = async () =>
      (
        await t.ctx.db
          .selectFrom('measures')
          .select(['id', 'ownerUserId', 'ownerName', 'version'])
          .where('problemId', '=', p.id)
          .orderBy('id')
          .execute()
      ).map((m) => [
        Number(m.id),
        m.ownerUserId === null ? null : Number(m.ownerUserId),
        m.ownerName,
        Number(m.version),
      ]);
    const ownersBefore = await owners();
    for (const [b, status, code] of [
      [{ ...body, toUserId: user.unitb }, 400, 'INVALID_REFERENCE'],
      [{ ...body, toUserId: user.sup1 }, 400, 'INVALID_REFERENCE'],
      [{ ...body, toUserId: 2147483647 }, 400, 'INVALID_REFERENCE'],
      [{ ...body, toUserId: user.unita }, 400, 'VALIDATION_FAILED'],
      [{ ...body, toUserId: user.unitsub, effectiveDate: '2026-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, toUserId: user.unitsub, reason: ' ' }, 400, 'VALIDATION_FAILED'],
      [{ effectiveDate: '2026-11-20', reason: '调整', toUserId: user.unitsub }, 400, 'VALIDATION_FAILED'],
      [{ ...body, toUserId: user.unitsub, measureIds: [mOther!.id] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, toUserId: user.unitsub, measureIds: [2147483647] }, 400, 'INVALID_REFERENCE'],
      [{ ...body, toUserId: user.unitsub, measureIds: [mClosed!.id] }, 409, 'MEASURE_LOCKED'],
      [{ ...body, toUserId: user.unitsub, versions: { [String(m1!.id)]: 9 } }, 409, 'CONFLICT_STALE'],
      [{ ...body, fromUserId: user.head, toUserId: user.unitsub }, 400, 'VALIDATION_FAILED'],
      [{ ...body, toUserId: user.unitsub, extra: 1 }, 400, 'VALIDATION_FAILED'],
    ] as const)
      expectProblem(await a.unita!.post(url, b), status, code);
    expectProblem(await a.unitb!.post(url, { ...body, toUserId: user.unitsub }), 404, 'NOT_FOUND');
    expectProblem(await a.sup1!.post(url, { ...body, toUserId: user.unitsub }), 403, 'FORBIDDEN');
    expect(await fingerprint()).toEqual(before);
    expect(await owners()).toEqual(ownersBefore);

    // To a user of the unit's subtree: the three open measures move, the closed one and 王's stay.
    const rh = expectOk(await a.unita!.post(url, { ...body, toUserId: user.unitsub }), 201);
    expect(rh).toMatchObject({ fromName: 'unita', toName: 'unitsub', measureCount: 3, effectiveDate: '2026-11-20' });
    expect(rh.measures.map((m: any) => m.measureId)).toEqual([m1!.id, m2!.id, m3!.id]);
    expect(rh.notices).toEqual([
      { recipientUserId: user.unita, role: 'outgoing', readAt: null },
      { recipientUserId: user.unitsub, role: 'successor', readAt: null },
    ]);
    const after = await owners();
    for (const m of [m1!, m2!, m3!]) {
      const row = after.find((r) => r[0] === m.id)!;
      expect(row[1]).toBe(user.unitsub);
      expect(row[2]).toBe('unitsub');
      expect(row[3]).toBe(m.version + 1);
    }
    for (const m of [mClosed!, mOther!])
      expect(after.find((r) => r[0] === m.id)).toEqual(ownersBefore.find((r) => r[0] === m.id));
    expect(await auditActions('responsibility_handover', rh.id)).toEqual(['responsibility_handover.create:unita']);

    // Notices for both people; each reads only its own.
    const mine = expectOk(await a.unitsub!.get(`${V1}/my/handover-notices`));
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ handoverId: rh.id, role: 'successor', fromName: 'unita', measureCount: 3 });
    const theirs = expectOk(await a.unita!.get(`${V1}/my/handover-notices?unread=true`));
    expect(theirs.items.map((n: any) => n.role)).toEqual(['outgoing']);
    expectProblem(await a.unita!.post(`${V1}/my/handover-notices/${mine.items[0].id}/read`), 404, 'NOT_FOUND');
    const read = expectOk(await a.unitsub!.post(`${V1}/my/handover-notices/${mine.items[0].id}/read`));
    expect(read.readAt).toBe(t.clock.now());
    expect(expectOk(await a.unitsub!.get(`${V1}/my/handover-notices?unread=true`)).items).toEqual([]);

    // A chosen list, to the office (the owner rule allows it), with the versions read.
    const cur = (await owners()).find((r) => r[0] === m2!.id)!;
    const rh2 = expectOk(
      await a.office!.post(url, {
        fromUserId: user.unitsub,
        toUserId: user.office,
        measureIds: [m2!.id],
        versions: { [String(m2!.id)]: cur[3] },
        effectiveDate: '2026-11-25',
        reason: '由巡察办暂管',
      }),
      201,
    );
    expect(rh2.measures).toEqual([
      expect.objectContaining({ measureId: m2!.id, versionBefore: cur[3], versionAfter: Number(cur[3]) + 1 }),
    ]);
    expect(expectOk(await a.unita!.get(`${V1}/measures/${m2!.id}`)).ownerUserId).toBe(user.office);

    // By name, to a successor without an account: no notice for anyone who has none.
    const q = await problem(ruA, [{ ownerName: '王五' }]);
    const rh3 = expectOk(
      await a.unita!.post(url, { fromName: '王五', toName: '赵六', effectiveDate: '2026-11-26', reason: '退休' }),
      201,
    );
    expect(rh3).toMatchObject({ measureCount: 1, fromUserId: null, toUserId: null, notices: [] });
    expect(expectOk(await a.unita!.get(`${V1}/measures/${q.measures[0]!.id}`)).ownerName).toBe('赵六');

    // Who reads them: those who see the round-unit.
    const page = expectOk(await a.unita!.get(`${V1}/round-units/${ruA}/responsibility-handovers?limit=2`));
    expect(page.items.map((x: any) => x.id)).toEqual([rh3.id, rh2.id]);
    expect(page.nextCursor).toBe(rh2.id);
    expect(
      expectOk(
        await a.unita!.get(`${V1}/round-units/${ruA}/responsibility-handovers?cursor=${page.nextCursor}`),
      ).items.map((x: any) => x.id),
    ).toEqual([rh.id]);
    for (const who of ['office', 'leader', 'unita', 'head', 'sup1'])
      expect(expectOk(await a[who]!.get(`${V1}/responsibility-handovers/${rh.id}`)).id).toBe(rh.id);
    for (const who of ['unitb', 'sup2']) {
      expectProblem(await a[who]!.get(`${V1}/responsibility-handovers/${rh.id}`), 404, 'NOT_FOUND');
      expectProblem(await a[who]!.get(`${V1}/round-units/${ruA}/responsibility-handovers`), 404, 'NOT_FOUND');
    }
    expectProblem(await a.disc1!.get(`${V1}/responsibility-handovers/${rh.id}`), 403, 'FORBIDDEN');
  });

  it('moves a person’s measures once when two handovers race for them', async () => {
    const leaving = await t.createUser({ username: 'leaving', role: 'unit', orgId: org.unitA });
    const p = await problem(ruA, [{ ownerUserId: leaving }, { ownerUserId: leaving }]);
    const url = `${V1}/round-units/${ruA}/responsibility-handovers`;
    const body = (toUserId: number) => ({
      fromUserId: leaving,
      toUserId,
      effectiveDate: '2026-11-21',
      reason: '调整',
    });
    const [r1, r2] = await Promise.all([
      a.unita!.post(url, body(user.unitsub!)),
      a.office!.post(url, body(user.unita!)),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([201, 400]);
    const winner = [r1, r2].find((r) => r.statusCode === 201)!.json();
    expect(winner.measureCount).toBe(2);
    const rows = await t.ctx.db
      .selectFrom('measures')
      .select(['id', 'ownerUserId', 'version'])
      .where('problemId', '=', p.id)
      .execute();
    for (const r of rows) {
      expect(Number(r.ownerUserId)).toBe(winner.toUserId);
      expect(Number(r.version)).toBe(p.measures.find((m) => m.id === Number(r.id))!.version + 1);
    }
  });

  it('refuses a responsibility handover when nothing is left to move, or the round-unit is closed', async () => {
    const url = `${V1}/round-units/${ruC}/responsibility-handovers`;
    const before = await fingerprint();
    expectProblem(
      await a.office!.post(url, { fromName: '无此人', toName: '某人', effectiveDate: '2026-11-20', reason: '调整' }),
      400,
      'VALIDATION_FAILED',
    );
    await t.ctx.db.updateTable('roundUnits').set({ status: 'evaluated' }).where('id', '=', ruC).execute();
    const p = await t.ctx.db.selectFrom('measures').select('id').where('roundUnitId', '=', ruC).executeTakeFirst();
    expect(p).toBeDefined();
    expectProblem(
      await a.office!.post(url, { fromName: '无此人', toName: '某人', effectiveDate: '2026-11-20', reason: '调整' }),
      409,
      'ROUND_UNIT_CLOSED',
    );
    await t.ctx.db.updateTable('roundUnits').set({ status: 'rectifying' }).where('id', '=', ruC).execute();
    expect(await fingerprint()).toEqual(before);
  });
});
