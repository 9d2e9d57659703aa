import type { Static } from 'typebox';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { JobRunsRepository, type Scheduler } from '../../platform/scheduler/index.js';
import { NoticesRepository } from './notices.repository.js';
import type { DeliveryQuery, JobRunQuery, MyNoticesQuery } from './notices.schemas.js';
import { WarningsService } from './warnings.service.js';

interface NoticeDbRow {
  id: number | bigint;
  kind: string;
  severity: string;
  title: string;
  body: string;
  link: string | null;
  unitOrgId: number | bigint | null;
  entity: string | null;
  entityId: string | null;
  createdAt: number | string;
  readAt: number | string | null;
}
const toNotice = (r: NoticeDbRow) => ({
  id: Number(r.id),
  kind: r.kind,
  severity: r.severity,
  title: r.title,
  body: r.body,
  link: r.link,
  unitOrgId: r.unitOrgId === null ? null : Number(r.unitOrgId),
  entity: r.entity,
  entityId: r.entityId,
  createdAt: Number(r.createdAt),
  readAt: r.readAt === null ? null : Number(r.readAt),
});

/** The notification centre: a user's own notices; for notice.manage, every delivery and job run. */
export class NoticesService {
  private readonly repo = new NoticesRepository();
  private readonly runs = new JobRunsRepository();
  constructor(
    private readonly ctx: AppContext,
    private readonly scheduler: Scheduler,
  ) {}

  /** The office runs a job now; recorded in the audit log before it runs. */
  async runNow(audit: AuditContext, job: string) {
    if (!this.scheduler.jobNames().includes(job)) throw new AppError(404, 'NOT_FOUND');
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.ctx.audit.record(trx, audit, { action: 'job.run', entity: 'job', entityId: job });
    });
    return (await this.scheduler.runNow(job))!;
  }

  async mine(actor: Actor, q: Static<typeof MyNoticesQuery>) {
    const size = q.pageSize ?? 20;
    const page = await this.repo.mine(this.ctx.db, actor.userId, !!q.unread, ((q.page ?? 1) - 1) * size, size);
    const unread = await this.repo.unreadCount(this.ctx.db, actor.userId);
    return { items: page.items.map(toNotice), total: page.total, unread };
  }

  async unreadCount(actor: Actor) {
    return { count: await this.repo.unreadCount(this.ctx.db, actor.userId) };
  }

  /** Only the recipient's own notice; anyone else's answers 404 like a missing one. */
  async get(actor: Actor, id: number) {
    const n = await this.repo.getOwn(this.ctx.db, actor.userId, id);
    if (!n) throw new AppError(404, 'NOT_FOUND');
    return toNotice(n);
  }

  async markRead(actor: Actor, audit: AuditContext, id: number) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const n = await this.repo.getOwn(trx, actor.userId, id);
      if (!n) throw new AppError(404, 'NOT_FOUND');
      if (n.readAt === null && (await this.repo.markRead(trx, actor.userId, id, now))) {
        await this.ctx.audit.record(trx, audit, { action: 'notice.read', entity: 'notice', entityId: id });
        return toNotice({ ...n, readAt: now });
      }
      return toNotice(n);
    });
  }

  async markAllRead(actor: Actor, audit: AuditContext) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const updated = await this.repo.markAllRead(trx, actor.userId, now);
      if (updated)
        await this.ctx.audit.record(trx, audit, {
          action: 'notice.read_all',
          entity: 'notice',
          entityId: null,
          after: { updated },
        });
      return { updated };
    });
  }

  async deliveries(q: Static<typeof DeliveryQuery>) {
    const size = q.pageSize ?? 20;
    const r = await this.repo.deliveriesPage(this.ctx.db, q, ((q.page ?? 1) - 1) * size, size);
    return {
      ...r,
      items: r.items.map((d) => ({
        ...d,
        id: Number(d.id),
        noticeId: Number(d.noticeId),
        userId: Number(d.userId),
        nextAttemptAt: Number(d.nextAttemptAt),
        sentAt: d.sentAt === null ? null : Number(d.sentAt),
        createdAt: Number(d.createdAt),
        updatedAt: Number(d.updatedAt),
      })),
    };
  }

  /** The office sends a failed delivery again (from attempt one). */
  async requeue(audit: AuditContext, id: number) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const d = await this.repo.delivery(trx, id);
      if (!d) throw new AppError(404, 'NOT_FOUND');
      if (!(await this.repo.requeue(trx, id, now)))
        throw new AppError(409, 'NOTICE_DELIVERY_NOT_FAILED', { status: d.status });
      await this.ctx.audit.record(trx, audit, {
        action: 'notice.delivery.requeue',
        entity: 'notice_delivery',
        entityId: id,
        before: { status: d.status, attempts: d.attempts },
        after: { status: 'pending' },
      });
      return { id, status: 'pending' };
    });
  }

  async jobRuns(q: Static<typeof JobRunQuery>) {
    const size = q.pageSize ?? 20;
    const r = await this.runs.page(this.ctx.db, q.job, ((q.page ?? 1) - 1) * size, size);
    return {
      total: r.total,
      jobs: this.scheduler.jobNames(),
      items: r.items.map((x) => ({
        ...x,
        id: Number(x.id),
        scheduledAt: Number(x.scheduledAt),
        startedAt: Number(x.startedAt),
        finishedAt: x.finishedAt === null ? null : Number(x.finishedAt),
        result: x.result === null ? null : (JSON.parse(x.result) as unknown),
      })),
    };
  }

  async warningSigns() {
    return { items: await new WarningsService(this.ctx).signs(this.ctx.clock.now()) };
  }
}
