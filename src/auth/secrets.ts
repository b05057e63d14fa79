// Client ids and secrets: generation from the injected random source, storage as a slow salted hash,
// constant-time verification.
//
// - Client id: 16 random bytes as 32 lower-case hex characters (no character that needs escaping in a
//   URL, a form, HTTP Basic (RFC 7617 forbids ':' in the user id) or a shell, and none starting with
//   '-', which a CLI would take for an option).
// - Client secret: 32 random bytes (256 bits) as base64url without padding (RFC 4648 §5), 43
//   characters, URL- and form-safe.
// - Stored hash: scrypt (RFC 7914) with a 16-byte per-secret salt, in the PHC string format
//   `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (standard base64 without padding), so the parameters can
//   be raised later without invalidating existing secrets. N = 2^15, r = 8 needs 32 MiB and takes tens
//   of milliseconds: a slow hash, although a 256-bit random secret could not be guessed anyway.
// - Verification derives the candidate with the stored parameters and compares with
//   crypto.timingSafeEqual.

import { scrypt, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ ln: 15, r: 8, p: 1 });

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const CLIENT_ID_BYTES = 16;
const SECRET_BYTES = 32;

/** Client ids as generated here; anything else cannot be a client. */
export const CLIENT_ID_PATTERN = /^[0-9a-f]{32}$/;
/** Longest secret looked at; longer ones are refused before hashing. */
export const MAX_SECRET_LENGTH = 256;

// Bounds for parameters read back from the database: a tampered row must not make one request burn
// gigabytes of memory.
const LN_RANGE = [10, 20] as const;
const R_RANGE = [1, 32] as const;
const P_RANGE = [1, 16] as const;

function randomBytesOf(random: RandomSource, n: number): Uint8Array {
  const bytes = random(n);
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new Error(`random source returned ${bytes?.length ?? 'no'} bytes instead of ${n}`);
  }
  return bytes;
}

export function generateClientId(random: RandomSource): string {
  return Buffer.from(randomBytesOf(random, CLIENT_ID_BYTES)).toString('hex');
}

export function generateClientSecret(random: RandomSource): string {
  return Buffer.from(randomBytesOf(random, SECRET_BYTES)).toString('base64url');
}

function derive(secret: string, salt: Uint8Array, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) => {
    // maxmem: 128 * N * r plus headroom (Node's default of 32 MiB is exactly too small for ln = 15).
    scrypt(
      secret.normalize('NFC'),
      salt,
      length,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

export async function hashSecret(
  secret: string,
  random: RandomSource,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytesOf(random, SALT_BYTES);
  const hash = await derive(secret, salt, params, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const PHC =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43,88})$/;

function inRange(value: number, [min, max]: readonly [number, number]): boolean {
  return value >= min && value <= max;
}

function parseHash(stored: string): ParsedHash {
  const m = PHC.exec(stored);
  const params = m === null ? undefined : { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (
    m === null ||
    params === undefined ||
    !inRange(params.ln, LN_RANGE) ||
    !inRange(params.r, R_RANGE) ||
    !inRange(params.p, P_RANGE)
  ) {
    // Never include the stored value: it is a credential verifier.
    throw appError('auth.corrupt-record', 'a stored client secret hash is not a valid scrypt PHC string');
  }
  return { params, salt: Buffer.from(m[4] as string, 'base64'), hash: Buffer.from(m[5] as string, 'base64') };
}

/** True when secret matches the stored hash. Throws auth.corrupt-record for an unreadable hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const { params, salt, hash } = parseHash(stored);
  const candidate = await derive(secret, salt, params, hash.length);
  return timingSafeEqual(candidate, hash);
}

/**
 * A hash no secret matches, verified for unknown client ids so that the answer takes as long as for
 * a known client with a wrong secret (no timing oracle for which client ids exist).
 */
export const DUMMY_HASH = `$scrypt$ln=${DEFAULT_SCRYPT_PARAMS.ln},r=${DEFAULT_SCRYPT_PARAMS.r},p=${DEFAULT_SCRYPT_PARAMS.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
