import crypto from 'node:crypto';
import type { Static } from 'typebox';
import { meetsPolicy, normaliseUsername } from '../../../../domain/password.js';
import { ADMIN_ROLES, ROLE_PERMISSIONS, ROLE_SCOPE, ROLES, type Role } from '../../../../domain/roles.js';
import { assertInScope, inScope, type Scope, scopeOf } from '../../platform/access/scope.js';
import type { AuditContext } from '../../platform/audit/audit.service.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AuthRepository } from '../../platform/auth/auth.repository.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, stale } from '../../platform/errors.js';
import { UserRepository } from './users.repository.js';
import type { CreateUser, UpdateUser, UserQuery } from './users.schemas.js';

type UserRow = NonNullable<Awaited<ReturnType<UserRepository['byId']>>>;

export function toUser(r: UserRow, now: number) {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.displayName,
    orgId: Number(r.orgId),
    orgName: r.orgName,
    role: r.role as Role,
    email: r.email,
    phone: r.phone,
    disabled: !!r.disabled,
    totpEnabled: !!r.totpEnabled,
    mustChangePassword: !!r.mustChangePassword,
    locked: r.lockedUntil !== null && r.lockedUntil !== undefined && Number(r.lockedUntil) > now,
    passwordChangedAt: Number(r.passwordChangedAt),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

// No look-alikes (0/O, 1/l/I), and no symbol that a spreadsheet would read as the start of a formula.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*?^_~';

/**
 * A one-time password that meets any policy the security administrator can set: all four
 * character classes, at least 16 characters (≈ 97 bits) or more if the policy asks for more, and
 * not containing the username.
 */
export function generateInitialPassword(minLength = 0, username?: string): string {
  const length = Math.max(16, Math.min(64, minLength));
  const pick = (set: string) => set[crypto.randomInt(set.length)]!;
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (meetsPolicy(password, { minLength: length, minClasses: 4, maxAgeDays: 0 }, username)) return password;
  }
}

/** A unique-constraint violation on either dialect (a concurrent insert won the race). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const sod = () => new AppError(403, 'SEPARATION_OF_DUTIES');

export class UserService {
  readonly repo = new UserRepository();
  private readonly auth = new AuthRepository();
  constructor(private readonly ctx: AppContext) {}

  /** 三员分立 administrators keep accounts for everyone; any other reader sees the users of its scope. */
  async scope(actor: Actor): Promise<Scope> {
    if (ADMIN_ROLES.includes(actor.role)) return { all: true };
    return scopeOf(this.ctx.db, actor);
  }

  async list(actor: Actor, q: Static<typeof UserQuery>) {
    const scope = await this.scope(actor);
    const limit = q.limit ?? 50;
    const { items, total } = await this.repo.page(
      this.ctx.db,
      {
        q: q.q?.trim() || undefined,
        role: q.role,
        orgId: q.orgId,
        disabled: q.disabled,
        orgIds: scope.all ? undefined : scope.orgIds,
      },
      q.after ?? 0,
      limit,
    );
    const now = this.ctx.clock.now();
    return {
      items: items.map((r) => toUser(r, now)),
      total,
      nextCursor: items.length === limit ? Number(items[items.length - 1]!.id) : null,
    };
  }

  async get(actor: Actor, id: number) {
    const row = await this.repo.byId(this.ctx.db, id);
    if (!row) throw notFound();
    assertInScope(await this.scope(actor), row.orgId);
    return toUser(row, this.ctx.clock.now());
  }

  roles() {
    return {
      items: ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]], scope: ROLE_SCOPE[role] })),
    };
  }

  private async newPassword(username: string) {
    const policy = await this.ctx.settings.get('security.passwordPolicy');
    const password = generateInitialPassword(policy.minLength, username);
    return { password, hash: this.ctx.crypto.hashPassword(password) };
  }

  async create(actor: Actor, audit: AuditContext, input: Static<typeof CreateUser>) {
    const scope = await this.scope(actor);
    const username = normaliseUsername(input.username);
    const { password, hash } = await this.newPassword(username);
    const now = this.ctx.clock.now();
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        if (!inScope(scope, input.orgId) || !(await this.repo.orgExists(trx, input.orgId)))
          throw new AppError(400, 'INVALID_REFERENCE', { field: 'orgId' });
        if (await this.repo.usernameTaken(trx, username)) throw new AppError(409, 'DUPLICATE', { field: 'username' });
        const row = {
          username,
          displayName: input.displayName.trim(),
          orgId: input.orgId,
          role: input.role,
          email: input.email || null,
          phone: input.phone || null,
          passwordHash: hash,
          passwordChangedAt: now,
          mustChangePassword: 1,
          totpSecret: null,
          totpEnabled: 0,
          disabled: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
        const id = await this.repo.insert(trx, row);
        const user = toUser((await this.repo.byId(trx, id))!, now);
        await this.ctx.audit.record(trx, audit, { action: 'user.create', entity: 'user', entityId: id, after: user });
        return { user, initialPassword: password };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(409, 'DUPLICATE', { field: 'username' });
      throw e;
    }
  }

  async update(actor: Actor, audit: AuditContext, id: number, input: Static<typeof UpdateUser>) {
    const scope = await this.scope(actor);
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.byId(trx, id);
      if (!before) throw notFound();
      assertInScope(scope, before.orgId);
      const roleChange = input.role !== undefined && input.role !== before.role;
      const orgChange = input.orgId !== undefined && input.orgId !== Number(before.orgId);
      const disabling = input.disabled === true && !before.disabled;
      // 三员分立: nobody raises, moves or switches off their own account.
      if (actor.userId === id && (roleChange || orgChange || input.disabled === true)) throw sod();
      if (Number(before.version) !== input.version) throw stale(toUser(before, now));
      if (orgChange && (!inScope(scope, input.orgId) || !(await this.repo.orgExists(trx, input.orgId!))))
        throw new AppError(400, 'INVALID_REFERENCE', { field: 'orgId' });

      const patch: Record<string, unknown> = { updatedAt: now };
      if (input.displayName !== undefined) patch.displayName = input.displayName.trim();
      if (input.orgId !== undefined) patch.orgId = input.orgId;
      if (input.role !== undefined) patch.role = input.role;
      if (input.email !== undefined) patch.email = input.email || null;
      if (input.phone !== undefined) patch.phone = input.phone || null;
      if (input.disabled !== undefined) patch.disabled = input.disabled ? 1 : 0;
      if (!(await this.repo.update(trx, id, input.version, patch)))
        throw stale(toUser((await this.repo.byId(trx, id))!, now));
      // Whoever is signed in as this user must sign in again under the new role, organisation or not at all.
      if (roleChange || orgChange || disabling) await this.auth.revokeUserSessions(trx, id, now);
      const after = toUser((await this.repo.byId(trx, id))!, now);
      await this.ctx.audit.record(trx, audit, {
        action: disabling ? 'user.disable' : 'user.update',
        entity: 'user',
        entityId: id,
        before: toUser(before, now),
        after,
      });
      return after;
    });
  }

  /** Loads a user the caller may administer (404 when missing or out of scope). */
  private async target(actor: Actor, id: number, trx: Parameters<UserRepository['byId']>[0]) {
    const row = await this.repo.byId(trx, id);
    if (!row) throw notFound();
    assertInScope(await this.scope(actor), row.orgId);
    return row;
  }

  /** A new one-time password; the user must change it at the next sign-in, and every session ends. */
  async resetPassword(actor: Actor, audit: AuditContext, id: number) {
    if (actor.userId === id) throw sod();
    const current = await this.repo.byId(this.ctx.db, id);
    if (!current) throw notFound();
    const { password, hash } = await this.newPassword(current.username);
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.target(actor, id, trx);
      await this.auth.setPassword(trx, id, hash, now, true);
      await this.auth.revokeUserSessions(trx, id, now);
      await this.ctx.audit.record(trx, audit, {
        action: 'user.password.reset',
        entity: 'user',
        entityId: id,
        after: { mustChangePassword: true, sessionsRevoked: true },
      });
    });
    return { initialPassword: password };
  }

  /** Clears the second factor (a lost phone); the user enrols again, and every session ends. */
  async resetTotp(actor: Actor, audit: AuditContext, id: number) {
    if (actor.userId === id) throw sod();
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.target(actor, id, trx);
      await this.auth.setTotp(trx, id, null, false, now);
      await this.auth.revokeUserSessions(trx, id, now);
      const after = toUser((await this.repo.byId(trx, id))!, now);
      await this.ctx.audit.record(trx, audit, {
        action: 'user.totp.reset',
        entity: 'user',
        entityId: id,
        before: { enabled: !!before.totpEnabled },
        after: { enabled: false, sessionsRevoked: true },
      });
      return after;
    });
  }

  /** Lifts a lockout after failed sign-ins (the throttle row of that username goes). */
  async unlock(actor: Actor, audit: AuditContext, id: number) {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.target(actor, id, trx);
      await this.auth.clearThrottle(trx, before.username);
      const after = toUser((await this.repo.byId(trx, id))!, now);
      await this.ctx.audit.record(trx, audit, {
        action: 'user.unlock',
        entity: 'user',
        entityId: id,
        before: { locked: toUser(before, now).locked },
        after: { locked: false },
      });
      return after;
    });
  }
}
