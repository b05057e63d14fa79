// Managing the pool over HTTP, both trees, on node:sqlite and PostgreSQL: adding signed contract data
// (XML of the CPS and EXI), several contracts per vehicle with a default that the OEM switches (both
// segment orders) and that follows deletions, lookups, listings and the OEM pull, and the tenant
// rules: an MO touches only its providers' EMAIDs, an OEM only its WMIs' vehicles — refused
// requests change nothing.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { listAudit } from '../audit/audit-log.ts';
import { decodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
import { ContractRepository } from './repository.ts';
import {
  type CpsSigner,
  type DemoCas,
  demoCas,
  installationRequest,
  makeContract,
  makeCpsSigner,
  makeVehicle,
  type Party,
  rootIdOf,
  sha256Hex,
} from './testing/fixtures.ts';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const ISO2_NS = 'urn:iso:15118:2:2013:MsgDef';

interface Contract {
  pcid: string;
  emaid: string;
  defaultContract: boolean;
  xsdMsgDefNamespace: string;
  contractCertificate: string;
  certValidFrom?: string;
  certValidTo: string;
  cpsV2GRootCertificateFingerprint?: string;
}

forEachEcosystem('ccp management over HTTP', (eco) => {
  let cas2: DemoCas;
  let cps2: CpsSigner;
  let cpo: string;
  let oem: string;
  let mo: string;
  let serial = 0;
  const pcid = () => `WP0MGT${String(++serial).padStart(11, '0')}`;

  const state = async () => ({
    contracts: await new ContractRepository().count(eco().app.db),
    audit: (await listAudit(eco().app.db, { component: 'ccp', limit: 10_000 })).length,
  });

  before(async () => {
    const { ca } = eco().app;
    cas2 = await demoCas(ca, 2);
    cps2 = await makeCpsSigner(ca, cas2, 2);
    cpo = await eco().token('CPO', 'DE*ICE');
    oem = await eco().token('OEM', 'WP0');
    mo = await eco().token('MO', 'DEABC');
  });

  /** The EMAID the pool delivers for the vehicle's CertificateInstallationReq. */
  const installed = async (vehicle: Party): Promise<string | undefined> => {
    const req = await installationRequest(vehicle, [rootIdOf(cas2.root.certificate as Uint8Array)]);
    const res = await eco().fetch('/v1/ccp/signedContractData', {
      method: 'POST',
      token: cpo,
      body: { certificateInstallationReq: b64(req), xsdMsgDefNamespace: ISO2_NS },
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as {
      CCPResponse: { emaidContent: { messageDef: { emaid?: string } }[] };
    };
    assert.equal(
      answer.CCPResponse.emaidContent.length,
      1,
      'ISO 15118-2: one contract (spec-gaps.md item 12)',
    );
    return answer.CCPResponse.emaidContent[0]!.messageDef.emaid;
  };

  const vehicleWith = async (emaids: readonly string[]): Promise<{ id: string; vehicle: Party }> => {
    const { ca } = eco().app;
    const id = pcid();
    const vehicle = await makeVehicle(ca, cas2, id, 2);
    for (const e of emaids) {
      await eco().app.ccp.addContract((await makeContract(ca, cas2, cps2, vehicle, id, e)).record, 'test');
    }
    return { id, vehicle };
  };

  test('several contracts: the first is the default; the OEM switches it on both trees, in either segment order', async () => {
    const { id, vehicle } = await vehicleWith(['DEABCD00000001', 'DEXYZD00000002']);
    assert.equal(await installed(vehicle), 'DEABCD00000001');
    const set = (path: string) => eco().fetch(path, { method: 'POST', token: oem });
    let res = await set(`/v1/ccp/signedContractData/${id}/DEXYZD00000002/default`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await installed(vehicle), 'DEXYZD00000002');
    // OPNC: EMAID first; with hyphens.
    res = await set(`/opnc/v1/ccp/signedcontractdata/DE-ABC-D00000001/${id}/setdefault`);
    assert.equal(res.status, 200);
    assert.equal(await installed(vehicle), 'DEABCD00000001');
    // OPCP path with the segments swapped (spec-gaps.md item 10).
    res = await set(`/v1/ccp/signedContractData/DEXYZD00000002/${id}/default`);
    assert.equal(res.status, 200);
    assert.equal(await installed(vehicle), 'DEXYZD00000002');
    // The list shows exactly one default.
    const list = (await (await eco().fetch(`/v1/ccp/signedContractData/${id}`, { token: oem })).json()) as {
      XMLContracts: Contract[];
    };
    assert.deepEqual(
      list.XMLContracts.map((c) => [c.emaid, c.defaultContract]),
      [
        ['DEXYZD00000002', true],
        ['DEABCD00000001', false],
      ],
    );
    // An EMAID the vehicle has no contract for: 404, nothing changed.
    const before = await state();
    assert.equal((await set(`/v1/ccp/signedContractData/${id}/DEABCD00000099/default`)).status, 404);
    assert.deepEqual(await state(), before);
  });

  test("an MO deleting another provider's contract is refused and nothing changes; its own delete promotes the next default", async () => {
    const { id, vehicle } = await vehicleWith(['DEABCE00000001', 'DEXYZE00000002']);
    const before = await state();
    const foreign = await eco().fetch('/v1/ccp/signedContractData/DEXYZE00000002', {
      method: 'DELETE',
      token: mo,
    });
    assert.equal(foreign.status, 403);
    assert.deepEqual(await state(), before);
    assert.equal(await installed(vehicle), 'DEABCE00000001');
    // Its own (the default, on the OPNC tree): deleted, the other one becomes the default.
    const own = await eco().fetch('/opnc/v1/ccp/signedcontractdata/DEABCE00000001', {
      method: 'DELETE',
      token: mo,
    });
    assert.equal(own.status, 200);
    assert.equal(await installed(vehicle), 'DEXYZE00000002');
    const after = await state();
    assert.equal(after.contracts, before.contracts - 1);
    const audit = await listAudit(eco().app.db, { component: 'ccp', limit: 2 });
    assert.deepEqual(
      audit.map((r) => [r.action, r.subject]),
      [
        ['contract.default-set', 'DEXYZE00000002'],
        ['contract.deleted', 'DEABCE00000001'],
      ],
    );
    // Again: 404; a wrong check digit: 400; a CPO: 403.
    assert.equal(
      (await eco().fetch('/v1/ccp/signedContractData/DEABCE00000001', { method: 'DELETE', token: mo }))
        .status,
      404,
    );
    assert.equal(
      (await eco().fetch('/v1/ccp/signedContractData/DEABCE000000011', { method: 'DELETE', token: mo }))
        .status,
      400,
    );
    assert.equal(
      (await eco().fetch('/v1/ccp/signedContractData/DEXYZE00000002', { method: 'DELETE', token: cpo }))
        .status,
      403,
    );
    void id;
  });

  test('DELETE revokes a contract certificate issued here (OPCP automatic revocation) unless X-Skip-Revocation: true', async () => {
    const { ca } = eco().app;
    const id = pcid();
    const vehicle = await makeVehicle(ca, cas2, id, 2);
    const revoked = await makeContract(ca, cas2, cps2, vehicle, id, 'DEABCL00000001');
    const kept = await makeContract(ca, cas2, cps2, vehicle, id, 'DEABCL00000002');
    await eco().app.ccp.addContract(revoked.record, 'test');
    await eco().app.ccp.addContract(kept.record, 'test');
    const status = async (der: Uint8Array) =>
      (await ca.revocationStatus(cas2.moSub2.id, new X509Certificate(der).serialNumber)).status;
    assert.equal(await status(revoked.contract.der), 'good');
    const del = (emaid: string, headers: Record<string, string> = {}) =>
      eco().fetch(`/v1/ccp/signedContractData/${emaid}`, { method: 'DELETE', token: mo, headers });
    assert.equal((await del('DEABCL00000001')).status, 200);
    assert.equal(await status(revoked.contract.der), 'revoked');
    assert.equal((await del('DEABCL00000002', { 'X-Skip-Revocation': 'true' })).status, 200);
    assert.equal(await status(kept.contract.der), 'good');
  });

  test("an OEM reading or changing another WMI's vehicle is refused; its own are listed in both trees", async () => {
    const { id } = await vehicleWith(['DEABCF00000001']);
    const foreign = await eco().token('OEM', 'WBA');
    const before = await state();
    for (const [method, path] of [
      ['GET', `/v1/ccp/signedContractData/${id}`],
      ['GET', `/opnc/v1/ccp/contractData/pcid/${id}`],
      ['GET', `/v1/ccp/provideSignedContractData/DEABCF00000001/${id}`],
      ['GET', `/opnc/v1/ccp/signedcontractdata/DEABCF00000001/${id}`],
      ['POST', `/v1/ccp/signedContractData/${id}/DEABCF00000001/default`],
    ] as const) {
      const res = await eco().fetch(path, { method, token: foreign });
      assert.equal(res.status, 403, `${method} ${path}`);
    }
    assert.deepEqual(await state(), before);
    const opnc = (await (
      await eco().fetch(`/opnc/v1/ccp/contractData/pcid/${id}`, { token: oem })
    ).json()) as {
      contractDataCollection: (Contract & { cpsV2GRootDistinguishedName?: string })[];
    };
    assert.equal(opnc.contractDataCollection.length, 1);
    const c = opnc.contractDataCollection[0]!;
    assert.equal(c.pcid, id);
    assert.equal(c.defaultContract, true);
    assert.equal(c.xsdMsgDefNamespace, ISO2_NS);
    assert.equal(c.cpsV2GRootCertificateFingerprint, sha256Hex(cas2.root.certificate as Uint8Array));
    assert.ok(c.certValidFrom !== undefined && Date.parse(c.certValidTo) > Date.parse(c.certValidFrom));
    // A vehicle without contracts: an empty list; a malformed PCID: 400.
    const empty = (await (
      await eco().fetch(`/v1/ccp/signedContractData/${pcid()}`, { token: oem })
    ).json()) as {
      XMLContracts: Contract[];
    };
    assert.deepEqual(empty.XMLContracts, []);
    assert.equal((await eco().fetch('/v1/ccp/signedContractData/WP0-bad', { token: oem })).status, 400);
  });

  test('lookup by EMAID (MO): both trees, edition filter; other providers 403, unknown 404', async () => {
    const { id } = await vehicleWith(['DEABCG00000001']);
    const opcp = await eco().fetch('/v1/ccp/lookupContract/DE-ABC-G00000001', { token: mo });
    assert.equal(opcp.status, 200);
    const found = ((await opcp.json()) as { XMLContracts: Contract[] }).XMLContracts;
    assert.deepEqual(
      found.map((c) => [c.pcid, c.emaid, c.defaultContract]),
      [[id, 'DEABCG00000001', true]],
    );
    const opnc = await eco().fetch('/opnc/v1/ccp/contractData/emaid/DEABCG00000001', { token: mo });
    assert.equal(
      ((await opnc.json()) as { contractDataCollection: Contract[] }).contractDataCollection.length,
      1,
    );
    const iso20 = await eco().fetch(
      `/v1/ccp/lookupContract/DEABCG00000001?xsdMsgDefNamespace=${encodeURIComponent('urn:iso:15118:20:2022:MsgDef')}`,
      { token: mo },
    );
    assert.equal(iso20.status, 404);
    assert.equal((await eco().fetch('/v1/ccp/lookupContract/DEXYZG00000001', { token: mo })).status, 403);
    assert.equal((await eco().fetch('/v1/ccp/lookupContract/DEABCG00000077', { token: mo })).status, 404);
    assert.equal((await eco().fetch('/v1/ccp/lookupContract/not-an-emaid', { token: mo })).status, 400);
  });

  test('the OEM pull (provideSignedContractData) with the SessionID asked for; a bad sessionID is 400', async () => {
    const { id } = await vehicleWith(['DEABCH00000001']);
    const res = await eco().fetch(
      `/v1/ccp/provideSignedContractData/DEABCH00000001/${id}?sessionID=0A0B0C0D`,
      {
        token: oem,
      },
    );
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { certificateInstallationRes: string; xsdMsgDefNamespace: string };
    assert.equal(body.xsdMsgDefNamespace, ISO2_NS);
    const decoded = decodeExiDocument('iso-2', unb64(body.certificateInstallationRes));
    assert.deepEqual(
      [...(((decoded.value as ModelObject).Header as ModelObject).SessionID as Uint8Array)],
      [10, 11, 12, 13],
    );
    assert.equal(verifyV2gMessage(decoded).valid, true);
    const opnc = await eco().fetch(`/opnc/v1/ccp/signedcontractdata/DEABCH00000001/${id}`, { token: oem });
    const collection = (
      (await opnc.json()) as { signedContractDataCollection: { emaid: string; pcid: string }[] }
    ).signedContractDataCollection;
    assert.deepEqual(
      collection.map((c) => [c.emaid, c.pcid]),
      [['DEABCH00000001', id]],
    );
    for (const bad of ['XYZ', '0A0B0C0D0E0F0A0B0C', '0']) {
      const r = await eco().fetch(`/v1/ccp/provideSignedContractData/DEABCH00000001/${id}?sessionID=${bad}`, {
        token: oem,
      });
      assert.equal(r.status, 400, bad);
    }
    assert.equal(
      (await eco().fetch(`/v1/ccp/provideSignedContractData/DEABCH00000009/${id}`, { token: oem })).status,
      404,
    );
  });

  test('PUT signed contract data: the CPS XML (OPCP) and EXI (OPNC) are verified, stored and delivered', async () => {
    const { ca } = eco().app;
    const cps = await eco().token('CPS', 'DEABC');
    const id = pcid();
    const vehicle = await makeVehicle(ca, cas2, id, 2);
    const xmlContract = await makeContract(ca, cas2, cps2, vehicle, id, 'DEABCJ00000001');
    const res = await eco().fetch('/v1/ccp/signedContractData', {
      method: 'PUT',
      token: cps,
      body: {
        xsdMsgDefNamespace: ISO2_NS,
        emaid: 'DEABCJ00000001',
        pcid: id,
        signedContractDataXML: Buffer.from(xmlContract.xml as string).toString('base64'),
        metadata: 'from the CPS',
      },
    });
    assert.equal(res.status, 201, await res.clone().text());
    const created = (await res.json()) as {
      emaid: string;
      defaultContract: boolean;
      cpsV2GRootCertificateFingerprint: string;
    };
    assert.equal(created.defaultContract, true);
    assert.equal(created.cpsV2GRootCertificateFingerprint, sha256Hex(cas2.root.certificate as Uint8Array));
    assert.equal(await installed(vehicle), 'DEABCJ00000001');

    // OPNC: EXI, by an MO of the provider.
    const exiContract = await makeContract(ca, cas2, cps2, vehicle, id, 'DEABCJ00000002');
    const opnc = await eco().fetch('/opnc/v1/ccp/signedcontractdata', {
      method: 'PUT',
      token: mo,
      body: {
        xsdMsgDefNamespace: ISO2_NS,
        emaid: 'DEABCJ00000002',
        pcid: id,
        certificateInstallationRes: b64(exiContract.record.certificateInstallationRes),
      },
    });
    assert.equal(opnc.status, 201, await opnc.clone().text());
    const list = (await (await eco().fetch(`/v1/ccp/signedContractData/${id}`, { token: oem })).json()) as {
      XMLContracts: Contract[];
    };
    assert.deepEqual(
      list.XMLContracts.map((c) => [c.emaid, c.defaultContract]),
      [
        ['DEABCJ00000001', true],
        ['DEABCJ00000002', false],
      ],
    );
  });

  test('PUT of ISO 15118-20 signed contract data (EXI): verified, stored, delivered to the -20 vehicle', async () => {
    const { ca } = eco().app;
    const cas20 = await demoCas(ca, 20);
    const cps20 = await makeCpsSigner(ca, cas20, 20);
    const id = pcid();
    const vehicle = await makeVehicle(ca, cas20, id, 20);
    const built = await makeContract(ca, cas20, cps20, vehicle, id, 'DEABCM00000001');
    const res = await eco().fetch('/opnc/v1/ccp/signedcontractdata', {
      method: 'PUT',
      token: mo,
      body: {
        xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef',
        emaid: 'DEABCM00000001',
        pcid: id,
        certificateInstallationRes: b64(built.record.certificateInstallationRes),
      },
    });
    assert.equal(res.status, 201, await res.clone().text());
    // The XML form is -2 only.
    const xml = await eco().fetch('/opnc/v1/ccp/signedcontractdata', {
      method: 'PUT',
      token: mo,
      body: {
        xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef',
        emaid: 'DEABCM00000001',
        pcid: id,
        signedContractDataXML: Buffer.from('<a/>').toString('base64'),
      },
    });
    assert.equal(xml.status, 400);
    const req = await installationRequest(vehicle, [rootIdOf(cas20.root.certificate as Uint8Array)], {
      subCertificates: [cas20.oemSub2.certificate as Uint8Array, cas20.oemSub1.certificate as Uint8Array],
    });
    const answer = await eco().fetch('/v1/ccp/signedContractData', {
      method: 'POST',
      token: cpo,
      body: { certificateInstallationReq: b64(req), xsdMsgDefNamespace: 'urn:iso:15118:20:2022:MsgDef' },
    });
    const items = (
      (await answer.json()) as { CCPResponse: { emaidContent: { messageDef: { emaid: string } }[] } }
    ).CCPResponse.emaidContent;
    assert.deepEqual(
      items.map((i) => i.messageDef.emaid),
      ['DEABCM00000001'],
    );
  });

  test('PUT refusals change nothing: other provider 403, tampered signature 400, EMAID mismatch 400, garbage 400', async () => {
    const { ca } = eco().app;
    const id = pcid();
    const vehicle = await makeVehicle(ca, cas2, id, 2);
    const built = await makeContract(ca, cas2, cps2, vehicle, id, 'DEABCK00000001');
    const put = (token: string, body: Record<string, unknown>) =>
      eco().fetch('/v1/ccp/signedContractData', {
        method: 'PUT',
        token,
        body: { xsdMsgDefNamespace: ISO2_NS, pcid: id, ...body },
      });
    const exi = built.record.certificateInstallationRes;
    const before = await state();
    const otherMo = await eco().token('MO', 'DEXYZ');
    assert.equal(
      (await put(otherMo, { emaid: 'DEABCK00000001', certificateInstallationRes: b64(exi) })).status,
      403,
    );
    assert.equal(
      (await put(cpo, { emaid: 'DEABCK00000001', certificateInstallationRes: b64(exi) })).status,
      403,
    );
    // The signature value changed: the CPS signature no longer verifies.
    const xml = (built.xml as string).replace(
      /SignatureValue>([A-Za-z0-9+/])/,
      (_m, c: string) => `SignatureValue>${c === 'A' ? 'B' : 'A'}`,
    );
    const tampered = await put(mo, {
      emaid: 'DEABCK00000001',
      signedContractDataXML: Buffer.from(xml).toString('base64'),
    });
    assert.equal(tampered.status, 400);
    assert.match(((await tampered.json()) as { errorMessages: string[] }).errorMessages[0]!, /signature/);
    const mismatch = await put(mo, { emaid: 'DEABCK00000002', certificateInstallationRes: b64(exi) });
    assert.equal(mismatch.status, 400);
    for (const body of [
      { emaid: 'DEABCK00000001', certificateInstallationRes: '%%%' },
      { emaid: 'DEABCK00000001', certificateInstallationRes: b64(Uint8Array.of(0x80, 1, 2, 3)) },
      { emaid: 'DEABCK00000001', signedContractDataXML: Buffer.from('<not-xml').toString('base64') },
      { emaid: 'DEABCK00000001' },
      { emaid: 'DEABCK00000001', certificateInstallationRes: b64(exi), signedContractDataXML: 'PGE+' },
      { emaid: 'DEABCK000000011', certificateInstallationRes: b64(exi) },
    ]) {
      const res = await put(mo, body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
    }
    assert.deepEqual(await state(), before);
  });
});
