// ISO 15118-20 Plug & Charge end to end on loopback: the vehicle simulator (src/v2g/ev, Evcc20) and
// the charger (src/v2g/secc, Secc20Session behind SupportedAppProtocol) over real TLS 1.3 with mutual
// authentication (the vehicle certificate as client certificate), V2GTP 0x8002 CommonMessages;
// certificate installation through a backend built from the real CA, codec, -20 key transport and the
// CPS's own -20 builder and signer; contract keys checked with openssl against their certificates.

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { isAppError } from '../errors/app-error.ts';
import type { ModelObject } from '../exi/codec.ts';
import { hasOpenssl, OPENSSL_SKIP, openssl } from '../pki/ocsp/testing/test-pki.ts';
import { ContractStore, emaidKey } from './ev/contract-store.ts';
import { Evcc } from './ev/evcc.ts';
import { Evcc20, iso20Offers, runPlugAndCharge20 } from './ev/evcc-20.ts';
import type { VehicleIdentity } from './ev/identity.ts';
import {
  decodeIso20,
  encodeIso20,
  ISO2_PROTOCOL,
  ISO20_AC_PROTOCOL,
  ISO20_COMMON_NAMESPACE,
  ISO20_DC_PROTOCOL,
} from './messages.ts';
import type { CertificateInstallationBackend } from './secc/ports.ts';
import { type SeccSessionResult, startSeccListener } from './secc/server.ts';
import type { SeccEvent } from './secc/session.ts';
import { createV2gTestPki, type V2gTestPki } from './testing/demo-pki.ts';
import { LocalCps20Backend, type LocalCps20Options } from './testing/local-cps-backend-20.ts';
import {
  eventCodes,
  failedWith,
  ISO20_INSTALL_TWO_AND_AUTHORIZE,
  openV2gTestPki,
  sessionEnds,
  useTempDirs,
} from './testing/test-setup.ts';
import { connectEvcc, type SeccServer } from './transport.ts';
import { PAYLOAD_TYPE } from './v2gtp.ts';

const TIMEOUTS = { messageMs: 30_000, installationMs: 30_000 };
const EVSEID = 'DE*PNC*E12345*1';

let pki: V2gTestPki;
let vehicle: VehicleIdentity;
before(async () => {
  ({ pki, vehicle } = await openV2gTestPki(20));
});
after(() => pki?.close());
const tempDir = useTempDirs('pnc-v2g-e2e20-');

interface Charger {
  server: SeccServer;
  events: SeccEvent[];
  ended: Promise<SeccSessionResult>[];
  clientChains: (readonly Uint8Array[])[];
}

async function startCharger(
  options: {
    backend?: CertificateInstallationBackend;
    protocols?: (typeof ISO2_PROTOCOL)[];
    keyLogPath?: string;
  } = {},
): Promise<Charger> {
  const events: SeccEvent[] = [];
  const { ended, onSessionEnd } = sessionEnds();
  const clientChains: (readonly Uint8Array[])[] = [];
  const server = await startSeccListener({
    tls: {
      profile: 'iso-20',
      identity: { key: pki.secc.key, chain: pki.secc.chain },
      clientRoots: [pki.root],
      ...(options.keyLogPath ? { keyLogPath: options.keyLogPath } : {}),
    },
    session: {
      clock: pki.clock,
      random: cryptoRandom,
      evseId: EVSEID,
      contractRoots: [pki.root],
      statusChecker: pki.statusChecker,
      installation: options.backend ?? new LocalCps20Backend(pki),
      installationTimeoutMs: 30_000,
      protocols: options.protocols ?? [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL],
      onEvent: (e) => events.push(e),
    },
    onSessionEnd,
    onConnection: (info) => clientChains.push(info.clientChain),
  });
  return { server, events, ended, clientChains };
}

async function connect(server: SeccServer, who: VehicleIdentity = vehicle, keyLogPath?: string) {
  return connectEvcc({
    profile: 'iso-20',
    host: server.host,
    port: server.port,
    roots: who.v2gRoots.slice(),
    identity: { key: who.tls!.key, chain: who.tls!.chain },
    at: pki.clock.now(),
    ...(keyLogPath ? { keyLogPath } : {}),
  });
}

const evccFor = (link: Awaited<ReturnType<typeof connect>>, contracts: ContractStore, who = vehicle) =>
  new Evcc20(link.connection, { identity: who, contracts, clock: pki.clock, timeouts: TIMEOUTS });

function checkKeyWithOpenssl(contractDir: string): void {
  if (!hasOpenssl()) {
    console.log(OPENSSL_SKIP);
    return;
  }
  const fromKey = openssl(['pkey', '-in', join(contractDir, 'contract-key.pem'), '-pubout']);
  const fromCert = openssl(['x509', '-in', join(contractDir, 'contract-chain.pem'), '-pubkey', '-noout']);
  assert.equal(fromKey.status, 0, fromKey.output);
  assert.equal(fromCert.status, 0, fromCert.output);
  assert.match(fromKey.output, /BEGIN PUBLIC KEY/);
  assert.equal(fromKey.output.trim(), fromCert.output.trim());
  assert.equal(statSync(join(contractDir, 'contract-key.pem')).mode & 0o777, 0o600);
}

describe('ISO 15118-20 Plug & Charge over TLS 1.3 with mutual authentication', () => {
  test('full sequence: SAP -20 DC → SessionSetup → AuthorizationSetup → installation loop (2 contracts) → Authorization OK → SessionStop', async () => {
    const dir = tempDir();
    const keyLog = join(dir, 'keys.log');
    const backend = new LocalCps20Backend(pki, { contracts: 2 });
    const charger = await startCharger({ backend, keyLogPath: keyLog });
    try {
      const link = await connect(charger.server);
      assert.equal(link.protocol, 'TLSv1.3');
      assert.equal(link.cipher, 'TLS_AES_256_GCM_SHA384');
      const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
      const evcc = evccFor(link, contracts);
      const result = await runPlugAndCharge20(evcc, contracts, { maximumChains: 2 });
      assert.equal(result.protocol, 'urn:iso:std:iso:15118:-20:DC');
      assert.equal(result.evseProcessing, 'Finished');
      assert.equal(result.evseId, EVSEID);
      assert.match(result.sessionId, /^[0-9A-F]{16}$/, 'an 8-byte SessionID');
      assert.deepEqual(
        result.installed.map((c) => c.emaid),
        backend.calls[0]!.emaids,
        'both contracts of the backend installed, in order',
      );
      assert.equal(backend.calls.length, 1, 'one backend call; the second contract came from the SECC');
      assert.equal(backend.calls[0]!.schemaVersion, ISO20_COMMON_NAMESPACE);
      assert.equal(result.emaid, result.installed[0]!.emaid, 'the first installed is active');
      assert.equal(contracts.list().length, 2);
      assert.deepEqual(eventCodes(charger.events), ISO20_INSTALL_TWO_AND_AUTHORIZE);
      const end = await charger.ended[0]!;
      assert.equal(end.end, 'stopped');
      assert.equal(end.session.protocol, 'urn:iso:std:iso:15118:-20:DC');
      assert.equal(end.session.authorizedEmaid, result.emaid);
      assert.equal(end.session.sessionId?.length, 8);
      // The SECC saw the vehicle certificate as TLS client certificate.
      assert.deepEqual(charger.clientChains[0]?.[0], vehicle.tls!.chain[0]);
      assert.match(readFileSync(keyLog, 'utf8'), /^CLIENT_HANDSHAKE_TRAFFIC_SECRET /m);
      for (const c of result.installed)
        checkKeyWithOpenssl(join(dir, 'vehicle', 'iso-20', 'contracts', emaidKey(c.emaid)));
    } finally {
      await charger.server.close();
    }
  });

  test('Ed448 vehicle: Ed448-signed installation request, X448 key transport, Ed448 contract key signs the AuthorizationReq', async () => {
    const dir = tempDir();
    const ed = await pki.vehicle('WP0ZZZ99ZTS392199', undefined, { algorithm: 'Ed448' });
    assert.equal(ed.provisioningKey.asymmetricKeyType, 'ed448');
    const charger = await startCharger();
    try {
      const link = await connect(charger.server, ed);
      const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
      const result = await runPlugAndCharge20(evccFor(link, contracts, ed), contracts, { prefer: 'ac' });
      assert.equal(result.protocol, 'urn:iso:std:iso:15118:-20:AC');
      assert.equal(result.evseProcessing, 'Finished');
      const stored = contracts.load(result.emaid);
      assert.equal(stored.key.asymmetricKeyType, 'ed448');
      checkKeyWithOpenssl(join(dir, 'vehicle', 'iso-20', 'contracts', emaidKey(result.emaid)));
      assert.equal((await charger.ended[0]!).session.authorizedEmaid, result.emaid);
    } finally {
      await charger.server.close();
    }
  });

  test('replay: a recorded AuthorizationReq is refused (FAILED_UnknownSession raw, WARNING_ChallengeInvalid re-addressed); a second one FAILED_SequenceError', async () => {
    const dir = tempDir();
    const charger = await startCharger();
    try {
      const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
      const a = evccFor(await connect(charger.server), contracts);
      await a.supportedAppProtocol();
      await a.sessionSetup();
      const setupA = await a.authorizationSetup();
      await a.certificateInstallation();
      const recorded = encodeIso20(await a.buildAuthorizationReq(setupA.genChallenge));
      assert.equal((await a.exchange(recorded, 'AuthorizationReq')).body.EVSEProcessing, 'Finished');
      // The same request again in the same session: sequence error, session over.
      await assert.rejects(a.exchange(recorded, 'AuthorizationReq'), failedWith('FAILED_SequenceError'));

      const upToAuthorization = async () => {
        const ev = evccFor(await connect(charger.server), contracts);
        await ev.supportedAppProtocol();
        await ev.sessionSetup();
        const setup = await ev.authorizationSetup();
        return { ev, setup };
      };
      // Session B: the recorded bytes as they are (session A's SessionID).
      const b = await upToAuthorization();
      await assert.rejects(b.ev.exchange(recorded, 'AuthorizationReq'), failedWith('FAILED_UnknownSession'));
      // Session C: re-addressed to C's SessionID (the Header is not signed): the signature still
      // verifies, the challenge is A's.
      const c = await upToAuthorization();
      const readdressed = decodeIso20(recorded);
      (readdressed.header as { SessionID: Uint8Array }).SessionID = c.ev.sessionId;
      const bytes = encodeIso20({
        name: { ns: ISO20_COMMON_NAMESPACE, local: 'AuthorizationReq' },
        value: readdressed.body,
      });
      await assert.rejects(c.ev.exchange(bytes, 'AuthorizationReq'), failedWith('WARNING_ChallengeInvalid'));
      // After the WARNING only SessionStopReq is accepted; it ends the session properly.
      await c.ev.sessionStop();
      // Session D: a foreign challenge, freshly signed: refused.
      const d = await upToAuthorization();
      const foreign = d.setup.genChallenge.slice();
      foreign[0]! ^= 0xff;
      await assert.rejects(d.ev.authorization(foreign), failedWith('WARNING_ChallengeInvalid'));
      // The challenge is spent: another AuthorizationReq, now with the right challenge, is refused.
      await assert.rejects(d.ev.authorization(d.setup.genChallenge), failedWith('FAILED_SequenceError'));
      // A changed challenge after signing breaks the signature: FAILED_SignatureError.
      const e = await upToAuthorization();
      const signed = await e.ev.buildAuthorizationReq(e.setup.genChallenge);
      ((signed.value.PnC_AReqAuthorizationMode as ModelObject).GenChallenge as Uint8Array)[0]! ^= 1;
      await assert.rejects(e.ev.request(signed), failedWith('FAILED_SignatureError'));
      await assert.rejects(e.ev.sessionStop(), (x: unknown) => isAppError(x) && x.code === 'v2g.closed');
    } finally {
      await charger.server.close();
    }
  });

  test('contract refusals: tampered CPS signature (nothing stored), foreign contract chain, revoked contract', async () => {
    const dir = tempDir();
    // The CPS data changed after signing: the vehicle refuses it and stores nothing.
    const tampering = new LocalCps20Backend(pki, {
      tamper: (m) => {
        ((m.value.SignedInstallationData as ModelObject).DHPublicKey as Uint8Array)[5]! ^= 1;
      },
    } satisfies LocalCps20Options);
    const charger = await startCharger({ backend: tampering });
    try {
      const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
      const ev = evccFor(await connect(charger.server), contracts);
      await assert.rejects(
        runPlugAndCharge20(ev, contracts),
        (e: unknown) => isAppError(e) && e.code === 'ev.install-rejected',
      );
      assert.deepEqual(contracts.list(), []);
    } finally {
      await charger.server.close();
    }

    const honest = await startCharger();
    const other = await createV2gTestPki({ iso: 20 });
    try {
      const contracts = new ContractStore(join(dir, 'car2', 'iso-20'));
      // A contract from another PKI, installed directly: WARNING_CertificateValidationError.
      const foreign = await other.issueLeaf('mo-sub2', 'contract-leaf', 'DEXYZC12345678');
      contracts.install({ emaid: 'DEXYZC12345678', key: foreign.key, chain: foreign.chain }, pki.clock.now());
      const ev = evccFor(await connect(honest.server), contracts);
      await assert.rejects(
        runPlugAndCharge20(ev, contracts, { install: 'never' }),
        failedWith('WARNING_CertificateValidationError'),
      );
      // A revoked contract of the right PKI: WARNING_CertificateRevoked.
      const revoked = await pki.issueLeaf('mo-sub2', 'contract-leaf', 'DEPNCC00000999');
      await pki.ca.revoke({ id: revoked.id, reason: 'keyCompromise' });
      contracts.install(
        { emaid: 'DEPNCC00000999', key: revoked.key, chain: revoked.chain },
        pki.clock.now(),
        {
          activate: true,
        },
      );
      const ev2 = evccFor(await connect(honest.server), contracts);
      await assert.rejects(
        runPlugAndCharge20(ev2, contracts, { install: 'never' }),
        failedWith('WARNING_CertificateRevoked'),
      );
      // The vehicle ended the refused session with SessionStopReq.
      const last = await honest.ended[1]!;
      assert.equal(last.end, 'stopped');
      assert.deepEqual(eventCodes(honest.events.slice(-2)), [
        'AuthorizationReq:WARNING_CertificateRevoked',
        'SessionStopReq:OK',
      ]);
    } finally {
      await other.close();
      await honest.server.close();
    }
  });

  test('sequence and garbage: FAILED_SequenceError, undecodable EXI and a -2 payload type close without a crash, EIM refused', async () => {
    const dir = tempDir();
    const charger = await startCharger();
    try {
      const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
      // AuthorizationReq before AuthorizationSetup.
      const a = evccFor(await connect(charger.server), contracts);
      await a.supportedAppProtocol();
      await a.sessionSetup();
      await assert.rejects(
        a.request(
          a.message('AuthorizationReq', {
            SelectedAuthorizationService: 'EIM',
            EIM_AReqAuthorizationMode: {},
          }),
        ),
        failedWith('FAILED_SequenceError'),
      );
      // Garbage on 0x8002 after SAP: no answer, the connection is closed, the listener lives on.
      const b = await connect(charger.server);
      const evB = evccFor(b, contracts);
      await evB.supportedAppProtocol();
      await b.connection.send(PAYLOAD_TYPE.iso20Common, Uint8Array.of(0x80, 0xff, 0x13, 0x37));
      await assert.rejects(
        b.connection.receive(30_000),
        (e: unknown) => isAppError(e) && e.code === 'v2g.closed',
      );
      // A -2 payload type after -20 was chosen: closed.
      const c = await connect(charger.server);
      await evccFor(c, contracts).supportedAppProtocol();
      await c.connection.send(PAYLOAD_TYPE.exi, Uint8Array.of(0x80, 0x98, 0x02));
      await assert.rejects(
        c.connection.receive(30_000),
        (e: unknown) => isAppError(e) && e.code === 'v2g.closed',
      );
      // The listener still serves: EIM is not offered → WARNING_AuthorizationSelectionInvalid.
      const d = evccFor(await connect(charger.server), contracts);
      await d.supportedAppProtocol();
      await d.sessionSetup();
      await d.authorizationSetup();
      await assert.rejects(
        d.request(
          d.message('AuthorizationReq', {
            SelectedAuthorizationService: 'EIM',
            EIM_AReqAuthorizationMode: {},
          }),
        ),
        failedWith('WARNING_AuthorizationSelectionInvalid'),
      );
    } finally {
      await charger.server.close();
    }
  });
});

describe('SupportedAppProtocol across editions', () => {
  test('-20 offered alone to a -2-only SECC (TLS 1.2 listener): Failed_NoNegotiation', async () => {
    const pki2 = await createV2gTestPki({ iso: 2 });
    const events: SeccEvent[] = [];
    const server = await startSeccListener({
      tls: { profile: 'iso-2', identity: { key: pki2.secc.key, chain: pki2.secc.chain } },
      session: {
        clock: pki2.clock,
        random: cryptoRandom,
        evseId: EVSEID,
        contractRoots: [pki2.root],
        statusChecker: pki2.statusChecker,
        // Even when -20 is configured, a TLS 1.2 link does not speak it (D-161).
        protocols: [ISO2_PROTOCOL, ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL],
        onEvent: (e) => events.push(e),
      },
    });
    try {
      const link = await connectEvcc({
        profile: 'iso-2',
        host: server.host,
        port: server.port,
        roots: [pki2.root],
        at: pki2.clock.now(),
      });
      const ev = new Evcc20(link.connection, {
        identity: vehicle,
        contracts: new ContractStore(join(tempDir(), 'x')),
        clock: pki2.clock,
        timeouts: TIMEOUTS,
      });
      await assert.rejects(ev.supportedAppProtocol(iso20Offers()), failedWith('Failed_NoNegotiation'));
      assert.deepEqual(eventCodes(events), ['supportedAppProtocolReq:Failed_NoNegotiation']);
      await assert.rejects(
        link.connection.receive(30_000),
        (e: unknown) => isAppError(e) && e.code === 'v2g.closed',
      );
    } finally {
      await server.close();
      await pki2.close();
    }
  });

  test('a -20 listener configured for -2 only refuses a -20-only offer; with both, the EV priority decides and -2 runs over TLS 1.3', async () => {
    const only2 = await startCharger({ protocols: [ISO2_PROTOCOL] });
    try {
      const ev = evccFor(await connect(only2.server), new ContractStore(join(tempDir(), 'x')));
      await assert.rejects(ev.supportedAppProtocol(), failedWith('Failed_NoNegotiation'));
    } finally {
      await only2.server.close();
    }
    const both = await startCharger({ protocols: [ISO20_DC_PROTOCOL, ISO2_PROTOCOL] });
    try {
      // -2 at priority 1, -20 DC at 2: the SECC chooses -2 and the -2 state machine answers.
      const link = await connect(both.server);
      const ev2 = new Evcc(link.connection, {
        identity: vehicle,
        contracts: new ContractStore(join(tempDir(), 'y')),
        clock: pki.clock,
        timeouts: TIMEOUTS,
      });
      const sap = await ev2.supportedAppProtocol([
        { ...ISO2_PROTOCOL, schemaId: 7, priority: 1 },
        { ...ISO20_DC_PROTOCOL, schemaId: 8, priority: 2 },
      ]);
      assert.equal(sap.schemaId, 7);
      const setup = await ev2.sessionSetup();
      assert.equal(setup.evseId, EVSEID);
      link.connection.close();
      // Equal priorities: the SECC's order (-20 DC first) decides.
      const link2 = await connect(both.server);
      const ev20 = evccFor(link2, new ContractStore(join(tempDir(), 'z')));
      const chosen = await ev20.supportedAppProtocol([
        { ...ISO2_PROTOCOL, schemaId: 7, priority: 1 },
        { ...ISO20_DC_PROTOCOL, schemaId: 8, priority: 1 },
      ]);
      assert.equal(chosen.namespace, ISO20_DC_PROTOCOL.namespace);
      link2.connection.close();
    } finally {
      await both.server.close();
    }
  });
});
