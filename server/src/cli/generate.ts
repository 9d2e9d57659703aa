import { AuditService } from '../platform/audit/audit.service.js';
import { systemClock } from '../platform/clock.js';
import { createCryptoProvider } from '../platform/crypto.js';
import { openRuntime } from '../runtime.js';
import { BENCH_ACCOUNTS, GenerateError, type GenerateOptions, generateDataset } from './generate-data.js';
import { type CliCommand, cliActor, EXIT_FAIL, EXIT_OK, parseCommandArgs, UsageError } from './lib/command.js';

/** Sizes by name: `--size 100k` is what `npm run bench` uses by default, `--size 1m` the SPEC §4 scale. */
export const SIZES: Record<string, Omit<GenerateOptions, 'seed' | 'password' | 'auditRows' | 'terms'>> = {
  '10k': { units: 100, measures: 10_000, rounds: 10 },
  '100k': { units: 500, measures: 100_000, rounds: 10 },
  '1m': { units: 5_000, measures: 1_000_000, rounds: 100 },
};

/** The password of the generated accounts unless --password or RECTIFY_BENCH_PASSWORD says otherwise. */
export const DEFAULT_BENCH_PASSWORD = 'Bench-Rectify-2026!';

/** "1m", "100k", "10_000", "10,000" → a whole number. */
export function parseCount(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.replace(/[_,]/g, ''));
  const n = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number (e.g. 5000, 100k, 1m)`);
  return n;
}

export const command: CliCommand = {
  name: 'generate',
  summary: 'Generate a synthetic dataset of a given size for benchmarks (SPEC §4: up to 1,000,000 measures)',
  usage: [
    'npm run cli -- generate [--size 10k|100k|1m] [--units N] [--measures N] [--rounds N] [--terms N]',
    '                        [--audit-rows N] [--seed N] [--password P]',
    '',
    'Writes a realistic dataset into the configured database (DATABASE_URL, else the SQLite file):',
    'terms and rounds, teams, units under counties, supervising bodies with their lines and liaison',
    'links, accounts for every role, round-units with feedback and history, problems with their',
    'responsibility lists, measures with skewed statuses (most done, some overdue, a few extended),',
    'money in 分, and with --audit-rows a history on the real SM3 audit chain (audit-verify passes).',
    'The dashboard counters are rebuilt at the end. Prints the rows written per second.',
    '',
    '  --size       10k (100 units, 10 rounds), 100k (500 units, 10 rounds; the default),',
    '               1m (5,000 units, 100 rounds); the options below override it',
    '  --units      inspected units (each is inspected once; "回头看" rounds revisit a fifth more)',
    '  --measures   measures in all (about four per problem); 100k and 1m are accepted',
    '  --rounds     rounds (default: one per 50 units); --terms: terms (default: one per 10 rounds)',
    '  --audit-rows audit rows of history to add (default 0; SPEC §4 scale is 10m)',
    '  --seed       the random seed (default 1): the same seed gives the same dataset',
    '  --password   the password of every generated account (default RECTIFY_BENCH_PASSWORD, else',
    `               ${DEFAULT_BENCH_PASSWORD})`,
    '',
    `Accounts: ${BENCH_ACCOUNTS.map((a) => a.username).join(', ')},`,
    'g-unit-00001 … (one liaison per unit), g-head-00001 … (one unit head per unit, who signs the',
    'progress reports off) and g-sup-0001 … (one per supervising body).',
    'Refuses a database that already holds a generated dataset.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      {
        size: { type: 'string' },
        units: { type: 'string' },
        measures: { type: 'string' },
        rounds: { type: 'string' },
        terms: { type: 'string' },
        'audit-rows': { type: 'string' },
        seed: { type: 'string' },
        password: { type: 'string' },
      },
      { min: 0, max: 0 },
    );
    const preset = values.size ? SIZES[values.size.toLowerCase()] : undefined;
    if (values.size && !preset) throw new UsageError(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
    const base = preset ?? (values.units || values.measures ? undefined : SIZES['100k']!);
    const units = parseCount('units', values.units) ?? base?.units ?? 500;
    const measures = parseCount('measures', values.measures) ?? base?.measures ?? units * 200;
    const rounds = parseCount('rounds', values.rounds) ?? base?.rounds ?? Math.max(1, Math.round(units / 50));
    const terms = parseCount('terms', values.terms) ?? Math.max(1, Math.ceil(rounds / 10));
    const password = values.password ?? (io.env.RECTIFY_BENCH_PASSWORD || DEFAULT_BENCH_PASSWORD);
    const opts: GenerateOptions = {
      units,
      measures,
      rounds,
      terms,
      auditRows: parseCount('audit-rows', values['audit-rows']) ?? 0,
      seed: parseCount('seed', values.seed) ?? 1,
      password,
      log: (line) => io.out(line),
      actor: cliActor(io.env),
    };
    if (units < 1 || rounds < 1 || terms < 1 || terms > rounds)
      throw new UsageError('need units ≥ 1 and 1 ≤ terms ≤ rounds');
    if (measures < units) throw new UsageError('--measures must be at least --units (one measure per unit)');

    const { config, database } = await openRuntime(io.env);
    try {
      const crypto = createCryptoProvider(config.masterKey);
      const audit = new AuditService(database.db, database.dialect, crypto, systemClock);
      await audit.ensureHeads();
      io.out(
        `Generating ${units.toLocaleString('en')} units, ${measures.toLocaleString('en')} measures, ${rounds} rounds in ${terms} term(s)` +
          `${opts.auditRows ? `, ${opts.auditRows.toLocaleString('en')} audit rows` : ''} (${database.dialect}, seed ${opts.seed})…`,
      );
      let r: Awaited<ReturnType<typeof generateDataset>>;
      try {
        r = await generateDataset(
          { db: database.db, dialect: database.dialect, sqlite: database.sqlite, crypto, audit, clock: systemClock },
          opts,
        );
      } catch (e) {
        if (e instanceof GenerateError) {
          io.err(`generate: ${e.message}. Nothing was changed.`);
          return EXIT_FAIL;
        }
        throw e;
      }
      io.out('');
      io.out(`Rows written (${database.dialect}):`);
      for (const [table, n] of Object.entries(r.counts))
        io.out(`  ${table.padEnd(22)}${n.toLocaleString('en').padStart(12)}`);
      io.out(
        `  ${'total'.padEnd(22)}${r.rows.toLocaleString('en').padStart(12)} in ${(r.elapsedMs / 1000).toFixed(1)} s = ${r.rowsPerSecond.toLocaleString('en')} rows/s`,
      );
      io.out('');
      io.out('Accounts (all generated accounts share one password):');
      for (const [username, role] of Object.entries(r.accounts)) io.out(`  ${username.padEnd(18)}${role}`);
      io.out(
        '  g-unit-00001 …      unit (one per unit); g-head-00001 … unit_head (one per unit); g-sup-0001 … supervisor (one per supervising body)',
      );
      io.out(`  password: ${password}`);
      return EXIT_OK;
    } finally {
      await database.close();
    }
  },
};
