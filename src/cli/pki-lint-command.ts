import { appError } from '../errors/catalogue.ts';
import { detectProfile, lintCertificate } from '../pki/lint/index.ts';
import { getProfile, PROFILES } from '../pki/profiles/index.ts';
import type { CertificateProfile, CertificateRole, IsoVersion } from '../pki/profiles/types.ts';
import { readCertificateFile } from './certificate-files.ts';
import { defineCommand } from './registry.ts';

const ROLES = [...new Set(PROFILES.map((p) => p.role))].sort();

export const pkiLintCommand = defineCommand({
  path: ['pki', 'lint'],
  summary: 'Check a certificate (PEM or DER) against its ISO 15118 profile',
  usage: 'Usage: pnc pki lint FILE [--role R] [--iso 2|20] [--issuer FILE] [--at TIME] [--json]',
  options: {
    role: { type: 'string' },
    iso: { type: 'string' },
    issuer: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    role: `certificate type: ${ROLES.join(', ')} (default: detected)`,
    iso: 'ISO 15118 edition: 2 or 20 (default: detected from the key)',
    issuer: "the issuer's certificate, for the checks relative to it (AKI, validity nesting, names)",
    at: 'check validity at this time (ISO 8601; default: now)',
    json: 'print the result as JSON',
  },
  async run({ values, positionals, stdout }) {
    if (positionals.length !== 1) throw appError('cli.usage', 'give exactly one certificate file');
    const der = (await readCertificateFile(positionals[0]!))[0]!;
    if (values.iso !== undefined && values.iso !== '2' && values.iso !== '20')
      throw appError('cli.usage', '--iso must be 2 or 20');
    if (values.role !== undefined && !ROLES.includes(values.role as CertificateRole)) {
      throw appError('cli.usage', `--role must be one of ${ROLES.join(', ')}`);
    }
    const at = values.at === undefined ? undefined : new Date(values.at);
    if (at !== undefined && Number.isNaN(at.getTime()))
      throw appError('cli.usage', `--at is not a date: ${values.at}`);
    let profile: CertificateProfile | undefined;
    let basis: readonly string[] = [];
    if (values.role !== undefined) {
      const detected = detectProfile(der);
      const iso = (values.iso ?? (detected.ok ? detected.iso : '2')) as IsoVersion;
      profile = getProfile(iso, values.role as CertificateRole);
      if (!profile) throw appError('cli.usage', `there is no ${values.role} profile for ISO 15118-${iso}`);
    } else {
      const detected = detectProfile(der);
      if (!detected.ok) {
        const result = {
          ok: false,
          profile: null,
          violations: [
            { code: 'x509.parse', severity: 'error', message: detected.reason, clause: 'RFC 5280' },
          ],
        };
        stdout.write(
          values.json === true ? `${JSON.stringify(result)}\n` : `error x509.parse: ${detected.reason}\n`,
        );
        return 1;
      }
      profile =
        values.iso !== undefined
          ? (getProfile(values.iso as IsoVersion, detected.role) ?? detected.profile)
          : detected.profile;
      basis = detected.basis;
    }
    const issuer = values.issuer === undefined ? undefined : (await readCertificateFile(values.issuer))[0]!;
    const result = lintCertificate(der, profile, { ...(at ? { at } : {}), ...(issuer ? { issuer } : {}) });
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ ok: result.ok, profile: profile.id, basis, violations: result.violations })}\n`,
      );
    } else {
      stdout.write(`profile: ${profile.id}${basis.length > 0 ? ` (detected: ${basis.join('; ')})` : ''}\n`);
      for (const v of result.violations)
        stdout.write(`${v.severity} ${v.code}: ${v.message} [${v.clause}]\n`);
      stdout.write(result.ok ? `ok (${result.violations.length} warning(s))\n` : 'not conforming\n');
    }
    return result.ok ? 0 : 1;
  },
});
