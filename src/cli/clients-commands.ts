// `pnc clients add|list|revoke`: the API clients of the token endpoint (docs/auth.md). The commands
// open the data directory's database directly, exactly as the server does (configuration, then
// openMigratedDatabase), so they work without a running server, and next to one: SQLite in WAL mode
// lets a second process read, and write after the server's short transactions (docs/storage.md); with
// DATABASE_URL they work on PostgreSQL. A revocation takes effect on the server's next request.

import { cryptoRandom, systemClock } from '../app/runtime.ts';
import {
  type ClientSummary,
  listRegisteredClients,
  registerClient,
  revokeRegisteredClient,
} from '../auth/clients.ts';
import { ROLES } from '../auth/principal.ts';
import { appError } from '../errors/catalogue.ts';
import { formatTable, noPositionals, withDatabase } from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS } from './config-options.ts';
import { defineCommand } from './registry.ts';

function scopeText(client: ClientSummary): string {
  const { wmis, providerIds, operatorIds } = client.scope;
  const all = [...wmis, ...providerIds, ...operatorIds];
  return all.length === 0 ? '(all tenants)' : all.join(',');
}

function summaryJson(client: ClientSummary) {
  return {
    clientId: client.clientId,
    name: client.name ?? null,
    role: client.role,
    scope: {
      wmis: client.scope.wmis,
      providerIds: client.scope.providerIds,
      operatorIds: client.scope.operatorIds,
    },
    status: client.status,
    createdAt: client.createdAt.toISOString(),
    expiresAt: client.expiresAt?.toISOString() ?? null,
    revokedAt: client.revokedAt?.toISOString() ?? null,
  };
}

const clientsAddCommand = defineCommand({
  path: ['clients', 'add'],
  summary: 'Register an API client and print its client id and secret',
  usage: [
    'Usage: pnc clients add --role ROLE --scope LIST [--name TEXT] [--expires-at DATE] [--json]',
    '                       [--data-dir DIR] [--config FILE]',
    '',
    `ROLE is one of ${ROLES.join(', ')}. LIST is comma-separated and depends on the role:`,
    '  OEM    WMIs (ISO 3779, 3 characters)                     --scope WP0,WBA',
    '  MO     provider IDs (country + 3 characters)             --scope DE-ABC,DEXYZ',
    '  CPS    provider IDs of the eMSPs it provisions for       --scope DE-ABC',
    '  CPO    EVSE operator IDs (country + 3 characters)        --scope DE*ABC',
    '  ADMIN  none (access to every tenant)',
    '',
    'Prints the client id and secret (with --json: {"clientId","clientSecret"}). The secret is shown only',
    'now: pnc stores only a scrypt hash of it. Clients get tokens at POST /oauth/token with',
    'grant_type=client_credentials, client_id and client_secret.',
  ].join('\n'),
  options: {
    role: { type: 'string' },
    scope: { type: 'string' },
    name: { type: 'string' },
    'expires-at': { type: 'string' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    role: `Role of the client: ${ROLES.join(', ')}`,
    scope: 'Comma-separated WMIs / provider IDs / operator IDs (see above)',
    name: 'Who the client is, for operators (at most 100 characters)',
    'expires-at': 'ISO 8601 date or date-time after which the client is refused',
    json: 'Print {"clientId","clientSecret"} as JSON',
    ...CONFIG_OPTION_HELP,
  },
  async run(ctx) {
    const { values, positionals, stdout } = ctx;
    noPositionals(positionals);
    if (values.role === undefined) throw appError('cli.usage', `--role is required (${ROLES.join(', ')})`);
    const registered = await withDatabase(ctx, (db) =>
      registerClient(
        db,
        { role: values.role, scope: values.scope, name: values.name, expiresAt: values['expires-at'] },
        { clock: systemClock, random: cryptoRandom },
      ),
    );
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ clientId: registered.clientId, clientSecret: registered.clientSecret })}\n`,
      );
    } else {
      const c = registered.client;
      stdout.write(
        [
          `client id:     ${registered.clientId}`,
          `client secret: ${registered.clientSecret}`,
          `role:          ${c.role}`,
          `scope:         ${scopeText(c)}`,
          ...(c.expiresAt === undefined ? [] : [`expires at:    ${c.expiresAt.toISOString()}`]),
          '',
          'Store the secret now: it cannot be shown again (pnc keeps only its hash).',
          '',
        ].join('\n'),
      );
    }
    return 0;
  },
});

const clientsListCommand = defineCommand({
  path: ['clients', 'list'],
  summary: 'List the API clients (never their secrets)',
  usage: [
    'Usage: pnc clients list [--json] [--data-dir DIR] [--config FILE]',
    '',
    'One line per client, oldest first: id, role, status (active, revoked, expired), scope, name.',
    'With --json: an array of {clientId, name, role, scope: {wmis, providerIds, operatorIds}, status,',
    'createdAt, expiresAt, revokedAt}.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: { json: 'Print a JSON array', ...CONFIG_OPTION_HELP },
  async run(ctx) {
    const { values, positionals, stdout } = ctx;
    noPositionals(positionals);
    const clients = await withDatabase(ctx, (db) => listRegisteredClients(db, systemClock));
    if (values.json === true) {
      stdout.write(`${JSON.stringify(clients.map(summaryJson), null, 2)}\n`);
      return 0;
    }
    if (clients.length === 0) {
      stdout.write('no clients; add one with: pnc clients add --role ROLE --scope LIST\n');
      return 0;
    }
    const rows = [
      ['CLIENT ID', 'ROLE', 'STATUS', 'SCOPE', 'NAME'],
      ...clients.map((c) => [c.clientId, c.role, c.status, scopeText(c), c.name ?? '']),
    ];
    stdout.write(`${formatTable(rows)}\n`);
    return 0;
  },
});

const clientsRevokeCommand = defineCommand({
  path: ['clients', 'revoke'],
  summary: 'Revoke an API client: its tokens are refused from the next request on',
  usage: [
    'Usage: pnc clients revoke CLIENT_ID [--data-dir DIR] [--config FILE]',
    '',
    'The client can no longer get tokens, and the tokens it holds are refused on their next use, also',
    'by a server that is running now. The record is kept (pnc clients list shows it as revoked).',
  ].join('\n'),
  options: { ...CONFIG_OPTIONS },
  optionHelp: { ...CONFIG_OPTION_HELP },
  async run(ctx) {
    const { positionals, stdout } = ctx;
    if (positionals.length !== 1) throw appError('cli.usage', 'give exactly one CLIENT_ID');
    const clientId = positionals[0] as string;
    const outcome = await withDatabase(ctx, (db) => revokeRegisteredClient(db, clientId, systemClock));
    stdout.write(
      outcome === 'revoked' ? `revoked client ${clientId}\n` : `client ${clientId} was already revoked\n`,
    );
    return 0;
  },
});

export const clientsCommands = [clientsAddCommand, clientsListCommand, clientsRevokeCommand];
