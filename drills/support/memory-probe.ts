/**
 * Preloaded into a drill's server (`--import`, with `--expose-gc`) when DRILL_MEMORY_PROBE names a
 * file. Every 5 s it appends one JSON line of process.memoryUsage(); on SIGUSR2 it runs a full GC and
 * appends the memory the process still holds (`"kind": "live"`), and when DRILL_HEAP_SNAPSHOTS names
 * a directory also writes a heap snapshot there. The load drill uses these to tell a leak (live
 * memory that keeps growing) from the heap sizing itself to the load (RSS that grows while the live
 * memory stays flat).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

const file = process.env.DRILL_MEMORY_PROBE;
const snapshots = process.env.DRILL_HEAP_SNAPSHOTS;
const t0 = Date.now();
const kb = (n: number) => Math.round(n / 1024);

function write(kind: 'sample' | 'live') {
  const m = process.memoryUsage();
  const line = {
    kind,
    at: (Date.now() - t0) / 1000,
    rssKb: kb(m.rss),
    heapTotalKb: kb(m.heapTotal),
    heapUsedKb: kb(m.heapUsed),
    externalKb: kb(m.external),
    arrayBuffersKb: kb(m.arrayBuffers),
  };
  fs.appendFileSync(file!, `${JSON.stringify(line)}\n`);
}

if (file) {
  setInterval(() => write('sample'), 5_000).unref();
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    if (snapshots) v8.writeHeapSnapshot(path.join(snapshots, `heap-${process.pid}-${Date.now()}.heapsnapshot`));
    write('live');
  });
}
