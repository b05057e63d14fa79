// The SECC session and the vehicle over an in-memory duplex (the TLS layer is tested in
// transport.test.ts and e2e.test.ts): every refusal answers with the FAILED code ISO 15118-2 expects
// and ends the session; the vehicle stores nothing it could not verify.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { duplexPair } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { cryptoRandom } from '../../app/runtime.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { ModelObject } from '../../exi/codec.ts';
import type { RevocationStatus } from '../../pki/path/index.ts';
import { exiVector, SHARED_SKIP } from '../../testing/shared-data.ts';
import { V2gtpConnection } from '../connection.ts';
import { ContractStore } from '../ev/contract-store.ts';
import { Evcc, runPlugAndCharge } from '../ev/evcc.ts';
import type { VehicleIdentity } from '../ev/identity.ts';
import {
  decodeSapResponse,
  encodeIso2,
  encodeSapResponse,
  ISO2_PROTOCOL,
  ISO20_DC_PROTOCOL,
  iso2Message,
  negotiateAppProtocol,
} from '../messages.ts';
import { createV2gTestPki, type V2gTestPki } from '../testing/demo-pki.ts';
import { LocalCpsBackend, type LocalCpsOptions } from '../testing/local-cps-backend.ts';
import { failedWith, openV2gTestPki, useTempDirs } from '../testing/test-setup.ts';
import { PAYLOAD_TYPE } from '../v2gtp.ts';
import type { CertificateInstallationBackend, ContractStatusChecker } from './ports.ts';
import { serveSeccConnection } from './server.ts';
import { type SeccEvent, SeccSession, type SeccSessionDeps } from './session.ts';

let pki: V2gTestPki;
let vehicle: VehicleIdentity;
before(async () => {
  ({ pki, vehicle } = await openV2gTestPki(2));
});
after(() => pki?.close());
const tempDir = useTempDirs('pnc-secc-');

interface Setup {
  evcc: Evcc;
  contracts: ContractStore;
  events: SeccEvent[];
  session: SeccSession;
  ended: Promise<{ end: string }>;
  ev: V2gtpConnection;
}

function setup(
  options: {
    deps?: Partial<SeccSessionDeps>;
    backend?: CertificateInstallationBackend | LocalCpsOptions;
    contracts?: ContractStore;
    identity?: VehicleIdentity;
    noInstallation?: boolean;
  } = {},
): Setup {
  const [a, b] = duplexPair();
  const ev = new V2gtpConnection(a);
  const secc = new V2gtpConnection(b);
  const events: SeccEvent[] = [];
  const backend =
    options.backend && 'install' in options.backend
      ? options.backend
      : new LocalCpsBackend(pki, (options.backend as LocalCpsOptions | undefined) ?? {});
  const session = new SeccSession({
    clock: pki.clock,
    random: cryptoRandom,
    evseId: 'DE*PNC*E12345*1',
    contractRoots: [pki.root],
    statusChecker: pki.statusChecker,
    ...(options.noInstallation ? {} : { installation: backend }),
    installationTimeoutMs: 30_000,
    onEvent: (e) => events.push(e),
    ...options.deps,
  });
  const ended = serveSeccConnection(secc, session, 30_000);
  const contracts = options.contracts ?? new ContractStore(join(tempDir(), 'vehicle'));
  const evcc = new Evcc(ev, {
    identity: options.identity ?? vehicle,
    contracts,
    clock: pki.clock,
    timeouts: { messageMs: 30_000, installationMs: 30_000 },
  });
  return { evcc, contracts, events, session, ended, ev };
}

async function toPaymentSelection(s: Setup, install: boolean): Promise<void> {
  await s.evcc.supportedAppProtocol();
  await s.evcc.sessionSetup();
  await s.evcc.serviceDiscovery();
  await s.evcc.paymentServiceSelection(install);
}

/** A store with one installed contract (through a full session). */
async function storeWithContract(): Promise<ContractStore> {
  const s = setup();
  const result = await runPlugAndCharge(s.evcc, s.contracts);
  assert.ok(result.installed);
  return s.contracts;
}

describe('SupportedAppProtocol', () => {
  test('negotiation: best priority among supported namespaces; minor deviation; none', () => {
    const offers = [
      { ...ISO20_DC_PROTOCOL, schemaId: 1, priority: 1 },
      { ...ISO2_PROTOCOL, schemaId: 2, priority: 2 },
    ];
    assert.deepEqual(negotiateAppProtocol(offers, [ISO2_PROTOCOL]), {
      responseCode: 'OK_SuccessfulNegotiation',
      schemaId: 2,
      chosen: offers[1],
    });
    assert.equal(negotiateAppProtocol(offers, [ISO2_PROTOCOL, ISO20_DC_PROTOCOL]).schemaId, 1);
    assert.equal(
      negotiateAppProtocol([{ ...ISO2_PROTOCOL, minor: 1, schemaId: 7, priority: 1 }], [ISO2_PROTOCOL])
        .responseCode,
      'OK_SuccessfulNegotiationWithMinorDeviation',
    );
    assert.equal(
      negotiateAppProtocol([{ ...ISO2_PROTOCOL, major: 3, schemaId: 7, priority: 1 }], [ISO2_PROTOCOL])
        .responseCode,
      'Failed_NoNegotiation',
    );
  });

  test('a vehicle offering only ISO 15118-20 gets Failed_NoNegotiation and the session ends', async () => {
    const s = setup();
    await assert.rejects(
      s.evcc.supportedAppProtocol([{ ...ISO20_DC_PROTOCOL, schemaId: 1, priority: 1 }]),
      failedWith('Failed_NoNegotiation'),
    );
    assert.equal((await s.ended).end, 'stopped');
    assert.equal(s.session.state, 'Stopped');
  });

  test('a recorded SAP request (dSPACE capture: -2 SchemaID 111, DIN 222) gets -2 with SchemaID 111', async (t) => {
    const vector = exiVector('sap.jsonl', 'ds-i2-ac-f0065');
    if (!vector) {
      t.skip(SHARED_SKIP);
      return;
    }
    const s = setup();
    await s.ev.send(PAYLOAD_TYPE.exi, new Uint8Array(Buffer.from(vector.exi, 'base64')));
    const answer = decodeSapResponse((await s.ev.receive(30_000)).payload);
    assert.deepEqual(answer, { responseCode: 'OK_SuccessfulNegotiation', schemaId: 111 });
    // The answer is byte for byte the one of the capture.
    const recorded = exiVector('sap.jsonl', 'ds-i2-ac-f0067');
    assert.ok(recorded);
    assert.equal(Buffer.from(encodeSapResponse(answer)).toString('base64'), recorded.exi);
  });

  test('undecodable EXI and a wrong payload type close the connection without an answer', async () => {
    const s = setup();
    await s.ev.send(PAYLOAD_TYPE.exi, Uint8Array.of(0x80, 0xff, 0xff, 0xff));
    await assert.rejects(s.ev.receive(30_000), (e: unknown) => isAppError(e) && e.code === 'v2g.closed');
    const t = setup();
    await t.ev.send(PAYLOAD_TYPE.iso20Common, Uint8Array.of(0x80));
    await assert.rejects(t.ev.receive(30_000), (e: unknown) => isAppError(e) && e.code === 'v2g.closed');
  });
});

describe('payment selection and installation', () => {
  test('ExternalPayment is refused with FAILED_PaymentSelectionInvalid; an unknown service with FAILED_ServiceSelectionInvalid', async () => {
    const s = setup();
    await s.evcc.supportedAppProtocol();
    await s.evcc.sessionSetup();
    await s.evcc.serviceDiscovery();
    await assert.rejects(
      s.evcc.request(
        iso2Message(s.evcc.sessionId, 'PaymentServiceSelectionReq', {
          SelectedPaymentOption: 'ExternalPayment',
          SelectedServiceList: { SelectedService: [{ ServiceID: 1 }] },
        }),
      ),
      failedWith('FAILED_PaymentSelectionInvalid'),
    );
    const t = setup({ noInstallation: true });
    await t.evcc.supportedAppProtocol();
    await t.evcc.sessionSetup();
    const discovery = await t.evcc.serviceDiscovery();
    assert.equal(discovery.certificateService, false, 'no backend: no Certificate service');
    await assert.rejects(t.evcc.paymentServiceSelection(true), failedWith('FAILED_ServiceSelectionInvalid'));
  });

  test('a backend failure or an unusable backend answer: CertificateInstallationRes FAILED', async () => {
    const backends: CertificateInstallationBackend[] = [
      {
        install: async () => {
          throw new TypeError('fetch failed');
        },
      },
      { install: async () => Buffer.from('not EXI').toString('base64') },
    ];
    for (const backend of backends) {
      const s = setup({ backend });
      await toPaymentSelection(s, true);
      await assert.rejects(s.evcc.certificateInstallation(), failedWith('FAILED'));
      assert.deepEqual(s.contracts.list(), []);
      assert.match(s.events.at(-1)?.reason ?? '', /installation backend/);
      assert.equal((await s.ended).end, 'stopped');
    }
  });

  test('the vehicle refuses a tampered CertificateInstallationRes and stores nothing', async () => {
    const cases: [string, NonNullable<LocalCpsOptions['tamper']>][] = [
      [
        'eMAID changed after signing',
        (m) => {
          const body = (m.value.Body as ModelObject).CertificateInstallationRes as ModelObject;
          (body.eMAID as ModelObject).$value = 'DEPNCC999999991';
        },
      ],
      [
        'encrypted key changed after signing',
        (m) => {
          const body = (m.value.Body as ModelObject).CertificateInstallationRes as ModelObject;
          ((body.ContractSignatureEncryptedPrivateKey as ModelObject).$value as Uint8Array)[20]! ^= 1;
        },
      ],
    ];
    for (const [name, tamper] of cases) {
      const s = setup({ backend: { tamper } });
      await toPaymentSelection(s, true);
      await assert.rejects(
        s.evcc.certificateInstallation(),
        (e: unknown) => isAppError(e) && e.code === 'ev.install-rejected' && /signature/.test(e.message),
        name,
      );
      assert.deepEqual(s.contracts.list(), [], name);
    }
  });

  test('the vehicle refuses a CPS chain that does not lead to its V2G roots', async () => {
    const other = await createV2gTestPki({ iso: 2 });
    try {
      const foreignRoots = { ...vehicle, v2gRoots: [other.root] };
      const s = setup({ identity: foreignRoots });
      await toPaymentSelection(s, true);
      await assert.rejects(
        s.evcc.certificateInstallation(),
        (e: unknown) => isAppError(e) && e.code === 'ev.install-rejected' && /CPS chain/.test(e.message),
      );
      assert.deepEqual(s.contracts.list(), []);
    } finally {
      await other.close();
    }
  });
});

describe('payment details and authorization', () => {
  let contracts: ContractStore;
  before(async () => {
    contracts = await storeWithContract();
  });

  test('a contract chain from another PKI: FAILED_CertChainError', async () => {
    const other = await createV2gTestPki({ iso: 2 });
    try {
      const foreign = await other.issueLeaf('mo-sub2', 'contract-leaf', 'DEPNCC000000777');
      const store = new ContractStore(join(tempDir(), 'vehicle'));
      store.install({ emaid: 'DEPNCC000000777', key: foreign.key, chain: foreign.chain }, pki.clock.now());
      const s = setup({ contracts: store });
      await toPaymentSelection(s, false);
      await assert.rejects(s.evcc.paymentDetails(), failedWith('FAILED_CertChainError'));
      assert.match(s.events.at(-1)?.reason ?? '', /^path\./);
    } finally {
      await other.close();
    }
  });

  test('an eMAID that is not the contract CN: FAILED_CertChainError', async () => {
    const s = setup({ contracts });
    await toPaymentSelection(s, false);
    const material = contracts.load();
    await assert.rejects(
      s.evcc.request(
        iso2Message(s.evcc.sessionId, 'PaymentDetailsReq', {
          eMAID: 'DEPNCC999999991',
          ContractSignatureCertChain: {
            Certificate: material.chain[0]!,
            SubCertificates: { Certificate: material.chain.slice(1) },
          },
        }),
      ),
      failedWith('FAILED_CertChainError'),
    );
  });

  test('revocation status: unknown → FAILED_CertChainError (fail closed); revoked → FAILED_CertificateRevoked', async () => {
    const statuses: RevocationStatus[] = [];
    const unknown: ContractStatusChecker = { status: async () => 'unknown' };
    const s = setup({ contracts, deps: { statusChecker: unknown } });
    await toPaymentSelection(s, false);
    await assert.rejects(s.evcc.paymentDetails(), failedWith('FAILED_CertChainError'));

    // Revoke a fresh contract in the CA: the CA-backed checker (what its OCSP responder answers) says so.
    const store = await storeWithContract();
    const leaf = store.load().chain[0]!;
    await pki.ca.revoke({
      serial: new X509Certificate(leaf).serialNumber,
      issuerCaId: pki.cas.get('mo-sub2')!.id,
      reason: 'keyCompromise',
      actor: 'test',
    });
    const recording: ContractStatusChecker = {
      status: async (c, i) => {
        const r = await pki.statusChecker.status(c, i);
        statuses.push(r);
        return r;
      },
    };
    const t = setup({ contracts: store, deps: { statusChecker: recording } });
    await toPaymentSelection(t, false);
    await assert.rejects(t.evcc.paymentDetails(), failedWith('FAILED_CertificateRevoked'));
    assert.ok(typeof statuses[0] === 'object' && 'revoked' in statuses[0]);
  });

  test('an expired contract chain: FAILED_CertificateExpired', async () => {
    const later = { now: () => new Date(pki.clock.now().getTime() + 20 * 365 * 24 * 3600 * 1000) };
    const s = setup({ contracts, deps: { clock: later } });
    await toPaymentSelection(s, false);
    await assert.rejects(s.evcc.paymentDetails(), failedWith('FAILED_CertificateExpired'));
  });

  test('a broken AuthorizationReq signature: FAILED_SignatureError; a second AuthorizationReq: FAILED_SequenceError', async () => {
    const s = setup({ contracts });
    await toPaymentSelection(s, false);
    const details = await s.evcc.paymentDetails();
    const message = await s.evcc.buildAuthorizationReq(details.genChallenge);
    const signature = ((message.value.Header as ModelObject).Signature as ModelObject)
      .SignatureValue as ModelObject;
    (signature.$value as Uint8Array)[10]! ^= 0x01;
    await assert.rejects(
      s.evcc.exchange(encodeIso2(message), 'AuthorizationReq'),
      failedWith('FAILED_SignatureError'),
    );
    assert.equal(s.session.state, 'Stopped');

    const t = setup({ contracts });
    await toPaymentSelection(t, false);
    const d = await t.evcc.paymentDetails();
    assert.equal(await t.evcc.authorization(d.genChallenge), 'Finished');
    await assert.rejects(t.evcc.authorization(d.genChallenge), failedWith('FAILED_SequenceError'));
  });

  test('authorizing with another stored contract (several contracts, pick one)', async () => {
    const store = await storeWithContract();
    const s = setup({ contracts: store });
    await toPaymentSelection(s, true);
    const second = await s.evcc.certificateInstallation(false);
    assert.equal(store.list().length, 2);
    assert.notEqual(store.activeEmaid(), second.emaid, 'installed without activation');
    const details = await s.evcc.paymentDetails(second.emaid);
    assert.equal(details.emaid, second.emaid);
    assert.equal(await s.evcc.authorization(details.genChallenge, second.emaid), 'Finished');
    assert.equal(s.session.authorizedEmaid, second.emaid);
  });
});
