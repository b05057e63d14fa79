// Vehicle side of ISO 15118-2 certificate installation (exi-and-signatures.md §2.1, pki-profiles.md §4.1):
// build and sign the CertificateInstallationReq with the OEM provisioning key, then check the
// CertificateInstallationRes before anything is stored:
//
//   1. the CPS signature over ContractSignatureCertChain, ContractSignatureEncryptedPrivateKey,
//      DHpublickey and eMAID verifies with the SAProvisioningCertificateChain leaf;
//   2. that chain validates against the vehicle's V2G roots (role cps-leaf, [V2G2-925]);
//   3. the contract chain validates against the V2G roots (role contract-leaf; MO sub-CAs under the
//      V2G root as Hubject issues them);
//   4. the contract private key decrypts (ECDH with the provisioning key, src/contract-key) and belongs
//      to the contract certificate; the eMAID is the contract certificate's CN.

import { createPrivateKey, sign as cryptoSign, type KeyObject, X509Certificate } from 'node:crypto';
import {
  decryptContractKeyIso2,
  p256PublicPoint,
  scalarMatchesCertificate,
} from '../../contract-key/iso2-key-transport.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { toPathCert } from '../../pki/path/certificate.ts';
import { formatName, validatePath } from '../../pki/path/index.ts';
import { parseEmaid } from '../../pki/profiles/identifiers.ts';
import { signV2gMessage, type VerificationReport, verifyV2gMessage } from '../../xmldsig/v2g-signature.ts';
import { type DecodedIso2, type Iso2Message, iso2Message } from '../messages.ts';
import type { VehicleIdentity } from './identity.ts';

/** Raw r‖s ECDSA P-256/SHA-256 with a KeyObject: what ISO 15118-2 signatures carry. */
export function rawP256Signer(key: KeyObject): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => new Uint8Array(cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
}

/** X509IssuerSerial of a root, as ListOfRootCertificateIDs names it. */
export function rootCertificateId(der: Uint8Array): { X509IssuerName: string; X509SerialNumber: bigint } {
  const parsed = toPathCert(der);
  if (!parsed.ok) throw appError('ev.identity', `a V2G root cannot be parsed: ${parsed.reason}`);
  return {
    X509IssuerName: formatName(parsed.cert.cert.issuer),
    X509SerialNumber: BigInt(`0x${new X509Certificate(der).serialNumber}`),
  };
}

/** The signed CertificateInstallationReq (body Id "ID1", signed with the provisioning key). */
export async function buildCertificateInstallationReq(
  identity: VehicleIdentity,
  sessionId: Uint8Array,
): Promise<Iso2Message> {
  const message = iso2Message(sessionId, 'CertificateInstallationReq', {
    Id: 'ID1',
    OEMProvisioningCert: identity.provisioningChain[0]!,
    // The XSD allows at most 20 RootCertificateIDs.
    ListOfRootCertificateIDs: { RootCertificateID: identity.v2gRoots.slice(0, 20).map(rootCertificateId) },
  });
  await signV2gMessage(message, { ids: ['ID1'], signRaw: rawP256Signer(identity.provisioningKey) });
  return message;
}

export interface InstalledContract {
  readonly emaid: string;
  readonly key: KeyObject;
  readonly chain: readonly Uint8Array[];
}

// --- Checks shared with ./installation-20.ts -----------------------------------------------------------

/** Refuses a CertificateInstallationRes: ev.install-rejected, nothing is stored. */
export function rejectInstallation(message: string, details?: Record<string, unknown>): never {
  throw appError('ev.install-rejected', message, details ? { details } : {});
}

/** The certificates of a decoded chain element (Certificate, then SubCertificates); empty when absent. */
export function certificatesOfChain(c: ModelObject | undefined): Uint8Array[] {
  if (!c) return [];
  const subs =
    ((c.SubCertificates as ModelObject | undefined)?.Certificate as Uint8Array[] | undefined) ?? [];
  return [c.Certificate as Uint8Array, ...subs];
}

/** Step 1: the report of the edition's signature check (`verify`); refused when it does not verify. */
export function verifiedCpsSignature(verify: () => VerificationReport): VerificationReport {
  let report: VerificationReport;
  try {
    report = verify();
  } catch (e) {
    if (!isAppError(e)) throw e;
    rejectInstallation(`CPS signature refused: ${e.code} ${e.message}`);
  }
  if (!report.valid)
    rejectInstallation(
      `CPS signature does not verify (${report.signature}; unreferenced ${report.unreferenced.join(',') || 'none'})`,
    );
  return report;
}

/**
 * Steps 2 and 3: the CPS chain (role cps-leaf) and the contract chain (role contract-leaf) validate
 * against the vehicle's V2G roots at `at`, with the profiles of `iso` (-20) or the default ones (-2).
 */
export function checkInstallationChains(
  identity: VehicleIdentity,
  chains: { readonly cps: readonly Uint8Array[]; readonly contract: readonly Uint8Array[] },
  at: Date,
  iso?: '20',
): void {
  const edition = iso === undefined ? {} : { iso };
  const cps = validatePath({
    target: chains.cps[0]!,
    intermediates: chains.cps.slice(1),
    anchors: identity.v2gRoots,
    at,
    profile: { role: 'cps-leaf', ...edition },
  });
  if (!cps.valid)
    rejectInstallation(`the CPS chain is not valid against the V2G roots: ${cps.code} ${cps.reason}`);
  const contract = validatePath({
    target: chains.contract[0]!,
    intermediates: chains.contract.slice(1),
    anchors: identity.v2gRoots,
    at,
    profile: { role: 'contract-leaf', ...edition },
  });
  if (!contract.valid)
    rejectInstallation(
      `the contract chain is not valid against the V2G roots: ${contract.code} ${contract.reason}`,
    );
}

function emaidNormal(s: string): string {
  const p = parseEmaid(s, { verifyCheckDigit: false });
  return p.ok ? p.value.normalized : s.replace(/-/g, '').toUpperCase();
}

/** Checks a CertificateInstallationRes (steps 1-4 above) and returns the contract to store. */
export function checkCertificateInstallationRes(
  identity: VehicleIdentity,
  response: DecodedIso2,
  at: Date,
): InstalledContract {
  if (response.type !== 'CertificateInstallationRes')
    rejectInstallation(`expected CertificateInstallationRes, got ${response.type}`);
  const body = response.body;
  const code = String(body.ResponseCode);
  if (code.startsWith('FAILED'))
    throw appError('ev.session-failed', `CertificateInstallationRes ${code}`, {
      details: { responseCode: code },
    });
  // 1. CPS signature.
  verifiedCpsSignature(() => verifyV2gMessage(response.decoded));
  // 2. CPS chain → V2G root. 3. Contract chain → V2G root.
  const contractChain = certificatesOfChain(body.ContractSignatureCertChain as ModelObject);
  checkInstallationChains(
    identity,
    { cps: certificatesOfChain(body.SAProvisioningCertificateChain as ModelObject), contract: contractChain },
    at,
  );
  // 4. Contract key and eMAID.
  let scalar: Uint8Array;
  try {
    scalar = decryptContractKeyIso2({
      encryptedPrivateKey: (body.ContractSignatureEncryptedPrivateKey as ModelObject).$value as Uint8Array,
      dhPublicKey: (body.DHpublickey as ModelObject).$value as Uint8Array,
      recipientPrivateKey: identity.provisioningKey,
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    rejectInstallation(`the contract key cannot be decrypted: ${e.message}`);
  }
  if (!scalarMatchesCertificate(scalar, contractChain[0]!)) {
    scalar.fill(0);
    rejectInstallation('the decrypted contract key does not belong to the contract certificate');
  }
  const key = p256KeyFromScalar(scalar, contractChain[0]!);
  scalar.fill(0);
  const emaid = String((body.eMAID as ModelObject).$value);
  const cn = /^CN=(.*)$/m.exec(new X509Certificate(contractChain[0]!).subject)?.[1] ?? '';
  if (emaidNormal(cn) !== emaidNormal(emaid))
    rejectInstallation(`eMAID ${emaid} is not the contract certificate's CN ${cn}`);
  return { emaid, key, chain: contractChain };
}

/** A P-256 private KeyObject from its scalar and the matching certificate's public point. */
export function p256KeyFromScalar(scalar: Uint8Array, certificate: Uint8Array): KeyObject {
  const point = p256PublicPoint(certificate);
  return createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: Buffer.from(scalar).toString('base64url'),
      x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(point.subarray(33, 65)).toString('base64url'),
    },
    format: 'jwk',
  });
}
