import type { Static } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { visible } from '../ledger/ledger.scope.js';
import { SummaryRepository } from '../ledger/summaries.repository.js';
import { toRecheck } from './closure.mappers.js';
import type { RecheckQuery, RecordRecheck, StalledQuery } from './closure.schemas.js';
import type { ClosureService } from './closure.service.js';

const DAY = 86_400_000;

/** "a_b" cursors of the schemas (already pattern-checked): the two parts. */
function splitCursor(cursor: string): [string, number] {
  const i = cursor.lastIndexOf('_');
  return [cursor.slice(0, i), Number(cursor.slice(i + 1))];
}

/**
 * What follows a closure and what precedes it (SPEC M18): the re-checks of 长期坚持 and 建章立制
 * measures after closure (a failed one reopens the measure), and the stalled list — open measures
 * without progress for the configured number of days, flagged before they are late.
 */
export class AftercareService {
  private readonly summaries = new SummaryRepository();

  constructor(
    private readonly ctx: AppContext,
    private readonly closures: ClosureService,
  ) {}

  private get repo() {
    return this.closures.repo;
  }

  private get ledger() {
    return this.closures.ledger;
  }

  // --- re-checks ------------------------------------------------------------------------------

  async rechecks(actor: Actor, q: Static<typeof RecheckQuery>) {
    const scope = await this.ledger.readScope(actor);
    const limit = q.limit ?? 50;
    const today = shanghaiDate(this.ctx.clock.now());
    let after: { dueDate: string; id: number } | undefined;
    if (q.cursor) {
      const [dueDate, id] = splitCursor(q.cursor);
      after = { dueDate, id };
    }
    const rows = await this.repo.recheckPage(this.ctx.db, {
      status: q.status,
      dueBefore: q.dueBefore,
      unitOrgId: q.unitOrgId,
      scope,
      after,
      limit,
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => toRecheck(r, today)),
      nextCursor: rows.length === limit && last ? `${last.dueDate}_${Number(last.id)}` : null,
    };
  }

  async record(actor: Actor, audit: AuditContext, id: number, input: Static<typeof RecordRecheck>) {
    const note = input.note?.trim() || null;
    if (input.result === 'failed' && !note) throw invalid('note is required when the re-check failed');
    const scope = await this.ledger.readScope(actor);
    const now = this.ctx.clock.now();
    const today = shanghaiDate(now);
    return this.ctx.db.transaction().execute(async (trx) => {
      const first = await this.repo.recheck(trx, id);
      if (!first || !visible(scope, first.unitOrgId, first.categoryCode)) throw notFound();
      if (!(await this.closures.party(trx, actor, first))) throw notFound();
      await this.closures.lockRoundUnit(trx, Number(first.roundUnitId));
      const r = (await this.repo.recheck(trx, id))!;
      const m = await this.ledger.repo.measure(trx, Number(r.measureId));
      const closure = await this.repo.closure(trx, Number(r.closureId));
      if (!m || !closure) throw notFound();
      this.closures.assertNotOwn(actor, Number(closure.applicantId), m);
      if (r.status !== 'pending') throw new AppError(409, 'RECHECK_NOT_PENDING', {}, { recheckStatus: r.status });
      if (Number(r.version) !== input.version) throw stale(toRecheck(r, today));
      if (
        !(await this.repo.updateRecheck(trx, id, input.version, {
          status: input.result,
          resultNote: note,
          doneBy: actor.userId,
          doneAt: now,
          updatedAt: now,
        }))
      )
        throw stale(toRecheck((await this.repo.recheck(trx, id))!, today));
      await this.ctx.audit.record(trx, audit, {
        action: 'recheck.record',
        entity: 'recheck',
        entityId: id,
        before: toRecheck(r, today),
        after: { status: input.result, resultNote: note, version: input.version + 1 },
      });
      // A failed re-check sends the measure back to 整改中, as a reopening with source "recheck".
      if (input.result === 'failed' && m.status === 'closed') {
        await this.closures.reopenWithin(trx, audit, actor, m, 'recheck', note!, now);
        await this.summaries.recount(trx, [Number(m.roundUnitId)]);
      }
      return toRecheck((await this.repo.recheck(trx, id))!, today);
    });
  }

  // --- stalled measures -----------------------------------------------------------------------

  async stalled(actor: Actor, q: Static<typeof StalledQuery>) {
    const scope = await this.ledger.readScope(actor);
    const { stalledDays } = await this.ctx.settings.get('system.rectification');
    const now = this.ctx.clock.now();
    const limit = q.limit ?? 50;
    let after: { at: number; id: number } | undefined;
    if (q.cursor) {
      const [at, id] = splitCursor(q.cursor);
      after = { at: Number(at), id };
    }
    const rows = await this.repo.stalledPage(this.ctx.db, {
      olderThan: now - stalledDays * DAY,
      roundId: q.roundId,
      termId: q.termId,
      unitOrgId: q.unitOrgId,
      scope,
      after,
      limit,
    });
    const items = rows.map((r) => {
      const since = Number(r.since);
      return {
        measureId: Number(r.id),
        problemId: Number(r.problemId),
        problemNumber: r.problemNumber,
        roundUnitId: Number(r.roundUnitId),
        roundId: Number(r.roundId),
        termId: Number(r.termId),
        unitOrgId: Number(r.unitOrgId),
        unitName: r.unitName,
        categoryCode: r.categoryCode,
        content: r.content,
        type: r.type,
        status: r.status,
        effectiveDeadline: r.effectiveDeadline,
        ownerName: r.ownerName,
        ownerUserId: r.ownerUserId === null ? null : Number(r.ownerUserId),
        ownerDisplayName: r.ownerDisplayName,
        lastProgressAt: since,
        daysWithoutProgress: Math.floor((now - since) / DAY),
      };
    });
    const last = items[items.length - 1];
    return {
      stalledDays,
      items,
      nextCursor: rows.length === limit && last ? `${last.lastProgressAt}_${last.measureId}` : null,
    };
  }
}
