// Vehicle side of ISO 15118-20 certificate installation (exi-and-signatures.md §2.2, pki-profiles.md
// §4.2): build the CertificateInstallationReq whose OEMProvisioningCertificateChain is signed with the
// OEM provisioning key (P-521: ECDSA-SHA512, Ed448: Ed448/SHAKE256), then check each
// CertificateInstallationRes before anything is stored (D-166):
//
//   1. the CPS signature covers exactly SignedInstallationData and verifies with the
//      CPSCertificateChain leaf;
//   2. that chain validates against the vehicle's V2G roots (role cps-leaf, ISO 15118-20);
//   3. the contract chain of SignedInstallationData validates against the V2G roots (role contract-leaf);
//   4. the contract key decrypts (ECDH SECP521 with the provisioning key, or X448 with the X448 key of
//      an Ed448 provisioning key, D-141; AAD = PCID ‖ contract SKI, [V2G20-2492]) and belongs to the
//      contract certificate. The EMAID is the contract certificate's CN (-20 carries no eMAID element).

import { createPrivateKey, sign as cryptoSign, type KeyObject, X509Certificate } from 'node:crypto';
import { x448PrivateKeyOfEd448 } from '../../contract-key/ed448-x448.ts';
import { decryptContractKeyIso20, type Iso20Curve } from '../../contract-key/iso20-key-transport.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { parseCertificate } from '../../pki/ocsp/index.ts';
import { signIso20Message, verifyIso20Message } from '../../xmldsig/v2g-signature.ts';
import { type DecodedIso20, type Iso20Message, iso20Message } from '../messages.ts';
import type { VehicleIdentity } from './identity.ts';
import {
  certificatesOfChain,
  checkInstallationChains,
  rejectInstallation,
  rootCertificateId,
  verifiedCpsSignature,
} from './installation.ts';

export type Iso20Suite = 'ecdsa-p521-sha512' | 'ed448-shake256';

/** The -20 signature suite of a private key: P-521 → ECDSA-SHA512, Ed448 → Ed448 (D-014). */
export function iso20SuiteOf(key: KeyObject): Iso20Suite {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp521r1')
    return 'ecdsa-p521-sha512';
  if (key.asymmetricKeyType === 'ed448') return 'ed448-shake256';
  throw appError('ev.identity', 'ISO 15118-20 needs a secp521r1 or Ed448 key');
}

/** Raw signature for the -20 suites: r‖s (132 bytes) or the 114-byte Ed448 signature. */
export function iso20Signer(key: KeyObject): {
  suite: Iso20Suite;
  signRaw: (data: Uint8Array) => Promise<Uint8Array>;
} {
  const suite = iso20SuiteOf(key);
  return {
    suite,
    signRaw: async (data) =>
      new Uint8Array(
        suite === 'ed448-shake256'
          ? cryptoSign(null, data, key)
          : cryptoSign('sha512', data, { key, dsaEncoding: 'ieee-p1363' }),
      ),
  };
}

export interface Installation20Options {
  /** MaximumContractCertificateChains (1..255; default 1). */
  readonly maximumChains?: number;
  /** PrioritizedEMAIDs (at most 8). */
  readonly prioritizedEmaids?: readonly string[];
}

/** The signed -20 CertificateInstallationReq (OEMProvisioningCertificateChain Id "ID1"). */
export async function buildCertificateInstallationReq20(
  identity: VehicleIdentity,
  sessionId: Uint8Array,
  timeStamp: bigint,
  options: Installation20Options = {},
): Promise<Iso20Message> {
  const [leaf, ...subs] = identity.provisioningChain;
  const maximum = options.maximumChains ?? 1;
  if (!Number.isInteger(maximum) || maximum < 1 || maximum > 255)
    throw appError('ev.identity', 'MaximumContractCertificateChains is 1..255');
  const prioritized = options.prioritizedEmaids ?? [];
  if (prioritized.length > 8) throw appError('ev.identity', 'at most 8 PrioritizedEMAIDs (XSD)');
  const message = iso20Message('CertificateInstallationReq', sessionId, timeStamp, {
    OEMProvisioningCertificateChain: {
      Id: 'ID1',
      Certificate: leaf!,
      // -20 SubCertificatesType: at most 3.
      ...(subs.length > 0 ? { SubCertificates: { Certificate: subs.slice(0, 3) } } : {}),
    },
    ListOfRootCertificateIDs: { RootCertificateID: identity.v2gRoots.slice(0, 20).map(rootCertificateId) },
    MaximumContractCertificateChains: maximum,
    ...(prioritized.length > 0 ? { PrioritizedEMAIDs: { EMAID: [...prioritized] } } : {}),
  });
  const signer = iso20Signer(identity.provisioningKey);
  await signIso20Message(message, { ids: ['ID1'], signRaw: signer.signRaw, suite: signer.suite });
  return message;
}

export interface InstalledContract20 {
  readonly emaid: string;
  readonly key: KeyObject;
  readonly chain: readonly Uint8Array[];
  readonly curve: Iso20Curve;
  /** RemainingContractCertificateChains of this answer. */
  readonly remaining: number;
}

/** PKCS#8 (RFC 8410) of an Ed448 private key: this prefix, then the 57-byte key. */
const ED448_PKCS8_PREFIX = Buffer.from('3047020100300506032b6571043b0439', 'hex');

/** The contract private key from the decrypted bytes and its certificate. */
function contractKeyOf(bytes: Uint8Array, certificate: Uint8Array): KeyObject {
  const cert = new X509Certificate(certificate);
  const pub = cert.publicKey;
  if (pub.asymmetricKeyType === 'ec' && bytes.length === 66) {
    const jwk = pub.export({ format: 'jwk' });
    return createPrivateKey({
      key: { ...jwk, d: Buffer.from(bytes).toString('base64url') },
      format: 'jwk',
    });
  }
  if (pub.asymmetricKeyType === 'ed448' && bytes.length === 57)
    return createPrivateKey({
      key: Buffer.concat([ED448_PKCS8_PREFIX, bytes]),
      format: 'der',
      type: 'pkcs8',
    });
  throw appError(
    'ev.install-rejected',
    `a ${bytes.length}-byte key does not fit the ${pub.asymmetricKeyType} contract certificate`,
  );
}

/** Checks one -20 CertificateInstallationRes (steps 1-4 above) and returns the contract to store. */
export function checkCertificateInstallationRes20(
  identity: VehicleIdentity,
  response: DecodedIso20,
  at: Date,
): InstalledContract20 {
  if (response.type !== 'CertificateInstallationRes')
    rejectInstallation(`expected CertificateInstallationRes, got ${response.type}`);
  const body = response.body;
  const code = String(body.ResponseCode);
  if (!code.startsWith('OK'))
    throw appError('ev.session-failed', `CertificateInstallationRes ${code}`, {
      details: { responseCode: code },
    });
  // 1. CPS signature over SignedInstallationData, and nothing else.
  const report = verifiedCpsSignature(() => verifyIso20Message(response.decoded));
  const data = body.SignedInstallationData as ModelObject;
  if (report.references.length !== 1 || report.references[0]!.element !== 'SignedInstallationData')
    rejectInstallation('the CPS signature must reference exactly SignedInstallationData');
  // 2. CPS chain → V2G root. 3. Contract chain → V2G root.
  const contractChain = certificatesOfChain(data.ContractCertificateChain as ModelObject);
  checkInstallationChains(
    identity,
    { cps: certificatesOfChain(body.CPSCertificateChain as ModelObject), contract: contractChain },
    at,
    '20',
  );
  // 4. Contract key: decrypt for this vehicle, check it belongs to the contract certificate.
  const curve = data.ECDHCurve as Iso20Curve;
  const encrypted = (
    curve === 'SECP521' ? data.SECP521_EncryptedPrivateKey : data.X448_EncryptedPrivateKey
  ) as Uint8Array | undefined;
  if (!encrypted) rejectInstallation(`SignedInstallationData carries no ${curve}_EncryptedPrivateKey`);
  const provisioning = identity.provisioningKey;
  const ed448 = provisioning.asymmetricKeyType === 'ed448';
  if ((curve === 'X448') !== ed448)
    rejectInstallation(
      `ECDHCurve ${curve} does not fit the vehicle's ${provisioning.asymmetricKeyType} provisioning key`,
    );
  const ski = parseCertificate(contractChain[0]!).subjectKeyIdentifier;
  if (!ski) rejectInstallation('the contract certificate has no subject key identifier (AAD, [V2G20-2492])');
  let bytes: Uint8Array;
  try {
    bytes = decryptContractKeyIso20({
      curve,
      encryptedPrivateKey: encrypted,
      dhPublicKey: data.DHPublicKey as Uint8Array,
      recipientPrivateKey: ed448 ? x448PrivateKeyOfEd448(provisioning) : provisioning,
      pcid: identity.pcid.toUpperCase(),
      contractSki: ski,
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    rejectInstallation(`the contract key cannot be decrypted: ${e.message}`);
  }
  let key: KeyObject;
  try {
    key = contractKeyOf(bytes, contractChain[0]!);
  } catch (e) {
    if (isAppError(e)) throw e;
    rejectInstallation('the decrypted contract key does not belong to the contract certificate');
  } finally {
    bytes.fill(0);
  }
  if (!new X509Certificate(contractChain[0]!).checkPrivateKey(key))
    rejectInstallation('the decrypted contract key does not belong to the contract certificate');
  const emaid = /^CN=(.*)$/m.exec(new X509Certificate(contractChain[0]!).subject)?.[1] ?? '';
  if (emaid === '') rejectInstallation('the contract certificate has no CN (EMAID)');
  return {
    emaid,
    key,
    chain: contractChain,
    curve,
    remaining: Number(body.RemainingContractCertificateChains),
  };
}
