// The Contract Certificate Pool's side of pool maintenance (src/maintenance/pools.ts,
// docs/maintenance.md; OPCP "Pool management": revoked and expired certificates are removed on a
// regular basis). Maintenance decides what goes and raises the events; this adapter lists candidates
// and removes rows inside maintenance's transaction, with the pool's own audit record.

import type { Clock } from '../app/runtime.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { ContractPoolMaintenance, ContractRef, ExpiringContract } from '../maintenance/pools.ts';
import type { Database, Tx } from '../storage/types.ts';
import { AUDIT_COMPONENT } from './contract-store.ts';
import { type ContractRecord, type ContractRepository, pcidKey } from './repository.ts';

/** Most contracts examined per maintenance run (the run is repeated on schedule). */
export const MAINTENANCE_BATCH = 100_000;

export interface CcpMaintenanceDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly repository: ContractRepository;
  /** Revocation status of contract certificates this server's CA issued ('unknown' for others). */
  readonly revocation?: {
    statusIssuedHere(certificate: Uint8Array): Promise<'good' | 'revoked' | 'unknown'>;
  };
}

function ref(record: ContractRecord): ContractRef {
  return { id: record.id, pcid: record.pcid, emaid: record.emaid, iso: record.iso };
}

export class CcpMaintenance implements ContractPoolMaintenance {
  readonly #deps: CcpMaintenanceDeps;

  constructor(deps: CcpMaintenanceDeps) {
    this.#deps = deps;
  }

  async listExpiredOrRevokedContracts(now: Date): Promise<readonly ExpiringContract[]> {
    const out: ExpiringContract[] = [];
    for (const record of await this.#deps.repository.listSummaries(this.#deps.db, MAINTENANCE_BATCH)) {
      if (record.contractNotAfter.getTime() < now.getTime()) {
        out.push({ ...ref(record), reason: 'expired' });
        continue;
      }
      // Only our own CA is asked: other MO PKIs' OCSP is not queried per contract per run (as the PCP, D-053).
      if ((await this.#deps.revocation?.statusIssuedHere(record.contractCertificate)) === 'revoked') {
        out.push({ ...ref(record), reason: 'revoked' });
      }
    }
    return out;
  }

  async contractsOfVehicle(tx: Tx, pcid: string): Promise<readonly ContractRef[]> {
    if (pcidKey(pcid) === '') return [];
    return (await this.#deps.repository.listByPcid(tx, pcid, { withExi: false })).map(ref);
  }

  async contractsUnderRoot(tx: Tx, rootFingerprintSha256: string): Promise<readonly ContractRef[]> {
    return (await this.#deps.repository.listUnderCpsRoot(tx, rootFingerprintSha256)).map(ref);
  }

  async removeContract(tx: Tx, id: string, actor: string, now: Date): Promise<boolean> {
    const deleted = await this.#deps.repository.deleteById(tx, id);
    if (deleted === undefined) return false;
    await appendAudit(tx, {
      at: now,
      actor,
      component: AUDIT_COMPONENT,
      action: 'contract.deleted',
      subject: deleted.record.emaid,
      details: { id, pcid: deleted.record.pcid, iso: deleted.record.iso, reason: 'maintenance' },
    });
    if (deleted.promoted !== undefined) {
      await appendAudit(tx, {
        at: now,
        actor,
        component: AUDIT_COMPONENT,
        action: 'contract.default-set',
        subject: deleted.promoted.emaid,
        details: {
          id: deleted.promoted.id,
          pcid: deleted.promoted.pcid,
          reason: 'default removed by maintenance',
        },
      });
    }
    return true;
  }
}
