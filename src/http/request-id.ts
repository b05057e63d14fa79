// Request ids: a random UUID (RFC 9562 §5.4, version 4) for every request without a usable client id.
// The OPCP / OPNC error body declares `traceId` with `format: uuid` (error.v1.json; spec-gaps.md
// item 18), which Prism checks (D-084), and the same id is logged as traceId and echoed in
// x-request-id.
//
// One call of the injected random source per id (node:crypto randomBytes(16)) costs ~4 µs under
// load, most of it the call into OpenSSL; the pool below asks it for POOL_BYTES at a time and cuts
// 16 bytes per id (D-095). The ids stay as unpredictable as the source (every byte is used once and
// only in one id), and a fixed source in tests still gives fixed ids.

import { exactRandomBytes, type RandomSource, uuidFromBytes } from '../app/runtime.ts';

/** Random bytes fetched per call of the random source: 256 ids. */
export const POOL_BYTES = 4096;
const ID_BYTES = 16;

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
      pool = exactRandomBytes(random, poolBytes);
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
