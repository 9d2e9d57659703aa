import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { contentDisposition } from '../evidence/evidence.routes.js';
import {
  AcceptTask,
  Action,
  ActionPage,
  ActionQuery,
  AddMilestone,
  AddTask,
  AnswerItem,
  CloseAction,
  CreateAction,
  CreateOrder,
  CreatePlan,
  CreateSupervisionMeeting,
  DispatchOrder,
  DOCX_MIME,
  DocxFile,
  IdParams,
  ItemParams,
  MilestoneDone,
  OrderPage,
  OrderQuery,
  Plan,
  PlanPage,
  PlanQuery,
  ReportTask,
  RespondAction,
  ReturnItem,
  ReturnTask,
  ReviewItem,
  SupervisionMeeting,
  SupervisionMeetingPage,
  SupervisionMeetingQuery,
  SupervisionTask,
  TaskPage,
  TaskQuery,
  UpdateMilestone,
  UpdatePlan,
  WorkQueuePage,
  WorkQueueQuery,
} from './supervision.schemas.js';
import { SupervisionService } from './supervision.service.js';
import { SupervisionTasksService } from './tasks.service.js';
import { WorkQueueService } from './work-queue.service.js';

/** Day-to-day supervision (SPEC M8): plans with milestones, supervision actions, 主体责任派单. */
export async function supervisionRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new SupervisionService(ctx);
  const tasks = new SupervisionTasksService(ctx);
  const queue = new WorkQueueService(ctx);
  const tags = ['supervision'];

  // --- plans and milestones (路线图、时间表) ----------------------------------------------------
  r.post(
    '/supervision-plans',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'A supervision plan for a unit it liaises with (optionally a round-unit), with milestones',
        body: CreatePlan,
        response: { 201: Plan },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createPlan(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/supervision-plans',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'Supervision plans in scope, newest first, each with its milestones and light',
        querystring: PlanQuery,
        response: { 200: PlanPage },
      },
    },
    async (req) => svc.planPage(req.actor!, req.query),
  );
  r.get(
    '/supervision-plans/:id',
    {
      config: { access: 'supervision.read' },
      schema: { tags, summary: 'One supervision plan with its milestones', params: IdParams, response: { 200: Plan } },
    },
    async (req) => svc.getPlan(req.actor!, req.params.id),
  );
  r.patch(
    '/supervision-plans/:id',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Edit a plan (its issuer or the office)',
        params: IdParams,
        body: UpdatePlan,
        response: { 200: Plan },
      },
    },
    async (req) => svc.updatePlan(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/supervision-plans/:id/milestones',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Add a milestone (title, due date) to a plan',
        params: IdParams,
        body: AddMilestone,
        response: { 201: Plan },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addMilestone(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.patch(
    '/supervision-milestones/:id',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: "Edit a milestone's title or due date",
        params: IdParams,
        body: UpdateMilestone,
        response: { 200: Plan },
      },
    },
    async (req) => svc.updateMilestone(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/supervision-milestones/:id/done',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Mark a milestone done (on a date not after today, default today)',
        params: IdParams,
        body: MilestoneDone,
        response: { 200: Plan },
      },
    },
    async (req) => svc.milestoneDone(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- supervision actions ----------------------------------------------------------------------
  r.post(
    '/supervision-actions',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'A supervision action (跟踪督办 … 立案审查调查) on a unit, one of its problems or measures',
        description: '督办单 (tracking) and 监察建议书 (supervision_proposal) get a 文号 per issuer, kind and year.',
        body: CreateAction,
        response: { 201: Action },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createAction(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/supervision-actions',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'Supervision actions in scope, newest first; filters kind, status, unit, overdue',
        querystring: ActionQuery,
        response: { 200: ActionPage },
      },
    },
    async (req) => svc.actionPage(req.actor!, req.query),
  );
  r.get(
    '/supervision-actions/:id',
    {
      config: { access: 'supervision.read' },
      schema: { tags, summary: 'One supervision action', params: IdParams, response: { 200: Action } },
    },
    async (req) => svc.getAction(req.actor!, req.params.id),
  );
  r.post(
    '/supervision-actions/:id/respond',
    {
      config: { access: 'supervision.respond' },
      schema: {
        tags,
        summary: "The unit's response: text and evidence files of the action's round-unit",
        params: IdParams,
        body: RespondAction,
        response: { 200: Action },
      },
    },
    async (req) => svc.respond(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/supervision-actions/:id/close',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Close an action with a note (its issuer or the office)',
        params: IdParams,
        body: CloseAction,
        response: { 200: Action },
      },
    },
    async (req) => svc.close(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.get(
    '/supervision-actions/:id/document.docx',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'The 督办单 or 监察建议书 as a Word document (.docx), laid out as an official document',
        params: IdParams,
        response: { 200: DocxFile },
      },
    },
    async (req, reply) => {
      const doc = await svc.document(req.actor!, req.auditCtx, req.params.id);
      return (reply as FastifyReply)
        .type(DOCX_MIME)
        .header('content-disposition', contentDisposition(doc.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(doc.bytes);
    },
  );

  // --- 主体责任派单 dispatch orders ---------------------------------------------------------------
  r.post(
    '/dispatch-orders',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: "主体责任派单 to a unit's party organisation, with items and a deadline",
        body: CreateOrder,
        response: { 201: DispatchOrder },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createOrder(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/dispatch-orders',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'Dispatch orders in scope, newest first, with their items',
        querystring: OrderQuery,
        response: { 200: OrderPage },
      },
    },
    async (req) => svc.orderPage(req.actor!, req.query),
  );
  r.get(
    '/dispatch-orders/:id',
    {
      config: { access: 'supervision.read' },
      schema: { tags, summary: 'One dispatch order', params: IdParams, response: { 200: DispatchOrder } },
    },
    async (req) => svc.getOrder(req.actor!, req.params.id),
  );
  r.post(
    '/dispatch-orders/:id/items/:itemId/answer',
    {
      config: { access: 'supervision.respond' },
      schema: {
        tags,
        summary: "The unit answers one item (again after it was returned), with files of the order's round-unit",
        params: ItemParams,
        body: AnswerItem,
        response: { 200: DispatchOrder },
      },
    },
    async (req) => svc.answerItem(req.actor!, req.auditCtx, req.params.id, req.params.itemId, req.body),
  );
  r.post(
    '/dispatch-orders/:id/items/:itemId/accept',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'The sender accepts an answer; the order is done when every item is accepted',
        params: ItemParams,
        body: ReviewItem,
        response: { 200: DispatchOrder },
      },
    },
    async (req) => svc.reviewItem(req.actor!, req.auditCtx, req.params.id, req.params.itemId, 'accepted', req.body),
  );
  r.post(
    '/dispatch-orders/:id/items/:itemId/return',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'The sender returns an answer to the unit with the reason',
        params: ItemParams,
        body: ReturnItem,
        response: { 200: DispatchOrder },
      },
    },
    async (req) => svc.reviewItem(req.actor!, req.auditCtx, req.params.id, req.params.itemId, 'returned', req.body),
  );

  // --- 整改监督信息沟通会 and its tasks ---------------------------------------------------------------
  r.post(
    '/supervision-meetings',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: '整改监督信息沟通会: the record and its decisions, each a task with an owner and a deadline',
        body: CreateSupervisionMeeting,
        response: { 201: SupervisionMeeting },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return tasks.createMeeting(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/supervision-meetings',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: '沟通会 records in scope (convened by the caller or holding its tasks), newest first',
        querystring: SupervisionMeetingQuery,
        response: { 200: SupervisionMeetingPage },
      },
    },
    async (req) => tasks.meetingPage(req.actor!, req.query),
  );
  r.get(
    '/supervision-meetings/:id',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'One 沟通会 with the tasks the caller may see',
        params: IdParams,
        response: { 200: SupervisionMeeting },
      },
    },
    async (req) => tasks.getMeeting(req.actor!, req.params.id),
  );
  r.post(
    '/supervision-meetings/:id/tasks',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Add a decision (task) to a 沟通会 (its convener or the office)',
        params: IdParams,
        body: AddTask,
        response: { 201: SupervisionMeeting },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return tasks.addTask(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/supervision-tasks',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: '沟通会 tasks in scope, newest first; filters meeting, owner, convener, status, overdue',
        querystring: TaskQuery,
        response: { 200: TaskPage },
      },
    },
    async (req) => tasks.taskPage(req.actor!, req.query),
  );
  r.get(
    '/supervision-tasks/:id',
    {
      config: { access: 'supervision.read' },
      schema: { tags, summary: 'One 沟通会 task', params: IdParams, response: { 200: SupervisionTask } },
    },
    async (req) => tasks.getTask(req.actor!, req.params.id),
  );
  r.post(
    '/supervision-tasks/:id/report',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'The owner organisation (the named person, where named) reports what it did',
        params: IdParams,
        body: ReportTask,
        response: { 200: SupervisionTask },
      },
    },
    async (req) => tasks.report(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/supervision-tasks/:id/accept',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'The convener accepts the report: the task is done',
        params: IdParams,
        body: AcceptTask,
        response: { 200: SupervisionTask },
      },
    },
    async (req) => tasks.review(req.actor!, req.auditCtx, req.params.id, 'accepted', req.body),
  );
  r.post(
    '/supervision-tasks/:id/return',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'The convener returns the report to the owner with the reason',
        params: IdParams,
        body: ReturnTask,
        response: { 200: SupervisionTask },
      },
    },
    async (req) => tasks.review(req.actor!, req.auditCtx, req.params.id, 'returned', req.body),
  );

  // --- work queue -----------------------------------------------------------------------------------
  r.get(
    '/supervision-queue',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: "The caller's work queue: what needs its attention, most urgent first (keyset paged)",
        description:
          'Problems and measures routed to a supervisor by the category line, actions, 派单 items and 沟通会 ' +
          'tasks it issued or owes; overdue first, then the nearest deadline, then stalled.',
        querystring: WorkQueueQuery,
        response: { 200: WorkQueuePage },
      },
    },
    async (req) => queue.page(req.actor!, req.query),
  );
}
