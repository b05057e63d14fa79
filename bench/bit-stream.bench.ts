/**
 * Micro-benchmark of the EXI bit stream runtime (not a test). Run:
 *   ./node_modules/.bin/node bench/bit-stream.bench.ts
 * Prints ns/op; compare with exi-and-signatures.md §9 (libcbv2g ~50 MB/s bit by bit; a 4.6 KB
 * CertificateInstallationRes must decode in < 130 µs including the grammar walk).
 */
import { BitReader } from '../src/exi/runtime/bit-reader.ts';
import { BitWriter } from '../src/exi/runtime/bit-writer.ts';

let sink = 0;

function bench(name: string, opsPerCall: number, fn: () => void): void {
  // Warm up (let the JIT optimise), then 9 rounds of ~40 ms; the machine may be shared, so the
  // minimum is the figure to quote, the median shows the noise.
  for (let i = 0; i < 3000; i++) fn();
  const perOp: number[] = [];
  for (let round = 0; round < 9; round++) {
    let calls = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < 40_000_000n) {
      for (let i = 0; i < 50; i++) fn();
      calls += 50;
      elapsed = process.hrtime.bigint() - t0;
    }
    perOp.push(Number(elapsed) / (calls * opsPerCall));
  }
  perOp.sort((a, b) => a - b);
  const min = (perOp[0] as number).toFixed(1);
  const median = (perOp[4] as number).toFixed(1);
  console.log(`${name.padEnd(58)} ${min.padStart(9)} ns/op (median ${median})`);
}

function writerWith(fn: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter();
  fn(w);
  return w.finish();
}

const payload = new Uint8Array(800).map((_, i) => (i * 37) & 0xff);
// Five certificates per document, as in a CertificateInstallationRes; a fresh reader per document
// (so the per-document arena allocation is included).
const unaligned = writerWith((w) => {
  w.writeBits(5, 3);
  for (let i = 0; i < 5; i++) w.writeBinary(payload);
});
const aligned = writerWith((w) => {
  for (let i = 0; i < 5; i++) w.writeBinary(payload);
});

bench('readBinary 800 B at bit offset 3 (5 per reader)', 5, () => {
  const r = new BitReader(unaligned);
  r.readBits(3);
  for (let i = 0; i < 5; i++) sink += r.readBinary().length;
});
bench('readBinary 800 B aligned (5 per reader)', 5, () => {
  const r = new BitReader(aligned);
  for (let i = 0; i < 5; i++) sink += r.readBinary().length;
});

// readBits: a mix of event-code widths as met in V2G grammars
const widths = [1, 2, 7, 1, 3, 6, 1, 1, 8, 2, 4, 1, 9, 1, 2, 5];
const bitsStream = new Uint8Array(4096).map((_, i) => (i * 101 + 7) & 0xff);
let totalWidth = 0;
for (const w of widths) totalWidth += w;
const rounds = Math.floor((bitsStream.length * 8) / totalWidth) - 1;
bench('readBits (widths 1..9 mixed)', rounds * widths.length, () => {
  const r = new BitReader(bitsStream);
  let acc = 0;
  for (let k = 0; k < rounds; k++) {
    for (let j = 0; j < widths.length; j++) acc += r.readBits(widths[j] as number);
  }
  sink += acc;
});
bench('readBits(32) unaligned', 1000, () => {
  const r = new BitReader(bitsStream);
  r.readBits(3);
  let acc = 0;
  for (let k = 0; k < 1000; k++) acc += r.readBits(32);
  sink += acc;
});
bench('readBoolean', 8000, () => {
  const r = new BitReader(bitsStream);
  let acc = 0;
  for (let k = 0; k < 8000; k++) if (r.readBoolean()) acc++;
  sink += acc;
});

const uints = writerWith((w) => {
  w.writeBits(1, 1);
  for (let i = 0; i < 1000; i++) w.writeUnsignedInteger((i * 7919) % 20000);
});
bench('readUnsignedInteger (0..20000, bit offset 1)', 1000, () => {
  const r = new BitReader(uints);
  r.readBits(1);
  let acc = 0;
  for (let k = 0; k < 1000; k++) acc += r.readUnsignedInteger();
  sink += acc;
});

const ascii = 'CN=CPS Leaf QA, O=Hubject GmbH, DC=V2G'; // 38 chars
const strings = writerWith((w) => {
  w.writeBits(3, 2);
  for (let i = 0; i < 100; i++) w.writeLiteralString(ascii);
});
bench('readStringCharacters 38 ASCII chars (+ length)', 100, () => {
  const r = new BitReader(strings);
  r.readBits(2);
  for (let k = 0; k < 100; k++) sink += r.readStringCharacters(r.readUnsignedInteger() - 2).length;
});

const serial = (1n << 159n) + 123456789n;
const serials = writerWith((w) => {
  for (let i = 0; i < 100; i++) w.writeInteger(serial);
});
bench('readBigInteger 20-octet serial', 100, () => {
  const r = new BitReader(serials);
  for (let k = 0; k < 100; k++) sink += r.readBigInteger() > 0n ? 1 : 0;
});

bench('writeBinary 800 B at bit offset 3 (5 per writer, + finish)', 5, () => {
  const w = new BitWriter(4096);
  w.writeBits(5, 3);
  for (let i = 0; i < 5; i++) w.writeBinary(payload);
  sink += w.finish().length;
});
bench('writeBits (widths 1..9 mixed)', 16 * 200, () => {
  const w = new BitWriter(4096);
  for (let k = 0; k < 200; k++) {
    for (let j = 0; j < widths.length; j++) w.writeBits(1, widths[j] as number);
  }
  sink += w.bitLength;
});
bench('writeLiteralString 38 ASCII chars', 100, () => {
  const w = new BitWriter(8192);
  w.writeBits(1, 1);
  for (let k = 0; k < 100; k++) w.writeLiteralString(ascii);
  sink += w.bitLength;
});

// Primitive-level shape of a 4.6 KB CertificateInstallationRes: ~5 certificates/binaries of ~800 B,
// ~300 event codes, ~40 short strings, a few integers, all unaligned.
function writeMessage(w: BitWriter): void {
  w.writeHeader();
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 30; j++) w.writeBits(j & 3, 2);
    w.writeBinary(payload);
    for (let j = 0; j < 8; j++) {
      w.writeBits(1, 3);
      w.writeLiteralString(ascii.slice(0, 10 + j));
    }
    w.writeInteger(serial);
    w.writeUnsignedInteger(1700000000);
  }
  for (let j = 0; j < 150; j++) w.writeBits(j & 63, 6);
}
const message = writerWith(writeMessage);
bench(`primitive reads of a ${message.length}-octet message (no grammar)`, 1, () => {
  const r = new BitReader(message);
  r.readHeader();
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 30; j++) sink += r.readBits(2);
    sink += r.readBinary().length;
    for (let j = 0; j < 8; j++) {
      sink += r.readBits(3);
      sink += r.readStringCharacters(r.readUnsignedInteger() - 2).length;
    }
    sink += r.readBigInteger() > 0n ? 1 : 0;
    sink += r.readUnsignedInteger();
  }
  for (let j = 0; j < 150; j++) sink += r.readBits(6);
  r.assertOnlyPaddingRemains(true);
});

bench(`primitive writes of the same ${message.length}-octet message (+ finish)`, 1, () => {
  const w = new BitWriter(8192);
  writeMessage(w);
  sink += w.finish().length;
});

if (sink === 0.5) console.log(sink); // keep results observable
