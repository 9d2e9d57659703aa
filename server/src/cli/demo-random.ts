/**
 * A small seeded pseudo-random generator for the demo dataset: the same seed gives the same
 * dataset on every run and every machine (mulberry32; no Math.random anywhere in the demo).
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** One item, chosen with the given weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }

  /** `k` distinct indices of `weights`, drawn without replacement (Efraimidis–Spirakis keys). */
  sampleWeighted(weights: readonly number[], k: number): Set<number> {
    const keyed = weights.map((w, i) => ({ i, key: w > 0 ? Math.log(this.next() || 1e-12) / w : -Infinity }));
    keyed.sort((a, b) => b.key - a.key || a.i - b.i);
    return new Set(keyed.slice(0, k).map((x) => x.i));
  }

  /** A positive weight with a long tail (a few large amounts, many small ones). */
  skewed(spread = 1): number {
    return Math.exp(spread * (this.next() + this.next() + this.next() - 1.5) * 1.6);
  }
}

/**
 * Splits `total` into integers proportional to `weights` that add up to exactly `total` (largest
 * remainder). Works in bigint so that money in 分 stays exact at any size.
 */
export function allocate(total: bigint, weights: readonly number[]): bigint[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new Error('nothing to allocate to');
    return [];
  }
  const scale = 1_000_000n;
  const w = weights.map((x) => BigInt(Math.max(0, Math.round(x * 1_000_000))) || 1n);
  const sum = w.reduce((a, b) => a + b, 0n);
  const shares = w.map((x) => (total * x * scale) / sum);
  const out = shares.map((s) => s / scale);
  let rest = total - out.reduce((a, b) => a + b, 0n);
  const order = shares
    .map((s, i) => ({ i, r: s % scale }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; rest > 0n; k = (k + 1) % order.length, rest--) out[order[k]!.i]! += 1n;
  return out;
}

/** `allocate` for counts: each share is at least `min` (the total must allow it). */
export function allocateInts(total: number, weights: readonly number[], min = 0): number[] {
  const free = total - min * weights.length;
  if (free < 0) throw new Error(`cannot give ${weights.length} shares at least ${min} out of ${total}`);
  return allocate(BigInt(free), weights).map((x) => Number(x) + min);
}
