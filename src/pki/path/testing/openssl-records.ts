// Test support: the certificate records of ../shared/vectors/pki/certs-*.jsonl with what OpenSSL
// 3.0 said about them (`expected.opensslVerify`, `expected.opensslVerifyLax`). Read from the shared
// directory, never copied into the repository; undefined when it is absent.

import { existsSync, readFileSync } from 'node:fs';
import { sharedPath } from '../../../testing/shared-data.ts';
import type { CertificateRole } from '../../profiles/types.ts';

export interface OpensslCall {
  /** `openssl` arguments as recorded, e.g. `verify -x509_strict -attime 1727222400 -CAfile a.pem b.pem`. */
  readonly command: string;
  readonly trustAnchor: string | null;
  readonly untrusted: readonly string[];
  readonly partialChain: boolean;
  readonly exitCode: number;
  readonly output: string;
}

export interface CertRecord {
  readonly id: string;
  readonly file: string;
  readonly der: Uint8Array;
  readonly subject: string;
  readonly role: CertificateRole | 'other';
  readonly selfSigned: boolean;
  readonly chain: readonly string[];
  readonly strict?: OpensslCall;
  readonly lax?: OpensslCall;
}

export const RECORD_FILES = ['certs-v2g.jsonl', 'certs-mo.jsonl', 'certs-oem.jsonl', 'certs-cps.jsonl'];

export function certRecords(): Map<string, CertRecord> | undefined {
  if (!RECORD_FILES.every((f) => existsSync(sharedPath('vectors', 'pki', f)))) return undefined;
  const out = new Map<string, CertRecord>();
  for (const file of RECORD_FILES) {
    for (const line of readFileSync(sharedPath('vectors', 'pki', file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as {
        id: string;
        der: string;
        subject: string;
        role: CertificateRole | 'other';
        selfSigned: boolean;
        chain?: string[];
        expected?: { opensslVerify?: OpensslCall; opensslVerifyLax?: OpensslCall };
      };
      out.set(r.id, {
        id: r.id,
        file,
        der: new Uint8Array(Buffer.from(r.der, 'base64')),
        subject: r.subject,
        role: r.role,
        selfSigned: r.selfSigned,
        chain: r.chain ?? [],
        ...(r.expected?.opensslVerify === undefined ? {} : { strict: r.expected.opensslVerify }),
        ...(r.expected?.opensslVerifyLax === undefined ? {} : { lax: r.expected.opensslVerifyLax }),
      });
    }
  }
  return out;
}

export interface ParsedCall {
  readonly strict: boolean;
  readonly partialChain: boolean;
  readonly at: Date;
  /** Record id of the -CAfile certificate, or null for -no-CAfile. */
  readonly anchor: string | null;
  /** Record ids in untrusted.pem (the `untrusted` field names the file's content). */
  readonly untrusted: readonly string[];
  /** Record id of the certificate verified. */
  readonly target: string;
}

/** The arguments of a recorded `openssl verify` call, read from the command itself. */
export function parseCall(call: OpensslCall): ParsedCall {
  const args = call.command.trim().split(/\s+/);
  if (args[0] !== 'verify') throw new Error(`not a verify call: ${call.command}`);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i < 0 ? undefined : args[i + 1];
  };
  const id = (file: string) => file.replace(/\.pem$/, '');
  const attime = value('-attime');
  if (attime === undefined || !/^\d+$/.test(attime)) throw new Error(`no -attime in ${call.command}`);
  const caFile = value('-CAfile');
  const untrustedFile = value('-untrusted');
  if (untrustedFile !== undefined && untrustedFile !== 'untrusted.pem')
    throw new Error(`unexpected -untrusted ${untrustedFile}`);
  const last = args[args.length - 1] as string;
  return {
    strict: args.includes('-x509_strict'),
    partialChain: args.includes('-partial_chain'),
    at: new Date(Number(attime) * 1000),
    anchor: caFile === undefined ? null : id(caFile),
    untrusted: untrustedFile === undefined ? [] : call.untrusted,
    target: id(last),
  };
}

/** OpenSSL's reported errors: `error N at D depth lookup: text`. */
export function opensslErrors(output: string): { code: number; depth: number; text: string }[] {
  return [...output.matchAll(/error (\d+) at (\d+) depth lookup: ([^\n]*)/g)].map((m) => ({
    code: Number(m[1]),
    depth: Number(m[2]),
    text: m[3] ?? '',
  }));
}

/** OpenSSL verify error numbers (x509_vfy.h) and the validatePath codes that mean the same. */
export const OPENSSL_EQUIVALENT: Readonly<Record<number, readonly string[]>> = {
  2: ['path.no-issuer'], // unable to get issuer certificate
  7: ['path.signature'], // certificate signature failure
  9: ['path.not-yet-valid'],
  10: ['path.expired'],
  18: ['path.no-issuer'], // self-signed certificate (not an anchor)
  19: ['path.no-issuer'], // self-signed certificate in certificate chain
  20: ['path.no-issuer'], // unable to get local issuer certificate
  21: ['path.no-issuer'], // unable to verify the first certificate
  23: ['path.revoked'],
  24: ['path.not-ca', 'path.key-usage'], // invalid CA certificate
  25: ['path.path-length'],
  32: ['path.key-usage'], // key usage does not include certificate signing
  34: ['path.critical-extension', 'path.unsupported-extension'],
  78: ['path.strict-signature-algorithm-mismatch', 'path.signature'],
  79: ['path.not-ca', 'path.key-usage', 'path.strict-invalid-ca'],
  80: ['path.strict-path-len-invalid'],
  81: ['path.strict-path-len-invalid'],
  82: ['path.strict-key-cert-sign-non-ca'],
  83: ['path.strict-empty-name'],
  84: ['path.strict-empty-name'],
  85: ['path.strict-missing-aki'],
  86: ['path.strict-missing-ski'],
  87: ['path.strict-empty-name'],
  88: ['path.strict-empty-name'],
  89: ['path.strict-bc-not-critical'],
  90: ['path.critical-extension'],
  91: ['path.critical-extension'],
  92: ['path.strict-ca-missing-key-usage'],
  93: ['path.strict-extensions-v1'],
};
