import { type Insertable, sql, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import type { Executor } from '../ledger/ledger.repository.js';

const ITEM_COLUMNS = [
  'd.id',
  'd.kind',
  'd.status',
  'd.batchId',
  'b.number as batchNumber',
  'b.titleHans as batchTitleHans',
  'b.titleHant as batchTitleHant',
  'd.roundUnitId',
  'd.roundId',
  'r.name as roundName',
  'd.termId',
  'd.unitOrgId',
  'u.name as unitName',
  'd.cycle',
  'd.problemId',
  'd.titleHans',
  'd.titleHant',
  'd.bodyHans',
  'd.bodyHant',
  'd.snapshot',
  'd.persons',
  'd.internalNote',
  'd.publishedOn',
  'd.createdBy',
  'cb.displayName as createdByName',
  'd.submittedBy',
  'd.submittedAt',
  'd.approvedBy',
  'ab.displayName as approvedByName',
  'd.approvedAt',
  'd.returnedNote',
  'd.publishedBy',
  'd.publishedAt',
  'd.withdrawnBy',
  'wb.displayName as withdrawnByName',
  'd.withdrawnAt',
  'd.withdrawReason',
  'd.version',
  'd.createdAt',
  'd.updatedAt',
] as const;

/** `%` and `_` typed by a searcher are literal characters, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface ItemFilter {
  status?: string;
  kind?: string;
  batchId?: number;
  orgIds?: number[];
  q?: string;
  before?: number;
  limit: number;
}

/** 整改公开 (M15): items, batches, channels, and what a report is drafted from. */
export class DisclosureRepository {
  constructor(private readonly dialect: Dialect) {}

  private items(db: Executor) {
    return db
      .selectFrom('disclosureItems as d')
      .innerJoin('organisations as u', 'u.id', 'd.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'd.roundId')
      .leftJoin('disclosureBatches as b', 'b.id', 'd.batchId')
      .leftJoin('users as cb', 'cb.id', 'd.createdBy')
      .leftJoin('users as ab', 'ab.id', 'd.approvedBy')
      .leftJoin('users as wb', 'wb.id', 'd.withdrawnBy')
      .select(ITEM_COLUMNS);
  }

  async item(db: Executor, id: number, lock = false) {
    if (lock && this.dialect === 'postgres') {
      await db.selectFrom('disclosureItems').select('id').where('id', '=', id).forUpdate().execute();
    }
    return this.items(db).where('d.id', '=', id).executeTakeFirst();
  }

  async page(db: Executor, f: ItemFilter) {
    let q = this.items(db);
    if (f.status) q = q.where('d.status', '=', f.status);
    if (f.kind) q = q.where('d.kind', '=', f.kind);
    if (f.batchId) q = q.where('d.batchId', '=', f.batchId);
    if (f.orgIds) q = f.orgIds.length ? q.where('d.unitOrgId', 'in', f.orgIds) : q.where(sql<boolean>`1 = 0`);
    if (f.q) q = q.where(this.matches(f.q));
    if (f.before) q = q.where('d.id', '<', f.before);
    return q.orderBy('d.id', 'desc').limit(f.limit).execute();
  }

  async ofBatch(db: Executor, batchId: number) {
    return this.items(db).where('d.batchId', '=', batchId).orderBy('d.id').execute();
  }

  private matches(q: string) {
    const p = likePattern(q);
    return sql<boolean>`(d.title_hans LIKE ${p} ESCAPE '\\' OR d.title_hant LIKE ${p} ESCAPE '\\'
      OR d.body_hans LIKE ${p} ESCAPE '\\' OR d.body_hant LIKE ${p} ESCAPE '\\'
      OR u.name LIKE ${p} ESCAPE '\\')`;
  }

  // --- the public side: published items only, read fresh on every request --------------------

  async publishedPage(db: Executor, f: { q?: string; kind?: string; offset: number; limit: number }) {
    let q = this.items(db).where('d.status', '=', 'published');
    if (f.kind) q = q.where('d.kind', '=', f.kind);
    if (f.q) q = q.where(this.matches(f.q));
    let c = db
      .selectFrom('disclosureItems as d')
      .innerJoin('organisations as u', 'u.id', 'd.unitOrgId')
      .select(sql<string>`count(*)`.as('n'))
      .where('d.status', '=', 'published');
    if (f.kind) c = c.where('d.kind', '=', f.kind);
    if (f.q) c = c.where(this.matches(f.q));
    const [rows, count] = await Promise.all([
      q.orderBy('d.publishedOn', 'desc').orderBy('d.id', 'desc').offset(f.offset).limit(f.limit).execute(),
      c.executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  async publishedItem(db: Executor, id: number) {
    return this.items(db).where('d.id', '=', id).where('d.status', '=', 'published').executeTakeFirst();
  }

  /** Whether the item was published once and withdrawn since: the site answers 410 for it, 404 otherwise. */
  async wasWithdrawnAfterPublishing(db: Executor, id: number) {
    const r = await db
      .selectFrom('disclosureItems')
      .select(['status', 'publishedAt'])
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.status === 'withdrawn' && r.publishedAt !== null;
  }

  // --- writes ---------------------------------------------------------------------------------

  async insertItem(db: Executor, row: Insertable<DB['disclosureItems']>): Promise<number> {
    const r = await db.insertInto('disclosureItems').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Applies a change when the version still matches; answers whether it did. */
  async updateItem(db: Executor, id: number, version: number, set: Updateable<DB['disclosureItems']>) {
    const r = await db
      .updateTable('disclosureItems')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async channels(db: Executor, itemIds: readonly number[]) {
    if (!itemIds.length) return [];
    return db
      .selectFrom('disclosureChannels as c')
      .leftJoin('users as rb', 'rb.id', 'c.recordedBy')
      .select([
        'c.id',
        'c.itemId',
        'c.channel',
        'c.publishedOn',
        'c.note',
        'c.recordedBy',
        'rb.displayName as recordedByName',
        'c.recordedAt',
      ])
      .where('c.itemId', 'in', [...itemIds])
      .orderBy('c.publishedOn')
      .orderBy('c.id')
      .execute();
  }

  async channelOf(db: Executor, itemId: number, channel: string) {
    return db
      .selectFrom('disclosureChannels')
      .select(['id', 'publishedOn', 'note'])
      .where('itemId', '=', itemId)
      .where('channel', '=', channel)
      .executeTakeFirst();
  }

  async insertChannel(db: Executor, row: Insertable<DB['disclosureChannels']>) {
    await db.insertInto('disclosureChannels').values(row).execute();
  }

  async updateChannel(db: Executor, id: number, set: { publishedOn: string; note: string | null }) {
    await db.updateTable('disclosureChannels').set(set).where('id', '=', id).execute();
  }

  // --- batches --------------------------------------------------------------------------------

  /** Batches with their counts, newest first; one batch when `id` is given. */
  async batches(db: Executor, id?: number) {
    let q = db
      .selectFrom('disclosureBatches as b')
      .select([
        'b.id',
        'b.number',
        'b.titleHans',
        'b.titleHant',
        'b.version',
        'b.createdAt',
        sql<string>`(SELECT count(*) FROM disclosure_items d WHERE d.batch_id = b.id)`.as('itemCount'),
        sql<string>`(SELECT count(*) FROM disclosure_items d WHERE d.batch_id = b.id AND d.status = 'published')`.as(
          'publishedCount',
        ),
      ]);
    if (id !== undefined) q = q.where('b.id', '=', id);
    return q.orderBy('b.number', 'desc').limit(500).execute();
  }

  async batch(db: Executor, id: number) {
    return db
      .selectFrom('disclosureBatches')
      .select(['id', 'number', 'titleHans', 'titleHant', 'version', 'createdAt'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async nextBatchNumber(db: Executor) {
    const r = await db
      .selectFrom('disclosureBatches')
      .select(sql<string>`coalesce(max(number), 0)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n) + 1;
  }

  async insertBatch(db: Executor, row: Insertable<DB['disclosureBatches']>): Promise<number> {
    const r = await db.insertInto('disclosureBatches').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  // --- what items are drafted from --------------------------------------------------------------

  /** Round-units whose period has ended (deadline before today) with no report for their current cycle. */
  async dueRoundUnits(db: Executor, today: string, limit: number) {
    return db
      .selectFrom('roundUnits as ru')
      .innerJoin('organisations as u', 'u.id', 'ru.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'ru.roundId')
      .select([
        'ru.id',
        'ru.roundId',
        'ru.termId',
        'ru.unitOrgId',
        'ru.cycle',
        'u.name as unitName',
        'r.name as roundName',
      ])
      .where('ru.deadline', 'is not', null)
      .where('ru.deadline', '<', today)
      .where('ru.status', '!=', 'awaiting_feedback')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('disclosureItems as d')
              .select('d.id')
              .whereRef('d.roundUnitId', '=', 'ru.id')
              .whereRef('d.cycle', '=', 'ru.cycle')
              .where('d.kind', '=', 'report'),
          ),
        ),
      )
      .orderBy('ru.id')
      .limit(limit)
      .execute();
  }

  /** Problems per category of a round-unit, from the ledger's summary rows, with the category labels. */
  async categories(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('ledgerSummaries as s')
      .leftJoin('dictionaries as c', (j) =>
        j.onRef('c.code', '=', 's.categoryCode').on('c.kind', '=', 'problem_category'),
      )
      .select([
        's.categoryCode',
        'c.labelZhCn',
        'c.labelZhTw',
        sql<string>`sum(s.problem_count)`.as('problems'),
        sql<string>`sum(s.rectified_problem_count)`.as('rectified'),
      ])
      .where('s.roundUnitId', '=', roundUnitId)
      .groupBy(['s.categoryCode', 'c.labelZhCn', 'c.labelZhTw', 'c.sort'])
      .orderBy('c.sort')
      .orderBy('s.categoryCode')
      .execute();
  }

  /** The problems of a round-unit with the per-problem counts the ledger keeps (numbers only, no text). */
  async problemCounts(db: Executor, roundUnitId: number) {
    return db
      .selectFrom('problems')
      .select(['number', 'categoryCode', 'measureCount', 'doneCount'])
      .where('roundUnitId', '=', roundUnitId)
      .orderBy('seq')
      .orderBy('id')
      .execute();
  }

  async problem(db: Executor, id: number) {
    return db
      .selectFrom('problems as p')
      .innerJoin('roundUnits as ru', 'ru.id', 'p.roundUnitId')
      .select(['p.id', 'p.roundUnitId', 'p.roundId', 'p.termId', 'p.unitOrgId', 'ru.cycle', 'p.number'])
      .where('p.id', '=', id)
      .executeTakeFirst();
  }

  async problemTaken(db: Executor, problemId: number) {
    const r = await db
      .selectFrom('disclosureItems')
      .select('id')
      .where('problemId', '=', problemId)
      .where('status', '!=', 'withdrawn')
      .executeTakeFirst();
    return !!r;
  }

  /** Problems the office may pick for a batch (internal view: the office reads the description). */
  async candidates(db: Executor, f: { q?: string; orgIds?: number[]; limit: number }) {
    let q = db
      .selectFrom('problems as p')
      .innerJoin('organisations as u', 'u.id', 'p.unitOrgId')
      .innerJoin('rounds as r', 'r.id', 'p.roundId')
      .select([
        'p.id',
        'p.number',
        'p.categoryCode',
        'p.description',
        'p.unitOrgId',
        'u.name as unitName',
        'r.name as roundName',
        'p.measureCount',
        'p.doneCount',
      ]);
    if (f.q) {
      const p = likePattern(f.q);
      q = q.where(sql<boolean>`(p.description LIKE ${p} ESCAPE '\\' OR u.name LIKE ${p} ESCAPE '\\')`);
    }
    if (f.orgIds) q = f.orgIds.length ? q.where('p.unitOrgId', 'in', f.orgIds) : q.where(sql<boolean>`1 = 0`);
    return q.orderBy('p.id', 'desc').limit(f.limit).execute();
  }
}
