// The OCSP responder's status view (D-091) on both storage backends, with the real CA service:
// what it remembers, when it reads again, and that a read overtaken by a change is not kept.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/pki-http/ocsp-status-view.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../storage/testing/backends.ts';
import { OcspStatusView } from './ocsp-status-view.ts';
import { withPkiHarness } from './testing/harness.ts';
import { csrKey, makeCsr } from './testing/messages.ts';

forEachBackend('OCSP status view', (getDb) => {
  test('remembers statuses; a revocation of this process is answered at once; serials ≤ 0 are unknown', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const sub2 = h.ca2('cpo-sub2');
      const issued = await h.ca.issueFromCsr({
        caId: sub2.id,
        csrDer: makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E7' }),
        role: 'CPO',
      });
      const serial = BigInt(`0x${issued.serial}`);
      const view = new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: 500, maxEntries: 10 });
      h.ca.onRevoked((caId, s) => view.invalidate(caId, s));
      const [first] = await view.statuses(sub2.id, [serial]);
      assert.deepEqual(first, { status: 'good', fingerprint: 'good' });
      assert.equal(view.size, 1);
      // Serial 0 and negative serials are never issued: unknown, and nothing to remember.
      assert.deepEqual(
        (await view.statuses(sub2.id, [0n, -5n])).map((e) => e.status),
        ['unknown', 'unknown'],
      );
      assert.equal(view.size, 1);
      const unknown = await view.statuses(sub2.id, [0x1234n]);
      assert.equal(unknown[0]?.status, 'unknown');
      assert.equal(view.size, 2, 'unknown serials are remembered too (bounded)');

      const at = new Date(Math.floor(h.clock.now().getTime() / 1000) * 1000 - 5000);
      await h.ca.revoke({ id: issued.id, reason: 'keyCompromise', at });
      const [revoked] = await view.statuses(sub2.id, [serial]);
      assert.equal(revoked?.fingerprint, `revoked:${at.getTime()}:1`);
      assert.deepEqual(revoked?.status, { revoked: { time: at, reason: 1 } });
    });
  });

  test('a read overtaken by an invalidation is answered but not remembered', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const caId = h.ca2('cpo-sub2').id;
      // The real CA service, with a revocation of this process landing while a status is read.
      const racing = {
        statusChangeMarker: () => h.ca.statusChangeMarker(),
        revocationStatus: async (id: string, serial: string | bigint) => {
          const status = await h.ca.revocationStatus(id, serial);
          view.invalidate(id, serial as bigint);
          return status;
        },
      };
      const view: OcspStatusView = new OcspStatusView({
        ca: racing,
        clock: h.clock,
        maxAgeMs: 1000,
        maxEntries: 10,
      });
      assert.equal((await view.statuses(caId, [0x77n]))[0]?.status, 'unknown');
      assert.equal(view.size, 0);
      const calm = new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: 1000, maxEntries: 10 });
      await calm.statuses(caId, [0x77n]);
      assert.equal(calm.size, 1);
    });
  });

  test('bounded: the oldest read is dropped first; maxAgeMs 0 remembers nothing', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const caId = h.ca2('cpo-sub2').id;
      const view = new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: 1000, maxEntries: 2 });
      await view.statuses(caId, [1n, 2n, 3n]);
      assert.equal(view.size, 2);
      const off = new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: 0, maxEntries: 2 });
      await off.statuses(caId, [1n, 2n]);
      assert.equal(off.size, 0);
      assert.throws(
        () => new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: -1, maxEntries: 2 }),
        RangeError,
      );
      assert.throws(
        () => new OcspStatusView({ ca: h.ca, clock: h.clock, maxAgeMs: 1, maxEntries: 0 }),
        RangeError,
      );
    });
  });
});
