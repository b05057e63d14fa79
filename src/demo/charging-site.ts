// The charging site of the demo and the end-to-end tests, built from the V2G link (src/v2g): a charger
// (SECC) that forwards CertificateInstallationReq to the platform's CCP with a CPO token (as an OCPP
// CSMS forwards Get15118EVCertificate) and checks contract chains at the platform's OCSP responder, and
// a car (EVCC) that plugs in over ISO 15118-2 / TLS 1.2 and runs the Plug & Charge sequence.

import type { KeyObject } from 'node:crypto';
import type { Clock, RandomSource } from '../app/runtime.ts';
import { ContractStore } from '../v2g/ev/contract-store.ts';
import { Evcc, type EvEvent, type PlugAndChargeOptions, runPlugAndCharge } from '../v2g/ev/evcc.ts';
import type { VehicleIdentity } from '../v2g/ev/identity.ts';
import { CcpHttpBackend } from '../v2g/secc/ccp-backend.ts';
import { OcspStatusChecker } from '../v2g/secc/ocsp-status.ts';
import { startSeccListener } from '../v2g/secc/server.ts';
import type { SeccEvent } from '../v2g/secc/session.ts';
import { connectEvcc, type EvccLink, type SeccServer } from '../v2g/transport.ts';

const TIMEOUTS = { messageMs: 30_000, installationMs: 30_000 };

export interface ChargerOptions {
  /** Base URL of the platform (CCP install route and OCSP responder). */
  readonly platformUrl: string;
  readonly cpoToken: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly evseId: string;
  /** The SECC's TLS key and chain (leaf, CPO Sub-CA 2, Sub-CA 1). */
  readonly secc: { readonly key: KeyObject; readonly chain: Uint8Array[] };
  /** Trust anchors for contract chains (the platform's V2G root). */
  readonly contractRoots: readonly Uint8Array[];
  readonly onEvent?: (event: SeccEvent) => void;
}

export interface Charger {
  readonly server: SeccServer;
  /** Every SECC answer so far, `<Request>:<ResponseCode>`. */
  readonly events: SeccEvent[];
  close(): Promise<void>;
}

export async function startCharger(options: ChargerOptions): Promise<Charger> {
  const events: SeccEvent[] = [];
  const server = await startSeccListener({
    tls: { profile: 'iso-2', identity: { key: options.secc.key, chain: options.secc.chain } },
    session: {
      clock: options.clock,
      random: options.random,
      evseId: options.evseId,
      contractRoots: options.contractRoots,
      statusChecker: new OcspStatusChecker({ clock: options.clock, url: `${options.platformUrl}/ocsp` }),
      installation: new CcpHttpBackend({
        url: `${options.platformUrl}/v1/ccp/signedContractData`,
        token: options.cpoToken,
        timeoutMs: TIMEOUTS.installationMs,
      }),
      installationTimeoutMs: TIMEOUTS.installationMs,
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
    },
  });
  return { server, events, close: () => server.close() };
}

export interface CarOptions {
  readonly identity: VehicleIdentity;
  /** Directory of the car's contract store. */
  readonly dir: string;
  readonly clock: Clock;
  /** Roots for the TLS handshake (checked by OpenSSL at the real time) and when to validate the chain. */
  readonly tlsRoots: readonly Uint8Array[];
  readonly tlsAt: Date;
  readonly onEvent?: (event: EvEvent) => void;
}

export interface Car {
  readonly contracts: ContractStore;
  /** A TLS connection to the charger and an EVCC on it (for step-by-step sessions). */
  connect(charger: Charger): Promise<{ evcc: Evcc; link: EvccLink }>;
  /** One whole Plug & Charge session. */
  plugIn(charger: Charger, options?: PlugAndChargeOptions): ReturnType<typeof runPlugAndCharge>;
}

export function makeCar(options: CarOptions): Car {
  const contracts = new ContractStore(options.dir);
  const connect = async (charger: Charger) => {
    const link = await connectEvcc({
      profile: 'iso-2',
      host: charger.server.host,
      port: charger.server.port,
      roots: options.tlsRoots,
      at: options.tlsAt,
    });
    const evcc = new Evcc(link.connection, {
      identity: options.identity,
      contracts,
      clock: options.clock,
      timeouts: TIMEOUTS,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    return { evcc, link };
  };
  return {
    contracts,
    connect,
    async plugIn(charger, plugOptions = {}) {
      const { evcc } = await connect(charger);
      return runPlugAndCharge(evcc, contracts, plugOptions);
    },
  };
}
