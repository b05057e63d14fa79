// Request ids: RFC 9562 version-4 UUIDs cut from a pool of the injected randomness, one call of the
// source per POOL_BYTES / 16 ids, the same ids for the same bytes; client ids accepted only as
// short safe tokens.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cryptoRandom, randomUuid, uuidFromBytes } from '../app/runtime.ts';
import { POOL_BYTES, requestIdGenerator, uuidPool } from './request-id.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A deterministic source: byte i of the stream is (i * 7 + 3) mod 256; counts its calls. */
function countingSource() {
  let position = 0;
  const calls: number[] = [];
  const source = (n: number) => {
    calls.push(n);
    const bytes = Uint8Array.from({ length: n }, (_, i) => ((position + i) * 7 + 3) & 0xff);
    position += n;
    return bytes;
  };
  return { source, calls };
}

describe('request ids', () => {
  test('uuidFromBytes: the 16 bytes in hex with the version and variant bits of RFC 9562 §5.4', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const id = uuidFromBytes(bytes);
        assert.match(id, UUID_V4);
        const expected = Buffer.from(bytes);
        expected[6] = ((expected[6] as number) & 0x0f) | 0x40;
        expected[8] = ((expected[8] as number) & 0x3f) | 0x80;
        assert.equal(id.replaceAll('-', ''), expected.toString('hex'));
        // Every bit outside the 6 fixed ones comes from the source.
        assert.equal(uuidFromBytes(bytes), id);
      }),
    );
    assert.equal(uuidFromBytes(new Uint8Array(16).fill(0xab)), 'abababab-abab-4bab-abab-abababababab');
    assert.equal(uuidFromBytes(new Uint8Array(16)), '00000000-0000-4000-8000-000000000000');
    assert.equal(uuidFromBytes(new Uint8Array(16).fill(0xff)), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  test('the pool asks the source for POOL_BYTES at a time and uses every byte once, in order', () => {
    const { source, calls } = countingSource();
    const next = uuidPool(source);
    const ids = Array.from({ length: (POOL_BYTES / 16) * 2 + 1 }, () => next());
    assert.deepEqual(calls, [POOL_BYTES, POOL_BYTES, POOL_BYTES]);
    const reference = countingSource();
    const stream = reference.source(POOL_BYTES * 3);
    ids.forEach((id, i) => {
      assert.equal(id, uuidFromBytes(stream, i * 16));
    });
  });

  test('a fixed source gives the same ids in every run; distinct ids from the real source', () => {
    const run = () => {
      const next = uuidPool(countingSource().source, 64);
      return Array.from({ length: 10 }, () => next());
    };
    assert.deepEqual(run(), run());
    const fixed = uuidPool((n) => new Uint8Array(n).fill(0xab));
    assert.equal(fixed(), 'abababab-abab-4bab-abab-abababababab');

    const next = uuidPool(cryptoRandom);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = next();
      assert.match(id, UUID_V4);
      seen.add(id);
    }
    assert.equal(seen.size, 10_000);
  });

  test('randomUuid takes 16 bytes per id; a source returning the wrong length is refused', () => {
    const { source, calls } = countingSource();
    assert.match(randomUuid(source), UUID_V4);
    assert.deepEqual(calls, [16]);
    assert.throws(() => randomUuid(() => new Uint8Array(15)), RangeError);
    assert.throws(() => uuidPool(() => new Uint8Array(10))(), RangeError);
    assert.throws(() => uuidPool(cryptoRandom, 20), RangeError);
    assert.throws(() => uuidPool(cryptoRandom, 0), RangeError);
  });

  test('requestIdGenerator: a safe client token is kept, anything else gets a pooled UUID', () => {
    const generate = requestIdGenerator((n) => new Uint8Array(n).fill(0xab));
    const fresh = 'abababab-abab-4bab-abab-abababababab';
    assert.equal(generate({ headers: { 'x-request-id': 'client-123.abc' } }), 'client-123.abc');
    for (const unsafe of ['', 'a b', 'x\ny', 'a'.repeat(129), ['a', 'b']]) {
      assert.equal(generate({ headers: { 'x-request-id': unsafe } }), fresh);
    }
    assert.equal(generate({ headers: {} }), fresh);
  });
});
