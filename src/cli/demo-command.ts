// `pnc demo [--iso 2|20] [--keep]`: the whole Plug & Charge journey on a throw-away ecosystem
// (src/demo/run-demo.ts, docs/demo.md). Exit 0 only when every step ran and succeeded.

import { runDemo } from '../demo/run-demo.ts';
import { appError } from '../errors/catalogue.ts';
import { defineCommand } from './registry.ts';

export const demoCommand = defineCommand({
  path: ['demo'],
  summary:
    'Run the whole Plug & Charge journey on a throw-away ecosystem (PKI, pools, webhook, car and charger)',
  usage: [
    'Usage: pnc demo [--iso 2|20] [--keep]',
    '',
    'Starts the platform on the embedded database in a temporary directory (127.0.0.1, a free port),',
    'creates the demo PKI, API clients per role, and runs the journey over real HTTP and TLS: the OEM',
    'publishes a vehicle, the MO signs a contract, the OEM webhook fires, the charger gets its certificate',
    'by EST, the car installs the contract through the charger and authorizes with it (ISO 15118-2, or',
    '-20 with the vehicle certificate by EST and TLS 1.3 mutual authentication). Each step is',
    'printed. The temporary directory is removed at the end unless --keep.',
  ].join('\n'),
  options: { iso: { type: 'string' }, keep: { type: 'boolean' } },
  optionHelp: {
    iso: 'ISO 15118 edition: 2 (default; TLS 1.2) or 20 (P-521 vehicle with its vehicle certificate; TLS 1.3 mutual authentication)',
    keep: 'keep the data directory (its key store passphrase is written into it, mode 0600)',
  },
  async run({ values, positionals, stdout }) {
    if (positionals.length > 0) throw appError('cli.usage', `unexpected argument '${positionals[0]}'`);
    const iso = values.iso === undefined || values.iso === '2' ? 2 : values.iso === '20' ? 20 : undefined;
    if (iso === undefined) throw appError('cli.usage', '--iso must be 2 or 20');
    const result = await runDemo({ iso, keep: values.keep === true, out: stdout });
    return result.ok ? 0 : 1;
  },
});
