// OPNC revokeCertificate over HTTP on both storage backends: the three paths, the certificate
// encodings, who may revoke what (subscriber role and tenant, ADMIN), only our own leaves byte for
// byte, the audit actor, the OCSP cache dropped at once and the CRL on the next fetch.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/pki-http/revocation-routes.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certIdFor, parseCertificate } from '../pki/ocsp/index.ts';
import { createTestPki } from '../pki/ocsp/testing/test-pki.ts';
import { toPem } from '../pki/path/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { REVOKE_PATHS } from './revocation-routes.ts';
import { errorMessage, type PkiHarness, withPkiHarness } from './testing/harness.ts';
import { csrKey, encodeOcspRequest, makeCsr, readOcspResponse } from './testing/messages.ts';

async function issue(h: PkiHarness, ca: 'cpo' | 'mo' | 'oem', cn: string) {
  const role = ({ cpo: 'CPO', mo: 'MO', oem: 'OEM' } as const)[ca];
  return h.ca.issueFromCsr({
    caId: h.ca2(`${ca}-sub2`).id,
    csrDer: makeCsr({ key: csrKey('P-256'), commonName: cn }),
    role,
  });
}

function b64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

async function revoke(
  h: PkiHarness,
  token: string | undefined,
  body: unknown,
  url = REVOKE_PATHS[0] as string,
) {
  return h.inject({
    method: 'POST',
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    payload: body as object,
  });
}

async function ocspStatus(h: PkiHarness, certificate: Uint8Array): Promise<string | undefined> {
  const sub2 = h.ca2('cpo-sub2');
  const info = parseCertificate(sub2.certificate as Uint8Array);
  const id = certIdFor(
    { subjectDer: info.subjectDer, spkiDer: info.spki.der },
    parseCertificate(certificate).serialNumber,
    'sha256',
  );
  const res = await h.inject({
    method: 'POST',
    url: '/ocsp',
    payload: Buffer.from(encodeOcspRequest([id])),
    headers: { 'content-type': 'application/ocsp-request' },
  });
  return readOcspResponse(new Uint8Array(res.rawPayload)).responses[0]?.certStatus.status;
}

forEachBackend('OPNC revokeCertificate', (getDb) => {
  test('a CPO revokes its own SECC certificates on every path and encoding; OCSP and CRL follow', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const cpo = await h.token('CPO', 'DE*ABC');
      const encodings = [
        (der: Uint8Array) => b64(der), // the spec's example: base64 DER
        (der: Uint8Array) => toPem(der), // PEM
        (der: Uint8Array) => Buffer.from(toPem(der)).toString('base64'), // "base64 encoded PEM form"
      ];
      let n = 0;
      for (const url of REVOKE_PATHS) {
        for (const encode of encodings) {
          const leaf = await issue(h, 'cpo', `DE*ABC*E${++n}`);
          assert.equal(await ocspStatus(h, leaf.certificate), 'good');
          const cachedBefore = h.pki.ocsp.cachedResponses;
          const res = await revoke(
            h,
            cpo.token,
            { certificate: encode(leaf.certificate), revocationReason: 'keyCompromise' },
            url,
          );
          assert.equal(res.statusCode, 200, res.body);
          assert.deepEqual(Object.keys(res.json()).sort(), [
            'revocationReason',
            'revocationTime',
            'serialNumber',
          ]);
          assert.equal(res.json().serialNumber, leaf.serial.toUpperCase());
          assert.equal(res.json().revocationReason, 'keyCompromise');
          assert.equal(h.pki.ocsp.cachedResponses, cachedBefore - 1, 'the pre-signed response was dropped');
          assert.equal(await ocspStatus(h, leaf.certificate), 'revoked');
          const audit = await h.ca.auditLog({ subject: leaf.id });
          assert.equal(
            audit.find((e) => e.action === 'certificate.revoked')?.actor,
            `client:${cpo.clientId}`,
          );
        }
      }
      const crl = await h.inject({ method: 'GET', url: `/crl/${h.ca2('cpo-sub2').id}` });
      assert.equal(crl.statusCode, 200);
      // Revoking again: 409.
      const again = await issue(h, 'cpo', 'DE*ABC*E99');
      const body = { certificate: b64(again.certificate), revocationReason: 'superseded' };
      assert.equal((await revoke(h, cpo.token, body)).statusCode, 200);
      const second = await revoke(h, cpo.token, body);
      assert.equal(second.statusCode, 409);
      assert.match(errorMessage(second), /revoked already/);
    });
  });

  test('who may revoke what: roles, tenants, ADMIN, leaves only, our certificates only', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const cpo = await h.token('CPO', 'DE*ABC');
      const otherCpo = await h.token('CPO', 'FR*XYZ');
      const mo = await h.token('MO', 'DE-ABC');
      const oem = await h.token('OEM', 'WP0');
      const cps = await h.token('CPS', 'DE-ABC');
      const admin = await h.token('ADMIN');
      const secc = await issue(h, 'cpo', 'DE*ABC*E1');
      const contract = await issue(h, 'mo', 'DEABCC123456788');
      const prov = await issue(h, 'oem', 'WP0ABCDEFGHIJKLMN');
      const body = (der: Uint8Array) => ({ certificate: b64(der), revocationReason: 'privilegeWithdrawn' });
      const before = await h.counts();

      const refused: [string | undefined, Uint8Array, number, RegExp][] = [
        [undefined, secc.certificate, 401, /needs an access token/],
        ['not.a.token', secc.certificate, 401, /invalid access token/],
        [cps.token, secc.certificate, 403, /role CPS may not use this endpoint/],
        [mo.token, secc.certificate, 403, /role MO may not revoke this secc-leaf/],
        [otherCpo.token, secc.certificate, 403, /outside the tenant scope/],
        [cpo.token, contract.certificate, 403, /role CPO may not revoke this contract-leaf/],
        [admin.token, h.ca2('cpo-sub2').certificate as Uint8Array, 422, /leaf certificates only/],
      ];
      for (const [token, der, status, message] of refused) {
        const res = await revoke(h, token, body(der));
        assert.equal(res.statusCode, status, res.body);
        assert.match(errorMessage(res), message);
      }
      // Not ours: a certificate of another PKI, and one of ours with a byte changed.
      const foreign = (await createTestPki('P-256')).leaves[0]?.certificate as Uint8Array;
      const tampered = secc.certificate.slice();
      tampered[tampered.length - 1] ^= 1;
      for (const der of [foreign, tampered]) {
        const res = await revoke(h, admin.token, body(der));
        assert.equal(res.statusCode, 404, res.body);
        assert.match(errorMessage(res), /not issued by a CA of this server/);
      }
      // Malformed requests: 400.
      for (const bad of [
        { certificate: 'not base64!', revocationReason: 'superseded' },
        { certificate: b64(Uint8Array.of(1, 2, 3)), revocationReason: 'superseded' },
        { certificate: b64(secc.certificate), revocationReason: 'certificateHold' },
        { certificate: b64(secc.certificate) },
        'garbage',
      ]) {
        const res = await h.inject({
          method: 'POST',
          url: REVOKE_PATHS[1] as string,
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
          payload: typeof bad === 'string' ? bad : JSON.stringify(bad),
        });
        assert.equal(res.statusCode, 400, res.body);
      }
      assert.deepEqual(await h.counts(), before, 'refused requests change nothing');

      assert.equal((await revoke(h, mo.token, body(contract.certificate))).statusCode, 200);
      assert.equal((await revoke(h, oem.token, body(prov.certificate))).statusCode, 200);
      assert.equal((await revoke(h, admin.token, body(secc.certificate))).statusCode, 200);
    });
  });
});
