// Small SQL-backed pools for the maintenance tests (tables mt_*; a test registration like
// src/storage/testing/kv-migrations.ts): real tables on the real backends, implementing the
// interfaces of ../pools.ts the way the RCP, PCP and CCP repositories are to implement them.

import type { MigrationRegistration, Tx } from '../../storage/types.ts';
import type {
  ContractPoolMaintenance,
  ContractRef,
  ExpiringContract,
  ExpiringProvisioningCertificate,
  ExpiringRoot,
  ProvisioningPoolMaintenance,
  RootPoolMaintenance,
} from '../pools.ts';

const TABLES = (int: string) => `CREATE TABLE mt_roots (
  id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  common_name TEXT NOT NULL,
  not_after_at ${int} NOT NULL,
  revoked ${int} NOT NULL
);
CREATE TABLE mt_prov (
  pcid TEXT PRIMARY KEY,
  root_fingerprint TEXT NOT NULL,
  not_after_at ${int} NOT NULL,
  revoked ${int} NOT NULL
);
CREATE TABLE mt_contracts (
  id TEXT PRIMARY KEY,
  pcid TEXT,
  emaid TEXT NOT NULL,
  root_fingerprint TEXT NOT NULL,
  not_after_at ${int} NOT NULL,
  revoked ${int} NOT NULL
);`;

export const MAINTENANCE_TEST_MIGRATIONS: MigrationRegistration = {
  component: 'maintenance_test',
  migrations: [{ id: 1, name: 'create mt tables', sqlite: TABLES('INTEGER'), postgres: TABLES('BIGINT') }],
};

type Reader = {
  query<R extends object>(sql: string, params?: readonly (string | number | null)[]): Promise<R[]>;
};

const reason = (revoked: number | bigint) =>
  Number(revoked) === 1 ? ('revoked' as const) : ('expired' as const);

export class TestPools implements RootPoolMaintenance, ProvisioningPoolMaintenance, ContractPoolMaintenance {
  readonly #db: Reader;
  /** Makes removeContract throw for this id (a failing removal must roll back its transaction). */
  failContract: string | undefined;

  constructor(db: Reader) {
    this.#db = db;
  }

  async listExpiredOrRevokedRoots(now: Date): Promise<ExpiringRoot[]> {
    const rows = await this.#db.query<{
      id: string;
      fingerprint: string;
      common_name: string;
      revoked: number;
    }>(
      'SELECT id, fingerprint, common_name, revoked FROM mt_roots WHERE not_after_at < $1 OR revoked = 1 ORDER BY id',
      [now.getTime()],
    );
    return rows.map((r) => ({
      id: r.id,
      reason: reason(r.revoked),
      iso: 2,
      root: {
        rootCertificateId: r.id,
        distinguishedName: `CN=${r.common_name}, O=Test, C=DE`,
        commonName: r.common_name,
        rootType: 'V2G',
        fingerprintSHA256: r.fingerprint,
      },
    }));
  }

  async removeRoot(tx: Tx, id: string): Promise<boolean> {
    return (await tx.execute('DELETE FROM mt_roots WHERE id = $1', [id])).changes === 1;
  }

  async listExpiredOrRevokedProvisioningCertificates(now: Date): Promise<ExpiringProvisioningCertificate[]> {
    const rows = await this.#db.query<{ pcid: string; revoked: number }>(
      'SELECT pcid, revoked FROM mt_prov WHERE not_after_at < $1 OR revoked = 1 ORDER BY pcid',
      [now.getTime()],
    );
    return rows.map((r) => ({ pcid: r.pcid, reason: reason(r.revoked), iso: 2 }));
  }

  async provisioningCertificatesUnderRoot(tx: Tx, fp: string): Promise<string[]> {
    const rows = await tx.query<{ pcid: string }>('SELECT pcid FROM mt_prov WHERE root_fingerprint = $1', [
      fp,
    ]);
    return rows.map((r) => r.pcid);
  }

  async removeProvisioningCertificate(tx: Tx, pcid: string): Promise<boolean> {
    return (await tx.execute('DELETE FROM mt_prov WHERE pcid = $1', [pcid])).changes === 1;
  }

  async listExpiredOrRevokedContracts(now: Date): Promise<ExpiringContract[]> {
    const rows = await this.#db.query<{ id: string; pcid: string | null; emaid: string; revoked: number }>(
      'SELECT id, pcid, emaid, revoked FROM mt_contracts WHERE not_after_at < $1 OR revoked = 1 ORDER BY id',
      [now.getTime()],
    );
    return rows.map((r) => ({ id: r.id, pcid: r.pcid, emaid: r.emaid, iso: 2, reason: reason(r.revoked) }));
  }

  async contractsOfVehicle(tx: Tx, pcid: string): Promise<ContractRef[]> {
    const rows = await tx.query<{ id: string; pcid: string | null; emaid: string }>(
      'SELECT id, pcid, emaid FROM mt_contracts WHERE pcid = $1 ORDER BY id',
      [pcid],
    );
    return rows.map((r) => ({ ...r, iso: 2 }));
  }

  async contractsUnderRoot(tx: Tx, fp: string): Promise<ContractRef[]> {
    const rows = await tx.query<{ id: string; pcid: string | null; emaid: string }>(
      'SELECT id, pcid, emaid FROM mt_contracts WHERE root_fingerprint = $1 ORDER BY id',
      [fp],
    );
    return rows.map((r) => ({ ...r, iso: 2 }));
  }

  async removeContract(tx: Tx, id: string): Promise<boolean> {
    const removed = (await tx.execute('DELETE FROM mt_contracts WHERE id = $1', [id])).changes === 1;
    if (id === this.failContract) throw new Error(`test: removing contract ${id} fails`);
    return removed;
  }
}
