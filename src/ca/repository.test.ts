// The CA repository on both storage backends: reservation before signing with unique serials per
// issuer and unique CA names, the issued / failed transitions, revocation outcomes, and the
// append-only audit log (triggers refuse UPDATE and DELETE).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import type { AuditInput, NewCaRow, ReservationRow } from './repository.ts';
import { SqlCaRepository } from './repository.ts';
import { FakeClock, migrateCa } from './testing/fixtures.ts';

const T0 = new Date('2027-01-01T00:00:00.000Z');

function caRow(id: string, name: string, overrides: Partial<NewCaRow> = {}): NewCaRow {
  return {
    id,
    name,
    iso: '2',
    role: 'v2g-root',
    profileId: 'iso15118-2/v2g-root',
    parentId: null,
    subject: `CN=${name}`,
    keyId: `key-${id}`,
    keyBackend: 'software',
    keyAlgorithm: 'P-256',
    external: false,
    status: 'pending',
    createdAt: T0,
    ...overrides,
  };
}

function reservation(
  id: string,
  issuerCaId: string,
  serial: string,
  subjectCaId: string | null = null,
): ReservationRow {
  return {
    id,
    issuerCaId,
    serial,
    profileId: 'iso15118-2/cps-leaf',
    subject: `CN=${id}`,
    subjectCaId,
    tbsDer: Uint8Array.of(0x30, 0x00),
    notBefore: T0,
    notAfter: new Date(T0.getTime() + 86_400_000),
    keyId: null,
    createdAt: T0,
  };
}

function audit(action: string, subject: string): AuditInput {
  return { at: T0, actor: 'test', action, subject, details: { note: 'x' } };
}

async function setUp(db: Database): Promise<SqlCaRepository> {
  await migrateCa(db, new FakeClock());
  const repo = new SqlCaRepository(db);
  // A root: reserved together with its pending CA row, then completed.
  assert.equal(
    await repo.reserve({
      ca: caRow('ca-root', 'Root'),
      certificate: reservation('cert-root', 'ca-root', '1a', 'ca-root'),
      audit: audit('certificate.reserved', 'cert-root'),
    }),
    'reserved',
  );
  await repo.completeIssuance({
    certificateId: 'cert-root',
    der: Uint8Array.of(1, 2, 3),
    issuedAt: T0,
    caId: 'ca-root',
    audit: audit('certificate.issued', 'cert-root'),
  });
  return repo;
}

forEachBackend('ca repository', (getDb) => {
  test('a reservation is stored before issuance and completed with the DER', async () => {
    const repo = await setUp(getDb());
    const root = await repo.getCa('ca-root');
    assert.equal(root?.status, 'active');
    assert.deepEqual(root?.certificate, Uint8Array.of(1, 2, 3));
    assert.equal(root?.serial, '1a');
    assert.deepEqual(root?.notAfter, new Date(T0.getTime() + 86_400_000));

    assert.equal(
      await repo.reserve({
        certificate: reservation('cert-1', 'ca-root', 'ff01'),
        audit: audit('certificate.reserved', 'cert-1'),
      }),
      'reserved',
    );
    const reserved = await repo.getCertificate('cert-1');
    assert.equal(reserved?.status, 'reserved');
    assert.equal(reserved?.certificate, null);
    await repo.completeIssuance({
      certificateId: 'cert-1',
      der: Uint8Array.of(9),
      issuedAt: T0,
      audit: audit('certificate.issued', 'cert-1'),
    });
    const issued = await repo.findCertificate('ca-root', 'ff01');
    assert.equal(issued?.status, 'issued');
    assert.deepEqual(issued?.certificate, Uint8Array.of(9));
    // Completing twice is a bug, not a silent no-op.
    await assert.rejects(
      repo.completeIssuance({
        certificateId: 'cert-1',
        der: Uint8Array.of(9),
        issuedAt: T0,
        audit: audit('x', 'cert-1'),
      }),
      /not reserved/,
    );
  });

  test('serials are unique per issuer; the same serial under another issuer is fine', async () => {
    const repo = await setUp(getDb());
    const first = await repo.reserve({
      certificate: reservation('cert-a', 'ca-root', 'abc'),
      audit: audit('r', 'cert-a'),
    });
    assert.equal(first, 'reserved');
    const again = await repo.reserve({
      certificate: reservation('cert-b', 'ca-root', 'abc'),
      audit: audit('r', 'cert-b'),
    });
    assert.equal(again, 'serial-taken');
    assert.equal(
      await repo.getCertificate('cert-b'),
      undefined,
      'nothing stored for the refused reservation',
    );
    assert.equal((await repo.listAudit({ subject: 'cert-b' })).length, 0);

    await repo.reserve({
      ca: caRow('ca-other', 'Other'),
      certificate: reservation('cert-other', 'ca-other', '2b', 'ca-other'),
      audit: audit('r', 'cert-other'),
    });
    assert.equal(
      await repo.reserve({
        certificate: reservation('cert-c', 'ca-other', 'abc'),
        audit: audit('r', 'cert-c'),
      }),
      'reserved',
    );
    assert.deepEqual(
      (await repo.findCertificatesBySerial('abc')).map((c) => c.id),
      ['cert-a', 'cert-c'],
    );
  });

  test('concurrent reservations of one serial: exactly one wins', async () => {
    const repo = await setUp(getDb());
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        repo.reserve({
          certificate: reservation(`cert-race-${i}`, 'ca-root', 'dd'),
          audit: audit('r', `cert-race-${i}`),
        }),
      ),
    );
    assert.deepEqual(outcomes.sort(), ['reserved', 'serial-taken', 'serial-taken', 'serial-taken']);
    assert.equal((await repo.findCertificatesBySerial('dd')).length, 1);
  });

  test('CA names are unique among CAs that did not fail', async () => {
    const repo = await setUp(getDb());
    const taken = await repo.reserve({
      ca: caRow('ca-x', 'Root'),
      certificate: reservation('cert-x', 'ca-x', '3c', 'ca-x'),
      audit: audit('r', 'cert-x'),
    });
    assert.equal(taken, 'name-taken');
    assert.equal(await repo.getCa('ca-x'), undefined);

    await repo.reserve({
      ca: caRow('ca-f', 'Flaky'),
      certificate: reservation('cert-f', 'ca-f', '4d', 'ca-f'),
      audit: audit('r', 'cert-f'),
    });
    await repo.failIssuance({
      certificateId: 'cert-f',
      caId: 'ca-f',
      audit: audit('certificate.issue-failed', 'cert-f'),
    });
    assert.equal((await repo.getCa('ca-f'))?.status, 'failed');
    assert.equal((await repo.getCertificate('cert-f'))?.status, 'failed');
    assert.equal(await repo.findCaByName('Flaky'), undefined, 'a failed CA does not hold its name');
    assert.equal(
      await repo.reserve({
        ca: caRow('ca-g', 'Flaky'),
        certificate: reservation('cert-g', 'ca-g', '5e', 'ca-g'),
        audit: audit('r', 'cert-g'),
      }),
      'reserved',
    );
  });

  test('revocation: once, only for issued certificates; a revoked CA certificate revokes the CA', async () => {
    const repo = await setUp(getDb());
    await repo.reserve({
      ca: caRow('ca-sub', 'Sub', { parentId: 'ca-root', role: 'cps-sub2', profileId: 'iso15118-2/cps-sub2' }),
      certificate: reservation('cert-sub', 'ca-root', '77', 'ca-sub'),
      audit: audit('r', 'cert-sub'),
    });
    await repo.completeIssuance({
      certificateId: 'cert-sub',
      der: Uint8Array.of(7),
      issuedAt: T0,
      caId: 'ca-sub',
      audit: audit('i', 'cert-sub'),
    });
    await repo.reserve({ certificate: reservation('cert-r', 'ca-root', '88'), audit: audit('r', 'cert-r') });

    const at = new Date(T0.getTime() + 1000);
    assert.equal(
      await repo.revoke({ certificateId: 'cert-r', at, reason: 1, audit: audit('v', 'cert-r') }),
      'not-issued',
    );
    assert.equal(
      await repo.revoke({ certificateId: 'cert-none', at, reason: 1, audit: audit('v', 'x') }),
      'not-found',
    );
    assert.equal(
      await repo.revoke({ certificateId: 'cert-sub', at, reason: 2, audit: audit('v', 'cert-sub') }),
      'revoked',
    );
    assert.equal(
      await repo.revoke({ certificateId: 'cert-sub', at, reason: 2, audit: audit('v', 'cert-sub') }),
      'already-revoked',
    );
    assert.equal((await repo.getCa('ca-sub'))?.status, 'revoked');
    const revoked = await repo.revokedCertificates('ca-root');
    assert.deepEqual(
      revoked.map((r) => [r.serial, r.serialNumber, r.revokedAt.getTime(), r.reason]),
      [['77', 0x77n, at.getTime(), 2]],
    );
    // One audit record per successful revocation only.
    assert.deepEqual(
      (await repo.listAudit({ subject: 'cert-sub' })).map((a) => a.action),
      ['r', 'i', 'v'],
    );
  });

  test('the audit log is append-only', async () => {
    const db = getDb();
    const repo = await setUp(db);
    await repo.appendAudit(audit('ca.note', 'ca-root'));
    const entries = await repo.listAudit();
    assert.deepEqual(
      entries.map((e) => [e.action, e.subject, e.actor]),
      [
        ['certificate.reserved', 'cert-root', 'test'],
        ['certificate.issued', 'cert-root', 'test'],
        ['ca.note', 'ca-root', 'test'],
      ],
    );
    assert.deepEqual(entries[0]?.details, { note: 'x' });
    assert.ok((entries[1]?.id ?? 0) > (entries[0]?.id ?? 0));
    await assert.rejects(
      db.transaction((tx) => tx.execute("UPDATE ca_audit_log SET actor = 'mallory'")),
      /append-only/,
    );
    await assert.rejects(
      db.transaction((tx) => tx.execute('DELETE FROM ca_audit_log')),
      /append-only/,
    );
    assert.equal((await repo.listAudit()).length, 3);
  });
});
