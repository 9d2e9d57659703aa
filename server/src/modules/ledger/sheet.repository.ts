import { type RawBuilder, sql } from 'kysely';
import type { MeasureStatus } from '../../../../domain/rectification.js';
import { escapeLike } from '../organisations/organisations.repository.js';
import type { Executor } from './ledger.repository.js';
import { type ReadScope, visibilitySql } from './ledger.scope.js';
import { roundTotalConditions, STATUS_COUNT_COLUMNS } from './summaries.repository.js';

export type LedgerSort = 'id' | 'deadline' | 'status' | 'unit';

/** The column each sort orders by; every one has an index whose last column is the id (see the migration). */
export const SORT_COLUMNS: Record<LedgerSort, RawBuilder<unknown>> = {
  id: sql`m.id`,
  deadline: sql`m.effective_deadline`,
  status: sql`m.status`,
  unit: sql`m.unit_org_id`,
};

export interface LedgerFilter {
  termId?: number;
  roundId?: number;
  roundUnitId?: number;
  unitOrgId?: number;
  categoryCode?: string;
  status?: string;
  type?: string;
  overdue?: boolean;
  ownerUserId?: number;
  q?: string;
  scope: ReadScope;
  today: string;
}

export interface FigureFilter {
  termId?: number;
  roundId?: number;
  roundUnitId?: number;
  unitOrgId?: number;
  categoryCode?: string;
  scope?: ReadScope;
}

const TRUE = sql<boolean>`1 = 1`;
const and = (conds: RawBuilder<boolean>[]) => (conds.length ? sql.join(conds, sql` AND `) : TRUE);

/**
 * The ledger sheet (整改台账): one row per measure with its problem's columns, keyset paged. Measures
 * carry round, unit, term and category, so every filter but the text search is on `measures` alone.
 */
export class SheetRepository {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /**
   * The row's problem's responsibles (责任人) in their order, as JSON [[name, duty], …]: a subquery
   * per row instead of a second round trip for the page (PostgreSQL answers json parsed; SQLite text).
   */
  private responsiblesJson() {
    return this.dialect === 'postgres'
      ? sql`(SELECT json_agg(json_build_array(pr.name, pr.duty) ORDER BY pr.id)
          FROM problem_responsibles pr WHERE pr.problem_id = m.problem_id)`
      : sql`(SELECT json_group_array(json_array(pr.name, pr.duty) ORDER BY pr.id)
          FROM problem_responsibles pr WHERE pr.problem_id = m.problem_id)`;
  }

  private conditions(f: LedgerFilter): RawBuilder<boolean>[] {
    const c: RawBuilder<boolean>[] = [];
    if (f.termId) c.push(sql`m.term_id = ${f.termId}`);
    if (f.roundId) c.push(sql`m.round_id = ${f.roundId}`);
    if (f.roundUnitId) c.push(sql`m.round_unit_id = ${f.roundUnitId}`);
    if (f.unitOrgId) c.push(sql`m.unit_org_id = ${f.unitOrgId}`);
    if (f.categoryCode) c.push(sql`m.category_code = ${f.categoryCode}`);
    if (f.status) c.push(sql`m.status = ${f.status}`);
    if (f.type) c.push(sql`m.type = ${f.type}`);
    if (f.ownerUserId) c.push(sql`m.owner_user_id = ${f.ownerUserId}`);
    if (f.overdue === true) c.push(sql`m.is_done = 0 AND m.effective_deadline < ${f.today}`);
    if (f.overdue === false) c.push(sql`(m.is_done = 1 OR m.effective_deadline >= ${f.today})`);
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      c.push(
        sql`(lower(m.content) LIKE ${like} ESCAPE '\\' OR lower(p.description) LIKE ${like} ESCAPE '\\')` as RawBuilder<boolean>,
      );
    }
    const scope = visibilitySql(f.scope, sql`m.unit_org_id`, sql`m.category_code`);
    if (scope) c.push(scope);
    return c;
  }

  async page(
    db: Executor,
    f: LedgerFilter,
    sort: LedgerSort,
    order: 'asc' | 'desc',
    after: { value: string | number; id: number } | null,
    limit: number,
  ) {
    const col = SORT_COLUMNS[sort];
    const dir = order === 'desc' ? sql`DESC` : sql`ASC`;
    const conds = this.conditions(f);
    if (after) {
      conds.push(
        order === 'desc'
          ? sql`(${col}, m.id) < (${after.value}, ${after.id})`
          : sql`(${col}, m.id) > (${after.value}, ${after.id})`,
      );
    }
    // The page's ids first, from measures alone (and problems only for the text search); then the
    // columns of those few rows. Joins never run over the rows a filter or a sort has to look at.
    const textJoin = f.q ? sql`JOIN problems p ON p.id = m.problem_id` : sql``;
    // A literal limit: SQLite plans a bound LIMIT as unbounded and then scans the sort index in full.
    const pageSize = Math.min(Math.max(Math.trunc(limit), 1), 1000);
    const r = await sql<LedgerSqlRow>`
      SELECT m.*, p.number AS problem_number, p.seq AS problem_seq, p.description AS problem_description,
        p.severity AS severity, p.source AS source, p.campaign_id AS campaign_id,
        p.responsible_leader AS responsible_leader, p.responsible_department AS responsible_department,
        p.responsible_person AS responsible_person, o.name AS unit_name, r.name AS round_name,
        ${this.responsiblesJson()} AS responsibles
      FROM (
        SELECT m.id FROM measures m ${textJoin}
        WHERE ${and(conds)}
        ORDER BY ${col} ${dir}, m.id ${dir}
        LIMIT ${sql.lit(pageSize)}
      ) pg
      JOIN measures m ON m.id = pg.id
      JOIN problems p ON p.id = m.problem_id
      JOIN organisations o ON o.id = m.unit_org_id
      JOIN rounds r ON r.id = m.round_id
      ORDER BY ${col} ${dir}, m.id ${dir}`.execute(db);
    return r.rows;
  }

  /**
   * The sheet's total: from the summary counters when every filter is one they carry (term, round,
   * unit, category, scope, status), otherwise a count over the measures.
   */
  async total(db: Executor, f: LedgerFilter): Promise<number> {
    const summaryOnly = !f.type && f.overdue === undefined && !f.ownerUserId && !f.q;
    return summaryOnly
      ? this.summaryTotal(db, { ...f, status: f.status as MeasureStatus | undefined })
      : this.count(db, f);
  }

  async count(db: Executor, f: LedgerFilter): Promise<number> {
    const join = f.q ? sql`JOIN problems p ON p.id = m.problem_id` : sql``;
    const r = await sql<{ n: number | string }>`
      SELECT count(*) AS n FROM measures m ${join} WHERE ${and(this.conditions(f))}`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * The number of measures from the summary counters, for filters they carry (term, round, round-unit,
   * unit, category, scope, status): exact, since every write keeps them, and a sum over thousands of
   * rows instead of a count over a million.
   */
  async summaryTotal(db: Executor, f: FigureFilter & { status?: MeasureStatus }): Promise<number> {
    const counted = f.status ? STATUS_COUNT_COLUMNS[f.status] : sql.ref('measure_count');
    // A whole term, round or category seen by someone who sees every unit: the per-round totals.
    if (!f.roundUnitId && !f.unitOrgId && !f.scope?.orgIds) {
      const r = await sql<{ n: number | string }>`
        SELECT coalesce(sum(t.${counted}), 0) AS n FROM ledger_round_totals t
        WHERE ${and(roundTotalConditions(f))}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    }
    const r = await sql<{ n: number | string }>`
      SELECT coalesce(sum(s.${counted}), 0) AS n FROM ledger_summaries s
      WHERE ${and(this.figureConditions(f, 's'))}`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  private figureConditions(f: FigureFilter, alias: string, withCategory = true): RawBuilder<boolean>[] {
    const a = sql.raw(alias);
    const c: RawBuilder<boolean>[] = [];
    if (f.termId) c.push(sql`${a}.term_id = ${f.termId}`);
    if (f.roundId) c.push(sql`${a}.round_id = ${f.roundId}`);
    if (f.roundUnitId) c.push(sql`${a}.round_unit_id = ${f.roundUnitId}`);
    if (f.unitOrgId) c.push(sql`${a}.unit_org_id = ${f.unitOrgId}`);
    if (f.categoryCode) c.push(sql`${a}.category_code = ${f.categoryCode}`);
    const scope = visibilitySql(f.scope ?? {}, sql`${a}.unit_org_id`, withCategory ? sql`${a}.category_code` : null);
    if (scope) c.push(scope);
    return c;
  }

  /**
   * The headline sums over the summary rows, for a scope that SummaryRepository.figures cannot express
   * (a supervising body limited to its line's categories at some units). Same columns, same rules.
   */
  async summaryFigures(db: Executor, f: FigureFilter) {
    const r = await sql<Record<string, number | string>>`
      SELECT count(DISTINCT s.unit_org_id) AS units,
        coalesce(sum(s.problem_count), 0) AS problems,
        coalesce(sum(s.rectified_problem_count), 0) AS rectified_problems,
        coalesce(sum(s.measure_count), 0) AS measures,
        coalesce(sum(s.done_count), 0) AS done_measures,
        coalesce(sum(s.closed_count), 0) AS closed_measures,
        coalesce(sum(s.rules_established), 0) AS rules_established,
        coalesce(sum(s.funds_returned_fen), 0) AS funds_returned_fen,
        coalesce(sum(s.losses_recovered_fen), 0) AS losses_recovered_fen,
        coalesce(sum(s.people_held_accountable), 0) AS people_held_accountable,
        coalesce(sum(s.cases_filed), 0) AS cases_filed
      FROM ledger_summaries s WHERE ${and(this.figureConditions(f, 's'))}`.execute(db);
    const x = r.rows[0]!;
    const fen = (v: number | string | undefined) => BigInt(String(v ?? 0).split('.')[0]!).toString();
    return {
      units: Number(x.units),
      problems: Number(x.problems),
      rectifiedProblems: Number(x.rectifiedProblems),
      measures: Number(x.measures),
      doneMeasures: Number(x.doneMeasures),
      closedMeasures: Number(x.closedMeasures),
      rulesEstablished: Number(x.rulesEstablished),
      fundsReturnedFen: fen(x.fundsReturnedFen),
      lossesRecoveredFen: fen(x.lossesRecoveredFen),
      peopleHeldAccountable: Number(x.peopleHeldAccountable),
      casesFiled: Number(x.casesFiled),
    };
  }

  /** Open measures past their effective deadline (index measures_overdue). */
  async overdueCount(db: Executor, f: FigureFilter, today: string): Promise<number> {
    const conds = [sql<boolean>`m.is_done = 0`, sql<boolean>`m.effective_deadline < ${today}`];
    const r = await sql<{ n: number | string }>`
      SELECT count(*) AS n FROM measures m WHERE ${and([...conds, ...this.figureConditions(f, 'm')])}`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * What the per-unit figures of a term or round are computed from, as one value: it changes with
   * every write to them (round_units.ledger_epoch, moved by triggers), and with a round-unit added or
   * removed (the count; ids are never reused, so their sum tells one swapped for another).
   */
  async unitFiguresEpoch(db: Executor, f: { termId?: number; roundId?: number }): Promise<string> {
    const conds = [sql<boolean>`1 = 1`];
    if (f.termId) conds.push(sql<boolean>`ru.term_id = ${f.termId}`);
    if (f.roundId) conds.push(sql<boolean>`ru.round_id = ${f.roundId}`);
    const r = await sql<{ n: number | string; ids: number | string; epochs: number | string }>`
      SELECT count(*) AS n, coalesce(sum(ru.id), 0) AS ids, coalesce(sum(ru.ledger_epoch), 0) AS epochs
      FROM round_units ru WHERE ${and(conds)}`.execute(db);
    const x = r.rows[0]!;
    return `${x.n}:${x.ids}:${x.epochs}`;
  }

  /** The units of the selected rounds in scope, with their names. */
  async roundUnitOrgs(db: Executor, f: FigureFilter) {
    const r = await sql<{ unitOrgId: number; unitName: string }>`
      SELECT DISTINCT ru.unit_org_id AS unit_org_id, o.name AS unit_name
      FROM round_units ru JOIN organisations o ON o.id = ru.unit_org_id
      WHERE ${and(this.figureConditions({ termId: f.termId, roundId: f.roundId, scope: f.scope }, 'ru', false))}
      ORDER BY ru.unit_org_id
      LIMIT 20000`.execute(db);
    return r.rows.map((x) => ({ unitOrgId: Number(x.unitOrgId), unitName: x.unitName }));
  }

  /** Summary counters per unit (the rows SummaryRepository keeps). */
  async summariesByUnit(db: Executor, f: FigureFilter) {
    const r = await sql<SummaryByUnitRow>`
      SELECT s.unit_org_id AS unit_org_id,
        coalesce(sum(s.problem_count), 0) AS problems,
        coalesce(sum(s.rectified_problem_count), 0) AS rectified_problems,
        coalesce(sum(s.measure_count), 0) AS measures,
        coalesce(sum(s.done_count), 0) AS done_measures,
        coalesce(sum(s.rules_established), 0) AS rules_established,
        coalesce(sum(s.funds_returned_fen), 0) AS funds_returned_fen,
        coalesce(sum(s.losses_recovered_fen), 0) AS losses_recovered_fen,
        coalesce(sum(s.people_held_accountable), 0) AS people_held_accountable,
        coalesce(sum(s.cases_filed), 0) AS cases_filed
      FROM ledger_summaries s
      WHERE ${and(this.figureConditions(f, 's'))}
      GROUP BY s.unit_org_id`.execute(db);
    return r.rows;
  }

  /**
   * Open measures per unit: overdue, due within the reminder window, and stalled (no progress since);
   * and the oldest last progress of those not yet stalled, from which the next one stalls.
   */
  async openByUnit(db: Executor, f: FigureFilter, today: string, soon: string, stalledBefore: number) {
    const r = await sql<{
      unitOrgId: number;
      overdue: number | string;
      dueSoon: number | string;
      stalled: number | string;
      oldestActive: number | string | null;
    }>`
      SELECT m.unit_org_id AS unit_org_id,
        sum(CASE WHEN m.effective_deadline < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN m.effective_deadline >= ${today} AND m.effective_deadline <= ${soon} THEN 1 ELSE 0 END) AS due_soon,
        sum(CASE WHEN coalesce(m.last_progress_at, m.created_at) < ${stalledBefore} THEN 1 ELSE 0 END) AS stalled,
        min(CASE WHEN coalesce(m.last_progress_at, m.created_at) >= ${stalledBefore}
          THEN coalesce(m.last_progress_at, m.created_at) END) AS oldest_active
      FROM measures m
      WHERE ${and([sql<boolean>`m.is_done = 0`, ...this.figureConditions(f, 'm')])}
      GROUP BY m.unit_org_id`.execute(db);
    return r.rows;
  }

  /** A campaign's own figures (一盘棋), straight from its problems and their measures. */
  async campaignFigures(db: Executor, campaignId: number, readScope: ReadScope, today: string) {
    const scope = visibilitySql(readScope, sql`p.unit_org_id`, sql`p.category_code`) ?? TRUE;
    const problems = await sql<{
      units: number | string;
      problems: number | string;
      rectified: number | string | null;
      measures: number | string | null;
      done: number | string | null;
    }>`
      SELECT count(DISTINCT p.unit_org_id) AS units, count(*) AS problems,
        sum(CASE WHEN p.measure_count > 0 AND p.done_count = p.measure_count THEN 1 ELSE 0 END) AS rectified,
        sum(p.measure_count) AS measures, sum(p.done_count) AS done
      FROM problems p WHERE p.campaign_id = ${campaignId} AND ${scope}`.execute(db);
    const measures = await sql<{
      rules: number | string | null;
      funds: number | string | null;
      losses: number | string | null;
      people: number | string | null;
      cases: number | string | null;
      overdue: number | string | null;
      closed: number | string | null;
    }>`
      SELECT sum(m.rules_established) AS rules, sum(m.funds_returned_fen) AS funds,
        sum(m.losses_recovered_fen) AS losses, sum(m.people_held_accountable) AS people,
        sum(m.cases_filed) AS cases,
        sum(CASE WHEN m.is_done = 0 AND m.effective_deadline < ${today} THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END) AS closed
      FROM measures m JOIN problems p ON p.id = m.problem_id
      WHERE p.campaign_id = ${campaignId} AND ${scope}`.execute(db);
    return { ...problems.rows[0]!, ...measures.rows[0]! };
  }
}

/** A ledger row as the SQL returns it (camel-cased by the plugin). */
export interface LedgerSqlRow {
  id: number;
  problemId: number;
  roundUnitId: number;
  roundId: number;
  termId: number;
  unitOrgId: number;
  categoryCode: string;
  seq: number;
  content: string;
  type: string;
  status: string;
  isDone: number;
  deadline: string;
  extendedDeadline: string | null;
  effectiveDeadline: string;
  ownerName: string | null;
  ownerUserId: number | null;
  completedOn: string | null;
  rulesEstablished: number;
  fundsReturnedFen: number | string;
  lossesRecoveredFen: number | string;
  peopleHeldAccountable: number;
  casesFiled: number;
  lastProgressAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  problemNumber: string;
  problemSeq: number;
  problemDescription: string;
  severity: string;
  source: string;
  campaignId: number | null;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  unitName: string;
  roundName: string;
  /** [[name, duty], …]: JSON text on SQLite, parsed on PostgreSQL; null when there are none (PostgreSQL). */
  responsibles: string | [string, string][] | null;
}

export interface SummaryByUnitRow {
  unitOrgId: number;
  problems: number | string;
  rectifiedProblems: number | string;
  measures: number | string;
  doneMeasures: number | string;
  rulesEstablished: number | string;
  fundsReturnedFen: number | string;
  lossesRecoveredFen: number | string;
  peopleHeldAccountable: number | string;
  casesFiled: number | string;
}
