import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition, rectificationRate } from './rectification.js';
import {
  canUrge,
  isTaskOverdue,
  lateParagraph,
  nextStepsParagraph,
  overviewParagraph,
  percent,
  type ReportFigures,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  unitsParagraph,
} from './reports.js';

const figures = fc
  .record({
    units: fc.nat(100),
    problems: fc.nat(1000),
    rectifiedProblems: fc.nat(1000),
    measures: fc.nat(6000),
    done: fc.nat(6000),
    closed: fc.nat(6000),
    overdue: fc.nat(500),
  })
  .map(({ units, problems, rectifiedProblems, measures, done, closed, overdue }): ReportFigures => {
    const doneMeasures = Math.min(done, measures);
    const closedMeasures = Math.min(closed, doneMeasures);
    const rectified = Math.min(rectifiedProblems, problems);
    return {
      units,
      problems,
      rectifiedProblems: rectified,
      measures,
      doneMeasures,
      closedMeasures,
      rectificationRate: rectificationRate(doneMeasures, measures),
      closureRate: rectificationRate(closedMeasures, measures),
      problemRectificationRate: rectificationRate(rectified, problems),
      rulesEstablished: 0,
      fundsReturned: '0.00',
      lossesRecovered: '0.00',
      peopleHeldAccountable: 0,
      casesFiled: 0,
      overdue: Math.min(overdue, measures - doneMeasures),
    };
  });

describe('限时办结 tasks', () => {
  it('a closed task is final; a returned one goes back to the owner; only the review closes', () => {
    expect(TASK_TRANSITIONS.closed).toEqual([]);
    expect(canTransition(TASK_TRANSITIONS, 'returned', 'reported')).toBe(true);
    expect(canTransition(TASK_TRANSITIONS, 'open', 'closed')).toBe(false);
    for (const s of TASK_STATUSES)
      if (s !== 'reported') expect(canTransition(TASK_TRANSITIONS, s, 'closed'), s).toBe(false);
  });

  it('is overdue only while waiting on its owner and past the deadline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TASK_STATUSES),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
        (status, d, t) => {
          const deadline = d.toISOString().slice(0, 10);
          const today = t.toISOString().slice(0, 10);
          expect(isTaskOverdue(status, deadline, today)).toBe(canUrge(status) && deadline < today);
          if (status === 'closed' || status === 'reported') expect(isTaskOverdue(status, deadline, today)).toBe(false);
        },
      ),
    );
  });
});

describe('the comprehensive report text', () => {
  it('states exactly the figures it was given', () => {
    fc.assert(
      fc.property(figures, (f) => {
        const text = overviewParagraph('本轮巡察', f);
        expect(text).toContain(`被巡察党组织${f.units}个`);
        expect(text).toContain(`反馈问题${f.problems}个`);
        expect(text).toContain(`整改措施${f.measures}项`);
        expect(text).toContain(`已完成整改措施${f.doneMeasures}项，整改率${percent(f.rectificationRate)}`);
        expect(text).toContain(`已销号措施${f.closedMeasures}项`);
        const next = nextStepsParagraph(f);
        if (f.measures > f.doneMeasures) expect(next).toContain(`${f.measures - f.doneMeasures}项整改措施`);
        if (f.overdue > 0) expect(next).toContain(`${f.overdue}项超期措施`);
        else expect(next).not.toContain('超期');
      }),
    );
  });

  it('percent keeps the one decimal of SPEC §5 and shows a dash without measures', () => {
    expect(percent(93.7)).toBe('93.7%');
    expect(percent(100)).toBe('100.0%');
    expect(percent(null)).toBe('—');
  });

  it('names the lagging units lowest rate first and counts the complete ones', () => {
    const text = unitsParagraph([
      { unitName: '甲', measures: 4, doneMeasures: 4, rectificationRate: 100, overdue: 0, stalled: 0 },
      { unitName: '乙', measures: 4, doneMeasures: 1, rectificationRate: 25, overdue: 1, stalled: 0 },
      { unitName: '丙', measures: 4, doneMeasures: 3, rectificationRate: 75, overdue: 0, stalled: 1 },
    ]);
    expect(text).toBe(
      '3个被巡察党组织中，1个已完成全部整改措施，2个尚有未完成措施，整改率较低的有乙（25.0%）、丙（75.0%）。',
    );
    expect(lateParagraph(0, 0, 0)).toContain('无超期');
    expect(lateParagraph(2, 1, 1)).toBe(
      '超过整改时限尚未完成的措施2项，涉及1个单位；长期无进展的措施1项，需督促相关单位加快推进。',
    );
  });
});
