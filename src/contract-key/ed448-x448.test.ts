// The Ed448 → X448 conversion (D-141) checked against Node's own X448: the public key derived from
// the Ed448 public key equals the X448 public key of the derived private key, and ECDH meets in the
// middle; low-order and foreign keys are refused.
import assert from 'node:assert/strict';
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { x448PrivateKeyOfEd448, x448PublicKeyOfEd448, x448PublicRawOfEd448 } from './ed448-x448.ts';

test('the X448 public key derived from an Ed448 public key is the public key of the derived X448 private key', () => {
  for (let i = 0; i < 8; i++) {
    const { publicKey, privateKey } = generateKeyPairSync('ed448');
    const fromPublic = x448PublicKeyOfEd448(publicKey);
    const fromPrivate = createPublicKey(x448PrivateKeyOfEd448(privateKey));
    assert.equal(fromPublic.export({ format: 'jwk' }).x, fromPrivate.export({ format: 'jwk' }).x);
    assert.equal(x448PublicRawOfEd448(privateKey).length, 56);
    // ECDH with an ephemeral X448 key meets: what the CPS computes is what the vehicle computes.
    const ephemeral = generateKeyPairSync('x448');
    const cpsSide = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: fromPublic });
    const vehicleSide = diffieHellman({
      privateKey: x448PrivateKeyOfEd448(privateKey),
      publicKey: ephemeral.publicKey,
    });
    assert.deepEqual(cpsSide, vehicleSide);
  }
});

test('another Ed448 key gives another X448 key; the neutral point and non-Ed448 keys are refused', () => {
  const a = generateKeyPairSync('ed448');
  const b = generateKeyPairSync('ed448');
  assert.notDeepEqual(x448PublicRawOfEd448(a.publicKey), x448PublicRawOfEd448(b.publicKey));
  // y = 1, x = 0: the neutral element (57 bytes, little-endian 1).
  const neutral = Buffer.alloc(57);
  neutral[0] = 1;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed448', x: neutral.toString('base64url') },
    format: 'jwk',
  });
  assert.throws(() => x448PublicRawOfEd448(key), /low-order/);
  const ec = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
  assert.throws(() => x448PublicKeyOfEd448(ec.publicKey), /Ed448/);
  assert.throws(() => x448PrivateKeyOfEd448(a.publicKey), /private/);
});
