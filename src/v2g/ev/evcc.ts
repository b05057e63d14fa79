// The vehicle side of an ISO 15118-2 Plug & Charge session over an established V2GTP channel. Each
// step is a method (tests drive them one by one, e.g. to replay a message); runPlugAndCharge runs the
// whole sequence: SupportedAppProtocol → SessionSetup → ServiceDiscovery → PaymentServiceSelection →
// [CertificateInstallation] → PaymentDetails → Authorization → SessionStop.
//
// Timeouts (D-130): 2 s per response (V2G_EVCC_Msg_Timeout), 5 s for CertificateInstallationRes as
// Josev waits (interop.md §3); configurable for slow test machines.

import type { Clock } from '../../app/runtime.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { signV2gMessage } from '../../xmldsig/v2g-signature.ts';
import type { V2gtpConnection } from '../connection.ts';
import {
  type DecodedIso2,
  decodeIso2,
  encodeIso2,
  encodeSapRequest,
  ISO2_PROTOCOL,
  type Iso2Message,
  iso2Message,
  type OfferedProtocol,
} from '../messages.ts';
import { PAYLOAD_TYPE } from '../v2gtp.ts';
import type { ContractStore, StoredContract } from './contract-store.ts';
import { appProtocolAnswer, type ExchangeEdition, exchangeMessage } from './exchange.ts';
import type { VehicleIdentity } from './identity.ts';
import {
  buildCertificateInstallationReq,
  checkCertificateInstallationRes,
  rawP256Signer,
} from './installation.ts';

export interface EvTimeouts {
  readonly messageMs: number;
  readonly installationMs: number;
}

export const DEFAULT_EV_TIMEOUTS: EvTimeouts = { messageMs: 2_000, installationMs: 5_000 };

export const ISO2_OFFER: OfferedProtocol = { ...ISO2_PROTOCOL, schemaId: 1, priority: 1 };

export interface EvEvent {
  readonly request: string;
  readonly response: string;
  readonly responseCode: string;
}

export interface EvccOptions {
  readonly identity: VehicleIdentity;
  readonly contracts: ContractStore;
  readonly clock: Clock;
  readonly timeouts?: Partial<EvTimeouts>;
  readonly onEvent?: (event: EvEvent) => void;
}

const ISO2_EXCHANGE: ExchangeEdition<DecodedIso2> = {
  payloadType: PAYLOAD_TYPE.exi,
  decode: decodeIso2,
  warningRefuses: false,
};

export class Evcc {
  readonly #link: V2gtpConnection;
  readonly #options: EvccOptions;
  readonly #timeouts: EvTimeouts;
  #sessionId: Uint8Array = new Uint8Array(1);

  constructor(link: V2gtpConnection, options: EvccOptions) {
    this.#link = link;
    this.#options = options;
    this.#timeouts = { ...DEFAULT_EV_TIMEOUTS, ...options.timeouts };
  }

  get sessionId(): Uint8Array {
    return this.#sessionId;
  }

  /** Sends one ISO 15118-2 request and returns the decoded response; FAILED codes throw ev.session-failed. */
  async request(message: Iso2Message, timeoutMs = this.#timeouts.messageMs): Promise<DecodedIso2> {
    const requestType = Object.keys((message.value as ModelObject).Body as ModelObject)[0]!;
    return this.exchange(encodeIso2(message), requestType, timeoutMs);
  }

  /** Sends encoded bytes (e.g. a recorded message) and reads the response to `requestType`. */
  async exchange(
    payload: Uint8Array,
    requestType: string,
    timeoutMs = this.#timeouts.messageMs,
  ): Promise<DecodedIso2> {
    return exchangeMessage(
      this.#link,
      ISO2_EXCHANGE,
      { payload, type: requestType, sessionId: this.#sessionId, timeoutMs },
      this.#options.onEvent,
    );
  }

  async supportedAppProtocol(
    offers: readonly OfferedProtocol[] = [ISO2_OFFER],
  ): Promise<{ responseCode: string; schemaId?: number }> {
    await this.#link.send(PAYLOAD_TYPE.exi, encodeSapRequest(offers));
    const answer = await this.#link.receive(this.#timeouts.messageMs);
    return appProtocolAnswer(answer.payload, this.#options.onEvent);
  }

  async sessionSetup(): Promise<{ sessionId: Uint8Array; evseId: string }> {
    const response = await this.request(
      iso2Message(new Uint8Array(1), 'SessionSetupReq', { EVCCID: this.#options.identity.evccId }),
    );
    this.#sessionId = response.sessionId;
    if (this.#sessionId.length === 0 || this.#sessionId.every((b) => b === 0))
      throw appError('v2g.protocol', 'SessionSetupRes without a SessionID');
    return { sessionId: this.#sessionId, evseId: String(response.body.EVSEID) };
  }

  async serviceDiscovery(): Promise<{ paymentOptions: string[]; certificateService: boolean }> {
    const response = await this.request(iso2Message(this.#sessionId, 'ServiceDiscoveryReq', {}));
    const options = ((response.body.PaymentOptionList as ModelObject).PaymentOption as string[]) ?? [];
    const services =
      ((response.body.ServiceList as ModelObject | undefined)?.Service as ModelObject[] | undefined) ?? [];
    return {
      paymentOptions: options,
      certificateService: services.some(
        (s) => s.ServiceID === 2 && s.ServiceCategory === 'ContractCertificate',
      ),
    };
  }

  async paymentServiceSelection(withCertificateService: boolean): Promise<void> {
    await this.request(
      iso2Message(this.#sessionId, 'PaymentServiceSelectionReq', {
        SelectedPaymentOption: 'Contract',
        SelectedServiceList: {
          SelectedService: [{ ServiceID: 1 }, ...(withCertificateService ? [{ ServiceID: 2 }] : [])],
        },
      }),
    );
  }

  /** Installs a contract: request signed with the OEM key, response checked, contract stored. */
  async certificateInstallation(activate = true): Promise<StoredContract> {
    const request = await buildCertificateInstallationReq(this.#options.identity, this.#sessionId);
    const response = await this.request(request, this.#timeouts.installationMs);
    const now = this.#options.clock.now();
    const contract = checkCertificateInstallationRes(this.#options.identity, response, now);
    return this.#options.contracts.install(contract, now, { activate });
  }

  /** PaymentDetails with a stored contract (default: the active one); returns the GenChallenge. */
  async paymentDetails(emaid?: string): Promise<{ emaid: string; genChallenge: Uint8Array }> {
    const contract = this.#options.contracts.load(emaid);
    const [leaf, ...subs] = contract.chain;
    const response = await this.request(
      iso2Message(this.#sessionId, 'PaymentDetailsReq', {
        eMAID: contract.emaid,
        ContractSignatureCertChain: {
          Certificate: leaf!,
          ...(subs.length > 0 ? { SubCertificates: { Certificate: subs } } : {}),
        },
      }),
    );
    const genChallenge = response.body.GenChallenge as Uint8Array;
    if (genChallenge.length !== 16) throw appError('v2g.protocol', 'GenChallenge must be 16 bytes');
    return { emaid: contract.emaid, genChallenge };
  }

  /** The signed AuthorizationReq echoing a GenChallenge (built, not sent). */
  async buildAuthorizationReq(genChallenge: Uint8Array, emaid?: string): Promise<Iso2Message> {
    const contract = this.#options.contracts.load(emaid);
    const message = iso2Message(this.#sessionId, 'AuthorizationReq', {
      Id: 'ID1',
      GenChallenge: genChallenge,
    });
    await signV2gMessage(message, { ids: ['ID1'], signRaw: rawP256Signer(contract.key) });
    return message;
  }

  async authorization(genChallenge: Uint8Array, emaid?: string): Promise<string> {
    const response = await this.request(await this.buildAuthorizationReq(genChallenge, emaid));
    return String(response.body.EVSEProcessing);
  }

  async sessionStop(): Promise<void> {
    await this.request(iso2Message(this.#sessionId, 'SessionStopReq', { ChargingSession: 'Terminate' }));
  }
}

export interface PlugAndChargeOptions {
  /** 'auto': install when no contract is stored (default); 'always'; 'never'. */
  readonly install?: 'auto' | 'always' | 'never';
  /** Contract to authorize with; default the active one. */
  readonly emaid?: string;
}

export interface PlugAndChargeResult {
  readonly evseId: string;
  readonly sessionId: string;
  readonly installed?: StoredContract;
  readonly emaid: string;
  readonly evseProcessing: string;
}

export async function runPlugAndCharge(
  evcc: Evcc,
  contracts: ContractStore,
  options: PlugAndChargeOptions = {},
): Promise<PlugAndChargeResult> {
  const sap = await evcc.supportedAppProtocol();
  if (sap.schemaId !== ISO2_OFFER.schemaId)
    throw appError('v2g.protocol', `the SECC chose schema ${sap.schemaId}`);
  const setup = await evcc.sessionSetup();
  const discovery = await evcc.serviceDiscovery();
  if (!discovery.paymentOptions.includes('Contract'))
    throw appError('ev.session-failed', 'the SECC does not offer Contract payment (Plug & Charge)');
  const mode = options.install ?? 'auto';
  const install = mode === 'always' || (mode === 'auto' && contracts.activeEmaid() === undefined);
  if (install && !discovery.certificateService)
    throw appError(
      'ev.session-failed',
      'a contract must be installed but the SECC does not offer the Certificate service',
    );
  await evcc.paymentServiceSelection(install);
  const installed = install ? await evcc.certificateInstallation(options.emaid === undefined) : undefined;
  const details = await evcc.paymentDetails(options.emaid);
  const evseProcessing = await evcc.authorization(details.genChallenge, options.emaid);
  await evcc.sessionStop();
  return {
    evseId: setup.evseId,
    sessionId: Buffer.from(setup.sessionId).toString('hex').toUpperCase(),
    ...(installed ? { installed } : {}),
    emaid: details.emaid,
    evseProcessing,
  };
}
