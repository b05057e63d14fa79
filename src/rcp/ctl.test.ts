// The Certificate Trust List end to end on a real CA (software key store, embedded database): the
// demo hierarchy published into the pool, the CTL signed by the CTL signer key (ES256; ES512 and
// EdDSA for -20-only hierarchies), verified by verifyCtl and independently by jose, and refused
// when tampered with, signed by a certificate that is not the pinned signer, stale or rolled back.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { flattenedVerify, importX509 } from 'jose';
import { componentMigrations } from '../app/migrations.ts';
import { initDemoHierarchy } from '../ca/demo-hierarchy.ts';
import type { CertificateAuthorityService } from '../ca/service.ts';
import { FakeClock, fastKeyStore, newTestCa, ScriptedRandom } from '../ca/testing/fixtures.ts';
import { isAppError } from '../errors/app-error.ts';
import type { SoftwareKeyStore } from '../signer/software/software-key-store.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';
import type { Database } from '../storage/types.ts';
import { buildCtlPayload, type CtlDocument, type CtlPayload, signCtl, verifyCtl } from './ctl.ts';
import { CtlService, ctlSigners } from './ctl-service.ts';
import { publishDemoRoots } from './demo-roots.ts';
import { SqlRcpRepository } from './repository.ts';
import { RcpService } from './service.ts';
import { makeRoot } from './testing/roots.ts';

interface Pki {
  readonly db: Database;
  readonly ca: CertificateAuthorityService;
  readonly keyStore: SoftwareKeyStore;
  readonly clock: FakeClock;
  readonly rcp: RcpService;
  readonly ctl: CtlService;
  /** The V2G roots (trust anchors of the verifier). */
  readonly anchors: Uint8Array[];
  /** SHA-256 of the CTL signer certificate (the pin). */
  readonly pin: string;
  close(): Promise<void>;
}

async function buildPki(iso: readonly (2 | 20)[], algorithm20: 'P-521' | 'Ed448' = 'P-521'): Promise<Pki> {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-ctl-'));
  const db = await openDatabase(
    { dataDir: dir, databaseUrl: undefined, dbPoolMax: 1 },
    { logger: { warn: () => undefined } },
  );
  const keyStore = fastKeyStore();
  const clock = new FakeClock();
  await migrate(db, componentMigrations, clock);
  const { service: ca } = await newTestCa(db, keyStore, {
    clock,
    random: new ScriptedRandom(),
    migrate: false,
  });
  const repository = new SqlRcpRepository(db);
  const rcp = new RcpService({ repository, clock, random: new ScriptedRandom().source });
  await initDemoHierarchy(
    ca,
    { iso, algorithm20, organization: 'CTL Test', country: 'DE', actor: 'test' },
    () => clock.now(),
  );
  const published = await publishDemoRoots(rcp, ca, { iso, actor: 'test', now: () => clock.now() });
  assert.ok(published.ctlSigner, 'publishDemoRoots issued a CTL signer');
  const ctl = new CtlService({ roots: repository, ca, keyStore, clock });
  return {
    db,
    ca,
    keyStore,
    clock,
    rcp,
    ctl,
    anchors: (await rcp.trustedRoots({ types: ['V2G'] })).map((r) => r.der),
    pin: published.ctlSigner.fingerprintSha256,
    async close() {
      await db.close();
      keyStore.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function invalid(pattern?: RegExp) {
  return (e: unknown) => {
    assert.ok(isAppError(e) && e.code === 'rcp.ctl-invalid', String(e));
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  };
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const unb64url = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

describe('CTL with the -2 and -20 demo hierarchies', () => {
  let pki: Pki;
  let doc: CtlDocument;
  const verify = (d: unknown, extra: Partial<Parameters<typeof verifyCtl>[1]> = {}) =>
    verifyCtl(d, { anchors: pki.anchors, signerFingerprints: [pki.pin], at: pki.clock.now(), ...extra });

  before(async () => {
    pki = await buildPki([2, 20]);
    doc = await pki.ctl.current();
  });
  after(async () => pki?.close());

  test('publishDemoRoots is idempotent: roots and signer are reused', async () => {
    const again = await publishDemoRoots(pki.rcp, pki.ca, {
      iso: [2, 20],
      actor: 'test',
      now: () => pki.clock.now(),
    });
    assert.deepEqual(
      again.roots.map((r) => r.action),
      ['exists', 'exists'],
    );
    assert.equal(again.ctlSigner?.action, 'exists');
    assert.equal(again.ctlSigner?.fingerprintSha256, pki.pin);
    assert.equal((await ctlSigners(pki.ca, pki.clock.now())).length, 1);
  });

  test('the CTL verifies, lists both V2G roots and is signed ES256 by the pinned signer', async () => {
    const verified = verify(doc);
    assert.equal(verified.algorithm, 'ES256');
    assert.equal(verified.signerFingerprint, pki.pin);
    const p = verified.payload;
    assert.equal(p.version, 1);
    assert.equal(p.sequenceNumber, 2);
    assert.equal(p.issuedAt, '2027-03-01T10:00:00Z');
    assert.equal(p.nextUpdate, '2027-03-08T10:00:00Z');
    assert.deepEqual(
      p.roots.map((r) => [r.rootType, r.iso]),
      [
        ['V2G', 2],
        ['V2G', 20],
      ],
    );
    assert.equal(doc.timeStamp, p.issuedAt);
    assert.equal(doc.signerChain.length, 2, 'x5c: signer, Prov Sub-CA 2, Prov Sub-CA 1 (no root)');
    // The text form (a file) verifies too.
    assert.equal(verify(JSON.stringify(doc)).payload.sequenceNumber, 2);
  });

  test('jose verifies the same JWS with the x5c signer key (an independent implementation)', async () => {
    const header = JSON.parse(unb64url(doc.CTL.protected)) as { x5c: string[]; typ: string };
    assert.equal(header.typ, 'pnc-ctl+json');
    const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`;
    const key = await importX509(pem, 'ES256');
    const result = await flattenedVerify(doc.CTL, key);
    const payload = JSON.parse(new TextDecoder().decode(result.payload)) as CtlPayload;
    assert.equal(payload.roots.length, 2);
  });

  test('any changed character of the JWS makes it invalid', () => {
    const parts = ['protected', 'payload', 'signature'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...parts),
        fc.nat(),
        fc.constantFrom('A', 'B', '_', '-', 'z'),
        (part, at, ch) => {
          const text = doc.CTL[part];
          const i = at % text.length;
          if (text[i] === ch) return;
          const changed = `${text.slice(0, i)}${ch}${text.slice(i + 1)}`;
          // A change in the last base64url character may only touch padding bits: skip those.
          if (Buffer.from(changed, 'base64url').equals(Buffer.from(text, 'base64url'))) return;
          assert.throws(() => verify({ ...doc, CTL: { ...doc.CTL, [part]: changed } }), invalid());
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a tampered payload, header or outer signer certificate is refused', () => {
    const payload = JSON.parse(unb64url(doc.CTL.payload)) as CtlPayload;
    const fewer = b64url(JSON.stringify({ ...payload, roots: payload.roots.slice(1) }));
    assert.throws(() => verify({ ...doc, CTL: { ...doc.CTL, payload: fewer } }), invalid(/signature/));
    const header = JSON.parse(unb64url(doc.CTL.protected)) as Record<string, unknown>;
    const es512 = b64url(JSON.stringify({ ...header, alg: 'ES512' }));
    assert.throws(() => verify({ ...doc, CTL: { ...doc.CTL, protected: es512 } }), invalid());
    const none = b64url(JSON.stringify({ ...header, alg: 'none' }));
    assert.throws(
      () => verify({ ...doc, CTL: { ...doc.CTL, protected: none, signature: '' } }),
      invalid(/alg/),
    );
    assert.throws(
      () => verify({ ...doc, signerCertificate: doc.signerChain[0] }),
      invalid(/signerCertificate/),
    );
    assert.throws(
      () => verify({ ...doc, CTL: { ...doc.CTL, header: { kid: 'x' } } }),
      invalid(/unprotected/),
    );
  });

  test('malformed documents are refused, never thrown through', () => {
    for (const bad of [
      null,
      5,
      'not json',
      '{}',
      { CTL: 'x' },
      { CTL: { protected: '!', payload: '', signature: '' } },
      [],
    ]) {
      assert.throws(() => verify(bad), invalid());
    }
  });

  test('the signer must be pinned: a valid CPS leaf of the same PKI cannot sign a CTL', async () => {
    // The demo CPS leaf chains to the same V2G root and has digitalSignature: only the pin stops it.
    const leaves = await pki.ca.listCertificates({ status: 'issued', leavesOnly: true });
    const cpsLeaf = leaves.find((c) => c.subject.startsWith('CN=CPS Leaf ISO15118-2,'));
    assert.ok(cpsLeaf?.keyId);
    const signer = await pki.keyStore.open(cpsLeaf.keyId);
    const chain = (await pki.ca.chain(cpsLeaf.id)).slice(0, -1);
    const payload = JSON.parse(unb64url(doc.CTL.payload)) as CtlPayload;
    const forged = await signCtl({ ...payload, roots: [] }, { signer, chain });
    assert.throws(() => verify(forged), invalid(/not a pinned CTL signer/));
    // Pinned, it would verify: the refusal above is the pin, not a broken signature.
    const leafPin = createHash('sha256')
      .update(cpsLeaf.certificate as Uint8Array)
      .digest('hex');
    assert.equal(verify(forged, { signerFingerprints: [leafPin] }).payload.roots.length, 0);
    assert.throws(() => verify(doc, { signerFingerprints: [] }), invalid(/pin/));
    // Colon-separated upper-case pins are accepted.
    const colon = (pki.pin.toUpperCase().match(/../g) ?? []).join(':');
    assert.equal(verify(doc, { signerFingerprints: [colon] }).signerFingerprint, pki.pin);
  });

  test('the signer chain must end at a trusted V2G root', async () => {
    const other = await makeRoot('V2G');
    assert.throws(() => verify(doc, { anchors: [other] }), invalid(/chain/));
    assert.throws(() => verify(doc, { anchors: [] }), invalid(/chain/));
  });

  test('stale and rolled-back CTLs are refused', () => {
    assert.throws(() => verify(doc, { at: new Date('2027-03-08T10:00:01Z') }), invalid(/nextUpdate/));
    assert.throws(() => verify(doc, { minSequenceNumber: 3 }), invalid(/rollback/));
    assert.equal(verify(doc, { minSequenceNumber: 2 }).payload.sequenceNumber, 2);
  });

  test('a signed payload whose fingerprint does not match its certificate is refused', async () => {
    const [cert] = await ctlSigners(pki.ca, pki.clock.now());
    assert.ok(cert?.keyId);
    const signer = await pki.keyStore.open(cert.keyId);
    const chain = (await pki.ca.chain(cert.id)).slice(0, -1);
    const payload = JSON.parse(unb64url(doc.CTL.payload)) as CtlPayload;
    const first = payload.roots[0];
    assert.ok(first);
    const wrong = { ...payload, roots: [{ ...first, fingerprintSha256: 'a'.repeat(64) }] };
    const v2 = { ...payload, version: 2 } as unknown as CtlPayload;
    await assert.rejects(
      (async () => verify(await signCtl(wrong, { signer, chain })))(),
      invalid(/does not match/),
    );
    await assert.rejects((async () => verify(await signCtl(v2, { signer, chain })))(), invalid(/version/));
  });

  test('every change to the pool raises the sequence number; deleted roots leave the list', async () => {
    const mo = await pki.rcp.add({ der: await makeRoot('MO'), rootType: 'MO', actor: 'test' });
    const afterAdd = verify(await pki.ctl.current()).payload;
    assert.equal(afterAdd.sequenceNumber, 3);
    assert.ok(afterAdd.roots.some((r) => r.rootCertificateId === mo.root.id));
    await pki.rcp.delete(mo.root.id, 'test');
    const afterDelete = verify(await pki.ctl.current()).payload;
    assert.equal(afterDelete.sequenceNumber, 4);
    assert.ok(!afterDelete.roots.some((r) => r.rootCertificateId === mo.root.id));
  });
});

test('buildCtlPayload: fixed member order, sorted roots, deleted roots left out', () => {
  const root = (
    id: string,
    rootType: 'V2G' | 'MO' | 'OEM' | 'PE',
    iso: 2 | 20,
    fp: string,
    deleted = false,
  ) => ({
    id,
    rootType,
    iso,
    der: new Uint8Array([1, 2, 3]),
    fingerprintSha256: fp,
    subject: `CN=${id}`,
    issuer: `CN=${id}`,
    serial: '1',
    ski: null,
    keyAlgorithm: 'P-256',
    notBefore: new Date('2027-01-01T00:00:00Z'),
    notAfter: new Date('2067-01-01T00:00:00Z'),
    addedAt: new Date(0),
    addedBy: 'test',
    deletedAt: deleted ? new Date(1) : null,
    deletedBy: deleted ? 'test' : null,
    lintFindings: [],
    lenient: false,
  });
  const payload = buildCtlPayload(
    [
      root('c', 'OEM', 2, 'cc'),
      root('a', 'V2G', 20, 'bb'),
      root('b', 'V2G', 2, 'ff'),
      root('d', 'V2G', 2, 'aa'),
      root('x', 'MO', 2, '00', true),
    ],
    {
      sequenceNumber: 9,
      issuedAt: new Date('2027-03-01T10:00:00.123Z'),
      nextUpdate: new Date('2027-03-08T10:00:00Z'),
    },
  );
  assert.deepEqual(
    payload.roots.map((r) => r.rootCertificateId),
    ['d', 'b', 'a', 'c'],
  );
  assert.deepEqual(Object.keys(payload), ['version', 'sequenceNumber', 'issuedAt', 'nextUpdate', 'roots']);
  assert.equal(payload.issuedAt, '2027-03-01T10:00:00Z');
  assert.equal(payload.roots[0]?.certificate, 'AQID');
});

for (const [name, algorithm20, alg] of [
  ['P-521', 'P-521', 'ES512'],
  ['Ed448', 'Ed448', 'EdDSA'],
] as const) {
  test(`an ISO 15118-20-only hierarchy (${name}) signs its CTL with ${alg}`, async () => {
    const pki = await buildPki([20], algorithm20);
    try {
      const doc = await pki.ctl.current();
      const verified = verifyCtl(doc, {
        anchors: pki.anchors,
        signerFingerprints: [pki.pin],
        at: pki.clock.now(),
      });
      assert.equal(verified.algorithm, alg);
      assert.deepEqual(
        verified.payload.roots.map((r) => r.iso),
        [20],
      );
      const flipped = Buffer.from(doc.CTL.signature, 'base64url');
      flipped[0] = (flipped[0] as number) ^ 1;
      assert.throws(
        () =>
          verifyCtl(
            { ...doc, CTL: { ...doc.CTL, signature: flipped.toString('base64url') } },
            { anchors: pki.anchors, signerFingerprints: [pki.pin], at: pki.clock.now() },
          ),
        invalid(/signature/),
      );
    } finally {
      await pki.close();
    }
  });
}

test('without a CTL signer there is no CTL (404 rcp.ctl-unavailable)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-ctl-'));
  const db = await openDatabase(
    { dataDir: dir, databaseUrl: undefined, dbPoolMax: 1 },
    { logger: { warn: () => undefined } },
  );
  const keyStore = fastKeyStore();
  try {
    const clock = new FakeClock();
    await migrate(db, componentMigrations, clock);
    const { service: ca } = await newTestCa(db, keyStore, { clock, migrate: false });
    const ctl = new CtlService({ roots: new SqlRcpRepository(db), ca, keyStore, clock });
    await assert.rejects(ctl.current(), (e: unknown) => isAppError(e) && e.code === 'rcp.ctl-unavailable');
  } finally {
    await db.close();
    keyStore.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
