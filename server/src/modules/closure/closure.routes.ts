import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { Measure } from '../ledger/ledger.schemas.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { AftercareService } from './aftercare.service.js';
import {
  ApplyClosure,
  Closure,
  ClosureDetail,
  ClosureList,
  ClosurePage,
  ClosureQuery,
  DecideClosure,
  IdParams,
  Recheck,
  RecheckPage,
  RecheckQuery,
  RecordRecheck,
  ReopenMeasure,
  StalledPage,
  StalledQuery,
  VerifyClosure,
  WithdrawClosure,
} from './closure.schemas.js';
import { ClosureService } from './closure.service.js';

const ReopenResult = Type.Object({ measure: Measure, closure: Type.Union([Closure, Type.Null()]) });

/** 对账销号 closure (M7), the re-checks after closure and the stalled list (M18). */
export async function closureRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const closures = new ClosureService(ctx, new LedgerService(ctx));
  const aftercare = new AftercareService(ctx, closures);
  const tags = ['closure'];

  // --- closure applications ---------------------------------------------------------------------
  r.post(
    '/measures/:id/closure',
    {
      config: { access: 'closure.apply' },
      schema: {
        tags,
        summary: 'Apply to close a completed measure (申请销号), with evidence files of its round-unit',
        params: IdParams,
        body: ApplyClosure,
        response: { 201: ClosureDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return closures.apply(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/measures/:id/closures',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A measure's closure applications, newest first",
        params: IdParams,
        response: { 200: ClosureList },
      },
    },
    async (req) => closures.ofMeasure(req.actor!, req.params.id),
  );
  r.get(
    '/closures',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Closure applications in scope, newest first (status=pending: the queue to verify and decide)',
        querystring: ClosureQuery,
        response: { 200: ClosurePage },
      },
    },
    async (req) => closures.page(req.actor!, req.query),
  );
  r.get(
    '/closures/:id',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary:
          'One application: measure, problem, files, verifications, who must still verify, and evidence reused elsewhere',
        params: IdParams,
        response: { 200: ClosureDetail },
      },
    },
    async (req) => closures.get(req.actor!, req.params.id),
  );
  r.post(
    '/closures/:id/verify',
    {
      config: { access: 'closure.verify' },
      schema: {
        tags,
        summary: 'Verify a pending application (对账), once per organisation; never by its applicant or owner',
        params: IdParams,
        body: VerifyClosure,
        response: { 200: ClosureDetail },
      },
    },
    async (req) => closures.verify(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/closures/:id/decide',
    {
      config: { access: 'closure.decide' },
      schema: {
        tags,
        summary: 'Approve (已销号, after every required verification) or reject (back to 整改中 with the reason)',
        params: IdParams,
        body: DecideClosure,
        response: { 200: ClosureDetail },
      },
    },
    async (req) => closures.decide(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/closures/:id/withdraw',
    {
      config: { access: 'closure.apply' },
      schema: {
        tags,
        summary: 'Withdraw a pending application; the measure goes back to 已完成',
        params: IdParams,
        body: WithdrawClosure,
        response: { 200: ClosureDetail },
      },
    },
    async (req) => closures.withdraw(req.actor!, req.auditCtx, req.params.id, req.body.version),
  );
  r.post(
    '/measures/:id/reopen',
    {
      config: { access: 'closure.decide' },
      schema: {
        tags,
        summary: 'Reopen a closed measure after a 回头看, a complaint or a re-check, with the reason',
        params: IdParams,
        body: ReopenMeasure,
        response: { 200: ReopenResult },
      },
    },
    async (req) => closures.reopen(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- re-checks after closure ------------------------------------------------------------------
  r.get(
    '/rechecks',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Re-checks of closed 长期坚持 / 建章立制 measures in scope, by due date',
        querystring: RecheckQuery,
        response: { 200: RecheckPage },
      },
    },
    async (req) => aftercare.rechecks(req.actor!, req.query),
  );
  r.post(
    '/rechecks/:id',
    {
      config: { access: 'recheck.write' },
      schema: {
        tags,
        summary: 'Record a re-check: passed, or failed (the measure is reopened)',
        params: IdParams,
        body: RecordRecheck,
        response: { 200: Recheck },
      },
    },
    async (req) => aftercare.record(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- stalled measures (static path: find-my-way prefers it to /measures/:id) ------------------
  r.get(
    '/measures/stalled',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Open measures without progress for system.rectification.stalledDays days, oldest first',
        querystring: StalledQuery,
        response: { 200: StalledPage },
      },
    },
    async (req) => aftercare.stalled(req.actor!, req.query),
  );
}
