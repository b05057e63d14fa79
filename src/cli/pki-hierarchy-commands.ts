// `pnc pki create-root|create-subca|import`: CA hierarchies beyond the demo of `pnc pki init`
// (issue 3 item 6: "create roots and sub-CAs; import external roots and sub-CAs"). Each command is a
// thin shell over CertificateAuthorityService (src/ca, docs/ca.md): the service lints before it
// signs, stores before it signs and writes the audit record; these commands only parse options.

import { systemClock } from '../app/runtime.ts';
import type { CaView, IsoNumber, RootKind, SubCaDomain } from '../ca/index.ts';
import { appError } from '../errors/catalogue.ts';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../signer/types.ts';
import { readCertificateFile } from './certificate-files.ts';
import { actor, noPositionals, oneArgument, withCa } from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS, loadCommandConfig } from './config-options.ts';
import { caJson } from './pki-ca-commands.ts';
import { type CliWriter, defineCommand } from './registry.ts';

const ROOT_KINDS: readonly RootKind[] = ['v2g', 'mo', 'oem', 'pe'];
const SUB_CA_DOMAINS: readonly SubCaDomain[] = ['cpo', 'mo', 'oem', 'cps', 'vehicle'];

const SHARED_OPTIONS = {
  name: { type: 'string' },
  cn: { type: 'string' },
  organization: { type: 'string' },
  country: { type: 'string' },
  days: { type: 'string' },
  algorithm: { type: 'string' },
  'key-id': { type: 'string' },
  json: { type: 'boolean' },
  ...CONFIG_OPTIONS,
} as const;

const SHARED_HELP = {
  name: 'unique name of the CA (default: its CN)',
  cn: 'subject CN (default: the profile example)',
  organization: 'subject O',
  country: 'subject C (ISO 3166 alpha-2)',
  days: 'validity in days (clipped to the issuer; default: the profile maximum)',
  algorithm: `key algorithm: ${KEY_ALGORITHMS.join(', ')} (default P-256 for -2, P-521 for -20, or the parent's)`,
  'key-id': 'use this existing key of the key store instead of generating one',
  json: 'print the created CA as JSON',
  ...CONFIG_OPTION_HELP,
} as const;

function parseAlgorithm(value: string | undefined): KeyAlgorithm | undefined {
  if (value === undefined) return undefined;
  if (!(KEY_ALGORITHMS as readonly string[]).includes(value)) {
    throw appError('cli.usage', `--algorithm must be one of ${KEY_ALGORITHMS.join(', ')}`);
  }
  return value as KeyAlgorithm;
}

function parseDays(value: string | undefined): { days: number } | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) throw appError('cli.usage', '--days must be a positive whole number');
  return { days: Number(value) };
}

function subjectOf(values: { cn?: string; organization?: string; country?: string }) {
  const subject: { commonName?: string; organization?: string; country?: string } = {};
  if (values.cn !== undefined) subject.commonName = values.cn;
  if (values.organization !== undefined) subject.organization = values.organization;
  if (values.country !== undefined) subject.country = values.country;
  return Object.keys(subject).length === 0 ? undefined : subject;
}

/** The request fields create-root and create-subca share, from their shared options. */
function commonRequestFields(values: {
  name?: string;
  cn?: string;
  organization?: string;
  country?: string;
  days?: string;
  algorithm?: string;
  'key-id'?: string;
}) {
  const algorithm = parseAlgorithm(values.algorithm);
  const validity = parseDays(values.days);
  const subject = subjectOf(values);
  return {
    actor: actor(),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(subject === undefined ? {} : { subject }),
    ...(validity === undefined ? {} : { validity }),
    ...(algorithm === undefined ? {} : { algorithm }),
    ...(values['key-id'] === undefined ? {} : { keyId: values['key-id'] }),
  };
}

function printCas(cas: readonly CaView[], json: boolean, stdout: CliWriter, verb: string): void {
  const now = systemClock.now();
  if (json) {
    stdout.write(
      `${JSON.stringify(cas.length === 1 ? caJson(cas[0] as CaView, now) : cas.map((c) => caJson(c, now)))}\n`,
    );
    return;
  }
  for (const ca of cas) {
    stdout.write(
      `${verb} ${ca.id}  ${ca.profileId}  ${ca.subject}  ${ca.keyAlgorithm}${ca.keyId === null ? ' (no key)' : ''}  ` +
        `until ${ca.notAfter?.toISOString().slice(0, 10) ?? '-'}\n`,
    );
  }
}

export const pkiCreateRootCommand = defineCommand({
  path: ['pki', 'create-root'],
  summary: 'Create a self-signed root CA (V2G, MO, OEM or Private Environment) in the key store',
  usage: [
    'Usage: pnc pki create-root --kind v2g|mo|oem|pe --iso 2|20 [--name N] [--cn CN] [--organization O]',
    '                           [--country C] [--days D] [--algorithm A] [--key-id K] [--json]',
    '                           [--data-dir DIR] [--config FILE]',
    '',
    'The certificate follows the ISO 15118 profile of the root kind and edition (docs/ca.md); it is',
    'linted before it is signed. ISO 15118-2 has no Private Environment root.',
  ].join('\n'),
  options: { kind: { type: 'string' }, iso: { type: 'string' }, ...SHARED_OPTIONS },
  optionHelp: { kind: 'root kind: v2g, mo, oem or pe', iso: 'ISO 15118 edition: 2 or 20', ...SHARED_HELP },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    const kind = values.kind;
    if (kind === undefined || !(ROOT_KINDS as readonly string[]).includes(kind)) {
      throw appError('cli.usage', `--kind must be one of ${ROOT_KINDS.join(', ')}`);
    }
    if (values.iso !== '2' && values.iso !== '20') throw appError('cli.usage', '--iso must be 2 or 20');
    const common = commonRequestFields(values);
    const config = loadCommandConfig({ values, env });
    const ca = await withCa(config, { values, env, stderr }, ({ ca: service }) =>
      service.createRoot({ kind: kind as RootKind, iso: Number(values.iso) as IsoNumber, ...common }),
    );
    printCas([ca], values.json === true, stdout, 'created');
    return 0;
  },
});

export const pkiCreateSubCaCommand = defineCommand({
  path: ['pki', 'create-subca'],
  summary: 'Create a Sub-CA 1 or 2 (CPO, MO, OEM, CPS, vehicle) under an existing CA',
  usage: [
    'Usage: pnc pki create-subca --parent CA-ID --domain cpo|mo|oem|cps|vehicle --level 1|2 [--name N]',
    '                            [--cn CN] [--organization O] [--country C] [--days D] [--algorithm A]',
    '                            [--key-id K] [--json] [--data-dir DIR] [--config FILE]',
    '',
    'Sub-CA 1 (pathLen 1) sits under a root, Sub-CA 2 (pathLen 0, issues leaves) under a Sub-CA 1; the',
    'parent must be active and hold its key here. Validity is clipped to the parent.',
  ].join('\n'),
  options: {
    parent: { type: 'string' },
    domain: { type: 'string' },
    level: { type: 'string' },
    ...SHARED_OPTIONS,
  },
  optionHelp: {
    parent: 'id of the issuing CA (ca-… from pnc pki list)',
    domain: `sub-CA domain: ${SUB_CA_DOMAINS.join(', ')}`,
    level: '1 or 2',
    ...SHARED_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    if (values.parent === undefined) throw appError('cli.usage', '--parent is required');
    const domain = values.domain;
    if (domain === undefined || !(SUB_CA_DOMAINS as readonly string[]).includes(domain)) {
      throw appError('cli.usage', `--domain must be one of ${SUB_CA_DOMAINS.join(', ')}`);
    }
    if (values.level !== '1' && values.level !== '2') throw appError('cli.usage', '--level must be 1 or 2');
    const common = commonRequestFields(values);
    const config = loadCommandConfig({ values, env });
    const parentId = values.parent;
    const ca = await withCa(config, { values, env, stderr }, ({ ca: service }) =>
      service.createSubCa({
        parentId,
        domain: domain as SubCaDomain,
        level: Number(values.level) as 1 | 2,
        ...common,
      }),
    );
    printCas([ca], values.json === true, stdout, 'created');
    return 0;
  },
});

export const pkiImportCommand = defineCommand({
  path: ['pki', 'import'],
  summary: 'Import external root and sub-CA certificates (optionally with the key of the lowest CA)',
  usage: [
    'Usage: pnc pki import FILE [--key-id K] [--json] [--data-dir DIR] [--config FILE]',
    '',
    'FILE holds 1 to 8 CA certificates of one chain (PEM or DER, any order). They are checked (CA,',
    'signatures, profile lint) and stored as external CAs: they can anchor validation, and with',
    '--key-id (a key already in the key store, e.g. from a key ceremony) the lowest CA can issue.',
  ].join('\n'),
  options: { 'key-id': { type: 'string' }, json: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: {
    'key-id': 'key store key of the lowest CA of the chain',
    json: 'print the imported CAs as JSON',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    const file = oneArgument(positionals, 'certificate file');
    const certificates = await readCertificateFile(file);
    const config = loadCommandConfig({ values, env });
    const cas = await withCa(config, { values, env, stderr }, ({ ca: service }) =>
      service.importCa({
        certificateChainDer: certificates,
        actor: actor(),
        ...(values['key-id'] === undefined ? {} : { keyId: values['key-id'] }),
      }),
    );
    printCas(cas, values.json === true, stdout, 'imported');
    return 0;
  },
});

export const pkiHierarchyCommands = [pkiCreateRootCommand, pkiCreateSubCaCommand, pkiImportCommand];
