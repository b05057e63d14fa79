import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCertificates, toPem } from './index.ts';
import { makeChain } from './testing/chain-builder.ts';

describe('splitCertificates', () => {
  it('PEM with several blocks and text around them, concatenated DER, a single DER', async () => {
    const c = await makeChain('P-256');
    const pem = new TextEncoder().encode(
      `Bag Attributes\n${toPem(c.leaf)}junk\r\n${toPem(c.sub2)}\n${toPem(c.sub1)}`,
    );
    const a = splitCertificates(pem);
    assert.ok(a.ok);
    assert.deepEqual(a.certificates, [c.leaf, c.sub2, c.sub1]);
    const der = splitCertificates(Buffer.concat([c.leaf, c.sub2]));
    assert.ok(der.ok);
    assert.deepEqual(
      der.certificates.map((d) => Uint8Array.from(d)),
      [c.leaf, c.sub2],
    );
    const one = splitCertificates(c.root);
    assert.ok(one.ok);
    assert.equal(one.certificates.length, 1);
  });

  it('refuses trailing garbage after DER and PEM without certificates', async () => {
    const c = await makeChain('P-256');
    assert.equal(splitCertificates(Buffer.concat([c.leaf, Buffer.from('xx')])).ok, false);
    assert.equal(
      splitCertificates(
        new TextEncoder().encode(
          '-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n',
        ),
      ).ok,
      false,
    );
  });
});
