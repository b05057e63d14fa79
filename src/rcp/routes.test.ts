// The Root Certificate Pool over HTTP, both trees, on the real server with the demo PKI (SQLite and
// PostgreSQL): shapes CitrineOS and MaEVe parse, status codes, the OPCP access-rights table (all
// roles read, ADMIN writes), hostile input refused with the OPCP error body and nothing changed,
// the real Hubject roots of the spec examples, and the signed CTL.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import { listAudit } from '../audit/audit-log.ts';
import { SHARED_SKIP } from '../testing/shared-data.ts';
import { forEachEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import { verifyCtl } from './ctl.ts';
import { ctlSigners } from './ctl-service.ts';
import { hasSpecExamples, makeRoot, notCa, specExamples } from './testing/roots.ts';

type Json = Record<string, unknown>;

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

const SCOPE: Readonly<Record<string, string | undefined>> = {
  CPO: 'DEABC',
  MO: 'DEABC',
  OEM: 'WP0',
  CPS: 'DEABC',
  ADMIN: undefined,
};

/** GET with a JSON body (fetch cannot send one): OPCP documents a body on GET /v1/root/ctl. */
function getWithBody(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function state(eco: TestEcosystem) {
  const rows = await eco.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rcp_roots');
  const events = await eco.app.db.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM events_outbox WHERE type LIKE 'root.%'",
  );
  return {
    rows: Number(rows[0]?.n),
    audit: (await listAudit(eco.app.db, { component: 'rcp', limit: 10_000 })).length,
    events: Number(events[0]?.n),
  };
}

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

async function assertError(res: Response, status: number, pattern?: RegExp): Promise<void> {
  const body = await json(res);
  assert.equal(res.status, status, JSON.stringify(body));
  assert.ok(Array.isArray(body.errorMessages) && body.errorMessages.length === 1, JSON.stringify(body));
  assert.equal(typeof body.traceId, 'string');
  if (pattern !== undefined) assert.match(String((body.errorMessages as string[])[0]), pattern);
}

function rootsOf(body: Json): Json[] {
  return (body.RootCertificateCollection as { rootCertificates: Json[] }).rootCertificates;
}

forEachEcosystem('rcp over HTTP', (eco) => {
  test('every role reads the demo V2G roots in the OPCP shape clients parse', async () => {
    for (const role of ['CPO', 'MO', 'OEM', 'CPS', 'ADMIN']) {
      const token = await eco().token(role, SCOPE[role]);
      const res = await eco().fetch('/v1/root/rootCerts', { token, headers: { accept: 'application/json' } });
      assert.equal(res.status, 200, role);
      const roots = rootsOf(await json(res)).filter((r) =>
        String(r.commonName).startsWith('V2G Root CA ISO15118-'),
      );
      assert.equal(roots.length, 2, role);
      for (const r of roots) {
        assert.match(String(r.rootCertificateId), /^[0-9a-f-]{36}$/);
        assert.equal(r.rootType, 'V2G');
        const der = Buffer.from(String(r.caCertificate), 'base64');
        assert.equal(createHash('sha256').update(der).digest('hex'), r.fingerprint);
        assert.match(String(r.rootAuthorityKeyIdentifier), /^[A-Za-z0-9+/]+=*$/);
        assert.match(String(r.rootIssuerSerialNumber), /^[0-9a-f]+$/);
        assert.match(String(r.validFrom), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.match(String(r.distinguishedName), /^CN=V2G Root CA ISO15118-2?0?, DC=V2G, O=PnC Test, C=DE$/);
      }
      const byEdition = Object.fromEntries(
        roots.map((r) => [String(r.xsdMsgDefNamespace), r.signatureAlgorithm]),
      );
      assert.deepEqual(byEdition, {
        'urn:iso:15118:2:2013:MsgDef': 'secp256r1',
        'urn:iso:15118:20:2022:MsgDef': 'secp521r1',
      });
    }
  });

  test('the OPNC tree answers in its own shape, with eMSP and the typo of its single-root name', async () => {
    const token = await eco().token('CPO', 'DEABC');
    const list = await json(await eco().fetch('/opnc/v1/rcp/rootcertificates?pkiType=v2g', { token }));
    const roots = list.rootCertificateCollection as Json[];
    assert.ok(Array.isArray(roots) && roots.length >= 2);
    assert.deepEqual(roots[0]?.rootTypeList, ['V2G']);
    assert.equal(roots[0]?.rootType, 'V2G');
    const one = await eco().fetch(`/opnc/v1/rcp/rootcertificates/${String(roots[0]?.rootCertificateId)}`, {
      token,
    });
    assert.equal(one.status, 200);
    const single = (await json(one)).roootCertificate as Json;
    assert.equal(single.fingerprint, roots[0]?.fingerprint);
    assert.equal(single.xsdMsgDefNamespace === undefined, false);
  });

  test('filters by type in either vocabulary and case, and by edition', async () => {
    const token = await eco().token('OEM', 'WP0');
    const count = async (query: string, path = '/v1/root/rootCerts') => {
      const res = await eco().fetch(`${path}?${query}`, { token });
      assert.equal(res.status, 200, query);
      const body = await json(res);
      return path.startsWith('/opnc') ? (body.rootCertificateCollection as Json[]) : rootsOf(body);
    };
    const v2g = (await count('rootType=v2g')).length;
    assert.ok(v2g >= 2);
    assert.equal((await count('rootType=V2G')).length, v2g);
    assert.equal((await count('pkiType=V2G')).length, v2g);
    assert.equal((await count('pkiType=v2g', '/opnc/v1/rcp/rootcertificates')).length, v2g);
    assert.ok((await count('rootType=mo')).every((r) => r.rootType === 'MO'));
    assert.ok(
      (await count('pkiType=emsp', '/opnc/v1/rcp/rootcertificates')).every((r) => r.rootType === 'MO'),
    );
    const iso20 = await count('rootType=v2g&iso=20');
    assert.ok(iso20.length >= 1 && iso20.every((r) => r.signatureAlgorithm !== 'secp256r1'));
    const ns20 = await count('xsdMsgDefNamespace=urn:iso:std:iso:15118:-20:CommonMessages&rootType=v2g');
    assert.deepEqual(
      ns20.map((r) => r.rootCertificateId),
      iso20.map((r) => r.rootCertificateId),
    );
    assert.deepEqual(await count('rootType=v2g&pkiType=oem'), []);
    await assertError(await eco().fetch('/v1/root/rootCerts?rootType=cpo', { token }), 400, /rootType/);
    await assertError(
      await eco().fetch('/opnc/v1/rcp/rootcertificates?pkiType=x', { token }),
      400,
      /pkiType/,
    );
    await assertError(await eco().fetch('/v1/root/rootCerts?iso=15', { token }), 400);
  });

  test('without a token nothing is read', async () => {
    await assertError(await eco().fetch('/v1/root/rootCerts'), 401);
    await assertError(await eco().fetch('/opnc/v1/rcp/rootcertificates'), 401);
    await assertError(await eco().fetch('/v1/root/ctl'), 401);
    await assertError(await eco().fetch('/v1/root/rootCerts', { token: 'not-a-token' }), 401);
  });

  test('ADMIN adds, reads and deletes a root in both trees; status 200 throughout; audited', async () => {
    const admin = await eco().token('ADMIN');
    const reader = await eco().token('CPS', 'DEABC');
    const mo = await makeRoot('MO');
    const put = await eco().fetch('/v1/root/rootCerts', {
      method: 'PUT',
      token: admin,
      body: { caCertificate: b64(mo), rootType: 'MO' },
    });
    assert.equal(put.status, 200);
    const added = (await json(put)).RootResponse as Json;
    const id = String(added.rootCertificateId);
    assert.equal(added.rootType, 'MO');
    assert.equal(added.caCertificate, b64(mo));
    const viaOpnc = await eco().fetch(`/opnc/v1/rcp/rootcertificates/${id.toUpperCase()}`, { token: reader });
    assert.equal(viaOpnc.status, 200);
    assert.deepEqual(((await json(viaOpnc)).roootCertificate as Json).rootTypeList, ['eMSP']);
    const get = await eco().fetch(`/v1/root/rootCerts/${id}`, { token: reader });
    assert.equal(get.status, 200);
    assert.deepEqual((await json(get)).RootResponse, added);
    // OPNC PUT: rootTypeList with the eMSP name.
    const mo2 = await makeRoot('MO', 'P-521');
    const putOpnc = await eco().fetch('/opnc/v1/rcp/rootcertificates', {
      method: 'PUT',
      token: admin,
      body: { caCertificate: b64(mo2), rootTypeList: ['eMSP'] },
    });
    assert.equal(putOpnc.status, 200);
    const added2 = (await json(putOpnc)).roootCertificate as Json;
    assert.equal(added2.rootType, 'MO');
    assert.equal(added2.xsdMsgDefNamespace, 'urn:iso:15118:20:2020:MsgDef');
    const del = await eco().fetch(`/v1/root/rootCerts/${id}`, { method: 'DELETE', token: admin });
    assert.equal(del.status, 200);
    assert.equal(((await json(del)).RootResponse as Json).rootCertificateId, id);
    await assertError(await eco().fetch(`/v1/root/rootCerts/${id}`, { token: reader }), 404, /not found/);
    await assertError(await eco().fetch(`/v1/root/rootCerts/${id}`, { method: 'DELETE', token: admin }), 404);
    const del2 = await eco().fetch(`/opnc/v1/rcp/rootcertificates/${String(added2.rootCertificateId)}`, {
      method: 'DELETE',
      token: admin,
    });
    assert.equal(del2.status, 200);
    const fingerprint = createHash('sha256').update(mo).digest('hex');
    const audit = await listAudit(eco().app.db, { component: 'rcp', subject: fingerprint });
    assert.deepEqual(
      audit.map((r) => r.action),
      ['root.deleted', 'root.added'],
    );
    assert.match(String(audit[0]?.actor), /^client:/);
    // Webhook events in the same transactions: added, and revoked for the delete (D-047).
    const events = await eco().app.db.query<{ type: string; data: string }>(
      'SELECT type, data FROM events_outbox WHERE root_fingerprint = $1 ORDER BY occurred_at, type',
      [fingerprint],
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['root.cert.added', 'root.cert.revoked'],
    );
    assert.match(events[0]?.data ?? '', new RegExp(id));
  });

  test('non-admin roles may neither add nor delete, and nothing changes', async () => {
    const admin = await eco().token('ADMIN');
    const root = await makeRoot('OEM');
    const put = await eco().fetch('/v1/root/rootCerts', {
      method: 'PUT',
      token: admin,
      body: { caCertificate: b64(root), rootType: 'OEM' },
    });
    const id = String(((await json(put)).RootResponse as Json).rootCertificateId);
    const other = await makeRoot('OEM');
    const before = await state(eco());
    for (const [role, scope] of [
      ['CPO', 'DEABC'],
      ['MO', 'DEABC'],
      ['OEM', 'WP0'],
      ['CPS', 'DEABC'],
    ] as const) {
      const token = await eco().token(role, scope);
      for (const path of ['/v1/root/rootCerts', '/opnc/v1/rcp/rootcertificates']) {
        await assertError(
          await eco().fetch(path, {
            method: 'PUT',
            token,
            body: { caCertificate: b64(other), rootType: 'OEM' },
          }),
          403,
        );
        await assertError(await eco().fetch(`${path}/${id}`, { method: 'DELETE', token }), 403);
      }
    }
    assert.deepEqual(await state(eco()), before);
    const still = await eco().fetch(`/v1/root/rootCerts/${id}`, { token: admin });
    assert.equal(still.status, 200);
  });

  test('hostile input: clear 4xx with the OPCP error body and nothing changed', async () => {
    const admin = await eco().token('ADMIN');
    const put = (body: unknown, path = '/v1/root/rootCerts', headers?: Record<string, string>) =>
      eco().fetch(path, { method: 'PUT', token: admin, body, ...(headers === undefined ? {} : { headers }) });
    const v2g = await makeRoot('V2G');
    const before = await state(eco());
    await assertError(
      await put({ caCertificate: 'bm90IGEgY2VydGlmaWNhdGU=', rootType: 'V2G' }),
      400,
      /caCertificate/,
    );
    await assertError(await put({ caCertificate: '***', rootType: 'V2G' }), 400);
    await assertError(await put({ caCertificate: 5, rootType: 'V2G' }), 400);
    await assertError(await put({ rootType: 'V2G' }), 400);
    await assertError(await put({ caCertificate: b64(v2g) }), 400, /rootType/);
    await assertError(await put({ caCertificate: b64(v2g), rootType: 'CPO' }), 400, /rootType/);
    await assertError(await put({ caCertificate: b64(v2g), rootType: 'V2G', rootTypeList: ['OEM'] }), 400);
    await assertError(
      await put({ caCertificate: b64(v2g), rootType: 'V2G', xsdMsgDefNamespace: 'urn:nonsense' }),
      400,
    );
    await assertError(
      await put('{"caCertificate": "abc", ', '/v1/root/rootCerts', { 'content-type': 'application/json' }),
      400,
    );
    await assertError(await put({ caCertificate: 'A'.repeat(20_000), rootType: 'V2G' }), 413);
    // Well-formed, but refused by policy: 422.
    await assertError(
      await put({ caCertificate: b64(await makeRoot('MO', 'P-256', { mutate: notCa })), rootType: 'MO' }),
      422,
      /not a CA/,
    );
    await assertError(await put({ caCertificate: b64(v2g), rootType: 'OEM' }), 422, /profile/);
    await assertError(
      await put({
        caCertificate: b64(v2g),
        rootType: 'V2G',
        xsdMsgDefNamespace: 'urn:iso:15118:20:2022:MsgDef',
      }),
      422,
    );
    // Ids.
    await assertError(await eco().fetch('/v1/root/rootCerts/not-a-uuid', { token: admin }), 400, /UUID/);
    await assertError(
      await eco().fetch('/opnc/v1/rcp/rootcertificates/%27%20OR%201=1', { method: 'DELETE', token: admin }),
      400,
    );
    await assertError(
      await eco().fetch('/v1/root/rootCerts/123e4567-e89b-42d3-a456-426614174000', { token: admin }),
      404,
    );
    assert.deepEqual(await state(eco()), before);
  });

  test('a duplicate is 409; an expired root is 422 (at a clock past its notAfter)', async () => {
    const admin = await eco().token('ADMIN');
    const root = await makeRoot('V2G');
    const body = { caCertificate: b64(root), rootType: 'V2G' };
    assert.equal(
      (await eco().fetch('/v1/root/rootCerts', { method: 'PUT', token: admin, body })).status,
      200,
    );
    const before = await state(eco());
    await assertError(
      await eco().fetch('/v1/root/rootCerts', { method: 'PUT', token: admin, body }),
      409,
      /already/,
    );
    await assertError(
      await eco().fetch('/opnc/v1/rcp/rootcertificates', { method: 'PUT', token: admin, body }),
      409,
    );
    const late = await makeRoot('MO');
    const start = eco().clock.now();
    try {
      eco().clock.set(new Date('2090-01-01T00:00:00Z'));
      const lateAdmin = await eco().token('ADMIN');
      await assertError(
        await eco().fetch('/v1/root/rootCerts', {
          method: 'PUT',
          token: lateAdmin,
          body: { caCertificate: b64(late), rootType: 'MO' },
        }),
        422,
        /expired/,
      );
    } finally {
      eco().clock.set(start);
    }
    assert.deepEqual(await state(eco()), before);
  });

  test('the real Hubject roots of the spec examples are accepted (OEM root in lenient mode)', {
    skip: hasSpecExamples() ? false : SHARED_SKIP,
  }, async () => {
    const admin = await eco().token('ADMIN');
    const ex = specExamples();
    // OPCP saveRootCa example body, as is.
    const res = await eco().fetch('/v1/root/rootCerts', { method: 'PUT', token: admin, body: ex.opcpPutV2g });
    assert.equal(res.status, 200);
    const body = await json(res);
    const root = body.RootResponse as Json;
    for (const [field, value] of Object.entries(ex.opcpRootResponse)) {
      if (field !== 'rootCertificateId') assert.equal(root[field], value, field);
    }
    assert.ok((body.lintFindings as Json[]).some((f) => f.code === 'v2g.eku.unexpected'));
    // The OPNC example root through the OPNC tree.
    const qa = await eco().fetch('/opnc/v1/rcp/rootcertificates', {
      method: 'PUT',
      token: admin,
      body: { caCertificate: ex.opncRoot.caCertificate, rootTypeList: ['V2G'] },
    });
    assert.equal(qa.status, 200);
    assert.equal(((await json(qa)).roootCertificate as Json).fingerprint, ex.opncRoot.fingerprint);
    // The production OEM root: 422 in strict mode, 200 with the findings in lenient mode.
    const before = await state(eco());
    await assertError(
      await eco().fetch('/v1/root/rootCerts', { method: 'PUT', token: admin, body: ex.opcpPutOem }),
      422,
    );
    assert.deepEqual(await state(eco()), before);
    const lenient = await eco().fetch('/v1/root/rootCerts?lenient=true', {
      method: 'PUT',
      token: admin,
      body: ex.opcpPutOem,
    });
    assert.equal(lenient.status, 200);
    const findings = (await json(lenient)).lintFindings as Json[];
    assert.ok(findings.some((f) => f.severity === 'error' && f.code === 'v2g.subject.dc-mismatch'));
  });

  test('GET /v1/root/ctl: a CTL signed by the CTL signer, listing every root, both V2G editions', async () => {
    const token = await eco().token('MO', 'DEABC');
    // OPCP documents a (to-be-aligned) JSON body on this GET: it is accepted and ignored.
    const withBody = await getWithBody(`${eco().url}/v1/root/ctl`, token, '{}');
    assert.equal(withBody.status, 200, withBody.text);
    const res = await eco().fetch('/v1/root/ctl', { token });
    assert.equal(res.status, 200);
    const doc = await json(res);
    assert.equal(typeof doc.signerCertificate, 'string');
    assert.match(String(doc.timeStamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const app = eco().app;
    const [signer] = await ctlSigners(app.ca, eco().clock.now());
    assert.ok(signer?.certificate);
    const anchors = (await app.rcp.trustedRoots({ types: ['V2G'] })).map((r) => r.der);
    const verified = verifyCtl(doc, {
      anchors,
      signerFingerprints: [createHash('sha256').update(signer.certificate).digest('hex')],
      at: eco().clock.now(),
    });
    assert.equal(verified.algorithm, 'ES256');
    const trusted = await app.rcp.trustedRoots();
    assert.deepEqual(
      verified.payload.roots.map((r) => r.fingerprintSha256).sort(),
      trusted.map((r) => r.fingerprintSha256).sort(),
    );
    const v2gEditions = verified.payload.roots
      .filter((r) => r.rootType === 'V2G' && r.subject.includes('V2G Root CA ISO15118-'))
      .map((r) => r.iso)
      .sort();
    assert.deepEqual(v2gEditions, [2, 20]);
    const opnc = await eco().fetch('/opnc/v1/rcp/ctl', { token });
    assert.equal(opnc.status, 200);
    // A change raises the sequence number.
    const admin = await eco().token('ADMIN');
    await eco().fetch('/v1/root/rootCerts', {
      method: 'PUT',
      token: admin,
      body: { caCertificate: b64(await makeRoot('PE', 'P-521')), rootType: 'PE' },
    });
    const next = verifyCtl(await json(await eco().fetch('/v1/root/ctl', { token })), {
      anchors,
      signerFingerprints: [verified.signerFingerprint],
      at: eco().clock.now(),
      minSequenceNumber: verified.payload.sequenceNumber + 1,
    });
    assert.equal(next.payload.roots.length, verified.payload.roots.length + 1);
  });
});
