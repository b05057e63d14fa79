// Verifying the signature of a signed ASN.1 structure (BasicOCSPResponse RFC 6960 §4.2.1,
// CertificateList RFC 5280 §5.1) with an issuer's SubjectPublicKeyInfo, through node:crypto. The
// algorithms are those an OCSP responder or CRL issuer of an ISO 15118 PKI uses: ECDSA with SHA-2
// (RFC 5758 §3.2), Ed25519 / Ed448 (RFC 8410), and RSA PKCS#1 v1.5 with SHA-2 for third-party
// responders (RFC 4055 §5). SHA-1 based signatures are refused.

import { createPublicKey, verify } from 'node:crypto';
import { OID } from '../../pki/ocsp/index.ts';

const DIGEST: Readonly<Record<string, string | null>> = {
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
  [OID.ed25519]: null,
  [OID.ed448]: null,
};

const ECDSA = new Set<string>([OID.ecdsaWithSha256, OID.ecdsaWithSha384, OID.ecdsaWithSha512]);

/** True when `signature` over `tbs` verifies with the key; false for anything else (never throws). */
export function signatureVerifies(
  tbs: Uint8Array,
  algorithmOid: string,
  signature: Uint8Array,
  spkiDer: Uint8Array,
): boolean {
  const digest = DIGEST[algorithmOid];
  if (digest === undefined) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    const keyType = key.asymmetricKeyType;
    if (ECDSA.has(algorithmOid)) {
      if (keyType !== 'ec') return false;
      return verify(digest, tbs, { key, dsaEncoding: 'der' }, signature);
    }
    if (algorithmOid === OID.ed25519 || algorithmOid === OID.ed448) {
      if (keyType !== (algorithmOid === OID.ed448 ? 'ed448' : 'ed25519')) return false;
      return verify(null, tbs, key, signature);
    }
    if (keyType !== 'rsa') return false;
    return verify(digest, tbs, key, signature);
  } catch {
    return false;
  }
}
