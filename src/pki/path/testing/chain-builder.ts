// Test support: certificates and chains built with @peculiar/x509 (keys from node:crypto
// WebCrypto), every extension under the test's control, for the path validation tests.

import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { KeyUsageBit } from '../../profiles/types.ts';

export type Alg = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'Ed448';

export interface Key {
  readonly alg: Alg;
  readonly publicKey: webcrypto.CryptoKey;
  readonly privateKey: webcrypto.CryptoKey;
  readonly spki: Uint8Array;
  /** SHA-1 over the SPKI: a stable key identifier for SKI / AKI. */
  readonly keyId: Uint8Array;
}

export async function newKey(alg: Alg): Promise<Key> {
  const params = alg === 'Ed448' || alg === 'Ed25519' ? { name: alg } : { name: 'ECDSA', namedCurve: alg };
  const pair = (await webcrypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
  return {
    alg,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    spki,
    keyId: new Uint8Array(createHash('sha1').update(spki).digest()),
  };
}

/** A test time well inside every default validity period. */
export const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

export interface CertOptions {
  readonly subject: string;
  /** Default: the subject (self-issued). */
  readonly issuer?: string;
  readonly key: Key;
  /** Default: `key` (self-signed). */
  readonly signer?: Key;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** basicConstraints: omitted when undefined; `{ ca, pathLen?, critical? }`. */
  readonly bc?: { readonly ca: boolean; readonly pathLen?: number; readonly critical?: boolean } | undefined;
  /** keyUsage bits (critical unless kuCritical false); omitted when undefined. */
  readonly ku?: readonly KeyUsageBit[] | undefined;
  readonly kuCritical?: boolean;
  /** SKI (default: present). */
  readonly ski?: boolean;
  /** AKI key identifier: the signer's (default), none (null), or these bytes. */
  readonly aki?: Uint8Array | null;
  readonly extra?: readonly x509.Extension[];
  readonly serial?: string;
}

// @peculiar/x509 maps Ed448 only under the name 'EdDSA', which WebCrypto does not know; the
// OID-named algorithm passes through its provider untouched and this wrapper signs with Ed448.
const ED448_OID = '1.3.101.113';
type CreateCrypto = Parameters<typeof x509.X509CertificateGenerator.create>[1];
type SignData = Parameters<typeof webcrypto.subtle.sign>[2];
const edAwareCrypto = {
  getRandomValues: <T extends ArrayBufferView | null>(a: T): T => webcrypto.getRandomValues(a as never) as T,
  subtle: new Proxy(webcrypto.subtle, {
    get(target, prop) {
      if (prop === 'sign') {
        return (alg: { name: string }, key: { real?: webcrypto.CryptoKey }, data: SignData) =>
          alg.name === ED448_OID
            ? target.sign({ name: 'Ed448' }, key.real as webcrypto.CryptoKey, data)
            : target.sign(alg as never, key as never, data);
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }),
} as unknown as CreateCrypto;

const KU_FLAGS: Readonly<Record<KeyUsageBit, number>> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};

function hashFor(alg: Alg): string {
  return alg === 'P-521' ? 'SHA-512' : alg === 'P-384' ? 'SHA-384' : 'SHA-256';
}

let serialCounter = 0x1000;

export async function makeCert(o: CertOptions): Promise<Uint8Array> {
  const signer = o.signer ?? o.key;
  const extensions: x509.Extension[] = [];
  if (o.bc !== undefined)
    extensions.push(new x509.BasicConstraintsExtension(o.bc.ca, o.bc.pathLen, o.bc.critical ?? true));
  if (o.ku !== undefined) {
    const flags = o.ku.reduce((f, b) => f | KU_FLAGS[b], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, o.kuCritical ?? true));
  }
  if (o.ski !== false)
    extensions.push(new x509.SubjectKeyIdentifierExtension(Buffer.from(o.key.keyId).toString('hex')));
  const aki = o.aki === undefined ? signer.keyId : o.aki;
  if (aki !== null)
    extensions.push(new x509.AuthorityKeyIdentifierExtension(Buffer.from(aki).toString('hex')));
  extensions.push(...(o.extra ?? []));
  const ed448 = signer.alg === 'Ed448';
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: o.serial ?? (serialCounter++).toString(16).padStart(4, '0'),
      subject: o.subject,
      issuer: o.issuer ?? o.subject,
      notBefore: o.notBefore ?? new Date(NOW.getTime() - 30 * DAY),
      notAfter: o.notAfter ?? new Date(NOW.getTime() + 365 * DAY),
      publicKey: o.key.publicKey as never,
      signingKey: (ed448
        ? { algorithm: { name: ED448_OID }, real: signer.privateKey }
        : signer.privateKey) as never,
      signingAlgorithm: ed448
        ? { name: ED448_OID }
        : signer.alg === 'Ed25519'
          ? { name: 'Ed25519' }
          : { name: 'ECDSA', hash: hashFor(signer.alg) },
      extensions,
    },
    edAwareCrypto,
  );
  return new Uint8Array(cert.rawData);
}

export const CA_KU: readonly KeyUsageBit[] = ['keyCertSign', 'cRLSign'];
export const LEAF_KU: readonly KeyUsageBit[] = ['digitalSignature', 'keyAgreement'];

export interface Chain {
  readonly root: Uint8Array;
  readonly sub1: Uint8Array;
  readonly sub2: Uint8Array;
  readonly leaf: Uint8Array;
  readonly keys: { readonly root: Key; readonly sub1: Key; readonly sub2: Key; readonly leaf: Key };
  readonly names: {
    readonly root: string;
    readonly sub1: string;
    readonly sub2: string;
    readonly leaf: string;
  };
}

export type ChainOverrides = Partial<Record<'root' | 'sub1' | 'sub2' | 'leaf', Partial<CertOptions>>>;

/** Root → Sub-CA 1 (pathLen 1) → Sub-CA 2 (pathLen 0) → leaf, shaped like the ISO 15118 PKIs. */
export async function makeChain(alg: Alg, over: ChainOverrides = {}, tag: string = alg): Promise<Chain> {
  const keys = {
    root: await newKey(alg),
    sub1: await newKey(alg),
    sub2: await newKey(alg),
    leaf: await newKey(alg),
  };
  const names = {
    root: `CN=Test Root ${tag},O=PnC Test,DC=V2G`,
    sub1: `CN=Test Sub1 ${tag},O=PnC Test,DC=V2G`,
    sub2: `CN=Test Sub2 ${tag},O=PnC Test,DC=V2G`,
    leaf: `CN=Test Leaf ${tag},O=PnC Test,DC=CPO`,
  };
  const root = await makeCert({
    subject: names.root,
    key: keys.root,
    bc: { ca: true },
    ku: CA_KU,
    aki: null,
    notBefore: new Date(NOW.getTime() - 365 * DAY),
    notAfter: new Date(NOW.getTime() + 10 * 365 * DAY),
    ...over.root,
  });
  const sub1 = await makeCert({
    subject: names.sub1,
    issuer: names.root,
    key: keys.sub1,
    signer: keys.root,
    bc: { ca: true, pathLen: 1 },
    ku: CA_KU,
    notBefore: new Date(NOW.getTime() - 200 * DAY),
    notAfter: new Date(NOW.getTime() + 4 * 365 * DAY),
    ...over.sub1,
  });
  const sub2 = await makeCert({
    subject: names.sub2,
    issuer: names.sub1,
    key: keys.sub2,
    signer: keys.sub1,
    bc: { ca: true, pathLen: 0 },
    ku: CA_KU,
    notBefore: new Date(NOW.getTime() - 100 * DAY),
    notAfter: new Date(NOW.getTime() + 2 * 365 * DAY),
    ...over.sub2,
  });
  const leaf = await makeCert({
    subject: names.leaf,
    issuer: names.sub2,
    key: keys.leaf,
    signer: keys.sub2,
    bc: { ca: false },
    ku: LEAF_KU,
    notBefore: new Date(NOW.getTime() - 10 * DAY),
    notAfter: new Date(NOW.getTime() + 60 * DAY),
    ...over.leaf,
  });
  return { root, sub1, sub2, leaf, keys, names };
}

/** Flip the last byte: it lies in the signature value, so only the signature breaks. */
export function tamper(der: Uint8Array): Uint8Array {
  const out = Uint8Array.from(der);
  out[out.length - 1] = (out[out.length - 1] as number) ^ 0x01;
  return out;
}

export const DAY_MS = DAY;
