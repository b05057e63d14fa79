// `pnc ev …` (vehicle simulator) and `pnc secc …` (charger simulator): thin wrappers around
// src/v2g (docs/v2g-link.md).
//
//   pnc ev provision --dir DIR --key FILE --chain FILE --roots FILE [--evccid HEX]
//                    [--tls-key FILE --tls-chain FILE]
//   pnc ev contracts list --dir DIR [--iso 2|20] [--json]
//   pnc ev contracts use --dir DIR [--iso 2|20] EMAID
//   pnc ev charge --dir DIR --secc HOST:PORT [--iso 2|20] [--install auto|always|never] [--emaid E]
//                 [--energy dc|ac] [--max-contracts N] [--keylog FILE]
//   pnc secc listen --key FILE --chain FILE --contract-roots FILE --evseid ID [--host H] [--port N]
//                   [--iso 2|20|both] [--vehicle-roots FILE] [--key-20 FILE --chain-20 FILE] [--port-20 N]
//                   [--ccp-url URL] [--ocsp-url URL | --revocation off] [--keylog FILE] [--once]
//   pnc secc enroll --url BASE_URL --evseid ID --out DIR [--iso 2|20]
//
// Secrets never go on the command line: the CPO token (CCP, EST) comes from PNC_CPO_TOKEN.

import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import { toPem } from '../pki/path/index.ts';
import { ContractStore } from '../v2g/ev/contract-store.ts';
import { Evcc, type EvEvent, runPlugAndCharge } from '../v2g/ev/evcc.ts';
import { Evcc20, runPlugAndCharge20 } from '../v2g/ev/evcc-20.ts';
import { loadIdentity, readPrivateKey, saveIdentity, type VehicleIdentity } from '../v2g/ev/identity.ts';
import { type AppProtocol, ISO2_PROTOCOL, ISO20_AC_PROTOCOL, ISO20_DC_PROTOCOL } from '../v2g/messages.ts';
import { CcpHttpBackend } from '../v2g/secc/ccp-backend.ts';
import { enrollSecc } from '../v2g/secc/est-enroll.ts';
import { OcspStatusChecker } from '../v2g/secc/ocsp-status.ts';
import type { ContractStatusChecker } from '../v2g/secc/ports.ts';
import { type SeccSessionResult, startSeccListener } from '../v2g/secc/server.ts';
import { connectEvcc, type SeccServer, type TlsProfile } from '../v2g/transport.ts';
import { readCertificateFile } from './certificate-files.ts';
import { type CliWriter, defineCommand } from './registry.ts';

function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw appError('cli.usage', `--${name} is required`);
  return value;
}

function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 1 || port > 65535) throw appError('cli.usage', `--secc must be HOST:PORT, got '${text}'`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

type IsoChoice = 2 | 20;

function parseIso(text: string | undefined): IsoChoice {
  if (text === undefined || text === '2') return 2;
  if (text === '20') return 20;
  throw appError('cli.usage', `--iso is 2 or 20, got '${text}'`);
}

/** The vehicle's contract store of an edition: -2 in DIR, -20 in DIR/iso-20 (D-167). */
function contractStoreFor(dir: string, iso: IsoChoice): ContractStore {
  return new ContractStore(iso === 20 ? join(dir, 'iso-20') : dir);
}

function cnOf(der: Uint8Array): string {
  return /^CN=(.*)$/m.exec(new X509Certificate(der).subject)?.[1] ?? '';
}

const printEvent = (out: CliWriter) => (e: { request: string; responseCode: string; reason?: string }) =>
  out.write(`${e.request.padEnd(28)} ${e.responseCode}${e.reason ? `  (${e.reason})` : ''}\n`);

export const evProvisionCommand = defineCommand({
  path: ['ev', 'provision'],
  summary: 'Store a vehicle identity: OEM provisioning key and chain, V2G roots (vehicle simulator)',
  usage: [
    'Usage: pnc ev provision --dir DIR --key FILE --chain FILE --roots FILE [--roots FILE]... [--evccid HEX]',
    '                        [--tls-key FILE --tls-chain FILE]',
    '',
    'Copies the OEM provisioning key (PEM, PKCS#8 or SEC1) and its certificate chain (leaf first; the',
    "leaf's CN is the PCID) and the V2G roots into DIR. The key files in DIR are mode 0600. ISO 15118-20:",
    'a P-521 or Ed448 provisioning key; --tls-key / --tls-chain give the vehicle certificate presented',
    'as TLS 1.3 client certificate (without them the provisioning certificate is presented).',
  ].join('\n'),
  options: {
    dir: { type: 'string' },
    key: { type: 'string' },
    chain: { type: 'string' },
    roots: { type: 'string', multiple: true },
    evccid: { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-chain': { type: 'string' },
  },
  optionHelp: {
    dir: 'vehicle directory (created)',
    key: 'OEM provisioning private key file',
    chain: 'OEM provisioning certificate, then its sub-CAs (PEM or DER)',
    roots: 'V2G root certificates the vehicle trusts',
    evccid: 'EVCCID, 12 hex digits (the EVCC MAC address); default 0200000000 + 2 random digits',
    'tls-key': 'ISO 15118-20: vehicle certificate private key (P-521 or Ed448)',
    'tls-chain': 'ISO 15118-20: vehicle certificate, then its sub-CAs',
  },
  async run({ values, stdout }) {
    const dir = requireOption(values.dir, 'dir');
    const chain = [...(await readCertificateFile(requireOption(values.chain, 'chain')))];
    const roots: Uint8Array[] = [];
    for (const f of values.roots ?? []) roots.push(...(await readCertificateFile(f)));
    if (roots.length === 0) throw appError('cli.usage', '--roots is required');
    const evccid = values.evccid ?? `0200000000${Buffer.from(cryptoRandom(1)).toString('hex')}`;
    if (!/^[0-9a-fA-F]{12}$/.test(evccid)) throw appError('cli.usage', '--evccid must be 12 hex digits');
    if ((values['tls-key'] === undefined) !== (values['tls-chain'] === undefined))
      throw appError('cli.usage', '--tls-key and --tls-chain go together');
    const identity: VehicleIdentity = {
      pcid: cnOf(chain[0]!),
      evccId: new Uint8Array(Buffer.from(evccid, 'hex')),
      provisioningKey: readPrivateKey(requireOption(values.key, 'key'), 'the provisioning key'),
      provisioningChain: chain,
      v2gRoots: roots,
      ...(values['tls-key'] && values['tls-chain']
        ? {
            tls: {
              key: readPrivateKey(values['tls-key'], 'the vehicle TLS key'),
              chain: [...(await readCertificateFile(values['tls-chain']))],
            },
          }
        : {}),
    };
    saveIdentity(dir, identity);
    stdout.write(
      `vehicle ${identity.pcid} (EVCCID ${evccid.toUpperCase()}) stored in ${dir}; ${roots.length} V2G root(s)\n`,
    );
    return 0;
  },
});

export const evContractsListCommand = defineCommand({
  path: ['ev', 'contracts', 'list'],
  summary: "List the vehicle's installed contracts; * marks the active one",
  usage: 'Usage: pnc ev contracts list --dir DIR [--iso 2|20] [--json]',
  options: { dir: { type: 'string' }, iso: { type: 'string' }, json: { type: 'boolean' } },
  optionHelp: { dir: 'vehicle directory', iso: 'ISO 15118 edition (2 default, or 20)', json: 'print JSON' },
  async run({ values, stdout }) {
    const contracts = contractStoreFor(requireOption(values.dir, 'dir'), parseIso(values.iso)).list();
    if (values.json) {
      stdout.write(`${JSON.stringify(contracts, null, 2)}\n`);
      return 0;
    }
    if (contracts.length === 0) {
      stdout.write(
        'no contracts; `pnc ev charge` installs one at a charger that offers the Certificate service\n',
      );
      return 0;
    }
    for (const c of contracts)
      stdout.write(
        `${c.active ? '*' : ' '} ${c.emaid.padEnd(16)} valid until ${c.notAfter.toISOString()}  installed ${c.installedAt.toISOString()}\n`,
      );
    return 0;
  },
});

export const evContractsUseCommand = defineCommand({
  path: ['ev', 'contracts', 'use'],
  summary: 'Make an installed contract the active one',
  usage: 'Usage: pnc ev contracts use --dir DIR [--iso 2|20] EMAID',
  options: { dir: { type: 'string' }, iso: { type: 'string' } },
  optionHelp: { dir: 'vehicle directory', iso: 'ISO 15118 edition (2 default, or 20)' },
  async run({ values, positionals, stdout }) {
    if (positionals.length !== 1) throw appError('cli.usage', 'give exactly one EMAID');
    contractStoreFor(requireOption(values.dir, 'dir'), parseIso(values.iso)).use(positionals[0]!);
    stdout.write(`active contract: ${positionals[0]}\n`);
    return 0;
  },
});

export const evChargeCommand = defineCommand({
  path: ['ev', 'charge'],
  summary: 'Plug in: ISO 15118-2 or -20 Plug & Charge session with a charger over TLS (vehicle simulator)',
  usage: [
    'Usage: pnc ev charge --dir DIR --secc HOST:PORT [--iso 2|20] [--install auto|always|never] [--emaid EMAID]',
    '                     [--energy dc|ac] [--max-contracts N] [--keylog FILE] [--timeout-ms N]',
    '',
    'ISO 15118-2 (default, TLS 1.2): SupportedAppProtocol, SessionSetup, ServiceDiscovery,',
    'PaymentServiceSelection, CertificateInstallation (auto: when no contract is installed),',
    'PaymentDetails, Authorization, SessionStop.',
    'ISO 15118-20 (--iso 20, TLS 1.3 with the vehicle certificate): SupportedAppProtocol (-20 DC and AC,',
    '--energy first), SessionSetup, AuthorizationSetup, CertificateInstallation loop (up to',
    '--max-contracts), Authorization (PnC), SessionStop. -20 contracts are kept apart (contracts --iso 20).',
    "The charger's certificate chain must lead to one of the vehicle's V2G roots. --keylog appends the",
    'TLS secrets (NSS key log format) so that a capture can be decrypted in Wireshark.',
  ].join('\n'),
  options: {
    dir: { type: 'string' },
    secc: { type: 'string' },
    iso: { type: 'string' },
    install: { type: 'string' },
    emaid: { type: 'string' },
    energy: { type: 'string' },
    'max-contracts': { type: 'string' },
    keylog: { type: 'string' },
    'timeout-ms': { type: 'string' },
  },
  optionHelp: {
    dir: 'vehicle directory (pnc ev provision)',
    secc: 'charger address, e.g. 127.0.0.1:15118',
    iso: 'ISO 15118 edition: 2 (default) or 20',
    install: 'auto (default), always or never',
    emaid: 'authorize with this contract instead of the active one',
    energy: '-20: dc (default) or ac gets priority 1 in SupportedAppProtocol',
    'max-contracts': '-20: MaximumContractCertificateChains (1..255, default 1)',
    keylog: 'append TLS key log lines to FILE',
    'timeout-ms': 'response timeout per message (default 2 s / 5 s for installation)',
  },
  async run({ values, stdout }) {
    const dir = requireOption(values.dir, 'dir');
    const { host, port } = parseHostPort(requireOption(values.secc, 'secc'));
    const iso = parseIso(values.iso);
    const install = values.install ?? 'auto';
    if (install !== 'auto' && install !== 'always' && install !== 'never')
      throw appError('cli.usage', '--install is auto, always or never');
    const energy = values.energy ?? 'dc';
    if (energy !== 'dc' && energy !== 'ac') throw appError('cli.usage', '--energy is dc or ac');
    const maxContracts = values['max-contracts'] === undefined ? 1 : Number(values['max-contracts']);
    if (!(Number.isInteger(maxContracts) && maxContracts >= 1 && maxContracts <= 255))
      throw appError('cli.usage', '--max-contracts must be an integer from 1 to 255');
    if (iso === 2 && (values.energy !== undefined || values['max-contracts'] !== undefined))
      throw appError('cli.usage', '--energy and --max-contracts are ISO 15118-20 options (--iso 20)');
    const timeout = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0 && timeout <= 600_000))
      throw appError('cli.usage', '--timeout-ms must be an integer from 1 to 600000');
    const identity = loadIdentity(dir);
    const contracts = contractStoreFor(dir, iso);
    const link = await connectEvcc({
      profile: iso === 20 ? 'iso-20' : 'iso-2',
      host,
      port,
      roots: identity.v2gRoots,
      at: systemClock.now(),
      // -20 mutual TLS: the vehicle certificate, else the provisioning certificate (D-165).
      ...(iso === 20
        ? { identity: identity.tls ?? { key: identity.provisioningKey, chain: identity.provisioningChain } }
        : {}),
      ...(values.keylog ? { keyLogPath: values.keylog } : {}),
    });
    stdout.write(`TLS ${link.protocol} ${link.cipher}; SECC ${cnOf(link.seccChain[0]!)}\n`);
    const common = {
      identity,
      contracts,
      clock: systemClock,
      ...(timeout ? { timeouts: { messageMs: timeout, installationMs: timeout } } : {}),
      onEvent: printEvent(stdout) as (e: EvEvent) => void,
    };
    try {
      if (iso === 20) {
        const result = await runPlugAndCharge20(new Evcc20(link.connection, common), contracts, {
          install,
          prefer: energy,
          maximumChains: maxContracts,
          ...(values.emaid ? { emaid: values.emaid } : {}),
        });
        for (const c of result.installed)
          stdout.write(`installed contract ${c.emaid}${c.active ? ' (active)' : ''}\n`);
        stdout.write(
          `authorized with ${result.emaid} at ${result.evseId} (${result.protocol}, session ${result.sessionId})\n`,
        );
        return 0;
      }
      const result = await runPlugAndCharge(new Evcc(link.connection, common), contracts, {
        install,
        ...(values.emaid ? { emaid: values.emaid } : {}),
      });
      if (result.installed) stdout.write(`installed contract ${result.installed.emaid} (active)\n`);
      stdout.write(`authorized with ${result.emaid} at ${result.evseId} (session ${result.sessionId})\n`);
      return 0;
    } finally {
      link.connection.close();
    }
  },
});

/** Protocols a listener accepts in SupportedAppProtocol (D-161). */
const LISTENER_PROTOCOLS: Readonly<Record<'2' | '20' | 'both-20', readonly AppProtocol[]>> = {
  '2': [ISO2_PROTOCOL],
  '20': [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL],
  // The TLS 1.3 listener of --iso both: -20 preferred, -2 for an EV that offers only -2 over TLS 1.3.
  'both-20': [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL, ISO2_PROTOCOL],
};

function parsePort(text: string | undefined, name: string, fallback: number): number {
  const port = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw appError('cli.usage', `--${name} must be 0..65535`);
  return port;
}

export const seccListenCommand = defineCommand({
  path: ['secc', 'listen'],
  summary:
    'Charger simulator: ISO 15118-2 (TLS 1.2) and/or -20 (TLS 1.3, mutual) SECC, installation via the CCP, OCSP',
  usage: [
    'Usage: pnc secc listen --key FILE --chain FILE --contract-roots FILE --evseid ID [--host H] [--port N]',
    '                       [--iso 2|20|both] [--vehicle-roots FILE] [--key-20 FILE --chain-20 FILE]',
    '                       [--port-20 N] [--ccp-url URL] [--ocsp-url URL | --revocation off]',
    '                       [--keylog FILE] [--once]',
    '',
    'Serves Plug & Charge sessions up to Authorization.',
    '--iso 2 (default): ISO 15118-2, TLS 1.2 with ECDHE-ECDSA-AES128-SHA256 only; --key is P-256.',
    '--iso 20: ISO 15118-20 (SupportedAppProtocol -20 DC / AC), TLS 1.3 with mutual authentication:',
    '  --key is P-521 or Ed448, the vehicle certificate must chain to --vehicle-roots.',
    '--iso both: the -2 listener on --port (--key / --chain) and a -20 listener on --port-20 (default',
    '  --port + 1; --key-20 / --chain-20) that accepts -20 DC, -20 AC and -2, the EV priority deciding.',
    '--chain is the SECC leaf and the CPO sub-CAs. With --ccp-url the Certificate service is offered and',
    'CertificateInstallationReq goes to that CCP install route as an OCPP CSMS forwards',
    'Get15118EVCertificate (-20 with iso15118SchemaVersion urn:iso:std:iso:15118:-20:CommonMessages;',
    'token from PNC_CPO_TOKEN). Contract chains are checked against --contract-roots and by OCSP (the AIA',
    'responder or --ocsp-url); --revocation off skips OCSP (test PKIs without a responder). Stops on',
    'SIGINT/SIGTERM, or after one session with --once.',
  ].join('\n'),
  options: {
    key: { type: 'string' },
    chain: { type: 'string' },
    'contract-roots': { type: 'string', multiple: true },
    evseid: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    iso: { type: 'string' },
    'vehicle-roots': { type: 'string', multiple: true },
    'key-20': { type: 'string' },
    'chain-20': { type: 'string' },
    'port-20': { type: 'string' },
    'ccp-url': { type: 'string' },
    'ocsp-url': { type: 'string' },
    revocation: { type: 'string' },
    keylog: { type: 'string' },
    once: { type: 'boolean' },
  },
  optionHelp: {
    key: 'SECC private key (P-256 for -2; P-521 or Ed448 for --iso 20)',
    chain: 'SECC certificate, then the CPO sub-CAs',
    'contract-roots': 'roots for contract chains (V2G / MO roots)',
    evseid: 'EVSEID sent in SessionSetupRes',
    host: 'listen address (default 127.0.0.1)',
    port: 'TCP port (default 15118; 0 = any free port)',
    iso: '2 (default), 20 or both',
    'vehicle-roots': '-20: roots the vehicle (TLS client) certificate must chain to',
    'key-20': '--iso both: the -20 SECC key (P-521 or Ed448)',
    'chain-20': '--iso both: the -20 SECC certificate and CPO sub-CAs',
    'port-20': '--iso both: TCP port of the -20 listener (default --port + 1; 0 = any)',
    'ccp-url': 'CCP install route, e.g. http://127.0.0.1:8080/v1/ccp/signedContractData',
    'ocsp-url': 'OCSP responder for every contract chain element (default: from the AIA)',
    revocation: 'ocsp (default) or off',
    keylog: 'append TLS key log lines to FILE',
    once: 'exit after the first session',
  },
  async run({ values, stdout, stderr, env }) {
    const mode = values.iso ?? '2';
    if (mode !== '2' && mode !== '20' && mode !== 'both')
      throw appError('cli.usage', '--iso is 2, 20 or both');
    const chain = [...(await readCertificateFile(requireOption(values.chain, 'chain')))];
    const roots: Uint8Array[] = [];
    for (const f of values['contract-roots'] ?? []) roots.push(...(await readCertificateFile(f)));
    if (roots.length === 0) throw appError('cli.usage', '--contract-roots is required');
    const vehicleRoots: Uint8Array[] = [];
    for (const f of values['vehicle-roots'] ?? []) vehicleRoots.push(...(await readCertificateFile(f)));
    if (mode !== '2' && vehicleRoots.length === 0)
      throw appError('cli.usage', '--vehicle-roots is required for ISO 15118-20 (mutual TLS)');
    const port = parsePort(values.port, 'port', 15118);
    if (mode === 'both' && (values['key-20'] === undefined || values['chain-20'] === undefined))
      throw appError('cli.usage', '--iso both needs --key-20 and --chain-20 (the -20 SECC certificate)');
    const revocation = values.revocation ?? 'ocsp';
    if (revocation !== 'ocsp' && revocation !== 'off')
      throw appError('cli.usage', '--revocation is ocsp or off');
    let statusChecker: ContractStatusChecker;
    if (revocation === 'off') {
      // For test PKIs without a responder (D-129): explicit, and announced on every start.
      stderr.write('warning: --revocation off: contract chains are NOT checked for revocation\n');
      statusChecker = { status: async () => 'good' };
    } else {
      statusChecker = new OcspStatusChecker({
        clock: systemClock,
        ...(values['ocsp-url'] ? { url: values['ocsp-url'] } : {}),
      });
    }
    let installation: CcpHttpBackend | undefined;
    if (values['ccp-url']) {
      const token = env.PNC_CPO_TOKEN;
      if (!token) throw appError('cli.usage', '--ccp-url needs a CPO access token in PNC_CPO_TOKEN');
      installation = new CcpHttpBackend({ url: values['ccp-url'], token });
    }
    const out = printEvent(stdout);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const onSessionEnd = (r: SeccSessionResult) => {
      stdout.write(
        `session ended (${r.end})${r.session.authorizedEmaid ? `, authorized ${r.session.authorizedEmaid}` : ''}\n`,
      );
      if (values.once) finish();
    };
    const host = values.host ?? '127.0.0.1';
    const evseId = requireOption(values.evseid, 'evseid');
    const listen = async (
      profile: TlsProfile,
      identity: { key: string; chain: Uint8Array[] },
      listenPort: number,
      protocols: readonly AppProtocol[],
    ): Promise<SeccServer> =>
      startSeccListener({
        tls: {
          profile,
          identity: { key: readPrivateKey(identity.key, 'the SECC key'), chain: identity.chain },
          host,
          port: listenPort,
          ...(profile === 'iso-20' ? { clientRoots: vehicleRoots } : {}),
          ...(values.keylog ? { keyLogPath: values.keylog } : {}),
          onTlsError: (e) => stderr.write(`TLS handshake refused: ${e.message}\n`),
        },
        session: {
          clock: systemClock,
          random: cryptoRandom,
          evseId,
          contractRoots: roots,
          statusChecker,
          protocols,
          ...(installation ? { installation } : {}),
          onEvent: out,
        },
        onSessionEnd,
      });
    const key = requireOption(values.key, 'key');
    const servers: SeccServer[] = [];
    try {
      if (mode === '2' || mode === 'both') {
        const s = await listen('iso-2', { key, chain }, port, LISTENER_PROTOCOLS['2']);
        servers.push(s);
        stdout.write(`SECC listening on ${s.host}:${s.port} (ISO 15118-2, TLS 1.2)\n`);
      }
      if (mode === '20') {
        const s = await listen('iso-20', { key, chain }, port, LISTENER_PROTOCOLS['20']);
        servers.push(s);
        stdout.write(`SECC listening on ${s.host}:${s.port} (ISO 15118-20, TLS 1.3 mutual)\n`);
      }
      if (mode === 'both') {
        const chain20 = [...(await readCertificateFile(values['chain-20']!))];
        const port20 = parsePort(values['port-20'], 'port-20', port === 0 ? 0 : port + 1);
        const s = await listen(
          'iso-20',
          { key: values['key-20']!, chain: chain20 },
          port20,
          LISTENER_PROTOCOLS['both-20'],
        );
        servers.push(s);
        stdout.write(`SECC listening on ${s.host}:${s.port} (ISO 15118-20 and -2, TLS 1.3 mutual)\n`);
      }
      const onSignal = () => finish();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await done;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    } finally {
      for (const s of servers) await s.close();
    }
    return 0;
  },
});

export const seccEnrollCommand = defineCommand({
  path: ['secc', 'enroll'],
  summary: 'Charger simulator: get a SECC key and certificate by EST from the CPO CA',
  usage: [
    'Usage: pnc secc enroll --url BASE_URL --evseid ID --out DIR [--iso 2|20] [--organization O] [--country C]',
    '',
    'Generates the SECC key (P-256 for -2, P-521 for -20), sends a PKCS#10 request with CN = ID to',
    'BASE_URL/.well-known/est/cpo/simpleenroll/ISO15118-<iso> with the CPO token from PNC_CPO_TOKEN,',
    'fetches cacerts and writes DIR/secc-key.pem (0600), DIR/secc-chain.pem (leaf + sub-CAs) and',
    'DIR/v2g-root.pem, ready for `pnc secc listen --key … --chain …`.',
  ].join('\n'),
  options: {
    url: { type: 'string' },
    evseid: { type: 'string' },
    out: { type: 'string' },
    iso: { type: 'string' },
    organization: { type: 'string' },
    country: { type: 'string' },
  },
  optionHelp: {
    url: 'platform base URL, e.g. http://127.0.0.1:8080',
    evseid: 'EVSEID (-2) or SECCID (-20) for the certificate CN',
    out: 'output directory',
    iso: '2 (default) or 20',
    organization: 'subject O',
    country: 'subject C',
  },
  async run({ values, stdout, env }) {
    const iso = values.iso === undefined ? 2 : Number(values.iso);
    if (iso !== 2 && iso !== 20) throw appError('cli.usage', '--iso is 2 or 20');
    const token = env.PNC_CPO_TOKEN;
    if (!token) throw appError('cli.usage', 'set PNC_CPO_TOKEN to a CPO access token');
    const out = requireOption(values.out, 'out');
    const enrolled = await enrollSecc({
      baseUrl: requireOption(values.url, 'url'),
      token,
      iso,
      commonName: requireOption(values.evseid, 'evseid'),
      ...(values.organization ? { organization: values.organization } : {}),
      ...(values.country ? { country: values.country } : {}),
    });
    mkdirSync(out, { recursive: true, mode: 0o700 });
    const keyPath = join(out, 'secc-key.pem');
    writeFileSync(keyPath, enrolled.key.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    writeFileSync(join(out, 'secc-chain.pem'), enrolled.chain.map((c) => toPem(c)).join(''));
    if (enrolled.root) writeFileSync(join(out, 'v2g-root.pem'), toPem(enrolled.root));
    stdout.write(
      `SECC certificate ${cnOf(enrolled.chain[0]!)} (${enrolled.chain.length} certificates) written to ${out}\n`,
    );
    return 0;
  },
});

export const v2gCommands = [
  evProvisionCommand,
  evContractsListCommand,
  evContractsUseCommand,
  evChargeCommand,
  seccListenCommand,
  seccEnrollCommand,
];
