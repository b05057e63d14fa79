// EST (RFC 7030) over HTTP on both storage backends: every path of the interop.md §1.6 matrix
// (src/pki/est estPathMatrix) for cacerts and simpleenroll with the role its label needs, the
// response format (200, headers, base64 in lines of ≤ 76 characters, leaf first, root last), body
// variants real clients send, authentication, roles, tenants, CSR checks per role and hostile
// input — and that refused requests store nothing.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/pki-http/est-routes.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms } from '../ca/testing/fixtures.ts';
import { type EstCa, estPathMatrix } from '../pki/est/index.ts';
import { bytesEqual } from '../pki/ocsp/asn1.ts';
import { parseCertificate } from '../pki/ocsp/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { errorMessage, withPkiHarness } from './testing/harness.ts';
import { base64Lines, type CsrKey, certificatesOfPkcs7, csrKey, makeCsr } from './testing/messages.ts';

const CN: Readonly<Record<Exclude<EstCa, 'veh'>, string>> = {
  cpo: 'DE*ABC*E1',
  mo: 'DEABCC123456788',
  oem: 'WP0ABCDEFGHIJKLMN',
  cps: 'CPS Test',
};
const ROLE_OF: Readonly<Record<EstCa, { role: string; scope?: string }>> = {
  cpo: { role: 'CPO', scope: 'DE*ABC' },
  mo: { role: 'MO', scope: 'DE-ABC' },
  oem: { role: 'OEM', scope: 'WP0' },
  cps: { role: 'CPS', scope: 'DE-ABC' },
  veh: { role: 'OEM', scope: 'WP0' },
};

/** Checks the EST response format and returns the DER certificates in their order. */
function estCertificates(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}): Uint8Array[] {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/pkcs7-mime; smime-type=certs-only');
  assert.equal(res.headers['content-transfer-encoding'], 'base64');
  const lines = res.body.split('\n');
  assert.equal(lines.pop(), '', 'ends with a line break');
  for (const line of lines) assert.ok(line.length > 0 && line.length <= 76 && /^[A-Za-z0-9+/=]+$/.test(line));
  return certificatesOfPkcs7(new Uint8Array(Buffer.from(lines.join(''), 'base64')));
}

/** Leaf (or lowest CA) first, each issued by the next, self-signed root last. */
function assertChainOrder(certs: readonly Uint8Array[]): void {
  const infos = certs.map((c) => parseCertificate(c));
  for (let i = 0; i + 1 < infos.length; i++) {
    assert.ok(
      bytesEqual(
        (infos[i] as { issuerDer: Uint8Array }).issuerDer,
        (infos[i + 1] as { subjectDer: Uint8Array }).subjectDer,
      ),
    );
  }
  const root = infos[infos.length - 1];
  assert.ok(root && bytesEqual(root.issuerDer, root.subjectDer), 'the last certificate is the root');
}

forEachBackend('EST over HTTP', (getDb) => {
  test('every path of the compatibility matrix: cacerts and simpleenroll', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const tokens = new Map<string, string>();
      const tokenFor = async (ca: EstCa) => {
        const { role, scope } = ROLE_OF[ca];
        let token = tokens.get(role);
        if (token === undefined) {
          token = (await h.token(role, scope)).token;
          tokens.set(role, token);
        }
        return token;
      };
      const keys = new Map<string, CsrKey>();
      const keyFor = (iso: 2 | 20) => {
        const kind = iso === 2 ? 'P-256' : 'P-521';
        let key = keys.get(kind);
        if (key === undefined) {
          key = csrKey(kind);
          keys.set(kind, key);
        }
        return key;
      };
      let enrolled = 0;
      for (const row of estPathMatrix) {
        const { operation, iso, algorithm } = row.expected;
        const ca = row.expected.ca ?? 'cpo'; // the default CA: the CPO chain / a CPO token
        const servable = ca !== 'veh' && algorithm !== 'ed448';
        if (operation === 'cacerts') {
          const res = await h.inject({
            method: 'GET',
            url: row.path,
            headers: { accept: 'application/pkcs7-mime, application/pkcs7' },
          });
          if (!servable) {
            assert.equal(res.statusCode, 404, row.path);
            assert.match(errorMessage(res), /^no usable (Vehicle Sub-CA 2|.* with ed448 keys) /);
            continue;
          }
          const certs = estCertificates(res);
          assertChainOrder(certs);
          const expected = iso === 2 ? h.ca2(`${ca}-sub2`) : h.ca20(`${ca}-sub2`);
          assert.deepEqual(
            certs[0],
            expected.certificate,
            `${row.path}: chain of ${ca}-sub2 ISO 15118-${iso}`,
          );
          continue;
        }
        const csr = makeCsr({ key: keyFor(iso), commonName: CN[ca === 'veh' ? 'oem' : ca] });
        const res = await h.inject({
          method: 'POST',
          url: row.path,
          headers: {
            authorization: `Bearer ${await tokenFor(ca)}`,
            'content-type': 'application/pkcs10',
            accept: 'application/pkcs10',
          },
          payload: base64Lines(csr),
        });
        if (!servable) {
          assert.equal(res.statusCode, 404, `${row.path}: ${res.body}`);
          continue;
        }
        const certs = estCertificates(res);
        assert.equal(certs.length, 4, 'leaf, Sub-CA 2, Sub-CA 1, root');
        assertChainOrder(certs);
        const expected = iso === 2 ? h.ca2(`${ca}-sub2`) : h.ca20(`${ca}-sub2`);
        assert.deepEqual(
          certs[1],
          expected.certificate,
          `${row.path}: issued by ${ca}-sub2 ISO 15118-${iso}`,
        );
        enrolled++;
      }
      assert.ok(enrolled > 150, `${enrolled} enrolments`);
    });
  });

  test('issued leaves conform to their profiles (lint, strict path validation)', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const cases: { ca: Exclude<EstCa, 'veh'>; iso: 2 | 20; path: string; profile: string }[] = [
        { ca: 'cpo', iso: 2, path: '/.well-known/est/cpo/simpleenroll', profile: 'iso15118-2/secc-leaf' },
        { ca: 'cpo', iso: 20, path: '/cpo/simpleenroll/ISO15118-20', profile: 'iso15118-20/secc-leaf' },
        { ca: 'mo', iso: 2, path: '/.well-known/mo/simpleenroll', profile: 'iso15118-2/contract-leaf' },
        { ca: 'oem', iso: 2, path: '/oem/simpleenroll/ISO15118-2', profile: 'iso15118-2/oem-prov-leaf' },
        {
          ca: 'cps',
          iso: 20,
          path: '/opnc/v1/pki/est/simpleenroll?caDomain=cps&iso15118Version=ISO15118-20',
          profile: 'iso15118-20/cps-leaf',
        },
      ];
      for (const c of cases) {
        const { token } = await h.token(ROLE_OF[c.ca].role, ROLE_OF[c.ca].scope);
        const res = await h.inject({
          method: 'POST',
          url: c.path,
          headers: {
            'x-api-key': token,
            authorization: `Bearer ${token}`,
            'content-type': 'application/pkcs10',
          },
          payload: Buffer.from(
            makeCsr({ key: csrKey(c.iso === 2 ? 'P-256' : 'P-521'), commonName: CN[c.ca] }),
          ).toString('base64'),
        });
        const certs = estCertificates(res);
        assertConforms(certs, c.profile, h.clock.now(), ['v2g.subject.attribute-missing']);
      }
    });
  });

  test('body variants: one line, 64-char lines with CRLF, PEM, no Content-Type, extra headers', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const { token } = await h.token('CPO', 'DE*ABC');
      const der = makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E7', organization: 'Test CPO' });
      const b64 = Buffer.from(der).toString('base64');
      const bodies: { body: string; headers: Record<string, string> }[] = [
        { body: b64, headers: { 'content-type': 'application/pkcs10' } },
        {
          body: base64Lines(der).replace(/\n/g, '\r\n'),
          headers: { 'content-type': 'application/pkcs10; charset=ascii' },
        },
        {
          body: `-----BEGIN CERTIFICATE REQUEST-----\n${base64Lines(der)}-----END CERTIFICATE REQUEST-----\n`,
          headers: {
            'content-type': 'application/x-pkcs10',
            'content-transfer-encoding': 'application/pkcs10',
          },
        },
        { body: b64, headers: {} },
      ];
      for (const { body, headers } of bodies) {
        const res = await h.inject({
          method: 'POST',
          url: '/.well-known/cpo/simpleenroll',
          headers: { authorization: `Bearer ${token}`, ...headers },
          payload: body,
        });
        assertChainOrder(estCertificates(res));
      }
    });
  });

  test('authentication, roles and tenants: 401 / 403, nothing stored', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const cpo = await h.token('CPO', 'DE*ABC');
      const mo = await h.token('MO', 'DE-ABC');
      const admin = await h.token('ADMIN');
      const body = base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E1' }));
      const before = await h.counts();
      const cases: {
        headers: Record<string, string>;
        url?: string;
        status: number;
        message: RegExp;
        csr?: string;
      }[] = [
        { headers: {}, status: 401, message: /needs an access token/ },
        { headers: { authorization: 'Bearer not.a.token' }, status: 401, message: /invalid access token/ },
        { headers: { authorization: `Bearer ${cpo.token}x` }, status: 401, message: /invalid access token/ },
        {
          headers: { authorization: `Bearer ${mo.token}` },
          status: 403,
          message: /role MO may not enrol on the cpo CA/,
        },
        {
          headers: { authorization: `Bearer ${admin.token}` },
          status: 403,
          message: /role ADMIN may not use this endpoint/,
        },
        {
          headers: { authorization: `Bearer ${cpo.token}` },
          csr: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'FR*XYZ*E1' })),
          status: 403,
          message: /operator FR\*XYZ .* outside the tenant scope/,
        },
        {
          headers: { authorization: `Bearer ${mo.token}` },
          url: '/.well-known/mo/simpleenroll',
          csr: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'FRXYZC12345678R' })),
          status: 403,
          message: /outside the tenant scope/,
        },
      ];
      for (const c of cases) {
        const res = await h.inject({
          method: 'POST',
          url: c.url ?? '/.well-known/est/cpo/simpleenroll',
          headers: { 'content-type': 'application/pkcs10', ...c.headers },
          payload: c.csr ?? body,
        });
        assert.equal(res.statusCode, c.status, res.body);
        assert.match(errorMessage(res), c.message);
      }
      assert.deepEqual(await h.counts(), before);
      // cacerts needs no token (RFC 7030 §4.1.1).
      assert.equal((await h.inject({ method: 'GET', url: '/.well-known/cpo/cacerts' })).statusCode, 200);
    });
  });

  test('CSR checks per role and hostile bodies: 4xx, nothing issued, nothing stored', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const { token } = await h.token('CPO', 'DE*ABC');
      const before = await h.counts();
      const cases: { body: string | Buffer; type?: string; url?: string; status: number; message: RegExp }[] =
        [
          { body: 'garbage!!', status: 400, message: /not base64/ },
          { body: 'Z2FyYmFnZQ==', status: 400, message: /not a DER CSR/ },
          { body: Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0x00]), status: 400, message: /binary/ },
          { body: `MII${'A'.repeat(40)}`, status: 400, message: /CSR|base64/ },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E1' })),
            type: 'application/json',
            status: 400,
            message: /application\/pkcs10/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-384'), commonName: 'DE*ABC*E1' })),
            status: 422,
            message: /P-384 key not allowed for ISO 15118-2 CPO/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-521'), commonName: 'DE*ABC*E1' })),
            status: 422,
            message: /P-521 key not allowed/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E1' })),
            url: '/cpo/simpleenroll/ISO15118-20',
            status: 422,
            message: /P-256 key not allowed for ISO 15118-20/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('Ed448'), commonName: 'DE*ABC*E1' })),
            status: 422,
            message: /Ed448 key not allowed/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'cs001' })),
            status: 422,
            message: /CN "cs001" is not valid for CPO/,
          },
          {
            body: base64Lines(makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E1', tamper: true })),
            status: 400,
            message: /signature/,
          },
          { body: Buffer.alloc(70 * 1024, 0x41), status: 413, message: /too large/ },
        ];
      for (const c of cases) {
        const res = await h.inject({
          method: 'POST',
          url: c.url ?? '/.well-known/est/cpo/simpleenroll',
          headers: { authorization: `Bearer ${token}`, 'content-type': c.type ?? 'application/pkcs10' },
          payload: c.body,
        });
        assert.equal(res.statusCode, c.status, `${res.body}`);
        assert.match(errorMessage(res), c.message);
      }
      assert.deepEqual(await h.counts(), before);
      // Unknown paths and the wrong method: the platform's 404 (before any authentication).
      for (const [method, url] of [
        ['POST', '/cpo/simpleenrol'],
        ['GET', '/cpo/simpleenroll'],
        ['POST', '/cpo/cacerts'],
        ['POST', '/xyz/simpleenroll'],
        ['POST', '/.well-known/est/cpo/serverkeygen'],
      ] as const) {
        const res = await h.inject({ method, url });
        assert.equal(res.statusCode, 404, `${method} ${url}`);
        assert.match(errorMessage(res), /^no route for /);
      }
    });
  });

  test('lenient CN mode accepts cs001 (MaEVe), still refuses a foreign EVSE operator', async () => {
    await withPkiHarness(getDb(), { config: { estLenientCommonName: true } }, async (h) => {
      const { token } = await h.token('CPO', 'DE*ABC');
      const enrol = (cn: string) =>
        h.inject({
          method: 'POST',
          url: '/cpo/simpleenroll/ISO15118-2',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pkcs10' },
          payload: base64Lines(
            makeCsr({ key: csrKey('P-256'), commonName: cn, organization: 'Thoughtworks' }),
          ),
        });
      assertChainOrder(estCertificates(await enrol('cs001')));
      assert.equal((await enrol('FR*XYZ*E1')).statusCode, 403);
    });
  });
});
