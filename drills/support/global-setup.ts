import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuilt, ROOT } from '../../e2e/support/server.js';
import type { Figure } from './results.js';

/** Every drill of issue 10; one without any recorded figure is shown as not run. */
const DRILLS = ['bad-input', 'concurrency', 'brute-force', 'crash', 'pg-cut', 'pg-stop', 'backup', 'faults', 'load'];

function table(rows: Figure[]): string {
  const head = ['drill', 'database', 'figure', 'value', 'target', 'result'];
  const body = rows.map((r) => [
    r.drill,
    r.database,
    r.figure,
    String(r.value),
    r.target,
    r.pass === null ? `n/a${r.note ? ` (${r.note})` : ''}` : r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

export default function setup(project: TestProject) {
  const dir = path.join(ROOT, 'drills/results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const collect = path.join(dir, `.collect-${stamp}-${process.pid}.jsonl`);
  fs.writeFileSync(collect, '');
  project.provide('drillResultsFile', collect);
  // The server serves the web app; build it once here rather than in every child server.
  ensureWebBuilt();
  const started = Date.now();

  return () => {
    const rows: Figure[] = fs
      .readFileSync(collect, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Figure);
    fs.rmSync(collect, { force: true });
    for (const d of DRILLS) {
      if (!rows.some((r) => r.drill === d))
        rows.push({ drill: d, database: '-', figure: 'not run', value: '-', target: '-', pass: null, note: 'not run' });
    }
    const out = path.join(dir, `${stamp}.json`);
    const failed = rows.filter((r) => r.pass === false).length;
    fs.writeFileSync(
      out,
      `${JSON.stringify({ startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), failed, figures: rows }, null, 2)}\n`,
    );
    console.log(`\nDrill figures (${failed} failed):\n${table(rows)}\nwritten to ${path.relative(ROOT, out)}\n`);
    // A figure that misses its target fails the run, as a failed test does (CI runs the drills).
    if (failed) throw new Error(`${failed} drill figure(s) missed their target: see the table above`);
  };
}
