import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { ProgressReportTable } from '../../db/progress-types.js';
import type { DB } from '../../db/types.js';

export type Executor = Kysely<DB> | Transaction<DB>;
export type ReportRow = NonNullable<Awaited<ReturnType<ProgressRepository['report']>>>;
export type ItemRow = Awaited<ReturnType<ProgressRepository['items']>>[number];
export type VersionRow = Awaited<ReturnType<ProgressRepository['versions']>>[number];

const REPORT_COLUMNS = [
  'r.id',
  'r.roundUnitId',
  'r.roundId',
  'r.termId',
  'r.unitOrgId',
  'o.name as unitName',
  'r.periodSeq',
  'r.periodKind',
  'r.dueDate',
  'r.status',
  'r.revision',
  'r.summary',
  'r.late',
  'r.preparedBy',
  'r.sentForSignoffAt',
  'r.signedBy',
  's.displayName as signedByName',
  'r.submittedAt',
  'r.returnedBy',
  'r.returnedAt',
  'r.returnNote',
  'r.version',
  'r.createdAt',
  'r.updatedAt',
] as const;

/** 整改进展报告 (M6): reports, their items and their signed-off versions (the SQL of the progress feature). */
export class ProgressRepository {
  private reports(db: Executor) {
    return db
      .selectFrom('progressReports as r')
      .innerJoin('organisations as o', 'o.id', 'r.unitOrgId')
      .leftJoin('users as s', 's.id', 'r.signedBy')
      .select(REPORT_COLUMNS);
  }

  async report(db: Executor, id: number) {
    return this.reports(db).where('r.id', '=', id).executeTakeFirst();
  }

  async reportOfPeriod(db: Executor, roundUnitId: number, periodSeq: number) {
    return db
      .selectFrom('progressReports')
      .select(['id'])
      .where('roundUnitId', '=', roundUnitId)
      .where('periodSeq', '=', periodSeq)
      .executeTakeFirst();
  }

  async reportsOfRoundUnit(db: Executor, roundUnitId: number) {
    return this.reports(db).where('r.roundUnitId', '=', roundUnitId).orderBy('r.periodSeq').limit(2000).execute();
  }

  /** The round-unit with the fields reporting needs (its deadline decides the periods). */
  async roundUnit(db: Executor, id: number) {
    return db
      .selectFrom('roundUnits')
      .select(['id', 'roundId', 'termId', 'unitOrgId', 'status', 'deadline'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Whether later periods are owed: a long-term measure, or a measure not yet done. */
  async hasOngoingMeasures(db: Executor, roundUnitId: number): Promise<boolean> {
    const r = await db
      .selectFrom('measures')
      .select('id')
      .where('roundUnitId', '=', roundUnitId)
      .where((eb) => eb.or([eb('type', '=', 'long_term'), eb('isDone', '=', 0)]))
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }

  /** The measures a period's report covers: all (period 1), else long-term ones and those not done. */
  async measuresToReport(db: Executor, roundUnitId: number, all: boolean) {
    let q = db
      .selectFrom('measures as m')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .select(['m.id', 'm.status'])
      .where('m.roundUnitId', '=', roundUnitId);
    if (!all) q = q.where((eb) => eb.or([eb('m.type', '=', 'long_term'), eb('m.isDone', '=', 0)]));
    return q.orderBy('p.seq').orderBy('m.seq').orderBy('m.id').limit(5000).execute();
  }

  async insertReport(db: Executor, row: Insertable<ProgressReportTable>): Promise<number> {
    const r = await db.insertInto('progressReports').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async insertItems(
    db: Executor,
    reportId: number,
    measures: readonly { id: number | string; status: string }[],
    now: number,
  ) {
    for (let i = 0; i < measures.length; i += 200) {
      await db
        .insertInto('progressReportItems')
        .values(
          measures.slice(i, i + 200).map((m) => ({
            reportId,
            measureId: Number(m.id),
            reportedStatus: m.status,
            narrative: '',
            fileIds: '[]',
            updatedAt: now,
          })),
        )
        .execute();
    }
  }

  /** Optimistic update: bumps the version; false when `version` is no longer current. */
  async updateReport(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<ProgressReportTable>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('progressReports')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** A report's items with their measure and problem, in ledger order. */
  async items(db: Executor, reportId: number) {
    return db
      .selectFrom('progressReportItems as i')
      .innerJoin('measures as m', 'm.id', 'i.measureId')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .select([
        'i.id',
        'i.measureId',
        'i.reportedStatus',
        'i.narrative',
        'i.fileIds',
        'm.problemId',
        'p.number as problemNumber',
        'm.seq',
        'm.content',
        'm.type',
        'm.categoryCode',
        'm.status as measureStatus',
        'm.version as measureVersion',
        'm.roundUnitId',
        'm.unitOrgId',
      ])
      .where('i.reportId', '=', reportId)
      .orderBy('p.seq')
      .orderBy('m.seq')
      .orderBy('m.id')
      .execute();
  }

  async updateItem(
    db: Executor,
    reportId: number,
    measureId: number,
    patch: { reportedStatus?: string; narrative?: string; fileIds?: string; updatedAt: number },
  ) {
    await db
      .updateTable('progressReportItems')
      .set(patch)
      .where('reportId', '=', reportId)
      .where('measureId', '=', measureId)
      .execute();
  }

  /** Current statuses of measures (for views of frozen snapshots). */
  async measureStatuses(db: Executor, ids: readonly number[]) {
    if (!ids.length) return new Map<number, string>();
    const rows = await db
      .selectFrom('measures')
      .select(['id', 'status'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [Number(r.id), r.status]));
  }

  /** Progress recorded: the reported measures moved forward in time (no version change). */
  async touchProgress(db: Executor, measureIds: readonly number[], now: number) {
    for (let i = 0; i < measureIds.length; i += 500) {
      await db
        .updateTable('measures')
        .set({ lastProgressAt: now })
        .where('id', 'in', measureIds.slice(i, i + 500))
        .execute();
    }
  }

  // --- versions -------------------------------------------------------------------------------

  async insertVersion(db: Executor, row: Insertable<DB['progressReportVersions']>): Promise<number> {
    const r = await db.insertInto('progressReportVersions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  private versionRows(db: Executor) {
    return db
      .selectFrom('progressReportVersions as v')
      .leftJoin('users as s', 's.id', 'v.signedBy')
      .select([
        'v.id',
        'v.reportId',
        'v.revision',
        'v.snapshot',
        'v.late',
        'v.preparedBy',
        'v.signedBy',
        's.displayName as signedByName',
        'v.submittedAt',
      ]);
  }

  async versions(db: Executor, reportId: number) {
    return this.versionRows(db).where('v.reportId', '=', reportId).orderBy('v.revision').execute();
  }

  async version(db: Executor, reportId: number, revision: number) {
    return this.versionRows(db)
      .where('v.reportId', '=', reportId)
      .where('v.revision', '=', revision)
      .executeTakeFirst();
  }

  async lastVersion(db: Executor, reportId: number) {
    return this.versionRows(db)
      .where('v.reportId', '=', reportId)
      .orderBy('v.revision', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  // --- lists ----------------------------------------------------------------------------------

  /**
   * Reports in scope, newest first (keyset on id). `orgIds` undefined = every unit; `submittedOnly`
   * keeps the reports with at least one signed-off version (what supervisors and leaders see).
   */
  async page(
    db: Executor,
    f: {
      orgIds?: ReadonlySet<number>;
      submittedOnly: boolean;
      status?: string;
      late?: boolean;
      roundId?: number;
      unitOrgId?: number;
      roundUnitId?: number;
      cursor?: number;
      limit: number;
    },
  ) {
    let q = this.reports(db);
    if (f.orgIds) q = f.orgIds.size ? q.where('r.unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    if (f.submittedOnly) {
      q = q.where('r.submittedAt', 'is not', null);
      // To them every visible report is "submitted" (the one they see is the last signed-off version).
      if (f.status && f.status !== 'submitted') q = q.where(sql<boolean>`1 = 0`);
    } else if (f.status) q = q.where('r.status', '=', f.status);
    if (f.late !== undefined) q = q.where('r.late', '=', f.late ? 1 : 0);
    if (f.roundId) q = q.where('r.roundId', '=', f.roundId);
    if (f.unitOrgId) q = q.where('r.unitOrgId', '=', f.unitOrgId);
    if (f.roundUnitId) q = q.where('r.roundUnitId', '=', f.roundUnitId);
    if (f.cursor) q = q.where('r.id', '<', f.cursor);
    return q.orderBy('r.id', 'desc').limit(f.limit).execute();
  }
}
