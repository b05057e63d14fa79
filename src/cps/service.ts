// The Certificate Provisioning Service (OPCP docs/components/03; OPNC cps.api.v1): signs the contract
// data of an MO with its own PKI, generates and signs contract data for MOs without one, lists its
// signers. ISO 15118-2 and ISO 15118-20. docs/cps.md; decisions D-060..D-069, D-140..D-147.
//
// Sign (MO with its own PKI): the MO hands in its contract chain, the contract private key encrypted
// for the vehicle, the DH public key and the EMAID; the CPS checks them (below), builds the
// CertificateInstallationRes of the edition (-2: ./contract-data.ts; -20: ./contract-data-20.ts), signs
// it with a CPS leaf key of the edition (-2 P-256; -20 P-521 or Ed448) and, when a PCID is given,
// stores it in the Contract Certificate Pool (ContractSink).
//
// Generate and sign (MO without a PKI): the CPS looks the vehicle up in the Provisioning Certificate
// Pool, makes the contract key pair from the injected random source (-2 P-256; -20 the vehicle's
// curve: P-521, or Ed448 for an Ed448 vehicle, D-142), has the MO Sub-CA 2 of the CA issue the
// contract certificate (CN = EMAID, lint before sign), encrypts the private key for the vehicle's
// provisioning key ([V2G2-818]; -20 ECDH secp521r1 / X448 + AES-256-GCM with AAD PCID ‖ SKI, D-015,
// D-141), signs, and stores it in the CCP. The contract private key exists only in memory during the
// request: it is never stored, logged or returned in clear, and its bytes are zeroed after encryption
// ([V2G20-2496] asks the same of -20 senders).
//
// "Key and certificate match" (issue 4 item 3; D-065): the CPS cannot decrypt what an MO encrypted for
// a vehicle, so it checks what can be checked without the vehicle's key: the contract certificate's CN
// is the EMAID; its key type is the edition's (-2 secp256r1; -20 the key type of the transport curve);
// the DH public key is a point / key of that curve and not the contract key itself; the encrypted key
// has the size the key transport produces (-2 48 bytes; -20 94 or 84/85); the chain validates to a
// trusted MO or V2G root of the edition (spec-gaps.md item 48) and passes the edition's contract
// profile (-20: 8-byte SKI, ≤ 1600 DER bytes). For generated contracts the issued certificate's key is
// checked against the private key before it is encrypted.

import { createECDH, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import { assertTenant, canAccessEmaid, type Principal } from '../auth/index.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import type { ContractSink, NewSignedContract, StoredContract } from '../ccp/contract-record.ts';
import { x448PublicKeyOfEd448, x448PublicRawOfEd448 } from '../contract-key/ed448-x448.ts';
import { encryptContractKeyIso2, scalarMatchesCertificate } from '../contract-key/iso2-key-transport.ts';
import { encryptContractKeyIso20 } from '../contract-key/iso20-key-transport.ts';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import type { ProvisioningLookup } from '../pcp/provisioning-lookup.ts';
import { type CertificateInfo, parseCertificate } from '../pki/ocsp/index.ts';
import { validatePath } from '../pki/path/index.ts';
import type { RevocationStatus } from '../pki/path/types.ts';
import { type Emaid, getProfile } from '../pki/profiles/index.ts';
import type { CertificateRole } from '../pki/profiles/types.ts';
import { decodeCertificateField, type IsoEdition } from '../pool-inputs/index.ts';
import type { RootType, TrustAnchorSource, TrustedRoot } from '../rcp/trust-anchors.ts';
import type { KeyStore } from '../signer/types.ts';
import type { Database } from '../storage/types.ts';
import { type SignedContractData, signContractData, validWithTolerance } from './contract-data.ts';
import { type Iso20ContractData, type SignedContractData20, signContractData20 } from './contract-data-20.ts';
import {
  dateTimeOf,
  dhPublicKeyOf,
  editionOf,
  emaidOf,
  emaidText,
  encryptedPrivateKeyOf,
  given,
  iso20KeyFieldsOf,
  metadataOf,
  optionalText,
  pcidOf,
} from './inputs.ts';
import { type CpsSigner, CpsSignerDirectory, keyTypeOf, subjectOf } from './signers.ts';

const DAY_MS = 86_400_000;

/** Most MO sub-CA certificates in a contract chain: Sub-CA 2 and Sub-CA 1 (the V2G PKI of both editions). */
export const MAX_CONTRACT_SUB_CAS = 2;

/** Contract key type per -20 ECDH curve ([V2G20-2487/2488], [V2G20-2500..2502]; D-142). */
const ISO20_CONTRACT_KEY_OF_CURVE = { SECP521: 'P-521', X448: 'Ed448' } as const;

/** PKCS#8 (RFC 8410) of an Ed448 private key: this prefix, then the 57-byte seed. */
const ED448_PKCS8_PREFIX = Buffer.from('3047020100300506032b6571043b0439', 'hex');

const ANCHOR_ROLE: Readonly<Record<RootType, CertificateRole>> = {
  V2G: 'v2g-root',
  MO: 'mo-root',
  OEM: 'oem-root',
  PE: 'pe-root',
};

/** What the CPS needs from the certificate authority (src/ca). */
export type CpsCertificateAuthority = Pick<
  CertificateAuthorityService,
  'listCas' | 'listCertificates' | 'prepare' | 'issue' | 'revoke' | 'revocationStatus'
>;

export interface CpsServiceDeps {
  readonly ca: CpsCertificateAuthority;
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly trustAnchors: TrustAnchorSource;
  readonly provisioning: ProvisioningLookup;
  readonly contracts: ContractSink;
  /** For the CPS's own audit records (src/audit). */
  readonly db: Pick<Database, 'transaction'>;
  readonly clock: { now(): Date };
  readonly random: (n: number) => Uint8Array;
  readonly logger: {
    info(object: Record<string, unknown>, message: string): void;
    warn(object: Record<string, unknown>, message: string): void;
  };
}

/** Sign request of an MO with its own PKI, as both trees give it (fields still unchecked). */
export interface SignContractDataRequest {
  readonly xsdMsgDefNamespace?: unknown;
  /** The EMAID of the request; when absent, the contract certificate's CN. */
  readonly emaid?: unknown;
  /** OPCP `contract-data.emaid` (inside contractData); must agree with `emaid` when both are given. */
  readonly contractDataEmaid?: unknown;
  readonly pcid?: unknown;
  readonly contractCertificate: unknown;
  /** MO Sub-CA 2 first, then Sub-CA 1 (base64 DER / PEM each). */
  readonly subCertificates: readonly unknown[];
  readonly encryptedPrivateKey: unknown;
  readonly dhPublicKey: unknown;
  readonly cpsV2GRootCertificateFingerprint?: unknown;
  readonly metadata?: unknown;
  /**
   * Whether a given PCID stores the result in the CCP: true for OPCP contractData/signed, forward and
   * OPNC sign; false for the deprecated OPCP createSignedContractData ("not stored").
   */
  readonly storeWithPcid: boolean;
  /** A PCID is required (OPCP forward / createSignedContractData). */
  readonly pcidRequired?: boolean;
}

/** Generate-and-sign request of an MO without a PKI (fields still unchecked). */
export interface GenerateContractDataRequest {
  readonly xsdMsgDefNamespace?: unknown;
  readonly emaid: unknown;
  readonly pcid: unknown;
  readonly contractBegins: unknown;
  readonly contractEnds: unknown;
  readonly cpsV2GRootCertificateFingerprint?: unknown;
  /** OPNC: the root the MO Sub-CA 2 that issues the contract certificate chains to. */
  readonly moRootCertificateFingerprint?: unknown;
  readonly metadata?: unknown;
}

export interface SignedContractResult {
  readonly iso: IsoEdition;
  /** The eMAID as signed (the contract certificate's CN). */
  readonly emaid: string;
  /** Upper case, no separators, no check digit (OPCP docs/05_handling-of-ids.md). */
  readonly emaidNormalized: string;
  readonly pcid: string | null;
  /** -2: the V2G_Message (EXI + XML); -20: the CertificateInstallationRes (EXI + XML). */
  readonly signed: SignedContractData | SignedContractData20;
  readonly contractCertificate: Uint8Array;
  readonly contractNotAfter: Date;
  readonly signer: CpsSigner;
  /** The RCP id of the signer's V2G root, when the RCP holds it. */
  readonly signerRootId: string | null;
  readonly metadata: string | null;
  /** The CCP record, when stored. */
  readonly stored: StoredContract | null;
}

export interface CpsSignerView extends CpsSigner {
  readonly rootId: string | null;
}

const actorOf = (principal: Principal) => `client:${principal.clientId}`;

function leafInfo(der: Uint8Array): CertificateInfo {
  return parseCertificate(der);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

export class CpsService {
  readonly #ca: CpsCertificateAuthority;
  readonly #signers: CpsSignerDirectory;
  readonly #trustAnchors: TrustAnchorSource;
  readonly #provisioning: ProvisioningLookup;
  readonly #contracts: ContractSink;
  readonly #db: Pick<Database, 'transaction'>;
  readonly #clock: { now(): Date };
  readonly #random: (n: number) => Uint8Array;
  readonly #logger: CpsServiceDeps['logger'];

  constructor(deps: CpsServiceDeps) {
    for (const [name, value] of Object.entries({
      ca: deps?.ca,
      keyStore: deps?.keyStore,
      trustAnchors: deps?.trustAnchors,
      provisioning: deps?.provisioning,
      contracts: deps?.contracts,
      db: deps?.db,
      clock: deps?.clock,
      random: deps?.random,
      logger: deps?.logger,
    })) {
      if (value === undefined || value === null) throw new TypeError(`CpsService needs ${name}`);
    }
    this.#ca = deps.ca;
    this.#signers = new CpsSignerDirectory({ ca: deps.ca, keyStore: deps.keyStore, clock: deps.clock });
    this.#trustAnchors = deps.trustAnchors;
    this.#provisioning = deps.provisioning;
    this.#contracts = deps.contracts;
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#logger = deps.logger;
  }

  // --- Signers ----------------------------------------------------------------------------------------

  /** Every usable CPS signer (both editions), with the RCP id of its root when the RCP holds it. */
  async listSigners(): Promise<CpsSignerView[]> {
    const [signers, roots] = await Promise.all([this.#signers.list(), this.#trustAnchors.trustedRoots()]);
    return signers.map((s) => ({ ...s, rootId: rootIdOf(roots, s.rootFingerprintSha256) }));
  }

  // --- Sign (MO with its own PKI) ---------------------------------------------------------------------

  async signContractData(
    principal: Principal,
    request: SignContractDataRequest,
  ): Promise<SignedContractResult> {
    // The EMAID first: the tenant check comes before any other check and any expensive work (and
    // before the certificates are looked at when the request names the EMAID).
    const topLevel = given(request.emaid) ? emaidOf(request.emaid) : undefined;
    const inData = given(request.contractDataEmaid)
      ? emaidOf(request.contractDataEmaid, 'contractData.emaid')
      : undefined;
    if (topLevel !== undefined && inData !== undefined && topLevel.normalized !== inData.normalized) {
      throw appError(
        'cps.contract-mismatch',
        `emaid ${topLevel.normalized} and contractData.emaid ${inData.normalized} differ`,
      );
    }
    const requested = topLevel ?? inData;
    if (requested !== undefined)
      assertTenant(canAccessEmaid(principal, requested.normalized), `EMAID ${requested.normalized}`);
    const iso = editionOf(request.xsdMsgDefNamespace);
    const pcid = given(request.pcid) ? pcidOf(request.pcid) : undefined;
    if (pcid === undefined && request.pcidRequired === true) pcidOf(request.pcid);
    const metadata = metadataOf(request.metadata);
    const fingerprint = optionalText(
      request.cpsV2GRootCertificateFingerprint,
      'cpsV2GRootCertificateFingerprint',
    );

    const contract = decodeCertificateField(request.contractCertificate, {
      field: 'contractCertificate',
      iso,
    });
    if (!Array.isArray(request.subCertificates) || request.subCertificates.length > MAX_CONTRACT_SUB_CAS) {
      throw appError(
        'cps.invalid-contract-data',
        `the contract chain has at most ${MAX_CONTRACT_SUB_CAS} sub-CA certificates (MO Sub-CA 2, MO Sub-CA 1)`,
      );
    }
    const subs = request.subCertificates.map(
      (s, i) => decodeCertificateField(s, { field: `contract sub-CA certificate ${i + 1}`, iso }).der,
    );
    // -20 `ContractCertificateChainType` requires SubCertificates (at least the MO Sub-CA 2).
    if (iso === 20 && subs.length === 0) {
      throw appError(
        'cps.invalid-contract-data',
        'an ISO 15118-20 contract chain carries the MO Sub-CA 2 certificate (and optionally Sub-CA 1)',
      );
    }
    const keys =
      iso === 2
        ? {
            curve: null,
            encryptedPrivateKey: encryptedPrivateKeyOf(request.encryptedPrivateKey),
            dhPublicKey: dhPublicKeyOf(request.dhPublicKey),
          }
        : iso20KeyFieldsOf(request.encryptedPrivateKey, request.dhPublicKey);

    // CN = EMAID (OPCP contract-data.emaid: "Needs to fit to the common name in the contract certificate").
    const cn = this.#emaidOfCertificate(contract.der);
    if (requested !== undefined && requested.normalized !== cn.emaid.normalized) {
      throw appError(
        'cps.contract-mismatch',
        `the EMAID ${requested.normalized} is not the contract certificate's CN ${cn.text}`,
      );
    }
    const emaid = cn.emaid;
    if (requested === undefined)
      assertTenant(canAccessEmaid(principal, emaid.normalized), `EMAID ${emaid.normalized}`);
    const keyType = keyTypeOf(contract.der);
    const wantedKey = keys.curve === null ? 'P-256' : ISO20_CONTRACT_KEY_OF_CURVE[keys.curve];
    if (keyType !== wantedKey) {
      throw appError(
        'cps.contract-mismatch',
        keys.curve === null
          ? `the contract certificate has a ${keyType} key; ISO 15118-2 contract keys are secp256r1 (P-256)`
          : `the contract certificate has a ${keyType} key; ISO 15118-20 ${keys.curve} key transport carries a ${wantedKey} contract key (D-142)`,
      );
    }
    if (bytesEqual(keys.dhPublicKey, agreementKeyOf(contract.der))) {
      throw appError(
        'cps.contract-mismatch',
        "dHpublickey is the contract certificate's own key; it must be the sender's ephemeral ECDH key",
      );
    }
    const now = this.#clock.now();
    await this.#checkContractChain(contract.der, subs, now, iso);
    const signer = await this.#signers.choose(iso, fingerprint);

    const contractChain = { certificate: contract.der, subCertificates: subs };
    const signed =
      keys.curve === null
        ? await this.#sign(signer, {
            contractChain,
            encryptedPrivateKey: keys.encryptedPrivateKey,
            dhPublicKey: keys.dhPublicKey,
            emaid: cn.elementText,
          })
        : await this.#sign20(signer, {
            contractChain,
            curve: keys.curve,
            encryptedPrivateKey: keys.encryptedPrivateKey,
            dhPublicKey: keys.dhPublicKey,
          });
    const store = pcid !== undefined && request.storeWithPcid;
    const result = await this.#finish(principal, {
      action: 'contract-data.signed',
      iso,
      emaid,
      emaidText: cn.elementText,
      pcid: pcid ?? null,
      signed,
      contractCertificate: contract.der,
      contractNotAfter: contract.info.notAfter,
      signer,
      metadata,
      store,
      details: { contractSerial: contract.info.serialNumber.toString(16) },
    });
    return result;
  }

  // --- Generate and sign (MO without a PKI) -----------------------------------------------------------

  async generateAndSign(
    principal: Principal,
    request: GenerateContractDataRequest,
  ): Promise<SignedContractResult> {
    const emaid = emaidOf(request.emaid);
    assertTenant(canAccessEmaid(principal, emaid.normalized), `EMAID ${emaid.normalized}`);
    const iso = editionOf(request.xsdMsgDefNamespace);
    const pcid = pcidOf(request.pcid);
    const metadata = metadataOf(request.metadata);
    const fingerprint = optionalText(
      request.cpsV2GRootCertificateFingerprint,
      'cpsV2GRootCertificateFingerprint',
    );
    const moRoot = optionalText(request.moRootCertificateFingerprint, 'moRootCertificateFingerprint');
    const now = this.#clock.now();
    const validity = contractValidity(
      dateTimeOf(request.contractBegins, 'contractBegins'),
      dateTimeOf(request.contractEnds, 'contractEnds'),
      now,
      iso,
    );

    // Everything that can refuse the request comes before the certificate is issued.
    const vehicle = await this.#vehicleCertificate(pcid, iso, now);
    const signer = await this.#signers.choose(iso, fingerprint);
    // Without an MO root fingerprint, the MO Sub-CA 2 under the signer's V2G root (D-143).
    const issuer = await this.#signers.contractIssuer(iso, moRoot, signer.rootFingerprintSha256);
    const text = emaidText(emaid);

    const key = iso === 2 ? this.#contractKey2(vehicle) : this.#contractKey20(vehicle, pcid);
    let issued: Awaited<ReturnType<CpsCertificateAuthority['issue']>> | undefined;
    try {
      const token = await this.#ca.prepare({
        issuerCaId: issuer.ca.id,
        role: 'contract-leaf',
        subject: {
          commonName: text,
          ...(issuer.organizationName === null ? {} : { organization: issuer.organizationName }),
        },
        subjectPublicKeyInfo: key.spki,
        validity,
      });
      const certificate = await this.#ca.issue(token);
      issued = certificate;
      if (!key.matches(certificate.certificate)) {
        throw appError('cps.internal', 'the issued contract certificate does not carry the generated key');
      }
      const chain = await this.#issuerChain(issuer.ca.id);
      const signed = await key.seal(
        { certificate: certificate.certificate, subCertificates: chain },
        signer,
        text,
      );
      return await this.#finish(principal, {
        action: 'contract-data.generated',
        iso,
        emaid,
        emaidText: text,
        pcid,
        signed,
        contractCertificate: certificate.certificate,
        contractNotAfter: certificate.notAfter,
        signer,
        metadata,
        store: true,
        details: {
          contractCertificateId: certificate.id,
          contractSerial: certificate.serial,
          issuerCaId: issuer.ca.id,
        },
      });
    } catch (error) {
      // Issued but not delivered: the certificate must not stay valid (D-066).
      if (issued !== undefined) await this.#revokeUndelivered(issued.id, principal);
      throw error;
    } finally {
      key.destroy();
    }
  }

  /**
   * A -2 contract key: a secp256r1 scalar from the injected random source, sealed with [V2G2-818]
   * key transport to the vehicle's provisioning key and zeroed as soon as it is encrypted.
   */
  #contractKey2(vehicle: Uint8Array): GeneratedContractKey {
    const scalar = this.#contractScalar();
    return {
      spki: spkiOfScalar(scalar),
      matches: (certificate) => scalarMatchesCertificate(scalar, certificate),
      seal: async (contractChain, signer, emaid) => {
        const transport = encryptContractKeyIso2({
          contractPrivateKey: scalar,
          recipient: vehicle,
          randomBytes: this.#random,
        });
        // The key is not needed any more: its only copy is the one encrypted for the vehicle.
        scalar.fill(0);
        return this.#sign(signer, {
          contractChain,
          encryptedPrivateKey: transport.encryptedPrivateKey,
          dhPublicKey: transport.dhPublicKey,
          emaid,
        });
      },
      destroy: () => scalar.fill(0),
    };
  }

  /**
   * A -20 contract key of the vehicle's curve (D-142): P-521 for a secp521r1 provisioning key, Ed448
   * for an Ed448 one (X448 transport to the X448 key derived from it, D-141); encrypted with
   * AES-256-GCM under the AAD PCID ‖ SKI of the issued certificate ([V2G20-2492], D-015, D-146).
   */
  #contractKey20(vehicle: Uint8Array, pcid: string): GeneratedContractKey {
    const vehicleKey = new X509Certificate(vehicle).publicKey;
    const ed448 = vehicleKey.asymmetricKeyType === 'ed448';
    const { privateKey, secret } = ed448 ? this.#ed448Key() : this.#p521Key();
    const publicKey = createPublicKey(privateKey);
    return {
      spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      matches: (certificate) => new X509Certificate(certificate).publicKey.equals(publicKey),
      seal: async (contractChain, signer) => {
        const ski = leafInfo(contractChain.certificate).subjectKeyIdentifier;
        if (ski === undefined) {
          throw appError('cps.internal', 'the issued contract certificate has no subjectKeyIdentifier');
        }
        const transport = encryptContractKeyIso20({
          contractPrivateKey: privateKey,
          recipient: ed448 ? x448PublicKeyOfEd448(vehicleKey) : vehicleKey,
          // [V2G20-2492]: the PCID in upper-case letters and digits (spec-gaps.md item 34).
          pcid: pcid.toUpperCase(),
          contractSki: ski,
          randomBytes: this.#random,
        });
        secret.fill(0);
        return this.#sign20(signer, {
          contractChain,
          curve: transport.curve,
          encryptedPrivateKey: transport.encryptedPrivateKey,
          dhPublicKey: transport.dhPublicKey,
        });
      },
      destroy: () => secret.fill(0),
    };
  }

  async #revokeUndelivered(certificateId: string, principal: Principal): Promise<void> {
    await this.#ca
      .revoke({ id: certificateId, reason: 'cessationOfOperation', actor: actorOf(principal) })
      .catch((e: unknown) =>
        this.#logger.warn(
          { certificateId, code: isAppError(e) ? e.code : 'internal' },
          'could not revoke an undelivered contract certificate',
        ),
      );
  }

  // --- Internals --------------------------------------------------------------------------------------

  #emaidOfCertificate(der: Uint8Array): { emaid: Emaid; text: string; elementText: string } {
    const names = subjectOf(der).commonNames;
    if (names.length !== 1) {
      throw appError(
        'cps.contract-mismatch',
        'the contract certificate must have exactly one CN (the EMAID)',
      );
    }
    const text = names[0] as string;
    let emaid: Emaid;
    try {
      emaid = emaidOf(text, 'the contract certificate CN');
    } catch (error) {
      throw appError(
        'cps.contract-mismatch',
        isAppError(error) ? error.message : 'the contract certificate CN is not an EMAID',
        { cause: error },
      );
    }
    // The eMAID element: the CN itself when it fits eMAIDType (14-15 letters and digits), otherwise
    // its compact form (a CN with separators such as DE-ABC-C123ABC56 is 16-18 characters; D-061).
    const elementText = /^[A-Za-z0-9]{14,15}$/.test(text) ? text : emaidText(emaid);
    return { emaid, text, elementText };
  }

  /** Trusted MO and V2G roots of the edition (spec-gaps.md item 48). */
  async #anchors(types: readonly RootType[], iso: 2 | 20): Promise<readonly TrustedRoot[]> {
    return this.#trustAnchors.trustedRoots({ types, iso });
  }

  /**
   * The contract chain: RFC 5280 path to a trusted MO or V2G root of the edition at `now`, [V2G2-925]
   * usage, every certificate linted against its position's profile of the edition (-20: 8-byte contract
   * SKI, P-521 / Ed448) (errors refuse, except the tolerated foreign
   * findings), revocation for the certificates our CA issued. Throws cps.contract-chain-invalid (422).
   */
  async #checkContractChain(
    leaf: Uint8Array,
    subs: readonly Uint8Array[],
    now: Date,
    iso: IsoEdition,
  ): Promise<void> {
    const roots = await this.#anchors(['MO', 'V2G'], iso);
    if (roots.length === 0) {
      throw appError(
        'cps.contract-chain-invalid',
        'no MO or V2G root is trusted by the root certificate pool',
      );
    }
    const revocation = await this.#ownRevocationStatus([leaf, ...subs]);
    const result = validatePath({
      target: leaf,
      intermediates: subs,
      anchors: roots.map((r) => r.der),
      at: now,
      revocation: (cert) => revocation.get(Buffer.from(cert).toString('base64')) ?? 'unknown',
      // Foreign MO PKIs publish OCSP we do not query here; our own CA's answers are used (D-065).
      unknownRevocation: 'accept',
      profile: {
        role: 'contract-leaf',
        iso: iso === 2 ? '2' : '20',
        anchorRoles: roots.map((r) => ANCHOR_ROLE[r.rootType]),
      },
    });
    // Lenient on what other PKIs are known to issue (FOREIGN_TOLERATED_FINDINGS, D-065).
    if (result.valid || validWithTolerance(result)) return;
    throw appError(
      'cps.contract-chain-invalid',
      `the contract certificate chain is not accepted: ${result.reason}`,
      {
        details: { pathCode: result.code },
      },
    );
  }

  /** Revocation status from our own CA for those certificates of a chain that it issued. */
  async #ownRevocationStatus(certificates: readonly Uint8Array[]): Promise<Map<string, RevocationStatus>> {
    const out = new Map<string, RevocationStatus>();
    const cas = (await this.#ca.listCas()).filter((c) => c.certificate !== null && !c.external);
    for (const der of certificates) {
      let info: CertificateInfo;
      try {
        info = leafInfo(der);
      } catch {
        continue; // path validation reports it
      }
      const issuer = cas.find((c) =>
        bytesEqual(leafInfo(c.certificate as Uint8Array).subjectDer, info.issuerDer),
      );
      if (issuer === undefined) continue;
      const status = await this.#ca.revocationStatus(issuer.id, info.serialNumber);
      out.set(
        Buffer.from(der).toString('base64'),
        status.status === 'good'
          ? 'good'
          : status.status === 'revoked'
            ? { revoked: { at: status.revokedAt, reason: status.reason } }
            : 'unknown',
      );
    }
    return out;
  }

  /**
   * The vehicle's provisioning certificate for generate-and-sign: in the PCP, of the edition, with a
   * secp256r1 key (-2) or a secp521r1 / Ed448 key (-20), and its chain valid now to a trusted OEM or V2G
   * root and not revoked by our CA. Throws cps.pcid-unknown (400,
   * as OPCP's "PCID not Available" example) or cps.vehicle-unusable (422).
   */
  async #vehicleCertificate(pcid: string, iso: IsoEdition, now: Date): Promise<Uint8Array> {
    const record = await this.#provisioning.findByPcid(pcid);
    if (record === undefined) {
      throw appError(
        'cps.pcid-unknown',
        'The OEM provisioning certificate with the given PCID is not available.',
        { details: { pcid } },
      );
    }
    if (record.iso !== iso) {
      throw appError(
        'cps.vehicle-unusable',
        `the provisioning certificate of ${pcid} is of ISO 15118-${record.iso}, the request of ISO 15118-${iso}`,
      );
    }
    const keyType = keyTypeOf(record.vehicleCertificate);
    const usable = iso === 2 ? keyType === 'P-256' : keyType === 'P-521' || keyType === 'Ed448';
    if (!usable) {
      throw appError(
        'cps.vehicle-unusable',
        iso === 2
          ? `the provisioning certificate of ${pcid} has a ${keyType} key; ISO 15118-2 key transport needs secp256r1`
          : `the provisioning certificate of ${pcid} has a ${keyType} key; ISO 15118-20 key transport needs secp521r1 or Ed448 (X448)`,
      );
    }
    const roots = await this.#anchors(['OEM', 'V2G'], iso);
    const intermediates = [record.subCa2Certificate, record.subCa1Certificate].filter(
      (c): c is Uint8Array => c !== null,
    );
    // A revoked vehicle key must not receive a contract key (ISO 15118-2 §7.9.2.4.3: the key is encrypted
    // to it). Our own CA answers for what it issued; foreign chains were checked by OCSP / CRL when the
    // PCP stored them (D-053) and the PCP re-checks them on every read.
    const revocation = await this.#ownRevocationStatus([record.vehicleCertificate, ...intermediates]);
    const path = validatePath({
      target: record.vehicleCertificate,
      intermediates,
      anchors: roots.map((r) => r.der),
      at: now,
      revocation: (cert) => revocation.get(Buffer.from(cert).toString('base64')) ?? 'unknown',
      unknownRevocation: 'accept',
    });
    if (!path.valid) {
      throw appError(
        'cps.vehicle-unusable',
        `the provisioning certificate chain of ${pcid} is not valid now: ${path.reason}`,
        { details: { pathCode: path.code } },
      );
    }
    return record.vehicleCertificate;
  }

  /** The MO sub-CA certificates above a contract certificate: Sub-CA 2 first, without the root. */
  async #issuerChain(caId: string): Promise<Uint8Array[]> {
    const cas = await this.#ca.listCas();
    const byId = new Map(cas.map((c) => [c.id, c]));
    const out: Uint8Array[] = [];
    let current = byId.get(caId);
    for (let depth = 0; current !== undefined && depth < 8; depth++) {
      if (current.parentId === null || current.parentId === current.id) break;
      out.push(current.certificate as Uint8Array);
      current = byId.get(current.parentId);
    }
    return out;
  }

  /** A fresh secp256r1 private scalar from the injected random source (retried if out of range). */
  #contractScalar(): Uint8Array {
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = this.#random(32);
      try {
        createECDH('prime256v1').setPrivateKey(candidate);
        return candidate;
      } catch {
        candidate.fill(0);
      }
    }
    throw appError('cps.internal', 'the random source gives no valid secp256r1 scalar');
  }

  async #sign(signer: CpsSigner, data: Parameters<typeof signContractData>[0]): Promise<SignedContractData> {
    const key = await this.#signers.key(signer);
    if (key.handle.algorithm !== 'P-256') {
      throw appError('cps.internal', `CPS key ${signer.keyId} is ${key.handle.algorithm}, not P-256`);
    }
    return signContractData(data, { cpsChain: signer.chain, signRaw: (d) => key.signRaw(d) });
  }

  /** Signs -20 contract data with a P-521 (ECDSA-SHA512) or Ed448 (SHAKE256) CPS leaf (D-143). */
  async #sign20(signer: CpsSigner, data: Iso20ContractData): Promise<SignedContractData20> {
    const key = await this.#signers.key(signer);
    const algorithm = key.handle.algorithm;
    if (algorithm !== 'P-521' && algorithm !== 'Ed448') {
      throw appError('cps.internal', `CPS key ${signer.keyId} is ${algorithm}, not P-521 or Ed448`);
    }
    return signContractData20(data, {
      cpsChain: signer.chain,
      suite: algorithm === 'P-521' ? 'ecdsa-p521-sha512' : 'ed448-shake256',
      signRaw: (d) => key.signRaw(d),
      timeStamp: this.#clock.now(),
    });
  }

  /** A fresh secp521r1 private key from the injected random source (66 bytes, top 7 bits clear). */
  #p521Key(): { privateKey: KeyObject; secret: Uint8Array } {
    for (let attempt = 0; attempt < 8; attempt++) {
      const d = this.#random(66);
      d[0] = (d[0] as number) & 0x01;
      try {
        const ecdh = createECDH('secp521r1');
        ecdh.setPrivateKey(d);
        const point = ecdh.getPublicKey();
        const privateKey = createPrivateKey({
          key: {
            kty: 'EC',
            crv: 'P-521',
            d: Buffer.from(d).toString('base64url'),
            x: point.subarray(1, 67).toString('base64url'),
            y: point.subarray(67).toString('base64url'),
          },
          format: 'jwk',
        });
        return { privateKey, secret: d };
      } catch {
        d.fill(0); // 0 or ≥ n: draw again
      }
    }
    throw appError('cps.internal', 'the random source gives no valid secp521r1 scalar');
  }

  /** A fresh Ed448 private key: a 57-byte seed from the injected random source (RFC 8032 §5.2.5). */
  #ed448Key(): { privateKey: KeyObject; secret: Uint8Array } {
    const seed = this.#random(57);
    const der = Buffer.concat([ED448_PKCS8_PREFIX, seed]);
    try {
      return { privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), secret: seed };
    } finally {
      der.fill(0);
    }
  }

  async #finish(
    principal: Principal,
    input: {
      readonly action: 'contract-data.signed' | 'contract-data.generated';
      readonly iso: IsoEdition;
      readonly emaid: Emaid;
      readonly emaidText: string;
      readonly pcid: string | null;
      readonly signed: SignedContractData | SignedContractData20;
      readonly contractCertificate: Uint8Array;
      readonly contractNotAfter: Date;
      readonly signer: CpsSigner;
      readonly metadata: string | null;
      readonly store: boolean;
      readonly details: Record<string, unknown>;
    },
  ): Promise<SignedContractResult> {
    let stored: StoredContract | null = null;
    if (input.store && input.pcid !== null) {
      const record: NewSignedContract = {
        emaid: input.emaid.normalized,
        emaidAsInCertificate: input.emaidText,
        pcid: input.pcid,
        iso: input.iso,
        providerId: input.emaid.normalized.slice(0, 5),
        certificateInstallationRes: input.signed.exi,
        contractCertificate: input.contractCertificate,
        contractNotAfter: input.contractNotAfter,
        cpsV2GRootFingerprint: input.signer.rootFingerprintSha256,
        cpsRootDistinguishedName: input.signer.rootDistinguishedName,
        metadata: input.metadata,
        source: 'cps',
      };
      stored = await this.#contracts.addContract(record, actorOf(principal));
    }
    const roots = await this.#trustAnchors.trustedRoots({ types: ['V2G'] });
    const at = this.#clock.now();
    await this.#db.transaction((tx) =>
      appendAudit(tx, {
        at,
        actor: actorOf(principal),
        component: 'cps',
        action: input.action,
        subject: input.emaid.normalized,
        details: {
          pcid: input.pcid,
          iso: input.iso,
          stored: stored !== null,
          ...(stored === null ? {} : { contractId: stored.id }),
          cpsCertificateId: input.signer.certificateId,
          cpsRootFingerprint: input.signer.rootFingerprintSha256,
          ...input.details,
        },
      }),
    );
    this.#logger.info(
      { emaid: input.emaid.normalized, pcid: input.pcid, stored: stored !== null, action: input.action },
      'contract data signed',
    );
    return {
      iso: input.iso,
      emaid: input.emaidText,
      emaidNormalized: input.emaid.normalized,
      pcid: input.pcid,
      signed: input.signed,
      contractCertificate: input.contractCertificate,
      contractNotAfter: input.contractNotAfter,
      signer: input.signer,
      signerRootId: rootIdOf(roots, input.signer.rootFingerprintSha256),
      metadata: input.metadata,
      stored,
    };
  }
}

function rootIdOf(roots: readonly TrustedRoot[], fingerprint: string): string | null {
  return roots.find((r) => r.fingerprintSha256 === fingerprint)?.id ?? null;
}

/**
 * The key-agreement form of a certificate's key, as a DH public key field would carry it: the
 * uncompressed point of an EC key, the X448 key of an Ed448 key (D-141); empty for anything else.
 */
function agreementKeyOf(der: Uint8Array): Uint8Array {
  try {
    const key = new X509Certificate(der).publicKey;
    if (key.asymmetricKeyType === 'ed448') return x448PublicRawOfEd448(key);
    const jwk = key.export({ format: 'jwk' }) as { x?: string; y?: string };
    if (jwk.x === undefined || jwk.y === undefined) return new Uint8Array(0);
    return new Uint8Array(
      Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]),
    );
  } catch {
    return new Uint8Array(0);
  }
}

/** A contract key made for generate-and-sign, held only in memory for one request. */
interface GeneratedContractKey {
  /** DER SubjectPublicKeyInfo for the CSR-less issuance. */
  readonly spki: Uint8Array;
  /** Whether an issued certificate carries this key. */
  matches(certificate: Uint8Array): boolean;
  /** Encrypts the key for the vehicle (then destroys the key bytes) and signs the contract data. */
  seal(
    contractChain: { readonly certificate: Uint8Array; readonly subCertificates: readonly Uint8Array[] },
    signer: CpsSigner,
    emaid: string,
  ): Promise<SignedContractData | SignedContractData20>;
  /** Zeroes the key bytes (idempotent). */
  destroy(): void;
}

/** DER SubjectPublicKeyInfo of the public key of a secp256r1 scalar. */
function spkiOfScalar(scalar: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey();
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }));
}

/**
 * The contract certificate's validity for generate-and-sign (D-067): from contractBegins, but not
 * before now (certificates are not back-dated), to contractEnds, at most the contract profile's
 * longest validity (2 years); the CA clips it to its own validity (shell model). A contractEnds not
 * after now (or not after the begin) is refused with OPCP's message.
 */
export function contractValidity(
  begins: Date,
  ends: Date,
  now: Date,
  iso: IsoEdition = 2,
): { notBefore: Date; notAfter: Date } {
  if (ends.getTime() <= now.getTime()) {
    throw appError('cps.invalid-contract-period', 'The given contractEnds date is in the past.', {
      details: { field: 'contractEnds' },
    });
  }
  const notBefore = new Date(Math.floor(Math.max(begins.getTime(), now.getTime()) / 1000) * 1000);
  if (ends.getTime() <= notBefore.getTime()) {
    throw appError('cps.invalid-contract-period', 'contractEnds must be after contractBegins', {
      details: { field: 'contractEnds' },
    });
  }
  const maxDays = getProfile(iso === 2 ? '2' : '20', 'contract-leaf')?.validity.maxDays ?? 730;
  const notAfter = new Date(Math.min(ends.getTime(), notBefore.getTime() + maxDays * DAY_MS));
  return { notBefore, notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000) };
}
