// The bounded cache of parsed certificates (D-170): a hit is the same certificate (whole DER compared),
// never another one's; DER that does not parse throws and is not kept; the size stays bounded.

import 'reflect-metadata'; // @peculiar/x509 (the chain builder) resolves its algorithms through tsyringe
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import {
  MAX_PARSED_CERTIFICATES,
  parseCertificateCached,
  parsedCertificateCount,
} from './parsed-certificates.ts';
import { LEAF_KU, makeCert, newKey } from './path/testing/chain-builder.ts';

test('the same DER gives the same parsed certificate; other DER another one', async () => {
  const a = await makeCert({ subject: 'CN=WP0CACHE000000001', key: await newKey('P-256'), ku: LEAF_KU });
  const b = await makeCert({ subject: 'CN=WP0CACHE000000002', key: await newKey('P-521'), ku: LEAF_KU });
  const first = parseCertificateCached(a);
  assert.equal(parseCertificateCached(new Uint8Array(a)), first, 'a copy of the bytes hits');
  const other = parseCertificateCached(b);
  assert.notEqual(other, first);
  // The facts are those node:crypto reports for a fresh parse.
  for (const [der, parsed] of [
    [a, first],
    [b, other],
  ] as const) {
    const fresh = new X509Certificate(der);
    assert.equal(parsed.subject, fresh.subject);
    assert.equal(parsed.x509.fingerprint256, fresh.fingerprint256);
    assert.equal(parsed.keyType, fresh.publicKey.asymmetricKeyType);
    assert.equal(parsed.namedCurve, fresh.publicKey.asymmetricKeyDetails?.namedCurve);
    assert.ok(parsed.publicKey.equals(fresh.publicKey));
  }
  assert.equal(first.namedCurve, 'prime256v1');
  assert.equal(other.namedCurve, 'secp521r1');
  // The cache keeps its own copy: changing the caller's array afterwards changes nothing.
  const mutable = new Uint8Array(a);
  const viaMutable = parseCertificateCached(mutable);
  mutable[mutable.length - 1] ^= 0xff;
  assert.deepEqual(viaMutable.der, a);
  assert.notEqual(parseCertificateCached(mutable).x509.fingerprint256, first.x509.fingerprint256);
});

test('DER that does not parse throws as node:crypto does and is not kept', () => {
  const before = parsedCertificateCount();
  assert.throws(() => parseCertificateCached(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)));
  assert.throws(() => parseCertificateCached(new Uint8Array(0)));
  assert.equal(parsedCertificateCount(), before);
});

test('the cache is bounded', async () => {
  const der = await makeCert({ subject: 'CN=WP0CACHE000000003', key: await newKey('P-256'), ku: LEAF_KU });
  // Distinct DER that still parses: the last bytes of the signature value changed.
  for (let i = 0; i < MAX_PARSED_CERTIFICATES + 50; i++) {
    const variant = new Uint8Array(der);
    variant[variant.length - 1] = i & 0xff;
    variant[variant.length - 2] = (i >> 8) & 0xff;
    parseCertificateCached(variant);
  }
  assert.equal(parsedCertificateCount(), MAX_PARSED_CERTIFICATES);
});
