// The CAs of this PKI as the OCSP responder looks them up: by the issuer hashes of a CertID
// (RFC 6960 §4.1.1: issuerNameHash / issuerKeyHash under the CertID's own hash algorithm).
//
// Kept in memory and rebuilt from the CA service on a miss, at most once per `reloadIntervalMs`
// (clock injected): a CA created while the server runs (`pnc pki init` in another process) is found
// within that interval, and a flood of requests naming foreign issuers costs at most one listCas()
// per interval. Nothing here depends on CA status: the responder answers for the certificates of a
// CA that was revoked too (its clients refuse the chain anyway; the status of each certificate is
// still a fact).

import type { CaView } from '../ca/index.ts';
import { toHex } from '../pki/ocsp/asn1.ts';
import {
  type CertId,
  certIdFor,
  OCSP_HASH_ALGORITHMS,
  type OcspIssuer,
  parseCertificate,
} from '../pki/ocsp/index.ts';

export interface DirectoryCa {
  readonly view: CaView;
  /** DER of the CA certificate. */
  readonly certificate: Uint8Array;
  readonly issuer: OcspIssuer;
}

export interface CaDirectoryDeps {
  readonly listCas: () => Promise<readonly CaView[]>;
  readonly clock: { now(): Date };
  /** Shortest time between two reloads triggered by misses. Default 1000 ms. */
  readonly reloadIntervalMs?: number;
}

function issuerKey(algorithm: string, nameHash: Uint8Array, keyHash: Uint8Array): string {
  return `${algorithm}:${toHex(nameHash)}:${toHex(keyHash)}`;
}

export class CaDirectory {
  readonly #listCas: () => Promise<readonly CaView[]>;
  readonly #clock: { now(): Date };
  readonly #reloadIntervalMs: number;
  #byIssuerHash = new Map<string, DirectoryCa>();
  #byId = new Map<string, DirectoryCa>();
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;

  constructor(deps: CaDirectoryDeps) {
    this.#listCas = deps.listCas;
    this.#clock = deps.clock;
    this.#reloadIntervalMs = deps.reloadIntervalMs ?? 1000;
  }

  /** The CA a CertID names, or undefined (after one reload, when the last one is old enough). */
  async findIssuer(certId: CertId): Promise<DirectoryCa | undefined> {
    const key = issuerKey(certId.hashAlgorithm, certId.issuerNameHash, certId.issuerKeyHash);
    const hit = this.#byIssuerHash.get(key);
    if (hit !== undefined) return hit;
    if (!(await this.#reloadIfStale())) return undefined;
    return this.#byIssuerHash.get(key);
  }

  async byId(caId: string): Promise<DirectoryCa | undefined> {
    const hit = this.#byId.get(caId);
    if (hit !== undefined) return hit;
    if (!(await this.#reloadIfStale())) return undefined;
    return this.#byId.get(caId);
  }

  async #reloadIfStale(): Promise<boolean> {
    if (this.#loading !== undefined) {
      await this.#loading;
      return true;
    }
    if (this.#clock.now().getTime() - this.#loadedAt < this.#reloadIntervalMs) return false;
    this.#loading = this.#reload().finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
    return true;
  }

  async #reload(): Promise<void> {
    const cas = await this.#listCas();
    const byIssuerHash = new Map<string, DirectoryCa>();
    const byId = new Map<string, DirectoryCa>();
    // Oldest first, so that of two CA rows with the same name and key (an import of a CA that is
    // registered already is reused, so this needs a re-keyed duplicate) the first one answers.
    const sorted = [...cas].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    for (const view of sorted) {
      if (view.certificate === null) continue;
      let issuer: OcspIssuer;
      try {
        const info = parseCertificate(view.certificate);
        issuer = { subjectDer: info.subjectDer, spkiDer: info.spki.der };
      } catch {
        continue; // a stored certificate that does not parse answers nothing
      }
      const entry: DirectoryCa = { view, certificate: view.certificate, issuer };
      byId.set(view.id, entry);
      for (const algorithm of OCSP_HASH_ALGORITHMS) {
        const id = certIdFor(issuer, 1n, algorithm);
        const key = issuerKey(algorithm, id.issuerNameHash, id.issuerKeyHash);
        if (!byIssuerHash.has(key)) byIssuerHash.set(key, entry);
      }
    }
    this.#byIssuerHash = byIssuerHash;
    this.#byId = byId;
    this.#loadedAt = this.#clock.now().getTime();
  }
}
