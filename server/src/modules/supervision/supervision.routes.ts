import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { contentDisposition } from '../evidence/evidence.routes.js';
import {
  Action,
  ActionPage,
  ActionQuery,
  AddMilestone,
  AnswerItem,
  CloseAction,
  CreateAction,
  CreateOrder,
  CreatePlan,
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
  RespondAction,
  ReturnItem,
  ReviewItem,
  UpdateMilestone,
  UpdatePlan,
} from './supervision.schemas.js';
import { SupervisionService } from './supervision.service.js';

/** Day-to-day supervision (SPEC M8): plans with milestones, supervision actions, 主体责任派单. */
export async function supervisionRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new SupervisionService(ctx);
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
}
