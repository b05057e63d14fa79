// The Plug & Charge journey end to end over real HTTP (issue 7), on node:sqlite and on PostgreSQL:
// the OEM publishes vehicles through the PCP, the MO has contracts generated and signed by the CPS
// (stored in the CCP), the OEM's webhook receiver and pull, and the car–charger link (src/v2g) over
// TLS, whose charger installs through the CCP with a CPO token and checks contracts at the OCSP
// responder. API calls go through the role CLIs' HTTP client (src/client) with real client
// credentials; only the platform's clock is a fake (the ecosystem's settable clock).
//
// Every installed contract's decrypted key is compared with its certificate by openssl
// (`openssl pkey -pubout` vs `openssl x509 -pubkey -noout`).
//
// Two PKIs meet here, as in src/v2g/journey.test.ts: the TLS link uses a SECC certificate valid at the
// real time (OpenSSL checks TLS chains at the real time), the contract data comes from the
// platform's demo hierarchy at the ecosystem's clock. ISO 15118-20 (the last case): the same with the
// -20 hierarchies, a P-521 vehicle and its vehicle certificate for TLS 1.3 mutual authentication.
//
// PNC_REQUIRE_POSTGRES=1 node --test test/e2e/journey.test.ts

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cryptoRandom } from '../../src/app/runtime.ts';
import { type DemoCas, demoCas, makeVehicle, type Party } from '../../src/ccp/testing/fixtures.ts';
import { provisioningBody } from '../../src/cli/role-commands.ts';
import { ApiClient } from '../../src/client/api-client.ts';
import { testEmaid } from '../../src/cps/testing/fixtures.ts';
import { type Car, type Charger, makeCar, startCharger } from '../../src/demo/charging-site.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver.ts';
import { isAppError } from '../../src/errors/app-error.ts';
import { deliveryViews } from '../../src/events/delivery-log.ts';
import { hasOpenssl, OPENSSL_SKIP, openssl } from '../../src/pki/ocsp/testing/test-pki.ts';
import { toPem } from '../../src/pki/path/index.ts';
import { msgDefNamespaceFor } from '../../src/pool-inputs/index.ts';
import { forEachEcosystem } from '../../src/testing/test-ecosystem.ts';
import { emaidKey } from '../../src/v2g/ev/contract-store.ts';
import { checkCertificateInstallationRes } from '../../src/v2g/ev/installation.ts';
import { decodeIso2, encodeIso2 } from '../../src/v2g/messages.ts';
import { createV2gTestPki, type KeyAndChain, type V2gTestPki } from '../../src/v2g/testing/demo-pki.ts';

const ISO2 = 'urn:iso:15118:2:2013:MsgDef';
const EVSE_ID = 'DE*E2E*E12345*1';
const FULL_SESSION = [
  'supportedAppProtocolReq:OK_SuccessfulNegotiation',
  'SessionSetupReq:OK_NewSessionEstablished',
  'ServiceDiscoveryReq:OK',
  'PaymentServiceSelectionReq:OK',
  'CertificateInstallationReq:OK',
  'PaymentDetailsReq:OK',
  'AuthorizationReq:OK',
  'SessionStopReq:OK',
];

const FULL_SESSION_20 = [
  'supportedAppProtocolReq:OK_SuccessfulNegotiation',
  'SessionSetupReq:OK_NewSessionEstablished',
  'AuthorizationSetupReq:OK',
  'CertificateInstallationReq:OK',
  'AuthorizationReq:OK',
  'SessionStopReq:OK',
];

let tlsPki: V2gTestPki;
/** ISO 15118-20 TLS: SECC certificate and vehicle certificates (Vehicle Sub-CA 2) at the real time. */
let tlsPki20: V2gTestPki;
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pnc-e2e-'));
  dirs.push(d);
  return d;
};
before(async () => {
  tlsPki = await createV2gTestPki({ iso: 2, evseId: EVSE_ID });
  tlsPki20 = await createV2gTestPki({ iso: 20, evseId: EVSE_ID });
});
after(async () => {
  await tlsPki?.close();
  await tlsPki20?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The decrypted key and the certificate name the same public key, by openssl. */
function assertKeyMatchesCertificateByOpenssl(keyPem: string, chainPem: string): void {
  if (!hasOpenssl()) {
    console.log(OPENSSL_SKIP);
    return;
  }
  const dir = tempDir();
  writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'chain.pem'), chainPem);
  const fromKey = openssl(['pkey', '-in', join(dir, 'key.pem'), '-pubout']);
  const fromCert = openssl(['x509', '-in', join(dir, 'chain.pem'), '-pubkey', '-noout']);
  assert.equal(fromKey.status, 0, fromKey.output);
  assert.equal(fromCert.status, 0, fromCert.output);
  assert.match(fromKey.stdout, /BEGIN PUBLIC KEY/);
  assert.equal(fromKey.stdout.trim(), fromCert.stdout.trim());
}

function assertInstalledKeyByOpenssl(car: Car, emaid: string): void {
  const material = car.contracts.load(emaid);
  assert.equal(emaidKey(material.emaid), emaidKey(emaid));
  assertKeyMatchesCertificateByOpenssl(
    material.key.export({ format: 'pem', type: 'pkcs8' }) as string,
    material.chain.map((c) => toPem(c)).join(''),
  );
}

const failedWith = (code: string) => (e: unknown) =>
  isAppError(e) &&
  e.code === 'ev.session-failed' &&
  (e.details as { responseCode?: string }).responseCode === code;

forEachEcosystem(
  'Plug & Charge journey over HTTP',
  (eco) => {
    let cas: DemoCas;
    let cas20: DemoCas;
    let oem: ApiClient;
    let mo: ApiClient;
    const api = async (role: string, scope: string) =>
      new ApiClient({ baseUrl: eco().url, credentials: await eco().client(role, scope), clock: eco().clock });

    before(async () => {
      cas = await demoCas(eco().app.ca, 2);
      cas20 = await demoCas(eco().app.ca, 20);
      oem = await api('OEM', 'WP2');
      mo = await api('MO', 'DE-E2E');
    });

    /** A fresh charger with a fresh CPO token (the token of a charger lives at the ecosystem clock). */
    const charger = async (): Promise<Charger> =>
      startCharger({
        platformUrl: eco().url,
        cpoToken: await eco().token('CPO', 'DE*E2E'),
        clock: eco().clock,
        random: cryptoRandom,
        evseId: EVSE_ID,
        secc: tlsPki.secc,
        contractRoots: [cas.root.certificate as Uint8Array],
      });

    const car = (pcid: string, party: Party): Car =>
      makeCar({
        identity: {
          pcid,
          evccId: Uint8Array.of(2, 0, 0, 0xe2, 0xe0, pcid.charCodeAt(16)),
          provisioningKey: party.privateKey,
          provisioningChain: [
            party.der,
            cas.oemSub2.certificate as Uint8Array,
            cas.oemSub1.certificate as Uint8Array,
          ],
          v2gRoots: [tlsPki.root, cas.root.certificate as Uint8Array],
        },
        dir: join(tempDir(), 'car'),
        clock: eco().clock,
        tlsRoots: [tlsPki.root],
        tlsAt: tlsPki.clock.now(),
      });

    /** OEM: the vehicle's provisioning certificate from the demo OEM Sub-CA 2, published to the PCP. */
    const publishVehicle = async (pcid: string, validity?: { notAfter: Date }): Promise<Party> => {
      const party = await makeVehicle(eco().app.ca, cas, pcid, 2, validity);
      await oem.request({
        method: 'PUT',
        path: '/v1/oem/provCerts',
        body: provisioningBody(
          [party.der, cas.oemSub2.certificate as Uint8Array, cas.oemSub1.certificate as Uint8Array],
          2,
        ),
      });
      return party;
    };

    /** MO: generate-and-sign through the CPS (stored in the CCP). */
    const createContract = (emaid: string, pcid: string) => {
      const now = eco().clock.now();
      return mo.request({
        method: 'PUT',
        path: '/v1/cps/generate/signedContractData',
        body: {
          contractBegins: now.toISOString(),
          contractEnds: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
          emaid,
          pcid,
          xsdMsgDefNamespace: ISO2,
        },
        accept: [200, 201, 400, 403, 404, 409, 422],
      });
    };

    const contractSerial = async (emaid: string): Promise<string> => {
      const found = (await eco().app.ca.listCertificates({ issuerCaId: cas.moSub2.id })).find((c) =>
        c.subject.startsWith(`CN=${emaid}`),
      );
      assert.ok(found, `no contract certificate ${emaid}`);
      return found.serial;
    };

    test('happy path: publish, generate-and-sign, install through the charger, authorize; key checked by openssl', async () => {
      const pcid = 'WP2E2EHAPPY000001';
      const emaid = testEmaid('DEE2E', 1);
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(emaid, pcid)).status, 201);
      const site = await charger();
      try {
        const vehicle = car(pcid, party);
        const result = await vehicle.plugIn(site);
        assert.equal(emaidKey(result.installed?.emaid ?? ''), emaidKey(emaid));
        assert.equal(result.evseProcessing, 'Finished');
        assert.equal(result.evseId, EVSE_ID);
        assert.deepEqual(
          site.events.map((e) => `${e.request}:${e.responseCode}`),
          FULL_SESSION,
        );
        assertInstalledKeyByOpenssl(vehicle, emaid);
        // A second session authorizes with the stored contract, without installing.
        await vehicle.plugIn(site);
        assert.deepEqual(
          site.events.slice(FULL_SESSION.length).map((e) => e.request),
          FULL_SESSION.filter((s) => !s.startsWith('CertificateInstallation')).map((s) => s.split(':')[0]),
        );
      } finally {
        await site.close();
      }
    });

    test('expired provisioning certificate: refused at PCP publish, at the CPS and at CCP installation', async () => {
      const pcid = 'WP2E2EEXPIRED0001';
      const start = eco().clock.now();
      const party = await publishVehicle(pcid, { notAfter: new Date(start.getTime() + 2 * 86_400_000) });
      assert.equal((await createContract(testEmaid('DEE2E', 2), pcid)).status, 201);
      eco().clock.set(new Date(start.getTime() + 3 * 86_400_000));
      const site = await charger();
      try {
        const republish = await oem.request<{ errorMessages: string[] }>({
          method: 'PUT',
          path: '/v1/oem/provCerts',
          body: provisioningBody(
            [party.der, cas.oemSub2.certificate as Uint8Array, cas.oemSub1.certificate as Uint8Array],
            2,
          ),
          accept: [422],
        });
        assert.match(republish.body.errorMessages.join(' '), /expired/i);
        const cps = await createContract(testEmaid('DEE2E', 3), pcid);
        assert.equal(cps.status, 422, JSON.stringify(cps.body));
        assert.match(JSON.stringify(cps.body), /vehicle|expired/i);
        await assert.rejects(car(pcid, party).plugIn(site), failedWith('FAILED_CertificateExpired'));
        assert.equal(site.events.at(-1)?.request, 'CertificateInstallationReq');
      } finally {
        eco().clock.set(start);
        await site.close();
      }
    });

    test('revoked provisioning certificate: refused at PCP publish and at CCP installation', async () => {
      const pcid = 'WP2E2EREVOKED0001';
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(testEmaid('DEE2E', 4), pcid)).status, 201);
      const leaf = (await eco().app.ca.listCertificates({ issuerCaId: cas.oemSub2.id })).find((c) =>
        c.subject.startsWith(`CN=${pcid}`),
      );
      assert.ok(leaf);
      await eco().app.ca.revoke({
        serial: leaf.serial,
        issuerCaId: cas.oemSub2.id,
        reason: 'keyCompromise',
        actor: 'test',
      });
      const site = await charger();
      try {
        const republish = await oem.request<{ errorMessages: string[] }>({
          method: 'PUT',
          path: '/v1/oem/provCerts',
          body: provisioningBody(
            [party.der, cas.oemSub2.certificate as Uint8Array, cas.oemSub1.certificate as Uint8Array],
            2,
          ),
          accept: [422],
        });
        assert.match(republish.body.errorMessages.join(' '), /revoked/i);
        await assert.rejects(car(pcid, party).plugIn(site), failedWith('FAILED_CertificateRevoked'));
      } finally {
        await site.close();
      }
    });

    test('revoked provisioning certificate: the CPS refuses to generate a contract for it', async () => {
      const pcid = 'WP2E2EREVOKED0002';
      await publishVehicle(pcid);
      const leaf = (await eco().app.ca.listCertificates({ issuerCaId: cas.oemSub2.id })).find((c) =>
        c.subject.startsWith(`CN=${pcid}`),
      );
      assert.ok(leaf);
      await eco().app.ca.revoke({
        serial: leaf.serial,
        issuerCaId: cas.oemSub2.id,
        reason: 'keyCompromise',
        actor: 'test',
      });
      const cps = await createContract(testEmaid('DEE2E', 5), pcid);
      assert.equal(
        cps.status,
        422,
        `the CPS answered ${cps.status}: a contract key was encrypted to a revoked vehicle key`,
      );
    });

    test('revoked contract: the charger’s OCSP check refuses the next session (FAILED_CertificateRevoked)', async () => {
      const pcid = 'WP2E2EREVCONTR001';
      const emaid = testEmaid('DEE2E', 6);
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(emaid, pcid)).status, 201);
      const site = await charger();
      try {
        const vehicle = car(pcid, party);
        assert.equal((await vehicle.plugIn(site)).evseProcessing, 'Finished');
        assertInstalledKeyByOpenssl(vehicle, emaid);
        await eco().app.ca.revoke({
          serial: await contractSerial(emaid),
          issuerCaId: cas.moSub2.id,
          reason: 'keyCompromise',
          actor: 'test',
        });
        await assert.rejects(
          vehicle.plugIn(site, { install: 'never' }),
          failedWith('FAILED_CertificateRevoked'),
        );
        assert.equal(site.events.at(-1)?.request, 'PaymentDetailsReq');
        assert.ok(!site.events.slice(FULL_SESSION.length).some((e) => e.request === 'AuthorizationReq'));
      } finally {
        await site.close();
      }
    });

    test('wrong WMI: the OEM cannot publish another manufacturer’s vehicle (403), nothing stored', async () => {
      const pcid = 'WP7E2EFOREIGN0001';
      const party = await makeVehicle(eco().app.ca, cas, pcid, 2);
      const res = await oem.request<{ errorMessages: string[] }>({
        method: 'PUT',
        path: '/v1/oem/provCerts',
        body: provisioningBody(
          [party.der, cas.oemSub2.certificate as Uint8Array, cas.oemSub1.certificate as Uint8Array],
          2,
        ),
        accept: [403],
      });
      assert.match(res.body.errorMessages.join(' '), /WMI/);
      assert.equal(await eco().app.pcp.findByPcid(pcid), undefined);
    });

    test('several contracts: the -2 installation returns the default; after the OEM switches it, the other', async () => {
      const pcid = 'WP2E2EDEFAULT0001';
      const first = testEmaid('DEE2E', 7);
      const second = testEmaid('DEE2E', 8);
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(first, pcid)).status, 201);
      assert.equal((await createContract(second, pcid)).status, 201);
      const site = await charger();
      try {
        const vehicle = car(pcid, party);
        const one = await vehicle.plugIn(site, { install: 'always' });
        assert.equal(emaidKey(one.installed?.emaid ?? ''), emaidKey(first));
        assertInstalledKeyByOpenssl(vehicle, first);
        await oem.request({
          method: 'POST',
          path: `/v1/ccp/signedContractData/${pcid}/${second}/default`,
        });
        const two = await vehicle.plugIn(site, { install: 'always' });
        assert.equal(emaidKey(two.installed?.emaid ?? ''), emaidKey(second));
        assert.equal(emaidKey(two.emaid), emaidKey(second));
        assertInstalledKeyByOpenssl(vehicle, second);
        assert.deepEqual(
          vehicle.contracts
            .list()
            .map((c) => emaidKey(c.emaid))
            .sort(),
          [emaidKey(first), emaidKey(second)].sort(),
        );
      } finally {
        await site.close();
      }
    });

    test('OEM over the air (1/2): the OEM’s webhook receiver gets oem.contract.created, signature verified', async () => {
      const receiver: WebhookReceiver = await startWebhookReceiver(eco().clock);
      try {
        const endpoint = await oem.request<{ id: string; secret: string }>({
          method: 'POST',
          path: '/v1/webhook/endpoints',
          body: { url: receiver.url, enabledEvents: ['oem.contract.created'], wmis: ['WP2'] },
        });
        receiver.setSecret(endpoint.body.secret);
        const pcid = 'WP2E2EOTAHOOK0001';
        const emaid = testEmaid('DEE2E', 9);
        await publishVehicle(pcid);
        assert.equal((await createContract(emaid, pcid)).status, 201);
        // The event and its delivery are written in the contract's transaction (docs/events.md,
        // "Outbox"): after the CPS answered, a raised event has its delivery row for this endpoint.
        const deliveries = await deliveryViews(
          eco().app.db,
          { endpointId: endpoint.body.id },
          eco().clock.now(),
        );
        assert.ok(
          deliveries.some((d) => d.eventType === 'oem.contract.created'),
          'no oem.contract.created delivery was queued for the OEM endpoint after the CPS stored the contract: ' +
            'the CCP / CPS do not raise the event yet (events wiring of the pools, docs/events.md "Who raises what")',
        );
        const event = await receiver.next('oem.contract.created', (e) => e.payload.pcid === pcid);
        assert.equal(event.signatureValid, true);
        assert.equal(emaidKey(String(event.payload.emaid)), emaidKey(emaid));
      } finally {
        await receiver.close();
      }
    });

    test('OEM over the air (2/2): the OEM pulls the contract (provideSignedContractData), decrypts it; openssl agrees', async () => {
      const pcid = 'WP2E2EOTAPULL0001';
      const emaid = testEmaid('DEE2E', 10);
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(emaid, pcid)).status, 201);
      // OPCP provideSignedContractData: {certificateInstallationRes, xsdMsgDefNamespace, cpsV2GRootCertificateFingerprint}.
      const pulled = await oem.request<{ certificateInstallationRes?: string; xsdMsgDefNamespace?: string }>({
        method: 'GET',
        path: `/v1/ccp/provideSignedContractData/${emaid}/${pcid}?sessionID=00000000000000AB`,
      });
      assert.equal(pulled.body.xsdMsgDefNamespace, ISO2);
      assert.ok(pulled.body.certificateInstallationRes, JSON.stringify(pulled.body));
      // The MO learns of the delivery (D-037): one mo.contract.delivered.to.oem event for this vehicle.
      const delivered = await eco().app.db.query<{ emaid: string | null }>(
        "SELECT emaid FROM events_outbox WHERE type = 'mo.contract.delivered.to.oem' AND pcid = $1",
        [pcid],
      );
      assert.equal(delivered.length, 1);
      const decoded = decodeIso2(Buffer.from(pulled.body.certificateInstallationRes, 'base64'));
      assert.equal(Buffer.from(decoded.sessionId).toString('hex'), '00000000000000ab');
      // The OEM backend checks and decrypts it as the vehicle would (CPS signature, chains to the
      // V2G root, key transport with the provisioning key, key ↔ certificate, eMAID = CN).
      const contract = checkCertificateInstallationRes(
        {
          pcid,
          evccId: Uint8Array.of(2, 0, 0, 0, 0, 1),
          provisioningKey: party.privateKey,
          provisioningChain: [party.der],
          v2gRoots: [cas.root.certificate as Uint8Array],
        },
        decoded,
        eco().clock.now(),
      );
      assert.equal(emaidKey(contract.emaid), emaidKey(emaid));
      assertKeyMatchesCertificateByOpenssl(
        contract.key.export({ format: 'pem', type: 'pkcs8' }) as string,
        contract.chain.map((c) => toPem(c)).join(''),
      );
    });

    test('replayed AuthorizationReq: refused as recorded (FAILED_UnknownSession) and re-addressed (FAILED_ChallengeInvalid)', async () => {
      const pcid = 'WP2E2EREPLAY00001';
      const emaid = testEmaid('DEE2E', 11);
      const party = await publishVehicle(pcid);
      assert.equal((await createContract(emaid, pcid)).status, 201);
      const site = await charger();
      try {
        const vehicle = car(pcid, party);
        // Session A: installs through the CCP, authorizes; its signed AuthorizationReq is recorded.
        const a = (await vehicle.connect(site)).evcc;
        await a.supportedAppProtocol();
        await a.sessionSetup();
        await a.serviceDiscovery();
        await a.paymentServiceSelection(true);
        await a.certificateInstallation();
        assertInstalledKeyByOpenssl(vehicle, emaid);
        const detailsA = await a.paymentDetails();
        const recorded = encodeIso2(await a.buildAuthorizationReq(detailsA.genChallenge));
        assert.equal((await a.exchange(recorded, 'AuthorizationReq')).body.EVSEProcessing, 'Finished');
        await a.sessionStop();

        const upToAuthorization = async () => {
          const b = (await vehicle.connect(site)).evcc;
          await b.supportedAppProtocol();
          await b.sessionSetup();
          await b.serviceDiscovery();
          await b.paymentServiceSelection(false);
          await b.paymentDetails();
          return b;
        };
        // Session B: the recorded bytes as they are (session A's SessionID).
        const b = await upToAuthorization();
        await assert.rejects(b.exchange(recorded, 'AuthorizationReq'), failedWith('FAILED_UnknownSession'));
        // Session C: the recorded request re-addressed to C's SessionID (the header is not signed):
        // the signature still verifies, but the challenge is A's.
        const c = await upToAuthorization();
        const readdressed = decodeIso2(recorded);
        (readdressed.header as { SessionID: Uint8Array }).SessionID = c.sessionId;
        const bytes = encodeIso2({
          name: { ns: ISO2, local: 'V2G_Message' },
          value: readdressed.decoded.value as never,
        });
        await assert.rejects(c.exchange(bytes, 'AuthorizationReq'), failedWith('FAILED_ChallengeInvalid'));
      } finally {
        await site.close();
      }
    });

    test('ISO 15118-20 happy path: P-521 vehicle, generate-and-sign -20, install through the CCP over TLS 1.3 mutual auth, authorize; key checked by openssl', async () => {
      const pcid = 'WP2E2EHAPPY000020';
      const emaid = testEmaid('DEE2E', 20);
      const party = await makeVehicle(eco().app.ca, cas20, pcid, 20);
      const provisioningChain = [
        party.der,
        cas20.oemSub2.certificate as Uint8Array,
        cas20.oemSub1.certificate as Uint8Array,
      ];
      await oem.request({
        method: 'PUT',
        path: '/v1/oem/provCerts',
        body: provisioningBody(provisioningChain, 20),
      });
      const now = eco().clock.now();
      const created = await mo.request({
        method: 'PUT',
        path: '/v1/cps/generate/signedContractData',
        body: {
          contractBegins: now.toISOString(),
          contractEnds: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
          emaid,
          pcid,
          xsdMsgDefNamespace: msgDefNamespaceFor(20, 'opcp'),
        },
        accept: [200, 201, 400, 403, 404, 409, 422],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const site = await startCharger({
        iso: 20,
        platformUrl: eco().url,
        cpoToken: await eco().token('CPO', 'DE*E2E'),
        clock: eco().clock,
        random: cryptoRandom,
        evseId: EVSE_ID,
        secc: tlsPki20.secc,
        contractRoots: [cas20.root.certificate as Uint8Array],
        vehicleRoots: [tlsPki20.root],
      });
      try {
        const vehicleTls: KeyAndChain = await tlsPki20.issueLeaf('vehicle-sub2', 'vehicle-leaf', pcid);
        const vehicle = makeCar({
          iso: 20,
          identity: {
            pcid,
            evccId: Uint8Array.of(2, 0, 0, 0xe2, 0xe0, 0x20),
            provisioningKey: party.privateKey,
            provisioningChain,
            v2gRoots: [tlsPki20.root, cas20.root.certificate as Uint8Array],
            tls: vehicleTls,
          },
          dir: join(tempDir(), 'car-20'),
          clock: eco().clock,
          tlsRoots: [tlsPki20.root],
          tlsAt: tlsPki20.clock.now(),
        });
        const result = await vehicle.plugIn20(site);
        assert.deepEqual(
          result.installed.map((c) => emaidKey(c.emaid)),
          [emaidKey(emaid)],
        );
        assert.equal(emaidKey(result.emaid), emaidKey(emaid));
        assert.equal(result.evseProcessing, 'Finished');
        assert.equal(result.evseId, EVSE_ID);
        assert.deepEqual(
          site.events.map((e) => `${e.request}:${e.responseCode}`),
          FULL_SESSION_20,
        );
        assertInstalledKeyByOpenssl(vehicle, emaid);
        // A second session authorizes with the stored contract, without installing.
        assert.equal((await vehicle.plugIn20(site)).evseProcessing, 'Finished');
        assert.deepEqual(
          site.events.slice(FULL_SESSION_20.length).map((e) => e.request),
          FULL_SESSION_20.filter((s) => !s.startsWith('CertificateInstallation')).map((s) => s.split(':')[0]),
        );
        // A -2 car cannot use the -20 charger (the site refuses to mix editions).
        await assert.rejects(
          makeCar({
            identity: {
              pcid,
              evccId: Uint8Array.of(2, 0, 0, 0, 0, 2),
              provisioningKey: party.privateKey,
              provisioningChain,
              v2gRoots: [tlsPki20.root],
            },
            dir: join(tempDir(), 'car-2'),
            clock: eco().clock,
            tlsRoots: [tlsPki20.root],
            tlsAt: tlsPki20.clock.now(),
          }).plugIn(site),
          (e: unknown) => isAppError(e) && e.code === 'v2g.invalid-config',
        );
      } finally {
        await site.close();
      }
    });
  },
  { iso: [2, 20], env: { PNC_WEBHOOK_ALLOW_HTTP: '1', PNC_WEBHOOK_ALLOW_PRIVATE: '1' } },
);
