import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Dialect } from '../db/database.js';
import type { DB } from '../db/types.js';
import type { SettingsService } from '../modules/settings/settings.service.js';
import type { AuditService } from './audit/audit.service.js';
import type { Clock } from './clock.js';
import type { CryptoProvider } from './crypto.js';
import type { FileStore } from './files/store.js';

/** What every module is given: built once in app.ts, no globals. */
export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  dialect: Dialect;
  sqlite: SQLite.Database | null;
  crypto: CryptoProvider;
  clock: Clock;
  audit: AuditService;
  settings: SettingsService;
  /** Evidence bytes (local disk or S3), content-addressed by SM3. */
  files: FileStore;
}
