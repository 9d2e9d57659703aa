import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import { lazySchemas } from './lazy-schemas.js';

describe('schemas compiled on first use', () => {
  it('every route schema of the whole app compiles (a broken one would otherwise wait for its first request)', async () => {
    const t = await createTestApp('sqlite');
    try {
      await t.app.ready();
      const routes = t.app.routeTable.length;
      // Each route has at least a params/query/body validator or a response serializer of its own,
      // and every /api/v1 route documents several problem responses.
      expect(t.app.compileAllSchemas()).toBeGreaterThan(routes * 3);
    } finally {
      await t.close();
    }
  });

  it('keeps Ajv’s coercion, defaults and errors on a route compiled at its first request', async () => {
    const t = await createTestApp('sqlite');
    try {
      const app = t.app;
      app.get(
        '/lazy-probe',
        {
          schema: {
            querystring: {
              type: 'object',
              properties: { n: { type: 'integer', minimum: 1 }, tag: { type: 'string', default: 'none' } },
              required: ['n'],
            },
          },
          config: { access: 'public' },
        },
        async (req) => req.query,
      );
      await app.ready();
      const ok = await app.inject({ method: 'GET', url: '/lazy-probe?n=3' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ n: 3, tag: 'none' });
      const bad = await app.inject({ method: 'GET', url: '/lazy-probe?n=zero', headers: { 'accept-language': 'en' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('VALIDATION_FAILED');
    } finally {
      await t.close();
    }
  });

  it('defers the compile until a function is first called, then reuses it', () => {
    const { compilersFactory, compileAll } = lazySchemas();
    const build = compilersFactory!.buildSerializer!({}, undefined as never);
    const serialize = build({
      schema: { type: 'object', properties: { a: { type: 'integer' } } },
      method: 'GET',
      url: '/x',
      httpStatus: '200',
    } as never) as (data: unknown) => string;
    expect(serialize({ a: 1, b: 2 })).toBe('{"a":1}');
    expect(compileAll()).toBe(1);
  });
});
