// Signed contract data of ISO 15118-20: the CertificateInstallationRes a CPS signs (ISO 15118-20
// §8.3.4.x; exi-and-signatures.md §2.2, pki-profiles.md §4.2). Pure functions, no I/O — the -20
// counterpart of ./contract-data.ts: the CPS builds and signs with them, the CCP and tests parse and
// verify, the CCP rewrites the Header at delivery.
//
//   CertificateInstallationRes            (-20 has no V2G_Message wrapper)
//     Header: SessionID (8 bytes; placeholder until delivery), TimeStamp, ds:Signature
//     ResponseCode OK, EVSEProcessing Finished
//     CPSCertificateChain                  CPS leaf + CPS sub-CAs (the signer; not signed itself)
//     SignedInstallationData  Id=ID1       the one signed element ([V2G20-2487] ff.)
//       ContractCertificateChain           contract certificate + MO sub-CAs (at least one)
//       ECDHCurve                          SECP521 | X448 (the curve of the vehicle's key)
//       DHPublicKey                        ephemeral key: 133-byte P-521 point | 56-byte X448 key
//       SECP521_EncryptedPrivateKey        94 bytes  | X448_EncryptedPrivateKey 84/85 bytes (D-015)
//     RemainingContractCertificateChains   0 here; the CCP sets it per answer (D-147)
//
// Signature: ECDSA secp521r1 / SHA-512 or Ed448 / SHAKE256 by the CPS leaf, over the EXI fragment of
// SignedInstallationData (src/xmldsig/v2g-signature.ts signIso20Message, D-014). Nothing else is
// covered: SessionID, TimeStamp and RemainingContractCertificateChains may change without breaking it
// (D-140, D-147). Two wire forms as for -2: the EXI document of the iso-20-common schema set (OPNC,
// CCP) and its XML (OPCP `signedData`, D-144).

import { appError } from '../errors/catalogue.ts';
import {
  type AnyDecoded,
  decodeExiDocument,
  encodeExiDocument,
  type ModelObject,
  NS,
  type QualifiedName,
  schemaSet,
} from '../exi/codec.ts';
import { elementToXml } from '../exi/xml-model.ts';
import type { PathValidationResult } from '../pki/path/types.ts';
import { serializeXml } from '../xml/serialize.ts';
import {
  ISO20_COMMON_NS,
  REQUIRED_SIGNED_ELEMENTS_20,
  signIso20Message,
  type VerificationReport,
  verifyIso20Message,
} from '../xmldsig/v2g-signature.ts';
import {
  type CertificateChain,
  certificateChainOf,
  decodeContractDataExi,
  invalidSignedData,
  judgeContractData,
  readContractDataXml,
  type VerifyContractDataOptions,
} from './contract-data.ts';

/** The -20 CommonTypes namespace (Header, ResponseCode). */
export const ISO20_COMMON_TYPES_NS = 'urn:iso:std:iso:15118:-20:CommonTypes';

/** The ISO 15118-20 CertificateInstallationRes element (the document root). */
export const ISO20_CERTIFICATE_INSTALLATION_RES: QualifiedName = Object.freeze({
  ns: ISO20_COMMON_NS,
  local: 'CertificateInstallationRes',
});

/** A -20 CertificateInstallationRes in the typed model of src/exi. */
export interface Iso20Message {
  readonly name: QualifiedName;
  readonly value: ModelObject;
}

/** -20 `sessionIDType`: hexBinary of exactly 8 bytes (exi-and-signatures.md §2.2). */
export const ISO20_SESSION_ID_BYTES = 8;

/**
 * SessionID written where no V2G session exists yet (storage, OPNC responses): eight zero bytes — the
 * -2 placeholder `00` is illegal for -20. The CCP writes the request's SessionID at delivery (D-140).
 */
export const SESSION_ID_PLACEHOLDER_20: Uint8Array = new Uint8Array(ISO20_SESSION_ID_BYTES);

/** Id of SignedInstallationData (the CCP's FAILED answers use the same). */
export const SIGNED_INSTALLATION_DATA_ID = 'ID1';

/** Sizes of the -20 key transport ([V2G20-2489] ff., XSD; D-015, D-029). */
export const ISO20_SECP521_DH_PUBLIC_KEY_BYTES = 133;
export const ISO20_X448_DH_PUBLIC_KEY_BYTES = 56;
export const ISO20_SECP521_ENCRYPTED_KEY_BYTES = 94;
/** X448_EncryptedPrivateKey: 84 (XSD, a 56-byte key) or 85 (an Ed448 contract key's 57 bytes, D-015). */
export const ISO20_X448_ENCRYPTED_KEY_BYTES: readonly number[] = [84, 85];
/** -20 `SubCertificatesType`: at most 3 certificates (XSD). */
export const ISO20_MAX_SUB_CERTIFICATES = 3;

export type Iso20EcdhCurve = 'SECP521' | 'X448';
export type Iso20SignatureSuite = 'ecdsa-p521-sha512' | 'ed448-shake256';

/**
 * Namespace prefixes of the XML form (D-144). No public -20 CPS output exists to imitate; short
 * prefixes, all declared on the root. Readers must not depend on them.
 */
export const SIGNED_DATA_XML_PREFIXES_20: Readonly<Record<string, string>> = Object.freeze({
  [ISO20_COMMON_NS]: 'cm',
  [ISO20_COMMON_TYPES_NS]: 'ct',
  [NS.xmldsig]: 'ds',
});

/** What a -20 installation carries for one contract, decoded. */
export interface Iso20ContractData {
  /** Contract certificate + MO Sub-CA 2 (+ Sub-CA 1); the -20 XSD requires at least one sub-CA. */
  readonly contractChain: CertificateChain;
  readonly curve: Iso20EcdhCurve;
  /** 133-byte uncompressed P-521 point or 56-byte X448 key. */
  readonly dhPublicKey: Uint8Array;
  /** IV(12) ‖ AES-256-GCM(key) ‖ tag(16): 94 bytes (SECP521) or 84/85 (X448). */
  readonly encryptedPrivateKey: Uint8Array;
}

export interface Iso20HeaderOptions {
  /** Exactly 8 bytes; default SESSION_ID_PLACEHOLDER_20. */
  readonly sessionId?: Uint8Array;
  /** Header TimeStamp (Unix seconds of this time; default the epoch). */
  readonly timeStamp?: Date;
  /** RemainingContractCertificateChains (0..255; default 0). */
  readonly remaining?: number;
}

export interface Iso20SignOptions extends Iso20HeaderOptions {
  /** CPSCertificateChain: the CPS leaf whose key signs, and the CPS sub-CAs. */
  readonly cpsChain: CertificateChain;
  /** P-521 leaf: ECDSA-SHA512; Ed448 leaf: Ed448 / SHAKE256. */
  readonly suite: Iso20SignatureSuite;
  /** Raw r‖s (132 bytes) or the 114-byte Ed448 signature (Signer.signRaw). */
  readonly signRaw: (data: Uint8Array) => Promise<Uint8Array>;
}

export interface SignedContractData20 {
  readonly message: Iso20Message;
  /** EXI document of the iso-20-common schema set (OPNC `certificateInstallationRes`, CCP storage). */
  readonly exi: Uint8Array;
  /** XML text of the same message (OPCP `signedData`, base64 on the wire). */
  readonly xml: string;
}

function checkSessionId(sessionId: Uint8Array): void {
  if (!(sessionId instanceof Uint8Array) || sessionId.length !== ISO20_SESSION_ID_BYTES) {
    throw appError('cps.invalid-signed-data', 'an ISO 15118-20 SessionID is exactly 8 bytes');
  }
}

function checkRemaining(remaining: number): void {
  if (!Number.isInteger(remaining) || remaining < 0 || remaining > 255) {
    throw appError('cps.invalid-signed-data', 'RemainingContractCertificateChains is 0..255');
  }
}

const timeStampOf = (at: Date | undefined): bigint => BigInt(Math.floor((at?.getTime() ?? 0) / 1000));

/** The unsigned -20 CertificateInstallationRes (ResponseCode OK, EVSEProcessing Finished). */
export function certificateInstallationRes20(
  data: Iso20ContractData,
  cpsChain: CertificateChain,
  options: Iso20HeaderOptions = {},
): Iso20Message {
  const sessionId = options.sessionId ?? SESSION_ID_PLACEHOLDER_20;
  checkSessionId(sessionId);
  const remaining = options.remaining ?? 0;
  checkRemaining(remaining);
  if (data.contractChain.subCertificates.length === 0) {
    throw appError(
      'cps.invalid-signed-data',
      'an ISO 15118-20 ContractCertificateChain carries at least one sub-CA certificate (MO Sub-CA 2)',
    );
  }
  const cpsSubs = [...cpsChain.subCertificates];
  return {
    name: ISO20_CERTIFICATE_INSTALLATION_RES,
    value: {
      Header: { SessionID: sessionId, TimeStamp: timeStampOf(options.timeStamp) },
      ResponseCode: 'OK',
      EVSEProcessing: 'Finished',
      CPSCertificateChain: {
        Certificate: cpsChain.certificate,
        ...(cpsSubs.length === 0 ? {} : { SubCertificates: { Certificate: cpsSubs } }),
      },
      SignedInstallationData: {
        Id: SIGNED_INSTALLATION_DATA_ID,
        ContractCertificateChain: {
          Certificate: data.contractChain.certificate,
          SubCertificates: { Certificate: [...data.contractChain.subCertificates] },
        },
        ECDHCurve: data.curve,
        DHPublicKey: data.dhPublicKey,
        [data.curve === 'SECP521' ? 'SECP521_EncryptedPrivateKey' : 'X448_EncryptedPrivateKey']:
          data.encryptedPrivateKey,
      },
      RemainingContractCertificateChains: remaining,
    },
  };
}

/** EXI document of a -20 message; codec refusals (sizes, facets) become cps.invalid-signed-data. */
export function contractDataExi20(message: Iso20Message): Uint8Array {
  try {
    return encodeExiDocument('iso-20-common', message);
  } catch (error) {
    throw invalidSignedData(error, 'the contract data does not fit the ISO 15118-20 schema');
  }
}

/** The XML form (OPCP `signedData`): the whole message with its Header, an XML declaration, no whitespace. */
export function contractDataXml20(message: Iso20Message): string {
  try {
    return serializeXml(elementToXml(schemaSet('iso-20-common'), message), {
      prefixes: { ...SIGNED_DATA_XML_PREFIXES_20 },
      declareAllPrefixes: true,
      xmlDeclaration: true,
    });
  } catch (error) {
    throw invalidSignedData(error, 'the contract data does not fit the ISO 15118-20 schema');
  }
}

/**
 * Builds and signs the -20 CertificateInstallationRes: SignedInstallationData is referenced and
 * SignedInfo signed with the CPS leaf key; both wire forms are produced. Throws
 * cps.invalid-signed-data when the data does not fit the schema (sizes), before the key is used.
 */
export async function signContractData20(
  data: Iso20ContractData,
  options: Iso20SignOptions,
): Promise<SignedContractData20> {
  const message = certificateInstallationRes20(data, options.cpsChain, options);
  contractDataExi20(message);
  await signIso20Message(message, {
    ids: [SIGNED_INSTALLATION_DATA_ID],
    signRaw: options.signRaw,
    suite: options.suite,
  });
  const exi = contractDataExi20(message);
  const decoded = decodeExiDocument('iso-20-common', exi) as Iso20Message;
  return { message: decoded, exi, xml: contractDataXml20(decoded) };
}

// --- Reading -------------------------------------------------------------------------------------------

export interface ParsedContractData20 {
  readonly message: Iso20Message;
  readonly sessionId: Uint8Array;
  readonly timeStamp: bigint;
  readonly responseCode: string;
  readonly remaining: number;
  readonly contract: Iso20ContractData;
  /** CPSCertificateChain: the CPS leaf (the signer) and its sub-CAs. */
  readonly cpsChain: CertificateChain;
  /** The canonical EXI document of `message` (re-encoded, never the input bytes). */
  readonly exi: Uint8Array;
}

function fromModel(decoded: AnyDecoded, exi: Uint8Array): ParsedContractData20 {
  if (
    'wildcard' in decoded ||
    decoded.name.ns !== ISO20_CERTIFICATE_INSTALLATION_RES.ns ||
    decoded.name.local !== ISO20_CERTIFICATE_INSTALLATION_RES.local
  ) {
    throw appError(
      'cps.invalid-signed-data',
      'the signed contract data is not an ISO 15118-20 CertificateInstallationRes',
    );
  }
  const value = decoded.value as ModelObject;
  const header = value.Header as ModelObject;
  const data = value.SignedInstallationData as ModelObject;
  const curve = data.ECDHCurve as Iso20EcdhCurve;
  const encrypted = (data.SECP521_EncryptedPrivateKey ?? data.X448_EncryptedPrivateKey) as
    | Uint8Array
    | undefined;
  if (encrypted === undefined) {
    // TPM_EncryptedPrivateKey ([V2G20-2518] ff.) is not produced or read by this CPS.
    throw appError(
      'cps.invalid-signed-data',
      'SignedInstallationData carries no SECP521_ or X448_EncryptedPrivateKey',
    );
  }
  if ((curve === 'SECP521') !== (data.SECP521_EncryptedPrivateKey !== undefined)) {
    throw appError('cps.invalid-signed-data', `ECDHCurve ${curve} does not match the encrypted key field`);
  }
  return {
    message: { name: ISO20_CERTIFICATE_INSTALLATION_RES, value },
    sessionId: header.SessionID as Uint8Array,
    timeStamp: header.TimeStamp as bigint,
    responseCode: String(value.ResponseCode),
    remaining: Number(value.RemainingContractCertificateChains),
    contract: {
      contractChain: certificateChainOf(data.ContractCertificateChain, 'ContractCertificateChain'),
      curve,
      dhPublicKey: data.DHPublicKey as Uint8Array,
      encryptedPrivateKey: encrypted,
    },
    cpsChain: certificateChainOf(value.CPSCertificateChain, 'CPSCertificateChain'),
    exi,
  };
}

function canonical(model: AnyDecoded): ParsedContractData20 {
  const exi = encodeExiDocument('iso-20-common', model as Iso20Message);
  return fromModel(decodeExiDocument('iso-20-common', exi), exi);
}

/**
 * Parses -20 signed contract data: an EXI document of the iso-20-common set or its XML text (any
 * prefixes). Everything is checked against the -20 schema (strict facets; XML is re-encoded); the
 * signature is not checked here (verifyContractData20). Throws cps.invalid-signed-data.
 */
export function parseContractData20(
  input: { readonly exi: Uint8Array } | { readonly xml: string | Uint8Array },
): ParsedContractData20 {
  const model: AnyDecoded =
    'exi' in input
      ? decodeContractDataExi(
          input.exi,
          'iso-20-common',
          'the EXI contract data cannot be decoded as ISO 15118-20',
        )
      : readContractDataXml(
          input.xml,
          'iso-20-common',
          'the XML contract data is not an ISO 15118-20 message',
        );
  try {
    return canonical(model);
  } catch (error) {
    throw invalidSignedData(
      error,
      'the contract data is not a valid ISO 15118-20 CertificateInstallationRes',
    );
  }
}

/**
 * The same signed message with the request's SessionID (exactly 8 bytes) and optionally a new Header
 * TimeStamp and RemainingContractCertificateChains — what the CCP does at delivery (D-140, D-147).
 * None of them is covered by the signature, which stays valid. Throws cps.invalid-signed-data.
 */
export function withSessionId20(
  exi: Uint8Array,
  sessionId: Uint8Array,
  options: { readonly timeStamp?: Date; readonly remaining?: number } = {},
): Uint8Array {
  checkSessionId(sessionId);
  if (options.remaining !== undefined) checkRemaining(options.remaining);
  const parsed = parseContractData20({ exi });
  const value = parsed.message.value;
  const header = value.Header as ModelObject;
  return contractDataExi20({
    name: ISO20_CERTIFICATE_INSTALLATION_RES,
    value: {
      ...value,
      Header: {
        ...header,
        SessionID: sessionId,
        ...(options.timeStamp === undefined ? {} : { TimeStamp: timeStampOf(options.timeStamp) }),
      },
      ...(options.remaining === undefined ? {} : { RemainingContractCertificateChains: options.remaining }),
    },
  });
}

export interface ContractDataVerification20 {
  readonly valid: boolean;
  readonly problems: readonly string[];
  readonly signature: VerificationReport;
  /** The CPS chain's path validation (profile cps-leaf, ISO 15118-20), when anchors were given. */
  readonly cpsPath?: PathValidationResult;
}

/**
 * Checks -20 signed contract data as a CCP or an EV would (`pnc exi verify --schema iso-20-common`
 * semantics: verifyIso20Message): the signature with the CPS leaf of CPSCertificateChain over exactly
 * SignedInstallationData, ResponseCode OK, and optionally the CPS chain to a V2G root.
 */
export function verifyContractData20(
  parsed: ParsedContractData20,
  options: VerifyContractDataOptions = {},
): ContractDataVerification20 {
  let signature: VerificationReport;
  try {
    signature = verifyIso20Message(parsed.message);
  } catch (error) {
    throw invalidSignedData(error, 'the signature of the contract data cannot be checked');
  }
  return judgeContractData(
    parsed,
    signature,
    REQUIRED_SIGNED_ELEMENTS_20.CertificateInstallationRes,
    '20',
    options,
  );
}
