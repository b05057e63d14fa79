// Pool maintenance (docs/maintenance.md): removes expired and revoked certificates from the pools with
// everything that depends on them, raises the events that follow and writes audit records, each
// removal in one transaction (the certificate, its dependants, their events and audit records commit
// together or not at all). Run on a schedule by `pnc serve` (./scheduler.ts) and on demand by
// `pnc maintain`. Interop.md: "revoked ones are removed by regular checks; expired ones by batch jobs;
// the CCP is cleaned when the PCP entry is removed".
//
// Cascade (D-112):
//   root expired / revoked   → root.cert.expired / root.cert.revoked (every subscriber);
//                              the provisioning certificates and the contracts under that root go too
//   provisioning certificate → every contract of the vehicle: mo.prov.cert.deleted (MO) and
//                              oem.contract.deleted (OEM) per contract
//   contract                 → oem.contract.deleted (OEM; the MO then gets
//                              mo.contract.deleted.sent.to.oem from the delivery worker)
// Records removed already (by another instance, or an earlier cascade in the same run) are skipped.

import type { Clock } from '../app/runtime.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { EventSink } from '../events/event-sink.ts';
import { PRUNE_BATCH, pruneFinishedEvents } from '../events/repository.ts';
import type { Database, Tx } from '../storage/types.ts';
import type { ContractRef, MaintainedPools, RemovalReason } from './pools.ts';

export interface MaintenanceReport {
  readonly startedAt: string;
  readonly roots: number;
  readonly provisioningCertificates: number;
  readonly contracts: number;
  readonly events: number;
  /** Candidates whose removal failed (logged; retried on the next run). */
  readonly failures: number;
  /** Finished webhook events removed after the retention period, with their delivery log (D-178). */
  readonly prunedEvents: number;
}

export interface MaintenanceLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

export interface MaintenanceDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly pools: MaintainedPools;
  readonly logger?: MaintenanceLogger;
  /**
   * Days after which webhook events whose deliveries are all finished are removed with their
   * delivery log (PNC_EVENT_RETENTION_DAYS, D-178); 0 or absent keeps them.
   */
  readonly eventRetentionDays?: number;
}

/** Why a dependant goes: its own reason, or the removal of what it depends on. */
type Cause = RemovalReason | 'root-removed' | 'provisioning-certificate-removed';

interface Counts {
  roots: number;
  provisioningCertificates: number;
  contracts: number;
  events: number;
  failures: number;
}

export class MaintenanceService {
  readonly #deps: MaintenanceDeps;

  constructor(deps: MaintenanceDeps) {
    this.#deps = deps;
  }

  /** One maintenance run; `actor` is `system` for the schedule, `cli` for `pnc maintain`. */
  async run(actor: string): Promise<MaintenanceReport> {
    const { clock, pools } = this.#deps;
    const now = clock.now();
    const counts: Counts = { roots: 0, provisioningCertificates: 0, contracts: 0, events: 0, failures: 0 };

    for (const root of (await pools.rcp?.listExpiredOrRevokedRoots(now)) ?? []) {
      await this.#each(counts, { root: root.id }, async (tx, c) => {
        if (!(await pools.rcp?.removeRoot(tx, root.id, actor, now))) return;
        c.roots++;
        const fp = root.root.fingerprintSHA256.replaceAll(':', '').toLowerCase();
        await this.#deps.events.raise(
          tx,
          {
            type: root.reason === 'expired' ? 'root.cert.expired' : 'root.cert.revoked',
            iso: root.iso,
            root: root.root,
          },
          { actor },
        );
        c.events++;
        await appendAudit(tx, {
          at: now,
          actor,
          component: 'maintenance',
          action: 'root.removed',
          subject: fp,
          details: { reason: root.reason, rootId: root.id, rootType: root.root.rootType },
        });
        for (const pcid of (await pools.pcp?.provisioningCertificatesUnderRoot(tx, fp)) ?? []) {
          await this.#removeProvisioning(tx, c, pcid, 'root-removed', actor, now);
        }
        for (const contract of (await pools.ccp?.contractsUnderRoot(tx, fp)) ?? []) {
          await this.#removeContract(tx, c, contract, 'root-removed', actor, now);
        }
      });
    }

    for (const cert of (await pools.pcp?.listExpiredOrRevokedProvisioningCertificates(now)) ?? []) {
      await this.#each(counts, { pcid: cert.pcid }, (tx, c) =>
        this.#removeProvisioning(tx, c, cert.pcid, cert.reason, actor, now),
      );
    }

    for (const contract of (await pools.ccp?.listExpiredOrRevokedContracts(now)) ?? []) {
      await this.#each(counts, { contract: contract.id }, (tx, c) =>
        this.#removeContract(tx, c, contract, contract.reason, actor, now),
      );
    }
    const prunedEvents = await this.#pruneEvents(actor, now);
    return { startedAt: now.toISOString(), ...counts, prunedEvents };
  }

  /**
   * D-178: the outbox and the delivery log grow with every change; events raised more than
   * eventRetentionDays ago whose deliveries are all final (delivered, rejected, failed, cancelled) go,
   * in batches of PRUNE_BATCH per transaction, each batch with one audit record of its counts.
   */
  async #pruneEvents(actor: string, now: Date): Promise<number> {
    const days = this.#deps.eventRetentionDays ?? 0;
    if (days <= 0) return 0;
    const before = now.getTime() - days * 86_400_000;
    let total = 0;
    for (;;) {
      let removed: { events: number; deliveries: number; attempts: number };
      try {
        removed = await this.#deps.db.transaction(async (tx) => {
          const r = await pruneFinishedEvents(tx, before);
          if (r.events > 0) {
            await appendAudit(tx, {
              at: now,
              actor,
              component: 'maintenance',
              action: 'events.pruned',
              subject: 'events',
              details: { ...r, raisedBefore: new Date(before).toISOString(), retentionDays: days },
            });
          }
          return r;
        });
      } catch (error) {
        this.#deps.logger?.warn(
          { err: error },
          'maintenance: pruning old events failed, retried on the next run',
        );
        return total;
      }
      total += removed.events;
      if (removed.events < PRUNE_BATCH) return total;
    }
  }

  /** One candidate in one transaction; counts only what committed. */
  async #each(
    counts: Counts,
    what: Record<string, string>,
    fn: (tx: Tx, c: Counts) => Promise<void>,
  ): Promise<void> {
    try {
      // Counted afresh on every attempt (PostgreSQL may run fn again), merged after the commit.
      const local = await this.#deps.db.transaction(async (tx) => {
        const c: Counts = { roots: 0, provisioningCertificates: 0, contracts: 0, events: 0, failures: 0 };
        await fn(tx, c);
        return c;
      });
      counts.roots += local.roots;
      counts.provisioningCertificates += local.provisioningCertificates;
      counts.contracts += local.contracts;
      counts.events += local.events;
    } catch (error) {
      counts.failures++;
      this.#deps.logger?.warn(
        { err: error, ...what },
        'maintenance: removal failed, retried on the next run',
      );
    }
  }

  async #removeProvisioning(
    tx: Tx,
    c: Counts,
    pcid: string,
    cause: Cause,
    actor: string,
    now: Date,
  ): Promise<void> {
    const { pools, events } = this.#deps;
    const contracts = (await pools.ccp?.contractsOfVehicle(tx, pcid)) ?? [];
    if (!(await pools.pcp?.removeProvisioningCertificate(tx, pcid, actor, now))) return;
    c.provisioningCertificates++;
    await appendAudit(tx, {
      at: now,
      actor,
      component: 'maintenance',
      action: 'provisioning-certificate.removed',
      subject: pcid,
      details: { reason: cause, contracts: contracts.length },
    });
    for (const contract of contracts) {
      if (!(await pools.ccp?.removeContract(tx, contract.id, actor, now))) continue;
      c.contracts++;
      await appendAudit(tx, {
        at: now,
        actor,
        component: 'maintenance',
        action: 'contract.removed',
        subject: contract.emaid,
        details: { reason: 'provisioning-certificate-removed', pcid, contractId: contract.id },
      });
      // OPCP docs/components/06: mo.prov.cert.deleted "The OEM Prov. Certificate got deleted from
      // PCP. Hubject deleted all Contract Data for that PCID on CCP."
      await events.raise(
        tx,
        { type: 'mo.prov.cert.deleted', pcid, emaid: contract.emaid, iso: contract.iso },
        { actor },
      );
      await events.raise(
        tx,
        { type: 'oem.contract.deleted', pcid, emaid: contract.emaid, iso: contract.iso },
        { actor },
      );
      c.events += 2;
    }
  }

  async #removeContract(
    tx: Tx,
    c: Counts,
    contract: ContractRef,
    cause: Cause,
    actor: string,
    now: Date,
  ): Promise<void> {
    if (!(await this.#deps.pools.ccp?.removeContract(tx, contract.id, actor, now))) return;
    c.contracts++;
    await appendAudit(tx, {
      at: now,
      actor,
      component: 'maintenance',
      action: 'contract.removed',
      subject: contract.emaid,
      details: { reason: cause, pcid: contract.pcid, contractId: contract.id },
    });
    // Contract data without a vehicle has no OEM to tell (the payload requires a pcid).
    if (contract.pcid !== null) {
      await this.#deps.events.raise(
        tx,
        { type: 'oem.contract.deleted', pcid: contract.pcid, emaid: contract.emaid, iso: contract.iso },
        { actor },
      );
      c.events++;
    }
  }
}
