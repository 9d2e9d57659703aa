import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, prepareJson } from './encoding.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['GZIP', true],
    ['*', true],
    ['identity', false],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['', false],
    [undefined, false],
    [['deflate', 'gzip'], true],
  ])('%j → %s', (header, want) => {
    expect(acceptsGzip(header as string | string[] | undefined)).toBe(want);
  });
});

describe('prepareJson', () => {
  it('gives the JSON text and the same text gzipped', async () => {
    const value = { items: [{ unitName: '市交通运输局', overdue: 3, rate: null }] };
    const p = await prepareJson(value);
    expect(JSON.parse(p.json)).toEqual(value);
    expect(zlib.gunzipSync(p.gzip).toString('utf8')).toBe(p.json);
  });
});
