// Pool maintenance with the real pools of the composition root (RCP, PCP as wired in create-app.ts),
// on SQLite and PostgreSQL: once the demo roots have expired, a run removes them, audits it, and a
// partner's endpoint receives root.cert.expired over HTTP with a valid signature.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { listAudit } from '../audit/audit-log.ts';
import { startReceiver, type TestReceiver } from '../events/testing/receiver.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';

const receivers: TestReceiver[] = [];
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

forEachEcosystem(
  'pool maintenance with the real pools',
  (eco) => {
    test('expired roots leave the RCP, audited, and subscribers get root.cert.expired', async () => {
      const receiver = await startReceiver();
      receivers.push(receiver);
      const cpo = await eco().token('CPO', 'DE*MA1');
      const res = await eco().fetch('/v1/webhook/endpoints', {
        method: 'POST',
        token: cpo,
        body: { url: receiver.url, enabledEvents: ['root.cert.expired'] },
      });
      assert.equal(res.status, 201, await res.clone().text());
      const { secret } = (await res.json()) as { secret: string };

      const roots = await eco().app.rcp.trustedRoots();
      assert.ok(roots.length > 0, 'the ecosystem publishes demo roots');
      // Nothing has expired yet.
      const early = await eco().app.maintenance.run('cli');
      assert.equal(early.roots, 0);

      const lastExpiry = Math.max(...roots.map((r) => r.notAfter.getTime()));
      eco().clock.set(new Date(lastExpiry + 86_400_000));
      const report = await eco().app.maintenance.run('cli');
      assert.equal(report.failures, 0);
      assert.equal(report.roots, roots.length);
      assert.deepEqual(await eco().app.rcp.trustedRoots(), []);

      await eco().app.events.worker.runOnce();
      await receiver.waitFor(roots.length);
      const fingerprints = receiver.requests
        .map((r) => {
          assert.equal(
            r.headers['payload-signature'],
            createHmac('sha256', secret).update(r.body).digest('hex'),
          );
          const body = JSON.parse(r.body) as { eventType: string; payload: { fingerprintSHA256: string } };
          assert.equal(body.eventType, 'root.cert.expired');
          return body.payload.fingerprintSHA256;
        })
        .sort();
      assert.deepEqual(fingerprints, roots.map((r) => r.fingerprintSha256).sort());

      const audit = await listAudit(eco().app.db, { component: 'maintenance' });
      assert.deepEqual(
        audit
          .filter((a) => a.action === 'root.removed')
          .map((a) => a.subject)
          .sort(),
        roots.map((r) => r.fingerprintSha256).sort(),
      );
      assert.ok(audit.every((a) => a.actor === 'cli'));

      const again = await eco().app.maintenance.run('system');
      assert.equal(again.roots, 0);
    });
  },
  {
    iso: [2],
    env: { PNC_WEBHOOK_ALLOW_HTTP: '1', PNC_WEBHOOK_ALLOW_PRIVATE: '1', PNC_MAINTENANCE_INTERVAL: '0' },
  },
);
