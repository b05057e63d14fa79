// The write side of the pool that other components use: the CPS stores what it signed
// (ContractSink), the PCP removes a vehicle's contracts inside its own transaction
// (VehicleContracts). Every change is audited in the same transaction (component 'ccp').

import type { Clock } from '../app/runtime.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { appError } from '../errors/catalogue.ts';
import type { EventSink } from '../events/event-sink.ts';
import type { Database, Tx } from '../storage/types.ts';
import type {
  ContractSink,
  NewSignedContract,
  RemovedVehicleContract,
  StoredContract,
  VehicleContracts,
} from './contract-record.ts';
import { isPcid, normalizeEmaid } from './identifiers.ts';
import { type ContractRecord, ContractRepository, type DeletedContract } from './repository.ts';

export const AUDIT_COMPONENT = 'ccp';

/** Largest signed CertificateInstallationRes stored (EXI bytes; real ones are ~4.4 KB). */
export const MAX_STORED_RES_BYTES = 16 * 1024;

export interface ContractStoreDeps {
  readonly db: Database;
  readonly clock: Clock;
  /**
   * Webhook events (src/events, docs/events.md "Who raises what"): `oem.contract.created|updated|deleted`
   * for contracts bound to a vehicle, raised in the transaction of the change.
   */
  readonly events?: Pick<EventSink, 'raise'>;
}

function invalid(message: string): never {
  throw appError('ccp.invalid-contract', message);
}

/** Shape checks of a NewSignedContract (the CPS and the PUT route both come through here). */
export function checkNewContract(c: NewSignedContract): void {
  if (normalizeEmaid(c.emaid) !== c.emaid)
    invalid('emaid must be a normalised EMAID (upper case, no hyphens)');
  if (c.providerId !== c.emaid.slice(0, 5))
    invalid('providerId must be the first five characters of the EMAID');
  if (typeof c.emaidAsInCertificate !== 'string' || normalizeEmaid(c.emaidAsInCertificate) === undefined)
    invalid('emaidAsInCertificate must be the EMAID of the contract certificate');
  if (c.pcid !== null && !isPcid(c.pcid)) invalid('pcid must be 17 or 18 letters and digits, or null');
  if (c.iso !== 2 && c.iso !== 20) invalid('iso must be 2 or 20');
  if (!(c.certificateInstallationRes instanceof Uint8Array) || c.certificateInstallationRes.length === 0)
    invalid('certificateInstallationRes is empty');
  if (c.certificateInstallationRes.length > MAX_STORED_RES_BYTES)
    invalid(`certificateInstallationRes is larger than ${MAX_STORED_RES_BYTES} bytes`);
  if (!(c.contractCertificate instanceof Uint8Array) || c.contractCertificate.length === 0)
    invalid('contractCertificate is empty');
  if (!(c.contractNotAfter instanceof Date) || !Number.isFinite(c.contractNotAfter.getTime()))
    invalid('contractNotAfter is not a date');
  if (c.cpsV2GRootFingerprint !== null && !/^[0-9a-f]{64}$/.test(c.cpsV2GRootFingerprint))
    invalid('cpsV2GRootFingerprint must be 64 lower-case hex characters');
  if (c.metadata !== null && (typeof c.metadata !== 'string' || c.metadata.length > 4096))
    invalid('metadata must be text of at most 4096 characters');
  if (c.source !== 'cps' && c.source !== 'api') invalid("source must be 'cps' or 'api'");
}

function auditDetails(r: ContractRecord): Record<string, unknown> {
  return {
    id: r.id,
    pcid: r.pcid,
    iso: r.iso,
    source: r.source,
    isDefault: r.isDefault,
    contractNotAfter: r.contractNotAfter.toISOString(),
    cpsV2GRootFingerprint: r.cpsV2GRootFingerprint,
  };
}

export class ContractStore implements ContractSink, VehicleContracts {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #events: Pick<EventSink, 'raise'> | undefined;
  readonly repository = new ContractRepository();

  constructor(deps: ContractStoreDeps) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#events = deps.events;
  }

  /** An `oem.contract.*` event for a contract bound to a vehicle (events need a PCID and an EMAID). */
  async #raise(
    tx: Tx,
    type: 'oem.contract.created' | 'oem.contract.updated' | 'oem.contract.deleted',
    record: ContractRecord,
    actor: string,
  ): Promise<void> {
    if (this.#events === undefined || record.pcid === null) return;
    await this.#events.raise(
      tx,
      {
        type,
        pcid: record.pcid,
        emaid: record.emaid,
        iso: record.iso,
        ...(type === 'oem.contract.deleted'
          ? {}
          : { contractCert: Buffer.from(record.contractCertificate).toString('base64') }),
        ...(record.cpsV2GRootFingerprint === null
          ? {}
          : { cpsSignerRootFingerprint: record.cpsV2GRootFingerprint }),
      },
      { actor },
    );
  }

  async addContract(contract: NewSignedContract, actor: string): Promise<StoredContract> {
    checkNewContract(contract);
    return this.#db.transaction(async (tx) => {
      const { record, replaced } = await this.repository.upsert(tx, contract, this.#clock.now());
      await appendAudit(tx, {
        at: this.#clock.now(),
        actor,
        component: AUDIT_COMPONENT,
        action: replaced ? 'contract.replaced' : 'contract.added',
        subject: record.emaid,
        details: auditDetails(record),
      });
      await this.#raise(tx, replaced ? 'oem.contract.updated' : 'oem.contract.created', record, actor);
      return { id: record.id, isDefault: record.isDefault };
    });
  }

  async deleteContractsOfVehicle(tx: Tx, pcid: string, actor: string): Promise<RemovedVehicleContract[]> {
    const deleted = await this.repository.deleteByPcid(tx, pcid);
    for (const record of deleted) {
      await appendAudit(tx, {
        at: this.#clock.now(),
        actor,
        component: AUDIT_COMPONENT,
        action: 'contract.deleted',
        subject: record.emaid,
        details: { ...auditDetails(record), reason: 'vehicle' },
      });
      await this.#raise(tx, 'oem.contract.deleted', record, actor);
    }
    return deleted.map((record) => ({ emaid: record.emaid, pcid: record.pcid ?? pcid, iso: record.iso }));
  }

  /** Deletes every contract of an EMAID (all vehicles, all editions) with the audit records. */
  async deleteByEmaid(lookupKeys: readonly string[], actor: string): Promise<DeletedContract[]> {
    return this.#db.transaction(async (tx) => {
      const deleted = await this.repository.deleteByEmaids(tx, lookupKeys);
      for (const { record, promoted } of deleted) {
        await appendAudit(tx, {
          at: this.#clock.now(),
          actor,
          component: AUDIT_COMPONENT,
          action: 'contract.deleted',
          subject: record.emaid,
          details: { ...auditDetails(record), reason: 'request' },
        });
        await this.#raise(tx, 'oem.contract.deleted', record, actor);
        if (promoted !== undefined) {
          await appendAudit(tx, {
            at: this.#clock.now(),
            actor,
            component: AUDIT_COMPONENT,
            action: 'contract.default-set',
            subject: promoted.emaid,
            details: { ...auditDetails(promoted), reason: 'default deleted', previous: record.emaid },
          });
        }
      }
      return deleted;
    });
  }

  /** Makes the vehicle's contract of this EMAID its default (every edition in which it has one). */
  async setDefault(pcid: string, lookupKeys: readonly string[], actor: string): Promise<ContractRecord[]> {
    return this.#db.transaction(async (tx) => {
      for (const emaid of lookupKeys) {
        const { changed, previous } = await this.repository.setDefault(tx, pcid, emaid);
        if (changed.length === 0) continue;
        for (const record of changed) {
          const before = previous.find((p) => p.iso === record.iso);
          if (before === undefined) continue; // it was the default already: nothing changed
          await appendAudit(tx, {
            at: this.#clock.now(),
            actor,
            component: AUDIT_COMPONENT,
            action: 'contract.default-set',
            subject: record.emaid,
            details: { ...auditDetails(record), reason: 'request', previous: before.emaid },
          });
        }
        return changed;
      }
      return [];
    });
  }

  /** Contracts of an EMAID (committed data). */
  findByEmaid(lookupKeys: readonly string[]): Promise<ContractRecord[]> {
    return this.repository.findByEmaids(this.#db, lookupKeys);
  }

  /** Contracts of a vehicle, default first (committed data). */
  listByPcid(
    pcid: string,
    options: { readonly iso?: 2 | 20; readonly withExi?: boolean } = {},
  ): Promise<ContractRecord[]> {
    return this.repository.listByPcid(this.#db, pcid, options);
  }
}
