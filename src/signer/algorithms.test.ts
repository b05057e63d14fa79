import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { algorithmOfKey, algorithmProfile, assertKeyLabel, spkiFromPublicKey } from './algorithms.ts';
import { KEY_ALGORITHMS } from './types.ts';

function nodeKeyPair(algorithm: (typeof KEY_ALGORITHMS)[number]) {
  return algorithm === 'Ed448'
    ? generateKeyPairSync('ed448')
    : generateKeyPairSync('ec', { namedCurve: algorithmProfile(algorithm).nodeCurve as string });
}

/** The raw public key as a token returns it (CKA_EC_POINT without the OCTET STRING). */
function rawPublicKey(algorithm: (typeof KEY_ALGORITHMS)[number], spki: Buffer): Uint8Array {
  return spki.subarray(spki.length - algorithmProfile(algorithm).publicKeyBytes);
}

for (const algorithm of KEY_ALGORITHMS) {
  test(`${algorithm}: spkiFromPublicKey builds the same DER as node:crypto`, () => {
    const { publicKey } = nodeKeyPair(algorithm);
    const expected = publicKey.export({ type: 'spki', format: 'der' });
    const built = spkiFromPublicKey(algorithm, rawPublicKey(algorithm, expected));
    assert.deepEqual(Buffer.from(built), expected);
    assert.equal(algorithmOfKey(publicKey), algorithm);
  });

  test(`${algorithm}: spkiFromPublicKey rejects points of the wrong size or off the curve`, () => {
    const { publicKey } = nodeKeyPair(algorithm);
    const raw = new Uint8Array(rawPublicKey(algorithm, publicKey.export({ type: 'spki', format: 'der' })));
    assert.throws(
      () => spkiFromPublicKey(algorithm, raw.subarray(1)),
      (e) => isAppError(e) && e.code === 'signer.key-corrupt',
    );
    if (algorithm !== 'Ed448') {
      const offCurve = new Uint8Array(raw);
      offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] as number) ^ 1;
      assert.throws(
        () => spkiFromPublicKey(algorithm, offCurve),
        (e) => isAppError(e) && e.code === 'signer.key-corrupt',
      );
    }
  });
}

test('algorithmOfKey ignores other curves and key types', () => {
  assert.equal(algorithmOfKey(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey), undefined);
  assert.equal(algorithmOfKey(generateKeyPairSync('ed25519').publicKey), undefined);
});

test('algorithmProfile refuses unknown algorithms', () => {
  assert.throws(
    () => algorithmProfile('P-384' as never),
    (e) => isAppError(e) && e.code === 'signer.invalid-argument' && e.kind === 'Malformed',
  );
});

test('key labels: one printable line, 1 to 64 characters', () => {
  for (const ok of ['root', 'V2G Root CA QA G1', 'Wurzel-CA für Ladepunkte', 'x'.repeat(64)])
    assertKeyLabel(ok);
  for (const bad of [
    '',
    ' ',
    ' lead',
    'trail ',
    'two\nlines',
    'tab\there',
    'x'.repeat(65),
    'bidi\u202e',
    7,
  ]) {
    assert.throws(
      () => assertKeyLabel(bad),
      (e) => isAppError(e) && e.code === 'signer.invalid-argument',
      String(bad),
    );
  }
});
