// The charging site of the demo and the end-to-end tests, built from the V2G link (src/v2g): a charger
// (SECC) that forwards CertificateInstallationReq to the platform's CCP with a CPO token (as an OCPP
// CSMS forwards Get15118EVCertificate) and checks contract chains at the platform's OCSP responder, and
// a car (EVCC) that plugs in and runs the Plug & Charge sequence — ISO 15118-2 over TLS 1.2, or
// ISO 15118-20 over TLS 1.3 with mutual authentication (the car presents its vehicle certificate,
// the charger checks it against its vehicle roots; D-122, D-161, D-165).

import type { KeyObject } from 'node:crypto';
import type { Clock, RandomSource } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import { ContractStore } from '../v2g/ev/contract-store.ts';
import { Evcc, type EvEvent, type PlugAndChargeOptions, runPlugAndCharge } from '../v2g/ev/evcc.ts';
import { Evcc20, type PlugAndCharge20Options, runPlugAndCharge20 } from '../v2g/ev/evcc-20.ts';
import type { VehicleIdentity } from '../v2g/ev/identity.ts';
import { ISO20_AC_PROTOCOL, ISO20_DC_PROTOCOL } from '../v2g/messages.ts';
import { CcpHttpBackend } from '../v2g/secc/ccp-backend.ts';
import { OcspStatusChecker } from '../v2g/secc/ocsp-status.ts';
import { startSeccListener } from '../v2g/secc/server.ts';
import type { SeccEvent } from '../v2g/secc/session.ts';
import { connectEvcc, type EvccLink, type SeccServer } from '../v2g/transport.ts';

const TIMEOUTS = { messageMs: 30_000, installationMs: 30_000 };

export type SiteIso = 2 | 20;

export interface ChargerOptions {
  /** ISO 15118 edition of the charger's listener (default 2). */
  readonly iso?: SiteIso;
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
  /** ISO 15118-20 (required there): trust anchors for the vehicle's TLS client certificate. */
  readonly vehicleRoots?: readonly Uint8Array[];
  readonly onEvent?: (event: SeccEvent) => void;
}

export interface Charger {
  readonly iso: SiteIso;
  readonly server: SeccServer;
  /** Every SECC answer so far, `<Request>:<ResponseCode>`. */
  readonly events: SeccEvent[];
  close(): Promise<void>;
}

export async function startCharger(options: ChargerOptions): Promise<Charger> {
  const iso = options.iso ?? 2;
  if (iso === 20 && (options.vehicleRoots ?? []).length === 0)
    throw appError('v2g.invalid-config', 'an ISO 15118-20 charger needs vehicle roots (mutual TLS)');
  const events: SeccEvent[] = [];
  const server = await startSeccListener({
    tls:
      iso === 2
        ? { profile: 'iso-2', identity: { key: options.secc.key, chain: options.secc.chain } }
        : {
            profile: 'iso-20',
            identity: { key: options.secc.key, chain: options.secc.chain },
            clientRoots: options.vehicleRoots ?? [],
          },
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
      ...(iso === 20 ? { protocols: [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL] } : {}),
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
    },
  });
  return { iso, server, events, close: () => server.close() };
}

export interface CarOptions {
  /** ISO 15118 edition the car speaks (default 2); -20 needs `identity.tls` (the vehicle certificate). */
  readonly iso?: SiteIso;
  readonly identity: VehicleIdentity;
  /** Directory of the car's contract store (of its edition: -2 and -20 contracts differ, D-167). */
  readonly dir: string;
  readonly clock: Clock;
  /** Roots for the TLS handshake (checked by OpenSSL at the real time) and when to validate the chain. */
  readonly tlsRoots: readonly Uint8Array[];
  readonly tlsAt: Date;
  readonly onEvent?: (event: EvEvent) => void;
}

export interface Car {
  readonly iso: SiteIso;
  readonly contracts: ContractStore;
  /** ISO 15118-2: a TLS connection to the charger and an EVCC on it (for step-by-step sessions). */
  connect(charger: Charger): Promise<{ evcc: Evcc; link: EvccLink }>;
  /** ISO 15118-20: a TLS 1.3 mutual-auth connection to the charger and an EVCC on it. */
  connect20(charger: Charger): Promise<{ evcc: Evcc20; link: EvccLink }>;
  /** One whole ISO 15118-2 Plug & Charge session. */
  plugIn(charger: Charger, options?: PlugAndChargeOptions): ReturnType<typeof runPlugAndCharge>;
  /** One whole ISO 15118-20 Plug & Charge session. */
  plugIn20(charger: Charger, options?: PlugAndCharge20Options): ReturnType<typeof runPlugAndCharge20>;
}

export function makeCar(options: CarOptions): Car {
  const iso = options.iso ?? 2;
  const contracts = new ContractStore(options.dir);
  const evccOptions = {
    identity: options.identity,
    contracts,
    clock: options.clock,
    timeouts: TIMEOUTS,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };
  const link = async (charger: Charger, want: SiteIso): Promise<EvccLink> => {
    if (iso !== want || charger.iso !== want)
      throw appError(
        'v2g.invalid-config',
        `an ISO 15118-${want} session needs an ISO 15118-${want} car and charger (car -${iso}, charger -${charger.iso})`,
      );
    return connectEvcc({
      profile: want === 2 ? 'iso-2' : 'iso-20',
      host: charger.server.host,
      port: charger.server.port,
      roots: options.tlsRoots,
      at: options.tlsAt,
      ...(want === 20 && options.identity.tls !== undefined ? { identity: options.identity.tls } : {}),
    });
  };
  const connect = async (charger: Charger) => {
    const opened = await link(charger, 2);
    return { evcc: new Evcc(opened.connection, evccOptions), link: opened };
  };
  const connect20 = async (charger: Charger) => {
    const opened = await link(charger, 20);
    return { evcc: new Evcc20(opened.connection, evccOptions), link: opened };
  };
  return {
    iso,
    contracts,
    connect,
    connect20,
    async plugIn(charger, plugOptions = {}) {
      const { evcc } = await connect(charger);
      return runPlugAndCharge(evcc, contracts, plugOptions);
    },
    async plugIn20(charger, plugOptions = {}) {
      const { evcc } = await connect20(charger);
      return runPlugAndCharge20(evcc, contracts, plugOptions);
    },
  };
}
