import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addTallies,
  CODE_ALPHABET,
  CODE_LENGTH,
  canTransitionSurvey,
  checkAnswers,
  codeFromBytes,
  DEFAULT_OPTIONS,
  EMPTY_TALLY,
  formatCode,
  localText,
  normaliseCode,
  percent,
  questionnaireProblem,
  responseRate,
  SURVEY_STATUSES,
  type SurveyQuestion,
  satisfactionRate,
  tallyOptions,
} from './surveys.js';

const choice = (key: string, allowComment = false): SurveyQuestion => ({
  key,
  kind: 'choice',
  text: { zh: `问题${key}` },
  options: [...DEFAULT_OPTIONS],
  allowComment,
});
const text = (key: string): SurveyQuestion => ({
  key,
  kind: 'text',
  text: { zh: '意见建议' },
  options: [],
  allowComment: false,
});

const tally = fc.record({ satisfied: fc.nat(100_000), unsatisfied: fc.nat(100_000), excluded: fc.nat(100_000) });

describe('satisfaction rate (满意率)', () => {
  it('is null exactly when nobody gave a counted answer, else within 0–100 with one decimal', () => {
    fc.assert(
      fc.property(tally, (t) => {
        const r = satisfactionRate(t);
        if (t.satisfied + t.unsatisfied === 0) return r === null;
        return r !== null && r >= 0 && r <= 100 && Math.round(r * 10) === r * 10;
      }),
    );
  });

  it('is 100 only when nobody was dissatisfied and 0 only when nobody was satisfied', () => {
    fc.assert(
      fc.property(tally, (t) => {
        const r = satisfactionRate(t);
        if (r === null) return true;
        // One decimal: 100.0 can also come from 99.95 % and up, 0.0 from below 0.05 %.
        if (t.unsatisfied === 0) expect(r).toBe(100);
        if (t.satisfied === 0) expect(r).toBe(0);
        if (r === 100) expect(t.unsatisfied * 2000).toBeLessThanOrEqual(t.satisfied + t.unsatisfied);
        return true;
      }),
    );
  });

  it('ignores 不了解 answers and never falls when one more person is satisfied', () => {
    fc.assert(
      fc.property(tally, fc.nat(1000), (t, more) => {
        expect(satisfactionRate({ ...t, excluded: t.excluded + more })).toBe(satisfactionRate(t));
        const up = satisfactionRate({ ...t, satisfied: t.satisfied + 1 })!;
        const before = satisfactionRate(t);
        if (before !== null) expect(up).toBeGreaterThanOrEqual(before);
        const down = satisfactionRate({ ...t, unsatisfied: t.unsatisfied + 1 })!;
        if (before !== null) expect(down).toBeLessThanOrEqual(before);
      }),
    );
  });

  it('rounds half up on the exact fraction (no floating-point drift)', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 16)).toBe(6.3); // 6.25 → 6.3
    expect(percent(1, 2000)).toBe(0.1); // 0.05 → 0.1
    expect(percent(1, 2001)).toBe(0); // 0.04997…
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (d, k) => {
        const n = k % (d + 1);
        const r = percent(n, d)!;
        // |r − exact| ≤ 0.05, checked on integers: |10·r·d − 1000·n| ≤ d/2
        const tenths = Math.round(r * 10);
        return Math.abs(tenths * d - 1000 * n) * 2 <= d;
      }),
    );
  });

  it('refuses fractions that are not counts', () => {
    expect(() => percent(3, 2)).toThrow();
    expect(() => percent(-1, 2)).toThrow();
    expect(() => percent(1.5, 2)).toThrow();
    expect(responseRate(0, 0)).toBeNull();
    expect(responseRate(37, 50)).toBe(74);
  });

  it('adds tallies of units and questions into the same total whatever the order', () => {
    fc.assert(
      fc.property(fc.array(tally, { maxLength: 20 }), (ts) => {
        const fwd = ts.reduce(addTallies, EMPTY_TALLY);
        const back = [...ts].reverse().reduce(addTallies, EMPTY_TALLY);
        expect(fwd).toEqual(back);
        expect(fwd.satisfied).toBe(ts.reduce((s, t) => s + t.satisfied, 0));
      }),
    );
  });

  it('tallies a question by how each option counts, every answer in exactly one bucket', () => {
    const q = choice('q1');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 500 }), (chosen) => {
        const counts = new Map<string, number>();
        for (const c of chosen) counts.set(c, (counts.get(c) ?? 0) + 1);
        const t = tallyOptions(q, counts);
        expect(t.satisfied + t.unsatisfied + t.excluded).toBe(chosen.length);
        expect(t.satisfied).toBe(chosen.filter((c) => c === 'a' || c === 'b').length);
        expect(t.unsatisfied).toBe(chosen.filter((c) => c === 'c').length);
      }),
    );
  });
});

describe('one-time codes', () => {
  it('are 12 characters of the Crockford alphabet whatever the random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: CODE_LENGTH, maxLength: 32 }), (bytes) => {
        const c = codeFromBytes(bytes);
        expect(c).toHaveLength(CODE_LENGTH);
        for (const ch of c) expect(CODE_ALPHABET).toContain(ch);
        expect(normaliseCode(c)).toBe(c);
        expect(normaliseCode(formatCode(c))).toBe(c);
        expect(normaliseCode(` ${formatCode(c).toLowerCase()} `)).toBe(c);
      }),
    );
  });

  it('use every character equally (each byte value maps to one of 32, 8 times)', () => {
    const seen = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const ch = codeFromBytes(new Uint8Array(CODE_LENGTH).fill(b))[0]!;
      seen.set(ch, (seen.get(ch) ?? 0) + 1);
    }
    expect(seen.size).toBe(32);
    expect([...seen.values()].every((n) => n === 8)).toBe(true);
  });

  it('read misread letters as the digits they look like, and refuse what cannot be a code', () => {
    expect(normaliseCode('oooo-iiii-llll')).toBe('000011111111');
    expect(normaliseCode('ABCD-EFGH-JKM')).toBeNull();
    expect(normaliseCode('ABCD-EFGH-JKMNP')).toBeNull();
    expect(normaliseCode('ABCD-EFGH-JKMU')).toBeNull(); // U is not in the alphabet
    expect(normaliseCode('')).toBeNull();
  });
});

describe('questionnaire and answer sheets', () => {
  it('moves draft → open → closed only', () => {
    const allowed = SURVEY_STATUSES.flatMap((a) =>
      SURVEY_STATUSES.filter((b) => canTransitionSurvey(a, b)).map((b) => `${a}>${b}`),
    );
    expect(allowed).toEqual(['draft>open', 'open>closed']);
  });

  it('can be opened only with at least one choice question that has a satisfied and an unsatisfied option', () => {
    expect(questionnaireProblem([])).toBe('no_questions');
    expect(questionnaireProblem([text('t')])).toBe('no_choice_question');
    expect(questionnaireProblem([choice('q1'), text('t')])).toBeNull();
    expect(questionnaireProblem([choice('q1'), choice('q1')])).toBe('duplicate_question');
    const onlySatisfied = { ...choice('q'), options: DEFAULT_OPTIONS.filter((o) => o.counts !== 'unsatisfied') };
    expect(questionnaireProblem([onlySatisfied])).toBe('no_unsatisfied_option');
    const one = { ...choice('q'), options: DEFAULT_OPTIONS.slice(0, 1) };
    expect(questionnaireProblem([one])).toBe('too_few_options');
  });

  it('accepts exactly the sheets that answer every choice question with one of its options', () => {
    const qs = [choice('q1'), choice('q2', true), text('t')];
    const sheet = fc.record({
      q1: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'z'), { nil: undefined }),
      q2: fc.option(fc.constantFrom('a', 'c'), { nil: undefined }),
      remark: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
      t: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(sheet, (s) => {
        const answers = [
          ...(s.q1 ? [{ key: 'q1', option: s.q1 }] : []),
          ...(s.q2 ? [{ key: 'q2', option: s.q2, text: s.remark }] : []),
          ...(s.t !== undefined ? [{ key: 't', text: s.t }] : []),
        ];
        const r = checkAnswers(qs, answers);
        const valid = !!s.q1 && s.q1 !== 'z' && !!s.q2;
        expect(r.ok).toBe(valid);
        if (r.ok) {
          expect(r.answers.map((a) => a.key)).toEqual(['q1', 'q2', ...(s.t?.trim() ? ['t'] : [])]);
          expect(r.answers[1]!.text).toBe(s.remark?.trim() || null);
        }
      }),
    );
    expect(
      checkAnswers(qs, [
        { key: 'q1', option: 'a' },
        { key: 'q1', option: 'a' },
      ]),
    ).toEqual({
      ok: false,
      reason: 'duplicate_answer',
    });
    expect(
      checkAnswers(qs, [
        { key: 'q1', option: 'a', text: '说明' },
        { key: 'q2', option: 'a' },
      ]),
    ).toEqual({
      ok: false,
      reason: 'comment_not_allowed',
    });
    expect(
      checkAnswers(qs, [
        { key: 'q1', option: 'a' },
        { key: 'q2', option: 'a' },
        { key: 'x', option: 'a' },
      ]),
    ).toEqual({ ok: false, reason: 'unknown_question' });
  });

  it('shows each text in the asker’s language, falling back to 简体', () => {
    expect(localText({ zh: '满意', tw: '滿意', en: 'Satisfied' }, 'zh-TW')).toBe('滿意');
    expect(localText({ zh: '满意', en: ' ' }, 'en')).toBe('满意');
    expect(localText({ zh: '满意', en: 'Satisfied' }, 'zh-CN')).toBe('满意');
  });
});
