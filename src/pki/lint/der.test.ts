import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDer, decodeOid } from './der.ts';
import { decodeBasicConstraints, decodeKeyUsage } from './extensions.ts';

function issues(bytes: number[]): readonly string[] {
  const d = decodeDer(Uint8Array.from(bytes));
  assert.ok(d.ok, d.ok ? '' : d.reason);
  return d.issues;
}

function rejected(bytes: number[]): string {
  const d = decodeDer(Uint8Array.from(bytes));
  assert.equal(d.ok, false);
  return d.ok ? '' : d.reason;
}

describe('decodeDer (X.690 §10-11)', () => {
  it('accepts canonical DER without issues', () => {
    assert.deepEqual(issues([0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x05]), []);
  });
  it('flags non-minimal lengths, BOOLEAN, INTEGER, BIT STRING padding, NULL, constructed strings', () => {
    assert.match(issues([0x30, 0x81, 0x03, 0x02, 0x01, 0x01]).join(), /non-minimal length/);
    assert.match(issues([0x01, 0x01, 0x01]).join(), /BOOLEAN/);
    assert.match(issues([0x02, 0x02, 0x00, 0x7f]).join(), /INTEGER not minimally/);
    assert.match(issues([0x02, 0x02, 0xff, 0x80]).join(), /INTEGER not minimally/);
    assert.deepEqual(issues([0x02, 0x02, 0x00, 0x80]), []);
    assert.match(issues([0x03, 0x02, 0x01, 0x01]).join(), /padding/);
    assert.match(issues([0x03, 0x01, 0x01]).join(), /unused-bits/);
    assert.match(issues([0x05, 0x01, 0x00]).join(), /NULL/);
    assert.match(issues([0x24, 0x03, 0x04, 0x01, 0x00]).join(), /constructed encoding/);
  });
  it('rejects indefinite lengths, truncation and trailing bytes', () => {
    assert.match(rejected([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]), /indefinite/);
    rejected([0x30, 0x05, 0x02]);
    assert.match(rejected([0x05, 0x00, 0x00]), /trailing/);
    rejected([]);
  });
  it('decodes OIDs and rejects malformed ones', () => {
    assert.equal(
      decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07])),
      '1.2.840.10045.3.1.7',
    );
    assert.equal(
      decodeOid(Uint8Array.from([0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19])),
      '0.9.2342.19200300.100.1.25',
    );
    assert.equal(decodeOid(Uint8Array.from([0x81, 0x34, 0x03])), '2.100.3');
    assert.equal(decodeOid(Uint8Array.from([0x2a, 0x86])), null);
    assert.equal(decodeOid(Uint8Array.from([0x80, 0x01])), null);
    assert.equal(decodeOid(new Uint8Array(0)), null);
  });
});

describe('extension decoders', () => {
  it('basicConstraints: explicit cA FALSE and pathLen', () => {
    const explicit = decodeBasicConstraints(Uint8Array.from([0x30, 0x03, 0x01, 0x01, 0x00]));
    assert.ok(explicit.ok);
    assert.deepEqual(explicit.value, { ca: false, pathLen: null, caFalseExplicit: true });
    const sub1 = decodeBasicConstraints(Uint8Array.from([0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x01]));
    assert.ok(sub1.ok);
    assert.deepEqual(sub1.value, { ca: true, pathLen: 1, caFalseExplicit: false });
    assert.equal(decodeBasicConstraints(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0xff])).ok, false); // negative pathLen
  });
  it('keyUsage: bits and DER trimming (X.690 §11.2.2)', () => {
    const ca = decodeKeyUsage(Uint8Array.from([0x03, 0x02, 0x01, 0x06]));
    assert.ok(ca.ok);
    assert.deepEqual([...ca.value.bits].sort(), ['cRLSign', 'keyCertSign']);
    assert.deepEqual(ca.derIssues, []);
    const untrimmed = decodeKeyUsage(Uint8Array.from([0x03, 0x02, 0x00, 0x06]));
    assert.ok(untrimmed.ok);
    assert.match(untrimmed.derIssues.join(), /not trimmed/);
    const decipherOnly = decodeKeyUsage(Uint8Array.from([0x03, 0x03, 0x07, 0x00, 0x80]));
    assert.ok(decipherOnly.ok);
    assert.deepEqual([...decipherOnly.value.bits], ['decipherOnly']);
  });
});
