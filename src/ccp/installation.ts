// The installation flow (OPCP getSignedContractData, OPNC GetSignedContractDataByCertificateInstallationReq;
// docs/ccp.md): a CPO (or an OEM backend) posts the CertificateInstallationReq an EV sent, the pool
// answers the stored signed CertificateInstallationRes of that vehicle.
//
//   1. decode the EXI, edition from the stream (./v2g-messages.ts, D-074)
//   2. the OEM signature: verifyV2gMessage (-2) / verifyIso20Message (-20), covering the request
//   3. the provisioning chain: OEM provisioning certificate (+ the -20 sub-CAs it carries, the PCP's
//      chain of the vehicle if registered, the OEM sub-CAs operated here) up to a V2G or OEM root of
//      the RCP, at the clock; certificates issued here must not be revoked (D-077). The vehicle need
//      not be registered in the PCP.
//   4. the vehicle's contracts (PCID = CN of the provisioning certificate) in that edition, unexpired;
//      -2: one, the default unless another matches the vehicle's V2G roots better; -20: up to
//      MaximumContractCertificateChains, PrioritizedEMAIDs first (D-078)
//   5. each delivered with the request's SessionID (D-075)
//
// Failures are outcomes, not exceptions: the route answers them as HTTP errors or, with
// alwaysReturnEXI (spec-gaps.md item 21), as HTTP 200 with the FAILED EXI built here (D-076).

import { X509Certificate } from 'node:crypto';
import type { Clock } from '../app/runtime.ts';
import { assertTenant, canAccessPcid, type Principal } from '../auth/index.ts';
import { type AppError, isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import type { ProvisioningLookup } from '../pcp/provisioning-lookup.ts';
import { parseCertificateCached } from '../pki/parsed-certificates.ts';
import type { IsoEdition } from '../pool-inputs/index.ts';
import type { TrustAnchorSource, TrustedRoot } from '../rcp/trust-anchors.ts';
import { type VerificationReport, verifyIso20Message, verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
import { ProvisioningChainValidator } from './chain-validator.ts';
import { isPcid } from './identifiers.ts';
import type { ChainRevocation, IntermediateSource } from './local-pki.ts';
import type { ContractRecord } from './repository.ts';
import {
  decodeInstallationRequest,
  deliverIso2,
  deliverIso20,
  type FailureReason,
  failedResponse,
  type InstallationRequest,
  RequestError,
  type RootCertificateId,
  responseCodeFor,
  UNKNOWN_SESSION_ID,
} from './v2g-messages.ts';

export interface InstallationDeps {
  readonly contracts: {
    listByPcid(pcid: string, options: { readonly iso?: 2 | 20 }): Promise<ContractRecord[]>;
  };
  readonly trustAnchors: TrustAnchorSource;
  readonly clock: Clock;
  /** OEM sub-CAs known here (the CA); optional. */
  readonly intermediates?: IntermediateSource;
  /** The PCP: the vehicle's registered chain gives intermediates; optional, never required. */
  readonly provisioning?: ProvisioningLookup;
  /** Revocation status of certificates issued here; optional. */
  readonly revocation?: ChainRevocation;
}

export interface InstallationInput {
  /** The decoded bytes of `certificateInstallationReq`, or undefined when it was not base64. */
  readonly exi: Uint8Array | undefined;
  /** The edition `xsdMsgDefNamespace` names (a hint only); undefined when absent or unknown. */
  readonly hint: IsoEdition | undefined;
}

export interface Delivery {
  readonly contract: ContractRecord;
  /** The CertificateInstallationRes EXI for this request. */
  readonly exi: Uint8Array;
}

export type InstallationOutcome =
  | {
      readonly ok: true;
      readonly iso: IsoEdition;
      readonly pcid: string;
      readonly deliveries: readonly Delivery[];
    }
  | {
      readonly ok: false;
      readonly iso: IsoEdition;
      readonly reason: FailureReason;
      readonly responseCode: string;
      /** The HTTP error when alwaysReturnEXI is off. */
      readonly error: AppError;
      /** The FAILED EXI answer when alwaysReturnEXI is on. */
      readonly exi: Uint8Array;
      readonly pcid?: string;
    };

/** The CN of a certificate (the PCID of a provisioning certificate), or undefined. */
function commonNameOf(subject: string): string | undefined {
  for (const line of subject.split('\n')) {
    if (line.startsWith('CN=')) return line.slice(3);
  }
  return undefined;
}

/** RDNs of a distinguished name as a comparable set (type upper case, value case- and space-folded). */
export function normalizedName(name: string): string {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    if (ch === '\\' && i + 1 < name.length) {
      current += ch + (name[i + 1] as string);
      i++;
    } else if (ch === ',' || ch === '\n' || ch === '+') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const type = (eq < 0 ? p : p.slice(0, eq)).trim().toUpperCase();
      const value = (eq < 0 ? '' : p.slice(eq + 1)).trim().replace(/\s+/g, ' ').toLowerCase();
      return `${type === '0.9.2342.19200300.100.1.25' ? 'DC' : type}=${value}`;
    })
    .sort()
    .join(',');
}

interface RootIdentity {
  readonly name: string;
  readonly serial: bigint;
}

const PATH_REASON: Readonly<Record<string, FailureReason>> = {
  'path.expired': 'expired',
  'path.not-yet-valid': 'not-yet-valid',
  'path.revoked': 'revoked',
};

export class InstallationService {
  readonly #deps: InstallationDeps;
  /** Subject and serial of trusted roots by fingerprint (parsed once). */
  readonly #rootIdentities = new Map<string, RootIdentity>();
  readonly #chains = new ProvisioningChainValidator();

  constructor(deps: InstallationDeps) {
    this.#deps = deps;
  }

  async install(principal: Principal, input: InstallationInput): Promise<InstallationOutcome> {
    const now = this.#deps.clock.now();
    const hint = input.hint ?? 2;
    if (input.exi === undefined) {
      return this.#failure(
        hint,
        UNKNOWN_SESSION_ID,
        'invalid',
        appError('ccp.invalid-request', 'certificateInstallationReq is not base64'),
        now,
      );
    }
    // 1. The message.
    let request: InstallationRequest;
    try {
      request = decodeInstallationRequest(input.exi, hint);
    } catch (error) {
      if (error instanceof RequestError) {
        return this.#failure(error.iso, error.sessionId, 'invalid', error, now, { update: error.update });
      }
      throw error;
    }
    const { iso, sessionId } = request;
    // 2. The OEM signature over the request.
    let report: VerificationReport | undefined;
    let signatureProblem: string | undefined;
    try {
      report = iso === 2 ? verifyV2gMessage(request.message) : verifyIso20Message(request.message);
    } catch (error) {
      signatureProblem = isAppError(error) ? error.message : 'the signature cannot be checked';
    }
    if (report !== undefined && !report.valid) {
      const bad = report.references.filter((r) => r.status !== 'ok').map((r) => `${r.uri} ${r.status}`);
      signatureProblem = [
        report.signature === 'valid' ? undefined : `signature ${report.signature}`,
        ...bad,
        report.unreferenced.length > 0 ? `not signed: ${report.unreferenced.join(', ')}` : undefined,
      ]
        .filter((p) => p !== undefined)
        .join('; ');
    }
    if (signatureProblem !== undefined) {
      return this.#failure(
        iso,
        sessionId,
        'signature',
        appError(
          'ccp.oem-signature',
          `the CertificateInstallationReq signature does not verify with its OEM provisioning certificate: ${signatureProblem}`,
        ),
        now,
      );
    }
    // The vehicle: the CN of the provisioning certificate (parsed once per certificate: the
    // signature check above has just parsed it; D-170).
    let oem: { readonly x509: X509Certificate; readonly subject: string };
    try {
      oem = parseCertificateCached(request.oemCertificate);
    } catch {
      return this.#failure(
        iso,
        sessionId,
        'chain',
        appError('ccp.oem-chain', 'the OEM provisioning certificate cannot be parsed'),
        now,
      );
    }
    const pcid = commonNameOf(oem.subject);
    if (pcid === undefined || !isPcid(pcid)) {
      return this.#failure(
        iso,
        sessionId,
        'chain',
        appError(
          'ccp.oem-chain',
          'the CN of the OEM provisioning certificate is not a PCID (17-18 letters and digits)',
        ),
        now,
      );
    }
    // An OEM backend may install only into its own vehicles (OPCP access rights: OEM POST).
    if (principal.role === 'OEM') assertTenant(canAccessPcid(principal, pcid), `PCID ${pcid}`);
    // 3. The provisioning chain.
    // One read of the RCP serves the chain (V2G / OEM roots of the edition) and the selection (V2G).
    const trusted = await this.#deps.trustAnchors.trustedRoots({ types: ['V2G', 'OEM'] });
    const roots = trusted.filter((r) => r.iso === iso);
    const chainProblem = await this.#checkChain(request, pcid, oem.x509.serialNumber, roots, now);
    if (chainProblem !== undefined) {
      return this.#failure(iso, sessionId, chainProblem.reason, chainProblem.error, now, { pcid });
    }
    // 4. The vehicle's contracts.
    const stored = (await this.#deps.contracts.listByPcid(pcid, { iso })).filter(
      (c) => c.contractNotAfter.getTime() >= now.getTime(),
    );
    if (stored.length === 0) {
      return this.#failure(
        iso,
        sessionId,
        'no-contract',
        appError('ccp.no-contract', `no contract for vehicle ${pcid} (ISO 15118-${iso}) in the pool`),
        now,
        { pcid },
      );
    }
    const chosen = this.#select(
      request,
      stored,
      trusted.filter((r) => r.rootType === 'V2G'),
    );
    // 5. Delivery.
    const deliveries = chosen.map((contract, i) => ({
      contract,
      exi:
        iso === 2
          ? deliverIso2(contract.certificateInstallationRes, sessionId)
          : deliverIso20(contract.certificateInstallationRes, sessionId, {
              now,
              remaining: chosen.length - 1 - i,
            }),
    }));
    return { ok: true, iso, pcid, deliveries };
  }

  #failure(
    iso: IsoEdition,
    sessionId: Uint8Array,
    reason: FailureReason,
    error: AppError,
    now: Date,
    options: { readonly update?: boolean; readonly pcid?: string } = {},
  ): InstallationOutcome {
    const responseCode = responseCodeFor(iso, reason);
    const exi = failedResponse(iso, responseCode, sessionId, {
      now,
      ...(options.update === undefined ? {} : { update: options.update }),
    });
    return {
      ok: false,
      iso,
      reason,
      responseCode,
      error,
      exi,
      ...(options.pcid === undefined ? {} : { pcid: options.pcid }),
    };
  }

  async #checkChain(
    request: InstallationRequest,
    pcid: string,
    leafSerial: string,
    roots: readonly TrustedRoot[],
    now: Date,
  ): Promise<{ reason: FailureReason; error: AppError } | undefined> {
    const chainError = (reason: FailureReason, message: string) => ({
      reason,
      error: appError('ccp.oem-chain', message),
    });
    if (roots.length === 0) {
      return chainError(
        'chain',
        `the Root Certificate Pool holds no V2G or OEM root of ISO 15118-${request.iso}`,
      );
    }
    const intermediates: Uint8Array[] = [...request.oemSubCertificates];
    if (this.#deps.intermediates !== undefined) {
      intermediates.push(...(await this.#deps.intermediates.oemIntermediates(request.iso)));
    }
    // RFC 5280 path validation only (no ISO profile lints): foreign OEM PKIs (Hubject QA) deviate
    // from the profiles in harmless ways (pki-profiles.md P-008); D-077. validatePath's verdicts,
    // with exact shortcuts for the repeated parts (./chain-validator.ts).
    let result = this.#chains.validate(request.oemCertificate, intermediates.slice(0, 64), roots, now);
    if (!result.valid) {
      // The PCP's chain of the vehicle only when the path cannot be built without it: more
      // candidate intermediates never turn a valid path invalid, so asking later is the same verdict
      // with one database read less for vehicles of known OEM PKIs.
      const registered = await this.#deps.provisioning?.findByPcid(pcid);
      const more = [registered?.subCa2Certificate, registered?.subCa1Certificate].filter(
        (c): c is Uint8Array => c instanceof Uint8Array,
      );
      if (more.length > 0) {
        result = this.#chains.validate(
          request.oemCertificate,
          [...more, ...intermediates].slice(0, 64),
          roots,
          now,
        );
      }
    }
    if (!result.valid) {
      return chainError(
        PATH_REASON[result.code] ?? 'chain',
        `the OEM provisioning certificate of ${pcid} does not validate: ${result.reason} (${result.code})`,
      );
    }
    if (this.#deps.revocation !== undefined) {
      const chain = result.chain;
      for (let i = 0; i + 1 < chain.length; i++) {
        const revoked = await this.#deps.revocation.isRevoked(
          chain[i] as Uint8Array,
          chain[i + 1] as Uint8Array,
          i === 0 ? leafSerial : undefined,
        );
        if (revoked) {
          return chainError(
            'revoked',
            `the OEM provisioning chain of ${pcid} contains a revoked certificate (position ${i})`,
          );
        }
      }
    }
    return undefined;
  }

  #rootIdentity(root: TrustedRoot): RootIdentity | undefined {
    let identity = this.#rootIdentities.get(root.fingerprintSha256);
    if (identity === undefined) {
      try {
        const parsed = new X509Certificate(root.der);
        identity = { name: normalizedName(parsed.subject), serial: BigInt(`0x${parsed.serialNumber}`) };
      } catch {
        return undefined;
      }
      if (this.#rootIdentities.size > 10_000) this.#rootIdentities.clear();
      this.#rootIdentities.set(root.fingerprintSha256, identity);
    }
    return identity;
  }

  /**
   * 0: the contract's CPS root is one the vehicle lists; 1: unknown (no fingerprint, root not in the
   * pool); 2: known not to be one the vehicle trusts.
   */
  #rootRank(
    contract: ContractRecord,
    wanted: readonly RootCertificateId[],
    roots: readonly TrustedRoot[],
  ): number {
    if (contract.cpsV2GRootFingerprint === null || wanted.length === 0) return 1;
    const root = roots.find((r) => r.fingerprintSha256 === contract.cpsV2GRootFingerprint);
    if (root === undefined) return 1;
    const identity = this.#rootIdentity(root);
    if (identity === undefined) return 1;
    const match = wanted.some(
      (w) => w.serial === identity.serial && normalizedName(w.issuerName) === identity.name,
    );
    return match ? 0 : 2;
  }

  /**
   * D-078. The candidates come default first, then by age. -2: exactly one — the first whose CPS
   * root the vehicle lists in ListOfRootCertificateIDs, else the first of unknown root, else the
   * default. -20: PrioritizedEMAIDs first (in the vehicle's order), then the same ranking, at most
   * MaximumContractCertificateChains (0 is read as 1).
   */
  #select(
    request: InstallationRequest,
    candidates: readonly ContractRecord[],
    roots: readonly TrustedRoot[],
  ): ContractRecord[] {
    const wanted = request.rootCertificateIds;
    const ranked = candidates
      .map((contract, index) => {
        const priority = request.prioritizedEmaids.findIndex(
          (e) => e.replaceAll('-', '').toUpperCase() === contract.emaid,
        );
        return {
          contract,
          index,
          priority: priority < 0 ? Number.MAX_SAFE_INTEGER : priority,
          rank: this.#rootRank(contract, wanted, roots),
        };
      })
      .sort((a, b) => a.priority - b.priority || a.rank - b.rank || a.index - b.index);
    if (request.iso === 2) return [(ranked[0] as { contract: ContractRecord }).contract];
    const max = Math.max(1, request.maximumContracts);
    // Contracts known to chain to roots the vehicle does not trust are useless to it, unless
    // nothing better exists.
    const usable = ranked.filter((r) => r.rank < 2);
    return (usable.length > 0 ? usable : ranked).slice(0, max).map((r) => r.contract);
  }
}
