// Subject key and signature algorithm.

import { createPublicKey } from 'node:crypto';
import { describeKey, describeSignature, isEdwards, signatureAlgorithmOf } from '../algorithms.ts';
import type { Lint } from '../types.ts';

export const keyAlgorithm: Lint = {
  code: 'v2g.key.algorithm',
  severity: 'error',
  clause: 'ISO 15118-2 secp256r1 / [V2G20-2674] secp521r1, [V2G20-2319] Ed448 (P-002)',
  summary: 'The subject key type is not allowed by the profile.',
  check(ctx) {
    const allowed = ctx.profile.keyAlgorithms;
    if (ctx.keyAlgorithm !== null && allowed.includes(ctx.keyAlgorithm)) return [];
    return [
      {
        message: `subject key is ${describeKey(ctx.cert.spki)}, ISO 15118-${ctx.profile.iso} allows ${allowed.join(' or ')}`,
        clause: ctx.profile.algorithmClause,
      },
    ];
  },
};

export const signatureAlgorithm: Lint = {
  code: 'v2g.signature.algorithm',
  severity: 'error',
  clause: 'ISO 15118-2 ecdsa-with-SHA256 / [V2G20-2673] [V2G20-2318] (P-002)',
  summary: 'The certificate is signed with an algorithm the profile does not allow.',
  check(ctx) {
    const sig = signatureAlgorithmOf(ctx.cert.tbsSignatureAlgorithm);
    const allowed = ctx.profile.signatureAlgorithms;
    if (sig !== null && allowed.includes(sig)) return [];
    return [
      {
        message: `signed with ${describeSignature(ctx.cert.tbsSignatureAlgorithm)}, ISO 15118-${ctx.profile.iso} allows ${allowed.join(' or ')}`,
        clause: ctx.profile.algorithmClause,
      },
    ];
  },
};

export const keyFamilyMismatch: Lint = {
  code: 'v2g.signature.key-family-mismatch',
  severity: 'warning',
  clause: '[V2G20-2320] curve switch / OPCP cacerts per algorithm: one algorithm per chain (P-031)',
  summary:
    'Subject key and issuer signature belong to different algorithm families (ECDSA vs EdDSA): a mixed chain.',
  check(ctx) {
    const sig = signatureAlgorithmOf(ctx.cert.tbsSignatureAlgorithm);
    const key = ctx.keyAlgorithm;
    // Only judge combinations that are individually allowed; the other lints report the rest.
    if (sig === null || key === null) return [];
    if (!ctx.profile.signatureAlgorithms.includes(sig) || !ctx.profile.keyAlgorithms.includes(key)) return [];
    const sigEdwards = sig === 'Ed448' || sig === 'Ed25519';
    return sigEdwards === isEdwards(key) ? [] : [{ message: `subject key ${key} but signed with ${sig}` }];
  },
};

export const publicKeyInvalid: Lint = {
  code: 'x509.public-key.invalid',
  severity: 'error',
  clause: 'RFC 5480 §2.2; RFC 8410 §4; SEC 1 §2.3.4 (point on the curve)',
  summary: 'The subject public key cannot be loaded (malformed encoding or EC point not on the curve).',
  check(ctx) {
    if (ctx.keyAlgorithm === null) return [];
    try {
      createPublicKey({ key: Buffer.from(ctx.cert.spki.raw), format: 'der', type: 'spki' });
      return [];
    } catch (e) {
      return [
        {
          message: `subject public key rejected by the crypto library: ${e instanceof Error ? e.message : String(e)}`,
        },
      ];
    }
  },
};

export const publicKeyCompressed: Lint = {
  code: 'v2g.public-key.compressed',
  severity: 'error',
  clause:
    'RFC 5480 §2.2 (uncompressed MUST be supported); ISO 15118 keys are uncompressed points (pki-profiles.md §4; P-002)',
  summary: 'The EC public key uses the compressed point form.',
  check(ctx) {
    const k = ctx.keyAlgorithm;
    if (k === null || isEdwards(k)) return [];
    const first = ctx.cert.spki.publicKey[0];
    return first === 0x02 || first === 0x03
      ? [{ message: `EC public key is a compressed point (${ctx.cert.spki.publicKey.length} bytes)` }]
      : [];
  },
};

export const KEY_LINTS: readonly Lint[] = [
  keyAlgorithm,
  signatureAlgorithm,
  keyFamilyMismatch,
  publicKeyInvalid,
  publicKeyCompressed,
];
