// The SECC side of one ISO 15118-20 Plug & Charge identification, transport-free: -20 CommonMessages
// payloads (V2GTP 0x8002) in, payloads out (docs/v2g-link.md "ISO 15118-20 sequence"). SeccSession
// hands a connection here once SupportedAppProtocol chose -20 AC or DC.
//
//   SessionSetupReq → AuthorizationSetupReq → [CertificateInstallationReq]* → AuthorizationReq
//   → SessionStopReq
//
// Response codes are the -20 responseCodeType's (XSD CommonTypes): out of sequence
// FAILED_SequenceError, a foreign SessionID FAILED_UnknownSession, a bad signature FAILED_SignatureError —
// FAILED ends the session and closes the connection. Contract problems are WARNING_* codes as -20
// defines them (WARNING_ChallengeInvalid, WARNING_CertificateExpired, …); after a WARNING to an
// AuthorizationReq only SessionStopReq is accepted (D-163). PnC (D-164): AuthorizationSetupRes
// carries a fresh 16-byte GenChallenge; AuthorizationReq must carry PnC_AReqAuthorizationMode signed
// with the key of its contract certificate ([V2G20-1063]; exi-and-signatures.md §2.2), echo THIS
// session's challenge (used once), and its chain must validate to the contract roots and be good by
// OCSP. Installation (D-162): the request is forwarded, base64, to the backend as OCPP 2.0.1
// Get15118EVCertificate with iso15118SchemaVersion = the -20 CommonMessages namespace; several
// answers are handed out one per CertificateInstallationReq.

import { timingSafeEqual } from 'node:crypto';
import type { Clock, RandomSource } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { validatePath } from '../../pki/path/index.ts';
import { verifyIso20Message } from '../../xmldsig/v2g-signature.ts';
import {
  type DecodedIso20,
  decodeIso20,
  encodeIso20,
  ISO20_COMMON_NAMESPACE,
  ISO20_SESSION_ID_BYTES,
  iso20Message,
} from '../messages.ts';
import { PAYLOAD_TYPE } from '../v2gtp.ts';
import type { CertificateInstallationBackend, ContractStatusChecker } from './ports.ts';
import type { SeccEvent } from './session.ts';
import {
  backendFailureReason,
  type ChainStatusProblem,
  chainStatusProblem,
  commonNameOf,
  sequenceViolation,
  withTimeout,
} from './session-checks.ts';

/** The -20 responseCodeType values this SECC sends (V2G_CI_CommonTypes.xsd). */
export type ResponseCode20 =
  | 'OK'
  | 'OK_NewSessionEstablished'
  | 'WARNING_AuthorizationSelectionInvalid'
  | 'WARNING_CertificateExpired'
  | 'WARNING_CertificateNotYetValid'
  | 'WARNING_CertificateRevoked'
  | 'WARNING_CertificateValidationError'
  | 'WARNING_ChallengeInvalid'
  | 'WARNING_GeneralPnCAuthorizationError'
  | 'WARNING_NoCertificateAvailable'
  | 'FAILED'
  | 'FAILED_NoServiceRenegotiationSupported'
  | 'FAILED_SequenceError'
  | 'FAILED_SignatureError'
  | 'FAILED_UnknownSession';

export type Secc20State =
  | 'WaitSessionSetup'
  | 'WaitAuthorizationSetup'
  | 'WaitAuthorization'
  | 'Authorized'
  | 'Unauthorized'
  | 'Stopped';

const ACCEPTS: Readonly<Record<Secc20State, readonly string[]>> = {
  WaitSessionSetup: ['SessionSetupReq'],
  WaitAuthorizationSetup: ['AuthorizationSetupReq', 'SessionStopReq'],
  WaitAuthorization: ['CertificateInstallationReq', 'AuthorizationReq', 'SessionStopReq'],
  Authorized: ['SessionStopReq'],
  Unauthorized: ['SessionStopReq'],
  Stopped: [],
};

/** Backend calls per session; further answers come from the first call's contracts (D-162). */
export const MAX_BACKEND_CALLS = 4;

/** OCPP iso15118SchemaVersion for -20 installation requests (what OCPP 2.0.1 CSMSs receive). */
export const ISO20_SCHEMA_VERSION = ISO20_COMMON_NAMESPACE;

/** What a -20 session reports per answer: the same as a -2 session's. */
export type Secc20Event = SeccEvent;

export interface Secc20Deps {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** EVSEID of SessionSetupRes (-20 identifierType). */
  readonly evseId: string;
  /** Trust anchors for contract chains in AuthorizationReq: V2G and MO roots of -20. */
  readonly contractRoots: readonly Uint8Array[];
  readonly statusChecker: ContractStatusChecker;
  readonly installation?: CertificateInstallationBackend;
  readonly installationTimeoutMs: number;
  readonly onEvent?: (event: Secc20Event) => void;
}

export interface Secc20Reply {
  readonly reply?: { readonly payloadType: number; readonly payload: Uint8Array };
  readonly close: boolean;
}

/** -20 answers to a contract chain whose revocation status is not good (WARNING: the session stays). */
const STATUS_PROBLEM_CODES: Readonly<Record<ChainStatusProblem['kind'], ResponseCode20>> = {
  unavailable: 'WARNING_GeneralPnCAuthorizationError',
  unknown: 'WARNING_CertificateValidationError',
  revoked: 'WARNING_CertificateRevoked',
};

const ANSWERED = new Set([
  'SessionSetupReq',
  'AuthorizationSetupReq',
  'CertificateInstallationReq',
  'AuthorizationReq',
  'SessionStopReq',
]);

export class Secc20Session {
  readonly #deps: Secc20Deps;
  #state: Secc20State = 'WaitSessionSetup';
  #sessionId: Uint8Array | undefined;
  #challenge: Uint8Array | undefined;
  #emaid: string | undefined;
  /** Installation answers of the backend not yet handed out (D-162). */
  #pending: string[] = [];
  #backendCalls = 0;

  constructor(deps: Secc20Deps) {
    this.#deps = deps;
  }

  get state(): Secc20State {
    return this.#state;
  }

  get sessionId(): Uint8Array | undefined {
    return this.#sessionId;
  }

  /** The EMAID (contract certificate CN) authorized in this session. */
  get authorizedEmaid(): string | undefined {
    return this.#emaid;
  }

  #timestamp(): bigint {
    return BigInt(Math.floor(this.#deps.clock.now().getTime() / 1000));
  }

  #emit(event: Secc20Event): void {
    this.#deps.onEvent?.(event);
  }

  #close(request: string, reason: string): Secc20Reply {
    this.#emit({ request, response: 'none', responseCode: 'closed', reason });
    this.#state = 'Stopped';
    return { close: true };
  }

  async handle(payloadType: number, payload: Uint8Array): Promise<Secc20Reply> {
    if (this.#state === 'Stopped') return { close: true };
    // After SAP chose -20, every message of this link is a CommonMessages document (0x8002); AC / DC
    // charge-loop messages are out of scope here (D-160).
    if (payloadType !== PAYLOAD_TYPE.iso20Common)
      return this.#close('unsupported', `V2GTP payload type 0x${payloadType.toString(16)}`);
    let request: DecodedIso20;
    try {
      request = decodeIso20(payload);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return this.#close('undecodable', e.message);
    }
    if (!ANSWERED.has(request.type)) return this.#close(request.type, 'not supported here');
    const violation = sequenceViolation(request, this.#state, ACCEPTS[this.#state], this.#sessionId);
    if (violation) return this.#failed(request, violation.code, violation.reason);
    switch (request.type) {
      case 'SessionSetupReq':
        return this.#sessionSetup(request);
      case 'AuthorizationSetupReq':
        return this.#authorizationSetup(request);
      case 'CertificateInstallationReq':
        return this.#certificateInstallation(request, payload);
      case 'AuthorizationReq':
        return this.#authorization(request);
      default:
        return this.#sessionStop(request);
    }
  }

  // --- replies -------------------------------------------------------------------------------------

  #reply(request: DecodedIso20, body: ModelObject, reason?: string): Secc20Reply {
    const type = request.type.replace(/Req$/, 'Res');
    const code = String(body.ResponseCode);
    this.#emit({ request: request.type, response: type, responseCode: code, ...(reason ? { reason } : {}) });
    if (code.startsWith('FAILED')) this.#state = 'Stopped';
    const sessionId = this.#sessionId ?? sessionIdOrZero(request.sessionId);
    const payload = encodeIso20(iso20Message(type, sessionId, this.#timestamp(), body));
    return {
      reply: { payloadType: PAYLOAD_TYPE.iso20Common, payload },
      close: this.#state === 'Stopped',
    };
  }

  #failed(request: DecodedIso20, code: ResponseCode20, reason: string): Secc20Reply {
    const type = request.type.replace(/Req$/, 'Res');
    return this.#reply(request, FAILED_BODIES[type]!(this.#deps, code), reason);
  }

  // --- SessionSetup, AuthorizationSetup -------------------------------------------------------------

  #sessionSetup(request: DecodedIso20): Secc20Reply {
    // Always a new session (OK_OldSessionJoined is not offered, D-125): 8 random bytes, never all zero.
    let id = this.#deps.random(ISO20_SESSION_ID_BYTES);
    if (id.length !== ISO20_SESSION_ID_BYTES)
      throw appError('v2g.invalid-config', 'the random source must return 8 bytes');
    if (id.every((b) => b === 0)) id = Uint8Array.of(1, ...id.subarray(1));
    this.#sessionId = id;
    this.#state = 'WaitAuthorizationSetup';
    return this.#reply(request, { ResponseCode: 'OK_NewSessionEstablished', EVSEID: this.#deps.evseId });
  }

  #authorizationSetup(request: DecodedIso20): Secc20Reply {
    const challenge = this.#deps.random(16);
    if (challenge.length !== 16)
      throw appError('v2g.invalid-config', 'the random source must return 16 bytes');
    this.#challenge = challenge;
    this.#state = 'WaitAuthorization';
    // PnC only: EIM is not offered by this simulator (D-160).
    return this.#reply(request, {
      ResponseCode: 'OK',
      AuthorizationServices: ['PnC'],
      CertificateInstallationService: this.#deps.installation !== undefined,
      PnC_ASResAuthorizationMode: { GenChallenge: challenge },
    });
  }

  // --- CertificateInstallation ----------------------------------------------------------------------

  async #certificateInstallation(request: DecodedIso20, raw: Uint8Array): Promise<Secc20Reply> {
    const backend = this.#deps.installation;
    if (!backend)
      return this.#failed(
        request,
        'WARNING_NoCertificateAvailable',
        'CertificateInstallationService was not offered',
      );
    let answerB64: string;
    if (this.#pending.length > 0) {
      // The EV's installation loop: the next contract of the backend's answer (D-162).
      answerB64 = this.#pending.shift()!;
    } else {
      // A looping vehicle must not turn into unbounded CCP calls (D-162).
      if (++this.#backendCalls > MAX_BACKEND_CALLS)
        return this.#failed(
          request,
          'FAILED',
          `more than ${MAX_BACKEND_CALLS} installation calls in one session`,
        );
      try {
        const b64 = Buffer.from(raw).toString('base64');
        const all = await withTimeout(
          backend.installChains
            ? backend.installChains(b64, ISO20_SCHEMA_VERSION)
            : backend.install(b64, 'Install', ISO20_SCHEMA_VERSION).then((one) => [one]),
          this.#deps.installationTimeoutMs,
        );
        if (all.length === 0) throw appError('secc.backend', 'the backend answered no contract');
        answerB64 = all[0]!;
        this.#pending = all.slice(1);
      } catch (e) {
        return this.#failed(request, 'FAILED', `installation backend: ${backendFailureReason(e)}`);
      }
    }
    let answer: DecodedIso20;
    try {
      answer = decodeIso20(new Uint8Array(Buffer.from(answerB64, 'base64')));
      if (answer.type !== 'CertificateInstallationRes')
        throw appError('secc.backend', `the backend answered ${answer.type}`);
    } catch (e) {
      this.#pending = [];
      const why = isAppError(e) ? `${e.code} ${e.message}` : String(e);
      return this.#failed(request, 'FAILED', `installation backend: ${why}`);
    }
    const code = String(answer.body.ResponseCode);
    this.#emit({
      request: request.type,
      response: 'CertificateInstallationRes',
      responseCode: code,
      reason: 'forwarded from the backend',
    });
    if (code.startsWith('FAILED')) this.#state = 'Stopped';
    // Forwarded as the backend made it; only the Header's SessionID and TimeStamp become this
    // session's: no signature covers them (D-140, D-147). ds:Signature stays in the Header.
    const value = answer.decoded.value as ModelObject;
    value.Header = { ...answer.header, SessionID: this.#sessionId!, TimeStamp: this.#timestamp() };
    let payload: Uint8Array;
    try {
      payload = encodeIso20({
        name: { ns: ISO20_COMMON_NAMESPACE, local: 'CertificateInstallationRes' },
        value,
      });
    } catch (e) {
      return this.#failed(request, 'FAILED', `installation backend: ${(e as Error).message}`);
    }
    return { reply: { payloadType: PAYLOAD_TYPE.iso20Common, payload }, close: this.#state === 'Stopped' };
  }

  // --- Authorization ------------------------------------------------------------------------------

  async #authorization(request: DecodedIso20): Promise<Secc20Reply> {
    const challenge = this.#challenge;
    this.#challenge = undefined; // one AuthorizationReq per challenge
    this.#pending = [];
    const body = request.body;
    const pnc = body.PnC_AReqAuthorizationMode as ModelObject | undefined;
    if (body.SelectedAuthorizationService !== 'PnC' || !pnc)
      return this.#warning(request, 'WARNING_AuthorizationSelectionInvalid', 'only PnC is offered');
    const chain = pnc.ContractCertificateChain as ModelObject;
    const leaf = chain.Certificate as Uint8Array;
    const subs = ((chain.SubCertificates as ModelObject | undefined)?.Certificate as Uint8Array[]) ?? [];
    // 1. Signature over PnC_AReqAuthorizationMode with the contract certificate it carries.
    let report: ReturnType<typeof verifyIso20Message>;
    try {
      report = verifyIso20Message(request.decoded, { certificates: [leaf] });
    } catch (e) {
      if (!isAppError(e)) throw e;
      return this.#failed(request, 'FAILED_SignatureError', `${e.code}: ${e.message}`);
    }
    const covers = report.references.some(
      (r) => r.uri === `#${String(pnc.Id)}` && r.element === 'PnC_AReqAuthorizationMode' && r.status === 'ok',
    );
    if (!report.valid || !covers)
      return this.#failed(request, 'FAILED_SignatureError', `signature ${report.signature}`);
    // 2. The challenge of THIS session's AuthorizationSetupRes.
    const given = pnc.GenChallenge as Uint8Array;
    if (!challenge || given.length !== challenge.length || !timingSafeEqual(given, challenge))
      return this.#warning(
        request,
        'WARNING_ChallengeInvalid',
        'GenChallenge is not the one sent in this session',
      );
    // 3. The contract chain to the contract roots, at the SECC clock.
    const result = validatePath({
      target: leaf,
      intermediates: subs,
      anchors: this.#deps.contractRoots,
      at: this.#deps.clock.now(),
      profile: { role: 'contract-leaf', iso: '20' },
    });
    if (!result.valid) {
      const code: ResponseCode20 =
        result.code === 'path.expired'
          ? 'WARNING_CertificateExpired'
          : result.code === 'path.not-yet-valid'
            ? 'WARNING_CertificateNotYetValid'
            : 'WARNING_CertificateValidationError';
      return this.#warning(request, code, `${result.code}: ${result.reason}`);
    }
    // 4. OCSP for the leaf and every sub-CA (OCPP Authorize); fail closed.
    const problem = await chainStatusProblem(this.#deps.statusChecker, result.chain);
    if (problem) return this.#warning(request, STATUS_PROBLEM_CODES[problem.kind], problem.reason);
    this.#emaid = commonNameOf(leaf);
    this.#state = 'Authorized';
    return this.#reply(request, { ResponseCode: 'OK', EVSEProcessing: 'Finished' });
  }

  /** A WARNING answer to AuthorizationReq: refused; only SessionStopReq may follow (D-163). */
  #warning(request: DecodedIso20, code: ResponseCode20, reason: string): Secc20Reply {
    this.#state = 'Unauthorized';
    return this.#failed(request, code, reason);
  }

  #sessionStop(request: DecodedIso20): Secc20Reply {
    if (request.body.ChargingSession === 'ServiceRenegotiation')
      return this.#failed(
        request,
        'FAILED_NoServiceRenegotiationSupported',
        'service renegotiation is not simulated',
      );
    this.#state = 'Stopped';
    return this.#reply(request, { ResponseCode: 'OK' });
  }
}

function sessionIdOrZero(id: Uint8Array): Uint8Array {
  return id.length === ISO20_SESSION_ID_BYTES ? id : new Uint8Array(ISO20_SESSION_ID_BYTES);
}

// Refusals still carry the schema's mandatory elements; their values mean nothing (D-125).
const FAILED_BODIES: Readonly<Record<string, (deps: Secc20Deps, code: ResponseCode20) => ModelObject>> = {
  SessionSetupRes: (deps, code) => ({ ResponseCode: code, EVSEID: deps.evseId }),
  AuthorizationSetupRes: (_d, code) => ({
    ResponseCode: code,
    AuthorizationServices: ['PnC'],
    CertificateInstallationService: false,
    PnC_ASResAuthorizationMode: { GenChallenge: new Uint8Array(16) },
  }),
  CertificateInstallationRes: (_d, code) => ({
    ResponseCode: code,
    EVSEProcessing: 'Finished',
    CPSCertificateChain: { Certificate: new Uint8Array(1) },
    SignedInstallationData: {
      Id: 'ID1',
      ContractCertificateChain: {
        Certificate: new Uint8Array(1),
        SubCertificates: { Certificate: [new Uint8Array(1)] },
      },
      ECDHCurve: 'SECP521',
      DHPublicKey: new Uint8Array(133),
      SECP521_EncryptedPrivateKey: new Uint8Array(94),
    },
    RemainingContractCertificateChains: 0,
  }),
  AuthorizationRes: (_d, code) => ({ ResponseCode: code, EVSEProcessing: 'Finished' }),
  SessionStopRes: (_d, code) => ({ ResponseCode: code }),
};
