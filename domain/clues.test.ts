import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLUE_ACTION_TRANSITIONS, CLUE_ACTIONS, CLUE_STATUSES, type ClueStatus, clueNext } from './clues.js';

const ORDER: Record<ClueStatus, number> = { sent: 0, received: 1, disposed: 2 };

describe('问题线索 state machine: 已移送 → 已签收 → 已处置', () => {
  it('clueNext agrees with the table for random (status, action) pairs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLUE_STATUSES), fc.constantFrom(...CLUE_ACTIONS), (status, action) => {
        const t = CLUE_ACTION_TRANSITIONS[action];
        expect(clueNext(status, action)).toBe(t.from === status ? t.to : null);
      }),
    );
  });

  it('any sequence of actions only moves forward one step at a time and stops at 已处置', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CLUE_ACTIONS), { maxLength: 30 }), (actions) => {
        let status: ClueStatus = 'sent';
        const applied: string[] = [];
        for (const a of actions) {
          const next = clueNext(status, a);
          if (next === null) continue; // refused: nothing changes
          expect(ORDER[next]).toBe(ORDER[status] + 1);
          applied.push(a);
          status = next;
        }
        // What was accepted is always a prefix of the one path, and the state says how far it got.
        expect(applied).toEqual(['receive', 'dispose'].slice(0, applied.length));
        expect(ORDER[status]).toBe(applied.length);
        // Disposal needs receipt first.
        expect(status !== 'disposed' || actions.indexOf('receive') < actions.lastIndexOf('dispose')).toBe(true);
      }),
    );
  });

  it('已处置 is final: no action leaves it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLUE_ACTIONS), (action) => {
        expect(clueNext('disposed', action)).toBeNull();
      }),
    );
  });

  it('every status is reachable from 已移送', () => {
    const reached = new Set<ClueStatus>(['sent']);
    for (let i = 0; i < CLUE_STATUSES.length; i++)
      for (const s of [...reached]) for (const a of CLUE_ACTIONS) if (clueNext(s, a)) reached.add(clueNext(s, a)!);
    expect([...reached].sort()).toEqual([...CLUE_STATUSES].sort());
  });
});
