import { authenticator } from 'otplib';
import { meetsPolicy, normaliseUsername } from '../../../../domain/password.js';
import type { Role } from '../../../../domain/roles.js';
import type { AuditContext } from '../audit/audit.service.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { AccessCache } from './access-cache.js';
import type { Actor, Restriction } from './actor.js';
import { AuthRepository } from './auth.repository.js';

export const SESSION_COOKIE = 'rectify_session';
const TOUCH_EVERY_MS = 15_000; // last-seen is written at most this often per session

export interface LoginResult {
  token: string;
  expiresAt: number;
}

/** A session with its user as kept between requests: without the password hash and TOTP secret. */
type SessionRow = Omit<
  NonNullable<Awaited<ReturnType<AuthRepository['sessionWithUser']>>>,
  'passwordHash' | 'totpSecret'
>;

export class AuthService {
  readonly repo = new AuthRepository();
  /** This server's sessions and scopes as of the newest access epoch it has read. */
  private readonly access = new AccessCache();
  private dummyHash: string | null = null;

  constructor(private readonly ctx: AppContext) {}

  private sessionId(token: string) {
    return this.ctx.crypto.hmacSm3(this.ctx.crypto.subkey('session-id'), token);
  }

  tokenHash(token: string) {
    return this.ctx.crypto.hmacSm3(this.ctx.crypto.subkey('api-token'), token);
  }

  private async restrictionOf(
    u: { role: string; mustChangePassword: number; passwordChangedAt: number; totpEnabled: number },
    mfaPending: number,
  ): Promise<Restriction> {
    if (mfaPending) return 'mfa_pending';
    const policy = await this.ctx.settings.get('security.passwordPolicy');
    const expired =
      policy.maxAgeDays > 0 && this.ctx.clock.now() - Number(u.passwordChangedAt) > policy.maxAgeDays * 86_400_000;
    if (u.mustChangePassword || expired) return 'password_change';
    const required = await this.ctx.settings.get('security.totpRequiredRoles');
    if (required.includes(u.role as Role) && !u.totpEnabled) return 'mfa_enrol';
    return null;
  }

  /**
   * Password login. Unknown users get the same answers as known ones (including the lockout), and
   * each attempt is counted before the password is checked, so parallel guesses cannot pass the limit.
   */
  async login(
    audit: AuditContext,
    rawUsername: string,
    password: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<LoginResult> {
    const { db, clock, crypto, config } = this.ctx;
    const username = normaliseUsername(rawUsername);
    const now = clock.now();
    const lockout = await this.ctx.settings.get('security.lockout');
    const fail = async (code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED', userId: number | null) => {
      await this.ctx.audit.recordAlone(
        { ...audit, actorId: userId, actorName: username.slice(0, 100) },
        {
          action: code === 'ACCOUNT_LOCKED' ? 'auth.login.locked' : 'auth.login.failed',
          entity: 'user',
          entityId: userId,
          result: 'denied',
        },
      );
      if (code === 'ACCOUNT_LOCKED') return new AppError(423, 'ACCOUNT_LOCKED', { minutes: lockout.minutes });
      return new AppError(401, 'INVALID_CREDENTIALS');
    };

    const current = await this.repo.throttle(db, username);
    if (current?.lockedUntil && Number(current.lockedUntil) > now) throw await fail('ACCOUNT_LOCKED', null);
    const attempt = await this.repo.reserveAttempt(db, username, now);
    if (attempt.failures > lockout.threshold) {
      await this.repo.lock(db, username, now + lockout.minutes * 60_000);
      throw await fail('ACCOUNT_LOCKED', null);
    }

    const user = await this.repo.userByUsername(db, username);
    this.dummyHash ??= crypto.hashPassword('dummy-password-for-timing');
    const ok = crypto.verifyPassword(password, user?.passwordHash ?? this.dummyHash) && !!user && !user.disabled;
    if (!ok || !user) {
      if (attempt.failures >= lockout.threshold) await this.repo.lock(db, username, now + lockout.minutes * 60_000);
      throw await fail('INVALID_CREDENTIALS', user?.id ?? null);
    }

    const token = crypto.randomToken(32);
    const session = await this.ctx.settings.get('security.session');
    const expiresAt = now + session.absoluteHours * 3_600_000;
    await db.transaction().execute(async (trx) => {
      // With a second factor the sign-in is not over yet: the attempt stays counted until the code is
      // right, so that password + code guesses share the one lockout budget (see totpVerify).
      if (!user.totpEnabled) await this.repo.clearThrottle(trx, username);
      await this.repo.createSession(trx, {
        id: this.sessionId(token),
        userId: user.id,
        csrfToken: crypto.randomToken(24),
        mfaPending: user.totpEnabled ? 1 : 0,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        revokedAt: null,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await this.ctx.audit.record(
        trx,
        { ...audit, actorId: user.id, actorName: user.username },
        { action: 'auth.login', entity: 'user', entityId: user.id },
      );
    });
    void config;
    return { token, expiresAt };
  }

  /**
   * Resolves a session cookie to its actor; 'expired' when it existed but is no longer valid. The
   * session row is answered from the access cache while the access epoch stands; a row the cache
   * would call expired is read again (another server may have seen the session since), so only the
   * database ever ends a session.
   */
  async fromSession(token: string): Promise<Actor | 'expired' | null> {
    const { db, clock } = this.ctx;
    const id = this.sessionId(token);
    const epoch = await this.repo.accessEpoch(db);
    let row = this.access.session<SessionRow>(id, epoch);
    const now = clock.now();
    const { idleMinutes } = await this.ctx.settings.get('security.session');
    const ended = (r: SessionRow) =>
      r.revokedAt ||
      r.disabled ||
      Number(r.expiresAt) <= now ||
      Number(r.lastSeenAt) + idleMinutes * 60_000 <= now ||
      Number(r.createdAt) < Number(r.passwordChangedAt); // a password change ends older sessions
    if (row && ended(row)) {
      this.access.forgetSession(id);
      row = undefined;
    }
    if (!row) {
      const read = await this.repo.sessionWithUser(db, id);
      if (!read) return null;
      const { passwordHash: _hash, totpSecret: _secret, ...kept } = read;
      row = kept;
      if (ended(row)) return 'expired';
      this.access.keepSession(id, row, Number(row.accessEpoch));
    }
    if (now - Number(row.lastSeenAt) >= TOUCH_EVERY_MS) {
      await this.repo.touchSession(db, row.sessionId, now);
      row.lastSeenAt = now; // the kept row too: the next touch is due from now
    }
    return {
      userId: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Role,
      orgId: row.orgId,
      orgName: row.orgName,
      via: 'session',
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
      restriction: await this.restrictionOf(row, row.mfaPending),
      totpEnabled: !!row.totpEnabled,
      passwordChangedAt: Number(row.passwordChangedAt),
      access: this.access.at(epoch),
    };
  }

  async fromToken(token: string): Promise<Actor | null> {
    const { db, clock } = this.ctx;
    const row = await this.repo.tokenWithUser(db, this.tokenHash(token));
    const now = clock.now();
    if (!row || row.tokenRevokedAt || row.disabled || (row.tokenExpiresAt && Number(row.tokenExpiresAt) <= now))
      return null;
    if (!row.tokenLastUsedAt || now - Number(row.tokenLastUsedAt) >= 60_000)
      await this.repo.touchToken(db, row.tokenId, now);
    const restriction = await this.restrictionOf(row, 0);
    return {
      userId: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Role,
      orgId: row.orgId,
      orgName: row.orgName,
      via: 'token',
      sessionId: null,
      csrfToken: null,
      // A script cannot change a password or give a TOTP code: a restricted owner's token is refused.
      restriction: restriction === 'mfa_pending' ? null : restriction,
      totpEnabled: !!row.totpEnabled,
      passwordChangedAt: Number(row.passwordChangedAt),
      // The token's row was read with the epoch in one statement: the scopes may be kept at it.
      access: this.access.at(Number(row.accessEpoch)),
    };
  }

  async logout(actor: Actor, audit: AuditContext) {
    if (!actor.sessionId) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.revokeSession(trx, actor.sessionId!, this.ctx.clock.now());
      await this.ctx.audit.record(trx, audit, { action: 'auth.logout', entity: 'user', entityId: actor.userId });
    });
  }

  async assertPasswordAllowed(password: string, username?: string) {
    const policy = await this.ctx.settings.get('security.passwordPolicy');
    if (!meetsPolicy(password, policy, username)) {
      throw new AppError(400, 'PASSWORD_POLICY', { min: policy.minLength, classes: policy.minClasses });
    }
  }

  /** Changes the caller's password, ends every session of theirs and opens a fresh one. */
  async changePassword(
    actor: Actor,
    audit: AuditContext,
    currentPassword: string,
    newPassword: string,
    meta: { ip: string | null; userAgent: string | null },
  ) {
    const { db, crypto, clock } = this.ctx;
    const user = await this.repo.userById(db, actor.userId);
    if (!user || !crypto.verifyPassword(currentPassword, user.passwordHash))
      throw new AppError(400, 'INVALID_CREDENTIALS');
    await this.assertPasswordAllowed(newPassword, user.username);
    if (crypto.verifyPassword(newPassword, user.passwordHash)) throw new AppError(400, 'PASSWORD_REUSED');
    const now = clock.now();
    const token = crypto.randomToken(32);
    const { absoluteHours } = await this.ctx.settings.get('security.session');
    const expiresAt = now + absoluteHours * 3_600_000;
    await db.transaction().execute(async (trx) => {
      await this.repo.setPassword(trx, user.id, crypto.hashPassword(newPassword), now, false);
      await this.repo.revokeUserSessions(trx, user.id, now);
      await this.repo.createSession(trx, {
        id: this.sessionId(token),
        userId: user.id,
        csrfToken: crypto.randomToken(24),
        mfaPending: 0,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        revokedAt: null,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await this.ctx.audit.record(trx, audit, { action: 'auth.password.change', entity: 'user', entityId: user.id });
    });
    return { token, expiresAt };
  }

  private totp() {
    return authenticator.clone({ epoch: this.ctx.clock.now(), window: 1 });
  }

  async totpSetup(actor: Actor, audit: AuditContext) {
    const user = await this.repo.userById(this.ctx.db, actor.userId);
    if (!user) throw new AppError(404, 'NOT_FOUND');
    if (user.totpEnabled) throw new AppError(409, 'CONFLICT_STALE');
    const secret = authenticator.generateSecret(20);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.setTotp(
        trx,
        actor.userId,
        this.ctx.crypto.encrypt(secret, `totp:${actor.userId}`),
        false,
        this.ctx.clock.now(),
      );
      await this.ctx.audit.record(trx, audit, { action: 'auth.totp.setup', entity: 'user', entityId: actor.userId });
    });
    return { secret, otpauthUrl: authenticator.keyuri(actor.username, 'Rectify', secret) };
  }

  private async checkCode(userId: number, code: string) {
    const user = await this.repo.userById(this.ctx.db, userId);
    if (!user?.totpSecret) throw new AppError(400, 'TOTP_INVALID');
    const secret = this.ctx.crypto.decrypt(user.totpSecret, `totp:${userId}`);
    if (!this.totp().check(code, secret)) throw new AppError(400, 'TOTP_INVALID');
  }

  async totpEnable(actor: Actor, audit: AuditContext, code: string) {
    await this.checkCode(actor.userId, code);
    const user = await this.repo.userById(this.ctx.db, actor.userId);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.setTotp(trx, actor.userId, user!.totpSecret, true, this.ctx.clock.now());
      await this.ctx.audit.record(trx, audit, { action: 'auth.totp.enable', entity: 'user', entityId: actor.userId });
    });
  }

  /**
   * The code after the password. Every try counts against the same lockout as the password (5 by
   * default, the password's own try included), so the six digits cannot be guessed one request
   * after another; at the limit the account locks and this half-signed-in session ends.
   */
  async totpVerify(actor: Actor, audit: AuditContext, code: string) {
    if (actor.restriction !== 'mfa_pending' || !actor.sessionId) throw new AppError(409, 'CONFLICT_STALE');
    const { db, clock } = this.ctx;
    const username = actor.username.trim().toLowerCase();
    const now = clock.now();
    const lockout = await this.ctx.settings.get('security.lockout');
    const lockedOut = async () => {
      await this.repo.lock(db, username, now + lockout.minutes * 60_000);
      await db.transaction().execute(async (trx) => {
        await this.repo.revokeSession(trx, actor.sessionId!, now);
        await this.ctx.audit.record(trx, audit, {
          action: 'auth.totp.locked',
          entity: 'user',
          entityId: actor.userId,
          result: 'denied',
        });
      });
      return new AppError(423, 'ACCOUNT_LOCKED', { minutes: lockout.minutes });
    };
    const current = await this.repo.throttle(db, username);
    if (current?.lockedUntil && Number(current.lockedUntil) > now) throw await lockedOut();
    const attempt = await this.repo.reserveAttempt(db, username, now);
    if (attempt.failures > lockout.threshold) throw await lockedOut();
    try {
      await this.checkCode(actor.userId, code);
    } catch (e) {
      await this.ctx.audit.recordAlone(audit, {
        action: 'auth.totp.failed',
        entity: 'user',
        entityId: actor.userId,
        result: 'denied',
      });
      if (attempt.failures >= lockout.threshold) throw await lockedOut();
      throw e;
    }
    await db.transaction().execute(async (trx) => {
      await this.repo.clearThrottle(trx, username);
      await this.repo.clearMfa(trx, actor.sessionId!);
      await this.ctx.audit.record(trx, audit, { action: 'auth.totp.verify', entity: 'user', entityId: actor.userId });
    });
  }

  async totpDisable(actor: Actor, audit: AuditContext, password: string) {
    const user = await this.repo.userById(this.ctx.db, actor.userId);
    if (!user || !this.ctx.crypto.verifyPassword(password, user.passwordHash))
      throw new AppError(400, 'INVALID_CREDENTIALS');
    const required = await this.ctx.settings.get('security.totpRequiredRoles');
    if (required.includes(actor.role)) throw new AppError(403, 'TOTP_ENROLMENT_REQUIRED');
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.setTotp(trx, actor.userId, null, false, this.ctx.clock.now());
      await this.ctx.audit.record(trx, audit, { action: 'auth.totp.disable', entity: 'user', entityId: actor.userId });
    });
  }

  async createToken(actor: Actor, audit: AuditContext, name: string, expiresInDays: number | null) {
    const token = `rct_${this.ctx.crypto.randomToken(30)}`;
    const now = this.ctx.clock.now();
    const expiresAt = expiresInDays ? now + expiresInDays * 86_400_000 : null;
    const id = await this.ctx.db.transaction().execute(async (trx) => {
      const id = await this.repo.insertToken(trx, {
        userId: actor.userId,
        name,
        tokenHash: this.tokenHash(token),
        prefix: token.slice(0, 8),
        createdAt: now,
        expiresAt,
      });
      await this.ctx.audit.record(trx, audit, {
        action: 'auth.token.create',
        entity: 'api_token',
        entityId: id,
        after: { name, expiresAt },
      });
      return id;
    });
    return { id, name, token, prefix: token.slice(0, 8), createdAt: now, expiresAt };
  }

  async revokeToken(actor: Actor, audit: AuditContext, id: number) {
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.repo.revokeToken(trx, actor.userId, id, this.ctx.clock.now())))
        throw new AppError(404, 'NOT_FOUND');
      await this.ctx.audit.record(trx, audit, { action: 'auth.token.revoke', entity: 'api_token', entityId: id });
    });
  }
}
