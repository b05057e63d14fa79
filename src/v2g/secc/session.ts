// The SECC side of one ISO 15118-2 Plug & Charge session, transport-free: V2GTP payloads in, V2GTP
// payloads out (docs/v2g-link.md "Message sequence").
//
//   supportedAppProtocolReq → SessionSetupReq → ServiceDiscoveryReq → PaymentServiceSelectionReq
//   → [CertificateInstallationReq | CertificateUpdateReq] → PaymentDetailsReq → AuthorizationReq
//   → SessionStopReq
//
// Sequence rules: a request the current state does not expect is answered with its response type
// and FAILED_SequenceError; a SessionID other than the one of SessionSetupRes with
// FAILED_UnknownSession. After any FAILED response the session ends and the connection is closed
// (D-125). PnC authorization (D-127): PaymentDetailsRes carries a fresh 16-byte GenChallenge from the
// injected random source; AuthorizationReq must be signed with the key of the contract certificate
// of PaymentDetailsReq (exi-and-signatures.md §2.1) and echo THIS session's challenge — a replayed or
// foreign challenge gets FAILED_ChallengeInvalid; a challenge is used once.

import { timingSafeEqual } from 'node:crypto';
import type { Clock, RandomSource } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { validatePath } from '../../pki/path/index.ts';
import { parseEmaid } from '../../pki/profiles/identifiers.ts';
import { verifyV2gMessage } from '../../xmldsig/v2g-signature.ts';
import {
  type AppProtocol,
  type DecodedIso2,
  decodeIso2,
  decodeSapRequest,
  encodeIso2,
  encodeSapResponse,
  ISO2_NAMESPACE,
  ISO2_PROTOCOL,
  isIso20Namespace,
  iso2Message,
  negotiateAppProtocol,
} from '../messages.ts';
import { PAYLOAD_TYPE, type V2gtpMessage } from '../v2gtp.ts';
import type { CertificateInstallationBackend, ContractStatusChecker, InstallationAction } from './ports.ts';
import { Secc20Session, type Secc20State } from './session-20.ts';
import {
  backendFailureReason,
  chainStatusProblem,
  commonNameOf,
  sequenceViolation,
  withTimeout,
} from './session-checks.ts';

export type ResponseCode =
  | 'OK'
  | 'OK_NewSessionEstablished'
  | 'FAILED'
  | 'FAILED_SequenceError'
  | 'FAILED_UnknownSession'
  | 'FAILED_ServiceSelectionInvalid'
  | 'FAILED_PaymentSelectionInvalid'
  | 'FAILED_CertificateExpired'
  | 'FAILED_SignatureError'
  | 'FAILED_NoCertificateAvailable'
  | 'FAILED_CertChainError'
  | 'FAILED_ChallengeInvalid'
  | 'FAILED_CertificateRevoked';

export type SeccState =
  | 'WaitSupportedAppProtocol'
  | 'WaitSessionSetup'
  | 'WaitServiceDiscovery'
  | 'WaitPaymentServiceSelection'
  | 'WaitPaymentDetails'
  | 'WaitAuthorization'
  | 'Authorized'
  | 'Stopped';

/** Which requests each state accepts. */
const ACCEPTS: Readonly<Record<SeccState, readonly string[]>> = {
  WaitSupportedAppProtocol: [],
  WaitSessionSetup: ['SessionSetupReq'],
  WaitServiceDiscovery: ['ServiceDiscoveryReq'],
  WaitPaymentServiceSelection: ['PaymentServiceSelectionReq'],
  WaitPaymentDetails: ['CertificateInstallationReq', 'CertificateUpdateReq', 'PaymentDetailsReq'],
  WaitAuthorization: ['AuthorizationReq'],
  Authorized: ['SessionStopReq'],
  Stopped: [],
};

export const CHARGE_SERVICE_ID = 1;
/** ServiceID of the "Certificate" value-added service (ServiceCategory ContractCertificate). */
export const CERTIFICATE_SERVICE_ID = 2;
/** Default bound on the backend call: the EV waits 5 s for CertificateInstallationRes (interop.md §3). */
export const DEFAULT_INSTALLATION_TIMEOUT_MS = 4_500;

export interface SeccEvent {
  readonly request: string;
  readonly response: string;
  readonly responseCode: string;
  /** Why a FAILED code was chosen (never secrets). */
  readonly reason?: string;
}

export interface SeccSessionDeps {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** EVSEID of SessionSetupRes (ISO 15118-2 Annex H form, 7..37 characters). */
  readonly evseId: string;
  /** Trust anchors for contract chains in PaymentDetailsReq: V2G roots and MO roots. */
  readonly contractRoots: readonly Uint8Array[];
  readonly statusChecker: ContractStatusChecker;
  /** Absent: the Certificate service is not offered and installation requests are refused. */
  readonly installation?: CertificateInstallationBackend;
  readonly installationTimeoutMs?: number;
  /**
   * Protocols accepted in SupportedAppProtocol negotiation, in the SECC's order of preference (ties
   * of the EV's Priority); default ISO 15118-2 only. -20 AC / DC are accepted only on a TLS 1.3 link
   * (`tlsProfile` 'iso-20', D-161).
   */
  readonly protocols?: readonly AppProtocol[];
  /** The TLS profile of the link this session runs on (default 'iso-2'). */
  readonly tlsProfile?: 'iso-2' | 'iso-20';
  readonly onEvent?: (event: SeccEvent) => void;
}

export interface SeccReply {
  readonly reply?: V2gtpMessage;
  /** The session ended: close the connection after the reply is written. */
  readonly close: boolean;
}

export class SeccSession {
  readonly #deps: SeccSessionDeps;
  #state: SeccState = 'WaitSupportedAppProtocol';
  #sessionId: Uint8Array | undefined;
  #selectedServices = new Set<number>();
  #contractCertificate: Uint8Array | undefined;
  #emaid: string | undefined;
  #challenge: Uint8Array | undefined;
  /** Set when SupportedAppProtocol chose ISO 15118-20: every later message goes there. */
  #iso20: Secc20Session | undefined;

  constructor(deps: SeccSessionDeps) {
    if (deps.contractRoots.length === 0) throw appError('v2g.invalid-config', 'no contract roots configured');
    if (deps.evseId.length < 7 || deps.evseId.length > 37)
      throw appError(
        'v2g.invalid-config',
        'the EVSEID must have 7 to 37 characters (ISO 15118-2 evseIDType)',
      );
    this.#deps = deps;
  }

  /** The -2 state, or the -20 state once SupportedAppProtocol chose -20. */
  get state(): SeccState | Secc20State {
    return this.#iso20 ? this.#iso20.state : this.#state;
  }

  /** The protocol namespace SupportedAppProtocol chose (undefined before, or when none matched). */
  get protocol(): string | undefined {
    return this.#protocol;
  }

  #protocol: string | undefined;

  get sessionId(): Uint8Array | undefined {
    return this.#iso20 ? this.#iso20.sessionId : this.#sessionId;
  }

  /** The EMAID authorized in this session (after AuthorizationRes OK). */
  get authorizedEmaid(): string | undefined {
    if (this.#iso20) return this.#iso20.authorizedEmaid;
    return this.#state === 'Authorized' || this.#state === 'Stopped' ? this.#emaid : undefined;
  }

  async handle(message: V2gtpMessage): Promise<SeccReply> {
    if (this.#iso20) return this.#iso20.handle(message.payloadType, message.payload);
    if (this.#state === 'Stopped') return { close: true };
    if (message.payloadType !== PAYLOAD_TYPE.exi) {
      // Only SAP and -2 are spoken here: anything else is a protocol violation without an answer.
      this.#state = 'Stopped';
      return { close: true };
    }
    if (this.#state === 'WaitSupportedAppProtocol') return this.#supportedAppProtocol(message.payload);
    let request: DecodedIso2;
    try {
      request = decodeIso2(message.payload);
    } catch (e) {
      if (!isAppError(e)) throw e;
      // Undecodable input has no response type to answer with: close (D-125).
      this.#emit({ request: 'undecodable', response: 'none', responseCode: 'closed', reason: e.message });
      this.#state = 'Stopped';
      return { close: true };
    }
    const responseType = request.type.replace(/Req$/, 'Res');
    if (!request.type.endsWith('Req') || !(responseType in FAILED_BODIES)) {
      this.#emit({
        request: request.type,
        response: 'none',
        responseCode: 'closed',
        reason: 'not supported here',
      });
      this.#state = 'Stopped';
      return { close: true };
    }
    const violation = sequenceViolation(request, this.#state, ACCEPTS[this.#state], this.#sessionId);
    if (violation) return this.#failed(request, violation.code, violation.reason);
    switch (request.type) {
      case 'SessionSetupReq':
        return this.#sessionSetup(request);
      case 'ServiceDiscoveryReq':
        return this.#serviceDiscovery(request);
      case 'PaymentServiceSelectionReq':
        return this.#paymentServiceSelection(request);
      case 'CertificateInstallationReq':
        return this.#certificateInstallation(request, message.payload, 'Install');
      case 'CertificateUpdateReq':
        return this.#certificateInstallation(request, message.payload, 'Update');
      case 'PaymentDetailsReq':
        return this.#paymentDetails(request);
      case 'AuthorizationReq':
        return this.#authorization(request);
      default:
        return this.#sessionStop(request);
    }
  }

  // --- helpers ----------------------------------------------------------------------------------------

  #emit(event: SeccEvent): void {
    this.#deps.onEvent?.(event);
  }

  #reply(request: DecodedIso2, body: ModelObject, reason?: string): SeccReply {
    const type = request.type.replace(/Req$/, 'Res');
    const code = String(body.ResponseCode);
    this.#emit({ request: request.type, response: type, responseCode: code, ...(reason ? { reason } : {}) });
    const failed = code.startsWith('FAILED');
    if (failed) this.#state = 'Stopped';
    const sessionId = this.#sessionId ?? request.sessionId;
    return {
      reply: { payloadType: PAYLOAD_TYPE.exi, payload: encodeIso2(iso2Message(sessionId, type, body)) },
      close: failed || this.#state === 'Stopped',
    };
  }

  #failed(request: DecodedIso2, code: ResponseCode, reason: string): SeccReply {
    const type = request.type.replace(/Req$/, 'Res');
    const body = FAILED_BODIES[type]!(this, code);
    return this.#reply(request, body, reason);
  }

  timestamp(): bigint {
    return BigInt(Math.floor(this.#deps.clock.now().getTime() / 1000));
  }

  get evseId(): string {
    return this.#deps.evseId;
  }

  // --- SupportedAppProtocol ---------------------------------------------------------------------------

  #supportedAppProtocol(payload: Uint8Array): SeccReply {
    let offers: ReturnType<typeof decodeSapRequest>;
    try {
      offers = decodeSapRequest(payload);
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.#state = 'Stopped';
      this.#emit({ request: 'undecodable', response: 'none', responseCode: 'closed', reason: e.message });
      return { close: true };
    }
    // -2 on any link; -20 only on a TLS 1.3 link with mutual authentication (D-124, D-161).
    const iso20Link = this.#deps.tlsProfile === 'iso-20';
    const supported = (this.#deps.protocols ?? [ISO2_PROTOCOL]).filter(
      (p) => p.namespace === ISO2_NAMESPACE || (iso20Link && isIso20Namespace(p.namespace)),
    );
    const result = negotiateAppProtocol(offers, supported);
    this.#emit({
      request: 'supportedAppProtocolReq',
      response: 'supportedAppProtocolRes',
      responseCode: result.responseCode,
    });
    const failed = result.responseCode === 'Failed_NoNegotiation';
    this.#state = failed ? 'Stopped' : 'WaitSessionSetup';
    this.#protocol = result.chosen?.namespace;
    if (result.chosen && isIso20Namespace(result.chosen.namespace)) {
      this.#iso20 = new Secc20Session({
        clock: this.#deps.clock,
        random: this.#deps.random,
        evseId: this.#deps.evseId,
        contractRoots: this.#deps.contractRoots,
        statusChecker: this.#deps.statusChecker,
        ...(this.#deps.installation ? { installation: this.#deps.installation } : {}),
        installationTimeoutMs: this.#deps.installationTimeoutMs ?? DEFAULT_INSTALLATION_TIMEOUT_MS,
        ...(this.#deps.onEvent ? { onEvent: this.#deps.onEvent } : {}),
      });
    }
    return { reply: { payloadType: PAYLOAD_TYPE.exi, payload: encodeSapResponse(result) }, close: failed };
  }

  // --- Session setup and service selection -------------------------------------------------------------

  #sessionSetup(request: DecodedIso2): SeccReply {
    // Always a new session; resuming a paused one (OK_OldSessionJoined) is not supported (D-125).
    let id = this.#deps.random(8);
    if (id.every((b) => b === 0)) id = Uint8Array.of(1, ...id.subarray(1));
    this.#sessionId = id;
    this.#state = 'WaitServiceDiscovery';
    return this.#reply(request, {
      ResponseCode: 'OK_NewSessionEstablished',
      EVSEID: this.#deps.evseId,
      EVSETimeStamp: this.timestamp(),
    });
  }

  #serviceDiscovery(request: DecodedIso2): SeccReply {
    this.#state = 'WaitPaymentServiceSelection';
    return this.#reply(request, {
      ResponseCode: 'OK',
      PaymentOptionList: { PaymentOption: ['Contract'] },
      ChargeService: chargeService(),
      ...(this.#deps.installation
        ? {
            ServiceList: {
              Service: [
                {
                  ServiceID: CERTIFICATE_SERVICE_ID,
                  ServiceName: 'Certificate',
                  ServiceCategory: 'ContractCertificate',
                  FreeService: true,
                },
              ],
            },
          }
        : {}),
    });
  }

  #paymentServiceSelection(request: DecodedIso2): SeccReply {
    const body = request.body;
    // PnC only: the simulator offers Contract and nothing else (D-125).
    if (body.SelectedPaymentOption !== 'Contract')
      return this.#failed(request, 'FAILED_PaymentSelectionInvalid', 'only Contract payment is offered');
    const selected = (((body.SelectedServiceList as ModelObject).SelectedService as ModelObject[]) ?? []).map(
      (s) => s.ServiceID as number,
    );
    const offered = new Set([
      CHARGE_SERVICE_ID,
      ...(this.#deps.installation ? [CERTIFICATE_SERVICE_ID] : []),
    ]);
    if (!selected.includes(CHARGE_SERVICE_ID) || selected.some((id) => !offered.has(id)))
      return this.#failed(
        request,
        'FAILED_ServiceSelectionInvalid',
        `selected services ${selected.join(',')}`,
      );
    this.#selectedServices = new Set(selected);
    this.#state = 'WaitPaymentDetails';
    return this.#reply(request, { ResponseCode: 'OK' });
  }

  // --- Certificate installation --------------------------------------------------------------------------

  async #certificateInstallation(
    request: DecodedIso2,
    raw: Uint8Array,
    action: InstallationAction,
  ): Promise<SeccReply> {
    const backend = this.#deps.installation;
    if (!backend || !this.#selectedServices.has(CERTIFICATE_SERVICE_ID))
      return this.#failed(
        request,
        'FAILED_NoCertificateAvailable',
        'the Certificate service was not selected or is not offered',
      );
    const responseType = action === 'Install' ? 'CertificateInstallationRes' : 'CertificateUpdateRes';
    let answer: DecodedIso2;
    try {
      const b64 = await withTimeout(
        backend.install(Buffer.from(raw).toString('base64'), action),
        this.#deps.installationTimeoutMs ?? DEFAULT_INSTALLATION_TIMEOUT_MS,
      );
      answer = decodeIso2(new Uint8Array(Buffer.from(b64, 'base64')));
      if (answer.type !== responseType)
        throw appError('secc.backend', `the backend answered ${answer.type}, expected ${responseType}`);
    } catch (e) {
      // The backend is a remote boundary (CSMS → CCP): any failure there is a FAILED answer here.
      return this.#failed(request, 'FAILED', `installation backend: ${backendFailureReason(e)}`);
    }
    const code = String(answer.body.ResponseCode);
    this.#emit({
      request: request.type,
      response: responseType,
      responseCode: code,
      reason: 'forwarded from the backend',
    });
    const failed = code.startsWith('FAILED');
    if (failed) this.#state = 'Stopped';
    // The backend's document is forwarded; only the (unsigned) Header SessionID is set to this
    // session's, should the backend not have copied it (the signatures cover Body elements only).
    const value = answer.decoded.value as ModelObject;
    (value.Header as ModelObject).SessionID = this.#sessionId!;
    const payload = encodeIso2({ name: { ns: ISO2_NAMESPACE, local: 'V2G_Message' }, value });
    return { reply: { payloadType: PAYLOAD_TYPE.exi, payload }, close: failed };
  }

  // --- Payment details: contract chain and its revocation status ----------------------------------------

  async #paymentDetails(request: DecodedIso2): Promise<SeccReply> {
    const body = request.body;
    const chain = body.ContractSignatureCertChain as ModelObject;
    const leaf = chain.Certificate as Uint8Array;
    const subs =
      ((chain.SubCertificates as ModelObject | undefined)?.Certificate as Uint8Array[] | undefined) ?? [];
    const at = this.#deps.clock.now();
    const result = validatePath({
      target: leaf,
      intermediates: subs,
      anchors: this.#deps.contractRoots,
      at,
      profile: { role: 'contract-leaf' },
    });
    if (!result.valid) {
      const expired = result.code === 'path.expired' || result.code === 'path.not-yet-valid';
      return this.#failed(
        request,
        expired ? 'FAILED_CertificateExpired' : 'FAILED_CertChainError',
        `${result.code}: ${result.reason}`,
      );
    }
    const cn = commonNameOf(leaf);
    const emaid = String(body.eMAID);
    if (cn === undefined || normalizeEmaid(cn) !== normalizeEmaid(emaid))
      return this.#failed(
        request,
        'FAILED_CertChainError',
        `eMAID ${emaid} is not the contract certificate's CN`,
      );
    // OCSP as OCPP Authorize does it: leaf and every sub-CA, each with its issuer; fail closed.
    const problem = await chainStatusProblem(this.#deps.statusChecker, result.chain);
    if (problem)
      return this.#failed(
        request,
        problem.kind === 'revoked' ? 'FAILED_CertificateRevoked' : 'FAILED_CertChainError',
        problem.reason,
      );
    this.#contractCertificate = leaf;
    this.#emaid = emaid;
    this.#challenge = this.#deps.random(16);
    if (this.#challenge.length !== 16)
      throw appError('v2g.invalid-config', 'the random source must return 16 bytes');
    this.#state = 'WaitAuthorization';
    return this.#reply(request, {
      ResponseCode: 'OK',
      GenChallenge: this.#challenge,
      EVSETimeStamp: this.timestamp(),
    });
  }

  // --- Authorization ----------------------------------------------------------------------------------

  #authorization(request: DecodedIso2): SeccReply {
    const challenge = this.#challenge;
    this.#challenge = undefined; // one AuthorizationReq per challenge
    const body = request.body;
    const given = body.GenChallenge as Uint8Array | undefined;
    if (typeof body.Id !== 'string' || !given)
      return this.#failed(request, 'FAILED', 'PnC AuthorizationReq without Id and GenChallenge');
    let report: ReturnType<typeof verifyV2gMessage>;
    try {
      report = verifyV2gMessage(request.decoded, { certificates: [this.#contractCertificate!] });
    } catch (e) {
      if (!isAppError(e)) throw e;
      return this.#failed(request, 'FAILED_SignatureError', `${e.code}: ${e.message}`);
    }
    const covers = report.references.some((r) => r.uri === `#${body.Id}` && r.status === 'ok');
    if (!report.valid || !covers)
      return this.#failed(request, 'FAILED_SignatureError', `signature ${report.signature}`);
    if (!challenge || given.length !== challenge.length || !timingSafeEqual(given, challenge))
      return this.#failed(
        request,
        'FAILED_ChallengeInvalid',
        'GenChallenge is not the one sent in this session',
      );
    this.#state = 'Authorized';
    return this.#reply(request, { ResponseCode: 'OK', EVSEProcessing: 'Finished' });
  }

  #sessionStop(request: DecodedIso2): SeccReply {
    this.#state = 'Stopped';
    return this.#reply(request, { ResponseCode: 'OK' });
  }
}

function chargeService(): ModelObject {
  return {
    ServiceID: CHARGE_SERVICE_ID,
    ServiceCategory: 'EVCharging',
    FreeService: false,
    SupportedEnergyTransferMode: { EnergyTransferMode: ['DC_extended', 'AC_three_phase_core'] },
  };
}

function normalizeEmaid(s: string): string {
  const parsed = parseEmaid(s, { verifyCheckDigit: false });
  return parsed.ok ? parsed.value.normalized : s.replace(/-/g, '').toUpperCase();
}

// FAILED responses still carry the schema's mandatory elements; their values mean nothing (their values are
// not specified; placeholders as RISE-V2G sends them, D-125).
const PLACEHOLDER_EMAID = 'ZZ00000000000A';
const FAILED_BODIES: Readonly<Record<string, (s: SeccSession, code: ResponseCode) => ModelObject>> = {
  SessionSetupRes: (s, code) => ({ ResponseCode: code, EVSEID: s.evseId, EVSETimeStamp: s.timestamp() }),
  ServiceDiscoveryRes: (_s, code) => ({
    ResponseCode: code,
    PaymentOptionList: { PaymentOption: ['Contract'] },
    ChargeService: chargeService(),
  }),
  PaymentServiceSelectionRes: (_s, code) => ({ ResponseCode: code }),
  CertificateInstallationRes: (_s, code) => placeholderInstallation(code),
  CertificateUpdateRes: (_s, code) => placeholderInstallation(code),
  PaymentDetailsRes: (s, code) => ({
    ResponseCode: code,
    GenChallenge: new Uint8Array(16),
    EVSETimeStamp: s.timestamp(),
  }),
  AuthorizationRes: (_s, code) => ({ ResponseCode: code, EVSEProcessing: 'Finished' }),
  SessionStopRes: (_s, code) => ({ ResponseCode: code }),
};

function placeholderInstallation(code: ResponseCode): ModelObject {
  return {
    ResponseCode: code,
    SAProvisioningCertificateChain: { Certificate: new Uint8Array(1) },
    ContractSignatureCertChain: { Id: 'ID1', Certificate: new Uint8Array(1) },
    ContractSignatureEncryptedPrivateKey: { Id: 'ID2', $value: new Uint8Array(48) },
    DHpublickey: { Id: 'ID3', $value: new Uint8Array(65) },
    eMAID: { Id: 'ID4', $value: PLACEHOLDER_EMAID },
  };
}
