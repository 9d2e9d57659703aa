import { AuditService } from '../platform/audit/audit.service.js';
import { systemClock } from '../platform/clock.js';
import { createCryptoProvider } from '../platform/crypto.js';
import { openRuntime } from '../runtime.js';
import { type CliCommand, EXIT_FAIL, EXIT_OK, parseCommandArgs } from './lib/command.js';

/** M16: walks the whole audit log and its head; exit 0 when the chain is intact, 1 at the first break. */
export const command: CliCommand = {
  name: 'audit-verify',
  summary: 'Verify the SM3 hash chain of the audit log (exit 0 intact, 1 broken)',
  usage: [
    'npm run cli -- audit-verify',
    '',
    'Checks every audit row against the one before it (HMAC-SM3 under the master key) and the head',
    'record that guards the end of the log. Prints "audit chain OK: N rows" and exits 0, or prints the',
    'first bad row (position, seq, reason) and exits 1. Needs the same master key that wrote the log.',
  ].join('\n'),
  async run(args, io) {
    parseCommandArgs(args, {}, { min: 0, max: 0 });
    const { config, database } = await openRuntime(io.env);
    try {
      const audit = new AuditService(
        database.db,
        database.dialect,
        createCryptoProvider(config.masterKey),
        systemClock,
      );
      const r = await audit.verify();
      if (r.ok) {
        io.out(`audit chain OK: ${r.checked} rows`);
        return EXIT_OK;
      }
      const bad = r.firstBad!;
      const where = bad.chain ? `seq ${bad.seq}, chain ${bad.chain}` : `seq ${bad.seq}`;
      io.err(`audit chain BROKEN at position ${bad.position} (${where}): ${bad.reason}`);
      io.err(`${r.checked} row(s) before it verified.`);
      return EXIT_FAIL;
    } finally {
      await database.close();
    }
  },
};
