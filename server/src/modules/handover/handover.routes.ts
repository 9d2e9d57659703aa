import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { HandoverRepository } from './handover.repository.js';
import {
  AcceptHandover,
  AddNote,
  ConcludeItem,
  CreateHandover,
  CreateResponsibilityHandover,
  DispatchItem,
  DispatchTargetList,
  HandoverDetail,
  HandoverItemDetail,
  HandoverNotice,
  HandoverNoticePage,
  HandoverPage,
  HandoverQuery,
  IdParams,
  LedgerPage,
  LedgerQuery,
  NoticeQuery,
  PageQuery,
  ResponsibilityHandoverDetail,
  ResponsibilityHandoverPage,
  ReturnHandover,
} from './handover.schemas.js';
import { HandoverService } from './handover.service.js';
import { ResponsibilityService } from './responsibility.service.js';

/** 移交 to the 党风政风室 and its supervision ledgers (M9); 整改责任交接 between people (M18). */
export async function handoverRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const ledger = new LedgerService(ctx);
  const repo = new HandoverRepository();
  const handovers = new HandoverService(ctx, repo, ledger);
  const responsibility = new ResponsibilityService(ctx, repo, ledger);
  const tags = ['handover'];

  // --- handover to the 党风政风室 -----------------------------------------------------------------
  r.post(
    '/handovers',
    {
      config: { access: 'handover.send' },
      schema: {
        tags,
        summary: 'Hand long-term and unrectified problems over to a 党风政风室 (移交)',
        body: CreateHandover,
        response: { 201: HandoverDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return handovers.create(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/handover-dispatch-targets',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary:
          'The supervision offices a handed-over item can be dispatched to (every active supervising body: the 党风政风室 assigns across the tree)',
        response: { 200: DispatchTargetList },
      },
    },
    async () => ({
      items: (await repo.dispatchTargets(ctx.db)).map((o) => ({
        id: Number(o.id),
        name: o.name,
        shortName: o.shortName,
        supervisorLine: o.supervisorLine,
      })),
    }),
  );
  r.get(
    '/handovers',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary:
          'Handovers the caller sees, newest first: the office all, a 党风政风室 those addressed to it, a supervision office those with items dispatched to it',
        querystring: HandoverQuery,
        response: { 200: HandoverPage },
      },
    },
    async (req) => handovers.page(req.actor!, req.query),
  );
  r.get(
    '/handovers/:id',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'One handover with the items the caller sees',
        params: IdParams,
        response: { 200: HandoverDetail },
      },
    },
    async (req) => handovers.get(req.actor!, req.params.id),
  );
  r.post(
    '/handovers/:id/accept',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary:
          'The 党风政风室 accepts items (all awaiting, or those listed) into its supervision responsibility list',
        params: IdParams,
        body: AcceptHandover,
        response: { 200: HandoverDetail },
      },
    },
    async (req) => handovers.accept(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/handovers/:id/return',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary: 'The 党风政风室 returns items not yet accepted to the office, with the reason',
        params: IdParams,
        body: ReturnHandover,
        response: { 200: HandoverDetail },
      },
    },
    async (req) => handovers.returnItems(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.get(
    '/handover-items/:id',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: "One handed-over item with its problem's measures and the supervision office's notes",
        params: IdParams,
        response: { 200: HandoverItemDetail },
      },
    },
    async (req) => handovers.getItem(req.actor!, req.params.id),
  );
  r.post(
    '/handover-items/:id/dispatch',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary: 'The 党风政风室 dispatches an accepted item to a supervision office (分派)',
        params: IdParams,
        body: DispatchItem,
        response: { 200: HandoverItemDetail },
      },
    },
    async (req) => handovers.dispatch(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/handover-items/:id/notes',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary: 'The supervision office records a follow-up note on an item of its ledger',
        params: IdParams,
        body: AddNote,
        response: { 201: HandoverItemDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return handovers.addNote(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.post(
    '/handover-items/:id/conclude',
    {
      config: { access: 'handover.process' },
      schema: {
        tags,
        summary: 'The supervision office concludes an item of its ledger (办结)',
        params: IdParams,
        body: ConcludeItem,
        response: { 200: HandoverItemDetail },
      },
    },
    async (req) => handovers.conclude(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.get(
    '/supervision-ledger',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary:
          "Handed-over items of the caller's office, newest first: a supervision office's 监督台账, a 党风政风室's 监督责任清单, all for the office",
        querystring: LedgerQuery,
        response: { 200: LedgerPage },
      },
    },
    async (req) => handovers.ledgerPage(req.actor!, req.query),
  );

  // --- 整改责任交接 ------------------------------------------------------------------------------
  r.post(
    '/round-units/:id/responsibility-handovers',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: "Record a responsibility handover: the outgoing person's measures move to the successor",
        params: IdParams,
        body: CreateResponsibilityHandover,
        response: { 201: ResponsibilityHandoverDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return responsibility.create(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/round-units/:id/responsibility-handovers',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A round-unit's responsibility handovers, newest first",
        params: IdParams,
        querystring: PageQuery,
        response: { 200: ResponsibilityHandoverPage },
      },
    },
    async (req) => responsibility.page(req.actor!, req.params.id, req.query),
  );
  r.get(
    '/responsibility-handovers/:id',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'One responsibility handover with the measures it moved and its notices',
        params: IdParams,
        response: { 200: ResponsibilityHandoverDetail },
      },
    },
    async (req) => responsibility.get(req.actor!, req.params.id),
  );
  r.get(
    '/my/handover-notices',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "The caller's notices of responsibility handovers (as outgoing person or successor), newest first",
        querystring: NoticeQuery,
        response: { 200: HandoverNoticePage },
      },
    },
    async (req) => responsibility.notices(req.actor!, req.query),
  );
  r.post(
    '/my/handover-notices/:id/read',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Mark one of the caller’s handover notices read',
        params: IdParams,
        response: { 200: HandoverNotice },
      },
    },
    async (req) => responsibility.markRead(req.actor!, req.auditCtx, req.params.id),
  );
}
