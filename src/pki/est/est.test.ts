// EST encodings: the path matrix of interop.md §1.6, certs-only PKCS#7 read by openssl and pkijs
// in the order clients rely on, the base64 text decoded the way MaEVe's scripts do, and CSR bodies
// as CitrineOS and MaEVe send them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { parseCsr } from '../csr/index.ts';
import {
  createTestPki,
  hasOpenssl,
  OPENSSL_SKIP,
  openssl,
  opensslBytes,
  TempDir,
  type TestPki,
} from '../ocsp/testing/test-pki.ts';
import { OID } from '../ocsp/x509.ts';
import {
  certsOnlyPkcs7,
  EST_BASE64_LINE_LENGTH,
  EST_CERTS_RESPONSE_HEADERS,
  estBase64,
  estPathMatrix,
  estPathNonMatches,
  orderChainLeafFirst,
  parseEstCsrBody,
  resolveEstPath,
} from './index.ts';

const skip = hasOpenssl() ? false : OPENSSL_SKIP;

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

describe('EST path matrix (interop.md §1.6)', () => {
  test('every row resolves to its CA, ISO version, operation and algorithm', () => {
    assert.ok(estPathMatrix.length > 500, `matrix has ${estPathMatrix.length} rows`);
    for (const row of estPathMatrix) {
      const route = resolveEstPath(row.path);
      assert.ok(route, `${row.path} (${row.source}) does not resolve`);
      assert.equal(route.operation, row.expected.operation, row.path);
      assert.equal(route.ca, row.expected.ca, row.path);
      assert.equal(route.iso, row.expected.iso, row.path);
      assert.equal(route.algorithm, row.expected.algorithm, row.path);
      assert.equal(route.method, row.expected.operation === 'simpleenroll' ? 'POST' : 'GET', row.path);
    }
  });

  test('each client of interop.md has its own row', () => {
    const sources = estPathMatrix.map((r) => r.source).join('\n');
    for (const client of [
      'CitrineOS 1.8.3',
      'CitrineOS ≤ 1.8.2',
      'MaEVe',
      'ocppcompote',
      'evorada',
      'OPCP',
      'OPNC',
      'RFC 7030',
    ]) {
      assert.ok(sources.includes(client), client);
    }
  });

  test('non-matching paths resolve to nothing', () => {
    for (const path of estPathNonMatches) assert.equal(resolveEstPath(path), undefined, path);
  });

  test('details: label kept, default ISO flagged, configured labels, case-insensitivity', () => {
    assert.deepEqual(resolveEstPath('/.well-known/est/hubject-cpo/simpleenroll'), {
      operation: 'simpleenroll',
      method: 'POST',
      ca: 'cpo',
      label: 'hubject-cpo',
      iso: 2,
      isoExplicit: false,
      form: 'well-known-est',
    });
    assert.equal(resolveEstPath('/cpo/simpleenroll/ISO15118-2')?.isoExplicit, true);
    assert.equal(resolveEstPath('/.well-known/est/contract/simpleenroll'), undefined);
    assert.equal(
      resolveEstPath('/.well-known/est/contract/simpleenroll', { labels: { contract: 'mo' } })?.ca,
      'mo',
    );
    assert.deepEqual(resolveEstPath('/.WELL-KNOWN/EST/CPO/CACERTS/iso15118-20/SECP521R1/'), {
      operation: 'cacerts',
      method: 'GET',
      ca: 'cpo',
      label: 'CPO',
      iso: 20,
      isoExplicit: true,
      algorithm: 'secp521r1',
      form: 'well-known-est',
    });
    assert.equal(resolveEstPath('/opnc/v1/pki/est/cacerts?caDomain=emsp')?.form, 'opnc');
  });

  test('property: arbitrary strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        resolveEstPath(s);
        resolveEstPath(`/${s}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('certsOnlyPkcs7 and estBase64', () => {
  let pki: TestPki;
  let dir: TempDir;
  before(async () => {
    pki = await createTestPki('P-521');
    dir = new TempDir();
  });
  after(() => dir?.remove());

  test('pkijs reads a degenerate SignedData with the certificates in the given order', () => {
    const leaf = pki.leaves[0]?.certificate as Uint8Array;
    const p7 = certsOnlyPkcs7([leaf, pki.sub.certificate, pki.root.certificate]);
    const info = pkijs.ContentInfo.fromBER(p7);
    assert.equal(info.contentType, OID.signedData);
    const sd = new pkijs.SignedData({ schema: info.content });
    assert.equal(sd.version, 1);
    assert.equal(sd.digestAlgorithms.length, 0);
    assert.equal(sd.signerInfos.length, 0);
    assert.equal(sd.encapContentInfo.eContentType, OID.data);
    assert.equal(sd.encapContentInfo.eContent, undefined);
    const certs = (sd.certificates ?? []).map(
      (c) => new Uint8Array((c as pkijs.Certificate).toSchema().toBER()),
    );
    assert.deepEqual(certs, [leaf, pki.sub.certificate, pki.root.certificate]);
  });

  test('MaEVe flow: openssl enc -base64 -d | openssl pkcs7 -print_certs, leaf first / root last', {
    skip,
  }, () => {
    const leaf = pki.leaves[0]?.certificate as Uint8Array;
    for (const [name, chain] of [
      ['enroll', [leaf, pki.sub.certificate]],
      ['cacerts', [pki.sub.certificate, pki.root.certificate]],
    ] as const) {
      const text = estBase64(certsOnlyPkcs7(chain));
      assert.ok(text.length > 1024, 'long enough to hit the single-line trap');
      dir.write(`${name}.b64`, text);
      const der = opensslBytes(['enc', '-base64', '-d', '-in', `${name}.b64`], { cwd: dir.path });
      assert.deepEqual(der, certsOnlyPkcs7(chain));
      dir.write(`${name}.p7`, der);
      const r = openssl(['pkcs7', '-inform', 'DER', '-in', `${name}.p7`, '-print_certs', '-noout'], {
        cwd: dir.path,
      });
      assert.equal(r.status, 0, r.output);
      const subjects = [...r.stdout.matchAll(/^subject=.*CN = (.+)$/gm)].map((m) => m[1]);
      const expected = chain.map((c) => /CN=(.+)$/.exec(certCn(c))?.[1]);
      assert.equal(subjects.length, chain.length, r.stdout);
      assert.ok(expected.every((cn) => cn !== undefined && cn.length > 0));
      assert.deepEqual(subjects, expected, `${name} order`);
    }
  });

  test('coreutils base64 -d decodes it too (why LF, not CRLF)', {
    skip: hasBase64() ? false : 'SKIPPED: GNU base64 not installed',
  }, () => {
    const p7 = certsOnlyPkcs7([pki.sub.certificate, pki.root.certificate]);
    const r = spawnSync('base64', ['-d'], { input: estBase64(p7) });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(new Uint8Array(r.stdout), p7);
  });

  test('property: estBase64 lines are ≤ 76 characters, LF-terminated, and decode back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const text = estBase64(bytes);
        if (bytes.length === 0) return assert.equal(text, '');
        assert.ok(text.endsWith('\n'));
        assert.ok(!text.includes('\r'));
        const lines = text.slice(0, -1).split('\n');
        for (const line of lines.slice(0, -1)) assert.equal(line.length, EST_BASE64_LINE_LENGTH);
        assert.ok((lines.at(-1)?.length ?? 0) <= EST_BASE64_LINE_LENGTH);
        assert.deepEqual(new Uint8Array(Buffer.from(text, 'base64')), bytes);
      }),
    );
    assert.deepEqual(EST_CERTS_RESPONSE_HEADERS, {
      'content-type': 'application/pkcs7-mime; smime-type=certs-only',
      'content-transfer-encoding': 'base64',
    });
  });

  test('orderChainLeafFirst sorts any permutation; forks, gaps and garbage are est.chain', () => {
    const leaf = pki.leaves[0]?.certificate as Uint8Array;
    const chain = [leaf, pki.sub.certificate, pki.root.certificate];
    for (const perm of [
      [2, 1, 0],
      [1, 2, 0],
      [0, 2, 1],
      [1, 0, 2],
    ]) {
      assert.deepEqual(orderChainLeafFirst(perm.map((i) => chain[i] as Uint8Array)), chain);
    }
    assert.deepEqual(orderChainLeafFirst([pki.root.certificate, pki.sub.certificate]), [
      pki.sub.certificate,
      pki.root.certificate,
    ]);
    const otherLeaf = pki.leaves[1]?.certificate as Uint8Array;
    assert.throws(() => orderChainLeafFirst([leaf, otherLeaf, pki.sub.certificate]), hasCode('est.chain'));
    assert.throws(() => orderChainLeafFirst([leaf, pki.root.certificate]), hasCode('est.chain'));
    assert.throws(() => orderChainLeafFirst([]), hasCode('est.chain'));
    assert.throws(() => certsOnlyPkcs7([]), hasCode('est.chain'));
    assert.throws(() => certsOnlyPkcs7([leaf, Uint8Array.of(0x30, 0x00)]), hasCode('est.chain'));
  });

  function certCn(der: Uint8Array): string {
    const r = openssl(['x509', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'RFC2253'], {
      input: der,
    });
    const rfc2253 = r.stdout.trim().replace(/^subject=/, '');
    const cn = /(?:^|,)CN=([^,]+)/.exec(rfc2253)?.[1] ?? '';
    return `CN=${cn}`;
  }
});

function hasBase64(): boolean {
  const r = spawnSync('base64', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('coreutils');
}

describe('parseEstCsrBody', () => {
  let dir: TempDir;
  let csrDer: Uint8Array;
  before(() => {
    dir = new TempDir();
    if (hasOpenssl()) {
      openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'k.pem'], { cwd: dir.path });
      openssl(
        [
          'req',
          '-new',
          '-key',
          'k.pem',
          '-subj',
          '/CN=cs001/O=Thoughtworks',
          '-outform',
          'DER',
          '-out',
          'csr.der',
        ],
        {
          cwd: dir.path,
        },
      );
      csrDer = new Uint8Array(readFileSync(dir.file('csr.der')));
    } else {
      csrDer = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00);
    }
  });
  after(() => dir?.remove());

  test('CitrineOS one-line base64 and MaEVe `openssl base64` bodies give the DER CSR', { skip }, () => {
    const oneLine = Buffer.from(csrDer).toString('base64');
    const wrapped = openssl(['base64', '-in', 'csr.der'], { cwd: dir.path }).stdout;
    assert.match(wrapped, /\n/);
    const pem = openssl(['req', '-in', 'csr.der', '-inform', 'DER', '-outform', 'PEM'], {
      cwd: dir.path,
    }).stdout;
    for (const [body, contentType] of [
      [oneLine, 'application/pkcs10'],
      [wrapped, 'application/pkcs10'],
      [wrapped.replace(/\n/g, '\r\n'), 'Application/PKCS10; charset=us-ascii'],
      [new TextEncoder().encode(wrapped), 'application/pkcs10'],
      [pem, 'application/x-pkcs10'],
      [oneLine, undefined],
      [` ${oneLine}\n`, ''],
    ] as const) {
      const der = parseEstCsrBody(body, contentType);
      assert.deepEqual(der, csrDer);
      assert.equal(parseCsr(der).subject.commonNames[0], 'cs001');
    }
  });

  test('refuses other media types, binary, oversize and non-base64 bodies with est.bad-request', () => {
    const b64 = Buffer.from(csrDer).toString('base64');
    const cases: [string | Uint8Array, string | undefined][] = [
      [b64, 'application/json'],
      [b64, 'application/x-www-form-urlencoded'],
      [csrDer, 'application/pkcs10'],
      ['A'.repeat(64 * 1024 + 1), 'application/pkcs10'],
      [new Uint8Array(64 * 1024 + 1).fill(0x41), 'application/pkcs10'],
      ['not base64!', 'application/pkcs10'],
      ['', 'application/pkcs10'],
      ['QUJD', 'application/pkcs10'],
      [Buffer.from(new Uint8Array(20_000).fill(0x30)).toString('base64'), 'application/pkcs10'],
      ['-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----', 'application/pkcs10'],
    ];
    for (const [body, type] of cases) {
      assert.throws(
        () => parseEstCsrBody(body, type),
        hasCode('est.bad-request'),
        `${String(type)} ${String(body).slice(0, 20)}`,
      );
    }
  });

  test('property: any body is either DER bytes or an est.bad-request', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (body) => {
        try {
          const der = parseEstCsrBody(body, 'application/pkcs10');
          assert.equal(der[0], 0x30);
        } catch (e) {
          assert.ok(e instanceof AppError && e.code === 'est.bad-request', String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
