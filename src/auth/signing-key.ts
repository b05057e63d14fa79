// The access-token signing key: ES256 (ECDSA P-256 with SHA-256, RFC 7518 §3.4), generated from the
// injected random source at the first start and stored in the database (auth_signing_keys), so that
// every instance on the same database signs and verifies with the same key (docs/spec-decisions.md
// D-018). The key id is the RFC 7638 JWK thumbprint of the public key.

import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { Clock, RandomSource } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database } from '../storage/types.ts';
import { insertFirstSigningKey, listSigningKeys, type SigningKeyRecord } from './repository.ts';

export const TOKEN_ALGORITHM = 'ES256';

// Order of the P-256 group (FIPS 186-4 D.1.2.3 / SEC 2 §2.4.2).
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A P-256 private key whose scalar comes from the random source (rejection sampling in [1, n-1]). */
export function generateP256Key(random: RandomSource): KeyObject {
  for (let attempt = 0; attempt < 8; attempt++) {
    const d = random(32);
    if (d.length !== 32) throw new Error('random source returned the wrong number of bytes');
    const scalar = BigInt(`0x${Buffer.from(d).toString('hex')}`);
    if (scalar === 0n || scalar >= P256_ORDER) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    return createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: Buffer.from(d).toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
  }
  throw new Error('random source produced no usable P-256 scalar in 8 attempts');
}

export async function keyId(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
}

async function toSigningKey(record: SigningKeyRecord): Promise<SigningKey> {
  if (record.algorithm !== TOKEN_ALGORITHM) {
    throw appError('auth.corrupt-record', `signing key ${record.kid} has unsupported algorithm`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(record.privateKey), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw appError('auth.corrupt-record', `signing key ${record.kid} cannot be read`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw appError('auth.corrupt-record', `signing key ${record.kid} is not a P-256 key`);
  }
  const publicKey = createPublicKey(privateKey);
  if ((await keyId(publicKey)) !== record.kid) {
    throw appError('auth.corrupt-record', `signing key ${record.kid} does not match its key id`);
  }
  return { kid: record.kid, privateKey, publicKey };
}

/**
 * The stored signing keys, newest first; creates the first one when there is none. Run once at start
 * (createApp); the result is kept in memory.
 */
export async function loadOrCreateSigningKeys(
  db: Database,
  deps: { readonly clock: Clock; readonly random: RandomSource },
): Promise<SigningKey[]> {
  let records = await listSigningKeys(db);
  if (records.length === 0) {
    const privateKey = generateP256Key(deps.random);
    const kid = await keyId(createPublicKey(privateKey));
    await insertFirstSigningKey(db, {
      kid,
      algorithm: TOKEN_ALGORITHM,
      privateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
      createdAt: deps.clock.now(),
    });
    // Another instance may have stored its key first: read back what the database holds.
    records = await listSigningKeys(db);
  }
  return Promise.all(records.map(toSigningKey));
}
