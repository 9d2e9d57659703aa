import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestServer {
  baseUrl: string;
  port: number;
  dataDir: string;
  /** The first administrator's one-time password, as main.ts printed it. */
  adminPassword: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Builds web/dist when it is missing, so that the server has a UI to serve. */
export function ensureWebBuilt() {
  if (fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // Vitest runs with NODE_ENV=test, and a build that inherits it bundles React's and Ant Design's
    // development code: larger, and warning in the console (as `npm run build` never does).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<T>((resolve, reject) => {
    const attempt = async () => {
      try {
        const v = await check();
        if (v !== undefined) return resolve(v);
      } catch (e) {
        if ((e as { fatal?: boolean }).fatal) return reject(e);
        // not up yet
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(attempt, 150);
    };
    void attempt();
  });
}

/**
 * Starts the real server (`npx tsx server/src/main.ts`) on a free port with a fresh data directory,
 * waits for /api/health and reads the one-time admin password from its banner.
 */
export async function startServer(env: Record<string, string> = {}, args: string[] = []): Promise<TestServer> {
  ensureWebBuilt();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-e2e-'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    RECTIFY_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.RECTIFY_ADMIN_PASSWORD;
  delete childEnv.SQLITE_PATH;
  delete childEnv.RECTIFY_FILES_DIR;

  // E2E_SERVER_ENTRY points at another entry (a debugging harness); the default is the real main.ts.
  const entry = process.env.E2E_SERVER_ENTRY || 'server/src/main.ts';
  // `args` go to main.ts, e.g. ['--demo'] to load the demo dataset into the fresh database.
  const child: ChildProcess = spawn('npx', ['tsx', entry, ...args], {
    cwd: ROOT,
    env: childEnv,
    detached: true, // its own process group, so that stop() ends npx, tsx and node together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited && child.pid) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor('the server to answer /api/health', 120_000, async () => {
      if (exited) throw Object.assign(new Error('exited'), { fatal: true });
      const r = await fetch(`${baseUrl}/api/health`);
      return r.ok ? true : undefined;
    }).catch((e) => {
      throw new Error(`server did not start: ${(e as Error).message}\n--- server output ---\n${out}`);
    });
    const adminPassword = await waitFor('the admin password banner', 10_000, async () => {
      const m = /password:\s*(\S+)/.exec(out);
      return m ? m[1] : undefined;
    });
    return { baseUrl, port, dataDir, adminPassword, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
