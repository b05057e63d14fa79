// Building and reading the EXI messages of the V2G link: SupportedAppProtocol (both editions) and the
// ISO 15118-2 V2G_Message envelope (Header with SessionID, Body with one message). The codec is
// src/exi; signatures src/xmldsig. Every decode failure becomes v2g.protocol, so a peer's garbage
// never escapes as a codec error of ours.

import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import {
  type AnyDecoded,
  decodeExiDocument,
  encodeExiDocument,
  isCodecError,
  type ModelObject,
  NS,
} from '../exi/codec.ts';
import type { AppProtocolType, supportedAppProtocolResType } from '../exi/gen/sap-types.ts';

export const ISO2_NAMESPACE = NS.iso2MsgDef;
export const DIN_NAMESPACE = 'urn:din:70121:2012:MsgDef';
export const ISO20_NAMESPACES = {
  ac: 'urn:iso:std:iso:15118:-20:AC',
  dc: 'urn:iso:std:iso:15118:-20:DC',
  wpt: 'urn:iso:std:iso:15118:-20:WPT',
  acdp: 'urn:iso:std:iso:15118:-20:ACDP',
} as const;

/** A protocol an implementation speaks, as SupportedAppProtocol names it. */
export interface AppProtocol {
  readonly namespace: string;
  readonly major: number;
  readonly minor: number;
}

export const ISO2_PROTOCOL: AppProtocol = { namespace: ISO2_NAMESPACE, major: 2, minor: 0 };
export const ISO20_DC_PROTOCOL: AppProtocol = { namespace: ISO20_NAMESPACES.dc, major: 1, minor: 0 };
export const ISO20_AC_PROTOCOL: AppProtocol = { namespace: ISO20_NAMESPACES.ac, major: 1, minor: 0 };

const V2G_MESSAGE = { ns: NS.iso2MsgDef, local: 'V2G_Message' } as const;

function decodeOrRefuse(schema: 'sap' | 'iso-2' | 'iso-20-common', bytes: Uint8Array): AnyDecoded {
  try {
    return decodeExiDocument(schema, bytes);
  } catch (e) {
    if (isCodecError(e) || isAppError(e))
      throw appError('v2g.protocol', `undecodable ${schema} EXI: ${(e as Error).message}`, { cause: e });
    throw e;
  }
}

// --- SupportedAppProtocol ----------------------------------------------------------------------------

export interface OfferedProtocol extends AppProtocol {
  readonly schemaId: number;
  /** 1 = most preferred. */
  readonly priority: number;
}

export function encodeSapRequest(offers: readonly OfferedProtocol[]): Uint8Array {
  const AppProtocol: AppProtocolType[] = offers.map((o) => ({
    ProtocolNamespace: o.namespace,
    VersionNumberMajor: o.major,
    VersionNumberMinor: o.minor,
    SchemaID: o.schemaId,
    Priority: o.priority,
  }));
  return encodeExiDocument('sap', {
    name: { ns: NS.appProtocol, local: 'supportedAppProtocolReq' },
    value: { AppProtocol },
  });
}

export function decodeSapRequest(bytes: Uint8Array): OfferedProtocol[] {
  const d = decodeOrRefuse('sap', bytes);
  if (d.name.local !== 'supportedAppProtocolReq' || 'wildcard' in d)
    throw appError('v2g.protocol', `expected supportedAppProtocolReq, got ${d.name.local}`);
  const list = ((d.value as ModelObject).AppProtocol as AppProtocolType[] | undefined) ?? [];
  return list.map((p) => ({
    namespace: p.ProtocolNamespace,
    major: p.VersionNumberMajor,
    minor: p.VersionNumberMinor,
    schemaId: p.SchemaID,
    priority: p.Priority,
  }));
}

export type SapResponseCode = supportedAppProtocolResType['ResponseCode'];

export interface SapResult {
  readonly responseCode: SapResponseCode;
  readonly schemaId?: number;
  /** The offer that was chosen (absent on Failed_NoNegotiation). */
  readonly chosen?: OfferedProtocol;
}

/**
 * The SECC's choice (SupportedAppProtocol handshake): among the offers whose namespace and major version it supports,
 * the one with the best (lowest) priority (ties: the SECC's order in `supported`); equal minor version → OK_SuccessfulNegotiation, other
 * minor → OK_SuccessfulNegotiationWithMinorDeviation; none → Failed_NoNegotiation.
 */
export function negotiateAppProtocol(
  offers: readonly OfferedProtocol[],
  supported: readonly AppProtocol[],
): SapResult {
  const candidates = offers
    .map((o) => ({ o, s: supported.find((s) => s.namespace === o.namespace && s.major === o.major) }))
    .filter((x): x is { o: OfferedProtocol; s: AppProtocol } => x.s !== undefined)
    // EV Priority first; equal priorities by the SECC's order of preference (D-161).
    .sort((a, b) => a.o.priority - b.o.priority || supported.indexOf(a.s) - supported.indexOf(b.s));
  const best = candidates[0];
  if (!best) return { responseCode: 'Failed_NoNegotiation' };
  return {
    responseCode:
      best.o.minor === best.s.minor
        ? 'OK_SuccessfulNegotiation'
        : 'OK_SuccessfulNegotiationWithMinorDeviation',
    schemaId: best.o.schemaId,
    chosen: best.o,
  };
}

export function encodeSapResponse(result: Pick<SapResult, 'responseCode' | 'schemaId'>): Uint8Array {
  return encodeExiDocument('sap', {
    name: { ns: NS.appProtocol, local: 'supportedAppProtocolRes' },
    value: {
      ResponseCode: result.responseCode,
      ...(result.schemaId === undefined ? {} : { SchemaID: result.schemaId }),
    },
  });
}

export function decodeSapResponse(bytes: Uint8Array): { responseCode: SapResponseCode; schemaId?: number } {
  const d = decodeOrRefuse('sap', bytes);
  if (d.name.local !== 'supportedAppProtocolRes' || 'wildcard' in d)
    throw appError('v2g.protocol', `expected supportedAppProtocolRes, got ${d.name.local}`);
  const v = d.value as unknown as supportedAppProtocolResType;
  return { responseCode: v.ResponseCode, ...(v.SchemaID === undefined ? {} : { schemaId: v.SchemaID }) };
}

// --- ISO 15118-2 V2G_Message ---------------------------------------------------------------------------

/** A V2G_Message model ready for the encoder or the signer. */
export interface Iso2Message {
  readonly name: typeof V2G_MESSAGE;
  readonly value: ModelObject;
}

export function iso2Message(sessionId: Uint8Array, bodyType: string, body: ModelObject): Iso2Message {
  return {
    name: V2G_MESSAGE,
    value: { Header: { SessionID: sessionId }, Body: { [bodyType]: body } } as ModelObject,
  };
}

export function encodeIso2(message: Iso2Message): Uint8Array {
  return encodeExiDocument('iso-2', message);
}

export interface DecodedIso2 {
  readonly decoded: AnyDecoded;
  readonly sessionId: Uint8Array;
  readonly header: ModelObject;
  /** Local name of the body element, e.g. 'SessionSetupReq'. */
  readonly type: string;
  readonly body: ModelObject;
}

export function decodeIso2(bytes: Uint8Array): DecodedIso2 {
  const decoded = decodeOrRefuse('iso-2', bytes);
  if ('wildcard' in decoded || decoded.name.ns !== V2G_MESSAGE.ns || decoded.name.local !== 'V2G_Message')
    throw appError('v2g.protocol', `expected an ISO 15118-2 V2G_Message, got ${decoded.name.local}`);
  const root = decoded.value as ModelObject;
  const header = (root.Header as ModelObject | undefined) ?? {};
  const bodies = (root.Body as ModelObject | undefined) ?? {};
  const type = Object.keys(bodies).find((k) => bodies[k] !== undefined);
  if (!type) throw appError('v2g.protocol', 'the V2G_Message has an empty Body');
  return {
    decoded,
    sessionId: (header.SessionID as Uint8Array | undefined) ?? new Uint8Array(0),
    header,
    type,
    body: bodies[type] as ModelObject,
  };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

// --- ISO 15118-20 CommonMessages -------------------------------------------------------------------------

/** The -20 CommonMessages namespace: the root element of every -20 common message (no V2G_Message wrapper). */
export const ISO20_COMMON_NAMESPACE = 'urn:iso:std:iso:15118:-20:CommonMessages';
/** -20 sessionIDType: hexBinary, length exactly 8 (exi-and-signatures.md §1, XSD CommonTypes). */
export const ISO20_SESSION_ID_BYTES = 8;

export function isIso20Namespace(namespace: string): boolean {
  return (Object.values(ISO20_NAMESPACES) as string[]).includes(namespace);
}

/** A -20 CommonMessages message model ready for the encoder or the signer. */
export interface Iso20Message {
  readonly name: { readonly ns: string; readonly local: string };
  readonly value: ModelObject;
}

/** `type` (e.g. 'SessionSetupReq') with Header {SessionID, TimeStamp} and the message's own elements. */
export function iso20Message(
  type: string,
  sessionId: Uint8Array,
  timeStamp: bigint,
  body: ModelObject,
): Iso20Message {
  return {
    name: { ns: ISO20_COMMON_NAMESPACE, local: type },
    value: { Header: { SessionID: sessionId, TimeStamp: timeStamp }, ...body } as ModelObject,
  };
}

export function encodeIso20(message: Iso20Message): Uint8Array {
  return encodeExiDocument('iso-20-common', message);
}

export interface DecodedIso20 {
  readonly decoded: AnyDecoded;
  /** Local name of the root element, e.g. 'AuthorizationReq'. */
  readonly type: string;
  readonly sessionId: Uint8Array;
  readonly header: ModelObject;
  /** The message element's content (Header included). */
  readonly body: ModelObject;
}

/** Decodes a -20 CommonMessages document; anything else (or garbage) is v2g.protocol. */
export function decodeIso20(bytes: Uint8Array): DecodedIso20 {
  const decoded = decodeOrRefuse('iso-20-common', bytes);
  if ('wildcard' in decoded || decoded.name.ns !== ISO20_COMMON_NAMESPACE)
    throw appError(
      'v2g.protocol',
      `expected an ISO 15118-20 CommonMessages message, got ${decoded.name.local}`,
    );
  const body = decoded.value as ModelObject;
  const header = (body.Header as ModelObject | undefined) ?? {};
  return {
    decoded,
    type: decoded.name.local,
    sessionId: (header.SessionID as Uint8Array | undefined) ?? new Uint8Array(0),
    header,
    body,
  };
}
