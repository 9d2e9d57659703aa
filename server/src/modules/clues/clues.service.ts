import type { Static } from 'typebox';
import { isValidDate, shanghaiDate } from '../../../../domain/calendar.js';
import { CLUE_RECEIVER_ORG_TYPES, type ClueAction, type ClueStatus, clueNext } from '../../../../domain/clues.js';
import { can } from '../../../../domain/roles.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { type ClueSummaryView, clueAuditImage, toClueSummary } from './clues.mappers.js';
import { type ClueSides, CluesRepository } from './clues.repository.js';
import type { ClueQuery, DisposeClue, ReceiveClue, SendClue } from './clues.schemas.js';

type ClueRow = NonNullable<Awaited<ReturnType<CluesRepository['clue']>>>;
type SealedColumn = 'title' | 'content' | 'persons' | 'disposalNote';

/**
 * The context a sealed column is bound to: the same ciphertext copied to another row or column no
 * longer opens (the MAC covers the context).
 */
export const sealContext = (id: number, column: SealedColumn) => `rectify:clue:${id}:${column}`;

/** Which sides of a clue the caller may be on (SPEC §2: only the sender and the receiving body). */
export function sidesOf(actor: Actor): ClueSides {
  return {
    senderOrgId: can(actor.role, 'clue.send') ? actor.orgId : null,
    receivingOrgId: can(actor.role, 'clue.receive') ? actor.orgId : null,
  };
}

/** The side the caller reads a clue as, or null when it must not know the clue exists. */
export function sideOf(sides: ClueSides, c: { senderOrgId: number; receivingOrgId: number }) {
  if (sides.receivingOrgId !== null && Number(c.receivingOrgId) === sides.receivingOrgId) return 'receiver' as const;
  if (sides.senderOrgId !== null && Number(c.senderOrgId) === sides.senderOrgId) return 'sender' as const;
  return null;
}

/**
 * 问题线索 (issue 5, deliverable 7): the inspection office sends a confidential clue to a receiving
 * body, which signs for it and disposes of it. The title, content, names and disposal note are sealed
 * (SM4-CTR + HMAC-SM3 under a per-record key wrapped by the master key) and bound to the row and
 * column; every read of them is audited; nobody but the two sides learns that a clue exists.
 */
export class CluesService {
  readonly repo = new CluesRepository();

  constructor(private readonly ctx: AppContext) {}

  /**
   * A sealed column in clear. A value sealed under another master key answers CLUE_KEY_MISMATCH, one
   * moved from another row or column or altered CLUE_TAMPERED: an error, never garbage.
   */
  private open(id: number, column: SealedColumn, sealed: string): string {
    try {
      return this.ctx.crypto.decrypt(sealed, sealContext(id, column));
    } catch (e) {
      throw new AppError(
        409,
        e instanceof Error && e.message === 'key MAC mismatch' ? 'CLUE_KEY_MISMATCH' : 'CLUE_TAMPERED',
      );
    }
  }

  /** A clue the caller may see, with its side; 404 exactly like a missing one otherwise. */
  private async visible(actor: Actor, id: number): Promise<{ row: ClueRow; side: 'sender' | 'receiver' }> {
    const row = await this.repo.clue(this.ctx.db, id);
    const side = row ? sideOf(sidesOf(actor), row) : null;
    if (!row || !side) throw notFound();
    return { row, side };
  }

  async page(actor: Actor, q: Static<typeof ClueQuery>) {
    const sides = sidesOf(actor);
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ctx.db, {
      sides,
      status: q.status,
      receivingOrgId: q.receivingOrgId,
      roundId: q.roundId,
      before: q.cursor,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit).map((r) => toClueSummary(r, sideOf(sides, r)!));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /** The clue in full, decrypted; the read is audited whether or not it opens. */
  async get(actor: Actor, audit: AuditContext, id: number) {
    const row = await this.repo.sealed(this.ctx.db, id);
    const side = row ? sideOf(sidesOf(actor), row) : null;
    if (!row || !side) throw notFound();
    const open = (column: SealedColumn, sealed: string) => this.open(id, column, sealed);
    let plain: { title: string; content: string; persons: string[]; disposalNote: string | null };
    try {
      const persons = JSON.parse(open('persons', row.personsSealed)) as unknown;
      if (!Array.isArray(persons) || !persons.every((p) => typeof p === 'string'))
        throw new AppError(409, 'CLUE_TAMPERED');
      plain = {
        title: open('title', row.titleSealed),
        content: open('content', row.contentSealed),
        persons,
        disposalNote: row.disposalNoteSealed === null ? null : open('disposalNote', row.disposalNoteSealed),
      };
    } catch (e) {
      const failure = e instanceof AppError ? e : new AppError(409, 'CLUE_TAMPERED');
      await this.ctx.audit.recordAlone(audit, {
        action: 'clue.read',
        entity: 'clue',
        entityId: id,
        result: 'failed',
        after: { code: failure.code },
      });
      throw failure;
    }
    await this.ctx.audit.recordAlone(audit, { action: 'clue.read', entity: 'clue', entityId: id });
    return { ...toClueSummary(row, side), ...plain };
  }

  async send(actor: Actor, audit: AuditContext, input: Static<typeof SendClue>) {
    const title = input.title.trim();
    const content = input.content.trim();
    const persons = input.persons.map((p) => p.trim());
    if (!title) throw invalid('title is required');
    if (!content) throw invalid('content is required');
    if (persons.some((p) => !p)) throw invalid('a name is empty');
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ru = await this.repo.roundUnit(trx, input.roundUnitId);
      if (!ru) throw new AppError(400, 'CLUE_ROUND_UNIT_UNKNOWN');
      if (input.problemId) {
        const p = await this.repo.problemRoundUnit(trx, input.problemId);
        if (!p || Number(p.roundUnitId) !== Number(ru.id)) throw new AppError(400, 'CLUE_PROBLEM_MISMATCH');
      }
      const receiver = await this.repo.organisation(trx, input.receivingOrgId);
      if (
        !receiver ||
        !Number(receiver.active) ||
        !(CLUE_RECEIVER_ORG_TYPES as readonly string[]).includes(receiver.type) ||
        Number(receiver.id) === actor.orgId
      )
        throw new AppError(400, 'CLUE_RECEIVER_INVALID');
      const id = await this.repo.insert(trx, {
        roundUnitId: Number(ru.id),
        roundId: Number(ru.roundId),
        unitOrgId: Number(ru.unitOrgId),
        problemId: input.problemId ?? null,
        senderOrgId: actor.orgId,
        sentBy: actor.userId,
        receivingOrgId: Number(receiver.id),
        source: input.source,
        // Sealed below, once the row has the id the ciphertexts are bound to.
        titleSealed: '',
        contentSealed: '',
        personsSealed: '',
        status: 'sent',
        sentAt: now,
        receivedBy: null,
        receivedAt: null,
        disposalKind: null,
        disposalDate: null,
        disposalNoteSealed: null,
        disposedBy: null,
        disposedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.repo.seal(trx, id, {
        titleSealed: this.ctx.crypto.encrypt(title, sealContext(id, 'title')),
        contentSealed: this.ctx.crypto.encrypt(content, sealContext(id, 'content')),
        personsSealed: this.ctx.crypto.encrypt(JSON.stringify(persons), sealContext(id, 'persons')),
      });
      const after = toClueSummary((await this.repo.clue(trx, id))!, 'sender');
      await this.ctx.audit.record(trx, audit, {
        action: 'clue.send',
        entity: 'clue',
        entityId: id,
        after: clueAuditImage(after),
      });
      return after;
    });
  }

  /** One step of the receiving body: the state machine of domain/clues.ts, optimistic, audited. */
  private async step(
    actor: Actor,
    audit: AuditContext,
    id: number,
    version: number,
    action: ClueAction,
    patch: (row: ClueRow, next: ClueStatus) => Parameters<CluesRepository['update']>[3],
  ): Promise<ClueSummaryView> {
    const { side } = await this.visible(actor, id);
    if (side !== 'receiver') throw new AppError(403, 'CLUE_NOT_RECEIVER');
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = (await this.repo.clue(trx, id))!;
      const before = toClueSummary(row, side);
      if (before.version !== version) throw stale(before);
      const next = clueNext(row.status as ClueStatus, action);
      if (!next) throw new AppError(409, 'CLUE_BAD_STATE', {}, { clueStatus: row.status });
      if (!(await this.repo.update(trx, id, version, { ...patch(row, next), status: next })))
        throw stale(toClueSummary((await this.repo.clue(trx, id))!, side));
      const after = toClueSummary((await this.repo.clue(trx, id))!, side);
      await this.ctx.audit.record(trx, audit, {
        action: `clue.${action}`,
        entity: 'clue',
        entityId: id,
        before: clueAuditImage(before),
        after: clueAuditImage(after),
      });
      return after;
    });
  }

  async receive(actor: Actor, audit: AuditContext, id: number, input: Static<typeof ReceiveClue>) {
    const now = this.ctx.clock.now();
    return this.step(actor, audit, id, input.version, 'receive', () => ({
      receivedBy: actor.userId,
      receivedAt: now,
      updatedAt: now,
    }));
  }

  async dispose(actor: Actor, audit: AuditContext, id: number, input: Static<typeof DisposeClue>) {
    const note = input.note.trim();
    if (!note) throw invalid('note is required');
    const now = this.ctx.clock.now();
    // An instance started with the wrong master key must not seal a note nobody can open later.
    const sealed = await this.repo.sealed(this.ctx.db, id);
    if (sealed && sideOf(sidesOf(actor), sealed) === 'receiver') this.open(id, 'title', sealed.titleSealed);
    return this.step(actor, audit, id, input.version, 'dispose', (row) => {
      if (!isValidDate(input.date) || input.date < shanghaiDate(Number(row.sentAt)) || input.date > shanghaiDate(now))
        throw new AppError(400, 'CLUE_DISPOSAL_DATE_INVALID');
      return {
        disposalKind: input.kind,
        disposalDate: input.date,
        disposalNoteSealed: this.ctx.crypto.encrypt(note, sealContext(id, 'disposalNote')),
        disposedBy: actor.userId,
        disposedAt: now,
        updatedAt: now,
      };
    });
  }
}
