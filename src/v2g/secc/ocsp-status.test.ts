// The SECC's OCSP checker against the platform's real OCSP responder (pnc serve, demo PKI), on
// node:sqlite and PostgreSQL: good, revoked after `revoke`, unknown for a foreign issuer or a
// responder that does not answer.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { forEachEcosystem } from '../../testing/test-ecosystem.ts';
import { OcspStatusChecker, ocspUrlOf } from './ocsp-status.ts';

forEachEcosystem('SECC OCSP checker', (eco) => {
  async function contract(
    emaid: string,
  ): Promise<{ leaf: Uint8Array; issuer: Uint8Array; serial: string; caId: string }> {
    const ca = eco().app.ca;
    const mo = (await ca.listCas()).find((c) => c.name === 'MO Sub-CA 2 ISO15118-2')!;
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const token = await ca.prepare({
      issuerCaId: mo.id,
      role: 'contract-leaf',
      subject: { commonName: emaid, organization: 'PnC Test', country: 'DE' },
      subjectPublicKeyInfo: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    });
    const issued = await ca.issue(token);
    return { leaf: issued.certificate, issuer: mo.certificate!, serial: issued.serial, caId: mo.id };
  }

  test('good, then revoked; the AIA names the responder', async () => {
    const c = await contract('DEPNCC00000OC12');
    const aia = ocspUrlOf(c.leaf);
    assert.ok(aia?.endsWith('/ocsp'), String(aia));
    const checker = new OcspStatusChecker({ clock: eco().clock, url: `${eco().url}/ocsp` });
    assert.equal(await checker.status(c.leaf, c.issuer), 'good');
    await eco().app.ca.revoke({
      serial: c.serial,
      issuerCaId: c.caId,
      reason: 'keyCompromise',
      actor: 'test',
    });
    const status = await checker.status(c.leaf, c.issuer);
    assert.ok(typeof status === 'object' && 'revoked' in status, JSON.stringify(status));
  });

  test('unknown: wrong issuer given, responder unreachable, response outside its validity', async () => {
    const c = await contract('DEPNCC00000OC20');
    const checker = new OcspStatusChecker({ clock: eco().clock, url: `${eco().url}/ocsp` });
    const other = (await eco().app.ca.listCas()).find((x) => x.name === 'CPO Sub-CA 2 ISO15118-2')!;
    assert.equal(await checker.status(c.leaf, other.certificate!), 'unknown');
    const down = new OcspStatusChecker({
      clock: eco().clock,
      url: 'http://127.0.0.1:9/ocsp',
      timeoutMs: 2_000,
    });
    assert.equal(await down.status(c.leaf, c.issuer), 'unknown');
    const late = new OcspStatusChecker({
      clock: { now: () => new Date(eco().clock.now().getTime() + 30 * 24 * 3600 * 1000) },
      url: `${eco().url}/ocsp`,
    });
    assert.equal(await late.status(c.leaf, c.issuer), 'unknown', 'nextUpdate passed');
  });
});
