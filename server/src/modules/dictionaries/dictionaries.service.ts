import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import {
  checkExtra,
  type DictionaryEntry,
  type DictionaryKind,
  type ExtraCheck,
} from '../../../../domain/dictionaries.js';
import type { DB } from '../../db/types.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { DictionaryRepository, type DictionaryRow } from './dictionaries.repository.js';
import type { CreateDictionaryItem, DictionaryQuery, UpdateDictionaryItem } from './dictionaries.schemas.js';

type Executor = Kysely<DB> | Transaction<DB>;

function parseExtra(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

export const toDictionaryItem = (r: DictionaryRow): DictionaryEntry => ({
  id: Number(r.id),
  kind: r.kind as DictionaryKind,
  code: r.code,
  labelZhCn: r.labelZhCn,
  labelZhTw: r.labelZhTw,
  labelEn: r.labelEn,
  sort: Number(r.sort),
  active: !!r.active,
  extra: parseExtra(r.extra) as DictionaryEntry['extra'],
  version: Number(r.version),
  updatedAt: Number(r.updatedAt),
});

function extraOrThrow(kind: DictionaryKind, extra: unknown) {
  const r: ExtraCheck = checkExtra(kind, extra);
  if (!r.ok) {
    throw invalid(r.errors.map((e) => `${e.path} ${e.message}`).join('; '), {
      errors: r.errors.map((e) => ({ path: `body.${e.path}`, message: e.message })),
    });
  }
  return r.value;
}

const repo = new DictionaryRepository();

/**
 * M17 dictionaries. Written by the system administrator (dict.write), read by everyone (dict.read).
 * Other modules use the static readers (inside their own transaction when they have one) to check a
 * code they are given and to read thresholds and routing lines.
 */
export class DictionaryService {
  readonly repo = repo;
  constructor(private readonly ctx: AppContext) {}

  /** The entries of one kind in display order; only the active ones unless told otherwise. */
  static async entries<K extends DictionaryKind>(
    db: Executor,
    kind: K,
    opts: { includeInactive?: boolean } = {},
  ): Promise<DictionaryEntry<K>[]> {
    const rows = await repo.list(db, { kind, active: opts.includeInactive ? undefined : true });
    return rows.map(toDictionaryItem) as DictionaryEntry<K>[];
  }

  /** One entry by kind and code, active or not; undefined when there is none. */
  static async find<K extends DictionaryKind>(
    db: Executor,
    kind: K,
    code: string,
  ): Promise<DictionaryEntry<K> | undefined> {
    const row = await repo.byKindCode(db, kind, code);
    return row ? (toDictionaryItem(row) as DictionaryEntry<K>) : undefined;
  }

  /** Whether a code may be used for new records: it exists and is active. */
  static async isActiveCode(db: Executor, kind: DictionaryKind, code: string): Promise<boolean> {
    const row = await repo.byKindCode(db, kind, code);
    return !!row?.active;
  }

  async list(actor: Actor, q: Static<typeof DictionaryQuery>) {
    void actor;
    const rows = await this.repo.list(this.ctx.db, { kind: q.kind, active: q.active });
    return { items: rows.map(toDictionaryItem) };
  }

  async get(actor: Actor, id: number) {
    void actor;
    const row = await this.repo.byId(this.ctx.db, id);
    if (!row) throw notFound();
    return toDictionaryItem(row);
  }

  async create(actor: Actor, audit: AuditContext, input: Static<typeof CreateDictionaryItem>) {
    void actor;
    const extra = extraOrThrow(input.kind, input.extra);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (await this.repo.byKindCode(trx, input.kind, input.code))
        throw new AppError(409, 'DUPLICATE', { field: 'code' });
      const zhCn = input.labelZhCn.trim();
      const row = {
        kind: input.kind,
        code: input.code,
        labelZhCn: zhCn,
        labelZhTw: input.labelZhTw?.trim() || zhCn,
        labelEn: input.labelEn?.trim() || zhCn,
        sort: input.sort ?? 0,
        active: input.active === false ? 0 : 1,
        extra: extra ? JSON.stringify(extra) : null,
        version: 1,
        updatedAt: now,
      };
      const id = await this.repo.insert(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'dict.create',
        entity: 'dictionary',
        entityId: id,
        after: { ...row, extra },
      });
      return toDictionaryItem((await this.repo.byId(trx, id))!);
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateDictionaryItem>) {
    void actor;
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byId(trx, id);
      if (!before) throw notFound();
      if (Number(before.version) !== input.version) throw stale(toDictionaryItem(before));
      const { version, active, extra, ...rest } = input;
      const patch: Record<string, unknown> = { updatedAt: now };
      if (rest.code !== undefined && rest.code !== before.code) {
        if (await this.repo.byKindCode(trx, before.kind, rest.code))
          throw new AppError(409, 'DUPLICATE', { field: 'code' });
        patch.code = rest.code;
      }
      for (const k of ['labelZhCn', 'labelZhTw', 'labelEn'] as const) {
        if (rest[k] !== undefined) patch[k] = rest[k]!.trim();
      }
      if (rest.sort !== undefined) patch.sort = rest.sort;
      if (active !== undefined) patch.active = active ? 1 : 0;
      if (extra !== undefined) {
        const checked = extraOrThrow(before.kind as DictionaryKind, extra);
        patch.extra = checked ? JSON.stringify(checked) : null;
      }
      if (!(await this.repo.update(trx, id, version, patch)))
        throw stale(toDictionaryItem((await this.repo.byId(trx, id))!));
      const after = (await this.repo.byId(trx, id))!;
      await this.ctx.audit.record(trx, audit, {
        action: 'dict.update',
        entity: 'dictionary',
        entityId: id,
        before: toDictionaryItem(before),
        after: toDictionaryItem(after),
      });
      return toDictionaryItem(after);
    });
  }

  async remove(actor: Actor, audit: AuditContext, id: number) {
    void actor;
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byId(trx, id);
      if (!before) throw notFound();
      await this.repo.delete(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'dict.delete',
        entity: 'dictionary',
        entityId: id,
        before: toDictionaryItem(before),
      });
    });
  }
}
