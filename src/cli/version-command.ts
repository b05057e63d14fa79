// `pnc version`: package version and the Node.js running it (useful in bug reports, and proof that
// the pinned Node 24 is the one in use).

import { readFile } from 'node:fs/promises';
import { appError } from '../errors/catalogue.ts';
import { defineCommand } from './registry.ts';

export const versionCommand = defineCommand({
  path: ['version'],
  summary: 'Print the pnc version and the Node.js version',
  usage: 'Usage: pnc version [--json]',
  options: {
    json: { type: 'boolean' },
  },
  optionHelp: {
    json: 'Print {"pnc": ..., "node": ...} as JSON',
  },
  async run({ values, positionals, stdout }) {
    if (positionals.length > 0) throw appError('cli.usage', `unexpected argument '${positionals[0]}'`);
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    const version = typeof manifest.version === 'string' ? manifest.version : 'unknown';
    if (values.json === true) {
      stdout.write(`${JSON.stringify({ pnc: version, node: process.version })}\n`);
    } else {
      stdout.write(`pnc ${version} (node ${process.version})\n`);
    }
    return 0;
  },
});
