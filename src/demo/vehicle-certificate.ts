// The -20 vehicle certificate of the demo (ISO 15118-20 mutual TLS, D-122 / D-165 / D-180): the
// Vehicle Sub-CA 1 and 2 under the V2G root (as EVerest's vehicle chain, pki-profiles.md §1.1, P-022;
// `pnc pki init` does not create them) and the vehicle's TLS client certificate enrolled by EST at
// the `veh` CA (OPCP est.v1.json, interop.md §1.6) with an OEM token: a fresh P-521 key, a PKCS#10
// request with CN = PCID, the certs-only PKCS#7 answer and the CA chain from `cacerts`.

import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import type { CaView, CertificateAuthorityService } from '../ca/index.ts';
import { appError } from '../errors/catalogue.ts';
import { oid, sequence, set, tlv } from '../pki/ocsp/asn1.ts';
import { buildCsr, certificatesOfPkcs7 } from '../v2g/secc/est-enroll.ts';

const OID_C = '2.5.4.6';
const OID_O = '2.5.4.10';
const OID_CN = '2.5.4.3';
const EST_VEH = '/.well-known/est/veh';

/** Vehicle Sub-CA 1 (under the -20 V2G root) and Vehicle Sub-CA 2; returns the Sub-CA 2. */
export async function addVehicleSubCas(
  ca: Pick<CertificateAuthorityService, 'createSubCa'>,
  root: CaView,
  actor: string,
): Promise<CaView> {
  const subject = (commonName: string) => ({ commonName, organization: 'PnC Demo', country: 'DE' });
  const sub1 = await ca.createSubCa({
    parentId: root.id,
    level: 1,
    domain: 'vehicle',
    subject: subject('Vehicle Sub-CA 1 ISO15118-20'),
    actor,
  });
  return ca.createSubCa({
    parentId: sub1.id,
    level: 2,
    domain: 'vehicle',
    subject: subject('Vehicle Sub-CA 2 ISO15118-20'),
    actor,
  });
}

export interface VehicleEnrollOptions {
  /** Base URL of the platform. */
  readonly baseUrl: string;
  /** OEM access token (EST `veh` enrolment is the OEM's, docs/pki-http.md). */
  readonly token: string;
  /** CN of the vehicle certificate (no public rule; the demo uses the PCID). */
  readonly commonName: string;
  readonly timeoutMs?: number;
}

async function estCall(
  options: VehicleEnrollOptions,
  path: string,
  init: RequestInit,
): Promise<Uint8Array[]> {
  let response: Response;
  try {
    response = await fetch(`${options.baseUrl.replace(/\/$/, '')}${path}`, {
      ...init,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw appError('client.unreachable', `EST server not reachable: ${(e as Error).message}`, { cause: e });
  }
  const text = await response.text();
  if (response.status !== 200)
    throw appError('client.http', `EST ${path} answered HTTP ${response.status}`, {
      details: { status: response.status },
    });
  try {
    return certificatesOfPkcs7(new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64')));
  } catch (e) {
    throw appError('client.response', `EST ${path} answer is not a base64 certs-only PKCS#7`, { cause: e });
  }
}

/** The vehicle's TLS key and chain (vehicle certificate, Vehicle Sub-CA 2, Vehicle Sub-CA 1). */
export async function enrollVehicleCertificate(
  options: VehicleEnrollOptions,
): Promise<{ key: KeyObject; chain: Uint8Array[] }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const text = (s: string) => new TextEncoder().encode(s);
  const subject = sequence(
    set(sequence(oid(OID_C), tlv(0x13, text('DE')))),
    set(sequence(oid(OID_O), tlv(0x0c, text('PnC Demo OEM')))),
    set(sequence(oid(OID_CN), tlv(0x0c, text(options.commonName)))),
  );
  const csr = buildCsr(privateKey, spki, subject);
  const issued = await estCall(options, `${EST_VEH}/simpleenroll/ISO15118-20`, {
    method: 'POST',
    headers: { 'content-type': 'application/pkcs10', authorization: `Bearer ${options.token}` },
    body: Buffer.from(csr).toString('base64'),
  });
  const leaf = issued[0];
  if (leaf === undefined || !new X509Certificate(leaf).checkPrivateKey(privateKey))
    throw appError('client.response', 'the EST answer does not hold a certificate for the generated key');
  // cacerts: the issuing sub-CA first, root last (interop.md §1.6); the root is not sent in TLS.
  const cas = await estCall(options, `${EST_VEH}/cacerts/ISO15118-20`, { method: 'GET' });
  const subs = cas.filter((c) => {
    const x = new X509Certificate(c);
    return x.subject !== x.issuer;
  });
  return { key: privateKey, chain: [leaf, ...subs] };
}
