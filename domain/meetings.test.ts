import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.js';
import {
  ACCOUNTABILITY_KINDS,
  canTransitionMeeting,
  countByKind,
  DEFAULT_MEETING_DUE_DAYS,
  heldOnAllowed,
  MEETING_STATUSES,
  MEETING_TRANSITIONS,
  type MeetingStatus,
  meetingDueDate,
  meetingEditable,
  meetingFlag,
  meetingOverdue,
  personKey,
} from './meetings.js';

const dateArb = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('整改专题民主生活会 state machine', () => {
  it('agrees with its table for random (from, to) pairs, and every state has a row', () => {
    expect(Object.keys(MEETING_TRANSITIONS).sort()).toEqual([...MEETING_STATUSES].sort());
    fc.assert(
      fc.property(fc.constantFrom(...MEETING_STATUSES), fc.constantFrom(...MEETING_STATUSES), (from, to) => {
        expect(canTransitionMeeting(from, to)).toBe(MEETING_TRANSITIONS[from].includes(to));
        if (from === to) expect(canTransitionMeeting(from, to)).toBe(false);
      }),
    );
  });

  it('answers false for names that are not states, including those of Object.prototype', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('__proto__', 'valueOf', 'constructor', 'toString')),
        fc.constantFrom(...MEETING_STATUSES),
        (other, s) => {
          fc.pre(!(MEETING_STATUSES as readonly string[]).includes(other));
          expect(canTransitionMeeting(other, s)).toBe(false);
          expect(canTransitionMeeting(s, other)).toBe(false);
        },
      ),
    );
  });

  it('any walk of allowed steps only moves forward: planned → held → reviewed, never back, at most two steps', () => {
    const order: Record<MeetingStatus, number> = { planned: 0, held: 1, reviewed: 2 };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MEETING_STATUSES), { maxLength: 20 }), (attempts) => {
        let s: MeetingStatus = 'planned';
        let steps = 0;
        for (const to of attempts) {
          if (!canTransitionMeeting(s, to)) continue;
          expect(order[to]).toBe(order[s] + 1);
          s = to;
          steps++;
        }
        expect(steps).toBeLessThanOrEqual(2);
        expect(meetingEditable(s)).toBe(s !== 'reviewed');
      }),
    );
  });

  it('is overdue exactly when still planned after its due date; a held meeting is never overdue', () => {
    fc.assert(
      fc.property(dateArb, dateArb, fc.constantFrom(...MEETING_STATUSES), (feedback, today, status) => {
        const dueDate = meetingDueDate(feedback);
        expect(dueDate).toBe(addDays(feedback, DEFAULT_MEETING_DUE_DAYS));
        const heldOn = status === 'planned' ? null : addDays(feedback, 70);
        const m = { status, dueDate, heldOn };
        expect(meetingOverdue(m, today)).toBe(status === 'planned' && today > dueDate);
        const flag = meetingFlag(m, today);
        if (status === 'planned') expect(flag).toBe(today > dueDate ? 'overdue' : null);
        else expect(flag).toBe('held_late'); // 70 days after the feedback is past the 60-day due date
      }),
    );
  });

  it('accepts a date held between the feedback and today only', () => {
    fc.assert(
      fc.property(dateArb, dateArb, dateArb, (heldOn, feedback, today) => {
        expect(heldOnAllowed(heldOn, feedback, today)).toBe(heldOn >= feedback && heldOn <= today);
      }),
    );
  });
});

describe('accountability', () => {
  it('counts every kind exactly, ignoring unknown kinds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ACCOUNTABILITY_KINDS), fc.string())), (kinds) => {
        const c = countByKind(kinds);
        for (const k of ACCOUNTABILITY_KINDS) expect(c[k]).toBe(kinds.filter((x) => x === k).length);
        expect(Object.keys(c).sort()).toEqual([...ACCOUNTABILITY_KINDS].sort());
      }),
    );
  });

  it('knows a person by name without spaces and unit', () => {
    expect(personKey(' 张 三 ', 7)).toBe('张三@7');
    expect(personKey('张三', 7)).not.toBe(personKey('张三', 8));
  });
});
