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
