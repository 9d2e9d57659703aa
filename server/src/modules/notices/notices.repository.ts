import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Db = Kysely<DB> | Transaction<DB>;
const CHUNK = 500;
function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
const num = (v: unknown) => Number(v ?? 0);

export interface NoticeRow {
  userId: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  link: string | null;
  unitOrgId: number | null;
  entity: string | null;
  entityId: string | null;
  idemKey: string;
  createdAt: number;
}

const NOTICE_COLUMNS = [
  'id',
  'userId',
  'kind',
  'severity',
  'title',
  'body',
  'link',
  'unitOrgId',
  'entity',
  'entityId',
  'createdAt',
  'readAt',
] as const;

/** The notices feature's SQL: notices, deliveries and what the warning chain reads. */
export class NoticesRepository {
  // --- notices and deliveries --------------------------------------------------------------------

  /** Inserts the notice unless its idempotency key exists; null when it did. */
  async insertNotice(db: Db, n: NoticeRow): Promise<number | null> {
    const r = await db
      .insertInto('notices')
      .values({ ...n, readAt: null })
      .onConflict((oc) => oc.column('idemKey').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r ? Number(r.id) : null;
  }

  async insertDelivery(db: Db, noticeId: number, channel: string, target: string | null, now: number) {
    await db
      .insertInto('noticeDeliveries')
      .values({
        noticeId,
        channel,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        claimedBy: null,
        target,
        lastError: null,
        sentAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict((oc) => oc.columns(['noticeId', 'channel']).doNothing())
      .execute();
  }

  async userContact(db: Db, userId: number) {
    return db
      .selectFrom('users')
      .select(['id', 'email', 'phone', 'disabled'])
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  async mine(db: Db, userId: number, unreadOnly: boolean, offset: number, limit: number) {
    let q = db.selectFrom('notices').where('userId', '=', userId);
    if (unreadOnly) q = q.where('readAt', 'is', null);
    const [items, total] = await Promise.all([
      q.select(NOTICE_COLUMNS).orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: num(total.n) };
  }

  async unreadCount(db: Db, userId: number): Promise<number> {
    const r = await db
      .selectFrom('notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('userId', '=', userId)
      .where('readAt', 'is', null)
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  async getOwn(db: Db, userId: number, id: number) {
    return db
      .selectFrom('notices')
      .select(NOTICE_COLUMNS)
      .where('id', '=', id)
      .where('userId', '=', userId)
      .executeTakeFirst();
  }

  async markRead(db: Db, userId: number, id: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('notices')
      .set({ readAt: now })
      .where('id', '=', id)
      .where('userId', '=', userId)
      .where('readAt', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async markAllRead(db: Db, userId: number, now: number): Promise<number> {
    const r = await db
      .updateTable('notices')
      .set({ readAt: now })
      .where('userId', '=', userId)
      .where('readAt', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async deliveriesPage(
    db: Db,
    f: { status?: string; channel?: string; userId?: number },
    offset: number,
    limit: number,
  ) {
    let q = db
      .selectFrom('noticeDeliveries as d')
      .innerJoin('notices as n', 'n.id', 'd.noticeId')
      .innerJoin('users as u', 'u.id', 'n.userId');
    if (f.status) q = q.where('d.status', '=', f.status);
    if (f.channel) q = q.where('d.channel', '=', f.channel);
    if (f.userId) q = q.where('n.userId', '=', f.userId);
    const [items, total, counts] = await Promise.all([
      q
        .select([
          'd.id',
          'd.noticeId',
          'd.channel',
          'd.status',
          'd.attempts',
          'd.nextAttemptAt',
          'd.target',
          'd.lastError',
          'd.sentAt',
          'd.createdAt',
          'd.updatedAt',
          'n.kind',
          'n.title',
          'n.userId',
          'u.displayName as userName',
        ])
        .orderBy('d.id', 'desc')
        .offset(offset)
        .limit(limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db
        .selectFrom('noticeDeliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute(),
    ]);
    return {
      items,
      total: num(total.n),
      counts: Object.fromEntries(counts.map((c) => [c.status, num(c.n)])) as Record<string, number>,
    };
  }

  /** A failed delivery back to pending, due now (the office's retry). */
  async requeue(db: Db, id: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('noticeDeliveries')
      .set({ status: 'pending', nextAttemptAt: now, attempts: 0, updatedAt: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delivery(db: Db, id: number) {
    return db.selectFrom('noticeDeliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // --- dispatch: claim, then record -------------------------------------------------------------

  /** Deliveries due now: pending whose next attempt has come, or sending whose claimant's lease ran out. */
  async dueDeliveries(db: Db, now: number, limit: number) {
    return db
      .selectFrom('noticeDeliveries')
      .select(['id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<', now)]),
        ]),
      )
      .orderBy('nextAttemptAt')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Claims one delivery: only one instance's conditional update matches. */
  async claimDelivery(db: Db, id: number, instance: string, now: number, leaseMs: number): Promise<boolean> {
    const r = await db
      .updateTable('noticeDeliveries')
      .set({
        status: 'sending',
        claimedBy: instance,
        leaseUntil: now + leaseMs,
        attempts: sql<number>`attempts + 1`,
        updatedAt: now,
      })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deliveryWithNotice(db: Db, id: number) {
    return db
      .selectFrom('noticeDeliveries as d')
      .innerJoin('notices as n', 'n.id', 'd.noticeId')
      .innerJoin('users as u', 'u.id', 'n.userId')
      .select([
        'd.id',
        'd.channel',
        'd.attempts',
        'd.target',
        'n.id as noticeId',
        'n.kind',
        'n.severity',
        'n.title',
        'n.body',
        'n.link',
        'n.unitOrgId',
        'n.entity',
        'n.entityId',
        'n.idemKey',
        'n.createdAt',
        'u.id as userId',
        'u.username',
        'u.displayName',
        'u.email',
        'u.phone',
      ])
      .where('d.id', '=', id)
      .executeTakeFirst();
  }

  /** Records the outcome, fenced by the claimant. */
  async finishDelivery(
    db: Db,
    id: number,
    instance: string,
    set: { status: string; now: number; nextAttemptAt?: number; lastError?: string | null; sentAt?: number },
  ) {
    await db
      .updateTable('noticeDeliveries')
      .set({
        status: set.status,
        updatedAt: set.now,
        leaseUntil: null,
        ...(set.nextAttemptAt !== undefined ? { nextAttemptAt: set.nextAttemptAt } : {}),
        ...(set.lastError !== undefined ? { lastError: set.lastError?.slice(0, 2000) ?? null } : {}),
        ...(set.sentAt !== undefined ? { sentAt: set.sentAt } : {}),
      })
      .where('id', '=', id)
      .where('claimedBy', '=', instance)
      .where('status', '=', 'sending')
      .execute();
  }

  // --- what the warning chain reads ---------------------------------------------------------------

  /** Open measures whose effective deadline is on or before `until` (the chain's horizon). */
  async openMeasuresDueBy(db: Db, until: string) {
    return db
      .selectFrom('measures as m')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .innerJoin('organisations as o', 'o.id', 'm.unitOrgId')
      .select([
        'm.id',
        'm.problemId',
        'm.unitOrgId',
        'm.categoryCode',
        'm.seq',
        'm.content',
        'm.effectiveDeadline',
        'm.ownerUserId',
        'p.number as problemNumber',
        'p.responsibleLeader',
        'o.name as unitName',
      ])
      .where('m.isDone', '=', 0)
      .where('m.effectiveDeadline', '<=', until)
      .orderBy('m.id')
      .execute();
  }

  /** Open measures without progress since `before` (or, never reported, created before it). */
  async stalledMeasures(db: Db, before: number) {
    return db
      .selectFrom('measures as m')
      .innerJoin('problems as p', 'p.id', 'm.problemId')
      .innerJoin('organisations as o', 'o.id', 'm.unitOrgId')
      .select([
        'm.id',
        'm.problemId',
        'm.unitOrgId',
        'm.categoryCode',
        'm.seq',
        'm.content',
        'm.effectiveDeadline',
        'm.ownerUserId',
        'm.lastProgressAt',
        'm.createdAt',
        'p.number as problemNumber',
        'p.responsibleLeader',
        'o.name as unitName',
      ])
      .where('m.isDone', '=', 0)
      .where((eb) =>
        eb.or([
          eb('m.lastProgressAt', '<=', before),
          eb.and([eb('m.lastProgressAt', 'is', null), eb('m.createdAt', '<=', before)]),
        ]),
      )
      .orderBy('m.id')
      .execute();
  }

  /** 整改专题民主生活会 still planned after their due date. */
  async missedMeetings(db: Db, today: string) {
    return db
      .selectFrom('democraticMeetings as d')
      .innerJoin('organisations as o', 'o.id', 'd.unitOrgId')
      .select(['d.id', 'd.unitOrgId', 'd.dueDate', 'd.plannedDate', 'd.cycle', 'o.name as unitName'])
      .where('d.status', '=', 'planned')
      .where('d.dueDate', '<', today)
      .orderBy('d.id')
      .execute();
  }

  /** Active users of the given roles in the given organisations. */
  async usersIn(db: Db, orgIds: readonly number[], roles: readonly string[]) {
    const out: { id: number; orgId: number; role: string; displayName: string }[] = [];
    for (const ids of chunks([...new Set(orgIds)])) {
      if (!ids.length) continue;
      const rows = await db
        .selectFrom('users')
        .select(['id', 'orgId', 'role', 'displayName'])
        .where('orgId', 'in', ids)
        .where('role', 'in', [...roles])
        .where('disabled', '=', 0)
        .execute();
      for (const r of rows)
        out.push({ id: Number(r.id), orgId: Number(r.orgId), role: r.role, displayName: r.displayName });
    }
    return out;
  }

  async usersWithRole(db: Db, roles: readonly string[]) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'orgId', 'role'])
      .where('role', 'in', [...roles])
      .where('disabled', '=', 0)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), orgId: Number(r.orgId), role: r.role }));
  }

  async activeUserIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (const c of chunks([...new Set(ids)])) {
      if (!c.length) continue;
      const rows = await db.selectFrom('users').select('id').where('id', 'in', c).where('disabled', '=', 0).execute();
      for (const r of rows) out.add(Number(r.id));
    }
    return out;
  }

  /** 分管领导 of each problem: the responsibles with an account. */
  async problemLeaders(db: Db, problemIds: readonly number[]) {
    const out: { problemId: number; userId: number; duty: string }[] = [];
    for (const ids of chunks([...new Set(problemIds)])) {
      if (!ids.length) continue;
      const rows = await db
        .selectFrom('problemResponsibles as r')
        .innerJoin('users as u', 'u.id', 'r.userId')
        .select(['r.problemId', 'r.userId', 'r.duty'])
        .where('r.problemId', 'in', ids)
        .where('u.disabled', '=', 0)
        .execute();
      for (const r of rows) out.push({ problemId: Number(r.problemId), userId: Number(r.userId), duty: r.duty });
    }
    return out;
  }

  /** Liaison supervisors' users of each unit, with the categories the link follows (null = all). */
  async liaisonSupervisors(db: Db, unitOrgIds: readonly number[]) {
    const out: { unitOrgId: number; userId: number; categories: string | null }[] = [];
    for (const ids of chunks([...new Set(unitOrgIds)])) {
      if (!ids.length) continue;
      const rows = await db
        .selectFrom('liaisonLinks as l')
        .innerJoin('users as u', 'u.orgId', 'l.supervisorOrgId')
        .select(['l.unitOrgId', 'u.id as userId', 'l.categories'])
        .where('l.unitOrgId', 'in', ids)
        .where('u.role', '=', 'supervisor')
        .where('u.disabled', '=', 0)
        .execute();
      for (const r of rows)
        out.push({ unitOrgId: Number(r.unitOrgId), userId: Number(r.userId), categories: r.categories });
    }
    return out;
  }

  /** Every liaison link with the supervisor's users (for the digests). */
  async allLiaisons(db: Db) {
    const rows = await db
      .selectFrom('liaisonLinks as l')
      .innerJoin('users as u', 'u.orgId', 'l.supervisorOrgId')
      .select(['l.unitOrgId', 'u.id as userId', 'l.categories'])
      .where('u.role', '=', 'supervisor')
      .where('u.disabled', '=', 0)
      .execute();
    return rows.map((r) => ({ unitOrgId: Number(r.unitOrgId), userId: Number(r.userId), categories: r.categories }));
  }

  /** Per unit and category: measures moved since `since`, late on `today`, stalled before `stalledBefore`. */
  async digestFigures(db: Db, since: number, sinceDate: string, today: string, stalledBefore: number) {
    const rows = await db
      .selectFrom('measures as m')
      .innerJoin('organisations as o', 'o.id', 'm.unitOrgId')
      .select((eb) => [
        'm.unitOrgId',
        'm.categoryCode',
        'o.name as unitName',
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.or([eb('m.lastProgressAt', '>=', since), eb('m.completedOn', '>=', sinceDate)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('moved'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('m.isDone', '=', 0), eb('m.effectiveDeadline', '<', today)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('late'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('m.isDone', '=', 0),
                  eb.or([
                    eb('m.lastProgressAt', '<=', stalledBefore),
                    eb.and([eb('m.lastProgressAt', 'is', null), eb('m.createdAt', '<=', stalledBefore)]),
                  ]),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('stalled'),
      ])
      .groupBy(['m.unitOrgId', 'm.categoryCode', 'o.name'])
      .execute();
    return rows.map((r) => ({
      unitOrgId: Number(r.unitOrgId),
      categoryCode: r.categoryCode,
      unitName: r.unitName,
      moved: num(r.moved),
      late: num(r.late),
      stalled: num(r.stalled),
    }));
  }

  /**
   * The seed's warning signs per unit (SPEC M18): 超规定时限 (open past the deadline), 挂账整改 (open
   * long past it), 以整改计划代替落实 (open, old, without any evidence of doing).
   */
  async signFigures(db: Db, today: string, onBooksBefore: string, planOnlyBefore: number) {
    const rows = await db
      .selectFrom('measures as m')
      .innerJoin('organisations as o', 'o.id', 'm.unitOrgId')
      .select((eb) => [
        'm.unitOrgId',
        'o.name as unitName',
        eb.fn.sum<number>(eb.case().when('m.effectiveDeadline', '<', today).then(1).else(0).end()).as('overdue'),
        eb.fn
          .sum<number>(eb.case().when('m.effectiveDeadline', '<', onBooksBefore).then(1).else(0).end())
          .as('onBooks'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('m.createdAt', '<=', planOnlyBefore),
                  eb.not(
                    eb.exists(
                      eb.selectFrom('measureEvidence as e').select('e.measureId').whereRef('e.measureId', '=', 'm.id'),
                    ),
                  ),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('planOnly'),
      ])
      .where('m.isDone', '=', 0)
      .groupBy(['m.unitOrgId', 'o.name'])
      .execute();
    return rows.map((r) => ({
      unitOrgId: Number(r.unitOrgId),
      unitName: r.unitName,
      overdue: num(r.overdue),
      onBooks: num(r.onBooks),
      planOnly: num(r.planOnly),
    }));
  }

  /** Progress narratives submitted since `since`, per unit, for the routine-work check (日常工作代替整改). */
  async recentNarratives(db: Db, since: number) {
    return db
      .selectFrom('progressReportItems as i')
      .innerJoin('progressReports as r', 'r.id', 'i.reportId')
      .select(['r.unitOrgId', 'i.measureId', 'i.narrative'])
      .where('r.submittedAt', '>=', since)
      .execute();
  }

  async orgNames(db: Db, ids: readonly number[]) {
    const out = new Map<number, string>();
    for (const c of chunks([...new Set(ids)])) {
      if (!c.length) continue;
      for (const r of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', c).execute())
        out.set(Number(r.id), r.name);
    }
    return out;
  }
}
