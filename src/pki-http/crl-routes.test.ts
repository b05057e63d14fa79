// CRLs over HTTP on both storage backends: DER signed by the CA (checked with `openssl crl -verify`
// when openssl is installed, and parsed with node:crypto's X509 support otherwise), CRL numbers
// that increase and are stored, re-signing only when the entries changed or half the validity
// passed, one number per change also under concurrent fetches and across two "instances".
//
// PNC_REQUIRE_POSTGRES=1 node --test src/pki-http/crl-routes.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDer, expectSequence, explicitInner, readExtensions, readInteger } from '../pki/ocsp/asn1.ts';
import { OID } from '../pki/ocsp/index.ts';
import { hasOpenssl, openssl, TempDir } from '../pki/ocsp/testing/test-pki.ts';
import { toPem } from '../pki/path/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { CRL_CONTENT_TYPE } from './crl-routes.ts';
import { CrlService } from './crl-service.ts';
import { CrlStore } from './crl-store.ts';
import { errorMessage, type PkiHarness, withPkiHarness } from './testing/harness.ts';
import { csrKey, makeCsr } from './testing/messages.ts';

const HOUR = 3_600_000;

/** CRL number and the revoked serials of a DER CRL (RFC 5280 §5.1). */
function readCrl(der: Uint8Array): { crlNumber: bigint; serials: bigint[] } {
  const tbs = expectSequence(expectSequence(decodeDer(der, 'CRL'), 'CRL')[0], 'tbs');
  // version, signature, issuer, thisUpdate, nextUpdate, [revokedCertificates], [0] crlExtensions
  const revoked = tbs.length === 7 ? expectSequence(tbs[5], 'revoked') : [];
  const extensions = readExtensions(explicitInner(tbs[tbs.length - 1] as never, 'ext'), 'crlExtensions');
  const number = extensions.find((e) => e.oid === OID.crlNumber);
  assert.ok(number, 'CRL number present');
  return {
    crlNumber: readInteger(decodeDer(number.value, 'crlNumber'), 'crlNumber').value,
    serials: revoked.map((entry) => readInteger(expectSequence(entry, 'entry')[0], 'serial').value),
  };
}

async function fetchCrl(h: PkiHarness, caId: string) {
  const res = await h.inject({ method: 'GET', url: `/crl/${caId}` });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], CRL_CONTENT_TYPE);
  const der = new Uint8Array(res.rawPayload);
  return { der, ...readCrl(der) };
}

function opensslVerifies(der: Uint8Array, issuer: Uint8Array): boolean {
  if (!hasOpenssl()) return true;
  const dir = new TempDir();
  try {
    dir.write('ca.pem', toPem(issuer));
    dir.write('crl.der', der);
    const r = openssl(['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'ca.pem', '-noout', '-verify'], {
      cwd: dir.path,
    });
    return r.status === 0 && /verify OK/.test(r.output);
  } finally {
    dir.remove();
  }
}

async function issueSecc(h: PkiHarness, cn: string) {
  return h.ca.issueFromCsr({
    caId: h.ca2('cpo-sub2').id,
    csrDer: makeCsr({ key: csrKey('P-256'), commonName: cn }),
    role: 'CPO',
  });
}

forEachBackend('CRL over HTTP', (getDb) => {
  test('signed, stored, re-signed on a change or after half its validity, numbers increase', async () => {
    await withPkiHarness(getDb(), { config: { crlValiditySeconds: 2 * 3600 } }, async (h) => {
      const sub2 = h.ca2('cpo-sub2');
      const first = await fetchCrl(h, sub2.id);
      assert.equal(first.crlNumber, 1n);
      assert.deepEqual(first.serials, []);
      assert.ok(opensslVerifies(first.der, sub2.certificate as Uint8Array), 'openssl crl -verify');
      h.clock.advance(60_000);
      const again = await fetchCrl(h, `${sub2.id}.crl`);
      assert.deepEqual(again.der, first.der, 'served as stored, not signed again');

      const a = await issueSecc(h, 'DE*ABC*E1');
      await issueSecc(h, 'DE*ABC*E2');
      await h.ca.revoke({ id: a.id, reason: 'keyCompromise' });
      const second = await fetchCrl(h, sub2.id);
      assert.equal(second.crlNumber, 2n);
      assert.deepEqual(second.serials, [BigInt(`0x${a.serial}`)]);
      assert.ok(opensslVerifies(second.der, sub2.certificate as Uint8Array));

      h.clock.advance(HOUR + 1000); // past half of the 2 h validity
      const third = await fetchCrl(h, sub2.id);
      assert.equal(third.crlNumber, 3n);
      assert.deepEqual(third.serials, second.serials);

      // Roots publish CRLs of their sub-CA certificates too.
      const root = await fetchCrl(h, h.ca20('root').id);
      assert.equal(root.crlNumber, 1n);
      assert.ok(opensslVerifies(root.der, h.ca20('root').certificate as Uint8Array));
    });
  });

  test('concurrent fetches and a second instance never give two CRLs one number', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const sub2 = h.ca2('cpo-sub2');
      const a = await issueSecc(h, 'DE*ABC*E1');
      await h.ca.revoke({ id: a.id });
      const crls = await Promise.all(Array.from({ length: 5 }, () => fetchCrl(h, sub2.id)));
      for (const c of crls) assert.deepEqual(c.der, crls[0]?.der);
      // Another instance (own service and lock, same database) sees the stored number.
      const other = new CrlService({
        ca: h.ca,
        keyStore: h.keyStore,
        store: new CrlStore(h.db),
        clock: h.clock,
        validitySeconds: 86_400,
      });
      const b = await issueSecc(h, 'DE*ABC*E3');
      await h.ca.revoke({ id: b.id });
      const fromOther = await other.current(sub2.id);
      assert.equal(fromOther.crlNumber, 2n);
      const fromFirst = await fetchCrl(h, sub2.id);
      assert.equal(fromFirst.crlNumber, 2n);
      assert.deepEqual(fromFirst.der, fromOther.der);
    });
  });

  test('unknown CA: 404 with the OPCP error body', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const res = await h.inject({ method: 'GET', url: '/crl/ca-0123456789abcdef' });
      assert.equal(res.statusCode, 404);
      assert.match(errorMessage(res), /no CA ca-0123456789abcdef/);
    });
  });
});
