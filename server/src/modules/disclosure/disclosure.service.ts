import type { Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import {
  canMoveDisclosure,
  DEFAULT_NAME_RANK_FROM,
  type DisclosureSource,
  type DisclosureStatus,
  disclosureEditable,
  type PersonNamed,
  type PublicPolicy,
  projectPublic,
  type ReportSnapshot,
  reportWording,
  type SiteLang,
  toHant,
} from '../../../../domain/disclosure.js';
import type { DB } from '../../db/types.js';
import { inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, stale } from '../../platform/errors.js';
import type { Executor } from '../ledger/ledger.repository.js';
import { SummaryRepository } from '../ledger/summaries.repository.js';
import { DisclosureRepository } from './disclosure.repository.js';
import type {
  BatchAction,
  CandidateQuery,
  CreateBatch,
  CreateTypical,
  ItemQuery,
  PublishBody,
  RecordChannel,
  UpdateItem,
} from './disclosure.schemas.js';

type ItemRow = NonNullable<Awaited<ReturnType<DisclosureRepository['item']>>>;
type ChannelRow = Awaited<ReturnType<DisclosureRepository['channels']>>[number];
type BatchRow = Awaited<ReturnType<DisclosureRepository['batches']>>[number];

const numOrNull = (v: number | string | bigint | null | undefined) =>
  v === null || v === undefined ? null : Number(v);

function parseJson<T>(raw: string | null, fallback: T): T {
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

function toItem(r: ItemRow, channels: readonly ChannelRow[]) {
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    batchId: numOrNull(r.batchId),
    batchNumber: numOrNull(r.batchNumber),
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    roundName: r.roundName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    cycle: Number(r.cycle),
    problemId: numOrNull(r.problemId),
    titleHans: r.titleHans,
    titleHant: r.titleHant,
    bodyHans: r.bodyHans,
    bodyHant: r.bodyHant,
    persons: parseJson<PersonNamed[]>(r.persons, []),
    internalNote: r.internalNote,
    publishedOn: r.publishedOn,
    createdByName: r.createdByName,
    submittedAt: numOrNull(r.submittedAt),
    approvedByName: r.approvedByName,
    approvedAt: numOrNull(r.approvedAt),
    returnedNote: r.returnedNote,
    publishedAt: numOrNull(r.publishedAt),
    withdrawnByName: r.withdrawnByName,
    withdrawnAt: numOrNull(r.withdrawnAt),
    withdrawReason: r.withdrawReason,
    channels: channels
      .filter((c) => Number(c.itemId) === Number(r.id))
      .map((c) => ({
        id: Number(c.id),
        channel: c.channel,
        publishedOn: c.publishedOn,
        note: c.note,
        recordedBy: numOrNull(c.recordedBy),
        recordedByName: c.recordedByName,
        recordedAt: Number(c.recordedAt),
      })),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type DisclosureItemView = ReturnType<typeof toItem>;

/** The whole record as the projection's input: internal fields included, on purpose. */
function toSource(r: ItemRow, channels: readonly ChannelRow[]): DisclosureSource {
  return {
    ...toItem(r, channels),
    unitName: r.unitName,
    roundName: r.roundName,
    batchNumber: numOrNull(r.batchNumber),
    batchTitleHans: r.batchTitleHans,
    batchTitleHant: r.batchTitleHant,
    snapshot: parseJson<ReportSnapshot | null>(r.snapshot, null),
    channels: channels
      .filter((c) => Number(c.itemId) === Number(r.id))
      .map((c) => ({ channel: c.channel, publishedOn: c.publishedOn })),
  };
}

function toBatch(b: BatchRow) {
  return {
    id: Number(b.id),
    number: Number(b.number),
    titleHans: b.titleHans,
    titleHant: b.titleHant,
    version: Number(b.version),
    createdAt: Number(b.createdAt),
    itemCount: Number(b.itemCount),
    publishedCount: Number(b.publishedCount),
  };
}

/** Audit images: what changed on the item, without the snapshot's bulk. */
const image = (r: ItemRow) => ({
  status: r.status,
  batchId: numOrNull(r.batchId),
  titleHans: r.titleHans,
  titleHant: r.titleHant,
  publishedOn: r.publishedOn,
  withdrawReason: r.withdrawReason,
  version: Number(r.version),
});

export interface DisclosureConfig extends PublicPolicy {
  channels: string[];
}

interface Move {
  to: DisclosureStatus;
  action: string;
  set: (now: number, actorId: number | null, today: string) => Partial<Selectable<DB['disclosureItems']>>;
}

/**
 * 整改公开 (SPEC M15). The office drafts (reports of round-units whose period ended, typical problems
 * in batches), submits; the leadership approves or returns; the office publishes, records the
 * channels, and may withdraw — a logged state, never a delete. Every write is one transaction with
 * its audit record; edits carry the version they were made on. The public side reads published
 * items fresh on each request through the allow-list projection (domain/disclosure.ts).
 */
export class DisclosureService {
  readonly repo: DisclosureRepository;
  private readonly summaries = new SummaryRepository();

  constructor(private readonly ctx: AppContext) {
    this.repo = new DisclosureRepository(ctx.dialect);
  }

  private today() {
    return shanghaiDate(this.ctx.clock.now());
  }

  /** The system.disclosure setting, completed with defaults for keys an older stored value lacks. */
  async config(): Promise<DisclosureConfig> {
    const v = (await this.ctx.settings.get('system.disclosure')) as Partial<DisclosureConfig>;
    return {
      channels: Array.isArray(v.channels) ? v.channels : [],
      publishAmounts: v.publishAmounts === true,
      nameRankFrom: typeof v.nameRankFrom === 'string' ? v.nameRankFrom : DEFAULT_NAME_RANK_FROM,
    };
  }

  private async views(db: Executor, rows: readonly ItemRow[]) {
    const channels = await this.repo.channels(
      db,
      rows.map((r) => Number(r.id)),
    );
    return rows.map((r) => toItem(r, channels));
  }

  private async visible(db: Executor, scope: Scope, id: number, lock = false): Promise<ItemRow> {
    const r = await this.repo.item(db, id, lock);
    if (!r || !inScope(scope, r.unitOrgId)) throw notFound();
    return r;
  }

  // --- reads ----------------------------------------------------------------------------------

  async page(actor: Actor, q: Static<typeof ItemQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      status: q.status,
      kind: q.kind,
      batchId: q.batchId,
      q: q.q?.trim() || undefined,
      orgIds: scope.all ? undefined : [...scope.orgIds],
      before: q.cursor,
      limit,
    });
    return {
      items: await this.views(this.ctx.db, rows),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async get(actor: Actor, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const r = await this.visible(this.ctx.db, scope, id);
    const channels = await this.repo.channels(this.ctx.db, [Number(r.id)]);
    const policy = await this.config();
    const src = toSource(r, channels);
    return {
      item: toItem(r, channels),
      preview: { hans: projectPublic(src, policy, 'zh-Hans'), hant: projectPublic(src, policy, 'zh-Hant') },
    };
  }

  async batches(_actor: Actor) {
    return { items: (await this.repo.batches(this.ctx.db)).map(toBatch) };
  }

  async batch(actor: Actor, id: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    const [b] = await this.repo.batches(this.ctx.db, id);
    if (!b) throw notFound();
    const rows = (await this.repo.ofBatch(this.ctx.db, id)).filter((r) => inScope(scope, r.unitOrgId));
    return { batch: toBatch(b), items: await this.views(this.ctx.db, rows) };
  }

  async candidates(actor: Actor, q: Static<typeof CandidateQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const rows = await this.repo.candidates(this.ctx.db, {
      q: q.q?.trim() || undefined,
      orgIds: scope.all ? undefined : [...scope.orgIds],
      limit: q.limit ?? 30,
    });
    return {
      items: rows.map((p) => ({
        id: Number(p.id),
        number: p.number,
        categoryCode: p.categoryCode,
        description: p.description,
        unitOrgId: Number(p.unitOrgId),
        unitName: p.unitName,
        roundName: p.roundName,
        // The ledger's per-problem rule (ledger.mappers toProblem): every measure done.
        rectified: Number(p.measureCount) > 0 && Number(p.doneCount) === Number(p.measureCount),
      })),
    };
  }

  // --- 定时+适时: the progress reports of round-units whose period has ended --------------------

  /** What a report says, from the ledger's summary rows (its one definition of the figures). */
  private async snapshot(db: Executor, ru: { id: number; roundId: number; unitOrgId: number }) {
    const f = await this.summaries.figures(db, { roundId: ru.roundId, unitOrgId: ru.unitOrgId });
    const cats = await this.repo.categories(db, ru.id);
    const problems = await this.repo.problemCounts(db, ru.id);
    const snap: ReportSnapshot = {
      figures: {
        problems: f.problems,
        rectifiedProblems: f.rectifiedProblems,
        measures: f.measures,
        doneMeasures: f.doneMeasures,
        rulesEstablished: f.rulesEstablished,
        peopleHeldAccountable: f.peopleHeldAccountable,
        casesFiled: f.casesFiled,
        fundsReturnedFen: f.fundsReturnedFen,
        lossesRecoveredFen: f.lossesRecoveredFen,
      },
      categories: cats.map((c) => ({
        code: c.categoryCode,
        labelHans: c.labelZhCn ?? c.categoryCode,
        labelHant: c.labelZhTw ?? toHant(c.labelZhCn ?? c.categoryCode),
        problems: Number(c.problems),
        rectified: Number(c.rectified),
      })),
      problems: problems.map((p) => ({
        number: p.number,
        categoryCode: p.categoryCode,
        // The ledger's per-problem rule (ledger.mappers toProblem and the summary rebuild).
        rectified: Number(p.measureCount) > 0 && Number(p.doneCount) === Number(p.measureCount),
      })),
    };
    return snap;
  }

  /**
   * Drafts the report of every round-unit whose rectification period ended before `now` (Shanghai
   * date) and has none for its current cycle; each in its own transaction with its audit record. A
   * second caller racing for the same round-unit loses on the unique report key and skips it.
   */
  async draftDue(audit: AuditContext, now: number, actorId: number | null) {
    const today = shanghaiDate(now);
    const due = await this.repo.dueRoundUnits(this.ctx.db, today, 500);
    const ids: number[] = [];
    for (const d of due) {
      const key = `${Number(d.id)}:${Number(d.cycle)}`;
      try {
        const id = await this.ctx.db.transaction().execute(async (trx) => {
          const ru = { id: Number(d.id), roundId: Number(d.roundId), unitOrgId: Number(d.unitOrgId) };
          const snap = await this.snapshot(trx, ru);
          const hans = reportWording('zh-CN', d.unitName, d.roundName, snap.figures);
          const hant = reportWording('zh-TW', toHant(d.unitName), toHant(d.roundName), snap.figures);
          const id = await this.repo.insertItem(trx, {
            kind: 'report',
            status: 'draft',
            batchId: null,
            roundUnitId: ru.id,
            roundId: ru.roundId,
            termId: Number(d.termId),
            unitOrgId: ru.unitOrgId,
            cycle: Number(d.cycle),
            problemId: null,
            reportKey: key,
            titleHans: hans.title.slice(0, 300),
            titleHant: hant.title.slice(0, 300),
            bodyHans: hans.lead,
            bodyHant: hant.lead,
            snapshot: JSON.stringify(snap),
            persons: '[]',
            internalNote: null,
            publishedOn: null,
            createdBy: actorId,
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
          await this.ctx.audit.record(trx, audit, {
            action: 'disclosure.report.draft',
            entity: 'disclosure_item',
            entityId: id,
            after: { roundUnitId: ru.id, cycle: Number(d.cycle), figures: snap.figures },
          });
          return id;
        });
        ids.push(id);
      } catch (err) {
        const raced = await this.ctx.db
          .selectFrom('disclosureItems')
          .select('id')
          .where('reportKey', '=', key)
          .executeTakeFirst();
        if (!raced) throw err;
      }
    }
    return ids;
  }

  async draftDueFor(actor: Actor, audit: AuditContext) {
    const ids = await this.draftDue(audit, this.ctx.clock.now(), actor.userId);
    const rows = ids.length
      ? await this.repo.page(this.ctx.db, { limit: ids.length, before: Math.max(...ids) + 1 })
      : [];
    return {
      drafted: ids.length,
      items: await this.views(
        this.ctx.db,
        rows.filter((r) => ids.includes(Number(r.id))),
      ),
    };
  }

  /** The office refreshes a draft report's figures from the ledger as it is now. */
  async refresh(actor: Actor, audit: AuditContext, id: number, version: number) {
    const scope = await scopeOf(this.ctx.db, actor);
    return this.write(async (trx) => {
      const r = await this.visible(trx, scope, id, true);
      if (Number(r.version) !== version) throw stale((await this.views(trx, [r]))[0]);
      if (r.kind !== 'report' || !disclosureEditable(r.status)) throw new AppError(409, 'DISCLOSURE_NOT_EDITABLE');
      const snap = await this.snapshot(trx, {
        id: Number(r.roundUnitId),
        roundId: Number(r.roundId),
        unitOrgId: Number(r.unitOrgId),
      });
      await this.repo.updateItem(trx, id, version, { snapshot: JSON.stringify(snap), updatedAt: this.ctx.clock.now() });
      await this.ctx.audit.record(trx, audit, {
        action: 'disclosure.report.refresh',
        entity: 'disclosure_item',
        entityId: id,
        after: { figures: snap.figures },
      });
      return id;
    });
  }

  // --- 先曝光、后查处: typical problems in batches -------------------------------------------------

  async createBatch(actor: Actor, audit: AuditContext, input: Static<typeof CreateBatch>) {
    const now = this.ctx.clock.now();
    const id = await this.ctx.db.transaction().execute(async (trx) => {
      const number = await this.repo.nextBatchNumber(trx);
      const titleHans = input.titleHans.trim();
      const titleHant = input.titleHant?.trim() || toHant(titleHans);
      const id = await this.repo.insertBatch(trx, {
        number,
        titleHans,
        titleHant,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'disclosure.batch.create',
        entity: 'disclosure_batch',
        entityId: id,
        after: { number, titleHans, titleHant },
      });
      return id;
    });
    return this.batch(actor, id);
  }

  private async checkBatch(db: Executor, batchId: number | null | undefined) {
    if (batchId === null || batchId === undefined) return;
    if (!(await this.repo.batch(db, batchId))) throw new AppError(400, 'INVALID_REFERENCE', { field: 'batchId' });
  }

  async createTypical(actor: Actor, audit: AuditContext, input: Static<typeof CreateTypical>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const now = this.ctx.clock.now();
    return this.write(async (trx) => {
      const p = await this.repo.problem(trx, input.problemId);
      if (!p || !inScope(scope, p.unitOrgId)) throw new AppError(400, 'INVALID_REFERENCE', { field: 'problemId' });
      await this.checkBatch(trx, input.batchId);
      if (await this.repo.problemTaken(trx, input.problemId)) throw new AppError(409, 'DISCLOSURE_PROBLEM_TAKEN');
      const titleHans = input.titleHans.trim();
      const id = await this.repo.insertItem(trx, {
        kind: 'typical',
        status: 'draft',
        batchId: input.batchId ?? null,
        roundUnitId: Number(p.roundUnitId),
        roundId: Number(p.roundId),
        termId: Number(p.termId),
        unitOrgId: Number(p.unitOrgId),
        cycle: Number(p.cycle),
        problemId: Number(p.id),
        reportKey: null,
        titleHans,
        titleHant: input.titleHant?.trim() || toHant(titleHans),
        bodyHans: input.bodyHans,
        bodyHant: input.bodyHant ?? toHant(input.bodyHans),
        snapshot: null,
        persons: JSON.stringify(input.persons ?? []),
        internalNote: input.internalNote?.trim() || null,
        publishedOn: null,
        createdBy: actor.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'disclosure.typical.create',
        entity: 'disclosure_item',
        entityId: id,
        after: { problemId: input.problemId, batchId: input.batchId ?? null, titleHans },
      });
      return id;
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateItem>) {
    const scope = await scopeOf(this.ctx.db, actor);
    return this.write(async (trx) => {
      const r = await this.visible(trx, scope, id, true);
      if (Number(r.version) !== input.version) throw stale((await this.views(trx, [r]))[0]);
      if (!disclosureEditable(r.status)) throw new AppError(409, 'DISCLOSURE_NOT_EDITABLE');
      if (input.batchId !== undefined && r.kind === 'report' && input.batchId !== null)
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'batchId' });
      await this.checkBatch(trx, input.batchId);
      const set: Partial<Selectable<DB['disclosureItems']>> = { updatedAt: this.ctx.clock.now() };
      if (input.batchId !== undefined) set.batchId = input.batchId;
      if (input.titleHans !== undefined) set.titleHans = input.titleHans.trim();
      if (input.titleHant !== undefined) set.titleHant = input.titleHant.trim();
      if (input.bodyHans !== undefined) set.bodyHans = input.bodyHans;
      if (input.bodyHant !== undefined) set.bodyHant = input.bodyHant;
      if (input.persons !== undefined) set.persons = JSON.stringify(input.persons);
      if (input.internalNote !== undefined) set.internalNote = input.internalNote?.trim() || null;
      await this.repo.updateItem(trx, id, input.version, set);
      const after = await this.repo.item(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'disclosure.update',
        entity: 'disclosure_item',
        entityId: id,
        before: image(r),
        after: image(after!),
      });
      return id;
    });
  }

  // --- the state machine --------------------------------------------------------------------------

  private moves(extra: { reason?: string; publishedOn?: string }): Record<string, Move> {
    return {
      submit: {
        to: 'submitted',
        action: 'disclosure.submit',
        set: (now, by) => ({ submittedAt: now, submittedBy: by }),
      },
      approve: {
        to: 'approved',
        action: 'disclosure.approve',
        set: (now, by) => ({ approvedAt: now, approvedBy: by, returnedNote: null }),
      },
      return: {
        to: 'draft',
        action: 'disclosure.return',
        set: () => ({ returnedNote: extra.reason ?? null, submittedAt: null, submittedBy: null }),
      },
      publish: {
        to: 'published',
        action: 'disclosure.publish',
        set: (now, by, today) => ({ publishedAt: now, publishedBy: by, publishedOn: extra.publishedOn ?? today }),
      },
      withdraw: {
        to: 'withdrawn',
        action: 'disclosure.withdraw',
        set: (now, by) => ({ withdrawnAt: now, withdrawnBy: by, withdrawReason: extra.reason ?? null }),
      },
    };
  }

  private checkDate(d: string | undefined) {
    if (d !== undefined && (!isValidDate(d) || d > this.today())) throw new AppError(400, 'DISCLOSURE_DATE_INVALID');
  }

  private checkChannels(cfg: DisclosureConfig, list: readonly { channel: string; publishedOn: string }[]) {
    for (const c of list) {
      if (!cfg.channels.includes(c.channel))
        throw new AppError(400, 'DISCLOSURE_CHANNEL_UNKNOWN', { channel: c.channel });
      this.checkDate(c.publishedOn);
    }
  }

  /** One move of one item inside the caller's transaction; answers the row before it. */
  private async moveIn(
    trx: Transaction<DB>,
    audit: AuditContext,
    actor: Actor,
    r: ItemRow,
    name: string,
    move: Move,
    version: number,
    channels: readonly { channel: string; publishedOn: string }[],
  ) {
    const id = Number(r.id);
    if (Number(r.version) !== version) throw stale((await this.views(trx, [r]))[0]);
    if (!canMoveDisclosure(r.status, move.to))
      throw new AppError(409, 'DISCLOSURE_TRANSITION_INVALID', { from: r.status, to: move.to });
    const now = this.ctx.clock.now();
    await this.repo.updateItem(trx, id, version, {
      status: move.to,
      ...move.set(now, actor.userId, this.today()),
      updatedAt: now,
    });
    for (const c of channels) await this.putChannel(trx, actor, id, c.channel, c.publishedOn, null);
    const after = await this.repo.item(trx, id);
    await this.ctx.audit.record(trx, audit, {
      action: move.action,
      entity: 'disclosure_item',
      entityId: id,
      before: image(r),
      after: { ...image(after!), move: name, channels },
    });
  }

  async move(
    actor: Actor,
    audit: AuditContext,
    id: number,
    name: 'submit' | 'approve' | 'return' | 'publish' | 'withdraw',
    body: { version: number; reason?: string } & Partial<Static<typeof PublishBody>>,
  ) {
    this.checkDate(body.publishedOn);
    const cfg = await this.config(); // read before the transaction (one connection at a time)
    const channels = name === 'publish' ? (body.channels ?? []) : [];
    this.checkChannels(cfg, channels);
    const scope = await scopeOf(this.ctx.db, actor);
    const move = this.moves({ reason: body.reason?.trim(), publishedOn: body.publishedOn })[name]!;
    return this.write(async (trx) => {
      const r = await this.visible(trx, scope, id, true);
      await this.moveIn(trx, audit, actor, r, name, move, body.version, channels);
      return id;
    });
  }

  /** Moves every item of a batch that is in the move's source state (submit drafts, approve the submitted …). */
  async moveBatch(
    actor: Actor,
    audit: AuditContext,
    batchId: number,
    name: 'submit' | 'approve' | 'publish',
    body: Static<typeof BatchAction>,
  ) {
    this.checkDate(body.publishedOn);
    const cfg = await this.config();
    const channels = name === 'publish' ? (body.channels ?? []) : [];
    this.checkChannels(cfg, channels);
    const scope = await scopeOf(this.ctx.db, actor);
    const from: DisclosureStatus = name === 'submit' ? 'draft' : name === 'approve' ? 'submitted' : 'approved';
    const move = this.moves({ publishedOn: body.publishedOn })[name]!;
    const ids = await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.repo.batch(trx, batchId))) throw notFound();
      const rows = (await this.repo.ofBatch(trx, batchId)).filter(
        (r) => r.status === from && inScope(scope, r.unitOrgId),
      );
      if (!rows.length) throw new AppError(409, 'DISCLOSURE_BATCH_EMPTY', { from });
      for (const r of rows) {
        const locked = await this.visible(trx, scope, Number(r.id), true);
        await this.moveIn(trx, audit, actor, locked, name, move, Number(locked.version), channels);
      }
      return rows.map((r) => Number(r.id));
    });
    const items = await this.views(
      this.ctx.db,
      (await this.repo.ofBatch(this.ctx.db, batchId)).filter((r) => ids.includes(Number(r.id))),
    );
    return { changed: ids.length, items };
  }

  private async putChannel(
    trx: Executor,
    actor: Actor,
    itemId: number,
    channel: string,
    publishedOn: string,
    note: string | null,
  ) {
    const existing = await this.repo.channelOf(trx, itemId, channel);
    if (existing) await this.repo.updateChannel(trx, Number(existing.id), { publishedOn, note: note ?? existing.note });
    else
      await this.repo.insertChannel(trx, {
        itemId,
        channel,
        publishedOn,
        note,
        recordedBy: actor.userId,
        recordedAt: this.ctx.clock.now(),
      });
  }

  /** The office records (or corrects the date of) a channel a published item appeared in. */
  async recordChannel(actor: Actor, audit: AuditContext, id: number, input: Static<typeof RecordChannel>) {
    const cfg = await this.config();
    this.checkChannels(cfg, [input]);
    const scope = await scopeOf(this.ctx.db, actor);
    return this.write(async (trx) => {
      const r = await this.visible(trx, scope, id, true);
      if (r.status !== 'published')
        throw new AppError(409, 'DISCLOSURE_TRANSITION_INVALID', { from: r.status, to: 'published' });
      await this.putChannel(trx, actor, id, input.channel, input.publishedOn, input.note?.trim() || null);
      await this.ctx.audit.record(trx, audit, {
        action: 'disclosure.channel',
        entity: 'disclosure_item',
        entityId: id,
        after: { channel: input.channel, publishedOn: input.publishedOn, note: input.note ?? null },
      });
      return id;
    });
  }

  /** Runs a write on one item and answers the item's detail as it is after the commit. */
  private async write(fn: (trx: Transaction<DB>) => Promise<number>) {
    const id = await this.ctx.db.transaction().execute((trx) => fn(trx));
    const r = await this.repo.item(this.ctx.db, id);
    return (await this.views(this.ctx.db, [r!]))[0]!;
  }

  // --- the public side ----------------------------------------------------------------------------

  async publicPage(lang: SiteLang, f: { q?: string; kind?: string; page: number; perPage: number }) {
    const policy = await this.config();
    const { rows, total } = await this.repo.publishedPage(this.ctx.db, {
      q: f.q?.trim() || undefined,
      kind: f.kind,
      offset: (f.page - 1) * f.perPage,
      limit: f.perPage,
    });
    const channels = await this.repo.channels(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
    );
    return {
      total,
      pages: Math.max(1, Math.ceil(total / f.perPage)),
      items: rows.map((r) => projectPublic(toSource(r, channels), policy, lang)),
    };
  }

  /** A published item's public view; 'gone' when it was withdrawn after publishing, null otherwise. */
  async publicItem(lang: SiteLang, id: number) {
    const r = await this.repo.publishedItem(this.ctx.db, id);
    if (!r) return (await this.repo.wasWithdrawnAfterPublishing(this.ctx.db, id)) ? 'gone' : null;
    const policy = await this.config();
    const channels = await this.repo.channels(this.ctx.db, [id]);
    return projectPublic(toSource(r, channels), policy, lang);
  }
}

/**
 * For the scheduler (定时): drafts the reports that are due at `now`, as the system (no user), with
 * the audit trail of each. Answers the new items' ids.
 */
export async function draftDueReports(ctx: AppContext, now: number): Promise<{ drafted: number; ids: number[] }> {
  const ids = await new DisclosureService(ctx).draftDue(
    { actorId: null, actorName: 'scheduler', ip: null, requestId: null },
    now,
    null,
  );
  return { drafted: ids.length, ids };
}
