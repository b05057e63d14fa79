// The add / update body in every form (OPCP, OPNC, the announced renames, the real clients' extras)
// and its refusals: missing or contradicting certificates, invalid base64, bad key identifiers.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors/app-error.ts';
import { toPem } from '../pki/ocsp/testing/test-pki.ts';
import { type SyntheticChain, syntheticChain } from './testing/chains.ts';
import { parseKeyIdentifier, parseUpload } from './upload.ts';

function rejectsWith(code: string, fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

describe('PCP request bodies', () => {
  let chain: SyntheticChain;
  const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
  before(async () => {
    chain = await syntheticChain({ pcid: 'WP0ABCDEFGHIJKLMN' });
  });

  test('OPCP, OPNC, the announced renames and OPNC’s example spelling give the same chain', () => {
    const forms: Record<string, unknown>[] = [
      {
        vehicleCertificate: b64(chain.vehicle),
        subCA2Certificate: b64(chain.subCa2.certificate),
        subCA1Certificate: b64(chain.subCa1.certificate),
      },
      {
        provisioningCertificate: b64(chain.vehicle),
        subCa2Certificate: b64(chain.subCa2.certificate),
        subCa1Certificate: b64(chain.subCa1.certificate),
      },
      {
        provisioningCertificateChain: {
          certificate: b64(chain.vehicle),
          subCa2Certificate: b64(chain.subCa2.certificate),
          subCa1Certificate: b64(chain.subCa1.certificate),
        },
      },
      {
        provisioningCertificateChain: {
          certificate: b64(chain.vehicle),
          subCA2Certificate: b64(chain.subCa2.certificate),
          subCA1Certificate: b64(chain.subCa1.certificate),
        },
      },
      // PEM and base64 of PEM (src/pool-inputs), and the same value under two names.
      {
        vehicleCertificate: toPem(chain.vehicle, 'CERTIFICATE'),
        provisioningCertificateChain: { certificate: toPem(chain.vehicle, 'CERTIFICATE') },
        subCA2Certificate: Buffer.from(toPem(chain.subCa2.certificate, 'CERTIFICATE')).toString('base64'),
        subCA1Certificate: b64(chain.subCa1.certificate),
      },
    ];
    for (const body of forms) {
      const parsed = parseUpload(body);
      assert.deepEqual(parsed.vehicle.der, chain.vehicle);
      assert.deepEqual(parsed.subCa2?.der, chain.subCa2.certificate);
      assert.deepEqual(parsed.subCa1.der, chain.subCa1.certificate);
      assert.equal(parsed.namespaceEdition, null);
      assert.equal(parsed.previousPcid, null);
    }
  });

  test('Sub-CA 2 is optional; the provisioning certificate and Sub-CA 1 are not', () => {
    const parsed = parseUpload({
      vehicleCertificate: b64(chain.vehicle),
      subCA1Certificate: b64(chain.subCa2.certificate),
    });
    assert.equal(parsed.subCa2, null);
    rejectsWith(
      'pcp.invalid-request',
      () => parseUpload({ subCA1Certificate: b64(chain.subCa1.certificate) }),
      /provisioning certificate is missing/,
    );
    rejectsWith(
      'pcp.invalid-request',
      () => parseUpload({ vehicleCertificate: b64(chain.vehicle) }),
      /Sub-CA 1 certificate is missing/,
    );
    rejectsWith('pcp.invalid-request', () => parseUpload([]), /JSON object/);
    rejectsWith('pcp.invalid-request', () => parseUpload('text'), /JSON object/);
    rejectsWith(
      'pcp.invalid-request',
      () => parseUpload({ provisioningCertificateChain: 'x' }),
      /must be an object/,
    );
  });

  test('two names with different certificates are a contradiction', () => {
    rejectsWith(
      'pcp.invalid-request',
      () =>
        parseUpload({
          vehicleCertificate: b64(chain.vehicle),
          provisioningCertificateChain: { certificate: b64(chain.subCa2.certificate) },
          subCA1Certificate: b64(chain.subCa1.certificate),
        }),
      /different values/,
    );
  });

  test('invalid base64, truncated DER and oversized text are pool.invalid-certificate', () => {
    const sub1 = b64(chain.subCa1.certificate);
    rejectsWith('pool.invalid-certificate', () =>
      parseUpload({ vehicleCertificate: '!!not base64!!', subCA1Certificate: sub1 }),
    );
    rejectsWith('pool.invalid-certificate', () =>
      parseUpload({ vehicleCertificate: b64(chain.vehicle.subarray(0, 100)), subCA1Certificate: sub1 }),
    );
    rejectsWith('pool.invalid-certificate', () =>
      parseUpload({ vehicleCertificate: 'A'.repeat(10_000), subCA1Certificate: sub1 }),
    );
    rejectsWith('pool.invalid-certificate', () =>
      parseUpload({ vehicleCertificate: b64(chain.vehicle), subCA1Certificate: 'AAAA' }),
    );
  });

  test('xsdMsgDefNamespace: every accepted form, an unknown one refused', () => {
    const base = { vehicleCertificate: b64(chain.vehicle), subCA1Certificate: b64(chain.subCa1.certificate) };
    assert.equal(
      parseUpload({ ...base, xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' }).namespaceEdition,
      2,
    );
    assert.equal(
      parseUpload({ ...base, xsdMsgDefNamespace: 'urn:iso:15118:20:2022:MsgDef' }).namespaceEdition,
      20,
    );
    assert.equal(
      parseUpload({ ...base, xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef' }).namespaceEdition,
      20,
    );
    assert.equal(
      parseUpload({ ...base, xsdMsgDefNamespace: 'urn:iso:std:iso:15118:-20:CommonMessages' })
        .namespaceEdition,
      20,
    );
    rejectsWith('pool.invalid-namespace', () =>
      parseUpload({ ...base, xsdMsgDefNamespace: 'urn:iso:15118:3' }),
    );
  });

  test('previousPcid and the root fields are checked for syntax', () => {
    const base = { vehicleCertificate: b64(chain.vehicle), subCA1Certificate: b64(chain.subCa1.certificate) };
    assert.equal(
      parseUpload({ ...base, previousPcid: 'WP0OLDPCID0000001' }).previousPcid,
      'WP0OLDPCID0000001',
    );
    rejectsWith('pcp.invalid-request', () => parseUpload({ ...base, previousPcid: 'WP0-OLD' }));
    rejectsWith('pcp.invalid-request', () => parseUpload({ ...base, previousPcid: 17 }));
    // MaEVe's register-oem-cert.sh body (interop.md §1.2): accepted, root fields only checked.
    const maeve = parseUpload({
      ...base,
      xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
      rootIssuerDistinguishedName: 'CN=V2G Root CA QA G1, DC=V2G, O=Hubject GmbH, C=DE',
      rootIssuerSerialNumber: '69ab00d259bbdf42ce80529ad30ce5ed',
      v2gRootAuthorityKeyIdentifier: '45:b8:40:9e:e1:38:f8:bf',
      rootAuthorityKeyIdentifier: '4b:45:ff:82:25:fc:10:96',
    });
    assert.deepEqual(maeve.v2gRootAuthorityKeyIdentifiers, ['45:b8:40:9e:e1:38:f8:bf']);
    rejectsWith('pcp.invalid-request', () => parseUpload({ ...base, rootAuthorityKeyIdentifier: 'zz:zz' }));
    rejectsWith('pcp.invalid-request', () => parseUpload({ ...base, rootIssuerSerialNumber: 'not hex' }));
    rejectsWith('pcp.invalid-request', () => parseUpload({ ...base, v2gRootAuthorityKeyIdentifiers: 'x' }));
    rejectsWith('pcp.invalid-request', () =>
      parseUpload({
        ...base,
        v2gRootAuthorityKeyIdentifiers: Array.from({ length: 17 }, (_, i) => `0${i % 10}`),
      }),
    );
  });
});

describe('key identifiers (spec-gaps.md item 35)', () => {
  test('colon hex, plain hex and base64 of the same bytes give one lower-case colon-hex form', () => {
    assert.equal(parseKeyIdentifier('4B:45:FF:82:25:FC:10:96', 'f'), '4b:45:ff:82:25:fc:10:96');
    assert.equal(parseKeyIdentifier('4b45ff8225fc1096', 'f'), '4b:45:ff:82:25:fc:10:96');
    assert.equal(parseKeyIdentifier('S0X/giX8EJY=', 'f'), '4b:45:ff:82:25:fc:10:96');
    // CitrineOS fixture form (base64 of an 8-byte identifier).
    assert.equal(parseKeyIdentifier('StsXq6WQwGg=', 'f'), '4a:db:17:ab:a5:90:c0:68');
  });

  test('property: every byte string round-trips through all three forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const expected = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
        assert.equal(parseKeyIdentifier(expected.toUpperCase(), 'f'), expected);
        assert.equal(parseKeyIdentifier(buf.toString('hex'), 'f'), expected);
        const base64 = buf.toString('base64');
        // A base64 text made only of hex digits is read as hex (documented ambiguity, D-052).
        if (!/^([0-9A-Fa-f]{2})+$/.test(base64)) assert.equal(parseKeyIdentifier(base64, 'f'), expected);
      }),
    );
  });

  test('garbage is refused', () => {
    for (const bad of [
      '',
      ' ',
      'xyz!',
      'g:00',
      'a',
      '4b:4',
      ':4b',
      'AAAA=A',
      'A'.repeat(400),
      12,
      null,
      {},
    ]) {
      rejectsWith('pcp.invalid-request', () => parseKeyIdentifier(bad, 'f'));
    }
  });
});
