// The RCP service on both backends: what a root must be to be added (self-signed, CA, not expired,
// ISO 15118 key, profile of its type; lenient mode), duplicates, delete, filters, the trust anchors
// the other pools read, and the real Hubject roots of the spec examples accepted at a time inside
// their validity. Every refusal leaves the pool and the audit log unchanged.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { randomUuid } from '../app/runtime.ts';
import { AUDIT_MIGRATIONS, listAudit } from '../audit/audit-log.ts';
import { isAppError } from '../errors/app-error.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { SHARED_SKIP } from '../testing/shared-data.ts';
import { RCP_MIGRATIONS, SqlRcpRepository } from './repository.ts';
import { parseRootId, parseRootType, RcpService } from './service.ts';
import {
  hasSpecExamples,
  makeForeignSigned,
  makeRoot,
  notCa,
  specExamples,
  validity,
} from './testing/roots.ts';
import type { RootType } from './trust-anchors.ts';
import { opcpRootCert, opncRootCertificate } from './views.ts';

/** Inside the validity of every spec example root and of the generated ones. */
const NOW = new Date('2027-03-01T10:00:00.000Z');
const clock = { now: () => NOW };
const random = (n: number) => new Uint8Array(randomBytes(n));

async function freshService(db: Database): Promise<RcpService> {
  await migrate(db, [AUDIT_MIGRATIONS, RCP_MIGRATIONS], clock);
  return new RcpService({ repository: new SqlRcpRepository(db), clock, random });
}

async function snapshot(db: Database) {
  const repo = new SqlRcpRepository(db);
  return {
    changes: await repo.changeCount(),
    audit: (await listAudit(db, { component: 'rcp', limit: 10_000 })).length,
  };
}

function code(expected: string) {
  return (e: unknown) => {
    assert.ok(isAppError(e), `expected AppError ${expected}, got ${String(e)}`);
    assert.equal(e.code, expected, e.message);
    return true;
  };
}

test('root types are read in both vocabularies and any case', () => {
  for (const [input, type] of [
    ['V2G', 'V2G'],
    ['v2g', 'V2G'],
    ['mo', 'MO'],
    ['MO', 'MO'],
    ['eMSP', 'MO'],
    ['emsp', 'MO'],
    ['oem', 'OEM'],
    ['Pe', 'PE'],
    [' OEM ', 'OEM'],
  ] as const) {
    assert.equal(parseRootType(input), type, input);
  }
  fc.assert(
    fc.property(fc.string(), (s) => {
      if (['v2g', 'mo', 'emsp', 'oem', 'pe'].includes(s.trim().toLowerCase())) return;
      assert.throws(() => parseRootType(s), code('rcp.invalid-root-type'));
    }),
  );
  assert.throws(() => parseRootType(5), code('rcp.invalid-root-type'));
});

test('root ids are UUIDs: generated as version 4, parsed in any case', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const id = randomUuid(() => bytes);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(parseRootId(id.toUpperCase()), id);
    }),
  );
  for (const bad of ['', 'abc', '123e4567-e89b-12d3-a456-42661417400', '../etc/passwd', 42]) {
    assert.throws(() => parseRootId(bad), code('rcp.invalid-id'));
  }
});

forEachBackend('rcp service', (getDb, backend) => {
  test('adds conforming roots of every type and edition and serves them as trust anchors', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const cases: [RootType, 'P-256' | 'P-521' | 'Ed448', 2 | 20][] = [
      ['V2G', 'P-256', 2],
      ['MO', 'P-256', 2],
      ['OEM', 'P-256', 2],
      ['V2G', 'P-521', 20],
      ['OEM', 'Ed448', 20],
      ['PE', 'P-521', 20],
    ];
    const ids: string[] = [];
    for (const [type, alg, iso] of cases) {
      const added = await rcp.add({ der: await makeRoot(type, alg), rootType: type, actor: 'client:admin' });
      assert.equal(added.root.rootType, type);
      assert.equal(added.root.iso, iso, `${type} ${alg}`);
      assert.equal(added.root.keyAlgorithm, alg);
      assert.deepEqual(
        added.findings.filter((f) => f.severity === 'error'),
        [],
      );
      ids.push(added.root.id);
    }
    const all = await rcp.trustedRoots();
    assert.deepEqual(all.map((r) => r.id).sort(), [...ids].sort());
    assert.deepEqual((await rcp.trustedRoots({ types: ['V2G'] })).map((r) => r.iso).sort(), [2, 20]);
    assert.deepEqual(
      (await rcp.trustedRoots({ types: ['MO', 'V2G'], iso: 2 })).map((r) => r.rootType).sort(),
      ['MO', 'V2G'],
    );
    assert.equal((await rcp.trustedRoots({ iso: 20 })).length, 3);
    const anchor = all.find((r) => r.id === ids[0]);
    assert.ok(anchor !== undefined);
    assert.match(anchor.fingerprintSha256, /^[0-9a-f]{64}$/);
    assert.equal(anchor.subject, 'DC=V2G,C=DE,O=Open PnC Test,CN=V2G Root CA');
    assert.ok(anchor.notBefore < anchor.notAfter);
    await rcp.delete(ids[0] as string, 'client:admin');
    assert.equal((await rcp.trustedRoots({ types: ['V2G'] })).length, 1, 'a deleted root is no anchor');
    const audit = await listAudit(db, { component: 'rcp' });
    assert.equal(audit.length, cases.length + 1);
    assert.equal(audit[0]?.action, 'root.deleted');
  });

  test('trusted roots with trustedRootsMaxAgeMs: own changes at once, another process within the bound (D-175)', async () => {
    const db = getDb();
    await migrate(db, [AUDIT_MIGRATIONS, RCP_MIGRATIONS], clock);
    let now = NOW.getTime();
    const moving = { now: () => new Date(now) };
    const here = new RcpService({
      repository: new SqlRcpRepository(db),
      clock: moving,
      random,
      trustedRootsMaxAgeMs: 1000,
    });
    // "Another process": a service without the cache on its own connection.
    const other = new RcpService({
      repository: new SqlRcpRepository(await backend.openAnother()),
      clock,
      random,
    });
    const v2g = await here.add({ der: await makeRoot('V2G', 'P-256'), rootType: 'V2G', actor: 't' });
    assert.deepEqual(
      (await here.trustedRoots()).map((r) => r.id),
      [v2g.root.id],
    );
    const oem = await other.add({ der: await makeRoot('OEM', 'P-256'), rootType: 'OEM', actor: 't' });
    now += 999;
    assert.deepEqual(
      (await here.trustedRoots()).map((r) => r.id),
      [v2g.root.id],
      'read 999 ms ago: still used',
    );
    now += 1;
    assert.deepEqual((await here.trustedRoots()).map((r) => r.id).sort(), [v2g.root.id, oem.root.id].sort());
    assert.deepEqual(
      (await here.trustedRoots({ types: ['OEM'], iso: 2 })).map((r) => r.id),
      [oem.root.id],
    );
    assert.deepEqual(await here.trustedRoots({ iso: 20 }), []);
    // Deleted through this service: gone at once, without waiting for the bound.
    await here.delete(v2g.root.id, 't');
    assert.deepEqual(
      (await here.trustedRoots()).map((r) => r.id),
      [oem.root.id],
    );
    await other.delete(oem.root.id, 't');
    now += 1000;
    assert.deepEqual(await here.trustedRoots(), []);
    assert.throws(
      () => new RcpService({ repository: new SqlRcpRepository(db), clock, random, trustedRootsMaxAgeMs: -1 }),
      RangeError,
    );
  });

  test('refuses what is no trustworthy root, and changes nothing', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const before = await snapshot(db);
    const v2g = await makeRoot('V2G');
    const tampered = Uint8Array.from(v2g);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    const refusals: [string, Uint8Array, RootType, string, { lenient?: boolean; iso?: 2 | 20 }?][] = [
      ['not DER', new Uint8Array([1, 2, 3]), 'V2G', 'pool.invalid-certificate'],
      ['signed by another key', await makeForeignSigned('V2G'), 'V2G', 'rcp.not-self-signed'],
      ['tampered signature', tampered, 'V2G', 'rcp.not-self-signed'],
      ['cA FALSE', await makeRoot('MO', 'P-256', { mutate: notCa }), 'MO', 'rcp.not-ca'],
      [
        'expired',
        await makeRoot('OEM', 'P-256', {
          mutate: validity(new Date('2020-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')),
        }),
        'OEM',
        'rcp.expired',
      ],
      ['P-384 key', await makeRoot('V2G', 'P-384'), 'V2G', 'rcp.unsupported-key'],
      ['PE root of ISO 15118-2', await makeRoot('MO'), 'PE', 'rcp.invalid-root'],
      ['V2G root given as OEM', v2g, 'OEM', 'rcp.lint-failed'],
      ['edition contradicting the key', v2g, 'V2G', 'rcp.invalid-root', { iso: 20 }],
      [
        'cA FALSE even in lenient mode',
        await makeRoot('MO', 'P-256', { mutate: notCa }),
        'MO',
        'rcp.not-ca',
        { lenient: true },
      ],
    ];
    for (const [what, der, rootType, expected, options] of refusals) {
      await assert.rejects(
        rcp.add({ der, rootType, actor: 'client:admin', ...options }),
        code(expected),
        what,
      );
    }
    // A sub-CA: issuer differs from subject.
    const sub = await makeRoot('MO', 'P-256', {
      mutate: (spec) => ({
        ...spec,
        issuer: [
          ['CN', 'Somebody Else'],
          ['C', 'DE'],
        ],
      }),
    });
    await assert.rejects(
      rcp.add({ der: sub, rootType: 'MO', actor: 'client:admin' }),
      code('rcp.not-self-signed'),
    );
    assert.deepEqual(await snapshot(db), before);
    assert.deepEqual(await rcp.list({ includeDeleted: true }), []);
  });

  test('lenient mode accepts profile errors and reports them; the audit log says so', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const v2g = await makeRoot('V2G');
    const added = await rcp.add({ der: v2g, rootType: 'OEM', actor: 'cli:op', lenient: true });
    assert.ok(added.findings.some((f) => f.severity === 'error' && f.code === 'v2g.subject.dc-mismatch'));
    assert.equal(added.root.lenient, true);
    const [record] = await listAudit(db, { component: 'rcp' });
    assert.equal(record?.details.lenient, true);
    assert.ok((record?.details.lintCodes as string[] | undefined)?.includes('v2g.subject.dc-mismatch'));
  });

  test('a root not yet valid is accepted with a warning (a successor published early)', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const future = await makeRoot('MO', 'P-256', {
      mutate: validity(new Date('2028-01-01T00:00:00Z'), new Date('2060-01-01T00:00:00Z')),
    });
    const added = await rcp.add({ der: future, rootType: 'MO', actor: 'client:admin' });
    assert.ok(
      added.findings.some((f) => f.code === 'x509.validity.not-yet-valid' && f.severity === 'warning'),
    );
  });

  test('a duplicate is a conflict naming the root in the pool; after its delete it can be added again', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const der = await makeRoot('V2G', 'P-521');
    const first = await rcp.add({ der, rootType: 'V2G', actor: 'client:admin' });
    const before = await snapshot(db);
    await assert.rejects(rcp.add({ der, rootType: 'MO', actor: 'client:admin' }), (e: unknown) => {
      assert.ok(isAppError(e) && e.code === 'rcp.duplicate');
      assert.equal(e.details?.rootCertificateId, first.root.id);
      return true;
    });
    assert.deepEqual(await snapshot(db), before);
    assert.equal(
      (await rcp.findActiveByFingerprint(first.root.fingerprintSha256.toUpperCase()))?.id,
      first.root.id,
    );
    await rcp.delete(first.root.id.toUpperCase(), 'client:admin');
    await assert.rejects(rcp.get(first.root.id), code('rcp.not-found'));
    await assert.rejects(rcp.delete(first.root.id, 'client:admin'), code('rcp.not-found'));
    const again = await rcp.add({ der, rootType: 'V2G', actor: 'client:admin' });
    assert.notEqual(again.root.id, first.root.id);
    assert.equal((await rcp.list({ includeDeleted: true })).length, 2);
  });

  test('pool maintenance: expired roots are listed and removed inside the caller transaction', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const shortLived = await makeRoot('OEM', 'P-256', {
      mutate: validity(new Date('2027-01-01T00:00:00Z'), new Date('2028-01-01T00:00:00Z')),
    });
    const added = await rcp.add({ der: shortLived, rootType: 'OEM', actor: 'client:admin' });
    await rcp.add({ der: await makeRoot('V2G'), rootType: 'V2G', actor: 'client:admin' });
    assert.deepEqual(await rcp.listExpiredOrRevokedRoots(NOW), []);
    const later = new Date('2028-06-01T00:00:00Z');
    const expiring = await rcp.listExpiredOrRevokedRoots(later);
    assert.deepEqual(
      expiring.map((r) => [r.id, r.reason, r.iso, r.root.rootType, r.root.fingerprintSHA256]),
      [[added.root.id, 'expired', 2, 'OEM', added.root.fingerprintSha256]],
    );
    assert.equal(expiring[0]?.root.signatureAlgorithm, 'secp256r1');
    // A rolled-back maintenance transaction removes nothing.
    await assert.rejects(
      db.transaction(async (tx) => {
        assert.equal(await rcp.removeRoot(tx, added.root.id, 'system', later), true);
        throw new Error('cascade failed');
      }),
    );
    assert.equal((await rcp.get(added.root.id)).id, added.root.id);
    assert.equal(await db.transaction((tx) => rcp.removeRoot(tx, added.root.id, 'system', later)), true);
    assert.equal(await db.transaction((tx) => rcp.removeRoot(tx, added.root.id, 'system', later)), false);
    await assert.rejects(rcp.get(added.root.id), code('rcp.not-found'));
    const [record] = await listAudit(db, { component: 'rcp' });
    assert.equal(record?.action, 'root.deleted');
    assert.equal(record?.actor, 'system');
    assert.equal(record?.details.via, 'maintenance');
    assert.deepEqual(await rcp.listExpiredOrRevokedRoots(later), []);
  });

  test('get and delete check the id before looking', async () => {
    const db = getDb();
    const rcp = await freshService(db);
    await assert.rejects(rcp.get('not-a-uuid'), code('rcp.invalid-id'));
    await assert.rejects(rcp.delete("1' OR '1'='1", 'client:admin'), code('rcp.invalid-id'));
    await assert.rejects(rcp.get('123e4567-e89b-42d3-a456-426614174000'), code('rcp.not-found'));
  });

  test('the real Hubject roots of the spec examples are accepted inside their validity', {
    skip: hasSpecExamples() ? false : SHARED_SKIP,
  }, async () => {
    const db = getDb();
    const rcp = await freshService(db);
    const ex = specExamples();
    const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
    // V2G Root CA G2 (OPCP getRootCert / saveRootCa examples): strict mode, warnings only.
    const g2 = await rcp.add({
      der: der(ex.opcpPutV2g.caCertificate),
      rootType: 'V2G',
      actor: 'client:admin',
    });
    assert.deepEqual(
      g2.findings.filter((f) => f.severity === 'error'),
      [],
    );
    // The OPCP view reproduces Hubject's own response field by field.
    const view = opcpRootCert(g2.root) as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(ex.opcpRootResponse)) {
      if (field === 'rootCertificateId') continue;
      assert.equal(view[field], value, field);
    }
    // V2G Root CA QA G1 (OPNC rootCertificate example): the OPNC view matches the example values.
    const qa = await rcp.add({ der: der(ex.opncRoot.caCertificate), rootType: 'V2G', actor: 'client:admin' });
    const opnc = opncRootCertificate(qa.root);
    assert.equal(opnc.fingerprint, ex.opncRoot.fingerprint);
    assert.equal(opnc.rootAuthorityKeyIdentifier, ex.opncRoot.rootAuthorityKeyIdentifier);
    assert.equal(opnc.rootIssuerSerialNumber, ex.opncRoot.rootIssuerSerialNumber);
    assert.equal(opnc.commonName, ex.opncRoot.commonName);
    assert.deepEqual(opnc.rootTypeList, ['V2G']);
    // PnC-OEM-RootCA-2021 (OPCP saveRootCa x-example, a production OEM root): it breaks the OEM root
    // profile (digitalSignature, DC=V2G), so strict mode refuses it and lenient mode takes it.
    const oem = der(ex.opcpPutOem.caCertificate);
    await assert.rejects(
      rcp.add({ der: oem, rootType: 'OEM', actor: 'client:admin' }),
      code('rcp.lint-failed'),
    );
    const taken = await rcp.add({ der: oem, rootType: 'OEM', actor: 'client:admin', lenient: true });
    assert.equal(taken.root.notAfter.toISOString(), '9999-12-31T23:59:00.000Z');
    assert.equal((await rcp.trustedRoots()).length, 3);
  });
});
