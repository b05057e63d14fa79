import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { SHARED_SKIP } from '../../testing/shared-data.ts';
import { parseCertificate } from '../lint/certificate.ts';
import { decodeSubjectKeyIdentifier, extensionState } from '../lint/extensions.ts';
import { certVectors } from '../lint/testing/vectors.ts';
import { getProfile, getProfileById, PROFILES } from './index.ts';
import { computeSubjectKeyIdentifier, knownSkiDerivations } from './key-identifier.ts';
import { OID_SUBJECT_KEY_IDENTIFIER } from './oids.ts';
import type { CertificateRole } from './types.ts';

describe('profiles', () => {
  it('have unique ids matching iso and role', () => {
    const ids = PROFILES.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of PROFILES) {
      assert.equal(p.id, `iso15118-${p.iso}/${p.role}`);
      assert.equal(getProfileById(p.id), p);
      assert.equal(getProfile(p.iso, p.role), p);
    }
  });

  it('cover every certificate type of the brief for both ISO versions', () => {
    const both: CertificateRole[] = [
      'v2g-root',
      'cpo-sub1',
      'cpo-sub2',
      'secc-leaf',
      'mo-root',
      'mo-sub1',
      'mo-sub2',
      'contract-leaf',
      'oem-root',
      'oem-sub1',
      'oem-sub2',
      'oem-prov-leaf',
      'cps-sub1',
      'cps-sub2',
      'cps-leaf',
      'ocsp-signer',
    ];
    for (const role of both) {
      assert.ok(getProfile('2', role), `-2 ${role}`);
      assert.ok(getProfile('20', role), `-20 ${role}`);
    }
    for (const role of ['vehicle-sub1', 'vehicle-sub2', 'vehicle-leaf', 'pe-root', 'pe-leaf'] as const) {
      assert.equal(getProfile('2', role), undefined);
      assert.ok(getProfile('20', role));
    }
  });

  it('state the ISO algorithms, size caps and domain components', () => {
    for (const p of PROFILES) {
      if (p.iso === '2') {
        assert.deepEqual(p.keyAlgorithms, ['P-256']);
        assert.deepEqual(p.signatureAlgorithms, ['ecdsa-with-SHA256']);
        assert.equal(p.maxDerBytes, 800);
      } else {
        assert.deepEqual(p.keyAlgorithms, ['P-521', 'Ed448']);
        assert.deepEqual(p.signatureAlgorithms, ['ecdsa-with-SHA512', 'Ed448']);
        assert.equal(p.maxDerBytes, 1600);
      }
    }
    assert.equal(getProfile('2', 'secc-leaf')?.subject.domainComponent, 'CPO');
    assert.equal(getProfile('20', 'secc-leaf')?.subject.domainComponent, 'CSO');
    assert.equal(getProfile('2', 'contract-leaf')?.commonName.rule, 'emaid');
    assert.equal(getProfile('20', 'oem-prov-leaf')?.commonName.rule, 'pcid');
    assert.deepEqual(getProfile('20', 'contract-leaf')?.keyIdentifiers.skiLengths, [8]);
  });

  it('are internally consistent', () => {
    for (const p of PROFILES) {
      const { minDays, maxDays, defaultDays } = p.validity;
      assert.ok(minDays <= defaultDays && defaultDays <= maxDays, `${p.id} validity`);
      const ku = p.keyUsage;
      const all = [...ku.required, ...ku.recommended, ...ku.optional];
      assert.equal(new Set(all).size, all.length, `${p.id} keyUsage sets overlap`);
      for (const b of ku.ecOnly ?? []) assert.ok(ku.recommended.includes(b), `${p.id} ecOnly ⊆ recommended`);
      assert.equal(p.basicConstraints.ca, p.kind !== 'leaf', `${p.id} cA`);
      if (p.kind === 'sub-ca') assert.equal(p.basicConstraints.pathLen, p.role.endsWith('1') ? 1 : 0);
      if (p.kind === 'root') assert.equal(p.basicConstraints.pathLen, null);
      if (p.kind !== 'leaf') assert.deepEqual(ku.required, ['keyCertSign', 'cRLSign'], p.id);
      if (p.kind === 'leaf') assert.ok(ku.required.includes('digitalSignature'), p.id);
      assert.ok(p.keyIdentifiers.skiLengths.length > 0);
    }
  });
});

describe('SKI derivations', () => {
  it('follow RFC 5280 §4.2.1.2 (1) and the 8-byte 0100 form', async () => {
    const { publicKey } = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', publicKey));
    // A P-256 SPKI ends in the 65-byte uncompressed point, the BIT STRING value.
    const point = spki.subarray(spki.length - 65);
    assert.deepEqual(
      computeSubjectKeyIdentifier(spki, 'rfc5280-sha1'),
      new Uint8Array(createHash('sha1').update(point).digest()),
    );
    const h = computeSubjectKeyIdentifier(spki, 'hubject-64');
    const full = createHash('sha1').update(spki).digest();
    assert.equal(h.length, 8);
    assert.equal((h[0] as number) >> 4, 0b0100);
    assert.deepEqual(h.subarray(1), new Uint8Array(full.subarray(13)));
    assert.equal((h[0] as number) & 0x0f, (full[12] as number) & 0x0f);
    assert.throws(() => computeSubjectKeyIdentifier(Uint8Array.of(1, 2, 3), 'hubject-64'), RangeError);
    assert.deepEqual(knownSkiDerivations(Uint8Array.of(1, 2, 3)), []);
  });

  it("match OpenSSL's subjectKeyIdentifier=hash on the EVerest test PKI", (t) => {
    const vectors = certVectors();
    if (vectors === undefined) return t.skip(SHARED_SKIP);
    const everest = vectors.filter((v) => /O=EVerest/.test(v.subject));
    assert.ok(everest.length >= 10);
    for (const v of everest) {
      const parsed = parseCertificate(v.der);
      assert.ok(parsed.ok);
      const ski = extensionState(parsed.cert, OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier);
      assert.equal(ski.state, 'ok', v.id);
      if (ski.state !== 'ok') continue;
      assert.deepEqual(ski.value, computeSubjectKeyIdentifier(parsed.cert.spki.raw, 'rfc5280-sha1'), v.id);
    }
  });

  it('reproduce the SKIs of Hubject-issued certificates (pki-profiles.md §1.3)', (t) => {
    const vectors = certVectors();
    if (vectors === undefined) return t.skip(SHARED_SKIP);
    // The 2018 OEM provisioning certificates were made by another tool (pki-profiles.md §1.3).
    const hubject = vectors.filter((v) => /Hubject/.test(v.issuer) && !/hubjectopenpnc/.test(v.subject));
    assert.ok(hubject.length >= 20);
    for (const v of hubject) {
      const parsed = parseCertificate(v.der);
      assert.ok(parsed.ok);
      const ski = extensionState(parsed.cert, OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier);
      assert.equal(ski.state, 'ok', v.id);
      if (ski.state !== 'ok') continue;
      assert.deepEqual(
        ski.value,
        computeSubjectKeyIdentifier(parsed.cert.spki.raw, 'hubject-64'),
        `${v.id} ${v.subject}`,
      );
    }
  });
});
