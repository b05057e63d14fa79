// The `pnc` subcommand framework, on node:util parseArgs (no dependency).
//
// A command is a plain object (CliCommand) with its path (`['exi', 'decode']`), help texts, parseArgs
// option config and an async `run` returning the exit code. All commands are listed in one place,
// ./commands.ts. `runCli` dispatches argv to the command with the longest matching path and owns every
// exit-code decision, so commands never call process.exit:
//
//   0   success (or whatever the command returns)
//   1   AppError thrown by the command (message and code on stderr)
//   2   usage error: unknown command or option, bad option value, AppError with code `cli.usage`
//   70  anything else: a bug (EX_SOFTWARE from sysexits.h); stack only with PNC_DEBUG=1
//
// runCli takes its I/O as a parameter (CliIo) so that it can be tested in-process; ./main.ts binds it
// to the real process.

import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { isAppError } from '../errors/app-error.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface CliWriter {
  write(chunk: string | Uint8Array): void;
}

export interface CliIo {
  readonly stdout: CliWriter;
  readonly stderr: CliWriter;
  /** Reads stdin to its end. Rejects with AppError `cli.input` past maxBytes. */
  readStdin(maxBytes?: number): Promise<Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The values parseArgs returns for an option config, typed from the config. */
export type OptionValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>['values'];

export interface CliContext<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  readStdin(maxBytes?: number): Promise<Uint8Array>;
  readonly stdout: CliWriter;
  readonly stderr: CliWriter;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CliCommand<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  /** Words after `pnc`, e.g. `['exi', 'decode']`. */
  readonly path: readonly string[];
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Synopsis and explanation shown by `--help`, without the option list (generated from options). */
  readonly usage: string;
  /** parseArgs options. `help` / `-h` is added by the framework and must not be declared. */
  readonly options: O;
  /** One line per option for `--help`; options without a description are listed without one. */
  readonly optionHelp?: { readonly [K in keyof O]?: string };
  run(ctx: CliContext<O>): Promise<number>;
}

/**
 * Identity function that infers the option config type, so that `ctx.values` is precisely typed in
 * `run` (e.g. `values.schema: string | undefined`), and erases it for the registry list.
 */
export function defineCommand<const O extends ParseArgsOptionsConfig>(command: CliCommand<O>): CliCommand {
  return command as unknown as CliCommand;
}

/** Rejects registries that could dispatch ambiguously; called by runCli and by the tests. */
export function validateRegistry(commands: readonly CliCommand[]): void {
  const seen = new Set<string>();
  for (const command of commands) {
    if (command.path.length === 0 || command.path.some((word) => !/^[a-z][a-z0-9-]*$/.test(word))) {
      throw new Error(`invalid command path ${JSON.stringify(command.path)}`);
    }
    const key = command.path.join(' ');
    if (seen.has(key)) throw new Error(`duplicate command '${key}'`);
    seen.add(key);
    if (Object.hasOwn(command.options, 'help')) {
      throw new Error(`command '${key}' declares --help, which the framework provides`);
    }
  }
  // A command path that is a prefix of another would make `pnc a b` ambiguous (command `a` with
  // positional `b`, or command `a b`): forbid it.
  for (const a of seen) {
    for (const b of seen) {
      if (a !== b && b.startsWith(`${a} `)) throw new Error(`command '${a}' is a prefix of '${b}'`);
    }
  }
}

const USAGE_CODE = 'cli.usage';

/** Argument parsing failed; reported like AppError `cli.usage`. */
class UsageError extends Error {}

function hasHelpFlag(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false; // everything after `--` is positional
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function leadingWords(args: readonly string[]): string[] {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words;
}

function findCommand(commands: readonly CliCommand[], words: readonly string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const command of commands) {
    const matches = command.path.length <= words.length && command.path.every((word, i) => word === words[i]);
    if (matches && (best === undefined || command.path.length > best.path.length)) best = command;
  }
  return best;
}

function commandsUnder(commands: readonly CliCommand[], prefix: readonly string[]): CliCommand[] {
  return commands.filter(
    (command) => command.path.length > prefix.length && prefix.every((word, i) => command.path[i] === word),
  );
}

function formatCommandList(commands: readonly CliCommand[]): string {
  const sorted = [...commands].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' '), 'en'));
  const width = Math.max(0, ...sorted.map((c) => c.path.join(' ').length));
  return sorted.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`).join('\n');
}

export function formatGlobalHelp(commands: readonly CliCommand[]): string {
  return [
    'pnc: Plug & Charge ecosystem command line',
    '',
    'Usage: pnc <command> [options] [arguments]',
    '       pnc <command> --help',
    '',
    'Commands:',
    formatCommandList(commands),
    '',
    "Arguments after '--' are positionals, even when they start with '-'.",
    'Exit codes: 0 ok, 1 error (code on stderr), 2 usage error, 70 internal error.',
    'Set PNC_DEBUG=1 to print stack traces of internal errors.',
    '',
  ].join('\n');
}

function formatGroupHelp(commands: readonly CliCommand[], prefix: readonly string[]): string {
  return [
    `Usage: pnc ${prefix.join(' ')} <command> [options] [arguments]`,
    '',
    'Commands:',
    formatCommandList(commandsUnder(commands, prefix)),
    '',
  ].join('\n');
}

export function formatCommandHelp(command: CliCommand): string {
  const lines = [`pnc ${command.path.join(' ')}: ${command.summary}`, '', command.usage.trimEnd(), ''];
  const entries = Object.entries(command.options).map(([name, option]) => {
    const flag = `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}${
      option.type === 'string' ? ' <value>' : ''
    }`;
    const notes: string[] = [];
    const help = (command.optionHelp as Record<string, string | undefined> | undefined)?.[name];
    if (help !== undefined) notes.push(help);
    if (option.multiple === true) notes.push('(repeatable)');
    if (option.default !== undefined) notes.push(`(default: ${JSON.stringify(option.default)})`);
    return [flag, notes.join(' ')] as const;
  });
  entries.push(['-h, --help', 'Show this help']);
  const width = Math.max(...entries.map(([flag]) => flag.length));
  lines.push('Options:');
  for (const [flag, notes] of entries) lines.push(`  ${flag.padEnd(width)}  ${notes}`.trimEnd());
  lines.push('');
  return lines.join('\n');
}

function parseCommandArgs(command: CliCommand, args: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options: command.options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs reports ERR_PARSE_ARGS_UNKNOWN_OPTION, ERR_PARSE_ARGS_INVALID_OPTION_VALUE and
    // ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL as TypeErrors with a readable message.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      // Keep the first sentence; the rest is advice about `--`, which the global help gives.
      const message = (error as Error).message.split('. To specify')[0] ?? '';
      throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
    }
    throw error;
  }
}

/** Writes `<who>: <message>` and a hint to stderr; returns the usage exit code. */
function usageFailure(io: CliIo, who: string, message: string, hint: string): number {
  io.stderr.write(`${who}: ${message}\n${hint}\n`);
  return EXIT_USAGE;
}

/** Runs `pnc` with argv (without the node and script paths) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[],
): Promise<number> {
  validateRegistry(commands);
  const words = leadingWords(argv);
  const command = findCommand(commands, words);

  if (command === undefined) {
    if (words.length === 0 && hasHelpFlag(argv)) {
      io.stdout.write(formatGlobalHelp(commands));
      return EXIT_OK;
    }
    if (words.length === 0 && (argv[0] === '--version' || argv[0] === '-V')) {
      return runCli(['version', ...argv.slice(1)], io, commands);
    }
    if (argv.length === 0) {
      io.stderr.write(formatGlobalHelp(commands));
      return EXIT_USAGE;
    }
    if (words.length === 0) {
      return usageFailure(io, 'pnc', `unknown option '${argv[0]}'`, "Run 'pnc --help' for usage.");
    }
    if (words.length === 1 && words[0] === 'help') {
      io.stdout.write(formatGlobalHelp(commands));
      return EXIT_OK;
    }
    // `pnc exi` or `pnc exi --help`: a group with commands under it.
    for (let n = words.length; n > 0; n--) {
      const prefix = words.slice(0, n);
      if (commandsUnder(commands, prefix).length === 0) continue;
      if (n === words.length && hasHelpFlag(argv)) {
        io.stdout.write(formatGroupHelp(commands, prefix));
        return EXIT_OK;
      }
      const detail =
        n === words.length ? `'${prefix.join(' ')}' needs a command` : `unknown command '${words.join(' ')}'`;
      io.stderr.write(`pnc: ${detail}\n\n${formatGroupHelp(commands, prefix)}`);
      return EXIT_USAGE;
    }
    return usageFailure(
      io,
      'pnc',
      `unknown command '${words.join(' ')}'`,
      "Run 'pnc --help' for the list of commands.",
    );
  }

  const args = argv.slice(command.path.length);
  if (hasHelpFlag(args)) {
    io.stdout.write(formatCommandHelp(command));
    return EXIT_OK;
  }

  try {
    const { values, positionals } = parseCommandArgs(command, args);
    return await command.run({
      values,
      positionals,
      readStdin: (maxBytes) => io.readStdin(maxBytes),
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
    });
  } catch (error) {
    return reportError(io, error, command);
  }
}

function reportError(io: CliIo, error: unknown, command: CliCommand): number {
  const name = `pnc ${command.path.join(' ')}`;
  const hint = `Run '${name} --help' for usage.`;
  if (error instanceof UsageError) return usageFailure(io, name, error.message, hint);
  if (isAppError(error)) {
    if (error.code === USAGE_CODE) return usageFailure(io, name, error.message, hint);
    let text = `pnc: error [${error.code}]: ${error.message}\n`;
    if (error.details !== undefined) text += `  details: ${safeJson(error.details)}\n`;
    if (io.env.PNC_DEBUG === '1' && error.stack !== undefined) text += `${error.stack}\n`;
    io.stderr.write(text);
    return EXIT_FAILURE;
  }
  // Not an AppError: a bug. Do not leak internals unless asked to.
  if (io.env.PNC_DEBUG === '1') {
    const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    io.stderr.write(`pnc: internal error\n${stack}\n`);
  } else {
    io.stderr.write('pnc: internal error (set PNC_DEBUG=1 for the stack trace)\n');
  }
  return EXIT_INTERNAL;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return '[unserialisable details]';
  }
}
