import { loadConfig } from '../config.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { type CliCommand, EXIT_OK, parseCommandArgs } from './lib/command.js';

/** Applies the dated migrations that have not run yet (the server does the same at start). */
export const command: CliCommand = {
  name: 'migrate',
  summary: 'Bring the database schema up to date',
  usage:
    'npm run cli -- migrate\n\nApplies every migration of server/src/db/migrations that has not run yet and lists them.',
  async run(args, io) {
    parseCommandArgs(args, {}, { min: 0, max: 0 });
    // The master key is not needed to migrate: config and database only (openRuntime would also create a key file).
    const config = loadConfig(io.env);
    const database = createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
    try {
      const applied = await migrateToLatest(database.db);
      const where = config.databaseUrl ? 'PostgreSQL' : `SQLite at ${config.sqlitePath}`;
      if (!applied.length) io.out(`Database (${where}) is up to date.`);
      else {
        io.out(`Applied ${applied.length} migration(s) to ${where}:`);
        for (const m of applied) io.out(`  ${m}`);
      }
      return EXIT_OK;
    } finally {
      await database.close();
    }
  },
};
