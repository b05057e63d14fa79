#!/usr/bin/env node
// The `pnc` executable.
//
// The sources are TypeScript run by Node 24's built-in type stripping, and the project pins Node 24
// through the `node` devDependency (node_modules/.bin/node). `#!/usr/bin/env node` may however find an
// older system Node (Debian ships 20), which cannot load .ts files. So this launcher is plain
// JavaScript that any Node with ESM support can parse, and:
//   - on Node 24 it imports the CLI directly;
//   - on another version it re-executes itself with the project's pinned Node when present;
//   - otherwise it fails with a message saying how to get Node 24.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
// Set on the re-executed child, so a broken pinned binary cannot cause an exec loop.
const REEXEC_GUARD = 'PNC_LAUNCHER_REEXEC';

const major = Number(process.versions.node.split('.')[0]);

if (major === REQUIRED_MAJOR) {
  await import('../src/cli/main.ts');
} else {
  // import.meta.url is the real path (Node resolves the symlink in node_modules/.bin), so the project
  // root is the parent of bin/ however pnc was started.
  const self = fileURLToPath(import.meta.url);
  const root = dirname(dirname(self));
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (process.env[REEXEC_GUARD] !== '1' && existsSync(pinned)) {
    const result = spawnSync(pinned, [...process.execArgv, self, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [REEXEC_GUARD]: '1' },
    });
    if (result.error) {
      process.stderr.write(`pnc: cannot start the pinned Node.js at ${pinned}: ${result.error.message}\n`);
      process.exit(1);
    }
    if (result.signal) process.kill(process.pid, result.signal);
    process.exit(result.status ?? 1);
  } else if (major > REQUIRED_MAJOR) {
    // Newer Node also strips types; the pinned version is the tested one, so say so but carry on.
    process.stderr.write(
      `pnc: warning: running on Node.js ${process.version}; the tested version is ${REQUIRED_MAJOR} (run \`npm ci\` in ${root})\n`,
    );
    await import('../src/cli/main.ts');
  } else {
    process.stderr.write(
      `pnc: needs Node.js ${REQUIRED_MAJOR}, but this is ${process.version}.\n` +
        `Run \`npm ci\` in ${root} to install the pinned Node.js ${REQUIRED_MAJOR} (node_modules/.bin/node),\n` +
        `or start pnc with Node.js ${REQUIRED_MAJOR}.\n`,
    );
    process.exit(1);
  }
}
