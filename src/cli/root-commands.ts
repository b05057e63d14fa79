// `pnc root add|list|delete|ctl`: the Root Certificate Pool of the data directory (src/rcp,
// docs/rcp.md), for the pool operator. Like `pnc pki`, the commands open the database (and, for the
// CTL, the configured key store) directly, so they work with or without a running server. Changes
// are audited with the actor `cli:<user>`.

import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { OpenedCertificateAuthority } from '../app/certificate-authority.ts';
import { systemClock } from '../app/runtime.ts';
import type { AppConfig } from '../config/fields.ts';
import { appError } from '../errors/catalogue.ts';
import {
  ctlSigners,
  MAX_CTL_CHARS,
  parseRootType,
  type Rcp,
  type RootRecord,
  verifyCtl,
} from '../rcp/index.ts';
import { readCertificateFile } from './certificate-files.ts';
import {
  actor,
  type DataDirCommandContext,
  noPositionals,
  oneArgument,
  rcpOf,
  withCa,
} from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS, loadCommandConfig } from './config-options.ts';
import { defineCommand } from './registry.ts';

async function withRcp<T>(
  config: AppConfig,
  ctx: DataDirCommandContext,
  fn: (rcp: Rcp, opened: OpenedCertificateAuthority) => Promise<T>,
): Promise<T> {
  return await withCa(config, ctx, (opened) => fn(rcpOf(opened), opened));
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function rootJson(root: RootRecord) {
  return {
    rootCertificateId: root.id,
    rootType: root.rootType,
    iso: root.iso,
    subject: root.subject,
    serial: root.serial,
    fingerprint: root.fingerprintSha256,
    keyAlgorithm: root.keyAlgorithm,
    notBefore: root.notBefore.toISOString(),
    notAfter: root.notAfter.toISOString(),
    addedAt: root.addedAt.toISOString(),
    addedBy: root.addedBy,
    deletedAt: root.deletedAt?.toISOString() ?? null,
    deletedBy: root.deletedBy,
    lenient: root.lenient,
    lintFindings: root.lintFindings,
  };
}

function rootLine(root: RootRecord): string {
  return [
    root.id,
    root.rootType.padEnd(3),
    `ISO15118-${root.iso}`.padEnd(11),
    `until ${day(root.notAfter)}`,
    `sha256 ${root.fingerprintSha256}`,
    root.subject,
    ...(root.deletedAt === null ? [] : [`(deleted ${root.deletedAt.toISOString()})`]),
  ].join('  ');
}

// --- pnc root add ------------------------------------------------------------------------------------

export const rootAddCommand = defineCommand({
  path: ['root', 'add'],
  summary: 'Add a trusted root (V2G, MO, OEM, PE) to the Root Certificate Pool',
  usage: [
    'Usage: pnc root add FILE --type V2G|MO|OEM|PE [--lenient] [--json] [--data-dir DIR] [--config FILE]',
    '',
    'FILE holds one root certificate (PEM or DER). It must be self-signed, a CA, not expired, with an',
    'ISO 15118 key (P-256: -2; P-521 / Ed448: -20), and conform to the ISO 15118 profile of its type;',
    'with --lenient profile errors are accepted and reported (real roots often break the profile).',
  ].join('\n'),
  options: {
    type: { type: 'string' },
    lenient: { type: 'boolean' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    type: 'root type: V2G, MO (or eMSP), OEM, PE',
    lenient: 'accept profile-lint errors (reported as findings, recorded in the audit log)',
    json: 'print the added root as JSON',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    const file = oneArgument(positionals, 'certificate file');
    if (values.type === undefined) throw appError('cli.usage', '--type is required (V2G, MO, OEM or PE)');
    const rootType = parseRootType(values.type, '--type');
    const certificates = await readCertificateFile(file);
    if (certificates.length !== 1) {
      throw appError('cli.input', `${file} holds ${certificates.length} certificates; give one root`);
    }
    const config = loadCommandConfig({ values, env });
    const added = await withRcp(config, { values, env, stderr }, (rcp) =>
      rcp.service.add({
        der: certificates[0] as Uint8Array,
        rootType,
        actor: actor(),
        ...(values.lenient === true ? { lenient: true } : {}),
      }),
    );
    for (const f of added.findings) stderr.write(`${f.severity} ${f.code}: ${f.message}\n`);
    if (values.json === true) stdout.write(`${JSON.stringify(rootJson(added.root))}\n`);
    else stdout.write(`added ${rootLine(added.root)}\n`);
    return 0;
  },
});

// --- pnc root list -----------------------------------------------------------------------------------

export const rootListCommand = defineCommand({
  path: ['root', 'list'],
  summary: 'List the roots of the Root Certificate Pool',
  usage: 'Usage: pnc root list [--type T] [--iso 2|20] [--all] [--json] [--data-dir DIR] [--config FILE]',
  options: {
    type: { type: 'string' },
    iso: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    type: 'only roots of this type (V2G, MO, OEM, PE)',
    iso: 'only roots of this ISO 15118 edition',
    all: 'include deleted roots (history)',
    json: 'print the roots as a JSON array',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    const types = values.type === undefined ? undefined : [parseRootType(values.type, '--type')];
    if (values.iso !== undefined && values.iso !== '2' && values.iso !== '20')
      throw appError('cli.usage', '--iso must be 2 or 20');
    const config = loadCommandConfig({ values, env });
    const roots = await withRcp(config, { values, env, stderr }, (rcp) =>
      rcp.service.list({
        ...(types === undefined ? {} : { types }),
        ...(values.iso === undefined ? {} : { iso: values.iso === '2' ? 2 : 20 }),
        includeDeleted: values.all === true,
      }),
    );
    if (values.json === true) {
      stdout.write(`${JSON.stringify(roots.map(rootJson))}\n`);
      return 0;
    }
    if (roots.length === 0) stdout.write('no roots (pnc pki init publishes the demo V2G roots)\n');
    for (const root of roots) stdout.write(`${rootLine(root)}\n`);
    return 0;
  },
});

// --- pnc root delete ---------------------------------------------------------------------------------

export const rootDeleteCommand = defineCommand({
  path: ['root', 'delete'],
  summary: 'Delete a root from the Root Certificate Pool (kept in the history and the audit log)',
  usage: 'Usage: pnc root delete ID [--json] [--data-dir DIR] [--config FILE]',
  options: { json: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: { json: 'print the deleted root as JSON', ...CONFIG_OPTION_HELP },
  async run({ values, positionals, env, stdout, stderr }) {
    const id = oneArgument(positionals, 'root id (rootCertificateId)');
    const config = loadCommandConfig({ values, env });
    const deleted = await withRcp(config, { values, env, stderr }, (rcp) => rcp.service.delete(id, actor()));
    if (values.json === true) stdout.write(`${JSON.stringify(rootJson(deleted))}\n`);
    else stdout.write(`deleted ${rootLine(deleted)}\n`);
    return 0;
  },
});

// --- pnc root ctl ------------------------------------------------------------------------------------

async function readTextFile(file: string, max: number): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > max) throw new Error(`${info.size} bytes, above the bound of ${max}`);
    return await readFile(file, 'utf8');
  } catch (e) {
    throw appError('cli.input', `cannot read ${file}: ${(e as Error).message}`);
  }
}

export const rootCtlCommand = defineCommand({
  path: ['root', 'ctl'],
  summary: 'Sign the Certificate Trust List of the pool, or verify a CTL file',
  usage: [
    'Usage: pnc root ctl [--out FILE] [--data-dir DIR] [--config FILE]',
    '       pnc root ctl --verify FILE [--anchor FILE]... [--signer-fingerprint HEX]... [--min-sequence N]',
    '                    [--at TIME] [--json] [--data-dir DIR] [--config FILE]',
    '',
    'Without --verify: signs the current CTL (docs/rcp.md "CTL format") with the CTL signer key of the key',
    'store and prints it (or writes FILE). With --verify: checks a CTL file: the JWS signature, the signer',
    'pinned by fingerprint (default: the CTL signers of this data directory), its chain to a trusted V2G',
    'root (default: the V2G roots of this pool; --anchor to give others), nextUpdate and the sequence.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    verify: { type: 'string' },
    anchor: { type: 'string', multiple: true },
    'signer-fingerprint': { type: 'string', multiple: true },
    'min-sequence': { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    out: 'write the CTL to FILE instead of stdout',
    verify: 'verify the CTL in FILE instead of signing one',
    anchor: 'trusted root certificate file (PEM / DER) for the signer chain',
    'signer-fingerprint': 'SHA-256 fingerprint (hex, colons allowed) of an accepted CTL signer certificate',
    'min-sequence': 'refuse a sequenceNumber below N (the last one accepted)',
    at: 'verification time (ISO 8601; default now)',
    json: 'print the verified payload as JSON',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    const config = loadCommandConfig({ values, env });
    if (values.verify === undefined) {
      if (values.anchor !== undefined || values['signer-fingerprint'] !== undefined)
        throw appError('cli.usage', '--anchor and --signer-fingerprint go with --verify');
      const document = await withRcp(config, { values, env, stderr }, (rcp) => rcp.ctl.current());
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (values.out === undefined) stdout.write(text);
      else {
        await writeFile(values.out, text);
        stderr.write(`CTL written to ${values.out}\n`);
      }
      return 0;
    }
    const at = values.at === undefined ? systemClock.now() : new Date(values.at);
    if (!Number.isFinite(at.getTime())) throw appError('cli.usage', '--at is not a time');
    let minSequenceNumber: number | undefined;
    if (values['min-sequence'] !== undefined) {
      minSequenceNumber = Number(values['min-sequence']);
      if (!Number.isSafeInteger(minSequenceNumber) || minSequenceNumber < 0)
        throw appError('cli.usage', '--min-sequence must be a non-negative integer');
    }
    const text = await readTextFile(values.verify, MAX_CTL_CHARS);
    const anchors: Uint8Array[] = [];
    for (const file of values.anchor ?? []) anchors.push(...(await readCertificateFile(file)));
    let pins = [...(values['signer-fingerprint'] ?? [])];
    if (anchors.length === 0 || pins.length === 0) {
      // Defaults from this data directory: its V2G roots and its CTL signers.
      await withRcp(config, { values, env, stderr }, async (rcp, opened) => {
        if (anchors.length === 0) {
          const roots = await rcp.service.trustedRoots({ types: ['V2G'] });
          anchors.push(...roots.map((r) => r.der));
        }
        if (pins.length === 0) {
          pins = (await ctlSigners(opened.ca, at))
            .filter((c) => c.certificate !== null)
            .map((c) =>
              createHash('sha256')
                .update(c.certificate as Uint8Array)
                .digest('hex'),
            );
        }
      });
    }
    const verified = verifyCtl(text, {
      anchors,
      signerFingerprints: pins,
      at,
      ...(minSequenceNumber === undefined ? {} : { minSequenceNumber }),
    });
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ valid: true, algorithm: verified.algorithm, signerFingerprint: verified.signerFingerprint, payload: verified.payload })}\n`,
      );
    } else {
      const p = verified.payload;
      stdout.write(
        `valid CTL: sequence ${p.sequenceNumber}, issued ${p.issuedAt}, next update ${p.nextUpdate}, ` +
          `${p.roots.length} root(s), signed ${verified.algorithm} by ${verified.signerFingerprint}\n`,
      );
      for (const r of p.roots) {
        stdout.write(
          `  ${r.rootType.padEnd(3)}  ISO15118-${r.iso}  sha256 ${r.fingerprintSha256}  ${r.subject}\n`,
        );
      }
    }
    return 0;
  },
});

export const rootCommands = [rootAddCommand, rootListCommand, rootDeleteCommand, rootCtlCommand];
