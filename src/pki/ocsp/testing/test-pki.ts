// Test support for src/pki/{ocsp,crl,est,csr}: a Signer over node:crypto KeyObjects, a small
// certificate builder (real DER, signed through the Signer port, Ed448 included — which
// @peculiar/x509 2.2 cannot sign) and helpers to run the real `openssl` command line.

import { spawnSync } from 'node:child_process';
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  randomUUID,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyAlgorithm, Signer } from '../../../signer/index.ts';
import {
  DER_NULL,
  DER_TRUE,
  explicit,
  hash,
  implicitPrimitive,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  x509Time,
} from '../asn1.ts';
import {
  KEY_USAGE_BIT,
  OID,
  parseCertificate,
  parseSpki,
  signatureAlgorithmFor,
  signStructure,
} from '../x509.ts';

// --- Signer adapter ----------------------------------------------------------------------------

/** The Signer port over a node:crypto private key (what the software key store does, minus storage). */
export class TestSigner implements Signer {
  readonly handle: Signer['handle'];
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(algorithm: KeyAlgorithm, privateKey: KeyObject) {
    this.handle = { id: randomUUID(), algorithm, backend: 'software' };
    this.privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
  }

  async publicKeySpki(): Promise<Uint8Array> {
    return new Uint8Array(this.publicKey.export({ format: 'der', type: 'spki' }));
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return this.#sign(data, 'der');
  }

  async signRaw(data: Uint8Array): Promise<Uint8Array> {
    return this.#sign(data, 'ieee-p1363');
  }

  #sign(data: Uint8Array, dsaEncoding: 'der' | 'ieee-p1363'): Uint8Array {
    const digest =
      this.handle.algorithm === 'P-256' ? 'sha256' : this.handle.algorithm === 'P-521' ? 'sha512' : null;
    return new Uint8Array(nodeSign(digest, data, { key: this.privateKey, dsaEncoding }));
  }

  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
}

export function generateTestSigner(algorithm: KeyAlgorithm): TestSigner {
  const { privateKey } =
    algorithm === 'Ed448'
      ? generateKeyPairSync('ed448')
      : generateKeyPairSync('ec', { namedCurve: algorithm === 'P-256' ? 'prime256v1' : 'secp521r1' });
  return new TestSigner(algorithm, privateKey);
}

// --- Certificates ------------------------------------------------------------------------------

const NAME_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  DC: '0.9.2342.19200300.100.1.25',
};

/** Name (RFC 5280 §4.1.2.4), one attribute per RDN: C PrintableString, DC IA5String, others UTF8String. */
export function encodeName(attributes: readonly (readonly [string, string])[]): Uint8Array {
  return sequence(
    ...attributes.map(([type, value]) => {
      const typeOid = NAME_OIDS[type];
      if (typeOid === undefined) throw new RangeError(`unknown attribute ${type}`);
      const bytes = new TextEncoder().encode(value);
      const tag = type === 'C' ? 0x13 : type === 'DC' ? 0x16 : 0x0c;
      return set(sequence(oid(typeOid), tlv(tag, bytes)));
    }),
  );
}

export interface TestCa {
  readonly signer: Signer;
  readonly certificate: Uint8Array;
}

export interface TestCertificateOptions {
  readonly subject: readonly (readonly [string, string])[];
  /** Key of the subject; also the issuing key when `issuer` is absent (self-signed). */
  readonly subjectKey: Signer;
  readonly issuer?: TestCa;
  readonly serial: bigint;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: { readonly pathLen?: number };
  readonly keyUsage?: readonly (keyof typeof KEY_USAGE_BIT)[];
  readonly extKeyUsage?: readonly string[];
  readonly ocspNoCheck?: boolean;
  readonly ocspUrl?: string;
  /** Omit the SubjectKeyIdentifier extension. */
  readonly noSki?: boolean;
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), DER_TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

/** Builds and signs an X.509 v3 certificate through the Signer port. */
export async function buildTestCertificate(options: TestCertificateOptions): Promise<Uint8Array> {
  const spki = await options.subjectKey.publicKeySpki();
  const subjectPublicKey = parseSpki(spki).publicKey;
  const issuerSigner = options.issuer?.signer ?? options.subjectKey;
  const issuerInfo = options.issuer === undefined ? undefined : parseCertificate(options.issuer.certificate);
  const subjectDer = encodeName(options.subject);
  const issuerDer = issuerInfo?.subjectDer ?? subjectDer;
  const ski = hash('sha1', subjectPublicKey);
  const aki =
    issuerInfo === undefined
      ? ski
      : (issuerInfo.subjectKeyIdentifier ?? hash('sha1', issuerInfo.spki.publicKey));

  const exts: Uint8Array[] = [];
  if (options.ca !== undefined) {
    const bc =
      options.ca.pathLen === undefined ? [DER_TRUE] : [DER_TRUE, integer(BigInt(options.ca.pathLen))];
    exts.push(extension(OID.basicConstraints, true, sequence(...bc)));
  } else {
    exts.push(extension(OID.basicConstraints, true, sequence()));
  }
  if (options.keyUsage !== undefined) {
    exts.push(extension(OID.keyUsage, true, namedBits(options.keyUsage.map((k) => KEY_USAGE_BIT[k]))));
  }
  if (options.extKeyUsage !== undefined) {
    exts.push(extension(OID.extKeyUsage, false, sequence(...options.extKeyUsage.map((e) => oid(e)))));
  }
  if (options.noSki !== true) exts.push(extension(OID.subjectKeyIdentifier, false, octetString(ski)));
  exts.push(extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, aki))));
  if (options.ocspNoCheck === true) exts.push(extension(OID.ocspNoCheck, false, DER_NULL));
  if (options.ocspUrl !== undefined) {
    // AccessDescription { id-ad-ocsp, uniformResourceIdentifier [6] IA5String }
    const url = new TextEncoder().encode(options.ocspUrl);
    exts.push(
      extension(
        OID.authorityInfoAccess,
        false,
        sequence(sequence(oid('1.3.6.1.5.5.7.48.1'), implicitPrimitive(6, url))),
      ),
    );
  }

  const algorithm = signatureAlgorithmFor(issuerSigner);
  const tbs = sequence(
    explicit(0, integer(2n)), // v3
    integer(options.serial),
    algorithm.der,
    issuerDer,
    sequence(x509Time(options.notBefore), x509Time(options.notAfter)),
    subjectDer,
    spki,
    explicit(3, sequence(...exts)),
  );
  return signStructure(issuerSigner, tbs, algorithm);
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
}

// --- A small PKI -------------------------------------------------------------------------------

export interface TestPki {
  readonly algorithm: KeyAlgorithm;
  readonly root: TestCa;
  /** Issuing CA (Sub-CA 2 style, pathLen 0). */
  readonly sub: TestCa;
  /** Delegated OCSP responder issued by `sub` (id-kp-OCSPSigning + id-pkix-ocsp-nocheck). */
  readonly responder: TestCa;
  /** Leaves issued by `sub`, serials 0x1001, 0x1002, 0x1003. */
  readonly leaves: readonly { readonly certificate: Uint8Array; readonly serial: bigint }[];
}

const DAY = 86_400_000;

/** Validity around the real clock: openssl checks certificates and OCSP times against it. */
export function validityAroundNow(days = 365): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - DAY), notAfter: new Date(now + days * DAY) };
}

export async function createTestPki(algorithm: KeyAlgorithm): Promise<TestPki> {
  const rootKey = generateTestSigner(algorithm);
  const subKey = generateTestSigner(algorithm);
  const responderKey = generateTestSigner(algorithm);
  const v = validityAroundNow();
  const rootCert = await buildTestCertificate({
    subject: [
      ['C', 'DE'],
      ['O', 'Test'],
      ['DC', 'V2G'],
      ['CN', `Test V2G Root ${algorithm}`],
    ],
    subjectKey: rootKey,
    serial: 1n,
    ...v,
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const root = { signer: rootKey, certificate: rootCert };
  const subCert = await buildTestCertificate({
    subject: [
      ['C', 'DE'],
      ['O', 'Test'],
      ['DC', 'V2G'],
      ['CN', `Test CPO Sub2 CA ${algorithm}`],
    ],
    subjectKey: subKey,
    issuer: root,
    serial: 2n,
    ...v,
    ca: { pathLen: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const sub = { signer: subKey, certificate: subCert };
  const responderCert = await buildTestCertificate({
    subject: [
      ['C', 'DE'],
      ['O', 'Test'],
      ['CN', `Test OCSP Responder ${algorithm}`],
    ],
    subjectKey: responderKey,
    issuer: sub,
    serial: 3n,
    ...v,
    keyUsage: ['digitalSignature'],
    extKeyUsage: [OID.kpOcspSigning],
    ocspNoCheck: true,
  });
  const leaves = [];
  for (const serial of [0x1001n, 0x1002n, 0x1003n]) {
    const certificate = await buildTestCertificate({
      subject: [
        ['C', 'DE'],
        ['O', 'Test'],
        ['DC', 'CPO'],
        ['CN', `DE*ICE*E${serial.toString(16)}`],
      ],
      subjectKey: generateTestSigner(algorithm),
      issuer: sub,
      serial,
      ...validityAroundNow(60),
      keyUsage: ['digitalSignature'],
      ocspUrl: 'http://ocsp.test.invalid',
    });
    leaves.push({ certificate, serial });
  }
  return {
    algorithm,
    root,
    sub,
    responder: { signer: responderKey, certificate: responderCert },
    leaves,
  };
}

// --- openssl -----------------------------------------------------------------------------------

export const OPENSSL_SKIP =
  'SKIPPED: the `openssl` command line is not installed (CI installs it; these tests verify our DER with it)';

let opensslPresent: boolean | undefined;

export function hasOpenssl(): boolean {
  if (opensslPresent === undefined) {
    const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
    opensslPresent = r.status === 0 && /OpenSSL 3\./.test(r.stdout);
  }
  return opensslPresent;
}

export interface OpensslResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr: openssl prints verification results on either. */
  readonly output: string;
}

export function openssl(
  args: readonly string[],
  options: { cwd?: string; input?: Uint8Array | string } = {},
): OpensslResult {
  const r = spawnSync('openssl', args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'latin1',
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

export function opensslBytes(
  args: readonly string[],
  options: { cwd?: string; input?: Uint8Array | string } = {},
): Uint8Array {
  const r = spawnSync('openssl', args, {
    cwd: options.cwd,
    input: options.input,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

/** A temporary directory for openssl's input and output files. */
export class TempDir {
  readonly path: string;

  constructor() {
    this.path = mkdtempSync(join(tmpdir(), 'pnc-pki-test-'));
  }

  file(name: string): string {
    return join(this.path, name);
  }

  write(name: string, content: Uint8Array | string): string {
    const path = this.file(name);
    writeFileSync(path, content);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
