import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitReader } from './bit-reader.ts';
import { type CodecErrorReason, isCodecError } from './codec-error.ts';

function reader(...bytes: number[]): BitReader {
  return new BitReader(Uint8Array.from(bytes));
}

function throwsCodec(fn: () => unknown, reason: CodecErrorReason, bitPosition?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isCodecError(e), `expected a CodecError, got ${String(e)}`);
    assert.equal(e.reason, reason);
    if (bitPosition !== undefined) assert.equal(e.bitPosition, bitPosition);
    return true;
  });
}

describe('BitReader.readBits', () => {
  it('reads MSB first across octet boundaries', () => {
    const r = reader(0b1011_0011, 0b0101_1100, 0xff, 0x00, 0xa5);
    assert.equal(r.readBits(1), 1);
    assert.equal(r.readBits(3), 0b011);
    assert.equal(r.readBits(7), 0b0011_010);
    assert.equal(r.bitPosition, 11);
    assert.equal(r.readBits(0), 0);
    assert.equal(r.bitPosition, 11);
    assert.equal(r.readBits(13), 0b11100_1111_1111);
    assert.equal(r.readBits(16), 0x00a5);
    assert.equal(r.remainingBits, 0);
  });

  it('reads 32 bits unsigned at every offset', () => {
    for (let off = 0; off < 8; off++) {
      // off zero bits, then 32 one bits, then zeros
      const bytes = new Uint8Array(6);
      for (let i = off; i < off + 32; i++) bytes[i >> 3] |= 0x80 >> (i & 7);
      const r = new BitReader(bytes);
      assert.equal(r.readBits(off), 0);
      assert.equal(r.readBits(32), 0xffffffff);
      assert.equal(r.bitPosition, off + 32);
      assert.equal(r.readBits(8 - off), 0);
    }
  });

  it('rejects invalid widths with RangeError (caller bug, not data)', () => {
    const r = reader(0, 0, 0, 0, 0);
    assert.throws(() => r.readBits(33), RangeError);
    assert.throws(() => r.readBits(-1), RangeError);
    assert.throws(() => r.readBits(1.5), RangeError);
    assert.throws(() => r.readBits(Number.NaN), RangeError);
  });

  it('throws truncated at the end without moving', () => {
    const r = reader(0xff);
    r.readBits(5);
    throwsCodec(() => r.readBits(4), 'truncated', 5);
    assert.equal(r.bitPosition, 5);
    assert.equal(r.readBits(3), 7);
    throwsCodec(() => r.readBits(1), 'truncated', 8);
    throwsCodec(() => r.readBoolean(), 'truncated', 8);
    assert.equal(r.readBits(0), 0);
  });

  it('readBoolean and readNBitUnsigned', () => {
    const r = reader(0b1010_0000);
    assert.equal(r.readBoolean(), true);
    assert.equal(r.readBoolean(), false);
    assert.equal(r.readNBitUnsigned(3), 0b100);
    assert.equal(r.readNBitUnsigned(0), 0);
  });
});

describe('BitReader.readUnsignedInteger (EXI §7.1.6)', () => {
  const vectors: Array<[number[], number]> = [
    [[0x00], 0],
    [[0x01], 1],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xff, 0x7f], 16383],
    [[0x80, 0x80, 0x01], 16384],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], Number.MAX_SAFE_INTEGER],
    [[0x80, 0x00], 0], // over-long but decodable
  ];
  for (const [bytes, value] of vectors) {
    it(`${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')} -> ${value}`, () => {
      const r = new BitReader(Uint8Array.from(bytes));
      assert.equal(r.readUnsignedInteger(), value);
      assert.equal(r.remainingBits, 0);
    });
  }

  it('at every bit offset', () => {
    for (let off = 0; off < 8; off++) {
      // 16384 = 80 80 01 shifted right by `off` bits after `off` one-bits
      const bits = `${'1'.repeat(off)}100000001000000000000001`;
      const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
      const bytes = Uint8Array.from(padded.match(/.{8}/g) as string[], (s) => Number.parseInt(s, 2));
      const r = new BitReader(bytes);
      assert.equal(r.readBits(off), off === 0 ? 0 : 2 ** off - 1);
      assert.equal(r.readUnsignedInteger(), 16384);
      assert.equal(r.bitPosition, off + 24);
    }
  });

  it('2^53 is value-out-of-range (at the start of the integer)', () => {
    const r = reader(0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10);
    r.readBits(8);
    throwsCodec(() => r.readUnsignedInteger(), 'value-out-of-range', 8);
  });

  it('10 octets are accepted by the bigint reader, 11 are malformed for the number reader', () => {
    // 2^64 + 1
    const ten = [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02];
    assert.equal(new BitReader(Uint8Array.from(ten)).readUnsignedBigInt(), 2n ** 64n + 1n);
    throwsCodec(() => new BitReader(Uint8Array.from(ten)).readUnsignedInteger(), 'value-out-of-range', 0);
    const eleven = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
    throwsCodec(() => new BitReader(Uint8Array.from(eleven)).readUnsignedInteger(), 'malformed', 0);
    assert.equal(new BitReader(Uint8Array.from(eleven)).readUnsignedBigInt(), 0n);
  });

  it('truncated inside the groups', () => {
    throwsCodec(() => reader(0x80).readUnsignedInteger(), 'truncated', 0);
    throwsCodec(() => reader().readUnsignedInteger(), 'truncated', 0);
  });
});

describe('BitReader.readUnsignedBigInt', () => {
  it('small values', () => {
    assert.equal(reader(0x00).readUnsignedBigInt(), 0n);
    assert.equal(reader(0x80, 0x01).readUnsignedBigInt(), 128n);
  });

  it('refuses more than 1024 octets of groups (limit)', () => {
    const bytes = new Uint8Array(1100).fill(0x80);
    throwsCodec(() => new BitReader(bytes).readUnsignedBigInt(), 'limit', 0);
    const ok = new Uint8Array(1024).fill(0x80);
    ok[1023] = 0x01;
    assert.equal(new BitReader(ok).readUnsignedBigInt(), 1n << (7n * 1023n));
  });
});

describe('BitReader.readInteger (EXI §7.1.5)', () => {
  it('sign bit then magnitude', () => {
    assert.equal(reader(0x00, 0x00).readInteger(), 0); // 0 0000000|0
    assert.equal(reader(0x00, 0x80).readInteger(), 1); // 0 0000000|1
    assert.equal(reader(0x80, 0x00).readInteger(), -1); // 1 0000000|0 : magnitude 0
    assert.equal(reader(0x80, 0x80).readInteger(), -2);
    assert.equal(reader(0xc0, 0x00, 0x80).readInteger(), -129); // 1 | 1000 0000 | 0000 0001 -> m = 128
  });

  it('range limits', () => {
    // negative with magnitude MAX_SAFE - 1 -> MIN_SAFE_INTEGER
    const m = Number.MAX_SAFE_INTEGER - 1; // fe ff ff ff ff ff ff 0f
    const enc = (mag: number[]) => {
      // prepend sign 1 bit
      const bits = `1${mag.map((b) => b.toString(2).padStart(8, '0')).join('')}`.padEnd(72, '0');
      return new BitReader(Uint8Array.from(bits.match(/.{8}/g) as string[], (s) => Number.parseInt(s, 2)));
    };
    assert.equal(m, 2 ** 53 - 2);
    assert.equal(
      enc([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).readInteger(),
      Number.MIN_SAFE_INTEGER,
    );
    throwsCodec(
      () => enc([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).readInteger(),
      'value-out-of-range',
      0,
    );
    assert.equal(enc([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).readBigInteger(), -(2n ** 53n));
  });
});

describe('BitReader.readBinary (EXI §7.1.1)', () => {
  it('aligned and unaligned', () => {
    assert.deepEqual(reader(0x03, 0xde, 0xad, 0xbe).readBinary(), Uint8Array.from([0xde, 0xad, 0xbe]));
    // 1 bit offset: 1 | 0000 0010 | 1010 1011 | 1100 1101 | 0000000
    const r = reader(0b1000_0001, 0b0101_0101, 0b1110_0110, 0b1000_0000);
    assert.equal(r.readBoolean(), true);
    assert.deepEqual(r.readBinary(), Uint8Array.from([0xab, 0xcd]));
    assert.equal(r.bitPosition, 25);
    assert.deepEqual(reader(0x00).readBinary(), new Uint8Array(0));
  });

  it('returns a copy, not a view of the input', () => {
    const input = Uint8Array.from([0x02, 0x11, 0x22]);
    const out = new BitReader(input).readBinary();
    input[1] = 0;
    assert.deepEqual(out, Uint8Array.from([0x11, 0x22]));
    assert.equal(out.buffer.byteLength, 2);
    // large binaries (arena), aligned and unaligned
    for (const offset of [0, 5]) {
      const expected = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
      // offset bits of zero, then length 1000 = e8 07, then 1000 octets
      const bits = [...expected].map((b) => b.toString(2).padStart(8, '0')).join('');
      const all = `${'0'.repeat(offset)}1110100000000111${bits}`.padEnd(8 * 1003, '0');
      const input2 = Uint8Array.from(all.match(/.{8}/g) as string[], (x) => Number.parseInt(x, 2));
      const r = new BitReader(input2);
      r.readBits(offset);
      const a = r.readBinary();
      assert.deepEqual(a, expected);
      assert.notEqual(a.buffer, input2.buffer);
      input2.fill(0);
      assert.deepEqual(a, expected);
    }
  });

  it('a declared length beyond the input is truncated before allocating (2^40)', () => {
    // 2^40 = groups: 0,0,0,0,0 then 2^40 / 2^35 = 32 -> 80 80 80 80 80 20
    const t0 = process.hrtime.bigint();
    throwsCodec(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2, 3).readBinary(), 'truncated', 0);
    // a length beyond MAX_SAFE_INTEGER is also simply truncated
    throwsCodec(
      () => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).readBinary(),
      'truncated',
      0,
    );
    assert.ok(process.hrtime.bigint() - t0 < 50_000_000n, 'must fail fast');
  });

  it('length 3 with 2 octets left is truncated', () => {
    throwsCodec(() => reader(0x03, 0xaa, 0xbb).readBinary(), 'truncated', 0);
  });

  it('limit', () => {
    const bytes = Uint8Array.from([0x05, 1, 2, 3, 4, 5]);
    throwsCodec(() => new BitReader(bytes, { maxBinaryLength: 4 }).readBinary(), 'limit', 0);
    assert.equal(new BitReader(bytes, { maxBinaryLength: 5 }).readBinary().length, 5);
  });
});

describe('BitReader.readStringCharacters (EXI §7.1.10)', () => {
  it('code points, including astral ones', () => {
    // "A" 'é' (0xe9 -> e9 01) '€' (0x20ac -> ac 41) '😀' (0x1f600 -> 80 ec 07)
    const r = reader(0x41, 0xe9, 0x01, 0xac, 0x41, 0x80, 0xec, 0x07);
    assert.equal(r.readStringCharacters(4), 'Aé€😀');
    assert.equal(r.remainingBits, 0);
    assert.equal(reader().readStringCharacters(0), '');
  });

  it('over-long code points are accepted, surrogates and > U+10FFFF are malformed', () => {
    assert.equal(reader(0xc1, 0x80, 0x80, 0x00).readStringCharacters(1), 'A');
    throwsCodec(() => reader(0x41, 0x80, 0xb0, 0x03).readStringCharacters(2), 'malformed', 8); // U+D800
    throwsCodec(() => reader(0xff, 0xbf, 0x03).readStringCharacters(1), 'malformed', 0); // U+DFFF
    throwsCodec(() => reader(0x80, 0x80, 0x44).readStringCharacters(1), 'malformed', 0); // U+110000
    throwsCodec(() => reader(0x80, 0x80, 0x80, 0x80, 0x01).readStringCharacters(1), 'malformed', 0);
  });

  it('length is checked against the input and the limit before decoding', () => {
    const t0 = process.hrtime.bigint();
    throwsCodec(() => reader(0x41, 0x42).readStringCharacters(2 ** 40), 'truncated', 0);
    throwsCodec(() => reader(0x41, 0x42).readStringCharacters(3), 'truncated', 0);
    assert.ok(process.hrtime.bigint() - t0 < 50_000_000n);
    const abc = Uint8Array.from([0x41, 0x42, 0x43]);
    throwsCodec(() => new BitReader(abc, { maxStringLength: 2 }).readStringCharacters(3), 'limit', 0);
    assert.equal(new BitReader(abc, { maxStringLength: 3 }).readStringCharacters(3), 'ABC');
  });

  it('long strings (chunked conversion, pairs across chunk boundaries)', () => {
    const s = `x${'😀'.repeat(70_000)}`;
    const bytes = new Uint8Array(1 + 3 * 70_000);
    bytes[0] = 0x78;
    for (let i = 0; i < 70_000; i++) bytes.set([0x80, 0xec, 0x07], 1 + 3 * i);
    assert.equal(new BitReader(bytes, { maxStringLength: 70_001 }).readStringCharacters(70_001), s);
  });

  it('rejects a negative or fractional length with RangeError', () => {
    assert.throws(() => reader(0).readStringCharacters(-1), RangeError);
    assert.throws(() => reader(0).readStringCharacters(0.5), RangeError);
  });
});

describe('BitReader.readHeader (ISO 15118-2 §7.9.1.3)', () => {
  it('accepts exactly 0x80', () => {
    const r = reader(0x80, 0x98);
    r.readHeader();
    assert.equal(r.bitPosition, 8);
    assert.equal(r.readBits(7), 76); // V2G_Message document start 80 98 …
  });

  it('rejects anything else', () => {
    throwsCodec(() => reader(0x81).readHeader(), 'header', 0); // version bits
    throwsCodec(() => reader(0xa0).readHeader(), 'header', 0); // options present
    throwsCodec(() => reader(0x00).readHeader(), 'header', 0);
    throwsCodec(() => reader(0x24, 0x45, 0x58, 0x49, 0x80).readHeader(), 'header', 0); // "$EXI" cookie
    throwsCodec(() => reader().readHeader(), 'truncated', 0);
    const r = reader(0x00, 0x80);
    r.readBits(8);
    throwsCodec(() => r.readHeader(), 'header', 8);
  });
});

describe('padding after ED', () => {
  it('skipPadding moves to the next octet boundary', () => {
    const r = reader(0xff, 0x0f);
    r.skipPadding();
    assert.equal(r.bitPosition, 0);
    r.readBits(3);
    r.skipPadding();
    assert.equal(r.bitPosition, 8);
  });

  it('assertOnlyPaddingRemains: tolerates non-zero padding unless asked, rejects trailing octets', () => {
    const r1 = reader(0b1010_0000);
    r1.readBits(3);
    r1.assertOnlyPaddingRemains(true);
    assert.equal(r1.remainingBits, 0);

    const r2 = reader(0b1010_0001);
    r2.readBits(3);
    r2.assertOnlyPaddingRemains();

    const r3 = reader(0b1010_0001);
    r3.readBits(3);
    throwsCodec(() => r3.assertOnlyPaddingRemains(true), 'malformed', 3);

    const r4 = reader(0b1010_0000, 0x00);
    r4.readBits(3);
    throwsCodec(() => r4.assertOnlyPaddingRemains(), 'malformed', 3);

    const r5 = reader(0x80, 0x00);
    r5.readBits(8);
    throwsCodec(() => r5.assertOnlyPaddingRemains(), 'malformed', 8);
    r5.readBits(8);
    r5.assertOnlyPaddingRemains(true);
  });
});

describe('a real document prefix (OPCP certificateInstallationReq, see exi-and-signatures.md §1.5)', () => {
  it('80 98 02 1a 7f: header, V2G_Message, three 1-bit codes, binary length 8', () => {
    const r = reader(0x80, 0x98, 0x02, 0x1a, 0x7f);
    r.readHeader();
    assert.equal(r.readBits(7), 76);
    assert.equal(r.readBits(1), 0);
    assert.equal(r.readBits(1), 0);
    assert.equal(r.readBits(1), 0);
    assert.equal(r.readUnsignedInteger(), 8);
    assert.equal(r.readBits(8), 0x69);
  });
});

describe('limits', () => {
  it('defaults and validation', () => {
    assert.deepEqual({ ...reader().limits }, { maxStringLength: 65_536, maxBinaryLength: 1_048_576 });
    assert.throws(() => new BitReader(new Uint8Array(0), { maxBinaryLength: -1 }), RangeError);
  });
});
