// One contract suite for every KeyStore backend (architecture-practices §3 item 4): each backend's
// test file calls runKeyStoreContract() with a factory that opens a fresh store instance on the same
// persistent storage (directory or token). Signatures are checked with node:crypto only, against the
// SubjectPublicKeyInfo the signer reports.

import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { isAppError } from '../../errors/app-error.ts';
import { algorithmOfKey, algorithmProfile } from '../algorithms.ts';
import type { ClosableKeyStore, KeyAlgorithm, SignerBackend } from '../types.ts';

export interface KeyStoreContractOptions {
  readonly backend: SignerBackend;
  /** Algorithms the backend supports here; each gets the full life-cycle test. */
  readonly algorithms: readonly KeyAlgorithm[];
  /** A new store instance over the same storage as every previous one. */
  readonly openStore: () => Promise<ClosableKeyStore>;
  /** A key id in the backend's syntax that does not exist. */
  readonly unknownId: string;
  readonly skip?: string | false;
}

export function hasCode(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected an AppError with code ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

function verifies(
  algorithm: KeyAlgorithm,
  spki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  dsaEncoding: 'der' | 'ieee-p1363',
): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return verify(algorithmProfile(algorithm).hash, data, { key, dsaEncoding }, signature);
}

export function runKeyStoreContract(options: KeyStoreContractOptions): void {
  const { backend, openStore } = options;
  const skip = options.skip ?? false;

  for (const algorithm of options.algorithms) {
    test(`${backend} ${algorithm}: generate, sign (DER and raw), verify, reopen, list, destroy`, {
      skip,
    }, async () => {
      const profile = algorithmProfile(algorithm);
      const data = new TextEncoder().encode(`tbsCertificate stand-in for ${algorithm}`);

      const store = await openStore();
      const signer = await store.generate(algorithm, `contract ${algorithm}`);
      assert.equal(signer.handle.algorithm, algorithm);
      assert.equal(signer.handle.backend, backend);
      assert.match(signer.handle.id, /^[0-9a-f]+$/);

      const spki = await signer.publicKeySpki();
      assert.ok(spki instanceof Uint8Array);
      assert.equal(
        algorithmOfKey(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })),
        algorithm,
      );

      const der = await signer.sign(data);
      const raw = await signer.signRaw(data);
      assert.equal(raw.length, profile.rawSignatureBytes);
      if (profile.family === 'ecdsa') {
        assert.equal(der[0], 0x30, 'DER ECDSA-Sig-Value starts with a SEQUENCE');
        assert.ok(verifies(algorithm, spki, data, der, 'der'), 'DER signature verifies');
        assert.ok(verifies(algorithm, spki, data, raw, 'ieee-p1363'), 'raw signature verifies');
      } else {
        assert.equal(der.length, profile.rawSignatureBytes);
        assert.ok(verifies(algorithm, spki, data, der, 'der'));
        assert.ok(verifies(algorithm, spki, data, raw, 'der'));
      }
      const tampered = new Uint8Array(data);
      tampered[0] = (tampered[0] as number) ^ 1;
      assert.equal(verifies(algorithm, spki, tampered, raw, 'ieee-p1363'), false);
      // The empty message is a valid input too.
      assert.ok(
        verifies(algorithm, spki, new Uint8Array(0), await signer.signRaw(new Uint8Array(0)), 'ieee-p1363'),
      );
      // The caller cannot alter the signer's public key through the returned bytes.
      spki.fill(0);
      assert.notDeepEqual(await signer.publicKeySpki(), spki);
      await store.close();

      // Persistence: a new store instance finds and uses the key.
      const store2 = await openStore();
      try {
        const reopened = await store2.open(signer.handle.id);
        assert.deepEqual(reopened.handle, signer.handle);
        const spki2 = await reopened.publicKeySpki();
        assert.ok(verifies(algorithm, spki2, data, await reopened.sign(data), 'der'));
        assert.ok(verifies(algorithm, spki2, data, await reopened.signRaw(data), 'ieee-p1363'));

        assert.ok(
          (await store2.list()).some(
            (h) => h.id === signer.handle.id && h.algorithm === algorithm && h.backend === backend,
          ),
        );

        await store2.destroy(signer.handle.id);
        assert.equal(
          (await store2.list()).some((h) => h.id === signer.handle.id),
          false,
        );
        await assert.rejects(store2.open(signer.handle.id), hasCode('signer.key-not-found'));
        await assert.rejects(store2.destroy(signer.handle.id), hasCode('signer.key-not-found'));
        await assert.rejects(reopened.sign(data), isAppError, 'a signer of a destroyed key fails');
      } finally {
        await store2.close();
      }
    });
  }

  test(`${backend}: concurrent signing on one store`, { skip }, async () => {
    const algorithm = options.algorithms[0] as KeyAlgorithm;
    const store = await openStore();
    try {
      const signer = await store.generate(algorithm, 'concurrency');
      const spki = await signer.publicKeySpki();
      const messages = Array.from({ length: 16 }, (_, i) => new TextEncoder().encode(`message ${i}`));
      const signatures = await Promise.all(
        messages.map((m, i) => (i % 2 === 0 ? signer.signRaw(m) : signer.sign(m))),
      );
      signatures.forEach((sig, i) => {
        assert.ok(
          verifies(algorithm, spki, messages[i] as Uint8Array, sig, i % 2 === 0 ? 'ieee-p1363' : 'der'),
          `message ${i}`,
        );
      });
      await store.destroy(signer.handle.id);
    } finally {
      await store.close();
    }
  });

  test(`${backend}: invalid arguments and unknown ids are refused with stable codes`, { skip }, async () => {
    const store = await openStore();
    try {
      await assert.rejects(store.open(options.unknownId), hasCode('signer.key-not-found'));
      await assert.rejects(store.destroy(options.unknownId), hasCode('signer.key-not-found'));
      for (const badId of ['', '../etc/passwd', 'ABCDEF', 'zz', 42 as unknown as string]) {
        await assert.rejects(store.open(badId), hasCode('signer.invalid-argument'), String(badId));
      }
      await assert.rejects(store.generate('P-384' as KeyAlgorithm, 'x'), hasCode('signer.invalid-argument'));
      await assert.rejects(
        store.generate(options.algorithms[0] as KeyAlgorithm, 'bad\nlabel'),
        hasCode('signer.invalid-argument'),
      );
      const signer = await store.generate(options.algorithms[0] as KeyAlgorithm, 'arguments');
      await assert.rejects(signer.sign('text' as unknown as Uint8Array), hasCode('signer.invalid-argument'));
      await store.destroy(signer.handle.id);
    } finally {
      await store.close();
    }
  });

  test(`${backend}: a closed store and its signers refuse to work`, { skip }, async () => {
    const store = await openStore();
    const signer = await store.generate(options.algorithms[0] as KeyAlgorithm, 'closing');
    const id = signer.handle.id;
    await store.close();
    await store.close(); // idempotent
    await assert.rejects(store.list(), hasCode('signer.closed'));
    await assert.rejects(store.open(id), hasCode('signer.closed'));
    await assert.rejects(signer.sign(new Uint8Array(1)), hasCode('signer.closed'));
    const cleanup = await openStore();
    try {
      await cleanup.destroy(id);
    } finally {
      await cleanup.close();
    }
  });
}
