import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.js';
import { canTransition } from './rectification.js';
import {
  actionOverdue,
  DISPATCH_ITEM_STATUSES,
  DISPATCH_ITEM_TRANSITIONS,
  daysUntil,
  dispatchItemOverdue,
  dispatchOrderStatus,
  documentNumber,
  hasDocument,
  MILESTONE_AMBER_DAYS,
  type MilestoneLight,
  milestoneLight,
  planLight,
  routeProblem,
  SUPERVISION_ACTION_KINDS,
  SUPERVISION_ACTION_LABELS,
  SUPERVISION_ACTION_STATUSES,
  SUPERVISION_ACTION_TRANSITIONS,
  SUPERVISION_TASK_STATUSES,
  SUPERVISION_TASK_TRANSITIONS,
  taskOverdue,
  urgencyKey,
  WORK_QUEUE_KINDS,
} from './supervision.js';

/** Any real date from 2000 to 2099. */
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const offset = fc.integer({ min: -400, max: 400 });

describe('milestone lights', () => {
  it('a done milestone is green whatever its dates', () => {
    fc.assert(
      fc.property(date, date, date, fc.integer({ min: 0, max: 60 }), (due, done, today, n) => {
        expect(milestoneLight({ dueDate: due, doneDate: done }, today, n)).toBe('green');
      }),
    );
  });

  it('an open milestone is red after its due date, amber within the window, green before it', () => {
    fc.assert(
      fc.property(date, offset, fc.integer({ min: 0, max: 60 }), (today, d, n) => {
        const due = addDays(today, d);
        const light = milestoneLight({ dueDate: due, doneDate: null }, today, n);
        expect(light).toBe(d < 0 ? 'red' : d <= n ? 'amber' : 'green');
      }),
    );
  });

  it('uses MILESTONE_AMBER_DAYS by default: amber on the last day of the window, green the day after', () => {
    const today = '2026-12-01';
    expect(milestoneLight({ dueDate: addDays(today, MILESTONE_AMBER_DAYS), doneDate: null }, today)).toBe('amber');
    expect(milestoneLight({ dueDate: addDays(today, MILESTONE_AMBER_DAYS + 1), doneDate: null }, today)).toBe('green');
    expect(milestoneLight({ dueDate: today, doneDate: null }, today)).toBe('amber');
    expect(milestoneLight({ dueDate: addDays(today, -1), doneDate: null }, today)).toBe('red');
  });

  it('only gets worse as time passes for an open milestone', () => {
    const rank: Record<MilestoneLight, number> = { green: 0, amber: 1, red: 2 };
    fc.assert(
      fc.property(date, offset, fc.integer({ min: 0, max: 400 }), (due, d, later) => {
        const today = addDays(due, d);
        const a = milestoneLight({ dueDate: due, doneDate: null }, today);
        const b = milestoneLight({ dueDate: due, doneDate: null }, addDays(today, later));
        expect(rank[b]).toBeGreaterThanOrEqual(rank[a]);
      }),
    );
  });

  it("a plan's light is the worst of its milestones', green when it has none", () => {
    const light = fc.constantFrom<MilestoneLight>('green', 'amber', 'red');
    fc.assert(
      fc.property(fc.array(light, { maxLength: 20 }), (lights) => {
        const want = lights.includes('red') ? 'red' : lights.includes('amber') ? 'amber' : 'green';
        expect(planLight(lights)).toBe(want);
      }),
    );
  });
});

describe('supervision actions', () => {
  it('lists the ten kinds of SPEC M8, each labelled in three languages; 督办单 and 监察建议书 are documents', () => {
    expect(SUPERVISION_ACTION_KINDS).toHaveLength(10);
    expect(new Set(SUPERVISION_ACTION_KINDS).size).toBe(10);
    expect(SUPERVISION_ACTION_KINDS.map((k) => SUPERVISION_ACTION_LABELS[k]['zh-CN'])).toEqual([
      '跟踪督办',
      '列席会议',
      '审核把关',
      '调研指导',
      '蹲点式调研',
      '推磨式监督',
      '专项检查',
      '公开曝光',
      '监察建议书',
      '立案审查调查',
    ]);
    expect(SUPERVISION_ACTION_KINDS.filter(hasDocument)).toEqual(['tracking', 'supervision_proposal']);
    expect(hasDocument('__proto__')).toBe(false);
    expect(hasDocument('toString')).toBe(false);
  });

  it('is overdue exactly when open, a response is required and its deadline has passed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUPERVISION_ACTION_STATUSES),
        fc.boolean(),
        fc.option(offset, { nil: null }),
        date,
        (status, responseRequired, d, today) => {
          const responseDeadline = d === null ? null : addDays(today, d);
          const want = status === 'open' && responseRequired && d !== null && d < 0;
          expect(actionOverdue({ status, responseRequired, responseDeadline }, today)).toBe(want);
        },
      ),
    );
  });

  it('numbers documents per issuer, kind and year', () => {
    expect(documentNumber('市纪委监委', '督', 2026, 3)).toBe('市纪委监委督〔2026〕3号');
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 99999 }), (y, n) => {
        const s = documentNumber('X', '监建', y, n);
        expect(s).toBe(`X监建〔${y}〕${n}号`);
      }),
    );
  });
});

describe('transition tables', () => {
  const tables = [
    ['action', SUPERVISION_ACTION_STATUSES, SUPERVISION_ACTION_TRANSITIONS],
    ['dispatch item', DISPATCH_ITEM_STATUSES, DISPATCH_ITEM_TRANSITIONS],
    ['沟通会 task', SUPERVISION_TASK_STATUSES, SUPERVISION_TASK_TRANSITIONS],
  ] as const;

  it.each(tables)('%s: every state has a row and every target is another state', (_n, statuses, table) => {
    const t = table as Record<string, readonly string[]>;
    expect(Object.keys(t).sort()).toEqual([...statuses].sort());
    for (const from of statuses) for (const to of t[from]!) expect(statuses).toContain(to);
    for (const from of statuses) expect(t[from]).not.toContain(from);
  });

  it('closed actions and accepted items are final; everything else can still reach them', () => {
    expect(SUPERVISION_ACTION_TRANSITIONS.closed).toEqual([]);
    expect(DISPATCH_ITEM_TRANSITIONS.accepted).toEqual([]);
    const reaches = (t: Record<string, readonly string[]>, from: string, goal: string) => {
      const seen = new Set([from]);
      const todo = [from];
      while (todo.length) for (const n of t[todo.pop()!]!) if (!seen.has(n)) seen.add(n) && todo.push(n);
      return seen.has(goal);
    };
    for (const s of SUPERVISION_ACTION_STATUSES)
      expect(reaches(SUPERVISION_ACTION_TRANSITIONS, s, 'closed')).toBe(true);
    for (const s of DISPATCH_ITEM_STATUSES) expect(reaches(DISPATCH_ITEM_TRANSITIONS, s, 'accepted')).toBe(true);
  });

  it('a dispatch order is done exactly when every item went through to accepted by legal moves', () => {
    const step = fc.tuple(fc.nat(), fc.constantFrom(...DISPATCH_ITEM_STATUSES));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(step, { maxLength: 60 }), (n, steps) => {
        const items = Array.from({ length: n }, () => ({ status: 'pending' as string }));
        for (const [i, to] of steps) {
          if (!n) break;
          const item = items[i % n]!;
          if (canTransition(DISPATCH_ITEM_TRANSITIONS, item.status as never, to)) item.status = to;
        }
        const all = n > 0 && items.every((x) => x.status === 'accepted');
        expect(dispatchOrderStatus(items)).toBe(all ? 'done' : 'open');
        // once done, no legal move changes an item any more
        if (all) for (const x of items) expect(DISPATCH_ITEM_TRANSITIONS[x.status as 'accepted']).toEqual([]);
      }),
    );
  });

  it('flags an item overdue only while the unit owes an answer after the deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DISPATCH_ITEM_STATUSES), date, offset, (status, today, d) => {
        const owes = status === 'pending' || status === 'returned';
        expect(dispatchItemOverdue({ status, deadline: addDays(today, d) }, today)).toBe(owes && d < 0);
      }),
    );
  });
});

describe('沟通会 tasks', () => {
  it('accepted is final and every state can still reach it; a random walk of legal moves never leaves the table', () => {
    expect(SUPERVISION_TASK_TRANSITIONS.accepted).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SUPERVISION_TASK_STATUSES), { maxLength: 40 }), (tries) => {
        let s: string = 'open';
        const path = [s];
        for (const to of tries) {
          const legal = canTransition(SUPERVISION_TASK_TRANSITIONS, s as never, to);
          expect(legal).toBe((SUPERVISION_TASK_TRANSITIONS[s as 'open'] as readonly string[]).includes(to));
          if (legal) {
            s = to;
            path.push(s);
          }
        }
        // accepted only ever follows a report; a return is followed by nothing but a new report
        for (let i = 1; i < path.length; i++) {
          if (path[i] === 'accepted' || path[i] === 'returned') expect(path[i - 1]).toBe('reported');
          if (path[i - 1] === 'returned') expect(path[i]).toBe('reported');
        }
      }),
    );
  });

  it('flags a task overdue only while the owner owes a report after the deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUPERVISION_TASK_STATUSES), date, offset, (status, today, d) => {
        const owes = status === 'open' || status === 'returned';
        expect(taskOverdue({ status, deadline: addDays(today, d) }, today)).toBe(owes && d < 0);
      }),
    );
  });
});

describe('routing by line', () => {
  const LINES = [null, 'discipline', 'stationed', 'organisation', 'propaganda', 'audit', 'industry', 'leader'];
  const sup = fc.record({
    orgId: fc.integer({ min: 1, max: 50 }),
    line: fc.constantFrom(...LINES),
    sees: fc.boolean(),
  });

  it('选人用人 → 组织部, 意识形态 → 宣传部, discipline → 纪委监委 and 派驻组; no line → every liaising supervisor', () => {
    const s = [
      { orgId: 1, line: 'organisation', sees: true },
      { orgId: 2, line: 'propaganda', sees: true },
      { orgId: 3, line: 'discipline', sees: true },
      { orgId: 4, line: 'stationed', sees: true },
      { orgId: 5, line: 'industry', sees: false },
    ];
    expect(routeProblem('organisation', s)).toEqual([1]);
    expect(routeProblem('propaganda', s)).toEqual([2]);
    expect(routeProblem('discipline', s)).toEqual([3, 4]);
    expect(routeProblem(null, s)).toEqual([1, 2, 3, 4]);
    // the 行业主管部门 does not see this category here: the problem falls to every supervisor that does
    expect(routeProblem('industry', s)).toEqual([1, 2, 3, 4]);
  });

  it('routes only to supervisors that see the problem, to at least one when any does, and to those of its line when any is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LINES),
        fc.uniqueArray(sup, { selector: (x) => x.orgId, maxLength: 8 }),
        (line, s) => {
          const out = routeProblem(line, s);
          const seeing = s.filter((x) => x.sees);
          for (const id of out) expect(seeing.map((x) => x.orgId)).toContain(id);
          expect(out.length > 0).toBe(seeing.length > 0);
          const fam = (l: string | null) => (l === 'stationed' ? 'discipline' : l);
          if (line && seeing.some((x) => fam(x.line) === fam(line)))
            for (const id of out) expect(fam(s.find((x) => x.orgId === id)!.line)).toBe(fam(line));
        },
      ),
    );
  });
});

describe('work queue urgency', () => {
  const entry = fc.record({
    kind: fc.constantFrom(...WORK_QUEUE_KINDS),
    id: fc.integer({ min: 1, max: 2_000_000_000 }),
    deadline: fc.option(date, { nil: null }),
    overdue: fc.boolean(),
    stalled: fc.boolean(),
  });

  it('sorts overdue first, then by deadline (none last), then stalled; keys are unique per entry', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (es) => {
        const sorted = [...es].sort((a, b) => (urgencyKey(a) < urgencyKey(b) ? -1 : 1));
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          if (a.overdue !== b.overdue) expect(a.overdue).toBe(true);
          else if (a.deadline !== b.deadline) expect((a.deadline ?? '9999') < (b.deadline ?? '9999')).toBe(true);
          else if (a.stalled !== b.stalled) expect(a.stalled).toBe(true);
        }
        for (const a of es)
          for (const b of es) if (urgencyKey(a) === urgencyKey(b)) expect([a.kind, a.id]).toEqual([b.kind, b.id]);
      }),
    );
  });

  it('counts whole days to a deadline', () => {
    fc.assert(
      fc.property(date, offset, (today, d) => {
        expect(daysUntil(addDays(today, d), today)).toBe(d);
      }),
    );
  });
});
