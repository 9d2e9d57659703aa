import type { Insertable, Kysely, Transaction } from 'kysely';
import type { EvidenceFileTable } from '../../db/progress-types.js';
import type { DB } from '../../db/types.js';

export type Executor = Kysely<DB> | Transaction<DB>;
export type EvidenceFileRow = Awaited<ReturnType<EvidenceRepository['file']>> & {};

/** The measure an evidence link belongs to (copied onto the link for the reuse check). */
export interface EvidenceTarget {
  id: number;
  problemId: number;
  roundUnitId: number;
  unitOrgId: number;
}

/** 佐证材料: upload rows, and which file was offered for which measure (SQL of the evidence feature). */
export class EvidenceRepository {
  async insertFile(db: Executor, row: Insertable<EvidenceFileTable>): Promise<number> {
    const r = await db.insertInto('evidenceFiles').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async file(db: Executor, id: number) {
    return db.selectFrom('evidenceFiles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async files(db: Executor, ids: readonly number[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('evidenceFiles')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .orderBy('id')
      .execute();
  }

  /** A round-unit's files, newest first, keyset-paged by id. */
  async filesOfRoundUnit(db: Executor, roundUnitId: number, limit: number, beforeId?: number) {
    let q = db.selectFrom('evidenceFiles').selectAll().where('roundUnitId', '=', roundUnitId);
    if (beforeId) q = q.where('id', '<', beforeId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Records that `files` were offered as evidence for `measure` by a report or a closure application. */
  async attach(
    db: Executor,
    measure: EvidenceTarget,
    files: readonly { id: number; sm3: string }[],
    source: 'report' | 'closure',
    sourceId: number,
    now: number,
  ): Promise<void> {
    if (!files.length) return;
    await db
      .insertInto('measureEvidence')
      .values(
        files.map((f) => ({
          measureId: measure.id,
          fileId: f.id,
          sm3: f.sm3,
          problemId: measure.problemId,
          roundUnitId: measure.roundUnitId,
          unitOrgId: measure.unitOrgId,
          source,
          sourceId,
          createdAt: now,
        })),
      )
      .execute();
  }

  /**
   * 虚假整改 check: where else the same bytes (by SM3) were offered as evidence — for another problem,
   * in this unit or any other. At most `limit` rows, newest first.
   */
  async reuses(db: Executor, sm3s: readonly string[], problemId: number, limit = 50) {
    if (!sm3s.length) return [];
    return db
      .selectFrom('measureEvidence as e')
      .innerJoin('problems as p', 'p.id', 'e.problemId')
      .innerJoin('organisations as o', 'o.id', 'e.unitOrgId')
      .select([
        'e.sm3',
        'e.measureId',
        'e.problemId',
        'e.unitOrgId',
        'e.roundUnitId',
        'e.source',
        'e.createdAt',
        'p.number as problemNumber',
        'p.categoryCode',
        'o.name as unitName',
      ])
      .where('e.sm3', 'in', [...new Set(sm3s)])
      .where('e.problemId', '<>', problemId)
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Evidence links of a measure, with the file's name, newest first. */
  async evidenceOfMeasure(db: Executor, measureId: number) {
    return db
      .selectFrom('measureEvidence as e')
      .innerJoin('evidenceFiles as f', 'f.id', 'e.fileId')
      .select(['e.fileId', 'e.sm3', 'e.source', 'e.sourceId', 'e.createdAt', 'f.name', 'f.size', 'f.kind'])
      .where('e.measureId', '=', measureId)
      .orderBy('e.id', 'desc')
      .execute();
  }

  /** How many uploads are these bytes (a blob no row names may be taken back). */
  async filesWithDigest(db: Executor, sm3: string): Promise<number> {
    const r = await db
      .selectFrom('evidenceFiles')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('sm3', '=', sm3)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** How many evidence links carry these bytes (at upload time the new file has none, so all are other problems'). */
  async linkCount(db: Executor, sm3: string): Promise<number> {
    const r = await db
      .selectFrom('measureEvidence')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('sm3', '=', sm3)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Per digest, how many links of problems other than `problemId` carry it (what `reuses` lists, uncapped). */
  async reuseCounts(db: Executor, sm3s: readonly string[], problemId: number): Promise<Map<string, number>> {
    if (!sm3s.length) return new Map();
    const rows = await db
      .selectFrom('measureEvidence')
      .select(['sm3', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('sm3', 'in', [...new Set(sm3s)])
      .where('problemId', '<>', problemId)
      .groupBy('sm3')
      .execute();
    return new Map(rows.map((r) => [r.sm3, Number(r.n)]));
  }

  /** Whether the file is evidence for a measure of one of `categories` (a supervisor's line). */
  async linkedInCategories(db: Executor, fileId: number, categories: readonly string[]): Promise<boolean> {
    if (!categories.length) return false;
    const r = await db
      .selectFrom('measureEvidence as e')
      .innerJoin('measures as m', 'm.id', 'e.measureId')
      .select('e.id')
      .where('e.fileId', '=', fileId)
      .where('m.categoryCode', 'in', [...categories])
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /**
   * A round-unit's files newest first, keyset-paged by id; with `categories`, only those that are
   * evidence for a measure of one of them (a supervisor restricted to a line).
   */
  async visibleFilesOfRoundUnit(
    db: Executor,
    roundUnitId: number,
    categories: readonly string[] | null,
    limit: number,
    beforeId?: number,
  ) {
    if (categories && !categories.length) return [];
    let q = db.selectFrom('evidenceFiles as f').selectAll('f').where('f.roundUnitId', '=', roundUnitId);
    if (beforeId) q = q.where('f.id', '<', beforeId);
    if (categories)
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('measureEvidence as e')
            .innerJoin('measures as m', 'm.id', 'e.measureId')
            .select('e.id')
            .whereRef('e.fileId', '=', 'f.id')
            .where('m.categoryCode', 'in', [...categories]),
        ),
      );
    return q.orderBy('f.id', 'desc').limit(limit).execute();
  }
}
