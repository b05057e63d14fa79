// `pnc pki init`'s hierarchy with the real software key store (encrypted keys) on both storage
// backends: every certificate for -2 and -20 passes its profile's lint with its issuer, path
// validation (strict, with the ISO 15118 usage checks) and `openssl verify -x509_strict`; serials are
// unique; a second run creates nothing; the -20 tree also in Ed448.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { hasOpenssl, OPENSSL_SKIP } from '../pki/ocsp/testing/test-pki.ts';
import { getProfileById } from '../pki/profiles/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { demoPlan, initDemoHierarchy } from './demo-hierarchy.ts';
import {
  assertConforms,
  newTestCa,
  opensslVerify,
  sharedKeyStore,
  storedCounts,
} from './testing/fixtures.ts';

const keys = sharedKeyStore();
after(() => keys.remove());
if (!hasOpenssl()) console.log(OPENSSL_SKIP);

const OPTIONS = { organization: 'PnC Demo', country: 'DE', actor: 'test' } as const;

test('the plan: V2G root, CPO / MO / OEM / CPS sub-CAs 1 and 2, CPS leaf', () => {
  assert.deepEqual(
    demoPlan(2).map((n) => [n.role, n.parent]),
    [
      ['v2g-root', null],
      ['cpo-sub1', 'root'],
      ['cpo-sub2', 'cpo-sub1'],
      ['mo-sub1', 'root'],
      ['mo-sub2', 'mo-sub1'],
      ['oem-sub1', 'root'],
      ['oem-sub2', 'oem-sub1'],
      ['cps-sub1', 'root'],
      ['cps-sub2', 'cps-sub1'],
      ['cps-leaf', 'cps-sub2'],
    ],
  );
  assert.equal(demoPlan(20)[0]?.commonName, 'V2G Root CA ISO15118-20');
});

forEachBackend('pki init hierarchy', (getDb) => {
  test('-2 (P-256) and -20 (P-521): every certificate conforms; openssl verifies; idempotent', async () => {
    const db = getDb();
    const ca = await newTestCa(db, keys.store);
    const progress: string[] = [];
    const events = await initDemoHierarchy(
      ca.service,
      { ...OPTIONS, iso: [2, 20], onProgress: (e) => progress.push(`${e.action} ${e.node.commonName}`) },
      () => ca.clock.now(),
    );
    assert.equal(events.length, 20);
    assert.equal(progress.length, 20, 'one progress line per certificate');
    assert.ok(progress.every((line) => line.startsWith('created ')));
    const at = ca.clock.now();
    const serials = new Set<string>();
    for (const e of events) {
      const iso = String(e.iso);
      assert.equal(e.algorithm, e.iso === 2 ? 'P-256' : 'P-521', e.node.commonName);
      const chain = await ca.service.chain(e.id);
      assert.equal(
        chain.length,
        e.node.parent === null ? 1 : e.node.role.endsWith('sub1') ? 2 : e.node.role.endsWith('sub2') ? 3 : 4,
      );
      const profileId = `iso15118-${iso}/${e.node.role}`;
      assert.ok(getProfileById(profileId));
      assertConforms(chain, profileId, at);
      if (hasOpenssl()) {
        const r = opensslVerify(chain, at);
        assert.ok(r.ok, `${e.node.commonName}: ${r.output}`);
      }
      serials.add(e.serial);
    }
    assert.equal(serials.size, 20, 'unique serials');
    // Every issuance is in the audit log: reserved before the signature, issued after.
    const audit = await ca.service.auditLog();
    assert.equal(audit.filter((a) => a.action === 'certificate.reserved').length, 20);
    assert.equal(audit.filter((a) => a.action === 'certificate.issued').length, 20);
    assert.ok(audit.every((a) => a.actor === 'test'));

    const before = await storedCounts(db);
    const again = await initDemoHierarchy(ca.service, { ...OPTIONS, iso: [2, 20] }, () => ca.clock.now());
    assert.ok(again.every((e) => e.action === 'exists'));
    assert.deepEqual(
      again.map((e) => e.id),
      events.map((e) => e.id),
    );
    assert.deepEqual(await storedCounts(db), before, 'a second run creates nothing');
  });

  test('-20 in Ed448; a revoked node stops a rerun before anything is created', async () => {
    const db = getDb();
    const ca = await newTestCa(db, keys.store);
    const events = await initDemoHierarchy(ca.service, { ...OPTIONS, iso: [20], algorithm20: 'Ed448' }, () =>
      ca.clock.now(),
    );
    const at = ca.clock.now();
    for (const e of events) {
      assert.equal(e.algorithm, 'Ed448');
      const chain = await ca.service.chain(e.id);
      assertConforms(chain, `iso15118-20/${e.node.role}`, at);
      if (hasOpenssl()) assert.ok(opensslVerify(chain, at).ok, e.node.commonName);
    }
    const mo2 = events.find((e) => e.node.key === 'mo-sub2');
    await ca.service.revoke({ id: mo2?.id as string, reason: 'superseded' });
    const before = await storedCounts(db);
    await assert.rejects(
      initDemoHierarchy(ca.service, { ...OPTIONS, iso: [2, 20] }, () => ca.clock.now()),
      (e) =>
        (e as { code?: string }).code === 'ca.exists' &&
        /MO Sub-CA 2 ISO15118-20.*revoked/.test((e as Error).message),
    );
    assert.deepEqual(await storedCounts(db), before, 'nothing created (not even the -2 tree)');
  });
});
