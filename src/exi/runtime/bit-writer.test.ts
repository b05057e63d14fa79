import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitWriter, codePointCount } from './bit-writer.ts';
import { isCodecError } from './codec-error.ts';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function outOfRange(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isCodecError(e), `expected a CodecError, got ${String(e)}`);
    assert.equal(e.reason, 'value-out-of-range');
    assert.equal(e.bitPosition, -1);
    return true;
  });
}

describe('BitWriter.writeBits', () => {
  it('packs MSB first and pads the last octet with zeros', () => {
    const w = new BitWriter();
    w.writeBits(1, 1);
    w.writeBits(0b011, 3);
    w.writeBits(0b0011010, 7);
    w.writeBits(0, 0);
    assert.equal(w.bitLength, 11);
    w.writeBits(0b11100_1111_1111, 13);
    w.writeBits(0xa5, 16);
    w.writeBits(1, 1);
    assert.equal(hex(w.finish()), 'b35cff00a580');
    assert.equal(w.bitLength, 48);
  });

  it('32-bit values at every offset', () => {
    for (let off = 0; off < 8; off++) {
      const w = new BitWriter(0);
      w.writeBits(0, off);
      w.writeBits(0xffffffff, 32);
      const out = w.finish();
      const expected = new Uint8Array(Math.ceil((off + 32) / 8));
      for (let i = off; i < off + 32; i++) expected[i >> 3] |= 0x80 >> (i & 7);
      assert.deepEqual(out, expected, `offset ${off}`);
    }
  });

  it('rejects values that do not fit', () => {
    const w = new BitWriter();
    outOfRange(() => w.writeBits(256, 8));
    outOfRange(() => w.writeBits(-1, 8));
    outOfRange(() => w.writeBits(1.5, 8));
    outOfRange(() => w.writeBits(Number.NaN, 8));
    outOfRange(() => w.writeBits(1, 0));
    outOfRange(() => w.writeBits(2 ** 32, 32));
    outOfRange(() => w.writeNBitUnsigned(8, 3));
    assert.throws(() => w.writeBits(0, 33), RangeError);
    assert.equal(w.bitLength, 0);
  });

  it('booleans', () => {
    const w = new BitWriter();
    for (const b of [true, false, true, true, false, false, false, true, true]) w.writeBoolean(b);
    assert.equal(hex(w.finish()), 'b180');
  });
});

describe('BitWriter.writeUnsignedInteger (EXI §7.1.6)', () => {
  const vectors: Array<[number | bigint, string]> = [
    [0, '00'],
    [127, '7f'],
    [128, '8001'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [0xffffffff, 'ffffffff0f'],
    [2 ** 31, '8080808008'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
    [2n ** 53n, '8080808080808010'],
    [2n ** 64n + 1n, '81808080808080808002'],
    [0n, '00'],
    [300n, 'ac02'],
  ];
  for (const [value, expected] of vectors) {
    it(`${value} -> ${expected}`, () => {
      const w = new BitWriter();
      w.writeUnsignedInteger(value);
      assert.equal(hex(w.finish()), expected);
    });
  }

  it('at a bit offset', () => {
    const w = new BitWriter();
    w.writeBits(0b111, 3);
    w.writeUnsignedInteger(16384); // 80 80 01 after 111
    assert.equal(hex(w.finish()), 'f0100020');
  });

  it('rejects negative, fractional and unsafe numbers', () => {
    const w = new BitWriter();
    outOfRange(() => w.writeUnsignedInteger(-1));
    outOfRange(() => w.writeUnsignedInteger(-1n));
    outOfRange(() => w.writeUnsignedInteger(0.5));
    outOfRange(() => w.writeUnsignedInteger(2 ** 53));
    outOfRange(() => w.writeUnsignedInteger(Number.POSITIVE_INFINITY));
    assert.equal(w.bitLength, 0);
  });
});

describe('BitWriter.writeInteger (EXI §7.1.5)', () => {
  const vectors: Array<[number | bigint, string]> = [
    [0, '0000'],
    [1, '0080'],
    [-1, '8000'], // sign 1, magnitude 0
    [-2, '8080'],
    [-129, 'c00080'],
    [-1n, '8000'],
    [Number.MIN_SAFE_INTEGER, 'ff7fffffffffff8780'],
  ];
  for (const [value, expected] of vectors) {
    it(`${value} -> ${expected}`, () => {
      const w = new BitWriter();
      w.writeInteger(value);
      assert.equal(hex(w.finish()), expected);
    });
  }

  it('rejects unsafe numbers', () => {
    outOfRange(() => new BitWriter().writeInteger(2 ** 60));
    outOfRange(() => new BitWriter().writeInteger(-0.5));
  });
});

describe('BitWriter.writeBinary', () => {
  it('aligned and unaligned', () => {
    const w = new BitWriter();
    w.writeBinary(Uint8Array.from([0xde, 0xad, 0xbe]));
    assert.equal(hex(w.finish()), '03deadbe');
    const u = new BitWriter();
    u.writeBoolean(true);
    u.writeBinary(Uint8Array.from([0xab, 0xcd]));
    assert.equal(hex(u.finish()), '8155e680');
  });

  it('large binaries at every bit offset match a bit-string oracle', () => {
    const payload = Uint8Array.from({ length: 1001 }, (_, i) => (i * 151 + 17) & 0xff);
    for (let off = 0; off < 8; off++) {
      const w = new BitWriter(16);
      w.writeBits(off === 0 ? 0 : 0b1010101 >>> (7 - off), off);
      w.writeBinary(payload);
      const head = off === 0 ? '' : (0b1010101 >>> (7 - off)).toString(2).padStart(off, '0');
      // 1001 = 0x3e9 -> groups e9 07
      const bits = `${head}1110100100000111${[...payload].map((b) => b.toString(2).padStart(8, '0')).join('')}`;
      const expected = Uint8Array.from(
        bits.padEnd(Math.ceil(bits.length / 8) * 8, '0').match(/.{8}/g) as string[],
        (x) => Number.parseInt(x, 2),
      );
      assert.deepEqual(w.finish(), expected, `offset ${off}`);
    }
  });

  it('grows without a fixed maximum', () => {
    const w = new BitWriter(1);
    const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
    w.writeBoolean(true);
    w.writeBinary(big);
    w.writeBinary(big);
    const out = w.finish();
    assert.equal(out.length, Math.ceil((1 + 2 * (24 + 800_000)) / 8));
  });
});

describe('BitWriter strings', () => {
  it('code points, astral as one', () => {
    const w = new BitWriter();
    w.writeStringCharacters('Aé€😀');
    assert.equal(hex(w.finish()), '41e901ac4180ec07');
    assert.equal(codePointCount('Aé€😀'), 4);
  });

  it('literal string = miss: length + 2 then characters (EXI §7.3.3)', () => {
    const w = new BitWriter();
    w.writeLiteralString('😀x');
    assert.equal(hex(w.finish()), '0480ec0778');
  });

  it('lone surrogates are rejected before anything is written', () => {
    const w = new BitWriter();
    outOfRange(() => w.writeStringCharacters('ab\ud800'));
    outOfRange(() => w.writeStringCharacters('\udc00x'));
    outOfRange(() => w.writeLiteralString('a\ud83dz'));
    assert.equal(w.bitLength, 0);
  });
});

describe('BitWriter header and finish', () => {
  it('header is 0x80', () => {
    const w = new BitWriter();
    w.writeHeader();
    w.writeBits(76, 7);
    assert.equal(hex(w.finish()), '8098');
  });

  it('finish pads, returns exactly the octets written, and finishes the writer', () => {
    const w = new BitWriter();
    w.writeBits(1, 1);
    const a = w.finish();
    assert.equal(hex(a), '80');
    assert.equal(w.bitLength, 8);
    assert.throws(() => w.finish(), { name: 'Error' });
    assert.throws(() => w.writeBits(1, 8), { name: 'Error' });
    assert.equal(new BitWriter().finish().length, 0);
  });

  it('recycled buffers never leak earlier content; interleaved writers stay independent', () => {
    const a = new BitWriter();
    a.writeBinary(new Uint8Array(5000).fill(0xff));
    a.finish(); // its buffer becomes the spare
    const b = new BitWriter(); // takes the spare (stale 0xff octets)
    const c = new BitWriter(); // spare already taken: own buffer
    b.writeBits(1, 1);
    c.writeBits(0, 3);
    b.writeBits(0, 20);
    c.writeBinary(Uint8Array.from([0x12, 0x34]));
    assert.equal(hex(b.finish()), '800000');
    assert.equal(hex(c.finish()), '00424680');
  });
});
