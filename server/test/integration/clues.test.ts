import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../domain/roles.js';
import { buildApp } from '../../src/app.js';
import { command as backupCommand } from '../../src/cli/backup.js';
import type { CliIO } from '../../src/cli/lib/command.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { AppContext } from '../../src/platform/context.js';
import { createCryptoProvider } from '../../src/platform/crypto.js';
import { openRuntime } from '../../src/runtime.js';
import { Agent, createTestApp, DIALECTS, PASSWORD, type TestApp } from '../helpers.js';

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

/** A term, round, round-unit and problem of one unit, straight into the database. */
async function roundUnitOf(ctx: AppContext, now: number, unitOrgId: number, n: number) {
  const db = ctx.db;
  const stamps = { version: 1, createdAt: now, updatedAt: now };
  const termId = Number(
    (
      await db
        .insertInto('terms')
        .values({ number: 800 + n, name: `第${n}届`, startDate: null, endDate: null, ...stamps })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  const roundId = Number(
    (
      await db
        .insertInto('rounds')
        .values({
          termId,
          number: 1,
          name: `第${n}轮`,
          type: 'regular',
          onSiteStart: null,
          onSiteEnd: null,
          notes: null,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  const roundUnitId = Number(
    (
      await db
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
  const problemId = Number(
    (
      await db
        .insertInto('problems')
        .values({
          roundUnitId,
          roundId,
          termId,
          unitOrgId,
          campaignId: null,
          seq: 1,
          number: '一、',
          categoryCode: 'party_leadership',
          description: '问题描述',
          source: 'feedback',
          severity: 'high',
          responsibleLeader: null,
          responsibleDepartment: null,
          responsiblePerson: null,
          measureCount: 0,
          doneCount: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  return { roundId, roundUnitId, problemId };
}

async function insertOrg(
  ctx: AppContext,
  now: number,
  o: { code: string; name: string; type: string; parentId: number | null },
) {
  const r = await ctx.db
    .insertInto('organisations')
    .values({
      ...o,
      shortName: null,
      supervisorLine: null,
      sort: 0,
      active: 1,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

async function insertUser(ctx: AppContext, now: number, username: string, role: Role, orgId: number) {
  const r = await ctx.db
    .insertInto('users')
    .values({
      username,
      displayName: username,
      orgId,
      role,
      email: null,
      phone: null,
      passwordHash: ctx.crypto.hashPassword(PASSWORD),
      passwordChangedAt: now,
      mustChangePassword: 0,
      totpSecret: null,
      totpEnabled: 0,
      disabled: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Every row of every table of the database as text (PostgreSQL: the row cast to text). */
async function allRowsAsText(database: { db: AppContext['db']; dialect: string }): Promise<string> {
  const names =
    database.dialect === 'sqlite'
      ? (
          await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(database.db)
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(database.db)
        ).rows.map((r) => r.name);
  const parts: string[] = [];
  for (const n of names) {
    if (database.dialect === 'postgres') {
      const rows = await sql<{ t: string }>`SELECT x::text AS t FROM ${sql.table(n)} x`.execute(database.db);
      parts.push(...rows.rows.map((r) => r.t));
    } else {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(n)}`.execute(database.db);
      parts.push(...rows.rows.map((r) => JSON.stringify(r)));
    }
  }
  return parts.join('\n');
}

/** Markers planted in clues: random, unique, never produced by anything else. */
const newMarker = () => `MK${crypto.randomBytes(8).toString('hex').toUpperCase()}`;

/** One clue body carrying `markers` (the last five as names, the rest in the content). */
function markedClue(base: { roundUnitId: number; receivingOrgId: number }, markers: string[]) {
  const names = markers.slice(-5).map((m) => `张${m}`);
  const inContent = markers.slice(0, -5);
  return {
    ...base,
    source: 'talk' as const,
    title: '反映某干部违规问题',
    content: `个别谈话中反映：${inContent.map((m) => `${m} 涉嫌违规`).join('；')}。`,
    persons: names,
  };
}

const found = (haystack: Buffer | string, markers: readonly string[]) =>
  markers.filter((m) => (typeof haystack === 'string' ? haystack.includes(m) : haystack.indexOf(m) >= 0));

// ---------------------------------------------------------------------------------------------

/** Where a user sits relative to a clue. */
const RELATIONS = ['sendingOffice', 'receivingBody', 'otherBody', 'unit'] as const;
type Relation = (typeof RELATIONS)[number];

/**
 * The policy, written out: who reads a clue's content (SPEC §2 "only the sender and the receiving
 * body"). The office's users of the sending organisation, and the users of the receiving organisation
 * whose role receives clues. Everyone else: 404 when the role may read clues at all, 403 otherwise.
 */
const READS: Record<Relation, readonly Role[]> = {
  sendingOffice: ['office'],
  receivingBody: ['office', 'supervisor', 'discipline'],
  otherBody: [],
  unit: [],
};
const ROLES_READING_CLUES: readonly Role[] = ['office', 'supervisor', 'discipline'];
const expectedRead = (role: Role, rel: Relation) =>
  READS[rel].includes(role) ? 200 : ROLES_READING_CLUES.includes(role) ? 404 : 403;

describe.each(DIALECTS)('问题线索 confidential clues on %s', (dialect) => {
  let t: TestApp;
  const org: Record<string, number> = {};
  const a: Record<string, Agent> = {};
  const uid: Record<string, number> = {};
  let ru: { roundId: number; roundUnitId: number; problemId: number };
  let ru2: { roundId: number; roundUnitId: number; problemId: number };

  const send = (body: Record<string, unknown>, by = 'office_sendingOffice') => a[by]!.post(`${V1}/clues`, body);
  const basic = (over: Record<string, unknown> = {}) => ({
    roundUnitId: ru.roundUnitId,
    problemId: ru.problemId,
    receivingOrgId: org.receivingBody,
    source: 'petition',
    title: '关于某局长的问题线索',
    content: '群众来信反映某局长收受礼金。',
    persons: ['李某某'],
    ...over,
  });
  const count = async (table: 'clues' | 'auditLog') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const reads = async (id: number) =>
    t.ctx.db
      .selectFrom('auditLog')
      .select(['actorId', 'result', 'before', 'after'])
      .where('action', '=', 'clue.read')
      .where('entityId', '=', String(id))
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    org.sendingOffice = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.otherOffice = await t.createOrg({ code: 'XCB2', name: '县委巡察办', type: 'inspection_office' });
    org.receivingBody = await t.createOrg({ code: 'JW1', name: '市纪委监委第一监督检查室', type: 'supervisor' });
    org.otherBody = await t.createOrg({ code: 'JW2', name: '市纪委监委第二监督检查室', type: 'supervisor' });
    org.dfzf = await t.createOrg({ code: 'DFZF', name: '市纪委监委党风政风监督室', type: 'discipline_office' });
    org.unit = await t.createOrg({ code: 'CZJ', name: '市财政局' });
    // The receiving body liaises with the unit: even so, that link gives no one else a clue.
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unit, supervisorOrgId: org.otherBody, categories: null, createdAt: t.clock.now() })
      .execute();
    for (const role of ROLES)
      for (const rel of RELATIONS) {
        const name = `${role}_${rel}`;
        uid[name] = await t.createUser({ username: name, role, orgId: org[rel] });
        a[name] = await t.login(name);
      }
    uid.office_other = await t.createUser({ username: 'office_other', role: 'office', orgId: org.otherOffice });
    a.office_other = await t.login('office_other');
    uid.dfzf = await t.createUser({ username: 'dfzf', role: 'discipline', orgId: org.dfzf });
    a.dfzf = await t.login('dfzf');
    ru = await roundUnitOf(t.ctx, t.clock.now(), org.unit, 1);
    ru2 = await roundUnitOf(t.ctx, t.clock.now(), org.unit, 2);
  });
  afterAll(() => t.close());

  it('the office sends a clue: metadata back, the title, content and names sealed in the row', async () => {
    const c = expectOk(await send(basic()), 201);
    expect(c).toMatchObject({
      status: 'sent',
      senderOrgId: org.sendingOffice,
      receivingOrgId: org.receivingBody,
      receivingOrgName: '市纪委监委第一监督检查室',
      roundUnitId: ru.roundUnitId,
      problemId: ru.problemId,
      unitOrgId: org.unit,
      source: 'petition',
      side: 'sender',
      version: 1,
    });
    expect(c.content).toBeUndefined();
    expect(c.persons).toBeUndefined();
    expect(c.title).toBeUndefined();
    const row = await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    for (const v of [row.titleSealed, row.contentSealed, row.personsSealed]) expect(v).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('李某某');
    expect(JSON.stringify(row)).not.toContain('局长');
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['before', 'after'])
      .where('action', '=', 'clue.send')
      .where('entityId', '=', String(c.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after!)).toMatchObject({ status: 'sent', receivingOrgId: org.receivingBody });
    expect(`${audit.before}${audit.after}`).not.toMatch(/李某某|局长|礼金/);
  });

  it('the visibility matrix: every role × (sending office, receiving body, another body, a unit) — 200, 404 or 403 as the policy says', async () => {
    const c = expectOk(await send(basic({ persons: ['王某', '赵某'] })), 201);
    const missing = await a.office_sendingOffice!.get(`${V1}/clues/2147483647`);
    expectProblem(missing, 404, 'NOT_FOUND');
    const before = (await reads(c.id)).length;
    const readers: number[] = [];
    const table: string[] = [];
    for (const role of ROLES)
      for (const rel of RELATIONS) {
        const name = `${role}_${rel}`;
        const want = expectedRead(role, rel);
        const res = await a[name]!.get(`${V1}/clues/${c.id}`);
        table.push(`${name}:${res.statusCode}`);
        expect(res.statusCode, `${name} ${res.body}`).toBe(want);
        if (want === 200) {
          readers.push(uid[name]!);
          expect(res.json()).toMatchObject({
            id: c.id,
            title: '关于某局长的问题线索',
            content: '群众来信反映某局长收受礼金。',
            persons: ['王某', '赵某'],
            side: rel === 'receivingBody' ? 'receiver' : 'sender',
          });
        } else if (want === 404) {
          // Exactly the answer for a clue that does not exist.
          expect(res.json().code).toBe('NOT_FOUND');
          expect(res.json().detail).toBe(missing.json().detail);
        } else expectProblem(res, 403, 'FORBIDDEN');

        // The list says the same: the clue, nothing, or 403.
        const list = await a[name]!.get(`${V1}/clues`);
        if (want === 403) expectProblem(list, 403, 'FORBIDDEN');
        else {
          const ids = expectOk(list).items.map((i: { id: number }) => i.id);
          expect(ids.includes(c.id), name).toBe(want === 200);
          for (const i of list.json().items) {
            expect(i.content).toBeUndefined();
            expect(i.persons).toBeUndefined();
            expect(i.title).toBeUndefined();
          }
        }
      }
    // Other office-like users without the relation: another inspection office, the 党风政风室.
    for (const name of ['office_other', 'dfzf']) {
      expectProblem(await a[name]!.get(`${V1}/clues/${c.id}`), 404, 'NOT_FOUND');
      expect(expectOk(await a[name]!.get(`${V1}/clues`)).items).toEqual([]);
    }
    expect(readers.length).toBe(4); // the office of the sender; office, supervisor, discipline of the receiver
    console.log(`clues visibility matrix (${dialect}): ${table.join(' ')}`);

    // Each successful read is one 'clue.read' audit record by its reader; nothing else is recorded.
    const after = await reads(c.id);
    expect(after.length - before).toBe(readers.length);
    expect(after.slice(before).map((r) => Number(r.actorId))).toEqual(readers);
    for (const r of after) {
      expect(r.result).toBe('ok');
      expect(`${r.before}${r.after}`).not.toMatch(/王某|赵某|局长|礼金/);
    }
  });

  it('receipt and disposal by the receiving body only; 已移送 → 已签收 → 已处置 with versions', async () => {
    const c = expectOk(await send(basic()), 201);
    const url = `${V1}/clues/${c.id}`;
    // The sender sees it but does not sign for it; others do not learn it exists.
    expectProblem(await a.office_sendingOffice!.post(`${url}/receive`, { version: 1 }), 403, 'CLUE_NOT_RECEIVER');
    expectProblem(await a.supervisor_otherBody!.post(`${url}/receive`, { version: 1 }), 404, 'NOT_FOUND');
    expectProblem(await a.dfzf!.post(`${url}/receive`, { version: 1 }), 404, 'NOT_FOUND');
    expectProblem(await a.leader_sendingOffice!.post(`${url}/receive`, { version: 1 }), 403, 'FORBIDDEN');
    const rx = a.supervisor_receivingBody!;
    const disposal = {
      version: 1,
      kind: 'preliminary_verification',
      date: '2026-11-20',
      note: '经研究，予以初步核实。',
    };
    expectProblem(await rx.post(`${url}/dispose`, disposal), 409, 'CLUE_BAD_STATE');
    expectProblem(await rx.post(`${url}/receive`, { version: 2 }), 409, 'CONFLICT_STALE');
    const received = expectOk(await rx.post(`${url}/receive`, { version: 1 }));
    expect(received).toMatchObject({ status: 'received', receivedBy: uid.supervisor_receivingBody, version: 2 });
    expectProblem(await rx.post(`${url}/receive`, { version: 2 }), 409, 'CLUE_BAD_STATE');
    expectProblem(await rx.post(`${url}/dispose`, disposal), 409, 'CONFLICT_STALE');
    // The date: a real one, not before sending, not after today.
    const today = new Date(t.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const sentDay = new Date(c.sentAt + 8 * 3600_000).toISOString().slice(0, 10);
    const dayAfter = new Date(t.clock.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const dayBefore = new Date(c.sentAt + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    for (const date of ['2026-02-30', dayAfter, dayBefore])
      expectProblem(
        await rx.post(`${url}/dispose`, { ...disposal, version: 2, date }),
        400,
        'CLUE_DISPOSAL_DATE_INVALID',
      );
    const disposed = expectOk(await rx.post(`${url}/dispose`, { ...disposal, version: 2, date: today }));
    expect(sentDay <= today).toBe(true);
    expect(disposed).toMatchObject({
      status: 'disposed',
      disposalKind: 'preliminary_verification',
      disposalDate: today,
      disposedBy: uid.supervisor_receivingBody,
      version: 3,
    });
    expect(disposed.disposalNote).toBeUndefined();
    expectProblem(await rx.post(`${url}/dispose`, { ...disposal, version: 3, date: today }), 409, 'CLUE_BAD_STATE');
    expectProblem(await rx.post(`${url}/receive`, { version: 3 }), 409, 'CLUE_BAD_STATE');
    // Both sides read the outcome, note included; the note is sealed in the row.
    for (const who of [a.office_sendingOffice!, a.discipline_receivingBody!])
      expect(expectOk(await who.get(url))).toMatchObject({
        status: 'disposed',
        disposalNote: '经研究，予以初步核实。',
      });
    const row = await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.disposalNoteSealed).toMatch(/^v1\./);
    const trail = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'before', 'after'])
      .where('entity', '=', 'clue')
      .where('entityId', '=', String(c.id))
      .where('action', 'in', ['clue.send', 'clue.receive', 'clue.dispose'])
      .orderBy('seq')
      .execute();
    expect(trail.map((r) => r.action)).toEqual(['clue.send', 'clue.receive', 'clue.dispose']);
    expect(JSON.parse(trail[2]!.after!)).toMatchObject({
      status: 'disposed',
      disposalKind: 'preliminary_verification',
    });
    for (const r of trail) expect(`${r.before}${r.after}`).not.toMatch(/局长|李某某|初步核实。|经研究/);
  });

  it('two members of the receiving body sign for the same clue at once: one succeeds, the other is stale', async () => {
    const c = expectOk(await send(basic()), 201);
    const url = `${V1}/clues/${c.id}/receive`;
    const results = await Promise.all([
      a.supervisor_receivingBody!.post(url, { version: 1 }),
      a.discipline_receivingBody!.post(url, { version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('CONFLICT_STALE');
    const receipts = await t.ctx.db
      .selectFrom('auditLog')
      .select('actorId')
      .where('action', '=', 'clue.receive')
      .where('entityId', '=', String(c.id))
      .execute();
    expect(receipts.length).toBe(1);
  });

  it('bad input answers 4xx with a code and changes nothing', async () => {
    const c = expectOk(await send(basic()), 201);
    const [clues0, audit0] = [await count('clues'), await count('auditLog')];
    const row0 = await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, number, string][] = [
      [basic({ roundUnitId: 2147483647 }), 400, 'CLUE_ROUND_UNIT_UNKNOWN'],
      [basic({ problemId: ru2.problemId }), 400, 'CLUE_PROBLEM_MISMATCH'],
      [basic({ problemId: 2147483647 }), 400, 'CLUE_PROBLEM_MISMATCH'],
      [basic({ receivingOrgId: org.unit }), 400, 'CLUE_RECEIVER_INVALID'],
      [basic({ receivingOrgId: org.sendingOffice }), 400, 'CLUE_RECEIVER_INVALID'],
      [basic({ receivingOrgId: 2147483647 }), 400, 'CLUE_RECEIVER_INVALID'],
      [basic({ title: '   ' }), 400, 'VALIDATION_FAILED'],
      [basic({ content: '' }), 400, 'VALIDATION_FAILED'],
      [basic({ persons: [] }), 400, 'VALIDATION_FAILED'],
      [basic({ persons: [' '] }), 400, 'VALIDATION_FAILED'],
      [basic({ persons: [{ name: '某' }] }), 400, 'VALIDATION_FAILED'],
      [basic({ persons: Array.from({ length: 51 }, (_, i) => `某${i}`) }), 400, 'VALIDATION_FAILED'],
      [basic({ source: 'rumour' }), 400, 'VALIDATION_FAILED'],
      [basic({ content: 'x'.repeat(20001) }), 400, 'VALIDATION_FAILED'],
      [basic({ status: 'disposed' }), 400, 'VALIDATION_FAILED'],
      [basic({ roundUnitId: 0 }), 400, 'VALIDATION_FAILED'],
      [{ title: 'x' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await send(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBe(status);
      expectProblem(res, status, code);
    }
    const rx = a.supervisor_receivingBody!;
    const url = `${V1}/clues/${c.id}`;
    expectProblem(await rx.post(`${url}/receive`, {}), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.post(`${url}/receive`, { version: 1, status: 'received' }), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.post(`${V1}/clues/0/receive`, { version: 1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.post(`${V1}/clues/abc/receive`, { version: 1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.post(`${V1}/clues/2147483647/receive`, { version: 1 }), 404, 'NOT_FOUND');
    expectProblem(
      await rx.post(`${url}/dispose`, { version: 1, kind: 'burn', date: '2026-11-20', note: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await rx.get(`${V1}/clues?status=lost`), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.get(`${V1}/clues?limit=0`), 400, 'VALIDATION_FAILED');
    expectProblem(await rx.get(`${V1}/clues?cursor=-1`), 400, 'VALIDATION_FAILED');
    // A unit cannot send; the leadership cannot send.
    expectProblem(await send(basic(), 'unit_unit'), 403, 'FORBIDDEN');
    expectProblem(await send(basic(), 'leader_sendingOffice'), 403, 'FORBIDDEN');
    expect(await count('clues')).toBe(clues0);
    expect(await count('auditLog')).toBe(audit0);
    expect(await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()).toEqual(
      row0,
    );
  });

  it('a ciphertext moved to another row or column does not open: 409 CLUE_TAMPERED, audited as a failed read', async () => {
    const x = expectOk(await send(basic({ content: '甲线索内容' })), 201);
    const y = expectOk(await send(basic({ content: '乙线索内容' })), 201);
    const rowY = await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', y.id).executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('clues').set({ contentSealed: rowY.contentSealed }).where('id', '=', x.id).execute();
    const res = await a.office_sendingOffice!.get(`${V1}/clues/${x.id}`);
    expectProblem(res, 409, 'CLUE_TAMPERED');
    expect(res.body).not.toContain('乙线索内容');
    const rowX = await t.ctx.db.selectFrom('clues').selectAll().where('id', '=', x.id).executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('clues').set({ titleSealed: rowX.contentSealed }).where('id', '=', x.id).execute();
    expectProblem(await a.office_sendingOffice!.get(`${V1}/clues/${x.id}`), 409, 'CLUE_TAMPERED');
    const r = await reads(x.id);
    expect(r.map((e) => e.result)).toEqual(['failed', 'failed']);
    expect(expectOk(await a.office_sendingOffice!.get(`${V1}/clues/${y.id}`)).content).toBe('乙线索内容');
  });

  it('lists: keyset pages newest first, filters by status, receiving body and round; each side its own', async () => {
    const other = expectOk(
      await send(basic({ roundUnitId: ru2.roundUnitId, problemId: null, receivingOrgId: org.otherBody })),
      201,
    );
    const sent: number[] = [];
    for (let i = 0; i < 5; i++)
      sent.push(expectOk(await send(basic({ roundUnitId: ru2.roundUnitId, problemId: null })), 201).id);
    expectOk(await a.supervisor_receivingBody!.post(`${V1}/clues/${sent[1]}/receive`, { version: 1 }));
    const office = a.office_sendingOffice!;
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: any = expectOk(
        await office.get(`${V1}/clues?roundId=${ru2.roundId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { id: number }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...sent, other.id].sort((x, y) => y - x));
    const toBody = expectOk(await office.get(`${V1}/clues?roundId=${ru2.roundId}&receivingOrgId=${org.otherBody}`));
    expect(toBody.items.map((i: { id: number }) => i.id)).toEqual([other.id]);
    const receivedOnes = expectOk(await office.get(`${V1}/clues?roundId=${ru2.roundId}&status=received`));
    expect(receivedOnes.items.map((i: { id: number }) => i.id)).toEqual([sent[1]]);
    // The other body sees only what it received; the receiving body does not see the other's.
    const ob = expectOk(await a.supervisor_otherBody!.get(`${V1}/clues`));
    expect(ob.items.map((i: { id: number }) => i.id)).toEqual([other.id]);
    expect(ob.items[0].side).toBe('receiver');
    const rb = expectOk(await a.supervisor_receivingBody!.get(`${V1}/clues?roundId=${ru2.roundId}`));
    expect(rb.items.map((i: { id: number }) => i.id)).toEqual([...sent].reverse());
  });

  it('1,000 planted markers in content and names are found in none of the rows, as text', async () => {
    const markers: string[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const mine = Array.from({ length: 25 }, newMarker);
      markers.push(...mine);
      const c = expectOk(
        await send(markedClue({ roundUnitId: ru.roundUnitId, receivingOrgId: org.receivingBody }, mine)),
        201,
      );
      ids.push(c.id);
    }
    expect(new Set(markers).size).toBe(1000);
    // The receiving body reads, signs for and disposes of some; the office reads them back.
    for (const id of ids.slice(0, 10)) {
      const got = expectOk(await a.supervisor_receivingBody!.get(`${V1}/clues/${id}`));
      expect(found(JSON.stringify(got), markers).length).toBe(25);
      expectOk(await a.supervisor_receivingBody!.post(`${V1}/clues/${id}/receive`, { version: 1 }));
    }
    const text = await allRowsAsText({ db: t.ctx.db, dialect });
    expect(text).toContain('市纪委监委第一监督检查室'); // the scan sees the rows
    expect(found(text, markers)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function captureIO(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => lines.push(l), env };
  return { io, text: () => lines.join('\n') };
}

/** An installation on a SQLite file, its server log captured, as in production. */
async function fileInstallation(env: NodeJS.ProcessEnv, log: string[], masterKeyHex: string) {
  const { config, database } = await openRuntime({ ...env, RECTIFY_MASTER_KEY: masterKeyHex });
  const clock = new ManualClock();
  const stream = new Writable({
    write(chunk, _enc, done) {
      log.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({
    config,
    database,
    clock,
    crypto: createCryptoProvider(config.masterKey, { pbkdf2Iterations: 1000 }),
    logger: { level: 'trace', stream },
    serveWeb: false,
  });
  return { app, config, database, clock };
}

async function loginOn(app: Awaited<ReturnType<typeof fileInstallation>>['app'], username: string) {
  const agent = new Agent(app);
  const res = await agent.post('/api/v1/auth/login', { username, password: PASSWORD });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return agent;
}

describe('问题线索 at rest on a SQLite file: database, WAL, backup and server log', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const key = crypto.randomBytes(32).toString('hex');
  const log: string[] = [];
  let inst: Awaited<ReturnType<typeof fileInstallation>>;
  let office: Agent;
  let receiver: Agent;
  let org: { office: number; body: number; unit: number };
  let ru: { roundUnitId: number };
  const markers: string[] = [];
  const ids: number[] = [];
  const control = `CTRL${crypto.randomBytes(8).toString('hex').toUpperCase()}`;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-clues-test-'));
    env = { RECTIFY_DATA_DIR: root, USER: 'operator' };
    inst = await fileInstallation(env, log, key);
    const ctx = inst.app.ctx;
    const now = inst.clock.now();
    const rootOrg = await insertOrg(ctx, now, {
      code: 'ROOT',
      name: '中共市委',
      type: 'party_committee',
      parentId: null,
    });
    org = {
      office: await insertOrg(ctx, now, {
        code: 'XCB',
        name: '市委巡察办',
        type: 'inspection_office',
        parentId: rootOrg,
      }),
      // A control string in a record that is not sealed: the scans below must find it.
      body: await insertOrg(ctx, now, {
        code: 'JW1',
        name: `第一监督检查室${control}`,
        type: 'supervisor',
        parentId: rootOrg,
      }),
      unit: await insertOrg(ctx, now, { code: 'CZJ', name: '市财政局', type: 'inspected_unit', parentId: rootOrg }),
    };
    await insertUser(ctx, now, 'office', 'office', org.office);
    await insertUser(ctx, now, 'jw', 'supervisor', org.body);
    ru = await roundUnitOf(ctx, now, org.unit, 1);
    office = await loginOn(inst.app, 'office');
    receiver = await loginOn(inst.app, 'jw');
  });
  afterAll(async () => {
    await inst.app.close();
    await inst.database.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('sends, reads, signs for and disposes of clues carrying 1,000 markers; none reaches the disk, the backup or the log', async () => {
    for (let i = 0; i < 40; i++) {
      const mine = Array.from({ length: 25 }, newMarker);
      markers.push(...mine);
      const res = await office.post(
        `${V1}/clues`,
        markedClue({ roundUnitId: ru.roundUnitId, receivingOrgId: org.body }, mine),
      );
      ids.push(expectOk(res, 201).id);
    }
    expect(new Set(markers).size).toBe(1000);
    for (const [n, id] of ids.entries()) {
      const got = expectOk(await receiver.get(`${V1}/clues/${id}`));
      expect(found(JSON.stringify(got), markers).length).toBe(25);
      if (n % 4 === 0) {
        expectOk(await receiver.post(`${V1}/clues/${id}/receive`, { version: 1 }));
        expectOk(
          await receiver.post(`${V1}/clues/${id}/dispose`, {
            version: 2,
            kind: 'inquiry',
            date: new Date(inst.clock.now() + 8 * 3600_000).toISOString().slice(0, 10),
            note: `谈话函询 ${got.persons.join('、')}`,
          }),
        );
      }
      if (n % 5 === 0) expectOk(await office.get(`${V1}/clues/${id}`));
    }
    // Refused requests carrying markers: neither the answer nor the log repeats them.
    const bad = markedClue(
      { roundUnitId: ru.roundUnitId, receivingOrgId: org.unit },
      Array.from({ length: 6 }, newMarker),
    );
    const refused = await office.post(`${V1}/clues`, bad);
    expectProblem(refused, 400, 'CLUE_RECEIVER_INVALID');
    expect(found(refused.body, [bad.persons[0]!.slice(1)])).toEqual([]);
    const tooLong = await office.post(`${V1}/clues`, { ...bad, receivingOrgId: org.body, source: 'nope' });
    expectProblem(tooLong, 400, 'VALIDATION_FAILED');
    expect(tooLong.body).not.toContain(bad.persons[0]!.slice(1));
    markers.push(...bad.persons.map((p) => p.slice(1)));
    // The control for the log: a request line is logged.
    await office.get(`${V1}/no-such-route-${control}`);

    const dbFile = inst.config.sqlitePath;
    const wal = `${dbFile}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    const dbBytes = fs.readFileSync(dbFile);
    const walBytes = fs.readFileSync(wal);
    expect(found(Buffer.concat([dbBytes, walBytes]), [control])).toEqual([control]);
    expect(found(dbBytes, markers)).toEqual([]);
    expect(found(walBytes, markers)).toEqual([]);

    const archive = path.join(root, 'backup.tar');
    const cap = captureIO({ ...env, RECTIFY_MASTER_KEY: key });
    expect(await backupCommand.run([archive], cap.io), cap.text()).toBe(0);
    const archiveBytes = fs.readFileSync(archive);
    expect(found(archiveBytes, [control])).toEqual([control]);
    expect(found(archiveBytes, markers)).toEqual([]);
    expect(found(cap.text(), markers)).toEqual([]);

    const logText = log.join('');
    expect(log.length).toBeGreaterThan(100);
    expect(logText).toContain(control);
    expect(found(logText, markers)).toEqual([]);

    // After a checkpoint the pages moved into the database file: still nothing.
    inst.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    expect(found(fs.readFileSync(dbFile), markers)).toEqual([]);
    console.log(
      `clue markers: 1,006 planted; 0 found in ${dbBytes.length} B database, ${walBytes.length} B WAL, ` +
        `${archiveBytes.length} B backup, ${log.length} log lines`,
    );
  });

  it('another master key on the same file answers CLUE_KEY_MISMATCH, never garbage; the list still works', async () => {
    const otherLog: string[] = [];
    const other = await fileInstallation(env, otherLog, crypto.randomBytes(32).toString('hex'));
    try {
      const jw = await loginOn(other.app, 'jw');
      const list = expectOk(await jw.get(`${V1}/clues?limit=5`));
      expect(list.items.length).toBe(5);
      for (const id of ids.slice(0, 3)) {
        const res = await jw.get(`${V1}/clues/${id}`);
        expectProblem(res, 409, 'CLUE_KEY_MISMATCH');
        expect(found(res.body, markers)).toEqual([]);
      }
      const failed = await other.app.ctx.db
        .selectFrom('auditLog')
        .select(['result', 'after'])
        .where('action', '=', 'clue.read')
        .where('result', '=', 'failed')
        .execute();
      expect(failed.length).toBe(3);
      // Nor does it seal a disposal note that the right key could not open: refused, nothing changed.
      const target = ids[1]!;
      const before = await other.app.ctx.db
        .selectFrom('clues')
        .selectAll()
        .where('id', '=', target)
        .executeTakeFirstOrThrow();
      expect(before.status).toBe('sent');
      expectOk(await jw.post(`${V1}/clues/${target}/receive`, { version: 1 }));
      const today = new Date(other.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
      expectProblem(
        await jw.post(`${V1}/clues/${target}/dispose`, { version: 2, kind: 'concluded', date: today, note: '了结' }),
        409,
        'CLUE_KEY_MISMATCH',
      );
      const after = await other.app.ctx.db
        .selectFrom('clues')
        .selectAll()
        .where('id', '=', target)
        .executeTakeFirstOrThrow();
      expect(after).toMatchObject({ status: 'received', version: 2, disposalNoteSealed: null });
      expect(JSON.parse(failed[0]!.after!)).toEqual({ code: 'CLUE_KEY_MISMATCH' });
      expect(found(otherLog.join(''), markers)).toEqual([]);
      expect(otherLog.join('')).not.toMatch(/"level":50/); // no error logged: not a 500
      // The right key still opens them.
      expect(expectOk(await receiver.get(`${V1}/clues/${ids[0]}`)).persons.length).toBe(5);
    } finally {
      await other.app.close();
      await other.database.close();
    }
  });
});
