import type { AppContext } from './context.js';

/**
 * First start on an empty database: the root organisation and the administrator `admin`
 * (安全管理员: accounts, roles, organisations). Its password is RECTIFY_ADMIN_PASSWORD when set;
 * otherwise a one-time password is returned for printing once and must be changed at first login.
 */
export async function ensureFirstAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; password?: string; generated?: boolean }> {
  const { db, clock, crypto } = ctx;
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: false };
  const now = clock.now();
  const generated = !ctx.config.adminPassword;
  // Four classes, so the one-time password always meets any policy the administrator may set later.
  const password = ctx.config.adminPassword ?? `Rx-${crypto.randomToken(12)}9a`;
  await db.transaction().execute(async (trx) => {
    let root = await trx.selectFrom('organisations').select('id').where('code', '=', 'ROOT').executeTakeFirst();
    if (!root) {
      root = await trx
        .insertInto('organisations')
        .values({
          parentId: null,
          code: 'ROOT',
          name: '中共市委',
          shortName: '市委',
          type: 'party_committee',
          supervisorLine: null,
          sort: 0,
          active: 1,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    const user = await trx
      .insertInto('users')
      .values({
        username: 'admin',
        displayName: '安全管理员',
        orgId: Number(root.id),
        role: 'secadmin',
        email: null,
        phone: null,
        passwordHash: crypto.hashPassword(password),
        passwordChangedAt: now,
        mustChangePassword: generated ? 1 : 0,
        totpSecret: null,
        totpEnabled: 0,
        disabled: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.audit.record(
      trx,
      { actorId: null, actorName: 'system', ip: null, requestId: null },
      {
        action: 'user.bootstrap',
        entity: 'user',
        entityId: Number(user.id),
        after: { username: 'admin', role: 'secadmin' },
      },
    );
  });
  return { created: true, password: generated ? password : undefined, generated };
}
