// Runs `pnc` for the CLI tests: in the test process (runCli with all commands, output captured), or as
// a child process of bin/pnc.js with a clean configuration environment.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands.ts';
import { type CliIo, runCli } from '../registry.ts';

export interface PncRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `pnc ...argv` with empty stdin and exactly `env` as environment; its exit code and output. */
export async function runPncInProcess(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<PncRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (c) => {
        stdout += String(c);
      },
    },
    stderr: {
      write: (c) => {
        stderr += String(c);
      },
    },
    readStdin: async () => new Uint8Array(),
    env,
  };
  const code = await runCli(argv, io, commands);
  return { code, stdout, stderr };
}

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const PNC_BIN = fileURLToPath(new URL('../../../bin/pnc.js', import.meta.url));

/** Configuration variables of the environment a spawned `pnc` does not inherit unless given. */
const CONFIG_VARIABLES = [
  'PNC_CONFIG',
  'DATABASE_URL',
  'PNC_KEY_STORE',
  'PNC_PUBLIC_URL',
  'PNC_LAUNCHER_REEXEC',
];

/**
 * `node bin/pnc.js ...args` in the repository: this process's environment without its configuration
 * variables, then `env` (an undefined value removes a variable); killed after `timeoutMs`.
 */
export function spawnPnc(
  args: readonly string[],
  options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly timeoutMs?: number } = {},
): { code: number | null; stdout: string; stderr: string } {
  const given = options.env ?? {};
  const env: Record<string, string | undefined> = { ...process.env, ...given };
  for (const name of CONFIG_VARIABLES) if (given[name] === undefined) delete env[name];
  for (const [name, value] of Object.entries(given)) if (value === undefined) delete env[name];
  const run = spawnSync(process.execPath, [PNC_BIN, ...args], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    env,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
