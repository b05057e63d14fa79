// Both PCP route trees over real HTTP (forEachEcosystem: the real server on SQLite and PostgreSQL,
// tokens from POST /oauth/token): OPCP and OPNC shapes, the body forms real clients send, the access
// rights of OPCP docs/04_authentication.md, the control steps as HTTP statuses, and hostile input
// answered with a clear 4xx and nothing changed.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { listAudit } from '../audit/audit-log.ts';
import { createAuth } from '../auth/index.ts';
import { createLogger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer } from '../http/server.ts';
import { hasShared, readSharedJson } from '../testing/shared-data.ts';
import { ECOSYSTEM_START, forEachEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import { sha256Hex } from './checks.ts';
import { SqlPcpRepository } from './repository.ts';
import { RevocationChecker } from './revocation/checker.ts';
import { pcpRoutes } from './routes.ts';
import { ProvisioningCertificatePool } from './service.ts';
import {
  hubjectQaRoot,
  type IssuedChain,
  issueProvisioning,
  opcpBody,
  opncBody,
  specExamples,
  syntheticBody,
  syntheticChain,
  testPcid,
  UnreachableRemote,
} from './testing/chains.ts';

const DAY = 86_400_000;

async function snapshot(eco: TestEcosystem): Promise<string> {
  const rows = await new SqlPcpRepository(eco.app.db).list({ limit: 100_000 });
  const audit = await listAudit(eco.app.db, { limit: 10_000 });
  return JSON.stringify({
    rows: rows.map((r) => [r.pcid, r.vehicleFingerprintSha256]),
    audit: audit.map((a) => a.id),
  });
}

async function errorOf(res: Response, status: number): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  const body = JSON.parse(text) as { errorMessages: string[]; traceId: string };
  assert.deepEqual(Object.keys(body).sort(), ['errorMessages', 'traceId']);
  assert.equal(body.errorMessages.length, 1);
  return body.errorMessages[0] as string;
}

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

forEachEcosystem(
  'pcp over HTTP',
  (eco) => {
    const tokens: Record<string, string> = {};
    before(async () => {
      tokens.oem = await eco().token('OEM', 'WP0,WF0');
      tokens.otherOem = await eco().token('OEM', 'ABC');
      tokens.mo = await eco().token('MO', 'DE-ABC');
      tokens.cps = await eco().token('CPS', 'DEABC');
      tokens.cpo = await eco().token('CPO', 'DE*ABC');
      tokens.admin = await eco().token('ADMIN');
    });

    test('OPCP tree: add, get (OEMMessage), lookupVehicle, delete; status 200 throughout', async () => {
      const pcid = testPcid('WP0', 1);
      const chain = await issueProvisioning(eco().app.ca, 2, pcid);
      const put = await eco().fetch('/v1/oem/provCerts', {
        method: 'PUT',
        token: tokens.oem,
        body: opcpBody(chain),
      });
      assert.equal(put.status, 200);
      const data = (await put.json()) as Record<string, unknown>;
      const root = eco().app.ca;
      const rootCa = await root.findCaByName('V2G Root CA ISO15118-2');
      assert.deepEqual(Object.keys(data).sort(), [
        'fingerprint',
        'rootAuthorityKeyIdentifier',
        'rootIssuerDistinguishedName',
        'rootIssuerSerialNumber',
        'subCA1Certificate',
        'subCA2Certificate',
        'vehicleCertificate',
        'xsdMsgDefNamespace',
      ]);
      assert.equal(data.vehicleCertificate, b64(chain.vehicle));
      assert.equal(data.subCA2Certificate, b64(chain.subCa2));
      assert.equal(data.subCA1Certificate, b64(chain.subCa1));
      assert.equal(data.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
      assert.equal(data.rootIssuerDistinguishedName, 'CN=V2G Root CA ISO15118-2, DC=V2G, O=PnC Test, C=DE');
      assert.equal(data.rootIssuerSerialNumber, rootCa?.serial);
      assert.match(String(data.rootAuthorityKeyIdentifier), /^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
      assert.equal(data.fingerprint, sha256Hex(chain.vehicle));

      for (const token of [tokens.oem, tokens.mo, tokens.cps]) {
        const get = await eco().fetch(`/v1/oem/provCerts/${pcid}`, { token });
        assert.equal(get.status, 200);
        assert.deepEqual(await get.json(), { OEMMessage: data });
        const lookup = await eco().fetch(`/v1/oem/provCerts/lookupVehicle/${pcid}`, { token });
        assert.equal(lookup.status, 200);
        assert.equal(await lookup.text(), '');
      }
      // ocppcompote sends ?signatureAlgorithm; the broadcast header is accepted (this pool forwards nothing).
      const withExtras = await eco().fetch(`/v1/oem/provCerts/${pcid}?signatureAlgorithm=ECDSA`, {
        token: tokens.mo,
        headers: { broadcast: 'true' },
      });
      assert.equal(withExtras.status, 200);

      const del = await eco().fetch(`/v1/oem/provCerts/${pcid}`, { method: 'DELETE', token: tokens.oem });
      assert.equal(del.status, 200);
      assert.equal(await del.text(), '');
      assert.equal(
        await errorOf(await eco().fetch(`/v1/oem/provCerts/${pcid}`, { token: tokens.mo }), 404),
        'The OEM provisioning certificate with given PCID is not found.',
      );
      await errorOf(await eco().fetch(`/v1/oem/provCerts/lookupVehicle/${pcid}`, { token: tokens.mo }), 404);
      await errorOf(
        await eco().fetch(`/v1/oem/provCerts/${pcid}`, { method: 'DELETE', token: tokens.oem }),
        404,
      );
    });

    test('OPNC tree: add, get (provisioningCertificate), lookupvehicle, delete; with the routing headers', async () => {
      const pcid = testPcid('WF0', 2);
      const chain = await issueProvisioning(eco().app.ca, 20, pcid);
      const headers = {
        'OPNC-from-party-type': 'oem',
        'OPNC-from-party-id': 'WF0',
        'OPNC-to-party-type': 'pcp',
        'OPNC-to-party-id': 'pcp',
      };
      const put = await eco().fetch('/opnc/v1/pcp/provisioningcertificates', {
        method: 'PUT',
        token: tokens.oem,
        headers,
        body: opncBody(chain, {
          xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef',
          previousPcid: 'WF0PREVIOUS000002',
        }),
      });
      assert.equal(put.status, 200);
      const data = (await put.json()) as Record<string, unknown>;
      assert.deepEqual(data.provisioningCertificateChain, {
        certificate: b64(chain.vehicle),
        subCa1Certificate: b64(chain.subCa1),
        subCa2Certificate: b64(chain.subCa2),
      });
      assert.equal(data.xsdMsgDefNamespace, 'urn:iso:15118:20:2020:MsgDef');
      assert.equal(data.previousPcid, 'WF0PREVIOUS000002');
      assert.equal(data.fingerprint, sha256Hex(chain.vehicle));
      assert.equal(data.rootIssuerDistinguishedName, undefined);
      const get = await eco().fetch(`/opnc/v1/pcp/provisioningcertificates/${pcid}`, {
        token: tokens.mo,
        headers,
      });
      assert.equal(get.status, 200);
      assert.deepEqual(await get.json(), { provisioningCertificate: data });
      // The same vehicle through the OPCP tree, in OPCP's shape and -20 namespace form.
      const opcp = (await (await eco().fetch(`/v1/oem/provCerts/${pcid}`, { token: tokens.mo })).json()) as {
        OEMMessage: Record<string, unknown>;
      };
      assert.equal(opcp.OEMMessage.xsdMsgDefNamespace, 'urn:iso:15118:20:2022:MsgDef');
      assert.equal(opcp.OEMMessage.vehicleCertificate, b64(chain.vehicle));
      const lookup = await eco().fetch(`/opnc/v1/pcp/lookupvehicle/${pcid.toLowerCase()}`, {
        token: tokens.cps,
      });
      assert.equal(lookup.status, 200);
      const del = await eco().fetch(`/opnc/v1/pcp/provisioningcertificates/${pcid}`, {
        method: 'DELETE',
        token: tokens.oem,
        headers,
      });
      assert.equal(del.status, 200);
      await errorOf(await eco().fetch(`/opnc/v1/pcp/lookupvehicle/${pcid}`, { token: tokens.cps }), 404);
    });

    test('both trees take every body form (spec-gaps.md item 29): flat fields on OPNC, nested on OPCP, MaEVe’s extras', async () => {
      const flat = await issueProvisioning(eco().app.ca, 2, testPcid('WP0', 3));
      const maeve = opcpBody(flat, {
        xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
        rootIssuerDistinguishedName: 'CN=V2G Root CA QA G1, DC=V2G, O=Hubject GmbH, C=DE',
        rootIssuerSerialNumber: '69ab00d259bbdf42ce80529ad30ce5ed',
        v2gRootAuthorityKeyIdentifier: '45:b8:40:9e:e1:38:f8:bf',
        rootAuthorityKeyIdentifier: '4b:45:ff:82:25:fc:10:96',
        unknownField: { nested: true },
      });
      const onOpnc = await eco().fetch('/opnc/v1/pcp/provisioningcertificates', {
        method: 'PUT',
        token: tokens.oem,
        body: maeve,
      });
      assert.equal(onOpnc.status, 200, await onOpnc.clone().text());
      assert.deepEqual(((await onOpnc.json()) as Record<string, unknown>).v2gRootAuthorityKeyIdentifiers, [
        '45:b8:40:9e:e1:38:f8:bf',
      ]);
      const nested = await issueProvisioning(eco().app.ca, 2, testPcid('WP0', 4));
      const onOpcp = await eco().fetch('/v1/oem/provCerts', {
        method: 'PUT',
        token: tokens.oem,
        body: opncBody(nested),
      });
      assert.equal(onOpcp.status, 200);
      assert.equal(
        ((await onOpcp.json()) as Record<string, unknown>).vehicleCertificate,
        b64(nested.vehicle),
      );
    });

    test('access rights: roles and WMIs (OPCP docs/04_authentication.md); refused requests change nothing', async () => {
      const pcid = testPcid('WP0', 5);
      const chain = await issueProvisioning(eco().app.ca, 2, pcid);
      assert.equal(
        (await eco().fetch('/v1/oem/provCerts', { method: 'PUT', token: tokens.oem, body: opcpBody(chain) }))
          .status,
        200,
      );
      const before = await snapshot(eco());
      // Anonymous.
      await errorOf(await eco().fetch(`/v1/oem/provCerts/${pcid}`), 401);
      await errorOf(await eco().fetch('/v1/oem/provCerts', { method: 'PUT', body: opcpBody(chain) }), 401);
      // Roles without access: CPO reads nothing; MO, CPS and ADMIN write nothing.
      for (const path of [`/v1/oem/provCerts/${pcid}`, `/opnc/v1/pcp/lookupvehicle/${pcid}`]) {
        assert.match(
          await errorOf(await eco().fetch(path, { token: tokens.cpo }), 403),
          /role CPO may not use this endpoint/,
        );
        await errorOf(await eco().fetch(path, { token: tokens.admin }), 403);
      }
      for (const token of [tokens.mo, tokens.cps, tokens.admin]) {
        await errorOf(
          await eco().fetch('/v1/oem/provCerts', { method: 'PUT', token, body: opcpBody(chain) }),
          403,
        );
        await errorOf(await eco().fetch(`/v1/oem/provCerts/${pcid}`, { method: 'DELETE', token }), 403);
        await errorOf(
          await eco().fetch(`/opnc/v1/pcp/provisioningcertificates/${pcid}`, { method: 'DELETE', token }),
          403,
        );
      }
      // An OEM of another WMI: control step 1 on add; reads and deletes refused whether the PCID exists or not.
      assert.match(
        await errorOf(
          await eco().fetch('/v1/oem/provCerts', {
            method: 'PUT',
            token: tokens.otherOem,
            body: opcpBody(chain),
          }),
          403,
        ),
        /WMI WP0 of PCID/,
      );
      for (const p of [pcid, testPcid('WP0', 99)]) {
        await errorOf(await eco().fetch(`/v1/oem/provCerts/${p}`, { token: tokens.otherOem }), 403);
        await errorOf(
          await eco().fetch(`/v1/oem/provCerts/lookupVehicle/${p}`, { token: tokens.otherOem }),
          403,
        );
        await errorOf(
          await eco().fetch(`/v1/oem/provCerts/${p}`, { method: 'DELETE', token: tokens.otherOem }),
          403,
        );
      }
      assert.equal(await snapshot(eco()), before);
      assert.equal(
        (await eco().fetch(`/v1/oem/provCerts/lookupVehicle/${pcid}`, { token: tokens.mo })).status,
        200,
      );
    });

    test('the control steps as statuses: 422 expired, revoked, untrusted (403 WMI: above)', async () => {
      const before = await snapshot(eco());
      const put = (body: unknown, token = tokens.oem) =>
        eco().fetch('/v1/oem/provCerts', { method: 'PUT', token, body });
      const short = await issueProvisioning(eco().app.ca, 2, testPcid('WP0', 6), { days: 30 });
      eco().clock.set(new Date(ECOSYSTEM_START.getTime() + 40 * DAY));
      try {
        // A token of the moved clock (the suite's tokens have expired by then).
        const late = await eco().token('OEM', 'WP0');
        assert.match(await errorOf(await put(opcpBody(short), late), 422), /expired/);
      } finally {
        eco().clock.set(ECOSYSTEM_START);
      }
      const revoked: IssuedChain = await issueProvisioning(eco().app.ca, 2, testPcid('WP0', 7));
      await eco().app.ca.revoke({ id: revoked.certificateId, reason: 'keyCompromise', actor: 'test' });
      assert.match(await errorOf(await put(opcpBody(revoked)), 422), /is revoked/);
      const foreign = await syntheticChain({ pcid: 'WP0SYNTHETIC00008' });
      assert.match(await errorOf(await put(syntheticBody(foreign)), 422), /trusted OEM or V2G root/);
      assert.equal(await snapshot(eco()), before);
    });

    test('hostile input: a clear 4xx and nothing changed', async () => {
      const chain = await issueProvisioning(eco().app.ca, 2, testPcid('WP0', 9));
      const before = await snapshot(eco());
      const put = (body: unknown, headers?: Record<string, string>) =>
        eco().fetch('/opnc/v1/pcp/provisioningcertificates', {
          method: 'PUT',
          token: tokens.oem,
          body,
          ...(headers === undefined ? {} : { headers }),
        });
      const json = { 'content-type': 'application/json' };
      await errorOf(await put('{"vehicleCertificate": ', json), 400);
      await errorOf(await put('', json), 400);
      await errorOf(await put('[1,2]', json), 400);
      await errorOf(await put('"text"', json), 400);
      await errorOf(await put({ ...opcpBody(chain), vehicleCertificate: { a: 1 } }), 400);
      await errorOf(await put({ ...opcpBody(chain), v2gRootAuthorityKeyIdentifiers: [{}] }), 400);
      await errorOf(await put({ ...opcpBody(chain), provisioningCertificateChain: 'x' }), 400);
      assert.match(
        await errorOf(await put({ ...opcpBody(chain), vehicleCertificate: '%%%notbase64%%%' }), 400),
        /vehicleCertificate/,
      );
      assert.match(await errorOf(await put({ subCA1Certificate: b64(chain.subCa1) }), 400), /missing/);
      await errorOf(await put({ ...opcpBody(chain), xsdMsgDefNamespace: 'urn:iso:15118:9' }), 400);
      await errorOf(await put({ ...opcpBody(chain), previousPcid: 'short' }), 400);
      await errorOf(await put({ ...opcpBody(chain), padding: 'x'.repeat(70 * 1024) }), 413);
      await errorOf(await put(JSON.stringify(opcpBody(chain)), { 'content-type': 'text/plain' }), 400);
      await errorOf(await put('<x/>', { 'content-type': 'application/xml' }), 415);
      const notPcid = await syntheticChain({ leafCommonName: 'not a pcid' });
      assert.match(await errorOf(await put(syntheticBody(notPcid)), 400), /no PCID/);
      for (const bad of ['WP0', 'WP0ABCDEFGHIJKLMNOPQ', 'WP0-ABCDEFGHIJKLM', 'WP0ABCDEFGHIJKLM%2F']) {
        assert.match(
          await errorOf(await eco().fetch(`/v1/oem/provCerts/${bad}`, { token: tokens.mo }), 400),
          /pcid must match pattern/,
        );
        await errorOf(await eco().fetch(`/opnc/v1/pcp/lookupvehicle/${bad}`, { token: tokens.mo }), 400);
        await errorOf(
          await eco().fetch(`/v1/oem/provCerts/${bad}`, { method: 'DELETE', token: tokens.oem }),
          400,
        );
      }
      assert.equal(await snapshot(eco()), before);
    });

    test('Hubject’s provisioning examples over HTTP: accepted at a time inside their validity, answered as Hubject documents', {
      skip: hasShared('specs') ? false : 'SKIPPED: needs ../shared',
    }, async () => {
      // Hubject's QA responder is out of reach of the tests: a pool with a stand-in for it and the
      // "accept" policy, served by a second real HTTP server with the same route module and the
      // ecosystem's tokens (same signing keys in the same database).
      if ((await eco().app.rcp.findActiveByFingerprint(sha256Hex(hubjectQaRoot()))) === undefined) {
        await eco().app.rcp.add({ der: hubjectQaRoot(), rootType: 'V2G', actor: 'test', lenient: true });
      }
      const pool = new ProvisioningCertificatePool({
        repository: new SqlPcpRepository(eco().app.db),
        trustAnchors: eco().app.rcp,
        revocation: new RevocationChecker({
          ca: eco().app.ca,
          http: new UnreachableRemote(),
          clock: eco().clock,
        }),
        vehicleContracts: eco().app.ccp,
        clock: eco().clock,
        unknownRevocation: 'accept',
      });
      const auth = await createAuth({
        db: eco().app.db,
        clock: eco().clock,
        random: cryptoRandom,
        issuer: () => eco().url,
        tokenTtlSeconds: 3600,
      });
      const server = await buildHttpServer({
        config: eco().app.config,
        logger: createLogger({ level: 'silent', destination: { write: () => undefined } }),
        metrics: createMetrics(),
        routes: [pcpRoutes({ pcp: pool, auth })],
        random: cryptoRandom,
      });
      const base = await server.listen({ host: '127.0.0.1', port: 0 });
      const [opcp, opnc] = specExamples();
      assert.ok(opcp !== undefined && opnc !== undefined);
      try {
        eco().clock.set(opcp.at);
        const oemHub = await eco().token('OEM', 'HUB,DEH');
        const put = await fetch(`${base}/v1/oem/provCerts`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${oemHub}`, 'content-type': 'application/json' },
          body: JSON.stringify(opcp.body),
        });
        assert.equal(put.status, 200, await put.clone().text());
        const data = (await put.json()) as Record<string, unknown>;
        // pcp.v1.json's own 200 example for this very request.
        const documented = (
          readSharedJson('specs', 'opcp-1.0.0', 'reference', 'pcp.v1.json') as {
            paths: Record<
              string,
              {
                put: {
                  responses: {
                    200: {
                      content: Record<string, { examples: { example: { value: Record<string, unknown> } } }>;
                    };
                  };
                };
              }
            >;
          }
        ).paths['/v1/oem/provCerts']?.put.responses[200].content['application/json']?.examples.example.value;
        assert.ok(documented !== undefined);
        for (const field of [
          'subCA1Certificate',
          'subCA2Certificate',
          'vehicleCertificate',
          'xsdMsgDefNamespace',
          'rootIssuerDistinguishedName',
          'rootIssuerSerialNumber',
          'rootAuthorityKeyIdentifier',
        ]) {
          assert.equal(data[field], documented[field], field);
        }
        const get = await fetch(`${base}/v1/oem/provCerts/${opcp.pcid}`, {
          headers: { authorization: `Bearer ${oemHub}` },
        });
        assert.deepEqual(await get.json(), { OEMMessage: data });

        eco().clock.set(opnc.at);
        const oemDeh = await eco().token('OEM', 'DEH');
        const putOpnc = await fetch(`${base}/opnc/v1/pcp/provisioningcertificates`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${oemDeh}`, 'content-type': 'application/json' },
          body: JSON.stringify(opnc.body),
        });
        assert.equal(putOpnc.status, 200, await putOpnc.clone().text());
        const opncData = (await putOpnc.json()) as { provisioningCertificateChain: Record<string, string> };
        assert.equal(
          opncData.provisioningCertificateChain.certificate,
          (opnc.body.provisioningCertificateChain as Record<string, string>).certificate,
        );
      } finally {
        eco().clock.set(ECOSYSTEM_START);
        await server.close();
      }
    });

    test('the OpenAPI document lists the routes of both trees', async () => {
      const res = await eco().fetch('/openapi.json');
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, methods] of [
        ['/v1/oem/provCerts', ['put']],
        ['/v1/oem/provCerts/{pcid}', ['get', 'delete']],
        ['/v1/oem/provCerts/lookupVehicle/{pcid}', ['get']],
        ['/opnc/v1/pcp/provisioningcertificates', ['put']],
        ['/opnc/v1/pcp/provisioningcertificates/{pcid}', ['get', 'delete']],
        ['/opnc/v1/pcp/lookupvehicle/{pcid}', ['get']],
      ] as const) {
        for (const method of methods) assert.ok(doc.paths[path]?.[method] !== undefined, `${method} ${path}`);
      }
    });
  },
  { iso: [2, 20] },
);
