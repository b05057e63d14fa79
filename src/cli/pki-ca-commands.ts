// `pnc pki init|list|export|revoke`: the certificate authority of the data directory (src/ca,
// docs/ca.md). Like `pnc clients`, the commands open the database directly (configuration, then the
// migrated database), so they work with or without a running server; keys come from the configured
// key store (software under <dataDir>/keys with PNC_KEY_PASSPHRASE, or PKCS#11).

import { join } from 'node:path';
import { KEY_DIRECTORY } from '../app/certificate-authority.ts';
import { systemClock } from '../app/runtime.ts';
import {
  type CaView,
  type CertificateView,
  type DemoProgress,
  type IsoNumber,
  initDemoHierarchy,
  revocationReasonName,
} from '../ca/index.ts';
import type { AppConfig } from '../config/fields.ts';
import { appError } from '../errors/catalogue.ts';
import { publishDemoRoots } from '../rcp/index.ts';
import { actor, noPositionals, oneArgument, rcpOf, withCa } from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS, loadCommandConfig } from './config-options.ts';
import { defineCommand } from './registry.ts';

/**
 * Passphrase of `--insecure-demo-passphrase`. Public on purpose: it only makes a throw-away demo
 * possible without setting up a secret; the command says so loudly.
 */
export const INSECURE_DEMO_PASSPHRASE = 'pnc-insecure-demo-passphrase';

function day(date: Date | null): string {
  return date === null ? '-' : date.toISOString().slice(0, 10);
}

function describeKeyStore(config: AppConfig): string {
  return config.keyStore === 'pkcs11'
    ? `PKCS#11 token "${config.pkcs11Token ?? '?'}" (${config.pkcs11Module})`
    : `software key store ${join(config.dataDir, KEY_DIRECTORY)}`;
}

// --- pnc pki init ------------------------------------------------------------------------------------

export const pkiInitCommand = defineCommand({
  path: ['pki', 'init'],
  summary: 'Create the demo V2G PKI (V2G root, CPO/MO/OEM/CPS sub-CAs, CPS leaf) in the key store',
  usage: [
    'Usage: pnc pki init [--iso 2|20|both] [--ed448] [--organization O] [--country C] [--json]',
    '                    [--insecure-demo-passphrase] [--data-dir DIR] [--config FILE]',
    '',
    'Per ISO 15118 edition: V2G Root CA, CPO / MO / OEM / Prov (CPS) Sub-CA 1 and 2, and a CPS leaf,',
    'all under the V2G root (docs/ca.md). -2 uses P-256, -20 P-521 (Ed448 with --ed448). Keys go to the',
    'configured key store: software (encrypted under <data-dir>/keys with PNC_KEY_PASSPHRASE) or PKCS#11',
    '(PNC_KEY_STORE=pkcs11). Certificates point to PNC_PUBLIC_URL (OCSP at <url>/ocsp): set it first.',
    'Idempotent: existing CAs of the hierarchy are reused, so a second run creates nothing.',
  ].join('\n'),
  options: {
    iso: { type: 'string' },
    ed448: { type: 'boolean' },
    organization: { type: 'string' },
    country: { type: 'string' },
    'insecure-demo-passphrase': { type: 'boolean' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    iso: 'ISO 15118 edition(s): 2, 20 or both (default both)',
    ed448: 'use Ed448 keys for the -20 hierarchy instead of P-521',
    organization: 'subject O of every certificate (default "PnC Demo")',
    country: 'subject C of every certificate (default DE)',
    'insecure-demo-passphrase': `without PNC_KEY_PASSPHRASE, encrypt the keys with the PUBLIC passphrase "${INSECURE_DEMO_PASSPHRASE}" (demo only)`,
    json: 'print the result as JSON on stdout (progress stays on stderr)',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    const isoOption = values.iso ?? 'both';
    if (!['2', '20', 'both'].includes(isoOption)) throw appError('cli.usage', '--iso must be 2, 20 or both');
    const iso: IsoNumber[] = isoOption === 'both' ? [2, 20] : [Number(isoOption) as IsoNumber];
    let config = loadCommandConfig({ values, env });
    if (config.keyStore === 'software' && config.keyPassphrase === undefined) {
      if (values['insecure-demo-passphrase'] !== true) {
        throw appError(
          'ca.key-store-unavailable',
          'pnc pki init needs a passphrase for the software key store: set PNC_KEY_PASSPHRASE (at least 12 ' +
            'characters), or use a PKCS#11 token (PNC_KEY_STORE=pkcs11), or pass --insecure-demo-passphrase ' +
            'for a throw-away demo. Nothing was created.',
        );
      }
      config = loadCommandConfig({ values, env }, { keyPassphrase: INSECURE_DEMO_PASSPHRASE });
      stderr.write(
        `WARNING: --insecure-demo-passphrase: the CA keys in ${join(config.dataDir, KEY_DIRECTORY)} are encrypted ` +
          `with the PUBLIC passphrase "${INSECURE_DEMO_PASSPHRASE}". Anyone who can read these files can use ` +
          `the keys. Use it for demos only; pnc serve needs PNC_KEY_PASSPHRASE=${INSECURE_DEMO_PASSPHRASE} ` +
          'to sign with them.\n',
      );
    }
    const progress = values.json === true ? stderr : stdout;
    const algorithm20 = values.ed448 === true ? 'Ed448' : 'P-521';
    progress.write(
      `pnc pki init: ${iso.map((i) => `ISO 15118-${i} (${i === 2 ? 'P-256' : algorithm20})`).join(', ')} ` +
        `in the ${describeKeyStore(config)}; OCSP URL ${config.publicUrl}/ocsp\n`,
    );
    const organization = values.organization ?? 'PnC Demo';
    const country = values.country ?? 'DE';
    const { events, published } = await withCa(
      config,
      { values, env, stderr },
      async ({ ca, db, keyStore }) => {
        const events = await initDemoHierarchy(
          ca,
          {
            iso,
            algorithm20,
            organization,
            country,
            actor: actor(),
            onProgress: (e) => progress.write(`${progressLine(e)}\n`),
          },
          () => systemClock.now(),
        );
        // The V2G roots go into the Root Certificate Pool, and a CTL signer is issued (src/rcp).
        const rcp = rcpOf({ db, ca, keyStore });
        const published = await publishDemoRoots(rcp.service, ca, {
          iso,
          actor: actor(),
          organization,
          country,
          now: () => systemClock.now(),
        });
        return { events, published };
      },
    );
    for (const r of published.roots) {
      progress.write(
        `root pool: ${r.action.padEnd(7)} V2G root ISO15118-${r.iso}  ${r.id}  sha256 ${r.fingerprintSha256}\n`,
      );
    }
    if (published.ctlSigner !== undefined) {
      const s = published.ctlSigner;
      progress.write(
        `CTL signer: ${s.action.padEnd(7)} ${s.id}  ${s.subject}  sha256 ${s.fingerprintSha256}\n`,
      );
    }
    const created = events.filter((e) => e.action === 'created').length;
    progress.write(`done: ${created} created, ${events.length - created} existing\n`);
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({
          keyStore: config.keyStore,
          publicUrl: config.publicUrl,
          rootPool: published,
          certificates: events.map((e) => ({
            iso: e.iso,
            node: e.node.key,
            action: e.action,
            id: e.id,
            name: e.node.commonName,
            role: e.node.role,
            serial: e.serial,
            algorithm: e.algorithm,
            notAfter: e.notAfter.toISOString(),
            subject: e.subject,
          })),
        })}\n`,
      );
    }
    return 0;
  },
});

function progressLine(e: DemoProgress): string {
  return [
    e.action.padEnd(7),
    `ISO15118-${e.iso}`.padEnd(11),
    e.node.commonName.padEnd(28),
    e.id.padEnd(21),
    e.algorithm.padEnd(6),
    `serial ${e.serial}`,
    `until ${day(e.notAfter)}`,
  ].join('  ');
}

// --- pnc pki list ------------------------------------------------------------------------------------

function effectiveStatus(status: string, notAfter: Date | null, now: Date): string {
  if (
    (status === 'active' || status === 'issued') &&
    notAfter !== null &&
    notAfter.getTime() < now.getTime()
  ) {
    return 'expired';
  }
  return status;
}

export function caJson(ca: CaView, now: Date) {
  return {
    id: ca.id,
    name: ca.name,
    iso: ca.iso,
    role: ca.role,
    profileId: ca.profileId,
    parentId: ca.parentId,
    status: effectiveStatus(ca.status, ca.notAfter, now),
    external: ca.external,
    subject: ca.subject,
    serial: ca.serial,
    notBefore: ca.notBefore?.toISOString() ?? null,
    notAfter: ca.notAfter?.toISOString() ?? null,
    keyAlgorithm: ca.keyAlgorithm,
    keyBackend: ca.keyBackend,
    hasKey: ca.keyId !== null,
    createdAt: ca.createdAt.toISOString(),
  };
}

function certificateJson(c: CertificateView, now: Date) {
  return {
    id: c.id,
    issuerCaId: c.issuerCaId,
    serial: c.serial,
    profileId: c.profileId,
    subject: c.subject,
    status: effectiveStatus(c.status, c.notAfter, now),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revocationReason: c.revocationReason === null ? null : revocationReasonName(c.revocationReason),
    createdAt: c.createdAt.toISOString(),
  };
}

/** CAs in tree order: each root followed by its descendants (depth for indentation). */
function treeOrder(cas: readonly CaView[]): { ca: CaView; depth: number }[] {
  const out: { ca: CaView; depth: number }[] = [];
  const known = new Set(cas.map((c) => c.id));
  const visit = (ca: CaView, depth: number) => {
    out.push({ ca, depth });
    for (const child of cas.filter((c) => c.parentId === ca.id)) visit(child, depth + 1);
  };
  for (const root of cas.filter((c) => c.parentId === null || !known.has(c.parentId))) visit(root, 0);
  return out;
}

export const pkiListCommand = defineCommand({
  path: ['pki', 'list'],
  summary: 'List the CAs and the certificates they issued',
  usage: 'Usage: pnc pki list [--json] [--data-dir DIR] [--config FILE]',
  options: { json: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: { json: 'print { cas, certificates } as JSON', ...CONFIG_OPTION_HELP },
  async run({ values, positionals, env, stdout, stderr }) {
    noPositionals(positionals);
    const config = loadCommandConfig({ values, env });
    const now = systemClock.now();
    const { cas, certificates } = await withCa(config, { values, env, stderr }, async ({ ca }) => ({
      cas: await ca.listCas(),
      certificates: await ca.listCertificates({ leavesOnly: true }),
    }));
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ cas: cas.map((c) => caJson(c, now)), certificates: certificates.map((c) => certificateJson(c, now)) })}\n`,
      );
      return 0;
    }
    if (cas.length === 0) {
      stdout.write('no CAs (create the demo hierarchy with pnc pki init)\n');
      return 0;
    }
    stdout.write('CAs\n');
    for (const { ca, depth } of treeOrder(cas)) {
      stdout.write(
        `${'  '.repeat(depth + 1)}${ca.id}  ${effectiveStatus(ca.status, ca.notAfter, now).padEnd(8)} ${ca.profileId.padEnd(26)} ` +
          `${ca.name}  ${ca.keyAlgorithm}${ca.external ? ' (imported)' : ''}${ca.keyId === null ? ' (no key)' : ''}  ` +
          `serial ${ca.serial ?? '-'}  until ${day(ca.notAfter)}\n`,
      );
    }
    stdout.write(certificates.length === 0 ? 'Certificates: none\n' : 'Certificates\n');
    for (const c of certificates) {
      const revoked =
        c.revokedAt === null
          ? ''
          : `  revoked ${c.revokedAt.toISOString()} (${revocationReasonName(c.revocationReason ?? 0)})`;
      stdout.write(
        `  ${c.id}  ${effectiveStatus(c.status, c.notAfter, now).padEnd(8)} ${c.profileId.padEnd(26)} ${c.subject}  ` +
          `serial ${c.serial}  until ${day(c.notAfter)}  issuer ${c.issuerCaId}${revoked}\n`,
      );
    }
    return 0;
  },
});

// --- pnc pki export ----------------------------------------------------------------------------------

export const pkiExportCommand = defineCommand({
  path: ['pki', 'export'],
  summary: 'Print a CA or certificate as PEM (with --chain: up to the root)',
  usage: [
    'Usage: pnc pki export ID|SERIAL [--chain] [--data-dir DIR] [--config FILE]',
    '',
    'ID is a CA id (ca-…) or certificate id (cert-…) from pnc pki list; a serial (hex) works too.',
    'With --chain the issuing CAs follow, the root last.',
  ].join('\n'),
  options: { chain: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: { chain: 'append the issuer chain up to and including the root', ...CONFIG_OPTION_HELP },
  async run({ values, positionals, env, stdout, stderr }) {
    const reference = oneArgument(positionals, 'CA id, certificate id or serial');
    const config = loadCommandConfig({ values, env });
    const pem = await withCa(config, { values, env, stderr }, ({ ca }) =>
      ca.exportPem(reference, { chain: values.chain === true }),
    );
    stdout.write(pem);
    return 0;
  },
});

// --- pnc pki revoke ----------------------------------------------------------------------------------

export const pkiRevokeCommand = defineCommand({
  path: ['pki', 'revoke'],
  summary: 'Revoke a certificate (by serial, certificate id or CA id)',
  usage: [
    'Usage: pnc pki revoke SERIAL|ID [--reason R] [--issuer CA-ID] [--json] [--data-dir DIR] [--config FILE]',
    '',
    'Reasons (RFC 5280 §5.3.1): unspecified (default), keyCompromise, cACompromise, affiliationChanged,',
    'superseded, cessationOfOperation, privilegeWithdrawn, aACompromise. Revocation is final.',
  ].join('\n'),
  options: {
    reason: { type: 'string' },
    issuer: { type: 'string' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    reason: 'RFC 5280 reason name or code (default unspecified)',
    issuer: 'issuing CA id, when a serial was issued by more than one CA',
    json: 'print the revoked certificate as JSON',
    ...CONFIG_OPTION_HELP,
  },
  async run({ values, positionals, env, stdout, stderr }) {
    const reference = oneArgument(positionals, 'serial, certificate id or CA id');
    const config = loadCommandConfig({ values, env });
    const isId = reference.startsWith('cert-') || reference.startsWith('ca-');
    const revoked = await withCa(config, { values, env, stderr }, ({ ca }) =>
      ca.revoke({
        ...(isId ? { id: reference } : { serial: reference }),
        ...(values.issuer === undefined ? {} : { issuerCaId: values.issuer }),
        ...(values.reason === undefined ? {} : { reason: values.reason }),
        actor: actor(),
      }),
    );
    if (values.json === true) {
      stdout.write(`${JSON.stringify(certificateJson(revoked, systemClock.now()))}\n`);
    } else {
      stdout.write(
        `revoked ${revoked.id} (serial ${revoked.serial}, ${revoked.subject}) at ${revoked.revokedAt?.toISOString()}: ` +
          `${revocationReasonName(revoked.revocationReason ?? 0)}\n`,
      );
    }
    return 0;
  },
});

export const pkiCaCommands = [pkiInitCommand, pkiListCommand, pkiExportCommand, pkiRevokeCommand];
