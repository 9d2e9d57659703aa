import { describe, expect, it } from 'vitest';
import { AccessCache } from './access-cache.js';

/** A load that resolves only when told to, counting its calls. */
function held<T>(value: T) {
  let release!: () => void;
  let calls = 0;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return {
    load: async () => {
      calls++;
      await gate;
      return value;
    },
    release: () => release(),
    calls: () => calls,
  };
}

describe('the access cache keeps reads for the newest access epoch only', () => {
  it('answers a session row kept at the epoch read, and nothing once the epoch has moved', () => {
    const c = new AccessCache();
    c.keepSession('s', { n: 1 }, 5);
    expect(c.session('s', 5)).toEqual({ n: 1 });
    expect(c.session('s', 6)).toBeUndefined();
    // Back at 5 (a request that read the epoch before the move): the row was forgotten at 6.
    expect(c.session('s', 5)).toBeUndefined();
  });

  it('keeps nothing read at an older epoch than one already seen', () => {
    const c = new AccessCache();
    expect(c.session('x', 7)).toBeUndefined();
    c.keepSession('s', { n: 1 }, 6);
    expect(c.session('s', 7)).toBeUndefined();
    expect(c.session('s', 6)).toBeUndefined();
  });

  it('forgets one session on demand', () => {
    const c = new AccessCache();
    c.keepSession('s', { n: 1 }, 1);
    c.forgetSession('s');
    expect(c.session('s', 1)).toBeUndefined();
  });

  it('reads a memo once per key and epoch, concurrent requests sharing the one read', async () => {
    const c = new AccessCache();
    const h = held(['a']);
    const one = c.at(3).memo('k', h.load);
    const two = c.at(3).memo('k', h.load);
    h.release();
    expect(await one).toEqual(['a']);
    expect(await two).toEqual(['a']);
    expect(h.calls()).toBe(1);
    await c.at(3).memo('k', h.load);
    expect(h.calls()).toBe(1);
    await c.at(4).memo('k', h.load);
    expect(h.calls()).toBe(2);
  });

  it('drops a read still running when the epoch moves: the newer request reads again', async () => {
    const c = new AccessCache();
    const before = held('old');
    const running = c.at(1).memo('k', before.load);
    const after = held('new');
    const newer = c.at(2).memo('k', after.load);
    before.release();
    after.release();
    expect(await running).toBe('old');
    expect(await newer).toBe('new');
    expect(await c.at(2).memo('k', before.load)).toBe('new');
  });

  it('reads through, keeping nothing, for a request at an older epoch', async () => {
    const c = new AccessCache();
    await c.at(9).memo('k', async () => 'at 9');
    let calls = 0;
    const older = async () => {
      calls++;
      return 'at 8';
    };
    expect(await c.at(8).memo('k', older)).toBe('at 8');
    expect(await c.at(8).memo('k', older)).toBe('at 8');
    expect(calls).toBe(2);
    expect(await c.at(9).memo('k', older)).toBe('at 9');
  });

  it('does not keep a failed read', async () => {
    const c = new AccessCache();
    await expect(c.at(1).memo('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.at(1).memo('k', async () => 'up')).toBe('up');
  });

  it('holds at most MAX_ENTRIES sessions, the oldest going first', () => {
    const c = new AccessCache();
    for (let i = 0; i <= AccessCache.MAX_ENTRIES; i++) c.keepSession(`s${i}`, i, 1);
    expect(c.session('s0', 1)).toBeUndefined();
    expect(c.session('s1', 1)).toBe(1);
    expect(c.session(`s${AccessCache.MAX_ENTRIES}`, 1)).toBe(AccessCache.MAX_ENTRIES);
  });
});
