import {
  type Compilable,
  type Kysely,
  type OperationNodeSource,
  PostgresAdapter,
  type RawBuilder,
  sql,
  type Transaction,
} from 'kysely';
import { isDone, MEASURE_STATUSES, type MeasureStatus } from '../../../../domain/rectification.js';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** A measure's UPDATE … RETURNING *, not yet run: run alone, or as the first WITH of the counters' move. */
export type MeasureUpdate<R> = Compilable<R> & OperationNodeSource & { executeTakeFirst(): Promise<R | undefined> };
/**
 * The dashboard's counters (数着改), one row per round-unit and problem category, rebuilt for the
 * round-units a write touched inside that write's transaction. A round-unit holds a few hundred
 * measures at most, so the rebuild is one indexed aggregate; the figures of a whole term are then
 * sums over a few thousand summary rows instead of a scan of a million measures (SPEC §4).
 */
export class SummaryRepository {
  /**
   * Rebuilds the counters of the given round-units (all of them when `roundUnitIds` is null). The
   * caller holds the round-units' locks; the per-round totals move by the difference between the old
   * and the new summary rows, so that writers of other round-units of the same round, each under its
   * own lock, add up instead of rebuilding the round's totals over one another (on PostgreSQL two
   * such rebuilds collided on the totals' key, or one missed the other's rows).
   */
  async recount(db: Executor, roundUnitIds: readonly number[] | null): Promise<void> {
    if (roundUnitIds && roundUnitIds.length === 0) return;
    const ids = roundUnitIds ? [...new Set(roundUnitIds.map(Number))] : null;
    for (const chunk of ids ? chunks(ids, 500) : [null]) {
      const inProblems = chunk ? sql`WHERE p.round_unit_id IN (${sql.join(chunk)})` : sql``;
      const inMeasures = chunk ? sql`WHERE m.round_unit_id IN (${sql.join(chunk)})` : sql``;
      const inSelf = chunk ? sql`WHERE round_unit_id IN (${sql.join(chunk)})` : sql``;
      // Per-problem counts first: the ledger shows them, and "rectified" is derived from them. One
      // subquery on problem_id only, so the planner takes measures_problem even without statistics.
      // Only the problems whose counts differ are written: a write touches one or two problems, and
      // rewriting all of the round-unit's made every write slower as the ledger grew (a new row
      // version per problem on PostgreSQL, all under the round-unit's lock).
      const counts = sql`(SELECT count(*), coalesce(sum(m.is_done), 0) FROM measures m WHERE m.problem_id = problems.id)`;
      await sql`
        UPDATE problems SET (measure_count, done_count) = ${counts}
        WHERE ${chunk ? sql`round_unit_id IN (${sql.join(chunk)}) AND ` : sql``}(measure_count, done_count) <> ${counts}`.execute(
        db,
      );
      const counted = sql`
        SELECT ${sql.join(SUMMARY_KEY_COLUMNS.map((c) => sql`p.${c}`))},
          ${sql.join(FIGURES.map((f, i) => sql`${FIGURE_EXPRESSIONS[f]} AS ${FIGURE_COLUMNS[i]}`))}
        FROM problems p
        LEFT JOIN (
          SELECT m.problem_id,
            ${sql.join(MEASURE_STATUSES.map((st) => sql`sum(CASE WHEN m.status = ${sql.lit(st)} THEN 1 ELSE 0 END) AS ${sql.ref(st)}`))},
            sum(m.rules_established) AS rules,
            sum(m.funds_returned_fen) AS funds,
            sum(m.losses_recovered_fen) AS losses,
            sum(m.people_held_accountable) AS people,
            sum(m.cases_filed) AS cases
          FROM measures m ${inMeasures}
          GROUP BY m.problem_id
        ) ma ON ma.problem_id = p.id
        ${inProblems}
        GROUP BY p.round_unit_id, p.category_code, p.round_id, p.term_id, p.unit_org_id`;
      if (!chunk) {
        await sql`DELETE FROM ledger_summaries`.execute(db);
        await sql`INSERT INTO ledger_summaries (${sql.join(SUMMARY_KEY_COLUMNS)}, ${sql.join(FIGURE_COLUMNS)}) ${counted}`.execute(
          db,
        );
      } else {
        // Rows are written in place, and only where a figure moved: a delete and insert per write left
        // a dead row version and index entry each time, which every later write of the round-unit had
        // to step over (PostgreSQL without autovacuum kept them all: writes slowed as they went on).
        const old = await sql<SummaryRow>`
          SELECT ${sql.join(SUMMARY_KEY_COLUMNS)}, ${sql.join(FIGURE_COLUMNS)} FROM ledger_summaries ${inSelf}`.execute(
          db,
        );
        const now = await sql<SummaryRow>`${counted}`.execute(db);
        await this.writeSummaryChanges(db, old.rows, now.rows);
        await this.addToRoundTotals(db, old.rows, now.rows);
      }
      // The dashboard counts units by this flag; written only where it changes.
      await sql`
        UPDATE round_units SET has_problems = 1 - has_problems
        WHERE ${chunk ? sql`id IN (${sql.join(chunk)}) AND ` : sql``}has_problems <>
          CASE WHEN EXISTS (SELECT 1 FROM ledger_summaries s WHERE s.round_unit_id = round_units.id) THEN 1 ELSE 0 END`.execute(
        db,
      );
    }
    if (!ids) await this.retotalAll(db);
  }

  /**
   * Writes the rebuilt summary rows over the old ones: changed and new rows in one upsert (in key
   * order, as every writer), vanished ones deleted, unchanged ones left alone.
   */
  private async writeSummaryChanges(db: Executor, old: SummaryRow[], now: SummaryRow[]): Promise<void> {
    const key = (r: SummaryRow) => `${Number(r.roundUnitId)}\u0000${r.categoryCode}`;
    const before = new Map(old.map((r) => [key(r), r]));
    const same = (a: SummaryRow, b: SummaryRow) =>
      SUMMARY_KEYS.every((k) => String(a[k]) === String(b[k])) && FIGURES.every((f) => figure(a[f]) === figure(b[f]));
    const changed = now
      .filter((r) => {
        const o = before.get(key(r));
        return !o || !same(o, r);
      })
      .sort((a, b) => Number(a.roundUnitId) - Number(b.roundUnitId) || (a.categoryCode < b.categoryCode ? -1 : 1));
    const kept = new Set(now.map(key));
    const gone = old.filter((r) => !kept.has(key(r)));
    if (gone.length)
      await sql`
        DELETE FROM ledger_summaries
        WHERE ${sql.join(
          gone.map((r) => sql`(round_unit_id = ${Number(r.roundUnitId)} AND category_code = ${r.categoryCode})`),
          sql` OR `,
        )}`.execute(db);
    if (!changed.length) return;
    const value = (v: unknown) => {
      const n = figure(v);
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    };
    await sql`
      INSERT INTO ledger_summaries (${sql.join(SUMMARY_KEY_COLUMNS)}, ${sql.join(FIGURE_COLUMNS)})
      VALUES ${sql.join(
        changed.map(
          (r) =>
            sql`(${Number(r.roundUnitId)}, ${r.categoryCode}, ${Number(r.roundId)}, ${Number(r.termId)}, ${Number(
              r.unitOrgId,
            )}, ${sql.join(FIGURES.map((f) => value(r[f])))})`,
        ),
      )}
      ON CONFLICT (round_unit_id, category_code) DO UPDATE SET
        ${sql.join([...SUMMARY_KEY_COLUMNS.slice(2), ...FIGURE_COLUMNS].map((c) => sql`${c} = excluded.${c}`))}`.execute(
      db,
    );
  }

  /**
   * Adds (new − old) summary rows to ledger_round_totals: one upsert, its rows in key order so that
   * two writers lock the totals rows they share in the same order.
   */
  private async addToRoundTotals(db: Executor, old: SummaryFigures[], now: SummaryFigures[]): Promise<void> {
    const delta = new Map<string, { roundId: number; categoryCode: string; termId: number; v: bigint[] }>();
    const add = (rows: SummaryFigures[], sign: bigint) => {
      for (const r of rows) {
        const key = `${Number(r.roundId)}\u0000${r.categoryCode}`;
        let d = delta.get(key);
        if (!d) {
          d = {
            roundId: Number(r.roundId),
            categoryCode: r.categoryCode,
            termId: Number(r.termId),
            v: FIGURES.map(() => 0n),
          };
          delta.set(key, d);
        }
        FIGURES.forEach((f, i) => {
          d!.v[i]! += sign * BigInt(figure(r[f]));
        });
      }
    };
    add(old, -1n);
    add(now, 1n);
    const rows = [...delta.values()]
      .filter((d) => d.v.some((x) => x !== 0n))
      .sort(
        (a, b) =>
          a.roundId - b.roundId || (a.categoryCode < b.categoryCode ? -1 : a.categoryCode > b.categoryCode ? 1 : 0),
      );
    if (!rows.length) return;
    await sql`
      INSERT INTO ledger_round_totals (round_id, category_code, term_id, ${sql.join(FIGURE_COLUMNS)})
      VALUES ${sql.join(rows.map((d) => sql`(${d.roundId}, ${d.categoryCode}, ${d.termId}, ${sql.join(d.v.map(String))})`))}
      ON CONFLICT (round_id, category_code) DO UPDATE SET
        ${sql.join(FIGURE_COLUMNS.map((c) => sql`${c} = ledger_round_totals.${c} + excluded.${c}`))}`.execute(db);
  }

  /** Rebuilds ledger_round_totals from every summary row (a full recount). */
  private async retotalAll(db: Executor): Promise<void> {
    await sql`DELETE FROM ledger_round_totals`.execute(db);
    await sql`
      INSERT INTO ledger_round_totals (round_id, category_code, term_id, ${sql.join(FIGURE_COLUMNS)})
      SELECT round_id, category_code, min(term_id), ${sql.join(FIGURE_COLUMNS.map((c) => sql`sum(${c})`))}
      FROM ledger_summaries
      GROUP BY round_id, category_code`.execute(db);
  }

  /**
   * A measure's status update and the counters' move, together (the status change: SPEC §4's most
   * frequent write, ≥ 1,000 a second). `update` is the measure's UPDATE … RETURNING *, guarded by
   * its version; nothing else about the measure changes. The status counts, and when it became done
   * (整改完成) or not done again its problem's done count, move by one in the one summary row and the
   * round's totals instead of a rebuild of the round-unit. Falls back to the rebuild when the problem
   * or the summary row is missing, so the counters always equal a recount. Answers the updated row,
   * or undefined when the version was not current, and then nothing moved.
   */
  async measureUpdatedWithStatusMove<R extends object>(
    db: Executor,
    update: MeasureUpdate<R>,
    m: { problemId: number; roundUnitId: number; roundId: number; categoryCode: string },
    from: MeasureStatus,
    to: MeasureStatus,
  ): Promise<R | undefined> {
    const delta = Number(isDone(to)) - Number(isDone(from));
    if (from !== to && db.getExecutor().adapter instanceof PostgresAdapter)
      return this.statusMoveInOne(db, update, m, from, to, delta);
    const row = await update.executeTakeFirst();
    if (!row || from === to) return row;
    let moved = 0;
    if (delta !== 0) {
      const { rows } = await sql<{ measureCount: number; doneCount: number }>`
        UPDATE problems SET done_count = done_count + ${delta} WHERE id = ${m.problemId}
        RETURNING measure_count, done_count`.execute(db);
      const p = rows[0];
      if (!p) return this.recount(db, [m.roundUnitId]).then(() => row);
      const total = Number(p.measureCount);
      const after = Number(p.doneCount);
      const rectified = (done: number) => (total > 0 && done === total ? 1 : 0);
      moved = rectified(after) - rectified(after - delta);
    }
    const set = statusMoveSet(from, to, delta, sql`${moved}`);
    const r = await sql`
      UPDATE ledger_summaries SET ${set}
      WHERE round_unit_id = ${m.roundUnitId} AND category_code = ${m.categoryCode}`.execute(db);
    if (!Number(r.numAffectedRows ?? 0)) return this.recount(db, [m.roundUnitId]).then(() => row);
    await sql`
      UPDATE ledger_round_totals SET ${set}
      WHERE round_id = ${m.roundId} AND category_code = ${m.categoryCode}`.execute(db);
    return row;
  }

  /**
   * measureUpdatedWithStatusMove on PostgreSQL: the measure, the problem, its summary row and the
   * round's totals in one statement of data-modifying WITHs — one round trip instead of four, in the
   * write every other writer of the round's totals row waits for. The counters move only when the
   * measure's UPDATE matched (its version current). "Rectified" moves as above, computed from the
   * problem's counts that its UPDATE answers; a missing problem or summary row falls back to the
   * rebuild, as above.
   */
  private async statusMoveInOne<R extends object>(
    db: Executor,
    update: MeasureUpdate<R>,
    m: { problemId: number; roundUnitId: number; roundId: number; categoryCode: string },
    from: MeasureStatus,
    to: MeasureStatus,
    delta: number,
  ): Promise<R | undefined> {
    const rectified = (done: RawBuilder<unknown>) =>
      sql`CASE WHEN p.measure_count > 0 AND ${done} = p.measure_count THEN 1 ELSE 0 END`;
    const set = statusMoveSet(from, to, delta, sql`(SELECT moved FROM mv)`);
    const { rows } = await sql<R & { movedProblems: string; movedSummaries: string }>`
      WITH u AS (${update}), p AS (
        UPDATE problems SET done_count = done_count + ${delta}
        WHERE id = ${m.problemId} AND ${delta}::int <> 0 AND EXISTS (SELECT 1 FROM u)
        RETURNING measure_count, done_count
      ), mv AS (
        SELECT coalesce((SELECT ${rectified(sql`p.done_count`)} - ${rectified(sql`p.done_count - ${delta}`)} FROM p), 0) AS moved
      ), s AS (
        UPDATE ledger_summaries SET ${set}
        WHERE round_unit_id = ${m.roundUnitId} AND category_code = ${m.categoryCode}
          AND EXISTS (SELECT 1 FROM u) AND (${delta}::int = 0 OR EXISTS (SELECT 1 FROM p))
        RETURNING 1
      ), t AS (
        UPDATE ledger_round_totals SET ${set}
        WHERE round_id = ${m.roundId} AND category_code = ${m.categoryCode} AND EXISTS (SELECT 1 FROM s)
        RETURNING 1
      )
      SELECT u.*, (SELECT count(*) FROM p) AS moved_problems, (SELECT count(*) FROM s) AS moved_summaries
      FROM u`.execute(db);
    const r = rows[0];
    if (!r) return undefined;
    const { movedProblems, movedSummaries, ...row } = r;
    if ((delta !== 0 && !Number(movedProblems)) || !Number(movedSummaries)) await this.recount(db, [m.roundUnitId]);
    return row as unknown as R;
  }

  /** Headline figures (SPEC §1) over the summary rows that match; money stays exact (分, as strings). */
  async figures(
    db: Executor,
    f: { termId?: number; roundId?: number; unitOrgId?: number; categoryCode?: string; orgIds?: ReadonlySet<number> },
  ) {
    if (!f.unitOrgId && !f.orgIds) return this.roundFigures(db, f);
    let q = db
      .selectFrom('ledgerSummaries')
      .select([
        sql<string>`count(DISTINCT unit_org_id)`.as('units'),
        sql<string>`coalesce(sum(problem_count), 0)`.as('problems'),
        sql<string>`coalesce(sum(rectified_problem_count), 0)`.as('rectifiedProblems'),
        sql<string>`coalesce(sum(measure_count), 0)`.as('measures'),
        sql<string>`coalesce(sum(done_count), 0)`.as('doneMeasures'),
        sql<string>`coalesce(sum(closed_count), 0)`.as('closedMeasures'),
        sql<string>`coalesce(sum(rules_established), 0)`.as('rulesEstablished'),
        sql<string>`coalesce(sum(funds_returned_fen), 0)`.as('fundsReturnedFen'),
        sql<string>`coalesce(sum(losses_recovered_fen), 0)`.as('lossesRecoveredFen'),
        sql<string>`coalesce(sum(people_held_accountable), 0)`.as('peopleHeldAccountable'),
        sql<string>`coalesce(sum(cases_filed), 0)`.as('casesFiled'),
      ]);
    if (f.termId) q = q.where('termId', '=', f.termId);
    if (f.roundId) q = q.where('roundId', '=', f.roundId);
    if (f.unitOrgId) q = q.where('unitOrgId', '=', f.unitOrgId);
    if (f.categoryCode) q = q.where('categoryCode', '=', f.categoryCode);
    if (f.orgIds) q = f.orgIds.size ? q.where('unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    return toFigures(await q.executeTakeFirstOrThrow());
  }

  /**
   * The same figures for every unit of a term, a round or all (the office's and leaders' view), from
   * the per-round totals: a sum over about a hundred rows instead of every round-unit's. Units are
   * those with a summary row: by the round-units' has_problems flag, or for one category by probing
   * the round-units' summary rows of that category.
   */
  private async roundFigures(db: Executor, f: { termId?: number; roundId?: number; categoryCode?: string }) {
    const conds = roundTotalConditions(f);
    const rounds = [sql<boolean>`1 = 1`];
    if (f.termId) rounds.push(sql<boolean>`ru.term_id = ${f.termId}`);
    if (f.roundId) rounds.push(sql<boolean>`ru.round_id = ${f.roundId}`);
    rounds.push(
      f.categoryCode
        ? sql<boolean>`EXISTS (SELECT 1 FROM ledger_summaries s WHERE s.round_unit_id = ru.id AND s.category_code = ${f.categoryCode})`
        : sql<boolean>`ru.has_problems = 1`,
    );
    const r = await sql<FigureRow>`
      SELECT
        (SELECT count(DISTINCT ru.unit_org_id) FROM round_units ru
          WHERE ${sql.join(rounds, sql` AND `)}) AS units,
        coalesce(sum(t.problem_count), 0) AS problems,
        coalesce(sum(t.rectified_problem_count), 0) AS rectified_problems,
        coalesce(sum(t.measure_count), 0) AS measures,
        coalesce(sum(t.done_count), 0) AS done_measures,
        coalesce(sum(t.closed_count), 0) AS closed_measures,
        coalesce(sum(t.rules_established), 0) AS rules_established,
        coalesce(sum(t.funds_returned_fen), 0) AS funds_returned_fen,
        coalesce(sum(t.losses_recovered_fen), 0) AS losses_recovered_fen,
        coalesce(sum(t.people_held_accountable), 0) AS people_held_accountable,
        coalesce(sum(t.cases_filed), 0) AS cases_filed
      FROM ledger_round_totals t WHERE ${sql.join(conds, sql` AND `)}`.execute(db);
    return toFigures(r.rows[0]!);
  }
}

/** The SET of a summary or totals row when one measure moves from one status to another. */
function statusMoveSet(from: MeasureStatus, to: MeasureStatus, delta: number, moved: RawBuilder<unknown>) {
  const fromColumn = STATUS_COUNT_COLUMNS[from];
  const toColumn = STATUS_COUNT_COLUMNS[to];
  return sql`${fromColumn} = ${fromColumn} - 1, ${toColumn} = ${toColumn} + 1,
    done_count = done_count + ${delta}, rectified_problem_count = rectified_problem_count + ${moved}`;
}

type FigureRow = Record<
  | 'units'
  | 'problems'
  | 'rectifiedProblems'
  | 'measures'
  | 'doneMeasures'
  | 'closedMeasures'
  | 'rulesEstablished'
  | 'fundsReturnedFen'
  | 'lossesRecoveredFen'
  | 'peopleHeldAccountable'
  | 'casesFiled',
  number | string
>;

function toFigures(r: FigureRow) {
  return {
    units: Number(r.units),
    problems: Number(r.problems),
    rectifiedProblems: Number(r.rectifiedProblems),
    measures: Number(r.measures),
    doneMeasures: Number(r.doneMeasures),
    closedMeasures: Number(r.closedMeasures),
    rulesEstablished: Number(r.rulesEstablished),
    fundsReturnedFen: figure(r.fundsReturnedFen),
    lossesRecoveredFen: figure(r.lossesRecoveredFen),
    peopleHeldAccountable: Number(r.peopleHeldAccountable),
    casesFiled: Number(r.casesFiled),
  };
}

/** The filter of ledger_round_totals rows (alias t) for a term, round and category; never empty. */
export function roundTotalConditions(f: { termId?: number; roundId?: number; categoryCode?: string }) {
  const conds = [sql<boolean>`1 = 1`];
  if (f.termId) conds.push(sql<boolean>`t.term_id = ${f.termId}`);
  if (f.roundId) conds.push(sql<boolean>`t.round_id = ${f.roundId}`);
  if (f.categoryCode) conds.push(sql<boolean>`t.category_code = ${f.categoryCode}`);
  return conds;
}

/** The summary column that counts the measures in each status (已销号 is closed_count). */
export const STATUS_COUNT_COLUMNS: Record<MeasureStatus, ReturnType<typeof sql.ref>> = {
  not_started: sql.ref('not_started_count'),
  in_progress: sql.ref('in_progress_count'),
  completed: sql.ref('completed_count'),
  closure_requested: sql.ref('closure_requested_count'),
  closed: sql.ref('closed_count'),
};

/** A measure's outcomes (整改成效), summed as they are into the summaries. */
export const OUTCOME_FIELDS = [
  'rulesEstablished',
  'fundsReturnedFen',
  'lossesRecoveredFen',
  'peopleHeldAccountable',
  'casesFiled',
] as const;

/** The additive figures of a summary row, as Kysely's camel-case names and as columns. */
const FIGURES = [
  'problemCount',
  'rectifiedProblemCount',
  'measureCount',
  'doneCount',
  'closedCount',
  'notStartedCount',
  'inProgressCount',
  'completedCount',
  'closureRequestedCount',
  ...OUTCOME_FIELDS,
] as const;
/** The column of a Kysely camel-case name (what the CamelCasePlugin does, for raw SQL). */
const column = (name: string) => sql.ref(name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const FIGURE_COLUMNS = FIGURES.map(column);

type SummaryFigures = { roundId: number | string; categoryCode: string; termId: number | string } & Record<
  (typeof FIGURES)[number],
  number | string
>;

/** A summary row's key and the columns that follow from its round-unit, in the table's order. */
const SUMMARY_KEYS = ['roundUnitId', 'categoryCode', 'roundId', 'termId', 'unitOrgId'] as const;
const SUMMARY_KEY_COLUMNS = SUMMARY_KEYS.map(column);
type SummaryRow = SummaryFigures & { roundUnitId: number | string; unitOrgId: number | string };
/** Each figure of a round-unit's summary row, counted from its problems (p) and their measures (ma). */
const FIGURE_EXPRESSIONS: Record<(typeof FIGURES)[number], RawBuilder<unknown>> = {
  problemCount: sql`count(*)`,
  rectifiedProblemCount: sql`sum(CASE WHEN p.measure_count > 0 AND p.done_count = p.measure_count THEN 1 ELSE 0 END)`,
  measureCount: sql`sum(p.measure_count)`,
  doneCount: sql`sum(p.done_count)`,
  closedCount: sql`coalesce(sum(ma.closed), 0)`,
  notStartedCount: sql`coalesce(sum(ma.not_started), 0)`,
  inProgressCount: sql`coalesce(sum(ma.in_progress), 0)`,
  completedCount: sql`coalesce(sum(ma.completed), 0)`,
  closureRequestedCount: sql`coalesce(sum(ma.closure_requested), 0)`,
  rulesEstablished: sql`coalesce(sum(ma.rules), 0)`,
  fundsReturnedFen: sql`coalesce(sum(ma.funds), 0)`,
  lossesRecoveredFen: sql`coalesce(sum(ma.losses), 0)`,
  peopleHeldAccountable: sql`coalesce(sum(ma.people), 0)`,
  casesFiled: sql`coalesce(sum(ma.cases), 0)`,
};
/** A counted figure as an exact integer string (PostgreSQL sums come back as numeric text). */
function figure(v: unknown): string {
  return BigInt(String(v).split('.')[0]!).toString();
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
