import path from 'node:path';
import { openRuntime } from '../runtime.js';
import { BackupError, createBackup, MASTER_KEY_WARNING } from './lib/backup-archive.js';
import { type CliCommand, cliActor, EXIT_FAIL, EXIT_OK, parseCommandArgs } from './lib/command.js';

export const command: CliCommand = {
  name: 'backup',
  summary: 'Write the database and every stored file to one backup file',
  usage: [
    'npm run cli -- backup <file> [--force]',
    '',
    'Writes one tar file: the database image (SQLite online backup, or pg_dump -Fc of the schema in',
    'use), every file under RECTIFY_FILES_DIR, and manifest.json (row counts per table, the audit',
    'head, SM3 of every file, an HMAC under the master key). The server may keep running.',
    '  --force   replace <file> if it exists',
    '',
    MASTER_KEY_WARNING,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } }, { min: 1, max: 1 });
    const file = path.resolve(positionals[0]!);
    const { config, database } = await openRuntime(io.env);
    try {
      const m = await createBackup({
        config,
        database,
        file,
        force: values.force,
        actor: cliActor(io.env),
        log: io.out,
      });
      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      io.out(`Backup written: ${file}`);
      io.out(
        `  ${m.dialect}, ${Object.keys(m.tables).length} tables, ${rows} rows, ${m.files.length} file(s), ` +
          `audit head seq ${m.auditHead?.seq ?? 0}`,
      );
      io.out(`WARNING: ${MASTER_KEY_WARNING}`);
      return EXIT_OK;
    } catch (e) {
      if (e instanceof BackupError) {
        io.err(`backup refused: ${e.message}`);
        return EXIT_FAIL;
      }
      throw e;
    } finally {
      await database.close();
    }
  },
};
