/**
 * Working-calendar arithmetic (工作日历). Pure: the caller passes the exceptions from M17.
 * A day is a working day when it is Monday–Friday and not a holiday, or when it is a make-up working
 * day (调休上班). Dates are 'YYYY-MM-DD' strings in Asia/Shanghai.
 */
export type DayException = 'holiday' | 'workday';

export function parseDate(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad date ${s}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== s) throw new Error(`bad date ${s}`);
  return d;
}

export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isValidDate(s: string): boolean {
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
}

export function addDays(s: string, days: number): string {
  const d = parseDate(s);
  d.setUTCDate(d.getUTCDate() + days);
  return formatDate(d);
}

/** Calendar months, clamped to the month's last day (2026-11-30 + 3 months → 2027-02-28). */
export function addMonths(s: string, months: number): string {
  const d = parseDate(s);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return formatDate(target);
}

export function isWorkingDay(s: string, exceptions: ReadonlyMap<string, DayException>): boolean {
  const ex = exceptions.get(s);
  if (ex === 'holiday') return false;
  if (ex === 'workday') return true;
  const wd = parseDate(s).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** The first working day on or after `s` — a deadline falling on a rest day moves to the next working day. */
export function nextWorkingDay(s: string, exceptions: ReadonlyMap<string, DayException>): string {
  let d = s;
  for (let i = 0; i < 366 && !isWorkingDay(d, exceptions); i++) d = addDays(d, 1);
  return d;
}

/** Adds n working days (n ≥ 0) to s. */
export function addWorkingDays(s: string, n: number, exceptions: ReadonlyMap<string, DayException>): string {
  let d = s;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, exceptions)) left--;
  }
  return d;
}

/** Rectification deadline: feedback date + N months (default 3), moved onto a working day. */
export function rectificationDeadline(
  feedbackDate: string,
  exceptions: ReadonlyMap<string, DayException>,
  months = 3,
): string {
  return nextWorkingDay(addMonths(feedbackDate, months), exceptions);
}

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
