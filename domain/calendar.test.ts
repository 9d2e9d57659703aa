import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addWorkingDays,
  type DayException,
  isValidDate,
  isWorkingDay,
  nextWorkingDay,
  parseDate,
  rectificationDeadline,
} from './calendar.js';

const BASE = '2020-01-01';
/** Dates from 2020 to about 2049. */
const dateArb = fc.integer({ min: 0, max: 11000 }).map((n) => addDays(BASE, n));
/** Sparse exceptions around the same range (holidays and 调休 working days), like a real calendar. */
const exceptionsArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 11500 }), fc.constantFrom<DayException>('holiday', 'workday')), {
    maxLength: 400,
  })
  .map((pairs) => new Map(pairs.map(([n, k]) => [addDays(BASE, n), k] as const)));
/** A long run of holidays, as in a 9-day 春节 with make-up Saturdays around it. */
const holidayBlockArb = fc
  .tuple(fc.integer({ min: 0, max: 11000 }), fc.integer({ min: 1, max: 12 }))
  .map(([start, len]) => {
    const m = new Map<string, DayException>();
    for (let i = 0; i < len; i++) m.set(addDays(BASE, start + i), 'holiday');
    m.set(addDays(BASE, start - 1), 'workday');
    m.set(addDays(BASE, start + len), 'workday');
    return m;
  });
const anyExceptionsArb = fc.oneof(exceptionsArb, holidayBlockArb);

const lastDayOfMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
const workingDaysBetween = (from: string, to: string, ex: ReadonlyMap<string, DayException>) => {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, ex)) n++;
  return n;
};

describe('calendar arithmetic', () => {
  it('known examples', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-08-31', -6)).toBe('2026-02-28');
    const ex = new Map<string, DayException>([
      ['2026-10-01', 'holiday'],
      ['2026-10-02', 'holiday'],
      ['2026-10-05', 'holiday'],
      ['2026-10-06', 'holiday'],
      ['2026-10-07', 'holiday'],
      ['2026-10-10', 'workday'],
    ]);
    expect(rectificationDeadline('2026-07-01', ex)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-08', 2, ex)).toBe('2026-10-10');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
  });

  it('addMonths lands on a real date in the right month, clamped to its last day', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -240, max: 240 }), (d, n) => {
        const r = addMonths(d, n);
        expect(isValidDate(r)).toBe(true);
        const a = parseDate(d);
        const b = parseDate(r);
        expect(b.getUTCFullYear() * 12 + b.getUTCMonth() - (a.getUTCFullYear() * 12 + a.getUTCMonth())).toBe(n);
        expect(b.getUTCDate()).toBe(Math.min(a.getUTCDate(), lastDayOfMonth(b.getUTCFullYear(), b.getUTCMonth())));
      }),
    );
  });

  it('addMonths by 0 is the identity and is monotone in the date and the months', () => {
    fc.assert(
      fc.property(
        dateArb,
        dateArb,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (d1, d2, m, k) => {
          expect(addMonths(d1, 0)).toBe(d1);
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          expect(addMonths(lo, m) <= addMonths(hi, m)).toBe(true);
          expect(addMonths(d1, m) <= addMonths(d1, m + k)).toBe(true);
          expect(addMonths(d1, m) >= d1).toBe(true);
        },
      ),
    );
  });

  it('addMonths composes when the day of the month exists in every month', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }), (d, a, b) => {
        fc.pre(parseDate(d).getUTCDate() <= 28);
        expect(addMonths(addMonths(d, a), b)).toBe(addMonths(d, a + b));
      }),
    );
  });

  it('isWorkingDay follows the exceptions first, then Monday–Friday', () => {
    fc.assert(
      fc.property(dateArb, anyExceptionsArb, (d, ex) => {
        const kind = ex.get(d);
        const weekday = ![0, 6].includes(parseDate(d).getUTCDay());
        expect(isWorkingDay(d, ex)).toBe(kind === 'holiday' ? false : kind === 'workday' ? true : weekday);
      }),
    );
  });

  it('nextWorkingDay is the first working day on or after the date, and idempotent', () => {
    fc.assert(
      fc.property(dateArb, anyExceptionsArb, (d, ex) => {
        const r = nextWorkingDay(d, ex);
        expect(r >= d).toBe(true);
        expect(isWorkingDay(r, ex)).toBe(true);
        for (let x = d; x < r; x = addDays(x, 1)) expect(isWorkingDay(x, ex)).toBe(false);
        expect(nextWorkingDay(r, ex)).toBe(r);
        if (isWorkingDay(d, ex)) expect(r).toBe(d);
      }),
    );
  });

  it('nextWorkingDay is monotone', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), anyExceptionsArb, (d, k, ex) => {
        expect(nextWorkingDay(d, ex) <= nextWorkingDay(addDays(d, k), ex)).toBe(true);
      }),
    );
  });

  it('addWorkingDays lands on a working day exactly n working days later', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), anyExceptionsArb, (d, n, ex) => {
        const r = addWorkingDays(d, n, ex);
        if (n === 0) {
          expect(r).toBe(d);
          return;
        }
        expect(r > d).toBe(true);
        expect(isWorkingDay(r, ex)).toBe(true);
        expect(workingDaysBetween(d, r, ex)).toBe(n);
      }),
    );
  });

  it('addWorkingDays is strictly monotone in n, monotone in the date, and composes', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 30 }),
        anyExceptionsArb,
        (d, a, b, k, ex) => {
          expect(addWorkingDays(d, a, ex) < addWorkingDays(d, a + 1, ex)).toBe(true);
          expect(addWorkingDays(d, a, ex) <= addWorkingDays(addDays(d, k), a, ex)).toBe(true);
          expect(addWorkingDays(addWorkingDays(d, a, ex), b, ex)).toBe(addWorkingDays(d, a + b, ex));
        },
      ),
    );
  });

  it('a rectification deadline is the first working day on or after feedback + N months', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 24 }), anyExceptionsArb, (d, m, ex) => {
        const raw = addMonths(d, m);
        const r = rectificationDeadline(d, ex, m);
        expect(r >= raw).toBe(true);
        expect(isWorkingDay(r, ex)).toBe(true);
        expect(r).toBe(nextWorkingDay(raw, ex));
      }),
    );
  });

  it('with no exceptions, five working days are exactly one week', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        fc.pre(isWorkingDay(d, new Map()));
        expect(addWorkingDays(d, 5, new Map())).toBe(addDays(d, 7));
      }),
    );
  });
});
