import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { resolveMasterKey } from '../runtime.js';
import { BackupError, MASTER_KEY_WARNING, restoreBackup } from './lib/backup-archive.js';
import { type CliCommand, EXIT_FAIL, EXIT_OK, parseCommandArgs } from './lib/command.js';
import { TarFormatError } from './lib/tar.js';

export const command: CliCommand = {
  name: 'restore',
  summary: 'Restore a backup file into the configured database and files directory',
  usage: [
    'npm run cli -- restore <file> [--force]',
    '',
    'Stop the server first. The backup is checked before anything is replaced: its manifest must',
    "verify under this installation's master key, and every entry must match its SM3 digest. The",
    'target must be the same kind of database (SQLite or PostgreSQL; on PostgreSQL the same schema).',
    'Afterwards row counts, file digests and the audit head are compared with the manifest and the',
    'audit chain is verified. The next start applies any newer migrations.',
    '  --force   replace a database or files directory that already holds data',
    '',
    MASTER_KEY_WARNING,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } }, { min: 1, max: 1 });
    const file = path.resolve(positionals[0]!);
    // Not openRuntime(): migrating a database that is about to be replaced is pointless, and a
    // PostgreSQL target schema may not even exist yet (the dump creates it).
    const raw = loadConfig(io.env);
    if (!raw.masterKey && !fs.existsSync(path.join(raw.dataDir, 'master.key'))) {
      // Do not make up a new key: the backup can only be checked and used with the original one.
      io.err(
        `restore refused: no master key (RECTIFY_MASTER_KEY is empty and ${path.join(raw.dataDir, 'master.key')} ` +
          'does not exist). Put back the key of the installation that made the backup.',
      );
      return EXIT_FAIL;
    }
    const config = { ...raw, masterKey: resolveMasterKey(raw) };
    try {
      const report = await restoreBackup({ config, file, force: values.force, log: io.out });
      const m = report.manifest;
      if (report.problems.length) {
        io.err('restore FINISHED WITH DIFFERENCES from the manifest:');
        for (const p of report.problems) io.err(`  ${p}`);
        return EXIT_FAIL;
      }
      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      io.out(`Restored ${file} (made ${m.createdAt})`);
      io.out(
        `  ${Object.keys(m.tables).length} tables, ${rows} rows, ${m.files.length} file(s): counts and digests match; ` +
          `audit chain verified up to seq ${m.auditHead?.seq ?? 0}`,
      );
      return EXIT_OK;
    } catch (e) {
      if (e instanceof BackupError || e instanceof TarFormatError) {
        io.err(`restore refused: ${e.message}`);
        return EXIT_FAIL;
      }
      throw e;
    }
  },
};
