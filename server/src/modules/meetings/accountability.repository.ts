import { type Insertable, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { type ReadScope, visibilitySql } from '../ledger/ledger.scope.js';

const RECORD_COLUMNS = [
  'a.id',
  'a.kind',
  'a.problemId',
  'p.number as problemNumber',
  'p.description as problemDescription',
  'p.categoryCode',
  'a.roundUnitId',
  'a.roundId',
  'r.name as roundName',
  'a.termId',
  'a.unitOrgId',
  'u.name as unitName',
  'a.personName',
  'a.personPost',
  'a.personUnitOrgId',
  'pu.name as personUnitName',
  'a.reason',
  'a.decidingOrgId',
  'dg.name as decidingOrgName',
  'a.decidedOn',
  'a.outcome',
  'a.negativeList',
  'a.negativeListNote',
  'a.createdBy',
  'cb.displayName as createdByName',
  'a.version',
  'a.createdAt',
  'a.updatedAt',
] as const;

/**
 * Who reads an accountability record: whoever reads its problem (the ledger's scope over the
 * record's unit and the problem's category, which follows the problem when it changes), and the
 * deciding body itself (`decidedBy`: the caller's own organisations) — a discipline office reads
 * what it decided even where it does not read the unit's ledger.
 */
export interface AccountabilityScope {
  read: ReadScope;
  decidedBy?: readonly number[];
}

function visibility(s: AccountabilityScope): RawBuilder<boolean> | null {
  const ledger = visibilitySql(s.read, sql`a.unit_org_id`, sql`p.category_code`);
  if (!ledger) return null;
  if (!s.decidedBy?.length) return ledger;
  return sql<boolean>`(${ledger} OR a.deciding_org_id IN (${sql.join([...s.decidedBy])}))`;
}

export interface RecordFilter {
  kind?: string;
  roundId?: number;
  termId?: number;
  unitOrgId?: number;
  decidingOrgId?: number;
  problemId?: number;
  personKey?: string;
  negativeList?: boolean;
}

/** Accountability records (M12) and the leading cadre's record that the organisation department reads. */
export class AccountabilityRepository {
  private records(db: Executor) {
    return db
      .selectFrom('accountabilityRecords as a')
      .innerJoin('problems as p', 'p.id', 'a.problemId')
      .innerJoin('rounds as r', 'r.id', 'a.roundId')
      .innerJoin('organisations as u', 'u.id', 'a.unitOrgId')
      .innerJoin('organisations as pu', 'pu.id', 'a.personUnitOrgId')
      .innerJoin('organisations as dg', 'dg.id', 'a.decidingOrgId')
      .leftJoin('users as cb', 'cb.id', 'a.createdBy')
      .select(RECORD_COLUMNS);
  }

  async record(db: Executor, id: number) {
    return this.records(db).where('a.id', '=', id).executeTakeFirst();
  }

  private filtered(db: Executor, scope: AccountabilityScope, f: RecordFilter) {
    let q = this.records(db);
    if (f.kind) q = q.where('a.kind', '=', f.kind);
    if (f.roundId) q = q.where('a.roundId', '=', f.roundId);
    if (f.termId) q = q.where('a.termId', '=', f.termId);
    if (f.unitOrgId) q = q.where('a.unitOrgId', '=', f.unitOrgId);
    if (f.decidingOrgId) q = q.where('a.decidingOrgId', '=', f.decidingOrgId);
    if (f.problemId) q = q.where('a.problemId', '=', f.problemId);
    if (f.personKey) q = q.where('a.personKey', '=', f.personKey);
    if (f.negativeList !== undefined) q = q.where('a.negativeList', '=', f.negativeList ? 1 : 0);
    const v = visibility(scope);
    if (v) q = q.where(v);
    return q;
  }

  /** Keyset page, newest first. */
  async page(db: Executor, scope: AccountabilityScope, f: RecordFilter & { before?: number; limit: number }) {
    let q = this.filtered(db, scope, f);
    if (f.before) q = q.where('a.id', '<', f.before);
    return q.orderBy('a.id', 'desc').limit(f.limit).execute();
  }

  /** Every record matching (bounded: one problem's or one person's records). */
  async all(db: Executor, scope: AccountabilityScope, f: RecordFilter) {
    return this.filtered(db, scope, f).orderBy('a.decidedOn').orderBy('a.id').limit(2000).execute();
  }

  /** Exact figures in scope: records per kind, distinct people, negative-list entries. */
  async figures(db: Executor, scope: AccountabilityScope, f: RecordFilter) {
    let q = db
      .selectFrom('accountabilityRecords as a')
      .innerJoin('problems as p', 'p.id', 'a.problemId')
      .select((eb) => [
        'a.kind',
        eb.fn.countAll().as('records'),
        sql<number | string>`count(DISTINCT a.person_key)`.as('people'),
        eb.fn.sum<number | string | null>('a.negativeList').as('negative'),
      ]);
    if (f.roundId) q = q.where('a.roundId', '=', f.roundId);
    if (f.termId) q = q.where('a.termId', '=', f.termId);
    if (f.unitOrgId) q = q.where('a.unitOrgId', '=', f.unitOrgId);
    if (f.decidingOrgId) q = q.where('a.decidingOrgId', '=', f.decidingOrgId);
    const v = visibility(scope);
    if (v) q = q.where(v);
    const byKind = await q.groupBy('a.kind').execute();
    let people = db
      .selectFrom('accountabilityRecords as a')
      .innerJoin('problems as p', 'p.id', 'a.problemId')
      .select(sql<number | string>`count(DISTINCT a.person_key)`.as('people'));
    if (f.roundId) people = people.where('a.roundId', '=', f.roundId);
    if (f.termId) people = people.where('a.termId', '=', f.termId);
    if (f.unitOrgId) people = people.where('a.unitOrgId', '=', f.unitOrgId);
    if (f.decidingOrgId) people = people.where('a.decidingOrgId', '=', f.decidingOrgId);
    if (v) people = people.where(v);
    const total = await people.executeTakeFirst();
    return { byKind, people: Number(total?.people ?? 0) };
  }

  async insert(db: Executor, row: Insertable<DB['accountabilityRecords']>): Promise<number> {
    const r = await db.insertInto('accountabilityRecords').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async update(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['accountabilityRecords']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('accountabilityRecords')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The problem a record is tied to, with its round-unit and category. */
  async problem(db: Executor, id: number) {
    return db
      .selectFrom('problems')
      .select(['id', 'roundUnitId', 'roundId', 'termId', 'unitOrgId', 'categoryCode'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async orgExists(db: Executor, id: number): Promise<boolean> {
    return !!(await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst());
  }

  async orgName(db: Executor, id: number): Promise<string | null> {
    const r = await db.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst();
    return r?.name ?? null;
  }

  /** The organisation and those above it (a body may record a decision of its parent). */
  async ancestors(db: Executor, orgId: number): Promise<number[]> {
    const r = await sql<{ id: number }>`
      WITH RECURSIVE up(id, parent_id) AS (
        SELECT id, parent_id FROM organisations WHERE id = ${orgId}
        UNION ALL
        SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id
      ) SELECT id FROM up`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }

  /**
   * Problems of the unit a person was responsible for (问题的责任领导 / 责任人, or a 第一责任人 /
   * 一岗双责 member of the responsibility list), visible to the caller, with their rectification.
   */
  async responsibilities(db: Executor, read: ReadScope, name: string, unitOrgId: number) {
    let q = db
      .selectFrom('problems as p')
      .innerJoin('rounds as r', 'r.id', 'p.roundId')
      .select([
        'p.id',
        'p.number',
        'p.description',
        'p.categoryCode',
        'p.roundUnitId',
        'p.roundId',
        'r.name as roundName',
        'p.responsibleLeader',
        'p.responsiblePerson',
        'p.measureCount',
        'p.doneCount',
        sql<
          string | null
        >`(SELECT min(pr.duty) FROM problem_responsibles pr WHERE pr.problem_id = p.id AND pr.name = ${name})`.as(
          'listDuty',
        ),
      ])
      .where('p.unitOrgId', '=', unitOrgId)
      .where((eb) =>
        eb.or([
          eb('p.responsibleLeader', '=', name),
          eb('p.responsiblePerson', '=', name),
          eb.exists(
            eb
              .selectFrom('problemResponsibles as pr')
              .select('pr.id')
              .whereRef('pr.problemId', '=', 'p.id')
              .where('pr.name', '=', name),
          ),
        ]),
      );
    const v = visibilitySql(read, sql`p.unit_org_id`, sql`p.category_code`);
    if (v) q = q.where(v);
    return q.orderBy('p.roundId').orderBy('p.id').limit(2000).execute();
  }

  /** 个别谈话情况报告 of the unit's round-units (sent to the organisation department), across rounds. */
  async talkReports(db: Executor, unitOrgId: number) {
    return db
      .selectFrom('talkReports as t')
      .innerJoin('roundUnits as ru', 'ru.id', 't.roundUnitId')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .leftJoin('organisations as o', 'o.id', 't.sentToOrgId')
      .select([
        't.id',
        't.roundUnitId',
        'ru.roundId',
        'r.name as roundName',
        't.sentToOrgId',
        'o.name as sentToOrgName',
        't.summary',
        't.sentAt',
        't.receivedAt',
      ])
      .where('ru.unitOrgId', '=', unitOrgId)
      .orderBy('ru.roundId')
      .orderBy('t.id')
      .limit(500)
      .execute();
  }
}
