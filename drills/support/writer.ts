import { Client } from './client.js';
import { CATEGORY, DRILL_PASSWORD } from './seed.js';

/** What a writer was told succeeded (2xx), with the ids the server gave. */
export interface Acked {
  problems: { id: number; measureIds: number[] }[];
  /** The last acknowledged update of each measure: its version and counter then. */
  updates: Map<number, { version: number; rulesEstablished: number }>;
}

export interface WriterStats {
  ok: number;
  /** Answers ≥ 500, by when they came (ms since the start of the burst). */
  serverErrors: { at: number; status: number; text: string }[];
  /** Connection refused / reset (the server was killed). */
  networkErrors: number;
  /** 4xx other than the expected ones. */
  refused: { status: number; text: string }[];
  /** Latency of every answered write: [ms since start, duration ms]. */
  latencies: [number, number][];
}

/**
 * One writer through the API, alone on its own round-unit: creates problems with two measures each,
 * and bumps a counter of its own measures with optimistic versions. Runs until `stop()` is called or
 * the server stops answering; records only what was answered 2xx.
 */
export class Writer {
  readonly acked: Acked = { problems: [], updates: new Map() };
  readonly stats: WriterStats = { ok: 0, serverErrors: [], networkErrors: 0, refused: [], latencies: [] };
  private stopped = false;
  private running: Promise<void> | null = null;
  private seq = 0;
  t0 = 0;
  client: Client;

  constructor(
    baseUrl: string,
    private readonly username: string,
    private readonly roundUnitId: number,
    private readonly tag: string,
  ) {
    this.client = new Client(baseUrl);
  }

  async login() {
    await this.client.login(this.username, DRILL_PASSWORD);
  }

  /** Starts writing; `stopOnNetworkError` ends the loop at the first refused connection (a kill). */
  start(opts: { stopOnNetworkError: boolean; pauseMs?: number }) {
    this.stopped = false;
    this.t0 = performance.now();
    this.running = (async () => {
      while (!this.stopped) {
        const ok = await this.step();
        if (!ok && opts.stopOnNetworkError) return;
        if (!ok) await new Promise((r) => setTimeout(r, 50));
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.running;
  }

  private note(r: { status: number; text: string; ms: number }, started: number): boolean {
    if (r.status === 0) {
      this.stats.networkErrors++;
      return false;
    }
    if (r.status >= 500) this.stats.serverErrors.push({ at: started, status: r.status, text: r.text.slice(0, 300) });
    else if (r.status >= 300) this.stats.refused.push({ status: r.status, text: r.text.slice(0, 300) });
    else {
      this.stats.ok++;
      this.stats.latencies.push([started, r.ms]);
    }
    return true;
  }

  /** One write; false when the server could not be reached. */
  async step(): Promise<boolean> {
    const n = ++this.seq;
    const started = performance.now() - this.t0;
    const mine = [...this.acked.updates.keys()];
    if (n % 3 !== 0 || mine.length === 0) {
      const r = await this.client.post(`/api/v1/round-units/${this.roundUnitId}/problems`, {
        number: `${this.tag}-${n}`,
        categoryCode: CATEGORY,
        description: `drill problem ${this.tag}-${n}`,
        source: 'feedback',
        severity: 'medium',
        responsibles: [{ name: '张三', duty: 'first' }],
        measures: [
          { content: `${this.tag}-${n} a`, type: 'deadline', deadline: '2027-01-31', rulesEstablished: 1 },
          { content: `${this.tag}-${n} b`, type: 'long_term', deadline: '2027-06-30' },
        ],
      });
      if (!this.note(r, started)) return false;
      if (r.status === 201) {
        const measureIds = r.body.measures.map((m: { id: number }) => Number(m.id));
        this.acked.problems.push({ id: Number(r.body.id), measureIds });
        for (const m of r.body.measures)
          this.acked.updates.set(Number(m.id), { version: m.version, rulesEstablished: m.rulesEstablished });
      }
      return true;
    }
    const id = mine[n % mine.length]!;
    const last = this.acked.updates.get(id)!;
    const r = await this.client.patch(`/api/v1/measures/${id}`, {
      version: last.version,
      rulesEstablished: last.rulesEstablished + 1,
    });
    if (!this.note(r, started)) return false;
    if (r.status === 200)
      this.acked.updates.set(id, { version: r.body.version, rulesEstablished: r.body.rulesEstablished });
    else if (r.status === 409) {
      // The previous update was applied but its answer lost (a kill); carry on from the current row.
      const cur = r.body?.current;
      if (cur) this.acked.updates.set(id, { version: cur.version, rulesEstablished: cur.rulesEstablished });
    }
    return true;
  }
}
