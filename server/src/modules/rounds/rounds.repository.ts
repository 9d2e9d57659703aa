import { type Generated, type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import { escapeLike } from '../organisations/organisations.repository.js';

/** Table of migration 2026-11-27T0010-rounds-status-history. */
export interface RoundUnitEventTable {
  id: Generated<number>;
  roundUnitId: number;
  fromStatus: string | null;
  toStatus: string;
  cycle: number;
  deadline: string | null;
  reason: string | null;
  actorId: number | null;
  actorName: string | null;
  at: number;
}

declare module '../../db/types.js' {
  interface DB {
    roundUnitEvents: RoundUnitEventTable;
  }
}

/** A transaction is a Kysely too: every method runs inside or outside one. */
type Executor = Kysely<DB>;
/** Organisations whose records the caller may see; undefined = all. */
type OrgIds = ReadonlySet<number> | undefined;

/** A new row: every column but the id and what the database keeps itself (has_problems: the ledger's summaries). */
type Insertable<T> = { [K in keyof T as K extends 'id' | 'hasProblems' | 'ledgerEpoch' ? never : K]: T[K] };

/** Did the database refuse a duplicate (a race past the service's own check)? */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string } | null;
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const TERM_COLUMNS = ['id', 'number', 'name', 'startDate', 'endDate', 'version', 'createdAt', 'updatedAt'] as const;

const ROUND_COLUMNS = [
  'r.id',
  'r.termId',
  't.number as termNumber',
  't.name as termName',
  'r.number',
  'r.name',
  'r.type',
  'r.onSiteStart',
  'r.onSiteEnd',
  'r.notes',
  'r.version',
  'r.createdAt',
  'r.updatedAt',
] as const;

const ROUND_UNIT_COLUMNS = [
  'ru.id',
  'ru.roundId',
  'r.number as roundNumber',
  'r.name as roundName',
  'r.type as roundType',
  'ru.termId',
  'ru.unitOrgId',
  'o.name as unitName',
  'ru.teamId',
  'tm.name as teamName',
  'ru.status',
  'ru.cycle',
  'ru.feedbackDate',
  'ru.deadline',
  'ru.deadlineOverridden',
  'ru.version',
  'ru.createdAt',
  'ru.updatedAt',
] as const;

export interface RoundUnitFilter {
  q?: string;
  termId?: number;
  roundId?: number;
  unitOrgId?: number;
  status?: string;
  orgIds: OrgIds;
}

export class RoundRepository {
  // ── 届 ──────────────────────────────────────────────────────────────────────────────────────
  async terms(db: Executor) {
    return db.selectFrom('terms').select(TERM_COLUMNS).orderBy('number').orderBy('id').limit(1000).execute();
  }

  async termById(db: Executor, id: number) {
    return db.selectFrom('terms').select(TERM_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async termByNumber(db: Executor, number: number) {
    return db.selectFrom('terms').select(['id']).where('number', '=', number).executeTakeFirst();
  }

  async insertTerm(db: Executor, row: Insertable<DB['terms']>) {
    const r = await db.insertInto('terms').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateTerm(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('terms')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── 轮 ──────────────────────────────────────────────────────────────────────────────────────
  private roundsQuery(db: Executor) {
    return db.selectFrom('rounds as r').innerJoin('terms as t', 't.id', 'r.termId').select(ROUND_COLUMNS);
  }

  /** Rounds, newest term and round first; with `orgIds`, only rounds that hold one of those units. */
  async rounds(db: Executor, f: { termId?: number; type?: string; q?: string; orgIds: OrgIds }) {
    let q = this.roundsQuery(db);
    if (f.termId) q = q.where('r.termId', '=', f.termId);
    if (f.type) q = q.where('r.type', '=', f.type);
    if (f.q) q = q.where(sql<boolean>`r.name like ${`%${escapeLike(f.q)}%`} escape '\\'`);
    if (f.orgIds) {
      const ids = [...f.orgIds];
      if (!ids.length) return [];
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('roundUnits as ru')
            .select('ru.id')
            .whereRef('ru.roundId', '=', 'r.id')
            .where('ru.unitOrgId', 'in', ids),
        ),
      );
    }
    return q.orderBy('t.number', 'desc').orderBy('r.number', 'desc').orderBy('r.id').limit(1000).execute();
  }

  async roundById(db: Executor, id: number) {
    return this.roundsQuery(db).where('r.id', '=', id).executeTakeFirst();
  }

  async roundByTermNumber(db: Executor, termId: number, number: number) {
    return db
      .selectFrom('rounds')
      .select(['id'])
      .where('termId', '=', termId)
      .where('number', '=', number)
      .executeTakeFirst();
  }

  /** Does the round hold a unit in scope? (a round without one is invisible to a scoped caller) */
  async roundHasUnitIn(db: Executor, roundId: number, orgIds: ReadonlySet<number>) {
    if (!orgIds.size) return false;
    const r = await db
      .selectFrom('roundUnits')
      .select('id')
      .where('roundId', '=', roundId)
      .where('unitOrgId', 'in', [...orgIds])
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }

  /** Round-units per round and status, counted within scope. */
  async unitCounts(db: Executor, roundIds: number[], orgIds: OrgIds) {
    if (!roundIds.length) return [];
    let q = db
      .selectFrom('roundUnits')
      .select(['roundId', 'status', sql<number>`count(*)`.as('n')])
      .where('roundId', 'in', roundIds);
    if (orgIds) {
      if (!orgIds.size) return [];
      q = q.where('unitOrgId', 'in', [...orgIds]);
    }
    return q.groupBy(['roundId', 'status']).execute();
  }

  async insertRound(db: Executor, row: Insertable<DB['rounds']>) {
    const r = await db.insertInto('rounds').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateRound(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('rounds')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── 巡察组 and members ───────────────────────────────────────────────────────────────────────
  private teamsQuery(db: Executor) {
    return db
      .selectFrom('inspectionTeams')
      .select(['id', 'roundId', 'name', 'notes', 'version', 'createdAt', 'updatedAt']);
  }

  /** Teams of a round; with `orgIds`, only the teams assigned to one of those units. */
  async teams(db: Executor, roundId: number, orgIds: OrgIds) {
    let q = this.teamsQuery(db).where('roundId', '=', roundId);
    if (orgIds) {
      const ids = [...orgIds];
      if (!ids.length) return [];
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('roundUnits')
          .select('teamId')
          .where('roundId', '=', roundId)
          .where('unitOrgId', 'in', ids)
          .where('teamId', 'is not', null)
          .$narrowType<{ teamId: number }>(),
      );
    }
    return q.orderBy('id').limit(1000).execute();
  }

  async teamById(db: Executor, id: number) {
    return this.teamsQuery(db).where('id', '=', id).executeTakeFirst();
  }

  async teamByName(db: Executor, roundId: number, name: string) {
    return db
      .selectFrom('inspectionTeams')
      .select('id')
      .where('roundId', '=', roundId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insertTeam(db: Executor, row: Insertable<DB['inspectionTeams']>) {
    const r = await db.insertInto('inspectionTeams').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateTeam(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('inspectionTeams')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private membersQuery(db: Executor) {
    return db
      .selectFrom('teamMembers as m')
      .leftJoin('organisations as o', 'o.id', 'm.sourceOrgId')
      .select([
        'm.id',
        'm.teamId',
        'm.name',
        'm.post',
        'm.memberRole',
        'm.sourceOrgId',
        'o.name as sourceOrgName',
        'm.userId',
        'm.createdAt',
      ]);
  }

  async members(db: Executor, teamIds: number[]) {
    if (!teamIds.length) return [];
    return this.membersQuery(db).where('m.teamId', 'in', teamIds).orderBy('m.teamId').orderBy('m.id').execute();
  }

  async memberById(db: Executor, id: number) {
    return this.membersQuery(db).where('m.id', '=', id).executeTakeFirst();
  }

  async insertMember(db: Executor, row: Insertable<DB['teamMembers']>) {
    const r = await db.insertInto('teamMembers').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async deleteMember(db: Executor, id: number) {
    await db.deleteFrom('teamMembers').where('id', '=', id).execute();
  }

  // ── organisations, users, liaison links (read only) ─────────────────────────────────────────
  async orgById(db: Executor, id: number) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'type', 'supervisorLine', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async userExists(db: Executor, id: number) {
    return !!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst());
  }

  async isLiaised(db: Executor, unitOrgId: number, supervisorOrgId: number) {
    const r = await db
      .selectFrom('liaisonLinks')
      .select('id')
      .where('unitOrgId', '=', unitOrgId)
      .where('supervisorOrgId', '=', supervisorOrgId)
      .executeTakeFirst();
    return !!r;
  }

  /** The supervising bodies linked to a unit, with their line (联系关系). */
  async liaisonSupervisors(db: Executor, unitOrgId: number) {
    return db
      .selectFrom('liaisonLinks as l')
      .innerJoin('organisations as s', 's.id', 'l.supervisorOrgId')
      .select(['s.id', 's.name', 's.supervisorLine'])
      .where('l.unitOrgId', '=', unitOrgId)
      .where('s.active', '=', 1)
      .orderBy('s.sort')
      .orderBy('s.id')
      .execute();
  }

  // ── round-units ─────────────────────────────────────────────────────────────────────────────
  private roundUnitsQuery(db: Executor) {
    return db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .innerJoin('organisations as o', 'o.id', 'ru.unitOrgId')
      .leftJoin('inspectionTeams as tm', 'tm.id', 'ru.teamId');
  }

  private filteredRoundUnits(db: Executor, f: RoundUnitFilter) {
    let q = this.roundUnitsQuery(db);
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`o.name`, 'like', sql`${like} escape '\\'`),
          eb(sql`o.short_name`, 'like', sql`${like} escape '\\'`),
        ]),
      );
    }
    if (f.termId) q = q.where('ru.termId', '=', f.termId);
    if (f.roundId) q = q.where('ru.roundId', '=', f.roundId);
    if (f.unitOrgId) q = q.where('ru.unitOrgId', '=', f.unitOrgId);
    if (f.status) q = q.where('ru.status', '=', f.status);
    if (f.orgIds) q = f.orgIds.size ? q.where('ru.unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    return q;
  }

  async roundUnitsPage(db: Executor, f: RoundUnitFilter, after: number, limit: number) {
    const [items, total] = await Promise.all([
      this.filteredRoundUnits(db, f)
        .select(ROUND_UNIT_COLUMNS)
        .where('ru.id', '>', after)
        .orderBy('ru.id')
        .limit(limit)
        .execute(),
      this.filteredRoundUnits(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  async roundUnitById(db: Executor, id: number) {
    return this.roundUnitsQuery(db).select(ROUND_UNIT_COLUMNS).where('ru.id', '=', id).executeTakeFirst();
  }

  async roundUnitByPair(db: Executor, roundId: number, unitOrgId: number) {
    return db
      .selectFrom('roundUnits')
      .select('id')
      .where('roundId', '=', roundId)
      .where('unitOrgId', '=', unitOrgId)
      .executeTakeFirst();
  }

  async insertRoundUnit(db: Executor, row: Insertable<DB['roundUnits']>) {
    const r = await db.insertInto('roundUnits').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateRoundUnit(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('roundUnits')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records that hang on a round-unit, here and in the ledger; a round-unit with any cannot be removed. */
  async roundUnitUsage(db: Executor, id: number): Promise<number> {
    const r = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM feedbacks WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM feedback_copies WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM talk_reports WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM briefings WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM problems WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM measures WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM immediate_items WHERE round_unit_id = ${id})
           + (SELECT count(*) FROM ledger_summaries WHERE round_unit_id = ${id}) AS n`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async deleteRoundUnit(db: Executor, id: number) {
    await db.deleteFrom('roundUnitEvents').where('roundUnitId', '=', id).execute();
    await db.deleteFrom('roundUnits').where('id', '=', id).execute();
  }

  // ── status history ──────────────────────────────────────────────────────────────────────────
  async events(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('roundUnitEvents')
      .select(['id', 'fromStatus', 'toStatus', 'cycle', 'deadline', 'reason', 'actorId', 'actorName', 'at'])
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('id')
      .limit(1000)
      .execute();
  }

  async insertEvent(db: Executor, row: Insertable<RoundUnitEventTable>) {
    await db.insertInto('roundUnitEvents').values(row).execute();
  }

  // ── 反馈意见 ──────────────────────────────────────────────────────────────────────────────────
  async feedbackOf(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('feedbacks')
      .select(['id', 'roundUnitId', 'title', 'body', 'deliveredOn', 'version', 'createdAt', 'updatedAt'])
      .where('roundUnitId', '=', roundUnitId)
      .executeTakeFirst();
  }

  async insertFeedback(db: Executor, row: Insertable<DB['feedbacks']>) {
    const r = await db.insertInto('feedbacks').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateFeedback(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('feedbacks')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── 抄送 ────────────────────────────────────────────────────────────────────────────────────
  private copiesQuery(db: Executor) {
    return db
      .selectFrom('feedbackCopies as c')
      .leftJoin('organisations as o', 'o.id', 'c.recipientOrgId')
      .select([
        'c.id',
        'c.roundUnitId',
        'c.recipientKind',
        'c.recipientOrgId',
        'o.name as recipientOrgName',
        'c.recipientName',
        'c.sentAt',
        'c.receivedAt',
        'c.note',
        'c.version',
        'c.createdAt',
      ]);
  }

  async copies(db: Executor, roundUnitId: number) {
    return this.copiesQuery(db).where('c.roundUnitId', '=', roundUnitId).orderBy('c.id').limit(1000).execute();
  }

  async copyById(db: Executor, id: number) {
    return this.copiesQuery(db).where('c.id', '=', id).executeTakeFirst();
  }

  async insertCopy(db: Executor, row: Insertable<DB['feedbackCopies']>) {
    const r = await db.insertInto('feedbackCopies').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateCopy(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('feedbackCopies')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── 个别谈话情况报告 ───────────────────────────────────────────────────────────────────────────
  private talkReportsQuery(db: Executor) {
    return db
      .selectFrom('talkReports as tr')
      .leftJoin('organisations as o', 'o.id', 'tr.sentToOrgId')
      .select([
        'tr.id',
        'tr.roundUnitId',
        'tr.sentToOrgId',
        'o.name as sentToOrgName',
        'tr.summary',
        'tr.sentAt',
        'tr.receivedAt',
        'tr.version',
        'tr.createdAt',
      ]);
  }

  /** Talk reports of a round-unit; with `sentToOrgId`, only those addressed to that organisation. */
  async talkReports(db: Executor, roundUnitId: number, sentToOrgId?: number) {
    let q = this.talkReportsQuery(db).where('tr.roundUnitId', '=', roundUnitId);
    if (sentToOrgId !== undefined) q = q.where('tr.sentToOrgId', '=', sentToOrgId);
    return q.orderBy('tr.id').limit(1000).execute();
  }

  async talkReportById(db: Executor, id: number) {
    return this.talkReportsQuery(db).where('tr.id', '=', id).executeTakeFirst();
  }

  async insertTalkReport(db: Executor, row: Insertable<DB['talkReports']>) {
    const r = await db.insertInto('talkReports').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async updateTalkReport(db: Executor, id: number, version: number, patch: Record<string, unknown>) {
    const r = await db
      .updateTable('talkReports')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── 巡前情况通报 ─────────────────────────────────────────────────────────────────────────────
  private briefingsQuery(db: Executor) {
    return db
      .selectFrom('briefings as b')
      .innerJoin('organisations as s', 's.id', 'b.supervisorOrgId')
      .leftJoin('inspectionTeams as tm', 'tm.id', 'b.teamId')
      .leftJoin('users as u', 'u.id', 'b.createdBy')
      .select([
        'b.id',
        'b.roundUnitId',
        'b.teamId',
        'tm.name as teamName',
        'b.supervisorOrgId',
        's.name as supervisorOrgName',
        'b.content',
        'b.givenOn',
        'b.createdBy',
        'u.displayName as createdByName',
        'b.createdAt',
      ]);
  }

  /** Briefings on a round-unit; with `supervisorOrgId`, only those given by that organisation. */
  async briefings(db: Executor, roundUnitId: number, supervisorOrgId?: number) {
    let q = this.briefingsQuery(db).where('b.roundUnitId', '=', roundUnitId);
    if (supervisorOrgId !== undefined) q = q.where('b.supervisorOrgId', '=', supervisorOrgId);
    return q.orderBy('b.id').limit(1000).execute();
  }

  async briefingById(db: Executor, id: number) {
    return this.briefingsQuery(db).where('b.id', '=', id).executeTakeFirst();
  }

  async insertBriefing(db: Executor, row: Insertable<DB['briefings']>) {
    const r = await db.insertInto('briefings').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }
}
