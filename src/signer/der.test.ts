import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  DerError,
  encodeElement,
  encodeOid,
  encodeSmallInteger,
  encodeUnsignedInteger,
  readElement,
  readSingle,
  readSmallInteger,
  readUnsignedInteger,
  TAG_INTEGER,
  TAG_OCTET_STRING,
} from './der.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('encodeOid matches well-known encodings', () => {
  assert.equal(hex(encodeOid('1.2.840.10045.3.1.7')), '06082a8648ce3d030107'); // prime256v1
  assert.equal(hex(encodeOid('1.3.132.0.35')), '06052b81040023'); // secp521r1
  assert.equal(hex(encodeOid('1.3.101.113')), '06032b6571'); // id-Ed448
  assert.equal(hex(encodeOid('1.3.6.1.4.1.11591.4.11')), '06092b06010401da47040b'); // id-scrypt (as OpenSSL writes it)
  assert.throws(() => encodeOid('1'), DerError);
  assert.throws(() => encodeOid('1.02'), DerError);
});

test('element lengths round-trip in short and long form and are minimal', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 70_000 }), (length) => {
      const element = encodeElement(TAG_OCTET_STRING, new Uint8Array(length));
      const read = readElement(element);
      assert.equal(read.value.length, length);
      assert.equal(read.end, element.length);
      assert.equal(
        element[1],
        length < 0x80 ? length : 0x80 | (length < 0x100 ? 1 : length < 0x10000 ? 2 : 3),
      );
    }),
    { numRuns: 200 },
  );
});

test('readElement rejects malformed headers', () => {
  assert.throws(() => readElement(Uint8Array.of(0x04)), DerError);
  assert.throws(() => readElement(Uint8Array.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5)), DerError); // non-minimal
  assert.throws(() => readElement(Uint8Array.of(0x04, 0x82, 0x00, 0x80)), DerError); // leading zero length octet
  assert.throws(() => readElement(Uint8Array.of(0x04, 0x80)), DerError); // indefinite
  assert.throws(() => readElement(Uint8Array.of(0x1f, 0x01, 0x00)), DerError); // high tag number
  assert.throws(() => readElement(Uint8Array.of(0x04, 0x03, 1, 2)), DerError); // past the end
  assert.throws(() => readSingle(Uint8Array.of(0x04, 0x00, 0x00), TAG_OCTET_STRING), DerError); // trailing
  assert.throws(() => readSingle(Uint8Array.of(0x04, 0x00), TAG_INTEGER), DerError); // wrong tag
});

test('unsigned INTEGERs round-trip through encode and read', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (magnitude) => {
      const der = encodeUnsignedInteger(magnitude);
      const back = readUnsignedInteger(readSingle(der, TAG_INTEGER));
      let start = 0;
      while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
      const expected = magnitude.subarray(start);
      if (expected.length === 1 && expected[0] === 0) assert.equal(back.length, 0);
      else assert.deepEqual(back, expected);
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
      assert.equal(readSmallInteger(readSingle(encodeSmallInteger(n), TAG_INTEGER)), n);
    }),
  );
});
