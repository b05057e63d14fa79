// The Provisioning Certificate Pool (OPCP docs/components/02, OPNC docs/components/02; docs/pcp.md):
// OEMs publish, update and delete the provisioning certificate chain of a vehicle under its PCID;
// MOs, the CPS and the OEM itself read it and look vehicles up. Transport-free: the route modules
// (./routes.ts) call it with the caller's Principal.
//
// Add / update runs the input checks and then the four control steps of the specification in its
// order, reporting the first failure (./checks.ts). A get repeats the revocation and trust checks
// ("Before the delivery ... verifies the certificate status ... verifies trust chain", OPCP
// pcp.v1.json getOEMProvCert) and the validity shell. An update with another key pair, and a delete,
// remove the vehicle's contracts in the Contract Certificate Pool in the same transaction.

import { assertTenant, canAccessPcid, canAccessWmi, type Principal } from '../auth/index.ts';
import type { RemovedVehicleContract, VehicleContracts } from '../ccp/contract-record.ts';
import { appError } from '../errors/catalogue.ts';
import type { EventSink } from '../events/event-sink.ts';
import type { ExpiringProvisioningCertificate, ProvisioningPoolMaintenance } from '../maintenance/pools.ts';
import { parseCertificate } from '../pki/ocsp/index.ts';
import type { TrustAnchorSource, TrustedRoot } from '../rcp/trust-anchors.ts';
import type { Tx } from '../storage/types.ts';
import {
  type ChainEntry,
  checkSizes,
  checkValidityShell,
  editionOfKey,
  evaluateTrust,
  type ProfileFinding,
  pcidOfLeaf,
  profileFindings,
  sha256Hex,
  storedRootOf,
  type TrustResult,
} from './checks.ts';
import type { ProvisioningLookup, ProvisioningRecord } from './provisioning-lookup.ts';
import type { PcpRepository, ProvisioningRow, StoredRoot } from './repository.ts';
import type { CertificateRevocation, ChainLink, RevocationChecker } from './revocation/checker.ts';
import { PCID_PATTERN, POSITION_LABEL, parseUpload } from './upload.ts';

/**
 * What a revocation status that cannot be determined (responder unreachable, answer unusable, no
 * OCSP URL and no CRL) means for a trusted chain: `reject` (default, fail closed) or `accept` (the
 * status is recorded in the audit record). D-053.
 */
export type UnknownRevocationPolicy = 'reject' | 'accept';

export interface PcpServiceDeps {
  readonly repository: PcpRepository;
  /** The Root Certificate Pool (src/rcp). */
  readonly trustAnchors: TrustAnchorSource;
  readonly revocation: Pick<RevocationChecker, 'check'>;
  /** The Contract Certificate Pool (src/ccp); absent while it is not built: nothing to delete. */
  readonly vehicleContracts?: VehicleContracts;
  /**
   * Webhook events (docs/events.md): `mo.prov.cert.updated` / `mo.prov.cert.deleted`, one per contract
   * removed with the vehicle's key pair or certificate, in the transaction of the change.
   */
  readonly events?: Pick<EventSink, 'raise'>;
  readonly clock: { now(): Date };
  readonly unknownRevocation?: UnknownRevocationPolicy;
}

/** A vehicle as the APIs return it. */
export interface ProvisioningView {
  readonly pcid: string;
  readonly wmi: string;
  readonly iso: 2 | 20;
  readonly vehicleCertificate: Uint8Array;
  readonly subCa2Certificate: Uint8Array | null;
  readonly subCa1Certificate: Uint8Array;
  /** SHA-256 of the provisioning certificate's DER, lower-case hex (the `fingerprint` field). */
  readonly vehicleFingerprintSha256: string;
  readonly previousPcid: string | null;
  readonly v2gRootAuthorityKeyIdentifiers: readonly string[];
  readonly root: StoredRoot;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface PutResult {
  readonly view: ProvisioningView;
  readonly outcome: 'created' | 'updated';
  /** Update with a different SubjectPublicKeyInfo than stored. */
  readonly keyChanged: boolean;
  /** Contracts the CCP deleted (null when no CCP is wired). */
  readonly contractsDeleted: number | null;
  /** Non-blocking profile findings (also in the audit record). */
  readonly warnings: readonly ProfileFinding[];
  readonly revocation: readonly CertificateRevocation[];
}

const ANCHOR_TYPES = ['OEM', 'V2G'] as const;

function toView(row: ProvisioningRow): ProvisioningView {
  return {
    pcid: row.pcid,
    wmi: row.wmi,
    iso: row.iso,
    vehicleCertificate: row.vehicleCertificate,
    subCa2Certificate: row.subCa2Certificate,
    subCa1Certificate: row.subCa1Certificate,
    vehicleFingerprintSha256: row.vehicleFingerprintSha256,
    previousPcid: row.previousPcid,
    v2gRootAuthorityKeyIdentifiers: row.v2gRootAuthorityKeyIdentifiers,
    root: row.root,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function actorOf(principal: Principal): string {
  return `client:${principal.clientId}`;
}

function entriesOf(vehicle: Uint8Array, subCa2: Uint8Array | null, subCa1: Uint8Array): ChainEntry[] {
  const entry = (position: ChainEntry['position'], der: Uint8Array): ChainEntry => ({
    position,
    der,
    info: parseCertificate(der),
  });
  return [
    entry('vehicle', vehicle),
    ...(subCa2 === null ? [] : [entry('subCa2', subCa2)]),
    entry('subCa1', subCa1),
  ];
}

function revocationSummary(
  entries: readonly ChainEntry[],
  statuses: readonly CertificateRevocation[],
): Record<string, unknown>[] {
  return statuses.map((s, i) => ({
    certificate: entries[i]?.position,
    status: s.status,
    source: s.source,
    ...(s.status === 'unknown' ? { reason: s.reason } : {}),
  }));
}

export class ProvisioningCertificatePool implements ProvisioningLookup, ProvisioningPoolMaintenance {
  readonly #deps: PcpServiceDeps;
  readonly #unknownRevocation: UnknownRevocationPolicy;

  constructor(deps: PcpServiceDeps) {
    this.#deps = deps;
    this.#unknownRevocation = deps.unknownRevocation ?? 'reject';
  }

  async #raiseForRemoved(
    tx: Tx,
    type: 'mo.prov.cert.updated' | 'mo.prov.cert.deleted' | 'mo.prov.cert.factory.reset',
    removed: readonly RemovedVehicleContract[],
    actor: string,
  ): Promise<void> {
    const events = this.#deps.events;
    if (events === undefined) return;
    for (const contract of removed) {
      await events.raise(
        tx,
        { type, pcid: contract.pcid, emaid: contract.emaid, iso: contract.iso },
        { actor },
      );
    }
  }

  /** OPCP addOEMProvCert / OPNC addProvisioningCertificateV1: add, or update the same PCID. */
  async put(principal: Principal, body: unknown): Promise<PutResult> {
    const now = this.#deps.clock.now();
    // --- input -------------------------------------------------------------------------------------
    const upload = parseUpload(body);
    const iso = editionOfKey(upload.vehicle.info);
    if (iso === undefined) {
      throw appError(
        'pcp.profile',
        `the provisioning certificate has a ${upload.vehicle.info.spki.algorithm} key; ISO 15118-2 uses P-256, ISO 15118-20 P-521 or Ed448`,
        { details: { certificate: 'vehicle', key: upload.vehicle.info.spki.algorithm } },
      );
    }
    // The OPCP request enum offers only the -2 namespace, so a -20 chain may arrive with it (or
    // without the field); the key decides. A -20 namespace with a -2 key contradicts itself (D-057).
    if (upload.namespaceEdition === 20 && iso === 2) {
      throw appError(
        'pcp.iso-mismatch',
        'xsdMsgDefNamespace names ISO 15118-20, but the provisioning certificate has an ISO 15118-2 (P-256) key',
      );
    }
    const entries = entriesOf(upload.vehicle.der, upload.subCa2?.der ?? null, upload.subCa1.der);
    checkSizes(entries, iso);
    const { pcid, wmi } = pcidOfLeaf(upload.vehicle);
    if (upload.previousPcid !== null && upload.previousPcid.toUpperCase() === pcid.toUpperCase()) {
      throw appError('pcp.invalid-request', 'previousPcid is the PCID of the certificate itself', {
        details: { field: 'previousPcid' },
      });
    }
    const profile = profileFindings(entries, iso, now);
    if (profile.blocking.length > 0) {
      const first = profile.blocking[0] as ProfileFinding;
      throw appError(
        'pcp.profile',
        `${POSITION_LABEL[first.certificate]} does not conform to the ISO 15118-${iso} OEM profile: ${first.message}`,
        {
          details: {
            violations: profile.blocking.map((v) => ({
              certificate: v.certificate,
              code: v.code,
              message: v.message,
            })),
          },
        },
      );
    }

    // --- (a) WMI of the PCID within the OEM's scope ----------------------------------------------------
    if (!canAccessWmi(principal, wmi)) {
      throw appError(
        'pcp.wmi-not-in-scope',
        `the WMI ${wmi} of PCID ${pcid} is not among the WMIs of this client`,
        { details: { wmi } },
      );
    }

    // --- (b), (c), (d) ------------------------------------------------------------------------------
    const { root, statuses } = await this.#verifyChain(entries, iso, now);

    // --- store ------------------------------------------------------------------------------------
    const keyFingerprint = sha256Hex(upload.vehicle.info.spki.der);
    const actor = actorOf(principal);
    const contracts = this.#deps.vehicleContracts;
    const saved = await this.#deps.repository.save(
      {
        pcid,
        wmi,
        iso,
        vehicleCertificate: upload.vehicle.der,
        subCa2Certificate: upload.subCa2?.der ?? null,
        subCa1Certificate: upload.subCa1.der,
        vehicleFingerprintSha256: sha256Hex(upload.vehicle.der),
        keyFingerprintSha256: keyFingerprint,
        vehicleNotAfter: upload.vehicle.info.notAfter,
        previousPcid: upload.previousPcid,
        v2gRootAuthorityKeyIdentifiers: upload.v2gRootAuthorityKeyIdentifiers,
        root: storedRootOf(root, parseCertificate(root.der)),
      },
      {
        actor,
        at: now,
        // OPCP docs/components/02 "Update": the contracts were encrypted to the old key; with a new key
        // pair they are useless, so they go in the same transaction (issue 4).
        beforeWrite: async (tx, existing) => {
          if (existing === undefined || existing.keyFingerprintSha256 === keyFingerprint) return {};
          if (contracts === undefined) return { contractsDeleted: null };
          const removed = await contracts.deleteContractsOfVehicle(tx, existing.pcid, actor);
          // docs/events.md: the MO learns that its contract went with the old key pair.
          await this.#raiseForRemoved(tx, 'mo.prov.cert.updated', removed, actor);
          return { contractsDeleted: removed.length };
        },
        auditDetails: {
          revocation: revocationSummary(entries, statuses),
          ...(profile.warnings.length === 0
            ? {}
            : { profileWarnings: [...new Set(profile.warnings.map((w) => `${w.certificate}:${w.code}`))] }),
        },
      },
    );
    const keyChanged = saved.previous !== undefined && saved.previous.keyFingerprintSha256 !== keyFingerprint;
    const deleted = saved.hook.contractsDeleted;
    return {
      view: toView(saved.row),
      outcome: saved.outcome,
      keyChanged,
      // 0 when nothing had to go; null when the key changed but no CCP is wired.
      contractsDeleted: !keyChanged ? 0 : typeof deleted === 'number' ? deleted : null,
      warnings: profile.warnings,
      revocation: statuses,
    };
  }

  /** OPCP getOEMProvCert / OPNC getProvisioningCertificateV1, with the read-time checks. */
  async get(principal: Principal, pcid: string): Promise<ProvisioningView> {
    const row = await this.#readable(principal, pcid);
    const now = this.#deps.clock.now();
    await this.#verifyChain(
      entriesOf(row.vehicleCertificate, row.subCa2Certificate, row.subCa1Certificate),
      row.iso,
      now,
    );
    return toView(row);
  }

  /** OPCP lookupVehicle / OPNC lookupVehicleV1: is there a certificate for the PCID? NotFound if not. */
  async lookup(principal: Principal, pcid: string): Promise<void> {
    this.#checkReadable(principal, pcid);
    if (!(await this.#deps.repository.exists(pcid))) throw notFound(pcid);
  }

  /** OPCP deleteOEMProvCert / OPNC deleteProvisioningCertificateV1, with the vehicle's contracts. */
  async remove(principal: Principal, pcid: string): Promise<{ readonly contractsDeleted: number | null }> {
    this.#checkPcid(pcid);
    assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    const actor = actorOf(principal);
    const contracts = this.#deps.vehicleContracts;
    let contractsDeleted: number | null = null;
    const removed = await this.#deps.repository.remove(pcid, {
      actor,
      at: this.#deps.clock.now(),
      // OPCP deleteOEMProvCert: "A successful delete triggers ... the Contract Certificate Pool for all
      // EMAIDs related to this PCID".
      beforeDelete: async (tx, existing) => {
        if (contracts === undefined) return { contractsDeleted: null };
        const removed = await contracts.deleteContractsOfVehicle(tx, existing.pcid, actor);
        await this.#raiseForRemoved(tx, 'mo.prov.cert.deleted', removed, actor);
        contractsDeleted = removed.length;
        return { contractsDeleted };
      },
    });
    if (removed === undefined) throw notFound(pcid);
    return { contractsDeleted };
  }

  /**
   * Factory reset (our extension, D-038): the OEM removes every contract of its vehicle and keeps the
   * provisioning certificate (OPCP docs/components/06 `mo.prov.cert.factory.reset`: "The OEM triggered
   * the deletion of all Contracts for a PCID … e.g. Factory Reset, Car is sold"; neither spec defines
   * the call). One transaction: the CCP deletions (with `oem.contract.deleted`), one
   * `mo.prov.cert.factory.reset` per contract for its MO, the audit record.
   */
  async factoryReset(principal: Principal, pcid: string): Promise<{ readonly contractsDeleted: number }> {
    this.#checkPcid(pcid);
    assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    const contracts = this.#deps.vehicleContracts;
    if (contracts === undefined) {
      throw appError('pcp.unavailable', 'no contract certificate pool is connected to the PCP');
    }
    const actor = actorOf(principal);
    let contractsDeleted = 0;
    const changed = await this.#deps.repository.changeVehicle(
      pcid,
      { action: 'vehicle.factory-reset', actor, at: this.#deps.clock.now() },
      async (tx, existing) => {
        const removed = await contracts.deleteContractsOfVehicle(tx, existing.pcid, actor);
        await this.#raiseForRemoved(tx, 'mo.prov.cert.factory.reset', removed, actor);
        contractsDeleted = removed.length;
        return { contractsDeleted };
      },
    );
    if (changed === undefined) throw notFound(pcid);
    return { contractsDeleted };
  }

  /** ProvisioningLookup (src/pcp/provisioning-lookup.ts): the stored chain, no checks, no tenant. */
  async findByPcid(pcid: string): Promise<ProvisioningRecord | undefined> {
    if (typeof pcid !== 'string' || !PCID_PATTERN.test(pcid)) return undefined;
    const row = await this.#deps.repository.find(pcid);
    if (row === undefined) return undefined;
    return {
      pcid: row.pcid,
      wmi: row.wmi,
      iso: row.iso,
      vehicleCertificate: row.vehicleCertificate,
      subCa2Certificate: row.subCa2Certificate,
      subCa1Certificate: row.subCa1Certificate,
      rootFingerprintSha256: row.root.fingerprintSha256,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  // --- Pool maintenance (src/maintenance/pools.ts; OPCP 02 "Data Cleansing") ----------------------------

  /**
   * Expired: the provisioning certificate's notAfter has passed. Revoked: a certificate of the stored
   * chain is revoked at this server's CA. Foreign chains are not queried here (one OCSP round per
   * vehicle per run); a get refuses to deliver them once revoked (D-053).
   */
  async listExpiredOrRevokedProvisioningCertificates(
    now: Date,
  ): Promise<readonly ExpiringProvisioningCertificate[]> {
    const out: ExpiringProvisioningCertificate[] = (await this.#deps.repository.listExpired(now)).map(
      (e) => ({
        pcid: e.pcid,
        iso: e.iso,
        reason: 'expired',
      }),
    );
    const roots = new Map<string, Uint8Array>();
    for (const root of await this.#deps.trustAnchors.trustedRoots())
      roots.set(root.fingerprintSha256, root.der);
    for (const row of await this.#deps.repository.list({ limit: 100_000 })) {
      if (row.vehicleNotAfter.getTime() < now.getTime()) continue;
      const entries = entriesOf(row.vehicleCertificate, row.subCa2Certificate, row.subCa1Certificate);
      const chain = [...entries.map((e) => e.der), roots.get(row.root.fingerprintSha256)];
      const links: ChainLink[] = [];
      for (const [i, entry] of entries.entries()) {
        const issuer = chain[i + 1];
        if (issuer !== undefined) links.push({ certificate: entry.der, issuer });
      }
      const statuses = await this.#deps.revocation.check(links, { network: false });
      if (statuses.some((s) => s.status === 'revoked'))
        out.push({ pcid: row.pcid, iso: row.iso, reason: 'revoked' });
    }
    return out;
  }

  async provisioningCertificatesUnderRoot(tx: Tx, rootFingerprintSha256: string): Promise<readonly string[]> {
    return this.#deps.repository.pcidsUnderRoot(tx, rootFingerprintSha256);
  }

  /** Removes the vehicle inside the maintenance transaction (which removes its contracts itself). */
  async removeProvisioningCertificate(tx: Tx, pcid: string, actor: string, now: Date): Promise<boolean> {
    const removed = await this.#deps.repository.removeInTx(tx, pcid, {
      actor,
      at: now,
      auditDetails: { reason: 'maintenance' },
    });
    return removed !== undefined;
  }

  // --- internals --------------------------------------------------------------------------------------

  #checkPcid(pcid: string): void {
    if (typeof pcid !== 'string' || !PCID_PATTERN.test(pcid)) {
      throw appError('pcp.invalid-pcid', 'pcid : must match "^[a-zA-Z0-9]{17,18}$"');
    }
  }

  /**
   * MOs and the CPS read every vehicle (OPCP 02 "Every authorized MO access is granted to all
   * available Provisioning Certificates"); an OEM only those of its WMIs. The refusal does not depend
   * on whether the PCID exists, so it reveals nothing (D-058).
   */
  #checkReadable(principal: Principal, pcid: string): void {
    this.#checkPcid(pcid);
    if (principal.role === 'OEM') assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
  }

  async #readable(principal: Principal, pcid: string): Promise<ProvisioningRow> {
    this.#checkReadable(principal, pcid);
    const row = await this.#deps.repository.find(pcid);
    if (row === undefined) throw notFound(pcid);
    return row;
  }

  /** (b) validity shell, (c) revocation, (d) trust — in that order, the first failure thrown. */
  async #verifyChain(
    entries: readonly ChainEntry[],
    iso: 2 | 20,
    now: Date,
  ): Promise<{ root: TrustedRoot; statuses: CertificateRevocation[] }> {
    const anchors = await this.#deps.trustAnchors.trustedRoots({ types: [...ANCHOR_TYPES], iso });
    // Trust is evaluated first (no I/O) but reported last: its result decides whether the revocation
    // step may contact the responders named in the certificates (D-054).
    const trust: TrustResult = evaluateTrust(entries, anchors, now);
    const root = trust.root;
    const withRoot: ChainEntry[] =
      root === undefined
        ? [...entries]
        : [...entries, { position: 'root', der: root.der, info: parseCertificate(root.der) }];

    // (b)
    const validity = checkValidityShell(withRoot, now);
    if (validity !== undefined) {
      throw appError(validity.code, validity.message, { details: { certificate: validity.certificate } });
    }

    // (c) every delivered certificate with its issuer; Sub-CA 1's issuer is the root when known.
    const links: ChainLink[] = [];
    for (const [i, entry] of entries.entries()) {
      const issuer = withRoot[i + 1];
      if (issuer !== undefined) links.push({ certificate: entry.der, issuer: issuer.der });
    }
    const statuses = await this.#deps.revocation.check(links, { network: trust.ok });
    for (const [i, status] of statuses.entries()) {
      const position = entries[i]?.position ?? 'vehicle';
      const label = POSITION_LABEL[position];
      if (status.status === 'revoked') {
        throw appError(
          'pcp.revoked',
          `${label} is revoked (since ${status.revokedAt.toISOString()}${status.reason === null ? '' : `, reason code ${status.reason}`})`,
          {
            details: {
              certificate: position,
              source: status.source,
              revokedAt: status.revokedAt.toISOString(),
              ...(status.reason === null ? {} : { reason: status.reason }),
            },
          },
        );
      }
      if (status.status === 'unknown' && trust.ok && this.#unknownRevocation === 'reject') {
        throw appError(
          'pcp.revocation-unknown',
          `the revocation status of ${label} cannot be determined: ${status.reason}`,
          { details: { certificate: position, source: status.source } },
        );
      }
    }

    // (d)
    if (!trust.ok) throw appError('pcp.untrusted-chain', trust.message, { details: trust.details });
    return { root: trust.root, statuses };
  }
}

function notFound(pcid: string) {
  // The text of OPCP's own 404 example.
  return appError('pcp.not-found', 'The OEM provisioning certificate with given PCID is not found.', {
    details: { pcid },
  });
}
