// Typed backend registry (architecture-practices §3 item 5): the composition root turns the `signer`
// section of the configuration into a key store here, and nothing else names a backend class.

import { signerError } from './errors.ts';
import { Pkcs11KeyStore } from './pkcs11/pkcs11-key-store.ts';
import { SoftwareKeyStore } from './software/software-key-store.ts';
import type { ClosableKeyStore, RandomBytes } from './types.ts';

export type KeyStoreConfig =
  | {
      readonly type: 'software';
      /** Directory of the encrypted key files (0700). */
      readonly directory: string;
      /** From env PNC_KEY_PASSPHRASE; never from a configuration file. */
      readonly passphrase: string;
    }
  | {
      readonly type: 'pkcs11';
      /** PKCS#11 library; /usr/lib/softhsm/libsofthsm2.so when omitted. */
      readonly modulePath?: string;
      readonly tokenLabel: string;
      /** From the environment or a secret file; never from a configuration file. */
      readonly userPin: string;
    };

export interface KeyStoreDeps {
  readonly randomBytes: RandomBytes;
}

/** Builds the configured key store. Validates the configuration; touches no file or token yet. */
export function createKeyStore(config: KeyStoreConfig, deps: KeyStoreDeps): ClosableKeyStore {
  switch (config?.type) {
    case 'software':
      return new SoftwareKeyStore({
        directory: config.directory,
        passphrase: config.passphrase,
        randomBytes: deps.randomBytes,
      });
    case 'pkcs11':
      return new Pkcs11KeyStore({
        ...(config.modulePath === undefined ? {} : { modulePath: config.modulePath }),
        tokenLabel: config.tokenLabel,
        userPin: config.userPin,
        randomBytes: deps.randomBytes,
      });
    default:
      throw signerError(
        'signer.invalid-argument',
        'unknown signer backend type (expected "software" or "pkcs11")',
      );
  }
}
