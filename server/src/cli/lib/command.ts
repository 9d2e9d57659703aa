import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * The contract of one CLI command. Every file directly in server/src/cli/ other than index.ts is a
 * command and exports `command: CliCommand`; index.ts finds them by file name (`npm run cli --
 * backup …` loads backup.ts), so adding a command is adding a file. Commands print through `io` and
 * return the exit code instead of exiting, so tests call `run` directly.
 */
export interface CliCommand {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Arguments and options, shown by `<command> --help` and after a usage error. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** The environment the command reads its configuration from (process.env in production). */
  env: NodeJS.ProcessEnv;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/** Exit codes: 0 done, 1 the command failed (or found a problem), 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** node:util parseArgs, strict, with a usage error instead of a TypeError for unknown options. */
export function parseCommandArgs<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  positionals: { min: number; max: number },
) {
  const parse = () => {
    try {
      return parseArgs({ args, options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  };
  const parsed = parse();
  if (parsed.positionals.length < positionals.min) throw new UsageError('missing argument');
  if (parsed.positionals.length > positionals.max)
    throw new UsageError(`unexpected argument ${parsed.positionals[positionals.max]}`);
  return parsed;
}

/** The CLI's entry in the audit trail: the operating-system account that ran it. */
export function cliActor(env: NodeJS.ProcessEnv) {
  const user = (env.USER || env.USERNAME || env.LOGNAME || 'unknown').slice(0, 60);
  return { actorId: null, actorName: `cli:${user}`, ip: null, requestId: null };
}
