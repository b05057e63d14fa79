// The -20 SECC session and vehicle over an in-memory duplex (TLS 1.3 is covered by e2e-20.test.ts):
// every refusal carries the -20 responseCodeType value the XSD defines and encodes with the real
// codec; installation backend failures, timeouts and garbage become FAILED; random bytes never crash
// the session.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { duplexPair } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { cryptoRandom } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import { V2gtpConnection } from '../connection.ts';
import { ContractStore } from '../ev/contract-store.ts';
import { Evcc20, runPlugAndCharge20 } from '../ev/evcc-20.ts';
import type { VehicleIdentity } from '../ev/identity.ts';
import {
  decodeIso20,
  encodeIso20,
  encodeSapRequest,
  ISO2_PROTOCOL,
  ISO20_AC_PROTOCOL,
  ISO20_DC_PROTOCOL,
  iso20Message,
} from '../messages.ts';
import type { V2gTestPki } from '../testing/demo-pki.ts';
import { LocalCps20Backend } from '../testing/local-cps-backend-20.ts';
import { failedWith, openV2gTestPki, useTempDirs } from '../testing/test-setup.ts';
import { PAYLOAD_TYPE } from '../v2gtp.ts';
import type { CertificateInstallationBackend } from './ports.ts';
import { serveSeccConnection } from './server.ts';
import { type SeccEvent, SeccSession, type SeccSessionDeps } from './session.ts';

let pki: V2gTestPki;
let vehicle: VehicleIdentity;
before(async () => {
  ({ pki, vehicle } = await openV2gTestPki(20));
});
after(() => pki?.close());
const tempDir = useTempDirs('pnc-secc20-');

function deps(extra: Partial<SeccSessionDeps> = {}, events: SeccEvent[] = []): SeccSessionDeps {
  return {
    clock: pki.clock,
    random: cryptoRandom,
    evseId: 'DE*PNC*E12345*1',
    contractRoots: [pki.root],
    statusChecker: pki.statusChecker,
    installation: new LocalCps20Backend(pki),
    installationTimeoutMs: 30_000,
    protocols: [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL],
    tlsProfile: 'iso-20',
    onEvent: (e) => events.push(e),
    ...extra,
  };
}

function setup(extra: Partial<SeccSessionDeps> = {}) {
  const [a, b] = duplexPair();
  const ev = new V2gtpConnection(a);
  const events: SeccEvent[] = [];
  const session = new SeccSession(deps(extra, events));
  const ended = serveSeccConnection(new V2gtpConnection(b), session, 30_000);
  const contracts = new ContractStore(join(tempDir(), 'iso-20'));
  const evcc = new Evcc20(ev, {
    identity: vehicle,
    contracts,
    clock: pki.clock,
    timeouts: { messageMs: 30_000, installationMs: 30_000 },
  });
  return { ev, evcc, events, session, ended, contracts };
}

describe('ISO 15118-20 SECC session', () => {
  test('the whole PnC identification over an in-memory link; SessionID 8 bytes, GenChallenge 16', async () => {
    const s = setup();
    const result = await runPlugAndCharge20(s.evcc, s.contracts);
    assert.equal(result.evseProcessing, 'Finished');
    assert.equal(s.session.sessionId?.length, 8);
    assert.equal((await s.ended).end, 'stopped');
    assert.equal(s.session.state, 'Stopped');
    assert.equal(s.session.authorizedEmaid, result.emaid);
  });

  test('no backend: CertificateInstallationService false; an installation request anyway gets WARNING_NoCertificateAvailable and the session goes on', async () => {
    const s = setup({ installation: undefined as never });
    await s.evcc.supportedAppProtocol();
    await s.evcc.sessionSetup();
    const setupRes = await s.evcc.authorizationSetup();
    assert.equal(setupRes.certificateInstallationService, false);
    await assert.rejects(s.evcc.certificateInstallation(), failedWith('WARNING_NoCertificateAvailable'));
    // Still in the session: the EV may stop it properly.
    await s.evcc.sessionStop();
    assert.equal((await s.ended).end, 'stopped');
  });

  for (const [name, backend, reason] of [
    [
      'throws',
      {
        install: async () => {
          throw new Error('boom');
        },
      },
      /boom/,
    ],
    ['answers garbage', { install: async () => Buffer.from('not exi').toString('base64') }, /v2g\.protocol/],
    [
      'answers a -20 message of another type',
      {
        install: async () =>
          Buffer.from(
            encodeIso20(iso20Message('SessionStopRes', new Uint8Array(8), 0n, { ResponseCode: 'OK' })),
          ).toString('base64'),
      },
      /SessionStopRes/,
    ],
    ['never answers', { install: () => new Promise<string>(() => undefined) }, /v2g\.timeout/],
  ] as const) {
    test(`installation backend that ${name}: FAILED, session closed`, async () => {
      const s = setup({
        installation: backend as CertificateInstallationBackend,
        installationTimeoutMs: name === 'never answers' ? 50 : 30_000,
      });
      await s.evcc.supportedAppProtocol();
      await s.evcc.sessionSetup();
      await s.evcc.authorizationSetup();
      await assert.rejects(s.evcc.certificateInstallation(), failedWith('FAILED'));
      const event = s.events.find((e) => e.request === 'CertificateInstallationReq')!;
      assert.match(event.reason!, reason);
      assert.notEqual((await s.ended).end, 'error');
      assert.equal(s.session.state, 'Stopped');
      assert.deepEqual(s.contracts.list(), []);
    });
  }

  test('a vehicle looping on CertificateInstallationReq: the fifth backend call is refused with FAILED', async () => {
    const backend = new LocalCps20Backend(pki);
    const s = setup({ installation: backend });
    await s.evcc.supportedAppProtocol();
    await s.evcc.sessionSetup();
    await s.evcc.authorizationSetup();
    for (let i = 0; i < 4; i++) await s.evcc.certificateInstallation();
    await assert.rejects(s.evcc.certificateInstallation(), failedWith('FAILED'));
    assert.equal(backend.calls.length, 4);
    assert.equal((await s.ended).end, 'stopped');
  });

  test('every refusal body encodes: FAILED_SequenceError for each request type out of order', async () => {
    const types = [
      'AuthorizationSetupReq',
      'CertificateInstallationReq',
      'AuthorizationReq',
      'SessionStopReq',
    ];
    for (const type of types) {
      const s = setup();
      await s.evcc.supportedAppProtocol();
      // Before SessionSetup every request is out of sequence; the answer is its own -20 Res type.
      const request =
        type === 'CertificateInstallationReq'
          ? await s.evcc.buildCertificateInstallationReq()
          : s.evcc.message(
              type,
              type === 'AuthorizationReq'
                ? { SelectedAuthorizationService: 'EIM', EIM_AReqAuthorizationMode: {} }
                : type === 'SessionStopReq'
                  ? { ChargingSession: 'Terminate' }
                  : {},
            );
      await assert.rejects(s.evcc.request(request), failedWith('FAILED_SequenceError'), type);
      assert.equal((await s.ended).end, 'stopped');
    }
    // A second SessionSetupReq is out of sequence too.
    const s = setup();
    await s.evcc.supportedAppProtocol();
    await s.evcc.sessionSetup();
    await assert.rejects(s.evcc.sessionSetup(), failedWith('FAILED_SequenceError'));
  });

  test('a foreign SessionID: FAILED_UnknownSession; ServiceRenegotiation: FAILED_NoServiceRenegotiationSupported', async () => {
    const s = setup();
    await s.evcc.supportedAppProtocol();
    const { sessionId } = await s.evcc.sessionSetup();
    const other = sessionId.slice();
    other[7]! ^= 0xff;
    const req = iso20Message('AuthorizationSetupReq', other, 0n, {});
    await assert.rejects(s.evcc.request(req), failedWith('FAILED_UnknownSession'));

    const t = setup();
    await t.evcc.supportedAppProtocol();
    await t.evcc.sessionSetup();
    await assert.rejects(
      t.evcc.request(t.evcc.message('SessionStopReq', { ChargingSession: 'ServiceRenegotiation' })),
      failedWith('FAILED_NoServiceRenegotiationSupported'),
    );
  });

  test('charge-loop requests are not simulated: ServiceDiscoveryReq after Authorization closes without an answer', async () => {
    const s = setup();
    await s.evcc.supportedAppProtocol();
    await s.evcc.sessionSetup();
    const auth = await s.evcc.authorizationSetup();
    await s.evcc.certificateInstallation();
    await s.evcc.authorization(auth.genChallenge);
    await s.ev.send(PAYLOAD_TYPE.iso20Common, encodeIso20(s.evcc.message('ServiceDiscoveryReq', {})));
    await assert.rejects(s.ev.receive(30_000), (e: unknown) => isAppError(e) && e.code === 'v2g.closed');
    assert.equal(s.events.at(-1)?.responseCode, 'closed');
  });

  test('SAP: -20 is not accepted on an ISO 15118-2 link even when configured (D-161)', async () => {
    const s = setup({ tlsProfile: 'iso-2', protocols: [ISO2_PROTOCOL, ISO20_DC_PROTOCOL] });
    await assert.rejects(s.evcc.supportedAppProtocol(), failedWith('Failed_NoNegotiation'));
  });

  test('property: random payloads of any V2GTP type after SAP never crash the session; at most a -20 answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.constantFrom(PAYLOAD_TYPE.iso20Common, PAYLOAD_TYPE.exi, PAYLOAD_TYPE.iso20Dc),
        async (bytes, type) => {
          const session = new SeccSession(deps());
          const sap = await session.handle({
            payloadType: PAYLOAD_TYPE.exi,
            payload: encodeSapRequest([{ ...ISO20_DC_PROTOCOL, schemaId: 1, priority: 1 }]),
          });
          assert.equal(sap.close, false);
          const r = await session.handle({ payloadType: type, payload: bytes });
          if (r.reply) {
            assert.equal(r.reply.payloadType, PAYLOAD_TYPE.iso20Common);
            assert.match(decodeIso20(r.reply.payload).type, /Res$/);
          } else {
            assert.equal(r.close, true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
