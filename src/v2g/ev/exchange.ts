// The request/response step both vehicle simulators share (./evcc.ts for ISO 15118-2, ./evcc-20.ts for
// ISO 15118-20): send one V2GTP message, read the answer, check that it is the response to the request
// and carries the session's SessionID, report it, and turn refusing response codes into errors.

import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import type { V2gtpConnection } from '../connection.ts';
import { bytesEqual, decodeSapResponse, type SapResponseCode } from '../messages.ts';
import type { EvEvent } from './evcc.ts';

/** What the exchange reads of a decoded response (DecodedIso2, DecodedIso20). */
export interface DecodedResponse {
  readonly type: string;
  readonly sessionId: Uint8Array;
  readonly body: ModelObject;
}

/** How one edition frames and judges its messages. */
export interface ExchangeEdition<R extends DecodedResponse> {
  /** V2GTP payload type of requests and responses. */
  readonly payloadType: number;
  readonly decode: (payload: Uint8Array) => R;
  /** -20: WARNING codes refuse the request (ev.request-refused; only SessionStopReq may follow). */
  readonly warningRefuses: boolean;
}

/**
 * Sends `payload` (a `requestType` request) and returns the decoded response. Throws v2g.protocol
 * (wrong payload type, response type or SessionID), ev.session-failed (FAILED codes) or
 * ev.request-refused (WARNING codes where the edition says so).
 */
export async function exchangeMessage<R extends DecodedResponse>(
  link: V2gtpConnection,
  edition: ExchangeEdition<R>,
  request: {
    readonly payload: Uint8Array;
    readonly type: string;
    readonly sessionId: Uint8Array;
    readonly timeoutMs: number;
  },
  onEvent: ((event: EvEvent) => void) | undefined,
): Promise<R> {
  await link.send(edition.payloadType, request.payload);
  const answer = await link.receive(request.timeoutMs);
  if (answer.payloadType !== edition.payloadType)
    throw appError('v2g.protocol', `unexpected V2GTP payload type 0x${answer.payloadType.toString(16)}`);
  const response = edition.decode(answer.payload);
  const expected = request.type.replace(/Req$/, 'Res');
  if (response.type !== expected)
    throw appError('v2g.protocol', `expected ${expected}, got ${response.type}`);
  const code = String(response.body.ResponseCode);
  onEvent?.({ request: request.type, response: response.type, responseCode: code });
  const refused = edition.warningRefuses && code.startsWith('WARNING');
  if (code.startsWith('FAILED') || refused)
    throw appError(refused ? 'ev.request-refused' : 'ev.session-failed', `${response.type}: ${code}`, {
      details: { responseCode: code, message: response.type },
    });
  if (request.type !== 'SessionSetupReq' && !bytesEqual(response.sessionId, request.sessionId))
    throw appError('v2g.protocol', `${response.type} carries another SessionID`);
  return response;
}

/**
 * Reads a supportedAppProtocolRes payload, reports it, and throws ev.session-failed when the SECC
 * supports none of the offered protocols.
 */
export function appProtocolAnswer(
  payload: Uint8Array,
  onEvent: ((event: EvEvent) => void) | undefined,
): { responseCode: SapResponseCode; schemaId?: number } {
  const result = decodeSapResponse(payload);
  onEvent?.({
    request: 'supportedAppProtocolReq',
    response: 'supportedAppProtocolRes',
    responseCode: result.responseCode,
  });
  if (result.responseCode === 'Failed_NoNegotiation')
    throw appError('ev.session-failed', 'the SECC supports none of the offered protocols', {
      details: { responseCode: result.responseCode },
    });
  return result;
}
