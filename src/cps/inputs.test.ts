// The CPS input checks and the contract validity rule: pure functions, each refusal with its code.

import assert from 'node:assert/strict';
import { createECDH, generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors/app-error.ts';
import { computeEmaidCheckDigit } from '../pki/profiles/identifiers.ts';
import {
  dateTimeOf,
  dhPublicKeyOf,
  editionOf,
  emaidOf,
  emaidText,
  encryptedPrivateKeyOf,
  iso20KeyFieldsOf,
  metadataOf,
  pcidOf,
} from './inputs.ts';
import { contractValidity } from './service.ts';
import { normaliseFingerprint } from './signers.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');

describe('EMAIDs', () => {
  test('any separator / case form normalises to 14 characters; a 15th character must be the check digit', () => {
    const part = (n: number) =>
      fc.array(fc.constantFrom(...ALNUM), { minLength: n, maxLength: n }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.constantFrom('DE', 'FR', 'EM'),
        part(3),
        part(9),
        fc.boolean(),
        fc.boolean(),
        (cc, provider, instance, hyphens, withCheck) => {
          const base = cc + provider + instance;
          const check = computeEmaidCheckDigit(base);
          const s = hyphens ? '-' : '';
          const input = `${cc}${s}${provider}${s}${instance}${withCheck ? s + check : ''}`.toLowerCase();
          const parsed = emaidOf(input);
          assert.equal(parsed.normalized, base);
          assert.equal(emaidText(parsed), withCheck ? base + check : base);
          const wrong = check === '0' ? '1' : '0';
          assert.equal(
            codeOf(() => emaidOf(`${cc}${provider}${instance}${wrong}`)),
            'cps.invalid-emaid',
          );
        },
      ),
    );
  });

  test('other text is refused', () => {
    for (const bad of [
      '',
      'DE',
      'DE*ABC*C12345678',
      'DEABC_12345678',
      'DEABCC12345678901',
      42,
      null,
      'x'.repeat(100),
    ]) {
      assert.equal(
        codeOf(() => emaidOf(bad)),
        'cps.invalid-emaid',
        String(bad),
      );
    }
  });
});

describe('fields', () => {
  test('PCIDs: 17-18 letters and digits, kept as received', () => {
    assert.equal(pcidOf('huboemprovcqa0615'), 'huboemprovcqa0615');
    for (const bad of ['', 'WP0123', 'WP0-1234567890123', 'WP01234567890123456', 7]) {
      assert.equal(
        codeOf(() => pcidOf(bad)),
        'cps.invalid-pcid',
        String(bad),
      );
    }
  });

  test('editions: -2 (also when absent); -20 in every accepted form (D-060, D-140); unknown namespaces refused', () => {
    assert.equal(editionOf('urn:iso:15118:2:2013:MsgDef'), 2);
    assert.equal(editionOf(undefined), 2);
    for (const ns of [
      'urn:iso:15118:20:2022:MsgDef',
      'urn:iso:15118:20:2020:MsgDef',
      'urn:iso:std:iso:15118:-20:CommonMessages',
    ]) {
      assert.equal(editionOf(ns), 20);
    }
    assert.equal(
      codeOf(() => editionOf('urn:other')),
      'pool.invalid-namespace',
    );
  });

  test('-20 key fields: the curve follows from dHpublickey, the encrypted key has its size (D-145)', () => {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const p521 = createECDH('secp521r1');
    p521.generateKeys();
    const point = new Uint8Array(p521.getPublicKey());
    const x448 = new Uint8Array(
      Buffer.from(generateKeyPairSync('x448').publicKey.export({ format: 'jwk' }).x as string, 'base64url'),
    );
    const secp = iso20KeyFieldsOf(b64(new Uint8Array(94)), b64(point));
    assert.equal(secp.curve, 'SECP521');
    assert.equal(secp.dhPublicKey.length, 133);
    for (const size of [84, 85]) {
      const x = iso20KeyFieldsOf(b64(new Uint8Array(size)), b64(x448));
      assert.equal(x.curve, 'X448');
      assert.equal(x.encryptedPrivateKey.length, size);
    }
    const refused = [
      [new Uint8Array(93), point], // SECP521 needs 94
      [new Uint8Array(94), x448], // X448 needs 84 / 85
      [new Uint8Array(85), point],
      [new Uint8Array(94), new Uint8Array(65).fill(4)], // a -2 sized key
      [new Uint8Array(94), Uint8Array.from([4, ...new Uint8Array(132).fill(1)])], // not on the curve
      [new Uint8Array(94), Uint8Array.from([2, ...point.subarray(1)])], // not uncompressed
    ] as const;
    for (const [encrypted, dh] of refused) {
      assert.equal(
        codeOf(() => iso20KeyFieldsOf(b64(encrypted), b64(dh))),
        'cps.invalid-contract-data',
        `${encrypted.length} / ${dh.length}`,
      );
    }
    assert.equal(
      codeOf(() => iso20KeyFieldsOf('!!', b64(point))),
      'cps.invalid-contract-data',
    );
    assert.equal(
      codeOf(() => iso20KeyFieldsOf(b64(new Uint8Array(94)), 42)),
      'cps.invalid-contract-data',
    );
    assert.equal(
      codeOf(() => iso20KeyFieldsOf(b64(new Uint8Array(94)), 'A'.repeat(10_000))),
      'cps.invalid-contract-data',
    );
  });

  test('key fields: exact sizes, base64, a DH key on secp256r1', () => {
    const point = createECDH('prime256v1');
    point.generateKeys();
    const dh = point.getPublicKey().toString('base64');
    assert.equal(dhPublicKeyOf(dh).length, 65);
    assert.equal(
      dhPublicKeyOf(`${dh.slice(0, 40)}\n${dh.slice(40)}`).length,
      65,
      'line breaks are tolerated',
    );
    assert.equal(
      codeOf(() => dhPublicKeyOf(point.getPublicKey(null, 'compressed').toString('base64'))),
      'cps.invalid-contract-data',
    );
    const offCurve = Buffer.from(point.getPublicKey());
    offCurve[64]! ^= 1;
    assert.equal(
      codeOf(() => dhPublicKeyOf(offCurve.toString('base64'))),
      'cps.invalid-contract-data',
    );
    assert.equal(encryptedPrivateKeyOf(Buffer.alloc(48, 7).toString('base64')).length, 48);
    for (const bad of [Buffer.alloc(32).toString('base64'), 'a!b', '', 12, 'A'.repeat(600)]) {
      assert.equal(
        codeOf(() => encryptedPrivateKeyOf(bad)),
        'cps.invalid-contract-data',
        String(bad).slice(0, 20),
      );
    }
  });

  test('dates and metadata', () => {
    assert.equal(
      dateTimeOf('2021-05-11T00:00:00Z', 'contractBegins').toISOString(),
      '2021-05-11T00:00:00.000Z',
    );
    assert.equal(dateTimeOf('2021-05-11T02:00:00+02:00', 'x').toISOString(), '2021-05-11T00:00:00.000Z');
    for (const bad of ['2021-05-11', 'yesterday', '2021-13-45T00:00:00Z', 1620691200000, '']) {
      assert.equal(
        codeOf(() => dateTimeOf(bad, 'contractEnds')),
        'cps.invalid-contract-period',
        String(bad),
      );
    }
    assert.equal(metadataOf(undefined), null);
    assert.equal(metadataOf('x'), 'x');
    assert.equal(
      codeOf(() => metadataOf('x'.repeat(4097))),
      'cps.invalid-request',
    );
  });
});

describe('normaliseFingerprint', () => {
  test('64 hex digits, plain or colon-separated, any case; nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), (bytes, upper) => {
        const hex = Buffer.from(bytes).toString('hex');
        const shown = upper ? hex.toUpperCase() : hex;
        assert.equal(normaliseFingerprint(shown), hex);
        assert.equal(normaliseFingerprint(shown.match(/../g)!.join(':')), hex);
        assert.equal(normaliseFingerprint(shown.slice(2)), undefined);
        assert.equal(normaliseFingerprint(`${shown}00`), undefined);
      }),
    );
    assert.equal(normaliseFingerprint('896b6655-180e-4304-b642-606bb00df8f0'), undefined);
    assert.equal(normaliseFingerprint(`${'ab:'.repeat(31)}abab`), undefined);
  });
});

describe('contractValidity (D-067)', () => {
  const now = new Date('2027-03-01T10:00:00.500Z');
  const day = 86_400_000;

  test('not back-dated, ends at contractEnds, at most two years, whole seconds', () => {
    const v = contractValidity(new Date('2021-05-11T00:00:00Z'), new Date('2027-09-01T00:00:00Z'), now);
    assert.equal(v.notBefore.toISOString(), '2027-03-01T10:00:00.000Z');
    assert.equal(v.notAfter.toISOString(), '2027-09-01T00:00:00.000Z');
    const future = contractValidity(new Date('2027-04-01T00:00:00Z'), new Date('2027-05-01T00:00:00Z'), now);
    assert.equal(future.notBefore.toISOString(), '2027-04-01T00:00:00.000Z');
    const long = contractValidity(now, new Date(now.getTime() + 3650 * day), now);
    assert.ok(long.notAfter.getTime() - long.notBefore.getTime() <= 731 * day);
  });

  test('an end in the past or not after the begin is refused', () => {
    assert.equal(
      codeOf(() => contractValidity(new Date('2021-05-11T00:00:00Z'), new Date('2022-12-10T11:42:59Z'), now)),
      'cps.invalid-contract-period',
    );
    assert.equal(
      codeOf(() => contractValidity(new Date('2027-06-01T00:00:00Z'), new Date('2027-05-01T00:00:00Z'), now)),
      'cps.invalid-contract-period',
    );
  });
});
