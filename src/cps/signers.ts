// The CPS signers: every usable CPS leaf of the certificate authority (src/ca) with its chain and the
// SHA-256 fingerprint of the V2G root it ends in (OPCP `GET /cps/signer`, OPNC `GET /cpsCertificates`),
// the choice of one by that fingerprint (`cpsV2GRootCertificateFingerprint`, OPNC issue #9), and its
// key from the key store. Usable = the leaf is issued (not revoked), its key is in the key store, it and
// every CA above it are valid now and active, and the chain ends in a V2G root ([V2G2-925]: a CPS
// certificate chains to the V2G root). Also the MO Sub-CA 2 that issues contracts for MOs without a PKI.

import { createHash, X509Certificate } from 'node:crypto';
import type { CaView, CertificateView } from '../ca/types.ts';
import { appError } from '../errors/catalogue.ts';
import { type ParsedName, parseCertificate as parseForLint } from '../pki/lint/certificate.ts';
import { DN_ATTRIBUTE_OID, DN_SHORT_NAMES } from '../pki/profiles/oids.ts';
import { CTL_SIGNER_CN } from '../rcp/ctl-service.ts';
import type { Signer } from '../signer/types.ts';
import type { CertificateChain } from './contract-data.ts';

export type Iso = 2 | 20;

/** What the signer directory needs from the certificate authority. */
export interface CaCatalogue {
  listCas(): Promise<CaView[]>;
  listCertificates(filter: {
    readonly issuerCaId?: string;
    readonly status?: 'issued';
    readonly leavesOnly?: boolean;
  }): Promise<CertificateView[]>;
}

export interface CpsSigner {
  /** Certificate id of the CPS leaf in the CA (`cert-…`). */
  readonly certificateId: string;
  readonly keyId: string;
  readonly iso: Iso;
  /** The CPS leaf and the CPS sub-CAs (Sub-CA 2 first): SAProvisioningCertificateChain. */
  readonly chain: CertificateChain;
  readonly root: Uint8Array;
  /** SHA-256 of the V2G root's DER, lower-case hex (spec-gaps.md item 7). */
  readonly rootFingerprintSha256: string;
  /** RFC 4514 text, most significant last, `, ` between RDNs (as the OPCP example writes it). */
  readonly rootDistinguishedName: string;
  readonly distinguishedName: string;
  readonly organizationName: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface ContractIssuer {
  readonly ca: CaView;
  readonly iso: Iso;
  readonly rootFingerprintSha256: string;
  /** O of the issuing CA, used as O of the contract certificates it issues. */
  readonly organizationName: string | null;
}

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

function escapeValue(v: string): string {
  // RFC 4514 §2.4.
  return v
    .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
    .replace(/^([# ])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** RFC 4514 text of a name with `, ` between RDNs ("CN=V2G Root CA QA G1, DC=V2G, O=…, C=DE"). */
export function distinguishedName(name: ParsedName): string {
  return [...name.rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => `${DN_SHORT_NAMES[a.oid] ?? a.oid}=${a.value === null ? '#' : escapeValue(a.value)}`)
        .join('+'),
    )
    .join(', ');
}

/** Subject of a certificate: its text and its first O / CN values. */
export function subjectOf(der: Uint8Array): {
  readonly text: string;
  readonly organization: string | null;
  readonly commonNames: readonly string[];
} {
  const parsed = parseForLint(der);
  if (!parsed.ok) throw appError('pool.invalid-certificate', `certificate: ${parsed.reason}`);
  const values = (oid: string) =>
    parsed.cert.subject.rdns.flatMap((rdn) => rdn.filter((a) => a.oid === oid)).map((a) => a.value);
  return {
    text: distinguishedName(parsed.cert.subject),
    organization: values(DN_ATTRIBUTE_OID.O)[0] ?? null,
    commonNames: values(DN_ATTRIBUTE_OID.CN).filter((v): v is string => v !== null),
  };
}

const isoOf = (ca: CaView): Iso => (ca.iso === '20' ? 20 : 2);

function usableNow(ca: CaView, now: number): boolean {
  return (
    ca.status === 'active' &&
    ca.certificate !== null &&
    ca.notBefore !== null &&
    ca.notAfter !== null &&
    ca.notBefore.getTime() <= now &&
    ca.notAfter.getTime() > now
  );
}

/** The CAs from `ca` up to its root (ca first), or undefined when one is unusable or missing. */
function chainUp(ca: CaView, byId: ReadonlyMap<string, CaView>, now: number): CaView[] | undefined {
  const out: CaView[] = [];
  let current: CaView | undefined = ca;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (!usableNow(current, now)) return undefined;
    out.push(current);
    if (current.parentId === null || current.parentId === current.id) return out;
    current = byId.get(current.parentId);
  }
  return undefined;
}

/** Normalises a SHA-256 fingerprint: 64 hex digits, optionally colon-separated; undefined otherwise. */
export function normaliseFingerprint(value: string): string | undefined {
  const v = value.trim();
  if (/^[0-9A-Fa-f]{64}$/.test(v)) return v.toLowerCase();
  if (/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/.test(v)) return v.replaceAll(':', '').toLowerCase();
  return undefined;
}

export interface CpsSignerDirectoryDeps {
  readonly ca: CaCatalogue;
  readonly keyStore: { open(id: string): Promise<Signer> };
  readonly clock: { now(): Date };
}

export class CpsSignerDirectory {
  readonly #ca: CaCatalogue;
  readonly #keyStore: { open(id: string): Promise<Signer> };
  readonly #clock: { now(): Date };
  /** Opened keys by key id (opening a software key costs a scrypt derivation). */
  readonly #signers = new Map<string, Promise<Signer>>();

  constructor(deps: CpsSignerDirectoryDeps) {
    this.#ca = deps.ca;
    this.#keyStore = deps.keyStore;
    this.#clock = deps.clock;
  }

  /** Every usable CPS signer, latest notAfter first; optionally of one edition. */
  async list(iso?: Iso): Promise<CpsSigner[]> {
    const now = this.#clock.now().getTime();
    const cas = await this.#ca.listCas();
    const byId = new Map(cas.map((c) => [c.id, c]));
    const out: CpsSigner[] = [];
    for (const sub2 of cas) {
      if (sub2.role !== 'cps-sub2' || (iso !== undefined && isoOf(sub2) !== iso)) continue;
      const cAs = chainUp(sub2, byId, now);
      const root = cAs?.[cAs.length - 1];
      if (cAs === undefined || root === undefined || root.role !== 'v2g-root') continue;
      const leaves = await this.#ca.listCertificates({
        issuerCaId: sub2.id,
        status: 'issued',
        leavesOnly: true,
      });
      for (const leaf of leaves) {
        if (
          leaf.profileId !== `iso15118-${sub2.iso}/cps-leaf` ||
          // The RCP's CTL signer is a CPS-profile leaf too; its key signs trust lists only (D-064).
          leaf.subject.startsWith(`CN=${CTL_SIGNER_CN} `) ||
          leaf.keyId === null ||
          leaf.certificate === null ||
          leaf.notBefore.getTime() > now ||
          leaf.notAfter.getTime() <= now
        )
          continue;
        const subject = subjectOf(leaf.certificate);
        const rootDer = root.certificate as Uint8Array;
        out.push({
          certificateId: leaf.id,
          keyId: leaf.keyId,
          iso: isoOf(sub2),
          chain: {
            certificate: leaf.certificate,
            subCertificates: cAs.slice(0, -1).map((c) => c.certificate as Uint8Array),
          },
          root: rootDer,
          rootFingerprintSha256: sha256Hex(rootDer),
          rootDistinguishedName: subjectOf(rootDer).text,
          distinguishedName: subject.text,
          organizationName: subject.organization,
          notBefore: leaf.notBefore,
          notAfter: leaf.notAfter,
        });
      }
    }
    return out.sort(
      (a, b) => b.notAfter.getTime() - a.notAfter.getTime() || a.certificateId.localeCompare(b.certificateId),
    );
  }

  /**
   * The signer for an edition: the one under the V2G root with this fingerprint, or without one the
   * signer with the latest notAfter (D-064). Throws cps.invalid-fingerprint, cps.unknown-signer,
   * cps.no-signer.
   */
  async choose(iso: Iso, fingerprint?: string): Promise<CpsSigner> {
    const wanted = fingerprint === undefined ? undefined : normaliseFingerprint(fingerprint);
    if (fingerprint !== undefined && wanted === undefined) {
      throw appError(
        'cps.invalid-fingerprint',
        'cpsV2GRootCertificateFingerprint must be the SHA-256 fingerprint of a V2G root: 64 hex digits, optionally colon-separated',
      );
    }
    const signers = await this.list(iso);
    if (signers.length === 0) {
      throw appError('cps.no-signer', `no usable CPS certificate for ISO 15118-${iso} (run pnc pki init)`);
    }
    if (wanted === undefined) return signers[0] as CpsSigner;
    const match = signers.find((s) => s.rootFingerprintSha256 === wanted);
    if (match === undefined) {
      throw appError(
        'cps.unknown-signer',
        `no CPS signer of ISO 15118-${iso} chains to a V2G root with SHA-256 fingerprint ${wanted} (GET /cps/signer lists them)`,
        { details: { fingerprint: wanted } },
      );
    }
    return match;
  }

  /** The signing key of a signer. */
  async key(signer: CpsSigner): Promise<Signer> {
    let pending = this.#signers.get(signer.keyId);
    if (pending === undefined) {
      // A missing or unreadable key is the operator's problem, not the client's: 503 (the key id
      // and the key store's reason go to the log only).
      pending = this.#keyStore.open(signer.keyId).catch((error: unknown) => {
        throw appError('cps.no-signer', `the key of CPS signer ${signer.certificateId} cannot be opened`, {
          cause: error,
          details: { certificateId: signer.certificateId },
        });
      });
      this.#signers.set(signer.keyId, pending);
      pending.catch(() => this.#signers.delete(signer.keyId));
    }
    return pending;
  }

  /**
   * The MO Sub-CA 2 that issues contract certificates of an edition: active, with its key, valid now,
   * under an MO or V2G root; with `rootFingerprint` (OPNC moRootCertificateFingerprint) the one under
   * that root, otherwise one under `preferredRoot` (the CPS signer's V2G root: one PKI for both, D-143)
   * when there is one, else the one with the latest notAfter. Throws cps.invalid-fingerprint,
   * cps.unknown-contract-issuer, cps.no-contract-issuer.
   */
  async contractIssuer(iso: Iso, rootFingerprint?: string, preferredRoot?: string): Promise<ContractIssuer> {
    const wanted = rootFingerprint === undefined ? undefined : normaliseFingerprint(rootFingerprint);
    if (rootFingerprint !== undefined && wanted === undefined) {
      throw appError(
        'cps.invalid-fingerprint',
        'moRootCertificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, optionally colon-separated',
      );
    }
    const now = this.#clock.now().getTime();
    const cas = await this.#ca.listCas();
    const byId = new Map(cas.map((c) => [c.id, c]));
    const candidates: ContractIssuer[] = [];
    for (const ca of cas) {
      if (ca.role !== 'mo-sub2' || isoOf(ca) !== iso || ca.keyId === null) continue;
      const up = chainUp(ca, byId, now);
      const root = up?.[up.length - 1];
      if (root === undefined || (root.role !== 'mo-root' && root.role !== 'v2g-root')) continue;
      candidates.push({
        ca,
        iso,
        rootFingerprintSha256: sha256Hex(root.certificate as Uint8Array),
        organizationName: subjectOf(ca.certificate as Uint8Array).organization,
      });
    }
    if (candidates.length === 0) {
      throw appError(
        'cps.no-contract-issuer',
        `no usable MO Sub-CA 2 of ISO 15118-${iso} with its key (run pnc pki init)`,
      );
    }
    candidates.sort((a, b) => (b.ca.notAfter?.getTime() ?? 0) - (a.ca.notAfter?.getTime() ?? 0));
    if (wanted === undefined) {
      const preferred = candidates.find((c) => c.rootFingerprintSha256 === preferredRoot);
      return preferred ?? (candidates[0] as ContractIssuer);
    }
    const match = candidates.find((c) => c.rootFingerprintSha256 === wanted);
    if (match === undefined) {
      throw appError(
        'cps.unknown-contract-issuer',
        `no MO Sub-CA 2 of ISO 15118-${iso} here chains to a root with SHA-256 fingerprint ${wanted}`,
        { details: { fingerprint: wanted } },
      );
    }
    return match;
  }
}

/** The public key type of a certificate, for messages: 'P-256', 'P-521', 'Ed448', … */
export function keyTypeOf(der: Uint8Array): string {
  let key: ReturnType<typeof getKey>;
  try {
    key = getKey(der);
  } catch {
    return 'unreadable';
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'prime256v1' ? 'P-256' : curve === 'secp521r1' ? 'P-521' : String(curve);
  }
  return key.asymmetricKeyType === 'ed448' ? 'Ed448' : String(key.asymmetricKeyType);
}

function getKey(der: Uint8Array) {
  return new X509Certificate(der).publicKey;
}
