// Issuance from PKCS#10 requests made by openssl (P-256 for -2, P-521 for -20), and hostile requests
// (garbage, 1 MB, tampered signature, wrong curve, CN breaking the role's identifier rule, CA powers
// asked for): a clear error, nothing issued, nothing stored. On both storage backends.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { hasOpenssl, OPENSSL_SKIP, openssl, TempDir } from '../pki/ocsp/testing/test-pki.ts';
import { parseCertificate } from '../pki/ocsp/x509.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import {
  assertConforms,
  fastKeyStore,
  newTestCa,
  opensslVerify,
  storedCounts,
  type TestCa,
} from './testing/fixtures.ts';
import type { CaView, CsrLeafRole } from './types.ts';

const skip = hasOpenssl() ? false : OPENSSL_SKIP;
if (skip !== false) console.log(skip);

const keys = fastKeyStore();
after(() => keys.remove());
const dir = new TempDir();
after(() => dir.remove());

/** A DER CSR from `openssl req` (fresh key; extra arguments such as -addext). */
function csr(
  name: string,
  keyArgs: readonly string[],
  subject: string,
  extra: readonly string[] = [],
): Uint8Array {
  const out = dir.file(`${name}.der`);
  const r = openssl([
    'req',
    '-new',
    ...keyArgs,
    '-nodes',
    '-keyout',
    dir.file(`${name}.key`),
    '-subj',
    subject,
    ...extra,
    '-outform',
    'DER',
    '-out',
    out,
  ]);
  assert.equal(r.status, 0, r.output);
  return new Uint8Array(readFileSync(out));
}

const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const P521 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'];
const CSRS: Record<string, Uint8Array> = {};

before(() => {
  if (skip !== false) return;
  CSRS.cpo = csr('cpo', P256, '/C=DE/O=PnC Test/CN=DE*ICE*E45B*78C', [
    '-addext',
    'subjectAltName=DNS:evil.example',
  ]);
  CSRS.cpoLoose = csr('cpo-loose', P256, '/O=Thoughtworks/CN=cs001');
  CSRS.mo20 = csr('mo20', P521, '/C=DE/O=PnC Test/CN=DEABCC123ABC56');
  CSRS.mo20p256 = csr('mo20-p256', P256, '/C=DE/O=PnC Test/CN=DEABCC123ABC56');
  CSRS.moBadCn = csr('mo-bad-cn', P256, '/C=DE/O=PnC Test/CN=not-an-emaid');
  CSRS.moBadCheck = csr('mo-bad-check', P256, '/C=DE/CN=DEABCC123ABC56X');
  CSRS.moWrongDc = csr('mo-wrong-dc', P256, '/DC=CPO/CN=DEABCC123ABC56');
  CSRS.moCa = csr('mo-ca', P256, '/CN=DEABCC123ABC56', ['-addext', 'basicConstraints=critical,CA:TRUE']);
  CSRS.oem = csr('oem', P256, '/O=PnC Test/CN=WMI1234567ABCDEFG');
});

function code(error: unknown): string {
  assert.ok(isAppError(error), String(error));
  return error.code;
}

interface Setup {
  readonly ca: TestCa;
  readonly cpo2: CaView;
  readonly mo2: CaView;
  readonly oem2: CaView;
  readonly mo20: CaView;
}

async function setUp(db: Database): Promise<Setup> {
  const ca = await newTestCa(db, keys);
  const subject = { organization: 'PnC Test', country: 'DE' };
  const root2 = await ca.service.createRoot({
    kind: 'v2g',
    iso: 2,
    subject: { ...subject, commonName: 'Root 2' },
  });
  const root20 = await ca.service.createRoot({
    kind: 'v2g',
    iso: 20,
    subject: { ...subject, commonName: 'Root 20' },
  });
  const sub = (parentId: string, domain: 'cpo' | 'mo' | 'oem', cn: string) =>
    ca.service.createSubCa({ parentId, level: 2, domain, subject: { commonName: cn } });
  return {
    ca,
    cpo2: await sub(root2.id, 'cpo', 'CPO Sub2 2'),
    mo2: await sub(root2.id, 'mo', 'MO Sub2 2'),
    oem2: await sub(root2.id, 'oem', 'OEM Sub2 2'),
    mo20: await sub(root20.id, 'mo', 'MO Sub2 20'),
  };
}

forEachBackend('ca issuance from CSRs', (getDb) => {
  test('openssl CSRs: SECC (-2, P-256), contract (-20, P-521), OEM provisioning; nothing copied from the request', {
    skip,
  }, async () => {
    const db = getDb();
    const { ca, cpo2, mo20, oem2 } = await setUp(db);
    const at = ca.clock.now();

    const secc = await ca.service.issueFromCsr({
      caId: cpo2.id,
      csrDer: CSRS.cpo as Uint8Array,
      role: 'CPO',
    });
    // DC from the profile, not from the request; the requested SAN is not issued (P-026, C1).
    assert.equal(secc.subject, 'CN=DE*ICE*E45B*78C,DC=CPO,O=PnC Test,C=DE');
    const seccInfo = parseCertificate(secc.certificate);
    assert.equal(
      seccInfo.extensions.find((e) => e.oid === '2.5.29.17'),
      undefined,
    );
    assert.deepEqual(seccInfo.keyUsageBits, [0, 4], 'digitalSignature, keyAgreement (P-003)');
    const seccChain = await ca.service.chain(secc.id);
    assertConforms(seccChain, 'iso15118-2/secc-leaf', at);
    assert.ok(opensslVerify(seccChain, at).ok);

    const contract = await ca.service.issueFromCsr({
      caId: mo20.id,
      csrDer: CSRS.mo20 as Uint8Array,
      role: 'MO',
    });
    assert.equal(contract.profileId, 'iso15118-20/contract-leaf');
    assert.equal(parseCertificate(contract.certificate).subjectKeyIdentifier?.length, 8);
    const contractChain = await ca.service.chain(contract.id);
    assertConforms(contractChain, 'iso15118-20/contract-leaf', at);
    assert.ok(opensslVerify(contractChain, at).ok);

    const prov = await ca.service.issueFromCsr({
      caId: oem2.id,
      csrDer: CSRS.oem as Uint8Array,
      role: 'OEM',
    });
    assert.equal(prov.profileId, 'iso15118-2/oem-prov-leaf');
    // No C in the request: only the warning for the missing C.
    assert.deepEqual(
      prov.lintWarnings.map((w) => w.code),
      ['v2g.subject.attribute-missing'],
    );

    // A CPO CN that is no EVSEID: refused unless the lenient switch is on (MaEVe enrols `cs001`).
    await assert.rejects(
      ca.service.issueFromCsr({ caId: cpo2.id, csrDer: CSRS.cpoLoose as Uint8Array, role: 'CPO' }),
      (e) => code(e) === 'csr.policy' && /cs001/.test((e as Error).message),
    );
    const loose = await ca.service.issueFromCsr({
      caId: cpo2.id,
      csrDer: CSRS.cpoLoose as Uint8Array,
      role: 'CPO',
      lenientCommonName: true,
    });
    assert.ok(loose.lintWarnings.some((w) => w.code === 'v2g.subject.cn-identifier'));
  });

  test('hostile and non-conforming CSRs: a clear error, nothing issued, nothing stored', async () => {
    const db = getDb();
    const { ca, cpo2, mo2, mo20 } = await setUp(db);
    const before = await storedCounts(db);
    const cases: [string, string, CsrLeafRole, Uint8Array, string, RegExp][] = [
      ['garbage', mo2.id, 'MO', new Uint8Array(randomBytes(300)), 'csr.malformed', /CSR/],
      ['empty', mo2.id, 'MO', new Uint8Array(0), 'csr.malformed', /CSR/],
      ['1 MB', mo2.id, 'MO', new Uint8Array(1024 * 1024).fill(0x30), 'csr.malformed', /too large/],
    ];
    if (skip === false) {
      const tampered = (CSRS.cpo as Uint8Array).slice();
      tampered[tampered.length - 2] = (tampered[tampered.length - 2] as number) ^ 0x01;
      const truncated = (CSRS.cpo as Uint8Array).slice(0, -5);
      cases.push(
        ['tampered signature', cpo2.id, 'CPO', tampered, 'csr.signature', /signature|possession/i],
        ['truncated', cpo2.id, 'CPO', truncated, 'csr.malformed', /CSR/],
        [
          'P-256 key for -20',
          mo20.id,
          'MO',
          CSRS.mo20p256 as Uint8Array,
          'csr.policy',
          /P-256 key not allowed for ISO 15118-20/,
        ],
        [
          'P-521 key for -2',
          mo2.id,
          'MO',
          CSRS.mo20 as Uint8Array,
          'csr.policy',
          /P-521 key not allowed for ISO 15118-2/,
        ],
        ['CN not an EMAID', mo2.id, 'MO', CSRS.moBadCn as Uint8Array, 'csr.policy', /not-an-emaid/],
        [
          'EMAID with a wrong check digit',
          mo2.id,
          'MO',
          CSRS.moBadCheck as Uint8Array,
          'csr.policy',
          /check digit/,
        ],
        ['DC of another role', mo2.id, 'MO', CSRS.moWrongDc as Uint8Array, 'csr.policy', /DC must be MO/],
        ['CA powers requested', mo2.id, 'MO', CSRS.moCa as Uint8Array, 'csr.policy', /cA=TRUE/],
        [
          'wrong issuer for the role',
          cpo2.id,
          'MO',
          CSRS.mo20 as Uint8Array,
          'ca.issuer-unusable',
          /contract/i,
        ],
        ['unknown CA', 'ca-0000000000000000', 'MO', CSRS.mo20 as Uint8Array, 'ca.not-found', /no CA/],
        ['vehicle role in -2', mo2.id, 'VEH', CSRS.mo20 as Uint8Array, 'ca.invalid-request', /vehicle-leaf/],
      );
    }
    for (const [name, caId, role, der, expected, message] of cases) {
      await assert.rejects(
        ca.service.issueFromCsr({ caId, csrDer: der, role }),
        (e) => {
          assert.equal(code(e), expected, `${name}: ${(e as Error).message}`);
          assert.match((e as Error).message, message, name);
          return true;
        },
        name,
      );
    }
    assert.deepEqual(await storedCounts(db), before, 'nothing stored');
    assert.equal((await keys.list()).length > 0, true);
  });
});
