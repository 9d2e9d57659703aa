import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideHandover,
  HANDOVER_ACTIONS,
  HANDOVER_ITEM_STATUSES,
  HANDOVER_MOVES,
  type HandoverItemStatus,
  handoverActions,
  handoverKind,
} from './handover.js';
import { ROLES } from './roles.js';

const states = HANDOVER_ITEM_STATUSES as readonly string[];

describe('handover state machine', () => {
  it('every move goes from a state of the table to a state of the table', () => {
    for (const a of HANDOVER_ACTIONS) {
      expect(states).toContain(HANDOVER_MOVES[a].from);
      expect(states).toContain(HANDOVER_MOVES[a].to);
    }
  });

  it('random sequences of actions by random roles never leave the table, and follow it exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...HANDOVER_ACTIONS), fc.constantFrom(...ROLES)), { maxLength: 40 }),
        (steps) => {
          let state: HandoverItemStatus = 'handed_over';
          for (const [action, role] of steps) {
            const d = decideHandover(state, action, role);
            const move = HANDOVER_MOVES[action];
            const allowed = move.role === role && move.from === state;
            expect(d.ok).toBe(allowed);
            if (d.ok) state = d.to;
            else expect(d.reason).toBe(move.role === role ? 'state' : 'role');
            expect(states).toContain(state);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('final states accept nothing; the 党风政风室 may return only before accepting', () => {
    for (const role of ROLES) {
      expect(handoverActions('returned', role)).toEqual([]);
      expect(handoverActions('concluded', role)).toEqual([]);
    }
    expect(handoverActions('handed_over', 'discipline').sort()).toEqual(['accept', 'return']);
    expect(handoverActions('accepted', 'discipline')).toEqual(['dispatch']);
    expect(handoverActions('dispatched', 'supervisor').sort()).toEqual(['conclude', 'note']);
    expect(handoverActions('handed_over', 'office')).toEqual([]);
  });

  it('every state is reachable from 移交, and 已办结 only through 已分派', () => {
    const reach = new Set<string>(['handed_over']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const m of Object.values(HANDOVER_MOVES))
        if (reach.has(m.from) && !reach.has(m.to)) {
          reach.add(m.to);
          changed = true;
        }
    }
    expect([...reach].sort()).toEqual([...states].sort());
    expect(Object.values(HANDOVER_MOVES).filter((m) => m.to === 'concluded')).toEqual([
      { from: 'dispatched', to: 'concluded', role: 'supervisor' },
    ]);
  });

  it('refuses unknown states and names of Object.prototype without throwing', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...HANDOVER_ACTIONS), fc.constantFrom(...ROLES), (s, a, r) => {
        fc.pre(!states.includes(s));
        expect(decideHandover(s, a, r).ok).toBe(false);
      }),
    );
    for (const name of ['valueOf', '__proto__', 'constructor'])
      expect(decideHandover('handed_over', name as never, 'discipline').ok).toBe(false);
  });
});

describe('which problems may be handed over', () => {
  const m = (type: string, status: string) => ({
    type,
    status,
    isDone: ['completed', 'closure_requested', 'closed'].includes(status),
  });
  it('long-term while a 长期坚持 measure is not closed; unrectified while a measure is not done; else not', () => {
    expect(handoverKind([])).toBeNull();
    expect(handoverKind([m('deadline', 'closed'), m('immediate', 'completed')])).toBeNull();
    expect(handoverKind([m('long_term', 'closed')])).toBeNull();
    expect(handoverKind([m('long_term', 'completed')])).toBe('long_term');
    expect(handoverKind([m('deadline', 'in_progress'), m('long_term', 'closed')])).toBe('unrectified');
    expect(handoverKind([m('deadline', 'not_started'), m('long_term', 'in_progress')])).toBe('long_term');
  });
});
