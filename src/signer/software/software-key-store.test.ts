import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspect } from 'node:util';
import { hasCode, runKeyStoreContract } from '../testing/key-store-contract.ts';
import { KEY_ALGORITHMS } from '../types.ts';
import { fromPem, toPem } from './pbes2-scrypt.ts';
import { MIN_PASSPHRASE_LENGTH, SoftwareKeyStore } from './software-key-store.ts';

const PASSPHRASE = 'correct horse battery staple';
const root = await mkdtemp(join(tmpdir(), 'pnc-signer-sw-'));
after(() => rm(root, { recursive: true, force: true }));

let dirCounter = 0;
function freshDirectory(): string {
  return join(root, `store-${dirCounter++}`, 'keys');
}

function store(directory: string, passphrase = PASSPHRASE): SoftwareKeyStore {
  return new SoftwareKeyStore({ directory, passphrase, randomBytes: (n) => randomBytes(n) });
}

const contractDirectory = freshDirectory();
runKeyStoreContract({
  backend: 'software',
  algorithms: KEY_ALGORITHMS,
  openStore: async () => store(contractDirectory),
  unknownId: '0'.repeat(32),
});

test('software: directory 0700, key files 0600, nothing else left behind', async () => {
  const directory = freshDirectory();
  const s = store(directory);
  const signer = await s.generate('P-256', 'modes');
  assert.equal((await stat(directory)).mode & 0o777, 0o700);
  const names = await readdir(directory);
  assert.deepEqual(names, [`${signer.handle.id}.key.pem`], 'no temporary files remain');
  assert.equal((await stat(join(directory, names[0] as string))).mode & 0o777, 0o600);
});

test('software: the key file is an encrypted PKCS#8 PEM with scrypt that node:crypto can read', async () => {
  const directory = freshDirectory();
  const signer = await store(directory).generate('P-521', 'interop');
  const text = await readFile(join(directory, `${signer.handle.id}.key.pem`), 'utf8');
  assert.match(
    text,
    /^PNC signer key v1\nAlgorithm: P-521\nLabel: interop\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n/,
  );
  assert.doesNotMatch(text, /BEGIN PRIVATE KEY|BEGIN EC PRIVATE KEY/);
  // OpenSSL (inside node) decrypts the same file independently of our decryption code.
  const key = createPrivateKey({
    key: text.slice(text.indexOf('-----BEGIN')),
    format: 'pem',
    passphrase: PASSPHRASE,
  });
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'secp521r1');
  assert.throws(() =>
    createPrivateKey({ key: text.slice(text.indexOf('-----BEGIN')), format: 'pem', passphrase: 'wrong' }),
  );
});

test('software: wrong passphrase is refused with a clear error that carries no secret', async () => {
  const directory = freshDirectory();
  const signer = await store(directory).generate('P-256', 'secret check');
  const file = await readFile(join(directory, `${signer.handle.id}.key.pem`), 'utf8');
  const pem = file.slice(file.indexOf('-----BEGIN'));
  const privateKey = createPrivateKey({ key: pem, format: 'pem', passphrase: PASSPHRASE });
  const secrets = [
    PASSPHRASE,
    privateKey.export({ type: 'pkcs8', format: 'der' }).toString('hex'),
    privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    String(privateKey.export({ format: 'jwk' }).d),
    pem.split('\n')[1] as string, // first line of the encrypted body
  ];
  const wrongPassphrase = 'not the right passphrase';

  let error: unknown;
  try {
    await store(directory, wrongPassphrase).open(signer.handle.id);
  } catch (e) {
    error = e;
  }
  hasCode('signer.bad-passphrase')(error);
  assert.match((error as Error).message, /wrong passphrase/);
  const shown = [inspect(error, { depth: 10 }), JSON.stringify(error), String((error as Error).stack)].join(
    '\n',
  );
  for (const secret of [...secrets, wrongPassphrase]) assert.equal(shown.includes(secret), false);

  // Neither a store nor a signer reveals the passphrase or key when logged.
  const s = store(directory);
  const opened = await s.open(signer.handle.id);
  const logged = [
    inspect(s, { depth: 10, showHidden: true }),
    inspect(opened, { depth: 10, showHidden: true }),
    JSON.stringify(s),
    JSON.stringify(opened),
  ].join('\n');
  for (const secret of secrets) assert.equal(logged.includes(secret), false);
});

test('software: directories and files readable by others are refused, not repaired', async () => {
  const directory = freshDirectory();
  const s = store(directory);
  const signer = await s.generate('P-256', 'perm');
  await chmod(directory, 0o755);
  await assert.rejects(s.list(), hasCode('signer.storage'));
  await assert.rejects(s.open(signer.handle.id), hasCode('signer.storage'));
  await assert.rejects(s.generate('P-256', 'perm2'), hasCode('signer.storage'));
  await chmod(directory, 0o700);
  const file = join(directory, `${signer.handle.id}.key.pem`);
  await chmod(file, 0o644);
  await assert.rejects(
    s.open(signer.handle.id),
    (e) => hasCode('signer.storage')(e) && /0600/.test((e as Error).message),
  );
  await chmod(file, 0o600);
  await s.open(signer.handle.id);
});

test('software: the directory is created with 0700 even under a permissive umask', async () => {
  const directory = freshDirectory();
  const previous = process.umask(0o000);
  try {
    await store(directory).generate('Ed448', 'umask');
  } finally {
    process.umask(previous);
  }
  assert.equal((await stat(directory)).mode & 0o777, 0o700);
});

test('software: ids come from the injected random source; a stuck source is detected', async () => {
  const directory = freshDirectory();
  const stuck = new SoftwareKeyStore({
    directory,
    passphrase: PASSPHRASE,
    randomBytes: (n) => new Uint8Array(n).fill(0xab),
  });
  const first = await stuck.generate('P-256', 'first');
  assert.equal(first.handle.id, 'ab'.repeat(16));
  await assert.rejects(stuck.generate('P-256', 'second'), hasCode('signer.storage'));
  const short = new SoftwareKeyStore({
    directory,
    passphrase: PASSPHRASE,
    randomBytes: () => new Uint8Array(1),
  });
  await assert.rejects(short.generate('P-256', 'short'), hasCode('signer.invalid-argument'));
});

test('software: list ignores foreign files and reports damaged key files', async () => {
  const directory = freshDirectory();
  const s = store(directory);
  const signer = await s.generate('P-256', 'listed');
  await writeFile(join(directory, 'README'), 'not a key', { mode: 0o600 });
  await writeFile(join(directory, `.${signer.handle.id}.0000.tmp`), 'leftover', { mode: 0o600 });
  assert.deepEqual(await s.list(), [signer.handle]);

  const damagedId = 'f'.repeat(32);
  await writeFile(join(directory, `${damagedId}.key.pem`), 'garbage\n', { mode: 0o600 });
  await assert.rejects(s.list(), hasCode('signer.key-corrupt'));
  await assert.rejects(s.open(damagedId), hasCode('signer.key-corrupt'));

  // A header that lies about the algorithm is caught after decryption.
  const text = await readFile(join(directory, `${signer.handle.id}.key.pem`), 'utf8');
  await writeFile(
    join(directory, `${damagedId}.key.pem`),
    text.replace('Algorithm: P-256', 'Algorithm: P-521'),
    { mode: 0o600 },
  );
  await assert.rejects(s.open(damagedId), hasCode('signer.key-corrupt'));
  // A flipped byte in the last ciphertext block: bad padding (or, rarely, garbage that is not a
  // PKCS#8 key), reported like a wrong passphrase because CBC cannot tell the two apart.
  const pemStart = text.indexOf('-----BEGIN');
  const der = fromPem(text.slice(pemStart));
  der[der.length - 1] = (der[der.length - 1] as number) ^ 0xff;
  await writeFile(join(directory, `${damagedId}.key.pem`), text.slice(0, pemStart) + toPem(der), {
    mode: 0o600,
  });
  await assert.rejects(s.open(damagedId), hasCode('signer.bad-passphrase'));
  // A damaged structure (truncated DER) is reported as corrupt.
  await writeFile(
    join(directory, `${damagedId}.key.pem`),
    text.slice(0, pemStart) + toPem(der.subarray(0, 40)),
    {
      mode: 0o600,
    },
  );
  await assert.rejects(s.open(damagedId), hasCode('signer.key-corrupt'));
});

test('software: a missing directory lists nothing and is created by generate()', async () => {
  const directory = freshDirectory();
  const s = store(directory);
  assert.deepEqual(await s.list(), []);
  await assert.rejects(s.open('1'.repeat(32)), hasCode('signer.key-not-found'));
  await mkdir(join(directory, '..'), { recursive: true });
  await s.generate('P-256', 'creates');
  assert.equal((await s.list()).length, 1);
});

test('software: constructor checks its configuration', () => {
  const randomSource = (n: number) => randomBytes(n);
  assert.throws(
    () => new SoftwareKeyStore({ directory: '', passphrase: PASSPHRASE, randomBytes: randomSource }),
    hasCode('signer.invalid-argument'),
  );
  assert.throws(
    () =>
      new SoftwareKeyStore({
        directory: root,
        passphrase: 'x'.repeat(MIN_PASSPHRASE_LENGTH - 1),
        randomBytes: randomSource,
      }),
    hasCode('signer.invalid-argument'),
  );
  assert.throws(
    () => new SoftwareKeyStore({ directory: root, passphrase: PASSPHRASE, randomBytes: undefined as never }),
    hasCode('signer.invalid-argument'),
  );
});
