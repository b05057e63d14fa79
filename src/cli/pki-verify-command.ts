// `pnc pki verify --anchors FILE [--anchors FILE]... [--at TIME] [--strict] [--profile] [--role R]
// [--iso 2|20] [--json] CHAIN_FILE...`: certificate path validation (RFC 5280 §6.1, src/pki/path)
// with the ISO 15118 usage checks on request. Files are PEM or DER and may hold several
// certificates; the first certificate of the chain files is validated, the others are
// intermediates. Exit 0 only when the path is valid, 1 otherwise.

import { appError } from '../errors/catalogue.ts';
import { parseCertificate } from '../pki/lint/certificate.ts';
import {
  formatName,
  type PathValidationResult,
  type PathViolation,
  validatePath,
} from '../pki/path/index.ts';
import { PROFILES } from '../pki/profiles/index.ts';
import type { CertificateRole, IsoVersion } from '../pki/profiles/types.ts';
import { readCertificateFile } from './certificate-files.ts';
import { defineCommand } from './registry.ts';

const ROLES = [...new Set(PROFILES.map((p) => p.role))].sort();

/** ISO 8601, or seconds since the epoch like `openssl verify -attime`. */
function parseTime(text: string): Date {
  const d = /^\d+$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(d.getTime())) throw appError('cli.usage', `--at is not a time: ${text}`);
  return d;
}

interface ChainEntry {
  readonly index: number;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly role?: string;
  readonly profile?: string;
}

function describeChain(chain: readonly Uint8Array[], result: PathValidationResult): ChainEntry[] {
  return chain.map((der, index) => {
    const p = parseCertificate(der);
    const role = result.valid ? result.roles?.[index] : undefined;
    const profile = result.valid ? result.profiles?.[index] : undefined;
    return {
      index,
      subject: p.ok ? formatName(p.cert.subject) : '(unparseable)',
      issuer: p.ok ? formatName(p.cert.issuer) : '(unparseable)',
      notBefore: p.ok ? p.cert.notBefore.date.toISOString() : '',
      notAfter: p.ok ? p.cert.notAfter.date.toISOString() : '',
      ...(role === undefined ? {} : { role }),
      ...(profile === undefined ? {} : { profile }),
    };
  });
}

function violationLine(v: PathViolation): string {
  return `  ${v.severity} certificate ${v.index} ${v.code}: ${v.message} [${v.clause}]\n`;
}

export const pkiVerifyCommand = defineCommand({
  path: ['pki', 'verify'],
  summary: 'Validate a certificate chain (RFC 5280 path validation, ISO 15118 usage checks)',
  usage: [
    'Usage: pnc pki verify --anchors FILE [--anchors FILE]... [--at TIME] [--strict] [--profile]',
    '                      [--role R] [--iso 2|20] [--json] CHAIN_FILE...',
    '',
    'Files are PEM or DER and may hold several certificates. The first certificate of the chain',
    'files is the one validated; the others are untrusted intermediates. Trust anchors may be roots',
    'or sub-CAs. Prints "valid" and the chain (target first, anchor last), or the reason.',
    'Exit status: 0 valid, 1 invalid or unreadable input, 2 usage error.',
  ].join('\n'),
  options: {
    anchors: { type: 'string', multiple: true },
    at: { type: 'string' },
    strict: { type: 'boolean' },
    profile: { type: 'boolean' },
    role: { type: 'string' },
    iso: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    anchors: 'trust anchors (PEM or DER, several per file allowed)',
    at: 'validation time: ISO 8601 or seconds since the epoch (default: now)',
    strict: "also apply OpenSSL's -x509_strict checks (AKI present, CA keyUsage, critical basicConstraints)",
    profile: 'ISO 15118 usage checks: root of the right domain ([V2G2-925]), chain shape, profile lints',
    role: `role of the target for --profile (implies it): ${ROLES.join(', ')} (default: detected)`,
    iso: 'ISO 15118 edition for --profile (implies it): 2 or 20 (default: from the key)',
    json: 'print the result as JSON',
  },
  async run({ values, positionals, stdout }) {
    if (positionals.length === 0) throw appError('cli.usage', 'give at least one chain file');
    const anchorFiles = values.anchors ?? [];
    if (anchorFiles.length === 0) throw appError('cli.usage', 'give the trust anchors with --anchors FILE');
    if (values.iso !== undefined && values.iso !== '2' && values.iso !== '20')
      throw appError('cli.usage', '--iso must be 2 or 20');
    if (values.role !== undefined && !ROLES.includes(values.role as CertificateRole))
      throw appError('cli.usage', `--role must be one of ${ROLES.join(', ')}`);
    const at = values.at === undefined ? new Date() : parseTime(values.at);

    const anchors: Uint8Array[] = [];
    for (const f of anchorFiles) anchors.push(...(await readCertificateFile(f)));
    const chainCerts: Uint8Array[] = [];
    for (const f of positionals) chainCerts.push(...(await readCertificateFile(f)));
    const [target, ...intermediates] = chainCerts as [Uint8Array, ...Uint8Array[]];

    const wantProfile = values.profile === true || values.role !== undefined || values.iso !== undefined;
    const profile = wantProfile
      ? {
          ...(values.role === undefined ? {} : { role: values.role as CertificateRole }),
          ...(values.iso === undefined ? {} : { iso: values.iso as IsoVersion }),
        }
      : false;
    const result = validatePath({
      target,
      intermediates,
      anchors,
      at,
      strict: values.strict === true,
      profile,
    });
    const shown = result.valid ? result.chain : (result.chain ?? [target]);
    const chain = describeChain(shown, result);
    const violations = result.violations ?? [];

    if (values.json === true) {
      const out = result.valid
        ? { valid: true, at: at.toISOString(), anchorIndex: result.anchorIndex, chain, violations }
        : {
            valid: false,
            at: at.toISOString(),
            code: result.code,
            reason: result.reason,
            ...(result.at === undefined ? {} : { index: result.at }),
            chain,
            violations,
          };
      stdout.write(`${JSON.stringify(out)}\n`);
      return result.valid ? 0 : 1;
    }
    stdout.write(result.valid ? 'valid\n' : `invalid [${result.code}]: ${result.reason}\n`);
    if (!result.valid && result.chain === undefined) stdout.write('target:\n');
    const last = chain.length - 1;
    for (const e of chain) {
      const note = [
        e.role,
        e.index === 0 ? 'target' : undefined,
        result.valid && e.index === last ? 'trust anchor' : undefined,
      ].filter((x) => x !== undefined);
      stdout.write(`  ${e.index} ${e.subject}${note.length > 0 ? `  (${note.join(', ')})` : ''}\n`);
    }
    for (const v of violations) stdout.write(violationLine(v));
    return result.valid ? 0 : 1;
  },
});
