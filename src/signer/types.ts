// The signer port: the narrow interfaces that CAs, the OCSP responder and the CPS receive
// (architecture-practices §3 item 5). Backends live in ./software and ./pkcs11; consumers never
// import a backend, only these types.

/**
 * Key algorithms of the V2G PKI: ISO 15118-2 uses secp256r1 with ecdsa-with-SHA256; ISO 15118-20 uses
 * secp521r1 with ECDSA/SHA-512 [V2G20-2673, V2G20-2674] or Ed448 [V2G20-2319].
 */
export type KeyAlgorithm = 'P-256' | 'P-521' | 'Ed448';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['P-256', 'P-521', 'Ed448'];

export type SignerBackend = 'software' | 'pkcs11';

export interface KeyHandle {
  readonly id: string;
  readonly algorithm: KeyAlgorithm;
  readonly backend: SignerBackend;
}

/**
 * One private key. The hash is fixed by the algorithm: P-256 signs SHA-256(data), P-521 signs
 * SHA-512(data), Ed448 is pure EdDSA over data (RFC 8032 §5.2, empty context, no prehash).
 */
export interface Signer {
  readonly handle: KeyHandle;
  /** DER SubjectPublicKeyInfo (RFC 5480 for EC keys, RFC 8410 for Ed448). */
  publicKeySpki(): Promise<Uint8Array>;
  /** ECDSA: DER ECDSA-Sig-Value (RFC 3279 §2.2.3) as used in X.509 and OCSP. Ed448: the 114-byte signature. */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /**
   * ECDSA: raw r||s, each left-padded to the field size (IEEE P1363; 64 bytes for P-256, 132 for P-521),
   * as carried in ISO 15118 XML signatures. Ed448: the 114-byte signature, same as sign().
   */
  signRaw(data: Uint8Array): Promise<Uint8Array>;
}

/** Creates and opens keys; one per backend. */
export interface KeyStore {
  generate(algorithm: KeyAlgorithm, label: string): Promise<Signer>;
  open(id: string): Promise<Signer>;
  list(): Promise<KeyHandle[]>;
  destroy(id: string): Promise<void>;
}

/** What the composition root holds: a key store it must close at shutdown. */
export interface ClosableKeyStore extends KeyStore {
  readonly backend: SignerBackend;
  close(): Promise<void>;
}

/** Injected random source (architecture-practices §3 item 3); node:crypto.randomBytes in production. */
export type RandomBytes = (n: number) => Uint8Array;
