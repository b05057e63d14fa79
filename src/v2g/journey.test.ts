// The car–charger half of the end-to-end journey against the real platform (pnc serve with the demo
// PKI, on node:sqlite and PostgreSQL): the vehicle talks ISO 15118-2 over TLS 1.2 to the charger; the
// charger forwards the CertificateInstallationReq to the CCP as an OCPP CSMS forwards
// Get15118EVCertificate (CPO token, OPCP install route), validates the contract chain and checks its
// OCSP status at the platform's responder, then verifies the signed AuthorizationReq.
//
// Two PKIs meet here, as in the field: the TLS link uses a SECC certificate valid at the real time
// (OpenSSL checks TLS chains at the real time), the contract data comes from the platform's demo
// hierarchy at the ecosystem's clock.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { demoCas, makeContract, makeCpsSigner, makeVehicle } from '../ccp/testing/fixtures.ts';
import { isAppError } from '../errors/app-error.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { ContractStore } from './ev/contract-store.ts';
import { Evcc, runPlugAndCharge } from './ev/evcc.ts';
import type { VehicleIdentity } from './ev/identity.ts';
import { startSeccListener } from './secc/server.ts';
import type { SeccEvent } from './secc/session.ts';
import { createV2gTestPki, type V2gTestPki } from './testing/demo-pki.ts';
import {
  eventCodes,
  ISO2_INSTALL_AND_AUTHORIZE,
  platformSessionDeps,
  useTempDirs,
} from './testing/test-setup.ts';
import { connectEvcc } from './transport.ts';

let tlsPki: V2gTestPki;
const tempDir = useTempDirs('pnc-journey-');
before(async () => {
  tlsPki = await createV2gTestPki({ iso: 2 });
});
after(async () => {
  await tlsPki?.close();
});

forEachEcosystem('car–charger journey with the CCP and OCSP', (eco) => {
  test('install from the CCP, PaymentDetails with OCSP good, Authorization OK; revoked contract refused', async () => {
    const { ca } = eco().app;
    const cas = await demoCas(ca, 2);
    const cps = await makeCpsSigner(ca, cas, 2);
    const pcid = 'WP0V2GJOURNEY0001';
    const party = await makeVehicle(ca, cas, pcid, 2);
    const built = await makeContract(ca, cas, cps, party, pcid, 'DEABCC00000777');
    await eco().app.ccp.addContract(built.record, 'test');
    const cpoToken = await eco().token('CPO', 'DE*PNC');

    const vehicle: VehicleIdentity = {
      pcid,
      evccId: Uint8Array.of(2, 0, 0, 1, 2, 3),
      provisioningKey: party.privateKey,
      provisioningChain: [party.der],
      // The TLS root of the charger's SECC and the platform's V2G root.
      v2gRoots: [tlsPki.root, cas.root.certificate!],
    };
    const events: SeccEvent[] = [];
    const server = await startSeccListener({
      tls: { profile: 'iso-2', identity: { key: tlsPki.secc.key, chain: tlsPki.secc.chain } },
      session: {
        ...platformSessionDeps(eco(), { cpoToken, contractRoot: cas.root.certificate!, events }),
      },
    });
    const dir = tempDir();
    const contracts = new ContractStore(join(dir, 'vehicle'));
    const session = async () => {
      const link = await connectEvcc({
        profile: 'iso-2',
        host: server.host,
        port: server.port,
        roots: vehicle.v2gRoots,
        at: tlsPki.clock.now(),
      });
      return new Evcc(link.connection, {
        identity: vehicle,
        contracts,
        clock: eco().clock,
        timeouts: { messageMs: 30_000, installationMs: 30_000 },
      });
    };
    try {
      const result = await runPlugAndCharge(await session(), contracts);
      assert.equal(result.installed?.emaid, 'DEABCC00000777');
      assert.equal(result.evseProcessing, 'Finished');
      assert.deepEqual(eventCodes(events), ISO2_INSTALL_AND_AUTHORIZE);
      // The MO revokes the contract: the next session is refused at PaymentDetails (OCSP revoked).
      const contractCa = cas.moSub2;
      const serial = (await ca.listCertificates({ issuerCaId: contractCa.id })).find((c) =>
        c.subject.startsWith('CN=DEABCC00000777'),
      )!.serial;
      await ca.revoke({ serial, issuerCaId: contractCa.id, reason: 'keyCompromise', actor: 'test' });
      await assert.rejects(
        runPlugAndCharge(await session(), contracts, { install: 'never' }),
        (e: unknown) =>
          isAppError(e) &&
          e.code === 'ev.session-failed' &&
          (e.details as { responseCode?: string }).responseCode === 'FAILED_CertificateRevoked',
      );
    } finally {
      await server.close();
    }
  });
});
