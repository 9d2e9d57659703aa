import crypto from 'node:crypto';
import os from 'node:os';
import { latestDue, type Schedule } from '../../../../domain/notices.js';
import type { AppContext } from '../context.js';
import { JobRunsRepository } from './job-runs.repository.js';

export type { Schedule } from '../../../../domain/notices.js';

export interface JobRun {
  periodKey: string;
  scheduledAt: number;
  now: number;
}

export interface JobDefinition {
  /** Unique, stable: the lease rows are keyed by it. */
  name: string;
  /** When it is due; a function when the schedule is a setting (read at each tick). */
  schedule: Schedule | (() => Promise<Schedule>);
  /** How long a claimant may run before another instance may take the period over (default 15 min). */
  leaseMs?: number;
  /** Does the work; what it returns is kept as the run's result (JSON). */
  run(run: JobRun): Promise<unknown>;
}

/**
 * A small scheduler whose runs are claimed through a lease row in the database (job_runs, unique on
 * job + period), so that several app instances on one PostgreSQL run each job once per period.
 *
 * Catch-up rule: at each tick a job is run for its LATEST due period only (domain latestDue). Periods
 * missed while no instance was up are not replayed one by one: the first tick after the downtime runs
 * the current period once, and the jobs are written to look at the state (what is due, late, stalled
 * now) with idempotency keys, so that this one run covers what the missed ones would have done.
 * A failed run is retried by any instance after RETRY_MS, within the same period.
 */
export class Scheduler {
  private readonly repo = new JobRunsRepository();
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly hooks: { name: string; fn: (now: number) => Promise<unknown> }[] = [];
  private readonly doneCache = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  readonly instance: string;
  static readonly RETRY_MS = 5 * 60_000;

  constructor(private readonly ctx: AppContext) {
    this.instance = `${os.hostname().slice(0, 30)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  }

  /** Registers a job (other features call this from their routes module: app.scheduler.register). */
  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  /** Work done at every tick on every instance, safe because it claims its own rows (e.g. deliveries). */
  onTick(name: string, fn: (now: number) => Promise<unknown>): void {
    this.hooks.push({ name, fn });
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  /** One pass: runs every job whose latest period is not done and that this instance can claim. */
  async tick(): Promise<{ ran: string[]; errors: string[] }> {
    const ran: string[] = [];
    const errors: string[] = [];
    for (const job of this.jobs.values()) {
      try {
        const schedule = typeof job.schedule === 'function' ? await job.schedule() : job.schedule;
        const now = this.ctx.clock.now();
        const due = latestDue(schedule, now);
        if (this.doneCache.get(job.name) === due.periodKey) continue;
        if (await this.repo.isDone(this.ctx.db, job.name, due.periodKey)) {
          this.doneCache.set(job.name, due.periodKey);
          continue;
        }
        const id = await this.repo.claim(this.ctx.db, {
          job: job.name,
          periodKey: due.periodKey,
          instance: this.instance,
          now,
          leaseMs: job.leaseMs ?? 15 * 60_000,
          scheduledAt: due.at,
        });
        if (id === null) continue; // another instance has it
        try {
          const result = await job.run({ periodKey: due.periodKey, scheduledAt: due.at, now });
          await this.repo.finish(this.ctx.db, id, this.instance, { status: 'done', now: this.ctx.clock.now(), result });
          this.doneCache.set(job.name, due.periodKey);
          ran.push(`${job.name}@${due.periodKey}`);
        } catch (err) {
          const now2 = this.ctx.clock.now();
          const message = err instanceof Error ? err.message : String(err);
          errors.push(`${job.name}: ${message}`);
          await this.repo.finish(this.ctx.db, id, this.instance, {
            status: 'failed',
            now: now2,
            error: message,
            retryAt: now2 + Scheduler.RETRY_MS,
          });
        }
      } catch (err) {
        errors.push(`${job.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const hook of this.hooks) {
      try {
        await hook.fn(this.ctx.clock.now());
      } catch (err) {
        errors.push(`${hook.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { ran, errors };
  }

  /**
   * Runs a job now, outside its schedule (the office after an import), under its own lease row
   * (period 'manual-<ms>'), then the tick work (deliveries). The jobs' idempotency keys make it safe.
   * Null when no such job is registered.
   */
  async runNow(name: string): Promise<{ periodKey: string; status: 'done' | 'failed'; result: unknown } | null> {
    const job = this.jobs.get(name);
    if (!job) return null;
    const now = this.ctx.clock.now();
    const periodKey = `manual-${now}`;
    const id = await this.repo.claim(this.ctx.db, {
      job: job.name,
      periodKey,
      instance: this.instance,
      now,
      leaseMs: job.leaseMs ?? 15 * 60_000,
      scheduledAt: now,
    });
    if (id === null) return { periodKey, status: 'done', result: null }; // the same instant, claimed elsewhere
    let out: { periodKey: string; status: 'done' | 'failed'; result: unknown };
    try {
      const result = await job.run({ periodKey, scheduledAt: now, now });
      await this.repo.finish(this.ctx.db, id, this.instance, { status: 'done', now: this.ctx.clock.now(), result });
      out = { periodKey, status: 'done', result };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Not retried: the ticks only look at scheduled periods. The office may run it again.
      await this.repo.finish(this.ctx.db, id, this.instance, {
        status: 'failed',
        now: this.ctx.clock.now(),
        error: message,
      });
      out = { periodKey, status: 'failed', result: { error: message } };
    }
    for (const hook of this.hooks) await hook.fn(this.ctx.clock.now()).catch(() => undefined);
    return out;
  }

  /** Ticks every `everyMs` (real time) until stop(); one tick at a time per instance. */
  start(everyMs = 30_000): void {
    if (this.timer) return;
    const run = () => {
      if (this.running) return;
      this.running = this.tick()
        .then((r) => {
          for (const e of r.errors) console.error(`[scheduler] ${e}`);
        })
        .catch((err) => console.error('[scheduler]', err))
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setInterval(run, everyMs);
    this.timer.unref();
    setImmediate(run);
  }

  /** Stops ticking and waits for a tick in flight (so the database is not closed under it). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}
