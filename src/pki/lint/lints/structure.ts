// Encoding and top-level structure: DER, version, serial number, algorithm identifiers, size.

import { OID_EC_PUBLIC_KEY, OID_ED448, OID_ED25519, SIGNATURE_OIDS } from '../../profiles/oids.ts';
import type { AlgorithmId } from '../certificate.ts';
import { bytesEqual, isUniversal, TAG_OID } from '../der.ts';
import { EXTENSION_DECODERS } from '../extensions.ts';
import type { Finding, Lint } from '../types.ts';

export const derInvalid: Lint = {
  code: 'x509.der.invalid',
  severity: 'error',
  clause: 'RFC 5280 §4.1 (DER); X.690 §10-11',
  summary:
    'The certificate or an extension value is BER but not DER (lengths, BOOLEAN, INTEGER, BIT STRING, DEFAULT values).',
  check(ctx) {
    const issues = [...ctx.derIssues];
    for (const ext of ctx.cert.extensions) {
      const decoder = EXTENSION_DECODERS[ext.oid];
      if (decoder === undefined) continue;
      const d = decoder(ext.value);
      if (d.ok) issues.push(...d.derIssues.map((i) => `${i}`));
    }
    return issues.map((message) => ({ message }));
  },
};

export const versionNotV3: Lint = {
  code: 'x509.version.not-v3',
  severity: 'error',
  clause: 'RFC 5280 §4.1.2.1',
  summary: 'Certificates with extensions must be version 3.',
  check(ctx) {
    return ctx.cert.version === 3 ? [] : [{ message: `version is v${ctx.cert.version}, expected v3` }];
  },
};

export const serialNotPositive: Lint = {
  code: 'x509.serial.not-positive',
  severity: 'error',
  clause: 'RFC 5280 §4.1.2.2',
  summary: 'The serial number must be a positive integer.',
  check(ctx) {
    const s = ctx.cert.serial;
    if (((s[0] ?? 0) & 0x80) !== 0) return [{ message: 'serial number is negative' }];
    if (s.every((b) => b === 0)) return [{ message: 'serial number is zero' }];
    return [];
  },
};

export const serialTooLong: Lint = {
  code: 'x509.serial.too-long',
  severity: 'error',
  clause: 'RFC 5280 §4.1.2.2',
  summary: 'The serial number must not be longer than 20 octets.',
  check(ctx) {
    const n = ctx.cert.serial.length;
    return n > 20 ? [{ message: `serial number is ${n} octets, at most 20 allowed` }] : [];
  },
};

export const serialLowEntropy: Lint = {
  code: 'x509.serial.low-entropy',
  severity: 'warning',
  clause: 'CA/B Forum BR §7.1 (64 random bits); Hubject uses 16 random bytes (pki-profiles.md §1.3; P-025)',
  summary: 'The serial number has fewer than 8 octets, so it cannot hold 64 random bits.',
  check(ctx) {
    const s = ctx.cert.serial;
    const significant = s[0] === 0 ? s.length - 1 : s.length;
    return significant < 8
      ? [{ message: `serial number has ${significant} significant octet(s), fewer than 8` }]
      : [];
  },
};

export const signatureAlgorithmMismatch: Lint = {
  code: 'x509.signature-algorithm.mismatch',
  severity: 'error',
  clause: 'RFC 5280 §4.1.1.2',
  summary: 'signatureAlgorithm must equal the signature field inside tbsCertificate.',
  check(ctx) {
    const { signatureAlgorithm: outer, tbsSignatureAlgorithm: inner } = ctx.cert;
    return bytesEqual(outer.raw, inner.raw)
      ? []
      : [
          {
            message: `outer signatureAlgorithm ${outer.oid} differs from tbsCertificate.signature ${inner.oid}`,
          },
        ];
  },
};

function signatureParameterProblem(alg: AlgorithmId, where: string): Finding | null {
  if (SIGNATURE_OIDS[alg.oid] === undefined) return null;
  // RFC 5758 §3.2 (ECDSA) and RFC 8410 §3 (EdDSA): parameters MUST be absent.
  return alg.parameters === null
    ? null
    : { message: `${where}: parameters present for ${SIGNATURE_OIDS[alg.oid]}` };
}

export const algorithmParameters: Lint = {
  code: 'x509.algorithm-identifier.parameters',
  severity: 'error',
  clause: 'RFC 5758 §3.2; RFC 5480 §2.1.1; RFC 8410 §3',
  summary:
    'AlgorithmIdentifier parameters: absent for ECDSA/EdDSA signatures and EdDSA keys, a named curve OID for EC keys.',
  check(ctx) {
    const out: Finding[] = [];
    const a = signatureParameterProblem(ctx.cert.tbsSignatureAlgorithm, 'tbsCertificate.signature');
    if (a !== null) out.push(a);
    const b = signatureParameterProblem(ctx.cert.signatureAlgorithm, 'signatureAlgorithm');
    if (b !== null) out.push(b);
    const k = ctx.cert.spki.algorithm;
    if (k.oid === OID_EC_PUBLIC_KEY && !isUniversal(k.parameters ?? undefined, TAG_OID)) {
      out.push({ message: 'EC subjectPublicKeyInfo parameters are not a namedCurve OID (RFC 5480 §2.1.1)' });
    }
    if ((k.oid === OID_ED448 || k.oid === OID_ED25519) && k.parameters !== null) {
      out.push({ message: 'EdDSA subjectPublicKeyInfo parameters present (RFC 8410 §3)' });
    }
    return out;
  },
};

export const sizeMax: Lint = {
  code: 'v2g.size.max',
  severity: 'error',
  clause:
    'ISO 15118-2 XSD certificateType maxLength 800 / ISO 15118-20 XSD 1600 (pki-profiles.md Summary 1; P-017)',
  summary: 'The DER certificate is longer than the ISO 15118 message schema allows.',
  check(ctx) {
    const n = ctx.cert.der.length;
    const max = ctx.profile.maxDerBytes;
    return n > max
      ? [{ message: `certificate is ${n} bytes, the ISO 15118-${ctx.profile.iso} schema allows ${max}` }]
      : [];
  },
};

export const STRUCTURE_LINTS: readonly Lint[] = [
  derInvalid,
  versionNotV3,
  serialNotPositive,
  serialTooLong,
  serialLowEntropy,
  signatureAlgorithmMismatch,
  algorithmParameters,
  sizeMax,
];
