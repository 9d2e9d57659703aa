import {
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';

export type Executor = Kysely<DB> | Transaction<DB>;

/**
 * PostgreSQL's round-unit lock. It is taken by moving the round-units' ledger epoch (migration
 * 2026-11-28T0003: what /dashboard/units' cache checks), and the transaction is marked as having
 * moved it (a transaction-local setting), so that the epoch triggers on the rows the writer then
 * changes do nothing: one UPDATE per round-unit and write, instead of one per row it writes. SQLite
 * has one writer and no lock to take; its triggers move the epoch.
 */
function epochMove(where: RawBuilder<boolean>) {
  return sql`UPDATE round_units SET ledger_epoch = ledger_epoch + 1 WHERE ${where}
    RETURNING id, round_id, term_id, unit_org_id, status, version`;
}
const EPOCH_MARK = sql`g AS (SELECT set_config('rectify.ledger_epochs',
  coalesce(nullif(current_setting('rectify.ledger_epochs', true), ''), ',')
    || coalesce((SELECT string_agg(b.id::text, ',') FROM b), '') || ',', true) AS marked)`;

export async function lockMarkingEpochs(db: Executor, sortedIds: readonly number[]) {
  const r = await sql<{
    id: number;
    roundId: number;
    termId: number;
    unitOrgId: number;
    status: string;
    version: number;
  }>`
    WITH b AS (${epochMove(sql`id IN (${sql.join(sortedIds)})`)}), ${EPOCH_MARK}
    SELECT b.* FROM b CROSS JOIN g ORDER BY b.id`.execute(db);
  return r.rows;
}

export type MeasureRow = Selectable<DB['measures']>;
export type ProblemRow = Selectable<DB['problems']>;
export type NewMeasure = Insertable<DB['measures']>;
export type NewProblem = Insertable<DB['problems']>;

const PROBLEM_COLUMNS = [
  'id',
  'roundUnitId',
  'roundId',
  'termId',
  'unitOrgId',
  'campaignId',
  'seq',
  'number',
  'categoryCode',
  'description',
  'source',
  'severity',
  'responsibleLeader',
  'responsibleDepartment',
  'responsiblePerson',
  'measureCount',
  'doneCount',
  'version',
  'createdAt',
  'updatedAt',
] as const;

/**
 * Problems, their responsibility lists and measures (三清单), and the references they check.
 * Every write of a round-unit's ledger first locks the round-unit row (`roundUnit(…, lock)`), so that
 * writers of one round-unit follow each other and the summary rebuild sees a settled ledger.
 */
export class LedgerRepository {
  constructor(private readonly dialect: Dialect) {}

  async roundUnit(db: Executor, id: number, lock = false) {
    if (lock && this.dialect === 'postgres') return (await lockMarkingEpochs(db, [id]))[0];
    return db
      .selectFrom('roundUnits')
      .select(['id', 'roundId', 'termId', 'unitOrgId', 'status', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Locks several round-units in id order (the one order every writer uses: no deadlocks). */
  async lockRoundUnits(db: Executor, ids: readonly number[]) {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    if (!sorted.length) return [];
    if (this.dialect === 'postgres') return lockMarkingEpochs(db, sorted);
    return db
      .selectFrom('roundUnits')
      .select(['id', 'roundId', 'termId', 'unitOrgId', 'status', 'version'])
      .where('id', 'in', sorted)
      .orderBy('id')
      .execute();
  }

  /** Liaison links of a supervising body that are limited to some problem categories (its line). */
  /** A supervising body's liaison links: the unit, and the categories of its line (null: the whole unit). */
  async liaisonLinks(db: Executor, supervisorOrgId: number) {
    return db
      .selectFrom('liaisonLinks')
      .select(['unitOrgId', 'categories'])
      .where('supervisorOrgId', '=', supervisorOrgId)
      .execute();
  }

  async activeCategory(db: Executor, code: string): Promise<boolean> {
    const r = await db
      .selectFrom('dictionaries')
      .select('id')
      .where('kind', '=', 'problem_category')
      .where('code', '=', code)
      .where('active', '=', 1)
      .executeTakeFirst();
    return !!r;
  }

  /** Whether `orgId` is `rootId` or below it. */
  async orgWithin(db: Executor, orgId: number, rootId: number): Promise<boolean> {
    const r = await sql<{ id: number }>`
      WITH RECURSIVE up(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM organisations WHERE id = ${orgId}
        UNION ALL
        SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 64
      ) SELECT id FROM up WHERE id = ${rootId}`.execute(db);
    return r.rows.length > 0;
  }

  async user(db: Executor, id: number) {
    return db
      .selectFrom('users')
      .select(['id', 'orgId', 'role', 'disabled', 'displayName'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  // --- problems -----------------------------------------------------------------------------

  async problem(db: Executor, id: number) {
    return db.selectFrom('problems').select(PROBLEM_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async problemsOfRoundUnit(db: Executor, roundUnitId: number, limit: number) {
    return db
      .selectFrom('problems')
      .select(PROBLEM_COLUMNS)
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async nextProblemSeq(db: Executor, roundUnitId: number): Promise<number> {
    const r = await db
      .selectFrom('problems')
      .select(sql<number>`coalesce(max(seq), 0)`.as('n'))
      .where('roundUnitId', '=', roundUnitId)
      .executeTakeFirstOrThrow();
    return Number(r.n) + 1;
  }

  async insertProblem(db: Executor, row: NewProblem): Promise<number> {
    const r = await db.insertInto('problems').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateProblem(db: Executor, id: number, version: number, patch: Partial<NewProblem>): Promise<boolean> {
    const r = await db
      .updateTable('problems')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteProblem(db: Executor, id: number, now: number) {
    const measureIds = db.selectFrom('measures').select('id').where('problemId', '=', id);
    await db.deleteFrom('deadlineExtensions').where('measureId', 'in', measureIds).execute();
    await db.deleteFrom('measures').where('problemId', '=', id).execute();
    await db.deleteFrom('problemResponsibles').where('problemId', '=', id).execute();
    await db
      .updateTable('immediateItems')
      .set((eb) => ({ problemId: null, version: eb('version', '+', 1), updatedAt: now }))
      .where('problemId', '=', id)
      .execute();
    await db.deleteFrom('problems').where('id', '=', id).execute();
  }

  async responsibles(db: Executor, problemIds: readonly number[]) {
    if (!problemIds.length) return [];
    return db
      .selectFrom('problemResponsibles')
      .select(['id', 'problemId', 'name', 'post', 'duty'])
      .where('problemId', 'in', [...problemIds])
      .orderBy('problemId')
      .orderBy('id')
      .execute();
  }

  async replaceResponsibles(
    db: Executor,
    problemId: number,
    rows: readonly { name: string; post: string | null; duty: string }[],
  ) {
    await db.deleteFrom('problemResponsibles').where('problemId', '=', problemId).execute();
    if (rows.length)
      await db
        .insertInto('problemResponsibles')
        .values(rows.map((r) => ({ problemId, name: r.name, post: r.post, duty: r.duty, userId: null })))
        .execute();
  }

  async setMeasuresCategory(db: Executor, problemId: number, categoryCode: string) {
    await db.updateTable('measures').set({ categoryCode }).where('problemId', '=', problemId).execute();
  }

  async immediateItemsOfProblem(db: Executor, problemId: number) {
    return db.selectFrom('immediateItems').select(['id', 'version']).where('problemId', '=', problemId).execute();
  }

  async campaignExists(db: Executor, id: number): Promise<boolean> {
    return !!(await db.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst());
  }

  // --- measures -----------------------------------------------------------------------------

  async measure(db: Executor, id: number) {
    return db.selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * A measure with its round-unit, the round-unit locked (PostgreSQL) as `roundUnit(…, true)` locks
   * it: one statement where the status change, the most frequent write, took two; compiled, so that it
   * travels with the audit chain's claim (AuditService.claimWith, db/pipeline.ts).
   */
  measureWithLockedRoundUnitQuery(db: Executor, id: number) {
    type Row = Selectable<DB['measures']> & { roundUnitOrgId: number; roundUnitStatus: string };
    if (this.dialect === 'postgres')
      return sql<Row>`
        WITH b AS (${epochMove(sql`id = (SELECT round_unit_id FROM measures WHERE id = ${id})`)}), ${EPOCH_MARK}
        SELECT m.*, b.unit_org_id AS round_unit_org_id, b.status AS round_unit_status
        FROM measures m JOIN b ON b.id = m.round_unit_id CROSS JOIN g WHERE m.id = ${id}`.compile(db);
    return db
      .selectFrom('measures as m')
      .innerJoin('roundUnits as ru', 'ru.id', 'm.roundUnitId')
      .selectAll('m')
      .select(['ru.unitOrgId as roundUnitOrgId', 'ru.status as roundUnitStatus'])
      .where('m.id', '=', id)
      .compile() as CompiledQuery<Row>;
  }

  async measures(db: Executor, ids: readonly number[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('measures')
      .selectAll()
      .where('id', 'in', [...ids])
      .orderBy('id')
      .execute();
  }

  async measuresOfProblem(db: Executor, problemId: number) {
    return db.selectFrom('measures').selectAll().where('problemId', '=', problemId).orderBy('seq').execute();
  }

  async nextMeasureSeq(db: Executor, problemId: number): Promise<number> {
    const r = await db
      .selectFrom('measures')
      .select(sql<number>`coalesce(max(seq), 0)`.as('n'))
      .where('problemId', '=', problemId)
      .executeTakeFirstOrThrow();
    return Number(r.n) + 1;
  }

  async insertMeasure(db: Executor, row: NewMeasure): Promise<number> {
    const r = await db.insertInto('measures').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** A measure's update, only while its version is still `version` (optimistic locking). */
  private measureUpdate(db: Executor, id: number, version: number, patch: Partial<NewMeasure>) {
    return db
      .updateTable('measures')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version);
  }

  /** The same update answering the row as it now is, not yet run (for SummaryRepository's status move). */
  measureUpdateReturning(db: Executor, id: number, version: number, patch: Partial<NewMeasure>) {
    return this.measureUpdate(db, id, version, patch).returningAll();
  }

  async updateMeasure(db: Executor, id: number, version: number, patch: Partial<NewMeasure>): Promise<boolean> {
    const r = await this.measureUpdate(db, id, version, patch).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Whether measures carry a history that must be kept (progress reports, evidence, closure): such a
   * measure is part of the record and cannot be deleted, only reopened or changed.
   */
  async measuresHaveHistory(db: Executor, measureIds: readonly number[] | { problemId: number }): Promise<boolean> {
    const ids =
      'problemId' in measureIds
        ? db.selectFrom('measures').select('id').where('problemId', '=', measureIds.problemId)
        : [...measureIds];
    if (Array.isArray(ids) && !ids.length) return false;
    const r = await db
      .selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('progressReportItems').select('id').where('measureId', 'in', ids)).as('items'),
        eb.exists(eb.selectFrom('measureEvidence').select('id').where('measureId', 'in', ids)).as('evidence'),
        eb.exists(eb.selectFrom('closures').select('id').where('measureId', 'in', ids)).as('closures'),
      ])
      .executeTakeFirstOrThrow();
    return Boolean(Number(r.items) || Number(r.evidence) || Number(r.closures));
  }

  async deleteMeasure(db: Executor, id: number) {
    await db.deleteFrom('deadlineExtensions').where('measureId', '=', id).execute();
    await db.deleteFrom('measures').where('id', '=', id).execute();
  }

  // --- campaigns ----------------------------------------------------------------------------

  async campaigns(db: Executor) {
    return db.selectFrom('campaigns').selectAll().orderBy('id').limit(5000).execute();
  }

  async campaign(db: Executor, id: number) {
    return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCampaign(db: Executor, row: Insertable<DB['campaigns']>): Promise<number> {
    const r = await db.insertInto('campaigns').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateCampaign(db: Executor, id: number, version: number, patch: Partial<Insertable<DB['campaigns']>>) {
    const r = await db
      .updateTable('campaigns')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
