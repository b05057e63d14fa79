// The OCSP responder over HTTP (RFC 6960, RFC 5019) on both storage backends: statuses, CertID hash
// algorithms, nonce, the pre-signed cache and its invalidation, GET and POST, CitrineOS hex bodies,
// issuer-signed and delegated responses (signatures checked with node:crypto against the signer's
// certificate), and hostile input. `openssl ocsp` checks the same answers in
// test/integration/cpo-est-ocsp.test.ts.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/pki-http/ocsp-routes.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CertificateAuthorityService as CaService,
  SqlCaRepository,
  UnavailableKeyStore,
} from '../ca/index.ts';
import { MemoryLogger } from '../ca/testing/fixtures.ts';
import { integer, octetString, oid, sequence } from '../pki/ocsp/asn1.ts';
import {
  certIdFor,
  encodeOcspGetPath,
  OCSP_HASH_ALGORITHMS,
  type OcspIssuer,
  OID,
  parseCertificate,
} from '../pki/ocsp/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { OCSP_CONTENT_TYPE } from './ocsp-routes.ts';
import { MARKER_REUSE_MS } from './ocsp-status-view.ts';
import { type PkiHarness, withPkiHarness } from './testing/harness.ts';
import {
  csrKey,
  encodeOcspRequest,
  makeCsr,
  ocspSignatureValid,
  ocspStatusName,
  type ReadOcspResponse,
  readOcspResponse,
} from './testing/messages.ts';

const HOUR = 3_600_000;

function issuerOf(certificate: Uint8Array): OcspIssuer {
  const info = parseCertificate(certificate);
  return { subjectDer: info.subjectDer, spkiDer: info.spki.der };
}

/** A SECC leaf issued by the -2 (or -20) CPO Sub-CA 2. */
async function secc(h: PkiHarness, iso: 2 | 20 = 2, cn = 'DE*ABC*E1') {
  const caView = iso === 2 ? h.ca2('cpo-sub2') : h.ca20('cpo-sub2');
  const issued = await h.ca.issueFromCsr({
    caId: caView.id,
    csrDer: makeCsr({ key: csrKey(iso === 2 ? 'P-256' : 'P-521'), commonName: cn }),
    role: 'CPO',
  });
  return {
    issued,
    issuer: issuerOf(caView.certificate as Uint8Array),
    caCertificate: caView.certificate as Uint8Array,
  };
}

async function post(h: PkiHarness, der: Uint8Array, contentType = 'application/ocsp-request') {
  const res = await h.inject({
    method: 'POST',
    url: '/ocsp',
    headers: { 'content-type': contentType },
    payload: Buffer.from(der),
  });
  return { res, ocsp: readOcspResponse(new Uint8Array(res.rawPayload)) };
}

function assertSuccessful(ocsp: ReadOcspResponse, signer: Uint8Array): void {
  assert.equal(ocspStatusName(ocsp.responseStatus), 'successful');
  assert.ok(ocspSignatureValid(ocsp, signer), 'the response signature verifies with the signer certificate');
}

forEachBackend('OCSP over HTTP', (getDb) => {
  test('good, revoked, unknown; every CertID hash; issuer-signed; headers', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const a = await secc(h);
      for (const algorithm of OCSP_HASH_ALGORITHMS) {
        const { res, ocsp } = await post(
          h,
          encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), algorithm)]),
        );
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], OCSP_CONTENT_TYPE);
        assertSuccessful(ocsp, a.caCertificate);
        assert.deepEqual(ocsp.certs, [], 'issuer-signed responses carry no certificate');
        assert.equal(ocsp.responses[0]?.certStatus.status, 'good', algorithm);
        assert.equal(
          ocsp.responses[0]?.nextUpdate?.getTime(),
          (ocsp.responses[0]?.thisUpdate.getTime() ?? 0) + 24 * HOUR,
        );
      }
      await h.ca.revoke({ id: a.issued.id, reason: 'keyCompromise' });
      const revoked = await post(
        h,
        encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')]),
      );
      assertSuccessful(revoked.ocsp, a.caCertificate);
      const status = revoked.ocsp.responses[0]?.certStatus;
      assert.equal(status?.status, 'revoked');
      assert.equal(status?.status === 'revoked' ? status.reason : undefined, 1);

      const unknown = await post(h, encodeOcspRequest([certIdFor(a.issuer, 0x1234567890n, 'sha256')]));
      assertSuccessful(unknown.ocsp, a.caCertificate);
      assert.equal(unknown.ocsp.responses[0]?.certStatus.status, 'unknown');
      // Serial 0 and negative serials were never issued: unknown, without a database lookup error.
      const zero = await post(h, encodeOcspRequest([certIdFor(a.issuer, 0n, 'sha256')]));
      assert.equal(zero.ocsp.responses[0]?.certStatus.status, 'unknown');
    });
  });

  test('the pre-signed cache: same bytes until half the validity, any status change answered at once', async () => {
    await withPkiHarness(getDb(), { config: { ocspValiditySeconds: 3600 } }, async (h) => {
      const a = await secc(h);
      const request = encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')]);
      const first = await post(h, request);
      h.clock.advance(60_000);
      const second = await post(h, request);
      assert.deepEqual(second.res.rawPayload, first.res.rawPayload, 'answered from the cache');
      assert.equal(h.pki.ocsp.cachedResponses, 1);
      // Re-signed once half of the validity has passed (RFC 5019 §6: refreshed before nextUpdate).
      h.clock.advance(HOUR / 2);
      const third = await post(h, request);
      assert.notDeepEqual(third.res.rawPayload, first.res.rawPayload);
      assert.equal(
        third.ocsp.producedAt?.getTime(),
        h.clock.now().getTime() - (h.clock.now().getTime() % 1000),
      );
      // A revocation through the CA service of this process reaches the status view at once.
      await h.ca.revoke({ id: a.issued.id, reason: 'superseded' });
      const fourth = await post(h, request);
      assert.equal(fourth.ocsp.responses[0]?.certStatus.status, 'revoked');
      assertSuccessful(fourth.ocsp, a.caCertificate);
    });
  });

  test('another process revokes: SQLite answers it a millisecond later, PostgreSQL within ocspStatusMaxAgeMs', async () => {
    const db = getDb();
    await withPkiHarness(db, {}, async (h) => {
      const a = await secc(h);
      const request = encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')]);
      assert.equal((await post(h, request)).ocsp.responses[0]?.certStatus.status, 'good');
      // A second CA service on the same database stands for `pnc pki revoke` in another process:
      // no listener of this process hears about it.
      const other = new CaService({
        repository: new SqlCaRepository(db),
        keyStore: h.keyStore,
        clock: h.clock,
        random: (n) => new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(n))),
        publicUrl: 'http://pki.example.test:8080',
        logger: new MemoryLogger(),
      });
      await other.revoke({ id: a.issued.id, reason: 'keyCompromise' });
      const next = (await post(h, request)).ocsp.responses[0]?.certStatus.status;
      if (db.dialect === 'sqlite') {
        // One read of data_version serves the requests of one millisecond (MARKER_REUSE_MS).
        assert.equal(next, 'good', 'the same millisecond as the last data_version read');
        h.clock.advance(MARKER_REUSE_MS);
        const later = await post(h, request);
        assert.equal(later.ocsp.responses[0]?.certStatus.status, 'revoked', 'data_version changed');
        assertSuccessful(later.ocsp, a.caCertificate);
      } else {
        assert.equal(next, 'good', 'PostgreSQL: the status read a moment ago is still used');
        h.clock.advance(999);
        assert.equal((await post(h, request)).ocsp.responses[0]?.certStatus.status, 'good');
        h.clock.advance(1);
        const later = await post(h, request);
        assert.equal(later.ocsp.responses[0]?.certStatus.status, 'revoked', 'read again after 1000 ms');
        assertSuccessful(later.ocsp, a.caCertificate);
      }
    });
  });

  test('ocspStatusMaxAgeMs 0: the status is read for every request, also by other processes', async () => {
    const db = getDb();
    await withPkiHarness(db, { config: { ocspStatusMaxAgeMs: 0 } }, async (h) => {
      const a = await secc(h);
      const request = encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')]);
      assert.equal((await post(h, request)).ocsp.responses[0]?.certStatus.status, 'good');
      const other = new CaService({
        repository: new SqlCaRepository(db),
        keyStore: h.keyStore,
        clock: h.clock,
        random: (n) => new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(n))),
        publicUrl: 'http://pki.example.test:8080',
        logger: new MemoryLogger(),
      });
      await other.revoke({ id: a.issued.id, reason: 'keyCompromise' });
      assert.equal((await post(h, request)).ocsp.responses[0]?.certStatus.status, 'revoked');
    });
  });

  test('a CertID without NULL hash parameters gets its own encoding back and bypasses the cache', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const a = await secc(h);
      const id = certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256');
      // RFC 5754 §2: the parameters may be absent; OpenSSL and encodeCertId write NULL.
      const bare = sequence(
        sequence(oid(OID.sha256)),
        octetString(id.issuerNameHash),
        octetString(id.issuerKeyHash),
        integer(id.serialNumber),
      );
      const request = sequence(sequence(sequence(sequence(bare))));
      const { ocsp } = await post(h, request);
      assertSuccessful(ocsp, a.caCertificate);
      assert.deepEqual(ocsp.responses[0]?.certIdDer, bare);
      assert.equal(h.pki.ocsp.cachedResponses, 0);
    });
  });

  test('nonce requests are answered fresh, echo the nonce and are never cached', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const a = await secc(h);
      const id = certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256');
      const n1 = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
      const n2 = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
      const r1 = await post(h, encodeOcspRequest([id], n1));
      const r2 = await post(h, encodeOcspRequest([id], n2));
      assertSuccessful(r1.ocsp, a.caCertificate);
      assert.deepEqual(r1.ocsp.nonce, n1);
      assert.deepEqual(r2.ocsp.nonce, n2);
      assert.equal(h.pki.ocsp.cachedResponses, 0);
      assert.equal(r1.res.headers['cache-control'], 'no-store');
    });
  });

  test('GET with url-encoded base64 (and sloppy encodings), RFC 5019 caching headers', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const a = await secc(h);
      const request = encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha1')]);
      const viaPost = await post(h, request);
      const res = await h.inject({ method: 'GET', url: `/ocsp/${encodeOcspGetPath(request)}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], OCSP_CONTENT_TYPE);
      assert.deepEqual(res.rawPayload, viaPost.res.rawPayload, 'GET and POST share the cached response');
      assert.match(
        String(res.headers['cache-control']),
        /^max-age=\d+, public, no-transform, must-revalidate$/,
      );
      assert.ok(res.headers.etag && res.headers.expires && res.headers['last-modified']);
      const raw = Buffer.from(request).toString('base64'); // '+' and '/' not encoded
      const sloppy = await h.inject({ method: 'GET', url: `/ocsp/${raw}` });
      assert.deepEqual(sloppy.rawPayload, viaPost.res.rawPayload);
      const garbage = await h.inject({ method: 'GET', url: '/ocsp/!!!!' });
      assert.equal(garbage.statusCode, 200);
      assert.equal(
        ocspStatusName(readOcspResponse(new Uint8Array(garbage.rawPayload)).responseStatus),
        'malformedRequest',
      );
    });
  });

  test('CitrineOS hex bodies; several CertIDs of one CA; CertIDs of two CAs are unauthorized', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const a = await secc(h);
      const b = await secc(h, 2, 'DE*ABC*E2');
      const ids = [a, b].map((x) => certIdFor(x.issuer, BigInt(`0x${x.issued.serial}`), 'sha256'));
      const hex = Buffer.from(Buffer.from(encodeOcspRequest(ids)).toString('hex'));
      const { ocsp } = await post(h, hex, 'application/ocsp-request');
      assertSuccessful(ocsp, a.caCertificate);
      assert.deepEqual(
        ocsp.responses.map((r) => r.certStatus.status),
        ['good', 'good'],
      );
      const other = await secc(h, 20);
      const mixed = encodeOcspRequest([
        ids[0] as never,
        certIdFor(other.issuer, BigInt(`0x${other.issued.serial}`), 'sha256'),
      ]);
      assert.equal(ocspStatusName((await post(h, mixed)).ocsp.responseStatus), 'unauthorized');
      // An issuer this server does not know: unauthorized (RFC 5019 §2.2.3), unsigned.
      const foreign = { subjectDer: Uint8Array.of(0x30, 0x00), spkiDer: a.issuer.spkiDer };
      const r = await post(h, encodeOcspRequest([certIdFor(foreign, 5n, 'sha256')]));
      assert.equal(ocspStatusName(r.ocsp.responseStatus), 'unauthorized');
      // ISO 15118-20 (P-521) is signed by its CA with ecdsa-with-SHA512.
      const p521 = await post(
        h,
        encodeOcspRequest([certIdFor(other.issuer, BigInt(`0x${other.issued.serial}`), 'sha512')]),
      );
      assertSuccessful(p521.ocsp, other.caCertificate);
    });
  });

  test('delegated responder: issued once by the CA, embedded, signs; -2 and -20', async () => {
    await withPkiHarness(getDb(), { config: { ocspResponder: 'delegated' } }, async (h) => {
      const a = await secc(h);
      const before = await h.counts();
      const request = (nonce: number) =>
        encodeOcspRequest(
          [certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')],
          Uint8Array.of(nonce),
        );
      const r1 = await post(h, request(1));
      const r2 = await post(h, request(2));
      for (const r of [r1, r2]) {
        assert.equal(r.ocsp.certs.length, 1, 'the delegated responder certificate is embedded');
        assertSuccessful(r.ocsp, r.ocsp.certs[0] as Uint8Array);
        const responder = parseCertificate(r.ocsp.certs[0] as Uint8Array);
        assert.deepEqual(responder.issuerDer, parseCertificate(a.caCertificate).subjectDer);
        assert.ok(responder.extKeyUsage?.includes('1.3.6.1.5.5.7.3.9'), 'id-kp-OCSPSigning');
      }
      assert.deepEqual(r1.ocsp.certs, r2.ocsp.certs, 'one responder certificate, reused');
      assert.equal((await h.counts()).certificates, before.certificates + 1);
      const other = await secc(h, 20);
      const p521 = await post(
        h,
        encodeOcspRequest([certIdFor(other.issuer, BigInt(`0x${other.issued.serial}`), 'sha256')]),
      );
      assert.equal(p521.ocsp.certs.length, 1);
      assert.equal(parseCertificate(p521.ocsp.certs[0] as Uint8Array).spki.algorithm, 'P-521');
      assertSuccessful(p521.ocsp, p521.ocsp.certs[0] as Uint8Array);
      // Renewed when less than 10 days of its 30 are left.
      h.clock.advance(21 * 24 * HOUR);
      const r3 = await post(h, request(3));
      assert.notDeepEqual(r3.ocsp.certs, r1.ocsp.certs);
      assertSuccessful(r3.ocsp, r3.ocsp.certs[0] as Uint8Array);
    });
  });

  test('hostile input: garbage, empty, oversized, unknown critical extension; nothing stored', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const before = await h.counts();
      for (const body of [
        Buffer.from('garbage'),
        Buffer.alloc(0),
        Buffer.from([0x30, 0x80, 0x00, 0x00]),
        Buffer.alloc(5000, 0x30),
      ]) {
        const res = await h.inject({
          method: 'POST',
          url: '/ocsp',
          headers: { 'content-type': 'application/ocsp-request' },
          payload: body,
        });
        assert.equal(res.statusCode, 200);
        assert.equal(
          ocspStatusName(readOcspResponse(new Uint8Array(res.rawPayload)).responseStatus),
          'malformedRequest',
        );
      }
      const big = await h.inject({
        method: 'POST',
        url: '/ocsp',
        headers: { 'content-type': 'application/ocsp-request' },
        payload: Buffer.alloc(300 * 1024, 0x41),
      });
      assert.equal(big.statusCode, 413);
      assert.equal(big.headers['content-type'], OCSP_CONTENT_TYPE);
      assert.equal(
        ocspStatusName(readOcspResponse(new Uint8Array(big.rawPayload)).responseStatus),
        'malformedRequest',
      );
      assert.deepEqual(await h.counts(), before);
    });
  });

  test('a key store that cannot open keys answers tryLater, and is not asked again for 10 s', async () => {
    const unavailable = new UnavailableKeyStore('software', 'set PNC_KEY_PASSPHRASE');
    let opens = 0;
    const counting = {
      open: (_id: string) => {
        opens++;
        return unavailable.open();
      },
    };
    await withPkiHarness(getDb(), { routesKeyStore: counting }, async (h) => {
      const a = await secc(h);
      const request = encodeOcspRequest([certIdFor(a.issuer, BigInt(`0x${a.issued.serial}`), 'sha256')]);
      for (let i = 0; i < 3; i++) {
        assert.equal(ocspStatusName((await post(h, request)).ocsp.responseStatus), 'tryLater');
      }
      assert.equal(opens, 1, 'a failed key opening is remembered (no scrypt per public request)');
      h.clock.advance(11_000);
      assert.equal(ocspStatusName((await post(h, request)).ocsp.responseStatus), 'tryLater');
      assert.equal(opens, 2);
    });
  });
});
