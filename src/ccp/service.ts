// The Contract Certificate Pool service (docs/ccp.md): what the routes and the other components call.
// Stores signed contract data (ContractSink: the CPS; the PUT routes), removes a vehicle's contracts
// for the PCP (VehicleContracts), and serves the management operations with the access rules of the
// OPCP / OPNC access-rights tables (docs/spec-decisions.md D-073). No Fastify types here.

import type { Clock } from '../app/runtime.ts';
import type { Principal } from '../auth/index.ts';
import { assertTenant, canAccessEmaid, canAccessPcid } from '../auth/index.ts';
import { appError } from '../errors/catalogue.ts';
import type { EventSink } from '../events/event-sink.ts';
import type { ProvisioningLookup } from '../pcp/provisioning-lookup.ts';
import type { IsoEdition } from '../pool-inputs/index.ts';
import type { TrustAnchorSource } from '../rcp/trust-anchors.ts';
import type { Database, Tx } from '../storage/types.ts';
import type {
  ContractSink,
  NewSignedContract,
  RemovedVehicleContract,
  StoredContract,
  VehicleContracts,
} from './contract-record.ts';
import { ContractStore } from './contract-store.ts';
import { parseCcpEmaid, parseCcpPcid } from './identifiers.ts';
import { type InstallationInput, type InstallationOutcome, InstallationService } from './installation.ts';
import { type ContractRevoker, type LocalCa, LocalPki } from './local-pki.ts';
import { CcpMaintenance } from './maintenance.ts';
import type { ContractRecord } from './repository.ts';
import { checkSignedData } from './signed-data.ts';
import { deliverIso2, deliverIso20 } from './v2g-messages.ts';

export interface CcpServiceDeps {
  readonly db: Database;
  readonly clock: Clock;
  /** The RCP: roots for the provisioning, CPS and contract chains. */
  readonly trustAnchors: TrustAnchorSource;
  /** The CA operated here: OEM sub-CAs as intermediates, revocation of what it issued (optional). */
  readonly localCa?: LocalCa;
  /** The PCP: a registered vehicle's chain as intermediates (optional, never required). */
  readonly provisioning?: ProvisioningLookup;
  /** Webhook events of contract changes (src/events). */
  readonly events?: Pick<EventSink, 'raise'>;
}

/** A PUT of signed contract data, both trees (the route has checked the JSON types). */
export interface PutSignedContractData {
  readonly emaid?: string;
  readonly pcid?: string;
  readonly xsdMsgDefNamespace?: string;
  readonly iso: IsoEdition;
  readonly signedContractDataXML?: string;
  readonly certificateInstallationRes?: string;
  readonly metadata?: string;
  readonly cpsV2GRootCertificateFingerprint?: string;
}

/** `client:<clientId>`: the audit actor of an API client. */
export function actorOf(principal: Principal): string {
  return `client:${principal.clientId}`;
}

export class CcpService implements ContractSink, VehicleContracts {
  readonly store: ContractStore;
  readonly installation: InstallationService;
  /** Pool maintenance's view of the contracts (src/maintenance/pools.ts ContractPoolMaintenance). */
  readonly maintenance: CcpMaintenance;
  readonly #clock: Clock;
  readonly #trustAnchors: TrustAnchorSource;
  readonly #revoker: ContractRevoker | undefined;
  readonly #db: Database;
  readonly #events: Pick<EventSink, 'raise'> | undefined;

  constructor(deps: CcpServiceDeps) {
    this.store = new ContractStore({
      db: deps.db,
      clock: deps.clock,
      ...(deps.events === undefined ? {} : { events: deps.events }),
    });
    this.#clock = deps.clock;
    this.#trustAnchors = deps.trustAnchors;
    const local = deps.localCa === undefined ? undefined : new LocalPki(deps.localCa, deps.clock);
    this.#revoker = local;
    this.#db = deps.db;
    this.#events = deps.events;
    this.maintenance = new CcpMaintenance({
      db: deps.db,
      clock: deps.clock,
      repository: this.store.repository,
      ...(local === undefined ? {} : { revocation: local }),
    });
    this.installation = new InstallationService({
      contracts: this.store,
      trustAnchors: deps.trustAnchors,
      clock: deps.clock,
      ...(local === undefined ? {} : { intermediates: local, revocation: local }),
      ...(deps.provisioning === undefined ? {} : { provisioning: deps.provisioning }),
    });
  }

  now(): Date {
    return this.#clock.now();
  }

  // --- Interfaces of the other components -----------------------------------------------------------

  addContract(contract: NewSignedContract, actor: string): Promise<StoredContract> {
    return this.store.addContract(contract, actor);
  }

  deleteContractsOfVehicle(tx: Tx, pcid: string, actor: string): Promise<readonly RemovedVehicleContract[]> {
    return this.store.deleteContractsOfVehicle(tx, pcid, actor);
  }

  // --- Installation (CPO, OEM) ------------------------------------------------------------------------

  /** A CertificateInstallationReq: the vehicle's contract(s), or a failure with its FAILED EXI. */
  install(principal: Principal, input: InstallationInput): Promise<InstallationOutcome> {
    return this.installation.install(principal, input);
  }

  // --- Management (MO, OEM, CPS) ----------------------------------------------------------------------

  /** CPS or MO: checks and stores signed contract data of one of its EMAIDs for a vehicle. */
  async putSignedContractData(
    principal: Principal,
    body: PutSignedContractData,
  ): Promise<{ readonly contract: NewSignedContract; readonly stored: StoredContract }> {
    const emaid = parseCcpEmaid(body.emaid);
    const pcid = parseCcpPcid(body.pcid);
    assertTenant(canAccessEmaid(principal, emaid.normalized), `EMAID ${emaid.normalized}`);
    const contract = await checkSignedData(
      {
        emaid,
        pcid,
        iso: body.iso,
        ...(body.signedContractDataXML === undefined ? {} : { xml: body.signedContractDataXML }),
        ...(body.certificateInstallationRes === undefined ? {} : { exi: body.certificateInstallationRes }),
        metadata: body.metadata ?? null,
        ...(body.cpsV2GRootCertificateFingerprint === undefined
          ? {}
          : { cpsV2GRootCertificateFingerprint: body.cpsV2GRootCertificateFingerprint }),
      },
      { trustAnchors: this.#trustAnchors, now: this.#clock.now() },
    );
    const stored = await this.store.addContract(contract, actorOf(principal));
    return { contract, stored };
  }

  /**
   * MO: deletes every contract of one of its EMAIDs (all vehicles, all editions). Contract
   * certificates issued by a CA of this server are revoked first unless `skipRevocation` (OPCP
   * X-Skip-Revocation); when a revocation fails, nothing is deleted.
   */
  async deleteContract(
    principal: Principal,
    emaidInput: string,
    options: { readonly skipRevocation?: boolean } = {},
  ): Promise<ContractRecord[]> {
    const emaid = parseCcpEmaid(emaidInput);
    assertTenant(canAccessEmaid(principal, emaid.normalized), `EMAID ${emaid.normalized}`);
    if (options.skipRevocation !== true && this.#revoker !== undefined) {
      const seen = new Set<string>();
      for (const record of await this.store.findByEmaid(emaid.lookupKeys)) {
        const key = Buffer.from(record.contractCertificate).toString('base64');
        if (seen.has(key)) continue;
        seen.add(key);
        await this.#revoker.revokeIfIssuedHere(record.contractCertificate, actorOf(principal));
      }
    }
    const deleted = await this.store.deleteByEmaid(emaid.lookupKeys, actorOf(principal));
    if (deleted.length === 0) {
      throw appError('ccp.contract-not-found', `no contract for EMAID ${emaid.normalized} in the pool`);
    }
    return deleted.map((d) => d.record);
  }

  /** MO: the contracts of one of its EMAIDs, optionally of one edition / CPS root. */
  async lookupContract(
    principal: Principal,
    emaidInput: string,
    filter: { readonly iso?: 2 | 20; readonly cpsV2GRootFingerprint?: string } = {},
  ): Promise<ContractRecord[]> {
    const emaid = parseCcpEmaid(emaidInput);
    assertTenant(canAccessEmaid(principal, emaid.normalized), `EMAID ${emaid.normalized}`);
    const found = (await this.store.findByEmaid(emaid.lookupKeys)).filter(
      (r) =>
        (filter.iso === undefined || r.iso === filter.iso) &&
        (filter.cpsV2GRootFingerprint === undefined ||
          r.cpsV2GRootFingerprint === filter.cpsV2GRootFingerprint),
    );
    if (found.length === 0) {
      throw appError('ccp.contract-not-found', `no contract for EMAID ${emaid.normalized} in the pool`);
    }
    return found;
  }

  /** OEM: the contracts of one of its vehicles (empty list when it has none). */
  async listContracts(
    principal: Principal,
    pcidInput: string,
    filter: { readonly iso?: 2 | 20 } = {},
  ): Promise<ContractRecord[]> {
    const pcid = parseCcpPcid(pcidInput);
    assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    return this.store.listByPcid(pcid, {
      ...(filter.iso === undefined ? {} : { iso: filter.iso }),
      withExi: false,
    });
  }

  /** OEM: makes the vehicle's contract of this EMAID its default. */
  async setDefaultContract(
    principal: Principal,
    pcidInput: string,
    emaidInput: string,
  ): Promise<ContractRecord[]> {
    const pcid = parseCcpPcid(pcidInput);
    const emaid = parseCcpEmaid(emaidInput);
    assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    const changed = await this.store.setDefault(pcid, emaid.lookupKeys, actorOf(principal));
    if (changed.length === 0) {
      throw appError(
        'ccp.contract-not-found',
        `vehicle ${pcid} has no contract for EMAID ${emaid.normalized} in the pool`,
      );
    }
    return changed;
  }

  /**
   * OEM: the signed contract data of one EMAID for one of its vehicles (provideSignedContractData),
   * with the SessionID given (hex; else as stored). OPCP: "without the [V2G2-894] checks" — the OEM
   * checks validity and revocation before installing.
   */
  async findVehicleContract(
    principal: Principal,
    emaidInput: string,
    pcidInput: string,
    filter: {
      readonly iso?: 2 | 20;
      readonly cpsV2GRootCertificateFingerprint?: string;
      readonly sessionId?: string;
    } = {},
  ): Promise<{ readonly contract: ContractRecord; readonly exi: Uint8Array }[]> {
    const pcid = parseCcpPcid(pcidInput);
    const emaid = parseCcpEmaid(emaidInput);
    assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    const found = (
      await this.store.listByPcid(pcid, filter.iso === undefined ? {} : { iso: filter.iso })
    ).filter(
      (r) =>
        emaid.lookupKeys.includes(r.emaid) &&
        (filter.cpsV2GRootCertificateFingerprint === undefined ||
          r.cpsV2GRootFingerprint === filter.cpsV2GRootCertificateFingerprint),
    );
    if (found.length === 0) {
      throw appError(
        'ccp.contract-not-found',
        `vehicle ${pcid} has no contract for EMAID ${emaid.normalized} in the pool`,
      );
    }
    const session = sessionIdOf(filter.sessionId, found);
    const now = this.#clock.now();
    // docs/events.md: the MO learns that the OEM pulled its contract data (OPCP webhook
    // mo.contract.delivered.to.oem). Not raised on CertificateInstallationReq answers: that is the
    // hot path of the CCP and the CPO, not the OEM, delivers it (D-037).
    const events = this.#events;
    if (events !== undefined && principal.role === 'OEM') {
      await this.#db.transaction(async (tx) => {
        for (const contract of found) {
          await events.raise(
            tx,
            { type: 'mo.contract.delivered.to.oem', pcid, emaid: contract.emaid, iso: contract.iso },
            { actor: actorOf(principal) },
          );
        }
      });
    }
    return found.map((contract) => ({
      contract,
      exi:
        session === undefined
          ? contract.certificateInstallationRes
          : contract.iso === 2
            ? deliverIso2(contract.certificateInstallationRes, session)
            : deliverIso20(contract.certificateInstallationRes, session, { now, remaining: 0 }),
    }));
  }
}

/** The sessionID query parameter: hex, 1 to 8 bytes (-20: exactly 8; spec-gaps.md item 31). */
function sessionIdOf(text: string | undefined, contracts: readonly ContractRecord[]): Uint8Array | undefined {
  if (text === undefined || text === '') return undefined;
  const needs20 = contracts.some((c) => c.iso === 20);
  const ok = /^(?:[0-9a-fA-F]{2}){1,8}$/.test(text) && (!needs20 || text.length === 16);
  if (!ok) {
    throw appError(
      'ccp.invalid-session-id',
      'Invalid SessionID format: hexadecimal of at most 8 bytes (exactly 8 for ISO 15118-20)',
    );
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}
