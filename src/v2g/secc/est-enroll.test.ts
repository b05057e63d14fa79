// The charger obtains its SECC certificate by EST from the platform (pnc serve, demo PKI), on
// node:sqlite and PostgreSQL: the leaf is for the generated key, the chain validates to the V2G root
// as a SECC chain, and the chain serves the ISO 15118-2 TLS profile.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../errors/app-error.ts';
import { validatePath } from '../../pki/path/index.ts';
import { forEachEcosystem } from '../../testing/test-ecosystem.ts';
import { startSeccServer } from '../transport.ts';
import { enrollSecc } from './est-enroll.ts';

forEachEcosystem('SECC enrolment by EST', (eco) => {
  test('simpleenroll + cacerts: a SECC chain to the V2G root, usable by the -2 TLS server', async () => {
    const token = await eco().token('CPO', 'DE*PNC');
    const enrolled = await enrollSecc({ baseUrl: eco().url, token, iso: 2, commonName: 'DE*PNC*E12345*1' });
    assert.equal(enrolled.chain.length, 3, 'leaf + CPO Sub-CA 2 + Sub-CA 1');
    assert.ok(enrolled.root);
    const path = validatePath({
      target: enrolled.chain[0]!,
      intermediates: enrolled.chain.slice(1),
      anchors: [enrolled.root],
      at: eco().clock.now(),
      profile: { role: 'secc-leaf' },
    });
    assert.ok(path.valid, path.valid ? '' : `${path.code} ${path.reason}`);
    const server = await startSeccServer({ profile: 'iso-2', identity: enrolled }, () => undefined);
    await server.close();
  });

  test("another operator's EVSEID or no token: refused", async () => {
    const token = await eco().token('CPO', 'DE*PNC');
    await assert.rejects(
      enrollSecc({ baseUrl: eco().url, token, iso: 2, commonName: 'DE*XYZ*E12345*1' }),
      (e: unknown) => isAppError(e) && e.code === 'secc.backend' && /HTTP 403/.test(e.message),
    );
    await assert.rejects(
      enrollSecc({ baseUrl: eco().url, token: 'nope', iso: 2, commonName: 'DE*PNC*E12345*1' }),
      (e: unknown) => isAppError(e) && e.code === 'secc.backend' && /HTTP 401/.test(e.message),
    );
  });
});
