// Signed contract data of ISO 15118-2: the CertificateInstallationRes a CPS signs (ISO 15118-2
// §8.4.3.11, [V2G2-801] ff.; ../shared/docs/exi-and-signatures.md §2.1, §2.4). Pure functions, no I/O:
// the CPS service builds and signs with them, the CCP parses and verifies what clients send, and a
// later ISO 15118-20 variant sits next to them.
//
//   V2G_Message
//     Header: SessionID (placeholder until delivery, see below), ds:Signature
//     Body/CertificateInstallationRes
//       ResponseCode OK
//       SAProvisioningCertificateChain      CPS leaf + CPS sub-CAs (the signer; not signed itself)
//       ContractSignatureCertChain  Id=ID1  contract certificate + MO sub-CAs        ┐
//       ContractSignatureEncryptedPrivateKey  Id=ID2  IV ‖ AES-128-CBC(key), 48 bytes │ 4 references,
//       DHpublickey                 Id=ID3  ephemeral P-256 point, 65 bytes           │ ECDSA P-256 /
//       eMAID                       Id=ID4  the EMAID, 14-15 characters               ┘ SHA-256
//
// Two wire forms (spec-gaps.md item 32): OPCP `signedData` is base64 XML of the V2G_Message with
// JAXB-style prefixes and no SessionID (cps.v1.json example, CPS "CPS 2022.2 QA"); OPNC
// `certificateInstallationRes` and the CCP carry the EXI document. The signature covers only the four
// EXI fragments, so both forms carry the same signature; the SessionID is covered by nothing and the
// CCP replaces the placeholder by the request's SessionID at delivery (spec-gaps.md item 31,
// docs/spec-decisions.md D-062).

import { type AppError, isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import {
  type AnyDecoded,
  decodeExiDocument,
  encodeExiDocument,
  isCodecError,
  type ModelObject,
  NS,
  type QualifiedName,
  type SchemaId,
  schemaSet,
} from '../exi/codec.ts';
import { elementToXml, xmlToElement } from '../exi/xml-model.ts';
import { validatePath } from '../pki/path/index.ts';
import type { PathValidationResult } from '../pki/path/types.ts';
import type { CertificateRole, IsoVersion } from '../pki/profiles/types.ts';
import { isElement, parseXml, type XmlElement } from '../xml/dom.ts';
import { serializeXml } from '../xml/serialize.ts';
import {
  REQUIRED_SIGNED_ELEMENTS,
  signV2gMessage,
  type VerificationReport,
  verifyV2gMessage,
} from '../xmldsig/v2g-signature.ts';

/** The ISO 15118-2 V2G_Message element. */
export const V2G_MESSAGE: QualifiedName = Object.freeze({ ns: NS.iso2MsgDef, local: 'V2G_Message' });

/** A V2G_Message in the typed model of src/exi. */
export interface V2gMessage {
  readonly name: QualifiedName;
  readonly value: ModelObject;
}

/**
 * SessionID written where no V2G session exists yet (storage, OPNC responses): one zero byte, as in the
 * OPCP and OPNC examples; legal for -2 (`sessionIDType` maxLength 8). The CCP writes the request's
 * SessionID at delivery (D-062).
 */
export const SESSION_ID_PLACEHOLDER: Uint8Array = Uint8Array.of(0);

/** Id attribute of each signed element, as Hubject's CPS assigns them (cps.v1.json example). */
export const SIGNED_IDS = Object.freeze({
  contractChain: 'ID1',
  encryptedPrivateKey: 'ID2',
  dhPublicKey: 'ID3',
  emaid: 'ID4',
});

/** -2 XSD `privateKeyType` / `dHpublickeyType` lengths ([V2G2-818] ff.; pki-profiles.md §4.1). */
export const ISO2_ENCRYPTED_PRIVATE_KEY_BYTES = 48;
export const ISO2_DH_PUBLIC_KEY_BYTES = 65;
/** -2 XSD `SubCertificatesType`: at most 4 certificates. */
export const ISO2_MAX_SUB_CERTIFICATES = 4;

/** Largest signed contract data accepted for parsing: XML (base64-decoded) and EXI. */
export const MAX_SIGNED_CONTRACT_XML_BYTES = 64 * 1024;
export const MAX_SIGNED_CONTRACT_EXI_BYTES = 16 * 1024;

/**
 * Namespace prefixes of the XML form: those of Hubject's CPS (JAXB numbering, cps.v1.json example), so
 * our XML looks like the one clients already parse (D-063). Any namespace-aware reader ignores them.
 */
export const SIGNED_DATA_XML_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  [NS.iso2MsgDef]: 'ns6',
  [NS.xmldsig]: 'ns5',
  [NS.iso2MsgBody]: 'ns7',
  [NS.appProtocol]: 'ns2',
  [NS.iso2MsgDataTypes]: 'ns4',
  [NS.iso2MsgHeader]: 'ns3',
});

/** A certificate and the sub-CAs above it (Sub-CA 2 first), DER; the root is never included. */
export interface CertificateChain {
  readonly certificate: Uint8Array;
  readonly subCertificates: readonly Uint8Array[];
}

/** What an MO hands to the CPS (OPCP ContractData / OPNC contractCertificateBundle), decoded. */
export interface Iso2ContractData {
  /** Contract certificate + MO Sub-CA 2 (+ Sub-CA 1). */
  readonly contractChain: CertificateChain;
  /** IV(16) ‖ AES-128-CBC ciphertext(32): 48 bytes. */
  readonly encryptedPrivateKey: Uint8Array;
  /** Uncompressed P-256 point: 65 bytes. */
  readonly dhPublicKey: Uint8Array;
  /** The eMAID element text (14-15 characters, -2 `eMAIDType`). */
  readonly emaid: string;
}

export interface SignOptions {
  /** SAProvisioningCertificateChain: the CPS leaf whose key signs, and the CPS sub-CAs. */
  readonly cpsChain: CertificateChain;
  /** ECDSA P-256 / SHA-256 with the CPS leaf key, raw r‖s (Signer.signRaw). */
  readonly signRaw: (data: Uint8Array) => Promise<Uint8Array>;
  /** Default SESSION_ID_PLACEHOLDER. */
  readonly sessionId?: Uint8Array;
}

export interface SignedContractData {
  /** The signed message (typed model). */
  readonly message: V2gMessage;
  /** EXI document of the iso-2 schema set (OPNC `certificateInstallationRes`, CCP storage). */
  readonly exi: Uint8Array;
  /** XML text without SessionID (OPCP `signedData`, base64-encoded on the wire). */
  readonly xml: string;
}

function chainModel(chain: CertificateChain, id?: string): ModelObject {
  const subs = [...chain.subCertificates];
  return {
    ...(id === undefined ? {} : { Id: id }),
    Certificate: chain.certificate,
    ...(subs.length === 0 ? {} : { SubCertificates: { Certificate: subs } }),
  };
}

function checkSessionId(sessionId: Uint8Array): void {
  if (!(sessionId instanceof Uint8Array) || sessionId.length < 1 || sessionId.length > 8) {
    throw appError('cps.invalid-signed-data', 'an ISO 15118-2 SessionID is 1 to 8 bytes');
  }
}

/** The unsigned CertificateInstallationRes message (ResponseCode OK) for contract data. */
export function certificateInstallationRes(
  data: Iso2ContractData,
  cpsChain: CertificateChain,
  sessionId: Uint8Array = SESSION_ID_PLACEHOLDER,
): V2gMessage {
  checkSessionId(sessionId);
  return {
    name: V2G_MESSAGE,
    value: {
      Header: { SessionID: sessionId },
      Body: {
        CertificateInstallationRes: {
          ResponseCode: 'OK',
          SAProvisioningCertificateChain: chainModel(cpsChain),
          ContractSignatureCertChain: chainModel(data.contractChain, SIGNED_IDS.contractChain),
          ContractSignatureEncryptedPrivateKey: {
            Id: SIGNED_IDS.encryptedPrivateKey,
            $value: data.encryptedPrivateKey,
          },
          DHpublickey: { Id: SIGNED_IDS.dhPublicKey, $value: data.dhPublicKey },
          eMAID: { Id: SIGNED_IDS.emaid, $value: data.emaid },
        },
      },
    },
  };
}

/** EXI document of a message; codec refusals (sizes, facets) become cps.invalid-signed-data. */
export function contractDataExi(message: V2gMessage): Uint8Array {
  try {
    return encodeExiDocument('iso-2', message);
  } catch (error) {
    throw invalidSignedData(error, 'the contract data does not fit the ISO 15118-2 schema');
  }
}

/**
 * The OPCP XML form: the V2G_Message without SessionID (as Hubject's CPS writes it), Hubject's
 * prefixes, an XML declaration, no whitespace.
 */
export function contractDataXml(message: V2gMessage): string {
  let tree: XmlElement;
  try {
    tree = elementToXml(schemaSet('iso-2'), message);
  } catch (error) {
    throw invalidSignedData(error, 'the contract data does not fit the ISO 15118-2 schema');
  }
  const header = tree.children.find(
    (c): c is XmlElement => isElement(c) && c.ns === NS.iso2MsgDef && c.local === 'Header',
  );
  if (header !== undefined) {
    header.children = header.children.filter(
      (c) => !(isElement(c) && c.ns === NS.iso2MsgHeader && c.local === 'SessionID'),
    );
  }
  return serializeXml(tree, {
    prefixes: { ...SIGNED_DATA_XML_PREFIXES },
    declareAllPrefixes: true,
    xmlDeclaration: true,
  });
}

/**
 * Builds and signs the CertificateInstallationRes for contract data: the four Id elements are
 * referenced, SignedInfo is signed with the CPS leaf key (ISO 15118-2 Annex J), and both wire forms
 * are produced. Throws cps.invalid-signed-data when the data does not fit the schema (sizes).
 */
export async function signContractData(
  data: Iso2ContractData,
  options: SignOptions,
): Promise<SignedContractData> {
  const message = certificateInstallationRes(data, options.cpsChain, options.sessionId);
  // Encode once before signing: a field outside the schema fails here, before the key is used.
  contractDataExi(message);
  await signV2gMessage(message, {
    ids: [SIGNED_IDS.contractChain, SIGNED_IDS.encryptedPrivateKey, SIGNED_IDS.dhPublicKey, SIGNED_IDS.emaid],
    signRaw: options.signRaw,
  });
  const exi = contractDataExi(message);
  // The stored and returned model is the decoded EXI: exactly what a reader of the bytes sees.
  const decoded = decodeExiDocument('iso-2', exi) as V2gMessage;
  return { message: decoded, exi, xml: contractDataXml(decoded) };
}

// --- Reading signed contract data ---------------------------------------------------------------------

/** Signed contract data as read from XML or EXI. */
export interface ParsedContractData {
  /** The message with a SessionID (the placeholder when the input had none). */
  readonly message: V2gMessage;
  /** The SessionID of the input; null for XML without one (the OPCP form). */
  readonly sessionId: Uint8Array | null;
  readonly responseCode: string;
  readonly contract: Iso2ContractData;
  /** SAProvisioningCertificateChain: the CPS leaf (the signer) and its sub-CAs. */
  readonly cpsChain: CertificateChain;
  /** The EXI document of `message` (canonical: re-encoded, never the input bytes). */
  readonly exi: Uint8Array;
}

// --- Shared with ./contract-data-20.ts (the same rules for both editions) ------------------------------

/** `error` as cps.invalid-signed-data, prefixed with `what` (an error already of that code is kept). */
export function invalidSignedData(error: unknown, what: string): AppError {
  if (isAppError(error) && error.code === 'cps.invalid-signed-data') return error;
  const reason = isCodecError(error) || error instanceof Error ? error.message : 'unreadable input';
  return appError('cps.invalid-signed-data', `${what}: ${reason}`, { cause: error });
}

/** A decoded certificate chain element (Certificate + SubCertificates); throws cps.invalid-signed-data. */
export function certificateChainOf(value: unknown, what: string): CertificateChain {
  const chain = value as ModelObject | undefined;
  const certificate = chain?.Certificate;
  if (!(certificate instanceof Uint8Array)) {
    throw appError('cps.invalid-signed-data', `${what} has no Certificate`);
  }
  const subs = ((chain?.SubCertificates as ModelObject | undefined)?.Certificate ?? []) as Uint8Array[];
  return { certificate, subCertificates: subs };
}

/**
 * Decodes signed contract data given as EXI, at most MAX_SIGNED_CONTRACT_EXI_BYTES; throws
 * cps.invalid-signed-data (`what`: the reason prefix when the codec refuses).
 */
export function decodeContractDataExi(exi: Uint8Array, schema: SchemaId, what: string): AnyDecoded {
  if (!(exi instanceof Uint8Array) || exi.length === 0)
    throw appError('cps.invalid-signed-data', 'the EXI contract data is empty');
  if (exi.length > MAX_SIGNED_CONTRACT_EXI_BYTES) {
    throw appError(
      'cps.invalid-signed-data',
      `the EXI contract data is ${exi.length} bytes; at most ${MAX_SIGNED_CONTRACT_EXI_BYTES} are accepted`,
    );
  }
  try {
    return decodeExiDocument(schema, exi);
  } catch (error) {
    throw invalidSignedData(error, what);
  }
}

/**
 * Reads signed contract data given as XML text (any prefixes), at most MAX_SIGNED_CONTRACT_XML_BYTES,
 * into the typed model of `schema`; throws cps.invalid-signed-data (`what`: the reason prefix).
 */
export function readContractDataXml(xml: string | Uint8Array, schema: SchemaId, what: string): AnyDecoded {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size === 0) throw appError('cps.invalid-signed-data', 'the XML contract data is empty');
  if (size > MAX_SIGNED_CONTRACT_XML_BYTES) {
    throw appError(
      'cps.invalid-signed-data',
      `the XML contract data is ${size} bytes; at most ${MAX_SIGNED_CONTRACT_XML_BYTES} are accepted`,
    );
  }
  try {
    const tree = parseXml(xml, {
      maxBytes: MAX_SIGNED_CONTRACT_XML_BYTES,
      maxDepth: 16,
      maxNodes: 2000,
    });
    return xmlToElement(schemaSet(schema), tree);
  } catch (error) {
    throw invalidSignedData(error, what);
  }
}

/** Reads a decoded (or XML-parsed) model as contract data; throws cps.invalid-signed-data. */
function fromModel(decoded: AnyDecoded, sessionId: Uint8Array | null, exi: Uint8Array): ParsedContractData {
  if (
    'wildcard' in decoded ||
    decoded.name.ns !== V2G_MESSAGE.ns ||
    decoded.name.local !== V2G_MESSAGE.local
  ) {
    throw appError('cps.invalid-signed-data', 'the signed contract data is not an ISO 15118-2 V2G_Message');
  }
  const value = decoded.value as ModelObject;
  const res = (value.Body as ModelObject | undefined)?.CertificateInstallationRes as ModelObject | undefined;
  if (res === undefined) {
    throw appError('cps.invalid-signed-data', 'the signed contract data is not a CertificateInstallationRes');
  }
  const key = res.ContractSignatureEncryptedPrivateKey as ModelObject;
  const dh = res.DHpublickey as ModelObject;
  const emaid = res.eMAID as ModelObject;
  return {
    message: { name: V2G_MESSAGE, value },
    sessionId,
    responseCode: String(res.ResponseCode),
    contract: {
      contractChain: certificateChainOf(res.ContractSignatureCertChain, 'ContractSignatureCertChain'),
      encryptedPrivateKey: key.$value as Uint8Array,
      dhPublicKey: dh.$value as Uint8Array,
      emaid: String(emaid.$value),
    },
    cpsChain: certificateChainOf(res.SAProvisioningCertificateChain, 'SAProvisioningCertificateChain'),
    exi,
  };
}

/** Decodes and re-encodes; the model returned is the decoded canonical EXI. */
function canonical(model: AnyDecoded): { decoded: AnyDecoded; exi: Uint8Array } {
  const exi = encodeExiDocument('iso-2', model as V2gMessage);
  return { decoded: decodeExiDocument('iso-2', exi), exi };
}

/**
 * Parses signed contract data: an EXI document (OPNC, CCP) or XML text (OPCP `signedData`, with or
 * without SessionID and with any prefixes). Everything is checked against the -2 schema (an XML input is
 * re-encoded as EXI); the signature is not checked here (verifyContractData). Throws
 * cps.invalid-signed-data.
 */
export function parseContractData(
  input: { readonly exi: Uint8Array } | { readonly xml: string | Uint8Array },
): ParsedContractData {
  if ('exi' in input) {
    const decoded = decodeContractDataExi(
      input.exi,
      'iso-2',
      'the EXI contract data cannot be decoded as ISO 15118-2',
    );
    const header = (decoded.value as ModelObject | undefined)?.Header as ModelObject | undefined;
    const sessionId = (header?.SessionID as Uint8Array | undefined) ?? null;
    try {
      const { decoded: again, exi } = canonical(decoded);
      return fromModel(again, sessionId, exi);
    } catch (error) {
      throw invalidSignedData(error, 'the EXI contract data is not a signed CertificateInstallationRes');
    }
  }
  const model = readContractDataXml(
    input.xml,
    'iso-2',
    'the XML contract data is not an ISO 15118-2 V2G_Message',
  );
  if ('wildcard' in model) {
    throw appError('cps.invalid-signed-data', 'the XML contract data is not an ISO 15118-2 V2G_Message');
  }
  const value = model.value as ModelObject;
  const header = (value.Header as ModelObject | undefined) ?? {};
  const given = header.SessionID as Uint8Array | undefined;
  // Hubject's XML has no SessionID (a required element): the placeholder makes it a valid message.
  const withSession: AnyDecoded = {
    name: model.name,
    value: { ...value, Header: { ...header, SessionID: given ?? SESSION_ID_PLACEHOLDER } },
  };
  try {
    const { decoded, exi } = canonical(withSession);
    return fromModel(decoded, given ?? null, exi);
  } catch (error) {
    throw invalidSignedData(
      error,
      'the XML contract data is not a valid ISO 15118-2 CertificateInstallationRes',
    );
  }
}

/** The same message with another SessionID (the CCP at delivery); the signature stays valid. */
export function withSessionId(exi: Uint8Array, sessionId: Uint8Array): Uint8Array {
  checkSessionId(sessionId);
  const parsed = parseContractData({ exi });
  const value = parsed.message.value;
  return contractDataExi({
    name: V2G_MESSAGE,
    value: { ...value, Header: { ...(value.Header as ModelObject), SessionID: sessionId } },
  });
}

/**
 * Profile findings accepted on chains of other PKIs, although they are errors for what our CA issues
 * (spec-gaps.md item 41: "strict issuance for our PKI, lenient validation of foreign chains"; D-065):
 * no or another Domain Component (Hubject issues contracts and sub-CAs without DC, pki-profiles.md §3
 * C2) and an explicitly encoded cA FALSE (six Hubject QA leaves; P-008, OpenSSL accepts it).
 */
export const FOREIGN_TOLERATED_FINDINGS: ReadonlySet<string> = new Set([
  'v2g.subject.dc-missing',
  'v2g.subject.dc-mismatch',
  'x509.basic-constraints.explicit-default',
]);

/** A path that failed only on tolerated profile findings counts as valid. */
export function validWithTolerance(
  result: PathValidationResult,
  tolerated: ReadonlySet<string> = FOREIGN_TOLERATED_FINDINGS,
): boolean {
  if (result.valid) return true;
  if (result.code !== 'path.profile') return false;
  const errors = (result.violations ?? []).filter((v) => v.severity === 'error');
  return errors.length > 0 && errors.every((v) => tolerated.has(v.code));
}

export interface VerifyContractDataOptions {
  /** Trust anchors (DER) for the CPS chain; without them only the signature is checked. */
  readonly anchors?: readonly Uint8Array[];
  /** Role of each anchor (same order), e.g. 'v2g-root'. */
  readonly anchorRoles?: readonly (CertificateRole | null | undefined)[];
  /** Validation time of the CPS chain. */
  readonly at?: Date;
  /** Profile findings accepted on the CPS chain (default FOREIGN_TOLERATED_FINDINGS; empty = strict). */
  readonly tolerated?: ReadonlySet<string>;
  /**
   * Check the CPS chain against the ISO 15118-2 profiles ([V2G2-925] usage, cps-leaf lints; default
   * true); false = RFC 5280 path validation only (Hubject's 2022 QA CPS leaf has no keyUsage).
   */
  readonly profile?: boolean;
}

export interface ContractDataVerification {
  /** Signature, references, ResponseCode and (when anchors were given) the CPS chain are fine. */
  readonly valid: boolean;
  /** Human-readable reasons when not valid. */
  readonly problems: readonly string[];
  readonly signature: VerificationReport;
  /**
   * The CPS chain's path validation (profile cps-leaf, ISO 15118-2), when anchors were given; it may be
   * `valid: false` with only tolerated findings (see validWithTolerance).
   */
  readonly cpsPath?: PathValidationResult;
}

/**
 * Checks signed contract data the way a CCP or an EV would: the signature with the CPS leaf of
 * SAProvisioningCertificateChain over exactly the four required elements ([V2G2-801] ff.),
 * ResponseCode OK, and optionally the CPS chain to a V2G root ([V2G2-925]: a CPS chains to the V2G
 * root). The contract chain is the MO's and is not judged here.
 */
export function verifyContractData(
  parsed: ParsedContractData,
  options: VerifyContractDataOptions = {},
): ContractDataVerification {
  let signature: VerificationReport;
  try {
    signature = verifyV2gMessage(parsed.message);
  } catch (error) {
    throw invalidSignedData(error, 'the signature of the contract data cannot be checked');
  }
  return judgeContractData(
    parsed,
    signature,
    REQUIRED_SIGNED_ELEMENTS.CertificateInstallationRes,
    '2',
    options,
  );
}

/**
 * The verdict on signed contract data of either edition: ResponseCode OK, a valid signature with every
 * reference fine, exactly the `required` elements signed, and (with anchors) the CPS chain of `iso`
 * valid up to tolerated findings.
 */
export function judgeContractData(
  parsed: { readonly responseCode: string; readonly cpsChain: CertificateChain },
  signature: VerificationReport,
  required: readonly string[],
  iso: IsoVersion,
  options: VerifyContractDataOptions,
): ContractDataVerification {
  const problems: string[] = [];
  if (parsed.responseCode !== 'OK') problems.push(`ResponseCode is ${parsed.responseCode}, not OK`);
  if (signature.signature !== 'valid')
    problems.push(`the signature does not verify with the CPS certificate (${signature.signature})`);
  for (const r of signature.references) {
    if (r.status !== 'ok') problems.push(`reference ${r.uri}: ${r.status}`);
  }
  if (signature.unreferenced.length > 0) problems.push(`not signed: ${signature.unreferenced.join(', ')}`);
  const requiredSet = new Set(required);
  const extra = signature.references.filter((r) => r.element !== undefined && !requiredSet.has(r.element));
  if (extra.length > 0) problems.push(`unexpected references: ${extra.map((r) => r.uri).join(', ')}`);
  let cpsPath: PathValidationResult | undefined;
  if (options.anchors !== undefined) {
    cpsPath = validatePath({
      target: parsed.cpsChain.certificate,
      intermediates: parsed.cpsChain.subCertificates,
      anchors: options.anchors,
      at: options.at ?? new Date(),
      profile:
        options.profile === false
          ? false
          : {
              role: 'cps-leaf',
              iso,
              ...(options.anchorRoles === undefined ? {} : { anchorRoles: options.anchorRoles }),
            },
    });
    if (!validWithTolerance(cpsPath, options.tolerated))
      problems.push(`the CPS certificate chain is not valid: ${cpsPath.valid ? '' : cpsPath.reason}`);
  }
  return {
    valid: problems.length === 0 && signature.valid,
    problems,
    signature,
    ...(cpsPath === undefined ? {} : { cpsPath }),
  };
}
