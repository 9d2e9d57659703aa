import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { lockMarkingEpochs } from '../ledger/ledger.repository.js';
import { type ReadScope, visibilitySql } from '../ledger/ledger.scope.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** Bound parameters per multi-row INSERT on SQLite: below its limit of 32,766. */
const MAX_PARAMS = 30_000;

export interface ExportFilter {
  termId?: number;
  roundId?: number;
  roundUnitId?: number;
  unitOrgId?: number;
  categoryCode?: string;
  status?: string;
  type?: string;
  /** What of the ledger the caller reads: units, and a supervisor's line (categories) where so configured. */
  scope: ReadScope;
}

export interface ExportProblemRow {
  id: number;
  roundUnitId: number;
  roundId: number;
  unitOrgId: number;
  seq: number;
  number: string;
  categoryCode: string;
  description: string;
  source: string;
  severity: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
}

export interface ExportMeasureRow {
  problemId: number;
  seq: number;
  content: string;
  type: string;
  status: string;
  effectiveDeadline: string;
  ownerName: string | null;
  rulesEstablished: number;
  fundsReturnedFen: string;
  lossesRecoveredFen: string;
  peopleHeldAccountable: number;
  casesFiled: number;
}

/** Rows per INSERT for rows of this many columns. */
const rowsPerInsert = (row: object | undefined) =>
  Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, Object.keys(row ?? {}).length)));

/**
 * PostgreSQL column types of the bulk-inserted tables, for `INSERT … SELECT * FROM unnest(…)`:
 * one array parameter per column instead of one parameter per cell (10,000 measures in one
 * statement of 25 parameters rather than nine of 30,000).
 */
const PG_COLUMNS = {
  problems: {
    round_unit_id: 'int8',
    round_id: 'int8',
    term_id: 'int8',
    unit_org_id: 'int8',
    campaign_id: 'int8',
    seq: 'int4',
    number: 'text',
    category_code: 'text',
    description: 'text',
    source: 'text',
    severity: 'text',
    responsible_leader: 'text',
    responsible_department: 'text',
    responsible_person: 'text',
    measure_count: 'int4',
    done_count: 'int4',
    version: 'int4',
    created_at: 'int8',
    updated_at: 'int8',
  },
  problem_responsibles: { problem_id: 'int8', name: 'text', post: 'text', duty: 'text', user_id: 'int8' },
  measures: {
    problem_id: 'int8',
    round_unit_id: 'int8',
    round_id: 'int8',
    term_id: 'int8',
    unit_org_id: 'int8',
    category_code: 'text',
    seq: 'int4',
    content: 'text',
    type: 'text',
    status: 'text',
    is_done: 'int4',
    deadline: 'text',
    extended_deadline: 'text',
    effective_deadline: 'text',
    owner_name: 'text',
    owner_user_id: 'int8',
    completed_on: 'text',
    rules_established: 'int4',
    funds_returned_fen: 'int8',
    losses_recovered_fen: 'int8',
    people_held_accountable: 'int4',
    cases_filed: 'int4',
    last_progress_at: 'int8',
    version: 'int4',
    created_at: 'int8',
    updated_at: 'int8',
  },
} as const;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Rows per unnest INSERT on PostgreSQL: bounds the size of one statement, not its parameters. */
const PG_ROWS_PER_INSERT = 5000;

async function insertUnnest(
  trx: Transaction<DB>,
  table: keyof typeof PG_COLUMNS,
  rows: readonly object[],
  returning = false,
): Promise<{ id: number; seq: number }[]> {
  const out: { id: number; seq: number }[] = [];
  const columns = Object.entries(PG_COLUMNS[table]);
  for (const chunk of chunks(rows, PG_ROWS_PER_INSERT)) {
    const arrays = columns.map(([name, type]) => {
      const key = camel(name);
      const values = chunk.map((r) => (r as Record<string, unknown>)[key] ?? null);
      return sql`${values}::${sql.raw(type)}[]`;
    });
    const result = await sql<{ id: number; seq: number }>`
      INSERT INTO ${sql.raw(table)} (${sql.raw(columns.map(([name]) => name).join(', '))})
      SELECT * FROM unnest(${sql.join(arrays)})
      ${returning ? sql`RETURNING id, seq` : sql``}`.execute(trx);
    for (const r of result.rows) out.push({ id: Number(r.id), seq: Number(r.seq) });
  }
  return out;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export class LedgerExcelRepository {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** The round-unit's status, its row locked until the end of the transaction on PostgreSQL (SQLite has one writer). */
  async lockRoundUnit(trx: Transaction<DB>, id: number) {
    if (this.dialect === 'postgres') return (await lockMarkingEpochs(trx, [id]))[0];
    return trx.selectFrom('roundUnits').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
  }

  /** The problem numbers a round-unit already has, and its highest seq. */
  async problemNumbers(db: Executor, roundUnitId: number): Promise<{ numbers: Set<string>; maxSeq: number }> {
    const rows = await db
      .selectFrom('problems')
      .select(['number', 'seq'])
      .where('roundUnitId', '=', roundUnitId)
      .execute();
    let maxSeq = 0;
    for (const r of rows) maxSeq = Math.max(maxSeq, Number(r.seq));
    return { numbers: new Set(rows.map((r) => r.number)), maxSeq };
  }

  /** Inserts the problems in bulk; answers the new id of each seq. */
  async insertProblems(trx: Transaction<DB>, rows: Insertable<DB['problems']>[]): Promise<Map<number, number>> {
    const ids = new Map<number, number>();
    if (this.dialect === 'postgres') {
      for (const r of await insertUnnest(trx, 'problems', rows, true)) ids.set(r.seq, r.id);
      return ids;
    }
    for (const chunk of chunks(rows, rowsPerInsert(rows[0]))) {
      const out = await trx.insertInto('problems').values(chunk).returning(['id', 'seq']).execute();
      for (const r of out) ids.set(Number(r.seq), Number(r.id));
    }
    return ids;
  }

  async insertResponsibles(trx: Transaction<DB>, rows: Insertable<DB['problemResponsibles']>[]): Promise<void> {
    if (this.dialect === 'postgres') {
      await insertUnnest(trx, 'problem_responsibles', rows);
      return;
    }
    for (const chunk of chunks(rows, rowsPerInsert(rows[0])))
      await trx.insertInto('problemResponsibles').values(chunk).execute();
  }

  async insertMeasures(trx: Transaction<DB>, rows: Insertable<DB['measures']>[]): Promise<void> {
    if (this.dialect === 'postgres') {
      await insertUnnest(trx, 'measures', rows);
      return;
    }
    for (const chunk of chunks(rows, rowsPerInsert(rows[0]))) await trx.insertInto('measures').values(chunk).execute();
  }

  // -------------------------------------------------------------------------------------------
  // Export: problems in keyset order (round-unit, seq), their measures and responsibles per batch

  async problemBatch(
    db: Executor,
    f: ExportFilter,
    after: { roundUnitId: number; seq: number } | null,
    limit: number,
  ): Promise<ExportProblemRow[]> {
    let q = db
      .selectFrom('problems as p')
      .select([
        'p.id',
        'p.roundUnitId',
        'p.roundId',
        'p.unitOrgId',
        'p.seq',
        'p.number',
        'p.categoryCode',
        'p.description',
        'p.source',
        'p.severity',
        'p.responsibleLeader',
        'p.responsibleDepartment',
        'p.responsiblePerson',
      ]);
    const visible = visibilitySql(f.scope, sql`p.unit_org_id`, sql`p.category_code`);
    if (visible) q = q.where(visible);
    if (f.termId) q = q.where('p.termId', '=', f.termId);
    if (f.roundId) q = q.where('p.roundId', '=', f.roundId);
    if (f.roundUnitId) q = q.where('p.roundUnitId', '=', f.roundUnitId);
    if (f.unitOrgId) q = q.where('p.unitOrgId', '=', f.unitOrgId);
    if (f.categoryCode) q = q.where('p.categoryCode', '=', f.categoryCode);
    if (f.status || f.type) {
      const status = f.status;
      const type = f.type;
      q = q.where(({ exists, selectFrom }) => {
        let m = selectFrom('measures as m').select(sql`1`.as('one')).whereRef('m.problemId', '=', 'p.id');
        if (status) m = m.where('m.status', '=', status);
        if (type) m = m.where('m.type', '=', type);
        return exists(m);
      });
    }
    // A row comparison, which both databases answer as a range of problems_round_unit_seq; the same
    // condition spelt with OR was a scan of the index up to the batch on PostgreSQL's generic plan
    // (57 ms a batch at 1M measures against 0.04 ms).
    if (after) q = q.where(sql<boolean>`(p.round_unit_id, p.seq) > (${after.roundUnitId}, ${after.seq})`);
    const rows = await q.orderBy('p.roundUnitId').orderBy('p.seq').limit(limit).execute();
    return rows.map((r) => ({
      ...r,
      id: Number(r.id),
      roundUnitId: Number(r.roundUnitId),
      roundId: Number(r.roundId),
      unitOrgId: Number(r.unitOrgId),
      seq: Number(r.seq),
    }));
  }

  async measuresOf(db: Executor, problemIds: number[], f: ExportFilter): Promise<ExportMeasureRow[]> {
    if (!problemIds.length) return [];
    let q = db
      .selectFrom('measures')
      .select([
        'problemId',
        'seq',
        'id',
        'content',
        'type',
        'status',
        'effectiveDeadline',
        'ownerName',
        'rulesEstablished',
        sql<string>`CAST(funds_returned_fen AS TEXT)`.as('fundsReturnedFen'),
        sql<string>`CAST(losses_recovered_fen AS TEXT)`.as('lossesRecoveredFen'),
        'peopleHeldAccountable',
        'casesFiled',
      ])
      .where('problemId', 'in', problemIds);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.type) q = q.where('type', '=', f.type);
    const rows = await q.orderBy('problemId').orderBy('seq').orderBy('id').execute();
    return rows.map((r) => ({
      problemId: Number(r.problemId),
      seq: Number(r.seq),
      content: r.content,
      type: r.type,
      status: r.status,
      effectiveDeadline: r.effectiveDeadline,
      ownerName: r.ownerName,
      rulesEstablished: Number(r.rulesEstablished),
      fundsReturnedFen: String(r.fundsReturnedFen),
      lossesRecoveredFen: String(r.lossesRecoveredFen),
      peopleHeldAccountable: Number(r.peopleHeldAccountable),
      casesFiled: Number(r.casesFiled),
    }));
  }

  async responsiblesOf(db: Executor, problemIds: number[]) {
    if (!problemIds.length) return [];
    const rows = await db
      .selectFrom('problemResponsibles')
      .select(['problemId', 'name', 'duty'])
      .where('problemId', 'in', problemIds)
      .orderBy('problemId')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ problemId: Number(r.problemId), name: r.name, duty: r.duty }));
  }

  async roundNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('rounds').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  async orgNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }
}
