import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { isValidDate } from '../../../../domain/calendar.js';
import { decideHandover, type HandoverAction, handoverKind } from '../../../../domain/handover.js';
import type { DB } from '../../db/types.js';
import { scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, forbidden, invalid, notFound, stale } from '../../platform/errors.js';
import { visible } from '../ledger/ledger.scope.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { toHandover, toItem, toNote } from './handover.mappers.js';
import type { HandoverRepository, HandoverViewer } from './handover.repository.js';
import type {
  AcceptHandover,
  AddNote,
  ConcludeItem,
  CreateHandover,
  DispatchItem,
  HandoverQuery,
  LedgerQuery,
  ReturnHandover,
} from './handover.schemas.js';

type Trx = Transaction<DB>;
type Executor = AppContext['db'] | Trx;
type ItemRow = NonNullable<Awaited<ReturnType<HandoverRepository['item']>>>;

/**
 * 移交 (SPEC M9). The inspection office hands long-term and unrectified problems to a 党风政风室;
 * it accepts them into its supervision responsibility list (or returns them with a reason before
 * accepting) and dispatches each item to a supervision office, whose supervision ledger keeps its
 * follow-up notes and its conclusion. The moves and who makes them are domain/handover.ts's table.
 *
 * Who sees what: the office every handover; a 党风政风室 the handovers addressed to it (or to an
 * organisation below it); a supervision office the items dispatched to it — with their problems'
 * details even when the unit is outside its liaison, because they were given to it; anyone else
 * nothing (404, as for a record that does not exist).
 *
 * A problem may be handed over while it has a 长期坚持 measure not closed ('long_term') or any
 * measure not done ('unrectified'), and is in at most one live handover (handed over, accepted or
 * dispatched) at a time; a returned or concluded one may be handed over again.
 */
export class HandoverService {
  constructor(
    private readonly ctx: AppContext,
    readonly repo: HandoverRepository,
    private readonly ledger: LedgerService,
  ) {}

  async viewer(actor: Actor): Promise<HandoverViewer> {
    switch (actor.role) {
      case 'office':
      case 'leader': // SPEC §2: the leadership sees every record (read-only: it holds no handover.* write)
        return { kind: 'all' };
      case 'discipline': {
        const scope = await scopeOf(this.ctx.db, actor);
        return { kind: 'receiver', orgIds: scope.all ? [actor.orgId] : [...scope.orgIds] };
      }
      case 'supervisor':
        return { kind: 'supervisor', orgId: actor.orgId };
      default:
        return { kind: 'none' };
    }
  }

  private sees(v: HandoverViewer, item: { receivingOrgId: number | string; supervisorOrgId: number | string | null }) {
    switch (v.kind) {
      case 'all':
        return true;
      case 'receiver':
        return v.orgIds.includes(Number(item.receivingOrgId));
      case 'supervisor':
        return item.supervisorOrgId !== null && Number(item.supervisorOrgId) === v.orgId;
      default:
        return false;
    }
  }

  // --- reads ----------------------------------------------------------------------------------

  private async countsOf(db: Executor, ids: number[], v: HandoverViewer) {
    const out = new Map<number, Record<string, number>>();
    for (const id of ids) out.set(id, {});
    for (const c of await this.repo.counts(db, ids, v)) out.get(Number(c.handoverId))![c.status] = Number(c.n);
    return out;
  }

  private async handoverView(db: Executor, actor: Actor, id: number, v: HandoverViewer) {
    const h = await this.repo.handover(db, id);
    if (!h) throw notFound();
    const items = await this.repo.itemsOfHandover(db, id, v);
    if (!items.length) throw notFound(); // nothing of it is the caller's
    const counts: Record<string, number> = {};
    for (const i of items) counts[i.status] = (counts[i.status] ?? 0) + 1;
    return { ...toHandover(h, counts), items: items.map((i) => toItem(i, actor.role)) };
  }

  async get(actor: Actor, id: number) {
    return this.handoverView(this.ctx.db, actor, id, await this.viewer(actor));
  }

  async page(actor: Actor, q: Static<typeof HandoverQuery>) {
    const viewer = await this.viewer(actor);
    const limit = q.limit ?? 50;
    if (viewer.kind === 'none') return { items: [], nextCursor: null };
    const rows = await this.repo.handoverPage(this.ctx.db, {
      viewer,
      receivingOrgId: q.receivingOrgId,
      pending: q.pending,
      before: q.cursor,
      limit,
    });
    const counts = await this.countsOf(
      this.ctx.db,
      rows.map((r) => Number(r.id)),
      viewer,
    );
    return {
      items: rows.map((r) => toHandover(r, counts.get(Number(r.id)) ?? {})),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  private async itemDetail(db: Executor, actor: Actor, row: ItemRow) {
    const [measures, notes] = await Promise.all([
      this.repo.measuresOfProblem(db, Number(row.problemId)),
      this.repo.notes(db, Number(row.id)),
    ]);
    return {
      ...toItem(row, actor.role),
      measures: measures.map((m) => ({
        id: Number(m.id),
        content: m.content,
        type: m.type,
        status: m.status,
        effectiveDeadline: m.effectiveDeadline,
        ownerName: m.ownerName,
      })),
      notes: notes.map(toNote),
    };
  }

  async getItem(actor: Actor, id: number) {
    const viewer = await this.viewer(actor);
    const row = await this.repo.item(this.ctx.db, id);
    if (!row || !this.sees(viewer, row)) throw notFound();
    return this.itemDetail(this.ctx.db, actor, row);
  }

  /** 监督台账 / 监督责任清单: the items the caller's office sees, newest first. */
  async ledgerPage(actor: Actor, q: Static<typeof LedgerQuery>) {
    const viewer = await this.viewer(actor);
    const limit = q.limit ?? 50;
    if (viewer.kind === 'none') return { items: [], nextCursor: null };
    const rows = await this.repo.itemPage(this.ctx.db, {
      viewer,
      status: q.status,
      supervisorOrgId: q.supervisorOrgId,
      unitOrgId: q.unitOrgId,
      before: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => toItem(r, actor.role)),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  // --- writes ---------------------------------------------------------------------------------

  /** The table's verdict on a move: 403 for a role that never makes it, 409 from the wrong state. */
  private decide(from: string, action: HandoverAction, actor: Actor) {
    const d = decideHandover(from, action, actor.role);
    if (d.ok) return d.to;
    if (d.reason === 'role') throw forbidden();
    throw new AppError(409, 'INVALID_TRANSITION', { from: d.from, to: d.to });
  }

  async create(actor: Actor, audit: AuditContext, input: Static<typeof CreateHandover>) {
    const note = input.note?.trim() || null;
    const readScope = await this.ledger.readScope(actor);
    const now = this.ctx.clock.now();
    const problemIds = [...new Set(input.problemIds)];
    return this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.repo.activeOrgOfType(trx, input.receivingOrgId, 'discipline_office')))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'receivingOrgId' });
      const found = (await this.repo.problems(trx, problemIds)).filter((p) =>
        visible(readScope, Number(p.unitOrgId), p.categoryCode),
      );
      const foundIds = new Set(found.map((p) => Number(p.id)));
      const missing = problemIds.filter((id) => !foundIds.has(id));
      if (missing.length)
        throw new AppError(
          400,
          'INVALID_REFERENCE',
          { field: 'problemIds' },
          { problemIds: missing.sort((a, b) => a - b) },
        );
      // The ledger's writers of these round-units wait: whether a problem is still open is settled.
      await this.ledger.repo.lockRoundUnits(
        trx,
        found.map((p) => Number(p.roundUnitId)),
      );
      const measures = await this.repo.measuresOfProblems(trx, problemIds);
      const kinds = new Map<number, ReturnType<typeof handoverKind>>();
      for (const id of problemIds)
        kinds.set(
          id,
          handoverKind(
            measures
              .filter((m) => Number(m.problemId) === id)
              .map((m) => ({ type: m.type, status: m.status, isDone: !!Number(m.isDone) })),
          ),
        );
      const ineligible = problemIds.filter((id) => kinds.get(id) === null);
      if (ineligible.length)
        throw new AppError(
          409,
          'INVALID_TRANSITION',
          { from: 'rectified', to: 'handed_over' },
          { problemIds: ineligible.sort((a, b) => a - b) },
        );
      const live = await this.repo.liveProblems(trx, problemIds);
      if (live.length)
        throw new AppError(409, 'DUPLICATE', { field: 'problemIds' }, { problemIds: live.sort((a, b) => a - b) });
      const id = await this.repo.insertHandover(trx, {
        receivingOrgId: input.receivingOrgId,
        note,
        sentBy: actor.userId,
        sentAt: now,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.insertItems(
        trx,
        found.map((p) => ({
          handoverId: id,
          problemId: Number(p.id),
          roundUnitId: Number(p.roundUnitId),
          unitOrgId: Number(p.unitOrgId),
          receivingOrgId: input.receivingOrgId,
          kind: kinds.get(Number(p.id))!,
          status: 'handed_over',
          openProblemId: Number(p.id),
          acceptedBy: null,
          acceptedAt: null,
          returnedBy: null,
          returnedAt: null,
          returnReason: null,
          supervisorOrgId: null,
          dispatchedBy: null,
          dispatchedAt: null,
          dispatchNote: null,
          dueDate: null,
          concludedBy: null,
          concludedAt: null,
          conclusion: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      const after = await this.handoverView(trx, actor, id, { kind: 'all' });
      await this.ctx.audit.record(trx, audit, {
        action: 'handover.create',
        entity: 'handover',
        entityId: id,
        after: {
          receivingOrgId: after.receivingOrgId,
          note,
          items: after.items.map((i) => ({ id: i.id, problemId: i.problemId, kind: i.kind, status: i.status })),
        },
      });
      return after;
    });
  }

  /** Accept or return items of a handover: the 党风政风室 it was addressed to, with the version it read. */
  private async decideItems(
    actor: Actor,
    audit: AuditContext,
    id: number,
    action: 'accept' | 'return',
    input: { version: number; itemIds?: number[]; reason?: string },
  ) {
    const reason = input.reason?.trim() ?? null;
    if (action === 'return' && !reason) throw invalid('reason is required');
    const viewer = await this.viewer(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const h = await this.repo.handover(trx, id);
      if (!h) throw notFound();
      const items = await this.repo.itemsOfHandover(trx, id, viewer);
      if (!items.length) throw notFound();
      const waiting = items.filter((i) => i.status === 'handed_over');
      let targets = waiting;
      if (input.itemIds) {
        const byId = new Map(items.map((i) => [Number(i.id), i]));
        const unknown = input.itemIds.filter((x) => !byId.has(x));
        if (unknown.length) throw new AppError(400, 'INVALID_REFERENCE', { field: 'itemIds' }, { itemIds: unknown });
        targets = input.itemIds.map((x) => byId.get(x)!);
      }
      // The table decides: the role first (403), then the version read, then each item's state (409).
      const role = decideHandover('handed_over', action, actor.role);
      if (!role.ok && role.reason === 'role') throw forbidden();
      const before = await this.handoverView(trx, actor, id, viewer);
      if (Number(h.version) !== input.version) throw stale(before);
      if (!targets.length)
        throw new AppError(409, 'INVALID_TRANSITION', {
          from: 'accepted',
          to: action === 'accept' ? 'accepted' : 'returned',
        });
      for (const i of targets) this.decide(i.status, action, actor);
      for (const i of targets) {
        const patch =
          action === 'accept'
            ? { status: 'accepted', acceptedBy: actor.userId, acceptedAt: now, updatedAt: now }
            : {
                status: 'returned',
                openProblemId: null,
                returnedBy: actor.userId,
                returnedAt: now,
                returnReason: reason,
                updatedAt: now,
              };
        if (!(await this.repo.updateItem(trx, Number(i.id), Number(i.version), patch))) throw stale(before);
      }
      if (!(await this.repo.bumpHandover(trx, id, input.version, now))) throw stale(before);
      const after = await this.handoverView(trx, actor, id, viewer);
      await this.ctx.audit.record(trx, audit, {
        action: action === 'accept' ? 'handover.accept' : 'handover.return',
        entity: 'handover',
        entityId: id,
        before: { version: before.version, items: targets.map((i) => ({ id: Number(i.id), status: i.status })) },
        after: {
          version: after.version,
          reason,
          items: after.items
            .filter((i) => targets.some((t) => Number(t.id) === i.id))
            .map((i) => ({ id: i.id, problemId: i.problemId, status: i.status })),
        },
      });
      return after;
    });
  }

  accept(actor: Actor, audit: AuditContext, id: number, input: Static<typeof AcceptHandover>) {
    return this.decideItems(actor, audit, id, 'accept', input);
  }

  returnItems(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReturnHandover>) {
    return this.decideItems(actor, audit, id, 'return', input);
  }

  /** The item for a move: seen by the caller (else 404), allowed by the table, at the version read. */
  private async itemForMove(
    trx: Trx,
    actor: Actor,
    viewer: HandoverViewer,
    id: number,
    action: HandoverAction,
    version: number | null,
  ) {
    const row = await this.repo.item(trx, id);
    if (!row || !this.sees(viewer, row)) throw notFound();
    const d = decideHandover(row.status, action, actor.role);
    if (!d.ok && d.reason === 'role') throw forbidden();
    if (version !== null && Number(row.version) !== version) throw stale(await this.itemDetail(trx, actor, row));
    return { row, to: this.decide(row.status, action, actor) };
  }

  async dispatch(actor: Actor, audit: AuditContext, id: number, input: Static<typeof DispatchItem>) {
    if (input.dueDate !== undefined && !isValidDate(input.dueDate)) throw invalid('dueDate is not a valid date');
    const note = input.note?.trim() || null;
    const viewer = await this.viewer(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { row, to } = await this.itemForMove(trx, actor, viewer, id, 'dispatch', input.version);
      if (!(await this.repo.activeOrgOfType(trx, input.supervisorOrgId, 'supervisor')))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'supervisorOrgId' });
      const ok = await this.repo.updateItem(trx, id, input.version, {
        status: to,
        supervisorOrgId: input.supervisorOrgId,
        dispatchedBy: actor.userId,
        dispatchedAt: now,
        dispatchNote: note,
        dueDate: input.dueDate ?? null,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.itemDetail(trx, actor, (await this.repo.item(trx, id))!));
      const after = await this.itemDetail(trx, actor, (await this.repo.item(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'handover.dispatch',
        entity: 'handover_item',
        entityId: id,
        before: { status: row.status, version: Number(row.version) },
        after: {
          status: after.status,
          version: after.version,
          supervisorOrgId: after.supervisorOrgId,
          dispatchNote: note,
          dueDate: after.dueDate,
        },
      });
      return after;
    });
  }

  async addNote(actor: Actor, audit: AuditContext, id: number, input: Static<typeof AddNote>) {
    const content = input.content.trim();
    if (!content) throw invalid('content is required');
    const viewer = await this.viewer(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.itemForMove(trx, actor, viewer, id, 'note', null);
      const noteId = await this.repo.insertNote(trx, {
        itemId: id,
        authorId: actor.userId,
        authorOrgId: actor.orgId,
        content,
        createdAt: now,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'handover.note',
        entity: 'handover_item',
        entityId: id,
        after: { noteId, content },
      });
      return this.itemDetail(trx, actor, (await this.repo.item(trx, id))!);
    });
  }

  async conclude(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ConcludeItem>) {
    const conclusion = input.conclusion.trim();
    if (!conclusion) throw invalid('conclusion is required');
    const viewer = await this.viewer(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const { row, to } = await this.itemForMove(trx, actor, viewer, id, 'conclude', input.version);
      const ok = await this.repo.updateItem(trx, id, input.version, {
        status: to,
        openProblemId: null,
        concludedBy: actor.userId,
        concludedAt: now,
        conclusion,
        updatedAt: now,
      });
      if (!ok) throw stale(await this.itemDetail(trx, actor, (await this.repo.item(trx, id))!));
      const after = await this.itemDetail(trx, actor, (await this.repo.item(trx, id))!);
      await this.ctx.audit.record(trx, audit, {
        action: 'handover.conclude',
        entity: 'handover_item',
        entityId: id,
        before: { status: row.status, version: Number(row.version) },
        after: { status: after.status, version: after.version, conclusion },
      });
      return after;
    });
  }
}
