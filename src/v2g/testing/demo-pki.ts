// Test support: a V2G PKI made by the real CA (src/ca, demo hierarchy of `pnc pki init`, SQLite in a
// temporary directory, software key store with a low scrypt cost) and the leaves the car–charger
// link needs — SECC leaf (CPO Sub-CA 2), OEM provisioning leaf (OEM Sub-CA 2), contract leaves (MO
// Sub-CA 2) — with keys held in memory so that tests can sign and decrypt.

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDemoHierarchy } from '../../ca/demo-hierarchy.ts';
import type { CertificateAuthorityService } from '../../ca/service.ts';
import { FakeClock, fastKeyStore, newTestCa } from '../../ca/testing/fixtures.ts';
import type { CaView, IsoNumber } from '../../ca/types.ts';
import type { RevocationStatus } from '../../pki/path/index.ts';
import type { CertificateRole } from '../../pki/profiles/types.ts';
import type { Signer } from '../../signer/types.ts';
import { openDatabase } from '../../storage/open-database.ts';
import type { Database } from '../../storage/types.ts';
import type { VehicleIdentity } from '../ev/identity.ts';
import type { ContractStatusChecker } from '../secc/ports.ts';

export interface KeyAndChain {
  readonly key: KeyObject;
  /** Leaf first, then the sub-CAs (root excluded). */
  readonly chain: Uint8Array[];
}

export interface V2gTestPki {
  readonly iso: IsoNumber;
  readonly clock: FakeClock;
  readonly ca: CertificateAuthorityService;
  readonly root: Uint8Array;
  readonly cas: ReadonlyMap<string, CaView>;
  readonly secc: KeyAndChain;
  readonly cpsSigner: Signer;
  /** CPS leaf, Prov Sub-CA 2, Prov Sub-CA 1. */
  readonly cpsChain: Uint8Array[];
  /**
   * A vehicle: OEM provisioning leaf (OEM Sub-CA 2) with its chain; -20: also the vehicle certificate
   * for mutual TLS (Vehicle Sub-CA 2, P-521). `algorithm` 'Ed448' gives an Ed448 provisioning key (-20).
   */
  vehicle(
    pcid?: string,
    evccId?: Uint8Array,
    options?: { algorithm?: LeafAlgorithm },
  ): Promise<VehicleIdentity>;
  issueLeaf(
    caKey: string,
    role: CertificateRole,
    commonName: string,
    algorithm?: LeafAlgorithm,
  ): Promise<KeyAndChain & { serial: string; id: string }>;
  /** Revocation status from the CA's own records (what its OCSP responder answers). */
  readonly statusChecker: ContractStatusChecker;
  close(): Promise<void>;
}

const silent = { warn: () => undefined };

export type LeafAlgorithm = 'P-256' | 'P-521' | 'Ed448';

function keyPairFor(
  iso: IsoNumber,
  algorithm?: LeafAlgorithm,
): { privateKey: KeyObject; publicKey: KeyObject } {
  const chosen = algorithm ?? (iso === 2 ? 'P-256' : 'P-521');
  if (chosen === 'Ed448') return generateKeyPairSync('ed448');
  return generateKeyPairSync('ec', { namedCurve: chosen === 'P-256' ? 'prime256v1' : 'secp521r1' });
}

/** Builds the demo hierarchy of one ISO edition plus a SECC leaf (CN = EVSEID). */
export async function createV2gTestPki(
  options: { iso?: IsoNumber; evseId?: string } = {},
): Promise<V2gTestPki> {
  const iso = options.iso ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'pnc-v2g-pki-'));
  const keyStore = fastKeyStore();
  let db: Database | undefined;
  try {
    db = await openDatabase(
      { dataDir: join(dir, 'data'), databaseUrl: undefined, dbPoolMax: 1 },
      { logger: silent },
    );
    // Near the real time: OpenSSL checks the TLS chains at the real time, not at an injected one.
    const clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000));
    const test = await newTestCa(db, keyStore, { clock });
    const ca = test.service;
    const events = await initDemoHierarchy(
      ca,
      { iso: [iso], organization: 'PnC Test', country: 'DE', actor: 'test' },
      () => clock.now(),
    );
    const cas = new Map<string, CaView>();
    let cpsLeafId = '';
    for (const e of events) {
      if (e.node.role === 'cps-leaf') cpsLeafId = e.id;
      else cas.set(e.node.key, await ca.getCa(e.id));
    }
    if (iso === 20) {
      // -20 mutual TLS: a vehicle certificate chain under the V2G root (EVerest's vehicle sub-CAs).
      const subject = (cn: string) => ({ commonName: cn, organization: 'PnC Test', country: 'DE' });
      const sub1 = await ca.createSubCa({
        parentId: cas.get('root')!.id,
        level: 1,
        domain: 'vehicle',
        subject: subject('Vehicle Sub-CA 1 ISO15118-20'),
        actor: 'test',
      });
      cas.set('vehicle-sub1', sub1);
      cas.set(
        'vehicle-sub2',
        await ca.createSubCa({
          parentId: sub1.id,
          level: 2,
          domain: 'vehicle',
          subject: subject('Vehicle Sub-CA 2 ISO15118-20'),
          actor: 'test',
        }),
      );
    }
    const root = cas.get('root')!.certificate!;
    const chainBelow = async (caKey: string): Promise<Uint8Array[]> => {
      const full = await ca.chain(cas.get(caKey)!.id);
      return full.slice(0, -1); // without the root
    };
    const issueLeaf: V2gTestPki['issueLeaf'] = async (caKey, role, commonName, algorithm) => {
      const { privateKey, publicKey } = keyPairFor(iso, algorithm);
      const token = await ca.prepare({
        issuerCaId: cas.get(caKey)!.id,
        role,
        subject: { commonName, organization: 'PnC Test', country: 'DE' },
        subjectPublicKeyInfo: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      });
      const issued = await ca.issue(token);
      return {
        key: privateKey,
        chain: [issued.certificate, ...(await chainBelow(caKey))],
        serial: issued.serial,
        id: issued.id,
      };
    };
    const secc = await issueLeaf('cpo-sub2', 'secc-leaf', options.evseId ?? 'DE*PNC*E12345*1');
    const cpsLeaf = await ca.getCertificate(cpsLeafId);
    const cpsSigner = await keyStore.open(cpsLeaf.keyId!);
    const cpsChain = [cpsLeaf.certificate!, ...(await chainBelow('cps-sub2'))];
    const statusChecker: ContractStatusChecker = {
      async status(certificate, issuer): Promise<RevocationStatus> {
        const issuerCa = (await ca.listCas()).find(
          (c) => c.certificate !== null && Buffer.from(c.certificate).equals(Buffer.from(issuer)),
        );
        if (!issuerCa) return 'unknown';
        const { X509Certificate } = await import('node:crypto');
        const serial = new X509Certificate(certificate).serialNumber;
        const s = await ca.revocationStatus(issuerCa.id, serial);
        if (s.status === 'good') return 'good';
        if (s.status === 'revoked') return { revoked: { at: s.revokedAt, reason: s.reason } };
        return 'unknown';
      },
    };
    const openedDb = db;
    return {
      iso,
      clock,
      ca,
      root,
      cas,
      secc,
      cpsSigner,
      cpsChain,
      statusChecker,
      issueLeaf,
      async vehicle(
        pcid = 'WP0ZZZ99ZTS392124',
        evccId = Uint8Array.of(0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc),
        options = {},
      ) {
        const oem = await issueLeaf('oem-sub2', 'oem-prov-leaf', pcid, options.algorithm);
        const identity = {
          pcid,
          evccId,
          provisioningKey: oem.key,
          provisioningChain: oem.chain,
          v2gRoots: [root],
        };
        if (iso !== 20) return identity;
        const tls = await issueLeaf('vehicle-sub2', 'vehicle-leaf', pcid);
        return { ...identity, tls: { key: tls.key, chain: tls.chain } };
      },
      async close() {
        await openedDb.close();
        keyStore.remove();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await db?.close();
    keyStore.remove();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
