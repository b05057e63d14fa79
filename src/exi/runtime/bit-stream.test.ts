/**
 * Property tests over BitWriter + BitReader together: round trips at arbitrary bit offsets,
 * truncation of every prefix, and hostile input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BitReader } from './bit-reader.ts';
import { BitWriter } from './bit-writer.ts';
import { isCodecError } from './codec-error.ts';

type Op =
  | { t: 'bits'; n: number; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'uint'; v: number }
  | { t: 'biguint'; v: bigint }
  | { t: 'int'; v: number }
  | { t: 'bigint'; v: bigint }
  | { t: 'binary'; v: Uint8Array }
  | { t: 'string'; v: string };

const bitsOp = fc.integer({ min: 0, max: 32 }).chain((n) =>
  fc.record({
    t: fc.constant('bits' as const),
    n: fc.constant(n),
    v: fc.integer({ min: 0, max: 2 ** n - 1 }),
  }),
);

const safeNat = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 0x7fffffff }),
  fc.maxSafeNat(),
);
const safeInt = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer(), fc.maxSafeInteger());
// 20-octet X509SerialNumber range and beyond
const bigNat = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n + 5n }),
  fc.bigInt({ min: 0n, max: 2n ** 160n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 600n }),
);
const bigInt = fc.oneof(
  fc.bigInt({ min: -(2n ** 160n), max: 2n ** 160n - 1n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  bitsOp,
  fc.record({ t: fc.constant('bool' as const), v: fc.boolean() }),
  fc.record({ t: fc.constant('uint' as const), v: safeNat }),
  fc.record({ t: fc.constant('biguint' as const), v: bigNat }),
  fc.record({ t: fc.constant('int' as const), v: safeInt }),
  fc.record({ t: fc.constant('bigint' as const), v: bigInt }),
  fc.record({
    t: fc.constant('binary' as const),
    v: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 1000 })),
  }),
  fc.record({
    t: fc.constant('string' as const),
    v: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 })),
  }),
);

function write(w: BitWriter, o: Op): void {
  switch (o.t) {
    case 'bits':
      w.writeBits(o.v, o.n);
      break;
    case 'bool':
      w.writeBoolean(o.v);
      break;
    case 'uint':
      w.writeUnsignedInteger(o.v);
      break;
    case 'biguint':
      w.writeUnsignedInteger(o.v);
      break;
    case 'int':
      w.writeInteger(o.v);
      break;
    case 'bigint':
      w.writeInteger(o.v);
      break;
    case 'binary':
      w.writeBinary(o.v);
      break;
    case 'string':
      w.writeLiteralString(o.v);
      break;
  }
}

function read(r: BitReader, o: Op): unknown {
  switch (o.t) {
    case 'bits':
      return r.readBits(o.n);
    case 'bool':
      return r.readBoolean();
    case 'uint':
      return r.readUnsignedInteger();
    case 'biguint':
      return r.readUnsignedBigInt();
    case 'int':
      return r.readInteger();
    case 'bigint':
      return r.readBigInteger();
    case 'binary':
      return r.readBinary();
    case 'string': {
      const len = r.readUnsignedInteger();
      assert.ok(len >= 2, 'literal string length prefix');
      return r.readStringCharacters(len - 2);
    }
  }
}

function encode(ops: Op[]): { bytes: Uint8Array; positions: number[] } {
  const w = new BitWriter(1);
  const positions: number[] = [];
  for (const o of ops) {
    write(w, o);
    positions.push(w.bitLength);
  }
  return { bytes: w.finish(), positions };
}

describe('BitWriter/BitReader properties', () => {
  it('round trip: same values and same bit positions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { bytes, positions } = encode(ops);
        const r = new BitReader(bytes);
        ops.forEach((o, i) => {
          assert.deepEqual(read(r, o), o.v, `op ${i} ${o.t}`);
          assert.equal(r.bitPosition, positions[i]);
        });
        r.assertOnlyPaddingRemains(true);
      }),
      { numRuns: 500 },
    );
  });

  it('round trip at every bit offset 0..7 for each kind', () => {
    fc.assert(
      fc.property(op, (o) => {
        for (let off = 0; off < 8; off++) {
          const { bytes } = encode([{ t: 'bits', n: off, v: (1 << off) - 1 }, o, { t: 'bits', n: 3, v: 5 }]);
          const r = new BitReader(bytes);
          assert.equal(r.readBits(off), (1 << off) - 1);
          assert.deepEqual(read(r, o), o.v);
          assert.equal(r.readBits(3), 5);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every strict prefix of a valid stream fails with truncated, and only that', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const { bytes } = encode(ops);
        for (let cut = 0; cut < bytes.length; cut++) {
          const r = new BitReader(bytes.subarray(0, cut));
          assert.throws(
            () => {
              for (const o of ops) read(r, o);
            },
            (e: unknown) => isCodecError(e) && e.reason === 'truncated',
            `prefix of ${cut} of ${bytes.length} octets`,
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('random garbage: only CodecError, never a hang, never NaN/undefined', () => {
    const kinds = [
      'bits',
      'bool',
      'uint',
      'biguint',
      'int',
      'bigint',
      'binary',
      'string',
      'chars',
      'header',
      'padding',
    ] as const;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.record({ k: fc.constantFrom(...kinds), n: fc.integer({ min: 0, max: 32 }) }), {
          maxLength: 60,
        }),
        (bytes, script) => {
          const r = new BitReader(bytes, { maxBinaryLength: 16, maxStringLength: 16 });
          try {
            for (const { k, n } of script) {
              let v: unknown;
              switch (k) {
                case 'bits':
                  v = r.readBits(n);
                  break;
                case 'bool':
                  v = r.readBoolean();
                  break;
                case 'uint':
                  v = r.readUnsignedInteger();
                  break;
                case 'biguint':
                  v = r.readUnsignedBigInt();
                  break;
                case 'int':
                  v = r.readInteger();
                  break;
                case 'bigint':
                  v = r.readBigInteger();
                  break;
                case 'binary':
                  v = r.readBinary();
                  break;
                case 'string':
                  v = r.readStringCharacters(r.readUnsignedInteger());
                  break;
                case 'chars':
                  v = r.readStringCharacters(n);
                  break;
                case 'header':
                  r.readHeader();
                  v = true;
                  break;
                case 'padding':
                  r.assertOnlyPaddingRemains();
                  v = true;
                  break;
              }
              assert.ok(v !== undefined && !Number.isNaN(v));
              assert.ok(r.bitPosition <= bytes.length * 8);
            }
          } catch (e) {
            if (!isCodecError(e)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('20-octet serial numbers (X509SerialNumber is xs:integer)', () => {
  it('round trip as bigint', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean(), (octets, negative) => {
        const magnitude = BigInt(`0x${Buffer.from(octets).toString('hex')}`);
        const value = negative ? -magnitude - 1n : magnitude;
        const w = new BitWriter();
        w.writeInteger(value);
        const r = new BitReader(w.finish());
        assert.equal(r.readBigInteger(), value);
      }),
    );
  });
});
