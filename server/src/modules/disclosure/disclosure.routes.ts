import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { siteLang } from '../../../../domain/disclosure.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import {
  BatchAction,
  BatchDetail,
  BatchList,
  BatchResult,
  CandidateList,
  CandidateQuery,
  CreateBatch,
  CreateTypical,
  DisclosureSettingsOut,
  DraftResult,
  IdParams,
  Item,
  ItemDetail,
  ItemPage,
  ItemQuery,
  PublicItem,
  PublicLangQuery,
  PublicPage,
  PublicQuery,
  PublishBody,
  ReasonBody,
  RecordChannel,
  UpdateItem,
  VersionBody,
} from './disclosure.schemas.js';
import { DisclosureService, draftDueReports } from './disclosure.service.js';

const PUBLIC_PER_PAGE = 20;

/** 整改公开 (SPEC M15): the office's and the leadership's routes, the public JSON API and the public site. */
export async function disclosureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const service = new DisclosureService(ctx);
  const tags = ['disclosure'];

  // 定时: each morning, the progress report of every round-unit whose period has ended is drafted for
  // the office (one per round-unit and cycle, so a rerun or a second instance drafts nothing twice).
  app.scheduler.register({
    name: 'disclosure.draftDue',
    schedule: { kind: 'daily', at: '06:30' },
    run: async (r) => ({ drafted: (await draftDueReports(ctx, r.now)).drafted }),
  });

  r.get(
    '/disclosure/items',
    {
      config: { access: 'disclosure.read' },
      schema: {
        tags,
        summary: 'Disclosure items (reports and typical problems), newest first; filter by status, kind, batch, text',
        querystring: ItemQuery,
        response: { 200: ItemPage },
      },
    },
    async (req) => service.page(req.actor!, req.query),
  );
  r.get(
    '/disclosure/items/:id',
    {
      config: { access: 'disclosure.read' },
      schema: {
        tags,
        summary: 'One item with the exact public view it would have (简体 and 繁體)',
        params: IdParams,
        response: { 200: ItemDetail },
      },
    },
    async (req) => service.get(req.actor!, req.params.id),
  );
  r.get(
    '/disclosure/settings',
    {
      config: { access: 'disclosure.read' },
      schema: {
        tags,
        summary: 'The configured channels and what the public view hides',
        response: { 200: DisclosureSettingsOut },
      },
    },
    async () => service.config(),
  );
  r.get(
    '/disclosure/candidates',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'Problems the office may pick for a typical-problem item',
        querystring: CandidateQuery,
        response: { 200: CandidateList },
      },
    },
    async (req) => service.candidates(req.actor!, req.query),
  );
  r.post(
    '/disclosure/reports/draft-due',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'Drafts the progress report of every round-unit whose rectification period has ended (定时+适时)',
        response: { 200: DraftResult },
      },
    },
    async (req) => service.draftDueFor(req.actor!, req.auditCtx),
  );
  r.post(
    '/disclosure/items',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'A typical problem for exposure (先曝光、后查处), with its public wording',
        body: CreateTypical,
        response: { 201: Item },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return service.createTypical(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/disclosure/items/:id',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: "A draft's public wording, people named, batch or internal note (optimistic version)",
        params: IdParams,
        body: UpdateItem,
        response: { 200: Item },
      },
    },
    async (req) => service.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/disclosure/items/:id/refresh',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: "A draft report's figures taken again from the ledger",
        params: IdParams,
        body: VersionBody,
        response: { 200: Item },
      },
    },
    async (req) => service.refresh(req.actor!, req.auditCtx, req.params.id, req.body.version),
  );
  r.post(
    '/disclosure/items/:id/submit',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'The office submits a draft for approval',
        params: IdParams,
        body: VersionBody,
        response: { 200: Item },
      },
    },
    async (req) => service.move(req.actor!, req.auditCtx, req.params.id, 'submit', req.body),
  );
  r.post(
    '/disclosure/items/:id/approve',
    {
      config: { access: 'disclosure.approve' },
      schema: {
        tags,
        summary: 'The leadership approves a submitted item',
        params: IdParams,
        body: VersionBody,
        response: { 200: Item },
      },
    },
    async (req) => service.move(req.actor!, req.auditCtx, req.params.id, 'approve', req.body),
  );
  r.post(
    '/disclosure/items/:id/return',
    {
      config: { access: 'disclosure.approve' },
      schema: {
        tags,
        summary: 'The leadership returns a submitted item to draft, with the reason',
        params: IdParams,
        body: ReasonBody,
        response: { 200: Item },
      },
    },
    async (req) => service.move(req.actor!, req.auditCtx, req.params.id, 'return', req.body),
  );
  r.post(
    '/disclosure/items/:id/publish',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'The office publishes an approved item (date, and the channels used)',
        params: IdParams,
        body: PublishBody,
        response: { 200: Item },
      },
    },
    async (req) => service.move(req.actor!, req.auditCtx, req.params.id, 'publish', req.body),
  );
  r.post(
    '/disclosure/items/:id/withdraw',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'Withdraws an item (logged with the reason; off every public page at once; never deleted)',
        params: IdParams,
        body: ReasonBody,
        response: { 200: Item },
      },
    },
    async (req) => service.move(req.actor!, req.auditCtx, req.params.id, 'withdraw', req.body),
  );
  r.post(
    '/disclosure/items/:id/channels',
    {
      config: { access: 'disclosure.write' },
      schema: {
        tags,
        summary: 'Records a channel (日报, 网站, 党风廉政网 …) a published item appeared in, with the date',
        params: IdParams,
        body: RecordChannel,
        response: { 200: Item },
      },
    },
    async (req) => service.recordChannel(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- batches (第N批) ---------------------------------------------------------------------------
  r.get(
    '/disclosure/batches',
    {
      config: { access: 'disclosure.read' },
      schema: { tags, summary: 'Batches of typical problems, newest first', response: { 200: BatchList } },
    },
    async (req) => service.batches(req.actor!),
  );
  r.get(
    '/disclosure/batches/:id',
    {
      config: { access: 'disclosure.read' },
      schema: { tags, summary: 'A batch with its items', params: IdParams, response: { 200: BatchDetail } },
    },
    async (req) => service.batch(req.actor!, req.params.id),
  );
  r.post(
    '/disclosure/batches',
    {
      config: { access: 'disclosure.write' },
      schema: { tags, summary: 'A new batch, numbered next', body: CreateBatch, response: { 201: BatchDetail } },
    },
    async (req, reply) => {
      reply.status(201);
      return service.createBatch(req.actor!, req.auditCtx, req.body);
    },
  );
  for (const [name, access, summary] of [
    ['submit', 'disclosure.write', "Submits the batch's drafts for approval"],
    ['approve', 'disclosure.approve', "Approves the batch's submitted items"],
    ['publish', 'disclosure.write', "Publishes the batch's approved items (date, channels)"],
  ] as const) {
    r.post(
      `/disclosure/batches/:id/${name}`,
      {
        config: { access },
        schema: { tags, summary, params: IdParams, body: BatchAction, response: { 200: BatchResult } },
      },
      async (req) => service.moveBatch(req.actor!, req.auditCtx, req.params.id, name, req.body ?? {}),
    );
  }

  // --- the public JSON API: published items through the allow-list only -------------------------
  r.get(
    '/public/disclosure',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Published items (public view), newest first; lang=zh-Hans|zh-Hant or Accept-Language',
        querystring: PublicQuery,
        response: { 200: PublicPage },
      },
    },
    async (req, reply) => {
      const lang = siteLang(req.query.lang, req.headers['accept-language']);
      const page = req.query.page ?? 1;
      const r = await service.publicPage(lang, {
        q: req.query.q,
        kind: req.query.kind,
        page,
        perPage: PUBLIC_PER_PAGE,
      });
      reply.header('cache-control', 'no-cache, max-age=0').header('vary', 'Accept-Language');
      return { lang, page, ...r };
    },
  );
  r.get(
    '/public/disclosure/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One published item (public view); 404 otherwise, withdrawn ones included',
        params: IdParams,
        querystring: PublicLangQuery,
        response: { 200: PublicItem },
      },
    },
    async (req, reply) => {
      const lang = siteLang(req.query.lang, req.headers['accept-language']);
      const d = await service.publicItem(lang, req.params.id);
      reply.header('cache-control', 'no-cache, max-age=0').header('vary', 'Accept-Language');
      if (d === null || d === 'gone') throw notFound();
      return d;
    },
  );
}
