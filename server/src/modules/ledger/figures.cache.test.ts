import { describe, expect, it } from 'vitest';
import { FiguresCache, scopeKey } from './figures.cache.js';

describe('FiguresCache', () => {
  const computing = () => {
    let calls = 0;
    const fn =
      (validUntil = Number.POSITIVE_INFINITY) =>
      async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 5));
        return { value: calls, validUntil };
      };
    return { fn, calls: () => calls };
  };

  it('answers from the entry while its epoch is current and its time not past', async () => {
    const cache = new FiguresCache<number>();
    const c = computing();
    expect(await cache.get('k', 'e1', 0, c.fn(100))).toBe(1);
    expect(await cache.get('k', 'e1', 100, c.fn(100))).toBe(1);
    expect(await cache.get('k', 'e1', 101, c.fn(200))).toBe(2); // a measure stalled meanwhile
    expect(await cache.get('k', 'e2', 101, c.fn(200))).toBe(3); // a write moved the epoch
    expect(await cache.get('k', 'e1', 101, c.fn(200))).toBe(4); // never back to an older entry
    expect(c.calls()).toBe(4);
  });

  it('computes once for requests that miss together', async () => {
    const cache = new FiguresCache<number>();
    const c = computing();
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.get('k', 'e', 0, c.fn())));
    expect(all).toEqual(Array(10).fill(1));
    expect(c.calls()).toBe(1);
  });

  it('keeps at most its size, dropping the least recently used', async () => {
    const cache = new FiguresCache<number>(2);
    const c = computing();
    await cache.get('a', 'e', 0, c.fn());
    await cache.get('b', 'e', 0, c.fn());
    await cache.get('a', 'e', 0, c.fn()); // a used again: b is now the oldest
    await cache.get('c', 'e', 0, c.fn());
    expect(cache.size).toBe(2);
    expect(c.calls()).toBe(3);
    await cache.get('a', 'e', 0, c.fn());
    expect(c.calls()).toBe(3);
    await cache.get('b', 'e', 0, c.fn());
    expect(c.calls()).toBe(4);
  });

  it('does not keep a failed computation', async () => {
    const cache = new FiguresCache<number>();
    await expect(cache.get('k', 'e', 0, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', 'e', 0, async () => ({ value: 7, validUntil: 10 }))).toBe(7);
  });
});

describe('scopeKey', () => {
  it('is the same for the same scope in any order, and differs by units and lines', () => {
    expect(scopeKey({})).toBe('*');
    const a = scopeKey({ orgIds: new Set([3, 1, 2]), lines: new Map([[2, ['B', 'A']]]) });
    expect(scopeKey({ orgIds: new Set([1, 2, 3]), lines: new Map([[2, ['A', 'B']]]) })).toBe(a);
    expect(scopeKey({ orgIds: new Set([1, 2, 3]) })).not.toBe(a);
    expect(scopeKey({ orgIds: new Set([1, 2]), lines: new Map([[2, ['A', 'B']]]) })).not.toBe(a);
    expect(scopeKey({ orgIds: new Set<number>() })).not.toBe('*');
  });
});
