import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError } from './config.js';
import { startPgMaintenance } from './db/pg-maintenance.js';
import { ensureFirstAdmin } from './platform/bootstrap.js';
import { openRuntime } from './runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm start` builds the web app when it is missing, so that install + start is all a user needs. */
function ensureWebBuilt() {
  if (fs.existsSync(path.join(root, 'web/dist/index.html'))) return;
  console.log('Building the web app (first start only)…');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) console.error('Web build failed; the API still runs. Run `npm run build` to see why.');
}

async function main() {
  const demo = process.argv.includes('--demo');
  ensureWebBuilt();
  const { config, database } = await openRuntime();
  const app = await buildApp({ config, database, logger: { level: config.logLevel } });

  const admin = await ensureFirstAdmin(app.ctx);
  if (admin.created && admin.generated) {
    // Printed once: the hash is all that is kept. It must be changed at first login.
    console.log('\n============================================================');
    console.log(' First administrator created');
    console.log('   username: admin');
    console.log(`   password: ${admin.password}`);
    console.log(' (shown once; you must change it at first login)');
    console.log('============================================================\n');
  }

  if (demo) {
    const { seedDemoIfEmpty } = await import('./cli/seed-demo.js');
    const result = await seedDemoIfEmpty(app.ctx);
    if (!result) console.log('Demo data not loaded: the database already holds rounds.');
    else {
      const c = result.counts;
      console.log(
        `Demo data loaded: ${c.units} units, ${c.measures} measures, rate ${c.rectificationRate}% (${result.elapsedMs} ms).`,
      );
      console.log(
        'Demo accounts: office, leader, supervisor, unit, unithead, discipline, followup, sysadmin, secadmin, auditor',
      );
      if (result.password) console.log(`Demo password (shown once): ${result.password}`);
    }
  }

  // Autovacuum's work when the PostgreSQL server has it off (nothing otherwise).
  const stopMaintenance =
    database.dialect === 'postgres' ? await startPgMaintenance(database.db, (m) => app.log.warn(m)) : null;

  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await stopMaintenance?.();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));

  // What a process killed mid-upload left in the staging folder (an upload in progress is younger).
  const swept = await app.ctx.files.sweepTemporary(60 * 60_000).catch(() => 0);
  if (swept) app.log.info({ swept }, 'removed stale staged upload files');

  await app.listen({ port: config.port, host: config.host });
  // Scheduled jobs (warning chain, digests, deliveries); RECTIFY_SCHEDULER=off leaves them to other instances.
  if (process.env.RECTIFY_SCHEDULER !== 'off') app.scheduler.start();
  console.log(`Rectify is running on http://localhost:${config.port} (database: ${database.dialect})`);
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
