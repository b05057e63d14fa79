// The control steps as pure functions: validity shell model (b), trust (d), the PCID of the leaf,
// the edition of a key, the profile findings (blocking vs warnings), and the root facts of the
// responses compared with Hubject's own example response.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { parseCertificate } from '../pki/ocsp/index.ts';
import type { TrustedRoot } from '../rcp/trust-anchors.ts';
import { hasShared, SHARED_SKIP } from '../testing/shared-data.ts';
import {
  type ChainEntry,
  checkValidityShell,
  distinguishedName,
  editionOfKey,
  evaluateTrust,
  pcidOfLeaf,
  profileFindings,
  sha256Hex,
  storedRootOf,
} from './checks.ts';
import { hubjectQaRoot, type SyntheticChain, specExamples, syntheticChain } from './testing/chains.ts';
import { parseUpload } from './upload.ts';

const NOW = new Date('2030-06-01T00:00:00Z');

function entries(chain: SyntheticChain, withRoot = false): ChainEntry[] {
  const e = (position: ChainEntry['position'], der: Uint8Array): ChainEntry => ({
    position,
    der,
    info: parseCertificate(der),
  });
  return [
    e('vehicle', chain.vehicle),
    e('subCa2', chain.subCa2.certificate),
    e('subCa1', chain.subCa1.certificate),
    ...(withRoot ? [e('root', chain.root.certificate)] : []),
  ];
}

function anchor(der: Uint8Array, rootType: TrustedRoot['rootType'] = 'OEM'): TrustedRoot {
  const info = parseCertificate(der);
  return {
    id: sha256Hex(der).slice(0, 8),
    rootType,
    iso: 2,
    der,
    fingerprintSha256: sha256Hex(der),
    subject: distinguishedName(der),
    notBefore: info.notBefore,
    notAfter: info.notAfter,
  };
}

const d = (s: string) => new Date(s);

describe('(b) validity shell model', () => {
  test('a chain nested in time and valid now passes', async () => {
    const chain = await syntheticChain();
    assert.equal(checkValidityShell(entries(chain, true), NOW), undefined);
  });

  test('expired and not-yet-valid, from the leaf upwards, root included', async () => {
    const expiredLeaf = await syntheticChain({
      validity: { vehicle: { notBefore: d('2021-01-01T00:00:00Z'), notAfter: d('2030-05-31T23:59:59Z') } },
    });
    assert.deepEqual(
      (({ code, certificate }) => ({ code, certificate }))(
        checkValidityShell(entries(expiredLeaf, true), NOW)!,
      ),
      { code: 'pcp.expired', certificate: 'vehicle' },
    );
    const future = await syntheticChain({
      validity: {
        subCa2: { notBefore: d('2030-07-01T00:00:00Z'), notAfter: d('2039-12-31T00:00:00Z') },
        vehicle: { notBefore: d('2030-08-01T00:00:00Z'), notAfter: d('2039-01-01T00:00:00Z') },
      },
    });
    const f = checkValidityShell(entries(future, true), NOW);
    assert.equal(f?.code, 'pcp.not-yet-valid');
    assert.equal(f?.certificate, 'vehicle');
    // Above the leaf: Sub-CA 2 not valid yet is found once the leaf is left out.
    assert.equal(checkValidityShell(entries(future, true).slice(1), NOW)?.certificate, 'subCa2');
    const expiredRoot = await syntheticChain({
      validity: {
        root: { notBefore: d('2020-01-01T00:00:00Z'), notAfter: d('2030-01-01T00:00:00Z') },
        subCa1: { notBefore: d('2020-01-01T00:00:00Z'), notAfter: d('2029-12-01T00:00:00Z') },
        subCa2: { notBefore: d('2020-01-01T00:00:00Z'), notAfter: d('2029-11-01T00:00:00Z') },
        vehicle: { notBefore: d('2021-01-01T00:00:00Z'), notAfter: d('2029-10-01T00:00:00Z') },
      },
    });
    // Every certificate is expired: the leaf is reported first.
    assert.equal(checkValidityShell(entries(expiredRoot, true), NOW)?.certificate, 'vehicle');
    assert.equal(checkValidityShell(entries(expiredRoot, true).slice(3), NOW)?.code, 'pcp.expired');
    assert.match(
      checkValidityShell(entries(expiredLeaf, true), NOW)?.message ?? '',
      /vehicleCertificate\) expired on 2030-05-31T23:59:59.000Z/,
    );
  });

  test('a certificate outside its issuer’s validity breaks the shell even while all are valid now', async () => {
    const outlives = await syntheticChain({
      validity: {
        subCa2: { notBefore: d('2020-01-01T00:00:00Z'), notAfter: d('2035-01-01T00:00:00Z') },
        vehicle: { notBefore: d('2021-01-01T00:00:00Z'), notAfter: d('2036-01-01T00:00:00Z') },
      },
    });
    const f = checkValidityShell(entries(outlives, true), NOW);
    assert.equal(f?.code, 'pcp.validity-shell');
    assert.equal(f?.certificate, 'vehicle');
    const startsEarly = await syntheticChain({
      validity: { subCa1: { notBefore: d('2019-06-01T00:00:00Z'), notAfter: d('2040-01-01T00:00:00Z') } },
    });
    assert.equal(checkValidityShell(entries(startsEarly, true), NOW)?.certificate, 'subCa1');
  });

  test('the bounds are inclusive (RFC 5280 §4.1.2.5)', async () => {
    const chain = await syntheticChain();
    const leaf = parseCertificate(chain.vehicle);
    assert.equal(checkValidityShell(entries(chain), leaf.notAfter), undefined);
    assert.equal(checkValidityShell(entries(chain), leaf.notBefore), undefined);
    assert.equal(
      checkValidityShell(entries(chain), new Date(leaf.notAfter.getTime() + 1000))?.code,
      'pcp.expired',
    );
    assert.equal(
      checkValidityShell(entries(chain), new Date(leaf.notBefore.getTime() - 1000))?.code,
      'pcp.not-yet-valid',
    );
  });
});

describe('(d) trust', () => {
  test('a chain to a trusted root validates and names the root', async () => {
    const chain = await syntheticChain();
    const root = anchor(chain.root.certificate);
    const result = evaluateTrust(entries(chain), [root], NOW);
    assert.ok(result.ok);
    assert.equal(result.root.fingerprintSha256, root.fingerprintSha256);
  });

  test('another root, no root, a missing or stray certificate: not trusted', async () => {
    const chain = await syntheticChain();
    const other = await syntheticChain();
    const untrusted = evaluateTrust(entries(chain), [anchor(other.root.certificate)], NOW);
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.ok ? '' : untrusted.message, /does not lead to a trusted OEM or V2G root/);
    const none = evaluateTrust(entries(chain), [], NOW);
    assert.equal(none.ok, false);
    assert.match(none.ok ? '' : none.message, /holds no OEM or V2G root/);
    // Sub-CA 2 of another chain in the middle: the path cannot be built.
    const mixed = entries(chain);
    mixed[1] = {
      position: 'subCa2',
      der: other.subCa2.certificate,
      info: parseCertificate(other.subCa2.certificate),
    };
    assert.equal(evaluateTrust(mixed, [anchor(chain.root.certificate)], NOW).ok, false);
    // Sub-CA 1 is the anchor itself (a trusted root given as Sub-CA 1): not the delivered chain shape.
    const shape = evaluateTrust(entries(chain), [anchor(chain.subCa1.certificate)], NOW);
    assert.equal(shape.ok, false);
    assert.equal(shape.ok ? '' : shape.details.path, 'chain-mismatch');
  });

  test('a tampered leaf signature is not trusted', async () => {
    const chain = await syntheticChain();
    const tampered = chain.vehicle.slice();
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    const e = entries(chain);
    e[0] = { position: 'vehicle', der: tampered, info: parseCertificate(tampered) };
    const result = evaluateTrust(e, [anchor(chain.root.certificate)], NOW);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.details.path, 'path.signature');
  });
});

describe('the PCID, the edition and the profile', () => {
  test('the leaf CN must be one PCID', async () => {
    const ok = await syntheticChain({ pcid: 'wp0abcdefghijklmn' });
    const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
    const upload = (c: SyntheticChain) =>
      parseUpload({ vehicleCertificate: b64(c.vehicle), subCA1Certificate: b64(c.subCa1.certificate) })
        .vehicle;
    assert.deepEqual(pcidOfLeaf(upload(ok)), { pcid: 'wp0abcdefghijklmn', wmi: 'WP0' });
    for (const cn of ['WP0SHORT', 'WP0ABCDEFGHIJKLMN1X', 'WP0-ABCDEFGHIJKLM']) {
      const bad = await syntheticChain({ leafCommonName: cn });
      assert.throws(
        () => pcidOfLeaf(upload(bad)),
        (e: unknown) => isAppError(e) && e.code === 'pcp.invalid-pcid',
      );
    }
  });

  test('P-256 is -2, P-521 is -20', async () => {
    assert.equal(editionOfKey(parseCertificate((await syntheticChain()).vehicle)), 2);
    assert.equal(editionOfKey(parseCertificate((await syntheticChain({ algorithm: 'P-521' })).vehicle)), 20);
  });

  test('a leaf that is a CA is blocking; missing DC and such are warnings', async () => {
    const ca = await syntheticChain({ leafIsCa: true });
    const findings = profileFindings(entries(ca), 2, NOW);
    assert.ok(
      findings.blocking.some((f) => f.code === 'v2g.basic-constraints.ca' && f.certificate === 'vehicle'),
    );
    const plain = await syntheticChain();
    assert.deepEqual(profileFindings(entries(plain), 2, NOW).blocking, []);
    // A P-521 chain checked as -2: the key algorithm is blocking.
    const p521 = await syntheticChain({ algorithm: 'P-521' });
    assert.ok(profileFindings(entries(p521), 2, NOW).blocking.some((f) => f.code === 'v2g.key.algorithm'));
    assert.deepEqual(profileFindings(entries(p521), 20, NOW).blocking, []);
  });
});

describe('Hubject examples of the specifications', { skip: hasShared('specs') ? false : SHARED_SKIP }, () => {
  test('no blocking profile finding, warnings only (missing keyUsage / basicConstraints on the leaf)', () => {
    for (const example of specExamples()) {
      const upload = parseUpload(example.body);
      const e: ChainEntry[] = [
        { position: 'vehicle', der: upload.vehicle.der, info: upload.vehicle.info },
        ...(upload.subCa2 === null
          ? []
          : [{ position: 'subCa2' as const, der: upload.subCa2.der, info: upload.subCa2.info }]),
        { position: 'subCa1', der: upload.subCa1.der, info: upload.subCa1.info },
      ];
      const findings = profileFindings(e, 2, example.at);
      assert.deepEqual(findings.blocking, [], example.name);
      assert.equal(pcidOfLeaf(upload.vehicle).pcid, example.pcid);
    }
  });

  test('the root facts equal those of OPCP’s own addOEMProvCert response example', () => {
    const root = hubjectQaRoot();
    const facts = storedRootOf(anchor(root, 'V2G'), parseCertificate(root));
    // pcp.v1.json PUT 200 example: rootIssuerDistinguishedName, rootIssuerSerialNumber, rootAuthorityKeyIdentifier.
    assert.equal(facts.distinguishedName, 'CN=V2G Root CA QA G1, DC=V2G, O=Hubject GmbH, C=DE');
    assert.equal(facts.serialHex, '69ab00d259bbdf42ce80529ad30ce5ed');
    assert.equal(facts.keyIdentifier, '4b:45:ff:82:25:fc:10:96');
  });

  test('the OPCP request example validates to the QA root at a time inside its validity, and not after', () => {
    const [opcp] = specExamples();
    assert.ok(opcp !== undefined);
    const upload = parseUpload(opcp.body);
    const e: ChainEntry[] = [
      { position: 'vehicle', der: upload.vehicle.der, info: upload.vehicle.info },
      { position: 'subCa2', der: upload.subCa2!.der, info: upload.subCa2!.info },
      { position: 'subCa1', der: upload.subCa1.der, info: upload.subCa1.info },
    ];
    const root = anchor(hubjectQaRoot(), 'V2G');
    assert.ok(evaluateTrust(e, [root], opcp.at).ok);
    const withRoot = [...e, { position: 'root' as const, der: root.der, info: parseCertificate(root.der) }];
    assert.equal(checkValidityShell(withRoot, opcp.at), undefined);
    assert.equal(checkValidityShell(withRoot, new Date('2026-01-01T00:00:00Z'))?.code, 'pcp.expired');
  });
});
