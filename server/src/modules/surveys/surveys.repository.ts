import { type Insertable, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

const INSERT_CHUNK = 500;

/** 满意度测评 (M11): surveys, their units, batches of codes, and the anonymous answers. */
export class SurveysRepository {
  constructor(private readonly dialect: Dialect) {}

  // --- surveys ----------------------------------------------------------------------------------

  /** One survey; `lock` 'update' for a change of state, 'share' while an answer is recorded (PostgreSQL). */
  async survey(db: Executor, id: number, lock?: 'update' | 'share') {
    const q = db
      .selectFrom('surveys as s')
      .leftJoin('users as cb', 'cb.id', 's.createdBy')
      .select([
        's.id',
        's.title',
        's.intro',
        's.questions',
        's.status',
        's.openedAt',
        's.closedAt',
        's.createdBy',
        'cb.displayName as createdByName',
        's.version',
        's.createdAt',
        's.updatedAt',
      ])
      .where('s.id', '=', id);
    if (lock && this.dialect === 'postgres')
      return (lock === 'update' ? q.forUpdate('s') : q.forShare('s')).executeTakeFirst();
    return q.executeTakeFirst();
  }

  /** Keyset page, newest first; scope: surveys with a unit among these organisations, or all. */
  async page(db: Executor, f: { orgIds?: readonly number[]; status?: string; before?: number; limit: number }) {
    let q = db
      .selectFrom('surveys as s')
      .select(['s.id', 's.title', 's.status', 's.openedAt', 's.closedAt', 's.version', 's.createdAt', 's.updatedAt']);
    if (f.orgIds) {
      const ids = [...f.orgIds];
      q = ids.length
        ? q.where((eb) =>
            eb.exists(
              eb
                .selectFrom('surveyUnits as su')
                .select('su.surveyId')
                .whereRef('su.surveyId', '=', 's.id')
                .where('su.unitOrgId', 'in', ids),
            ),
          )
        : q.where(sql<boolean>`1 = 0`);
    }
    if (f.status) q = q.where('s.status', '=', f.status);
    if (f.before) q = q.where('s.id', '<', f.before);
    return q.orderBy('s.id', 'desc').limit(f.limit).execute();
  }

  /** Units and code counts of these surveys, for the list. */
  async counts(db: Executor, surveyIds: readonly number[]) {
    const out = new Map<number, { units: number; codes: number; used: number }>();
    if (!surveyIds.length) return out;
    for (const id of surveyIds) out.set(id, { units: 0, codes: 0, used: 0 });
    const units = await db
      .selectFrom('surveyUnits')
      .select(['surveyId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('surveyId', 'in', [...surveyIds])
      .groupBy('surveyId')
      .execute();
    for (const u of units) out.get(Number(u.surveyId))!.units = Number(u.n);
    const codes = await db
      .selectFrom('surveyCodes')
      .select(['surveyId', 'used', (eb) => eb.fn.countAll<number>().as('n')])
      .where('surveyId', 'in', [...surveyIds])
      .groupBy(['surveyId', 'used'])
      .execute();
    for (const c of codes) {
      const o = out.get(Number(c.surveyId))!;
      o.codes += Number(c.n);
      if (Number(c.used) === 1) o.used += Number(c.n);
    }
    return out;
  }

  async insertSurvey(db: Executor, row: Insertable<DB['surveys']>): Promise<number> {
    const r = await db.insertInto('surveys').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateSurvey(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['surveys']>>) {
    const r = await db
      .updateTable('surveys')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- units ------------------------------------------------------------------------------------

  /** Round-units by id with their unit and round names (those that exist). */
  async roundUnits(db: Executor, ids: readonly number[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('roundUnits as ru')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .select(['ru.id', 'ru.unitOrgId', 'o.name as unitName', 'ru.roundId', 'r.name as roundName'])
      .where('ru.id', 'in', [...new Set(ids)])
      .execute();
  }

  async units(db: Executor, surveyId: number) {
    return db
      .selectFrom('surveyUnits as su')
      .innerJoin('roundUnits as ru', 'ru.id', 'su.roundUnitId')
      .innerJoin('organisations as o', 'o.id', 'su.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .select(['su.roundUnitId', 'su.unitOrgId', 'o.name as unitName', 'ru.roundId', 'r.name as roundName'])
      .where('su.surveyId', '=', surveyId)
      .orderBy('su.roundUnitId')
      .execute();
  }

  async setUnits(db: Executor, surveyId: number, units: readonly { roundUnitId: number; unitOrgId: number }[]) {
    await db.deleteFrom('surveyUnits').where('surveyId', '=', surveyId).execute();
    if (units.length)
      await db
        .insertInto('surveyUnits')
        .values(units.map((u) => ({ surveyId, ...u })))
        .execute();
  }

  // --- batches and codes -------------------------------------------------------------------------

  private batches(db: Executor) {
    return db
      .selectFrom('surveyBatches as b')
      .innerJoin('roundUnits as ru', 'ru.id', 'b.roundUnitId')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .leftJoin('users as cb', 'cb.id', 'b.createdBy')
      .select((eb) => [
        'b.id',
        'b.surveyId',
        'b.roundUnitId',
        'ru.unitOrgId',
        'o.name as unitName',
        'b.audience',
        'b.label',
        'b.codeCount',
        'b.sealedCodes',
        'cb.displayName as createdByName',
        'b.createdAt',
        eb
          .selectFrom('surveyCodes as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.batchId', '=', 'b.id')
          .where('c.used', '=', 1)
          .as('usedCount'),
      ]);
  }

  async batch(db: Executor, id: number) {
    return this.batches(db).where('b.id', '=', id).executeTakeFirst();
  }

  async batchesOf(db: Executor, surveyId: number) {
    return this.batches(db).where('b.surveyId', '=', surveyId).orderBy('b.id').limit(10_000).execute();
  }

  async insertBatch(db: Executor, row: Insertable<DB['surveyBatches']>): Promise<number> {
    const r = await db.insertInto('surveyBatches').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async setSealedCodes(db: Executor, id: number, sealed: string) {
    await db.updateTable('surveyBatches').set({ sealedCodes: sealed }).where('id', '=', id).execute();
  }

  async insertCodes(db: Executor, batchId: number, surveyId: number, hashes: readonly string[]) {
    for (let i = 0; i < hashes.length; i += INSERT_CHUNK) {
      await db
        .insertInto('surveyCodes')
        .values(hashes.slice(i, i + INSERT_CHUNK).map((codeHash) => ({ batchId, surveyId, codeHash, used: 0 })))
        .execute();
    }
  }

  /** A code by its keyed hash, with what its batch says (unit, audience). */
  async codeByHash(db: Executor, hash: string) {
    return db
      .selectFrom('surveyCodes as c')
      .innerJoin('surveyBatches as b', 'b.id', 'c.batchId')
      .select(['c.id', 'c.surveyId', 'c.used', 'b.roundUnitId', 'b.audience'])
      .where('c.codeHash', '=', hash)
      .executeTakeFirst();
  }

  /** Marks a code used only if it was not: true for the one caller that won it. */
  async markUsed(db: Executor, codeId: number): Promise<boolean> {
    const r = await db
      .updateTable('surveyCodes')
      .set({ used: 1 })
      .where('id', '=', codeId)
      .where('used', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- answers ----------------------------------------------------------------------------------

  async insertResponse(
    db: Executor,
    row: Insertable<DB['surveyResponses']>,
    answers: readonly { questionKey: string; optionKey: string | null; text: string | null }[],
  ) {
    await db.insertInto('surveyResponses').values(row).execute();
    if (answers.length)
      await db
        .insertInto('surveyAnswers')
        .values(answers.map((a) => ({ responseId: row.id, ...a })))
        .execute();
  }

  /** Answer sheets per round-unit and audience. */
  async responseCounts(db: Executor, surveyId: number) {
    return db
      .selectFrom('surveyResponses')
      .select(['roundUnitId', 'audience', (eb) => eb.fn.countAll<number>().as('n')])
      .where('surveyId', '=', surveyId)
      .groupBy(['roundUnitId', 'audience'])
      .execute();
  }

  /** Chosen options per round-unit, audience and question. */
  async optionCounts(db: Executor, surveyId: number) {
    return db
      .selectFrom('surveyAnswers as a')
      .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
      .select(['r.roundUnitId', 'r.audience', 'a.questionKey', 'a.optionKey', (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.surveyId', '=', surveyId)
      .where('a.optionKey', 'is not', null)
      .groupBy(['r.roundUnitId', 'r.audience', 'a.questionKey', 'a.optionKey'])
      .execute();
  }

  /** Free-text answers and remarks (in the random order of the response keys). */
  async comments(db: Executor, surveyId: number) {
    return db
      .selectFrom('surveyAnswers as a')
      .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
      .select(['r.roundUnitId', 'a.questionKey', 'a.text'])
      .where('r.surveyId', '=', surveyId)
      .where('a.text', 'is not', null)
      .orderBy('a.responseId')
      .limit(20_000)
      .execute();
  }
}
