// The V2G messages of the installation flow (docs/ccp.md): reading a CertificateInstallationReq of
// either edition, the EXI answers of the pool (a stored signed CertificateInstallationRes with the
// request's SessionID; a FAILED response when there is nothing to deliver). Pure functions, no I/O.
//
// Edition detection (docs/spec-decisions.md D-074): `xsdMsgDefNamespace` is only a hint (spec-gaps.md
// item 15; MaEVe always sends the -2 value, interop.md §1.2). The stream is decoded with the schema
// the hint names, and if that fails or yields another message, with the other one: ISO 15118-2 is a
// `V2G_Message` document of the iso-2 schema set, ISO 15118-20 a `CertificateInstallationReq`
// document of the CommonMessages set. Both decoders are strict (facets, no undeclared productions:
// D-004), so a stream is accepted by at most one of them in practice; the hinted one wins a tie.

import { AppError, isAppError } from '../errors/app-error.ts';
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
import { BitReader } from '../exi/runtime/bit-reader.ts';
import { BitWriter } from '../exi/runtime/bit-writer.ts';
import type { RtType } from '../exi/runtime/grammar.ts';
import { EV_SE } from '../exi/runtime/table.ts';
import type { IsoEdition } from '../pool-inputs/index.ts';
import { ISO20_COMMON_NS } from '../xmldsig/v2g-signature.ts';

/** Largest CertificateInstallationReq accepted (EXI bytes). A -20 request with three 1600-byte certificates is ~5 KB. */
export const MAX_REQUEST_EXI_BYTES = 16 * 1024;

const V2G_MESSAGE: QualifiedName = { ns: NS.iso2MsgDef, local: 'V2G_Message' };
const ISO20_REQ: QualifiedName = { ns: ISO20_COMMON_NS, local: 'CertificateInstallationReq' };
const ISO20_RES: QualifiedName = { ns: ISO20_COMMON_NS, local: 'CertificateInstallationRes' };

/** SessionID written when the request's cannot be read: 8 zero bytes (legal in both editions). */
export const UNKNOWN_SESSION_ID: Uint8Array = new Uint8Array(8);

/** One entry of ListOfRootCertificateIDs: the V2G roots the vehicle trusts. */
export interface RootCertificateId {
  readonly issuerName: string;
  readonly serial: bigint;
}

/** A decoded CertificateInstallationReq (or CertificateUpdateReq, which the pool refuses). */
export interface InstallationRequest {
  readonly iso: IsoEdition;
  /** The decoded message, as the signature verifier takes it. */
  readonly message: AnyDecoded;
  readonly messageType: string;
  readonly sessionId: Uint8Array;
  /** OEM provisioning certificate (DER): its CN is the PCID. */
  readonly oemCertificate: Uint8Array;
  /** -20: the OEM sub-CAs the request carries; -2 carries none. */
  readonly oemSubCertificates: readonly Uint8Array[];
  readonly rootCertificateIds: readonly RootCertificateId[];
  /** -20 MaximumContractCertificateChains; 1 for -2. */
  readonly maximumContracts: number;
  /** -20 PrioritizedEMAIDs, in the vehicle's order. */
  readonly prioritizedEmaids: readonly string[];
}

/** Why a request cannot be read, with what is known for the FAILED answer. */
export class RequestError extends AppError {
  readonly iso: IsoEdition;
  readonly sessionId: Uint8Array;
  /** -2 CertificateUpdateReq: the FAILED answer is a CertificateUpdateRes. */
  readonly update: boolean;
  constructor(cause: AppError, iso: IsoEdition, sessionId: Uint8Array, update = false) {
    super(cause.kind, cause.code, cause.message, {
      ...(cause.details === undefined ? {} : { details: cause.details }),
      cause,
    });
    this.iso = iso;
    this.sessionId = sessionId;
    this.update = update;
  }
}

function rootIds(list: unknown): RootCertificateId[] {
  const ids = ((list as ModelObject | undefined)?.RootCertificateID ?? []) as ModelObject[];
  return ids.map((id) => ({
    issuerName: String(id.X509IssuerName ?? ''),
    serial:
      typeof id.X509SerialNumber === 'bigint'
        ? id.X509SerialNumber
        : BigInt(Number(id.X509SerialNumber ?? 0)),
  }));
}

function missing(what: string, iso: IsoEdition, sessionId: Uint8Array): RequestError {
  return new RequestError(
    appError('ccp.invalid-request', `the CertificateInstallationReq has no ${what}`),
    iso,
    sessionId,
  );
}

function readIso2(decoded: AnyDecoded): InstallationRequest {
  const root = decoded.value as ModelObject;
  const header = (root.Header as ModelObject | undefined) ?? {};
  const sessionId = (header.SessionID as Uint8Array | undefined) ?? UNKNOWN_SESSION_ID;
  const body = (root.Body as ModelObject | undefined) ?? {};
  const messageType = Object.keys(body).find((k) => body[k] !== undefined) ?? '';
  if (messageType !== 'CertificateInstallationReq') {
    // spec-gaps.md item 22: OPCP has no CertificateUpdate endpoint; CitrineOS and MaEVe post update
    // EXIs here too (interop.md §1.1). Refused; the EXI answer is a FAILED CertificateUpdateRes.
    throw new RequestError(
      appError(
        'ccp.unsupported-message',
        messageType === 'CertificateUpdateReq'
          ? 'CertificateUpdateReq is not served by the pool (spec-gaps.md item 22): send a CertificateInstallationReq'
          : `the EXI message is ${messageType === '' ? 'empty' : `a ${messageType}`}, not a CertificateInstallationReq`,
      ),
      2,
      sessionId,
      messageType === 'CertificateUpdateReq',
    );
  }
  const req = body.CertificateInstallationReq as ModelObject;
  const oem = req.OEMProvisioningCert;
  if (!(oem instanceof Uint8Array)) throw missing('OEMProvisioningCert', 2, sessionId);
  return {
    iso: 2,
    message: decoded,
    messageType,
    sessionId,
    oemCertificate: oem,
    oemSubCertificates: [],
    rootCertificateIds: rootIds(req.ListOfRootCertificateIDs),
    maximumContracts: 1,
    prioritizedEmaids: [],
  };
}

function readIso20(decoded: AnyDecoded): InstallationRequest {
  const req = decoded.value as ModelObject;
  const header = (req.Header as ModelObject | undefined) ?? {};
  const sessionId = (header.SessionID as Uint8Array | undefined) ?? UNKNOWN_SESSION_ID;
  const chain = req.OEMProvisioningCertificateChain as ModelObject | undefined;
  const oem = chain?.Certificate;
  if (!(oem instanceof Uint8Array)) throw missing('OEMProvisioningCertificateChain', 20, sessionId);
  const subs = ((chain?.SubCertificates as ModelObject | undefined)?.Certificate ?? []) as Uint8Array[];
  const prioritized = ((req.PrioritizedEMAIDs as ModelObject | undefined)?.EMAID ?? []) as string[];
  return {
    iso: 20,
    message: decoded,
    messageType: 'CertificateInstallationReq',
    sessionId,
    oemCertificate: oem,
    oemSubCertificates: subs,
    rootCertificateIds: rootIds(req.ListOfRootCertificateIDs),
    maximumContracts: Number(req.MaximumContractCertificateChains ?? 1),
    prioritizedEmaids: prioritized.map(String),
  };
}

function tryDecode(iso: IsoEdition, bytes: Uint8Array): AnyDecoded | AppError {
  try {
    const decoded = decodeExiDocument(iso === 2 ? 'iso-2' : 'iso-20-common', bytes);
    if ('wildcard' in decoded) return appError('ccp.invalid-request', 'not a V2G message');
    const expected = iso === 2 ? V2G_MESSAGE : ISO20_REQ;
    if (decoded.name.ns !== expected.ns || decoded.name.local !== expected.local) {
      return new AppError(
        'Malformed',
        iso === 20 && decoded.name.ns === ISO20_COMMON_NS ? 'ccp.unsupported-message' : 'ccp.invalid-request',
        `the EXI document is a ${decoded.name.local}, not ${iso === 2 ? 'an ISO 15118-2 V2G_Message' : 'a CertificateInstallationReq'}`,
      );
    }
    return decoded;
  } catch (error) {
    if (isAppError(error) || error instanceof Error) {
      return appError('ccp.invalid-request', `not an ISO 15118-${iso} EXI stream: ${error.message}`, {
        cause: error,
      });
    }
    return appError('ccp.invalid-request', `not an ISO 15118-${iso} EXI stream`);
  }
}

/**
 * Decodes a CertificateInstallationReq, detecting the edition from the stream (the hint first).
 * Throws RequestError (`ccp.invalid-request`, `ccp.unsupported-message`).
 */
export function decodeInstallationRequest(bytes: Uint8Array, hint: IsoEdition): InstallationRequest {
  if (bytes.length === 0) {
    throw new RequestError(
      appError('ccp.invalid-request', 'certificateInstallationReq is empty'),
      hint,
      UNKNOWN_SESSION_ID,
    );
  }
  if (bytes.length > MAX_REQUEST_EXI_BYTES) {
    throw new RequestError(
      appError(
        'ccp.invalid-request',
        `certificateInstallationReq is ${bytes.length} EXI bytes; at most ${MAX_REQUEST_EXI_BYTES} are accepted`,
      ),
      hint,
      UNKNOWN_SESSION_ID,
    );
  }
  const order: IsoEdition[] = hint === 2 ? [2, 20] : [20, 2];
  let first: AppError | undefined;
  for (const iso of order) {
    const decoded = tryDecode(iso, bytes);
    if (decoded instanceof AppError) {
      // A -20 message of another type (e.g. an AuthorizationReq) is unsupported, not garbage.
      if (decoded.code === 'ccp.unsupported-message')
        throw new RequestError(decoded, iso, UNKNOWN_SESSION_ID);
      first ??= decoded;
      continue;
    }
    return iso === 2 ? readIso2(decoded) : readIso20(decoded);
  }
  throw new RequestError(first as AppError, hint, UNKNOWN_SESSION_ID);
}

// --- Answers ------------------------------------------------------------------------------------------

/**
 * A stored signed -2 CertificateInstallationRes with the request's SessionID (spec-gaps.md item 31,
 * D-075): only the Header's SessionID changes; the signature covers the four Body elements, not the
 * Header, so it stays valid. Spliced at the bit level where the stream allows (D-176), else decoded,
 * changed and encoded again; both give the same octets.
 */
export function deliverIso2(stored: Uint8Array, sessionId: Uint8Array): Uint8Array {
  return (iso2Splice() && spliceIso2SessionId(stored, sessionId)) || reencodeIso2(stored, sessionId);
}

/** The reference path: decode, replace the SessionID, encode. */
export function reencodeIso2(stored: Uint8Array, sessionId: Uint8Array): Uint8Array {
  const decoded = decodeExiDocument('iso-2', stored);
  const value = decoded.value as ModelObject;
  const header = value.Header as ModelObject;
  header.SessionID = sessionId;
  return encodeExiDocument('iso-2', decoded as { name: QualifiedName; value: ModelObject });
}

/**
 * D-176. In an ISO 15118-2 stream the SessionID is the first value of the document: the EXI header
 * (0x80), SE(V2G_Message) among the global elements, SE(Header), SE(SessionID), CH, then the
 * SessionID as Binary (length, octets; EXI 1.0 §7.1.6). Each event code is read here with the
 * widths of the generated grammar (non-strict: one production costs a bit, EXI 1.0 §8.5.4.4) and
 * must be the expected production. Nothing after the SessionID depends on it, and it moves by whole
 * octets when the length changes (a length below 128 is one octet), so the rest of the stored stream
 * is copied at the same bit alignment instead of being decoded and encoded again (a quarter of the
 * CPU time of an installation request, measured). Returns undefined when the stream does not start
 * this way (the caller then re-encodes).
 */
export function spliceIso2SessionId(stored: Uint8Array, sessionId: Uint8Array): Uint8Array | undefined {
  const path = iso2SessionPath();
  if (path === undefined || sessionId.length > 127) return undefined;
  let suffixStart: number;
  try {
    const reader = new BitReader(stored);
    reader.readHeader();
    for (const [code, width] of path) if (reader.readBits(width) !== code) return undefined;
    reader.readBinary();
    suffixStart = reader.bitPosition;
  } catch {
    return undefined;
  }
  const writer = new BitWriter(32);
  writer.writeHeader();
  for (const [code, width] of path) writer.writeBits(code, width);
  writer.writeBinary(sessionId);
  const prefixBits = writer.bitLength;
  if ((prefixBits - suffixStart) % 8 !== 0) return undefined;
  const head = writer.finish();
  const whole = prefixBits >>> 3;
  const from = suffixStart >>> 3;
  const out = new Uint8Array(whole + stored.length - from);
  out.set(head.subarray(0, whole), 0);
  const used = prefixBits & 7;
  if (used === 0) {
    out.set(stored.subarray(from), whole);
  } else {
    // The octet where the new prefix ends and the old suffix goes on: top `used` bits from the
    // prefix, the rest from the stored stream.
    const low = 0xff >>> used;
    out[whole] = ((head[whole] as number) & ~low & 0xff) | ((stored[from] as number) & low);
    out.set(stored.subarray(from + 1), whole + 1);
  }
  return out;
}

/**
 * The event codes (code, width in bits) from the document start to the SessionID's value:
 * SE(V2G_Message), SE(Header), SE(SessionID), CH. Undefined if the grammar is not of that shape.
 */
let cachedSessionPath: readonly (readonly [code: number, width: number])[] | undefined | null = null;
function iso2SessionPath(): readonly (readonly [number, number])[] | undefined {
  if (cachedSessionPath !== null) return cachedSessionPath;
  cachedSessionPath = undefined;
  const schema = schemaSet('iso-2');
  const table = schema.table;
  const documentCode = table.globalElements.findIndex(([q]) => {
    const [uri, local] = table.qnames[q] ?? [-1, ''];
    return local === V2G_MESSAGE.local && table.uris[uri] === V2G_MESSAGE.ns;
  });
  const messageType = schema.types[table.globalElements[documentCode]?.[1] ?? -1];
  /** The first state's production that starts child `name`: [code, width, child type ref]. */
  const firstChild = (type: RtType | undefined, name: string) => {
    const state = type?.states[0];
    if (type === undefined || state === undefined) return undefined;
    for (let code = 0; code < state.count; code++) {
      const child = state.args[code] as number;
      if (state.kinds[code] === EV_SE && type.childNames[child] === name) {
        return [code, state.width, type.childTypes[child] as number] as const;
      }
    }
    return undefined;
  };
  const header = firstChild(messageType, 'Header');
  const session = header === undefined ? undefined : firstChild(schema.types[header[2]], 'SessionID');
  // SessionID has a simple type (a negative type ref): its grammar is CH (1 bit, code 0), EE.
  if (documentCode < 0 || header === undefined || session === undefined || session[2] >= 0) return undefined;
  cachedSessionPath = [
    [documentCode, schema.documentWidth],
    [header[0], header[1]],
    [session[0], session[1]],
    [0, 1],
  ];
  return cachedSessionPath;
}

/**
 * Whether the splice gives the reference octets, checked once on a message built here (a guard
 * against a grammar in which the Header would not start as described above).
 */
let spliceChecked: boolean | undefined;
function iso2Splice(): boolean {
  if (spliceChecked === undefined) {
    const sample = failedResponse(2, 'FAILED', new Uint8Array([1, 2, 3]), { now: new Date(0) });
    const id = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2]);
    const spliced = spliceIso2SessionId(sample, id);
    const reference = reencodeIso2(sample, id);
    spliceChecked = spliced !== undefined && Buffer.compare(spliced, reference) === 0;
  }
  return spliceChecked;
}

/**
 * A stored signed -20 CertificateInstallationRes with the request's SessionID (exactly 8 bytes),
 * the current TimeStamp and RemainingContractCertificateChains; the signature covers only
 * SignedInstallationData.
 */
export function deliverIso20(
  stored: Uint8Array,
  sessionId: Uint8Array,
  options: { readonly now: Date; readonly remaining: number },
): Uint8Array {
  const decoded = decodeExiDocument('iso-20-common', stored);
  const value = decoded.value as ModelObject;
  const header = value.Header as ModelObject;
  header.SessionID = sessionId;
  header.TimeStamp = BigInt(Math.floor(options.now.getTime() / 1000));
  value.RemainingContractCertificateChains = Math.max(0, Math.min(255, options.remaining));
  return encodeExiDocument('iso-20-common', decoded as { name: QualifiedName; value: ModelObject });
}

/** ResponseCode values of the FAILED answers, per edition (D-076). */
export type FailureReason =
  | 'invalid'
  | 'signature'
  | 'chain'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'no-contract';

const ISO2_CODES: Readonly<Record<FailureReason, string>> = {
  invalid: 'FAILED',
  signature: 'FAILED_SignatureError',
  chain: 'FAILED_CertChainError',
  expired: 'FAILED_CertificateExpired',
  'not-yet-valid': 'FAILED_CertChainError',
  revoked: 'FAILED_CertificateRevoked',
  'no-contract': 'FAILED_NoCertificateAvailable',
};

// ISO 15118-20 has no FAILED_CertChainError / FAILED_NoCertificateAvailable: the certificate
// problems are WARNING_ codes of responseCodeType (CommonTypes XSD).
const ISO20_CODES: Readonly<Record<FailureReason, string>> = {
  invalid: 'FAILED',
  signature: 'FAILED_SignatureError',
  chain: 'WARNING_CertificateValidationError',
  expired: 'WARNING_CertificateExpired',
  'not-yet-valid': 'WARNING_CertificateNotYetValid',
  revoked: 'WARNING_CertificateRevoked',
  'no-contract': 'WARNING_NoContractMatchingPCIDFound',
};

export function responseCodeFor(iso: IsoEdition, reason: FailureReason): string {
  return iso === 2 ? ISO2_CODES[reason] : ISO20_CODES[reason];
}

/** The placeholder eMAID of a FAILED -2 answer: 14 characters, as `eMAIDType` requires (minLength 14). */
export const FAILED_EMAID = '00000000000000';

/**
 * A FAILED answer (HTTP 200 with `alwaysReturnEXI`, spec-gaps.md item 21): the message the vehicle
 * expects, with the ResponseCode and placeholders where the schema requires content (one zero byte
 * for certificates and keys as in Hubject's example, lengths fixed by the -20 XSD as zeros).
 */
export function failedResponse(
  iso: IsoEdition,
  responseCode: string,
  sessionId: Uint8Array,
  options: { readonly now: Date; readonly update?: boolean },
): Uint8Array {
  if (iso === 2) {
    const session = sessionId.length >= 1 && sessionId.length <= 8 ? sessionId : UNKNOWN_SESSION_ID;
    const zero = Uint8Array.of(0);
    return encodeExiDocument('iso-2', {
      name: V2G_MESSAGE,
      value: {
        Header: { SessionID: session },
        Body: {
          [options.update === true ? 'CertificateUpdateRes' : 'CertificateInstallationRes']: {
            ResponseCode: responseCode,
            SAProvisioningCertificateChain: { Certificate: zero },
            ContractSignatureCertChain: { Id: 'ID1', Certificate: zero },
            ContractSignatureEncryptedPrivateKey: { Id: 'ID2', $value: zero },
            DHpublickey: { Id: 'ID3', $value: zero },
            eMAID: { Id: 'ID4', $value: FAILED_EMAID },
          },
        },
      },
    });
  }
  const session = sessionId.length === 8 ? sessionId : UNKNOWN_SESSION_ID;
  const zero = Uint8Array.of(0);
  return encodeExiDocument('iso-20-common', {
    name: ISO20_RES,
    value: {
      Header: { SessionID: session, TimeStamp: BigInt(Math.floor(options.now.getTime() / 1000)) },
      ResponseCode: responseCode,
      EVSEProcessing: 'Finished',
      CPSCertificateChain: { Certificate: zero },
      SignedInstallationData: {
        Id: 'ID1',
        ContractCertificateChain: { Certificate: zero, SubCertificates: { Certificate: [zero] } },
        ECDHCurve: 'SECP521',
        DHPublicKey: new Uint8Array(133),
        SECP521_EncryptedPrivateKey: new Uint8Array(94),
      },
      RemainingContractCertificateChains: 0,
    },
  });
}
