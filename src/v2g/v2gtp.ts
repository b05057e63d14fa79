// V2G Transfer Protocol framing (ISO 15118-2 / -20 V2GTP; exi-and-signatures.md §1.7).
//
//   byte 0     protocol version 0x01
//   byte 1     inverse protocol version 0xFE
//   bytes 2-3  payload type, big-endian
//   bytes 4-7  payload length, big-endian (header excluded)
//
// Payload types: 0x8001 SupportedAppProtocol and every DIN / ISO 15118-2 message; 0x8002..0x8006 the
// ISO 15118-20 schema sets (CommonMessages, AC, DC, ACDP, WPT); 0x8101..0x8104 the -20 side channels;
// 0x9000..0x9003 SDP (UDP only). The parser refuses a wrong version pair, a payload type the
// connection does not allow and a length over its bound before it buffers the payload (D-120).

import { appError } from '../errors/catalogue.ts';

export const V2GTP_VERSION = 0x01;
export const V2GTP_INVERSE_VERSION = 0xfe;
export const V2GTP_HEADER_LENGTH = 8;

export const PAYLOAD_TYPE = {
  /** SupportedAppProtocol, DIN 70121 and ISO 15118-2 messages. */
  exi: 0x8001,
  iso20Common: 0x8002,
  iso20Ac: 0x8003,
  iso20Dc: 0x8004,
  iso20Acdp: 0x8005,
  iso20Wpt: 0x8006,
  iso20ScheduleRenegotiation: 0x8101,
  iso20MeteringConfirmation: 0x8102,
  iso20AcdpSystemStatus: 0x8103,
  iso20ParkingStatus: 0x8104,
  sdpRequest: 0x9000,
  sdpResponse: 0x9001,
  sdpRequestWireless: 0x9002,
  sdpResponseWireless: 0x9003,
} as const;

export type PayloadTypeName = keyof typeof PAYLOAD_TYPE;

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(PAYLOAD_TYPE));

/** Payload types carried over TCP/TLS by an ISO 15118-2 session (SAP first, then -2 messages). */
export const ISO2_TCP_PAYLOAD_TYPES: readonly number[] = [PAYLOAD_TYPE.exi];

/** Payload types carried over TCP/TLS by an ISO 15118-20 session (SAP uses 0x8001). */
export const ISO20_TCP_PAYLOAD_TYPES: readonly number[] = [
  PAYLOAD_TYPE.exi,
  PAYLOAD_TYPE.iso20Common,
  PAYLOAD_TYPE.iso20Ac,
  PAYLOAD_TYPE.iso20Dc,
  PAYLOAD_TYPE.iso20Acdp,
  PAYLOAD_TYPE.iso20Wpt,
  PAYLOAD_TYPE.iso20ScheduleRenegotiation,
  PAYLOAD_TYPE.iso20MeteringConfirmation,
  PAYLOAD_TYPE.iso20AcdpSystemStatus,
  PAYLOAD_TYPE.iso20ParkingStatus,
];

/**
 * Default payload bound: 64 KiB. A conformant -2 CertificateInstallationRes is ~4.6 kB and a -20 one
 * with three contract chains stays below 16 kB; EVerest's 2048-byte EV buffer rejected real responses
 * (interop.md §3), so the bound is generous but finite (D-120).
 */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024;
/** Hard upper bound for the configurable limit (the length field itself allows 4 GiB). */
export const MAX_PAYLOAD_LIMIT = 16 * 1024 * 1024;

export interface V2gtpMessage {
  readonly payloadType: number;
  readonly payload: Uint8Array;
}

export function isKnownPayloadType(type: number): boolean {
  return KNOWN_TYPES.has(type);
}

/** One V2GTP message: header + payload. */
export function encodeV2gtp(payloadType: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 0xffff) {
    throw appError('v2g.payload-type', `payload type ${payloadType} is not a 16-bit value`);
  }
  if (payload.length > 0xffffffff) throw appError('v2g.too-large', 'a V2GTP payload is at most 2^32-1 bytes');
  const out = new Uint8Array(V2GTP_HEADER_LENGTH + payload.length);
  const view = new DataView(out.buffer);
  out[0] = V2GTP_VERSION;
  out[1] = V2GTP_INVERSE_VERSION;
  view.setUint16(2, payloadType);
  view.setUint32(4, payload.length);
  out.set(payload, V2GTP_HEADER_LENGTH);
  return out;
}

export interface V2gtpHeader {
  readonly payloadType: number;
  readonly length: number;
}

export interface V2gtpLimits {
  /** Largest payload accepted; default DEFAULT_MAX_PAYLOAD. */
  readonly maxPayload?: number;
  /** Payload types accepted; default every known type. */
  readonly allowedTypes?: readonly number[];
}

/** Checks an 8-byte header against the limits (version pair, type, length). */
export function decodeV2gtpHeader(header: Uint8Array, limits: V2gtpLimits = {}): V2gtpHeader {
  if (header.length < V2GTP_HEADER_LENGTH) throw appError('v2g.framing', 'a V2GTP header is 8 bytes');
  if (header[0] !== V2GTP_VERSION || header[1] !== V2GTP_INVERSE_VERSION) {
    throw appError(
      'v2g.framing',
      `V2GTP version bytes must be 01 FE, got ${hex(header[0]!)} ${hex(header[1]!)}`,
    );
  }
  const view = new DataView(header.buffer, header.byteOffset, V2GTP_HEADER_LENGTH);
  const payloadType = view.getUint16(2);
  const length = view.getUint32(4);
  const allowed = limits.allowedTypes;
  if (allowed ? !allowed.includes(payloadType) : !KNOWN_TYPES.has(payloadType)) {
    throw appError(
      'v2g.payload-type',
      `V2GTP payload type 0x${payloadType.toString(16)} is not accepted here`,
      {
        details: { payloadType },
      },
    );
  }
  const max = maxPayloadOf(limits);
  if (length > max) {
    throw appError('v2g.too-large', `V2GTP payload of ${length} bytes exceeds the limit of ${max}`, {
      details: { length, max },
    });
  }
  return { payloadType, length };
}

function maxPayloadOf(limits: V2gtpLimits): number {
  const max = limits.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  if (!Number.isInteger(max) || max < 0 || max > MAX_PAYLOAD_LIMIT) {
    throw appError('v2g.invalid-config', `maxPayload must be an integer in 0..${MAX_PAYLOAD_LIMIT}`);
  }
  return max;
}

const hex = (b: number): string => b.toString(16).padStart(2, '0').toUpperCase();

/**
 * Incremental parser for a byte stream (TCP / TLS): push chunks as they arrive, get complete messages
 * back. After an error the parser is unusable (the connection must be closed (D-120)).
 */
export class V2gtpParser {
  readonly #limits: V2gtpLimits;
  #buffer: Uint8Array = new Uint8Array(0);
  #header: V2gtpHeader | undefined;
  #failed = false;

  constructor(limits: V2gtpLimits = {}) {
    maxPayloadOf(limits);
    this.#limits = limits;
  }

  /** Bytes received but not yet part of a complete message. */
  get pending(): number {
    return this.#buffer.length;
  }

  push(chunk: Uint8Array): V2gtpMessage[] {
    if (this.#failed) throw appError('v2g.framing', 'the V2GTP stream failed earlier');
    this.#buffer = this.#buffer.length === 0 ? chunk.slice() : concat(this.#buffer, chunk);
    const out: V2gtpMessage[] = [];
    try {
      for (;;) {
        if (this.#header === undefined) {
          if (this.#buffer.length < V2GTP_HEADER_LENGTH) break;
          this.#header = decodeV2gtpHeader(this.#buffer.subarray(0, V2GTP_HEADER_LENGTH), this.#limits);
          this.#buffer = this.#buffer.subarray(V2GTP_HEADER_LENGTH);
        }
        if (this.#buffer.length < this.#header.length) break;
        out.push({
          payloadType: this.#header.payloadType,
          payload: this.#buffer.slice(0, this.#header.length),
        });
        this.#buffer = this.#buffer.subarray(this.#header.length);
        this.#header = undefined;
      }
    } catch (e) {
      this.#failed = true;
      this.#buffer = new Uint8Array(0);
      throw e;
    }
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
