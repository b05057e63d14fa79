// Client ids, secrets and the scrypt hash: formats, use of the injected random source, verification.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import {
  CLIENT_ID_PATTERN,
  DEFAULT_SCRYPT_PARAMS,
  DUMMY_HASH,
  generateClientId,
  generateClientSecret,
  hashSecret,
  verifySecret,
} from './secrets.ts';

/** Deterministic, never repeating bytes: SHA-256 of a counter. */
function counterRandom(seed = 'secrets') {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - offset)), offset);
    }
    return out;
  };
}

test('client ids: 16 bytes of the injected source as 32 hex characters', () => {
  assert.equal(
    generateClientId(() => new Uint8Array(16).fill(0xab)),
    'ab'.repeat(16),
  );
  const random = counterRandom();
  const ids = new Set(Array.from({ length: 100 }, () => generateClientId(random)));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, CLIENT_ID_PATTERN);
});

test('client secrets: 256 bits of the injected source, base64url without padding', () => {
  assert.equal(
    generateClientSecret(() => new Uint8Array(32).fill(0xff)),
    `${'_'.repeat(42)}8`,
  );
  const secret = generateClientSecret(counterRandom());
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  assert.throws(() => generateClientSecret(() => new Uint8Array(31)), /instead of 32/);
});

test('hash: scrypt PHC string with a per-secret salt; verify accepts only the secret', async () => {
  const random = counterRandom();
  const secret = generateClientSecret(random);
  const a = await hashSecret(secret, random);
  const b = await hashSecret(secret, random);
  assert.match(a, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(a, b, 'a fresh salt for every hash');
  assert.equal(await verifySecret(secret, a), true);
  assert.equal(await verifySecret(secret, b), true);
  assert.equal(await verifySecret(`${secret}x`, a), false);
  assert.equal(await verifySecret(secret.slice(0, -1), a), false);
  assert.equal(await verifySecret('', a), false);
  assert.ok(!a.includes(secret));
  assert.deepEqual(DEFAULT_SCRYPT_PARAMS, { ln: 15, r: 8, p: 1 });
});

test('hash parameters are read from the stored string (they can be raised later)', async () => {
  const random = counterRandom('params');
  const cheap = await hashSecret('s3cret', random, { ln: 10, r: 4, p: 1 });
  assert.match(cheap, /^\$scrypt\$ln=10,r=4,p=1\$/);
  assert.equal(await verifySecret('s3cret', cheap), true);
});

test('the dummy hash matches no secret; malformed or out-of-range stored hashes are corrupt records', async () => {
  assert.equal(await verifySecret('', DUMMY_HASH), false);
  assert.equal(await verifySecret('A'.repeat(43), DUMMY_HASH), false);
  for (const stored of [
    '',
    'plain-text-secret',
    '$scrypt$ln=15,r=8,p=1$c2FsdA$',
    '$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', // 2^30: refused
    '$argon2id$v=19$m=65536,t=3,p=4$AAAA$AAAA',
  ]) {
    await assert.rejects(
      verifySecret('x', stored),
      (e) => isAppError(e) && e.code === 'auth.corrupt-record' && !e.message.includes(stored || '\u0000'),
    );
  }
});
