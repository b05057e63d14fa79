// Certificate signature verification (RFC 5280 §6.1.3 (a)(1)) with node:crypto, i.e. OpenSSL's
// EVP layer: ECDSA over P-256/P-384/P-521 with SHA-1/256/384/512 (RFC 5758 §3.2, RFC 3279 §2.2.3)
// and EdDSA Ed25519/Ed448 (RFC 8410 §3). RSA is not supported: no ISO 15118 certificate uses it
// (every certificate of ../shared/vectors/pki is ECDSA), PV-07.

import { verify } from 'node:crypto';
import { bytesEqual, oidOf, toHex } from '../lint/der.ts';
import { CURVE_OIDS, OID_EC_PUBLIC_KEY, OID_ED448, OID_ED25519 } from '../profiles/oids.ts';
import { type PathCert, publicKeyOf } from './certificate.ts';

const ECDSA_HASH: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export type SignatureCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'path.signature' | 'path.unsupported-algorithm';
      readonly reason: string;
    };

function fail(code: 'path.signature' | 'path.unsupported-algorithm', reason: string): SignatureCheck {
  return { ok: false, code, reason };
}

/** Does `issuer`'s key verify `child`'s signature? Never throws. */
export function verifySignature(child: PathCert, issuer: PathCert): SignatureCheck {
  const c = child.cert;
  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal tbsCertificate.signature; OpenSSL's
  // X509_verify refuses a mismatch in every mode (X509_ALGOR_cmp).
  if (!bytesEqual(c.signatureAlgorithm.raw, c.tbsSignatureAlgorithm.raw))
    return fail('path.signature', 'signatureAlgorithm differs from the signature field of tbsCertificate');
  if (child.signatureUnusedBits !== 0)
    return fail('path.signature', 'signatureValue has unused bits (X.509 signatures are whole octets)');
  const alg = c.signatureAlgorithm;
  const spkiAlg = issuer.cert.spki.algorithm;
  let digest: string | null;
  if (ECDSA_HASH[alg.oid] !== undefined) {
    digest = ECDSA_HASH[alg.oid] as string;
    if (spkiAlg.oid !== OID_EC_PUBLIC_KEY)
      return fail('path.signature', `an ECDSA signature, but the issuer key is ${spkiAlg.oid}`);
    const curve = oidOf(spkiAlg.parameters ?? undefined);
    if (curve === null || CURVE_OIDS[curve] === undefined)
      return fail(
        'path.unsupported-algorithm',
        'the issuer key is not on a supported named curve (P-256, P-384, P-521)',
      );
  } else if (alg.oid === OID_ED25519 || alg.oid === OID_ED448) {
    digest = null;
    // RFC 8410 §3: "the parameters MUST be absent".
    if (alg.parameters !== null) return fail('path.signature', 'EdDSA signature algorithm with parameters');
    if (spkiAlg.oid !== alg.oid)
      return fail(
        'path.signature',
        `an ${alg.oid === OID_ED448 ? 'Ed448' : 'Ed25519'} signature, but the issuer key is ${spkiAlg.oid}`,
      );
  } else {
    return fail('path.unsupported-algorithm', `signature algorithm ${alg.oid} is not supported`);
  }
  const key = publicKeyOf(issuer);
  if (typeof key === 'string') return fail('path.signature', `issuer ${key}`);
  let ok: boolean;
  try {
    // ECDSA: DER Ecdsa-Sig-Value; OpenSSL re-encodes it and refuses non-DER forms.
    ok = verify(digest, c.tbsRaw, digest === null ? key : { key, dsaEncoding: 'der' }, c.signatureValue);
  } catch (e) {
    return fail('path.signature', `signature check failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return ok
    ? { ok: true }
    : fail(
        'path.signature',
        `signature does not verify with the key of the issuer (SPKI sha256 ${spkiTag(issuer)})`,
      );
}

function spkiTag(c: PathCert): string {
  return toHex(c.cert.spki.raw.subarray(-8));
}
