import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import {
  CompareQuery,
  Comparison,
  CreateReport,
  IdParams,
  ItemParams,
  PeriodList,
  Report,
  ReportPage,
  ReportQuery,
  ReturnBody,
  RevisionParams,
  UpdateItem,
  UpdateReport,
  VersionBody,
  VersionList,
  VersionSnapshot,
} from './progress.schemas.js';
import { ProgressService } from './progress.service.js';

/** 整改进展报告 (M6): periods, drafts, sign-off by the unit head, submitted versions and their comparison. */
export async function progressRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const progress = new ProgressService(ctx);
  const tags = ['progress'];

  r.get(
    '/round-units/:id/progress-reports',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A round-unit's reporting periods up to the next one due, each with its report and overdue flag",
        params: IdParams,
        response: { 200: PeriodList },
      },
    },
    async (req) => progress.periods(req.actor!, req.params.id),
  );
  r.post(
    '/round-units/:id/progress-reports',
    {
      config: { access: 'progress.write' },
      schema: {
        tags,
        summary: 'Start the report of a period: a draft pre-filled with the measures it covers (409 if it exists)',
        params: IdParams,
        body: CreateReport,
        response: { 201: Report },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return progress.create(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/progress-reports',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Progress reports in scope, newest first (nextCursor → cursor): the sign-off and reading queues',
        querystring: ReportQuery,
        response: { 200: ReportPage },
      },
    },
    async (req) => progress.page(req.actor!, req.query),
  );
  r.get(
    '/progress-reports/:id',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'One report with its items (supervisors and leaders: as last signed off)',
        params: IdParams,
        response: { 200: Report },
      },
    },
    async (req) => progress.get(req.actor!, req.params.id),
  );
  r.put(
    '/progress-reports/:id',
    {
      config: { access: 'progress.write' },
      schema: {
        tags,
        summary: "Change a draft's summary (optimistic: send the version you read)",
        params: IdParams,
        body: UpdateReport,
        response: { 200: Report },
      },
    },
    async (req) => progress.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.put(
    '/progress-reports/:id/items/:measureId',
    {
      config: { access: 'progress.write' },
      schema: {
        tags,
        summary: 'Fill in one measure of a draft: reported status, narrative, evidence files of the round-unit',
        params: ItemParams,
        body: UpdateItem,
        response: { 200: Report },
      },
    },
    async (req) => progress.updateItem(req.actor!, req.auditCtx, req.params.id, req.params.measureId, req.body),
  );
  r.post(
    '/progress-reports/:id/send',
    {
      config: { access: 'progress.write' },
      schema: {
        tags,
        summary: 'Send a complete draft to the unit head for sign-off',
        params: IdParams,
        body: VersionBody,
        response: { 200: Report },
      },
    },
    async (req) => progress.send(req.actor!, req.auditCtx, req.params.id, req.body.version),
  );
  r.post(
    '/progress-reports/:id/return',
    {
      config: { access: 'progress.signoff' },
      schema: {
        tags,
        summary: 'Return a report awaiting sign-off to its draft, with a note',
        params: IdParams,
        body: ReturnBody,
        response: { 200: Report },
      },
    },
    async (req) => progress.return(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/progress-reports/:id/signoff',
    {
      config: { access: 'progress.signoff' },
      schema: {
        tags,
        summary: 'Sign off (审签) and submit: statuses reach the measures, evidence is linked, the revision is kept',
        params: IdParams,
        body: VersionBody,
        response: { 200: Report },
      },
    },
    async (req) => progress.signoff(req.actor!, req.auditCtx, req.params.id, req.body.version),
  );
  r.post(
    '/progress-reports/:id/revise',
    {
      config: { access: 'progress.write' },
      schema: {
        tags,
        summary: 'Start a new revision of a submitted report (the submitted versions are kept)',
        params: IdParams,
        body: VersionBody,
        response: { 200: Report },
      },
    },
    async (req) => progress.revise(req.actor!, req.auditCtx, req.params.id, req.body.version),
  );
  r.get(
    '/progress-reports/:id/versions',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A report's submitted versions",
        params: IdParams,
        response: { 200: VersionList },
      },
    },
    async (req) => progress.versions(req.actor!, req.params.id),
  );
  r.get(
    '/progress-reports/:id/versions/:revision',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'One submitted version as it was signed off',
        params: RevisionParams,
        response: { 200: VersionSnapshot },
      },
    },
    async (req) => progress.version(req.actor!, req.params.id, req.params.revision),
  );
  r.get(
    '/progress-reports/:id/compare',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Two submitted versions side by side: per measure status, narrative and files, and what changed',
        params: IdParams,
        querystring: CompareQuery,
        response: { 200: Comparison },
      },
    },
    async (req) => progress.compare(req.actor!, req.params.id, req.query),
  );
}
