// The installation flow over HTTP, both trees, on node:sqlite and PostgreSQL: a vehicle of the demo
// OEM Sub-CA 2 sends a signed CertificateInstallationReq; the pool answers its stored contract with the
// request's SessionID, or a FAILED EXI (alwaysReturnEXI) / an HTTP error. Real CA, codec, signatures
// and key transport: the vehicle decrypts the contract key it receives.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { decryptContractKeyIso2, scalarMatchesCertificate } from '../contract-key/iso2-key-transport.ts';
import { decodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { verifyIso20Message, verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
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
} from './testing/fixtures.ts';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

interface OpcpAnswer {
  CCPResponse: {
    emaidContent: { messageDef: { certificateInstallationRes: string; emaid?: string; metaData?: string } }[];
  };
  xsdMsgDefNamespace?: string;
}

function iso2Body(exi: string): ModelObject {
  const decoded = decodeExiDocument('iso-2', unb64(exi));
  return decoded.value as ModelObject;
}

function resOf(exi: string): { header: ModelObject; res: ModelObject } {
  const v = iso2Body(exi);
  const body = v.Body as ModelObject;
  return {
    header: v.Header as ModelObject,
    res: (body.CertificateInstallationRes ?? body.CertificateUpdateRes) as ModelObject,
  };
}

/** The CN (PCID) of a party's certificate. */
const cnOf = (p: Party): string =>
  new X509Certificate(p.der).subject
    .split('\n')
    .find((l) => l.startsWith('CN='))!
    .slice(3);

forEachEcosystem('ccp installation over HTTP', (eco) => {
  let cas2: DemoCas;
  let cas20: DemoCas;
  let cps2: CpsSigner;
  let cps20: CpsSigner;
  let cpo: string;
  let serial = 0;
  /** A fresh PCID of WMI WP0 (17 characters). */
  const pcid = () => `WP0CCP${String(++serial).padStart(11, '0')}`;
  const emaid = (n: number) => `DEABCC${String(n).padStart(8, '0')}`;

  before(async () => {
    const { ca } = eco().app;
    cas2 = await demoCas(ca, 2);
    cas20 = await demoCas(ca, 20);
    cps2 = await makeCpsSigner(ca, cas2, 2);
    cps20 = await makeCpsSigner(ca, cas20, 20);
    cpo = await eco().token('CPO', 'DE*ICE');
  });

  const vehicleWithContracts = async (
    iso: 2 | 20,
    emaids: readonly string[],
    metadata?: string,
  ): Promise<{ pcid: string; vehicle: Party; contracts: Awaited<ReturnType<typeof makeContract>>[] }> => {
    const { ca } = eco().app;
    const id = pcid();
    const cas = iso === 2 ? cas2 : cas20;
    const vehicle = await makeVehicle(ca, cas, id, iso);
    const contracts = [];
    for (const e of emaids) {
      const built = await makeContract(ca, cas, iso === 2 ? cps2 : cps20, vehicle, id, e, {
        ...(metadata === undefined ? {} : { metadata }),
      });
      await eco().app.ccp.addContract(built.record, 'test');
      contracts.push(built);
    }
    return { pcid: id, vehicle, contracts };
  };

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    eco().fetch(path, { method: 'POST', token: cpo, body, headers });

  test('ISO 15118-2, OPCP: the stored contract with the request SessionID; the vehicle recovers its contract key', async () => {
    const { pcid, vehicle, contracts } = await vehicleWithContracts(2, [emaid(1)], 'mo data');
    const sessionId = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const req = await installationRequest(vehicle, [rootIdOf(cas2.root.certificate as Uint8Array)], {
      sessionId,
    });
    const res = await post('/v1/ccp/signedContractData', {
      certificateInstallationReq: b64(req),
      xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const answer = (await res.json()) as OpcpAnswer;
    assert.equal(answer.CCPResponse.emaidContent.length, 1);
    const def = answer.CCPResponse.emaidContent[0]!.messageDef;
    assert.equal(def.emaid, emaid(1));
    assert.equal(def.metaData, 'mo data');
    assert.equal(answer.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
    const decoded = decodeExiDocument('iso-2', unb64(def.certificateInstallationRes));
    const { header, res: body } = resOf(def.certificateInstallationRes);
    assert.deepEqual([...(header.SessionID as Uint8Array)], [...sessionId]);
    assert.equal(body.ResponseCode, 'OK');
    assert.equal(verifyV2gMessage(decoded).valid, true, 'the CPS signature survives the new SessionID');
    const key = decryptContractKeyIso2({
      encryptedPrivateKey: (body.ContractSignatureEncryptedPrivateKey as ModelObject).$value as Uint8Array,
      dhPublicKey: (body.DHpublickey as ModelObject).$value as Uint8Array,
      recipientPrivateKey: vehicle.privateKey,
    });
    assert.equal(scalarMatchesCertificate(key, contracts[0]!.contract.der), true);
    // Delivering changes nothing in the pool: the stored contract is still the vehicle's default.
    assert.equal((await eco().app.ccp.store.listByPcid(pcid))[0]?.isDefault, true);
  });

  test('ISO 15118-2, OPNC: signedContractDataCollection with pcid and namespace; an unknown namespace is only a hint', async () => {
    const { pcid, vehicle } = await vehicleWithContracts(2, [emaid(2)]);
    const req = await installationRequest(vehicle, [rootIdOf(cas2.root.certificate as Uint8Array)]);
    const res = await post('/opnc/v1/ccp/signedcontractdata', {
      certificateInstallationReq: b64(req),
      // Wrong hint: the stream is -2; the edition comes from the EXI (D-074).
      xsdMsgDefNamespace: 'urn:iso:std:iso:15118:-20:CommonMessages',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const answer = (await res.json()) as {
      signedContractDataCollection: {
        certificateInstallationRes: string;
        emaid: string;
        pcid: string;
        xsdMsgDefNamespace: string;
      }[];
    };
    assert.equal(answer.signedContractDataCollection.length, 1);
    const item = answer.signedContractDataCollection[0]!;
    assert.equal(item.pcid, pcid);
    assert.equal(item.emaid, emaid(2));
    assert.equal(item.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
    assert.equal(resOf(item.certificateInstallationRes).res.ResponseCode, 'OK');
  });

  test('no contract: FAILED_NoCertificateAvailable EXI with HTTP 200 by default, 404 with alwaysReturnEXI: false', async () => {
    const { ca } = eco().app;
    const vehicle = await makeVehicle(ca, cas2, pcid(), 2);
    const sessionId = Uint8Array.of(9, 9, 9, 9);
    const req = b64(
      await installationRequest(vehicle, [rootIdOf(cas2.root.certificate as Uint8Array)], { sessionId }),
    );
    const res = await post('/v1/ccp/signedContractData', {
      certificateInstallationReq: req,
      xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as OpcpAnswer;
    const def = answer.CCPResponse.emaidContent[0]!.messageDef;
    assert.equal(def.emaid, undefined, 'no contract, no EMAID');
    const { header, res: body } = resOf(def.certificateInstallationRes);
    assert.equal(body.ResponseCode, 'FAILED_NoCertificateAvailable');
    assert.deepEqual([...(header.SessionID as Uint8Array)], [...sessionId]);
    const strict = await post(
      '/v1/ccp/signedContractData',
      { certificateInstallationReq: req, xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' },
      { alwaysReturnEXI: 'false' },
    );
    assert.equal(strict.status, 404);
    const error = (await strict.json()) as { errorMessages: string[]; traceId: string };
    assert.match(error.errorMessages[0]!, /no contract for vehicle/);
  });

  test('a forged request: FAILED_SignatureError, 400 ccp.oem-signature without EXI', async () => {
    const { ca } = eco().app;
    const vehicle = await makeVehicle(ca, cas2, pcid(), 2);
    const other = await makeVehicle(ca, cas2, pcid(), 2);
    await eco().app.ccp.addContract(
      (await makeContract(ca, cas2, cps2, vehicle, cnOf(vehicle), emaid(3))).record,
      'test',
    );
    const forged = b64(
      await installationRequest(vehicle, [rootIdOf(cas2.root.certificate as Uint8Array)], { signer: other }),
    );
    const res = await post('/v1/ccp/signedContractData', {
      certificateInstallationReq: forged,
      xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    });
    assert.equal(res.status, 200);
    const def = ((await res.json()) as OpcpAnswer).CCPResponse.emaidContent[0]!.messageDef;
    assert.equal(resOf(def.certificateInstallationRes).res.ResponseCode, 'FAILED_SignatureError');
    const strict = await post(
      '/v1/ccp/signedContractData',
      { certificateInstallationReq: forged, xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' },
      { alwaysreturnexi: 'false' },
    );
    assert.equal(strict.status, 400);
  });

  test('ISO 15118-20 without a contract: WARNING_NoContractMatchingPCIDFound in a -20 CertificateInstallationRes, the 8-byte SessionID kept', async () => {
    const { ca } = eco().app;
    const vehicle = await makeVehicle(ca, cas20, pcid(), 20);
    const sessionId = Uint8Array.of(1, 1, 2, 3, 5, 8, 13, 21);
    const req = await installationRequest(vehicle, [rootIdOf(cas20.root.certificate as Uint8Array)], {
      sessionId,
      subCertificates: [cas20.oemSub2.certificate as Uint8Array, cas20.oemSub1.certificate as Uint8Array],
    });
    const res = await post('/opnc/v1/ccp/signedcontractdata', {
      certificateInstallationReq: b64(req),
      xsdMsgDefNamespace: 'urn:iso:15118:20:2020:MsgDef',
    });
    assert.equal(res.status, 200);
    const item = (
      (await res.json()) as {
        signedContractDataCollection: { certificateInstallationRes: string; xsdMsgDefNamespace: string }[];
      }
    ).signedContractDataCollection[0]!;
    assert.equal(item.xsdMsgDefNamespace, 'urn:iso:15118:20:2020:MsgDef');
    const v = decodeExiDocument('iso-20-common', unb64(item.certificateInstallationRes)).value as ModelObject;
    assert.equal(v.ResponseCode, 'WARNING_NoContractMatchingPCIDFound');
    assert.deepEqual([...((v.Header as ModelObject).SessionID as Uint8Array)], [...sessionId]);
  });

  test('ISO 15118-20, several contracts: PrioritizedEMAIDs first, RemainingContractCertificateChains counts down, 8-byte SessionID', async () => {
    const { pcid, vehicle } = await vehicleWithContracts(20, [emaid(20), emaid(21), emaid(22)]);
    const sessionId = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);
    const req = await installationRequest(vehicle, [rootIdOf(cas20.root.certificate as Uint8Array)], {
      sessionId,
      maximumContracts: 2,
      prioritizedEmaids: [emaid(22)],
      subCertificates: [cas20.oemSub2.certificate as Uint8Array, cas20.oemSub1.certificate as Uint8Array],
    });
    const res = await post('/v1/ccp/signedContractData', {
      certificateInstallationReq: b64(req),
      // MaEVe always sends the -2 namespace (interop.md §1.2): the stream decides.
      xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const answer = (await res.json()) as OpcpAnswer;
    assert.equal(answer.xsdMsgDefNamespace, 'urn:iso:15118:20:2022:MsgDef');
    const items = answer.CCPResponse.emaidContent.map((c) => c.messageDef);
    assert.deepEqual(
      items.map((i) => i.emaid),
      [emaid(22), emaid(20)],
      'the prioritized EMAID, then the default',
    );
    items.forEach((item, i) => {
      const decoded = decodeExiDocument('iso-20-common', unb64(item.certificateInstallationRes));
      const v = decoded.value as ModelObject;
      assert.deepEqual([...((v.Header as ModelObject).SessionID as Uint8Array)], [...sessionId]);
      assert.equal(v.RemainingContractCertificateChains, 1 - i);
      assert.equal(verifyIso20Message(decoded).valid, true);
    });
    // The default (the first stored) came after the prioritized EMAID; all three are stored.
    assert.deepEqual(
      (await eco().app.ccp.store.listByPcid(pcid, { iso: 20 })).map((c) => [c.emaid, c.isDefault]),
      [
        [emaid(20), true],
        [emaid(21), false],
        [emaid(22), false],
      ],
    );
  });
});
