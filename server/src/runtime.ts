import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

/**
 * The master key for this installation: RECTIFY_MASTER_KEY, or a key file kept in the data
 * directory (created once, readable by the owner only). Losing it loses the sealed secrets and
 * the ability to verify the audit chain: back it up with the database.
 */
export function resolveMasterKey(cfg: ReturnType<typeof loadConfig>): Buffer {
  if (cfg.masterKey) return cfg.masterKey;
  const file = path.join(cfg.dataDir, 'master.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}

/** Config + database + migrations: what the server, the CLI and the benchmarks all start from. */
export async function openRuntime(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: Config; database: Database }> {
  const raw = loadConfig(env);
  const config: Config = { ...raw, masterKey: resolveMasterKey(raw) };
  const database = createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrateToLatest(database.db);
  return { config, database };
}
