import { type Insertable, sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

const MEETING_COLUMNS = [
  'd.id',
  'd.roundUnitId',
  'd.roundId',
  'r.name as roundName',
  'd.termId',
  'd.unitOrgId',
  'u.name as unitName',
  'd.cycle',
  'd.status',
  'd.feedbackDate',
  'd.dueDate',
  'd.plannedDate',
  'd.plan',
  'd.report',
  'd.heldOn',
  'd.attendees',
  'd.problemsFound',
  'd.measuresDecided',
  'd.createdBy',
  'cb.displayName as createdByName',
  'd.heldRecordedBy',
  'hb.displayName as heldRecordedByName',
  'd.heldRecordedAt',
  'd.reviewedBy',
  'rb.displayName as reviewedByName',
  'd.reviewedAt',
  'd.reviewNote',
  'd.version',
  'd.createdAt',
  'd.updatedAt',
] as const;

/** 整改专题民主生活会 (M10): the meetings, their notes, and what they need of round-units and organisations. */
export class MeetingsRepository {
  constructor(private readonly dialect: Dialect) {}

  /** The round-unit a meeting belongs to; locked for a write (PostgreSQL), so creators of one follow each other. */
  async roundUnit(db: Executor, id: number, lock = false) {
    const q = db
      .selectFrom('roundUnits')
      .select(['id', 'roundId', 'termId', 'unitOrgId', 'status', 'cycle', 'feedbackDate'])
      .where('id', '=', id);
    return lock && this.dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  private meetings(db: Executor) {
    return db
      .selectFrom('democraticMeetings as d')
      .innerJoin('organisations as u', 'u.id', 'd.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'd.roundId')
      .leftJoin('users as cb', 'cb.id', 'd.createdBy')
      .leftJoin('users as hb', 'hb.id', 'd.heldRecordedBy')
      .leftJoin('users as rb', 'rb.id', 'd.reviewedBy')
      .select(MEETING_COLUMNS);
  }

  async meeting(db: Executor, id: number) {
    return this.meetings(db).where('d.id', '=', id).executeTakeFirst();
  }

  async ofRoundUnit(db: Executor, roundUnitId: number) {
    return this.meetings(db).where('d.roundUnitId', '=', roundUnitId).orderBy('d.cycle').limit(100).execute();
  }

  async ofCycle(db: Executor, roundUnitId: number, cycle: number) {
    return db
      .selectFrom('democraticMeetings')
      .select('id')
      .where('roundUnitId', '=', roundUnitId)
      .where('cycle', '=', cycle)
      .executeTakeFirst();
  }

  /** Keyset page, newest first; `overdue` = still planned past its due date. Scope: unit ids, or all. */
  async page(
    db: Executor,
    f: {
      orgIds?: readonly number[];
      status?: string;
      overdueBefore?: string;
      roundId?: number;
      termId?: number;
      unitOrgId?: number;
      before?: number;
      limit: number;
    },
  ) {
    let q = this.meetings(db);
    if (f.orgIds) q = f.orgIds.length ? q.where('d.unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    if (f.status) q = q.where('d.status', '=', f.status);
    if (f.overdueBefore) q = q.where('d.status', '=', 'planned').where('d.dueDate', '<', f.overdueBefore);
    if (f.roundId) q = q.where('d.roundId', '=', f.roundId);
    if (f.termId) q = q.where('d.termId', '=', f.termId);
    if (f.unitOrgId) q = q.where('d.unitOrgId', '=', f.unitOrgId);
    if (f.before) q = q.where('d.id', '<', f.before);
    return q.orderBy('d.id', 'desc').limit(f.limit).execute();
  }

  /**
   * Round-units in rectification (fed back, not yet evaluated or published) with no meeting for their
   * current cycle; `feedbackBefore` keeps those whose due date has passed. Keyset on the round-unit id.
   */
  async unplanned(
    db: Executor,
    f: {
      orgIds?: readonly number[];
      feedbackBefore?: string;
      roundId?: number;
      unitOrgId?: number;
      after?: number;
      limit: number;
    },
  ) {
    let q = db
      .selectFrom('roundUnits as ru')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .innerJoin('organisations as u', 'u.id', 'ru.unitOrgId')
      .select([
        'ru.id',
        'ru.roundId',
        'r.name as roundName',
        'ru.unitOrgId',
        'u.name as unitName',
        'ru.cycle',
        'ru.feedbackDate',
        'ru.status',
      ])
      .where('ru.feedbackDate', 'is not', null)
      .where('ru.status', 'in', ['rectifying', 'period_ended', 're_rectifying'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('democraticMeetings as d')
              .select('d.id')
              .whereRef('d.roundUnitId', '=', 'ru.id')
              .whereRef('d.cycle', '=', 'ru.cycle'),
          ),
        ),
      );
    if (f.orgIds) q = f.orgIds.length ? q.where('ru.unitOrgId', 'in', [...f.orgIds]) : q.where(sql<boolean>`1 = 0`);
    if (f.feedbackBefore) q = q.where('ru.feedbackDate', '<', f.feedbackBefore);
    if (f.roundId) q = q.where('ru.roundId', '=', f.roundId);
    if (f.unitOrgId) q = q.where('ru.unitOrgId', '=', f.unitOrgId);
    if (f.after) q = q.where('ru.id', '>', f.after);
    return q.orderBy('ru.id').limit(f.limit).execute();
  }

  async insert(db: Executor, row: Insertable<DB['democraticMeetings']>): Promise<number> {
    const r = await db.insertInto('democraticMeetings').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async update(
    db: Executor,
    id: number,
    version: number,
    patch: Partial<Insertable<DB['democraticMeetings']>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('democraticMeetings')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async notes(db: Executor, meetingId: number) {
    return db
      .selectFrom('democraticMeetingNotes as n')
      .leftJoin('users as us', 'us.id', 'n.authorId')
      .leftJoin('organisations as o', 'o.id', 'n.authorOrgId')
      .select([
        'n.id',
        'n.meetingId',
        'n.kind',
        'n.content',
        'n.authorId',
        'us.displayName as authorName',
        'n.authorOrgId',
        'o.name as authorOrgName',
        'n.createdAt',
      ])
      .where('n.meetingId', '=', meetingId)
      .orderBy('n.id')
      .limit(1000)
      .execute();
  }

  async insertNote(db: Executor, row: Insertable<DB['democraticMeetingNotes']>): Promise<number> {
    const r = await db.insertInto('democraticMeetingNotes').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Names of the organisations among these ids that exist (for attendees and deciding bodies). */
  async orgNames(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  /** Active supervising bodies (supervision offices, 组织部 …, the 党风政风室) that may attend a meeting. */
  async attendeeOrgs(db: Executor) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'type', 'supervisorLine'])
      .where('active', '=', 1)
      .where('type', 'in', ['supervisor', 'discipline_office'])
      .orderBy('sort')
      .orderBy('id')
      .limit(1000)
      .execute();
  }
}
