import type { TestApp } from '../../helpers.js';
import { nextSerial, type ScopedRead } from '../records.js';

/** A user to stand as the issuer of the records below (the office, at the root). */
async function issuer(t: TestApp): Promise<number> {
  return t.createUser({ username: `sv_issuer_${nextSerial()}`, role: 'office', orgId: t.rootOrgId });
}

const stamps = (t: TestApp) => ({ version: 1, createdAt: t.clock.now(), updatedAt: t.clock.now() });

/** A supervision plan for the organisation, issued by the office, with one milestone. */
async function plan(t: TestApp, orgId: number): Promise<number> {
  const r = await t.ctx.db
    .insertInto('supervisionPlans')
    .values({
      supervisorOrgId: t.rootOrgId,
      unitOrgId: orgId,
      roundUnitId: null,
      title: '整改监督计划',
      content: '路线图',
      startDate: null,
      endDate: null,
      createdBy: await issuer(t),
      ...stamps(t),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('supervisionMilestones')
    .values({
      planId: Number(r.id),
      title: '节点',
      dueDate: '2027-01-15',
      doneDate: null,
      doneNote: null,
      doneBy: null,
      ...stamps(t),
    })
    .execute();
  return Number(r.id);
}

/** A 督办单 (tracking action, with its 文号) on the organisation as a whole. */
async function action(t: TestApp, orgId: number): Promise<number> {
  const seq = nextSerial();
  const r = await t.ctx.db
    .insertInto('supervisionActions')
    .values({
      kind: 'tracking',
      supervisorOrgId: t.rootOrgId,
      unitOrgId: orgId,
      targetType: 'unit',
      problemId: null,
      measureId: null,
      roundUnitId: null,
      planId: null,
      actionDate: '2026-12-01',
      title: '督办整改进度',
      content: '请加快整改进度。',
      responseRequired: 1,
      responseDeadline: '2026-12-15',
      status: 'open',
      responseText: null,
      responseFileIds: '[]',
      respondedBy: null,
      respondedAt: null,
      closedBy: null,
      closedAt: null,
      closeNote: null,
      docYear: 2026,
      docSeq: seq,
      docNumber: `市委督〔2026〕${seq}号`,
      createdBy: await issuer(t),
      ...stamps(t),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A 主体责任派单 to the organisation with one item. */
async function order(t: TestApp, orgId: number): Promise<number> {
  const r = await t.ctx.db
    .insertInto('dispatchOrders')
    .values({
      supervisorOrgId: t.rootOrgId,
      unitOrgId: orgId,
      roundUnitId: null,
      addressee: '党组',
      title: '主体责任派单',
      content: '',
      deadline: '2027-01-31',
      status: 'open',
      doneAt: null,
      createdBy: await issuer(t),
      ...stamps(t),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('dispatchItems')
    .values({
      orderId: Number(r.id),
      seq: 1,
      content: '召开专题会议',
      deadline: '2027-01-31',
      status: 'pending',
      answerText: null,
      answerFileIds: '[]',
      answeredBy: null,
      answeredAt: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      ...stamps(t),
    })
    .execute();
  return Number(r.id);
}

/**
 * A 整改监督信息沟通会 convened by an organisation of its own (no fixture caller's home), with one
 * decision owned by the organisation: it is seen by whoever sees the owner. Answers [meeting, task].
 */
async function meetingWithTask(t: TestApp, orgId: number): Promise<[number, number]> {
  const convener = await t.createOrg({ code: `sv_conv_${nextSerial()}`, name: '监督检查室', type: 'supervisor' });
  const m = await t.ctx.db
    .insertInto('supervisionMeetings')
    .values({
      convenerOrgId: convener,
      roundId: null,
      title: '整改监督信息沟通会',
      heldOn: '2026-11-20',
      location: null,
      attendees: '[]',
      summary: '纪要',
      createdBy: await issuer(t),
      ...stamps(t),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = await t.ctx.db
    .insertInto('supervisionTasks')
    .values({
      meetingId: Number(m.id),
      convenerOrgId: convener,
      seq: 1,
      content: '报送整改情况',
      ownerOrgId: orgId,
      ownerUserId: null,
      deadline: '2027-01-31',
      status: 'open',
      reportText: null,
      reportedBy: null,
      reportedAt: null,
      completedOn: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      ...stamps(t),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return [Number(m.id), Number(task.id)];
}

/** The supervision feature's reads by path parameter (see route-table.test.ts). */
export const SUPERVISION_SCOPED_READS: Record<string, ScopedRead> = {
  'GET /api/v1/supervision-plans/:id': { adminsSeeAll: false, make: plan },
  'GET /api/v1/supervision-actions/:id': { adminsSeeAll: false, make: action },
  'GET /api/v1/supervision-actions/:id/document.docx': { adminsSeeAll: false, make: action },
  'GET /api/v1/dispatch-orders/:id': { adminsSeeAll: false, make: order },
  'GET /api/v1/supervision-meetings/:id': {
    adminsSeeAll: false,
    make: async (t, orgId) => (await meetingWithTask(t, orgId))[0],
  },
  'GET /api/v1/supervision-tasks/:id': {
    adminsSeeAll: false,
    make: async (t, orgId) => (await meetingWithTask(t, orgId))[1],
  },
};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const SUPERVISION_NOT_ORG_SCOPED: Record<string, string> = {};
