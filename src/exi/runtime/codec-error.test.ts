import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError, isCodecError } from './codec-error.ts';

describe('CodecError', () => {
  it('carries kind, reason and bit position, and appends the position to the message', () => {
    const e = new CodecError('truncated', 'readBits: needs 3 bit(s)', 17);
    assert.ok(e instanceof Error);
    assert.equal(e.kind, 'Codec');
    assert.equal(e.reason, 'truncated');
    assert.equal(e.bitPosition, 17);
    assert.equal(e.name, 'CodecError');
    assert.equal(e.message, 'readBits: needs 3 bit(s) (at bit 17)');
  });

  it('omits the position when not applicable (-1, encoder)', () => {
    const e = new CodecError('value-out-of-range', 'value 300 does not fit in 8 bit(s)', -1);
    assert.equal(e.message, 'value 300 does not fit in 8 bit(s)');
    assert.equal(e.bitPosition, -1);
  });

  it('bit 0 is a position', () => {
    assert.equal(new CodecError('header', 'bad', 0).message, 'bad (at bit 0)');
  });
});

describe('isCodecError', () => {
  it('recognises CodecError instances', () => {
    assert.equal(isCodecError(new CodecError('limit', 'x', 3)), true);
  });

  it('recognises structurally equal errors from another module copy', () => {
    const foreign = Object.assign(new Error('x'), { kind: 'Codec', reason: 'malformed', bitPosition: 5 });
    assert.equal(isCodecError(foreign), true);
  });

  it('rejects other values', () => {
    assert.equal(isCodecError(new Error('x')), false);
    assert.equal(isCodecError(new RangeError('x')), false);
    assert.equal(isCodecError(null), false);
    assert.equal(isCodecError(undefined), false);
    assert.equal(isCodecError('Codec'), false);
    assert.equal(isCodecError({ kind: 'Codec' }), false);
    assert.equal(isCodecError({ kind: 'Codec', reason: 'nonsense', bitPosition: 0 }), false);
    assert.equal(isCodecError({ kind: 'Other', reason: 'truncated', bitPosition: 0 }), false);
  });
});
