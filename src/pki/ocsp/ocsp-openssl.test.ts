// OCSP interop with the real `openssl` command line: requests made by `openssl ocsp -reqout` are
// parsed by parseOcspRequest, and responses from buildOcspResponse are verified by `openssl ocsp
// -respin` in both responder modes, for every key type of the V2G PKI.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { KeyAlgorithm } from '../../signer/index.ts';
import {
  buildOcspResponse,
  type CertId,
  decodeOcspGetPath,
  encodeOcspGetPath,
  matchCertId,
  type OcspCertStatus,
  ocspErrorResponse,
  parseCertificate,
  parseOcspRequest,
} from './index.ts';
import {
  createTestPki,
  hasOpenssl,
  OPENSSL_SKIP,
  openssl,
  TempDir,
  type TestPki,
  toPem,
} from './testing/test-pki.ts';

const skip = hasOpenssl() ? false : OPENSSL_SKIP;
const HOUR = 3_600_000;

const EXPECTED_SIGNATURE: Readonly<Record<KeyAlgorithm, string>> = {
  'P-256': 'ecdsa-with-SHA256',
  'P-521': 'ecdsa-with-SHA512',
  Ed448: 'ED448',
};

function issuerOf(certificate: Uint8Array) {
  const info = parseCertificate(certificate);
  return { subjectDer: info.subjectDer, spkiDer: info.spki.der };
}

for (const algorithm of ['P-256', 'P-521', 'Ed448'] as const) {
  describe(`OCSP with openssl, ${algorithm}`, { skip }, () => {
    let pki: TestPki;
    let dir: TempDir;

    before(async () => {
      pki = await createTestPki(algorithm);
      dir = new TempDir();
      dir.write('root.pem', toPem(pki.root.certificate, 'CERTIFICATE'));
      dir.write('sub.pem', toPem(pki.sub.certificate, 'CERTIFICATE'));
      dir.write('responder.pem', toPem(pki.responder.certificate, 'CERTIFICATE'));
      for (const [i, leaf] of pki.leaves.entries()) {
        dir.write(`leaf${i}.pem`, toPem(leaf.certificate, 'CERTIFICATE'));
      }
    });
    after(() => dir.remove());

    const leafArgs = ['-cert', 'leaf0.pem', '-cert', 'leaf1.pem', '-cert', 'leaf2.pem'];

    function makeRequest(name: string, extra: readonly string[]): Uint8Array {
      const r = openssl(['ocsp', '-issuer', 'sub.pem', ...extra, ...leafArgs, '-reqout', name], {
        cwd: dir.path,
      });
      assert.equal(r.status, 0, r.output);
      return new Uint8Array(readFileSync(dir.file(name)));
    }

    const statuses = (now: number): OcspCertStatus[] => [
      'good',
      { revoked: { time: new Date(now - 2 * HOUR), reason: 1 } },
      'unknown',
    ];

    async function respond(
      certIds: readonly CertId[],
      mode: 'issuer' | 'delegated',
      options: { nonce?: Uint8Array; includeCertificates: boolean; responderId: 'byKey' | 'byName' },
    ): Promise<Uint8Array> {
      const now = Date.now();
      const ca = mode === 'issuer' ? pki.sub : pki.responder;
      const status = statuses(now);
      return buildOcspResponse({
        responder: {
          signer: ca.signer,
          certificate: ca.certificate,
          includeCertificates: options.includeCertificates,
        },
        responderId: options.responderId,
        producedAt: new Date(now),
        ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
        responses: certIds.map((certId, i) => ({
          certId,
          status: status[i] ?? 'unknown',
          thisUpdate: new Date(now - 60_000),
          nextUpdate: new Date(now + HOUR),
        })),
      });
    }

    function assertStatuses(output: string): void {
      assert.match(output, /Response verify OK/, output);
      assert.match(output, /leaf0\.pem: good/, output);
      assert.match(output, /leaf1\.pem: revoked/, output);
      assert.match(output, /Reason: keyCompromise/, output);
      assert.match(output, /Revocation Time:/, output);
      assert.match(output, /leaf2\.pem: unknown/, output);
      assert.doesNotMatch(output, /error/i, output);
    }

    for (const digest of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      test(`parses openssl requests with ${digest} CertIDs and a nonce`, () => {
        const der = makeRequest(`req-${digest}.der`, digest === 'sha1' ? [] : [`-${digest}`]);
        const req = parseOcspRequest(der);
        assert.equal(req.version, 1);
        assert.equal(req.signed, false);
        assert.equal(req.certIds.length, 3);
        assert.ok(req.nonce !== undefined && req.nonce.byteLength === 16, 'openssl sends a 16-octet nonce');
        assert.deepEqual(
          req.certIds.map((c) => [c.hashAlgorithm, c.serialNumber, c.serialHex]),
          pki.leaves.map((l) => [digest, l.serial, l.serial.toString(16).toUpperCase()]),
        );
        for (const certId of req.certIds) {
          assert.equal(matchCertId(certId, issuerOf(pki.sub.certificate)), true);
          assert.equal(matchCertId(certId, issuerOf(pki.root.certificate)), false);
        }
      });
    }

    test('parses a request without nonce (-no_nonce)', () => {
      const req = parseOcspRequest(makeRequest('req-nononce.der', ['-sha256', '-no_nonce']));
      assert.equal(req.nonce, undefined);
      assert.equal(req.certIds.length, 3);
    });

    test('issuer-signed response (byKey, no certs): openssl verifies good / revoked / unknown', async () => {
      const req = parseOcspRequest(makeRequest('req-issuer.der', ['-sha256']));
      dir.write(
        'resp-issuer.der',
        await respond(req.certIds, 'issuer', { includeCertificates: false, responderId: 'byKey' }),
      );
      const r = openssl(
        [
          'ocsp',
          '-respin',
          'resp-issuer.der',
          '-CAfile',
          'root.pem',
          '-verify_other',
          'sub.pem',
          '-issuer',
          'sub.pem',
          '-sha256',
        ].concat(leafArgs, ['-no_nonce', '-resp_text']),
        { cwd: dir.path },
      );
      assert.equal(r.status, 0, r.output);
      assertStatuses(r.output);
      assert.match(r.output, new RegExp(`Signature Algorithm: ${EXPECTED_SIGNATURE[algorithm]}`));
      assert.match(r.output, /Responder Id: [0-9A-F]{40}\b/, 'byKey = SHA-1 key hash');
    });

    test('issuer-signed response carrying its certificate verifies with only the root as trust anchor', async () => {
      const req = parseOcspRequest(makeRequest('req-issuer2.der', ['-sha256']));
      dir.write(
        'resp-issuer2.der',
        await respond(req.certIds, 'issuer', { includeCertificates: true, responderId: 'byName' }),
      );
      const r = openssl(
        [
          'ocsp',
          '-respin',
          'resp-issuer2.der',
          '-CAfile',
          'root.pem',
          '-issuer',
          'sub.pem',
          '-sha256',
        ].concat(leafArgs, ['-no_nonce']),
        { cwd: dir.path },
      );
      assert.equal(r.status, 0, r.output);
      assertStatuses(r.output);
    });

    test('delegated responder (byName, certificate embedded): openssl verifies through the CA chain', async () => {
      const req = parseOcspRequest(makeRequest('req-deleg.der', ['-sha256']));
      dir.write(
        'resp-deleg.der',
        await respond(req.certIds, 'delegated', { includeCertificates: true, responderId: 'byName' }),
      );
      const r = openssl(
        [
          'ocsp',
          '-respin',
          'resp-deleg.der',
          '-CAfile',
          'root.pem',
          '-verify_other',
          'sub.pem',
          '-issuer',
          'sub.pem',
          '-sha256',
        ].concat(leafArgs, ['-no_nonce', '-resp_text']),
        { cwd: dir.path },
      );
      assert.equal(r.status, 0, r.output);
      assertStatuses(r.output);
      assert.match(
        r.output,
        new RegExp(`Responder Id: C = DE, O = Test, CN = Test OCSP Responder ${algorithm}`),
      );
    });

    test('delegated responder trusted directly with -VAfile (byKey)', async () => {
      const req = parseOcspRequest(makeRequest('req-va.der', ['-sha1']));
      dir.write(
        'resp-va.der',
        await respond(req.certIds, 'delegated', { includeCertificates: false, responderId: 'byKey' }),
      );
      const r = openssl(
        ['ocsp', '-respin', 'resp-va.der', '-VAfile', 'responder.pem', '-issuer', 'sub.pem'].concat(
          leafArgs,
          ['-no_nonce'],
        ),
        { cwd: dir.path },
      );
      assert.equal(r.status, 0, r.output);
      assertStatuses(r.output);
    });

    test('nonce: echoed nonce verifies, a different nonce is caught by openssl', async () => {
      const reqDer = makeRequest('req-nonce.der', ['-sha256']);
      const req = parseOcspRequest(reqDer);
      assert.ok(req.nonce);
      for (const mode of ['issuer', 'delegated'] as const) {
        dir.write(
          'resp-nonce.der',
          await respond(req.certIds, mode, {
            nonce: req.nonce,
            includeCertificates: true,
            responderId: 'byKey',
          }),
        );
        const ok = openssl(
          [
            'ocsp',
            '-reqin',
            'req-nonce.der',
            '-respin',
            'resp-nonce.der',
            '-CAfile',
            'root.pem',
            '-verify_other',
            'sub.pem',
          ],
          { cwd: dir.path },
        );
        assert.equal(ok.status, 0, ok.output);
        assert.match(ok.output, /Response verify OK/);
        assert.doesNotMatch(ok.output, /nonce/i, 'no nonce warning or error');
      }
      const other = new Uint8Array(req.nonce);
      other[0] = (other[0] ?? 0) ^ 0xff;
      dir.write(
        'resp-badnonce.der',
        await respond(req.certIds, 'issuer', {
          nonce: other,
          includeCertificates: true,
          responderId: 'byKey',
        }),
      );
      const bad = openssl(
        [
          'ocsp',
          '-reqin',
          'req-nonce.der',
          '-respin',
          'resp-badnonce.der',
          '-CAfile',
          'root.pem',
          '-verify_other',
          'sub.pem',
        ],
        { cwd: dir.path },
      );
      assert.match(bad.output, /Nonce Verify error/);
    });

    test('GET path variants decode to the request openssl made', () => {
      const der = makeRequest('req-get.der', ['-sha256']);
      const b64 = Buffer.from(der).toString('base64');
      const variants = [
        encodeOcspGetPath(der),
        b64,
        `/${b64}`,
        b64.replace(/\+/g, ' '),
        b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        encodeURIComponent(b64).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
        (b64.match(/.{1,64}/g) ?? []).join('%0A'),
      ];
      for (const v of variants) assert.deepEqual(decodeOcspGetPath(v), der, v);
    });

    test('error responses are read by openssl', () => {
      for (const [status, value] of [
        ['malformedRequest', 1],
        ['internalError', 2],
        ['tryLater', 3],
        ['unauthorized', 6],
      ] as const) {
        dir.write(`err-${status}.der`, ocspErrorResponse(status));
        const r = openssl(['ocsp', '-respin', `err-${status}.der`, '-resp_text', '-noverify'], {
          cwd: dir.path,
        });
        // openssl prints error statuses as "Responder Error: malformedrequest (1)".
        assert.match(r.output, new RegExp(`Responder Error: ${status} \\(${value}\\)`, 'i'), r.output);
      }
    });
  });
}
