// Test-only builders for the CCP (never imported by production code): vehicles, contracts and
// CertificateInstallationReqs made with the real CA (demo hierarchy of the test ecosystem), the real
// codec, the real signers and the real key transport. Keys are generated here, in memory, and
// certificated by the CA through prepare / issue, so the tests hold the private keys a vehicle and a
// CPS would hold. ISO 15118-2 contract data is built with the CPS's own builder
// (src/cps/contract-data.ts signContractData); ISO 15118-20 contract data as in
// src/xmldsig/iso20-pnc-messages.test.ts.

import {
  createHash,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { demoPlan } from '../../ca/demo-hierarchy.ts';
import type { CaView, CertificateAuthorityService } from '../../ca/index.ts';
import { encryptContractKeyIso2 } from '../../contract-key/iso2-key-transport.ts';
import { encryptContractKeyIso20 } from '../../contract-key/iso20-key-transport.ts';
import { type CertificateChain, signContractData } from '../../cps/contract-data.ts';
import { encodeExiDocument, type ModelObject, NS } from '../../exi/codec.ts';
import { parseCertificate } from '../../pki/ocsp/index.ts';
import type { CertificateRole } from '../../pki/profiles/types.ts';
import { ISO20_COMMON_NS, signIso20Message, signV2gMessage } from '../../xmldsig/v2g-signature.ts';
import type { NewSignedContract } from '../contract-record.ts';

export type Edition = 2 | 20;

const rnd = (n: number) => new Uint8Array(randomBytes(n));

/** A key pair and its certificate, as the party holding it (vehicle, CPS, contract) has them. */
export interface Party {
  readonly der: Uint8Array;
  readonly privateKey: KeyObject;
  readonly iso: Edition;
  signRaw(data: Uint8Array): Uint8Array;
}

function keyPair(iso: Edition): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: iso === 2 ? 'prime256v1' : 'secp521r1' });
}

export function partyFromKey(der: Uint8Array, privateKey: KeyObject, iso: Edition): Party {
  return {
    der,
    privateKey,
    iso,
    signRaw: (data) =>
      new Uint8Array(
        sign(iso === 2 ? 'sha256' : 'sha512', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
      ),
  };
}

/** The demo hierarchy's CAs of one edition (src/ca/demo-hierarchy.ts). */
export interface DemoCas {
  readonly root: CaView;
  readonly moSub1: CaView;
  readonly moSub2: CaView;
  readonly oemSub1: CaView;
  readonly oemSub2: CaView;
  readonly cpsSub1: CaView;
  readonly cpsSub2: CaView;
}

export async function demoCas(ca: CertificateAuthorityService, iso: Edition): Promise<DemoCas> {
  const byKey = async (key: string): Promise<CaView> => {
    const node = demoPlan(iso).find((n) => n.key === key);
    const found = node === undefined ? undefined : await ca.findCaByName(node.commonName);
    if (found === undefined)
      throw new Error(`demo CA ${key} (ISO 15118-${iso}) not found: run the demo hierarchy first`);
    return found;
  };
  return {
    root: await byKey('root'),
    moSub1: await byKey('mo-sub1'),
    moSub2: await byKey('mo-sub2'),
    oemSub1: await byKey('oem-sub1'),
    oemSub2: await byKey('oem-sub2'),
    cpsSub1: await byKey('cps-sub1'),
    cpsSub2: await byKey('cps-sub2'),
  };
}

/** A leaf with a key generated here, issued by the CA through prepare / issue (lint before sign). */
export async function issueLeaf(
  ca: CertificateAuthorityService,
  issuer: CaView,
  role: CertificateRole,
  commonName: string,
  iso: Edition,
  validity?: { notBefore?: Date; notAfter?: Date; days?: number },
): Promise<Party> {
  const { publicKey, privateKey } = keyPair(iso);
  const token = await ca.prepare({
    issuerCaId: issuer.id,
    role,
    subject: { commonName, organization: 'PnC Test', country: 'DE' },
    subjectPublicKeyInfo: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    ...(validity === undefined ? {} : { validity }),
  });
  const issued = await ca.issue(token);
  return partyFromKey(issued.certificate, privateKey, iso);
}

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** A vehicle: its OEM provisioning certificate (CN = PCID) from the demo OEM Sub-CA 2. */
export async function makeVehicle(
  ca: CertificateAuthorityService,
  cas: DemoCas,
  pcid: string,
  iso: Edition,
  validity?: { notBefore?: Date; notAfter?: Date; days?: number },
): Promise<Party> {
  return issueLeaf(ca, cas.oemSub2, 'oem-prov-leaf', pcid, iso, validity);
}

/** The ListOfRootCertificateIDs entry of a root certificate (X509IssuerSerial). */
export function rootIdOf(der: Uint8Array): { X509IssuerName: string; X509SerialNumber: bigint } {
  const cert = new X509Certificate(der);
  return {
    X509IssuerName: cert.subject.split('\n').reverse().join(','),
    X509SerialNumber: BigInt(`0x${cert.serialNumber}`),
  };
}

export interface RequestOptions {
  readonly sessionId?: Uint8Array;
  /** Roots the vehicle trusts (DER); default: the demo V2G root of the edition. */
  readonly rootIds?: readonly { X509IssuerName: string; X509SerialNumber: bigint }[];
  /** -20: sub-CAs sent with the provisioning certificate. */
  readonly subCertificates?: readonly Uint8Array[];
  readonly maximumContracts?: number;
  readonly prioritizedEmaids?: readonly string[];
  /** Sign with this party instead of the vehicle (a forged request). */
  readonly signer?: Party;
}

/** A signed CertificateInstallationReq of the vehicle, as EXI. */
export async function installationRequest(
  vehicle: Party,
  rootIds: readonly { X509IssuerName: string; X509SerialNumber: bigint }[],
  options: RequestOptions = {},
): Promise<Uint8Array> {
  const signer = options.signer ?? vehicle;
  const sessionId = options.sessionId ?? rnd(8);
  if (vehicle.iso === 2) {
    const message = {
      name: { ns: NS.iso2MsgDef, local: 'V2G_Message' },
      value: {
        Header: { SessionID: sessionId },
        Body: {
          CertificateInstallationReq: {
            Id: 'ID1',
            OEMProvisioningCert: vehicle.der,
            ListOfRootCertificateIDs: { RootCertificateID: [...rootIds] },
          },
        },
      } as ModelObject,
    };
    await signV2gMessage(message, { ids: ['ID1'], signRaw: async (d) => signer.signRaw(d) });
    return encodeExiDocument('iso-2', message);
  }
  const message = {
    name: { ns: ISO20_COMMON_NS, local: 'CertificateInstallationReq' },
    value: {
      Header: { SessionID: sessionId, TimeStamp: 1_800_000_000n },
      OEMProvisioningCertificateChain: {
        Id: 'ID1',
        Certificate: vehicle.der,
        ...(options.subCertificates === undefined || options.subCertificates.length === 0
          ? {}
          : { SubCertificates: { Certificate: [...options.subCertificates] } }),
      },
      ListOfRootCertificateIDs: { RootCertificateID: [...rootIds] },
      MaximumContractCertificateChains: options.maximumContracts ?? 1,
      ...(options.prioritizedEmaids === undefined
        ? {}
        : { PrioritizedEMAIDs: { EMAID: [...options.prioritizedEmaids] } }),
    } as ModelObject,
  };
  await signIso20Message(message, {
    ids: ['ID1'],
    signRaw: async (d) => signer.signRaw(d),
    suite: 'ecdsa-p521-sha512',
  });
  return encodeExiDocument('iso-20-common', message);
}

/** A CPS signer: a leaf under the demo Prov Sub-CA 2 with its chain (Sub-CA 2, Sub-CA 1). */
export interface CpsSigner extends Party {
  readonly chain: CertificateChain;
  readonly rootDer: Uint8Array;
}

export async function makeCpsSigner(
  ca: CertificateAuthorityService,
  cas: DemoCas,
  iso: Edition,
): Promise<CpsSigner> {
  const leaf = await issueLeaf(ca, cas.cpsSub2, 'cps-leaf', `CCP Test CPS ${iso}`, iso);
  return {
    ...leaf,
    chain: {
      certificate: leaf.der,
      subCertificates: [cas.cpsSub2.certificate as Uint8Array, cas.cpsSub1.certificate as Uint8Array],
    },
    rootDer: cas.root.certificate as Uint8Array,
  };
}

export interface BuiltContract {
  /** What the CPS hands to the ContractSink. */
  readonly record: NewSignedContract;
  /** The contract certificate and key (the vehicle would recover the key). */
  readonly contract: Party;
  /** -2: the XML form of the signed data (OPCP signedData). */
  readonly xml?: string;
}

/**
 * Signed contract data for a vehicle: a contract certificate (CN = EMAID) from the demo MO Sub-CA 2,
 * its private key encrypted for the vehicle, signed by the CPS.
 */
export async function makeContract(
  ca: CertificateAuthorityService,
  cas: DemoCas,
  cps: CpsSigner,
  vehicle: Party,
  pcid: string,
  emaid: string,
  options: { readonly metadata?: string; readonly validity?: { days?: number; notAfter?: Date } } = {},
): Promise<BuiltContract> {
  const iso = vehicle.iso;
  const contract = await issueLeaf(ca, cas.moSub2, 'contract-leaf', emaid, iso, options.validity);
  const contractChain = {
    certificate: contract.der,
    subCertificates: [cas.moSub2.certificate as Uint8Array, cas.moSub1.certificate as Uint8Array],
  };
  const notAfter = new Date(new X509Certificate(contract.der).validTo);
  const base = {
    emaid: emaid.replaceAll('-', '').toUpperCase().slice(0, 14),
    emaidAsInCertificate: emaid,
    pcid,
    iso,
    providerId: emaid.replaceAll('-', '').toUpperCase().slice(0, 5),
    contractCertificate: contract.der,
    contractNotAfter: notAfter,
    cpsV2GRootFingerprint: sha256Hex(cps.rootDer),
    cpsRootDistinguishedName: new X509Certificate(cps.rootDer).subject.split('\n').reverse().join(','),
    metadata: options.metadata ?? null,
    source: 'cps' as const,
  };
  if (iso === 2) {
    const transport = encryptContractKeyIso2({
      contractPrivateKey: contract.privateKey,
      recipient: vehicle.der,
      randomBytes: rnd,
    });
    const signed = await signContractData(
      {
        contractChain,
        encryptedPrivateKey: transport.encryptedPrivateKey,
        dhPublicKey: transport.dhPublicKey,
        emaid,
      },
      { cpsChain: cps.chain, signRaw: async (d) => cps.signRaw(d) },
    );
    return { record: { ...base, certificateInstallationRes: signed.exi }, contract, xml: signed.xml };
  }
  const ski = parseCertificate(contract.der).subjectKeyIdentifier ?? new Uint8Array(8);
  const transport = encryptContractKeyIso20({
    contractPrivateKey: contract.privateKey,
    recipient: vehicle.der,
    pcid,
    contractSki: ski,
    randomBytes: rnd,
  });
  const message = {
    name: { ns: ISO20_COMMON_NS, local: 'CertificateInstallationRes' },
    value: {
      Header: { SessionID: new Uint8Array(8), TimeStamp: 1_800_000_000n },
      ResponseCode: 'OK',
      EVSEProcessing: 'Finished',
      CPSCertificateChain: {
        Certificate: cps.chain.certificate,
        SubCertificates: { Certificate: [...cps.chain.subCertificates] },
      },
      SignedInstallationData: {
        Id: 'ID1',
        ContractCertificateChain: {
          Certificate: contract.der,
          SubCertificates: { Certificate: [...contractChain.subCertificates] },
        },
        ECDHCurve: 'SECP521',
        DHPublicKey: transport.dhPublicKey,
        SECP521_EncryptedPrivateKey: transport.encryptedPrivateKey,
      },
      RemainingContractCertificateChains: 0,
    } as ModelObject,
  };
  await signIso20Message(message, {
    ids: ['ID1'],
    signRaw: async (d) => cps.signRaw(d),
    suite: 'ecdsa-p521-sha512',
  });
  return {
    record: {
      ...base,
      emaid: emaid.replaceAll('-', '').toUpperCase(),
      certificateInstallationRes: encodeExiDocument('iso-20-common', message),
    },
    contract,
  };
}
