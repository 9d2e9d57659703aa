import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import { isDatabaseUnavailable } from './errors.js';

/** Errors as node-postgres and Node's net module raise them when the database goes away. */
const unavailable: [string, { code?: string; message: string }][] = [
  [
    'an administrator shut PostgreSQL down',
    { code: '57P01', message: 'terminating connection due to administrator command' },
  ],
  [
    'PostgreSQL crashed',
    { code: '57P02', message: 'terminating connection because of crash of another server process' },
  ],
  ['PostgreSQL is starting', { code: '57P03', message: 'the database system is starting up' }],
  ['a connection exception', { code: '08006', message: 'connection failure' }],
  ['nothing listens', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
  ['the connection ended under a query', { message: 'Connection terminated unexpectedly' }],
];

describe('a database that cannot be reached', () => {
  it.each(unavailable)('is recognised: %s', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('is not confused with a refused statement or a bug', () => {
    expect(isDatabaseUnavailable({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isDatabaseUnavailable({ code: 'SQLITE_BUSY', message: 'database is locked' })).toBe(false);
    expect(isDatabaseUnavailable({ message: 'Cannot read properties of undefined' })).toBe(false);
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After in the caller’s language, and a bug still 500', async () => {
    const t = await createTestApp('sqlite');
    try {
      let next: Error = new Error('x');
      t.app.get('/db-probe', { config: { access: 'public' } }, async () => {
        throw next;
      });
      await t.app.ready();
      for (const [, e] of unavailable) {
        next = Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
        const res = await t.app.inject({ method: 'GET', url: '/db-probe', headers: { 'accept-language': 'zh-TW' } });
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.headers['content-type']).toContain('application/problem+json');
        const body = res.json();
        expect(body.code).toBe('DATABASE_UNAVAILABLE');
        expect(body.detail).toContain('資料庫暫時無法連線');
        expect(res.body).not.toContain(e.message);
      }
      next = new TypeError('Cannot read properties of undefined');
      const bug = await t.app.inject({ method: 'GET', url: '/db-probe' });
      expect(bug.statusCode).toBe(500);
      expect(bug.json().code).toBe('INTERNAL');
    } finally {
      await t.close();
    }
  });
});
