// End to end on loopback: the vehicle simulator (src/v2g/ev) and the charger (src/v2g/secc) over real
// TLS 1.2 (ECDHE-ECDSA-AES128-SHA256), V2GTP-framed EXI; certificate installation through a backend
// built from the real CA, codec, key transport and signer; contract key checked with openssl.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { isAppError } from '../errors/app-error.ts';
import { hasOpenssl, OPENSSL_SKIP, openssl } from '../pki/ocsp/testing/test-pki.ts';
import { ContractStore, emaidKey } from './ev/contract-store.ts';
import { Evcc, runPlugAndCharge } from './ev/evcc.ts';
import type { VehicleIdentity } from './ev/identity.ts';
import { decodeIso2, encodeIso2 } from './messages.ts';
import { type SeccSessionResult, startSeccListener } from './secc/server.ts';
import type { SeccEvent } from './secc/session.ts';
import { createV2gTestPki, type V2gTestPki } from './testing/demo-pki.ts';
import { LocalCpsBackend } from './testing/local-cps-backend.ts';
import {
  eventCodes,
  failedWith,
  ISO2_INSTALL_AND_AUTHORIZE,
  openV2gTestPki,
  sessionEnds,
  useTempDirs,
} from './testing/test-setup.ts';
import { connectEvcc, type SeccServer } from './transport.ts';

const TIMEOUTS = { messageMs: 30_000, installationMs: 30_000 };

let pki: V2gTestPki;
let vehicle: VehicleIdentity;
before(async () => {
  ({ pki, vehicle } = await openV2gTestPki(2));
});
after(() => pki?.close());
const tempDir = useTempDirs('pnc-v2g-e2e-');

interface Charger {
  server: SeccServer;
  events: SeccEvent[];
  ended: Promise<SeccSessionResult>[];
  backend: LocalCpsBackend;
}

async function startCharger(options: { keyLogPath?: string } = {}): Promise<Charger> {
  const events: SeccEvent[] = [];
  const { ended, onSessionEnd } = sessionEnds();
  const backend = new LocalCpsBackend(pki);
  const server = await startSeccListener({
    tls: {
      profile: 'iso-2',
      identity: { key: pki.secc.key, chain: pki.secc.chain },
      ...(options.keyLogPath ? { keyLogPath: options.keyLogPath } : {}),
    },
    session: {
      clock: pki.clock,
      random: cryptoRandom,
      evseId: 'DE*PNC*E12345*1',
      contractRoots: [pki.root],
      statusChecker: pki.statusChecker,
      installation: backend,
      installationTimeoutMs: 30_000,
      onEvent: (e) => events.push(e),
    },
    onSessionEnd,
  });
  return { server, events, ended, backend };
}

async function connect(server: SeccServer, extra: { keyLogPath?: string; roots?: Uint8Array[] } = {}) {
  return connectEvcc({
    profile: 'iso-2',
    host: server.host,
    port: server.port,
    roots: extra.roots ?? vehicle.v2gRoots.slice(),
    at: pki.clock.now(),
    ...(extra.keyLogPath ? { keyLogPath: extra.keyLogPath } : {}),
  });
}

const evccFor = (link: Awaited<ReturnType<typeof connect>>, contracts: ContractStore) =>
  new Evcc(link.connection, { identity: vehicle, contracts, clock: pki.clock, timeouts: TIMEOUTS });

describe('ISO 15118-2 over TLS 1.2 on loopback', () => {
  test('full sequence: SupportedAppProtocol → installation → PaymentDetails → Authorization OK; key log written', async () => {
    const dir = tempDir();
    const keyLog = join(dir, 'keys.log');
    const charger = await startCharger();
    try {
      const link = await connect(charger.server, { keyLogPath: keyLog });
      assert.equal(link.protocol, 'TLSv1.2');
      assert.equal(link.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256');
      // SECC leaf + CPO Sub-CA 2 + Sub-CA 1 as sent, and the V2G root they lead to.
      assert.equal(link.seccChain.length, 4);
      assert.deepEqual(link.seccChain.slice(0, 3), pki.secc.chain);
      assert.deepEqual(link.seccChain[3], pki.root);
      const contracts = new ContractStore(join(dir, 'vehicle'));
      const evcc = evccFor(link, contracts);
      const result = await runPlugAndCharge(evcc, contracts);
      assert.equal(result.evseProcessing, 'Finished');
      assert.ok(result.installed);
      assert.equal(result.emaid, result.installed.emaid);
      assert.equal(contracts.activeEmaid(), result.emaid);
      assert.deepEqual(eventCodes(charger.events), ISO2_INSTALL_AND_AUTHORIZE);
      const end = await charger.ended[0]!;
      assert.equal(end.end, 'stopped');
      assert.equal(end.session.authorizedEmaid, result.emaid);
      // Key log: NSS format lines for TLS 1.2 (CLIENT_RANDOM <client random> <master secret>).
      const lines = readFileSync(keyLog, 'utf8').trim().split('\n');
      assert.ok(lines.length >= 1);
      assert.match(lines[0]!, /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
      assert.equal(statSync(keyLog).mode & 0o777, 0o600);

      // The stored contract key is the contract certificate's key, by openssl's reading of both files.
      if (!hasOpenssl()) {
        console.log(OPENSSL_SKIP);
        return;
      }
      const contractDir = join(dir, 'vehicle', 'contracts', emaidKey(result.emaid));
      const fromKey = openssl(['pkey', '-in', join(contractDir, 'contract-key.pem'), '-pubout']);
      const fromCert = openssl(['x509', '-in', join(contractDir, 'contract-chain.pem'), '-pubkey', '-noout']);
      assert.equal(fromKey.status, 0, fromKey.output);
      assert.equal(fromCert.status, 0, fromCert.output);
      assert.match(fromKey.output, /BEGIN PUBLIC KEY/);
      assert.equal(fromKey.output.trim(), fromCert.output.trim());
      assert.equal(statSync(join(contractDir, 'contract-key.pem')).mode & 0o777, 0o600);
    } finally {
      await charger.server.close();
    }
  });

  test('replay: an AuthorizationReq of another session is refused (FAILED_UnknownSession raw, FAILED_ChallengeInvalid re-addressed)', async () => {
    const dir = tempDir();
    const charger = await startCharger();
    try {
      const contracts = new ContractStore(join(dir, 'vehicle'));
      // Session A: complete; keep its signed AuthorizationReq.
      const a = await connect(charger.server);
      const evA = evccFor(a, contracts);
      await evA.supportedAppProtocol();
      await evA.sessionSetup();
      await evA.serviceDiscovery();
      await evA.paymentServiceSelection(true);
      await evA.certificateInstallation();
      const detailsA = await evA.paymentDetails();
      const recorded = encodeIso2(await evA.buildAuthorizationReq(detailsA.genChallenge));
      assert.equal((await evA.exchange(recorded, 'AuthorizationReq')).body.EVSEProcessing, 'Finished');
      await evA.sessionStop();

      const upToAuthorization = async () => {
        const b = await connect(charger.server);
        const evB = evccFor(b, contracts);
        await evB.supportedAppProtocol();
        await evB.sessionSetup();
        await evB.serviceDiscovery();
        await evB.paymentServiceSelection(false);
        const details = await evB.paymentDetails();
        return { evB, details };
      };

      // Session B: the recorded bytes as they are (session A's SessionID).
      const b1 = await upToAuthorization();
      await assert.rejects(
        b1.evB.exchange(recorded, 'AuthorizationReq'),
        failedWith('FAILED_UnknownSession'),
      );
      // Session C: the recorded request with C's SessionID in the (unsigned) header; the signature
      // still verifies, the challenge is A's: refused.
      const b2 = await upToAuthorization();
      const readdressed = decodeIso2(recorded);
      (readdressed.header as { SessionID: Uint8Array }).SessionID = b2.evB.sessionId;
      const bytes = encodeIso2({
        name: { ns: 'urn:iso:15118:2:2013:MsgDef', local: 'V2G_Message' },
        value: readdressed.decoded.value as never,
      });
      await assert.rejects(b2.evB.exchange(bytes, 'AuthorizationReq'), failedWith('FAILED_ChallengeInvalid'));
      // Session D: a foreign challenge, freshly signed: refused.
      const b3 = await upToAuthorization();
      const foreign = b3.details.genChallenge.slice();
      foreign[0]! ^= 0xff;
      await assert.rejects(b3.evB.authorization(foreign), failedWith('FAILED_ChallengeInvalid'));
      // The SECC closed the sessions after FAILED.
      await assert.rejects(b3.evB.sessionStop(), (e: unknown) => isAppError(e) && e.code === 'v2g.closed');
    } finally {
      await charger.server.close();
    }
  });

  test('a client with the wrong V2G root is refused at the TLS handshake', async () => {
    const charger = await startCharger();
    const other = await createV2gTestPki({ iso: 2 });
    try {
      await assert.rejects(
        connect(charger.server, { roots: [other.root] }),
        (e: unknown) => isAppError(e) && e.code === 'v2g.tls',
      );
    } finally {
      await other.close();
      await charger.server.close();
    }
  });

  test('a sequence error ends the session with FAILED_SequenceError', async () => {
    const dir = tempDir();
    const charger = await startCharger();
    try {
      const link = await connect(charger.server);
      const contracts = new ContractStore(join(dir, 'vehicle'));
      const evcc = evccFor(link, contracts);
      await evcc.supportedAppProtocol();
      await evcc.sessionSetup();
      await evcc.serviceDiscovery();
      // SessionStop before PaymentServiceSelection.
      await assert.rejects(evcc.sessionStop(), failedWith('FAILED_SequenceError'));
      const end = await charger.ended[0]!;
      assert.equal(end.session.state, 'Stopped');
      assert.equal(existsSync(join(dir, 'vehicle', 'contracts')), false);
    } finally {
      await charger.server.close();
    }
  });
});
