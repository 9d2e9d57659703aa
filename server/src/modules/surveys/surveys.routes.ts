import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import {
  BatchCodes,
  CodeParams,
  CreateBatch,
  CreateSurvey,
  IdParams,
  PublicAnswer,
  PublicAnswered,
  PublicSurvey,
  SurveyDetail,
  SurveyPage,
  SurveyQuery,
  SurveyResults,
  Transition,
  UpdateSurvey,
  XlsxFile,
} from './surveys.schemas.js';
import { SurveysService } from './surveys.service.js';
import { resultsWorkbook } from './surveys.xlsx.js';

/** 满意度测评 (SPEC M11): questionnaires, one-time codes, the public answer page's API, results. */
export async function surveysRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new SurveysService(ctx);
  const tags = ['surveys'];
  // The public routes take no login, so they get their own per-IP limit, tighter than the API's:
  // ten times the login limit (300 a minute by default) leaves room for a meeting room answering
  // from behind one address, and none for trying codes at speed (60 random bits each).
  const publicLimit = { max: ctx.config.loginRateLimitPerMinute * 10, timeWindow: 60_000 };

  r.get(
    '/surveys',
    {
      config: { access: 'survey.read' },
      schema: {
        tags,
        summary: 'Satisfaction surveys in scope, newest first',
        querystring: SurveyQuery,
        response: { 200: SurveyPage },
      },
    },
    async (req) => svc.page(req.actor!, req.query),
  );
  r.post(
    '/surveys',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: 'A new questionnaire (draft) about one or more round-units',
        body: CreateSurvey,
        response: { 201: SurveyDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.create(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/surveys/:id',
    {
      config: { access: 'survey.read' },
      schema: {
        tags,
        summary: 'One survey with its questions, units and batches of codes',
        params: IdParams,
        response: { 200: SurveyDetail },
      },
    },
    async (req) => svc.get(req.actor!, req.params.id),
  );
  r.patch(
    '/surveys/:id',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: 'Edit the title, introduction, units or questions (draft only)',
        params: IdParams,
        body: UpdateSurvey,
        response: { 200: SurveyDetail },
      },
    },
    async (req) => svc.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/surveys/:id/open',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: 'Open for answers (draft → open); needs a complete questionnaire and units',
        params: IdParams,
        body: Transition,
        response: { 200: SurveyDetail },
      },
    },
    async (req) => svc.transition(req.actor!, req.auditCtx, req.params.id, 'open', req.body),
  );
  r.post(
    '/surveys/:id/close',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: 'Close (open → closed): codes answer no more; the audit log keeps the final counts',
        params: IdParams,
        body: Transition,
        response: { 200: SurveyDetail },
      },
    },
    async (req) => svc.transition(req.actor!, req.auditCtx, req.params.id, 'closed', req.body),
  );
  r.post(
    '/surveys/:id/batches',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: 'A batch of one-time codes for a unit and audience; the plaintext codes are in this answer',
        params: IdParams,
        body: CreateBatch,
        response: { 201: BatchCodes },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createBatch(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/survey-batches/:id/codes',
    {
      config: { access: 'survey.write' },
      schema: {
        tags,
        summary: "A batch's codes again for a reprint (unsealed from SM4; audited)",
        params: IdParams,
        response: { 200: BatchCodes },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return svc.batchCodes(req.actor!, req.auditCtx, req.params.id);
    },
  );
  r.get(
    '/surveys/:id/results',
    {
      config: { access: 'survey.read' },
      schema: {
        tags,
        summary: 'Results per unit, audience and question with the satisfaction rate; response rate per batch',
        params: IdParams,
        response: { 200: SurveyResults },
      },
    },
    async (req) => svc.results(req.actor!, req.params.id),
  );
  r.get(
    '/surveys/:id/results.xlsx',
    {
      config: { access: 'survey.read' },
      schema: {
        tags,
        summary: 'The results as an Excel workbook (audited export)',
        params: IdParams,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      const results = await svc.results(req.actor!, req.params.id);
      const buf = await resultsWorkbook(results, req.locale);
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'export.survey_results',
        entity: 'survey',
        entityId: req.params.id,
        after: { bytes: buf.length },
      });
      const name = `survey-${req.params.id}-results.xlsx`;
      return (reply as FastifyReply)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(buf);
    },
  );

  // --- public: no login -----------------------------------------------------------------------
  r.get(
    '/public/survey/:code',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: "The questionnaire of a one-time code, in the asker's language (no login)",
        params: CodeParams,
        response: { 200: PublicSurvey },
        security: [],
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return svc.publicSurvey(req.params.code, req.locale);
    },
  );
  r.post(
    '/public/survey-answers',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Answer once with a one-time code (no login); the code stays out of the URL and the answer',
        body: PublicAnswer,
        response: { 201: PublicAnswered },
        security: [],
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.answer(req.body);
    },
  );
}
