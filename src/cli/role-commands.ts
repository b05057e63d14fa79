// The role CLIs against a running server, with API client credentials (./client-options.ts):
//
//   pnc oem publish CHAIN_FILE | --bulk FILE.jsonl   PUT /v1/oem/provCerts (OPCP PCP addOEMProvCert)
//   pnc oem delete PCID                              DELETE /v1/oem/provCerts/{pcid}
//   pnc mo contract create --emaid E --pcid P        PUT /v1/cps/generate/signedContractData (generate-and-sign)
//   pnc mo contract list --emaid E                   GET /v1/ccp/lookupContract/{emaid}
//   pnc mo contract delete --emaid E                 DELETE /v1/ccp/signedContractData/{emaid}
//   pnc oem contract default --pcid P --emaid E      POST /v1/ccp/signedContractData/{pcid}/{emaid}/default
//                                                    (OEM or ADMIN credentials: D-071 / D-073, D-150)
//   pnc cpo install FILE                             POST /v1/ccp/signedContractData (as a CSMS forwards
//                                                    OCPP Get15118EVCertificate)
//
// They speak the OPCP shapes, which is what existing clients use (spec-gaps.md summary), so the same
// commands work against any OPCP pool.

import { readFile } from 'node:fs/promises';
import { systemClock } from '../app/runtime.ts';
import type { ApiClient } from '../client/api-client.ts';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { splitCertificates } from '../pki/path/index.ts';
import { msgDefNamespaceFor } from '../pool-inputs/index.ts';
import { apiClientFromOptions, CLIENT_OPTION_HELP, CLIENT_OPTIONS } from './client-options.ts';
import { Progress } from './progress.ts';
import { defineCommand } from './registry.ts';

const MAX_BULK_FILE_BYTES = 256 * 1024 * 1024;
const MAX_CHAIN_FILE_BYTES = 64 * 1024;
const DEFAULT_CONCURRENCY = 8;

function isoOption(value: string | undefined): 2 | 20 {
  if (value === undefined || value === '2') return 2;
  if (value === '20') return 20;
  throw appError('cli.usage', '--iso must be 2 or 20');
}

function b64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

async function readBounded(file: string, max: number): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    throw appError('cli.input', `cannot read ${file}: ${(error as Error).message}`);
  }
  if (data.length > max) throw appError('cli.input', `${file} is larger than ${max} bytes`);
  return data;
}

/** The OPCP ProvisioningCertificate body of a chain file: leaf first, then Sub-CA 2 and Sub-CA 1. */
export async function provisioningBodyFromChainFile(
  file: string,
  iso: 2 | 20,
): Promise<Record<string, string>> {
  const split = splitCertificates(await readBounded(file, MAX_CHAIN_FILE_BYTES));
  if (!split.ok) throw appError('cli.input', `${file}: ${split.reason}`);
  if (split.certificates.length === 0) throw appError('cli.input', `${file} holds no certificate`);
  return provisioningBody(split.certificates, iso);
}

/** The OPCP ProvisioningCertificate body of a chain (leaf, Sub-CA 2, Sub-CA 1; a root is left out). */
export function provisioningBody(chain: readonly Uint8Array[], iso: 2 | 20): Record<string, string> {
  const [leaf, sub2, sub1] = chain;
  if (leaf === undefined) throw appError('cli.input', 'the chain holds no certificate');
  return {
    vehicleCertificate: b64(leaf),
    ...(sub2 === undefined ? {} : { subCA2Certificate: b64(sub2) }),
    ...(sub1 === undefined ? {} : { subCA1Certificate: b64(sub1) }),
    xsdMsgDefNamespace: msgDefNamespaceFor(iso, 'opcp'),
  };
}

interface PublishOutcome {
  readonly line: number;
  readonly ok: boolean;
  readonly error?: string;
}

/** Runs `work` over items with at most `concurrency` in flight, in input order of start. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

async function publishOne(client: ApiClient, body: unknown, line: number): Promise<PublishOutcome> {
  try {
    await client.request({ method: 'PUT', path: '/v1/oem/provCerts', body });
    return { line, ok: true };
  } catch (error) {
    if (isAppError(error) && error.code === 'client.http') return { line, ok: false, error: error.message };
    throw error; // unreachable server, bad credentials: stop the whole run
  }
}

export const oemPublishCommand = defineCommand({
  path: ['oem', 'publish'],
  summary:
    'Publish provisioning certificates to the PCP (one chain file, or thousands from a JSON Lines file)',
  usage: [
    'Usage: pnc oem publish CHAIN_FILE [--iso 2|20] [--url URL] [--credentials FILE] [--json]',
    '       pnc oem publish --bulk FILE.jsonl [--concurrency N] [--url URL] [--credentials FILE] [--json]',
    '',
    'CHAIN_FILE (PEM or DER): the vehicle (provisioning) certificate first, then its OEM Sub-CA 2 and',
    'Sub-CA 1. FILE.jsonl: one OPCP ProvisioningCertificate object per line (vehicleCertificate,',
    'subCA2Certificate, subCA1Certificate, xsdMsgDefNamespace). Progress goes to stderr; the summary',
    'to stdout. Exits 1 when any vehicle was refused (the first reasons are listed).',
  ].join('\n'),
  options: {
    iso: { type: 'string' },
    bulk: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
    ...CLIENT_OPTIONS,
  },
  optionHelp: {
    iso: 'ISO 15118 edition of CHAIN_FILE: 2 (default) or 20',
    bulk: 'JSON Lines file of ProvisioningCertificate bodies',
    concurrency: `requests in flight (default ${DEFAULT_CONCURRENCY}, at most 64)`,
    json: 'print {published, failed, seconds, failures} as JSON',
    ...CLIENT_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw appError('cli.usage', '--concurrency must be a whole number from 1 to 64');
    }
    let bodies: { line: number; body: unknown }[];
    if (values.bulk !== undefined) {
      if (positionals.length > 0) throw appError('cli.usage', 'give either CHAIN_FILE or --bulk, not both');
      const text = (await readBounded(values.bulk, MAX_BULK_FILE_BYTES)).toString('utf8');
      bodies = [];
      text.split('\n').forEach((raw, index) => {
        if (raw.trim() === '') return;
        try {
          bodies.push({ line: index + 1, body: JSON.parse(raw) });
        } catch {
          throw appError('cli.input', `${values.bulk}:${index + 1}: not JSON`);
        }
      });
    } else {
      if (positionals.length !== 1) throw appError('cli.usage', 'give one CHAIN_FILE (or --bulk FILE)');
      bodies = [
        {
          line: 1,
          body: await provisioningBodyFromChainFile(positionals[0] as string, isoOption(values.iso)),
        },
      ];
    }
    const client = await apiClientFromOptions({ values, env });
    const clock = systemClock;
    const started = clock.now().getTime();
    const progress = new Progress({
      total: bodies.length,
      label: 'publish',
      stream: stderr,
      interactive: process.stderr.isTTY === true && values.json !== true,
      clock,
    });
    const outcomes = await pool(bodies, concurrency, async ({ body, line }) => {
      const outcome = await publishOne(client, body, line);
      if (bodies.length > 1) progress.tick(outcome.ok);
      return outcome;
    });
    const seconds = (clock.now().getTime() - started) / 1000;
    const failures = outcomes.filter((o) => !o.ok);
    const published = outcomes.length - failures.length;
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ published, failed: failures.length, seconds, failures: failures.map((f) => ({ line: f.line, error: f.error })) })}\n`,
      );
    } else {
      const rate = seconds > 0 ? ` (${Math.round(published / seconds)}/s)` : '';
      stdout.write(
        `published ${published} of ${outcomes.length} vehicle${outcomes.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${rate}` +
          `${failures.length > 0 ? `; ${failures.length} refused` : ''}\n`,
      );
      for (const f of failures.slice(0, 10)) stdout.write(`  line ${f.line}: ${f.error}\n`);
      if (failures.length > 10) stdout.write(`  … and ${failures.length - 10} more\n`);
    }
    return failures.length === 0 ? 0 : 1;
  },
});

export const oemDeleteCommand = defineCommand({
  path: ['oem', 'delete'],
  summary: "Delete a vehicle's provisioning certificate from the PCP",
  usage: 'Usage: pnc oem delete PCID [--url URL] [--credentials FILE]',
  options: { ...CLIENT_OPTIONS },
  optionHelp: { ...CLIENT_OPTION_HELP },
  async run({ values, positionals, env, stdout }) {
    if (positionals.length !== 1) throw appError('cli.usage', 'give one PCID');
    const pcid = positionals[0] as string;
    const client = await apiClientFromOptions({ values, env });
    await client.request({ method: 'DELETE', path: `/v1/oem/provCerts/${encodeURIComponent(pcid)}` });
    stdout.write(`deleted ${pcid}\n`);
    return 0;
  },
});

function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw appError('cli.usage', `--${option} is required`);
  return value;
}

export const moContractCreateCommand = defineCommand({
  path: ['mo', 'contract', 'create'],
  summary: 'Generate and sign a contract for a vehicle (CPS generate-and-sign; stored in the CCP)',
  usage: [
    'Usage: pnc mo contract create --emaid EMAID --pcid PCID [--iso 2|20] [--days N] [--fingerprint SHA256]',
    '                              [--url URL] [--credentials FILE] [--json]',
    '',
    'For MOs without their own PKI: the CPS generates the contract key, encrypts it to the vehicle, issues',
    'the contract certificate with the EMAID and signs; the contract is stored for the vehicle (PCID).',
  ].join('\n'),
  options: {
    emaid: { type: 'string' },
    pcid: { type: 'string' },
    iso: { type: 'string' },
    days: { type: 'string' },
    fingerprint: { type: 'string' },
    json: { type: 'boolean' },
    ...CLIENT_OPTIONS,
  },
  optionHelp: {
    emaid: 'contract id (EMAID, with check digit)',
    pcid: 'the vehicle (PCID)',
    iso: 'ISO 15118 edition: 2 (default) or 20',
    days: 'contract validity in days (default 730)',
    fingerprint: 'SHA-256 of the V2G root whose CPS signs (default: the server chooses)',
    json: 'print the server response as JSON',
    ...CLIENT_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout }) {
    if (positionals.length > 0) throw appError('cli.usage', `unexpected argument '${positionals[0]}'`);
    const emaid = required(values.emaid, 'emaid');
    const pcid = required(values.pcid, 'pcid');
    const iso = isoOption(values.iso);
    const days = values.days === undefined ? 730 : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 36_500)
      throw appError('cli.usage', '--days must be 1 to 36500');
    const client = await apiClientFromOptions({ values, env });
    const begins = systemClock.now();
    const ends = new Date(begins.getTime() + days * 86_400_000);
    const response = await client.request({
      method: 'PUT',
      path: '/v1/cps/generate/signedContractData',
      body: {
        contractBegins: begins.toISOString(),
        contractEnds: ends.toISOString(),
        emaid,
        pcid,
        xsdMsgDefNamespace: msgDefNamespaceFor(iso, 'opcp'),
        ...(values.fingerprint === undefined ? {} : { cpsV2GRootCertificateFingerprint: values.fingerprint }),
      },
    });
    stdout.write(
      values.json === true
        ? `${JSON.stringify(response.body)}\n`
        : `contract ${emaid} created for vehicle ${pcid}\n`,
    );
    return 0;
  },
});

export const moContractListCommand = defineCommand({
  path: ['mo', 'contract', 'list'],
  summary: 'Look up the stored contracts of an EMAID in the CCP',
  usage: 'Usage: pnc mo contract list --emaid EMAID [--url URL] [--credentials FILE]',
  options: { emaid: { type: 'string' }, ...CLIENT_OPTIONS },
  optionHelp: { emaid: 'contract id (EMAID)', ...CLIENT_OPTION_HELP },
  async run({ values, env, stdout }) {
    const emaid = required(values.emaid, 'emaid');
    const client = await apiClientFromOptions({ values, env });
    const response = await client.request({
      method: 'GET',
      path: `/v1/ccp/lookupContract/${encodeURIComponent(emaid)}`,
    });
    stdout.write(`${JSON.stringify(response.body, null, 2)}\n`);
    return 0;
  },
});

export const moContractDeleteCommand = defineCommand({
  path: ['mo', 'contract', 'delete'],
  summary: 'Delete the contracts of an EMAID from the CCP',
  usage: 'Usage: pnc mo contract delete --emaid EMAID [--url URL] [--credentials FILE]',
  options: { emaid: { type: 'string' }, ...CLIENT_OPTIONS },
  optionHelp: { emaid: 'contract id (EMAID)', ...CLIENT_OPTION_HELP },
  async run({ values, env, stdout }) {
    const emaid = required(values.emaid, 'emaid');
    const client = await apiClientFromOptions({ values, env });
    await client.request({
      method: 'DELETE',
      path: `/v1/ccp/signedContractData/${encodeURIComponent(emaid)}`,
    });
    stdout.write(`deleted ${emaid}\n`);
    return 0;
  },
});

export const oemContractDefaultCommand = defineCommand({
  path: ['oem', 'contract', 'default'],
  summary: "Make a contract the vehicle's default (the one an ISO 15118-2 installation returns)",
  usage: [
    'Usage: pnc oem contract default --pcid PCID --emaid EMAID [--url URL] [--credentials FILE]',
    '',
    "An OEM action (OEM credentials of the vehicle's WMI, or ADMIN): the CCP lets no MO push its",
    "contract over a competitor's (D-071, D-073).",
  ].join('\n'),
  options: { pcid: { type: 'string' }, emaid: { type: 'string' }, ...CLIENT_OPTIONS },
  optionHelp: { pcid: 'the vehicle (PCID)', emaid: 'contract id (EMAID)', ...CLIENT_OPTION_HELP },
  async run({ values, env, stdout }) {
    const pcid = required(values.pcid, 'pcid');
    const emaid = required(values.emaid, 'emaid');
    const client = await apiClientFromOptions({ values, env });
    await client.request({
      method: 'POST',
      path: `/v1/ccp/signedContractData/${encodeURIComponent(pcid)}/${encodeURIComponent(emaid)}/default`,
    });
    stdout.write(`${emaid} is now the default contract of ${pcid}\n`);
    return 0;
  },
});

export const cpoInstallCommand = defineCommand({
  path: ['cpo', 'install'],
  summary:
    'Forward a base64 EXI CertificateInstallationReq to the CCP, as a CSMS forwards Get15118EVCertificate',
  usage: [
    'Usage: pnc cpo install FILE [--iso 2|20] [--url URL] [--credentials FILE] [--json]',
    '',
    'FILE holds the base64 EXI of the CertificateInstallationReq (what OCPP 2.0.1 carries in exiRequest).',
    'Prints the base64 EXI CertificateInstallationRes (or, with --json, the whole CCP response).',
  ].join('\n'),
  options: { iso: { type: 'string' }, json: { type: 'boolean' }, ...CLIENT_OPTIONS },
  optionHelp: {
    iso: 'ISO 15118 edition: 2 (default) or 20',
    json: 'print the CCP response as JSON',
    ...CLIENT_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout }) {
    if (positionals.length !== 1) throw appError('cli.usage', 'give one FILE');
    const exi = (await readBounded(positionals[0] as string, 64 * 1024)).toString('utf8').trim();
    const client = await apiClientFromOptions({ values, env });
    const response = await client.request<{
      CCPResponse?: { emaidContent?: { messageDef?: { certificateInstallationRes?: string } }[] };
    }>({
      method: 'POST',
      path: '/v1/ccp/signedContractData',
      body: {
        certificateInstallationReq: exi,
        xsdMsgDefNamespace: msgDefNamespaceFor(isoOption(values.iso), 'opcp'),
      },
    });
    if (values.json === true) {
      stdout.write(`${JSON.stringify(response.body)}\n`);
      return 0;
    }
    const res = response.body.CCPResponse?.emaidContent?.[0]?.messageDef?.certificateInstallationRes;
    if (typeof res !== 'string')
      throw appError('client.response', 'the CCP response has no certificateInstallationRes');
    stdout.write(`${res}\n`);
    return 0;
  },
});

export const roleCommands = [
  oemPublishCommand,
  oemDeleteCommand,
  moContractCreateCommand,
  moContractListCommand,
  moContractDeleteCommand,
  oemContractDefaultCommand,
  cpoInstallCommand,
];
