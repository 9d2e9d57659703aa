/**
 * Test-only: the second Rectify app PROCESS of scheduler.test.ts. It builds the real app over the
 * parent's PostgreSQL schema (same master key, same files directory, the settings in the database),
 * with a manual clock that only the parent moves, over IPC:
 *   {id, type: 'tick', now}            → sets the clock, runs one scheduler tick, answers {id, ran, errors}
 *   {id, type: 'register', name, at}   → registers a daily test job (the lease test), answers {id}
 *   {id, type: 'close'}                → closes the app and its pool, answers {id}, exits
 * On start it answers {type: 'ready', instance, pid}. Started by the test with tsx's loader.
 */
import { buildApp } from '../../src/app.js';
import { createDatabase } from '../../src/db/database.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createCryptoProvider } from '../../src/platform/crypto.js';
import { testConfig } from '../helpers.js';

export type WorkerRequest =
  | { id: number; type: 'tick'; now: number }
  | { id: number; type: 'register'; name: string; at: string; leaseMs: number }
  | { id: number; type: 'close' };
export type WorkerMessage =
  | { type: 'ready'; instance: string; pid: number }
  | { type: 'reply'; id: number; ran: string[]; errors: string[] }
  | { type: 'failed'; id: number; error: string };

const send = (m: WorkerMessage) =>
  new Promise<void>((resolve, reject) => process.send!(m, undefined, {}, (e) => (e ? reject(e) : resolve())));

async function main() {
  const { SCHED_WORKER_DB_URL: url, SCHED_WORKER_MASTER_KEY: key, SCHED_WORKER_FILES_DIR: filesDir } = process.env;
  if (!url || !key || !filesDir || !process.send) throw new Error('scheduler-worker: started without its parent');
  const clock = new ManualClock(Number(process.env.SCHED_WORKER_NOW));
  const config = testConfig({ masterKey: Buffer.from(key, 'hex'), filesDir });
  const database = createDatabase({ databaseUrl: url, sqlitePath: '', poolSize: 4 }); // its own pool
  const app = await buildApp({
    config,
    database,
    clock,
    crypto: createCryptoProvider(config.masterKey, { pbkdf2Iterations: 1000 }),
    serveWeb: false,
  });
  // One request at a time, in order (the parent awaits each answer; the chain keeps it so anyway).
  let queue = Promise.resolve();
  process.on('message', (m: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        if (m.type === 'tick') {
          clock.set(m.now);
          const r = await app.scheduler.tick();
          await send({ type: 'reply', id: m.id, ran: r.ran, errors: r.errors });
        } else if (m.type === 'register') {
          app.scheduler.register({
            name: m.name,
            schedule: { kind: 'daily', at: m.at },
            leaseMs: m.leaseMs,
            run: async () => ({ ok: true, pid: process.pid }),
          });
          await send({ type: 'reply', id: m.id, ran: [], errors: [] });
        } else if (m.type === 'close') {
          await app.close();
          await database.close();
          await send({ type: 'reply', id: m.id, ran: [], errors: [] });
          process.disconnect();
        }
      } catch (err) {
        await send({
          type: 'failed',
          id: m.id,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
    });
  });
  process.on('disconnect', () => process.exit(0)); // the parent went away: do not linger on the pool
  await send({ type: 'ready', instance: app.scheduler.instance, pid: process.pid });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
