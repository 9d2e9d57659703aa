/**
 * Preloaded into a drill's server (`--import`) when DRILL_MEMORY_PROBE names a file: every 5 s one
 * JSON line of process.memoryUsage() and the V8 heap spaces, so that the load drill can say where RSS
 * growth lives (JS heap, Buffers outside it, or the allocator) instead of only that it grew.
 */
import fs from 'node:fs';
import v8 from 'node:v8';

const file = process.env.DRILL_MEMORY_PROBE;
if (file) {
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_used_size / 1024)]),
    );
    const line = {
      at: (Date.now() - t0) / 1000,
      rssKb: Math.round(m.rss / 1024),
      heapTotalKb: Math.round(m.heapTotal / 1024),
      heapUsedKb: Math.round(m.heapUsed / 1024),
      externalKb: Math.round(m.external / 1024),
      arrayBuffersKb: Math.round(m.arrayBuffers / 1024),
      spaces,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 5_000).unref();
}
