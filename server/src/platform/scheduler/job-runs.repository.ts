import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.js';

/** The lease rows of the scheduler (job_runs): the only SQL of the scheduler. */
export class JobRunsRepository {
  /**
   * Claims (job, period) for `instance`: inserts the row, or takes over a row whose previous claimant
   * failed or let its lease run out. Exactly one caller gets the row; a done period is never taken.
   */
  async claim(
    db: Kysely<DB>,
    r: { job: string; periodKey: string; instance: string; now: number; leaseMs: number; scheduledAt: number },
  ): Promise<number | null> {
    const inserted = await db
      .insertInto('jobRuns')
      .values({
        job: r.job,
        periodKey: r.periodKey,
        status: 'running',
        claimedBy: r.instance,
        leaseUntil: r.now + r.leaseMs,
        attempts: 1,
        scheduledAt: r.scheduledAt,
        startedAt: r.now,
        finishedAt: null,
        result: null,
        error: null,
      })
      .onConflict((oc) => oc.columns(['job', 'periodKey']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return Number(inserted.id);
    const taken = await db
      .updateTable('jobRuns')
      .set({
        status: 'running',
        claimedBy: r.instance,
        leaseUntil: r.now + r.leaseMs,
        attempts: sql<number>`attempts + 1`,
        startedAt: r.now,
        error: null,
      })
      .where('job', '=', r.job)
      .where('periodKey', '=', r.periodKey)
      .where('status', '<>', 'done')
      .where('leaseUntil', '<', r.now)
      .returning('id')
      .executeTakeFirst();
    return taken ? Number(taken.id) : null;
  }

  async isDone(db: Kysely<DB>, job: string, periodKey: string): Promise<boolean> {
    const row = await db
      .selectFrom('jobRuns')
      .select('status')
      .where('job', '=', job)
      .where('periodKey', '=', periodKey)
      .executeTakeFirst();
    return row?.status === 'done';
  }

  /** Records the outcome, fenced by the claimant: a run whose lease was taken over records nothing. */
  async finish(
    db: Kysely<DB>,
    id: number,
    instance: string,
    outcome: { status: 'done' | 'failed'; now: number; result?: unknown; error?: string; retryAt?: number },
  ): Promise<boolean> {
    const r = await db
      .updateTable('jobRuns')
      .set({
        status: outcome.status,
        finishedAt: outcome.now,
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        error: outcome.error ? outcome.error.slice(0, 2000) : null,
        ...(outcome.retryAt !== undefined ? { leaseUntil: outcome.retryAt } : {}),
      })
      .where('id', '=', id)
      .where('claimedBy', '=', instance)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async page(db: Kysely<DB>, job: string | undefined, offset: number, limit: number) {
    let q = db.selectFrom('jobRuns');
    if (job) q = q.where('job', '=', job);
    const [items, total] = await Promise.all([
      q
        .select([
          'id',
          'job',
          'periodKey',
          'status',
          'claimedBy',
          'attempts',
          'scheduledAt',
          'startedAt',
          'finishedAt',
          'result',
          'error',
        ])
        .orderBy('startedAt', 'desc')
        .orderBy('id', 'desc')
        .offset(offset)
        .limit(limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }
}
