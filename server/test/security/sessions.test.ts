/**
 * Identity and sessions (GB/T 22239 §8.1.4.1 a–d, ASVS V6/V7/V3.5): lockout, identical answers for
 * unknown users, idle and absolute timeouts, replayed cookies, password policy and rotation, TOTP,
 * personal API tokens, CSRF, security headers, rate limits, localised problem documents, and no
 * internals in a 500. Time moves only by the manual clock `t.clock`.
 */

import { sql } from 'kysely';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/roles.js';
import { Agent, createTestApp, DIALECTS, PASSWORD, type TestApp } from '../helpers.js';
import { changedTables, expectProblem, fillPath, fingerprinter, pathParams, roleFor } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NEW_PASSWORD = 'Another-Passw0rd!';

describe.each(DIALECTS)('sessions and sign-in on %s', (dialect) => {
  let t: TestApp;
  let n = 0;
  /** A fresh user for each test, so lockouts and sessions never leak between tests. */
  const freshUser = async (role: Role = 'office', opts: { mustChangePassword?: boolean } = {}) => {
    const username = `u${++n}_${role}`;
    await t.createUser({ username, role, ...opts });
    return username;
  };
  const attempt = (username: string, password: string) =>
    t.anonymous().post('/api/v1/auth/login', { username, password });
  const auditCount = async (action: string, actorName: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND actor_name = ${actorName}`.execute(t.ctx.db)
      ).rows[0]!.n,
    );
  /** Another client presenting the same cookie (and CSRF token) as `a`. */
  const replay = (a: Agent) => {
    const b = new Agent(t.app);
    b.cookies = { ...a.cookies };
    b.csrf = a.csrf;
    return b;
  };
  const totpNow = (secret: string) => authenticator.clone({ epoch: t.clock.now() }).generate(secret);

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  describe('lockout (登录失败处理)', () => {
    it('locks after 5 wrong passwords: the 6th attempt, even right, answers 423; 30 minutes later it works', async () => {
      const u = await freshUser();
      for (let i = 0; i < 5; i++) expectProblem(await attempt(u, 'Wrong-passw0rd'), 401, 'INVALID_CREDENTIALS');
      const locked = await attempt(u, PASSWORD);
      expectProblem(locked, 423, 'ACCOUNT_LOCKED');
      expect(locked.headers['set-cookie']).toBeUndefined();
      t.clock.advance(29 * MIN + 59_000);
      expectProblem(await attempt(u, PASSWORD), 423, 'ACCOUNT_LOCKED');
      t.clock.advance(1000);
      expect((await attempt(u, PASSWORD)).statusCode).toBe(200);
      expect(await auditCount('auth.login.failed', u)).toBe(5);
      expect(await auditCount('auth.login.locked', u)).toBe(2);
      expect(await auditCount('auth.login', u)).toBe(1);
    });

    it('answers an unknown username with exactly the same sequence of statuses, codes and messages', async () => {
      const known = await freshUser();
      const unknown = `nobody_${n}`;
      const run = async (u: string) => {
        const seq: unknown[] = [];
        for (let i = 0; i < 5; i++) seq.push(await attempt(u, 'Wrong-passw0rd'));
        seq.push(await attempt(u, PASSWORD));
        t.clock.advance(10 * MIN);
        seq.push(await attempt(u, PASSWORD));
        t.clock.advance(20 * MIN);
        seq.push(await attempt(u, 'Wrong-passw0rd'));
        return (seq as { statusCode: number; body: string; headers: Record<string, unknown> }[]).map((r) => {
          const { requestId: _r, ...rest } = JSON.parse(r.body);
          return { status: r.statusCode, body: rest, cookie: r.headers['set-cookie'] ?? null };
        });
      };
      const a = await run(known);
      const b = await run(unknown);
      expect(b).toEqual(a);
      expect(a.map((x) => x.status)).toEqual([401, 401, 401, 401, 401, 423, 423, 401]);
    });

    it('never lets 20 parallel wrong guesses on one account try more than 5 passwords', async () => {
      const u = await freshUser();
      const results = await Promise.all(Array.from({ length: 20 }, () => attempt(u, 'Wrong-passw0rd')));
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 423)).toHaveLength(15);
      expect(await auditCount('auth.login.failed', u)).toBe(5);
      expectProblem(await attempt(u, PASSWORD), 423, 'ACCOUNT_LOCKED');
    });

    it('does not lock a bystander account', async () => {
      const target = await freshUser();
      const bystander = await freshUser();
      for (let i = 0; i < 8; i++) await attempt(target, 'Wrong-passw0rd');
      expect((await attempt(bystander, PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('session lifetime (超时自动退出)', () => {
    it('keeps a session through 29 idle minutes but ends it after 31 (401 SESSION_EXPIRED)', async () => {
      const a = await t.login(await freshUser());
      t.clock.advance(29 * MIN);
      expect((await a.get('/api/v1/auth/me')).statusCode).toBe(200);
      t.clock.advance(29 * MIN);
      expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
      t.clock.advance(31 * MIN);
      expectProblem(await a.get('/api/v1/organisations'), 401, 'SESSION_EXPIRED');
      expectProblem(await a.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
    });

    it('ends a session after 12 hours even when it is used all the time', async () => {
      const a = await t.login(await freshUser());
      let elapsed = 0;
      while (elapsed + 25 * MIN < 12 * HOUR) {
        t.clock.advance(25 * MIN);
        elapsed += 25 * MIN;
        expect((await a.get('/api/v1/auth/me')).statusCode, `after ${elapsed / MIN} min`).toBe(200);
      }
      t.clock.advance(12 * HOUR - elapsed - 1000);
      expect((await a.get('/api/v1/auth/me')).statusCode).toBe(200);
      t.clock.advance(1000);
      expectProblem(await a.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
    });

    it('refuses a cookie replayed after logout', async () => {
      const a = await t.login(await freshUser());
      const copy = replay(a);
      expect((await a.post('/api/v1/auth/logout')).statusCode).toBe(200);
      expectProblem(await copy.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
      expectProblem(await copy.post('/api/v1/auth/tokens', { name: 'x' }), 401, 'SESSION_EXPIRED');
    });

    it('refuses every older cookie after a password change, and keeps the new session', async () => {
      const u = await freshUser();
      const other = await t.login(u);
      const a = await t.login(u);
      const copy = replay(a);
      const res = await a.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.statusCode).toBe(200);
      expectProblem(await copy.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
      expectProblem(await other.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
      expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
      expectProblem(await attempt(u, PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await attempt(u, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('refuses the cookie and the API tokens of an account once it is disabled', async () => {
      const u = await freshUser();
      const a = await t.login(u);
      const token = (await a.post('/api/v1/auth/tokens', { name: 'script' })).json().token as string;
      await t.ctx.db.updateTable('users').set({ disabled: 1 }).where('username', '=', u).execute();
      expectProblem(await a.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
      const bearer = new Agent(t.app);
      bearer.bearer = token;
      expectProblem(await bearer.get('/api/v1/organisations'), 401, 'UNAUTHENTICATED');
      expectProblem(await attempt(u, PASSWORD), 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('passwords (复杂度 + 定期更换)', () => {
    it('refuses passwords that are too short or have too few character classes (400 PASSWORD_POLICY)', async () => {
      const u = await freshUser();
      const a = await t.login(u);
      a.locale = 'en';
      for (const weak of ['Ab1!', 'Abcdef1', 'abcdefgh1', 'ABCDEFGH!', '12345678!', 'abcdefghijklmnop']) {
        const res = await a.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: weak });
        const p = expectProblem(res, 400, 'PASSWORD_POLICY');
        expect(p.detail).toContain('8');
        expect(p.detail).toContain('3');
      }
      expectProblem(
        await a.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: PASSWORD }),
        400,
        'PASSWORD_REUSED',
      );
      expectProblem(
        await a.post('/api/v1/auth/password', { currentPassword: 'Not-the-0ne', newPassword: NEW_PASSWORD }),
        400,
        'INVALID_CREDENTIALS',
      );
      expect((await a.get('/api/v1/auth/me')).statusCode).toBe(200); // still signed in, password unchanged
      expect((await attempt(u, PASSWORD)).statusCode).toBe(200);
    });

    it('requires a change after 90 days: restriction password_change and 403 on business routes', async () => {
      const u = await freshUser();
      t.clock.advance(89 * DAY);
      const early = await t.login(u);
      expect((await early.get('/api/v1/auth/me')).json().restriction).toBeNull();
      t.clock.advance(2 * DAY);
      const a = await t.login(u);
      expect((await a.get('/api/v1/auth/me')).json().restriction).toBe('password_change');
      expectProblem(await a.get('/api/v1/organisations'), 403, 'PASSWORD_CHANGE_REQUIRED');
      expectProblem(await a.get('/api/v1/auth/tokens'), 403, 'PASSWORD_CHANGE_REQUIRED');
      const changed = await a.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().restriction).toBeNull();
      expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
    });

    it('forces a change at first sign-in (mustChangePassword)', async () => {
      const u = await freshUser('office', { mustChangePassword: true });
      const a = await t.login(u);
      expect((await a.get('/api/v1/auth/me')).json().restriction).toBe('password_change');
      expectProblem(await a.get('/api/v1/organisations'), 403, 'PASSWORD_CHANGE_REQUIRED');
      expectProblem(await a.post('/api/v1/auth/totp/setup'), 403, 'FORBIDDEN');
      await a.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect((await a.get('/api/v1/auth/me')).json().restriction).toBeNull();
      expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
    });
  });

  describe('second factor (双因子)', () => {
    async function enrol(a: Agent): Promise<string> {
      const setup = await a.post('/api/v1/auth/totp/setup');
      expect(setup.statusCode).toBe(200);
      const { secret } = setup.json();
      expectProblem(await a.post('/api/v1/auth/totp/enable', { code: '000000' }), 400, 'TOTP_INVALID');
      expect((await a.post('/api/v1/auth/totp/enable', { code: totpNow(secret) })).statusCode).toBe(200);
      return secret;
    }

    it('asks for the TOTP code after the password, and refuses business routes until it is given', async () => {
      const u = await freshUser();
      const secret = await enrol(await t.login(u));
      const a = await t.login(u);
      expect((await a.get('/api/v1/auth/me')).json().restriction).toBe('mfa_pending');
      expectProblem(await a.get('/api/v1/organisations'), 401, 'TOTP_REQUIRED');
      expectProblem(await a.post('/api/v1/auth/tokens', { name: 'x' }), 401, 'TOTP_REQUIRED');
      const wrong = String((Number(totpNow(secret)) + 1) % 1_000_000).padStart(6, '0');
      expectProblem(await a.post('/api/v1/auth/totp/verify', { code: wrong }), 400, 'TOTP_INVALID');
      t.clock.advance(5 * MIN);
      const stale = authenticator.clone({ epoch: t.clock.now() - 5 * MIN }).generate(secret);
      expectProblem(await a.post('/api/v1/auth/totp/verify', { code: stale }), 400, 'TOTP_INVALID');
      const ok = await a.post('/api/v1/auth/totp/verify', { code: totpNow(secret) });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().restriction).toBeNull();
      expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
      expect(await auditCount('auth.totp.failed', u)).toBe(2);
    });

    it('counts code guesses against the lockout: the 4th wrong code after the password locks and ends the session', async () => {
      const u = await freshUser();
      const secret = await enrol(await t.login(u));
      const wrong = () => String((Number(totpNow(secret)) + 500_000) % 1_000_000).padStart(6, '0');

      // Within the budget, the right code wipes the count: a later sign-in starts afresh.
      const first = await t.login(u);
      for (let i = 0; i < 2; i++)
        expectProblem(await first.post('/api/v1/auth/totp/verify', { code: wrong() }), 400, 'TOTP_INVALID');
      expect((await first.post('/api/v1/auth/totp/verify', { code: totpNow(secret) })).statusCode).toBe(200);

      const a = await t.login(u);
      for (let i = 0; i < 3; i++)
        expectProblem(await a.post('/api/v1/auth/totp/verify', { code: wrong() }), 400, 'TOTP_INVALID');
      expectProblem(await a.post('/api/v1/auth/totp/verify', { code: wrong() }), 423, 'ACCOUNT_LOCKED');
      expectProblem(await a.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
      expectProblem(await a.post('/api/v1/auth/totp/verify', { code: totpNow(secret) }), 401, 'SESSION_EXPIRED');
      expectProblem(await attempt(u, PASSWORD), 423, 'ACCOUNT_LOCKED');
      expect(await auditCount('auth.totp.locked', u)).toBe(1);

      t.clock.advance(30 * MIN);
      const b = await t.login(u);
      expect((await b.post('/api/v1/auth/totp/verify', { code: totpNow(secret) })).statusCode).toBe(200);
      expect((await b.get('/api/v1/organisations')).statusCode).toBe(200);
    });

    it('enforces TOTP for a role set by the security administrator (mfa_enrol until enrolled)', async () => {
      const sec = await t.login(await freshUser('secadmin'));
      const current = (await sec.get('/api/v1/settings/security'))
        .json()
        .items.find((s: { key: string }) => s.key === 'security.totpRequiredRoles');
      const put = await sec.put('/api/v1/settings/security/security.totpRequiredRoles', {
        value: ['leader'],
        version: current.version,
      });
      expect(put.statusCode).toBe(200);
      try {
        const u = await freshUser('leader');
        const a = await t.login(u);
        expect((await a.get('/api/v1/auth/me')).json().restriction).toBe('mfa_enrol');
        expectProblem(await a.get('/api/v1/organisations'), 403, 'TOTP_ENROLMENT_REQUIRED');
        await enrol(a);
        expect((await a.get('/api/v1/organisations')).statusCode).toBe(200);
        expectProblem(
          await a.post('/api/v1/auth/totp/disable', { password: PASSWORD }),
          403,
          'TOTP_ENROLMENT_REQUIRED',
        );
        const again = await t.login(u);
        expect((await again.get('/api/v1/auth/me')).json().restriction).toBe('mfa_pending');
        // Another role is not affected.
        expect((await (await t.login(await freshUser('office'))).get('/api/v1/auth/me')).json().restriction).toBeNull();
      } finally {
        const back = await sec.put('/api/v1/settings/security/security.totpRequiredRoles', {
          value: [],
          version: put.json().version,
        });
        expect(back.statusCode).toBe(200);
      }
    });

    it('refuses an office user changing the TOTP policy (三员分立)', async () => {
      const a = await t.login(await freshUser('office'));
      expectProblem(
        await a.put('/api/v1/settings/security/security.totpRequiredRoles', { value: ['office'], version: 0 }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('personal API tokens', () => {
    it('shows a token once, stores only its keyed hash, and accepts it as a Bearer token', async () => {
      const u = await freshUser();
      const a = await t.login(u);
      const created = await a.post('/api/v1/auth/tokens', { name: 'nightly export' });
      expect(created.statusCode).toBe(201);
      const { token, id } = created.json();
      expect(token).toMatch(/^rct_/);
      const list = await a.get('/api/v1/auth/tokens');
      expect(list.body).not.toContain(token);
      expect(list.json().items.map((x: { id: number }) => x.id)).toContain(id);
      const stored = await t.ctx.db.selectFrom('apiTokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(token.slice(8));
      const bearer = new Agent(t.app);
      bearer.bearer = token;
      expect((await bearer.get('/api/v1/organisations')).statusCode).toBe(200);
      expect((await bearer.get('/api/v1/auth/me')).json().username).toBe(u);
    });

    it('never gives a token more rights than its owner', async () => {
      const office = await t.login(await freshUser('office'));
      const bearer = new Agent(t.app);
      bearer.bearer = (await office.post('/api/v1/auth/tokens', { name: 't' })).json().token;
      expectProblem(await bearer.get('/api/v1/settings/system'), 403, 'FORBIDDEN');
      expectProblem(await bearer.get('/api/v1/audit'), 403, 'FORBIDDEN');
      expectProblem(
        await bearer.post('/api/v1/organisations', { parentId: null, code: 'TOK-1', name: 'x', type: 'other' }),
        403,
        'FORBIDDEN',
      );
      // The rights follow the owner: a security administrator demoted to office loses them at once.
      const su = await freshUser('secadmin');
      const sec = await t.login(su);
      const secBearer = new Agent(t.app);
      secBearer.bearer = (await sec.post('/api/v1/auth/tokens', { name: 't' })).json().token;
      await t.ctx.db.updateTable('users').set({ role: 'office' }).where('username', '=', su).execute();
      expectProblem(
        await secBearer.post('/api/v1/organisations', { parentId: null, code: 'TOK-2', name: 'x', type: 'other' }),
        403,
        'FORBIDDEN',
      );
    });

    it('needs no CSRF token with a Bearer token, but a token cannot create tokens', async () => {
      const sec = await t.login(await freshUser('secadmin'));
      const bearer = new Agent(t.app);
      bearer.bearer = (await sec.post('/api/v1/auth/tokens', { name: 't' })).json().token;
      const created = await bearer.post('/api/v1/organisations', {
        parentId: null,
        code: `TOK-OK-${n}`,
        name: '脚本创建',
        type: 'other',
      });
      expect(created.statusCode).toBe(201);
      expectProblem(await bearer.post('/api/v1/auth/tokens', { name: 'child' }), 403, 'FORBIDDEN');
      expectProblem(
        await bearer.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
        403,
        'FORBIDDEN',
      );
    });

    it('cannot set up, enable or disable the owner second factor with a token', async () => {
      const u = await freshUser();
      const a = await t.login(u);
      const bearer = new Agent(t.app);
      bearer.bearer = (await a.post('/api/v1/auth/tokens', { name: 't' })).json().token;
      expectProblem(await bearer.post('/api/v1/auth/totp/setup'), 403, 'FORBIDDEN');
      expectProblem(await bearer.post('/api/v1/auth/totp/enable', { code: '123456' }), 403, 'FORBIDDEN');
      expectProblem(await bearer.post('/api/v1/auth/totp/disable', { password: PASSWORD }), 403, 'FORBIDDEN');
      const row = await t.ctx.db
        .selectFrom('users')
        .select(['totpSecret', 'totpEnabled'])
        .where('username', '=', u)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ totpSecret: null, totpEnabled: 0 });
    });

    it('refuses a revoked or expired token (401), and only its owner can revoke it', async () => {
      const a = await t.login(await freshUser());
      const b = await t.login(await freshUser());
      const { token, id } = (await a.post('/api/v1/auth/tokens', { name: 't' })).json();
      const bearer = new Agent(t.app);
      bearer.bearer = token;
      expect((await bearer.get('/api/v1/auth/me')).statusCode).toBe(200);
      expectProblem(await b.delete(`/api/v1/auth/tokens/${id}`), 404, 'NOT_FOUND');
      expect((await bearer.get('/api/v1/auth/me')).statusCode).toBe(200);
      expect((await a.delete(`/api/v1/auth/tokens/${id}`)).statusCode).toBe(200);
      expectProblem(await bearer.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');

      const short = (await a.post('/api/v1/auth/tokens', { name: 's', expiresInDays: 1 })).json().token;
      const sb = new Agent(t.app);
      sb.bearer = short;
      expect((await sb.get('/api/v1/auth/me')).statusCode).toBe(200);
      t.clock.advance(DAY);
      expectProblem(await sb.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('CSRF', () => {
    it('refuses every cookie write without, or with a wrong, X-CSRF-Token (403 CSRF_FAILED) and changes nothing', async () => {
      const fingerprint = await fingerprinter(t);
      const agents = new Map<Role, Agent>();
      let checked = 0;
      for (const r of t.app.routeTable) {
        if (r.method === 'GET' || r.access === 'public') continue;
        const role = roleFor(r.access)!;
        if (!agents.has(role)) agents.set(role, await t.login(await freshUser(role)));
        const a = agents.get(role)!;
        const url = fillPath(r.url, Object.fromEntries(pathParams(r.url).map((p) => [p, '1'])));
        const before = await fingerprint();
        for (const csrf of [null, 'wrong-token', '', `${a.csrf}x`]) {
          const c = replay(a);
          c.csrf = csrf;
          const res = await c.request(r.method, url, r.method === 'DELETE' ? undefined : {});
          expectProblem(res, 403, 'CSRF_FAILED');
          checked++;
        }
        expect(changedTables(before, await fingerprint()), `${r.method} ${r.url}`).toEqual([]);
        // A foreign page cannot read the token, and the cookie itself is SameSite=Strict.
      }
      expect(checked).toBeGreaterThan(60);
    });

    it('sets the session cookie httpOnly, SameSite=Strict, path /', async () => {
      const res = await attempt(await freshUser(), PASSWORD);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/rectify_session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\//);
    });
  });

  describe('headers, languages and errors', () => {
    it('sends the security headers on pages, answers and problems alike', async () => {
      const a = await t.login(await freshUser());
      for (const res of [
        await t.app.inject({ method: 'GET', url: '/api/health' }),
        await a.get('/api/v1/organisations'),
        await t.anonymous().get('/api/v1/organisations'),
        await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
      ]) {
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toMatch(/https?:\/\//); // 政务内网: nothing from outside
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBeDefined();
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('speaks zh-CN, zh-TW or en by Accept-Language (and X-Locale), in every problem', async () => {
      const anon = t.anonymous();
      const detail = async (headers: Record<string, string>) =>
        expectProblem(await anon.get('/api/v1/auth/me', headers), 401, 'UNAUTHENTICATED').detail;
      expect(await detail({ 'accept-language': 'zh-CN,zh;q=0.9' })).toBe('请先登录');
      expect(await detail({ 'accept-language': 'zh-TW' })).toBe('請先登入');
      expect(await detail({ 'accept-language': 'zh-HK,en;q=0.5' })).toBe('請先登入');
      expect(await detail({ 'accept-language': 'en-GB,en;q=0.8' })).toBe('Please sign in');
      expect(await detail({ 'accept-language': 'fr-FR' })).toBe('请先登录');
      expect(await detail({})).toBe('请先登录');
      expect(await detail({ 'accept-language': 'zh-CN', 'x-locale': 'en' })).toBe('Please sign in');
      const bad = async (lang: string) =>
        expectProblem(
          await anon.post('/api/v1/auth/login', { username: 1 }, { 'accept-language': lang }),
          400,
          'VALIDATION_FAILED',
        ).detail;
      expect(await bad('en')).toMatch(/^Invalid input: /);
      expect(await bad('zh-CN')).toMatch(/^输入有误：/);
      expect(await bad('zh-TW')).toMatch(/^輸入有誤：/);
      const locked = async (lang: string) => {
        const u = `lang_${lang}_${++n}`;
        for (let i = 0; i < 5; i++) await attempt(u, 'x');
        return expectProblem(
          await anon.post('/api/v1/auth/login', { username: u, password: 'x' }, { 'accept-language': lang }),
          423,
          'ACCOUNT_LOCKED',
        ).detail;
      };
      expect(await locked('en')).toBe('Too many failed sign-ins; the account is locked for 30 minutes');
      expect(await locked('zh-CN')).toContain('30 分钟');
      expect(await locked('zh-TW')).toContain('30 分鐘');
    });
  });
});

describe.each(DIALECTS)('limits and failures on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { loginRateLimitPerMinute: 5 });
    // Registered before the app is ready: a handler that fails the way a bug or a driver would.
    t.app.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
      const e = new Error(
        'SQLITE_ERROR: near "SELEC": syntax error at Object.<anonymous> (/app/node_modules/x.js:1:1)',
      );
      (e as Error & { detail: string }).detail = 'Key (code)=(secret) already exists.';
      throw e;
    });
    t.app.get('/api/v1/test/throw-string', { config: { access: 'public' } }, async () => {
      throw 'password=hunter2';
    });
    await t.createUser({ username: 'office', role: 'office' });
  });
  afterAll(() => t.close());

  it('answers 500 INTERNAL to an unexpected error, with a request id and nothing of the error itself', async () => {
    for (const url of ['/api/v1/test/boom', '/api/v1/test/throw-string']) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': lang } });
        const p = expectProblem(res, 500, 'INTERNAL');
        const body = res.json();
        expect(p.detail).toContain(body.requestId);
        for (const secret of ['SELEC', 'SQLITE', 'syntax', 'node_modules', 'hunter2', 'already exists', 'stack']) {
          expect(res.body, secret).not.toContain(secret);
        }
        expect(Object.keys(body).sort()).toEqual([
          'code',
          'detail',
          'instance',
          'requestId',
          'status',
          'title',
          'type',
        ]);
      }
    }
  });

  it('limits sign-in attempts per minute: the 6th answers 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await t.anonymous().post('/api/v1/auth/login', { username: `r${i}`, password: 'x' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await t.anonymous().post('/api/v1/auth/login', { username: 'office', password: PASSWORD });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The limit is the sign-in route's own: other routes still answer normally.
    expectProblem(await t.anonymous().get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
  });

  // Known gap, turns red once fixed: app.ts's rate-limit allowList tests `req.url.startsWith('/api/')`,
  // so `/%61pi/v1/auth/login` reaches the sign-in route without being counted. Then drop `.fails`.
  it('limits sign-in attempts however the path is spelled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/%61pi/v1/auth/login',
        payload: { username: `spelled${i}`, password: 'x' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toContain(429);
  });
});
