// The CPS over HTTP, both trees, on node:sqlite and PostgreSQL (forEachEcosystem): the real server
// with the demo PKI, real tokens, the real RCP / PCP / CCP. Signing for an MO with its own PKI
// (contract certificates from the demo MO Sub-CA 2), generate-and-sign for a vehicle published in the
// PCP (the decrypted contract key is the certificate's, also checked with openssl), the signer
// choice, hostile input refused with nothing stored.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createECDH, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { decryptContractKeyIso2 } from '../contract-key/iso2-key-transport.ts';
import { hubjectQaRoot } from '../pcp/testing/chains.ts';
import { buildCertificate, generateTestKey } from '../pki/lint/testing/cert-builder.ts';
import { hasShared, readSharedJson, SHARED_SKIP } from '../testing/shared-data.ts';
import { forEachEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import { parseContractData, verifyContractData } from './contract-data.ts';
import { sha256Hex } from './signers.ts';
import {
  contractFields,
  demoCa,
  type IssuedLeaf,
  issueContract,
  issueVehicle,
  opcpFlatBody,
  opcpNestedBody,
  opncSignBody,
  testEmaid,
  wrongCheckDigit,
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

let seed = 0;
/** A fresh EMAID of our MO and a fresh PCID per call. */
const ids = () => {
  seed += 1;
  return { emaid: testEmaid(PROVIDER, 1000 + seed), pcid: `WP0${String(5000 + seed).padStart(14, '0')}` };
};

/** Contract rows, CPS audit rows and certificates of the demo MO Sub-CA 2: none may change on a refusal. */
async function counts(eco: TestEcosystem): Promise<Json> {
  const one = async (sql: string, params: (string | number)[] = []) =>
    Number((await eco.app.db.query<{ n: number | bigint }>(sql, params))[0]?.n ?? -1);
  const moSub2 = await demoCa(eco.app.ca, 'mo-sub2');
  return {
    contracts: await one('SELECT COUNT(*) AS n FROM ccp_contracts'),
    audit: await one('SELECT COUNT(*) AS n FROM audit_log'),
    contractCertificates: await one('SELECT COUNT(*) AS n FROM ca_certificates WHERE issuer_ca_id = $1', [
      moSub2.id,
    ]),
    caAudit: await one('SELECT COUNT(*) AS n FROM ca_audit_log'),
  };
}

async function storedContracts(
  eco: TestEcosystem,
  emaid: string,
): Promise<{ pcid: string | null; source: string }[]> {
  return eco.app.db.query<{ pcid: string | null; source: string }>(
    'SELECT pcid, source FROM ccp_contracts WHERE emaid = $1',
    [emaid.slice(0, 14)],
  );
}

/** The key the vehicle recovers from signed contract data is the contract certificate's key. */
function assertVehicleRecoversKey(
  signed: ReturnType<typeof parseContractData>,
  vehicle: IssuedLeaf,
): Uint8Array {
  const scalar = decryptContractKeyIso2({
    encryptedPrivateKey: signed.contract.encryptedPrivateKey,
    dhPublicKey: signed.contract.dhPublicKey,
    recipientPrivateKey: vehicle.key.privateKey,
  });
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalar));
  const jwk = new X509Certificate(signed.contract.contractChain.certificate).publicKey.export({
    format: 'jwk',
  });
  const point = ecdh.getPublicKey();
  assert.equal(point.subarray(1, 33).toString('base64url'), jwk.x);
  assert.equal(point.subarray(33).toString('base64url'), jwk.y);
  return scalar;
}

forEachEcosystem(
  'cps over HTTP',
  (eco) => {
    let mo: string;
    let otherMo: string;
    let oem: string;
    let v2gRoot: Uint8Array;
    let vehicle: IssuedLeaf;
    let vehiclePcid: string;

    before(async () => {
      mo = await eco().token('MO', MO_SCOPE);
      otherMo = await eco().token('MO', 'DE-XYZ');
      oem = await eco().token('OEM', 'WP0');
      const root = (await eco().app.ca.listCas()).find((c) => c.role === 'v2g-root' && c.iso === '2');
      v2gRoot = root?.certificate as Uint8Array;
      // A vehicle published in the PCP (OEM PUT), its private key kept by the test.
      vehiclePcid = ids().pcid;
      vehicle = await issueVehicle(eco().app.ca, vehiclePcid);
      const put = await eco().fetch('/v1/oem/provCerts', {
        method: 'PUT',
        token: oem,
        body: {
          vehicleCertificate: Buffer.from(vehicle.der).toString('base64'),
          subCA2Certificate: Buffer.from(vehicle.chain[1] as Uint8Array).toString('base64'),
          subCA1Certificate: Buffer.from(vehicle.chain[2] as Uint8Array).toString('base64'),
          xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
        },
      });
      assert.equal(put.status, 200, await put.text());
    });

    test('GET /cps/signer, /v1/cps/signer and OPNC /cpsCertificates list the demo CPS leaf with its chain and root fingerprint', async () => {
      const res = await eco().fetch('/cps/signer', { token: oem });
      assert.equal(res.status, 200);
      const signers = (await json(res)).cpsCertificates as Json[];
      const mine = signers.find((s) => s.xsdMsgDefNamespace === 'urn:iso:15118:2:2013:MsgDef');
      assert.ok(mine, JSON.stringify(signers));
      assert.equal(mine.cpsV2GRootCertificateFingerprint, sha256Hex(v2gRoot));
      assert.match(String(mine.cpsDistinguishedName), /CN=CPS Leaf ISO15118-2/);
      assert.match(String(mine.cpsRootDistinguishedName), /^CN=V2G Root CA ISO15118-2, /);
      assert.equal(mine.organizationName, 'PnC Test');
      assert.equal(typeof mine.cpsRootCertificateId, 'string', 'the RCP id of the demo root');
      // The chain verifies: leaf ← Sub-CA 2 ← Sub-CA 1 ← the demo V2G root.
      const leaf = new X509Certificate(Buffer.from(String(mine.cpsCertificate), 'base64'));
      const sub2 = new X509Certificate(Buffer.from(String(mine.cpsSubCa2Certificate), 'base64'));
      const sub1 = new X509Certificate(Buffer.from(String(mine.cpsSubCa1Certificate), 'base64'));
      assert.ok(leaf.verify(sub2.publicKey) && sub2.verify(sub1.publicKey));
      assert.ok(sub1.verify(new X509Certificate(v2gRoot).publicKey));
      assert.equal(mine.cpsCa2Certificate, mine.cpsSubCa2Certificate);
      assert.equal(new Date(String(mine.validTo)).getTime(), new Date(leaf.validTo).getTime());

      const alias = await eco().fetch('/v1/cps/signer', { token: mo });
      assert.deepEqual(await json(alias), { cpsCertificates: signers });

      const opnc = await eco().fetch('/opnc/v1/cps/cpsCertificates', { token: mo });
      assert.equal(opnc.status, 200);
      const collection = (await json(opnc)).cpsCertificateDataCollection as Json[];
      const same = collection.find((s) => s.xsdMsgDefNamespace === 'urn:iso:15118:2:2013:MsgDef')!;
      assert.deepEqual(same.cpsCertificateChain, {
        certificate: mine.cpsCertificate,
        subCa2Certificate: mine.cpsSubCa2Certificate,
        subCa1Certificate: mine.cpsSubCa1Certificate,
      });
      assert.equal(same.cpsV2GRootDistinguishedName, mine.cpsRootDistinguishedName);

      await expectError(await eco().fetch('/cps/signer'), 401);
    });

    test('OPCP contractData/signed (MO with own PKI, with pcid): 201, Hubject-shaped XML that verifies, stored in the CCP', async () => {
      const { emaid } = ids();
      const contract = await issueContract(eco().app.ca, emaid);
      const body = opcpNestedBody(contractFields(contract, vehicle.der), {
        pcid: vehiclePcid,
        emaid,
        metaData: 'm-1',
      });
      const res = await eco().fetch(OPCP_SIGN, { method: 'PUT', token: mo, body });
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.pcid, vehiclePcid);
      assert.equal(out.emaid, emaid);
      assert.equal(out.metaData, 'm-1');
      assert.equal(out.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
      assert.equal(out.cpsV2GRootCertificateFingerprint, sha256Hex(v2gRoot));
      const xml = Buffer.from(String(out.signedData), 'base64').toString('utf8');
      assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?><ns6:V2G_Message /);
      assert.doesNotMatch(xml, /SessionID/);
      const signed = parseContractData({ xml });
      const report = verifyContractData(signed, {
        anchors: [v2gRoot],
        anchorRoles: ['v2g-root'],
        at: eco().clock.now(),
      });
      assert.deepEqual(report.problems, []);
      assert.equal(signed.contract.emaid, emaid);
      assert.deepEqual(signed.contract.contractChain.certificate, contract.der);
      assertVehicleRecoversKey(signed, vehicle);
      assert.deepEqual(await storedContracts(eco(), emaid), [{ pcid: vehiclePcid, source: 'cps' }]);
      const audit = await eco().app.db.query<{ action: string; actor: string }>(
        "SELECT action, actor FROM audit_log WHERE component = 'cps' AND subject = $1",
        [emaid.slice(0, 14)],
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        ['contract-data.signed'],
      );
      assert.match(audit[0]!.actor, /^client:/);
    });

    test('flat ContractData without pcid: signed, returned, not stored; the EMAID comes from the CN', async () => {
      const { emaid } = ids();
      const contract = await issueContract(eco().app.ca, emaid);
      const res = await eco().fetch(OPCP_SIGN, {
        method: 'PUT',
        token: mo,
        body: opcpFlatBody(contractFields(contract, vehicle.der)),
      });
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.pcid, null);
      assert.equal(out.emaid, emaid);
      assert.equal(
        verifyContractData(parseContractData({ xml: Buffer.from(String(out.signedData), 'base64') })).valid,
        true,
      );
      assert.deepEqual(await storedContracts(eco(), emaid), []);
    });

    test('deprecated OPCP calls: signedContractData 200 (never stored), forward 201 {} (stored)', async () => {
      const a = ids();
      const contract = await issueContract(eco().app.ca, a.emaid);
      const fields = contractFields(contract, vehicle.der);
      const created = await eco().fetch('/v1/cps/signedContractData', {
        method: 'PUT',
        token: mo,
        body: opcpNestedBody(fields, { pcid: vehiclePcid, emaid: a.emaid }),
      });
      const out = await json(created);
      assert.equal(created.status, 200, JSON.stringify(out));
      assert.equal(typeof out.signedData, 'string');
      assert.deepEqual(await storedContracts(eco(), a.emaid), []);

      const forwarded = await eco().fetch('/v1/cps/forward/signedContractData', {
        method: 'PUT',
        token: mo,
        body: opcpNestedBody(fields, { pcid: vehiclePcid, emaid: a.emaid }),
      });
      assert.equal(forwarded.status, 201);
      assert.deepEqual(await json(forwarded), {});
      assert.deepEqual(await storedContracts(eco(), a.emaid), [{ pcid: vehiclePcid, source: 'cps' }]);
      // forward needs a PCID (it stores).
      await expectError(
        await eco().fetch('/v1/cps/forward/signedContractData', {
          method: 'PUT',
          token: mo,
          body: opcpNestedBody(fields),
        }),
        400,
        /pcid/,
      );
    });

    test('OPNC contractData/sign: 201 with base64 EXI (SessionID placeholder) that verifies; stored for the pcid of the bundle', async () => {
      const { emaid } = ids();
      const contract = await issueContract(eco().app.ca, emaid);
      const res = await eco().fetch(OPNC_SIGN, {
        method: 'PUT',
        token: mo,
        body: opncSignBody(contractFields(contract, vehicle.der), { emaid, pcid: vehiclePcid }),
      });
      const out = (await json(res)).signedContractData as Json;
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.pcid, vehiclePcid);
      assert.equal(out.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
      const signed = parseContractData({
        exi: new Uint8Array(Buffer.from(String(out.certificateInstallationRes), 'base64')),
      });
      assert.deepEqual(signed.sessionId, Uint8Array.of(0));
      assert.equal(verifyContractData(signed, { anchors: [v2gRoot], at: eco().clock.now() }).valid, true);
      assertVehicleRecoversKey(signed, vehicle);
      assert.equal((await storedContracts(eco(), emaid)).length, 1);
    });

    test('signer choice by V2G root fingerprint: colon form accepted, unknown → 400, UUID → 400', async () => {
      const { emaid } = ids();
      const contract = await issueContract(eco().app.ca, emaid);
      const fields = contractFields(contract, vehicle.der);
      const colon = sha256Hex(v2gRoot).toUpperCase().match(/../g)!.join(':');
      const ok = await eco().fetch(OPCP_SIGN, {
        method: 'PUT',
        token: mo,
        body: opcpNestedBody(fields, { cpsV2GRootCertificateFingerprint: colon }),
      });
      assert.equal(ok.status, 201);
      assert.equal((await json(ok)).cpsV2GRootCertificateFingerprint, sha256Hex(v2gRoot));
      const before = await counts(eco());
      await expectError(
        await eco().fetch(OPCP_SIGN, {
          method: 'PUT',
          token: mo,
          body: opcpNestedBody(fields, {
            cpsV2GRootCertificateFingerprint: '0'.repeat(64),
            pcid: vehiclePcid,
          }),
        }),
        400,
        /no CPS signer/,
      );
      await expectError(
        await eco().fetch(OPNC_SIGN, {
          method: 'PUT',
          token: mo,
          body: opncSignBody(
            fields,
            { emaid },
            { cpsV2GRootCertificateFingerprint: '896b6655-180e-4304-b642-606bb00df8f0' },
          ),
        }),
        400,
        /SHA-256/,
      );
      assert.deepEqual(await counts(eco()), before);
    });

    test('generate-and-sign (OPCP) for a vehicle in the PCP: contract from MO Sub-CA 2 (CN = EMAID), key encrypted for the vehicle (openssl agrees), stored', async () => {
      const { emaid } = ids();
      const now = eco().clock.now();
      const ends = new Date(now.getTime() + 200 * 86_400_000);
      const res = await eco().fetch(OPCP_GENERATE, {
        method: 'PUT',
        token: mo,
        body: {
          contractBegins: '2021-05-11T00:00:00Z',
          contractEnds: ends.toISOString(),
          pcid: vehiclePcid,
          emaid: emaid.toLowerCase(),
          xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
          metaData: 'gen',
        },
      });
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.emaid, emaid);
      const signed = parseContractData({ xml: Buffer.from(String(out.signedData), 'base64') });
      assert.deepEqual(verifyContractData(signed, { anchors: [v2gRoot], at: now }).problems, []);
      const certificate = new X509Certificate(signed.contract.contractChain.certificate);
      assert.match(certificate.subject, new RegExp(`CN=${emaid}`));
      assert.match(certificate.subject, /DC=MO/);
      const moSub2 = await demoCa(eco().app.ca, 'mo-sub2');
      assert.ok(certificate.verify(new X509Certificate(moSub2.certificate as Uint8Array).publicKey));
      // Not back-dated: valid from the request time (contractBegins was in the past), to contractEnds.
      assert.equal(new Date(certificate.validFrom).getTime(), Math.floor(now.getTime() / 1000) * 1000);
      assert.equal(new Date(certificate.validTo).getTime(), Math.floor(ends.getTime() / 1000) * 1000);
      const scalar = assertVehicleRecoversKey(signed, vehicle);

      // openssl: the public key of the decrypted private key is the certificate's.
      const dir = mkdtempSync(join(tmpdir(), 'pnc-cps-'));
      try {
        const ecdh = createECDH('prime256v1');
        ecdh.setPrivateKey(Buffer.from(scalar));
        const point = ecdh.getPublicKey();
        const privateKey = createPrivateKey({
          key: {
            kty: 'EC',
            crv: 'P-256',
            d: Buffer.from(scalar).toString('base64url'),
            x: point.subarray(1, 33).toString('base64url'),
            y: point.subarray(33).toString('base64url'),
          },
          format: 'jwk',
        });
        writeFileSync(join(dir, 'key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
        writeFileSync(join(dir, 'cert.der'), signed.contract.contractChain.certificate);
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
      assert.deepEqual(await storedContracts(eco(), emaid), [{ pcid: vehiclePcid, source: 'cps' }]);
      const audit = await eco().app.db.query<{ action: string; details: string }>(
        "SELECT action, details FROM audit_log WHERE component = 'cps' AND subject = $1",
        [emaid.slice(0, 14)],
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        ['contract-data.generated'],
      );
      // The contract private key is nowhere in the audit record.
      assert.ok(!audit[0]!.details.includes(Buffer.from(scalar).toString('hex')));
      assert.ok(!audit[0]!.details.includes(Buffer.from(scalar).toString('base64')));
    });

    test('generate-and-sign (OPNC): 201 with EXI; the same contract again replaces it in the CCP', async () => {
      const { emaid } = ids();
      const body = {
        contractBegins: eco().clock.now().toISOString(),
        contractEnds: new Date(eco().clock.now().getTime() + 90 * 86_400_000).toISOString(),
        pcid: vehiclePcid,
        emaid,
        xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
      };
      for (let round = 0; round < 2; round++) {
        const res = await eco().fetch(OPNC_GENERATE, { method: 'PUT', token: mo, body });
        const out = (await json(res)).signedContractData as Json;
        assert.equal(res.status, 201, JSON.stringify(out));
        const signed = parseContractData({
          exi: new Uint8Array(Buffer.from(String(out.certificateInstallationRes), 'base64')),
        });
        assert.equal(verifyContractData(signed).valid, true);
        assertVehicleRecoversKey(signed, vehicle);
      }
      assert.equal((await storedContracts(eco(), emaid)).length, 1);
    });

    test('hostile input is refused with a clear 4xx and nothing is stored', async () => {
      const { emaid } = ids();
      const contract = await issueContract(eco().app.ca, emaid);
      const fields = contractFields(contract, vehicle.der);
      const put = (path: string, body: unknown, token = mo, headers?: Record<string, string>) =>
        eco().fetch(path, { method: 'PUT', token, body, ...(headers === undefined ? {} : { headers }) });
      const before = await counts(eco());

      // EMAID with a wrong check digit (sign and generate).
      await expectError(
        await put(OPCP_SIGN, opcpNestedBody(fields, { emaid: wrongCheckDigit(emaid) })),
        400,
        /check digit/,
      );
      await expectError(
        await put(OPCP_GENERATE, {
          contractBegins: '2027-03-01T00:00:00Z',
          contractEnds: '2028-01-01T00:00:00Z',
          pcid: vehiclePcid,
          emaid: wrongCheckDigit(emaid),
        }),
        400,
        /check digit/,
      );
      // The contract certificate's CN is another EMAID.
      await expectError(await put(OPCP_SIGN, opcpNestedBody(fields, { emaid: ids().emaid })), 400, /CN/);
      // MO of another provider; a CPO.
      await expectError(
        await put(OPCP_SIGN, opcpNestedBody(fields, { emaid }), otherMo),
        403,
        /tenant scope/,
      );
      await expectError(await put(OPCP_SIGN, opcpNestedBody(fields), otherMo), 403, /tenant scope/);
      await expectError(await put(OPNC_SIGN, opncSignBody(fields, {}), otherMo), 403);
      await expectError(
        await put(
          OPNC_GENERATE,
          { contractBegins: 'x', contractEnds: 'y', pcid: vehiclePcid, emaid },
          otherMo,
        ),
        403,
      );
      await expectError(
        await put(OPCP_SIGN, opcpNestedBody(fields), await eco().token('CPO', 'DE*ABC')),
        403,
      );
      // Sizes, base64, points.
      const b64 = (n: number, first = 4) =>
        Buffer.concat([Buffer.of(first), randomBytes(n - 1)]).toString('base64');
      for (const [field, value, message] of [
        ['contractSignatureEncryptedPrivateKey', b64(47), /48/],
        ['contractSignatureEncryptedPrivateKey', b64(49), /48/],
        ['dHpublickey', b64(64), /65/],
        ['dHpublickey', b64(65, 2), /point/],
        ['dHpublickey', `BA${'A'.repeat(85)}=`, /point/],
        ['dHpublickey', 'not base64 at all!', /base64/],
        ['contractSignatureEncryptedPrivateKey', '%%%%', /base64/],
      ] as const) {
        const body = opcpNestedBody(fields);
        (body.contractData as Json)[field] = value;
        await expectError(await put(OPCP_SIGN, body), 400, message);
      }
      // The DH key is the contract key itself.
      const contractPoint = new X509Certificate(contract.der).publicKey.export({ format: 'jwk' });
      const same = Buffer.concat([
        Buffer.of(4),
        Buffer.from(contractPoint.x!, 'base64url'),
        Buffer.from(contractPoint.y!, 'base64url'),
      ]).toString('base64');
      await expectError(
        await put(OPCP_SIGN, opcpNestedBody({ ...fields, dhPublicKey: same })),
        400,
        /ephemeral/,
      );
      // Certificates: not base64, too large for -2, three sub-CAs.
      await expectError(await put(OPCP_SIGN, opcpNestedBody({ ...fields, certificate: '***' })), 400);
      await expectError(
        await put(
          OPCP_SIGN,
          opcpNestedBody({ ...fields, certificate: Buffer.alloc(900, 1).toString('base64') }),
        ),
        400,
        /800/,
      );
      const three = opcpNestedBody(fields);
      (
        (three.contractData as Json).contractSignatureCertChain as Json
      ).contractSignatureCertChainSubCertificates = [fields.subCa2, fields.subCa1, fields.subCa1];
      await expectError(await put(OPCP_SIGN, three), 400, /at most 2/);
      // Invalid JSON, wrong types, oversized body, other media type.
      await expectError(
        await put(OPCP_SIGN, '{"contractData":', mo, { 'content-type': 'application/json' }),
        400,
      );
      await expectError(await put(OPCP_SIGN, { contractData: 'text' }), 400);
      await expectError(
        await put(OPCP_SIGN, { ...opcpNestedBody(fields), metaData: 'x'.repeat(40_000) }),
        413,
      );
      assert.equal((await put(OPCP_GENERATE, '<x/>', mo, { 'content-type': 'application/xml' })).status, 415);
      // Edition, PCID, dates.
      // -20 is signed now (D-140); -2 key fields in a -20 request are refused by their size (D-145).
      await expectError(
        await put(OPCP_SIGN, opcpNestedBody(fields, { xsdMsgDefNamespace: 'urn:iso:15118:20:2022:MsgDef' })),
        400,
        /dHpublickey is 65 bytes; ISO 15118-20/,
      );
      await expectError(await put(OPCP_SIGN, opcpNestedBody(fields, { pcid: 'short' })), 400, /pcid/);
      const generate = (extra: Json) =>
        put(OPCP_GENERATE, {
          contractBegins: '2027-03-01T00:00:00Z',
          contractEnds: '2028-01-01T00:00:00Z',
          pcid: vehiclePcid,
          emaid,
          ...extra,
        });
      await expectError(await generate({ pcid: 'WP0UNKNOWNVEHICLE' }), 400, /not available/);
      await expectError(await generate({ contractEnds: '2022-12-10T11:42:59Z' }), 400, /in the past/);
      await expectError(await generate({ contractBegins: 'yesterday' }), 400, /contractBegins/);
      await expectError(
        await generate({ moRootCertificateFingerprint: 'ab'.repeat(32) }),
        400,
        /MO Sub-CA 2/,
      );
      await expectError(
        await generate({ cpsV2GRootCertificateFingerprint: 'ab'.repeat(32) }),
        400,
        /no CPS signer/,
      );
      // A -2 vehicle cannot get -20 contract data.
      await expectError(
        await generate({ xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef' }),
        422,
        /is of ISO 15118-2, the request of ISO 15118-20/,
      );
      await expectError(await generate({ xsdMsgDefNamespace: 'urn:nonsense' }), 400);

      assert.deepEqual(await counts(eco()), before);
    });

    test('contract chains that are not trusted, expired or revoked are refused (422), nothing stored', async () => {
      // A foreign MO PKI that the RCP does not hold.
      const { emaid } = ids();
      const rootKey = await generateTestKey('P-256');
      const leafKey = await generateTestKey('P-256');
      const now = eco().clock.now();
      const foreignRoot = await buildCertificate({
        subject: [['CN', 'Foreign MO Root']],
        issuer: [['CN', 'Foreign MO Root']],
        serialHex: '01',
        notBefore: new Date(now.getTime() - 86_400_000),
        notAfter: new Date(now.getTime() + 365 * 86_400_000),
        subjectKey: rootKey,
        signerKey: rootKey,
        extensions: [],
      });
      const foreignLeaf = await buildCertificate({
        subject: [['CN', emaid]],
        issuer: [['CN', 'Foreign MO Root']],
        serialHex: '02',
        notBefore: new Date(now.getTime() - 86_400_000),
        notAfter: new Date(now.getTime() + 100 * 86_400_000),
        subjectKey: leafKey,
        signerKey: rootKey,
        extensions: [],
      });
      const good = contractFields(await issueContract(eco().app.ca, emaid), vehicle.der);
      const before = await counts(eco());
      const put = (body: Json) => eco().fetch(OPCP_SIGN, { method: 'PUT', token: mo, body });
      const foreign = opcpNestedBody(
        {
          ...good,
          certificate: Buffer.from(foreignLeaf).toString('base64'),
          // The foreign root comes along as "sub-CA": it is not in the RCP, so nothing anchors the chain.
          subCa2: Buffer.from(foreignRoot).toString('base64'),
        },
        { pcid: vehiclePcid },
      );
      await expectError(await put(foreign), 422, /not accepted/);

      // Expired: a contract valid for 2 days, signed 3 days later.
      const short = ids();
      const expiring = await issueContract(eco().app.ca, short.emaid, {
        notAfter: new Date(now.getTime() + 2 * 86_400_000),
      });
      const expiringFields = contractFields(expiring, vehicle.der);
      // Revoked by our CA.
      const revokedIds = ids();
      const revoked = await issueContract(eco().app.ca, revokedIds.emaid);
      await eco().app.ca.revoke({ id: revoked.certificateId, reason: 'keyCompromise' });
      const afterSetup = await counts(eco());
      await expectError(
        await put(opcpNestedBody(contractFields(revoked, vehicle.der), { pcid: vehiclePcid })),
        422,
        /revoked/,
      );
      eco().clock.set(new Date(now.getTime() + 3 * 86_400_000));
      try {
        // A token of the later time (the earlier ones expired with the clock move).
        const later = await eco().token('MO', MO_SCOPE);
        const res = await eco().fetch(OPCP_SIGN, {
          method: 'PUT',
          token: later,
          body: opcpNestedBody(expiringFields, { pcid: vehiclePcid }),
        });
        await expectError(res, 422, /expired|not valid after/);
      } finally {
        eco().clock.set(now);
      }
      assert.deepEqual(await counts(eco()), afterSetup);
      assert.equal(afterSetup.contracts, before.contracts);
    });

    test('the real Hubject request example (OPCP cps.v1.json) is refused: its EMAID EMP99CQATEST001 has no valid check digit (D-061)', {
      skip: hasShared('specs') ? false : SHARED_SKIP,
    }, async () => {
      const spec = readSharedJson('specs', 'opcp-1.0.0', 'reference', 'cps.v1.json') as {
        components: { schemas: Record<string, { 'x-examples': Record<string, Json> }> };
      };
      const example = spec.components.schemas.SignedContractDataRequest!['x-examples']['example-1']!;
      const hubjectMo = await eco().token('MO', 'EMP99');
      await expectError(
        await eco().fetch(OPCP_SIGN, { method: 'PUT', token: hubjectMo, body: example }),
        400,
        /check digit '1' does not match the computed 'Z'/,
      );
    });

    test('the real Hubject contract bundle (OPNC example, QA PKI 2024) is signed at a fixed clock inside its validity', {
      skip: hasShared('specs') ? false : SHARED_SKIP,
    }, async () => {
      const example = (
        readSharedJson(
          'specs',
          'opnc-1.0',
          'specification',
          'components',
          'schemas',
          'contractCertificateBundle.v1.json',
        ) as {
          'x-examples': { 'example-1': Json };
        }
      )['x-examples']['example-1'];
      const back = eco().clock.now();
      // The contract is valid 2024-07-04 … 2026-07-01; the demo PKI only from 2027: a CPS hierarchy of
      // that time is made for this test, and Hubject's QA V2G root (OPNC rootCertificate example,
      // with its EKU OCSPSigning: lenient) is put in the RCP.
      eco().clock.set(new Date('2025-06-01T12:00:00Z'));
      try {
        const ca = eco().app.ca;
        const subject = (commonName: string) => ({ commonName, organization: 'PnC Test', country: 'DE' });
        const root = await ca.createRoot({ kind: 'v2g', iso: 2, subject: subject('V2G Root CA 2025 test') });
        const sub1 = await ca.createSubCa({
          parentId: root.id,
          level: 1,
          domain: 'cps',
          subject: subject('Prov Sub-CA 1 2025 test'),
        });
        const sub2 = await ca.createSubCa({
          parentId: sub1.id,
          level: 2,
          domain: 'cps',
          subject: subject('Prov Sub-CA 2 2025 test'),
        });
        await ca.issueWithGeneratedKey({
          caId: sub2.id,
          role: 'cps-leaf',
          subject: subject('CPS Leaf 2025 test'),
        });
        await eco().app.rcp.add({ der: root.certificate as Uint8Array, rootType: 'V2G', actor: 'test' });
        await eco().app.rcp.add({ der: hubjectQaRoot(), rootType: 'V2G', actor: 'test', lenient: true });
        const iceMo = await eco().token('MO', 'DE-ICE');
        const res = await eco().fetch(OPNC_SIGN, {
          method: 'PUT',
          token: iceMo,
          body: {
            contractCertificateBundle: { ...example, emaid: 'DEICECOPNCCERT', pcid: vehiclePcid },
            xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
          },
        });
        const out = (await json(res)).signedContractData as Json;
        assert.equal(res.status, 201, JSON.stringify(out));
        assert.equal(out.cpsV2GRootCertificateFingerprint, sha256Hex(root.certificate as Uint8Array));
        const signed = parseContractData({
          exi: new Uint8Array(Buffer.from(String(out.certificateInstallationRes), 'base64')),
        });
        assert.equal(
          verifyContractData(signed, { anchors: [root.certificate as Uint8Array], at: eco().clock.now() })
            .valid,
          true,
        );
        assert.equal(signed.contract.emaid, 'DEICECOPNCCERT');
        const chain = example.contractCertificateChain as Json;
        assert.equal(
          Buffer.from(signed.contract.contractChain.certificate).toString('base64'),
          chain.certificate,
        );
        assert.equal(
          Buffer.from(signed.contract.encryptedPrivateKey).toString('base64'),
          chain.contractSignatureEncryptedPrivateKey,
        );
        assert.deepEqual(await storedContracts(eco(), 'DEICECOPNCCERT'), [
          { pcid: vehiclePcid, source: 'cps' },
        ]);
      } finally {
        eco().clock.set(back);
      }
    });

    test('a failure after the contract certificate was issued (the CPS key is gone): 503, the certificate is revoked, nothing stored', async () => {
      // A second CPS leaf, one minute younger (so it is the default signer), whose key file is removed.
      const back = eco().clock.now();
      eco().clock.set(new Date(back.getTime() + 60_000));
      const cpsSub2 = await demoCa(eco().app.ca, 'cps-sub2');
      const broken = await eco().app.ca.issueWithGeneratedKey({
        caId: cpsSub2.id,
        role: 'cps-leaf',
        subject: { commonName: 'CPS Leaf without key', organization: 'PnC Test' },
      });
      rmSync(join(eco().app.config.dataDir, 'keys', `${broken.keyId}.key.pem`));
      try {
        const { emaid } = ids();
        const token = await eco().token('MO', MO_SCOPE);
        const before = await counts(eco());
        const res = await eco().fetch(OPCP_GENERATE, {
          method: 'PUT',
          token,
          body: {
            contractBegins: eco().clock.now().toISOString(),
            contractEnds: new Date(eco().clock.now().getTime() + 30 * 86_400_000).toISOString(),
            pcid: vehiclePcid,
            emaid,
          },
        });
        await expectError(res, 503, /service unavailable/);
        // The contract certificate was issued (the CA records it) and then revoked; nothing else.
        const moSub2 = await demoCa(eco().app.ca, 'mo-sub2');
        const issued = (await eco().app.ca.listCertificates({ issuerCaId: moSub2.id })).filter((c) =>
          c.subject.startsWith(`CN=${emaid},`),
        );
        assert.deepEqual(
          issued.map((c) => [c.status, c.revocationReason]),
          [['revoked', 5]],
        );
        const after = await counts(eco());
        assert.deepEqual(
          { contracts: after.contracts, audit: after.audit },
          { contracts: before.contracts, audit: before.audit },
        );
        assert.deepEqual(await storedContracts(eco(), emaid), []);
      } finally {
        await eco().app.ca.revoke({ id: broken.id, reason: 'cessationOfOperation' });
        eco().clock.set(back);
      }
    });
  },
  { iso: [2] },
);
