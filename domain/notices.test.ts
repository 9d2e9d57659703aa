import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.js';
import {
  backoffMs,
  type ChainStep,
  daysUntil,
  dueSteps,
  idemKey,
  isoWeekday,
  isStalled,
  latestDue,
  looksLikeRoutineWork,
  MAX_DELIVERY_ATTEMPTS,
} from './notices.js';

const CHAIN: ChainStep[] = [
  { daysBefore: 20, recipient: 'owner' },
  { daysBefore: 10, recipient: 'leader_in_charge' },
  { daysBefore: -1, recipient: 'principal' },
  { daysBefore: -1, recipient: 'supervisors' },
];

describe('the warning chain', () => {
  it('counts calendar days to the deadline', () => {
    expect(daysUntil('2026-12-01', '2026-12-21')).toBe(20);
    expect(daysUntil('2026-12-22', '2026-12-21')).toBe(-1);
    expect(daysUntil('2027-03-01', '2027-02-28')).toBe(-1);
  });

  it('fires nothing before the first threshold and each step from its day on', () => {
    expect(dueSteps(CHAIN, 21)).toEqual([]);
    expect(dueSteps(CHAIN, 20).map((s) => s.recipient)).toEqual(['owner']);
    expect(dueSteps(CHAIN, 10).map((s) => s.recipient)).toEqual(['owner', 'leader_in_charge']);
    expect(dueSteps(CHAIN, 0).map((s) => s.recipient)).toEqual(['owner', 'leader_in_charge']);
    expect(dueSteps(CHAIN, -1)).toHaveLength(4);
  });

  it('walking day by day, each step first becomes due exactly on its own day (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ daysBefore: fc.integer({ min: -30, max: 30 }), recipient: fc.constant('owner' as const) }),
          {
            maxLength: 6,
          },
        ),
        (steps) => {
          for (const s of steps) {
            let first: number | null = null;
            for (let left = 40; left >= -40 && first === null; left--) if (dueSteps([s], left).length) first = left;
            expect(first).toBe(s.daysBefore);
          }
        },
      ),
    );
  });

  it('keys a notice by rule, record, step and recipient', () => {
    expect(idemKey('chain', 'measure:7@2027-01-31', 'd20:owner', 3)).toBe('chain:measure:7@2027-01-31:d20:owner:u3');
  });

  it('flags a stalled measure from its last progress, or its creation when it has none', () => {
    const day = 86_400_000;
    expect(isStalled(null, 0, 30 * day, 30)).toBe(true);
    expect(isStalled(null, 0, 30 * day - 1, 30)).toBe(false);
    expect(isStalled(10 * day, 0, 39 * day, 30)).toBe(false);
  });

  it('flags progress that restates routine work', () => {
    const phrases = ['日常工作', '按照惯例'];
    expect(looksLikeRoutineWork('本月按照 惯例开展学习', phrases)).toBe(true);
    expect(looksLikeRoutineWork('修订制度3项，追回资金12万元', phrases)).toBe(false);
    expect(looksLikeRoutineWork('任何内容', [' '])).toBe(false);
  });
});

describe('delivery backoff', () => {
  it('doubles from one minute and stays within six hours', () => {
    expect(backoffMs(1)).toBe(60_000);
    expect(backoffMs(2)).toBe(120_000);
    expect(backoffMs(3)).toBe(240_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DELIVERY_ATTEMPTS * 4 }), (n) => {
        expect(backoffMs(n + 1)).toBeGreaterThanOrEqual(backoffMs(n));
        expect(backoffMs(n)).toBeLessThanOrEqual(6 * 3600_000);
      }),
    );
  });
});

describe('scheduler periods', () => {
  const at = (iso: string) => Date.parse(iso);
  it('a daily job at 07:00 Shanghai is due from 23:00 UTC the day before', () => {
    expect(latestDue({ kind: 'daily', at: '07:00' }, at('2026-12-01T22:59:59Z')).periodKey).toBe('2026-12-01');
    expect(latestDue({ kind: 'daily', at: '07:00' }, at('2026-12-01T23:00:00Z'))).toEqual({
      periodKey: '2026-12-02',
      at: at('2026-12-01T23:00:00Z'),
    });
  });

  it('a weekly job is due on its weekday only', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    const r = latestDue({ kind: 'weekly', weekday: 1, at: '07:30' }, at('2026-12-03T04:00:00Z'));
    expect(r.periodKey).toBe('w2026-11-30');
  });

  it('after any downtime the latest period alone is due: never in the future, never older than one period (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        (now, weekday, hour) => {
          const at = `${String(hour).padStart(2, '0')}:15`;
          const d = latestDue({ kind: 'daily', at }, now);
          expect(d.at).toBeLessThanOrEqual(now);
          expect(now - d.at).toBeLessThan(86_400_000);
          const w = latestDue({ kind: 'weekly', weekday, at }, now);
          expect(w.at).toBeLessThanOrEqual(now);
          expect(now - w.at).toBeLessThan(7 * 86_400_000);
          expect(isoWeekday(w.periodKey.slice(1))).toBe(weekday);
          expect(addDays(d.periodKey, 0)).toBe(d.periodKey);
        },
      ),
    );
  });

  it('an interval job has one period per interval', () => {
    expect(latestDue({ kind: 'interval', minutes: 5 }, 5 * 60_000 * 3 + 1)).toEqual({ periodKey: 'i5-3', at: 900_000 });
  });
});
