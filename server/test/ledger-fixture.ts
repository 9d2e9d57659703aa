/**
 * The rows a ledger test starts from, inserted directly (fast): problem categories, a term, its
 * rounds and their round-units in rectification (整改中).
 */
import type { TestApp } from './helpers.js';

export async function insertCategories(t: TestApp, codes: readonly string[]): Promise<void> {
  const now = t.clock.now();
  for (const code of codes)
    await t.ctx.db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code,
        labelZhCn: code,
        labelZhTw: code,
        labelEn: code,
        sort: 0,
        active: 1,
        extra: null,
        version: 1,
        updatedAt: now,
      })
      .execute();
}

/** A term numbered `number` with rounds 1..`rounds`: their ids. */
export async function insertTermWithRounds(t: TestApp, number: number, rounds: number) {
  const now = t.clock.now();
  const stamps = { version: 1, createdAt: now, updatedAt: now };
  const term = await t.ctx.db
    .insertInto('terms')
    .values({ number, name: `第${number}届`, startDate: null, endDate: null, ...stamps })
    .returning('id')
    .executeTakeFirstOrThrow();
  const termId = Number(term.id);
  const roundIds: number[] = [];
  for (let n = 1; n <= rounds; n++) {
    const r = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId,
        number: n,
        name: `第${n}轮`,
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundIds.push(Number(r.id));
  }
  return { termId, roundIds };
}

/** A round-unit in rectification: feedback on 2026-11-01, deadline 2027-02-01 unless told otherwise. */
export async function insertRoundUnit(
  t: TestApp,
  f: { termId: number; roundId: number; unitOrgId: number; feedbackDate?: string; deadline?: string },
) {
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('roundUnits')
    .values({
      roundId: f.roundId,
      termId: f.termId,
      unitOrgId: f.unitOrgId,
      teamId: null,
      status: 'rectifying',
      cycle: 1,
      feedbackDate: f.feedbackDate ?? '2026-11-01',
      deadline: f.deadline ?? '2027-02-01',
      deadlineOverridden: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}
