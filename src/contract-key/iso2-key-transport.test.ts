import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hasShared, SHARED_SKIP, sharedPath } from '../testing/shared-data.ts';
import {
  decryptContractKeyIso2,
  encryptContractKeyIso2,
  iso2Kdf,
  p256PublicPoint,
  scalarMatchesCertificate,
} from './iso2-key-transport.ts';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

test('KDF known answer (pki-profiles.md §4.1: Z = 00..1f → 477b6018…)', () => {
  const z = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(Buffer.from(iso2Kdf(z)).toString('hex'), '477b6018ced06f1febd5e7f86763b45d');
});

test('encrypt → decrypt round trip with fresh keys; output sizes per the XSD facets', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 30 }), () => {
      const oem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const contract = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const out = encryptContractKeyIso2({
        contractPrivateKey: contract.privateKey,
        recipient: oem.publicKey,
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
      });
      assert.equal(out.encryptedPrivateKey.length, 48);
      assert.equal(out.dhPublicKey.length, 65);
      const scalar = decryptContractKeyIso2({ ...out, recipientPrivateKey: oem.privateKey });
      assert.ok(scalarMatchesCertificate(scalar, contract.publicKey));
    }),
    { numRuns: 25 },
  );
});

test('hostile input: wrong sizes, a point off the curve, wrong key types', () => {
  const oem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const bad = (f: () => unknown, pattern: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof Error && pattern.test(e.message));
  bad(
    () =>
      decryptContractKeyIso2({
        encryptedPrivateKey: new Uint8Array(47),
        dhPublicKey: new Uint8Array(65).fill(4),
        recipientPrivateKey: oem.privateKey,
      }),
    /48 bytes/,
  );
  bad(
    () =>
      decryptContractKeyIso2({
        encryptedPrivateKey: new Uint8Array(48),
        dhPublicKey: new Uint8Array(65),
        recipientPrivateKey: oem.privateKey,
      }),
    /uncompressed/,
  );
  const offCurve = new Uint8Array(65).fill(7);
  offCurve[0] = 4;
  bad(
    () =>
      decryptContractKeyIso2({
        encryptedPrivateKey: new Uint8Array(48),
        dhPublicKey: offCurve,
        recipientPrivateKey: oem.privateKey,
      }),
    /not a point/,
  );
  const ed = generateKeyPairSync('ed25519');
  bad(() => p256PublicPoint(ed.publicKey), /secp256r1/);
  bad(
    () =>
      encryptContractKeyIso2({
        contractPrivateKey: new Uint8Array(31),
        recipient: oem.publicKey,
        randomBytes: (n) => new Uint8Array(n),
      }),
    /32 bytes/,
  );
});

interface PkiRecord {
  id: string;
  der: string;
  privateKeyPkcs8: string | null;
}
interface KatRecord {
  id: string;
  recipientCertId: string;
  decryptWithCertId: string;
  contractCertId: string;
  ephemeralPrivateKey: string;
  dhPublicKey: string;
  sharedSecretZ: string;
  sessionKey: string;
  iv: string;
  contractSignatureEncryptedPrivateKey: string;
  contractPrivateKey: string;
  expected: { decryptedPrivateKeyMatchesContractCertPublicKey: boolean };
}

describe('known-answer vectors of ../shared/vectors/pki/contract-key-kat.jsonl', {
  skip: hasShared('vectors', 'pki') ? false : SHARED_SKIP,
}, () => {
  const lines = (f: string) =>
    hasShared('vectors', 'pki')
      ? readFileSync(sharedPath('vectors', 'pki', f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
      : [];
  const certs = new Map<string, PkiRecord>();
  for (const f of ['certs-v2g.jsonl', 'certs-mo.jsonl', 'certs-oem.jsonl', 'certs-cps.jsonl']) {
    for (const l of lines(f)) {
      const r = JSON.parse(l) as PkiRecord;
      certs.set(r.id, r);
    }
  }
  for (const l of lines('contract-key-kat.jsonl')) {
    const kat = JSON.parse(l) as KatRecord;
    test(kat.id, () => {
      const recipient = new Uint8Array(Buffer.from(certs.get(kat.recipientCertId)!.der, 'base64'));
      const contractCert = new Uint8Array(Buffer.from(certs.get(kat.contractCertId)!.der, 'base64'));
      // Encrypt with the vector's ephemeral key and IV: exactly the published bytes.
      const queue = [hex(kat.ephemeralPrivateKey), hex(kat.iv)];
      const out = encryptContractKeyIso2({
        contractPrivateKey: hex(kat.contractPrivateKey),
        recipient,
        randomBytes: () => queue.shift()!,
      });
      assert.equal(Buffer.from(out.dhPublicKey).toString('hex'), kat.dhPublicKey);
      assert.equal(
        Buffer.from(out.encryptedPrivateKey).toString('hex'),
        kat.contractSignatureEncryptedPrivateKey,
      );
      // Decrypt with the key the vector names (the wrong OEM key for the negative vector).
      const key = certs.get(kat.decryptWithCertId)!.privateKeyPkcs8;
      assert.ok(key, `${kat.decryptWithCertId} has a published private key`);
      const scalar = decryptContractKeyIso2({
        encryptedPrivateKey: hex(kat.contractSignatureEncryptedPrivateKey),
        dhPublicKey: hex(kat.dhPublicKey),
        recipientPrivateKey: new Uint8Array(Buffer.from(key, 'base64')),
      });
      assert.equal(
        scalarMatchesCertificate(scalar, contractCert),
        kat.expected.decryptedPrivateKeyMatchesContractCertPublicKey,
      );
    });
  }
});
