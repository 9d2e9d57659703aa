import { spawn } from 'node:child_process';
import { ROOT } from '../../e2e/support/server.js';
import type { Installation } from './server.js';

/** Runs `npm run cli -- <args>` (as node --import tsx, without npm) for an installation. */
export function runCli(
  inst: Installation | { env: Record<string, string> },
  args: string[],
): Promise<{ code: number; out: string; ms: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...inst.env };
  if (!inst.env.DATABASE_URL) delete env.DATABASE_URL;
  delete env.SQLITE_PATH;
  delete env.RECTIFY_FILES_DIR;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/index.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, ms: performance.now() - t0 }));
  });
}
