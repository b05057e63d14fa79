// ISO 15118 message signatures: XML signatures whose canonical form is EXI (ISO 15118-2 §7.9.2.4 and
// Annex J; ISO 15118-20 §7.9.2; exi-and-signatures.md §2).
//
// Each referenced element is encoded alone as an EXI fragment of its schema set (ISO 15118-2: the
// MsgDef set, eMAID with the element fragment grammar; ISO 15118-20: the CommonMessages set) and
// hashed; SignedInfo is encoded as a fragment of the xmldsig schema alone (Annex J.4; -20 the same)
// and signed. Verification re-encodes from the decoded model — received bytes are never sliced —
// matches references by URI in any order and checks coverage both ways.
//
// Suites: ISO 15118-2 ECDSA P-256 + SHA-256; ISO 15118-20 ECDSA P-521 + SHA-512 or Ed448 + SHAKE256
// ([V2G20-2673/2674], [V2G20-2318/2319]); ECDSA values are raw r‖s ([V2G20-1000]).
import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import { type AnyDecoded, encodeExiFragment, NS, type SchemaId, schemaSet } from '../exi/codec.ts';
import type { RtSchema } from '../exi/runtime/grammar.ts';
import type { ModelObject, ModelValue, QualifiedName } from '../exi/runtime/model.ts';
import { ELEMENT_FRAGMENT_GRAMMAR } from '../exi/runtime/table.ts';
import { type ParsedCertificate, parseCertificateCached } from '../pki/parsed-certificates.ts';
import { ecdsaRawToDer } from '../signer/ecdsa-signature.ts';

export const ALG_CANONICAL_EXI = 'http://www.w3.org/TR/canonical-exi/';
export const ALG_ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
export const ALG_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const ALG_ECDSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512';
export const ALG_SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';
/**
 * Ed448 and SHAKE256 identifiers for ISO 15118-20. The standard's own identifiers were not
 * available to us; these are the W3C/IETF "xmldsig-more" URIs of RFC 9231 (the registry of XML
 * security algorithm URIs), and SHAKE256 is taken with a 64-byte output (the 256-bit security level
 * of Ed448). One named constant each, so a correction is one line (docs/spec-decisions.md D-014).
 */
export const ALG_EDDSA_ED448 = 'http://www.w3.org/2021/04/xmldsig-more#eddsa-ed448';
export const ALG_SHAKE256 = 'http://www.w3.org/2021/04/xmldsig-more#shake256';
export const SHAKE256_OUTPUT_BYTES = 64;

export interface SignatureSuite {
  readonly name: 'ecdsa-p256-sha256' | 'ecdsa-p521-sha512' | 'ed448-shake256';
  readonly signatureMethod: string;
  readonly digestMethod: string;
  readonly signatureLength: number;
  digest(bytes: Uint8Array): Uint8Array;
  /** Whether a public key is of this suite's type. */
  accepts(key: KeyObject): boolean;
  verify(data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean;
}

/**
 * Type and curve of a public key, remembered per KeyObject: `asymmetricKeyDetails` is computed anew
 * on every read, and the signer certificates come from a cache (../pki/parsed-certificates.ts), so
 * the same KeyObject is asked again and again (D-170).
 */
const KEY_FACTS = new WeakMap<
  KeyObject,
  { readonly type: string | undefined; readonly curve: string | undefined }
>();
function keyFacts(key: KeyObject): { readonly type: string | undefined; readonly curve: string | undefined } {
  let facts = KEY_FACTS.get(key);
  if (facts === undefined) {
    facts = { type: key.asymmetricKeyType, curve: key.asymmetricKeyDetails?.namedCurve };
    KEY_FACTS.set(key, facts);
  }
  return facts;
}

const ecdsaSuite = (
  name: SignatureSuite['name'],
  curve: string,
  hash: 'sha256' | 'sha512',
  signatureMethod: string,
  digestMethod: string,
  signatureLength: number,
): SignatureSuite => ({
  name,
  signatureMethod,
  digestMethod,
  signatureLength,
  digest: (bytes) => new Uint8Array(createHash(hash).update(bytes).digest()),
  accepts: (key) => {
    const facts = keyFacts(key);
    return facts.type === 'ec' && facts.curve === curve;
  },
  verify: (data, signature, key) => {
    if (signature.length !== signatureLength) return false;
    // SignatureValue is raw r||s ([V2G2-772], [V2G20-1000]); node:crypto verifies DER with the bare
    // KeyObject ~25 % faster than raw through `{ key, dsaEncoding: 'ieee-p1363' }` (measured, P-256:
    // 65 vs 93 µs), and this runs for every CCP installation request.
    let der: Uint8Array;
    try {
      der = ecdsaRawToDer(signature, curve === 'prime256v1' ? 'P-256' : 'P-521');
    } catch {
      return false; // r or s outside [1, n-1]: no valid signature (SEC 1 §4.1.4 step 1)
    }
    return cryptoVerify(hash, data, key, der);
  },
});

export const SUITE_P256 = ecdsaSuite(
  'ecdsa-p256-sha256',
  'prime256v1',
  'sha256',
  ALG_ECDSA_SHA256,
  ALG_SHA256,
  64,
);
export const SUITE_P521 = ecdsaSuite(
  'ecdsa-p521-sha512',
  'secp521r1',
  'sha512',
  ALG_ECDSA_SHA512,
  ALG_SHA512,
  132,
);
export const SUITE_ED448: SignatureSuite = {
  name: 'ed448-shake256',
  signatureMethod: ALG_EDDSA_ED448,
  digestMethod: ALG_SHAKE256,
  signatureLength: 114,
  digest: (bytes) =>
    new Uint8Array(createHash('shake256', { outputLength: SHAKE256_OUTPUT_BYTES }).update(bytes).digest()),
  accepts: (key) => keyFacts(key).type === 'ed448',
  verify: (data, signature, key) => signature.length === 114 && cryptoVerify(null, data, key, signature),
};

/** How one ISO edition places signatures in its messages. */
interface MessageProfile {
  readonly edition: '2' | '20';
  readonly schemaId: SchemaId;
  readonly suites: readonly SignatureSuite[];
  /** The Header of a message model, and the message type (local name of the body element or root). */
  locate(message: { name: QualifiedName; value: ModelValue }): {
    header: ModelObject;
    body: ModelObject;
    messageType: string | undefined;
  };
  /** Elements a message type must reference (coverage in the other direction). */
  readonly required: Readonly<Record<string, readonly string[]>>;
  /** The certificate a message carries for its own signature. */
  signerCertificate(body: ModelObject, messageType: string): Uint8Array | undefined;
}

/**
 * Signed elements an ISO 15118-2 message must reference ([V2G2-800] ff., exi-and-signatures.md §2.1).
 */
export const REQUIRED_SIGNED_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  AuthorizationReq: ['AuthorizationReq'],
  CertificateInstallationReq: ['CertificateInstallationReq'],
  CertificateUpdateReq: ['CertificateUpdateReq'],
  MeteringReceiptReq: ['MeteringReceiptReq'],
  CertificateInstallationRes: [
    'ContractSignatureCertChain',
    'ContractSignatureEncryptedPrivateKey',
    'DHpublickey',
    'eMAID',
  ],
  CertificateUpdateRes: [
    'ContractSignatureCertChain',
    'ContractSignatureEncryptedPrivateKey',
    'DHpublickey',
    'eMAID',
  ],
};

/** ISO 15118-20 signed elements (exi-and-signatures.md §2.2; [V2G20-1063] for AuthorizationReq). */
export const REQUIRED_SIGNED_ELEMENTS_20: Readonly<Record<string, readonly string[]>> = {
  AuthorizationReq: ['PnC_AReqAuthorizationMode'],
  CertificateInstallationReq: ['OEMProvisioningCertificateChain'],
  CertificateInstallationRes: ['SignedInstallationData'],
};

const certificateOf = (chain: unknown): Uint8Array | undefined =>
  (chain as ModelObject | undefined)?.Certificate as Uint8Array | undefined;

const ISO2: MessageProfile = {
  edition: '2',
  schemaId: 'iso-2',
  suites: [SUITE_P256],
  locate(message) {
    if (message.name.ns !== NS.iso2MsgDef || message.name.local !== 'V2G_Message')
      throw sigError('sig.unsupported', 'not an ISO 15118-2 V2G_Message');
    const root = message.value as ModelObject;
    const body = (root.Body as ModelObject | undefined) ?? {};
    return {
      header: (root.Header as ModelObject | undefined) ?? {},
      body,
      messageType: Object.keys(body).find((k) => body[k] !== undefined),
    };
  },
  required: REQUIRED_SIGNED_ELEMENTS,
  signerCertificate(body, messageType) {
    const m = body[messageType] as ModelObject | undefined;
    if (!m) return undefined;
    if (messageType === 'CertificateInstallationReq') return m.OEMProvisioningCert as Uint8Array | undefined;
    if (messageType === 'CertificateInstallationRes' || messageType === 'CertificateUpdateRes')
      return certificateOf(m.SAProvisioningCertificateChain);
    if (messageType === 'CertificateUpdateReq') return certificateOf(m.ContractSignatureCertChain);
    return undefined;
  },
};

export const ISO20_COMMON_NS = 'urn:iso:std:iso:15118:-20:CommonMessages';

const ISO20: MessageProfile = {
  edition: '20',
  schemaId: 'iso-20-common',
  suites: [SUITE_P521, SUITE_ED448],
  locate(message) {
    // -20 has no V2G_Message wrapper: the message element is the root and holds the Header (P18).
    if (message.name.ns !== ISO20_COMMON_NS)
      throw sigError('sig.unsupported', 'not an ISO 15118-20 CommonMessages message');
    const root = message.value as ModelObject;
    return {
      header: (root.Header as ModelObject | undefined) ?? {},
      body: { [message.name.local]: root },
      messageType: message.name.local,
    };
  },
  required: REQUIRED_SIGNED_ELEMENTS_20,
  signerCertificate(body, messageType) {
    const m = body[messageType] as ModelObject | undefined;
    if (!m) return undefined;
    if (messageType === 'CertificateInstallationReq') return certificateOf(m.OEMProvisioningCertificateChain);
    if (messageType === 'CertificateInstallationRes') return certificateOf(m.CPSCertificateChain);
    if (messageType === 'AuthorizationReq')
      return certificateOf(
        (m.PnC_AReqAuthorizationMode as ModelObject | undefined)?.ContractCertificateChain,
      );
    return undefined;
  },
};

/** An element of a message that carries an `Id` attribute, as a signature reference sees it. */
export interface IdentifiedElement {
  readonly id: string;
  readonly name: QualifiedName;
  readonly value: ModelValue;
  /** Name of the type the element is declared with at its position (needed for eMAID). */
  readonly declaredType: string | undefined;
  readonly path: string;
}

function sigError(code: string, message: string): AppError {
  return new AppError('Signature', code, message);
}

/** Walks a decoded element and collects every element that has an `Id` attribute. */
export function collectIdentifiedElements(
  schema: RtSchema,
  root: { name: QualifiedName; value: ModelValue },
): IdentifiedElement[] {
  const out: IdentifiedElement[] = [];
  const q = schema.qnameByKey.get(`{${root.name.ns}}${root.name.local}`);
  const global = q === undefined ? undefined : schema.table.globalElements.find(([g]) => g === q);
  if (!global) return out;
  const visit = (name: QualifiedName, typeRef: number, value: ModelValue, path: string): void => {
    if (typeRef < 0 || value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    const type = schema.types[typeRef]!;
    const obj = value as ModelObject;
    const id = obj.Id;
    if (typeof id === 'string' && type.attrIndex.has('Id'))
      out.push({ id, name, value, declaredType: type.name, path });
    type.childNames.forEach((child, i) => {
      const v = obj[child];
      if (v === undefined) return;
      const childName = { ns: schema.qnameUri[type.childQNames[i]!]!, local: child };
      const items = type.childRepeated[i] ? (v as ModelValue[]) : [v as ModelValue];
      for (const [k, item] of items.entries()) {
        visit(
          childName,
          type.childTypes[i]!,
          item,
          `${path}/${child}${type.childRepeated[i] ? `[${k}]` : ''}`,
        );
      }
    });
  };
  visit(root.name, global[1], root.value, `/${root.name.local}`);
  return out;
}

/** The EXI fragment a reference hashes (exi-and-signatures.md §2.1 step 1). */
export function referenceFragment(
  schema: RtSchema,
  element: Pick<IdentifiedElement, 'name' | 'value' | 'declaredType'>,
): Uint8Array {
  const q = schema.qnameByKey.get(`{${element.name.ns}}${element.name.local}`);
  const code = q === undefined ? undefined : schema.fragmentCode.get(q);
  const usesElementFragmentGrammar =
    code !== undefined && schema.table.fragmentElements[code]![1] === ELEMENT_FRAGMENT_GRAMMAR;
  return encodeExiFragment(schema, [
    {
      name: element.name,
      value: element.value,
      ...(usesElementFragmentGrammar && element.declaredType ? { declaredType: element.declaredType } : {}),
    },
  ]);
}

/** ISO 15118-2 DigestValue of one element: SHA-256 over its EXI fragment. */
export function digestElement(
  schema: RtSchema,
  element: Pick<IdentifiedElement, 'name' | 'value' | 'declaredType'>,
): Uint8Array {
  return SUITE_P256.digest(referenceFragment(schema, element));
}

/** The bytes the signature covers: SignedInfo as a fragment of the xmldsig schema alone (Annex J.4). */
export function signedInfoBytes(signedInfo: ModelValue): Uint8Array {
  return encodeExiFragment(schemaSet('xmldsig'), [
    { name: { ns: NS.xmldsig, local: 'SignedInfo' }, value: signedInfo },
  ]);
}

export type ReferenceStatus = 'ok' | 'digest-mismatch' | 'missing';

export interface ReferenceResult {
  readonly uri: string;
  readonly status: ReferenceStatus;
  readonly element?: string;
  readonly expected: Uint8Array;
  readonly computed?: Uint8Array;
}

export interface VerificationReport {
  readonly messageType: string | undefined;
  readonly suite: SignatureSuite['name'];
  readonly references: readonly ReferenceResult[];
  /** Elements the message type requires to be signed that no reference covers. */
  readonly unreferenced: readonly string[];
  readonly signature: 'valid' | 'invalid' | 'no-certificate';
  /** Subject of the certificate that verified (or failed to verify) the signature. */
  readonly signer?: string;
  readonly valid: boolean;
}

function checkAlgorithm(o: unknown, what: string, expected: string): void {
  const m = o as ModelObject | undefined;
  if (!m || m.Algorithm !== expected)
    throw sigError('sig.unsupported', `${what} must be ${expected}, found ${String(m?.Algorithm ?? 'none')}`);
  if (m.$any !== undefined || m.$text !== undefined)
    throw sigError('sig.unsupported', `${what} must not have content`);
}

/** [V2G2-771] and the security profile: refuse every xmldsig feature V2G does not use. */
function checkSignatureShape(
  signature: ModelObject,
  profile: MessageProfile,
): { signedInfo: ModelObject; value: Uint8Array; suite: SignatureSuite } {
  for (const forbidden of ['KeyInfo', 'Object']) {
    if (signature[forbidden] !== undefined)
      throw sigError('sig.unsupported', `ds:${forbidden} is not allowed in a V2G signature`);
  }
  const signedInfo = signature.SignedInfo as ModelObject | undefined;
  const signatureValue = signature.SignatureValue as ModelObject | undefined;
  if (!signedInfo || !signatureValue)
    throw sigError('sig.unsupported', 'signature without SignedInfo or SignatureValue');
  checkAlgorithm(signedInfo.CanonicalizationMethod, 'CanonicalizationMethod', ALG_CANONICAL_EXI);
  const method = (signedInfo.SignatureMethod as ModelObject | undefined)?.Algorithm;
  const suite = profile.suites.find((s) => s.signatureMethod === method);
  if (!suite) {
    throw sigError(
      'sig.unsupported',
      `SignatureMethod ${String(method)} is not one of ISO 15118-${profile.edition}: ${profile.suites.map((s) => s.signatureMethod).join(', ')}`,
    );
  }
  checkAlgorithm(signedInfo.SignatureMethod, 'SignatureMethod', suite.signatureMethod);
  if ((signedInfo.SignatureMethod as ModelObject).HMACOutputLength !== undefined)
    throw sigError('sig.unsupported', 'HMACOutputLength is not allowed');
  for (const ref of signedInfo.Reference as ModelObject[]) {
    if (ref.Type !== undefined)
      throw sigError('sig.unsupported', 'Reference@Type is not used in V2G signatures [V2G2-771]');
    const transforms = (ref.Transforms as ModelObject | undefined)?.Transform as ModelObject[] | undefined;
    for (const t of transforms ?? []) {
      if (t.XPath !== undefined) throw sigError('sig.unsupported', 'XPath transforms are not allowed');
      checkAlgorithm(t, 'Transform', ALG_CANONICAL_EXI);
    }
    checkAlgorithm(ref.DigestMethod, 'DigestMethod', suite.digestMethod);
    if (typeof ref.URI !== 'string' || !ref.URI.startsWith('#')) {
      throw sigError(
        'sig.unsupported',
        `Reference URI must be a same-document '#Id' reference, found ${String(ref.URI)}`,
      );
    }
  }
  return { signedInfo, value: signatureValue.$value as Uint8Array, suite };
}

/** The certificate an ISO 15118-2 message carries for its own signature (exi-and-signatures.md §2.1). */
export function signerCertificateInMessage(body: ModelObject, messageType: string): Uint8Array | undefined {
  return ISO2.signerCertificate(body, messageType);
}

function publicKeyOf(certificateDer: Uint8Array): KeyObject {
  try {
    return parseCertificateCached(certificateDer).publicKey;
  } catch {
    throw sigError('sig.unsupported', 'the signer certificate cannot be parsed');
  }
}

/** ECDSA P-256/SHA-256 over the SignedInfo fragment with a raw r||s value (64 bytes): ISO 15118-2. */
export function verifySignatureValue(
  data: Uint8Array,
  signature: Uint8Array,
  certificateDer: Uint8Array,
): boolean {
  const key = publicKeyOf(certificateDer);
  if (!SUITE_P256.accepts(key))
    throw sigError('sig.unsupported', 'ISO 15118-2 signatures need a P-256 key (secp256r1)');
  return SUITE_P256.verify(data, signature, key);
}

export interface VerifyOptions {
  /** Certificates (DER) to try for the signature; default: the one the message carries. */
  readonly certificates?: readonly Uint8Array[];
}

function verifyWith(
  profile: MessageProfile,
  message: AnyDecoded,
  options: VerifyOptions,
): VerificationReport {
  if ('wildcard' in message) throw sigError('sig.unsupported', `not an ISO 15118-${profile.edition} message`);
  const schema = schemaSet(profile.schemaId);
  const { header, body, messageType } = profile.locate(message);
  const signature = header.Signature as ModelObject | undefined;
  if (!signature) throw sigError('sig.reference-missing', 'the message carries no ds:Signature');
  const { signedInfo, value, suite } = checkSignatureShape(signature, profile);

  const byId = new Map<string, IdentifiedElement>();
  for (const e of collectIdentifiedElements(schema, message)) {
    if (byId.has(e.id))
      throw sigError(
        'sig.unsupported',
        `Id '${e.id}' is used by two elements (${byId.get(e.id)!.path}, ${e.path})`,
      );
    byId.set(e.id, e);
  }
  const seen = new Set<string>();
  const references: ReferenceResult[] = [];
  for (const ref of signedInfo.Reference as ModelObject[]) {
    const uri = ref.URI as string;
    if (seen.has(uri)) throw sigError('sig.unsupported', `two references to ${uri}`);
    seen.add(uri);
    const expected = ref.DigestValue as Uint8Array;
    const target = byId.get(uri.slice(1));
    if (!target) {
      references.push({ uri, status: 'missing', expected });
      continue;
    }
    const computed = suite.digest(referenceFragment(schema, target));
    const ok = Buffer.from(computed).equals(Buffer.from(expected));
    references.push({
      uri,
      status: ok ? 'ok' : 'digest-mismatch',
      element: target.name.local,
      expected,
      computed,
    });
  }
  const referenced = new Set(references.filter((r) => r.element).map((r) => r.element!));
  const unreferenced = (messageType ? (profile.required[messageType] ?? []) : []).filter(
    (e) => !referenced.has(e),
  );

  const data = signedInfoBytes(signedInfo);
  const inMessage = messageType ? profile.signerCertificate(body, messageType) : undefined;
  const candidates = options.certificates ?? (inMessage ? [inMessage] : []);
  let result: VerificationReport['signature'] = 'no-certificate';
  let signer: string | undefined;
  for (const cert of candidates) {
    let parsed: ParsedCertificate;
    try {
      parsed = parseCertificateCached(cert);
    } catch {
      throw sigError('sig.unsupported', 'the signer certificate cannot be parsed');
    }
    signer = parsed.subject.replace(/\n/g, ', ');
    const key = parsed.publicKey;
    if (!suite.accepts(key)) {
      result = 'invalid';
      continue;
    }
    if (suite.verify(data, value, key)) {
      result = 'valid';
      break;
    }
    result = 'invalid';
  }
  const valid = result === 'valid' && unreferenced.length === 0 && references.every((r) => r.status === 'ok');
  return {
    messageType,
    suite: suite.name,
    references,
    unreferenced,
    signature: result,
    ...(signer ? { signer } : {}),
    valid,
  };
}

/** Verifies the signature of a decoded ISO 15118-2 V2G_Message. */
export function verifyV2gMessage(message: AnyDecoded, options: VerifyOptions = {}): VerificationReport {
  return verifyWith(ISO2, message, options);
}

/** Verifies the signature of a decoded ISO 15118-20 CommonMessages message (P-521 or Ed448 suite). */
export function verifyIso20Message(message: AnyDecoded, options: VerifyOptions = {}): VerificationReport {
  return verifyWith(ISO20, message, options);
}

export interface SignOptions {
  /** Ids of the elements to reference, in the order the references are written. */
  readonly ids: readonly string[];
  /** Produces the signature value of the given bytes: raw r||s for ECDSA (a Signer's signRaw), 114 bytes for Ed448. */
  readonly signRaw: (data: Uint8Array) => Promise<Uint8Array>;
}

async function signWith(
  profile: MessageProfile,
  suite: SignatureSuite,
  message: { name: QualifiedName; value: ModelValue },
  options: SignOptions,
): Promise<void> {
  const schema = schemaSet(profile.schemaId);
  const { header } = profile.locate(message);
  if (!(message.value as ModelObject).Header) throw sigError('sig.unsupported', 'the message has no Header');
  const identified = collectIdentifiedElements(schema, message);
  const references = options.ids.map((id) => {
    const matches = identified.filter((e) => e.id === id);
    if (matches.length !== 1)
      throw sigError(
        'sig.reference-missing',
        matches.length === 0 ? `no element with Id '${id}'` : `Id '${id}' is not unique`,
      );
    return {
      URI: `#${id}`,
      Transforms: { Transform: [{ Algorithm: ALG_CANONICAL_EXI }] },
      DigestMethod: { Algorithm: suite.digestMethod },
      DigestValue: suite.digest(referenceFragment(schema, matches[0]!)),
    };
  });
  const signedInfo = {
    CanonicalizationMethod: { Algorithm: ALG_CANONICAL_EXI },
    SignatureMethod: { Algorithm: suite.signatureMethod },
    Reference: references,
  };
  const signatureValue = await options.signRaw(signedInfoBytes(signedInfo));
  if (signatureValue.length !== suite.signatureLength) {
    throw sigError(
      'sig.invalid',
      `the signer returned ${signatureValue.length} bytes, expected ${suite.signatureLength} for ${suite.name}`,
    );
  }
  // Keep the Header's schema order for readers (SessionID, [TimeStamp / Notification], Signature);
  // the encoder orders by the grammar anyway.
  const entries = Object.entries(header).filter(([k]) => k !== 'Signature');
  for (const k of Object.keys(header)) delete header[k];
  for (const [k, v] of entries) header[k] = v;
  header.Signature = { SignedInfo: signedInfo, SignatureValue: { $value: signatureValue } };
}

/**
 * Signs an ISO 15118-2 V2G_Message model in place (ECDSA P-256/SHA-256): computes the digests of the
 * referenced elements, builds SignedInfo, signs its xmldsig fragment and stores ds:Signature in the Header.
 */
export async function signV2gMessage(
  message: { name: QualifiedName; value: ModelValue },
  options: SignOptions,
): Promise<void> {
  await signWith(ISO2, SUITE_P256, message, options);
}

/** Signs an ISO 15118-20 CommonMessages message in place with the P-521 or the Ed448 suite. */
export async function signIso20Message(
  message: { name: QualifiedName; value: ModelValue },
  options: SignOptions & { readonly suite: 'ecdsa-p521-sha512' | 'ed448-shake256' },
): Promise<void> {
  await signWith(ISO20, options.suite === 'ed448-shake256' ? SUITE_ED448 : SUITE_P521, message, options);
}
