// ISO 15118-2 message signatures (ISO 15118-2 §7.9.2.4, Annex J; exi-and-signatures.md §2.1).
//
// A V2G signature is an XML signature whose canonical form is EXI: each referenced element is
// encoded alone as an EXI fragment of the whole MsgDef schema set (the eMAID with the element
// fragment grammar) and hashed with SHA-256; SignedInfo is encoded as a fragment of the xmldsig
// schema alone (Annex J.4) and signed with ECDSA P-256/SHA-256, the signature stored as raw r||s.
// Verification re-encodes from the decoded model — received bytes are never sliced — matches
// references by URI in any order and checks coverage both ways.
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import { type AnyDecoded, encodeExiFragment, NS, schemaSet } from '../exi/codec.ts';
import type { RtSchema } from '../exi/runtime/grammar.ts';
import type { ModelObject, ModelValue, QualifiedName } from '../exi/runtime/model.ts';
import { ELEMENT_FRAGMENT_GRAMMAR } from '../exi/runtime/table.ts';

export const ALG_CANONICAL_EXI = 'http://www.w3.org/TR/canonical-exi/';
export const ALG_ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
export const ALG_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** An element of a message that carries an `Id` attribute, as a signature reference sees it. */
export interface IdentifiedElement {
  readonly id: string;
  readonly name: QualifiedName;
  readonly value: ModelValue;
  /** Name of the type the element is declared with at its position (needed for eMAID). */
  readonly declaredType: string | undefined;
  readonly path: string;
}

/**
 * Signed elements a message must reference ([V2G2-800]ff, exi-and-signatures.md §2.1): the
 * coverage check in the other direction (every element that must be signed is referenced).
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

function sigError(code: string, message: string): AppError {
  return new AppError('Signature', code, message);
}

/** Walks a decoded -2 element and collects every element that has an `Id` attribute. */
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

/** DigestValue of one element: SHA-256 over its EXI fragment (exi-and-signatures.md §2.1 step 1). */
export function digestElement(
  schema: RtSchema,
  element: Pick<IdentifiedElement, 'name' | 'value' | 'declaredType'>,
): Uint8Array {
  const q = schema.qnameByKey.get(`{${element.name.ns}}${element.name.local}`);
  const code = q === undefined ? undefined : schema.fragmentCode.get(q);
  const usesElementFragmentGrammar =
    code !== undefined && schema.table.fragmentElements[code]![1] === ELEMENT_FRAGMENT_GRAMMAR;
  const fragment = encodeExiFragment(schema, [
    {
      name: element.name,
      value: element.value,
      ...(usesElementFragmentGrammar && element.declaredType ? { declaredType: element.declaredType } : {}),
    },
  ]);
  return new Uint8Array(createHash('sha256').update(fragment).digest());
}

/** The bytes ECDSA signs: SignedInfo as a fragment of the xmldsig schema alone (Annex J.4). */
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
  readonly references: readonly ReferenceResult[];
  /** Elements the message type requires to be signed that no reference covers. */
  readonly unreferenced: readonly string[];
  readonly signature: 'valid' | 'invalid' | 'no-certificate';
  /** Subject of the certificate that verified (or failed to verify) the signature. */
  readonly signer?: string;
  readonly valid: boolean;
}

interface SignatureModel {
  SignedInfo: ModelObject;
  SignatureValue: ModelObject;
}

/** [V2G2-771] and the security profile: refuse every xmldsig feature V2G does not use. */
function checkSignatureShape(signature: ModelObject): SignatureModel {
  for (const forbidden of ['KeyInfo', 'Object']) {
    if (signature[forbidden] !== undefined)
      throw sigError('sig.unsupported', `ds:${forbidden} is not allowed in a V2G signature`);
  }
  const signedInfo = signature.SignedInfo as ModelObject | undefined;
  const signatureValue = signature.SignatureValue as ModelObject | undefined;
  if (!signedInfo || !signatureValue)
    throw sigError('sig.unsupported', 'signature without SignedInfo or SignatureValue');
  const algorithm = (o: unknown, what: string, expected: string): void => {
    const m = o as ModelObject | undefined;
    if (!m || m.Algorithm !== expected) {
      throw sigError(
        'sig.unsupported',
        `${what} must be ${expected}, found ${String(m?.Algorithm ?? 'none')}`,
      );
    }
    if (m.$any !== undefined || m.$text !== undefined)
      throw sigError('sig.unsupported', `${what} must not have content`);
  };
  algorithm(signedInfo.CanonicalizationMethod, 'CanonicalizationMethod', ALG_CANONICAL_EXI);
  algorithm(signedInfo.SignatureMethod, 'SignatureMethod', ALG_ECDSA_SHA256);
  if ((signedInfo.SignatureMethod as ModelObject).HMACOutputLength !== undefined) {
    throw sigError('sig.unsupported', 'HMACOutputLength is not allowed');
  }
  const refs = signedInfo.Reference as ModelObject[];
  for (const ref of refs) {
    if (ref.Type !== undefined)
      throw sigError('sig.unsupported', 'Reference@Type is not used in V2G signatures [V2G2-771]');
    const transforms = (ref.Transforms as ModelObject | undefined)?.Transform as ModelObject[] | undefined;
    if (transforms) {
      for (const t of transforms) {
        if (t.XPath !== undefined) throw sigError('sig.unsupported', 'XPath transforms are not allowed');
        algorithm(t, 'Transform', ALG_CANONICAL_EXI);
      }
    }
    algorithm(ref.DigestMethod, 'DigestMethod', ALG_SHA256);
    if (typeof ref.URI !== 'string' || !ref.URI.startsWith('#')) {
      throw sigError(
        'sig.unsupported',
        `Reference URI must be a same-document '#Id' reference, found ${String(ref.URI)}`,
      );
    }
  }
  return { SignedInfo: signedInfo, SignatureValue: signatureValue };
}

/** The certificate a message carries for its own signature (exi-and-signatures.md §2.1 table). */
export function signerCertificateInMessage(body: ModelObject, messageType: string): Uint8Array | undefined {
  const m = body[messageType] as ModelObject | undefined;
  if (!m) return undefined;
  if (messageType === 'CertificateInstallationReq') return m.OEMProvisioningCert as Uint8Array | undefined;
  if (messageType === 'CertificateInstallationRes' || messageType === 'CertificateUpdateRes') {
    return (m.SAProvisioningCertificateChain as ModelObject | undefined)?.Certificate as
      | Uint8Array
      | undefined;
  }
  if (messageType === 'CertificateUpdateReq')
    return (m.ContractSignatureCertChain as ModelObject | undefined)?.Certificate as Uint8Array | undefined;
  return undefined;
}

function subjectOf(der: Uint8Array): string {
  try {
    return new X509Certificate(der).subject.replace(/\n/g, ', ');
  } catch {
    return '(unparsable certificate)';
  }
}

/** ECDSA P-256/SHA-256 over the SignedInfo fragment with a raw r||s value (64 bytes). */
export function verifySignatureValue(
  data: Uint8Array,
  signature: Uint8Array,
  certificateDer: Uint8Array,
): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificateDer);
  } catch {
    throw sigError('sig.unsupported', 'the signer certificate cannot be parsed');
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw sigError('sig.unsupported', 'ISO 15118-2 signatures need a P-256 key (secp256r1)');
  }
  if (signature.length !== 64) return false;
  return cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

export interface VerifyOptions {
  /** Certificates (DER) to try for the signature; default: the one the message carries. */
  readonly certificates?: readonly Uint8Array[];
}

/** Verifies the signature of a decoded ISO 15118-2 V2G_Message. */
export function verifyV2gMessage(message: AnyDecoded, options: VerifyOptions = {}): VerificationReport {
  const schema = schemaSet('iso-2');
  if ('wildcard' in message || message.name.ns !== NS.iso2MsgDef || message.name.local !== 'V2G_Message') {
    throw sigError('sig.unsupported', 'not an ISO 15118-2 V2G_Message');
  }
  const root = message.value as ModelObject;
  const header = root.Header as ModelObject;
  const body = (root.Body as ModelObject | undefined) ?? {};
  const messageType = Object.keys(body).find((k) => body[k] !== undefined);
  const signature = header.Signature as ModelObject | undefined;
  if (!signature) throw sigError('sig.reference-missing', 'the message carries no ds:Signature');
  const { SignedInfo, SignatureValue } = checkSignatureShape(signature);

  const identified = collectIdentifiedElements(schema, message);
  const byId = new Map<string, IdentifiedElement>();
  for (const e of identified) {
    if (byId.has(e.id))
      throw sigError(
        'sig.unsupported',
        `Id '${e.id}' is used by two elements (${byId.get(e.id)!.path}, ${e.path})`,
      );
    byId.set(e.id, e);
  }
  const seen = new Set<string>();
  const references: ReferenceResult[] = [];
  for (const ref of SignedInfo.Reference as ModelObject[]) {
    const uri = ref.URI as string;
    if (seen.has(uri)) throw sigError('sig.unsupported', `two references to ${uri}`);
    seen.add(uri);
    const expected = ref.DigestValue as Uint8Array;
    const target = byId.get(uri.slice(1));
    if (!target) {
      references.push({ uri, status: 'missing', expected });
      continue;
    }
    const computed = digestElement(schema, target);
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
  const unreferenced = (messageType ? (REQUIRED_SIGNED_ELEMENTS[messageType] ?? []) : []).filter(
    (e) => !referenced.has(e),
  );

  const data = signedInfoBytes(SignedInfo);
  const value = SignatureValue.$value as Uint8Array;
  const inMessage = messageType ? signerCertificateInMessage(body, messageType) : undefined;
  const candidates = options.certificates ?? (inMessage ? [inMessage] : []);
  let result: VerificationReport['signature'] = 'no-certificate';
  let signer: string | undefined;
  for (const cert of candidates) {
    signer = subjectOf(cert);
    if (verifySignatureValue(data, value, cert)) {
      result = 'valid';
      break;
    }
    result = 'invalid';
  }
  const valid = result === 'valid' && unreferenced.length === 0 && references.every((r) => r.status === 'ok');
  return { messageType, references, unreferenced, signature: result, ...(signer ? { signer } : {}), valid };
}

export interface SignOptions {
  /** Ids of the elements to reference, in the order the references are written. */
  readonly ids: readonly string[];
  /** Produces the raw r||s ECDSA P-256/SHA-256 signature of the given bytes (a Signer's signRaw). */
  readonly signRaw: (data: Uint8Array) => Promise<Uint8Array>;
}

/**
 * Signs a V2G_Message model in place: computes the digests of the referenced elements, builds
 * SignedInfo, signs its xmldsig fragment and stores ds:Signature in the Header.
 */
export async function signV2gMessage(
  message: { name: QualifiedName; value: ModelValue },
  options: SignOptions,
): Promise<void> {
  const schema = schemaSet('iso-2');
  const root = message.value as ModelObject;
  const header = root.Header as ModelObject | undefined;
  if (!header) throw sigError('sig.unsupported', 'the message has no Header');
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
      DigestMethod: { Algorithm: ALG_SHA256 },
      DigestValue: digestElement(schema, matches[0]!),
    };
  });
  const signedInfo = {
    CanonicalizationMethod: { Algorithm: ALG_CANONICAL_EXI },
    SignatureMethod: { Algorithm: ALG_ECDSA_SHA256 },
    Reference: references,
  };
  const signatureValue = await options.signRaw(signedInfoBytes(signedInfo));
  if (signatureValue.length !== 64)
    throw sigError(
      'sig.invalid',
      `the signer returned ${signatureValue.length} bytes, expected a raw 64-byte r||s`,
    );
  // The Header holds SessionID, Notification?, Signature? in this order; rebuild it so the model
  // keeps that order for readers (the encoder orders by the grammar anyway).
  const { SessionID, Notification } = header;
  for (const k of Object.keys(header)) delete header[k];
  header.SessionID = SessionID;
  if (Notification !== undefined) header.Notification = Notification;
  header.Signature = { SignedInfo: signedInfo, SignatureValue: { $value: signatureValue } };
}
