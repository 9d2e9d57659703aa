import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { LedgerFigures } from '../../../../domain/evaluation.js';
import type { DB } from '../../db/types.js';

export type Executor = Kysely<DB> | Transaction<DB>;

const n = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

export interface ListFilter {
  roundId?: number;
  status?: string;
  q?: string;
  /** null = every unit (the office, the leadership). */
  orgIds: ReadonlySet<number> | null;
  after?: number;
  limit: number;
}

/** SQL of 检查考核评价 (SPEC M11). The ledger's figures are counted here from the measures themselves. */
export class EvaluationRepository {
  /** A round-unit with its round's and unit's names. */
  async roundUnit(db: Executor, id: number) {
    return db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .select([
        'ru.id',
        'ru.roundId',
        'r.name as roundName',
        'ru.termId',
        'ru.unitOrgId',
        'o.name as unitName',
        'ru.status',
        'ru.cycle',
        'ru.feedbackDate',
        'ru.deadline',
        'ru.version',
      ])
      .where('ru.id', '=', id)
      .executeTakeFirst();
  }

  /** Round-units in scope with their current cycle's evaluation and the last finalised grade. */
  async list(db: Executor, f: ListFilter) {
    let q = db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .leftJoin('evaluations as e', (j) => j.onRef('e.roundUnitId', '=', 'ru.id').onRef('e.cycle', '=', 'ru.cycle'))
      .select([
        'ru.id',
        'ru.roundId',
        'r.name as roundName',
        'ru.unitOrgId',
        'o.name as unitName',
        'ru.status',
        'ru.cycle',
        'ru.deadline',
        'e.id as evaluationId',
        'e.status as evaluationStatus',
        'e.totalCenti',
        'e.gradeCode',
        sql<number | string>`(SELECT count(*) FROM evaluation_checks c WHERE c.evaluation_id = e.id)`.as('checks'),
        sql<number | string>`(SELECT count(*) FROM evaluation_opinions op WHERE op.evaluation_id = e.id)`.as(
          'opinions',
        ),
        sql<number | string>`(SELECT count(*) FROM liaison_links l WHERE l.unit_org_id = ru.unit_org_id)`.as(
          'liaisons',
        ),
        sql<string | null>`(SELECT pe.grade_code FROM evaluations pe WHERE pe.round_unit_id = ru.id
          AND pe.status = 'finalised' ORDER BY pe.cycle DESC LIMIT 1)`.as('lastGradeCode'),
        sql<number | string | null>`(SELECT pe.total_centi FROM evaluations pe WHERE pe.round_unit_id = ru.id
          AND pe.status = 'finalised' ORDER BY pe.cycle DESC LIMIT 1)`.as('lastTotalCenti'),
      ]);
    if (f.roundId) q = q.where('ru.roundId', '=', f.roundId);
    if (f.status) q = q.where('ru.status', '=', f.status);
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`o.name LIKE ${like} ESCAPE '\\'`);
    }
    if (f.orgIds) q = f.orgIds.size ? q.where('ru.unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    if (f.after) q = q.where('ru.id', '<', f.after);
    return q.orderBy('ru.id', 'desc').limit(f.limit).execute();
  }

  private evaluations(db: Executor) {
    return db
      .selectFrom('evaluations as e')
      .leftJoin('users as fu', 'fu.id', 'e.finalisedBy')
      .select([
        'e.id',
        'e.roundUnitId',
        'e.cycle',
        'e.roundId',
        'e.termId',
        'e.unitOrgId',
        'e.status',
        'e.totalCenti',
        'e.gradeCode',
        'e.sheet',
        'e.conclusion',
        'e.finalisedBy',
        'fu.displayName as finalisedByName',
        'e.finalisedAt',
        'e.finalisedYear',
        'e.accountabilityId',
        'e.reRectifyDeadline',
        'e.version',
        'e.createdAt',
        'e.updatedAt',
      ]);
  }

  async evaluation(db: Executor, roundUnitId: number, cycle: number) {
    return this.evaluations(db)
      .where('e.roundUnitId', '=', roundUnitId)
      .where('e.cycle', '=', cycle)
      .executeTakeFirst();
  }

  async evaluationById(db: Executor, id: number) {
    return this.evaluations(db).where('e.id', '=', id).executeTakeFirst();
  }

  /** Every cycle's evaluation of a round-unit, oldest first. */
  async evaluationsOf(db: Executor, roundUnitId: number) {
    return this.evaluations(db).where('e.roundUnitId', '=', roundUnitId).orderBy('e.cycle').execute();
  }

  /** The evaluation of the round-unit's cycle, made if there is none (two at once: one row). */
  async ensure(
    db: Executor,
    ru: { id: number; cycle: number; roundId: number; termId: number; unitOrgId: number },
    now: number,
  ) {
    await db
      .insertInto('evaluations')
      .values({
        roundUnitId: ru.id,
        cycle: ru.cycle,
        roundId: ru.roundId,
        termId: ru.termId,
        unitOrgId: ru.unitOrgId,
        status: 'open',
        totalCenti: null,
        gradeCode: null,
        sheet: null,
        conclusion: null,
        finalisedBy: null,
        finalisedAt: null,
        finalisedYear: null,
        accountabilityId: null,
        reRectifyDeadline: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict((oc) => oc.columns(['roundUnitId', 'cycle']).doNothing())
      .execute();
    return (await this.evaluation(db, ru.id, ru.cycle))!;
  }

  /** Optimistic update of an evaluation: false when its version moved on. */
  async updateEvaluation(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['evaluations']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('evaluations')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Bumps the evaluation's version: every change of its sheet makes an older finalise request stale. */
  async touch(db: Executor, id: number, now: number) {
    await db
      .updateTable('evaluations')
      .set((eb) => ({ version: eb('version', '+', 1), updatedAt: now }))
      .where('id', '=', id)
      .execute();
  }

  // --- 整改专项检查 -----------------------------------------------------------------------------

  private checkRows(db: Executor) {
    return db
      .selectFrom('evaluationChecks as c')
      .innerJoin('evaluations as e', 'e.id', 'c.evaluationId')
      .leftJoin('users as u', 'u.id', 'c.createdBy')
      .select([
        'c.id',
        'c.evaluationId',
        'e.roundUnitId',
        'e.cycle',
        'e.unitOrgId',
        'e.status as evaluationStatus',
        'c.kind',
        'c.checkedOn',
        'c.checkers',
        'c.subjects',
        'c.findings',
        'c.createdBy',
        'u.displayName as createdByName',
        'c.version',
        'c.createdAt',
        'c.updatedAt',
      ]);
  }

  async checks(db: Executor, evaluationId: number) {
    return this.checkRows(db)
      .where('c.evaluationId', '=', evaluationId)
      .orderBy('c.checkedOn')
      .orderBy('c.id')
      .limit(1000)
      .execute();
  }

  async check(db: Executor, id: number) {
    return this.checkRows(db).where('c.id', '=', id).executeTakeFirst();
  }

  async insertCheck(db: Executor, row: Insertable<DB['evaluationChecks']>) {
    const r = await db.insertInto('evaluationChecks').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateCheck(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['evaluationChecks']>>) {
    const r = await db
      .updateTable('evaluationChecks')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- 汇商会 -----------------------------------------------------------------------------------

  /** The unit's liaison supervisors (联系关系), who are asked for an opinion. */
  async liaisons(db: Executor, unitOrgId: number) {
    return db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as o', 'o.id', 'l.supervisorOrgId')
      .select(['o.id as orgId', 'o.name', 'o.supervisorLine'])
      .where('l.unitOrgId', '=', unitOrgId)
      .orderBy('o.sort')
      .orderBy('o.id')
      .execute();
  }

  async isLiaison(db: Executor, unitOrgId: number, supervisorOrgId: number): Promise<boolean> {
    return !!(await db
      .selectFrom('liaisonLinks')
      .select('id')
      .where('unitOrgId', '=', unitOrgId)
      .where('supervisorOrgId', '=', supervisorOrgId)
      .executeTakeFirst());
  }

  async opinions(db: Executor, evaluationId: number) {
    return db
      .selectFrom('evaluationOpinions as op')
      .innerJoin('organisations as o', 'o.id', 'op.supervisorOrgId')
      .leftJoin('users as u', 'u.id', 'op.givenBy')
      .select([
        'op.id',
        'op.evaluationId',
        'op.supervisorOrgId',
        'o.name as supervisorName',
        'op.opinion',
        'op.suggestedGrade',
        'op.givenBy',
        'u.displayName as givenByName',
        'op.version',
        'op.createdAt',
        'op.updatedAt',
      ])
      .where('op.evaluationId', '=', evaluationId)
      .orderBy('op.id')
      .execute();
  }

  async insertOpinion(db: Executor, row: Insertable<DB['evaluationOpinions']>) {
    const r = await db.insertInto('evaluationOpinions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateOpinion(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['evaluationOpinions']>>) {
    const r = await db
      .updateTable('evaluationOpinions')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // --- scoring sheet ----------------------------------------------------------------------------

  async scores(db: Executor, evaluationId: number) {
    return db
      .selectFrom('evaluationScores as s')
      .leftJoin('users as u', 'u.id', 's.updatedBy')
      .select([
        's.id',
        's.indicatorCode',
        's.scoreCenti',
        's.note',
        's.updatedBy',
        'u.displayName as updatedByName',
        's.version',
        's.updatedAt',
      ])
      .where('s.evaluationId', '=', evaluationId)
      .orderBy('s.id')
      .execute();
  }

  async insertScore(db: Executor, row: Insertable<DB['evaluationScores']>) {
    await db.insertInto('evaluationScores').values(row).execute();
  }

  async updateScore(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['evaluationScores']>>) {
    const r = await db
      .updateTable('evaluationScores')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private deductionRows(db: Executor) {
    return db
      .selectFrom('evaluationDeductions as d')
      .innerJoin('evaluations as e', 'e.id', 'd.evaluationId')
      .leftJoin('users as u', 'u.id', 'd.createdBy')
      .select([
        'd.id',
        'd.evaluationId',
        'e.roundUnitId',
        'e.unitOrgId',
        'e.status as evaluationStatus',
        'e.version as evaluationVersion',
        'd.reasonCode',
        'd.pointsCenti',
        'd.note',
        'd.createdBy',
        'u.displayName as createdByName',
        'd.createdAt',
      ]);
  }

  async deductions(db: Executor, evaluationId: number) {
    return this.deductionRows(db).where('d.evaluationId', '=', evaluationId).orderBy('d.id').limit(500).execute();
  }

  async deduction(db: Executor, id: number) {
    return this.deductionRows(db).where('d.id', '=', id).executeTakeFirst();
  }

  async insertDeduction(db: Executor, row: Insertable<DB['evaluationDeductions']>) {
    const r = await db.insertInto('evaluationDeductions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async deleteDeduction(db: Executor, id: number) {
    await db.deleteFrom('evaluationDeductions').where('id', '=', id).execute();
  }

  async addHistory(db: Executor, row: Insertable<DB['evaluationScoreHistory']>) {
    await db.insertInto('evaluationScoreHistory').values(row).execute();
  }

  async history(db: Executor, evaluationId: number) {
    return db
      .selectFrom('evaluationScoreHistory')
      .select(['id', 'action', 'code', 'beforeCenti', 'afterCenti', 'note', 'actorId', 'actorName', 'at'])
      .where('evaluationId', '=', evaluationId)
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  }

  /**
   * The ledger's figures of one round-unit, counted from its measures (SPEC §5): done = 已完成 /
   * 申请销号 / 已销号 (is_done), closed = 已销号, on time = done with a completion date on or before
   * the effective (extended) deadline, overdue = not done past the effective deadline.
   */
  async figures(db: Executor, roundUnitId: number, today: string): Promise<LedgerFigures> {
    const r = await db
      .selectFrom('measures as m')
      .select([
        sql<number | string>`count(*)`.as('measures'),
        sql<number | string | null>`sum(m.is_done)`.as('done'),
        sql<number | string | null>`sum(CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END)`.as('closed'),
        sql<number | string | null>`sum(CASE WHEN m.is_done = 1 AND m.completed_on IS NOT NULL
          AND m.completed_on <= m.effective_deadline THEN 1 ELSE 0 END)`.as('onTime'),
        sql<number | string | null>`sum(CASE WHEN m.is_done = 0 AND m.effective_deadline < ${today}
          THEN 1 ELSE 0 END)`.as('overdue'),
      ])
      .where('m.roundUnitId', '=', roundUnitId)
      .executeTakeFirstOrThrow();
    return {
      measures: n(r.measures),
      done: n(r.done),
      closed: n(r.closed),
      onTime: n(r.onTime),
      overdue: n(r.overdue),
    };
  }

  /** The problem an 约谈 after 不合格 is tied to: the first not yet rectified, else the first. */
  async problemForInterview(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('problems')
      .select(['id', 'number', 'roundUnitId', 'roundId', 'termId', 'unitOrgId', 'responsibleLeader'])
      .where('roundUnitId', '=', roundUnitId)
      .orderBy(sql`CASE WHEN measure_count > 0 AND done_count = measure_count THEN 1 ELSE 0 END`)
      .orderBy('seq')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  /** Finalised evaluations of a year (Shanghai), for the annual assessment, unit by unit. */
  async finalisedOfYear(db: Executor, year: number, orgIds: ReadonlySet<number> | null, after: number, limit: number) {
    let q = db
      .selectFrom('evaluations as e')
      .innerJoin('rounds as r', 'r.id', 'e.roundId')
      .innerJoin('terms as t', 't.id', 'e.termId')
      .innerJoin('organisations as o', 'o.id', 'e.unitOrgId')
      .leftJoin('roundUnits as ru', 'ru.id', 'e.roundUnitId')
      .select([
        'e.id',
        'e.roundUnitId',
        'e.cycle',
        'e.unitOrgId',
        'o.name as unitName',
        'o.code as unitCode',
        'r.name as roundName',
        't.name as termName',
        'e.totalCenti',
        'e.gradeCode',
        'e.finalisedAt',
        'e.accountabilityId',
        'e.reRectifyDeadline',
        'ru.status as roundUnitStatus',
      ])
      .where('e.status', '=', 'finalised')
      .where('e.finalisedYear', '=', year)
      .where('e.id', '>', after);
    if (orgIds) q = orgIds.size ? q.where('e.unitOrgId', 'in', [...orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q.orderBy('e.id').limit(limit).execute();
  }

  /** The round-units of a round with their latest evaluation (for the 整改检查考核评价得分 table). */
  async roundUnitsOfRound(db: Executor, roundId: number, orgIds: ReadonlySet<number> | null) {
    let q = db
      .selectFrom('roundUnits as ru')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .select(['ru.id', 'ru.unitOrgId', 'o.name as unitName', 'ru.cycle', 'ru.status'])
      .where('ru.roundId', '=', roundId);
    if (orgIds) q = orgIds.size ? q.where('ru.unitOrgId', 'in', [...orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q.orderBy('o.sort').orderBy('ru.id').limit(5000).execute();
  }

  async roundName(db: Executor, id: number): Promise<string | null> {
    const r = await db.selectFrom('rounds').select('name').where('id', '=', id).executeTakeFirst();
    return r?.name ?? null;
  }
}
