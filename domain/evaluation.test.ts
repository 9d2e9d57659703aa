import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GradeThreshold,
  gradeOf,
  type LedgerFigures,
  ledgerIndicatorCenti,
  missingOpinions,
  percent,
  scoreAllowed,
  thresholdsValid,
  totalCenti,
} from './evaluation.js';

/** Distinct thresholds in centi-points, shuffled: any valid order. */
const thresholdsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 6 })
  .chain((mins) => fc.shuffledSubarray(mins, { minLength: mins.length, maxLength: mins.length }))
  .map((mins): GradeThreshold[] => mins.map((m, i) => ({ code: `g${i}`, minScore: m / 100 })));

/** The reference: sort descending and take the first threshold not above the score. */
function reference(score: number, ts: readonly GradeThreshold[]): string | null {
  const sorted = [...ts].sort((a, b) => b.minScore - a.minScore);
  return sorted.find((t) => Math.round(t.minScore * 100) <= score)?.code ?? null;
}

const DEFAULTS: GradeThreshold[] = [
  { code: 'excellent', minScore: 90 },
  { code: 'satisfactory', minScore: 75 },
  { code: 'basically_satisfactory', minScore: 60 },
  { code: 'unsatisfactory', minScore: 0 },
];

describe('gradeOf (优秀 / 合格 / 基本合格 / 不合格)', () => {
  it('with the default thresholds: just below, at and just above each', () => {
    expect(gradeOf(8999, DEFAULTS)).toBe('satisfactory');
    expect(gradeOf(9000, DEFAULTS)).toBe('excellent');
    expect(gradeOf(9001, DEFAULTS)).toBe('excellent');
    expect(gradeOf(7499, DEFAULTS)).toBe('basically_satisfactory');
    expect(gradeOf(7500, DEFAULTS)).toBe('satisfactory');
    expect(gradeOf(5999, DEFAULTS)).toBe('unsatisfactory');
    expect(gradeOf(6000, DEFAULTS)).toBe('basically_satisfactory');
    expect(gradeOf(0, DEFAULTS)).toBe('unsatisfactory');
    expect(gradeOf(10_000, DEFAULTS)).toBe('excellent');
  });

  it('at every threshold, in any order, the score earns that threshold’s grade', () => {
    fc.assert(
      fc.property(thresholdsArb, (ts) => {
        for (const t of ts) expect(gradeOf(Math.round(t.minScore * 100), ts)).toBe(t.code);
      }),
    );
  });

  it('just above a threshold earns it unless another threshold sits there', () => {
    fc.assert(
      fc.property(thresholdsArb, (ts) => {
        for (const t of ts) {
          const above = Math.round(t.minScore * 100) + 1;
          const there = ts.find((o) => Math.round(o.minScore * 100) === above);
          expect(gradeOf(above, ts)).toBe(there ? there.code : t.code);
        }
      }),
    );
  });

  it('just below a threshold earns the next lower one, or none below the lowest', () => {
    fc.assert(
      fc.property(thresholdsArb, (ts) => {
        for (const t of ts) {
          const min = Math.round(t.minScore * 100);
          const lower = ts.filter((o) => Math.round(o.minScore * 100) < min).sort((a, b) => b.minScore - a.minScore)[0];
          expect(gradeOf(min - 1, ts)).toBe(lower ? lower.code : null);
        }
      }),
    );
  });

  it('equals the sorted reference for any score, does not depend on order, and never falls as the score rises', () => {
    fc.assert(
      fc.property(
        thresholdsArb,
        fc.integer({ min: -100, max: 10_100 }),
        fc.integer({ min: 0, max: 500 }),
        (ts, score, step) => {
          expect(gradeOf(score, ts)).toBe(reference(score, ts));
          expect(gradeOf(score, [...ts].reverse())).toBe(gradeOf(score, ts));
          const rank = (c: string | null) =>
            c === null ? -1 : Math.round(ts.find((t) => t.code === c)!.minScore * 100);
          expect(rank(gradeOf(score + step, ts))).toBeGreaterThanOrEqual(rank(gradeOf(score, ts)));
        },
      ),
    );
  });

  it('thresholdsValid refuses none, duplicates and values out of range', () => {
    expect(thresholdsValid(DEFAULTS)).toBe(true);
    expect(thresholdsValid([])).toBe(false);
    expect(thresholdsValid([...DEFAULTS, { code: 'x', minScore: 75 }])).toBe(false);
    expect(thresholdsValid([{ code: 'x', minScore: 101 }])).toBe(false);
    fc.assert(
      fc.property(thresholdsArb, (ts) => {
        expect(thresholdsValid(ts)).toBe(true);
      }),
    );
  });
});

const figuresArb = fc
  .record({ measures: fc.integer({ min: 0, max: 500 }), a: fc.nat(), b: fc.nat(), c: fc.nat(), d: fc.nat() })
  .map(({ measures, a, b, c, d }): LedgerFigures => {
    const done = measures ? a % (measures + 1) : 0;
    const closed = done ? b % (done + 1) : 0;
    const onTime = done ? c % (done + 1) : 0;
    const overdue = measures - done ? d % (measures - done + 1) : 0;
    return { measures, done, closed, onTime, overdue };
  });

describe('scoring sheet', () => {
  it('the ledger indicator stays within 0 … max and is the max with everything closed on time', () => {
    fc.assert(
      fc.property(figuresArb, fc.integer({ min: 1, max: 100_000 }), (f, maxCenti) => {
        const v = ledgerIndicatorCenti(maxCenti / 100, f);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(maxCenti);
        const all = { ...f, done: f.measures, closed: f.measures, onTime: f.measures, overdue: 0 };
        expect(ledgerIndicatorCenti(maxCenti / 100, all)).toBe(maxCenti);
      }),
    );
    expect(ledgerIndicatorCenti(40, { measures: 10, done: 8, closed: 5, onTime: 6, overdue: 1 })).toBe(2200);
  });

  it('the total is the weighted sum plus deductions, within 0 … 100, and null while a score is missing', () => {
    const ind = (scoreCenti: number | null, weight = 20, maxScore = 20) => ({
      code: 'x',
      weight,
      maxScore,
      scoreCenti,
    });
    expect(totalCenti([ind(1500), ind(3000, 40, 40)], [-500])).toBe(4000);
    expect(totalCenti([ind(1000, 50, 10)], [])).toBe(5000); // a 10-point indicator weighing 50
    expect(totalCenti([ind(100)], [-500])).toBe(0);
    expect(totalCenti([ind(1500), ind(null)], [])).toBeNull();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            weight: fc.integer({ min: 1, max: 100 }),
            maxScore: fc.integer({ min: 1, max: 100 }),
            s: fc.nat(),
          }),
          { maxLength: 8 },
        ),
        fc.array(fc.integer({ min: -10_000, max: -1 }), { maxLength: 5 }),
        (xs, ds) => {
          const inds = xs.map((x) => ind(x.s % (x.maxScore * 100 + 1), x.weight, x.maxScore));
          const t = totalCenti(inds, ds)!;
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(10_000);
          expect(Number.isInteger(t)).toBe(true);
        },
      ),
    );
  });

  it('scores are 0 … max with at most two decimals', () => {
    expect(scoreAllowed(20, 20)).toBe(true);
    expect(scoreAllowed(0, 20)).toBe(true);
    expect(scoreAllowed(12.25, 20)).toBe(true);
    expect(scoreAllowed(20.01, 20)).toBe(false);
    expect(scoreAllowed(-0.01, 20)).toBe(false);
    expect(scoreAllowed(1.234, 20)).toBe(false);
    expect(scoreAllowed(Number.NaN, 20)).toBe(false);
  });

  it('percent and the missing opinions of the 汇商会', () => {
    expect(percent(937, 1000)).toBe(93.7);
    expect(percent(1, 0)).toBeNull();
    expect(
      missingOpinions(
        [
          { orgId: 1, name: 'a' },
          { orgId: 2, name: 'b' },
        ],
        [{ supervisorOrgId: 2 }],
      ),
    ).toEqual([{ orgId: 1, name: 'a' }]);
  });
});
