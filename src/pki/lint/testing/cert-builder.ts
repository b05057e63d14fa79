// Test support: build certificates for the profiles with @peculiar/x509 (keys from node:crypto
// WebCrypto), plus byte-level surgery (`resign`) for mutations the generator cannot express.
// Extension values are written with der-build.ts so every byte is under the test's control.

import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import { KeyObject, sign as nodeSign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { computeEmaidCheckDigit } from '../../profiles/identifiers.ts';
import { computeSubjectKeyIdentifier } from '../../profiles/key-identifier.ts';
import {
  DN_ATTRIBUTE_OID,
  OID_AD_OCSP,
  OID_AUTHORITY_INFO_ACCESS,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_EXTENDED_KEY_USAGE,
  OID_KEY_USAGE,
  OID_OCSP_NOCHECK,
  OID_SUBJECT_KEY_IDENTIFIER,
  SIGNATURE_ALGORITHM_OID,
} from '../../profiles/oids.ts';
import type { CertificateProfile, KeyUsageBit } from '../../profiles/types.ts';
import { decodeDer } from '../der.ts';
import {
  bool,
  concat,
  ctx,
  ia5,
  int,
  keyUsageValue,
  nul,
  octets,
  oid,
  printable,
  seq,
  set,
  tlv,
  utf8,
} from './der-build.ts';

export type TestKeyAlgorithm = 'P-256' | 'P-384' | 'P-521' | 'Ed448';

export interface TestKey {
  readonly alg: TestKeyAlgorithm;
  readonly publicKey: webcrypto.CryptoKey;
  readonly privateKey: webcrypto.CryptoKey;
  readonly spki: Uint8Array;
}

export async function generateTestKey(alg: TestKeyAlgorithm): Promise<TestKey> {
  const params = alg === 'Ed448' ? { name: 'Ed448' } : { name: 'ECDSA', namedCurve: alg };
  const pair = (await webcrypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
  return { alg, publicKey: pair.publicKey, privateKey: pair.privateKey, spki };
}

/** One attribute per RDN: [short name or OID, value, string type]. */
export type NameSpec = readonly (readonly [string, string, ('utf8' | 'printable' | 'ia5')?])[];

export function encodeName(attrs: NameSpec): Uint8Array {
  return seq(
    ...attrs.map(([type, value, kind]) => {
      const typeOid = (DN_ATTRIBUTE_OID as Record<string, string>)[type] ?? type;
      const k = kind ?? (type === 'DC' ? 'ia5' : type === 'C' ? 'printable' : 'utf8');
      const v = k === 'ia5' ? ia5(value) : k === 'printable' ? printable(value) : utf8(value);
      return set(seq(oid(typeOid), v));
    }),
  );
}

export interface ExtSpec {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface CertSpec {
  readonly subject: NameSpec;
  readonly issuer: NameSpec;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectKey: TestKey;
  readonly signerKey: TestKey;
  /** ECDSA hash; defaults to the one that matches the signer's curve. */
  readonly signatureHash?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  readonly extensions: readonly ExtSpec[];
  /** Replaces the subject public key (SPKI DER), e.g. for invalid or compressed points. */
  readonly spkiOverride?: Uint8Array;
}

function defaultHash(alg: TestKeyAlgorithm): 'SHA-256' | 'SHA-384' | 'SHA-512' {
  return alg === 'P-521' ? 'SHA-512' : alg === 'P-384' ? 'SHA-384' : 'SHA-256';
}

// Types of X509CertificateGenerator.create, taken from the function (the DOM lib is not loaded).
type CreateParams = Parameters<typeof x509.X509CertificateGenerator.create>[0];
type CreateCrypto = Parameters<typeof x509.X509CertificateGenerator.create>[1];
type SigningKey = Extract<CreateParams, { signingKey: unknown }>['signingKey'];
type SignData = Parameters<typeof webcrypto.subtle.sign>[2];

// @peculiar/x509 maps Ed448 only under the name 'EdDSA', which WebCrypto does not know; the
// OID-named algorithm passes through its provider untouched and this wrapper signs with Ed448.
const ED448_OID = '1.3.101.113';
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

export async function buildCertificate(spec: CertSpec): Promise<Uint8Array> {
  const signer = spec.signerKey;
  const ed = signer.alg === 'Ed448';
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: spec.serialHex,
      // Uint8Array.from: an ArrayBuffer-backed copy, as the DOM BufferSource type demands.
      subject: new x509.Name(Uint8Array.from(encodeName(spec.subject))),
      issuer: new x509.Name(Uint8Array.from(encodeName(spec.issuer))),
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      publicKey: Uint8Array.from(spec.spkiOverride ?? spec.subjectKey.spki),
      signingKey: (ed
        ? { algorithm: { name: ED448_OID }, real: signer.privateKey }
        : signer.privateKey) as unknown as SigningKey,
      signingAlgorithm: ed
        ? { name: ED448_OID }
        : { name: 'ECDSA', hash: spec.signatureHash ?? defaultHash(signer.alg) },
      extensions: spec.extensions.map((e) => new x509.Extension(e.oid, e.critical, Uint8Array.from(e.value))),
    },
    edAwareCrypto,
  );
  return new Uint8Array(cert.rawData);
}

// --- profile-conforming specs ----------------------------------------------------------------

export const TEST_NOW = new Date('2026-03-01T00:00:00Z');
export const OCSP_URL = 'http://ocsp.pnc.test/';

function randomSerialHex(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = ((b[0] as number) & 0x7f) | 0x01; // positive, 16 significant octets
  return Buffer.from(b).toString('hex');
}

export function commonNameFor(profile: CertificateProfile): string {
  switch (profile.commonName.rule) {
    case 'emaid':
      return profile.commonName.example + computeEmaidCheckDigit(profile.commonName.example);
    default:
      return profile.commonName.example;
  }
}

export function subjectFor(profile: CertificateProfile, cn = commonNameFor(profile)): NameSpec {
  const dc = profile.subject.domainComponent;
  return [['CN', cn], ['O', 'Open PnC Test'], ['C', 'DE'], ...(dc === null ? [] : [['DC', dc] as const])];
}

export function issuerNameFor(profile: CertificateProfile): NameSpec {
  const dc = profile.subject.domainComponent;
  return [
    ['CN', `Issuing CA for ${profile.role}`],
    ['O', 'Open PnC Test'],
    ['C', 'DE'],
    ...(dc === null ? [] : [['DC', dc] as const]),
  ];
}

export function basicConstraintsExt(ca: boolean, pathLen: number | null, critical = true): ExtSpec {
  const parts: Uint8Array[] = [];
  if (ca) parts.push(bool(true));
  if (pathLen !== null) parts.push(int(pathLen));
  return { oid: OID_BASIC_CONSTRAINTS, critical, value: seq(...parts) };
}

export function keyUsageExt(bits: readonly KeyUsageBit[], critical = true): ExtSpec {
  return { oid: OID_KEY_USAGE, critical, value: keyUsageValue(bits) };
}

export function ekuExt(oids: readonly string[], critical = false): ExtSpec {
  return { oid: OID_EXTENDED_KEY_USAGE, critical, value: seq(...oids.map(oid)) };
}

export function skiExt(ski: Uint8Array, critical = false): ExtSpec {
  return { oid: OID_SUBJECT_KEY_IDENTIFIER, critical, value: octets(ski) };
}

export function akiExt(keyId: Uint8Array, critical = false): ExtSpec {
  return { oid: OID_AUTHORITY_KEY_IDENTIFIER, critical, value: seq(ctx(0, false, keyId)) };
}

export function aiaOcspExt(url: string, critical = false): ExtSpec {
  return {
    oid: OID_AUTHORITY_INFO_ACCESS,
    critical,
    value: seq(seq(oid(OID_AD_OCSP), ctx(6, false, new TextEncoder().encode(url)))),
  };
}

export function ocspNoCheckExt(): ExtSpec {
  return { oid: OID_OCSP_NOCHECK, critical: false, value: nul() };
}

export function profileKeyUsage(profile: CertificateProfile, key: TestKeyAlgorithm): KeyUsageBit[] {
  const ku = profile.keyUsage;
  const ecOnly = new Set(ku.ecOnly ?? []);
  return [...ku.required, ...ku.recommended.filter((b) => !(key === 'Ed448' && ecOnly.has(b)))];
}

export interface ProfileCert {
  readonly spec: CertSpec;
  readonly issuerSki: Uint8Array;
}

export interface ConformingOptions {
  /** Issuer name (default: issuerNameFor(profile); roots: their own subject). */
  readonly issuerName?: NameSpec;
  /** Common name (default: commonNameFor(profile)). */
  readonly commonName?: string;
}

/** A certificate spec that conforms to `profile` (subject key, issuer key given). */
export function conformingSpec(
  profile: CertificateProfile,
  subjectKey: TestKey,
  issuerKey: TestKey,
  options: ConformingOptions = {},
): ProfileCert {
  const root = profile.kind === 'root';
  const signer = root ? subjectKey : issuerKey;
  const ski = computeSubjectKeyIdentifier(subjectKey.spki, profile.keyIdentifiers.skiMethod);
  const issuerSki = computeSubjectKeyIdentifier(signer.spki, profile.keyIdentifiers.skiMethod);
  const bc = profile.basicConstraints;
  const extensions: ExtSpec[] = [
    basicConstraintsExt(bc.ca, bc.ca ? bc.pathLen : null),
    keyUsageExt(profileKeyUsage(profile, subjectKey.alg)),
  ];
  if (profile.extendedKeyUsage.required.length > 0)
    extensions.push(ekuExt(profile.extendedKeyUsage.required));
  extensions.push(skiExt(ski));
  if (!root) extensions.push(akiExt(issuerSki));
  if (profile.authorityInfoAccessOcsp.presence === 'required') extensions.push(aiaOcspExt(OCSP_URL));
  if (profile.extraExtensions.includes(OID_OCSP_NOCHECK)) extensions.push(ocspNoCheckExt());
  const subject = subjectFor(profile, options.commonName);
  return {
    issuerSki,
    spec: {
      subject,
      issuer: root ? subject : (options.issuerName ?? issuerNameFor(profile)),
      serialHex: randomSerialHex(),
      notBefore: TEST_NOW,
      notAfter: new Date(TEST_NOW.getTime() + profile.validity.defaultDays * 86_400_000),
      subjectKey,
      signerKey: signer,
      extensions,
    },
  };
}

export interface IssuerOverrides {
  readonly name?: NameSpec;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A CA certificate that can serve as options.issuer for a conforming certificate. */
export async function issuerCertificateFor(
  profile: CertificateProfile,
  issuerKey: TestKey,
  issuerSki: Uint8Array,
  overrides: IssuerOverrides = {},
): Promise<Uint8Array> {
  const name = overrides.name ?? issuerNameFor(profile);
  return buildCertificate({
    subject: name,
    issuer: name,
    serialHex: randomSerialHex(),
    notBefore: overrides.notBefore ?? new Date(TEST_NOW.getTime() - 86_400_000),
    notAfter: overrides.notAfter ?? new Date(TEST_NOW.getTime() + 40 * 366 * 86_400_000),
    subjectKey: issuerKey,
    signerKey: issuerKey,
    extensions: [basicConstraintsExt(true, null), keyUsageExt(['keyCertSign', 'cRLSign']), skiExt(issuerSki)],
  });
}

/** Replace (or with null remove) the extension with this OID. */
export function withExtension(spec: CertSpec, oidToReplace: string, ext: ExtSpec | null): CertSpec {
  const i = spec.extensions.findIndex((e) => e.oid === oidToReplace);
  if (i < 0) throw new Error(`withExtension: ${oidToReplace} not in spec`);
  const extensions = [...spec.extensions];
  if (ext === null) extensions.splice(i, 1);
  else extensions[i] = ext;
  return { ...spec, extensions };
}

export function addExtension(spec: CertSpec, ext: ExtSpec): CertSpec {
  return { ...spec, extensions: [...spec.extensions, ext] };
}

// --- surgery -----------------------------------------------------------------------------------

export interface ResignOptions {
  /** Edit the tbsCertificate fields (raw TLVs in order). */
  readonly tbs?: (fields: Uint8Array[]) => Uint8Array[];
  /** Raw bytes of the tbsCertificate to patch after re-assembly. */
  readonly patchTbs?: (tbs: Uint8Array) => Uint8Array;
  /** Outer signatureAlgorithm (raw AlgorithmIdentifier); default: copy of the tbs one. */
  readonly outerAlgorithm?: Uint8Array;
  readonly signerKey: TestKey;
  readonly hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
}

/** Re-assemble a certificate after editing its TBS, with a fresh, valid signature. */
export function resign(der: Uint8Array, options: ResignOptions): Uint8Array {
  const d = decodeDer(der);
  if (!d.ok) throw new Error(d.reason);
  const [tbsNode] = d.node.children;
  if (tbsNode === undefined) throw new Error('no tbs');
  let fields = tbsNode.children.map((c) => c.raw);
  if (options.tbs !== undefined) fields = options.tbs(fields);
  let tbs = seq(...fields);
  if (options.patchTbs !== undefined) tbs = options.patchTbs(tbs);
  const tbsDecoded = decodeDer(tbs);
  const inner = tbsDecoded.ok
    ? (tbsDecoded.node.children.find((c, i) => i <= 2 && c.tag === 16)?.raw ?? null)
    : null;
  const key = KeyObject.from(options.signerKey.privateKey);
  const signature =
    options.signerKey.alg === 'Ed448'
      ? nodeSign(null, tbs, key)
      : nodeSign(options.hash ?? defaultHash(options.signerKey.alg).replace('-', '').toLowerCase(), tbs, {
          key,
          dsaEncoding: 'der',
        });
  const outer = options.outerAlgorithm ?? inner;
  if (outer === null) throw new Error('cannot find the tbs signature algorithm');
  return seq(tbs, outer, tlv(0x03, concat([Uint8Array.of(0), new Uint8Array(signature)])));
}

/** AlgorithmIdentifier DER for a signature algorithm name, optionally with NULL parameters. */
export function signatureAlgorithmDer(
  name: keyof typeof SIGNATURE_ALGORITHM_OID,
  withNull = false,
): Uint8Array {
  return withNull ? seq(oid(SIGNATURE_ALGORITHM_OID[name]), nul()) : seq(oid(SIGNATURE_ALGORITHM_OID[name]));
}
