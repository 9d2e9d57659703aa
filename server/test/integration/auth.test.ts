import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, PASSWORD, type TestApp } from '../helpers.js';

describe.each(DIALECTS)('authentication on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.createUser({ username: 'office', role: 'office' });
  });
  afterAll(() => t.close());

  it('signs in, tells who is signed in, and signs out', async () => {
    const a = await t.login('office');
    const me = await a.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'office', role: 'office', restriction: null });
    expect(me.json().permissions).toContain('org.read');
    expect((await a.post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const a = t.anonymous();
    const wrong = await a.post('/api/v1/auth/login', { username: 'office', password: 'nope' });
    const unknown = await a.post('/api/v1/auth/login', { username: 'ghost', password: 'nope' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a cookie write without the CSRF token', async () => {
    const a = await t.login('office');
    a.csrf = null;
    const r = await a.post('/api/v1/auth/logout');
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('CSRF_FAILED');
  });

  it('speaks the language of the request', async () => {
    const a = t.anonymous();
    const en = await a.get('/api/v1/auth/me', { 'accept-language': 'en-US,en;q=0.9' });
    const tw = await a.get('/api/v1/auth/me', { 'accept-language': 'zh-TW' });
    expect(en.json().detail).toBe('Please sign in');
    expect(tw.json().detail).toBe('請先登入');
    void PASSWORD;
  });
});
