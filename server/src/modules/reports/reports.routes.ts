import { PassThrough } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import { REPORT_MEETING_KINDS } from '../../../../domain/reports.js';
import type { AppContext } from '../../platform/context.js';
import { literalUnion } from '../../platform/schema.js';
import { contentDisposition } from '../evidence/evidence.routes.js';
import {
  AcceptTask,
  CreateMinutes,
  CreateReportMeeting,
  DOCX_MIME,
  DocxFile,
  IdParams,
  Minutes,
  MinutesList,
  ReportMeeting,
  ReportMeetingList,
  ReportQuery,
  ReportTask,
  ReturnTask,
  TaskPage,
  TaskQuery,
  TaskWithEvents,
  UpdateReportMeeting,
  UrgeTask,
  XLSX_MIME,
  XlsxFile,
} from './reports.schemas.js';
import { ReportsService } from './reports.service.js';

function download(reply: FastifyReply, type: string, name: string, body: Buffer | PassThrough) {
  return reply
    .type(type)
    .header('content-disposition', contentDisposition(name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body);
}

/** Reports (SPEC M13): generated documents, the 三个汇报 records, minutes and their 限时办结 tasks. */
export async function reportsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new ReportsService(ctx);
  const tags = ['reports'];

  // --- generated documents -----------------------------------------------------------------------
  r.get(
    '/reports/comprehensive.docx',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: '整改进展情况综合报告 (Word, GB/T 9704) for a term, a round or a unit, within your scope',
        querystring: ReportQuery,
        response: { 200: DocxFile },
      },
    },
    async (req, reply) => {
      const doc = await svc.comprehensiveDocx(req.actor!, req.auditCtx, req.query);
      return download(reply as FastifyReply, DOCX_MIME, doc.name, doc.bytes);
    },
  );

  r.get(
    '/reports/progress-statistics.xlsx',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary:
          '整改进展情况统计表: per unit problems, measures, done, rate, overdue, stalled, outcomes, and the total',
        querystring: ReportQuery,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      const data = await svc.progressStatistics(req.actor!, req.query);
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'report.progress_statistics.download',
        entity: 'report',
        after: { query: req.query, units: data.units.length },
      });
      const out = new PassThrough();
      svc.writeProgressStatistics(data, out).catch((err) => {
        req.log.error({ err }, 'progress statistics export failed');
        out.destroy(err as Error);
      });
      const day = shanghaiDate(ctx.clock.now());
      return download(reply as FastifyReply, XLSX_MIME, `整改进展情况统计表-${day}.xlsx`, out);
    },
  );

  r.get(
    '/reports/open-measures.xlsx',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: '正在整改情况统计表: every measure not yet done, with its owners and deadline (streamed)',
        querystring: ReportQuery,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      await svc.checkReportQuery(req.query);
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'report.open_measures.download',
        entity: 'report',
        after: { query: req.query },
      });
      const out = new PassThrough();
      svc.writeOpenMeasures(req.actor!, req.query, out).catch((err) => {
        req.log.error({ err }, 'open measures export failed');
        out.destroy(err as Error);
      });
      const day = shanghaiDate(ctx.clock.now());
      return download(reply as FastifyReply, XLSX_MIME, `正在整改情况统计表-${day}.xlsx`, out);
    },
  );

  // --- 三个汇报 records ---------------------------------------------------------------------------
  r.get(
    '/report-meetings',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: '三个汇报 records (领导小组会 / 书记专题会 / 常委会), newest first',
        querystring: Type.Object(
          { kind: Type.Optional(literalUnion(REPORT_MEETING_KINDS)) },
          { additionalProperties: false },
        ),
        response: { 200: ReportMeetingList },
      },
    },
    async (req) => svc.meetings(req.actor!, req.query.kind),
  );

  r.post(
    '/report-meetings',
    {
      config: { access: 'report.write' },
      schema: {
        tags,
        summary: 'Record a 三个汇报 report; with reportKind the headline figures as presented are kept with it',
        body: CreateReportMeeting,
        response: { 201: ReportMeeting },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createMeeting(req.actor!, req.auditCtx, req.body);
    },
  );

  r.patch(
    '/report-meetings/:id',
    {
      config: { access: 'report.write' },
      schema: {
        tags,
        summary: 'Change a 三个汇报 record (optimistic: send the version you read)',
        params: IdParams,
        body: UpdateReportMeeting,
        response: { 200: ReportMeeting },
      },
    },
    async (req) => svc.updateMeeting(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- minutes ------------------------------------------------------------------------------------
  r.get(
    '/minutes',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: 'Meeting minutes (会议纪要) with their tasks, newest first',
        response: { 200: MinutesList },
      },
    },
    async (req) => svc.minutesList(req.actor!),
  );

  r.post(
    '/minutes',
    {
      config: { access: 'report.write' },
      schema: {
        tags,
        summary: 'Record minutes; each decision becomes a 限时办结 task of an organisation (optionally a person)',
        body: CreateMinutes,
        response: { 201: Minutes },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createMinutes(req.actor!, req.auditCtx, req.body);
    },
  );

  r.get(
    '/minutes/:id',
    {
      config: { access: 'report.read' },
      schema: { tags, summary: 'One set of minutes with its tasks', params: IdParams, response: { 200: Minutes } },
    },
    async (req) => svc.getMinutes(req.actor!, req.params.id),
  );

  // --- 限时办结 tasks -------------------------------------------------------------------------------
  r.get(
    '/tasks',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: '限时办结 tasks: all for the office, the leadership and the 督查室; a unit its own',
        querystring: TaskQuery,
        response: { 200: TaskPage },
      },
    },
    async (req) => svc.taskPage(req.actor!, req.query),
  );

  r.get(
    '/tasks/:id',
    {
      config: { access: 'report.read' },
      schema: { tags, summary: 'One task with its log', params: IdParams, response: { 200: TaskWithEvents } },
    },
    async (req) => svc.getTask(req.actor!, req.params.id),
  );

  r.post(
    '/tasks/:id/urge',
    {
      config: { access: 'task.follow' },
      schema: {
        tags,
        summary: '催办: urge the owner of a task still waiting on it (logged)',
        params: IdParams,
        body: UrgeTask,
        response: { 200: TaskWithEvents },
      },
    },
    async (req) => svc.urge(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // The owner answers with supervision.respond: the unit's one permission to answer a demand made of
  // it (督办, 派单), held by the unit's liaison and its head; a 限时办结 task is such a demand.
  r.post(
    '/tasks/:id/report',
    {
      config: { access: 'supervision.respond' },
      schema: {
        tags,
        summary: 'The owning organisation reports the task done (办结情况); again after a return',
        params: IdParams,
        body: ReportTask,
        response: { 200: TaskWithEvents },
      },
    },
    async (req) => svc.report(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  r.post(
    '/tasks/:id/accept',
    {
      config: { access: 'task.follow' },
      schema: {
        tags,
        summary: 'The 督查室 accepts the report: the task is closed (办结)',
        params: IdParams,
        body: AcceptTask,
        response: { 200: TaskWithEvents },
      },
    },
    async (req) => svc.review(req.actor!, req.auditCtx, req.params.id, 'closed', req.body),
  );

  r.post(
    '/tasks/:id/return',
    {
      config: { access: 'task.follow' },
      schema: {
        tags,
        summary: 'The 督查室 returns the report to the owner with the reason',
        params: IdParams,
        body: ReturnTask,
        response: { 200: TaskWithEvents },
      },
    },
    async (req) => svc.review(req.actor!, req.auditCtx, req.params.id, 'returned', req.body),
  );
}
