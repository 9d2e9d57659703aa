import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { registerNoticeJobs } from './notices.jobs.js';
import {
  DeliveryPage,
  DeliveryQuery,
  IdParams,
  JobParams,
  JobRunPage,
  JobRunQuery,
  ManualRun,
  MyNoticesPage,
  MyNoticesQuery,
  Notice,
  ReadAllResult,
  UnreadCount,
  WarningSigns,
} from './notices.schemas.js';
import { NoticesService } from './notices.service.js';

/** Routes of the notices feature under /api/v1: the notification centre and the warning chain's state. */
export async function noticesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  registerNoticeJobs(app.scheduler, ctx);
  const notices = new NoticesService(ctx, app.scheduler);
  const tags = ['notices'];

  r.get(
    '/notices',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "The caller's own notices, newest first, with the unread count",
        querystring: MyNoticesQuery,
        response: { 200: MyNoticesPage },
      },
    },
    async (req) => notices.mine(req.actor!, req.query),
  );
  r.get(
    '/notices/unread-count',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "How many of the caller's notices are unread (the bell)",
        response: { 200: UnreadCount },
      },
    },
    async (req) => notices.unreadCount(req.actor!),
  );
  r.post(
    '/notices/read-all',
    {
      config: { access: 'user' },
      schema: { tags, summary: "Marks all the caller's notices read", response: { 200: ReadAllResult } },
    },
    async (req) => notices.markAllRead(req.actor!, req.auditCtx),
  );
  r.get(
    '/notices/deliveries',
    {
      config: { access: 'notice.manage' },
      schema: {
        tags,
        summary: 'Every delivery out of the app (e-mail, webhook) and its state, newest first',
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (req) => notices.deliveries(req.query),
  );
  r.post(
    '/notices/deliveries/:id/retry',
    {
      config: { access: 'notice.manage' },
      schema: {
        tags,
        summary: 'Sends a failed delivery again',
        params: IdParams,
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }) },
      },
    },
    async (req) => notices.requeue(req.auditCtx, req.params.id),
  );
  r.get(
    '/notices/job-runs',
    {
      config: { access: 'notice.manage' },
      schema: {
        tags,
        summary: "The scheduler's runs (one per job and period, claimed through a lease), newest first",
        querystring: JobRunQuery,
        response: { 200: JobRunPage },
      },
    },
    async (req) => notices.jobRuns(req.query),
  );
  r.post(
    '/notices/job-runs/:job/run',
    {
      config: { access: 'notice.manage' },
      schema: {
        tags,
        summary: 'Runs a job now, outside its schedule (e.g. the warning run after an import); reruns add nothing',
        params: JobParams,
        response: { 200: ManualRun },
      },
    },
    async (req) => notices.runNow(req.auditCtx, req.params.job),
  );
  r.get(
    '/notices/warning-signs',
    {
      config: { access: 'notice.manage' },
      schema: {
        tags,
        summary: "The seed's warning signs per unit (超规定时限, 挂账整改, 以整改计划代替落实, 日常工作代替整改)",
        response: { 200: WarningSigns },
      },
    },
    async () => notices.warningSigns(),
  );
  r.get(
    '/notices/:id',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'One of the caller’s own notices', params: IdParams, response: { 200: Notice } },
    },
    async (req) => notices.get(req.actor!, req.params.id),
  );
  r.post(
    '/notices/:id/read',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Marks one of the caller’s notices read', params: IdParams, response: { 200: Notice } },
    },
    async (req) => notices.markRead(req.actor!, req.auditCtx, req.params.id),
  );
}
