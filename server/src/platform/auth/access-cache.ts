/**
 * What a server keeps between requests about who its callers are and what they may see: the session
 * rows (with their users) and the scopes' inputs, all as read at one access epoch. Every request
 * reads the epoch first (one row; migration 2026-11-29T0001); triggers move it with any change to a
 * session but for its last_seen_at, a user, an organisation or a liaison link, from any process. So
 * a request never answers from anything older than the state at its own start, and the session join
 * and the scope's queries are read once per epoch instead of once per request (bench/README.md,
 * ninth session).
 *
 * Entries are kept for the newest epoch seen only. A request that read an older epoch (it started
 * before a change another request has already seen) reads the database and keeps nothing.
 */
export class AccessCache {
  static readonly MAX_ENTRIES = 10_000;
  #epoch = Number.NEGATIVE_INFINITY;
  readonly #sessions = new Map<string, unknown>();
  readonly #memo = new Map<string, Promise<unknown>>();

  /** Moves to `epoch` when it is newer (forgetting everything); true when the cache is at `epoch`. */
  #at(epoch: number): boolean {
    if (epoch > this.#epoch) {
      this.#epoch = epoch;
      this.#sessions.clear();
      this.#memo.clear();
    }
    return epoch === this.#epoch;
  }

  session<T>(id: string, epoch: number): T | undefined {
    return this.#at(epoch) ? (this.#sessions.get(id) as T | undefined) : undefined;
  }

  /** Keeps a session row read in one statement with the epoch `epoch`. */
  keepSession(id: string, row: unknown, epoch: number): void {
    if (!this.#at(epoch)) return;
    bound(this.#sessions);
    this.#sessions.set(id, row);
  }

  forgetSession(id: string): void {
    this.#sessions.delete(id);
  }

  /**
   * A request's view: reads through `load` once per key and epoch. `load` must read committed data
   * only (never inside a transaction: its own uncommitted writes could still roll back) and must
   * start after the epoch was read, so that what it reads is at least as new as the epoch.
   */
  at(epoch: number): AccessMemo {
    return {
      memo: <T>(key: string, load: () => Promise<T>): Promise<T> => {
        if (!this.#at(epoch)) return load();
        const kept = this.#memo.get(key);
        if (kept) return kept as Promise<T>;
        const loading = load();
        bound(this.#memo);
        this.#memo.set(key, loading);
        // A failed read is not kept; the next request tries again. (A move of the epoch meanwhile
        // has already dropped it.)
        loading.catch(() => {
          if (this.#memo.get(key) === loading) this.#memo.delete(key);
        });
        return loading;
      },
    };
  }
}

/** A request's reads of access data, kept for the epoch the request started at. */
export interface AccessMemo {
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** Past the bound the oldest entry goes (a Map iterates in insertion order). */
function bound(map: Map<string, unknown>): void {
  if (map.size >= AccessCache.MAX_ENTRIES) map.delete(map.keys().next().value!);
}
