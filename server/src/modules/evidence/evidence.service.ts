import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkFileName, type FileKind, kindForExtension } from '../../../../domain/evidence.js';
import { inScope } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { checkArchive, sniffFile } from '../../platform/files/sniff.js';
import {
  type OpenedBlob,
  type StagedBlob,
  StoreIntegrityError,
  StoreLimitError,
  StoreMissingError,
} from '../../platform/files/store.js';
import { type ZipReport, ZipUnsafeError } from '../../platform/files/zip-inspect.js';
import { type ReadScope, visible } from '../ledger/ledger.scope.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { type EvidenceFileRow, EvidenceRepository } from './evidence.repository.js';

/** Room for the multipart framing around the file: a Content-Length beyond max + this is refused unread. */
export const MULTIPART_OVERHEAD = 64 * 1024;

/** What the multipart parser says of a body that stops inside a part. */
const CUT_SHORT = /terminated early|Unexpected end of (multipart data|form|file)/;

/** The one file part of an upload, as the multipart parser gives it. */
export interface UploadPart {
  filename: string;
  file: Readable & { truncated?: boolean };
}

export const toFile = (r: EvidenceFileRow) => ({
  id: Number(r.id),
  name: r.name,
  size: Number(r.size),
  sm3: r.sm3,
  kind: r.kind as FileKind,
  roundUnitId: Number(r.roundUnitId),
  unitOrgId: Number(r.unitOrgId),
  uploadedBy: r.uploadedBy === null ? null : Number(r.uploadedBy),
  createdAt: Number(r.createdAt),
});

/** Drains what is left of a refused part so that the parser can finish the request (bounded by its limits). */
function drain(part: UploadPart) {
  part.file.on('error', () => {});
  part.file.resume();
}

/**
 * 佐证材料 (SPEC M6): uploads checked from their bytes before anything is kept, and downloads for
 * callers whose scope covers the file (a supervisor restricted to a line: only files offered as
 * evidence for a measure of that line), each one audited, every read verified against its SM3.
 */
export class EvidenceService {
  readonly repo = new EvidenceRepository();
  readonly ledger: LedgerService;

  constructor(private readonly ctx: AppContext) {
    this.ledger = new LedgerService(ctx);
  }

  get maxBytes() {
    return this.ctx.config.uploadMaxBytes;
  }

  /** Whether a body's declared length is already past what an upload may be (refused before it is read). */
  tooLong(header: string | undefined): boolean {
    if (header === undefined) return false;
    const n = Number(header);
    return Number.isFinite(n) && n > this.maxBytes + MULTIPART_OVERHEAD;
  }

  /** The round-unit an upload goes to: in the caller's writable scope, else 404. */
  async uploadTarget(actor: Actor, roundUnitId: number) {
    const scope = await this.ledger.scope(actor);
    const ru = await this.ledger.repo.roundUnit(this.ctx.db, roundUnitId);
    if (!ru || !inScope(scope, ru.unitOrgId)) throw notFound();
    return { id: Number(ru.id), unitOrgId: Number(ru.unitOrgId) };
  }

  /**
   * Name, extension, size, bytes, archive checks — in that order, the staged bytes discarded on any
   * refusal — then the blob is committed and its row and audit record written in one transaction.
   */
  async upload(actor: Actor, audit: AuditContext, ru: { id: number; unitOrgId: number }, part: UploadPart) {
    const named = checkFileName(part.filename ?? '');
    if (!named.ok) {
      drain(part);
      throw new AppError(400, 'FILE_NAME_INVALID', { problem: named.problem });
    }
    const kind = kindForExtension(named.ext);
    if (!kind) {
      drain(part);
      throw new AppError(415, 'FILE_TYPE_NOT_ALLOWED', { ext: named.ext });
    }
    // A body that ended inside the file part leaves the part's stream destroyed before it is read.
    if (part.file.destroyed) throw invalid('the request ended before the file did');
    let staged: StagedBlob;
    try {
      // Attached now, so that a body cut off while the store gets ready still ends the staging with an error.
      const source = new PassThrough();
      pipeline(part.file, source).catch(() => {});
      staged = await this.ctx.files.stage(source, this.maxBytes);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (e instanceof StoreLimitError || code === 'FST_REQ_FILE_TOO_LARGE')
        throw new AppError(413, 'PAYLOAD_TOO_LARGE');
      if (code === 'ERR_STREAM_PREMATURE_CLOSE' || CUT_SHORT.test((e as Error).message ?? ''))
        throw invalid('the request ended before the file did');
      throw e;
    }
    let committing = false;
    try {
      if (part.file.truncated || staged.size > this.maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE');
      if (staged.size === 0) throw new AppError(400, 'FILE_EMPTY');
      const sniffed = await sniffFile(staged.path);
      if (!sniffed.accepts.includes(kind)) throw new AppError(415, 'FILE_TYPE_MISMATCH', { ext: named.ext });
      let archive: ZipReport | null;
      try {
        archive = await checkArchive(staged.path, sniffed);
      } catch (e) {
        if (e instanceof ZipUnsafeError)
          throw new AppError(
            422,
            'FILE_ARCHIVE_UNSAFE',
            {},
            { reason: e.problem, ...(e.entry ? { entry: e.entry } : {}) },
          );
        throw e;
      }
      committing = true;
      await staged.commit();
      const now = this.ctx.clock.now();
      const row = {
        sm3: staged.sm3,
        size: staged.size,
        kind,
        name: named.name,
        roundUnitId: ru.id,
        unitOrgId: ru.unitOrgId,
        uploadedBy: actor.userId,
        createdAt: now,
      };
      const id = await this.ctx.db.transaction().execute(async (trx) => {
        const id = await this.repo.insertFile(trx, row);
        await this.ctx.audit.record(trx, audit, {
          action: 'evidence.upload',
          entity: 'evidence_file',
          entityId: id,
          after: {
            ...row,
            id,
            ...(archive
              ? {
                  archive: {
                    entries: archive.entries,
                    encryptedEntries: archive.encryptedEntries,
                    nestedArchives: archive.nestedArchives,
                  },
                }
              : {}),
          },
        });
        return id;
      });
      const duplicates = await this.repo.linkCount(this.ctx.db, staged.sm3);
      return { ...toFile({ ...row, id, uploadedBy: actor.userId }), duplicates };
    } catch (e) {
      // The fault drill found a blob left in the store by an upload whose row could not be written
      // (disk full at the INSERT or the COMMIT, or at the directory fsync after the rename): the
      // upload failed, so its bytes go too, unless a row names them. Failing to remove them is not
      // worth a second error.
      if (committing)
        await staged
          .retract(async () => (await this.repo.filesWithDigest(this.ctx.db, staged.sm3)) > 0)
          .catch(() => {});
      throw e;
    } finally {
      await staged.discard();
    }
  }

  // --- reads --------------------------------------------------------------------------------------

  /** Whether the caller may see this file (the rule in one place): its unit in full, or by the caller's line. */
  async canSee(scope: ReadScope, f: EvidenceFileRow): Promise<boolean> {
    if (!scope.orgIds || scope.orgIds.has(Number(f.unitOrgId))) return true;
    const line = scope.lines?.get(Number(f.unitOrgId));
    return line ? this.repo.linkedInCategories(this.ctx.db, Number(f.id), line) : false;
  }

  /** One file the caller may see; 404 for one outside its scope, exactly as for a missing one. */
  async file(actor: Actor, id: number) {
    const f = await this.repo.file(this.ctx.db, id);
    if (!f || !(await this.canSee(await this.ledger.readScope(actor), f))) throw notFound();
    return f;
  }

  /**
   * Opens a blob (verified against its SM3). A mismatch or a missing blob answers 409
   * FILE_INTEGRITY_FAILED and leaves an audit event that stays although the request fails.
   */
  async openVerified(audit: AuditContext, f: EvidenceFileRow): Promise<OpenedBlob> {
    try {
      return await this.ctx.files.open(f.sm3);
    } catch (e) {
      if (!(e instanceof StoreIntegrityError) && !(e instanceof StoreMissingError)) throw e;
      await this.ctx.audit.recordAlone(audit, {
        action: 'evidence.integrity_failed',
        entity: 'evidence_file',
        entityId: Number(f.id),
        result: 'failed',
        after: {
          expected: f.sm3,
          actual: e instanceof StoreIntegrityError ? e.actual : null,
          missing: e instanceof StoreMissingError,
          name: f.name,
          store: this.ctx.files.kind,
        },
      });
      throw new AppError(409, 'FILE_INTEGRITY_FAILED', { fileId: Number(f.id) });
    }
  }

  /** The file's bytes after verification, with the download audited. */
  async download(actor: Actor, audit: AuditContext, id: number) {
    const f = await this.file(actor, id);
    const blob = await this.openVerified(audit, f);
    try {
      await this.ctx.audit.recordAlone(audit, {
        action: 'evidence.download',
        entity: 'evidence_file',
        entityId: Number(f.id),
        after: { name: f.name, sm3: f.sm3, size: Number(f.size), roundUnitId: Number(f.roundUnitId) },
      });
    } catch (e) {
      await blob.close();
      throw e;
    }
    return { file: toFile(f), blob };
  }

  /** The categories a caller sees of a round-unit's files: null for all of them. */
  private async lineOf(actor: Actor, roundUnitId: number) {
    const ru = await this.ledger.readableRoundUnit(actor, roundUnitId);
    const scope = await this.ledger.readScope(actor);
    const full = !scope.orgIds || scope.orgIds.has(ru.unitOrgId);
    return { ru, categories: full ? null : (scope.lines?.get(ru.unitOrgId) ?? []) };
  }

  async listFiles(actor: Actor, roundUnitId: number, q: { limit?: number; cursor?: number }) {
    const { categories } = await this.lineOf(actor, roundUnitId);
    const limit = q.limit ?? 50;
    const rows = await this.repo.visibleFilesOfRoundUnit(this.ctx.db, roundUnitId, categories, limit + 1, q.cursor);
    const items = rows.slice(0, limit).map(toFile);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /** Every file of the round-unit the caller may see (for the zip), oldest first. */
  async allFiles(actor: Actor, roundUnitId: number) {
    const { ru, categories } = await this.lineOf(actor, roundUnitId);
    const out: EvidenceFileRow[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await this.repo.visibleFilesOfRoundUnit(this.ctx.db, roundUnitId, categories, 1000, before);
      out.push(...page);
      if (page.length < 1000) break;
      before = Number(page[page.length - 1]!.id);
    }
    return { ru, files: out.reverse() };
  }

  /** A measure's evidence, and per file where else the same bytes were offered (as far as the caller may see). */
  async measureEvidence(actor: Actor, measureId: number) {
    const scope = await this.ledger.readScope(actor);
    const m = await this.ledger.repo.measure(this.ctx.db, measureId);
    if (!m || !visible(scope, m.unitOrgId, m.categoryCode)) throw notFound();
    const problemId = Number(m.problemId);
    const links = await this.repo.evidenceOfMeasure(this.ctx.db, measureId);
    const sm3s = [...new Set(links.map((l) => l.sm3))];
    const counts = await this.repo.reuseCounts(this.ctx.db, sm3s, problemId);
    const reuses = new Map<string, Awaited<ReturnType<EvidenceRepository['reuses']>>>();
    for (const sm3 of sm3s) {
      if (counts.get(sm3)) reuses.set(sm3, await this.repo.reuses(this.ctx.db, [sm3], problemId, 50));
    }
    return {
      items: links.map((l) => {
        const shown = (reuses.get(l.sm3) ?? [])
          .filter((r) => visible(scope, r.unitOrgId, r.categoryCode))
          .map((r) => ({
            measureId: Number(r.measureId),
            problemId: Number(r.problemId),
            problemNumber: r.problemNumber,
            categoryCode: r.categoryCode,
            unitOrgId: Number(r.unitOrgId),
            unitName: r.unitName,
            roundUnitId: Number(r.roundUnitId),
            source: r.source,
            createdAt: Number(r.createdAt),
          }));
        return {
          fileId: Number(l.fileId),
          name: l.name,
          size: Number(l.size),
          kind: l.kind,
          sm3: l.sm3,
          source: l.source,
          sourceId: Number(l.sourceId),
          createdAt: Number(l.createdAt),
          reuses: shown,
          moreReuses: (counts.get(l.sm3) ?? 0) - shown.length,
        };
      }),
    };
  }
}
