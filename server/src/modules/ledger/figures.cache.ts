import type { ReadScope } from './ledger.scope.js';

/**
 * Dashboard figures that depend on today as well as on the ledger — the per-unit figures of
 * /dashboard/units (every unit's 红黄绿 light) and the board of /dashboard/board — kept as computed
 * for a scope and filter. An entry answers only while three things hold: the epoch of
 * the round-units it was computed from is unchanged (any write to them moves it, by trigger: see
 * SheetRepository.unitFiguresEpoch), it is the same day (overdue and due soon are counted against
 * today; the day is part of the key), and no open measure has become stalled since (`validUntil`:
 * the oldest last progress not yet stalled, plus the stalled days). So it is never stale, only
 * recomputed less often; each server process keeps its own, checked against the database, so several
 * processes behind one database agree.
 */
export class FiguresCache<T> {
  private readonly entries = new Map<string, { epoch: string; validUntil: number; value: T }>();
  /** One computation per key and epoch at a time: requests that miss together wait for the same one. */
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries = 64) {}

  /** The figures for `key` at `epoch`, from the entry while valid, else computed once and kept. */
  async get(
    key: string,
    epoch: string,
    now: number,
    compute: () => Promise<{ value: T; validUntil: number }>,
  ): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.epoch === epoch && now <= hit.validUntil) {
      // Most recently used last, so that the oldest key is the one evicted.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const id = `${key}\u0000${epoch}`;
    const running = this.pending.get(id);
    if (running) return running;
    const p = compute()
      .then(({ value, validUntil }) => {
        this.entries.delete(key);
        this.entries.set(key, { epoch, validUntil, value });
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return value;
      })
      .finally(() => this.pending.delete(id));
    this.pending.set(id, p);
    return p;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A read scope as part of a cache key: everything, or its units and their lines, in order. */
export function scopeKey(scope: ReadScope): string {
  if (!scope.orgIds) return '*';
  const ids = [...scope.orgIds].sort((a, b) => a - b).join(',');
  const lines = [...(scope.lines ?? new Map<number, readonly string[]>())]
    .sort(([a], [b]) => a - b)
    .map(([org, cats]) => `${org}:${[...cats].sort().join('+')}`)
    .join(',');
  return `${ids}|${lines}`;
}
