// The certificate authority: CA hierarchies (create roots and sub-CAs, import external ones),
// issuance with lint-before-sign, revocation, revocation status, audit (issue 3 items 5, 6, 7;
// docs/ca.md is the design document and names every decision).
//
// Issuance cycle (Boulder `issuance/cert.go` Prepare / Issue, `ca/ca.go`; architecture-practices §2.1,
// §3 item 6):
//   1. prepare: build the complete TBSCertificate from the profile, sign it with a throw-away key of
//      the issuer's algorithm, lint that certificate against the profile with the issuer
//      (lintCertificate). Any error-level finding refuses the request (`ca.lint-failed`, every
//      finding listed) before anything is stored or any real key is used. Returns a one-shot token
//      holding the linted TBS bytes.
//   2. issue(token): redeem the token once; reserve the serial (row 'reserved' + audit "about to
//      sign", committed); sign exactly the linted TBS bytes with the issuer key through the Signer
//      port; check the signature against the issuer certificate and lint the final certificate again
//      (a guard); then 'issued' + DER + audit — or 'failed' + audit when anything after the
//      reservation fails.
// The service holds no global state: every dependency comes in through the constructor.

import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { type CommonNameCheck, checkCsrForRole, csrViolationsError, parseCsr } from '../pki/csr/index.ts';
import { nameValues, parseCertificate as parseForLint } from '../pki/lint/certificate.ts';
import { detectProfile, lintCertificate } from '../pki/lint/index.ts';
import type { Violation } from '../pki/lint/types.ts';
import { DerFormatError } from '../pki/ocsp/asn1.ts';
import { parseCertificate, parseSpki } from '../pki/ocsp/x509.ts';
import { formatName, toPem, validatePath } from '../pki/path/index.ts';
import { getProfile, parseEmaid, parseEvseId, parsePcid, parseSeccId } from '../pki/profiles/index.ts';
import { OID_C, OID_O } from '../pki/profiles/oids.ts';
import type { CertificateProfile, CertificateRole } from '../pki/profiles/types.ts';
import { isKeyAlgorithm } from '../signer/algorithms.ts';
import type { KeyAlgorithm, KeyStore, Signer } from '../signer/types.ts';
import {
  assembleCertificate,
  encodeTbsCertificate,
  profileExtensions,
  type SignatureAlgorithmSpec,
  sha256Hex,
  signatureAlgorithmFor,
  type TbsTemplate,
} from './certificate-builder.ts';
import { checkSubjectFields, encodeSubjectName } from './names.ts';
import type { AuditInput, CaRepository, CertificateFilter, NewCaRow } from './repository.ts';
import { RevokedCertificateSet } from './revoked-set.ts';
import { generateSerial, parseSerial, serialToHex } from './serial.ts';
import {
  type AuditEntry,
  type CaLogger,
  type CaView,
  type CertificateView,
  type Clock,
  type CreateRootRequest,
  type CreateSubCaRequest,
  type CsrLeafRole,
  type ImportCaRequest,
  type IssuedCertificate,
  type IssueFromCsrRequest,
  type IssueWithGeneratedKeyRequest,
  isoVersionOf,
  type PrepareRequest,
  type RandomSource,
  REVOCATION_REASONS,
  type RevocationReasonCode,
  type RevocationStatus,
  type RevokedCertificate,
  type RevokeRequest,
  type SubCaDomain,
  type SubjectFields,
  type ValidityRequest,
} from './types.ts';

const DAY_MS = 86_400_000;
/** Longest validity accepted in a request: 100 years (a V2G root has 40, P-013). */
const MAX_VALIDITY_DAYS = 36_525;
/** An unredeemed token expires: the lint result it carries was computed at prepare time. */
export const TOKEN_LIFETIME_MS = 10 * 60_000;
const MAX_OUTSTANDING_TOKENS = 10_000;
const SERIAL_ATTEMPTS = 3;
const SYSTEM_ACTOR = 'system';

export interface CaServiceOptions {
  /** Add a CRL distribution point `<publicUrl>/crl/<issuer CA id>` to non-root certificates (P-016). */
  readonly crlDistributionPoints?: boolean;
  /**
   * isRevoked() answers from the revoked certificates read at most this long ago, in ms (D-175,
   * ./revoked-set.ts); 0 or absent: a query per question.
   */
  readonly revokedSetMaxAgeMs?: number;
}

export interface CaServiceDeps {
  readonly repository: CaRepository;
  readonly keyStore: KeyStore;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Base URL that certificates point to (AIA OCSP `<publicUrl>/ocsp`); a function when it is known late. */
  readonly publicUrl: string | (() => string);
  readonly logger: CaLogger;
  readonly options?: CaServiceOptions;
}

/** Sub-CA roles per domain and level (pki-profiles.md Summary 3). */
const SUB_CA_ROLE: Readonly<Record<SubCaDomain, readonly [CertificateRole, CertificateRole]>> = {
  cpo: ['cpo-sub1', 'cpo-sub2'],
  mo: ['mo-sub1', 'mo-sub2'],
  oem: ['oem-sub1', 'oem-sub2'],
  cps: ['cps-sub1', 'cps-sub2'],
  vehicle: ['vehicle-sub1', 'vehicle-sub2'],
};

/**
 * Roots a sub-CA of each domain may chain to ([V2G2-925] as src/pki/path applies it, PV-13): CPO and
 * CPS under the V2G root; MO and OEM under their own root or, as Hubject hosts them, under the V2G
 * root (pki-profiles.md §1.3, C7); vehicle sub-CAs under the V2G root (EVerest) or an OEM root.
 */
const SUB_CA_ROOTS: Readonly<Record<SubCaDomain, readonly CertificateRole[]>> = {
  cpo: ['v2g-root'],
  cps: ['v2g-root'],
  mo: ['mo-root', 'v2g-root'],
  oem: ['oem-root', 'v2g-root'],
  vehicle: ['v2g-root', 'oem-root'],
};

/** Which CA issues each leaf: the domain's Sub-CA 2; PE leaves the PE root ([V2G20-867]). */
const LEAF_ISSUERS: Readonly<Partial<Record<CertificateRole, readonly CertificateRole[]>>> = {
  'secc-leaf': ['cpo-sub2'],
  'contract-leaf': ['mo-sub2'],
  'oem-prov-leaf': ['oem-sub2'],
  'vehicle-leaf': ['vehicle-sub2'],
  'cps-leaf': ['cps-sub2'],
  'pe-leaf': ['pe-root'],
};

/** Leaf profile of each CSR role (the same mapping as src/pki/csr). */
const CSR_LEAF_ROLE: Readonly<Record<CsrLeafRole, CertificateRole>> = {
  CPO: 'secc-leaf',
  MO: 'contract-leaf',
  OEM: 'oem-prov-leaf',
  CPS: 'cps-leaf',
  VEH: 'vehicle-leaf',
};

/** The one-shot result of prepare(); redeem it with issue(). */
export class IssuanceToken {
  readonly id: string;
  readonly profileId: string;
  readonly serial: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the linted TBSCertificate: exactly these bytes get signed. */
  readonly tbsSha256: string;
  readonly lintWarnings: readonly { readonly code: string; readonly message: string }[];

  constructor(fields: Omit<IssuanceToken, never>) {
    this.id = fields.id;
    this.profileId = fields.profileId;
    this.serial = fields.serial;
    this.subject = fields.subject;
    this.notBefore = fields.notBefore;
    this.notAfter = fields.notAfter;
    this.tbsSha256 = fields.tbsSha256;
    this.lintWarnings = fields.lintWarnings;
    Object.freeze(this);
  }
}

/** The issuer side of a prepared certificate. */
type IssuerContext =
  | {
      readonly kind: 'ca';
      readonly ca: CaView;
      readonly certificate: Uint8Array;
      readonly subjectName: Uint8Array;
      readonly ski: Uint8Array;
      readonly algorithm: KeyAlgorithm;
      readonly notBefore: Date;
      readonly notAfter: Date;
    }
  | { readonly kind: 'self'; readonly algorithm: KeyAlgorithm; readonly signer: Signer };

interface NewCaSpec {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly keyId: string;
  readonly signer: Signer;
}

interface Prepared {
  readonly token: IssuanceToken;
  readonly expiresAt: number;
  readonly profile: CertificateProfile;
  readonly issuer: IssuerContext;
  readonly template: TbsTemplate;
  readonly serial: bigint;
  readonly tbs: Uint8Array;
  readonly subjectText: string;
  readonly validityClipped: boolean;
  readonly warnings: readonly Violation[];
  readonly newCa: NewCaSpec | undefined;
  readonly keyId: string | null;
  readonly actor: string;
}

interface PrepareSpec {
  readonly profile: CertificateProfile;
  readonly issuer: IssuerContext;
  readonly subject: SubjectFields;
  readonly spki: Uint8Array;
  readonly validity: ValidityRequest | undefined;
  readonly newCa?: NewCaSpec;
  readonly keyId: string | null;
  readonly actor: string;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function errorSummary(error: unknown): { code: string; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Names of the accepted revocation reasons, by code. */
const REASON_NAMES = new Map<number, string>(
  Object.entries(REVOCATION_REASONS).map(([name, code]) => [code, name]),
);

export function revocationReasonName(code: number): string {
  return REASON_NAMES.get(code) ?? `reason ${code}`;
}

/** RFC 5280 §5.3.1 name (any case, `-` / `_` ignored) or code → code. Throws ca.invalid-request. */
export function parseRevocationReason(reason: unknown): RevocationReasonCode {
  if (reason === undefined) return REVOCATION_REASONS.unspecified;
  const accepted = Object.keys(REVOCATION_REASONS).join(', ');
  if (typeof reason === 'number' || (typeof reason === 'string' && /^\d{1,2}$/.test(reason))) {
    const code = Number(reason);
    if (REASON_NAMES.has(code)) return code as RevocationReasonCode;
    throw appError(
      'ca.invalid-request',
      code === 6 || code === 8
        ? `reason ${code} (${code === 6 ? 'certificateHold' : 'removeFromCRL'}) is not supported: revocation is final`
        : `unknown revocation reason code ${code} (accepted: ${accepted})`,
    );
  }
  if (typeof reason === 'string') {
    const wanted = reason.replace(/[-_\s]/g, '').toLowerCase();
    for (const [name, code] of Object.entries(REVOCATION_REASONS)) {
      if (name.toLowerCase() === wanted) return code;
    }
    if (wanted === 'certificatehold' || wanted === 'removefromcrl') {
      throw appError('ca.invalid-request', `${reason} is not supported: revocation is final`);
    }
  }
  throw appError(
    'ca.invalid-request',
    `unknown revocation reason ${JSON.stringify(reason)} (accepted: ${accepted})`,
  );
}

export class CertificateAuthorityService {
  readonly #repository: CaRepository;
  readonly #keyStore: KeyStore;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #publicUrl: () => string;
  readonly #logger: CaLogger;
  readonly #crlDistributionPoints: boolean;
  readonly #tokens = new Map<string, Prepared>();
  /** Opened CA keys by CA id (opening a software key costs a scrypt derivation). */
  readonly #signers = new Map<string, Promise<Signer>>();
  /** Throw-away lint keys per algorithm (Boulder linter: one per issuer type). */
  readonly #lintKeys = new Map<KeyAlgorithm, KeyObject>();
  readonly #revokedListeners = new Set<(issuerCaId: string, serial: string) => void>();
  readonly #revokedSet: RevokedCertificateSet;

  constructor(deps: CaServiceDeps) {
    // Checked here so a misconfigured composition root fails at start-up (architecture-practices §3 item 3).
    if (deps?.repository === undefined) throw new TypeError('CertificateAuthorityService needs a repository');
    if (deps.keyStore === undefined) throw new TypeError('CertificateAuthorityService needs a key store');
    if (typeof deps.clock?.now !== 'function')
      throw new TypeError('CertificateAuthorityService needs a clock');
    if (typeof deps.random !== 'function')
      throw new TypeError('CertificateAuthorityService needs a random source');
    if (typeof deps.logger?.warn !== 'function')
      throw new TypeError('CertificateAuthorityService needs a logger');
    const url = deps.publicUrl;
    if (typeof url !== 'string' && typeof url !== 'function') {
      throw new TypeError('CertificateAuthorityService needs a public URL');
    }
    this.#repository = deps.repository;
    this.#keyStore = deps.keyStore;
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#publicUrl = () => (typeof url === 'string' ? url : url()).replace(/\/+$/, '');
    this.#logger = deps.logger;
    this.#crlDistributionPoints = deps.options?.crlDistributionPoints === true;
    const repository = deps.repository;
    this.#revokedSet = new RevokedCertificateSet({
      source: {
        revokedCount: () => repository.revokedCount(),
        revokedSerials: () => repository.revokedSerials(),
        isRevoked: async (caId, serial) =>
          (await repository.findCertificateStatus(caId, serial))?.status === 'revoked',
      },
      clock: deps.clock,
      maxAgeMs: deps.options?.revokedSetMaxAgeMs ?? 0,
    });
  }

  // --- Hierarchies -----------------------------------------------------------------------------------

  /** A self-signed root (V2G, MO, OEM; PE for -20) with a new key in the key store (or `keyId`). */
  async createRoot(request: CreateRootRequest): Promise<CaView> {
    if (request.iso !== 2 && request.iso !== 20) throw appError('ca.invalid-request', 'iso must be 2 or 20');
    if (!['v2g', 'mo', 'oem', 'pe'].includes(request.kind)) {
      throw appError('ca.invalid-request', 'root kind must be v2g, mo, oem or pe');
    }
    const iso = isoVersionOf(request.iso);
    const profile = getProfile(iso, `${request.kind}-root` as CertificateRole);
    if (profile === undefined) {
      throw appError(
        'ca.invalid-request',
        `ISO 15118-${iso} has no ${request.kind.toUpperCase()} root profile`,
      );
    }
    const algorithm = this.#checkAlgorithm(profile, request.algorithm ?? (iso === '2' ? 'P-256' : 'P-521'));
    const subject = checkSubjectFields({
      ...request.subject,
      commonName: request.subject?.commonName ?? profile.commonName.example,
    });
    const name = await this.#freeName(request.name ?? subject.commonName);
    const actor = request.actor ?? SYSTEM_ACTOR;
    return this.#withSubjectKey(algorithm, name, request.keyId, async (signer) => {
      const spki = await signer.publicKeySpki();
      const newCa: NewCaSpec = {
        id: this.#newId('ca'),
        name,
        parentId: null,
        keyId: signer.handle.id,
        signer,
      };
      const token = await this.#prepare({
        profile,
        issuer: { kind: 'self', algorithm: signer.handle.algorithm, signer },
        subject,
        spki,
        validity: request.validity,
        newCa,
        keyId: null,
        actor,
      });
      await this.issue(token);
      return this.getCa(newCa.id);
    });
  }

  /** Sub-CA 1 (pathLen 1) or Sub-CA 2 (pathLen 0) of a domain, issued by `parentId`. */
  async createSubCa(request: CreateSubCaRequest): Promise<CaView> {
    if (request.level !== 1 && request.level !== 2)
      throw appError('ca.invalid-request', 'level must be 1 or 2');
    const roles = SUB_CA_ROLE[request.domain];
    if (roles === undefined) {
      throw appError(
        'ca.invalid-request',
        `sub-CA domain must be one of ${Object.keys(SUB_CA_ROLE).join(', ')}`,
      );
    }
    const issuer = await this.#issuerContext(request.parentId);
    const role = roles[request.level - 1] as CertificateRole;
    const profile = getProfile(issuer.ca.iso, role);
    if (profile === undefined) {
      throw appError('ca.invalid-request', `ISO 15118-${issuer.ca.iso} has no ${role} profile`);
    }
    const parents =
      request.level === 1 ? SUB_CA_ROOTS[request.domain] : [...SUB_CA_ROOTS[request.domain], roles[0]];
    if (!parents.includes(issuer.ca.role)) {
      throw appError(
        'ca.issuer-unusable',
        `a ${profile.title} must be issued by ${parents.join(' or ')}, not by ${issuer.ca.role} ${issuer.ca.id}`,
        { details: { caId: issuer.ca.id, role: issuer.ca.role, allowed: parents } },
      );
    }
    const algorithm = this.#checkAlgorithm(profile, request.algorithm ?? issuer.algorithm);
    const inherited = subjectDefaults(issuer.certificate);
    const subject = checkSubjectFields({
      ...inherited,
      ...request.subject,
      commonName: request.subject?.commonName ?? profile.commonName.example,
    });
    const name = await this.#freeName(request.name ?? subject.commonName);
    const actor = request.actor ?? SYSTEM_ACTOR;
    return this.#withSubjectKey(algorithm, name, request.keyId, async (signer) => {
      const newCa: NewCaSpec = {
        id: this.#newId('ca'),
        name,
        parentId: issuer.ca.id,
        keyId: signer.handle.id,
        signer,
      };
      const token = await this.#prepare({
        profile,
        issuer,
        subject,
        spki: await signer.publicKeySpki(),
        validity: request.validity,
        newCa,
        keyId: null,
        actor,
      });
      await this.issue(token);
      return this.getCa(newCa.id);
    });
  }

  /**
   * Registers CA certificates issued elsewhere: roots as trust anchors, sub-CAs as intermediates,
   * and with `keyId` the lowest CA of the chain as an issuer whose key lives in our key store.
   * The chain must validate (RFC 5280 §6.1, from its own root or from a CA already registered).
   * Certificates already registered are reused. Returns the CAs of the chain, root side first.
   */
  async importCa(request: ImportCaRequest): Promise<CaView[]> {
    const input = request.certificateChainDer;
    if (!Array.isArray(input) || input.length === 0 || input.length > 8) {
      throw appError('ca.import-invalid', 'give 1 to 8 CA certificates');
    }
    const infos = input.map((der, index) => {
      if (!(der instanceof Uint8Array))
        throw appError('ca.import-invalid', `certificate ${index} is not bytes`);
      try {
        const info = parseCertificate(der);
        const parsed = parseForLint(der);
        if (!parsed.ok) throw new DerFormatError(parsed.reason);
        return { der, info, parsed: parsed.cert, index };
      } catch (e) {
        throw appError(
          'ca.import-invalid',
          `certificate ${index} is not a DER X.509 certificate: ${(e as Error).message}`,
        );
      }
    });
    for (const c of infos) {
      if (!c.info.isCa || !(c.info.keyUsageBits ?? [5]).includes(5)) {
        throw appError(
          'ca.import-invalid',
          `certificate ${c.index} (${formatName(c.parsed.subject)}) is not a CA certificate`,
        );
      }
    }
    // Only active CAs anchor an import: a revoked one must not lend its trust to new certificates.
    const registered = (await this.#repository.listCas()).filter(
      (ca) => ca.certificate !== null && ca.status === 'active',
    );
    const selfIssued = infos.filter((c) => bytesEqual(c.info.issuerDer, c.info.subjectDer));
    // The target is the certificate that issues no other one of the input.
    const issuesAnother = (c: (typeof infos)[number]) =>
      infos.some(
        (o) =>
          o !== c &&
          bytesEqual(o.info.issuerDer, c.info.subjectDer) &&
          !bytesEqual(o.info.issuerDer, o.info.subjectDer),
      );
    const targets = infos.filter((c) => !issuesAnother(c));
    if (targets.length !== 1) throw appError('ca.import-invalid', 'the certificates do not form one chain');
    const target = targets[0] as (typeof infos)[number];
    const anchors = [
      ...selfIssued.map((c) => c.der),
      ...registered.map((ca) => ca.certificate as Uint8Array),
    ];
    const path = validatePath({
      target: target.der,
      intermediates: infos.filter((c) => c !== target).map((c) => c.der),
      anchors,
      at: this.#clock.now(),
    });
    if (!path.valid) {
      throw appError('ca.import-invalid', `the chain does not validate: ${path.code}: ${path.reason}`, {
        details: { code: path.code },
      });
    }
    // Anchor first: parents are registered before their children.
    const chain = [...path.chain].reverse();
    const byDer = (der: Uint8Array) => registered.find((ca) => bytesEqual(ca.certificate as Uint8Array, der));
    let signer: Signer | undefined;
    if (request.keyId !== undefined) {
      if (byDer(target.der) !== undefined) {
        throw appError('ca.exists', 'the CA to attach the key to is registered already');
      }
      signer = await this.#keyStore.open(request.keyId);
      if (!(await spkiEquals(await signer.publicKeySpki(), target.info.spki.der))) {
        throw appError(
          'ca.key-mismatch',
          `key ${request.keyId} does not belong to ${formatName(target.parsed.subject)}`,
        );
      }
    }
    const now = this.#clock.now();
    const actor = request.actor ?? SYSTEM_ACTOR;
    const rows: NewCaRow[] = [];
    const audits: AuditInput[] = [];
    const taken = new Set(registered.map((ca) => ca.name));
    let parentId: string | null = null;
    for (const der of chain) {
      const existing = byDer(der);
      if (existing !== undefined) {
        parentId = existing.id;
        continue;
      }
      const c = infos.find((i) => bytesEqual(i.der, der)) as (typeof infos)[number];
      const role = request.roles?.[c.index];
      const detected = detectProfile(der);
      const profile =
        role !== undefined
          ? getProfile(detected.ok ? detected.iso : c.info.spki.algorithm === 'P-256' ? '2' : '20', role)
          : detected.ok
            ? detected.profile
            : undefined;
      if (profile === undefined || profile.kind === 'leaf') {
        throw appError(
          'ca.import-invalid',
          `cannot tell which ISO 15118 CA certificate ${c.index} is (${detected.ok ? detected.role : detected.reason}); give its role`,
        );
      }
      const cn =
        nameValues(c.parsed.subject, '2.5.4.3')[0]?.value ?? `CA ${hex(c.info.spki.publicKey).slice(0, 8)}`;
      let name = cn.slice(0, 64);
      for (let n = 2; taken.has(name); n++) name = `${cn.slice(0, 58)} (${n})`;
      taken.add(name);
      const isTarget = c === target;
      const id = this.#newId('ca');
      rows.push({
        id,
        name,
        iso: profile.iso,
        role: profile.role,
        profileId: profile.id,
        parentId: bytesEqual(c.info.issuerDer, c.info.subjectDer) ? null : parentId,
        subject: formatName(c.parsed.subject),
        keyId: isTarget && signer !== undefined ? signer.handle.id : null,
        keyBackend: isTarget && signer !== undefined ? signer.handle.backend : null,
        keyAlgorithm: c.info.spki.algorithm,
        external: true,
        status: 'active',
        createdAt: now,
        certificate: {
          der,
          serial: serialToHex(c.info.serialNumber),
          notBefore: c.info.notBefore,
          notAfter: c.info.notAfter,
        },
      });
      audits.push({
        at: now,
        actor,
        action: 'ca.imported',
        subject: id,
        details: {
          caId: id,
          name,
          profileId: profile.id,
          subject: formatName(c.parsed.subject),
          serial: serialToHex(c.info.serialNumber),
          certificateSha256: sha256Hex(der),
          withKey: isTarget && signer !== undefined,
        },
      });
      parentId = id;
    }
    if (rows.length > 0 && (await this.#repository.insertImportedCas(rows, audits)) === 'name-taken') {
      throw appError('ca.exists', 'a CA name is taken (another import ran at the same time?); try again');
    }
    const out: CaView[] = [];
    for (const der of chain) {
      const ca = (await this.#repository.listCas()).find(
        (x) => x.certificate !== null && bytesEqual(x.certificate, der),
      );
      if (ca !== undefined) out.push(ca);
    }
    if (signer !== undefined) {
      const targetCa = out[out.length - 1] as CaView;
      this.#signers.set(targetCa.id, Promise.resolve(signer));
    }
    return out;
  }

  // --- Issuance ---------------------------------------------------------------------------------------

  /**
   * Lint-before-sign, public entry for leaf certificates: builds and lints the certificate and returns
   * a one-shot token; issue(token) signs and stores it. Refused requests store nothing.
   */
  async prepare(request: PrepareRequest): Promise<IssuanceToken> {
    const issuer = await this.#issuerContext(request.issuerCaId);
    const profile = this.#leafProfile(issuer, request.role);
    if (!(request.subjectPublicKeyInfo instanceof Uint8Array)) {
      throw appError('ca.invalid-request', 'subjectPublicKeyInfo must be DER bytes');
    }
    return this.#prepare({
      profile,
      issuer,
      subject: checkSubjectFields(request.subject),
      spki: request.subjectPublicKeyInfo,
      validity: request.validity,
      keyId: null,
      actor: SYSTEM_ACTOR,
    });
  }

  /** Redeems a token once: reserve the serial, sign, check, store (see the header). */
  async issue(token: IssuanceToken): Promise<IssuedCertificate> {
    const prepared = token instanceof IssuanceToken ? this.#tokens.get(token.id) : undefined;
    if (prepared === undefined || prepared.token !== token) {
      throw appError('ca.token-invalid', 'the issuance token is unknown or was redeemed already');
    }
    // Deleted before the first await: a second, concurrent redemption finds nothing.
    this.#tokens.delete(token.id);
    if (this.#clock.now().getTime() > prepared.expiresAt) {
      throw appError('ca.token-invalid', 'the issuance token expired; prepare the certificate again');
    }
    return this.#issuePrepared(prepared);
  }

  /** A leaf for a PKCS#10 request (EST): the CSR is checked for the role, the certificate built from the profile. */
  async issueFromCsr(request: IssueFromCsrRequest): Promise<IssuedCertificate> {
    const issuer = await this.#issuerContext(request.caId);
    const leafRole = CSR_LEAF_ROLE[request.role];
    if (leafRole === undefined) {
      throw appError(
        'ca.invalid-request',
        `CSR role must be one of ${Object.keys(CSR_LEAF_ROLE).join(', ')}`,
      );
    }
    const profile = this.#leafProfile(issuer, leafRole);
    // parseCsr bounds the size first (16 KiB), then parses strictly and verifies the proof of
    // possession: garbage, oversized and tampered requests end here with csr.malformed / csr.signature.
    const csr = parseCsr(request.csrDer);
    const problem = csrViolationsError(
      checkCsrForRole(csr, {
        role: request.role,
        iso: issuer.ca.iso === '20' ? 20 : 2,
        ...commonNameRule(request.role, request.lenientCommonName === true),
      }),
    );
    if (problem !== undefined) {
      this.#logger.warn({ caId: issuer.ca.id, role: request.role, code: problem.code }, 'CSR refused');
      throw problem;
    }
    // The CA never copies extensions or DC from the request (pki-profiles.md §3 C1; src/pki/csr).
    const subject: SubjectFields = {
      commonName: csr.subject.commonNames[0] as string,
      ...(csr.subject.organizations[0] === undefined ? {} : { organization: csr.subject.organizations[0] }),
      ...(csr.subject.countries[0] === undefined ? {} : { country: csr.subject.countries[0] }),
    };
    const token = await this.#prepare({
      profile,
      issuer,
      subject: checkSubjectFields(subject),
      spki: csr.publicKey.spkiDer,
      validity: request.validity,
      keyId: null,
      actor: request.actor ?? SYSTEM_ACTOR,
    });
    return this.issue(token);
  }

  /** A leaf whose key is generated in (and stays in) the key store, e.g. the CPS leaf. */
  async issueWithGeneratedKey(
    request: IssueWithGeneratedKeyRequest,
  ): Promise<IssuedCertificate & { keyId: string }> {
    const issuer = await this.#issuerContext(request.caId);
    const profile = this.#leafProfile(issuer, request.role);
    const subject = checkSubjectFields(request.subject);
    const algorithm = this.#checkAlgorithm(profile, request.algorithm ?? issuer.algorithm);
    return this.#withSubjectKey(algorithm, subject.commonName, undefined, async (signer) => {
      const token = await this.#prepare({
        profile,
        issuer,
        subject,
        spki: await signer.publicKeySpki(),
        validity: request.validity,
        keyId: signer.handle.id,
        actor: request.actor ?? SYSTEM_ACTOR,
      });
      const issued = await this.issue(token);
      return { ...issued, keyId: signer.handle.id };
    });
  }

  // --- Revocation -------------------------------------------------------------------------------------

  /** Revokes a certificate (by certificate id, CA id or serial) with an RFC 5280 reason. */
  async revoke(request: RevokeRequest): Promise<CertificateView> {
    const reason = parseRevocationReason(request.reason);
    const now = this.#clock.now();
    const at = request.at ?? now;
    if (!(at instanceof Date) || !Number.isFinite(at.getTime()))
      throw appError('ca.invalid-request', 'at is not a date');
    if (at.getTime() > now.getTime())
      throw appError('ca.invalid-request', 'the revocation time must not be in the future');
    const certificate = await this.#revocationTarget(request);
    if (certificate.subjectCaId !== null && certificate.subjectCaId === certificate.issuerCaId) {
      throw appError(
        'ca.not-revocable',
        'a root certificate cannot be revoked (nothing above it signs its status): remove it from the trust stores',
      );
    }
    const outcome = await this.#repository.revoke({
      certificateId: certificate.id,
      at: new Date(Math.floor(at.getTime() / 1000) * 1000),
      reason,
      audit: {
        at: now,
        actor: request.actor ?? SYSTEM_ACTOR,
        action: 'certificate.revoked',
        subject: certificate.id,
        details: {
          issuerCaId: certificate.issuerCaId,
          serial: certificate.serial,
          subject: certificate.subject,
          subjectCaId: certificate.subjectCaId,
          reason: revocationReasonName(reason),
          reasonCode: reason,
          revokedAt: at.toISOString(),
        },
      },
    });
    switch (outcome) {
      case 'revoked':
        if (certificate.subjectCaId !== null) this.#signers.delete(certificate.subjectCaId);
        this.#revokedSet.add(certificate.issuerCaId, certificate.serial);
        for (const listener of this.#revokedListeners) {
          try {
            listener(certificate.issuerCaId, certificate.serial);
          } catch (error) {
            this.#logger.warn(
              { certificateId: certificate.id, err: error },
              'a revocation listener failed (the revocation stands)',
            );
          }
        }
        return this.getCertificate(certificate.id);
      case 'already-revoked':
        throw appError(
          'ca.already-revoked',
          `certificate ${certificate.id} (serial ${certificate.serial}) is revoked already`,
        );
      case 'not-issued':
        throw appError(
          'ca.not-revocable',
          `certificate ${certificate.id} was never issued (status ${certificate.status}): there is nothing to revoke`,
        );
      case 'not-found':
        throw appError('ca.not-found', `no certificate ${certificate.id}`);
    }
  }

  /** What the OCSP responder answers for (issuer, serial) (RFC 6960 §2.2). */
  async revocationStatus(issuerCaId: string, serial: string | bigint): Promise<RevocationStatus> {
    const canonical = typeof serial === 'bigint' ? serialToHex(serial) : parseSerial(serial);
    // One query on the OCSP hot path: a certificate row implies its CA (foreign key); the CA is
    // looked up only to tell an unknown issuer from an unknown serial.
    const cert = await this.#repository.findCertificateStatus(issuerCaId, canonical);
    if (cert === undefined) {
      const ca = await this.#repository.getCa(issuerCaId);
      return {
        status: 'unknown',
        serial: canonical,
        why: ca === undefined ? 'unknown-issuer' : 'unknown-serial',
      };
    }
    if (cert.status === 'issued') return { status: 'good', serial: canonical, notAfter: cert.notAfter };
    if (cert.status === 'revoked' && cert.revokedAt !== null && cert.revocationReason !== null) {
      return {
        status: 'revoked',
        serial: canonical,
        notAfter: cert.notAfter,
        revokedAt: cert.revokedAt,
        reason: cert.revocationReason,
      };
    }
    return { status: 'unknown', serial: canonical, why: 'not-issued' };
  }

  /**
   * Changes whenever certificate statuses may have changed in the database, by this process or
   * another one; undefined where the database has no cheap marker (PostgreSQL). For caches of
   * revocationStatus (the OCSP responder's status view, docs/pki-http.md).
   */
  async statusChangeMarker(): Promise<number | undefined> {
    return this.#repository.statusChangeMarker();
  }

  /**
   * Whether a CA of this server revoked the certificate with this serial (D-175): revocations of this
   * process at once, those of other processes within `revokedSetMaxAgeMs`. A serial that is not one
   * of this CA's certificates is simply not revoked (use revocationStatus to tell good from unknown).
   */
  async isRevoked(issuerCaId: string, serial: string | bigint): Promise<boolean> {
    const canonical = typeof serial === 'bigint' ? serialToHex(serial) : parseSerial(serial);
    return this.#revokedSet.isRevoked(issuerCaId, canonical);
  }

  /**
   * Calls `listener` after every revocation this service commits, in this process (other processes
   * are not seen: see statusChangeMarker). A throwing listener is logged, never fails the
   * revocation. Returns a function that removes the listener.
   */
  onRevoked(listener: (issuerCaId: string, serial: string) => void): () => void {
    this.#revokedListeners.add(listener);
    return () => {
      this.#revokedListeners.delete(listener);
    };
  }

  /** Revoked certificates of one issuer, for its CRL (RFC 5280 §5.1.2.6). */
  async revokedCertificates(caId: string): Promise<RevokedCertificate[]> {
    if ((await this.#repository.getCa(caId)) === undefined) throw appError('ca.not-found', `no CA ${caId}`);
    return this.#repository.revokedCertificates(caId);
  }

  // --- Queries -----------------------------------------------------------------------------------------

  async listCas(): Promise<CaView[]> {
    return this.#repository.listCas();
  }

  async listCertificates(filter: CertificateFilter = {}): Promise<CertificateView[]> {
    return this.#repository.listCertificates(filter);
  }

  async getCa(id: string): Promise<CaView> {
    const ca = await this.#repository.getCa(id);
    if (ca === undefined) throw appError('ca.not-found', `no CA ${id}`);
    return ca;
  }

  async findCaByName(name: string): Promise<CaView | undefined> {
    return this.#repository.findCaByName(name);
  }

  async getCertificate(id: string): Promise<CertificateView> {
    const cert = await this.#repository.getCertificate(id);
    if (cert === undefined) throw appError('ca.not-found', `no certificate ${id}`);
    return cert;
  }

  /** The certificate a CA issued under a serial (any status), or undefined; for the revocation API. */
  async findCertificate(issuerCaId: string, serial: string | bigint): Promise<CertificateView | undefined> {
    const canonical = typeof serial === 'bigint' ? serialToHex(serial) : parseSerial(serial);
    return this.#repository.findCertificate(issuerCaId, canonical);
  }

  /**
   * A CA id (`ca-…`), certificate id (`cert-…`) or serial → the DER chain, the certificate first and
   * the root last (RFC 5246 §7.4.2 order; what `--chain` exports).
   */
  async chain(reference: string): Promise<Uint8Array[]> {
    const first = await this.#resolveDer(reference);
    const out = [first.der];
    let parentId = first.issuerCaId;
    for (let depth = 0; parentId !== null && depth < 8; depth++) {
      const ca = await this.getCa(parentId);
      if (ca.certificate === null) break;
      if (!bytesEqual(ca.certificate, out[out.length - 1] as Uint8Array)) out.push(ca.certificate);
      parentId = ca.parentId;
    }
    return out;
  }

  /** PEM of a certificate, optionally followed by its chain up to the root. */
  async exportPem(reference: string, options: { readonly chain?: boolean } = {}): Promise<string> {
    const chain = await this.chain(reference);
    return (options.chain === true ? chain : chain.slice(0, 1)).map(toPem).join('');
  }

  async auditLog(filter: { readonly subject?: string } = {}): Promise<AuditEntry[]> {
    return this.#repository.listAudit(filter);
  }

  // --- Internals ---------------------------------------------------------------------------------------

  #newId(prefix: 'ca' | 'cert'): string {
    return `${prefix}-${hex(this.#random(8))}`;
  }

  #checkAlgorithm(profile: CertificateProfile, algorithm: unknown): KeyAlgorithm {
    if (!isKeyAlgorithm(algorithm) || !(profile.keyAlgorithms as readonly string[]).includes(algorithm)) {
      throw appError(
        'ca.invalid-request',
        `${String(algorithm)} keys are not allowed for ${profile.id} (allowed: ${profile.keyAlgorithms.join(', ')}; ${profile.algorithmClause})`,
      );
    }
    return algorithm;
  }

  async #freeName(name: string): Promise<string> {
    const checked = checkSubjectFields({ commonName: name }).commonName;
    const existing = await this.#repository.findCaByName(checked);
    if (existing !== undefined) {
      throw appError('ca.exists', `a CA named "${checked}" exists already (${existing.id})`, {
        details: { caId: existing.id },
      });
    }
    return checked;
  }

  /** Runs fn with a new key (destroyed again if fn fails) or with the existing key `keyId`. */
  async #withSubjectKey<T>(
    algorithm: KeyAlgorithm,
    label: string,
    keyId: string | undefined,
    fn: (signer: Signer) => Promise<T>,
  ): Promise<T> {
    if (keyId !== undefined) {
      const signer = await this.#keyStore.open(keyId);
      if (signer.handle.algorithm !== algorithm) {
        throw appError(
          'ca.key-mismatch',
          `key ${keyId} is a ${signer.handle.algorithm} key, not ${algorithm}`,
        );
      }
      return fn(signer);
    }
    const signer = await this.#keyStore.generate(algorithm, label.slice(0, 64).trim());
    try {
      return await fn(signer);
    } catch (error) {
      // Nothing certifies the key: remove it so a refused or failed request leaves nothing behind.
      await this.#keyStore
        .destroy(signer.handle.id)
        .catch((e: unknown) =>
          this.#logger.warn(
            { keyRef: signer.handle.id, error: errorSummary(e) },
            'could not remove an unused key',
          ),
        );
      throw error;
    }
  }

  /** The issuing CA: registered, active, within its validity, with a certificate and a key. */
  async #issuerContext(caId: string): Promise<Extract<IssuerContext, { kind: 'ca' }>> {
    if (typeof caId !== 'string') throw appError('ca.invalid-request', 'the issuing CA id is missing');
    const ca = await this.#repository.getCa(caId);
    if (ca === undefined) throw appError('ca.not-found', `no CA ${caId}`);
    const unusable = (why: string) =>
      appError('ca.issuer-unusable', `CA ${ca.id} (${ca.name}) cannot issue: ${why}`, {
        details: { caId: ca.id },
      });
    if (ca.status !== 'active' || ca.certificate === null) throw unusable(`its status is ${ca.status}`);
    if (ca.keyId === null) throw unusable('it was imported without a key (trust anchor only)');
    if (!isKeyAlgorithm(ca.keyAlgorithm)) throw unusable(`its ${ca.keyAlgorithm} key is not a V2G PKI key`);
    const info = parseCertificate(ca.certificate);
    const now = this.#clock.now().getTime();
    if (info.notAfter.getTime() <= now)
      throw unusable(`its certificate expired ${info.notAfter.toISOString()}`);
    if (info.notBefore.getTime() > now)
      throw unusable(`its certificate is valid only from ${info.notBefore.toISOString()}`);
    if (info.subjectKeyIdentifier === undefined)
      throw unusable('its certificate has no subjectKeyIdentifier');
    return {
      kind: 'ca',
      ca,
      certificate: ca.certificate,
      subjectName: info.subjectDer,
      ski: info.subjectKeyIdentifier,
      algorithm: ca.keyAlgorithm,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
    };
  }

  #leafProfile(issuer: Extract<IssuerContext, { kind: 'ca' }>, role: CertificateRole): CertificateProfile {
    const profile = getProfile(issuer.ca.iso, role);
    if (profile === undefined || profile.kind !== 'leaf') {
      throw appError('ca.invalid-request', `${role} is not a leaf profile of ISO 15118-${issuer.ca.iso}`);
    }
    // The delegated OCSP signer is issued directly by the CA it answers for (RFC 6960 §4.2.2.2).
    const allowed = role === 'ocsp-signer' ? [issuer.ca.role] : (LEAF_ISSUERS[role] ?? []);
    if (!allowed.includes(issuer.ca.role)) {
      throw appError(
        'ca.issuer-unusable',
        `a ${profile.title} must be issued by ${allowed.join(' or ') || 'no CA here'}, not by ${issuer.ca.role} ${issuer.ca.id}`,
        { details: { caId: issuer.ca.id, role: issuer.ca.role, allowed } },
      );
    }
    return profile;
  }

  async #caSigner(ca: CaView): Promise<Signer> {
    let pending = this.#signers.get(ca.id);
    if (pending === undefined) {
      pending = this.#openCaSigner(ca);
      this.#signers.set(ca.id, pending);
      pending.catch(() => this.#signers.delete(ca.id));
    }
    return pending;
  }

  async #openCaSigner(ca: CaView): Promise<Signer> {
    const keyId = ca.keyId as string;
    let signer: Signer;
    try {
      signer = await this.#keyStore.open(keyId);
    } catch (error) {
      if (isAppError(error) && error.code === 'signer.key-not-found') {
        throw appError(
          'ca.issuer-unusable',
          `the key of CA ${ca.id} (${ca.keyBackend} key ${keyId}) is not in the configured key store`,
          { cause: error, details: { caId: ca.id } },
        );
      }
      throw error;
    }
    if (ca.keyBackend !== null && signer.handle.backend !== ca.keyBackend) {
      throw appError(
        'ca.key-mismatch',
        `CA ${ca.id} has a ${ca.keyBackend} key, the key store is ${signer.handle.backend}`,
      );
    }
    const spki = parseCertificate(ca.certificate as Uint8Array).spki.der;
    if (!(await spkiEquals(await signer.publicKeySpki(), spki))) {
      throw appError('ca.key-mismatch', `key ${keyId} does not match the certificate of CA ${ca.id}`);
    }
    return signer;
  }

  #ocspUrl(): string {
    return `${this.#publicUrl()}/ocsp`;
  }

  #validity(
    profile: CertificateProfile,
    request: ValidityRequest | undefined,
    issuer: IssuerContext,
  ): { notBefore: Date; notAfter: Date; clipped: boolean } {
    const second = (d: Date, what: string) => {
      if (!(d instanceof Date) || !Number.isFinite(d.getTime()))
        throw appError('ca.invalid-request', `${what} is not a date`);
      return Math.floor(d.getTime() / 1000) * 1000;
    };
    if (request?.days !== undefined && request.notAfter !== undefined) {
      throw appError('ca.invalid-request', 'give either validity days or notAfter, not both');
    }
    const days = request?.days ?? profile.validity.defaultDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
      throw appError('ca.invalid-request', `validity days must be an integer from 1 to ${MAX_VALIDITY_DAYS}`);
    }
    let notBefore =
      request?.notBefore === undefined
        ? second(this.#clock.now(), 'now')
        : second(request.notBefore, 'notBefore');
    // RFC 5280 §4.1.2.5: notAfter is inclusive, so N days end one second before notBefore + N days.
    let notAfter =
      request?.notAfter === undefined
        ? notBefore + days * DAY_MS - 1000
        : second(request.notAfter, 'notAfter');
    if (notAfter <= notBefore) throw appError('ca.invalid-request', 'notAfter must be after notBefore');
    if (notAfter - notBefore > MAX_VALIDITY_DAYS * DAY_MS) {
      throw appError('ca.invalid-request', `the validity period is longer than ${MAX_VALIDITY_DAYS} days`);
    }
    let clipped = false;
    if (issuer.kind === 'ca') {
      // Shell model (P-014): a certificate never outlives its issuer, nor starts before it.
      if (notAfter > issuer.notAfter.getTime()) {
        notAfter = issuer.notAfter.getTime();
        clipped = true;
      }
      if (notBefore < issuer.notBefore.getTime()) {
        notBefore = issuer.notBefore.getTime();
        clipped = true;
      }
      if (notAfter <= notBefore) {
        throw appError('ca.issuer-unusable', `CA ${issuer.ca.id} is not valid during the requested period`, {
          details: { caId: issuer.ca.id },
        });
      }
    }
    return { notBefore: new Date(notBefore), notAfter: new Date(notAfter), clipped };
  }

  #lintKey(algorithm: KeyAlgorithm): KeyObject {
    let key = this.#lintKeys.get(algorithm);
    if (key === undefined) {
      key =
        algorithm === 'Ed448'
          ? generateKeyPairSync('ed448').privateKey
          : generateKeyPairSync('ec', { namedCurve: algorithm === 'P-256' ? 'prime256v1' : 'secp521r1' })
              .privateKey;
      this.#lintKeys.set(algorithm, key);
    }
    return key;
  }

  /** TBS for a serial, signed with the throw-away key and linted (Boulder linter.go). */
  #buildAndLint(
    profile: CertificateProfile,
    issuer: IssuerContext,
    template: TbsTemplate,
    serial: bigint,
  ): { tbs: Uint8Array; violations: readonly Violation[]; ok: boolean; subjectText: string } {
    const tbs = encodeTbsCertificate(template, serial);
    const algorithm = template.signatureAlgorithm;
    const signature = new Uint8Array(
      nodeSign(algorithm.digest, tbs, { key: this.#lintKey(issuer.algorithm), dsaEncoding: 'der' }),
    );
    const lintCertificateDer = assembleCertificate(tbs, algorithm, signature);
    const result = lintCertificate(lintCertificateDer, profile, {
      at: this.#clock.now(),
      issuer: issuer.kind === 'ca' ? issuer.certificate : lintCertificateDer,
    });
    const parsed = parseForLint(lintCertificateDer);
    const subjectText = parsed.ok ? formatName(parsed.cert.subject) : '';
    return { tbs, violations: result.violations, ok: result.ok, subjectText };
  }

  async #prepare(spec: PrepareSpec): Promise<IssuanceToken> {
    const { profile, issuer } = spec;
    const spkiAlgorithm = (() => {
      try {
        return parseSpki(spec.spki).algorithm;
      } catch {
        throw appError('ca.invalid-request', 'the subject public key is not a DER SubjectPublicKeyInfo');
      }
    })();
    const subjectName = encodeSubjectName(spec.subject, profile.subject.domainComponent);
    const validity = this.#validity(profile, spec.validity, issuer);
    const ocspUrl = profile.kind === 'root' || profile.role === 'ocsp-signer' ? null : this.#ocspUrl();
    const issuerCaId = issuer.kind === 'ca' ? issuer.ca.id : undefined;
    const crlUrl =
      this.#crlDistributionPoints && issuerCaId !== undefined
        ? `${this.#publicUrl()}/crl/${issuerCaId}`
        : null;
    const { extensions } = profileExtensions({
      profile,
      subjectPublicKeyInfo: spec.spki,
      // Unknown key types are built like EC keys; the key lint then refuses them.
      subjectKeyAlgorithm:
        spkiAlgorithm === 'Ed448' ? 'Ed448' : spkiAlgorithm === 'P-521' ? 'P-521' : 'P-256',
      ...(issuer.kind === 'ca' ? { issuerSki: issuer.ski } : {}),
      ocspUrl,
      crlUrl,
    });
    const template: TbsTemplate = {
      signatureAlgorithm: signatureAlgorithmFor(issuer.algorithm),
      issuerName: issuer.kind === 'ca' ? issuer.subjectName : subjectName.der,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      subjectName: subjectName.der,
      subjectPublicKeyInfo: spec.spki,
      extensions,
    };
    const serial = generateSerial(this.#random);
    const linted = this.#buildAndLint(profile, issuer, template, serial);
    if (!linted.ok) {
      const errors = linted.violations.filter((v) => v.severity === 'error');
      this.#logger.warn(
        {
          profileId: profile.id,
          issuerCaId,
          subject: subjectName.text,
          violations: errors.map((v) => v.code),
        },
        'certificate refused by lint-before-sign',
      );
      throw appError(
        'ca.lint-failed',
        `the ${profile.title} does not conform to ${profile.id}: ${errors.map((v) => `${v.code}: ${v.message}`).join('; ')}`,
        { details: { profileId: profile.id, violations: linted.violations.map((v) => ({ ...v })) } },
      );
    }
    this.#sweepTokens();
    const token = new IssuanceToken({
      id: hex(this.#random(16)),
      profileId: profile.id,
      serial: serialToHex(serial),
      subject: linted.subjectText,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      tbsSha256: sha256Hex(linted.tbs),
      lintWarnings: linted.violations.map((v) => ({ code: v.code, message: v.message })),
    });
    this.#tokens.set(token.id, {
      token,
      expiresAt: this.#clock.now().getTime() + TOKEN_LIFETIME_MS,
      profile,
      issuer,
      template,
      serial,
      tbs: linted.tbs,
      subjectText: linted.subjectText,
      validityClipped: validity.clipped,
      warnings: linted.violations,
      newCa: spec.newCa,
      keyId: spec.keyId,
      actor: spec.actor,
    });
    return token;
  }

  #sweepTokens(): void {
    const now = this.#clock.now().getTime();
    for (const [id, prepared] of this.#tokens) if (prepared.expiresAt < now) this.#tokens.delete(id);
    if (this.#tokens.size >= MAX_OUTSTANDING_TOKENS) {
      throw appError(
        'ca.token-invalid',
        `more than ${MAX_OUTSTANDING_TOKENS} prepared certificates wait for issue()`,
      );
    }
  }

  async #issuePrepared(prepared: Prepared): Promise<IssuedCertificate> {
    const { profile, issuer, newCa } = prepared;
    // Everything that can fail without a trace happens before the reservation.
    let signer: Signer;
    let issuerSpki: Uint8Array;
    if (issuer.kind === 'ca') {
      const current = await this.#repository.getCa(issuer.ca.id);
      if (current?.status !== 'active') {
        throw appError('ca.issuer-unusable', `CA ${issuer.ca.id} is ${current?.status ?? 'gone'} now`, {
          details: { caId: issuer.ca.id },
        });
      }
      signer = await this.#caSigner(current);
      issuerSpki = parseCertificate(issuer.certificate).spki.der;
    } else {
      signer = issuer.signer;
      issuerSpki = prepared.template.subjectPublicKeyInfo;
    }
    const issuerCaId = issuer.kind === 'ca' ? issuer.ca.id : (newCa as NewCaSpec).id;
    const certificateId = this.#newId('cert');

    let serial = prepared.serial;
    let tbs = prepared.tbs;
    for (let attempt = 1; ; attempt++) {
      const now = this.#clock.now();
      const serialHex = serialToHex(serial);
      const outcome = await this.#repository.reserve({
        ...(newCa === undefined
          ? {}
          : {
              ca: {
                id: newCa.id,
                name: newCa.name,
                iso: profile.iso,
                role: profile.role,
                profileId: profile.id,
                parentId: newCa.parentId,
                subject: prepared.subjectText,
                keyId: newCa.keyId,
                keyBackend: newCa.signer.handle.backend,
                keyAlgorithm: newCa.signer.handle.algorithm,
                external: false,
                status: 'pending',
                createdAt: now,
              },
            }),
        certificate: {
          id: certificateId,
          issuerCaId,
          serial: serialHex,
          profileId: profile.id,
          subject: prepared.subjectText,
          subjectCaId: newCa?.id ?? null,
          tbsDer: tbs,
          notBefore: prepared.template.notBefore,
          notAfter: prepared.template.notAfter,
          keyId: prepared.keyId,
          createdAt: now,
        },
        audit: {
          at: now,
          actor: prepared.actor,
          action: 'certificate.reserved',
          subject: certificateId,
          details: {
            issuerCaId,
            serial: serialHex,
            profileId: profile.id,
            subject: prepared.subjectText,
            ...(newCa === undefined ? {} : { caId: newCa.id, caName: newCa.name }),
            notBefore: prepared.template.notBefore.toISOString(),
            notAfter: prepared.template.notAfter.toISOString(),
            validityClipped: prepared.validityClipped,
            tbsSha256: sha256Hex(tbs),
            signerBackend: signer.handle.backend,
            lintWarnings: prepared.warnings.map((v) => v.code),
          },
        },
      });
      if (outcome === 'reserved') break;
      if (outcome === 'name-taken') {
        throw appError('ca.exists', `a CA named "${newCa?.name}" exists already`);
      }
      // 'serial-taken': only a broken random source gets here (127-bit serials). A new serial
      // changes the TBS, so it is linted again.
      if (attempt >= SERIAL_ATTEMPTS) {
        throw appError(
          'ca.issuance-failed',
          `no unused serial after ${SERIAL_ATTEMPTS} attempts: is the random source broken?`,
        );
      }
      serial = generateSerial(this.#random);
      const relinted = this.#buildAndLint(profile, issuer, prepared.template, serial);
      if (!relinted.ok)
        throw appError('ca.lint-failed', 'the certificate no longer passes lint with a new serial');
      tbs = relinted.tbs;
    }

    const serialHex = serialToHex(serial);
    let der: Uint8Array;
    try {
      const signature = await signer.sign(tbs);
      der = assembleCertificate(tbs, prepared.template.signatureAlgorithm, signature);
      this.#checkSignature(tbs, signature, prepared.template.signatureAlgorithm, issuerSpki);
      // Guard: the certificate about to be stored passes the same lint as its template.
      const final = lintCertificate(der, profile, {
        at: this.#clock.now(),
        issuer: issuer.kind === 'ca' ? issuer.certificate : der,
      });
      if (!final.ok) {
        throw appError(
          'ca.lint-failed',
          `the signed certificate fails lint: ${final.violations.map((v) => v.code).join(', ')}`,
        );
      }
    } catch (error) {
      const summary = errorSummary(error);
      await this.#repository.failIssuance({
        certificateId,
        ...(newCa === undefined ? {} : { caId: newCa.id }),
        audit: {
          at: this.#clock.now(),
          actor: prepared.actor,
          action: 'certificate.issue-failed',
          subject: certificateId,
          details: { issuerCaId, serial: serialHex, profileId: profile.id, error: summary },
        },
      });
      this.#logger.warn(
        { certificateId, issuerCaId, serial: serialHex, error: summary },
        'issuance failed after the serial was reserved',
      );
      throw appError(
        'ca.issuance-failed',
        `signing certificate ${certificateId} (serial ${serialHex}) failed: ${summary.message}`,
        {
          cause: error,
          details: { certificateId, serial: serialHex, reason: summary.code },
        },
      );
    }
    const issuedAt = this.#clock.now();
    await this.#repository.completeIssuance({
      certificateId,
      der,
      issuedAt,
      ...(newCa === undefined ? {} : { caId: newCa.id }),
      audit: {
        at: issuedAt,
        actor: prepared.actor,
        action: 'certificate.issued',
        subject: certificateId,
        details: {
          issuerCaId,
          serial: serialHex,
          profileId: profile.id,
          subject: prepared.subjectText,
          ...(newCa === undefined ? {} : { caId: newCa.id }),
          certificateSha256: sha256Hex(der),
        },
      },
    });
    if (newCa !== undefined) this.#signers.set(newCa.id, Promise.resolve(newCa.signer));
    this.#logger.info(
      { certificateId, issuerCaId, serial: serialHex, profileId: profile.id },
      'certificate issued',
    );
    const stored = await this.getCertificate(certificateId);
    return {
      ...stored,
      certificate: der,
      validityClipped: prepared.validityClipped,
      lintWarnings: prepared.warnings.map((v) => ({ code: v.code, message: v.message })),
    };
  }

  #checkSignature(
    tbs: Uint8Array,
    signature: Uint8Array,
    algorithm: SignatureAlgorithmSpec,
    issuerSpki: Uint8Array,
  ): void {
    const key = createPublicKey({ key: Buffer.from(issuerSpki), format: 'der', type: 'spki' });
    if (!nodeVerify(algorithm.digest, tbs, { key, dsaEncoding: 'der' }, signature)) {
      throw appError(
        'ca.issuance-failed',
        'the signature does not verify with the issuer certificate (wrong key?)',
      );
    }
  }

  async #revocationTarget(request: RevokeRequest): Promise<CertificateView> {
    if (request.id !== undefined) {
      if (request.id.startsWith('ca-')) {
        const ca = await this.getCa(request.id);
        if (ca.external)
          throw appError('ca.not-revocable', `CA ${ca.id} was imported: only its issuer can revoke it`);
        const own = (await this.#repository.listCertificates({ issuerCaId: ca.parentId ?? ca.id })).find(
          (c) => c.subjectCaId === ca.id && c.status !== 'failed',
        );
        if (own === undefined) throw appError('ca.not-found', `CA ${ca.id} has no certificate issued here`);
        return own;
      }
      return this.getCertificate(request.id);
    }
    if (request.serial === undefined)
      throw appError('ca.invalid-request', 'give a certificate id, CA id or serial');
    const serial = parseSerial(request.serial);
    if (request.issuerCaId !== undefined) {
      const cert = await this.#repository.findCertificate(request.issuerCaId, serial);
      if (cert === undefined)
        throw appError('ca.not-found', `CA ${request.issuerCaId} issued no serial ${serial}`);
      return cert;
    }
    const matches = await this.#repository.findCertificatesBySerial(serial);
    if (matches.length === 0) throw appError('ca.not-found', `no certificate with serial ${serial}`);
    if (matches.length > 1) {
      throw appError(
        'ca.ambiguous',
        `serial ${serial} was issued by ${matches.length} CAs: give the certificate id`,
        {
          details: { certificates: matches.map((m) => m.id) },
        },
      );
    }
    return matches[0] as CertificateView;
  }

  async #resolveDer(reference: string): Promise<{ der: Uint8Array; issuerCaId: string | null }> {
    if (typeof reference !== 'string' || reference.length === 0)
      throw appError('ca.invalid-request', 'give an id or serial');
    if (reference.startsWith('ca-')) {
      const ca = await this.getCa(reference);
      if (ca.certificate === null)
        throw appError('ca.not-found', `CA ${ca.id} has no certificate (status ${ca.status})`);
      return { der: ca.certificate, issuerCaId: ca.parentId };
    }
    const cert = reference.startsWith('cert-')
      ? await this.getCertificate(reference)
      : await this.#revocationTarget({ serial: reference });
    if (cert.certificate === null) {
      throw appError('ca.not-found', `certificate ${cert.id} was never issued (status ${cert.status})`);
    }
    // A root's own certificate has the root as issuer: the chain ends with it.
    return {
      der: cert.certificate,
      issuerCaId: cert.subjectCaId === cert.issuerCaId ? null : cert.issuerCaId,
    };
  }
}

// --- Helpers ------------------------------------------------------------------------------------------

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

async function spkiEquals(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  try {
    return createPublicKey({ key: Buffer.from(a), format: 'der', type: 'spki' }).equals(
      createPublicKey({ key: Buffer.from(b), format: 'der', type: 'spki' }),
    );
  } catch {
    return false;
  }
}

/** O and C of the issuer, so a sub-CA names the same organisation unless told otherwise. */
function subjectDefaults(issuerCertificate: Uint8Array): { organization?: string; country?: string } {
  const parsed = parseForLint(issuerCertificate);
  if (!parsed.ok) return {};
  const o = nameValues(parsed.cert.subject, OID_O)[0]?.value ?? undefined;
  const c = nameValues(parsed.cert.subject, OID_C)[0]?.value ?? undefined;
  return { ...(o === undefined ? {} : { organization: o }), ...(c === undefined ? {} : { country: c }) };
}

/** The CN rule per CSR role: EMAID (check digit verified), PCID, EVSEID / SECCID (P-018..P-020). */
function commonNameRule(role: CsrLeafRole, lenient: boolean): { commonName?: CommonNameCheck } {
  switch (role) {
    case 'MO':
      return { commonName: (cn) => parseEmaid(cn) };
    case 'OEM':
      return { commonName: (cn) => parsePcid(cn) };
    case 'CPO':
      if (lenient) return {};
      return {
        commonName: (cn) => {
          const evse = parseEvseId(cn);
          if (evse.ok) return evse;
          const secc = parseSeccId(cn);
          return secc.ok ? secc : { ok: false, reasons: [...evse.reasons, ...secc.reasons] };
        },
      };
    default:
      return {};
  }
}
