// Test support for the CPS: contract certificates from the demo MO Sub-CA 2 of a test ecosystem
// (the CA the server runs), vehicles (provisioning certificates from the demo OEM Sub-CA 2 whose
// private key the test keeps, to decrypt what the CPS encrypted), contract data an MO with its own
// PKI would send, and request bodies of both trees.

import { generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import type { CertificateAuthorityService } from '../../ca/index.ts';
import type { CaView, ValidityRequest } from '../../ca/types.ts';
import { x448PublicKeyOfEd448 } from '../../contract-key/ed448-x448.ts';
import { encryptContractKeyIso2 } from '../../contract-key/iso2-key-transport.ts';
import { encryptContractKeyIso20 } from '../../contract-key/iso20-key-transport.ts';
import { parseCertificate } from '../../pki/ocsp/index.ts';
import { computeEmaidCheckDigit } from '../../pki/profiles/identifiers.ts';

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
}

export function p256(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

/** An EMAID of provider `DE` + provider with a valid check digit: `DEABCC0000123457`-like, 15 chars. */
export function testEmaid(provider: string, seed: number): string {
  const base = `${provider}C${String(seed).padStart(8, '0')}`;
  if (!/^[A-Z]{2}[A-Z0-9]{3}[A-Z0-9]{9}$/.test(base)) throw new Error(`bad EMAID base ${base}`);
  return base + computeEmaidCheckDigit(base);
}

/** The same EMAID with its last character replaced by a wrong check digit. */
export function wrongCheckDigit(emaid: string): string {
  const right = emaid.slice(-1);
  return emaid.slice(0, -1) + (right === 'X' ? 'Y' : 'X');
}

export async function demoCa(
  ca: CertificateAuthorityService,
  role: string,
  iso: '2' | '20' = '2',
): Promise<CaView> {
  const found = (await ca.listCas()).find((c) => c.role === role && c.iso === iso && c.status === 'active');
  if (found === undefined) throw new Error(`no demo ${role} of ISO 15118-${iso}`);
  return found;
}

export interface IssuedLeaf {
  readonly der: Uint8Array;
  readonly key: TestKeyPair;
  /** Leaf, Sub-CA 2, Sub-CA 1 (no root). */
  readonly chain: readonly Uint8Array[];
  readonly root: Uint8Array;
  readonly certificateId: string;
}

async function issueLeaf(
  ca: CertificateAuthorityService,
  issuerRole: 'mo-sub2' | 'oem-sub2',
  role: 'contract-leaf' | 'oem-prov-leaf',
  commonName: string,
  validity?: ValidityRequest,
): Promise<IssuedLeaf> {
  return issueLeafWithKey(ca, await demoCa(ca, issuerRole), role, commonName, p256(), validity);
}

/** A leaf for the test-held `key` from the CA `issuer`, with its chain (no root) and its root. */
async function issueLeafWithKey(
  ca: CertificateAuthorityService,
  issuer: CaView,
  role: 'contract-leaf' | 'oem-prov-leaf',
  commonName: string,
  key: TestKeyPair,
  validity?: ValidityRequest,
): Promise<IssuedLeaf> {
  const token = await ca.prepare({
    issuerCaId: issuer.id,
    role,
    subject: { commonName, organization: 'PnC Test' },
    subjectPublicKeyInfo: key.spki,
    ...(validity === undefined ? {} : { validity }),
  });
  const issued = await ca.issue(token);
  const chain = await ca.chain(issued.id);
  return {
    der: issued.certificate,
    key,
    chain: chain.slice(0, -1),
    root: chain[chain.length - 1] as Uint8Array,
    certificateId: issued.id,
  };
}

/** A contract certificate (CN = EMAID) from the demo MO Sub-CA 2: what an MO with its own PKI has. */
export function issueContract(
  ca: CertificateAuthorityService,
  emaid: string,
  validity?: ValidityRequest,
): Promise<IssuedLeaf> {
  return issueLeaf(ca, 'mo-sub2', 'contract-leaf', emaid, validity);
}

/** A vehicle: provisioning certificate (CN = PCID) from the demo OEM Sub-CA 2, private key kept. */
export function issueVehicle(ca: CertificateAuthorityService, pcid: string): Promise<IssuedLeaf> {
  return issueLeaf(ca, 'oem-sub2', 'oem-prov-leaf', pcid);
}

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

/** The contract data fields an MO sends: its chain, the key encrypted for the vehicle, the DH key. */
export function contractFields(
  contract: IssuedLeaf,
  vehicle: Uint8Array,
): {
  readonly certificate: string;
  readonly subCa2: string;
  readonly subCa1: string;
  readonly encryptedPrivateKey: string;
  readonly dhPublicKey: string;
} {
  const transport = encryptContractKeyIso2({
    contractPrivateKey: contract.key.privateKey,
    recipient: vehicle,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
  });
  return transportedContractFields(contract, transport);
}

type Fields = ReturnType<typeof contractFields>;

/** The base64 contract fields of an MO request: the contract chain and its transported key. */
function transportedContractFields(
  contract: IssuedLeaf,
  transport: { readonly encryptedPrivateKey: Uint8Array; readonly dhPublicKey: Uint8Array },
): Fields {
  return {
    certificate: b64(contract.der),
    subCa2: b64(contract.chain[1] as Uint8Array),
    subCa1: b64(contract.chain[2] as Uint8Array),
    encryptedPrivateKey: b64(transport.encryptedPrivateKey),
    dhPublicKey: b64(transport.dhPublicKey),
  };
}

/** OPCP `contract-data` (nested chain) body of contractData/signed, forward, signedContractData. */
export function opcpNestedBody(f: Fields, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contractData: {
      contractSignatureCertChain: {
        contractSignatureCertChainCertificate: f.certificate,
        contractSignatureCertChainSubCertificates: [f.subCa2, f.subCa1],
      },
      contractSignatureEncryptedPrivateKey: f.encryptedPrivateKey,
      dHpublickey: f.dhPublicKey,
    },
    xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    ...extra,
  };
}

/** OPCP `ContractData` (flat) body of contractData/signed. */
export function opcpFlatBody(f: Fields, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contractData: {
      contractCertificate: f.certificate,
      contractSubCa2Certificate: f.subCa2,
      contractSubCa1Certificate: f.subCa1,
      contractSignatureEncryptedPrivateKey: f.encryptedPrivateKey,
      dHpublickey: f.dhPublicKey,
    },
    xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    ...extra,
  };
}

/** OPNC signContractDataReq body. */
export function opncSignBody(
  f: Fields,
  bundle: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    contractCertificateBundle: {
      contractCertificateChain: {
        certificate: f.certificate,
        subCa2Certificate: f.subCa2,
        subCa1Certificate: f.subCa1,
      },
      contractSignatureEncryptedPrivateKey: f.encryptedPrivateKey,
      dHpublickey: f.dhPublicKey,
      ...bundle,
    },
    xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    ...extra,
  };
}

// --- ISO 15118-20 ------------------------------------------------------------------------------------

export type Algorithm20 = 'P-521' | 'Ed448';

export function key20(algorithm: Algorithm20): TestKeyPair {
  const { privateKey, publicKey } =
    algorithm === 'P-521'
      ? generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
      : generateKeyPairSync('ed448');
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

/** A -20 leaf with a test-held key of `algorithm` from the CA `issuer` (any -20 sub-CA 2). */
export async function issueLeaf20(
  ca: CertificateAuthorityService,
  issuer: CaView,
  role: 'contract-leaf' | 'oem-prov-leaf',
  commonName: string,
  algorithm: Algorithm20,
  validity?: ValidityRequest,
): Promise<IssuedLeaf> {
  return issueLeafWithKey(ca, issuer, role, commonName, key20(algorithm), validity);
}

/** A second -20 hierarchy on Ed448 (the demo -20 tree is P-521): V2G root, Prov, MO and OEM sub-CAs, CPS leaf. */
export interface Ed448Tree {
  readonly root: CaView;
  readonly cpsSub2: CaView;
  readonly moSub2: CaView;
  readonly oemSub2: CaView;
}

export async function createEd448Tree(
  ca: CertificateAuthorityService,
  name = 'Ed448 Test',
): Promise<Ed448Tree> {
  const subject = (cn: string) => ({ commonName: `${cn} ${name}`, organization: 'PnC Test', country: 'DE' });
  const root = await ca.createRoot({
    kind: 'v2g',
    iso: 20,
    subject: subject('V2G Root CA'),
    algorithm: 'Ed448',
    actor: 'test',
  });
  const pair = async (domain: 'cps' | 'mo' | 'oem', title: string) => {
    const sub1 = await ca.createSubCa({
      parentId: root.id,
      level: 1,
      domain,
      subject: subject(`${title} Sub-CA 1`),
      actor: 'test',
    });
    return ca.createSubCa({
      parentId: sub1.id,
      level: 2,
      domain,
      subject: subject(`${title} Sub-CA 2`),
      actor: 'test',
    });
  };
  const cpsSub2 = await pair('cps', 'Prov');
  await ca.issueWithGeneratedKey({
    caId: cpsSub2.id,
    role: 'cps-leaf',
    subject: subject('CPS Leaf'),
    actor: 'test',
  });
  return { root, cpsSub2, moSub2: await pair('mo', 'MO'), oemSub2: await pair('oem', 'OEM') };
}

/**
 * -20 contract data fields of an MO with its own PKI: the contract key encrypted for the vehicle
 * (X448 from an Ed448 provisioning key, D-141) under the AAD PCID ‖ contract SKI, in the -2 field names.
 */
export function contractFields20(
  contract: IssuedLeaf,
  vehicle: IssuedLeaf,
  pcid: string,
): ReturnType<typeof contractFields> {
  const vehicleKey = new X509Certificate(vehicle.der).publicKey;
  const ski = parseCertificate(contract.der).subjectKeyIdentifier;
  if (ski === undefined) throw new Error('contract certificate without SKI');
  const transport = encryptContractKeyIso20({
    contractPrivateKey: contract.key.privateKey,
    recipient: vehicleKey.asymmetricKeyType === 'ed448' ? x448PublicKeyOfEd448(vehicleKey) : vehicleKey,
    pcid: pcid.toUpperCase(),
    contractSki: ski,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
  });
  return transportedContractFields(contract, transport);
}
