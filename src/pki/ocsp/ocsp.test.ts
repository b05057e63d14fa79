// OCSP logic without external tools: request parsing (incl. hostile input), response structure and
// signatures checked with pkijs + node:crypto, GET path decoding, hex bodies and the cache.

import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import {
  DER_NULL,
  DER_TRUE,
  explicit,
  generalizedTime,
  integer,
  octetString,
  oid,
  sequence,
  tlv,
  x509Time,
} from './asn1.ts';
import {
  buildOcspResponse,
  type CertId,
  certIdFor,
  decodeHexOcspBody,
  decodeOcspGetPath,
  encodeCertId,
  encodeOcspGetPath,
  matchCertId,
  OCSP_MAX_CERT_IDS,
  OcspResponseCache,
  OID,
  ocspErrorResponse,
  ocspErrorStatusFor,
  parseCertificate,
  parseOcspRequest,
} from './index.ts';
import { referenceParseOcspRequest } from './testing/reference-request-parser.ts';
import {
  buildTestCertificate,
  createTestPki,
  generateTestSigner,
  type TestPki,
  validityAroundNow,
} from './testing/test-pki.ts';

const HOUR = 3_600_000;

function hasCode(...codes: string[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.ok(codes.includes(e.code), `expected ${codes.join(' or ')}, got ${e.code}: ${e.message}`);
    return true;
  };
}

interface RequestParts {
  certIds: readonly Uint8Array[];
  version?: bigint;
  requestorName?: boolean;
  extensions?: readonly Uint8Array[];
  signed?: boolean;
  singleExtensions?: readonly Uint8Array[];
}

/** OCSPRequest DER from parts (RFC 6960 §4.1.1), for building hostile and edge-case requests. */
function buildRequest(p: RequestParts): Uint8Array {
  const tbs: Uint8Array[] = [];
  if (p.version !== undefined) tbs.push(explicit(0, integer(p.version)));
  // requestorName [1] EXPLICIT GeneralName: dNSName [2] IA5String
  if (p.requestorName === true) tbs.push(explicit(1, tlv(0x82, new TextEncoder().encode('client.test'))));
  tbs.push(
    sequence(
      ...p.certIds.map((c) =>
        p.singleExtensions === undefined
          ? sequence(c)
          : sequence(c, explicit(0, sequence(...p.singleExtensions))),
      ),
    ),
  );
  if (p.extensions !== undefined) tbs.push(explicit(2, sequence(...p.extensions)));
  const parts = [sequence(...tbs)];
  if (p.signed === true) {
    // optionalSignature [0] EXPLICIT Signature { algorithm, BIT STRING }: content is never checked.
    parts.push(
      explicit(0, sequence(sequence(oid(OID.ecdsaWithSha256)), tlv(0x03, Uint8Array.of(0, 1, 2, 3)))),
    );
  }
  return sequence(...parts);
}

function nonceExtension(value: Uint8Array): Uint8Array {
  return sequence(oid(OID.ocspNonce), octetString(octetString(value)));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), DER_TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

function issuerOf(certificate: Uint8Array) {
  const info = parseCertificate(certificate);
  return { subjectDer: info.subjectDer, spkiDer: info.spki.der };
}

describe('parseOcspRequest', () => {
  let pki: TestPki;
  let certId: CertId;
  before(async () => {
    pki = await createTestPki('P-256');
    certId = certIdFor(issuerOf(pki.sub.certificate), 0x1001n, 'sha256');
  });

  test('round-trips CertIDs of every hash algorithm, with nonce and extras', () => {
    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      const id = certIdFor(issuerOf(pki.sub.certificate), 0x00ff_ffff_ffffn, alg);
      const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);
      const req = parseOcspRequest(
        buildRequest({
          certIds: [encodeCertId(id)],
          version: 0n,
          requestorName: true,
          signed: true,
          extensions: [nonceExtension(nonce), extension('1.2.3.4', false, DER_NULL)],
        }),
      );
      assert.equal(req.signed, true, 'signed requests are accepted (signature ignored)');
      assert.equal(req.hasRequestorName, true);
      assert.deepEqual(req.nonce, nonce);
      assert.deepEqual(
        req.extensions.map((e) => e.oid),
        [OID.ocspNonce, '1.2.3.4'],
      );
      const [parsed] = req.certIds;
      assert.ok(parsed);
      assert.equal(parsed.hashAlgorithm, alg);
      assert.deepEqual(parsed.issuerNameHash, id.issuerNameHash);
      assert.deepEqual(parsed.issuerKeyHash, id.issuerKeyHash);
      assert.equal(parsed.serialNumber, 0x00ff_ffff_ffffn);
      assert.equal(parsed.serialHex, 'FFFFFFFFFF');
      assert.deepEqual(parsed.der, encodeCertId(id));
      assert.equal(matchCertId(parsed, issuerOf(pki.sub.certificate)), true);
      assert.equal(matchCertId(parsed, issuerOf(pki.root.certificate)), false);
    }
  });

  test('property: any CertID list round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            alg: fc.constantFrom('sha1' as const, 'sha256' as const, 'sha384' as const, 'sha512' as const),
            serial: fc.bigInt({ min: 1n, max: (1n << 159n) - 1n }),
          }),
          { minLength: 1, maxLength: OCSP_MAX_CERT_IDS },
        ),
        (items) => {
          const ids = items.map((i) => certIdFor(issuerOf(pki.sub.certificate), i.serial, i.alg));
          const req = parseOcspRequest(buildRequest({ certIds: ids.map(encodeCertId) }));
          assert.deepEqual(
            req.certIds.map((c) => [c.hashAlgorithm, c.serialNumber]),
            items.map((i) => [i.alg, i.serial]),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  test('hash algorithm parameters may be absent (RFC 5754)', () => {
    const bare = sequence(
      sequence(oid(OID.sha256)),
      octetString(certId.issuerNameHash),
      octetString(certId.issuerKeyHash),
      integer(certId.serialNumber),
    );
    const [parsed] = parseOcspRequest(buildRequest({ certIds: [bare] })).certIds;
    assert.equal(parsed?.hashAlgorithm, 'sha256');
    assert.deepEqual(parsed?.der, bare);
  });

  test('rejects unsupported versions, hashes and critical extensions as ocsp.unsupported', () => {
    const md5 = sequence(
      sequence(oid('1.2.840.113549.2.5'), DER_NULL),
      octetString(new Uint8Array(16)),
      octetString(new Uint8Array(16)),
      integer(1n),
    );
    const cases = [
      buildRequest({ certIds: [encodeCertId(certId)], version: 1n }),
      buildRequest({ certIds: [md5] }),
      buildRequest({ certIds: [encodeCertId(certId)], extensions: [extension('1.2.3.4', true, DER_NULL)] }),
      buildRequest({
        certIds: [encodeCertId(certId)],
        singleExtensions: [extension('1.2.3.5', true, DER_NULL)],
      }),
    ];
    for (const der of cases) assert.throws(() => parseOcspRequest(der), hasCode('ocsp.unsupported'));
  });

  test('rejects malformed requests as ocsp.malformed', () => {
    const good = buildRequest({ certIds: [encodeCertId(certId)] });
    const shortHash = sequence(
      sequence(oid(OID.sha256), DER_NULL),
      octetString(new Uint8Array(20)),
      octetString(certId.issuerKeyHash),
      integer(1n),
    );
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['trailing byte', Uint8Array.of(...good, 0)],
      ['empty request list', buildRequest({ certIds: [] })],
      [
        'too many CertIDs',
        buildRequest({ certIds: Array(OCSP_MAX_CERT_IDS + 1).fill(encodeCertId(certId)) }),
      ],
      ['hash length', buildRequest({ certIds: [shortHash] })],
      [
        'empty nonce',
        buildRequest({ certIds: [encodeCertId(certId)], extensions: [nonceExtension(new Uint8Array(0))] }),
      ],
      [
        '129-octet nonce',
        buildRequest({ certIds: [encodeCertId(certId)], extensions: [nonceExtension(new Uint8Array(129))] }),
      ],
      [
        'nonce not wrapped in an OCTET STRING',
        buildRequest({
          certIds: [encodeCertId(certId)],
          extensions: [sequence(oid(OID.ocspNonce), octetString(new Uint8Array(16).fill(0xab)))],
        }),
      ],
      [
        'duplicate extension',
        buildRequest({
          certIds: [encodeCertId(certId)],
          extensions: [nonceExtension(new Uint8Array(16)), nonceExtension(new Uint8Array(16))],
        }),
      ],
      ['indefinite length', Uint8Array.of(0x30, 0x80, ...good.subarray(2), 0, 0)],
      ['a certificate', pki.sub.certificate],
      ['1 MB', new Uint8Array(1024 * 1024).fill(0x30)],
    ];
    for (const [name, der] of cases)
      assert.throws(() => parseOcspRequest(der), hasCode('ocsp.malformed'), name);
    assert.throws(
      () => parseOcspRequest(new Uint8Array(1024 * 1024)),
      (e: unknown) => isAppError(e) && e.code === 'ocsp.malformed' && e.details?.limit === 64 * 1024,
    );
  });

  test('every truncation of a valid request is a clean ocsp.malformed', () => {
    const good = buildRequest({
      certIds: [encodeCertId(certId)],
      extensions: [nonceExtension(new Uint8Array(16))],
    });
    for (let n = 0; n < good.byteLength; n++) {
      assert.throws(() => parseOcspRequest(good.subarray(0, n)), hasCode('ocsp.malformed'), `length ${n}`);
    }
  });

  test('deep nesting inside 64 KiB is refused without a stack overflow', () => {
    const depth = 20_000;
    const der = new Uint8Array(depth * 2);
    for (let i = 0; i < depth; i++) {
      der[i * 2] = 0x30;
      der[i * 2 + 1] = 0x80;
    }
    assert.throws(() => parseOcspRequest(der), hasCode('ocsp.malformed'));
  });

  test('property: random bytes and byte mutations never throw anything but ocsp.* AppErrors', () => {
    const good = buildRequest({
      certIds: [encodeCertId(certId)],
      extensions: [nonceExtension(new Uint8Array(16))],
    });
    const check = (der: Uint8Array) => {
      try {
        parseOcspRequest(der);
      } catch (e) {
        assert.ok(e instanceof AppError, `non-AppError thrown: ${String(e)}`);
        assert.ok(e.code === 'ocsp.malformed' || e.code === 'ocsp.unsupported', e.code);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), check), { numRuns: 500 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.byteLength - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (mutations) => {
          const der = good.slice();
          for (const [at, value] of mutations) der[at] = value;
          check(der);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseOcspRequest vs the asn1js reference parser (D-090)', () => {
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki('P-256');
  });

  /**
   * What a parser made of some bytes: the request, or that it refused them. Both refusal codes
   * (ocsp.malformed, ocsp.unsupported) give the same OCSP answer, malformedRequest; which one comes
   * first when a request has both kinds of defect may differ (asn1js checks some primitives while
   * building its tree, the reader when it reads them), so the code is not compared.
   */
  function outcome(parse: (der: Uint8Array) => unknown, der: Uint8Array): unknown {
    try {
      return { ok: parse(der) };
    } catch (e) {
      assert.ok(e instanceof AppError, `non-AppError thrown: ${String(e)}`);
      assert.ok(e.code === 'ocsp.malformed' || e.code === 'ocsp.unsupported', e.code);
      return { refused: true, message: e.message };
    }
  }

  /**
   * False when asn1js accepted an element whose children overrun its declared length (it lets
   * `30 02 06 03 2A 03 04` pass as a 7-byte SEQUENCE): not DER (X.690 §8.1.1.3), and the one
   * difference on purpose — the hand-written reader refuses it as ocsp.malformed.
   */
  function asn1jsLengthsConsistent(der: Uint8Array): boolean {
    let parsed: asn1js.FromBerResult;
    try {
      parsed = asn1js.fromBER(der);
    } catch {
      return true; // asn1js throws on some primitives (GeneralizedTime text): the reference refuses
    }
    if (parsed.offset === -1) return true;
    const check = (node: asn1js.AsnType): boolean => {
      const block = node as asn1js.BaseBlock;
      if (
        block.valueBeforeDecodeView.byteLength !==
        block.idBlock.blockLength + block.lenBlock.blockLength + block.lenBlock.length
      ) {
        return false;
      }
      const value = (node.valueBlock as { value?: unknown }).value;
      return (
        !node.idBlock.isConstructed || !Array.isArray(value) || value.every((c) => check(c as asn1js.AsnType))
      );
    };
    return check(parsed.result);
  }

  function expectSameOutcome(der: Uint8Array): void {
    const ours = outcome(parseOcspRequest, der) as { ok?: unknown; refused?: true };
    if (!asn1jsLengthsConsistent(der)) {
      assert.equal(ours.refused, true, 'children overrunning their parent are refused');
      return;
    }
    const reference = outcome(referenceParseOcspRequest, der) as { ok?: unknown; message?: string };
    // asn1js also parses GeneralizedTime text in parts the parser ignores (requestorName,
    // optionalSignature); the reader does not interpret times it does not read.
    if (/Wrong input string for conversion/.test(reference.message ?? '') && ours.ok !== undefined) return;
    assert.deepEqual(ours.ok, reference.ok, Buffer.from(der).toString('hex'));
    assert.equal(ours.refused, reference.ok === undefined ? true : undefined);
  }

  const requestArbitrary = () =>
    fc
      .record({
        ids: fc.array(
          fc.record({
            alg: fc.constantFrom('sha1' as const, 'sha256' as const, 'sha384' as const, 'sha512' as const),
            serial: fc.bigInt({ min: -(1n << 70n), max: (1n << 170n) - 1n }),
            bareParameters: fc.boolean(),
          }),
          { minLength: 0, maxLength: 4 },
        ),
        version: fc.option(fc.bigInt({ min: -1n, max: 2n }), { nil: undefined }),
        requestorName: fc.boolean(),
        signed: fc.boolean(),
        nonce: fc.option(fc.integer({ min: 0, max: 130 }), { nil: undefined }),
        extra: fc.option(fc.tuple(fc.constantFrom('1.2.3.4', OID.ocspAcceptableResponses), fc.boolean()), {
          nil: undefined,
        }),
        single: fc.option(fc.tuple(fc.constantFrom('1.2.3.5', OID.ocspServiceLocator), fc.boolean()), {
          nil: undefined,
        }),
      })
      .map((r) => {
        const issuer = issuerOf(pki.sub.certificate);
        const certIds = r.ids.map((i) => {
          const id = certIdFor(issuer, i.serial, i.alg);
          return i.bareParameters
            ? sequence(
                sequence(oid(OID[i.alg])),
                octetString(id.issuerNameHash),
                octetString(id.issuerKeyHash),
                integer(i.serial),
              )
            : encodeCertId(id);
        });
        const extensions = [
          ...(r.nonce === undefined ? [] : [nonceExtension(new Uint8Array(r.nonce).fill(7))]),
          ...(r.extra === undefined ? [] : [extension(r.extra[0], r.extra[1], DER_NULL)]),
        ];
        return buildRequest({
          certIds,
          ...(r.version === undefined ? {} : { version: r.version }),
          requestorName: r.requestorName,
          signed: r.signed,
          ...(extensions.length === 0 ? {} : { extensions }),
          ...(r.single === undefined
            ? {}
            : { singleExtensions: [extension(r.single[0], r.single[1], DER_NULL)] }),
        });
      });

  test('property: same result or same error code on generated requests and on mutations of them', () => {
    fc.assert(
      fc.property(
        requestArbitrary(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.option(fc.nat(), { nil: undefined }),
        (request, mutations, cut) => {
          const der = request.slice();
          for (const [at, value] of mutations) der[at % der.byteLength] = value;
          const input = cut === undefined ? der : der.subarray(0, cut % (der.byteLength + 1));
          expectSameOutcome(input);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('long-form lengths are tolerated even when not minimal; children overrunning their parent are not', () => {
    const id = certIdFor(issuerOf(pki.sub.certificate), 0x1001n, 'sha256');
    const inner = sequence(sequence(sequence(encodeCertId(id))));
    // The outer SEQUENCE with a 4-octet length (BER-style, accepted before and now).
    const padded = Uint8Array.of(0x30, 0x84, 0, 0, 0, inner.byteLength, ...inner);
    assert.equal(parseOcspRequest(padded).certIds[0]?.serialNumber, 0x1001n);
    assert.deepEqual(outcome(referenceParseOcspRequest, padded), outcome(parseOcspRequest, padded));
    // requestList declared 2 octets shorter than its Request: asn1js let this pass.
    const list = sequence(sequence(encodeCertId(id)));
    const overrun = sequence(sequence(Uint8Array.of(0x30, list.byteLength - 4, ...list.subarray(2))));
    assert.equal(asn1jsLengthsConsistent(overrun), false);
    assert.throws(() => parseOcspRequest(overrun), hasCode('ocsp.malformed'));
  });

  test('property: same outcome on random bytes under a SEQUENCE header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        expectSameOutcome(sequence(body));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeOcspGetPath', () => {
  test('property: every client encoding decodes to the same bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Uint8Array.of(0x30, ...b)),
        (der) => {
          const b64 = Buffer.from(der).toString('base64');
          for (const path of [
            encodeOcspGetPath(der),
            b64,
            `//${b64}`,
            b64.replace(/\+/g, ' '),
            b64.replace(/\+/g, '%20'),
            Buffer.from(der).toString('base64url'),
            (b64.match(/.{1,64}/g) ?? []).join('\r\n'),
          ]) {
            assert.deepEqual(decodeOcspGetPath(path), der, path);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('rejects what is not base64', () => {
    for (const path of [
      '',
      '/',
      '%zz',
      '%4',
      'MA==MA==',
      'M',
      'MA=',
      'MAA==',
      'MA!!',
      'MA%C3%A9',
      'x'.repeat(300_000),
    ]) {
      assert.throws(() => decodeOcspGetPath(path), hasCode('ocsp.malformed'), path.slice(0, 20));
    }
  });
});

test('decodeHexOcspBody accepts CitrineOS hex bodies and leaves DER alone', () => {
  const der = Uint8Array.from(Buffer.from('3043304130', 'hex'));
  assert.deepEqual(decodeHexOcspBody(new TextEncoder().encode('3043304130')), der);
  assert.deepEqual(decodeHexOcspBody(new TextEncoder().encode('30 43 30\n41 30\n')), der);
  assert.equal(decodeHexOcspBody(new TextEncoder().encode('304')), undefined);
  assert.equal(decodeHexOcspBody(sequence(sequence(oid(OID.sha1), DER_NULL))), undefined);
});

test('ocspErrorResponse encodes OCSPResponse { responseStatus } only', () => {
  assert.deepEqual(ocspErrorResponse('malformedRequest'), Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x01));
  assert.deepEqual(ocspErrorResponse('internalError'), Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x02));
  assert.deepEqual(ocspErrorResponse('tryLater'), Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03));
  assert.deepEqual(ocspErrorResponse('unauthorized'), Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x06));
  assert.equal(ocspErrorStatusFor(appError('ocsp.malformed', 'x')), 'malformedRequest');
  assert.equal(ocspErrorStatusFor(appError('ocsp.unsupported', 'x')), 'malformedRequest');
  assert.equal(ocspErrorStatusFor(appError('signer.hsm-unavailable', 'x')), 'tryLater');
  assert.equal(ocspErrorStatusFor(new Error('bug')), 'internalError');
});

describe('buildOcspResponse', () => {
  for (const algorithm of ['P-256', 'P-521', 'Ed448'] as const) {
    test(`${algorithm}: structure, echoed CertID and nonce, signature verifies with node:crypto`, async () => {
      const pki = await createTestPki(algorithm);
      const issuer = issuerOf(pki.sub.certificate);
      // A CertID without hash parameters, as some clients send it: must come back byte for byte.
      const base = certIdFor(issuer, 0x1001n, 'sha256');
      const bare = sequence(
        sequence(oid(OID.sha256)),
        octetString(base.issuerNameHash),
        octetString(base.issuerKeyHash),
        integer(base.serialNumber),
      );
      const [echo] = parseOcspRequest(buildRequest({ certIds: [bare] })).certIds;
      assert.ok(echo);
      const nonce = Uint8Array.from({ length: 20 }, (_, i) => 255 - i);
      const wholeSecond = Math.floor(Date.now() / 1000) * 1000;
      const now = new Date(wholeSecond + 999);
      const der = await buildOcspResponse({
        responder: {
          signer: pki.responder.signer,
          certificate: pki.responder.certificate,
          includeCertificates: true,
        },
        responderId: 'byName',
        producedAt: now,
        nonce,
        responses: [
          { certId: echo, status: 'good', thisUpdate: now, nextUpdate: new Date(now.getTime() + HOUR) },
          {
            certId: certIdFor(issuer, 0x1002n, 'sha1'),
            status: { revoked: { time: new Date('2030-01-01T00:00:00Z'), reason: 4 } },
            thisUpdate: now,
            nextUpdate: new Date(now.getTime() + HOUR),
          },
        ],
      });
      const response = pkijs.OCSPResponse.fromBER(der);
      assert.equal(response.responseStatus.valueBlock.valueDec, 0);
      const bytes = response.responseBytes;
      assert.ok(bytes);
      assert.equal(bytes.responseType, OID.ocspBasic);
      const basic = pkijs.BasicOCSPResponse.fromBER(bytes.response.valueBlock.valueHexView);
      assert.equal(basic.certs?.length, 1);
      const data = basic.tbsResponseData;
      assert.equal(data.producedAt.getTime(), wholeSecond, 'whole seconds');
      assert.equal(data.responses.length, 2);
      const [first, second] = data.responses;
      assert.deepEqual(new Uint8Array(first?.certID.toSchema().toBER() ?? new ArrayBuffer(0)), bare);
      assert.equal(first?.certStatus.idBlock.tagNumber, 0, 'good [0]');
      assert.equal(second?.certStatus.idBlock.tagNumber, 1, 'revoked [1]');
      const nonceExt = data.responseExtensions?.find((e) => e.extnID === OID.ocspNonce);
      assert.ok(nonceExt);
      assert.deepEqual(new Uint8Array(nonceExt.extnValue.valueBlock.valueHexView), octetString(nonce));
      // Signature over the DER of tbsResponseData with the responder key.
      const spki = await pki.responder.signer.publicKeySpki();
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      const digest = algorithm === 'P-256' ? 'sha256' : algorithm === 'P-521' ? 'sha512' : null;
      const tbs = data.tbsView;
      assert.equal(
        basic.signatureAlgorithm.algorithmId,
        { 'P-256': OID.ecdsaWithSha256, 'P-521': OID.ecdsaWithSha512, Ed448: OID.ed448 }[algorithm],
      );
      assert.equal(basic.signatureAlgorithm.algorithmParams, undefined, 'parameters absent');
      assert.ok(verify(digest, tbs, key, basic.signature.valueBlock.valueHexView));
    });
  }

  describe('refuses inconsistent input with ocsp.responder', () => {
    let pki: TestPki;
    let certId: CertId;
    const now = new Date();
    const later = new Date(now.getTime() + HOUR);
    before(async () => {
      pki = await createTestPki('P-256');
      certId = certIdFor(issuerOf(pki.sub.certificate), 0x1001n, 'sha256');
    });
    const base = () => ({
      responder: { signer: pki.sub.signer, certificate: pki.sub.certificate, includeCertificates: false },
      responderId: 'byKey' as const,
      producedAt: now,
      responses: [{ certId, status: 'good' as const, thisUpdate: now, nextUpdate: later }],
    });

    test('key and certificate differ', async () => {
      await assert.rejects(
        buildOcspResponse({ ...base(), responder: { ...base().responder, signer: pki.root.signer } }),
        hasCode('ocsp.responder'),
      );
    });

    test('CertID of another issuer', async () => {
      const foreign = certIdFor(issuerOf(pki.root.certificate), 2n, 'sha256');
      const rootOfOther = await createTestPki('P-256');
      const other = certIdFor(issuerOf(rootOfOther.sub.certificate), 5n, 'sha256');
      for (const id of [other]) {
        await assert.rejects(
          buildOcspResponse({ ...base(), responses: [{ ...base().responses[0], certId: id }] }),
          hasCode('ocsp.responder'),
        );
      }
      // The sub CA may not answer for certificates issued by the root either.
      await assert.rejects(
        buildOcspResponse({ ...base(), responses: [{ ...base().responses[0], certId: foreign }] }),
        hasCode('ocsp.responder'),
      );
    });

    test('delegated responder without id-kp-OCSPSigning or without id-pkix-ocsp-nocheck', async () => {
      const key = generateTestSigner('P-256');
      for (const variant of [
        { extKeyUsage: [OID.kpClientAuth], ocspNoCheck: true },
        { extKeyUsage: [OID.kpOcspSigning], ocspNoCheck: false },
      ]) {
        const certificate = await buildTestCertificate({
          subject: [['CN', 'Bad responder']],
          subjectKey: key,
          issuer: pki.sub,
          serial: 99n,
          ...validityAroundNow(),
          keyUsage: ['digitalSignature'],
          ...variant,
        });
        await assert.rejects(
          buildOcspResponse({
            ...base(),
            responder: { signer: key, certificate, includeCertificates: true },
          }),
          hasCode('ocsp.responder'),
        );
      }
    });

    test('bad dates, reasons, nonce, CertID echo and empty lists', async () => {
      const r0 = () => base().responses[0];
      const bad: Parameters<typeof buildOcspResponse>[0][] = [
        { ...base(), responses: [] },
        { ...base(), responses: [{ ...r0(), nextUpdate: now }] },
        { ...base(), producedAt: new Date(Number.NaN) },
        { ...base(), producedAt: new Date('2100-01-01T00:00:00Z') },
        { ...base(), responses: [{ ...r0(), status: { revoked: { time: now, reason: 7 } } }] },
        { ...base(), responses: [{ ...r0(), status: { revoked: { time: now, reason: 11 } } }] },
        { ...base(), responses: [{ ...r0(), status: { revoked: { time: new Date(Number.NaN) } } }] },
        { ...base(), nonce: new Uint8Array(0) },
        { ...base(), nonce: new Uint8Array(129) },
        {
          ...base(),
          responses: [{ ...r0(), certId: { ...certId, der: encodeCertId({ ...certId, serialNumber: 2n }) } }],
        },
        { ...base(), responses: [{ ...r0(), certId: { ...certId, issuerNameHash: new Uint8Array(3) } }] },
        { ...base(), responder: { ...base().responder, certificate: new Uint8Array([0x30, 0x00]) } },
      ];
      for (const [i, input] of bad.entries()) {
        await assert.rejects(buildOcspResponse(input), hasCode('ocsp.responder'), `case ${i}`);
      }
    });
  });
});

describe('OcspResponseCache', () => {
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki('P-256');
  });
  const t0 = new Date('2030-01-01T00:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  test('serves until nextUpdate, refreshes before it, invalidates on revocation', () => {
    const issuer = issuerOf(pki.sub.certificate);
    const cache = new OcspResponseCache({ refreshMarginMs: 10 * 60_000 });
    const a = certIdFor(issuer, 1n, 'sha256');
    const aSha1 = certIdFor(issuer, 1n, 'sha1');
    const b = certIdFor(issuer, 2n, 'sha256');
    cache.put(a, { der: Uint8Array.of(1), thisUpdate: t0, nextUpdate: at(60) });
    cache.put(aSha1, { der: Uint8Array.of(2), thisUpdate: t0, nextUpdate: at(60) });
    cache.put(b, { der: Uint8Array.of(3), thisUpdate: t0, nextUpdate: at(30) });
    assert.equal(cache.size, 3);
    assert.deepEqual(cache.get(a, at(0)), Uint8Array.of(1));
    assert.deepEqual(cache.get({ ...a }, at(59)), Uint8Array.of(1), 'keyed by value, not identity');
    assert.deepEqual(cache.needsRefresh(at(0)), []);
    assert.deepEqual(
      cache.needsRefresh(at(20)).map((e) => e.certId.serialNumber),
      [2n],
    );
    assert.deepEqual(
      cache.needsRefresh(at(55)).map((e) => [e.certId.serialNumber, e.certId.hashAlgorithm]),
      [
        [2n, 'sha256'],
        [1n, 'sha256'],
        [1n, 'sha1'],
      ],
      'most urgent first, expired ones included',
    );
    assert.equal(cache.get(b, at(30)), undefined, 'never served at or past nextUpdate');
    assert.equal(cache.size, 2);
    assert.equal(cache.invalidate(issuer, 1n), 2, 'every hash algorithm of the serial');
    assert.equal(cache.get(aSha1, at(0)), undefined);
    assert.equal(cache.size, 0);
  });

  test('bounded size evicts the oldest insertion; bad input is refused', () => {
    const issuer = issuerOf(pki.sub.certificate);
    const cache = new OcspResponseCache({ refreshMarginMs: 0, maxEntries: 2 });
    for (const serial of [1n, 2n, 3n]) {
      cache.put(certIdFor(issuer, serial, 'sha256'), {
        der: Uint8Array.of(Number(serial)),
        thisUpdate: t0,
        nextUpdate: at(60),
      });
    }
    assert.equal(cache.size, 2);
    assert.equal(cache.get(certIdFor(issuer, 1n, 'sha256'), t0), undefined);
    assert.deepEqual(cache.get(certIdFor(issuer, 3n, 'sha256'), t0), Uint8Array.of(3));
    assert.throws(() => new OcspResponseCache({ refreshMarginMs: -1 }), RangeError);
    assert.throws(() => new OcspResponseCache({ refreshMarginMs: 0, maxEntries: 0 }), RangeError);
    assert.throws(
      () =>
        cache.put(certIdFor(issuer, 4n, 'sha256'), {
          der: Uint8Array.of(1),
          thisUpdate: at(5),
          nextUpdate: at(5),
        }),
      RangeError,
    );
  });

  test('entries are copies: callers cannot change cached bytes', () => {
    const cache = new OcspResponseCache({ refreshMarginMs: 0 });
    const id = certIdFor(issuerOf(pki.sub.certificate), 7n, 'sha256');
    const der = Uint8Array.of(1, 2, 3);
    cache.put(id, { der, thisUpdate: t0, nextUpdate: at(1) });
    der[0] = 9;
    const out = cache.get(id, t0);
    assert.deepEqual(out, Uint8Array.of(1, 2, 3));
    if (out) out[1] = 9;
    assert.deepEqual(cache.get(id, t0), Uint8Array.of(1, 2, 3));
  });
});

test('asn1js is the parser underneath (sanity: our DER helpers agree with it)', () => {
  const der = sequence(integer(-129n), integer(255n), integer(0n));
  const parsed = asn1js.fromBER(der);
  const values = (parsed.result as asn1js.Sequence).valueBlock.value.map((v) =>
    (v as asn1js.Integer).toBigInt(),
  );
  assert.deepEqual(values, [-129n, 255n, 0n]);
});

test('property: tlv lengths and times are the DER that asn1js reads back', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 70_000 }), (size) => {
      const der = tlv(0x04, new Uint8Array(size).fill(0xa5));
      const parsed = asn1js.fromBER(der);
      assert.equal(parsed.offset, der.byteLength);
      assert.equal((parsed.result as asn1js.OctetString).valueBlock.valueHexView.byteLength, size);
      // DER: the minimal length form (X.690 §10.1).
      const lengthOctets = size < 0x80 ? 1 : 1 + Math.ceil(Math.log2(size + 1) / 8);
      assert.equal(der.byteLength, 1 + lengthOctets + size);
    }),
    { numRuns: 300 },
  );
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  fc.assert(
    fc.property(
      fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') }),
      (d) => {
        if (Number.isNaN(d.getTime())) return;
        const fields =
          pad(d.getUTCMonth() + 1, 2) +
          pad(d.getUTCDate(), 2) +
          pad(d.getUTCHours(), 2) +
          pad(d.getUTCMinutes(), 2) +
          pad(d.getUTCSeconds(), 2);
        const general = generalizedTime(d);
        assert.deepEqual(
          general,
          tlv(0x18, new TextEncoder().encode(`${pad(d.getUTCFullYear(), 4)}${fields}Z`)),
        );
        const year = d.getUTCFullYear();
        assert.deepEqual(
          x509Time(d),
          year >= 1950 && year <= 2049
            ? tlv(0x17, new TextEncoder().encode(`${pad(year % 100, 2)}${fields}Z`))
            : general,
        );
      },
    ),
    { numRuns: 500 },
  );
});
