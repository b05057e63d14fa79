import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { computeEmaidCheckDigit } from '../profiles/identifiers.ts';
import { getProfileById, PROFILES } from '../profiles/index.ts';
import { computeSubjectKeyIdentifier } from '../profiles/key-identifier.ts';
import {
  OID_AUTHORITY_INFO_ACCESS,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_EC_PUBLIC_KEY,
  OID_EXTENDED_KEY_USAGE,
  OID_KEY_USAGE,
  OID_KP_OCSP_SIGNING,
  OID_OCSP_NOCHECK,
  OID_SUBJECT_KEY_IDENTIFIER,
} from '../profiles/oids.ts';
import type { CertificateProfile } from '../profiles/types.ts';
import { detectProfile, ENGINE_CODES, LINTS, type LintOptions, lintCertificate } from './index.ts';
import {
  addExtension,
  aiaOcspExt,
  akiExt,
  basicConstraintsExt,
  buildCertificate,
  type CertSpec,
  conformingSpec,
  type ExtSpec,
  ekuExt,
  generateTestKey,
  issuerCertificateFor,
  issuerNameFor,
  keyUsageExt,
  resign,
  signatureAlgorithmDer,
  skiExt,
  subjectFor,
  TEST_NOW,
  type TestKey,
  type TestKeyAlgorithm,
  withExtension,
} from './testing/cert-builder.ts';
import {
  bool,
  concat,
  generalizedTime,
  ia5,
  int,
  nul,
  oid,
  replaceOnce,
  seq,
  tlv,
} from './testing/der-build.ts';

const DAY = 86_400_000;
const AT = new Date(TEST_NOW.getTime() + DAY);

function profile(id: string): CertificateProfile {
  const p = getProfileById(id);
  if (p === undefined) throw new Error(`no profile ${id}`);
  return p;
}

const keyCache = new Map<string, TestKey>();
async function key(alg: TestKeyAlgorithm, slot: string): Promise<TestKey> {
  const k = `${alg}/${slot}`;
  let v = keyCache.get(k);
  if (v === undefined) {
    v = await generateTestKey(alg);
    keyCache.set(k, v);
  }
  return v;
}

interface Fixture {
  readonly profile: CertificateProfile;
  readonly spec: CertSpec;
  readonly subjectKey: TestKey;
  readonly issuerKey: TestKey;
  readonly issuerSki: Uint8Array;
}

async function fixture(id: string, alg?: TestKeyAlgorithm): Promise<Fixture> {
  const p = profile(id);
  const a = alg ?? (p.keyAlgorithms[0] as TestKeyAlgorithm);
  const subjectKey = await key(a, 'subject');
  const issuerKey = await key(a, 'issuer');
  const { spec, issuerSki } = conformingSpec(p, subjectKey, issuerKey);
  return { profile: p, spec, subjectKey, issuerKey, issuerSki };
}

function codes(der: Uint8Array, p: CertificateProfile, options: LintOptions = { at: AT }): string[] {
  return [...new Set(lintCertificate(der, p, options).violations.map((v) => v.code))].sort();
}

/** A spec with the SKI recomputed for a replacement SPKI. */
function withSpki(f: Fixture, spki: Uint8Array): CertSpec {
  const ski = computeSubjectKeyIdentifier(spki, f.profile.keyIdentifiers.skiMethod);
  return { ...withExtension(f.spec, OID_SUBJECT_KEY_IDENTIFIER, skiExt(ski)), spkiOverride: spki };
}

async function p256Point(k: TestKey): Promise<{ x: Uint8Array; y: Uint8Array }> {
  const jwk = await webcrypto.subtle.exportKey('jwk', k.publicKey);
  return {
    x: new Uint8Array(Buffer.from(String(jwk.x), 'base64url')),
    y: new Uint8Array(Buffer.from(String(jwk.y), 'base64url')),
  };
}

function p256Spki(point: Uint8Array): Uint8Array {
  return seq(
    seq(oid(OID_EC_PUBLIC_KEY), oid('1.2.840.10045.3.1.7')),
    tlv(0x03, concat([Uint8Array.of(0), point])),
  );
}

describe('lintCertificate: conforming certificates lint clean', () => {
  for (const p of PROFILES) {
    for (const alg of p.keyAlgorithms as readonly TestKeyAlgorithm[]) {
      it(`${p.id} with ${alg}`, async () => {
        const subjectKey = await generateTestKey(alg);
        const issuerKey = await key(alg, 'issuer');
        const { spec, issuerSki } = conformingSpec(p, subjectKey, issuerKey);
        const der = await buildCertificate(spec);
        const issuer = p.kind === 'root' ? undefined : await issuerCertificateFor(p, issuerKey, issuerSki);
        const result = lintCertificate(der, p, { at: AT, ...(issuer === undefined ? {} : { issuer }) });
        assert.deepEqual(result.violations, []);
        assert.equal(result.ok, true);
        assert.ok(der.length <= p.maxDerBytes);
        // detectProfile recognises everything except the provisional Private Environment types.
        if (p.role !== 'pe-root' && p.role !== 'pe-leaf') {
          const d = detectProfile(der);
          assert.ok(d.ok);
          assert.equal(d.profile.id, p.id, d.basis.join('; '));
        }
      });
    }
  }

  it('works on a lint-before-sign certificate signed with a throw-away key', async () => {
    const f = await fixture('iso15118-2/contract-leaf');
    const throwAway = await generateTestKey('P-256');
    const real = await buildCertificate(f.spec);
    const tbsOnly = await buildCertificate({ ...f.spec, signerKey: throwAway });
    const issuer = await issuerCertificateFor(f.profile, f.issuerKey, f.issuerSki);
    assert.deepEqual(
      lintCertificate(tbsOnly, f.profile, { at: AT, issuer }),
      lintCertificate(real, f.profile, { at: AT, issuer }),
    );
    assert.equal(lintCertificate(tbsOnly, f.profile, { at: AT, issuer }).ok, true);
  });

  it('reports errors as not ok and warnings as ok', async () => {
    const f = await fixture('iso15118-2/secc-leaf');
    const warnOnly = await buildCertificate(
      withExtension(f.spec, OID_KEY_USAGE, keyUsageExt(['digitalSignature'])),
    );
    const w = lintCertificate(warnOnly, f.profile, { at: AT });
    assert.equal(w.ok, true);
    assert.deepEqual(
      w.violations.map((v) => [v.code, v.severity]),
      [['v2g.key-usage.recommended-bit-missing', 'warning']],
    );
    const error = await buildCertificate(withExtension(f.spec, OID_KEY_USAGE, null));
    assert.equal(lintCertificate(error, f.profile, { at: AT }).ok, false);
  });
});

interface NegativeCase {
  readonly code: string;
  readonly profile: string;
  readonly alg?: TestKeyAlgorithm;
  /** Builds the offending certificate (and options) from the conforming fixture. */
  readonly make: (f: Fixture) => Promise<{ der: Uint8Array; options?: LintOptions }>;
}

const build = (spec: CertSpec) => async () => ({ der: await buildCertificate(spec) });
const CONTRACT = 'iso15118-2/contract-leaf';

// One case per lint code: a conforming certificate with exactly one property changed.
const NEGATIVE: readonly NegativeCase[] = [
  {
    code: 'x509.parse',
    profile: CONTRACT,
    make: async () => ({ der: Uint8Array.of(0x30, 0x03, 0x02, 0x01) }),
  },
  {
    code: 'x509.issuer.parse',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: { at: AT, issuer: Uint8Array.of(1, 2, 3) },
    }),
  },
  {
    code: 'x509.der.invalid',
    profile: CONTRACT,
    make: async (f) => ({
      // keyUsage critical TRUE written as 01 instead of FF (X.690 §11.1).
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        patchTbs: (tbs) =>
          replaceOnce(
            tbs,
            Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff),
            Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0x01),
          ),
      }),
    }),
  },
  {
    code: 'x509.version.not-v3',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        tbs: (fields) => [Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x01), ...fields.slice(1)],
      }),
    }),
  },
  {
    code: 'x509.serial.not-positive',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        tbs: (fields) => [
          fields[0] as Uint8Array,
          tlv(0x02, [0x80, ...Array.from({ length: 15 }, (_, i) => i + 1)]),
          ...fields.slice(2),
        ],
      }),
    }),
  },
  {
    code: 'x509.serial.too-long',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        tbs: (fields) => [
          fields[0] as Uint8Array,
          tlv(
            0x02,
            Array.from({ length: 21 }, (_, i) => i + 1),
          ),
          ...fields.slice(2),
        ],
      }),
    }),
  },
  {
    code: 'x509.serial.low-entropy',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, serialHex: '3039' })(),
  },
  {
    code: 'x509.signature-algorithm.mismatch',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        outerAlgorithm: signatureAlgorithmDer('ecdsa-with-SHA384'),
      }),
    }),
  },
  {
    code: 'x509.algorithm-identifier.parameters',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        tbs: (fields) => [
          ...fields.slice(0, 2),
          signatureAlgorithmDer('ecdsa-with-SHA256', true),
          ...fields.slice(3),
        ],
      }),
    }),
  },
  {
    code: 'v2g.size.max',
    profile: CONTRACT,
    make: (f) =>
      build(
        addExtension(f.spec, {
          oid: OID_CERTIFICATE_POLICIES,
          critical: false,
          value: seq(
            seq(
              oid('1.3.6.1.4.1.99999.1'),
              seq(seq(oid('1.3.6.1.5.5.7.2.1'), ia5(`http://cps.pnc.test/${'x'.repeat(300)}`))),
            ),
          ),
        }),
      )(),
  },
  {
    code: 'v2g.key.algorithm',
    profile: CONTRACT,
    make: async (f) => {
      const p384 = await key('P-384', 'subject');
      return { der: await buildCertificate(conformingSpec(f.profile, p384, f.issuerKey).spec) };
    },
  },
  {
    code: 'v2g.signature.algorithm',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, signatureHash: 'SHA-384' })(),
  },
  {
    code: 'v2g.signature.key-family-mismatch',
    profile: 'iso15118-20/contract-leaf',
    alg: 'P-521',
    make: async (f) => {
      const ed = await key('Ed448', 'subject');
      return { der: await buildCertificate(conformingSpec(f.profile, ed, f.issuerKey).spec) };
    },
  },
  {
    code: 'x509.public-key.invalid',
    profile: CONTRACT,
    make: async (f) => {
      const { x, y } = await p256Point(f.subjectKey);
      const badY = Uint8Array.from(y);
      badY[31] = (badY[31] as number) ^ 0x01; // off the curve
      return { der: await buildCertificate(withSpki(f, p256Spki(concat([Uint8Array.of(4), x, badY])))) };
    },
  },
  {
    code: 'v2g.public-key.compressed',
    profile: CONTRACT,
    make: async (f) => {
      const { x, y } = await p256Point(f.subjectKey);
      const compressed = concat([Uint8Array.of(2 | ((y[31] as number) & 1)), x]);
      return { der: await buildCertificate(withSpki(f, p256Spki(compressed))) };
    },
  },
  {
    code: 'x509.validity.time-encoding',
    profile: CONTRACT,
    make: async (f) => ({
      der: resign(await buildCertificate(f.spec), {
        signerKey: f.issuerKey,
        tbs: (fields) => [
          ...fields.slice(0, 4),
          seq(generalizedTime(f.spec.notBefore), generalizedTime(f.spec.notAfter)),
          ...fields.slice(5),
        ],
      }),
    }),
  },
  {
    code: 'x509.validity.inverted',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, notAfter: new Date(f.spec.notBefore.getTime() - DAY) })(),
  },
  {
    code: 'v2g.validity.too-long',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, notAfter: new Date(f.spec.notBefore.getTime() + 3 * 365 * DAY) })(),
  },
  {
    code: 'v2g.validity.too-short',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, notAfter: new Date(f.spec.notBefore.getTime() + 7 * DAY) })(),
  },
  {
    code: 'x509.validity.expired',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: { at: new Date(f.spec.notAfter.getTime() + DAY) },
    }),
  },
  {
    code: 'x509.validity.not-yet-valid',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: { at: new Date(f.spec.notBefore.getTime() - DAY) },
    }),
  },
  {
    code: 'x509.extension.duplicate',
    profile: CONTRACT,
    make: (f) =>
      build(
        addExtension(f.spec, f.spec.extensions.find((e) => e.oid === OID_SUBJECT_KEY_IDENTIFIER) as ExtSpec),
      )(),
  },
  {
    code: 'x509.extension.malformed',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(f.spec, OID_AUTHORITY_INFO_ACCESS, {
          oid: OID_AUTHORITY_INFO_ACCESS,
          critical: false,
          value: nul(),
        }),
      )(),
  },
  {
    code: 'x509.extension.unknown-critical',
    profile: CONTRACT,
    make: (f) => build(addExtension(f.spec, { oid: '1.3.6.1.4.1.99999.7', critical: true, value: nul() }))(),
  },
  {
    code: 'x509.extension.must-be-non-critical',
    profile: CONTRACT,
    make: (f) => {
      const ski = f.spec.extensions.find((e) => e.oid === OID_SUBJECT_KEY_IDENTIFIER);
      return build(
        withExtension(f.spec, OID_SUBJECT_KEY_IDENTIFIER, { ...(ski as ExtSpec), critical: true }),
      )();
    },
  },
  {
    code: 'v2g.extension.unexpected',
    profile: CONTRACT,
    make: (f) =>
      build(
        addExtension(f.spec, {
          oid: '2.16.840.1.113730.1.13',
          critical: false,
          value: ia5('Netscape comment'),
        }),
      )(),
  },
  {
    code: 'v2g.basic-constraints.missing',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_BASIC_CONSTRAINTS, null))(),
  },
  {
    code: 'v2g.basic-constraints.not-critical',
    profile: CONTRACT,
    make: (f) =>
      build(withExtension(f.spec, OID_BASIC_CONSTRAINTS, basicConstraintsExt(false, null, false)))(),
  },
  {
    code: 'v2g.basic-constraints.ca',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_BASIC_CONSTRAINTS, basicConstraintsExt(true, null)))(),
  },
  {
    code: 'v2g.basic-constraints.path-len',
    profile: 'iso15118-2/mo-sub2',
    make: (f) => build(withExtension(f.spec, OID_BASIC_CONSTRAINTS, basicConstraintsExt(true, 1)))(),
  },
  {
    code: 'x509.basic-constraints.explicit-default',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(f.spec, OID_BASIC_CONSTRAINTS, {
          oid: OID_BASIC_CONSTRAINTS,
          critical: true,
          value: seq(bool(false)),
        }),
      )(),
  },
  {
    code: 'x509.basic-constraints.path-len-without-ca',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(f.spec, OID_BASIC_CONSTRAINTS, {
          oid: OID_BASIC_CONSTRAINTS,
          critical: true,
          value: seq(int(0)),
        }),
      )(),
  },
  {
    code: 'v2g.key-usage.missing',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_KEY_USAGE, null))(),
  },
  {
    code: 'v2g.key-usage.not-critical',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(
          f.spec,
          OID_KEY_USAGE,
          keyUsageExt(['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'keyAgreement'], false),
        ),
      )(),
  },
  {
    code: 'v2g.key-usage.bit-missing',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(
          f.spec,
          OID_KEY_USAGE,
          keyUsageExt(['digitalSignature', 'nonRepudiation', 'keyAgreement']),
        ),
      )(),
  },
  {
    code: 'v2g.key-usage.recommended-bit-missing',
    profile: 'iso15118-2/secc-leaf',
    make: (f) => build(withExtension(f.spec, OID_KEY_USAGE, keyUsageExt(['digitalSignature'])))(),
  },
  {
    code: 'v2g.key-usage.unexpected-bit',
    profile: 'iso15118-2/secc-leaf',
    make: (f) =>
      build(
        withExtension(
          f.spec,
          OID_KEY_USAGE,
          keyUsageExt(['digitalSignature', 'keyEncipherment', 'keyAgreement']),
        ),
      )(),
  },
  {
    code: 'v2g.eku.unexpected',
    profile: 'iso15118-2/v2g-root',
    make: (f) => build(addExtension(f.spec, ekuExt([OID_KP_OCSP_SIGNING])))(),
  },
  {
    code: 'v2g.eku.missing',
    profile: 'iso15118-2/ocsp-signer',
    make: (f) => build(withExtension(f.spec, OID_EXTENDED_KEY_USAGE, null))(),
  },
  {
    code: 'v2g.ocsp-signer.no-check-missing',
    profile: 'iso15118-20/ocsp-signer',
    alg: 'Ed448',
    make: (f) => build(withExtension(f.spec, OID_OCSP_NOCHECK, null))(),
  },
  {
    code: 'x509.name.dc-not-ia5',
    profile: CONTRACT,
    make: (f) =>
      build({
        ...f.spec,
        subject: f.spec.subject.map(([t, v]) => (t === 'DC' ? ([t, v, 'utf8'] as const) : ([t, v] as const))),
      })(),
  },
  {
    code: 'v2g.subject.cn-missing',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, subject: f.spec.subject.filter(([t]) => t !== 'CN') })(),
  },
  {
    code: 'v2g.subject.attribute-missing',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, subject: f.spec.subject.filter(([t]) => t !== 'C') })(),
  },
  {
    code: 'v2g.subject.dc-missing',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, subject: f.spec.subject.filter(([t]) => t !== 'DC') })(),
  },
  {
    code: 'v2g.subject.dc-mismatch',
    profile: 'iso15118-20/secc-leaf',
    make: (f) =>
      build({
        ...f.spec,
        subject: f.spec.subject.map(([t, v]) => (t === 'DC' ? (['DC', 'CPO'] as const) : ([t, v] as const))),
      })(),
  },
  {
    code: 'v2g.subject.cn-identifier',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, subject: subjectFor(f.profile, 'Contract of Alice') })(),
  },
  {
    code: 'v2g.subject.cn-check-digit',
    profile: CONTRACT,
    make: (f) => {
      const wrong = computeEmaidCheckDigit('DEABCC123ABC56') === 'A' ? 'B' : 'A';
      return build({ ...f.spec, subject: subjectFor(f.profile, `DEABCC123ABC56${wrong}`) })();
    },
  },
  {
    code: 'v2g.root.not-self-issued',
    profile: 'iso15118-2/v2g-root',
    make: (f) => {
      const ownSki = computeSubjectKeyIdentifier(f.subjectKey.spki, f.profile.keyIdentifiers.skiMethod);
      return build(addExtension({ ...f.spec, issuer: issuerNameFor(f.profile) }, akiExt(ownSki)))();
    },
  },
  {
    code: 'v2g.non-root.self-issued',
    profile: CONTRACT,
    make: (f) => build({ ...f.spec, issuer: f.spec.subject })(),
  },
  {
    code: 'v2g.ski.missing',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_SUBJECT_KEY_IDENTIFIER, null))(),
  },
  {
    code: 'v2g.ski.length',
    profile: 'iso15118-20/contract-leaf',
    alg: 'P-521',
    make: (f) =>
      build(
        withExtension(
          f.spec,
          OID_SUBJECT_KEY_IDENTIFIER,
          skiExt(computeSubjectKeyIdentifier(f.subjectKey.spki, 'rfc5280-sha1')),
        ),
      )(),
  },
  {
    code: 'v2g.ski.derivation',
    profile: CONTRACT,
    make: (f) =>
      build(withExtension(f.spec, OID_SUBJECT_KEY_IDENTIFIER, skiExt(new Uint8Array(20).fill(0x5a))))(),
  },
  {
    code: 'x509.aki.missing',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_AUTHORITY_KEY_IDENTIFIER, null))(),
  },
  {
    code: 'x509.aki.key-id-missing',
    profile: CONTRACT,
    make: (f) =>
      build(
        withExtension(f.spec, OID_AUTHORITY_KEY_IDENTIFIER, {
          oid: OID_AUTHORITY_KEY_IDENTIFIER,
          critical: false,
          value: seq(),
        }),
      )(),
  },
  {
    code: 'v2g.aki.issuer-mismatch',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: {
        at: AT,
        issuer: await issuerCertificateFor(f.profile, f.issuerKey, new Uint8Array(20).fill(7)),
      },
    }),
  },
  {
    code: 'x509.issuer.name-mismatch',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: {
        at: AT,
        issuer: await issuerCertificateFor(f.profile, f.issuerKey, f.issuerSki, {
          name: [['CN', 'Another CA']],
        }),
      },
    }),
  },
  {
    code: 'v2g.validity.outlives-issuer',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: {
        at: AT,
        issuer: await issuerCertificateFor(f.profile, f.issuerKey, f.issuerSki, {
          notAfter: new Date(TEST_NOW.getTime() + 100 * DAY),
        }),
      },
    }),
  },
  {
    code: 'v2g.validity.starts-before-issuer',
    profile: CONTRACT,
    make: async (f) => ({
      der: await buildCertificate(f.spec),
      options: {
        at: new Date(TEST_NOW.getTime() + 2 * DAY),
        issuer: await issuerCertificateFor(f.profile, f.issuerKey, f.issuerSki, { notBefore: AT }),
      },
    }),
  },
  {
    code: 'v2g.aia.ocsp-missing',
    profile: CONTRACT,
    make: (f) => build(withExtension(f.spec, OID_AUTHORITY_INFO_ACCESS, null))(),
  },
  {
    code: 'v2g.aia.ocsp-not-http',
    profile: CONTRACT,
    make: (f) =>
      build(withExtension(f.spec, OID_AUTHORITY_INFO_ACCESS, aiaOcspExt('https://ocsp.pnc.test/')))(),
  },
];

describe('lintCertificate: one mutation per lint code fires exactly that code', () => {
  for (const c of NEGATIVE) {
    it(`${c.code} (${c.profile})`, async () => {
      const f = await fixture(c.profile, c.alg);
      const { der, options } = await c.make(f);
      assert.deepEqual(codes(der, f.profile, options ?? { at: AT }), [c.code]);
    });
  }

  it('covers every registered code, and codes are unique and well-formed', () => {
    const registered = [...LINTS.map((l) => l.code), ...ENGINE_CODES.map((c) => c.code)];
    assert.equal(new Set(registered).size, registered.length);
    for (const code of registered) assert.match(code, /^(x509|v2g|lint)\.[a-z0-9-]+(\.[a-z0-9-]+)*$/);
    const tested = new Set(NEGATIVE.map((c) => c.code));
    // lint.internal-error marks a linter defect; the vector and hostile-input tests assert it never fires.
    const untested = registered.filter((code) => !tested.has(code) && code !== 'lint.internal-error');
    assert.deepEqual(untested, []);
    for (const l of LINTS) {
      assert.ok(l.clause.length > 0 && l.summary.length > 0, l.code);
    }
  });

  it('reports the DC of a -2 SECC leaf as CSO as an error', async () => {
    const f = await fixture('iso15118-2/secc-leaf');
    const der = await buildCertificate({
      ...f.spec,
      subject: f.spec.subject.map(([t, v]) => (t === 'DC' ? (['DC', 'CSO'] as const) : ([t, v] as const))),
    });
    const r = lintCertificate(der, f.profile, { at: AT });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.violations.map((v) => [v.code, v.severity]),
      [['v2g.subject.dc-mismatch', 'error']],
    );
  });

  it('reports a missing DC on a sub-CA as a warning (Hubject QA style, C2)', async () => {
    const f = await fixture('iso15118-2/mo-sub1');
    const der = await buildCertificate({ ...f.spec, subject: f.spec.subject.filter(([t]) => t !== 'DC') });
    const r = lintCertificate(der, f.profile, { at: AT });
    assert.deepEqual(
      r.violations.map((v) => [v.code, v.severity]),
      [['v2g.subject.dc-missing', 'warning']],
    );
    assert.equal(r.ok, true);
  });

  it('does not ask an Ed448 -20 OEM provisioning key for keyAgreement (RFC 8410 §5)', async () => {
    const f = await fixture('iso15118-20/oem-prov-leaf', 'Ed448');
    const der = await buildCertificate(
      withExtension(f.spec, OID_KEY_USAGE, keyUsageExt(['digitalSignature'])),
    );
    assert.deepEqual(codes(der, f.profile), []);
    const p521 = await fixture('iso15118-20/oem-prov-leaf', 'P-521');
    const der521 = await buildCertificate(
      withExtension(p521.spec, OID_KEY_USAGE, keyUsageExt(['digitalSignature'])),
    );
    assert.deepEqual(codes(der521, p521.profile), ['v2g.key-usage.recommended-bit-missing']);
  });

  it('gives every violation a clause and a message', async () => {
    const f = await fixture(CONTRACT);
    const der = await buildCertificate({
      ...withExtension(f.spec, OID_KEY_USAGE, null),
      serialHex: '01',
      subject: [['O', 'x']],
    });
    const r = lintCertificate(der, f.profile, { at: AT });
    assert.ok(r.violations.length >= 4);
    for (const v of r.violations) {
      assert.ok(v.message.length > 0 && v.clause.length > 0, v.code);
      assert.ok(v.severity === 'error' || v.severity === 'warning');
    }
  });
});
