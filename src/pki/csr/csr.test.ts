// CSR parsing, proof of possession and role checks, with CSRs made by the real `openssl req` and
// by a local builder for the cases openssl will not produce.

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError, isAppError } from '../../errors/app-error.ts';
import {
  DER_NULL,
  DER_TRUE,
  explicit,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  tlv,
} from '../ocsp/asn1.ts';
import { encodeName, hasOpenssl, OPENSSL_SKIP, openssl, TempDir } from '../ocsp/testing/test-pki.ts';
import { OID } from '../ocsp/x509.ts';
import { parseEmaid, parseEvseId } from '../profiles/index.ts';
import { type CsrViolation, checkCsrForRole, csrViolationsError, parseCsr } from './index.ts';

const skip = hasOpenssl() ? false : OPENSSL_SKIP;

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

const rules = (violations: readonly CsrViolation[]) =>
  violations.map((v) => `${v.severity}:${v.rule}`).sort();

// --- A local CSR builder (RFC 2986 §4) -------------------------------------------------------------

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
}

function keyPair(kind: 'P-256' | 'P-521' | 'Ed448'): KeyPair {
  const { privateKey, publicKey } =
    kind === 'Ed448'
      ? generateKeyPairSync('ed448')
      : generateKeyPairSync('ec', { namedCurve: kind === 'P-256' ? 'prime256v1' : 'secp521r1' });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

function buildCsr(options: {
  key: KeyPair;
  subject: Uint8Array;
  extensions?: readonly Uint8Array[];
  signature?: { oid: string; digest: string | null };
  spki?: Uint8Array;
  noAttributes?: boolean;
  nullParameters?: boolean;
}): Uint8Array {
  const attributes =
    options.extensions === undefined
      ? []
      : [sequence(oid(OID.extensionRequest), set(sequence(...options.extensions)))];
  const info = sequence(
    integer(0n),
    options.subject,
    options.spki ?? options.key.spki,
    ...(options.noAttributes === true ? [] : [tlv(0xa0, ...attributes)]),
  );
  const alg = options.signature ?? { oid: OID.ecdsaWithSha256, digest: 'sha256' };
  const signature = nodeSign(alg.digest, info, { key: options.key.privateKey, dsaEncoding: 'der' });
  const algorithm =
    options.nullParameters === true ? sequence(oid(alg.oid), DER_NULL) : sequence(oid(alg.oid));
  return sequence(info, algorithm, tlv(0x03, Uint8Array.of(0), signature));
}

function ext(id: string, value: Uint8Array, critical = false): Uint8Array {
  return critical ? sequence(oid(id), DER_TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

const SECC_SUBJECT_2 = encodeName([
  ['C', 'DE'],
  ['O', 'Test'],
  ['DC', 'CPO'],
  ['CN', 'DE*ICE*E45B*78C'],
]);

// --- openssl-made CSRs -------------------------------------------------------------------------------

describe('CSRs from openssl req', { skip }, () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
    const gen = (args: string[]) => assert.equal(openssl(args, { cwd: dir.path }).status, 0, args.join(' '));
    gen(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'p256.key']);
    gen(['ecparam', '-name', 'secp521r1', '-genkey', '-noout', '-out', 'p521.key']);
    gen(['genpkey', '-algorithm', 'ed448', '-out', 'ed448.key']);
    gen(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key']);
  });
  after(() => dir?.remove());

  function req(key: string, subject: string, extra: readonly string[] = []): Uint8Array {
    const out = `${key}-${Math.random().toString(36).slice(2)}.csr`;
    const r = openssl(
      ['req', '-new', '-key', key, '-subj', subject, ...extra, '-outform', 'DER', '-out', out],
      {
        cwd: dir.path,
      },
    );
    assert.equal(r.status, 0, r.output);
    return new Uint8Array(readFileSync(dir.file(out)));
  }

  const cases = [
    { key: 'p256.key', extra: [], algorithm: 'P-256', signature: 'ecdsa-with-SHA256', iso: 2, dc: 'CPO' },
    { key: 'p521.key', extra: [], algorithm: 'P-521', signature: 'ecdsa-with-SHA256', iso: 20, dc: 'CSO' },
    {
      key: 'p521.key',
      extra: ['-sha512'],
      algorithm: 'P-521',
      signature: 'ecdsa-with-SHA512',
      iso: 20,
      dc: 'CSO',
    },
    { key: 'ed448.key', extra: [], algorithm: 'Ed448', signature: 'Ed448', iso: 20, dc: 'CSO' },
  ] as const;

  for (const c of cases) {
    const name = [c.algorithm, ...c.extra].join(' ');
    test(`${name}: parses, proof of possession holds, fits ISO 15118-${c.iso} CPO`, () => {
      const der = req(c.key, `/C=DE/O=Test Operator/DC=${c.dc}/CN=DE*ICE*E45B*78C`, [
        ...c.extra,
        '-addext',
        'keyUsage=critical,digitalSignature,keyAgreement',
      ]);
      const csr = parseCsr(der);
      assert.equal(csr.publicKey.algorithm, c.algorithm);
      assert.equal(csr.signatureAlgorithm.name, c.signature);
      assert.deepEqual(
        csr.subject.attributes.map((a) => [a.name, a.value]),
        [
          ['C', 'DE'],
          ['O', 'Test Operator'],
          ['DC', c.dc],
          ['CN', 'DE*ICE*E45B*78C'],
        ],
      );
      assert.deepEqual(csr.subject.domainComponents, [c.dc]);
      assert.deepEqual(
        csr.requestedExtensions.map((e) => [e.oid, e.critical]),
        [[OID.keyUsage, true]],
      );
      assert.deepEqual(checkCsrForRole(der, { role: 'CPO', iso: c.iso, commonName: parseEvseId }), []);
      // The other ISO version refuses the key.
      assert.ok(
        rules(checkCsrForRole(der, { role: 'CPO', iso: c.iso === 2 ? 20 : 2 })).includes(
          'error:key-algorithm',
        ),
      );
    });

    test(`${name}: a tampered signature or subject fails proof of possession`, () => {
      const der = req(c.key, `/C=DE/O=Test/DC=${c.dc}/CN=DE*ICE*E45B*78C`, [...c.extra]);
      const sig = der.slice();
      sig[sig.length - 3] = (sig[sig.length - 3] ?? 0) ^ 0x01;
      const subject = der.slice();
      const at = Buffer.from(subject).indexOf('E45B');
      assert.ok(at > 0);
      subject[at] = 'F'.charCodeAt(0);
      for (const bad of [sig, subject]) {
        assert.throws(
          () => parseCsr(bad),
          (e: unknown) => isAppError(e) && (e.code === 'csr.signature' || e.code === 'csr.malformed'),
        );
        const v = checkCsrForRole(bad, { role: 'CPO', iso: c.iso });
        assert.equal(v.length, 1);
        assert.ok(v[0]?.code === 'csr.signature' || v[0]?.code === 'csr.malformed');
      }
      assert.throws(() => parseCsr(subject), hasCode('csr.signature'));
    });
  }

  test('forbidden requested extensions are reported, allowed ones are not', () => {
    const der = req('p256.key', '/DC=CPO/CN=DE*ICE*E45B*78C', [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      '-addext',
      'extendedKeyUsage=OCSPSigning,clientAuth',
      '-addext',
      'subjectAltName=DNS:secc.example',
    ]);
    const v = checkCsrForRole(der, { role: 'CPO', iso: 2 });
    assert.deepEqual(rules(v), [
      'error:extension-forbidden',
      'error:extension-forbidden',
      'error:extension-forbidden',
    ]);
  });

  test("MaEVe's script CSR (/CN=cs001/O=Thoughtworks): lenient passes with a DC warning, strict EVSEID refuses", () => {
    const der = req('p256.key', '/CN=cs001/O=Thoughtworks');
    assert.deepEqual(rules(checkCsrForRole(der, { role: 'CPO', iso: 2 })), ['warning:dc-missing']);
    assert.equal(csrViolationsError(checkCsrForRole(der, { role: 'CPO', iso: 2 })), undefined);
    const strict = checkCsrForRole(der, { role: 'CPO', iso: 2, commonName: parseEvseId });
    assert.deepEqual(rules(strict), ['error:common-name', 'warning:dc-missing']);
    const err = csrViolationsError(strict);
    assert.equal(err?.code, 'csr.policy');
    assert.equal(err?.kind, 'Policy');
  });

  test('contract CSR with an EMAID CN and DC=MO; RSA keys are refused', () => {
    const der = req('p256.key', '/C=DE/O=Test/DC=MO/CN=DEABCC123ABC56');
    assert.deepEqual(checkCsrForRole(der, { role: 'MO', iso: 2, commonName: (cn) => parseEmaid(cn) }), []);
    assert.deepEqual(rules(checkCsrForRole(der, { role: 'CPO', iso: 2 })), ['error:dc-mismatch']);
    const rsa = req('rsa.key', '/DC=CPO/CN=DE*ICE*E1');
    assert.equal(parseCsr(rsa).publicKey.algorithm, 'RSA');
    assert.deepEqual(rules(checkCsrForRole(rsa, { role: 'CPO', iso: 2 })), ['error:key-algorithm']);
  });
});

// --- Built CSRs: cases openssl does not make ----------------------------------------------------------

describe('CSR policy details', () => {
  const p256 = keyPair('P-256');
  const p521 = keyPair('P-521');
  const ed448 = keyPair('Ed448');

  test('roles and ISO versions: DC per profile, VEH only in -20, banning a curve', () => {
    const veh = buildCsr({
      key: ed448,
      subject: encodeName([
        ['DC', 'OEM'],
        ['CN', 'WMIV1234567890ABCDEX'],
      ]),
      signature: { oid: OID.ed448, digest: null },
    });
    assert.deepEqual(checkCsrForRole(veh, { role: 'VEH', iso: 20 }), []);
    assert.deepEqual(rules(checkCsrForRole(veh, { role: 'VEH', iso: 2 })), ['error:role']);
    assert.deepEqual(rules(checkCsrForRole(veh, { role: 'VEH', iso: 20, allowedKeyAlgorithms: ['P-521'] })), [
      'error:key-algorithm',
    ]);
    const cso = buildCsr({
      key: p521,
      subject: encodeName([
        ['DC', 'CSO'],
        ['CN', 'DE*ICE*E1'],
      ]),
      signature: { oid: OID.ecdsaWithSha512, digest: 'sha512' },
    });
    assert.deepEqual(checkCsrForRole(cso, { role: 'CPO', iso: 20 }), []);
    assert.deepEqual(rules(checkCsrForRole(cso, { role: 'CPO', iso: 2 })), [
      'error:dc-mismatch',
      'error:key-algorithm',
    ]);
    for (const [role, dc] of [
      ['MO', 'MO'],
      ['OEM', 'OEM'],
      ['CPS', 'CPS'],
    ] as const) {
      const der = buildCsr({
        key: p256,
        subject: encodeName([
          ['DC', dc],
          ['CN', 'X'],
        ]),
      });
      assert.deepEqual(checkCsrForRole(der, { role, iso: 2 }), [], role);
    }
  });

  test('subject problems: missing / multiple CN, control characters, bad country', () => {
    const noCn = buildCsr({
      key: p256,
      subject: encodeName([
        ['DC', 'CPO'],
        ['O', 'Test'],
      ]),
    });
    assert.deepEqual(rules(checkCsrForRole(noCn, { role: 'CPO', iso: 2 })), ['error:common-name-missing']);
    const twoCn = buildCsr({
      key: p256,
      subject: encodeName([
        ['DC', 'CPO'],
        ['CN', 'A'],
        ['CN', 'B'],
      ]),
    });
    assert.deepEqual(rules(checkCsrForRole(twoCn, { role: 'CPO', iso: 2 })), ['error:common-name-multiple']);
    const ctrl = buildCsr({
      key: p256,
      subject: encodeName([
        ['DC', 'CPO'],
        ['CN', 'DE*ICE*E1\n[admin]'],
      ]),
    });
    assert.deepEqual(rules(checkCsrForRole(ctrl, { role: 'CPO', iso: 2 })), ['error:subject-characters']);
    const country = buildCsr({
      key: p256,
      subject: encodeName([
        ['C', 'de'],
        ['DC', 'CPO'],
        ['CN', 'X'],
      ]),
    });
    assert.deepEqual(rules(checkCsrForRole(country, { role: 'CPO', iso: 2 })), ['error:country']);
    const twoDc = buildCsr({
      key: p256,
      subject: encodeName([
        ['DC', 'CPO'],
        ['DC', 'V2G'],
        ['CN', 'X'],
      ]),
    });
    assert.deepEqual(rules(checkCsrForRole(twoDc, { role: 'CPO', iso: 2 })), ['error:dc-mismatch']);
  });

  test('weak signature, other forbidden extensions, malformed and unknown critical extensions', () => {
    const sha1 = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      signature: { oid: OID.ecdsaWithSha1, digest: 'sha1' },
    });
    assert.equal(parseCsr(sha1).signatureAlgorithm.name, 'ecdsa-with-SHA1');
    assert.deepEqual(rules(checkCsrForRole(sha1, { role: 'CPO', iso: 2 })), ['error:signature-algorithm']);
    const exts = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      extensions: [
        ext(OID.nameConstraints, sequence()),
        ext(OID.extKeyUsage, sequence(oid(OID.anyExtendedKeyUsage))),
        ext('1.2.3.4.5', octetString(Uint8Array.of(1)), true),
        ext('1.2.3.4.6', octetString(Uint8Array.of(1)), false),
        ext(OID.keyUsage, Uint8Array.of(0x05, 0x00)),
        ext(OID.basicConstraints, sequence()),
      ],
    });
    assert.deepEqual(rules(checkCsrForRole(exts, { role: 'CPO', iso: 2 })), [
      'error:extension-forbidden',
      'error:extension-forbidden',
      'error:extension-malformed',
      'warning:extension-critical-unknown',
    ]);
    const ku = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      extensions: [ext(OID.keyUsage, namedBits([0, 4]), true)],
    });
    assert.deepEqual(checkCsrForRole(ku, { role: 'CPO', iso: 2 }), []);
  });

  test('tolerated deviations: no attributes field, NULL parameters on ECDSA', () => {
    const bare = buildCsr({ key: p256, subject: SECC_SUBJECT_2, noAttributes: true });
    assert.deepEqual(parseCsr(bare).requestedExtensions, []);
    assert.deepEqual(checkCsrForRole(bare, { role: 'CPO', iso: 2 }), []);
    const nullParams = buildCsr({ key: p256, subject: SECC_SUBJECT_2, nullParameters: true });
    assert.equal(parseCsr(nullParams).signatureAlgorithm.name, 'ecdsa-with-SHA256');
    const edNull = buildCsr({
      key: ed448,
      subject: SECC_SUBJECT_2,
      signature: { oid: OID.ed448, digest: null },
      nullParameters: true,
    });
    assert.throws(() => parseCsr(edNull), hasCode('csr.malformed'), 'RFC 8410 §3: parameters MUST be absent');
  });

  test('structure errors are csr.malformed, signature/key mismatches csr.signature', () => {
    const dupExt = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      extensions: [ext(OID.keyUsage, namedBits([0])), ext(OID.keyUsage, namedBits([0]))],
    });
    assert.throws(() => parseCsr(dupExt), hasCode('csr.malformed'));
    const v1 = buildCsr({ key: p256, subject: SECC_SUBJECT_2 });
    const v2 = v1.slice();
    // version INTEGER 0 → 1 (first INTEGER in certificationRequestInfo)
    const at = Buffer.from(v2).indexOf(Buffer.from([0x02, 0x01, 0x00]));
    v2[at + 2] = 1;
    assert.throws(() => parseCsr(v2), hasCode('csr.malformed'));
    const mismatch = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      signature: { oid: OID.ed448, digest: 'sha256' },
    });
    assert.throws(() => parseCsr(mismatch), hasCode('csr.signature'));
    const unknownAlg = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      signature: { oid: '1.2.3.4', digest: 'sha256' },
    });
    assert.throws(() => parseCsr(unknownAlg), hasCode('csr.signature'));
    const otherKey = buildCsr({ key: p256, subject: SECC_SUBJECT_2, spki: keyPair('P-256').spki });
    assert.throws(() => parseCsr(otherKey), hasCode('csr.signature'));
    // A point that is not on the curve: the key itself is unusable.
    const badPoint = p256.spki.slice();
    badPoint[badPoint.length - 1] = (badPoint[badPoint.length - 1] ?? 0) ^ 0xff;
    const offCurve = buildCsr({ key: p256, subject: SECC_SUBJECT_2, spki: badPoint });
    assert.throws(
      () => parseCsr(offCurve),
      (e: unknown) => isAppError(e) && /^csr\.(malformed|signature)$/.test(e.code),
    );
  });

  test('hostile input: never throws from checkCsrForRole, only csr.* AppErrors from parseCsr', () => {
    const good = buildCsr({
      key: p256,
      subject: SECC_SUBJECT_2,
      extensions: [ext(OID.keyUsage, namedBits([0]))],
    });
    const huge = new Uint8Array(1024 * 1024).fill(0x30);
    assert.deepEqual(rules(checkCsrForRole(huge, { role: 'CPO', iso: 2 })), ['error:size']);
    assert.throws(() => parseCsr(huge), hasCode('csr.malformed'));
    for (const der of [
      new Uint8Array(0),
      Uint8Array.of(0x30),
      Uint8Array.of(...good, 0),
      explicit(0, good),
    ]) {
      assert.deepEqual(rules(checkCsrForRole(der, { role: 'CPO', iso: 2 })), ['error:parse']);
    }
    for (let n = 0; n < good.length; n++) {
      const v = checkCsrForRole(good.subarray(0, n), { role: 'CPO', iso: 2 });
      assert.equal(v.length, 1);
      assert.equal(v[0]?.code, 'csr.malformed');
    }
    const check = (der: Uint8Array) => {
      const v = checkCsrForRole(der, { role: 'CPO', iso: 2 });
      assert.ok(Array.isArray(v));
      try {
        parseCsr(der);
      } catch (e) {
        assert.ok(e instanceof AppError && e.code.startsWith('csr.'), String(e));
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), check), { numRuns: 400 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (mutations) => {
          const der = good.slice();
          for (const [i, b] of mutations) der[i] = b;
          check(der);
        },
      ),
      { numRuns: 800 },
    );
  });

  test('csrViolationsError: malformed wins, warnings alone are no error', () => {
    assert.equal(csrViolationsError([]), undefined);
    assert.equal(
      csrViolationsError([{ code: 'csr.policy', rule: 'dc-missing', severity: 'warning', message: 'w' }]),
      undefined,
    );
    const err = csrViolationsError([
      { code: 'csr.policy', rule: 'country', severity: 'error', message: 'a' },
      { code: 'csr.malformed', rule: 'parse', severity: 'error', message: 'b' },
    ]);
    assert.equal(err?.code, 'csr.malformed');
    assert.deepEqual(err?.details?.violations, [
      { rule: 'country', message: 'a' },
      { rule: 'parse', message: 'b' },
    ]);
  });
});
