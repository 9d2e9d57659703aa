import type { AppContext } from '../../platform/context.js';
import type { Scheduler } from '../../platform/scheduler/index.js';
import { DeliveryService } from './delivery.service.js';
import { WarningsService } from './warnings.service.js';

export const JOB_WARNINGS_DAILY = 'warnings.daily';
export const JOB_WARNINGS_WEEKLY = 'warnings.weekly';

/**
 * The notices feature's jobs: the daily warning run at system.warnings.dailyAt, the weekly digest and
 * warning signs on digestWeekday (30 minutes later), and the deliveries, sent at every tick by
 * whichever instance claims each one.
 */
export function registerNoticeJobs(scheduler: Scheduler, ctx: AppContext) {
  const warnings = new WarningsService(ctx);
  const delivery = new DeliveryService(ctx, scheduler.instance);
  scheduler.register({
    name: JOB_WARNINGS_DAILY,
    schedule: async () => ({ kind: 'daily', at: (await warnings.config()).dailyAt }),
    run: async (r) => warnings.runDaily(r.now),
  });
  scheduler.register({
    name: JOB_WARNINGS_WEEKLY,
    schedule: async () => {
      const c = await warnings.config();
      const [h, m] = c.dailyAt.split(':').map(Number);
      const minutes = Math.min((h ?? 0) * 60 + (m ?? 0) + 30, 23 * 60 + 59);
      const at = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return { kind: 'weekly', weekday: c.digestWeekday, at };
    },
    run: async (r) => warnings.runWeekly(r.now, r.periodKey),
  });
  // After the jobs of the same tick, so that a notice made now goes out now.
  scheduler.onTick('notices.deliver', (now) => delivery.dispatch(now));
  return { warnings, delivery };
}
