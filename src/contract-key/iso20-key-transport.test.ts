import assert from 'node:assert/strict';
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { test } from 'node:test';
import {
  contractKeyBytes,
  decryptContractKeyIso20,
  ED448_ENCRYPTED_KEY_BYTES,
  encryptContractKeyIso20,
  iso20Aad,
  iso20Kdf,
  SECP521_ENCRYPTED_KEY_BYTES,
  X448_ENCRYPTED_KEY_BYTES,
} from './iso20-key-transport.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const PCID = 'WMIV1234567890ABCD';
const SKI = Uint8Array.from([0x01, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);

test('KDF and AAD known answers (derived here, documented in docs/spec-decisions.md D-015)', () => {
  // SHA-512(00000001 ‖ 00..41 (66 bytes) ‖ 01 55 56) truncated to 32 bytes, computed independently.
  const z = Uint8Array.from({ length: 66 }, (_, i) => i);
  const independent = createHash('sha512')
    .update(Buffer.concat([Buffer.of(0, 0, 0, 1), Buffer.from(z), Buffer.of(1, 0x55, 0x56)]))
    .digest()
    .subarray(0, 32);
  assert.equal(Buffer.from(iso20Kdf(z)).toString('hex'), independent.toString('hex'));
  assert.equal(Buffer.from(iso20Aad(PCID, SKI)).toString('ascii'), 'WMIV1234567890ABCD0100AABBCCDDEEFF');
  assert.equal(iso20Aad(PCID, SKI).length, 34);
});

for (const curve of ['SECP521', 'X448'] as const) {
  test(`${curve}: encrypt → decrypt round trip, exact sizes, any changed byte or wrong AAD is refused`, () => {
    const vehicle =
      curve === 'SECP521'
        ? generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
        : generateKeyPairSync('x448');
    const contract =
      curve === 'SECP521'
        ? generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
        : generateKeyPairSync('ed448');
    const out = encryptContractKeyIso20({
      contractPrivateKey: contract.privateKey,
      recipient: vehicle.publicKey,
      pcid: PCID,
      contractSki: SKI,
      randomBytes: rnd,
    });
    assert.equal(out.curve, curve);
    // An Ed448 contract key is 57 bytes: 85, not the XSD's 84 (D-015).
    assert.equal(
      out.encryptedPrivateKey.length,
      curve === 'SECP521' ? SECP521_ENCRYPTED_KEY_BYTES : ED448_ENCRYPTED_KEY_BYTES,
    );
    assert.equal(out.dhPublicKey.length, curve === 'SECP521' ? 133 : 56);
    const plain = decryptContractKeyIso20({
      ...out,
      recipientPrivateKey: vehicle.privateKey,
      pcid: PCID,
      contractSki: SKI,
    });
    assert.deepEqual(plain, contractKeyBytes(contract.privateKey));
    for (const at of [0, 20, out.encryptedPrivateKey.length - 1]) {
      const bad = out.encryptedPrivateKey.slice();
      bad[at]! ^= 1;
      assert.throws(
        () =>
          decryptContractKeyIso20({
            ...out,
            encryptedPrivateKey: bad,
            recipientPrivateKey: vehicle.privateKey,
            pcid: PCID,
            contractSki: SKI,
          }),
        /does not decrypt/,
      );
    }
    assert.throws(
      () =>
        decryptContractKeyIso20({
          ...out,
          recipientPrivateKey: vehicle.privateKey,
          pcid: 'WMIV1234567890ABCE',
          contractSki: SKI,
        }),
      /does not decrypt/,
    );
    const other =
      curve === 'SECP521'
        ? generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
        : generateKeyPairSync('x448');
    assert.throws(
      () =>
        decryptContractKeyIso20({
          ...out,
          recipientPrivateKey: other.privateKey,
          pcid: PCID,
          contractSki: SKI,
        }),
      /does not decrypt/,
    );
  });
}

test('an X448 contract key (56 bytes) gives the 84-byte field of the XSD', () => {
  const vehicle = generateKeyPairSync('x448');
  const contract = generateKeyPairSync('x448');
  const out = encryptContractKeyIso20({
    contractPrivateKey: contract.privateKey,
    recipient: vehicle.publicKey,
    pcid: PCID,
    contractSki: SKI,
    randomBytes: rnd,
  });
  assert.equal(out.encryptedPrivateKey.length, X448_ENCRYPTED_KEY_BYTES);
  assert.deepEqual(
    decryptContractKeyIso20({
      ...out,
      recipientPrivateKey: vehicle.privateKey,
      pcid: PCID,
      contractSki: SKI,
    }),
    contractKeyBytes(contract.privateKey),
  );
});

test('a known-answer vector with fixed randomness reproduces itself and decrypts with an independent ECDH', () => {
  // Fixed inputs → fixed output: the vehicle key, the contract key and the randomness are derived
  // from SHA-512 of labels, so the vector is reproducible without storing key files.
  const scalar = (label: string) => {
    const d = createHash('sha512').update(label).digest().subarray(0, 66);
    const b = Buffer.alloc(66);
    d.copy(b);
    b[0] = 0x00;
    return b;
  };
  const keyFrom = (d: Buffer) => {
    const e = createECDH('secp521r1');
    e.setPrivateKey(d);
    const p = e.getPublicKey(null, 'uncompressed');
    return createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-521',
        d: d.toString('base64url'),
        x: p.subarray(1, 67).toString('base64url'),
        y: p.subarray(67).toString('base64url'),
      },
      format: 'jwk',
    });
  };
  const vehicle = keyFrom(scalar('pnc-kat/vehicle'));
  const contract = keyFrom(scalar('pnc-kat/contract'));
  const stream = Buffer.concat([
    scalar('pnc-kat/ephemeral'),
    createHash('sha512').update('pnc-kat/iv').digest().subarray(0, 12),
  ]);
  let offset = 0;
  const fixed = (n: number): Uint8Array => {
    const bytes = new Uint8Array(stream.subarray(offset, offset + n));
    offset += n;
    return bytes;
  };
  const out = encryptContractKeyIso20({
    contractPrivateKey: contract,
    recipient: createPublicKey(vehicle),
    pcid: PCID,
    contractSki: SKI,
    randomBytes: fixed,
  });
  offset = 0;
  const again = encryptContractKeyIso20({
    contractPrivateKey: contract,
    recipient: createPublicKey(vehicle),
    pcid: PCID,
    contractSki: SKI,
    randomBytes: fixed,
  });
  assert.deepEqual(again, out);
  // Independent check of the key agreement: Z from the vehicle side equals Z from the ephemeral side.
  const ephemeral = keyFrom(scalar('pnc-kat/ephemeral'));
  const z1 = diffieHellman({ privateKey: ephemeral, publicKey: createPublicKey(vehicle) });
  const z2 = diffieHellman({ privateKey: vehicle, publicKey: createPublicKey(ephemeral) });
  assert.deepEqual(z1, z2);
  assert.deepEqual(
    decryptContractKeyIso20({ ...out, recipientPrivateKey: vehicle, pcid: PCID, contractSki: SKI }),
    contractKeyBytes(contract),
  );
});
