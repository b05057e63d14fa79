// The vehicle side of an ISO 15118-20 Plug & Charge identification over an established V2GTP channel
// (TLS 1.3 with the vehicle certificate). Each step is a method (tests drive them one by one, e.g. to
// replay a message); runPlugAndCharge20 runs the whole sequence: SupportedAppProtocol (-20 DC / AC) →
// SessionSetup → AuthorizationSetup → [CertificateInstallation loop] → Authorization (PnC) →
// SessionStop. Charging itself (ServiceDiscovery, ScheduleExchange, PowerDelivery, charge loop) is not
// simulated (D-160).
//
// Timeouts (D-130): 2 s per response, 5 s for CertificateInstallationRes; configurable.

import type { Clock } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { signIso20Message } from '../../xmldsig/v2g-signature.ts';
import type { V2gtpConnection } from '../connection.ts';
import {
  type DecodedIso20,
  decodeIso20,
  encodeIso20,
  encodeSapRequest,
  ISO20_AC_PROTOCOL,
  ISO20_DC_PROTOCOL,
  ISO20_SESSION_ID_BYTES,
  type Iso20Message,
  iso20Message,
  type OfferedProtocol,
} from '../messages.ts';
import { PAYLOAD_TYPE } from '../v2gtp.ts';
import type { ContractStore, StoredContract } from './contract-store.ts';
import { DEFAULT_EV_TIMEOUTS, type EvEvent, type EvTimeouts } from './evcc.ts';
import { appProtocolAnswer, type ExchangeEdition, exchangeMessage } from './exchange.ts';
import type { VehicleIdentity } from './identity.ts';
import {
  buildCertificateInstallationReq20,
  checkCertificateInstallationRes20,
  type Installation20Options,
  iso20Signer,
} from './installation-20.ts';

/** SupportedAppProtocol offers of a -20 vehicle: DC first (priority 1), then AC; SchemaIDs 1 and 2. */
export function iso20Offers(prefer: 'dc' | 'ac' = 'dc'): OfferedProtocol[] {
  const dc = { ...ISO20_DC_PROTOCOL, schemaId: 1 };
  const ac = { ...ISO20_AC_PROTOCOL, schemaId: 2 };
  const [first, second] = prefer === 'dc' ? [dc, ac] : [ac, dc];
  return [
    { ...first, priority: 1 },
    { ...second, priority: 2 },
  ];
}

export interface Evcc20Options {
  readonly identity: VehicleIdentity;
  /** The -20 contract store (separate from the -2 one, D-167). */
  readonly contracts: ContractStore;
  readonly clock: Clock;
  readonly timeouts?: Partial<EvTimeouts>;
  readonly onEvent?: (event: EvEvent) => void;
}

export interface AuthorizationSetup {
  readonly services: string[];
  readonly certificateInstallationService: boolean;
  readonly genChallenge: Uint8Array;
}

const ISO20_EXCHANGE: ExchangeEdition<DecodedIso20> = {
  payloadType: PAYLOAD_TYPE.iso20Common,
  decode: decodeIso20,
  warningRefuses: true,
};

export class Evcc20 {
  readonly #link: V2gtpConnection;
  readonly #options: Evcc20Options;
  readonly #timeouts: EvTimeouts;
  #sessionId: Uint8Array = new Uint8Array(ISO20_SESSION_ID_BYTES);

  constructor(link: V2gtpConnection, options: Evcc20Options) {
    this.#link = link;
    this.#options = options;
    this.#timeouts = { ...DEFAULT_EV_TIMEOUTS, ...options.timeouts };
  }

  get sessionId(): Uint8Array {
    return this.#sessionId;
  }

  #now(): bigint {
    return BigInt(Math.floor(this.#options.clock.now().getTime() / 1000));
  }

  /** A -20 request of this session (Header SessionID and TimeStamp filled in). */
  message(type: string, body: ModelObject): Iso20Message {
    return iso20Message(type, this.#sessionId, this.#now(), body);
  }

  /**
   * Sends one request and returns the decoded response; FAILED codes throw ev.session-failed (the
   * SECC closed the session), WARNING codes ev.request-refused (only SessionStopReq may follow).
   */
  async request(message: Iso20Message, timeoutMs = this.#timeouts.messageMs): Promise<DecodedIso20> {
    return this.exchange(encodeIso20(message), message.name.local, timeoutMs);
  }

  /** Sends encoded bytes (e.g. a recorded message) and reads the response to `requestType`. */
  async exchange(
    payload: Uint8Array,
    requestType: string,
    timeoutMs = this.#timeouts.messageMs,
  ): Promise<DecodedIso20> {
    return exchangeMessage(
      this.#link,
      ISO20_EXCHANGE,
      { payload, type: requestType, sessionId: this.#sessionId, timeoutMs },
      this.#options.onEvent,
    );
  }

  async supportedAppProtocol(
    offers: readonly OfferedProtocol[] = iso20Offers(),
  ): Promise<{ responseCode: string; schemaId?: number; namespace?: string }> {
    await this.#link.send(PAYLOAD_TYPE.exi, encodeSapRequest(offers));
    const answer = await this.#link.receive(this.#timeouts.messageMs);
    if (answer.payloadType !== PAYLOAD_TYPE.exi)
      throw appError('v2g.protocol', `unexpected V2GTP payload type 0x${answer.payloadType.toString(16)}`);
    const result = appProtocolAnswer(answer.payload, this.#options.onEvent);
    const chosen = offers.find((o) => o.schemaId === result.schemaId);
    if (!chosen) throw appError('v2g.protocol', `the SECC chose SchemaID ${result.schemaId}, not offered`);
    return { ...result, namespace: chosen.namespace };
  }

  async sessionSetup(): Promise<{ sessionId: Uint8Array; evseId: string }> {
    // A new session: SessionID all zero ([V2G20] SessionSetupReq; -20 sessionIDType is 8 bytes).
    this.#sessionId = new Uint8Array(ISO20_SESSION_ID_BYTES);
    const response = await this.request(
      this.message('SessionSetupReq', {
        // -20 EVCCID is an identifierType string: the MAC address in hex (D-160).
        EVCCID: Buffer.from(this.#options.identity.evccId).toString('hex').toUpperCase(),
      }),
    );
    const id = response.sessionId;
    if (id.length !== ISO20_SESSION_ID_BYTES || id.every((b) => b === 0))
      throw appError('v2g.protocol', 'SessionSetupRes without an 8-byte SessionID');
    this.#sessionId = id;
    return { sessionId: id, evseId: String(response.body.EVSEID) };
  }

  async authorizationSetup(): Promise<AuthorizationSetup> {
    const response = await this.request(this.message('AuthorizationSetupReq', {}));
    const services = (response.body.AuthorizationServices as string[] | undefined) ?? [];
    const pnc = response.body.PnC_ASResAuthorizationMode as ModelObject | undefined;
    if (!services.includes('PnC') || !pnc)
      throw appError('ev.session-failed', 'the SECC does not offer Plug & Charge (PnC)', {
        details: { services },
      });
    const genChallenge = pnc.GenChallenge as Uint8Array;
    if (genChallenge.length !== 16) throw appError('v2g.protocol', 'GenChallenge must be 16 bytes');
    return {
      services,
      certificateInstallationService: response.body.CertificateInstallationService === true,
      genChallenge,
    };
  }

  /** The signed CertificateInstallationReq of this session (built, not sent). */
  buildCertificateInstallationReq(options: Installation20Options = {}): Promise<Iso20Message> {
    return buildCertificateInstallationReq20(this.#options.identity, this.#sessionId, this.#now(), options);
  }

  /**
   * The installation loop: one CertificateInstallationReq per contract while the SECC reports
   * RemainingContractCertificateChains > 0, at most `maximumChains` (D-162). Every answer is checked
   * before it is stored; the first installed becomes active when `activate`.
   */
  async certificateInstallation(
    options: Installation20Options & { readonly activate?: boolean } = {},
  ): Promise<StoredContract[]> {
    const maximum = options.maximumChains ?? 1;
    const installed: StoredContract[] = [];
    for (;;) {
      const request = await this.buildCertificateInstallationReq(options);
      const response = await this.request(request, this.#timeouts.installationMs);
      const now = this.#options.clock.now();
      const contract = checkCertificateInstallationRes20(this.#options.identity, response, now);
      installed.push(
        this.#options.contracts.install(contract, now, {
          activate: installed.length === 0 && options.activate !== false,
        }),
      );
      if (contract.remaining === 0 || installed.length >= maximum) return installed;
    }
  }

  /** The signed AuthorizationReq (PnC) echoing a GenChallenge (built, not sent). */
  async buildAuthorizationReq(genChallenge: Uint8Array, emaid?: string): Promise<Iso20Message> {
    const contract = this.#options.contracts.load(emaid);
    const [leaf, ...subs] = contract.chain;
    if (subs.length === 0)
      throw appError('ev.no-contract', 'a -20 contract chain needs its MO sub-CA (ContractCertificateChain)');
    const message = this.message('AuthorizationReq', {
      SelectedAuthorizationService: 'PnC',
      PnC_AReqAuthorizationMode: {
        Id: 'ID1',
        GenChallenge: genChallenge,
        ContractCertificateChain: { Certificate: leaf!, SubCertificates: { Certificate: subs.slice(0, 3) } },
      },
    });
    const signer = iso20Signer(contract.key);
    await signIso20Message(message, { ids: ['ID1'], signRaw: signer.signRaw, suite: signer.suite });
    return message;
  }

  async authorization(genChallenge: Uint8Array, emaid?: string): Promise<string> {
    const response = await this.request(await this.buildAuthorizationReq(genChallenge, emaid));
    return String(response.body.EVSEProcessing);
  }

  async sessionStop(): Promise<void> {
    await this.request(this.message('SessionStopReq', { ChargingSession: 'Terminate' }));
  }
}

export interface PlugAndCharge20Options {
  /** 'auto': install when no -20 contract is stored (default); 'always'; 'never'. */
  readonly install?: 'auto' | 'always' | 'never';
  readonly emaid?: string;
  /** SAP: which -20 energy transfer namespace gets priority 1 (default dc). */
  readonly prefer?: 'dc' | 'ac';
  readonly maximumChains?: number;
  readonly prioritizedEmaids?: readonly string[];
}

export interface PlugAndCharge20Result {
  readonly protocol: string;
  readonly evseId: string;
  readonly sessionId: string;
  readonly installed: StoredContract[];
  readonly emaid: string;
  readonly evseProcessing: string;
}

export async function runPlugAndCharge20(
  evcc: Evcc20,
  contracts: ContractStore,
  options: PlugAndCharge20Options = {},
): Promise<PlugAndCharge20Result> {
  const sap = await evcc.supportedAppProtocol(iso20Offers(options.prefer));
  const setup = await evcc.sessionSetup();
  try {
    return await identifyAndStop(evcc, contracts, options, sap.namespace ?? '', setup);
  } catch (e) {
    // A WARNING leaves the session open for SessionStopReq only: end it properly, then report (D-163).
    if (isAppError(e) && e.code === 'ev.request-refused') await evcc.sessionStop().catch(() => undefined);
    throw e;
  }
}

async function identifyAndStop(
  evcc: Evcc20,
  contracts: ContractStore,
  options: PlugAndCharge20Options,
  protocol: string,
  setup: { sessionId: Uint8Array; evseId: string },
): Promise<PlugAndCharge20Result> {
  const auth = await evcc.authorizationSetup();
  const mode = options.install ?? 'auto';
  const install = mode === 'always' || (mode === 'auto' && contracts.activeEmaid() === undefined);
  if (install && !auth.certificateInstallationService)
    throw appError(
      'ev.session-failed',
      'a contract must be installed but the SECC does not offer CertificateInstallationService',
    );
  const installed = install
    ? await evcc.certificateInstallation({
        activate: options.emaid === undefined,
        ...(options.maximumChains === undefined ? {} : { maximumChains: options.maximumChains }),
        ...(options.prioritizedEmaids === undefined ? {} : { prioritizedEmaids: options.prioritizedEmaids }),
      })
    : [];
  const emaid = options.emaid ?? contracts.activeEmaid();
  const evseProcessing = await evcc.authorization(auth.genChallenge, emaid);
  await evcc.sessionStop();
  return {
    protocol,
    evseId: setup.evseId,
    sessionId: Buffer.from(setup.sessionId).toString('hex').toUpperCase(),
    installed,
    emaid: contracts.load(emaid).emaid,
    evseProcessing,
  };
}
