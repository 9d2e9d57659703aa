import type { TestApp } from '../../helpers.js';
import { ledgerRecords, type ScopedRead } from '../records.js';

/** A planned 整改专题民主生活会 of the organisation's round-unit (straight into the database). */
async function meeting(t: TestApp, orgId: number): Promise<number> {
  const { roundUnit, round } = await ledgerRecords(t, orgId);
  const ru = await t.ctx.db
    .selectFrom('roundUnits')
    .select('termId')
    .where('id', '=', roundUnit)
    .executeTakeFirstOrThrow();
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('democraticMeetings')
    .values({
      roundUnitId: roundUnit,
      roundId: round,
      termId: Number(ru.termId),
      unitOrgId: orgId,
      cycle: 1,
      status: 'planned',
      feedbackDate: '2026-11-01',
      dueDate: '2026-12-31',
      plannedDate: '2026-12-20',
      plan: null,
      report: null,
      heldOn: null,
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

/**
 * An 约谈 on the organisation's problem, decided by the root (市委), so that only the record's unit
 * decides who reads it (a deciding body also reads what it decided).
 */
async function accountability(t: TestApp, orgId: number): Promise<number> {
  const { problem } = await ledgerRecords(t, orgId);
  const p = await t.ctx.db
    .selectFrom('problems')
    .select(['roundUnitId', 'roundId', 'termId'])
    .where('id', '=', problem)
    .executeTakeFirstOrThrow();
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('accountabilityRecords')
    .values({
      kind: 'interview',
      problemId: problem,
      roundUnitId: Number(p.roundUnitId),
      roundId: Number(p.roundId),
      termId: Number(p.termId),
      unitOrgId: orgId,
      personName: '张三',
      personKey: `张三@${orgId}`,
      personPost: '党组书记',
      personUnitOrgId: orgId,
      reason: '整改不力',
      decidingOrgId: t.rootOrgId,
      decidedOn: '2026-11-20',
      outcome: null,
      negativeList: 0,
      negativeListNote: null,
      createdBy: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** The meetings feature's reads by path parameter (see route-table.test.ts). */
export const MEETING_SCOPED_READS: Record<string, ScopedRead> = {
  'GET /api/v1/round-units/:id/democratic-meetings': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/democratic-meetings/:id': { adminsSeeAll: false, make: meeting },
  'GET /api/v1/problems/:id/accountability': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).problem,
  },
  'GET /api/v1/accountability/:id': { adminsSeeAll: false, make: accountability },
};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const MEETING_NOT_ORG_SCOPED: Record<string, string> = {};
