// Entry point of the `pnc` CLI (bin/pnc.js imports this file after making sure Node 24 runs it).
// Sets process.exitCode instead of calling process.exit() so that pending stdout writes to a pipe
// are flushed before the process ends.

import { commands } from './commands.ts';
import { processIo } from './process-io.ts';
import { runCli } from './registry.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo(), commands);
