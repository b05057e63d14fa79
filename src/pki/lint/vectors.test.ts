// Real ISO 15118 certificates from ../shared/vectors/pki (EVerest, Josev, RISE-V2G, Hubject,
// dSPACE): every one is linted against its declared profile without failing, the deviations the
// corpus documents are reported with our codes, and detectProfile agrees with the declared roles.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHARED_SKIP } from '../../testing/shared-data.ts';
import { getProfile } from '../profiles/index.ts';
import { detectProfile, type LintResult, lintCertificate } from './index.ts';
import { type CertVector, certVectors } from './testing/vectors.ts';

const vectors = certVectors();

function lintVector(v: CertVector, all: ReadonlyMap<string, CertVector>): LintResult {
  const profile = getProfile(v.iso, v.role);
  assert.ok(profile, `${v.id}: no profile for ${v.iso}/${v.role}`);
  const issuer = v.chain[0] === undefined ? undefined : all.get(v.chain[0])?.der;
  // Inside the chain's common validity window where there is one, so expiry stays out of the way.
  const at = new Date(v.chainValidAt ?? v.notBefore);
  return lintCertificate(v.der, profile, { at, ...(issuer === undefined ? {} : { issuer }) });
}

/**
 * Our code(s) for each heuristic finding of ../shared/vectors/pki/README.md; null = an
 * observation the profile accepts (SAN on TLS leaves, policies on roots, odd dates, chain facts).
 */
function codesForFinding(f: string): readonly string[] | null {
  const rules: [RegExp, readonly string[] | null][] = [
    [/^der-size-/, ['v2g.size.max']],
    [/^signature-/, ['v2g.signature.algorithm']],
    [/^key-/, ['v2g.key.algorithm']],
    [/^serial-not-positive$/, ['x509.serial.not-positive']],
    [/^serial-longer-than-20-octets$/, ['x509.serial.too-long']],
    [/^version-not-v3$/, ['x509.version.not-v3']],
    [/^no-basicConstraints$/, ['v2g.basic-constraints.missing']],
    [/^basicConstraints-not-critical$/, ['v2g.basic-constraints.not-critical']],
    [/^basicConstraints-cA-FALSE-explicitly-encoded/, ['x509.basic-constraints.explicit-default']],
    [/^(root-)?pathLen-/, ['v2g.basic-constraints.path-len']],
    [/^leaf-is-CA$/, ['v2g.basic-constraints.ca']],
    [/^no-keyUsage$/, ['v2g.key-usage.missing']],
    [/^keyUsage-not-critical$/, ['v2g.key-usage.not-critical']],
    [/^keyUsage-missing-/, ['v2g.key-usage.bit-missing', 'v2g.key-usage.recommended-bit-missing']],
    [/^keyUsage-extra-/, ['v2g.key-usage.unexpected-bit']],
    [/^EKU-/, ['v2g.eku.unexpected']],
    [/^no-DC\(/, ['v2g.subject.dc-missing']],
    [/^DC-/, ['v2g.subject.dc-mismatch']],
    [/^no-SKI-on-CA$/, ['v2g.ski.missing']],
    [/^SKI-\d+-bytes$/, ['v2g.ski.length']],
    [/^no-AKI$/, ['x509.aki.missing']],
    [/^validity-inverted/, ['x509.validity.inverted']],
    [/^outlives-issuer/, ['v2g.validity.outlives-issuer']],
    [/^starts-before-issuer/, ['v2g.validity.starts-before-issuer']],
    [/^no-AIA-OCSP$/, ['v2g.aia.ocsp-missing']],
    [/^(validity-\d|contract-issued-by-|SAN-present$|certificatePolicies-on-root$)/, null],
  ];
  for (const [re, codes] of rules) if (re.test(f)) return codes;
  throw new Error(`unmapped finding ${f}`);
}

function has(r: LintResult, code: string, severity?: 'error' | 'warning'): boolean {
  return r.violations.some((v) => v.code === code && (severity === undefined || v.severity === severity));
}

describe('real certificates (../shared/vectors/pki)', () => {
  if (vectors === undefined) {
    it('skipped', (t) => t.skip(SHARED_SKIP));
    return;
  }
  const byId = new Map(vectors.map((v) => [v.id, v]));
  const results = new Map(vectors.map((v) => [v.id, lintVector(v, byId)]));
  const r = (id: string): LintResult => {
    const x = results.get(id);
    assert.ok(x, `vector ${id} missing`);
    return x;
  };

  it('has the 118 certificates of the corpus', () => assert.equal(vectors.length, 118));

  it('lints every certificate against its declared profile without parse or internal errors', () => {
    for (const v of vectors) {
      const res = r(v.id);
      for (const viol of res.violations) {
        assert.notEqual(viol.code, 'x509.parse', `${v.id}: ${viol.message}`);
        assert.notEqual(viol.code, 'lint.internal-error', `${v.id}: ${viol.message}`);
        assert.ok(viol.message.length > 0 && viol.clause.length > 0);
      }
      assert.equal(res.ok, !res.violations.some((x) => x.severity === 'error'));
    }
  });

  it('reports every deviation the corpus documents (README findings) with our code', () => {
    for (const v of vectors) {
      for (const f of v.findings) {
        const expected = codesForFinding(f);
        if (expected === null) continue;
        assert.ok(
          expected.some((c) => has(r(v.id), c)),
          `${v.id} (${v.subject}): finding ${f} → expected one of ${expected.join(', ')}, got ${r(v.id)
            .violations.map((x) => x.code)
            .join(', ')}`,
        );
      }
    }
  });

  it('is stricter than the corpus heuristics only where the profile says so', () => {
    // Errors on certificates without any finding: CN identifier rules and the -20 CSO domain.
    for (const v of vectors.filter((x) => x.findings.length === 0)) {
      const errors = r(v.id)
        .violations.filter((x) => x.severity === 'error')
        .map((x) => x.code);
      for (const code of errors) {
        assert.ok(
          ['v2g.subject.cn-identifier', 'v2g.subject.dc-mismatch'].includes(code),
          `${v.id} ${v.subject}: ${code}`,
        );
      }
    }
  });

  it('Hubject QA sub-CAs without DC: dc-missing as a warning (C2)', () => {
    for (const id of [
      'pki-1bbf605f99b7',
      'pki-ec631c682924',
      'pki-6cad6de62fd6',
      'pki-d09ca5b25b66',
      'pki-e9ca8face995',
      'pki-1417aeb2aa8d',
    ]) {
      assert.ok(has(r(id), 'v2g.subject.dc-missing', 'warning'), id);
      assert.equal(r(id).ok, true, `${id}: ${r(id).violations.map((x) => x.code)}`);
    }
  });

  it('Hubject 8-byte SKIs: ski.length warning on -2, derived by the Hubject method (C3)', () => {
    const hubject = vectors.filter((v) => /Hubject/.test(v.issuer) && !/hubjectopenpnc/.test(v.subject));
    assert.ok(hubject.length >= 20);
    for (const v of hubject) {
      assert.ok(has(r(v.id), 'v2g.ski.length', 'warning'), v.id);
      assert.ok(!has(r(v.id), 'v2g.ski.derivation'), v.id);
    }
  });

  it('Hubject V2G roots with EKU OCSPSigning: eku.unexpected as a warning, otherwise clean (C8)', () => {
    for (const id of ['pki-a76ae4c5d00e', 'pki-9ac185baf0b5']) {
      assert.ok(has(r(id), 'v2g.eku.unexpected', 'warning'), id);
      assert.equal(r(id).ok, true);
    }
  });

  it('Hubject QA leaves with explicit cA FALSE: explicit-default error', () => {
    for (const id of [
      'pki-05970391827c',
      'pki-d4a3a511b041',
      'pki-27f7e8dfc96c',
      'pki-f14df2af2d58',
      'pki-d8a3f345925c',
      'pki-0168e885dfec',
    ]) {
      assert.ok(has(r(id), 'x509.basic-constraints.explicit-default', 'error'), id);
    }
  });

  it('Hubject QA contracts without DC=MO: dc-missing error ([V2G2-925])', () => {
    for (const id of ['pki-05970391827c', 'pki-d4a3a511b041'])
      assert.ok(has(r(id), 'v2g.subject.dc-missing', 'error'), id);
  });

  it('2018 Hubject test PKI: Sub-CA 2 pathLen 1, OEM leaves without basicConstraints and keyAgreement (C10)', () => {
    for (const id of ['pki-29a46b0a5bb3', 'pki-86cc5bbc2a70'])
      assert.ok(has(r(id), 'v2g.basic-constraints.path-len', 'error'), id);
    for (const id of ['pki-844d66a63f6e', 'pki-093711a5cc99', 'pki-87715b7debed']) {
      assert.ok(has(r(id), 'v2g.basic-constraints.missing', 'error'), id);
      assert.ok(has(r(id), 'v2g.key-usage.bit-missing', 'error'), id);
      assert.ok(has(r(id), 'v2g.key-usage.unexpected-bit', 'error'), id);
    }
  });

  it('Hubject TEST OEM Sub-CA 1 with DC=V2G: dc-mismatch warning', () => {
    assert.ok(has(r('pki-d75abab8ab29'), 'v2g.subject.dc-mismatch', 'warning'));
  });

  it('Hubject QA SECC leaf: no basicConstraints (error), CN example.com is no EVSEID (warning)', () => {
    assert.ok(has(r('pki-5ed95234b149'), 'v2g.basic-constraints.missing', 'error'));
    assert.ok(has(r('pki-5ed95234b149'), 'v2g.subject.cn-identifier', 'warning'));
    assert.ok(!has(r('pki-5ed95234b149'), 'v2g.key-usage.recommended-bit-missing'));
  });

  it('dSPACE -20 SECC leaf with DC=CPO: dc-mismatch error (Table B.5 wants CSO)', () => {
    assert.ok(has(r('pki-e06dc642a3ee'), 'v2g.subject.dc-mismatch', 'error'));
  });

  it('Josev / EVerest contract CNs with a wrong EMAID check digit: cn-check-digit warning', () => {
    for (const id of ['pki-2eaabe236c04', 'pki-c0a595c1de02', 'pki-69d9f1865987', 'pki-ae1ced56a8d6']) {
      assert.ok(has(r(id), 'v2g.subject.cn-check-digit', 'warning'), id);
    }
    assert.ok(!has(r('pki-5d301a29a13f'), 'v2g.subject.cn-check-digit')); // DEABC123456789Y is right
  });

  it('Josev expired contract: inverted validity', () =>
    assert.ok(has(r('pki-69d9f1865987'), 'x509.validity.inverted', 'error')));

  it('RISE-V2G 2015/16 certificates: SHA-1 signatures and no AKI', () => {
    assert.ok(has(r('pki-de2b22116d5e'), 'v2g.signature.algorithm', 'error'));
    assert.ok(has(r('pki-f8b660f2f8a6'), 'x509.aki.missing', 'error'));
  });

  it('EVerest PX chain: CA used as SECC leaf, sub-CA outliving its issuer', () => {
    assert.ok(has(r('pki-2084b04532a0'), 'v2g.basic-constraints.ca', 'error'));
    assert.ok(has(r('pki-94c651e333f8'), 'v2g.validity.outlives-issuer', 'error'));
  });

  it('detectProfile agrees with the declared ISO version and role', () => {
    // DEPionixLeafA is a CA certificate (cA TRUE, pathLen 1) that EVerest uses as a SECC leaf;
    // from the certificate alone it is a CPO Sub-CA 1.
    const exceptions: Record<string, string> = { 'pki-2084b04532a0': '2/cpo-sub1' };
    for (const v of vectors) {
      const d = detectProfile(v.der);
      assert.ok(d.ok, `${v.id}: ${d.ok ? '' : d.reason}`);
      const got = `${d.iso}/${d.role}`;
      assert.equal(
        got,
        exceptions[v.id] ?? `${v.iso}/${v.role}`,
        `${v.id} ${v.subject}: ${d.basis.join('; ')}`,
      );
    }
  });
});
