import type { Static } from 'typebox';
import { ADMIN_ROLES } from '../../../../domain/roles.js';
import { assertInScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, stale } from '../../platform/errors.js';
import { OrganisationRepository } from './organisations.repository.js';
import type {
  CreateLiaisonLink,
  CreateOrganisation,
  OrganisationQuery,
  UpdateOrganisation,
} from './organisations.schemas.js';

type OrgRow = NonNullable<Awaited<ReturnType<OrganisationRepository['byId']>>>;

export const toOrganisation = (r: OrgRow) => ({
  ...r,
  id: Number(r.id),
  parentId: r.parentId === null ? null : Number(r.parentId),
  active: !!r.active,
  createdAt: Number(r.createdAt),
  updatedAt: Number(r.updatedAt),
});

export class OrganisationService {
  readonly repo = new OrganisationRepository();
  constructor(private readonly ctx: AppContext) {}

  /** The organisation tree is reference data: the administrators who keep it see all of it; everyone else their scope. */
  async scope(actor: Actor): Promise<Scope> {
    if (ADMIN_ROLES.includes(actor.role)) return { all: true };
    return scopeOf(this.ctx.db, actor);
  }

  async list(actor: Actor, q: Static<typeof OrganisationQuery>) {
    const scope = await this.scope(actor);
    const limit = q.limit ?? 50;
    const { items, total } = await this.repo.page(
      this.ctx.db,
      {
        q: q.q?.trim() || undefined,
        type: q.type,
        parentId: q.parentId,
        active: q.active,
        orgIds: scope.all ? undefined : scope.orgIds,
      },
      q.after ?? 0,
      limit,
    );
    return {
      items: items.map(toOrganisation),
      total,
      nextCursor: items.length === limit ? Number(items[items.length - 1]!.id) : null,
    };
  }

  async get(actor: Actor, id: number) {
    const row = await this.repo.byId(this.ctx.db, id);
    if (!row) throw notFound();
    assertInScope(await this.scope(actor), row.id);
    return toOrganisation(row);
  }

  async create(actor: Actor, audit: AuditContext, input: Static<typeof CreateOrganisation>) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (input.parentId && !(await this.repo.byId(trx, input.parentId)))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'parentId' });
      if (await this.repo.byCode(trx, input.code)) throw new AppError(409, 'DUPLICATE', { field: 'code' });
      const row = {
        parentId: input.parentId,
        code: input.code,
        name: input.name.trim(),
        shortName: input.shortName ?? null,
        type: input.type,
        supervisorLine: input.supervisorLine ?? null,
        sort: input.sort ?? 0,
        active: 1,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const id = await this.repo.insert(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'org.create',
        entity: 'organisation',
        entityId: id,
        after: row,
      });
      void actor;
      return toOrganisation((await this.repo.byId(trx, id))!);
    });
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateOrganisation>) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byId(trx, id);
      if (!before) throw notFound();
      assertInScope(await this.scope(actor), id);
      if (before.version !== input.version) throw stale(toOrganisation(before));
      const { version, active, ...rest } = input;
      if (rest.parentId) {
        if (!(await this.repo.byId(trx, rest.parentId)))
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'parentId' });
        if ((await this.repo.ancestors(trx, rest.parentId)).includes(id)) throw new AppError(400, 'INVALID_PARENT');
      }
      if (rest.code && rest.code !== before.code && (await this.repo.byCode(trx, rest.code)))
        throw new AppError(409, 'DUPLICATE', { field: 'code' });
      const patch: Record<string, unknown> = { ...rest, updatedAt: now };
      if (rest.name) patch.name = rest.name.trim();
      if (active !== undefined) patch.active = active ? 1 : 0;
      if (!(await this.repo.update(trx, id, version, patch)))
        throw stale(toOrganisation((await this.repo.byId(trx, id))!));
      const after = (await this.repo.byId(trx, id))!;
      await this.ctx.audit.record(trx, audit, {
        action: 'org.update',
        entity: 'organisation',
        entityId: id,
        before,
        after,
      });
      return toOrganisation(after);
    });
  }

  async remove(actor: Actor, audit: AuditContext, id: number) {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byId(trx, id);
      if (!before) throw notFound();
      assertInScope(await this.scope(actor), id);
      if ((await this.repo.usage(trx, id)) > 0) throw new AppError(409, 'IN_USE');
      await this.repo.delete(trx, id);
      await this.ctx.audit.record(trx, audit, { action: 'org.delete', entity: 'organisation', entityId: id, before });
    });
  }

  private toLink(r: Awaited<ReturnType<OrganisationRepository['links']>>[number]) {
    return {
      ...r,
      id: Number(r.id),
      unitOrgId: Number(r.unitOrgId),
      supervisorOrgId: Number(r.supervisorOrgId),
      createdAt: Number(r.createdAt),
      categories: r.categories ? r.categories.split(',') : null,
    };
  }

  async links(actor: Actor, f: { unitOrgId?: number; supervisorOrgId?: number }) {
    const scope = await this.scope(actor);
    const rows = await this.repo.links(this.ctx.db, { ...f, orgIds: scope.all ? undefined : scope.orgIds });
    return { items: rows.map((r) => this.toLink(r)) };
  }

  async createLink(actor: Actor, audit: AuditContext, input: Static<typeof CreateLiaisonLink>) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const unit = await this.repo.byId(trx, input.unitOrgId);
      const sup = await this.repo.byId(trx, input.supervisorOrgId);
      if (!unit) throw new AppError(400, 'INVALID_REFERENCE', { field: 'unitOrgId' });
      if (!sup) throw new AppError(400, 'INVALID_REFERENCE', { field: 'supervisorOrgId' });
      if (input.unitOrgId === input.supervisorOrgId)
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'supervisorOrgId' });
      if (await this.repo.linkByPair(trx, input.unitOrgId, input.supervisorOrgId))
        throw new AppError(409, 'DUPLICATE', { field: 'supervisorOrgId' });
      const row = {
        unitOrgId: input.unitOrgId,
        supervisorOrgId: input.supervisorOrgId,
        categories: input.categories?.length ? [...new Set(input.categories)].join(',') : null,
        createdAt: now,
      };
      const id = await this.repo.insertLink(trx, row);
      await this.ctx.audit.record(trx, audit, {
        action: 'liaison.create',
        entity: 'liaison_link',
        entityId: id,
        after: row,
      });
      void actor;
      const [created] = await this.repo.links(trx, {
        unitOrgId: input.unitOrgId,
        supervisorOrgId: input.supervisorOrgId,
      });
      return this.toLink(created!);
    });
  }

  async removeLink(actor: Actor, audit: AuditContext, id: number) {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.linkById(trx, id);
      if (!before) throw notFound();
      void actor;
      await this.repo.deleteLink(trx, id);
      await this.ctx.audit.record(trx, audit, {
        action: 'liaison.delete',
        entity: 'liaison_link',
        entityId: id,
        before,
      });
    });
  }
}
