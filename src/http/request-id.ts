// Request ids: a random UUID (RFC 9562 §5.4, version 4) for every request without a usable client id.
// The OPCP / OPNC error body declares `traceId` with `format: uuid` (error.v1.json; spec-gaps.md
// item 18), which Prism checks (D-084), and the same id is logged as traceId and echoed in
// x-request-id.
//
// One call of the injected random source per id (node:crypto randomBytes(16)) costs ~4 µs under
// load, most of it the call into OpenSSL; the pool below asks it for POOL_BYTES at a time and cuts
// 16 bytes per id (D-095). The ids stay as unpredictable as the source (every byte is used once and
// only in one id), and a fixed source in tests still gives fixed ids.

import type { RandomSource } from '../app/runtime.ts';

/** Random bytes fetched per call of the random source: 256 ids. */
export const POOL_BYTES = 4096;
const ID_BYTES = 16;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The version-4 UUID of 16 random bytes at `offset` (version and variant bits set, RFC 9562 §5.4). */
export function uuidFromBytes(b: Uint8Array, offset = 0): string {
  const h = (i: number): string => HEX[b[offset + i] as number] as string;
  const version = HEX[((b[offset + 6] as number) & 0x0f) | 0x40] as string;
  const variant = HEX[((b[offset + 8] as number) & 0x3f) | 0x80] as string;
  return (
    h(0) +
    h(1) +
    h(2) +
    h(3) +
    '-' +
    h(4) +
    h(5) +
    '-' +
    version +
    h(7) +
    '-' +
    variant +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
}

/** A random UUID (RFC 9562 version 4) from one call of the random source. */
export function randomUuid(random: RandomSource): string {
  return uuidFromBytes(takeExactly(random, ID_BYTES));
}

function takeExactly(random: RandomSource, n: number): Uint8Array {
  const bytes = random(n);
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== n) {
    throw new RangeError(`the random source returned the wrong number of bytes (asked for ${n})`);
  }
  return bytes;
}

/**
 * A source of random version-4 UUIDs that calls `random` once per POOL_BYTES / 16 ids. The bytes of
 * one call are used in order, each once.
 */
export function uuidPool(random: RandomSource, poolBytes = POOL_BYTES): () => string {
  if (!Number.isInteger(poolBytes) || poolBytes < ID_BYTES || poolBytes % ID_BYTES !== 0) {
    throw new RangeError(`poolBytes must be a positive multiple of ${ID_BYTES}`);
  }
  let pool: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset >= pool.byteLength) {
      pool = takeExactly(random, poolBytes);
      offset = 0;
    }
    const id = uuidFromBytes(pool, offset);
    offset += ID_BYTES;
    return id;
  };
}

/** Header carrying the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A client's id is echoed in a response header and written to logs: accept only short tokens without
// spaces or control characters (no header or log injection).
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The id of a request: the client's x-request-id when it is a short safe token, else a fresh
 * random UUID from the pool.
 */
export function requestIdGenerator(
  random: RandomSource,
): (req: { headers: Record<string, unknown> }) => string {
  const next = uuidPool(random);
  return (req) => {
    const given = req.headers[REQUEST_ID_HEADER];
    if (typeof given === 'string' && CLIENT_REQUEST_ID.test(given)) return given;
    return next();
  };
}
