// The CPS for ISO 15118-20 over HTTP, both trees, on node:sqlite and PostgreSQL (forEachEcosystem):
// the demo -20 hierarchy (P-521) and a second -20 hierarchy on Ed448 made here, vehicles with P-521
// and Ed448 provisioning keys published in the PCP. Sign (MO PKI) and generate-and-sign answer with a
// signed -20 CertificateInstallationRes (SignedInstallationData, 8-byte SessionID) that
// verifyIso20Message accepts, whose contract key the vehicle decrypts (also checked with openssl),
// stored in the CCP as iso 20; hostile -20 input is refused with nothing changed.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createECDH, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import type { CaView } from '../ca/types.ts';
import { x448PrivateKeyOfEd448 } from '../contract-key/ed448-x448.ts';
import { decryptContractKeyIso20 } from '../contract-key/iso20-key-transport.ts';
import { decodeExiDocument, encodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { parseCertificate } from '../pki/ocsp/index.ts';
import { forEachEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import { verifyIso20Message } from '../xmldsig/v2g-signature.ts';
import {
  type ParsedContractData20,
  parseContractData20,
  verifyContractData20,
  withSessionId20,
} from './contract-data-20.ts';
import { sha256Hex } from './signers.ts';
import {
  type Algorithm20,
  contractFields20,
  createEd448Tree,
  demoCa,
  type Ed448Tree,
  type IssuedLeaf,
  issueLeaf20,
  opcpFlatBody,
  opcpNestedBody,
  opncSignBody,
  testEmaid,
} from './testing/fixtures.ts';
import {
  expectError,
  type Json,
  json,
  MO_SCOPE,
  OPCP_GENERATE,
  OPCP_SIGN,
  OPNC_GENERATE,
  OPNC_SIGN,
  PROVIDER,
} from './testing/http.ts';

const OPCP_20 = 'urn:iso:15118:20:2022:MsgDef';
const OPNC_20 = 'urn:iso:15118:20:2020:MsgDef';
const REAL_20 = 'urn:iso:std:iso:15118:-20:CommonMessages';
const PKCS8_ED448 = Buffer.from('3047020100300506032b6571043b0439', 'hex');

const PNC = resolve(import.meta.dirname, '../../bin/pnc.js');

function pnc(args: string[], input: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PNC, ...args], { input, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let seed = 0;
const ids = () => {
  seed += 1;
  return { emaid: testEmaid(PROVIDER, 20_000 + seed), pcid: `WP0${String(7000 + seed).padStart(15, '0')}` };
};

/** Contract rows, audit rows and certificates issued by the -20 MO Sub-CA 2s: unchanged on a refusal. */
async function counts(eco: TestEcosystem, moSub2s: readonly CaView[]): Promise<Json> {
  const one = async (sql: string, params: string[] = []) =>
    Number((await eco.app.db.query<{ n: number | bigint }>(sql, params))[0]?.n ?? -1);
  return {
    contracts: await one('SELECT COUNT(*) AS n FROM ccp_contracts'),
    audit: await one('SELECT COUNT(*) AS n FROM audit_log'),
    caAudit: await one('SELECT COUNT(*) AS n FROM ca_audit_log'),
    contractCertificates: await Promise.all(
      moSub2s.map((ca) => one('SELECT COUNT(*) AS n FROM ca_certificates WHERE issuer_ca_id = $1', [ca.id])),
    ),
  };
}

async function storedRows(
  eco: TestEcosystem,
  emaid: string,
): Promise<{ pcid: string | null; iso: number; source: string; installation_res: Uint8Array }[]> {
  const rows = await eco.app.db.query<{
    pcid: string | null;
    iso: number | bigint;
    source: string;
    installation_res: Uint8Array;
  }>('SELECT pcid, iso, source, installation_res FROM ccp_contracts WHERE emaid = $1', [emaid.slice(0, 14)]);
  return rows.map((r) => ({
    ...r,
    iso: Number(r.iso),
    installation_res: new Uint8Array(r.installation_res),
  }));
}

/** The vehicle's recovered contract key is the contract certificate's (Node, then openssl). */
function assertVehicleRecoversKey(parsed: ParsedContractData20, vehicle: IssuedLeaf, pcid: string): void {
  const ed448 = vehicle.key.privateKey.asymmetricKeyType === 'ed448';
  const contract = parsed.contract.contractChain.certificate;
  const ski = parseCertificate(contract).subjectKeyIdentifier as Uint8Array;
  assert.equal(ski.length, 8, 'a -20 contract SKI is 8 bytes ([V2G20-2492])');
  const plain = decryptContractKeyIso20({
    curve: parsed.contract.curve,
    encryptedPrivateKey: parsed.contract.encryptedPrivateKey,
    dhPublicKey: parsed.contract.dhPublicKey,
    recipientPrivateKey: ed448 ? x448PrivateKeyOfEd448(vehicle.key.privateKey) : vehicle.key.privateKey,
    pcid: pcid.toUpperCase(),
    contractSki: ski,
  });
  let privateKey: KeyObject;
  if (ed448) {
    assert.equal(parsed.contract.curve, 'X448');
    assert.equal(plain.length, 57);
    privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED448, plain]), format: 'der', type: 'pkcs8' });
  } else {
    assert.equal(parsed.contract.curve, 'SECP521');
    assert.equal(plain.length, 66);
    const ecdh = createECDH('secp521r1');
    ecdh.setPrivateKey(Buffer.from(plain));
    const point = ecdh.getPublicKey();
    privateKey = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-521',
        d: Buffer.from(plain).toString('base64url'),
        x: point.subarray(1, 67).toString('base64url'),
        y: point.subarray(67).toString('base64url'),
      },
      format: 'jwk',
    });
  }
  const certificateKey = new X509Certificate(contract).publicKey;
  assert.equal(
    privateKey.export({ format: 'jwk' }).x,
    certificateKey.export({ format: 'jwk' }).x,
    'the decrypted key is the contract certificate key',
  );
  // openssl: the public key of the decrypted private key is the certificate's.
  const dir = mkdtempSync(join(tmpdir(), 'pnc-cps20-'));
  try {
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(dir, 'cert.der'), contract);
    const fromKey = execFileSync('openssl', ['pkey', '-in', join(dir, 'key.pem'), '-pubout'], {
      encoding: 'utf8',
    });
    const fromCert = execFileSync(
      'openssl',
      ['x509', '-inform', 'DER', '-in', join(dir, 'cert.der'), '-pubkey', '-noout'],
      { encoding: 'utf8' },
    );
    assert.equal(fromKey, fromCert);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

forEachEcosystem('cps ISO 15118-20 over HTTP', (eco) => {
  let mo: string;
  let oem: string;
  let demoRoot: Uint8Array;
  let demoMoSub2: CaView;
  let demoOemSub2: CaView;
  let ed: Ed448Tree;
  let edRoot: Uint8Array;
  const vehicles = new Map<Algorithm20, { leaf: IssuedLeaf; pcid: string }>();

  const put = (path: string, body: unknown, token = mo) => eco().fetch(path, { method: 'PUT', token, body });

  /** A vehicle with a key of `algorithm` published in the PCP as -20. */
  async function publishVehicle(algorithm: Algorithm20): Promise<{ leaf: IssuedLeaf; pcid: string }> {
    const { pcid } = ids();
    const issuer = algorithm === 'P-521' ? demoOemSub2 : ed.oemSub2;
    const leaf = await issueLeaf20(eco().app.ca, issuer, 'oem-prov-leaf', pcid, algorithm);
    const res = await eco().fetch('/v1/oem/provCerts', {
      method: 'PUT',
      token: oem,
      body: {
        vehicleCertificate: Buffer.from(leaf.der).toString('base64'),
        subCA2Certificate: Buffer.from(leaf.chain[1] as Uint8Array).toString('base64'),
        subCA1Certificate: Buffer.from(leaf.chain[2] as Uint8Array).toString('base64'),
        xsdMsgDefNamespace: OPCP_20,
      },
    });
    assert.equal(res.status, 200, await res.text());
    return { leaf, pcid };
  }

  const anchorsAt = () => ({ anchors: [demoRoot, edRoot], at: eco().clock.now() });

  before(async () => {
    mo = await eco().token('MO', MO_SCOPE);
    oem = await eco().token('OEM', 'WP0');
    const cas = await eco().app.ca.listCas();
    demoRoot = cas.find((c) => c.role === 'v2g-root' && c.iso === '20')?.certificate as Uint8Array;
    demoMoSub2 = await demoCa(eco().app.ca, 'mo-sub2', '20');
    demoOemSub2 = await demoCa(eco().app.ca, 'oem-sub2', '20');
    ed = await createEd448Tree(eco().app.ca);
    edRoot = ed.root.certificate as Uint8Array;
    await eco().app.rcp.add({ der: edRoot, rootType: 'V2G', actor: 'test' });
    vehicles.set('P-521', await publishVehicle('P-521'));
    vehicles.set('Ed448', await publishVehicle('Ed448'));
  });

  test('the signers of -20 are listed on both trees: the P-521 demo leaf and the Ed448 leaf, -20 namespaces', async () => {
    const opcp = await json(await eco().fetch('/cps/signer', { token: oem }));
    const list = (opcp.cpsCertificates as Json[]).filter((s) => s.xsdMsgDefNamespace === OPCP_20);
    const fingerprints = list.map((s) => s.cpsV2GRootCertificateFingerprint);
    assert.ok(fingerprints.includes(sha256Hex(demoRoot)));
    assert.ok(fingerprints.includes(sha256Hex(edRoot)));
    for (const s of list) {
      const key = new X509Certificate(Buffer.from(String(s.cpsCertificate), 'base64')).publicKey;
      const type = key.asymmetricKeyType === 'ed448' ? 'Ed448' : key.asymmetricKeyDetails?.namedCurve;
      assert.equal(type, s.cpsV2GRootCertificateFingerprint === sha256Hex(edRoot) ? 'Ed448' : 'secp521r1');
    }
    const opnc = await json(await eco().fetch('/opnc/v1/cps/cpsCertificates', { token: oem }));
    const opncList = (opnc.cpsCertificateDataCollection as Json[]).filter(
      (s) => s.xsdMsgDefNamespace === OPNC_20,
    );
    assert.equal(opncList.length, list.length);
  });

  for (const algorithm of ['P-521', 'Ed448'] as const) {
    test(`sign (OPCP, MO PKI, ${algorithm}): signed -20 XML verifies, 8-byte SessionID placeholder, vehicle decrypts, stored as iso 20`, async () => {
      const { emaid } = ids();
      const vehicle = vehicles.get(algorithm)!;
      const moSub2 = algorithm === 'P-521' ? demoMoSub2 : ed.moSub2;
      const contract = await issueLeaf20(eco().app.ca, moSub2, 'contract-leaf', emaid, algorithm);
      const fields = contractFields20(contract, vehicle.leaf, vehicle.pcid);
      const root = algorithm === 'P-521' ? demoRoot : edRoot;
      const res = await put(
        OPCP_SIGN,
        opcpNestedBody(fields, {
          xsdMsgDefNamespace: algorithm === 'P-521' ? OPCP_20 : REAL_20,
          pcid: vehicle.pcid,
          cpsV2GRootCertificateFingerprint: sha256Hex(root),
          metaData: 'mo-own',
        }),
      );
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.xsdMsgDefNamespace, OPCP_20);
      assert.equal(out.cpsV2GRootCertificateFingerprint, sha256Hex(root));
      const parsed = parseContractData20({ xml: Buffer.from(String(out.signedData), 'base64') });
      assert.deepEqual(verifyContractData20(parsed, anchorsAt()).problems, []);
      assert.equal(
        verifyIso20Message(decodeExiDocument('iso-20-common', parsed.exi)).suite,
        algorithm === 'P-521' ? 'ecdsa-p521-sha512' : 'ed448-shake256',
      );
      assert.deepEqual(parsed.sessionId, new Uint8Array(8));
      assert.equal(parsed.remaining, 0);
      assert.deepEqual(parsed.contract.contractChain.certificate, contract.der);
      assertVehicleRecoversKey(parsed, vehicle.leaf, vehicle.pcid);
      const rows = await storedRows(eco(), emaid);
      assert.deepEqual(
        rows.map((r) => [r.pcid, r.iso, r.source]),
        [[vehicle.pcid, 20, 'cps']],
      );
      // What the CCP stores is the same EXI document; the CCP writes the request's SessionID.
      assert.deepEqual(rows[0]!.installation_res, parsed.exi);
      const delivered = parseContractData20({
        exi: withSessionId20(rows[0]!.installation_res, Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2), {
          remaining: 1,
        }),
      });
      assert.equal(verifyContractData20(delivered).valid, true);
    });

    test(`sign (OPNC, ${algorithm}): EXI certificateInstallationRes, signer chosen by V2G root fingerprint`, async () => {
      const { emaid } = ids();
      const vehicle = vehicles.get(algorithm)!;
      const contract = await issueLeaf20(
        eco().app.ca,
        algorithm === 'P-521' ? demoMoSub2 : ed.moSub2,
        'contract-leaf',
        emaid,
        algorithm,
      );
      const fields = contractFields20(contract, vehicle.leaf, vehicle.pcid);
      const root = algorithm === 'P-521' ? demoRoot : edRoot;
      const res = await put(
        OPNC_SIGN,
        opncSignBody(
          fields,
          { pcid: vehicle.pcid, emaid },
          { xsdMsgDefNamespace: OPNC_20, cpsV2GRootCertificateFingerprint: sha256Hex(root) },
        ),
      );
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
      const data = out.signedContractData as Json;
      assert.equal(data.xsdMsgDefNamespace, OPNC_20);
      const exi = new Uint8Array(Buffer.from(String(data.certificateInstallationRes), 'base64'));
      const parsed = parseContractData20({ exi });
      const verification = verifyContractData20(parsed, anchorsAt());
      assert.deepEqual(verification.problems, []);
      assert.equal(verification.cpsPath?.valid, true);
      assert.equal(
        new X509Certificate(parsed.cpsChain.certificate).verify(
          new X509Certificate(parsed.cpsChain.subCertificates[0] as Uint8Array).publicKey,
        ),
        true,
      );
      assertVehicleRecoversKey(parsed, vehicle.leaf, vehicle.pcid);
      // A flipped bit in the signed part fails and names the reference.
      const tampered = decodeExiDocument('iso-20-common', exi);
      const signed = (tampered.value as ModelObject).SignedInstallationData as ModelObject;
      (signed.DHPublicKey as Uint8Array)[7] ^= 0x04;
      const tamperedExi = encodeExiDocument('iso-20-common', tampered as never);
      const bad = verifyContractData20(parseContractData20({ exi: tamperedExi }));
      assert.deepEqual(bad.problems, ['reference #ID1: digest-mismatch']);
      // The same with the CLI: `pnc exi verify --schema iso-20-common`.
      const ok = pnc(['exi', 'verify', '--schema', 'iso-20-common'], Buffer.from(exi).toString('base64'));
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /reference #ID1 \(SignedInstallationData\): ok/);
      assert.match(ok.stdout, /^signature: valid/m);
      const flipped = pnc(
        ['exi', 'verify', '--schema', 'iso-20-common'],
        Buffer.from(tamperedExi).toString('base64'),
      );
      assert.equal(flipped.code, 1);
      assert.match(flipped.stdout, /reference #ID1 \(SignedInstallationData\): digest-mismatch/);
    });

    test(`generate-and-sign for a ${algorithm} vehicle (OPCP and OPNC): ${algorithm} contract key from the -20 MO Sub-CA 2, ${algorithm === 'P-521' ? 'SECP521' : 'X448'} transport, openssl agrees, stored`, async () => {
      const vehicle = vehicles.get(algorithm)!;
      const root = algorithm === 'P-521' ? demoRoot : edRoot;
      const moSub2 = algorithm === 'P-521' ? demoMoSub2 : ed.moSub2;
      for (const tree of ['opcp', 'opnc'] as const) {
        const { emaid } = ids();
        const now = eco().clock.now();
        const ends = new Date(now.getTime() + 400 * 86_400_000);
        const res = await put(tree === 'opcp' ? OPCP_GENERATE : OPNC_GENERATE, {
          contractBegins: '2021-05-11T00:00:00Z',
          contractEnds: ends.toISOString(),
          pcid: vehicle.pcid.toLowerCase(),
          emaid,
          xsdMsgDefNamespace: tree === 'opcp' ? OPCP_20 : OPNC_20,
          cpsV2GRootCertificateFingerprint: sha256Hex(root),
          metaData: 'gen20',
        });
        const out = await json(res);
        assert.equal(res.status, 201, JSON.stringify(out));
        const parsed =
          tree === 'opcp'
            ? parseContractData20({ xml: Buffer.from(String(out.signedData), 'base64') })
            : parseContractData20({
                exi: Buffer.from(
                  String((out.signedContractData as Json).certificateInstallationRes),
                  'base64',
                ),
              });
        assert.deepEqual(verifyContractData20(parsed, anchorsAt()).problems, []);
        assert.equal(parsed.sessionId.length, 8);
        const certificate = new X509Certificate(parsed.contract.contractChain.certificate);
        assert.match(certificate.subject, new RegExp(`CN=${emaid}`));
        // Issued by the MO Sub-CA 2 under the signer's root (D-143), with the vehicle's key type (D-142).
        assert.ok(certificate.verify(new X509Certificate(moSub2.certificate as Uint8Array).publicKey));
        assert.equal(certificate.publicKey.asymmetricKeyType === 'ed448' ? 'Ed448' : 'P-521', algorithm);
        assert.ok(parsed.contract.contractChain.subCertificates.length >= 1);
        // The lower-case PCID of the request is upper case in the AAD (spec-gaps.md item 34).
        assertVehicleRecoversKey(parsed, vehicle.leaf, vehicle.pcid);
        const rows = await storedRows(eco(), emaid);
        assert.deepEqual(
          rows.map((r) => [r.iso, r.source]),
          [[20, 'cps']],
        );
        const audit = await eco().app.db.query<{ action: string; details: string }>(
          "SELECT action, details FROM audit_log WHERE component = 'cps' AND subject = $1",
          [emaid.slice(0, 14)],
        );
        assert.deepEqual(
          audit.map((a) => [a.action, (JSON.parse(a.details) as Json).iso]),
          [['contract-data.generated', 20]],
        );
      }
    });
  }

  test('hostile -20 input: wrong sizes, wrong key types, missing sub-CA, -2 chains, other editions: clear 4xx, nothing changed', async () => {
    const { emaid } = ids();
    const p521 = vehicles.get('P-521')!;
    const ed448 = vehicles.get('Ed448')!;
    const contract = await issueLeaf20(eco().app.ca, demoMoSub2, 'contract-leaf', emaid, 'P-521');
    const edContract = await issueLeaf20(eco().app.ca, ed.moSub2, 'contract-leaf', emaid, 'Ed448');
    const fields = contractFields20(contract, p521.leaf, p521.pcid);
    const edFields = contractFields20(edContract, ed448.leaf, ed448.pcid);
    const revoked = await issueLeaf20(eco().app.ca, demoMoSub2, 'contract-leaf', emaid, 'P-521');
    await eco().app.ca.revoke({ id: revoked.certificateId, reason: 'keyCompromise', actor: 'test' });
    const revokedFields = contractFields20(revoked, p521.leaf, p521.pcid);
    const before = await counts(eco(), [demoMoSub2, ed.moSub2]);
    const body = (f: typeof fields, extra: Json = {}) =>
      opcpNestedBody(f, { xsdMsgDefNamespace: OPCP_20, pcid: p521.pcid, ...extra });
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

    // Sizes of the key fields (D-145).
    await expectError(
      await put(OPCP_SIGN, body({ ...fields, encryptedPrivateKey: b64(new Uint8Array(48)) })),
      400,
      /94/,
    );
    await expectError(
      await put(OPCP_SIGN, body({ ...fields, dhPublicKey: b64(new Uint8Array(133).fill(4)) })),
      400,
      /not a point on secp521r1/,
    );
    await expectError(
      await put(OPCP_SIGN, body({ ...fields, encryptedPrivateKey: edFields.encryptedPrivateKey })),
      400,
      /94/,
    );
    // A P-521 contract with X448 key transport, an Ed448 contract with SECP521 transport (D-142).
    await expectError(
      await put(
        OPCP_SIGN,
        body({
          ...fields,
          encryptedPrivateKey: edFields.encryptedPrivateKey,
          dhPublicKey: edFields.dhPublicKey,
        }),
      ),
      400,
      /X448 key transport carries a Ed448 contract key/,
    );
    await expectError(
      await put(
        OPCP_SIGN,
        body({
          ...edFields,
          encryptedPrivateKey: fields.encryptedPrivateKey,
          dhPublicKey: fields.dhPublicKey,
        }),
      ),
      400,
      /SECP521 key transport carries a P-521 contract key/,
    );
    // The -20 XSD needs the MO Sub-CA 2 in the chain.
    await expectError(
      await put(
        OPCP_SIGN,
        opcpFlatBody({ ...fields, subCa2: '', subCa1: '' }, { xsdMsgDefNamespace: OPCP_20 }),
      ),
      400,
      /MO Sub-CA 2/,
    );
    // A certificate over the -20 limit of 1600 DER bytes; garbage base64.
    const big = b64(new Uint8Array(1700).fill(0x30));
    assert.equal((await put(OPCP_SIGN, body({ ...fields, certificate: big }))).status, 400);
    assert.equal((await put(OPCP_SIGN, body({ ...fields, dhPublicKey: '%%%' }))).status, 400);
    // The -20 contract chain against the -2 edition, and an untrusted chain (our MO Sub-CA 2 of -2 is
    // no -20 anchor): the contract key is P-521, -2 wants P-256.
    await expectError(
      await put(OPCP_SIGN, body(fields, { xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' })),
      400,
    );
    // A revoked -20 contract certificate of our CA: the chain is refused (D-065).
    await expectError(await put(OPCP_SIGN, body(revokedFields)), 422, /not accepted/);
    // Another provider's EMAID: 403 before anything else.
    const other = await eco().token('MO', 'DE-XYZ');
    await expectError(await put(OPCP_SIGN, body(fields), other), 403);

    // Generate: a -20 vehicle asked for -2 contract data, an unknown root, an unknown vehicle.
    const generate = (extra: Json) =>
      put(OPCP_GENERATE, {
        contractBegins: '2027-03-01T00:00:00Z',
        contractEnds: '2028-01-01T00:00:00Z',
        pcid: p521.pcid,
        emaid,
        xsdMsgDefNamespace: OPCP_20,
        ...extra,
      });
    await expectError(
      await generate({ xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' }),
      422,
      /is of ISO 15118-20, the request of ISO 15118-2/,
    );
    await expectError(
      await generate({ cpsV2GRootCertificateFingerprint: 'cd'.repeat(32) }),
      400,
      /no CPS signer/,
    );
    await expectError(await generate({ pcid: 'WP0UNKNOWNVEHICLE2' }), 400, /not available/);
    await expectError(await generate({ xsdMsgDefNamespace: 'urn:iso:15118:20:2099:MsgDef' }), 400);

    assert.deepEqual(await counts(eco(), [demoMoSub2, ed.moSub2]), before);
    assert.deepEqual(await storedRows(eco(), emaid), []);
  });
});
