import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClasses } from '../../../domain/password.js';
import { ROLE_PERMISSIONS, ROLE_SCOPE, ROLES } from '../../../domain/roles.js';
import { type Agent, createTestApp, DIALECTS, PASSWORD, type TestApp } from '../helpers.js';

describe.each(DIALECTS)('users administration on %s', (dialect) => {
  let t: TestApp;
  let unitOrg: number;
  let otherOrg: number;
  let secId: number;
  let sec: Agent;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    unitOrg = await t.createOrg({ code: 'U1', name: '市住建局' });
    otherOrg = await t.createOrg({ code: 'U2', name: '市交通局' });
    secId = await t.createUser({ username: 'sec', role: 'secadmin' });
    await t.createUser({ username: 'sec2', role: 'secadmin' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'liaison', role: 'unit', orgId: unitOrg });
    sec = await t.login('sec');
  });
  afterAll(() => t.close());

  const auditRows = (action: string) =>
    t.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('seq').execute();

  async function create(body: Record<string, unknown>) {
    const r = await sec.post('/api/v1/users', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { user: any; initialPassword: string };
  }

  it('creates an account with a one-time password that must be changed, never showing the hash', async () => {
    const r = await sec.post('/api/v1/users', {
      username: 'Zhang.San',
      displayName: '张三',
      orgId: unitOrg,
      role: 'unit',
      email: 'zhangsan@example.gov.cn',
      phone: '0571-8888 8888',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const { user, initialPassword } = r.json();
    expect(user).toMatchObject({
      username: 'zhang.san',
      displayName: '张三',
      orgId: unitOrg,
      orgName: '市住建局',
      role: 'unit',
      email: 'zhangsan@example.gov.cn',
      phone: '0571-8888 8888',
      disabled: false,
      totpEnabled: false,
      mustChangePassword: true,
      locked: false,
      version: 1,
    });
    expect(Object.keys(user).sort()).toEqual(
      [
        'id',
        'username',
        'displayName',
        'orgId',
        'orgName',
        'role',
        'email',
        'phone',
        'disabled',
        'totpEnabled',
        'mustChangePassword',
        'locked',
        'passwordChangedAt',
        'version',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    expect(passwordClasses(initialPassword)).toBe(4);
    expect(r.body).not.toMatch(/pbkdf2|passwordHash|totpSecret/);

    const stored = await t.ctx.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.passwordHash).not.toContain(initialPassword);
    expect(t.ctx.crypto.verifyPassword(initialPassword, stored.passwordHash)).toBe(true);

    const [audit] = await auditRows('user.create');
    expect(audit).toMatchObject({ actorName: 'sec', entity: 'user', entityId: String(user.id) });
    expect(audit!.after).not.toContain(initialPassword);

    const me = await t.login('zhang.san', initialPassword);
    expect((await me.get('/api/v1/auth/me')).json().restriction).toBe('password_change');
  });

  it('refuses a duplicate username, an unknown organisation and a malformed username', async () => {
    await create({ username: 'dup.user', displayName: 'A', orgId: unitOrg, role: 'unit' });
    const dup = await sec.post('/api/v1/users', {
      username: 'DUP.user',
      displayName: 'B',
      orgId: unitOrg,
      role: 'unit',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DUPLICATE');

    const org = await sec.post('/api/v1/users', { username: 'x.user', displayName: 'X', orgId: 999999, role: 'unit' });
    expect(org.statusCode).toBe(400);
    expect(org.json().code).toBe('INVALID_REFERENCE');

    for (const username of ['ab', 'has space', '张三', 'a'.repeat(65)]) {
      const bad = await sec.post('/api/v1/users', { username, displayName: 'X', orgId: unitOrg, role: 'unit' });
      expect(bad.statusCode, username).toBe(400);
      expect(bad.json().code).toBe('VALIDATION_FAILED');
    }
    const role = await sec.post('/api/v1/users', { username: 'r.user', displayName: 'R', orgId: unitOrg, role: 'god' });
    expect(role.statusCode).toBe(400);
  });

  it('lists accounts keyset-paged with filters and reads one', async () => {
    for (let i = 0; i < 5; i++)
      await create({ username: `page.${i}`, displayName: `分页${i}`, orgId: otherOrg, role: 'supervisor' });
    const first = await sec.get(`/api/v1/users?orgId=${otherOrg}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(5);
    expect(first.json().items.map((u: any) => u.username)).toEqual(['page.0', 'page.1']);
    const cursor = first.json().nextCursor;
    expect(cursor).toBe(first.json().items[1].id);
    const second = await sec.get(`/api/v1/users?orgId=${otherOrg}&limit=2&after=${cursor}`);
    expect(second.json().items.map((u: any) => u.username)).toEqual(['page.2', 'page.3']);
    const last = await sec.get(`/api/v1/users?orgId=${otherOrg}&limit=2&after=${second.json().nextCursor}`);
    expect(last.json().items.map((u: any) => u.username)).toEqual(['page.4']);
    expect(last.json().nextCursor).toBeNull();

    const q = await sec.get(`/api/v1/users?q=${encodeURIComponent('分页3')}`);
    expect(q.json().items.map((u: any) => u.username)).toEqual(['page.3']);
    const qUser = await sec.get('/api/v1/users?q=PAGE.4');
    expect(qUser.json().items.map((u: any) => u.username)).toEqual(['page.4']);
    const byRole = await sec.get('/api/v1/users?role=secadmin');
    expect(byRole.json().items.map((u: any) => u.username)).toEqual(['sec', 'sec2']);
    const like = await sec.get('/api/v1/users?q=%25');
    expect(like.json().total).toBe(0);

    const one = await sec.get(`/api/v1/users/${first.json().items[0].id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ username: 'page.0', orgName: '市交通局', role: 'supervisor' });
    expect((await sec.get('/api/v1/users/999999')).json().code).toBe('NOT_FOUND');
  });

  it('lets the office read accounts but not write them, and keeps units out entirely', async () => {
    const office = await t.login('office');
    const list = await office.get('/api/v1/users');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThan(3);
    expect((await office.get('/api/v1/roles')).statusCode).toBe(200);
    const write = await office.post('/api/v1/users', {
      username: 'o.user',
      displayName: 'O',
      orgId: unitOrg,
      role: 'unit',
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('FORBIDDEN');

    const unit = await t.login('liaison');
    for (const url of ['/api/v1/users', `/api/v1/users/${secId}`, '/api/v1/roles']) {
      const r = await unit.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN');
    }
    expect((await unit.post(`/api/v1/users/${secId}/reset-password`)).statusCode).toBe(403);
    expect((await t.anonymous().get('/api/v1/users')).statusCode).toBe(401);
  });

  it('changes an account optimistically and answers a stale version with the current record', async () => {
    const { user } = await create({ username: 'edit.me', displayName: '原名', orgId: unitOrg, role: 'unit' });
    const ok = await sec.patch(`/api/v1/users/${user.id}`, {
      version: 1,
      displayName: '新名',
      email: 'new@example.com',
      phone: null,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ displayName: '新名', email: 'new@example.com', phone: null, version: 2 });

    const stale = await sec.patch(`/api/v1/users/${user.id}`, { version: 1, displayName: '过期' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT_STALE');
    expect(stale.json().current).toMatchObject({ displayName: '新名', version: 2 });

    const badOrg = await sec.patch(`/api/v1/users/${user.id}`, { version: 2, orgId: 999999 });
    expect(badOrg.statusCode).toBe(400);
    expect(badOrg.json().code).toBe('INVALID_REFERENCE');
    const extra = await sec.patch(`/api/v1/users/${user.id}`, { version: 2, passwordHash: 'x' });
    expect(extra.statusCode).toBe(400);
    expect((await sec.patch('/api/v1/users/999999', { version: 1, displayName: 'x' })).statusCode).toBe(404);

    const [audit] = await auditRows('user.update');
    expect(audit).toMatchObject({ entityId: String(user.id) });
    expect(JSON.parse(audit!.before!).displayName).toBe('原名');
    expect(JSON.parse(audit!.after!).displayName).toBe('新名');
  });

  it('keeps 三员分立: no administrator changes the role of, disables or resets their own account', async () => {
    const me = (await sec.get(`/api/v1/users/${secId}`)).json();
    const refusals = [
      await sec.patch(`/api/v1/users/${secId}`, { version: me.version, role: 'office' }),
      await sec.patch(`/api/v1/users/${secId}`, { version: me.version, disabled: true }),
      await sec.patch(`/api/v1/users/${secId}`, { version: me.version, orgId: unitOrg }),
      await sec.post(`/api/v1/users/${secId}/reset-password`),
      await sec.post(`/api/v1/users/${secId}/reset-totp`),
    ];
    for (const r of refusals) {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().code).toBe('SEPARATION_OF_DUTIES');
    }
    const after = (await sec.get(`/api/v1/users/${secId}`)).json();
    expect(after).toMatchObject({ role: 'secadmin', disabled: false, version: me.version });
    // Their own name is theirs to correct, and the same role is no change.
    const name = await sec.patch(`/api/v1/users/${secId}`, {
      version: me.version,
      displayName: '安全员',
      role: 'secadmin',
    });
    expect(name.statusCode, name.body).toBe(200);
    expect((await sec.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('ends every session of an account that is disabled, and lets it back in once enabled', async () => {
    const { user, initialPassword } = await create({
      username: 'to.disable',
      displayName: 'D',
      orgId: unitOrg,
      role: 'unit',
    });
    await t.ctx.db.updateTable('users').set({ mustChangePassword: 0 }).where('id', '=', user.id).execute();
    const victim = await t.login('to.disable', initialPassword);
    expect((await victim.get('/api/v1/organisations')).statusCode).toBe(200);

    const off = await sec.patch(`/api/v1/users/${user.id}`, { version: user.version, disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().disabled).toBe(true);
    const refused = await victim.get('/api/v1/organisations');
    expect(refused.statusCode).toBe(401);
    const sessions = await t.ctx.db.selectFrom('sessions').select('revokedAt').where('userId', '=', user.id).execute();
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    const login = await t.anonymous().post('/api/v1/auth/login', { username: 'to.disable', password: initialPassword });
    expect(login.statusCode).toBe(401);
    expect((await sec.get('/api/v1/users?disabled=true')).json().items.map((u: any) => u.username)).toContain(
      'to.disable',
    );
    expect((await auditRows('user.disable')).map((a) => a.entityId)).toContain(String(user.id));

    const on = await sec.patch(`/api/v1/users/${user.id}`, { version: off.json().version, disabled: false });
    expect(on.statusCode).toBe(200);
    await t.login('to.disable', initialPassword);
  });

  it('ends the sessions of an account whose role or organisation changes', async () => {
    const id = await t.createUser({ username: 'mover', role: 'unit', orgId: unitOrg });
    const a = await t.login('mover');
    const b = await t.login('mover');
    const r1 = await sec.patch(`/api/v1/users/${id}`, { version: 1, role: 'unit_head' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);

    const c = await t.login('mover');
    expect((await c.get('/api/v1/auth/me')).json().role).toBe('unit_head');
    const r2 = await sec.patch(`/api/v1/users/${id}`, { version: 2, orgId: otherOrg });
    expect(r2.statusCode).toBe(200);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);

    // A change of name alone leaves the sessions alone.
    const d = await t.login('mover');
    expect((await sec.patch(`/api/v1/users/${id}`, { version: 3, displayName: '调动' })).statusCode).toBe(200);
    expect((await d.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('resets a password: old sessions end, the new one-time password forces a change first', async () => {
    const id = await t.createUser({ username: 'forgetful', role: 'unit', orgId: unitOrg });
    const before = await t.login('forgetful');
    t.clock.advance(1000);
    const r = await sec.post(`/api/v1/users/${id}/reset-password`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { initialPassword } = r.json();
    expect(passwordClasses(initialPassword)).toBe(4);
    expect((await before.get('/api/v1/auth/me')).statusCode).toBe(401);
    const old = await t.anonymous().post('/api/v1/auth/login', { username: 'forgetful', password: PASSWORD });
    expect(old.statusCode).toBe(401);

    const a = await t.login('forgetful', initialPassword);
    const me = await a.get('/api/v1/auth/me');
    expect(me.json().restriction).toBe('password_change');
    const business = await a.get('/api/v1/organisations');
    expect(business.statusCode).toBe(403);
    expect(business.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await sec.get(`/api/v1/users/${id}`)).json().mustChangePassword).toBe(true);

    const changed = await a.post('/api/v1/auth/password', {
      currentPassword: initialPassword,
      newPassword: 'Another-Pass9',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
    expect((await sec.get(`/api/v1/users/${id}`)).json().mustChangePassword).toBe(false);
    expect((await auditRows('user.password.reset')).map((x) => x.entityId)).toContain(String(id));
  });

  it('clears a second factor and ends the sessions of that account', async () => {
    const id = await t.createUser({ username: 'lost.phone', role: 'unit', orgId: unitOrg });
    const session = await t.login('lost.phone');
    await t.ctx.db
      .updateTable('users')
      .set({ totpSecret: t.ctx.crypto.encrypt('JBSWY3DPEHPK3PXP', `totp:${id}`), totpEnabled: 1 })
      .where('id', '=', id)
      .execute();
    expect((await sec.get(`/api/v1/users/${id}`)).json().totpEnabled).toBe(true);
    const r = await sec.post(`/api/v1/users/${id}/reset-totp`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id, totpEnabled: false });
    const stored = await t.ctx.db
      .selectFrom('users')
      .select(['totpSecret', 'totpEnabled'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ totpSecret: null, totpEnabled: 0 });
    expect((await session.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await t.login('lost.phone');
    expect((await again.get('/api/v1/auth/me')).json().restriction).toBeNull();
  });

  it('shows a lockout and lifts it', async () => {
    const id = await t.createUser({ username: 'locked.out', role: 'unit', orgId: unitOrg });
    const anon = t.anonymous();
    for (let i = 0; i < 6; i++) await anon.post('/api/v1/auth/login', { username: 'locked.out', password: 'wrong' });
    const locked = await anon.post('/api/v1/auth/login', { username: 'locked.out', password: PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect((await sec.get(`/api/v1/users/${id}`)).json().locked).toBe(true);
    expect((await sec.get('/api/v1/users?q=locked.out')).json().items[0].locked).toBe(true);

    const r = await sec.post(`/api/v1/users/${id}/unlock`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().locked).toBe(false);
    expect(
      await t.ctx.db.selectFrom('loginThrottle').selectAll().where('username', '=', 'locked.out').execute(),
    ).toEqual([]);
    await t.login('locked.out');
    expect((await auditRows('user.unlock')).map((x) => x.entityId)).toContain(String(id));
  });

  it('lists the roles with their permissions and scope, as domain/roles.ts defines them', async () => {
    const r = await sec.get('/api/v1/roles');
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toEqual(
      ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]], scope: ROLE_SCOPE[role] })),
    );
  });

  it('refuses a write without the CSRF token and documents every route', async () => {
    const a = await t.login('sec2');
    a.csrf = null;
    const r = await a.post('/api/v1/users', { username: 'csrf.user', displayName: 'C', orgId: unitOrg, role: 'unit' });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('CSRF_FAILED');

    const doc = (await t.anonymous().get('/api/openapi.json')).json();
    for (const path of ['/api/v1/users', '/api/v1/users/{id}', '/api/v1/users/{id}/reset-password', '/api/v1/roles'])
      expect(doc.paths[path], path).toBeDefined();
    expect(doc.paths['/api/v1/users'].get.tags).toEqual(['users']);
  });
});
