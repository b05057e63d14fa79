/**
 * The single error type raised by the EXI runtime (bit reader / writer) and by the grammar
 * interpreter built on top of it. Decoders treat every input as hostile: whatever the bytes, the
 * only thing a decode may throw is a CodecError (programming errors such as an invalid bit width
 * passed by the caller are RangeErrors, never data-dependent).
 */

/**
 * Why a decode or encode failed.
 * - `truncated`: the input ends before the value being read (includes declared lengths that exceed
 *   what remains of the input).
 * - `header`: the EXI header is not the single octet 0x80 required by ISO 15118-2 §7.9.1.3.
 * - `event-code`: an event code that the current grammar state does not allow.
 * - `value-out-of-range`: a value that does not fit its representation (decoder: an integer beyond
 *   Number.MAX_SAFE_INTEGER; encoder: a value wider than its field, a negative unsigned, …).
 * - `limit`: a configured resource limit (string / binary length, nesting, …) was exceeded.
 * - `undeclared`: content the schema does not declare (second-level / deviation productions).
 * - `schema-mismatch`: a model value that the schema does not allow.
 * - `malformed`: structurally invalid encoding (over-long integer, invalid code point, trailing
 *   bytes after the end of the document, …).
 */
export type CodecErrorReason =
  | 'truncated'
  | 'header'
  | 'event-code'
  | 'value-out-of-range'
  | 'limit'
  | 'undeclared'
  | 'schema-mismatch'
  | 'malformed';

const REASONS: ReadonlySet<string> = new Set<CodecErrorReason>([
  'truncated',
  'header',
  'event-code',
  'value-out-of-range',
  'limit',
  'undeclared',
  'schema-mismatch',
  'malformed',
]);

export class CodecError extends Error {
  /** Discriminant: lets callers recognise the error across realms / duplicated module copies. */
  readonly kind = 'Codec';
  readonly reason: CodecErrorReason;
  /** Bit offset in the EXI stream where the failing read started; -1 when not applicable (encoder). */
  readonly bitPosition: number;

  constructor(reason: CodecErrorReason, message: string, bitPosition: number) {
    super(bitPosition >= 0 ? `${message} (at bit ${bitPosition})` : message);
    this.name = 'CodecError';
    this.reason = reason;
    this.bitPosition = bitPosition;
  }
}

/** True for a CodecError, also one created by another copy of this module (structural check). */
export function isCodecError(e: unknown): e is CodecError {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as { kind?: unknown; reason?: unknown; bitPosition?: unknown };
  return (
    r.kind === 'Codec' &&
    typeof r.reason === 'string' &&
    REASONS.has(r.reason) &&
    typeof r.bitPosition === 'number'
  );
}
