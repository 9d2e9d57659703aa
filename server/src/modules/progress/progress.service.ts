import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import {
  isLate,
  type LongTermCadence,
  type PeriodKind,
  type ProgressReportStatus,
  type ReportingPeriod,
  reportingPeriods,
} from '../../../../domain/progress.js';
import { isDone, type MeasureStatus } from '../../../../domain/rectification.js';
import { ROLE_SCOPE } from '../../../../domain/roles.js';
import type { DB } from '../../db/types.js';
import { inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { requireRoundUnitFiles } from '../evidence/evidence.checks.js';
import { type EvidenceFileRow, EvidenceRepository } from '../evidence/evidence.repository.js';
import { LOCKED_MEASURE_STATUSES } from '../ledger/ledger.mappers.js';
import { type ReadScope, visible } from '../ledger/ledger.scope.js';
import { LedgerService, legalMeasureMove } from '../ledger/ledger.service.js';
import { SummaryRepository } from '../ledger/summaries.repository.js';
import { isUniqueViolation } from '../rounds/rounds.repository.js';
import { roundUnitInScope } from '../rounds/rounds.service.js';
import {
  type Executor,
  type ItemRow,
  ProgressRepository,
  type ReportRow,
  type VersionRow,
} from './progress.repository.js';
import type {
  CompareQuery,
  CreateReport,
  EvidenceFile,
  ReportItem,
  ReportQuery,
  ReturnBody,
  UpdateItem,
  UpdateReport,
} from './progress.schemas.js';

type Trx = Transaction<DB>;
type FileView = Static<typeof EvidenceFile>;
type ItemView = Static<typeof ReportItem>;

/** A signed-off revision as frozen in progress_report_versions.snapshot. */
interface Snapshot {
  summary: string | null;
  items: Omit<ItemView, 'measureStatus'>[];
}

/** Which state each step starts from (the transition table also allows pending_signoff → draft for "return"). */
const STEP_FROM: Record<'send' | 'return' | 'signoff' | 'revise', ProgressReportStatus> = {
  send: 'draft',
  return: 'pending_signoff',
  signoff: 'pending_signoff',
  revise: 'submitted',
};
const STEP_TO: Record<keyof typeof STEP_FROM, ProgressReportStatus> = {
  send: 'pending_signoff',
  return: 'draft',
  signoff: 'submitted',
  revise: 'draft',
};

const toFile = (f: EvidenceFileRow): FileView => ({
  id: Number(f.id),
  name: f.name,
  size: Number(f.size),
  kind: f.kind,
  sm3: f.sm3,
});

function parseIds(json: string): number[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
}

/**
 * 整改进展报告 (SPEC M6). The unit's liaison drafts a report per reporting period (items pre-filled
 * from the ledger), sends it to the unit head, who returns it or signs it off; signing off submits it:
 * the reported statuses reach the measures, the evidence is linked, the revision is frozen as a
 * version and the dashboard counters are rebuilt, all in one transaction. A draft is the unit's own
 * business: supervisors and leaders see a report only as last signed off.
 */
export class ProgressService {
  readonly repo = new ProgressRepository();
  private readonly evidence = new EvidenceRepository();
  private readonly summaries = new SummaryRepository();
  private readonly ledger: LedgerService;

  constructor(private readonly ctx: AppContext) {
    this.ledger = new LedgerService(ctx);
  }

  private today(): string {
    return shanghaiDate(this.ctx.clock.now());
  }

  /** The inspection office and the unit itself see drafts; supervisors and leaders see signed-off versions. */
  private seesDrafts(actor: Actor): boolean {
    return actor.role === 'office' || ROLE_SCOPE[actor.role] === 'own';
  }

  private async cadence() {
    return (await this.ctx.settings.get('system.rectification')).longTermCadence;
  }

  /**
   * The reporting periods of a round-unit up to today's next one; none without a deadline. The cadence
   * (a setting) is read by the caller before any transaction: the settings are loaded through their own
   * connection, and a transaction waiting for a second connection can exhaust the pool under a burst.
   */
  private async periodsOf(
    db: Executor,
    ru: { id: number | string; deadline: string | null },
    reported: Set<number>,
    cadence: LongTermCadence,
  ) {
    if (!ru.deadline) return [] as ReportingPeriod[];
    const all = reportingPeriods(ru.deadline, cadence, this.today());
    // Later periods are owed only while long-term or unfinished measures remain.
    if (all.length > 1 && !(await this.repo.hasOngoingMeasures(db, Number(ru.id))))
      return all.filter((p) => p.seq === 1 || reported.has(p.seq));
    return all;
  }

  // --- views ----------------------------------------------------------------------------------

  private async filesById(db: Executor, items: readonly { fileIds: string }[]) {
    const ids = items.flatMap((i) => parseIds(i.fileIds));
    return new Map((await this.evidence.files(db, ids)).map((f) => [Number(f.id), toFile(f)]));
  }

  private itemView(i: ItemRow, files: Map<number, FileView>): ItemView {
    return {
      measureId: Number(i.measureId),
      problemId: Number(i.problemId),
      problemNumber: i.problemNumber,
      seq: Number(i.seq),
      content: i.content,
      type: i.type,
      categoryCode: i.categoryCode,
      measureStatus: i.measureStatus,
      reportedStatus: i.reportedStatus,
      narrative: i.narrative,
      files: parseIds(i.fileIds)
        .map((id) => files.get(id))
        .filter((f): f is FileView => !!f),
    };
  }

  private head(r: ReportRow) {
    const submittedAt = r.submittedAt === null ? null : Number(r.submittedAt);
    return {
      id: Number(r.id),
      roundUnitId: Number(r.roundUnitId),
      roundId: Number(r.roundId),
      termId: Number(r.termId),
      unitOrgId: Number(r.unitOrgId),
      unitName: r.unitName,
      periodSeq: Number(r.periodSeq),
      periodKind: r.periodKind as PeriodKind,
      dueDate: r.dueDate,
      status: r.status as ProgressReportStatus,
      revision: Number(r.revision),
      late: !!Number(r.late),
      overdue: submittedAt === null && isLate(r.dueDate, this.today()),
      submittedAt,
      updatedAt: Number(r.updatedAt),
    };
  }

  /** What a caller who does not see drafts sees of a report in its list: its last signed-off state. */
  private publicHead(r: ReportRow) {
    const h = this.head(r);
    return { ...h, status: 'submitted' as const, revision: h.status === 'submitted' ? h.revision : h.revision - 1 };
  }

  /** The report as it stands (the unit and the office). */
  private async liveView(db: Executor, r: ReportRow, scope?: ReadScope) {
    const rows = (await this.repo.items(db, Number(r.id))).filter(
      (i) => !scope || visible(scope, i.unitOrgId, i.categoryCode),
    );
    const files = await this.filesById(db, rows);
    return {
      ...this.head(r),
      summary: r.summary,
      preparedBy: r.preparedBy === null ? null : Number(r.preparedBy),
      sentForSignoffAt: r.sentForSignoffAt === null ? null : Number(r.sentForSignoffAt),
      signedBy: r.signedBy === null ? null : Number(r.signedBy),
      signedByName: r.signedByName ?? null,
      returnedBy: r.returnedBy === null ? null : Number(r.returnedBy),
      returnedAt: r.returnedAt === null ? null : Number(r.returnedAt),
      returnNote: r.returnNote,
      version: Number(r.version),
      createdAt: Number(r.createdAt),
      items: rows.map((i) => this.itemView(i, files)),
    };
  }

  private async snapshotItems(db: Executor, v: VersionRow, scope: ReadScope, unitOrgId: number): Promise<ItemView[]> {
    const snap = JSON.parse(v.snapshot) as Snapshot;
    const items = snap.items.filter((i) => visible(scope, unitOrgId, i.categoryCode));
    const statuses = await this.repo.measureStatuses(
      db,
      items.map((i) => i.measureId),
    );
    return items.map((i) => ({ ...i, measureStatus: statuses.get(i.measureId) ?? null }));
  }

  /** The report as last signed off (supervisors and leaders); 404 when it never was. */
  private async submittedView(db: Executor, r: ReportRow, scope: ReadScope) {
    const v = await this.repo.lastVersion(db, Number(r.id));
    if (!v) throw notFound();
    const snap = JSON.parse(v.snapshot) as Snapshot;
    return {
      ...this.publicHead(r),
      revision: Number(v.revision),
      late: !!Number(v.late),
      submittedAt: Number(v.submittedAt),
      updatedAt: Number(v.submittedAt),
      summary: snap.summary,
      preparedBy: v.preparedBy === null ? null : Number(v.preparedBy),
      sentForSignoffAt: null,
      signedBy: v.signedBy === null ? null : Number(v.signedBy),
      signedByName: v.signedByName ?? null,
      returnedBy: null,
      returnedAt: null,
      returnNote: null,
      version: Number(r.version),
      createdAt: Number(r.createdAt),
      items: await this.snapshotItems(db, v, scope, Number(r.unitOrgId)),
    };
  }

  /** The report for a reader: 404 when absent or out of scope. */
  private async readable(actor: Actor, id: number) {
    const r = await this.repo.report(this.ctx.db, id);
    if (!r || !inScope(await scopeOf(this.ctx.db, actor), r.unitOrgId)) throw notFound();
    return r;
  }

  // --- reads ----------------------------------------------------------------------------------

  async periods(actor: Actor, roundUnitId: number) {
    const ru = await roundUnitInScope(this.ctx.db, actor, roundUnitId);
    const cadence = await this.cadence();
    const reports = await this.repo.reportsOfRoundUnit(this.ctx.db, roundUnitId);
    const bySeq = new Map(reports.map((r) => [Number(r.periodSeq), r]));
    const periods = await this.periodsOf(this.ctx.db, ru, new Set(bySeq.keys()), cadence);
    const drafts = this.seesDrafts(actor);
    const today = this.today();
    return {
      deadline: ru.deadline,
      cadence,
      items: periods.map((p) => {
        const r = bySeq.get(p.seq);
        const shown = r && (drafts || r.submittedAt !== null) ? (drafts ? this.head(r) : this.publicHead(r)) : null;
        return {
          seq: p.seq,
          kind: p.kind,
          dueDate: r?.dueDate ?? p.dueDate,
          overdue: (!r || r.submittedAt === null) && isLate(r?.dueDate ?? p.dueDate, today),
          report: shown
            ? {
                id: shown.id,
                status: shown.status,
                revision: shown.revision,
                late: shown.late,
                dueDate: shown.dueDate,
                submittedAt: shown.submittedAt,
              }
            : null,
        };
      }),
    };
  }

  async get(actor: Actor, id: number) {
    const r = await this.readable(actor, id);
    const scope = await this.ledger.readScope(actor);
    if (this.seesDrafts(actor)) return this.liveView(this.ctx.db, r, scope);
    return this.submittedView(this.ctx.db, r, scope);
  }

  async page(actor: Actor, q: Static<typeof ReportQuery>) {
    const scope = await scopeOf(this.ctx.db, actor);
    const drafts = this.seesDrafts(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      orgIds: scope.all ? undefined : scope.orgIds,
      submittedOnly: !drafts,
      status: q.status,
      late: q.late,
      roundId: q.roundId,
      unitOrgId: q.unitOrgId,
      roundUnitId: q.roundUnitId,
      cursor: q.cursor,
      limit,
    });
    return {
      items: rows.map((r) => (drafts ? this.head(r) : this.publicHead(r))),
      nextCursor: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
    };
  }

  async versions(actor: Actor, id: number) {
    await this.readable(actor, id);
    const rows = await this.repo.versions(this.ctx.db, id);
    return { items: rows.map((v) => this.versionSummary(v)) };
  }

  private versionSummary(v: VersionRow) {
    return {
      revision: Number(v.revision),
      submittedAt: Number(v.submittedAt),
      late: !!Number(v.late),
      signedBy: v.signedBy === null ? null : Number(v.signedBy),
      signedByName: v.signedByName ?? null,
    };
  }

  private async versionOf(actor: Actor, id: number, revision: number) {
    const r = await this.readable(actor, id);
    const v = await this.repo.version(this.ctx.db, id, revision);
    if (!v) throw notFound();
    return { r, v };
  }

  async version(actor: Actor, id: number, revision: number) {
    const { r, v } = await this.versionOf(actor, id, revision);
    const scope = await this.ledger.readScope(actor);
    const snap = JSON.parse(v.snapshot) as Snapshot;
    return {
      ...this.versionSummary(v),
      reportId: Number(r.id),
      preparedBy: v.preparedBy === null ? null : Number(v.preparedBy),
      summary: snap.summary,
      items: await this.snapshotItems(this.ctx.db, v, scope, Number(r.unitOrgId)),
    };
  }

  async compare(actor: Actor, id: number, q: Static<typeof CompareQuery>) {
    const a = await this.versionOf(actor, id, q.from);
    const b = await this.versionOf(actor, id, q.to);
    const scope = await this.ledger.readScope(actor);
    const unit = Number(a.r.unitOrgId);
    const fromSnap = JSON.parse(a.v.snapshot) as Snapshot;
    const toSnap = JSON.parse(b.v.snapshot) as Snapshot;
    const shown = (s: Snapshot) => s.items.filter((i) => visible(scope, unit, i.categoryCode));
    const before = new Map(shown(fromSnap).map((i) => [i.measureId, i]));
    const after = new Map(shown(toSnap).map((i) => [i.measureId, i]));
    const order = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
    return {
      from: q.from,
      to: q.to,
      summaryChanged: (fromSnap.summary ?? '') !== (toSnap.summary ?? ''),
      items: order.map((measureId) => {
        const x = before.get(measureId);
        const y = after.get(measureId);
        const any = (y ?? x)!;
        const xFiles = new Set((x?.files ?? []).map((f) => f.id));
        const yFiles = new Set((y?.files ?? []).map((f) => f.id));
        return {
          measureId,
          problemNumber: any.problemNumber,
          seq: any.seq,
          content: any.content,
          from: x ? { reportedStatus: x.reportedStatus, narrative: x.narrative } : null,
          to: y ? { reportedStatus: y.reportedStatus, narrative: y.narrative } : null,
          statusChanged: x?.reportedStatus !== y?.reportedStatus,
          narrativeChanged: x?.narrative !== y?.narrative,
          filesAdded: (y?.files ?? []).filter((f) => !xFiles.has(f.id)),
          filesRemoved: (x?.files ?? []).filter((f) => !yFiles.has(f.id)),
        };
      }),
    };
  }

  // --- writes ---------------------------------------------------------------------------------

  async create(actor: Actor, audit: AuditContext, roundUnitId: number, input: Static<typeof CreateReport>) {
    const scope = await this.ledger.scope(actor);
    const cadence = await this.cadence();
    const now = this.ctx.clock.now();
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        await this.ledger.writableRoundUnit(trx, scope, roundUnitId);
        const ru = (await this.repo.roundUnit(trx, roundUnitId))!;
        if (!ru.deadline) throw new AppError(409, 'FEEDBACK_REQUIRED');
        const existing = await this.repo.reportOfPeriod(trx, roundUnitId, input.periodSeq);
        if (existing) throw this.duplicate(Number(existing.id));
        const periods = await this.periodsOf(trx, ru, new Set(), cadence);
        const period = periods.find((p) => p.seq === input.periodSeq);
        if (!period)
          throw invalid(`periodSeq: period ${input.periodSeq} is not open for reporting`, {
            periods: periods.map((p) => p.seq),
          });
        const id = await this.repo.insertReport(trx, {
          roundUnitId,
          roundId: Number(ru.roundId),
          termId: Number(ru.termId),
          unitOrgId: Number(ru.unitOrgId),
          periodSeq: period.seq,
          periodKind: period.kind,
          dueDate: period.dueDate,
          status: 'draft',
          revision: 1,
          summary: null,
          late: 0,
          preparedBy: actor.userId,
          sentForSignoffAt: null,
          signedBy: null,
          submittedAt: null,
          returnedBy: null,
          returnedAt: null,
          returnNote: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        await this.repo.insertItems(trx, id, await this.repo.measuresToReport(trx, roundUnitId, period.seq === 1), now);
        const after = await this.liveView(trx, (await this.repo.report(trx, id))!);
        await this.ctx.audit.record(trx, audit, {
          action: 'progress.create',
          entity: 'progress_report',
          entityId: id,
          after: {
            ...after,
            items: after.items.map((i) => ({ measureId: i.measureId, reportedStatus: i.reportedStatus })),
          },
        });
        return after;
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const existing = await this.repo.reportOfPeriod(this.ctx.db, roundUnitId, input.periodSeq);
        throw this.duplicate(existing ? Number(existing.id) : null);
      }
      throw e;
    }
  }

  private duplicate(id: number | null) {
    return new AppError(409, 'DUPLICATE', { field: 'periodSeq' }, { id });
  }

  /** The report for a write: in scope (else 404), its round-unit locked and open, the version current. */
  private async forWrite(trx: Trx, scope: Scope, id: number, version: number) {
    const first = await this.repo.report(trx, id);
    if (!first || !inScope(scope, first.unitOrgId)) throw notFound();
    await this.ledger.writableRoundUnit(trx, scope, Number(first.roundUnitId));
    const r = (await this.repo.report(trx, id))!;
    if (Number(r.version) !== version) throw stale(await this.liveView(trx, r));
    return r;
  }

  private async save(trx: Trx, r: ReportRow, patch: Parameters<ProgressRepository['updateReport']>[3]) {
    if (!(await this.repo.updateReport(trx, Number(r.id), Number(r.version), patch)))
      throw stale(await this.liveView(trx, (await this.repo.report(trx, Number(r.id)))!));
    return (await this.repo.report(trx, Number(r.id)))!;
  }

  private editable(r: ReportRow) {
    if (r.status !== 'draft') throw new AppError(409, 'REPORT_NOT_EDITABLE', {}, { reportStatus: r.status });
  }

  async updateItem(actor: Actor, audit: AuditContext, id: number, measureId: number, input: Static<typeof UpdateItem>) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const r = await this.forWrite(trx, scope, id, input.version);
      this.editable(r);
      const item = (await this.repo.items(trx, id)).find((i) => Number(i.measureId) === measureId);
      if (!item) throw notFound();
      const patch: { reportedStatus?: string; narrative?: string; fileIds?: string; updatedAt: number } = {
        updatedAt: now,
      };
      if (input.reportedStatus !== undefined && input.reportedStatus !== item.reportedStatus) {
        const from = item.measureStatus;
        if (LOCKED_MEASURE_STATUSES.includes(from)) throw new AppError(409, 'MEASURE_LOCKED');
        if (input.reportedStatus !== from && !legalMeasureMove(from, input.reportedStatus))
          throw new AppError(409, 'INVALID_TRANSITION', { from, to: input.reportedStatus });
        patch.reportedStatus = input.reportedStatus;
      }
      if (input.narrative !== undefined) patch.narrative = input.narrative.trim();
      if (input.fileIds !== undefined) {
        const files = await requireRoundUnitFiles(trx, this.evidence, Number(r.roundUnitId), input.fileIds);
        patch.fileIds = JSON.stringify(files.map((f) => Number(f.id)));
      }
      await this.save(trx, r, { updatedAt: now });
      await this.repo.updateItem(trx, id, measureId, patch);
      const after = await this.liveView(trx, (await this.repo.report(trx, id))!);
      const files = await this.filesById(trx, [item]);
      await this.ctx.audit.record(trx, audit, {
        action: 'progress.item.update',
        entity: 'progress_report',
        entityId: id,
        before: { version: Number(r.version), item: this.itemView(item, files) },
        after: { version: after.version, item: after.items.find((i) => i.measureId === measureId) },
      });
      return after;
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateReport>) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const r = await this.forWrite(trx, scope, id, input.version);
      this.editable(r);
      const next = await this.save(trx, r, { summary: input.summary?.trim() || null, updatedAt: now });
      await this.ctx.audit.record(trx, audit, {
        action: 'progress.update',
        entity: 'progress_report',
        entityId: id,
        before: { version: Number(r.version), summary: r.summary },
        after: { version: Number(next.version), summary: next.summary },
      });
      return this.liveView(trx, next);
    });
  }

  /** One step of the workflow: lock, check the version and the state, write, audit. */
  private async step(
    actor: Actor,
    audit: AuditContext,
    id: number,
    version: number,
    step: keyof typeof STEP_FROM,
    work: (trx: Trx, r: ReportRow, now: number) => Promise<Record<string, unknown>>,
    extraAudit: (r: ReportRow) => Record<string, unknown> = () => ({}),
  ) {
    const scope = await this.ledger.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const r = await this.forWrite(trx, scope, id, version);
      const to = STEP_TO[step];
      if (r.status !== STEP_FROM[step]) throw new AppError(409, 'INVALID_TRANSITION', { from: r.status, to });
      const patch = await work(trx, r, now);
      const next = await this.save(trx, r, { ...patch, status: to, updatedAt: now });
      await this.ctx.audit.record(trx, audit, {
        action: `progress.${step}`,
        entity: 'progress_report',
        entityId: id,
        before: this.head(r),
        after: { ...this.head(next), ...extraAudit(next) },
      });
      return this.liveView(trx, next);
    });
  }

  send(actor: Actor, audit: AuditContext, id: number, version: number) {
    return this.step(actor, audit, id, version, 'send', async (trx) => {
      const missing = (await this.repo.items(trx, id)).filter((i) => !i.narrative.trim());
      if (missing.length)
        throw new AppError(
          400,
          'REPORT_INCOMPLETE',
          { count: missing.length },
          { measureIds: missing.map((i) => Number(i.measureId)) },
        );
      return { sentForSignoffAt: this.ctx.clock.now(), preparedBy: actor.userId };
    });
  }

  return(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReturnBody>) {
    const note = input.note.trim();
    if (!note) throw invalid('note is required');
    return this.step(
      actor,
      audit,
      id,
      input.version,
      'return',
      async (_trx, _r, now) => ({ returnedBy: actor.userId, returnedAt: now, returnNote: note }),
      (r) => ({ returnNote: r.returnNote }),
    );
  }

  revise(actor: Actor, audit: AuditContext, id: number, version: number) {
    return this.step(actor, audit, id, version, 'revise', async (_trx, r) => ({
      revision: Number(r.revision) + 1,
      sentForSignoffAt: null,
      returnedBy: null,
      returnedAt: null,
      returnNote: null,
    }));
  }

  /**
   * 审签: submits the report. The reported statuses reach the measures where the move is legal
   * (closure states are left alone), every reported measure records progress, the files become the
   * measures' evidence, the revision is frozen, and the round-unit's counters are rebuilt.
   */
  signoff(actor: Actor, audit: AuditContext, id: number, version: number) {
    let moves: { measureId: number; from: string; to: string }[] = [];
    let versionId = 0;
    return this.step(
      actor,
      audit,
      id,
      version,
      'signoff',
      async (trx, r, now) => {
        const today = shanghaiDate(now);
        const items = await this.repo.items(trx, id);
        const allIds = [...new Set(items.flatMap((i) => parseIds(i.fileIds)))];
        const fileRows = await requireRoundUnitFiles(trx, this.evidence, Number(r.roundUnitId), allIds);
        const files = new Map(fileRows.map((f) => [Number(f.id), toFile(f)]));
        moves = [];
        for (const i of items) {
          const m = (await this.ledger.repo.measure(trx, Number(i.measureId)))!;
          if (LOCKED_MEASURE_STATUSES.includes(m.status)) continue;
          if (i.reportedStatus === m.status || !legalMeasureMove(m.status, i.reportedStatus)) continue;
          const done = isDone(i.reportedStatus as MeasureStatus);
          const wasDone = isDone(m.status as MeasureStatus);
          const moved = await this.ledger.repo.updateMeasure(trx, Number(m.id), Number(m.version), {
            status: i.reportedStatus,
            isDone: done ? 1 : 0,
            completedOn: done ? (wasDone && m.completedOn ? m.completedOn : today) : null,
            lastProgressAt: now,
            updatedAt: now,
          });
          if (!moved) throw stale(await this.liveView(trx, r));
          moves.push({ measureId: Number(m.id), from: m.status, to: i.reportedStatus });
        }
        await this.repo.touchProgress(
          trx,
          items.map((i) => Number(i.measureId)),
          now,
        );
        const late = isLate(r.dueDate, today);
        const snapshot: Snapshot = {
          summary: r.summary,
          items: items.map((i) => {
            const { measureStatus: _, ...rest } = this.itemView(i, files);
            return rest;
          }),
        };
        versionId = await this.repo.insertVersion(trx, {
          reportId: id,
          revision: Number(r.revision),
          snapshot: JSON.stringify(snapshot),
          late: late ? 1 : 0,
          preparedBy: r.preparedBy,
          signedBy: actor.userId,
          submittedAt: now,
        });
        for (const i of items) {
          const cited = parseIds(i.fileIds)
            .map((f) => files.get(f))
            .filter((f): f is FileView => !!f);
          await this.evidence.attach(
            trx,
            {
              id: Number(i.measureId),
              problemId: Number(i.problemId),
              roundUnitId: Number(i.roundUnitId),
              unitOrgId: Number(i.unitOrgId),
            },
            cited,
            'report',
            versionId,
            now,
          );
        }
        for (const mv of moves) {
          await this.ctx.audit.record(trx, audit, {
            action: 'progress.measure.status',
            entity: 'measure',
            entityId: mv.measureId,
            before: { status: mv.from },
            after: { status: mv.to, progressReportId: id, revision: Number(r.revision) },
          });
        }
        await this.summaries.recount(trx, [Number(r.roundUnitId)]);
        return { late: late ? 1 : 0, signedBy: actor.userId, submittedAt: now };
      },
      () => ({ versionId, moves }),
    );
  }
}
