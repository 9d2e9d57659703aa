import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import type { TestApp } from '../helpers.js';
import { ledgerRecords, nextSerial } from '../security/records.js';

export const DAY = 86_400_000;
/** 08:00 in Shanghai on the given date: after the daily run's 07:00. */
export const morning = (date: string) => Date.parse(`${date}T00:00:00Z`);

export interface Unit {
  orgId: number;
  problem: number;
  roundUnit: number;
  owner: number;
  leader: number;
  head: number;
  liaison: number;
}

/**
 * An inspected unit with its people (owner, 分管领导 linked to the problem, 主要负责人, liaison), the
 * ledger records of the security fixtures, and its measures made open (the fixture's one is moved
 * far out unless told otherwise).
 */
export async function makeUnit(t: TestApp, code: string, supervisorOrgId: number | null): Promise<Unit> {
  const orgId = await t.createOrg({ code, name: `${code}单位` });
  const recs = await ledgerRecords(t, orgId);
  const s = nextSerial();
  const owner = await t.createUser({ username: `owner_${code}_${s}`, role: 'unit', orgId });
  const leader = await t.createUser({ username: `leader_${code}_${s}`, role: 'unit', orgId });
  const head = await t.createUser({ username: `head_${code}_${s}`, role: 'unit_head', orgId });
  const liaison = await t.createUser({ username: `liaison_${code}_${s}`, role: 'unit', orgId });
  await t.ctx.db
    .insertInto('problemResponsibles')
    .values({ problemId: recs.problem, name: '分管副局长', post: '副局长', duty: 'first', userId: leader })
    .execute();
  // The fixture's own measure: owned, far away, recently reported (out of every rule unless moved).
  await t.ctx.db
    .updateTable('measures')
    .set({ ownerUserId: owner, deadline: '2099-01-01', effectiveDeadline: '2099-01-01', lastProgressAt: t.clock.now() })
    .where('id', '=', recs.measure)
    .execute();
  if (supervisorOrgId !== null)
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: orgId, supervisorOrgId, categories: null, createdAt: t.clock.now() })
      .execute();
  return { orgId, problem: recs.problem, roundUnit: recs.roundUnit, owner, leader, head, liaison };
}

export async function addMeasure(
  t: TestApp,
  u: Unit,
  m: { deadline: string; owner?: number | null; lastProgressAt?: number | null; createdAt?: number; done?: boolean },
): Promise<number> {
  const ru = await t.ctx.db
    .selectFrom('roundUnits')
    .select(['roundId', 'termId'])
    .where('id', '=', u.roundUnit)
    .executeTakeFirstOrThrow();
  const created = m.createdAt ?? t.clock.now();
  const r = await t.ctx.db
    .insertInto('measures')
    .values({
      problemId: u.problem,
      roundUnitId: u.roundUnit,
      roundId: Number(ru.roundId),
      termId: Number(ru.termId),
      unitOrgId: u.orgId,
      categoryCode: 'party_leadership',
      seq: 2 + nextSerial(),
      content: `整改措施 ${m.deadline}`,
      type: 'deadline',
      status: m.done ? 'completed' : 'in_progress',
      isDone: m.done ? 1 : 0,
      deadline: m.deadline,
      extendedDeadline: null,
      effectiveDeadline: m.deadline,
      ownerName: null,
      ownerUserId: m.owner === undefined ? u.owner : m.owner,
      completedOn: null,
      rulesEstablished: 0,
      fundsReturnedFen: 0,
      lossesRecoveredFen: 0,
      peopleHeldAccountable: 0,
      casesFiled: 0,
      lastProgressAt: m.lastProgressAt === undefined ? t.clock.now() : m.lastProgressAt,
      version: 1,
      createdAt: created,
      updatedAt: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function addMeeting(t: TestApp, u: Unit, dueDate: string, status: 'planned' | 'held'): Promise<number> {
  const ru = await t.ctx.db
    .selectFrom('roundUnits')
    .select(['roundId', 'termId', 'cycle'])
    .where('id', '=', u.roundUnit)
    .executeTakeFirstOrThrow();
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('democraticMeetings')
    .values({
      roundUnitId: u.roundUnit,
      roundId: Number(ru.roundId),
      termId: Number(ru.termId),
      unitOrgId: u.orgId,
      cycle: nextSerial(),
      status,
      feedbackDate: addDays(dueDate, -60),
      dueDate,
      plannedDate: addDays(dueDate, -5),
      plan: null,
      report: null,
      heldOn: status === 'held' ? addDays(dueDate, -5) : null,
      attendees: '[]',
      problemsFound: null,
      measuresDecided: null,
      createdBy: null,
      heldRecordedBy: null,
      heldRecordedAt: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export const today = (t: TestApp) => shanghaiDate(t.clock.now());

export async function noticesOf(t: TestApp, userId: number) {
  return t.ctx.db
    .selectFrom('notices')
    .select(['id', 'kind', 'title', 'body', 'entity', 'entityId', 'idemKey', 'createdAt'])
    .where('userId', '=', userId)
    .orderBy('id')
    .execute();
}
