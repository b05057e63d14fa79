// Set-up shared by the V2G test files (session*.test.ts, e2e*.test.ts, journey*.test.ts): the demo PKI
// with its vehicle, temporary directories removed after the file's tests, the error predicate of
// refused sessions, the queue of session ends a charger reports, a charger session against a test
// ecosystem's platform, and the message sequences of a successful Plug & Charge session.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { cryptoRandom } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { TestEcosystem } from '../../testing/test-ecosystem.ts';
import type { VehicleIdentity } from '../ev/identity.ts';
import { CcpHttpBackend } from '../secc/ccp-backend.ts';
import { OcspStatusChecker } from '../secc/ocsp-status.ts';
import type { SeccSessionResult } from '../secc/server.ts';
import type { SeccEvent, SeccSessionDeps } from '../secc/session.ts';
import { createV2gTestPki, type V2gTestPki } from './demo-pki.ts';

/** The demo V2G PKI of one edition and the vehicle it issued (close the PKI after the tests). */
export async function openV2gTestPki(iso: 2 | 20): Promise<{ pki: V2gTestPki; vehicle: VehicleIdentity }> {
  const pki = await createV2gTestPki({ iso });
  return { pki, vehicle: await pki.vehicle() };
}

/** A maker of temporary directories named `<prefix>…`; all are removed after the file's tests. */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/**
 * Matches the error of a vehicle whose request got `responseCode`: FAILED (and SAP
 * Failed_NoNegotiation) end the session, ev.session-failed; -20 WARNING codes are ev.request-refused.
 */
export const failedWith = (responseCode: string) => (e: unknown) =>
  isAppError(e) &&
  e.code === (responseCode.startsWith('WARNING') ? 'ev.request-refused' : 'ev.session-failed') &&
  (e.details as { responseCode?: string } | undefined)?.responseCode === responseCode;

/**
 * The ends of a charger's sessions in order: `ended[n]` settles when the n-th session ends; pass
 * `onSessionEnd` to startSeccListener.
 */
export function sessionEnds(): {
  readonly ended: Promise<SeccSessionResult>[];
  readonly onSessionEnd: (result: SeccSessionResult) => void;
} {
  const ended: Promise<SeccSessionResult>[] = [];
  let resolveEnd: ((r: SeccSessionResult) => void) | undefined;
  const nextEnd = () => {
    ended.push(
      new Promise((r) => {
        resolveEnd = r;
      }),
    );
  };
  nextEnd();
  return {
    ended,
    onSessionEnd: (r) => {
      const resolve = resolveEnd!;
      nextEnd();
      resolve(r);
    },
  };
}

/**
 * SECC session deps of a charger in front of a test ecosystem's platform: the CCP as installation
 * backend (OPCP install route, `cpoToken`), the platform's OCSP responder as status checker, the
 * ecosystem's clock; events are appended to `events`.
 */
export function platformSessionDeps(
  eco: TestEcosystem,
  options: { readonly cpoToken: string; readonly contractRoot: Uint8Array; readonly events: SeccEvent[] },
): SeccSessionDeps {
  return {
    clock: eco.clock,
    random: cryptoRandom,
    evseId: 'DE*PNC*E12345*1',
    contractRoots: [options.contractRoot],
    statusChecker: new OcspStatusChecker({ clock: eco.clock, url: `${eco.url}/ocsp` }),
    installation: new CcpHttpBackend({
      url: `${eco.url}/v1/ccp/signedContractData`,
      token: options.cpoToken,
      timeoutMs: 30_000,
    }),
    installationTimeoutMs: 30_000,
    onEvent: (e) => options.events.push(e),
  };
}

/** A charger's events as `request:responseCode`, in order. */
export function eventCodes(events: readonly SeccEvent[]): string[] {
  return events.map((e) => `${e.request}:${e.responseCode}`);
}

/** ISO 15118-2 Plug & Charge with one contract installation, as the charger reports it. */
export const ISO2_INSTALL_AND_AUTHORIZE: readonly string[] = [
  'supportedAppProtocolReq:OK_SuccessfulNegotiation',
  'SessionSetupReq:OK_NewSessionEstablished',
  'ServiceDiscoveryReq:OK',
  'PaymentServiceSelectionReq:OK',
  'CertificateInstallationReq:OK',
  'PaymentDetailsReq:OK',
  'AuthorizationReq:OK',
  'SessionStopReq:OK',
];

/** ISO 15118-20 Plug & Charge with an installation loop of two contracts, as the charger reports it. */
export const ISO20_INSTALL_TWO_AND_AUTHORIZE: readonly string[] = [
  'supportedAppProtocolReq:OK_SuccessfulNegotiation',
  'SessionSetupReq:OK_NewSessionEstablished',
  'AuthorizationSetupReq:OK',
  'CertificateInstallationReq:OK',
  'CertificateInstallationReq:OK',
  'AuthorizationReq:OK',
  'SessionStopReq:OK',
];
