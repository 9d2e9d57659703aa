import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { sendPrepared } from '../../platform/encoding.js';
import {
  ApproveImmediate,
  BulkMeasures,
  BulkResult,
  Campaign,
  CampaignList,
  CampaignWithFigures,
  CreateCampaign,
  CreateMeasure,
  CreateProblem,
  DecideExtension,
  Extension,
  ExtensionList,
  ExtensionPage,
  ExtensionQuery,
  Figures,
  FiguresQuery,
  FixImmediate,
  IdParams,
  ImmediateItem,
  ImmediateItemList,
  LedgerPage,
  LedgerQuery,
  Measure,
  MeasureStatusChange,
  Ok,
  Problem,
  ProblemList,
  ProposeImmediate,
  RequestExtension,
  UnitFiguresList,
  UnitsQuery,
  UpdateCampaign,
  UpdateMeasure,
  UpdateProblem,
  VerifyImmediate,
  VersionQuery,
} from './ledger.schemas.js';
import { LedgerService } from './ledger.service.js';
import { SheetService } from './sheet.service.js';
import { WorkflowService } from './workflow.service.js';

/** 三清单一台账 (M4), 立行立改 (M5), 延期申请 (M18), 一盘棋 campaigns and the dashboard's figures (M14). */
export async function ledgerRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const ledger = new LedgerService(ctx);
  const flow = new WorkflowService(ctx, ledger);
  const sheet = new SheetService(ctx, ledger);
  const tags = ['ledger'];

  // --- problems (问题清单 + 责任清单) ------------------------------------------------------------
  r.get(
    '/round-units/:id/problems',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A round-unit's problem list with its responsibility list",
        params: IdParams,
        response: { 200: ProblemList },
      },
    },
    async (req) => ledger.listProblems(req.actor!, req.params.id),
  );
  r.post(
    '/round-units/:id/problems',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Add a problem (with its responsibles and, optionally, its measures)',
        params: IdParams,
        body: CreateProblem,
        response: { 201: Problem },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return ledger.createProblem(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/problems/:id',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'One problem with its responsibles and measures',
        params: IdParams,
        response: { 200: Problem },
      },
    },
    async (req) => ledger.getProblem(req.actor!, req.params.id),
  );
  r.patch(
    '/problems/:id',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Change a problem (optimistic: send the version you read); responsibles are replaced when sent',
        params: IdParams,
        body: UpdateProblem,
        response: { 200: Problem },
      },
    },
    async (req) => ledger.updateProblem(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.delete(
    '/problems/:id',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Delete a problem and its measures (refused while any measure is in closure or closed)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await ledger.deleteProblem(req.actor!, req.auditCtx, req.params.id, req.query.version);
      return { ok: true as const };
    },
  );

  // --- measures (任务清单) ----------------------------------------------------------------------
  r.post(
    '/problems/:id/measures',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Add a measure to a problem',
        params: IdParams,
        body: CreateMeasure,
        response: { 201: Measure },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return ledger.createMeasure(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/measures/:id',
    {
      config: { access: 'ledger.read' },
      schema: { tags, summary: 'One measure', params: IdParams, response: { 200: Measure } },
    },
    async (req) => ledger.getMeasure(req.actor!, req.params.id),
  );
  r.patch(
    '/measures/:id',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Change a measure (optimistic); money in 元 as decimal strings; postponing needs an extension',
        params: IdParams,
        body: UpdateMeasure,
        response: { 200: Measure },
      },
    },
    async (req) => ledger.updateMeasure(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/measures/:id/status',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Move a measure between 未启动 / 整改中 / 已完成 (closure belongs to 对账销号)',
        params: IdParams,
        body: MeasureStatusChange,
        response: { 200: Measure },
      },
    },
    async (req) => ledger.changeStatus(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.delete(
    '/measures/:id',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Delete a measure (refused in closure or closed)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await ledger.deleteMeasure(req.actor!, req.auditCtx, req.params.id, req.query.version);
      return { ok: true as const };
    },
  );
  r.post(
    '/measures/bulk',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'One status, owner or deadline change to many measures, all or nothing',
        body: BulkMeasures,
        response: { 200: BulkResult },
      },
    },
    async (req) => ledger.bulk(req.actor!, req.auditCtx, req.body),
  );

  // --- the ledger sheet (整改台账) ---------------------------------------------------------------
  r.get(
    '/ledger',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'The ledger sheet: one row per measure with its problem, keyset paged (nextCursor → after)',
        querystring: LedgerQuery,
        response: { 200: LedgerPage },
      },
    },
    async (req) => sheet.page(req.actor!, req.query),
  );

  // --- deadline extensions (延期申请) -----------------------------------------------------------
  r.get(
    '/measures/:id/extensions',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A measure's extension requests and decisions",
        params: IdParams,
        response: { 200: ExtensionList },
      },
    },
    async (req) => flow.listExtensions(req.actor!, req.params.id),
  );
  r.post(
    '/measures/:id/extensions',
    {
      config: { access: 'extension.request' },
      schema: {
        tags,
        summary: 'Ask for a later deadline, with the reason (one pending request at a time)',
        params: IdParams,
        body: RequestExtension,
        response: { 201: Extension },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return flow.requestExtension(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/extensions',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Extension requests in scope (e.g. status=pending: the queue to decide)',
        querystring: ExtensionQuery,
        response: { 200: ExtensionPage },
      },
    },
    async (req) => flow.extensionPage(req.actor!, req.query),
  );
  r.post(
    '/extensions/:id/decide',
    {
      config: { access: 'extension.decide' },
      schema: {
        tags,
        summary: 'Approve or reject an extension; approval sets the extended deadline, the original is kept',
        params: IdParams,
        body: DecideExtension,
        response: { 200: Extension },
      },
    },
    async (req) => flow.decideExtension(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- 立行立改 ---------------------------------------------------------------------------------
  r.get(
    '/round-units/:id/immediate-items',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A round-unit's 立行立改 items",
        params: IdParams,
        response: { 200: ImmediateItemList },
      },
    },
    async (req) => flow.listImmediate(req.actor!, req.params.id),
  );
  r.post(
    '/round-units/:id/immediate-items',
    {
      config: { access: 'immediate.propose' },
      schema: {
        tags,
        summary: 'Propose a 立行立改 item',
        params: IdParams,
        body: ProposeImmediate,
        response: { 201: ImmediateItem },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return flow.propose(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/immediate-items/:id',
    {
      config: { access: 'ledger.read' },
      schema: { tags, summary: 'One 立行立改 item', params: IdParams, response: { 200: ImmediateItem } },
    },
    async (req) => flow.getImmediate(req.actor!, req.params.id),
  );
  r.post(
    '/immediate-items/:id/approve',
    {
      config: { access: 'immediate.approve' },
      schema: {
        tags,
        summary: 'Approve (报批) or reject a proposed item',
        params: IdParams,
        body: ApproveImmediate,
        response: { 200: ImmediateItem },
      },
    },
    async (req) => flow.approve(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/immediate-items/:id/fix',
    {
      config: { access: 'immediate.fix' },
      schema: {
        tags,
        summary: 'Report an approved item fixed',
        params: IdParams,
        body: FixImmediate,
        response: { 200: ImmediateItem },
      },
    },
    async (req) => flow.fix(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/immediate-items/:id/verify',
    {
      config: { access: 'immediate.verify' },
      schema: {
        tags,
        summary: 'Verify a fixed item, or send it back',
        params: IdParams,
        body: VerifyImmediate,
        response: { 200: ImmediateItem },
      },
    },
    async (req) => flow.verify(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- campaigns (一盘棋) -----------------------------------------------------------------------
  r.get(
    '/campaigns',
    {
      config: { access: 'ledger.read' },
      schema: { tags, summary: 'Sector-wide campaigns', response: { 200: CampaignList } },
    },
    async () => sheet.campaigns(),
  );
  r.post(
    '/campaigns',
    {
      config: { access: 'round.write' },
      schema: { tags, summary: 'Start a campaign', body: CreateCampaign, response: { 201: Campaign } },
    },
    async (req, reply) => {
      reply.status(201);
      return sheet.createCampaign(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/campaigns/:id',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'A campaign with its own figures (over the units in your scope)',
        params: IdParams,
        response: { 200: CampaignWithFigures },
      },
    },
    async (req) => sheet.campaign(req.actor!, req.params.id),
  );
  r.patch(
    '/campaigns/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Change a campaign (optimistic)',
        params: IdParams,
        body: UpdateCampaign,
        response: { 200: Campaign },
      },
    },
    async (req) => sheet.updateCampaign(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- figures (数着改) -------------------------------------------------------------------------
  r.get(
    '/dashboard/figures',
    {
      config: { access: 'dashboard.read' },
      schema: {
        tags,
        summary: 'Headline figures for a term, round, unit or category, within your scope',
        querystring: FiguresQuery,
        response: { 200: Figures },
      },
    },
    async (req) => sheet.figures(req.actor!, req.query),
  );
  r.get(
    '/dashboard/units',
    {
      config: { access: 'dashboard.read' },
      schema: {
        tags,
        summary: 'Figures and the 红黄绿 light per unit (gzipped when the client accepts it)',
        querystring: UnitsQuery,
        response: { 200: UnitFiguresList },
      },
    },
    async (req, reply) => sendPrepared(req, reply, await sheet.unitsBody(req.actor!, req.query)),
  );
}
