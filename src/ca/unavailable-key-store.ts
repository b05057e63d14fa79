// A key store that refuses every operation with one clear message. The composition root uses it when
// no key store is configured (software store without PNC_KEY_PASSPHRASE, PKCS#11 without token or
// PIN): everything that needs no key (lists, exports, revocation, status queries) keeps working, and
// the first operation that needs a key says what to configure.

import { appError } from '../errors/catalogue.ts';
import type { ClosableKeyStore, KeyHandle, Signer, SignerBackend } from '../signer/types.ts';

export class UnavailableKeyStore implements ClosableKeyStore {
  readonly backend: SignerBackend;
  readonly #reason: string;

  constructor(backend: SignerBackend, reason: string) {
    this.backend = backend;
    this.#reason = reason;
  }

  #refuse(): never {
    throw appError('ca.key-store-unavailable', this.#reason, { details: { backend: this.backend } });
  }

  async generate(): Promise<Signer> {
    this.#refuse();
  }

  async open(): Promise<Signer> {
    this.#refuse();
  }

  async list(): Promise<KeyHandle[]> {
    this.#refuse();
  }

  async destroy(): Promise<void> {
    this.#refuse();
  }

  async close(): Promise<void> {}
}
