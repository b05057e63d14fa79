import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { DerError } from './der.ts';
import { type EcdsaAlgorithm, ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature.ts';

const CURVES: Record<EcdsaAlgorithm, { size: number; order: bigint; nodeCurve: string; hash: string }> = {
  'P-256': {
    size: 32,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    nodeCurve: 'prime256v1',
    hash: 'sha256',
  },
  'P-521': {
    size: 66,
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    nodeCurve: 'secp521r1',
    hash: 'sha512',
  },
};

function toBytes(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1, v = n; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * Scalars in [1, n-1] biased towards the edge cases of the DER encoding: leading zero bytes (0 to
 * size-1 of them), a set high bit in the first non-zero byte (needs a 0x00 pad), and the ends of
 * the range.
 */
function scalar(algorithm: EcdsaAlgorithm): fc.Arbitrary<bigint> {
  const { size, order } = CURVES[algorithm];
  const shaped = fc
    .record({
      zeros: fc.integer({ min: 0, max: size - 1 }),
      highBit: fc.boolean(),
      body: fc.uint8Array({ minLength: size, maxLength: size }),
    })
    .map(({ zeros, highBit, body }) => {
      const bytes = new Uint8Array(body);
      bytes.fill(0, 0, zeros);
      if (zeros < size)
        bytes[zeros] = highBit ? (bytes[zeros] as number) | 0x80 : (bytes[zeros] as number) & 0x7f;
      const n = toBigInt(bytes) % order;
      return n === 0n ? 1n : n;
    });
  return fc.oneof(
    shaped,
    fc.bigInt({ min: 1n, max: order - 1n }),
    fc.constantFrom(1n, 0x80n, 0xffn, order - 1n),
  );
}

for (const algorithm of ['P-256', 'P-521'] as const) {
  const { size } = CURVES[algorithm];

  test(`${algorithm}: raw -> DER -> raw round-trips and the DER is minimal and parses with asn1js`, () => {
    fc.assert(
      fc.property(scalar(algorithm), scalar(algorithm), (r, s) => {
        const raw = new Uint8Array([...toBytes(r, size), ...toBytes(s, size)]);
        const der = ecdsaRawToDer(raw, algorithm);
        assert.deepEqual(ecdsaDerToRaw(der, algorithm), raw);

        // Independent parser: asn1js must read a SEQUENCE of the same two integers, using all bytes.
        const parsed = asn1js.fromBER(der);
        assert.equal(parsed.offset, der.length);
        assert.ok(parsed.result instanceof asn1js.Sequence);
        const values = parsed.result.valueBlock.value;
        assert.equal(values.length, 2);
        const [rInt, sInt] = values as [asn1js.Integer, asn1js.Integer];
        assert.equal(rInt.toBigInt(), r);
        assert.equal(sInt.toBigInt(), s);
        // Minimal two's complement: no 0x00 unless the next byte has its high bit set.
        for (const int of [rInt, sInt]) {
          const content = int.valueBlock.valueHexView;
          assert.ok(content.length === 1 || content[0] !== 0 || ((content[1] as number) & 0x80) !== 0);
          assert.equal((content[0] as number) & 0x80, 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  test(`${algorithm}: conversions agree with node:crypto on real signatures (both directions)`, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVES[algorithm].nodeCurve });
    const { hash } = CURVES[algorithm];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (message) => {
        const raw = new Uint8Array(sign(hash, message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
        assert.equal(raw.length, 2 * size);
        const der = ecdsaRawToDer(raw, algorithm);
        assert.ok(verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, der));

        const der2 = new Uint8Array(sign(hash, message, { key: privateKey, dsaEncoding: 'der' }));
        const raw2 = ecdsaDerToRaw(der2, algorithm);
        assert.ok(verify(hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw2));
        assert.deepEqual(
          ecdsaRawToDer(raw2, algorithm),
          der2,
          'node emits minimal DER, so the round trip is exact',
        );
      }),
      { numRuns: algorithm === 'P-256' ? 300 : 100 },
    );

    // Real signatures whose r or s starts with a zero byte (about 1 in 128 for P-256; half of all for
    // P-521, whose top byte holds a single bit) must shrink in DER and still verify.
    let found = 0;
    for (let i = 0; i < 5000 && found < 3; i++) {
      const message = Buffer.from(`message ${i}`);
      const raw = new Uint8Array(sign(hash, message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      if (raw[0] !== 0 && raw[size] !== 0) continue;
      found++;
      const der = ecdsaRawToDer(raw, algorithm);
      assert.ok(der.length < 2 * size + 8);
      assert.ok(verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, der));
      assert.deepEqual(ecdsaDerToRaw(der, algorithm), raw);
    }
    assert.equal(found, 3, 'expected real signatures with a leading zero byte in r or s');
  });

  test(`${algorithm}: out-of-range and malformed inputs are rejected`, () => {
    const { order } = CURVES[algorithm];
    const one = toBytes(1n, size);
    const zero = toBytes(0n, size);
    const n = toBytes(order, size);
    const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => new Uint8Array([...a, ...b]);
    assert.throws(() => ecdsaRawToDer(cat(zero, one), algorithm), DerError);
    assert.throws(() => ecdsaRawToDer(cat(one, zero), algorithm), DerError);
    assert.throws(() => ecdsaRawToDer(cat(one, n), algorithm), DerError);
    assert.throws(() => ecdsaRawToDer(one, algorithm), DerError); // wrong length
    assert.throws(() => ecdsaRawToDer(new Uint8Array(2 * size + 1).fill(1), algorithm), DerError);

    const good = ecdsaRawToDer(cat(one, one), algorithm); // 30 06 02 01 01 02 01 01
    assert.deepEqual(good, Uint8Array.of(0x30, 6, 2, 1, 1, 2, 1, 1));
    const bad: Array<[string, number[]]> = [
      ['non-minimal INTEGER', [0x30, 7, 2, 2, 0, 1, 2, 1, 1]],
      ['negative INTEGER', [0x30, 6, 2, 1, 0x81, 2, 1, 1]],
      ['zero r', [0x30, 6, 2, 1, 0, 2, 1, 1]],
      ['empty INTEGER', [0x30, 5, 2, 0, 2, 1, 1]],
      ['trailing data', [0x30, 6, 2, 1, 1, 2, 1, 1, 0]],
      ['three INTEGERs', [0x30, 9, 2, 1, 1, 2, 1, 1, 2, 1, 1]],
      ['OCTET STRING instead of INTEGER', [0x30, 6, 4, 1, 1, 2, 1, 1]],
      ['SET instead of SEQUENCE', [0x31, 6, 2, 1, 1, 2, 1, 1]],
      ['non-minimal length', [0x30, 0x81, 6, 2, 1, 1, 2, 1, 1]],
      ['indefinite length', [0x30, 0x80, 2, 1, 1, 2, 1, 1, 0, 0]],
      ['truncated', [0x30, 6, 2, 1, 1, 2]],
    ];
    for (const [what, bytes] of bad) {
      assert.throws(() => ecdsaDerToRaw(Uint8Array.from(bytes), algorithm), DerError, what);
    }
    const tooBig = [0x30, 0, 2, size + 1, 1, ...new Uint8Array(size), 2, 1, 1];
    tooBig[1] = tooBig.length - 2;
    assert.throws(
      () => ecdsaDerToRaw(Uint8Array.from(tooBig), algorithm),
      DerError,
      'r longer than the order',
    );
    const sEqualsN = ecdsaRawToDer(cat(one, one), algorithm).slice(0, 5);
    const nInt = [...n];
    while (nInt[0] === 0) nInt.shift();
    if ((nInt[0] as number) & 0x80) nInt.unshift(0);
    const derWithN = Uint8Array.from([
      0x30,
      3 + 2 + nInt.length,
      ...sEqualsN.slice(2),
      2,
      nInt.length,
      ...nInt,
    ]);
    assert.throws(() => ecdsaDerToRaw(derWithN, algorithm), DerError, 's = n');
  });
}

test('P-521: the longest signatures use a long-form SEQUENCE length', () => {
  const order = CURVES['P-521'].order;
  const raw = new Uint8Array([...toBytes(order - 1n, 66), ...toBytes(order - 2n, 66)]);
  const der = ecdsaRawToDer(raw, 'P-521');
  assert.equal(der[1], 0x81); // 2 + 66 + 2 + 66 = 136 content bytes
  assert.equal(der[2], 136);
  assert.deepEqual(ecdsaDerToRaw(der, 'P-521'), raw);
});
