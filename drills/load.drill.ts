/**
 * Issue 10 §7 — load. Two instances of the real server (child processes, two ports) on one PostgreSQL
 * schema and one files directory; 200 connections (100 per instance, autocannon) for
 * DRILL_LOAD_SECONDS (default 600) of 85% reads (the ledger sheet of a round-unit), 10% writes (a
 * problem with a measure) and 5% uploads of a 1 MB PDF (POST /round-units/:id/files). Figures:
 * requests/s, p95, p99, errors (non-2xx, socket errors, timeouts); the memory growth of each
 * instance: the memory it still holds after a full GC (JS heap in use + memory outside the heap) right
 * after the warm-up against the same at the end — what a leak grows — and, reported beside it, its RSS
 * (median of the first tenth of the run against the median of the last tenth), which also holds the
 * garbage between collections and grows while V8 sizes its heap to the load; and a login made on one
 * instance is used on the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, percentile } from './support/client.js';
import { pdfOf } from './support/pdf.js';
import { PG_URL, record, skipped } from './support/results.js';
import { CATEGORY, DRILL_PASSWORD, seed } from './support/seed.js';
import { type DrillServer, newInstallation, startServer } from './support/server.js';

const SECONDS = Number(process.env.DRILL_LOAD_SECONDS || 600);
const CONNECTIONS = Number(process.env.DRILL_LOAD_CONNECTIONS || 200);
// A tenth of the run (at most a minute) before the RSS baseline: V8 and the allocator size their heaps
// to the load in the first seconds, which is not growth.
const WARMUP_SECONDS = Math.min(60, Math.max(3, Math.round(SECONDS / 10)));
const UPLOAD_BYTES = 1024 * 1024;
const VARIANTS = 32; // distinct PDFs cycled (the store keeps one blob per content: bounded disk use)

function multipart(content: Buffer, name: string) {
  const boundary = '----drillload7f3a9c';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

type Kind = 'read' | 'write' | 'upload';

function run(server: DrillServer, session: Client, roundUnits: number[], seconds: number, connections: number) {
  const uploads = Array.from({ length: VARIANTS }, (_, i) =>
    multipart(pdfOf(UPLOAD_BYTES, `load-${i}`), `ev-${i}.pdf`),
  );
  const times: number[] = [];
  const byKind: Record<Kind, { n: number; bad: number; statuses: Record<number, number> }> = {
    read: { n: 0, bad: 0, statuses: {} },
    write: { n: 0, bad: 0, statuses: {} },
    upload: { n: 0, bad: 0, statuses: {} },
  };
  let seq = 0;
  const base = { cookie: session.cookie, 'x-csrf-token': session.csrf, 'accept-language': 'en' };
  const inst = autocannon({
    url: server.baseUrl,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (req, context) => {
          const r = Math.random();
          const ru = roundUnits[Math.floor(Math.random() * roundUnits.length)]!;
          const n = ++seq;
          if (r < 0.85) {
            context.kind = 'read';
            return {
              ...req,
              method: 'GET',
              path: `/api/v1/ledger?roundUnitId=${ru}&limit=50`,
              headers: base,
              body: undefined,
            };
          }
          if (r < 0.95) {
            context.kind = 'write';
            return {
              ...req,
              method: 'POST',
              path: `/api/v1/round-units/${ru}/problems`,
              headers: { ...base, 'content-type': 'application/json' },
              body: JSON.stringify({
                number: `L${server.port}-${n}`,
                categoryCode: CATEGORY,
                description: `load problem ${n}`,
                source: 'feedback',
                severity: 'low',
                measures: [{ content: `load measure ${n}`, type: 'deadline', deadline: '2027-01-31' }],
              }),
            };
          }
          context.kind = 'upload';
          const u = uploads[n % VARIANTS]!;
          return {
            ...req,
            method: 'POST',
            path: `/api/v1/round-units/${ru}/files`,
            headers: { ...base, 'content-type': u.type },
            body: u.body,
          };
        },
        onResponse: (status, _body, context) => {
          const k = byKind[context.kind as Kind];
          k.n++;
          k.statuses[status] = (k.statuses[status] ?? 0) + 1;
          if (status >= 300) k.bad++;
        },
      },
    ],
  });
  inst.on('response', (_c: unknown, _s: number, _b: number, rt: number) => times.push(rt));
  return { done: inst, times, byKind };
}

describe('load on two instances over one PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  });

  it.runIf(!!PG_URL)(
    `${CONNECTIONS} connections for ${SECONDS} s: 85% reads, 10% writes, 5% 1 MB uploads`,
    async () => {
      const inst = await newInstallation('postgres');
      cleanup.push(() => inst.drop());
      const { roundUnitIds } = await seed(inst, { users: [{ username: 'w1', role: 'office' }], roundUnits: 10 });
      // Both instances: the same database, master key and files directory (RECTIFY_DATA_DIR).
      // Each instance writes its heap figures every 5 s (drills/support/memory-probe.ts).
      const probes = ['A', 'B'].map((n) => path.join(inst.dataDir, `memory-${n}.jsonl`));
      // DRILL_HEAP_SNAPSHOTS (a directory): also a heap snapshot of each instance at each live reading.
      const probeArgs = ['--expose-gc', '--import', './drills/support/memory-probe.ts'];
      const probeEnv = (i: number) => ({
        DRILL_MEMORY_PROBE: probes[i]!,
        ...(process.env.DRILL_HEAP_SNAPSHOTS ? { DRILL_HEAP_SNAPSHOTS: process.env.DRILL_HEAP_SNAPSHOTS } : {}),
      });
      const probeLines = (i: number) =>
        fs
          .readFileSync(probes[i]!, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, number> & { kind: string });
      // The memory each instance still holds after a full GC (JS heap in use + memory outside it).
      // A server is idle once the requests it had read before the load stopped have been answered (the
      // first heap snapshots found ~40 of them, waiting for a database connection, holding their rows):
      // then a new ledger read comes back at once, twice in a row.
      const settle = async (session: Client) => {
        for (let fast = 0, tries = 0; fast < 2 && tries < 300; tries++) {
          const t = Date.now();
          await session.get(`/api/v1/ledger?roundUnitId=${roundUnitIds[0]}&limit=50`);
          fast = Date.now() - t < 250 ? fast + 1 : 0;
        }
      };
      const live = async () => {
        await Promise.all([settle(onA), settle(onB)]);
        const before = [0, 1].map((i) => probeLines(i).filter((l) => l.kind === 'live').length);
        for (const s of [a, b]) process.kill(s.pid, 'SIGUSR2');
        for (let waited = 0; ; waited += 200) {
          const got = [0, 1].map((i) => probeLines(i).filter((l) => l.kind === 'live'));
          if (got.every((g, i) => g.length > before[i]!))
            return got.map((g) => g.at(-1)!.heapUsedKb! + g.at(-1)!.externalKb!);
          if (waited > 120_000) throw new Error('the memory probe did not answer');
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      const a = await startServer(inst, probeEnv(0), probeArgs);
      cleanup.push(() => a.stop());
      const b = await startServer(inst, probeEnv(1), probeArgs);
      cleanup.push(() => b.stop());

      // A login made on A works on B: the session lives in the database, the CSRF token with it.
      const onA = new Client(a.baseUrl);
      await onA.login('w1', DRILL_PASSWORD);
      const onB = new Client(b.baseUrl);
      onB.cookie = onA.cookie;
      onB.csrf = onA.csrf;
      const me = await onB.get('/api/v1/auth/me');
      const write = await onB.post(`/api/v1/round-units/${roundUnitIds[0]}/problems`, {
        number: 'X-1',
        categoryCode: CATEGORY,
        description: 'made on B with the session of A',
        source: 'feedback',
        severity: 'low',
        measures: [{ content: 'm', type: 'deadline', deadline: '2027-01-31' }],
      });
      const crossLogin = me.status === 200 && me.body?.username === 'w1' && write.status === 201;
      record({
        drill: 'load',
        database: 'postgres',
        figure: 'login on A used on B (read + write)',
        value: `${me.status} / ${write.status}`,
        target: '200 / 201',
        pass: crossLogin,
      });
      expect(crossLogin, `${me.text} ${write.text}`).toBe(true);

      // Warm-up, then the RSS baseline.
      const per = Math.floor(CONNECTIONS / 2);
      const warm = [run(a, onA, roundUnitIds, WARMUP_SECONDS, per), run(b, onA, roundUnitIds, WARMUP_SECONDS, per)];
      await Promise.all(warm.map((w) => w.done));
      const live0 = await live();
      const t0 = Date.now();
      const runs = [run(a, onA, roundUnitIds, SECONDS, per), run(b, onA, roundUnitIds, SECONDS, CONNECTIONS - per)];
      // RSS every 5 s. One reading lands anywhere in a GC cycle (±10% here), so growth compares the
      // median of the first tenth of the run with the median of the last tenth: growth that levels
      // off is the heap sizing itself to the load, growth that keeps going is a leak.
      const samples: { at: number; kb: number[]; answered: number }[] = [];
      const sample = () =>
        samples.push({
          at: (Date.now() - t0) / 1000,
          kb: [a.rssKb(), b.rssKb()],
          answered: runs.reduce((s, r) => s + r.times.length, 0),
        });
      const sampler = setInterval(sample, 5_000);
      const results = await Promise.all(runs.map((r) => r.done));
      clearInterval(sampler);
      const elapsed = (Date.now() - t0) / 1000;
      const live1 = await live();
      const window = Math.max(30, elapsed / 10);
      const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
      const windowMedian = (from: number, to: number) =>
        [0, 1].map((i) => med(samples.filter((x) => x.at >= from && x.at <= to).map((x) => x.kb[i]!)));
      const rss0 = windowMedian(0, window);
      const rss1 = windowMedian(elapsed - window, elapsed);
      console.log(
        `[load] RSS MiB (A/B) every minute: ${samples
          .filter((_, i) => i % 12 === 11)
          .map((x) => `${Math.round(x.at)}s ${x.kb[0]! >> 10}/${x.kb[1]! >> 10}`)
          .join(', ')}`,
      );
      // Whether the rate holds over the run (a ledger that slows as it grows shows here).
      console.log(
        `[load] answers per minute: ${samples
          .filter((_, i) => i % 12 === 11)
          .map((x, i, all) => x.answered - (i ? all[i - 1]!.answered : 0))
          .join(', ')}`,
      );

      // Where the memory is: the probes' lines in the same two windows (times since each server start,
      // so shifted by the warm-up and the start of the run).
      for (const [i, name] of ['A', 'B'].entries()) {
        const lines = probeLines(i).filter((l) => l.kind === 'sample');
        const last = lines.at(-1)!.at!;
        const from = last - elapsed;
        const pick = (lo: number, hi: number, key: string) =>
          med(lines.filter((l) => l.at! >= lo && l.at! <= hi).map((l) => l[key]!)) >> 10;
        const keys = ['rssKb', 'heapTotalKb', 'heapUsedKb', 'externalKb', 'arrayBuffersKb'];
        console.log(
          `[load] instance ${name} MiB, first tenth → last tenth: ${keys
            .map((k) => `${k.replace(/Kb$/, '')} ${pick(from, from + window, k)}→${pick(last - window, last, k)}`)
            .join(', ')}`,
        );
      }

      const times = runs.flatMap((r) => r.times);
      const answered = times.length;
      const rps = answered / elapsed;
      const p95 = Math.round(percentile(times, 95));
      const p99 = Math.round(percentile(times, 99));
      const non2xx = results.reduce((s, r) => s + r.non2xx, 0);
      const socketErrors = results.reduce((s, r) => s + r.errors + r.timeouts, 0);
      const kinds = (['read', 'write', 'upload'] as const).map((k) => ({
        kind: k,
        n: runs.reduce((s, r) => s + r.byKind[k].n, 0),
        bad: runs.reduce((s, r) => s + r.byKind[k].bad, 0),
        statuses: runs.map((r) => r.byKind[k].statuses),
      }));
      const growth = rss0.map((r0, i) => (r0 ? ((rss1[i]! - r0) / r0) * 100 : Number.NaN));
      console.log(
        `[load] ${answered} answers in ${elapsed.toFixed(0)} s = ${rps.toFixed(1)} req/s; p95 ${p95} ms, p99 ${p99} ms; ` +
          `non-2xx ${non2xx}, socket errors/timeouts ${socketErrors}; RSS A ${rss0[0]}→${rss1[0]} KiB, B ${rss0[1]}→${rss1[1]} KiB`,
        JSON.stringify(kinds),
      );
      const dur = `${CONNECTIONS} conn, ${SECONDS} s`;
      record({
        drill: 'load',
        database: 'postgres',
        figure: `requests/s (${dur})`,
        value: Number(rps.toFixed(1)),
        target: 'reported',
        pass: null,
        note: 'figure',
      });
      record({
        drill: 'load',
        database: 'postgres',
        figure: 'p95 / p99 latency (ms)',
        value: `${p95} / ${p99}`,
        target: 'reported',
        pass: null,
        note: 'figure',
      });
      for (const k of kinds)
        record({
          drill: 'load',
          database: 'postgres',
          figure: `${k.kind}s answered / not 2xx`,
          value: `${k.n} / ${k.bad}`,
          target: '> 0 / 0',
          pass: k.n > 0 && k.bad === 0,
        });
      record({
        drill: 'load',
        database: 'postgres',
        figure: 'errors (non-2xx + socket + timeouts)',
        value: non2xx + socketErrors,
        target: '0',
        pass: non2xx + socketErrors === 0,
        // Which kind, and how long the slowest answer took (a time-out is no answer after 30 s).
        note: `non-2xx ${non2xx}, socket errors ${results.reduce((s, r) => s + r.errors, 0)}, time-outs ${results.reduce((s, r) => s + r.timeouts, 0)}; slowest answer ${times.reduce((m, t) => Math.max(m, t), 0)} ms`,
      });
      for (const [i, name] of ['A', 'B'].entries()) {
        const liveGrowth = ((live1[i]! - live0[i]!) / live0[i]!) * 100;
        record({
          drill: 'load',
          database: 'postgres',
          figure: `memory growth instance ${name}, live after full GC (%)`,
          value: Number(liveGrowth.toFixed(1)),
          target: '≤ 10',
          pass: liveGrowth <= 10,
          note: `${live0[i]! >> 10} → ${live1[i]! >> 10} MiB`,
        });
        record({
          drill: 'load',
          database: 'postgres',
          figure: `RSS growth instance ${name} (%)`,
          value: Number(growth[i]!.toFixed(1)),
          target: 'reported',
          pass: null,
          note: `${rss0[i]! >> 10} → ${rss1[i]! >> 10} MiB, garbage between GCs included`,
        });
      }
      expect(non2xx + socketErrors).toBe(0);
    },
  );

  it.skipIf(!!PG_URL)('needs TEST_DATABASE_URL', () => skipped('load', 'postgres', 'TEST_DATABASE_URL not set'));
});
