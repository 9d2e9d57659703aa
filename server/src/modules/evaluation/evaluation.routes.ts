import { PassThrough } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { shanghaiDate } from '../../../../domain/calendar.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { attachment, XLSX_MIME } from '../ledger-excel/ledger-excel.layout.js';
import {
  Check,
  CreateCheck,
  CreateDeduction,
  Detail,
  Finalise,
  IdParams,
  ListPage,
  ListQuery,
  Opinion,
  PutOpinion,
  PutScore,
  RoundQuery,
  ScoreParams,
  Sheet,
  UpdateCheck,
  XlsxFile,
  YearQuery,
} from './evaluation.schemas.js';
import { EvaluationService } from './evaluation.service.js';

function sendWorkbook(reply: FastifyReply, body: PassThrough, asciiName: string, name: string) {
  return reply
    .type(XLSX_MIME)
    .header('content-disposition', attachment(asciiName, name))
    .header('cache-control', 'no-store')
    .send(body);
}

/** Routes of the evaluation feature under /api/v1: 检查考核评价 (SPEC M11). */
export async function evaluationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new EvaluationService(ctx);
  const tags = ['evaluation'];

  r.get(
    '/evaluation/round-units',
    {
      config: { access: 'evaluation.read' },
      schema: {
        tags,
        summary: 'Round-units in scope with their check, 汇商会 and grade state, newest first',
        querystring: ListQuery,
        response: { 200: ListPage },
      },
    },
    async (req) => svc.list(req.actor!, req.query),
  );
  r.get(
    '/evaluation/round-units/:id',
    {
      config: { access: 'evaluation.read' },
      schema: {
        tags,
        summary:
          "A round-unit's evaluation: special check records, 汇商会 opinions and who has not given one, the scoring sheet, grade",
        params: IdParams,
        response: { 200: Detail },
      },
    },
    async (req) => svc.detail(req.actor!, req.params.id),
  );
  r.post(
    '/evaluation/round-units/:id/checks',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: '整改专项检查: record an individual talk, questionnaire, on-site check or 对账销号 result',
        params: IdParams,
        body: CreateCheck,
        response: { 201: Check },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createCheck(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.patch(
    '/evaluation/checks/:id',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: 'Correct a check record',
        params: IdParams,
        body: UpdateCheck,
        response: { 200: Check },
      },
    },
    async (req) => svc.updateCheck(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.put(
    '/evaluation/round-units/:id/opinion',
    {
      config: { access: 'evaluation.opinion' },
      schema: {
        tags,
        summary: "汇商会: the caller's organisation (a liaison supervisor of the unit) gives or amends its opinion",
        params: IdParams,
        body: PutOpinion,
        response: { 200: Opinion },
      },
    },
    async (req) => svc.putOpinion(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.put(
    '/evaluation/round-units/:id/scores/:code',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: 'Enter the score of an indicator (not one computed from the ledger); logged',
        params: ScoreParams,
        body: PutScore,
        response: { 200: Sheet },
      },
    },
    async (req) => svc.putScore(req.actor!, req.auditCtx, req.params.id, req.params.code, req.body),
  );
  r.post(
    '/evaluation/round-units/:id/deductions',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: '扣分 with a reason of the dictionary (e.g. 整改不重视 −5); logged',
        params: IdParams,
        body: CreateDeduction,
        response: { 201: Sheet },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addDeduction(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.delete(
    '/evaluation/deductions/:id',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: 'Take back a deduction of an open evaluation; logged',
        params: IdParams,
        response: { 200: Sheet },
      },
    },
    async (req) => svc.removeDeduction(req.actor!, req.auditCtx, req.params.id),
  );
  r.post(
    '/evaluation/round-units/:id/finalise',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary:
          'Fix the total and grade (→ 已评价); 不合格 also records an 约谈 and opens 重新整改 with a new deadline, in one transaction',
        params: IdParams,
        body: Finalise,
        response: { 200: Detail },
      },
    },
    async (req) => svc.finalise(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  r.get(
    '/evaluation/export/grades',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: "The year's finalised grades for the annual assessment (.xlsx, streamed)",
        querystring: YearQuery,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      const orgIds = await svc.exportScope(req.actor!);
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'export.evaluation_grades',
        entity: 'evaluation',
        after: { year: req.query.year },
      });
      const out = new PassThrough();
      svc.writeYearGrades(orgIds, req.query.year, req.locale, out).catch((err) => {
        req.log.error({ err }, 'evaluation grades export failed');
        out.destroy(err as Error);
      });
      const y = req.query.year;
      return sendWorkbook(reply, out, `evaluation-grades-${y}.xlsx`, `${y}年度整改考核评价等次.xlsx`);
    },
  );
  r.get(
    '/evaluation/export/scores',
    {
      config: { access: 'evaluation.write' },
      schema: {
        tags,
        summary: '整改检查考核评价得分 of a round: per unit the indicators, deductions, total and grade (.xlsx)',
        querystring: RoundQuery,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      const orgIds = await svc.exportScope(req.actor!);
      if ((await svc.repo.roundName(ctx.db, req.query.roundId)) === null) throw notFound();
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'export.evaluation_scores',
        entity: 'evaluation',
        after: { roundId: req.query.roundId },
      });
      const out = new PassThrough();
      svc.writeRoundScores(orgIds, req.query.roundId, req.locale, out).catch((err) => {
        req.log.error({ err }, 'evaluation scores export failed');
        out.destroy(err as Error);
      });
      const day = shanghaiDate(ctx.clock.now());
      return sendWorkbook(reply, out, `evaluation-scores-${day}.xlsx`, `整改检查考核评价得分-${day}.xlsx`);
    },
  );
}
