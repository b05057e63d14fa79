// Public surface of the signer component: the Signer / KeyStore port, the two backends, the backend
// registry, ECDSA signature conversion and the error codes. Importing this module has no side
// effects: the PKCS#11 library and the pkcs11js package are loaded on the first PKCS#11 operation.

export { type AlgorithmProfile, algorithmProfile, isKeyAlgorithm } from './algorithms.ts';
export { DerError } from './der.ts';
export { type EcdsaAlgorithm, ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature.ts';
export { SIGNER_ERROR_CATALOGUE, type SignerErrorCode } from './errors.ts';
export { createKeyStore, type KeyStoreConfig, type KeyStoreDeps } from './key-store-registry.ts';
export {
  DEFAULT_PKCS11_MODULE_PATH,
  Pkcs11KeyStore,
  type Pkcs11KeyStoreOptions,
} from './pkcs11/pkcs11-key-store.ts';
export {
  MIN_PASSPHRASE_LENGTH,
  SoftwareKeyStore,
  type SoftwareKeyStoreOptions,
} from './software/software-key-store.ts';
export {
  type ClosableKeyStore,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type KeyHandle,
  type KeyStore,
  type RandomBytes,
  type Signer,
  type SignerBackend,
} from './types.ts';
