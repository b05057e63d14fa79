import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as asn1js from 'asn1js';
import { hasCode } from '../testing/key-store-contract.ts';
import {
  DEFAULT_SCRYPT_PARAMS,
  decryptPrivateKeyInfo,
  encryptPrivateKeyInfo,
  fromPem,
  toPem,
} from './pbes2-scrypt.ts';

const PASSPHRASE = 'pbes2 test passphrase';
const random = (n: number): Uint8Array => randomBytes(n);
const pkcs8 = (): Buffer =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });

function opensslVersion(): string | undefined {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}
const noOpenssl = opensslVersion() === undefined ? 'SKIPPED: needs the openssl command line tool' : false;

const root = await mkdtemp(join(tmpdir(), 'pnc-pbes2-'));
after(() => rm(root, { recursive: true, force: true }));

test('encrypt/decrypt round-trip; the structure is PBES2 + scrypt(N=2^14, r=8, p=5) + aes256-CBC', async () => {
  const plain = pkcs8();
  const encrypted = await encryptPrivateKeyInfo(plain, PASSPHRASE, random);
  assert.deepEqual(await decryptPrivateKeyInfo(encrypted, PASSPHRASE), plain);

  const parsed = asn1js.fromBER(encrypted);
  assert.equal(parsed.offset, encrypted.length);
  const [algorithm] = (parsed.result as asn1js.Sequence).valueBlock.value as [asn1js.Sequence];
  const [oid, params] = algorithm.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Sequence];
  assert.equal(oid.valueBlock.toString(), '1.2.840.113549.1.5.13');
  const [kdf, enc] = params.valueBlock.value as [asn1js.Sequence, asn1js.Sequence];
  const [kdfOid, scryptParams] = kdf.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Sequence];
  assert.equal(kdfOid.valueBlock.toString(), '1.3.6.1.4.1.11591.4.11');
  const [salt, n, r, p] = scryptParams.valueBlock.value as [
    asn1js.OctetString,
    asn1js.Integer,
    asn1js.Integer,
    asn1js.Integer,
  ];
  assert.equal(salt.valueBlock.valueHexView.length, 16);
  assert.deepEqual([n.toBigInt(), r.toBigInt(), p.toBigInt()], [16384n, 8n, 5n]);
  assert.deepEqual(DEFAULT_SCRYPT_PARAMS, { N: 16384, r: 8, p: 5 });
  const [encOid] = enc.valueBlock.value as [asn1js.ObjectIdentifier];
  assert.equal(encOid.valueBlock.toString(), '2.16.840.1.101.3.4.1.42');
});

test('node:crypto (OpenSSL) decrypts what we encrypt', async () => {
  const plain = pkcs8();
  const pem = toPem(await encryptPrivateKeyInfo(plain, PASSPHRASE, random));
  const key = createPrivateKey({ key: pem, format: 'pem', passphrase: PASSPHRASE });
  assert.deepEqual(key.export({ type: 'pkcs8', format: 'der' }), plain);
});

test('openssl pkey reads our key files, and we read openssl pkcs8 -scrypt output', {
  skip: noOpenssl,
}, async () => {
  const plain = pkcs8();
  const file = join(root, 'ours.pem');
  await writeFile(
    file,
    `PNC signer key v1\nAlgorithm: P-256\nLabel: x\n${toPem(await encryptPrivateKeyInfo(plain, PASSPHRASE, random))}`,
  );
  const pem = execFileSync('openssl', ['pkey', '-in', file, '-passin', `pass:${PASSPHRASE}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
  assert.deepEqual(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }), plain);

  const plainFile = join(root, 'plain.der');
  await writeFile(plainFile, plain);
  const theirs = execFileSync(
    'openssl',
    [
      'pkcs8',
      '-topk8',
      '-inform',
      'DER',
      '-in',
      plainFile,
      '-scrypt',
      '-scrypt_N',
      '16384',
      '-scrypt_r',
      '8',
      '-scrypt_p',
      '1',
      '-passout',
      `pass:${PASSPHRASE}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.deepEqual(await decryptPrivateKeyInfo(fromPem(theirs), PASSPHRASE), plain);
});

test('wrong passphrase -> signer.bad-passphrase; structural damage -> signer.key-corrupt', async () => {
  const encrypted = await encryptPrivateKeyInfo(pkcs8(), PASSPHRASE, random);
  await assert.rejects(
    decryptPrivateKeyInfo(encrypted, 'another passphrase'),
    hasCode('signer.bad-passphrase'),
  );
  await assert.rejects(
    decryptPrivateKeyInfo(encrypted.subarray(0, encrypted.length - 1), PASSPHRASE),
    hasCode('signer.key-corrupt'),
  );
  await assert.rejects(
    decryptPrivateKeyInfo(new Uint8Array([0x30, 0]), PASSPHRASE),
    hasCode('signer.key-corrupt'),
  );
});

interface Shape {
  N?: number;
  r?: number;
  p?: number;
  kdfOid?: string;
  cipherOid?: string;
  ivLength?: number;
  ciphertextLength?: number;
}

/** An EncryptedPrivateKeyInfo built with asn1js (independently of our encoder), shaped as asked. */
function build(shape: Shape): Uint8Array {
  const scrypt = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: new Uint8Array(16) }),
      new asn1js.Integer({ value: shape.N ?? 1024 }),
      new asn1js.Integer({ value: shape.r ?? 8 }),
      new asn1js.Integer({ value: shape.p ?? 1 }),
    ],
  });
  const pbes2 = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: shape.kdfOid ?? '1.3.6.1.4.1.11591.4.11' }), scrypt],
      }),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: shape.cipherOid ?? '2.16.840.1.101.3.4.1.42' }),
          new asn1js.OctetString({ valueHex: new Uint8Array(shape.ivLength ?? 16) }),
        ],
      }),
    ],
  });
  const info = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.5.13' }), pbes2],
      }),
      new asn1js.OctetString({ valueHex: new Uint8Array(shape.ciphertextLength ?? 32).fill(7) }),
    ],
  });
  return new Uint8Array(info.toBER());
}

test('parameters outside the accepted profile are refused before any key derivation', async () => {
  // Control: a well-formed structure gets as far as decryption (and fails there: random ciphertext).
  await assert.rejects(decryptPrivateKeyInfo(build({}), PASSPHRASE), hasCode('signer.bad-passphrase'));
  const refused: Array<[string, Shape]> = [
    ['N = 2^21 (gigabytes of memory)', { N: 2 ** 21 }],
    ['N not a power of two', { N: 1000 }],
    ['r = 0', { r: 0 }],
    ['p = 17', { p: 17 }],
    ['PBKDF2 instead of scrypt', { kdfOid: '1.2.840.113549.1.5.12' }],
    ['AES-128-CBC', { cipherOid: '2.16.840.1.101.3.4.1.2' }],
    ['8-byte IV', { ivLength: 8 }],
    ['ciphertext not a whole number of blocks', { ciphertextLength: 15 }],
  ];
  for (const [what, shape] of refused) {
    await assert.rejects(
      decryptPrivateKeyInfo(build(shape), PASSPHRASE),
      hasCode('signer.key-corrupt'),
      what,
    );
  }
  await assert.rejects(encryptPrivateKeyInfo(pkcs8(), PASSPHRASE, random, { N: 3, r: 8, p: 1 }));
});

test('PEM parsing is strict', () => {
  assert.throws(
    () => fromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
    hasCode('signer.key-corrupt'),
  );
  assert.throws(
    () => fromPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nA*AA\n-----END ENCRYPTED PRIVATE KEY-----\n'),
    hasCode('signer.key-corrupt'),
  );
  const der = Uint8Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(fromPem(toPem(der)), der);
});
