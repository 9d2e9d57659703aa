import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL pages after which the app's own connection checkpoints at a COMMIT: only when the worker below
 * has fallen that far behind (SQLite's default is 1,000, which the worker keeps the WAL under).
 */
export const WAL_BACKSTOP_PAGES = 10_000;

// CommonJS, run by the worker: a connection of its own that copies the WAL back into the database
// file every `everyMs` (PASSIVE: it never blocks the writer and skips frames a reader still needs).
// SQLITE_BUSY means another checkpoint is running: try again next time. Any other error ends the
// worker; the main connection's backstop checkpoints then keep the WAL bounded.
const SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (e.code !== 'SQLITE_BUSY') throw e;
  }
}, workerData.everyMs);
`;

/**
 * Checkpoints of a SQLite database file in a worker thread. A checkpoint writes the WAL's pages into
 * the database file and syncs it; run by the connection that commits (SQLite's default, every 1,000
 * pages), it stops every request for its duration — at 1M measures it was the status change's p99.
 * Answers the stop.
 */
export function startCheckpointer(file: string, everyMs = 50): () => Promise<void> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { module, file, everyMs } });
  worker.unref(); // never what keeps the process alive
  worker.on('error', (e) => process.emitWarning(`SQLite checkpoints are back on the main connection: ${e.message}`));
  return async () => {
    await worker.terminate();
  };
}
