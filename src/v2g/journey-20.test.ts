// The ISO 15118-20 car–charger half of the journey against the real platform (pnc serve with the
// demo PKI, on node:sqlite and PostgreSQL): the vehicle talks -20 CommonMessages over TLS 1.3 with
// its vehicle certificate; the charger forwards the CertificateInstallationReq to the real CCP as an
// OCPP 2.0.1 CSMS forwards Get15118EVCertificate (iso15118SchemaVersion
// urn:iso:std:iso:15118:-20:CommonMessages, CPO token, OPCP install route); the CCP answers two
// contracts (PrioritizedEMAIDs first), the SECC hands them out in the EV's installation loop; the
// AuthorizationReq's contract chain is checked at the platform's OCSP responder.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { demoCas, makeContract, makeCpsSigner, makeVehicle } from '../ccp/testing/fixtures.ts';
import { isAppError } from '../errors/app-error.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { ContractStore } from './ev/contract-store.ts';
import { Evcc20, runPlugAndCharge20 } from './ev/evcc-20.ts';
import type { VehicleIdentity } from './ev/identity.ts';
import { ISO20_AC_PROTOCOL, ISO20_DC_PROTOCOL } from './messages.ts';
import { startSeccListener } from './secc/server.ts';
import type { SeccEvent } from './secc/session.ts';
import { createV2gTestPki, type KeyAndChain, type V2gTestPki } from './testing/demo-pki.ts';
import {
  eventCodes,
  ISO20_INSTALL_TWO_AND_AUTHORIZE,
  platformSessionDeps,
  useTempDirs,
} from './testing/test-setup.ts';
import { connectEvcc } from './transport.ts';

let tlsPki: V2gTestPki;
let vehicleTls: KeyAndChain;
const tempDir = useTempDirs('pnc-journey20-');
before(async () => {
  tlsPki = await createV2gTestPki({ iso: 20 });
  vehicleTls = await tlsPki.issueLeaf('vehicle-sub2', 'vehicle-leaf', 'WP0V2GJOURNEY0020');
});
after(async () => {
  await tlsPki?.close();
});

forEachEcosystem('ISO 15118-20 car–charger journey with the CCP and OCSP', (eco) => {
  test('two contracts from the CCP through the installation loop, Authorization OK; revoked contract refused', async () => {
    const { ca } = eco().app;
    const cas = await demoCas(ca, 20);
    const cps = await makeCpsSigner(ca, cas, 20);
    const pcid = 'WP0V2GJOURNEY0020';
    const party = await makeVehicle(ca, cas, pcid, 20);
    for (const emaid of ['DEABCC00000777', 'DEABCC00000888']) {
      const built = await makeContract(ca, cas, cps, party, pcid, emaid);
      await eco().app.ccp.addContract(built.record, 'test');
    }
    const cpoToken = await eco().token('CPO', 'DE*PNC');

    const vehicle: VehicleIdentity = {
      pcid,
      evccId: Uint8Array.of(2, 0, 0, 1, 2, 4),
      provisioningKey: party.privateKey,
      provisioningChain: [party.der, cas.oemSub2.certificate!, cas.oemSub1.certificate!],
      // The TLS root of the charger's SECC and the platform's -20 V2G root.
      v2gRoots: [tlsPki.root, cas.root.certificate!],
      tls: { key: vehicleTls.key, chain: vehicleTls.chain },
    };
    const events: SeccEvent[] = [];
    const server = await startSeccListener({
      tls: {
        profile: 'iso-20',
        identity: { key: tlsPki.secc.key, chain: tlsPki.secc.chain },
        clientRoots: [tlsPki.root],
      },
      session: {
        ...platformSessionDeps(eco(), { cpoToken, contractRoot: cas.root.certificate!, events }),
        protocols: [ISO20_DC_PROTOCOL, ISO20_AC_PROTOCOL],
      },
    });
    const dir = tempDir();
    const contracts = new ContractStore(join(dir, 'vehicle', 'iso-20'));
    const session = async () => {
      const link = await connectEvcc({
        profile: 'iso-20',
        host: server.host,
        port: server.port,
        roots: vehicle.v2gRoots,
        identity: vehicle.tls!,
        at: tlsPki.clock.now(),
      });
      return new Evcc20(link.connection, {
        identity: vehicle,
        contracts,
        clock: eco().clock,
        timeouts: { messageMs: 30_000, installationMs: 30_000 },
      });
    };
    try {
      const result = await runPlugAndCharge20(await session(), contracts, {
        maximumChains: 2,
        prioritizedEmaids: ['DEABCC00000888'],
      });
      assert.deepEqual(
        result.installed.map((c) => c.emaid),
        ['DEABCC00000888', 'DEABCC00000777'],
      );
      assert.equal(result.emaid, 'DEABCC00000888');
      assert.equal(result.evseProcessing, 'Finished');
      assert.deepEqual(eventCodes(events), ISO20_INSTALL_TWO_AND_AUTHORIZE);
      // The MO revokes the active contract: the next session is refused at Authorization (OCSP).
      const serial = (await ca.listCertificates({ issuerCaId: cas.moSub2.id })).find((c) =>
        c.subject.startsWith('CN=DEABCC00000888'),
      )!.serial;
      await ca.revoke({ serial, issuerCaId: cas.moSub2.id, reason: 'keyCompromise', actor: 'test' });
      await assert.rejects(
        runPlugAndCharge20(await session(), contracts, { install: 'never' }),
        (e: unknown) =>
          isAppError(e) &&
          e.code === 'ev.request-refused' &&
          (e.details as { responseCode?: string }).responseCode === 'WARNING_CertificateRevoked',
      );
      // The other contract still authorizes.
      const other = await runPlugAndCharge20(await session(), contracts, {
        install: 'never',
        emaid: 'DEABCC00000777',
      });
      assert.equal(other.evseProcessing, 'Finished');
    } finally {
      await server.close();
    }
  });
});
