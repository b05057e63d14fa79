// Time and randomness, injected into everything that needs them (architecture-practices §3.3), so
// tests can fix both: certificate validity, OCSP nextUpdate, token expiry, request ids. Only the
// composition root (./create-app.ts, chosen by `pnc serve`) uses the real ones below.

import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}

/** Returns n cryptographically strong random bytes. */
export type RandomSource = (n: number) => Uint8Array;

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: RandomSource = (n) => new Uint8Array(randomBytes(n));

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

/**
 * A random UUID (RFC 9562 §5.4, version 4) from one call of the random source: request ids, root
 * ids, event ids (the OPCP / OPNC schemas declare them `format: uuid`).
 */
export function randomUuid(random: RandomSource): string {
  return uuidFromBytes(exactRandomBytes(random, 16));
}

/** `n` bytes from the random source; a source returning another length is a RangeError. */
export function exactRandomBytes(random: RandomSource, n: number): Uint8Array {
  const bytes = random(n);
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== n) {
    throw new RangeError(`the random source returned the wrong number of bytes (asked for ${n})`);
  }
  return bytes;
}
