import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../config.js';
import { type CliCommand, type CliIO, EXIT_FAIL, EXIT_OK, EXIT_USAGE, processIO, UsageError } from './lib/command.js';

/**
 * `npm run cli -- <command> [args]`: a small dispatcher. A command is a file of this folder named
 * after it (backup.ts → `backup`, seed-demo.ts → `seed-demo`) that exports `command: CliCommand`
 * (see lib/command.ts). Adding a command is adding such a file; files without that export are
 * helpers and are not listed.
 */
const DIR = path.dirname(fileURLToPath(import.meta.url));

function commandFiles(): Map<string, string> {
  const found = new Map<string, string>();
  for (const f of fs.readdirSync(DIR).sort()) {
    const m = /^([a-z][a-z0-9-]*)\.(ts|js)$/.exec(f);
    if (!m || m[1] === 'index' || f.endsWith('.d.ts')) continue;
    if (!found.has(m[1]!)) found.set(m[1]!, path.join(DIR, f));
  }
  return found;
}

/** The command of that name, or null when no file of this folder exports one under it. */
export async function loadCommand(name: string): Promise<CliCommand | null> {
  const file = commandFiles().get(name);
  if (!file) return null;
  const mod = (await import(pathToFileURL(file).href)) as { command?: CliCommand };
  // Files that export no `command` are helpers of some command, not commands.
  return mod.command && typeof mod.command.run === 'function' ? mod.command : null;
}

async function help(io: CliIO) {
  io.out('Rectify · 巡察整改监督系统 — command line');
  io.out('');
  io.out('Usage: npm run cli -- <command> [arguments] [options]');
  io.out('');
  io.out('Commands:');
  const commands: [string, string][] = [];
  for (const name of commandFiles().keys()) {
    try {
      const cmd = await loadCommand(name);
      if (cmd) commands.push([name, cmd.summary]);
    } catch (e) {
      commands.push([name, `(cannot be loaded: ${(e as Error).message})`]);
    }
  }
  const width = Math.max(...commands.map(([n]) => n.length), 8) + 2;
  for (const [name, summary] of commands) io.out(`  ${name.padEnd(width)}${summary}`);
  io.out('');
  io.out('`npm run cli -- <command> --help` shows a command’s arguments.');
  io.out('Configuration is read from the environment, as for the server: DATABASE_URL (empty: SQLite at');
  io.out('SQLITE_PATH, default data/rectify.db), RECTIFY_DATA_DIR, RECTIFY_FILES_DIR, RECTIFY_MASTER_KEY.');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const cmd = /^[a-z][a-z0-9-]*$/.test(name) ? await loadCommand(name) : null;
  if (!cmd) {
    io.err(`Unknown command: ${name}`);
    await help(io);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.name} — ${cmd.summary}`);
    io.out('');
    io.out(cmd.usage);
    return EXIT_OK;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}`);
      io.err('');
      io.err(cmd.usage);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      io.err(`Configuration error: ${e.message}`);
      return EXIT_FAIL;
    }
    io.err(`${cmd.name} failed: ${(e as Error)?.message ?? String(e)}`);
    if (io.env.RECTIFY_DEBUG) io.err(String((e as Error)?.stack ?? ''));
    return EXIT_FAIL;
  }
}

const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (invoked && fs.existsSync(invoked) && fs.realpathSync(invoked) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(EXIT_FAIL);
    },
  );
}
