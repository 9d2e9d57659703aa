/**
 * Issue 10 §2 — bad input at full strength. Runs the generated bad-input suite of `npm test`
 * (server/test/security/bad-input.test.ts: malformed requests from each route's own schema, as a
 * caller allowed to use the route) with DRILL_BAD_INPUT_RUNS requests per route (default 1,000) in
 * its own vitest process, and records from its per-route report: routes covered against the route
 * table, the fewest requests any route got, and whether every route held — 0 answers 5xx, 0 stack
 * traces or SQL, every refusal a problem document, 0 rows changed by a refused request.
 *
 * PostgreSQL compares a fingerprint of every table after each request (SQLite counts changed rows),
 * so it runs DRILL_BAD_INPUT_RUNS_PG per route (default 100) to stay within the CI budget. The routes
 * are shared out over DRILL_BAD_INPUT_SHARDS processes (default: one per core), each with its own
 * database.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASES, PG_URL, record, skipped } from './support/results.js';

// One process per core, each fuzzing its share of the routes (BAD_INPUT_SHARD).
const SHARDS = Number(process.env.DRILL_BAD_INPUT_SHARDS || os.availableParallelism());
const RUNS = {
  sqlite: Number(process.env.DRILL_BAD_INPUT_RUNS || 1000),
  postgres: Number(process.env.DRILL_BAD_INPUT_RUNS_PG || 100),
};

interface Report {
  dialect: string;
  seed: number;
  runs: number;
  total: number;
  routes: Record<string, { requests: number; refused: number; accepted: number; passed: boolean }>;
}

function suite(
  dialect: 'sqlite' | 'postgres',
  reportFile: string,
  shard: number,
): Promise<{ code: number; tail: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BAD_INPUT_RUNS: String(RUNS[dialect]),
    BAD_INPUT_REPORT: reportFile,
    BAD_INPUT_SHARD: `${shard}/${SHARDS}`,
  };
  env.BAD_INPUT_DIALECT = dialect;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'vitest.config.ts',
        'server/test/security/bad-input.test.ts',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const keep = (c: Buffer) => {
      out = (out + c.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => resolve({ code: code ?? 1, tail: out }));
  });
}

describe.each(DATABASES)('bad input on %s', (dialect) => {
  const enabled = dialect === 'sqlite' || !!PG_URL;
  if (!enabled)
    it('is skipped without TEST_DATABASE_URL', () => skipped('bad-input', dialect, 'TEST_DATABASE_URL not set'));

  it.runIf(enabled)(`${RUNS[dialect]} malformed requests per route: 0 5xx, 0 leaks, 0 rows changed`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-bad-input-'));
    const started = performance.now();
    const shards = Array.from({ length: SHARDS }, (_, i) => i + 1);
    const runs = await Promise.all(shards.map((k) => suite(dialect, path.join(dir, `report-{dialect}-${k}.json`), k)));
    const seconds = (performance.now() - started) / 1000;
    const code = Math.max(...runs.map((r) => r.code));
    const tail = runs.map((r) => r.tail).join('\n');
    const parts = shards.map((k) => path.join(dir, `report-${dialect}-${k}.json`));
    // The shards' reports as one: each holds its own routes.
    const report: Report | null = parts.every((f) => fs.existsSync(f))
      ? parts
          .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Report)
          .reduce((all, r) => {
            Object.assign(all.routes, r.routes);
            return all;
          })
      : null;
    fs.rmSync(dir, { recursive: true, force: true });
    if (code !== 0) console.log(tail);
    expect(report, tail).not.toBeNull();
    const routes = Object.entries(report!.routes);
    const covered = routes.length;
    const held = routes.filter(([, r]) => r.passed).length;
    const fewest = Math.min(...routes.map(([, r]) => r.requests));
    const requests = routes.reduce((n, [, r]) => n + r.requests, 0);
    const failed = routes.filter(([, r]) => !r.passed).map(([k]) => k);
    console.log(
      `[bad-input] ${dialect}: ${covered}/${report!.total} routes, ${requests} requests (≥ ${fewest} per route), ` +
        `${held} held, seed ${report!.seed}, ${seconds.toFixed(0)} s${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
    );
    record({
      drill: 'bad-input',
      database: dialect,
      figure: 'routes covered (of the route table)',
      value: `${covered}/${report!.total}`,
      target: '100%',
      pass: covered === report!.total,
    });
    record({
      drill: 'bad-input',
      database: dialect,
      figure: 'malformed requests per route (fewest)',
      value: fewest,
      target: `≥ ${RUNS[dialect]}`,
      pass: fewest >= RUNS[dialect],
      note: `${requests} in all, seed ${report!.seed}`,
    });
    record({
      drill: 'bad-input',
      database: dialect,
      figure: 'routes with a 5xx, a leak or a row changed by a refusal',
      value: failed.length,
      target: '0',
      pass: failed.length === 0 && code === 0,
      note: failed.length ? failed.slice(0, 5).join('; ') : undefined,
    });
    expect(failed).toEqual([]);
    expect(code).toBe(0);
  });
});
