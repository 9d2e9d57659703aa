import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

type Executor = Kysely<DB> | Transaction<DB>;

const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.displayName',
  'users.orgId',
  'users.role',
  'users.passwordHash',
  'users.passwordChangedAt',
  'users.mustChangePassword',
  'users.totpSecret',
  'users.totpEnabled',
  'users.disabled',
  'users.version',
] as const;

const ACCESS_EPOCH = CompiledQuery.raw('SELECT epoch FROM access_epoch WHERE id = 1');
const ACCESS_EPOCH_COLUMN = sql<number | string>`(SELECT epoch FROM access_epoch WHERE id = 1)`.as('accessEpoch');

export class AuthRepository {
  async userByUsername(db: Executor, username: string) {
    return db.selectFrom('users').select(USER_COLUMNS).where('username', '=', username).executeTakeFirst();
  }

  async userById(db: Executor, id: number) {
    return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** Counts an attempt before the password is checked, atomically, so parallel guesses cannot exceed the limit. */
  async reserveAttempt(db: Executor, username: string, now: number) {
    return db
      .insertInto('loginThrottle')
      .values({ username, failures: 1, lockedUntil: null, lastFailureAt: now })
      .onConflict((oc) =>
        oc.column('username').doUpdateSet({
          // An expired lock starts a fresh count.
          failures: sql`CASE WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= ${now} THEN 1 ELSE login_throttle.failures + 1 END`,
          lockedUntil: sql`CASE WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= ${now} THEN NULL ELSE login_throttle.locked_until END`,
          lastFailureAt: now,
        }),
      )
      .returning(['failures', 'lockedUntil'])
      .executeTakeFirstOrThrow();
  }

  async throttle(db: Executor, username: string) {
    return db
      .selectFrom('loginThrottle')
      .select(['failures', 'lockedUntil'])
      .where('username', '=', username)
      .executeTakeFirst();
  }

  async lock(db: Executor, username: string, until: number) {
    await db
      .updateTable('loginThrottle')
      .set({ lockedUntil: until })
      .where('username', '=', username)
      .where('lockedUntil', 'is', null)
      .execute();
  }

  async clearThrottle(db: Executor, username: string) {
    await db.deleteFrom('loginThrottle').where('username', '=', username).execute();
  }

  async createSession(db: Executor, s: DB['sessions'] extends infer T ? { [K in keyof T]: T[K] } : never) {
    await db.insertInto('sessions').values(s).execute();
  }

  /** The access epoch (migration 2026-11-29T0001): compiled once, read on every request. */
  async accessEpoch(db: Executor): Promise<number> {
    const r = await db.executeQuery<{ epoch: number | string }>(ACCESS_EPOCH);
    return Number(r.rows[0]!.epoch);
  }

  /** The session with its user, and the access epoch in the same statement (so of the same moment). */
  async sessionWithUser(db: Executor, id: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .innerJoin('organisations', 'organisations.id', 'users.orgId')
      .select([
        'sessions.id as sessionId',
        'sessions.csrfToken',
        'sessions.mfaPending',
        'sessions.createdAt',
        'sessions.lastSeenAt',
        'sessions.expiresAt',
        'sessions.revokedAt',
        ...USER_COLUMNS,
        'organisations.name as orgName',
        ACCESS_EPOCH_COLUMN,
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
  }

  async touchSession(db: Executor, id: string, now: number) {
    await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', id).execute();
  }

  async clearMfa(db: Executor, id: string) {
    await db.updateTable('sessions').set({ mfaPending: 0 }).where('id', '=', id).execute();
  }

  async revokeSession(db: Executor, id: string, now: number) {
    await db
      .updateTable('sessions')
      .set({ revokedAt: now })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async revokeUserSessions(db: Executor, userId: number, now: number) {
    await db
      .updateTable('sessions')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async setPassword(db: Executor, userId: number, hash: string, now: number, mustChange: boolean) {
    await db
      .updateTable('users')
      .set((eb) => ({
        passwordHash: hash,
        passwordChangedAt: now,
        mustChangePassword: mustChange ? 1 : 0,
        updatedAt: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', userId)
      .execute();
  }

  async setTotp(db: Executor, userId: number, sealedSecret: string | null, enabled: boolean, now: number) {
    await db
      .updateTable('users')
      .set((eb) => ({
        totpSecret: sealedSecret,
        totpEnabled: enabled ? 1 : 0,
        updatedAt: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', userId)
      .execute();
  }

  async tokenWithUser(db: Executor, tokenHash: string) {
    return db
      .selectFrom('apiTokens')
      .innerJoin('users', 'users.id', 'apiTokens.userId')
      .innerJoin('organisations', 'organisations.id', 'users.orgId')
      .select([
        'apiTokens.id as tokenId',
        'apiTokens.expiresAt as tokenExpiresAt',
        'apiTokens.revokedAt as tokenRevokedAt',
        'apiTokens.lastUsedAt as tokenLastUsedAt',
        ...USER_COLUMNS,
        'organisations.name as orgName',
        ACCESS_EPOCH_COLUMN,
      ])
      .where('apiTokens.tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touchToken(db: Executor, id: number, now: number) {
    await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', id).execute();
  }

  async insertToken(
    db: Executor,
    t: { userId: number; name: string; tokenHash: string; prefix: string; createdAt: number; expiresAt: number | null },
  ) {
    const r = await db.insertInto('apiTokens').values(t).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async listTokens(db: Executor, userId: number) {
    return db
      .selectFrom('apiTokens')
      .select(['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
      .where('userId', '=', userId)
      .orderBy('id', 'desc')
      .execute();
  }

  async revokeToken(db: Executor, userId: number, id: number, now: number) {
    const r = await db
      .updateTable('apiTokens')
      .set({ revokedAt: now })
      .where('id', '=', id)
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
