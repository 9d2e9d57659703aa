import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonthsTo,
  buildTrend,
  compareUnits,
  drillDone,
  ledgerHref,
  monthRange,
  type RankedUnit,
} from './dashboard.js';
import { DONE_STATUSES, rectificationRate } from './rectification.js';

const month = fc
  .tuple(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

describe('monthRange', () => {
  it('spans the months in order, both ends included', () => {
    expect(monthRange('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthRange('2026-05', '2026-05')).toEqual(['2026-05']);
    expect(monthRange('2026-06', '2026-05')).toEqual([]);
  });
});

describe('addMonthsTo', () => {
  it('steps across years both ways', () => {
    expect(addMonthsTo('2026-11', 6)).toBe('2027-05');
    expect(addMonthsTo('2026-01', -1)).toBe('2025-12');
    expect(addMonthsTo('2026-12', 0)).toBe('2026-12');
  });
});

describe('buildTrend', () => {
  it('stops at `until`, the cumulative still counting every completion before it', () => {
    const p = buildTrend(
      new Map([
        ['2026-01', 2],
        ['2026-03', 1],
      ]),
      new Map([['2028-01', 5]]),
      10,
      60,
      '2026-06',
    );
    expect(p.map((x) => x.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(p[p.length - 1]!.cumulativeDone).toBe(3);
  });

  it('accumulates every completion and never loses one to the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(month, fc.integer({ min: 1, max: 50 })), { maxLength: 20 }),
        fc.array(fc.tuple(month, fc.integer({ min: 1, max: 50 })), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        (done, due, window) => {
          const completed = new Map<string, number>();
          for (const [m, n] of done) completed.set(m, (completed.get(m) ?? 0) + n);
          const dueMap = new Map<string, number>();
          for (const [m, n] of due) dueMap.set(m, (dueMap.get(m) ?? 0) + n);
          const totalDone = [...completed.values()].reduce((a, b) => a + b, 0);
          const total = totalDone + 7;
          const points = buildTrend(completed, dueMap, total, window);
          if (!completed.size && !dueMap.size) {
            expect(points).toEqual([]);
            return;
          }
          expect(points.length).toBeLessThanOrEqual(window);
          // consecutive months, cumulative non-decreasing, last equals every completion
          for (let i = 1; i < points.length; i++) {
            expect(monthRange(points[i - 1]!.month, points[i]!.month)).toHaveLength(2);
            expect(points[i]!.cumulativeDone).toBe(points[i - 1]!.cumulativeDone + points[i]!.completed);
          }
          const last = points[points.length - 1]!;
          const lastMonth = [...completed.keys(), ...dueMap.keys()].sort().pop()!;
          expect(last.month).toBe(lastMonth);
          expect(last.cumulativeDone).toBe(totalDone);
          expect(last.cumulativeRate).toBe(rectificationRate(totalDone, total));
          for (const p of points) {
            expect(p.completed).toBe(completed.get(p.month) ?? 0);
            expect(p.due).toBe(dueMap.get(p.month) ?? 0);
          }
        },
      ),
    );
  });
});

describe('compareUnits', () => {
  it('ranks by rate, then fewer overdue, units without measures last, in one total order', () => {
    const unit = fc.record({
      unitOrgId: fc.integer({ min: 1, max: 1000 }),
      unitName: fc.constantFrom('甲', '乙', '丙'),
      rectificationRate: fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => n / 10)),
      overdue: fc.integer({ min: 0, max: 5 }),
    }) as fc.Arbitrary<RankedUnit>;
    fc.assert(
      fc.property(fc.uniqueArray(unit, { selector: (u) => u.unitOrgId, maxLength: 15 }), (units) => {
        const sorted = [...units].sort(compareUnits);
        const reversed = [...units].reverse().sort(compareUnits);
        expect(reversed).toEqual(sorted);
        for (let i = 1; i < sorted.length; i++) {
          const a = sorted[i - 1]!;
          const b = sorted[i]!;
          expect((a.rectificationRate ?? -1) >= (b.rectificationRate ?? -1)).toBe(true);
          if (a.rectificationRate === b.rectificationRate) expect(a.overdue).toBeLessThanOrEqual(b.overdue);
        }
      }),
    );
  });
});

describe('drill-down', () => {
  it('done measures are one ledger filter per done status, each an address of the sheet', () => {
    const d = drillDone({ termId: 3, categoryCode: 'C_X' });
    expect(d.parts.map((p) => p.status)).toEqual([...DONE_STATUSES]);
    expect(ledgerHref(d.parts[0]!)).toBe('/ledger?termId=3&categoryCode=C_X&status=completed');
    expect(ledgerHref({})).toBe('/ledger');
  });
});
