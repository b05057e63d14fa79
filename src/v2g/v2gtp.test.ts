import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors/app-error.ts';
import {
  decodeV2gtpHeader,
  encodeV2gtp,
  ISO2_TCP_PAYLOAD_TYPES,
  ISO20_TCP_PAYLOAD_TYPES,
  PAYLOAD_TYPE,
  V2gtpParser,
} from './v2gtp.ts';

const code = (c: string) => (e: unknown) => isAppError(e) && e.code === c;

describe('V2GTP framing', () => {
  test('header layout: 01 FE, big-endian type and length', () => {
    const frame = encodeV2gtp(PAYLOAD_TYPE.exi, Uint8Array.of(0x80, 0x00, 0xf1));
    assert.deepEqual([...frame], [0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 3, 0x80, 0x00, 0xf1]);
    assert.deepEqual(decodeV2gtpHeader(frame), { payloadType: 0x8001, length: 3 });
  });

  test('wrong version pair, unknown or disallowed type, oversized length are refused', () => {
    const frame = encodeV2gtp(PAYLOAD_TYPE.exi, new Uint8Array(4));
    assert.throws(
      () => decodeV2gtpHeader(Uint8Array.of(0x02, 0xfd, 0x80, 0x01, 0, 0, 0, 0)),
      code('v2g.framing'),
    );
    assert.throws(
      () => decodeV2gtpHeader(Uint8Array.of(0x01, 0xff, 0x80, 0x01, 0, 0, 0, 0)),
      code('v2g.framing'),
    );
    assert.throws(() => decodeV2gtpHeader(frame.subarray(0, 7)), code('v2g.framing'));
    assert.throws(
      () => decodeV2gtpHeader(Uint8Array.of(1, 0xfe, 0x12, 0x34, 0, 0, 0, 0)),
      code('v2g.payload-type'),
    );
    assert.throws(
      () =>
        decodeV2gtpHeader(encodeV2gtp(PAYLOAD_TYPE.iso20Dc, new Uint8Array(0)), {
          allowedTypes: ISO2_TCP_PAYLOAD_TYPES,
        }),
      code('v2g.payload-type'),
    );
    assert.deepEqual(
      decodeV2gtpHeader(encodeV2gtp(PAYLOAD_TYPE.iso20Dc, new Uint8Array(0)), {
        allowedTypes: ISO20_TCP_PAYLOAD_TYPES,
      }),
      { payloadType: 0x8004, length: 0 },
    );
    assert.throws(() => decodeV2gtpHeader(frame, { maxPayload: 3 }), code('v2g.too-large'));
    // The length is checked from the header alone: a 4 GiB claim fails before any payload arrives.
    const parser = new V2gtpParser();
    assert.throws(
      () => parser.push(Uint8Array.of(1, 0xfe, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff)),
      code('v2g.too-large'),
    );
    assert.throws(() => parser.push(new Uint8Array(1)), code('v2g.framing'), 'a failed parser stays failed');
    assert.throws(() => new V2gtpParser({ maxPayload: -1 }), code('v2g.invalid-config'));
    assert.throws(() => encodeV2gtp(0x10000, new Uint8Array(0)), code('v2g.payload-type'));
  });

  test('property: any split of a message stream yields the same messages', () => {
    const types = Object.values(PAYLOAD_TYPE);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            payloadType: fc.constantFrom(...types),
            payload: fc.uint8Array({ maxLength: 300 }),
          }),
          { maxLength: 8 },
        ),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const stream = Buffer.concat(messages.map((m) => encodeV2gtp(m.payloadType, m.payload)));
          const parser = new V2gtpParser({ maxPayload: 300 });
          const out: { payloadType: number; payload: Uint8Array }[] = [];
          let offset = 0;
          let i = 0;
          while (offset < stream.length) {
            const n = cuts[i++ % cuts.length]!;
            out.push(...parser.push(new Uint8Array(stream.subarray(offset, offset + n))));
            offset += n;
          }
          assert.equal(parser.pending, 0);
          assert.deepEqual(
            out.map((m) => [m.payloadType, Buffer.from(m.payload).toString('hex')]),
            messages.map((m) => [m.payloadType, Buffer.from(m.payload).toString('hex')]),
          );
        },
      ),
    );
  });

  test('property: a corrupted version byte or an unknown type is always refused', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        (v, inv, type) => {
          const header = Uint8Array.of(v, inv, type >> 8, type & 0xff, 0, 0, 0, 0);
          const valid = v === 1 && inv === 0xfe && (Object.values(PAYLOAD_TYPE) as number[]).includes(type);
          if (valid) assert.deepEqual(decodeV2gtpHeader(header), { payloadType: type, length: 0 });
          else
            assert.throws(
              () => decodeV2gtpHeader(header),
              (e: unknown) => isAppError(e),
            );
        },
      ),
    );
  });
});
