// The shared HTTP test ecosystem itself: a real server with the demo PKI, tokens over HTTP, and the
// role checks of an existing protected route (EST cacerts is public, simpleenroll is not).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachEcosystem } from './test-ecosystem.ts';

forEachEcosystem(
  'test ecosystem',
  (eco) => {
    test('serves health, issues tokens and has the demo hierarchy', async () => {
      const health = await eco().fetch('/health');
      assert.equal(health.status, 200);
      const token = await eco().token('CPO', 'DE*ABC');
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const cas = await eco().app.ca.listCas();
      assert.ok(cas.some((ca) => ca.role === 'v2g-root' && ca.iso === '2'));
      const cacerts = await eco().fetch('/.well-known/est/cpo/cacerts');
      assert.equal(cacerts.status, 200);
      const anonymous = await eco().fetch('/.well-known/est/cpo/simpleenroll', { method: 'POST', body: 'x' });
      assert.equal(anonymous.status, 401);
      assert.deepEqual(Object.keys((await anonymous.json()) as object).sort(), ['errorMessages', 'traceId']);
    });
  },
  { iso: [2] },
);
