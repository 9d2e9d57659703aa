import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Times are shown in the deployment's zone (SPEC §4: Asia/Shanghai by default). */
export const TIME_ZONE = 'Asia/Shanghai';

export function inZone(ms: number | string | Date | Dayjs): Dayjs {
  return dayjs(ms).tz(TIME_ZONE);
}

/** Epoch milliseconds → 'YYYY-MM-DD HH:mm' in Asia/Shanghai; '—' when absent. */
export function formatTime(ms: number | null | undefined, withSeconds = false): string {
  if (ms === null || ms === undefined) return '—';
  return inZone(ms).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return inZone(ms).format('YYYY-MM-DD');
}

/** The start of a calendar day in Asia/Shanghai as epoch ms (for audit filters). */
export function startOfDayMs(d: Dayjs): number {
  return dayjs.tz(d.format('YYYY-MM-DD'), TIME_ZONE).valueOf();
}

export function endOfDayMs(d: Dayjs): number {
  return dayjs.tz(d.format('YYYY-MM-DD'), TIME_ZONE).add(1, 'day').valueOf() - 1;
}
