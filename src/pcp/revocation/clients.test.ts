// The OCSP and CRL client checks on real signed structures (responses made with the responder code
// of src/pki/ocsp, CRLs with src/pki/crl, keys through the test Signer) and the bounded HTTP client
// against a real local HTTP server: what is accepted as a status, and every way an answer is refused.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildCrl } from '../../pki/crl/index.ts';
import {
  buildOcspResponse,
  type CertId,
  OID,
  ocspErrorResponse,
  parseOcspRequest,
} from '../../pki/ocsp/index.ts';
import { buildTestCertificate, generateTestSigner, type TestCa } from '../../pki/ocsp/testing/test-pki.ts';
import { type SyntheticChain, syntheticChain } from '../testing/chains.ts';
import { evaluateCrl } from './crl-client.ts';
import { FetchRevocationHttpClient, usableUrl } from './http-client.ts';
import { buildOcspRequest, evaluateOcspResponse, ocspCertId } from './ocsp-client.ts';

const NOW = new Date('2030-06-01T12:00:00Z');
const HOUR = 3_600_000;

async function responder(
  issuer: TestCa,
  options: { eku?: boolean; signedBy?: TestCa } = {},
): Promise<TestCa> {
  const key = generateTestSigner('P-256');
  const certificate = await buildTestCertificate({
    subject: [
      ['O', 'Synthetic OEM'],
      ['CN', 'Synthetic OCSP Responder'],
    ],
    subjectKey: key,
    issuer: options.signedBy ?? issuer,
    serial: 99n,
    notBefore: new Date('2030-01-01T00:00:00Z'),
    notAfter: new Date('2031-01-01T00:00:00Z'),
    keyUsage: ['digitalSignature'],
    ...(options.eku === false ? {} : { extKeyUsage: [OID.kpOcspSigning] }),
    ocspNoCheck: true,
  });
  return { signer: key, certificate };
}

describe('OCSP client checks (RFC 6960)', () => {
  let chain: SyntheticChain;
  let certId: CertId;
  let issuer: TestCa;
  const subject = () => ({ certificate: chain.vehicle, issuer: chain.subCa2.certificate });
  const respond = (
    signer: TestCa,
    status: Parameters<typeof buildOcspResponse>[0]['responses'][number]['status'],
    options: { certId?: CertId; thisUpdate?: Date; nextUpdate?: Date; include?: boolean } = {},
  ) =>
    buildOcspResponse({
      responder: {
        signer: signer.signer,
        certificate: signer.certificate,
        includeCertificates: options.include ?? true,
      },
      responderId: 'byKey',
      producedAt: NOW,
      responses: [
        {
          certId: options.certId ?? certId,
          status,
          thisUpdate: options.thisUpdate ?? NOW,
          nextUpdate: options.nextUpdate ?? new Date(NOW.getTime() + 24 * HOUR),
        },
      ],
    });

  before(async () => {
    chain = await syntheticChain();
    issuer = chain.subCa2;
    certId = ocspCertId(subject());
  });

  test('the request is one CertID (SHA-1) that the responder code reads back', () => {
    const parsed = parseOcspRequest(buildOcspRequest(certId));
    assert.equal(parsed.certIds.length, 1);
    assert.equal(parsed.certIds[0]?.hashAlgorithm, 'sha1');
    assert.equal(parsed.certIds[0]?.serialNumber, 4n);
    assert.equal(parsed.nonce, undefined);
  });

  test('good, revoked (with its reason) and unknown, signed by the issuer', async () => {
    const good = evaluateOcspResponse(await respond(issuer, 'good'), certId, issuer.certificate, NOW);
    assert.equal(good.status, 'good');
    const revoked = evaluateOcspResponse(
      await respond(issuer, { revoked: { time: new Date('2030-05-01T00:00:00Z'), reason: 1 } }),
      certId,
      issuer.certificate,
      NOW,
    );
    assert.deepEqual(revoked, {
      status: 'revoked',
      revokedAt: new Date('2030-05-01T00:00:00Z'),
      reason: 1,
      nextUpdate: new Date(NOW.getTime() + 24 * HOUR),
    });
    const unknown = evaluateOcspResponse(await respond(issuer, 'unknown'), certId, issuer.certificate, NOW);
    assert.equal(unknown.status, 'unknown');
  });

  test('a delegated responder of the issuer (id-kp-OCSPSigning, embedded) is accepted', async () => {
    const delegated = await responder(issuer);
    assert.equal(
      evaluateOcspResponse(await respond(delegated, 'good'), certId, issuer.certificate, NOW).status,
      'good',
    );
    // Not embedded: nothing to verify the signature with.
    const notIncluded = evaluateOcspResponse(
      await respond(delegated, 'good', { include: false }),
      certId,
      issuer.certificate,
      NOW,
    );
    assert.equal(notIncluded.status, 'invalid');
  });

  test('a responder certified by someone else, or by a CA of the same name, is refused', async () => {
    // Same subject name as Sub-CA 2, another key: the CertID's issuer name matches, the key does not.
    const impostorKey = generateTestSigner('P-256');
    const impostor: TestCa = {
      signer: impostorKey,
      certificate: await buildTestCertificate({
        subject: [
          ['C', 'DE'],
          ['O', 'Synthetic OEM'],
          ['DC', 'OEM'],
          ['CN', 'Synthetic OEM Sub-CA 2'],
        ],
        subjectKey: impostorKey,
        serial: 7n,
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2040-01-01T00:00:00Z'),
        ca: {},
        keyUsage: ['keyCertSign'],
      }),
    };
    const rogue = await responder(issuer, { signedBy: impostor });
    const verdict = evaluateOcspResponse(await respond(rogue, 'good'), certId, issuer.certificate, NOW);
    assert.equal(verdict.status, 'invalid');
    assert.match(verdict.status === 'invalid' ? verdict.reason : '', /signed neither by the issuer/);
  });

  test('stale, from the future, for another serial, an error status, garbage, a flipped bit', async () => {
    const stale = await respond(issuer, 'good', {
      thisUpdate: new Date(NOW.getTime() - 48 * HOUR),
      nextUpdate: new Date(NOW.getTime() - 24 * HOUR),
    });
    assert.match(JSON.stringify(evaluateOcspResponse(stale, certId, issuer.certificate, NOW)), /stale/);
    const future = await respond(issuer, 'good', {
      thisUpdate: new Date(NOW.getTime() + HOUR),
      nextUpdate: new Date(NOW.getTime() + 25 * HOUR),
    });
    assert.match(JSON.stringify(evaluateOcspResponse(future, certId, issuer.certificate, NOW)), /future/);
    // Within the allowed clock skew (5 minutes) a slightly early thisUpdate is fine.
    const skewed = await respond(issuer, 'good', { thisUpdate: new Date(NOW.getTime() + 60_000) });
    assert.equal(evaluateOcspResponse(skewed, certId, issuer.certificate, NOW).status, 'good');
    const other = await respond(issuer, 'good', { certId: { ...certId, serialNumber: 5n, serialHex: '5' } });
    assert.match(
      JSON.stringify(evaluateOcspResponse(other, certId, issuer.certificate, NOW)),
      /no status for serial 4/,
    );
    assert.match(
      JSON.stringify(evaluateOcspResponse(ocspErrorResponse('tryLater'), certId, issuer.certificate, NOW)),
      /tryLater/,
    );
    assert.equal(
      evaluateOcspResponse(new Uint8Array([1, 2, 3]), certId, issuer.certificate, NOW).status,
      'invalid',
    );
    // Without the embedded certificate, the last bytes are the signature.
    const tampered = await respond(issuer, 'good', { include: false });
    assert.equal(evaluateOcspResponse(tampered, certId, issuer.certificate, NOW).status, 'good');
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 0x01;
    assert.equal(evaluateOcspResponse(tampered, certId, issuer.certificate, NOW).status, 'invalid');
  });
});

describe('CRL client checks (RFC 5280 §5)', () => {
  let chain: SyntheticChain;
  before(async () => {
    chain = await syntheticChain();
  });
  const crl = (
    revoked: { serial: bigint; revokedAt: Date; reason?: number }[],
    signer?: TestCa,
    next?: Date,
  ) =>
    buildCrl({
      issuer: {
        signer: (signer ?? chain.subCa2).signer,
        certificateDer: (signer ?? chain.subCa2).certificate,
      },
      thisUpdate: new Date(NOW.getTime() - HOUR),
      nextUpdate: next ?? new Date(NOW.getTime() + 24 * HOUR),
      crlNumber: 1n,
      revoked,
    });

  test('not listed = good; listed = revoked with time and reason', async () => {
    const good = evaluateCrl(
      await crl([{ serial: 77n, revokedAt: NOW }]),
      chain.vehicle,
      chain.subCa2.certificate,
      NOW,
    );
    assert.equal(good.status, 'good');
    const at = new Date('2030-05-20T00:00:00Z');
    const revoked = evaluateCrl(
      await crl([{ serial: 4n, revokedAt: at, reason: 4 }]),
      chain.vehicle,
      chain.subCa2.certificate,
      NOW,
    );
    assert.deepEqual(revoked, {
      status: 'revoked',
      revokedAt: at,
      reason: 4,
      nextUpdate: new Date(NOW.getTime() + 24 * HOUR),
    });
  });

  test('another issuer, a forged signature, a stale CRL, garbage: cannot tell', async () => {
    // Sub-CA 1's CRL does not speak for a certificate Sub-CA 2 issued.
    const wrongIssuer = evaluateCrl(
      await crl([], chain.subCa1),
      chain.vehicle,
      chain.subCa2.certificate,
      NOW,
    );
    assert.match(JSON.stringify(wrongIssuer), /not issued by the certificate issuer/);
    const forged = await crl([]);
    forged[forged.length - 2] = (forged[forged.length - 2] as number) ^ 0x01;
    assert.equal(evaluateCrl(forged, chain.vehicle, chain.subCa2.certificate, NOW).status, 'invalid');
    const stale = evaluateCrl(
      await crl([], undefined, new Date(NOW.getTime() - HOUR / 2)),
      chain.vehicle,
      chain.subCa2.certificate,
      new Date(NOW.getTime() + HOUR),
    );
    assert.match(JSON.stringify(stale), /stale/);
    assert.equal(
      evaluateCrl(new Uint8Array(10), chain.vehicle, chain.subCa2.certificate, NOW).status,
      'invalid',
    );
  });
});

describe('bounded HTTP client (real local server)', () => {
  let server: Server;
  let base: string;
  const client = new FetchRevocationHttpClient();
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        // Streamed without Content-Length: the reader must stop at the bound.
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(8192, 1));
        res.end();
      } else if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(1_000_000) });
        res.end(Buffer.alloc(16));
      } else if (req.url === '/slow') {
        // Never answers; the client's timeout ends it.
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok' });
        res.end();
      } else {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/ocsp-response' });
          res.end(Buffer.concat(chunks));
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a POST is answered with the body and its content type', async () => {
    const result = await client.exchange({
      url: `${base}/ok`,
      method: 'POST',
      body: new Uint8Array([1, 2, 3]),
      contentType: 'application/ocsp-request',
      maxBytes: 100,
      timeoutMs: 5000,
    });
    assert.deepEqual(result, {
      ok: true,
      status: 200,
      contentType: 'application/ocsp-response',
      body: new Uint8Array([1, 2, 3]),
    });
  });

  test('too large (streamed or declared), too slow, redirects not followed, closed port, other schemes', async () => {
    const big = await client.exchange({
      url: `${base}/big`,
      method: 'GET',
      maxBytes: 65_536,
      timeoutMs: 5000,
    });
    assert.deepEqual(big, { ok: false, reason: 'response is larger than 65536 bytes' });
    const declared = await client.exchange({
      url: `${base}/declared`,
      method: 'GET',
      maxBytes: 1000,
      timeoutMs: 5000,
    });
    assert.equal(declared.ok, false);
    const slow = await client.exchange({
      url: `${base}/slow`,
      method: 'GET',
      maxBytes: 1000,
      timeoutMs: 200,
    });
    assert.deepEqual(slow, { ok: false, reason: 'no answer within 200 ms' });
    const redirect = await client.exchange({
      url: `${base}/redirect`,
      method: 'GET',
      maxBytes: 1000,
      timeoutMs: 5000,
    });
    assert.equal(redirect.ok && redirect.status, 302);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await client.exchange({
      url: `http://127.0.0.1:${port}/`,
      method: 'GET',
      maxBytes: 10,
      timeoutMs: 5000,
    });
    assert.equal(refused.ok, false);
    for (const url of ['file:///etc/passwd', 'ldap://x/', 'http://user:pw@127.0.0.1/', 'not a url']) {
      assert.equal(usableUrl(url), undefined, url);
      assert.equal((await client.exchange({ url, method: 'GET', maxBytes: 10, timeoutMs: 100 })).ok, false);
    }
  });
});
