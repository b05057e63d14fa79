// Signed contract data a client puts into the pool (OPCP addSignedContractData, OPNC
// AddSignedContractData): checked before it is stored (docs/ccp.md, docs/spec-decisions.md D-079).
//
// Forms (spec-gaps.md item 32): OPCP `signedContractDataXML` is base64 XML of the V2G_Message (JAXB
// prefixes, namespace-qualified Id attributes, no SessionID); OPNC `certificateInstallationRes` is
// base64 EXI. Either is accepted on both trees. The XML is converted to EXI through the typed model
// (src/cps/contract-data.ts parseContractData); the signature stays valid because it covers canonical
// EXI fragments, not the XML text. ISO 15118-20 data is EXI only (a `CertificateInstallationRes`
// document of the CommonMessages schema).
//
// Checks: the CPS signature over the elements ISO 15118 requires, the CPS chain to a V2G root of the
// RCP ([V2G2-925]), the contract chain to an MO or V2G root (spec-gaps.md item 48), unexpired at the
// clock, and the EMAID of the request = the eMAID element (-2) = the contract certificate's CN.

import { createHash, X509Certificate } from 'node:crypto';
import {
  MAX_SIGNED_CONTRACT_EXI_BYTES,
  MAX_SIGNED_CONTRACT_XML_BYTES,
  type ParsedContractData,
  parseContractData,
  verifyContractData,
} from '../cps/contract-data.ts';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { type AnyDecoded, decodeExiDocument, encodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { decodeBase64Lenient } from '../pki/est/index.ts';
import { validatePath } from '../pki/path/index.ts';
import type { IsoEdition } from '../pool-inputs/index.ts';
import type { TrustAnchorSource, TrustedRoot } from '../rcp/trust-anchors.ts';
import { ISO20_COMMON_NS, verifyIso20Message } from '../xmldsig/v2g-signature.ts';
import type { NewSignedContract } from './contract-record.ts';
import { type CcpEmaid, normalizeEmaid } from './identifiers.ts';

export interface SignedDataInput {
  readonly emaid: CcpEmaid;
  readonly pcid: string;
  readonly iso: IsoEdition;
  /** Base64 XML (OPCP) — or undefined. */
  readonly xml?: string;
  /** Base64 EXI (OPNC) — or undefined. */
  readonly exi?: string;
  readonly metadata: string | null;
  /** What the client says the CPS root is (checked when it is a SHA-256 fingerprint). */
  readonly cpsV2GRootCertificateFingerprint?: string;
}

function invalid(message: string): never {
  throw appError('ccp.invalid-contract', message);
}

function commonName(der: Uint8Array, what: string): { cn: string; notAfter: Date } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return invalid(`${what} cannot be parsed`);
  }
  const cn = cert.subject
    .split('\n')
    .find((l) => l.startsWith('CN='))
    ?.slice(3);
  if (cn === undefined) invalid(`${what} has no CN`);
  return { cn, notAfter: new Date(cert.validTo) };
}

function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

function decodeField(text: string, what: string, maxBytes: number): Uint8Array {
  if (text.length > Math.ceil((maxBytes * 4) / 3) + 1024) invalid(`${what} is larger than ${maxBytes} bytes`);
  const bytes = decodeBase64Lenient(text);
  if (bytes === undefined) invalid(`${what} is not base64`);
  return bytes;
}

/** Accepts `ab:cd:…` or plain hex; UUIDs (OPCP's pattern, spec-gaps.md item 7) are ignored. */
function givenFingerprint(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const hex = text.replaceAll(':', '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

interface Checked {
  readonly exi: Uint8Array;
  readonly emaidElement: string | undefined;
  readonly contractChain: { certificate: Uint8Array; subCertificates: readonly Uint8Array[] };
  readonly cpsChain: { certificate: Uint8Array; subCertificates: readonly Uint8Array[] };
  readonly signatureProblems: readonly string[];
}

function parseIso2(input: SignedDataInput): { parsed: ParsedContractData; checked: Checked } {
  let parsed: ParsedContractData;
  try {
    parsed =
      input.xml !== undefined
        ? parseContractData({
            xml: decodeField(input.xml, 'signedContractDataXML', MAX_SIGNED_CONTRACT_XML_BYTES),
          })
        : parseContractData({
            exi: decodeField(
              input.exi as string,
              'certificateInstallationRes',
              MAX_SIGNED_CONTRACT_EXI_BYTES,
            ),
          });
  } catch (error) {
    if (isAppError(error) && error.code === 'cps.invalid-signed-data') invalid(error.message);
    throw error;
  }
  let problems: readonly string[];
  try {
    problems = verifyContractData(parsed).problems;
  } catch (error) {
    if (isAppError(error)) problems = [error.message];
    else throw error;
  }
  return {
    parsed,
    checked: {
      exi: parsed.exi,
      emaidElement: parsed.contract.emaid,
      contractChain: parsed.contract.contractChain,
      cpsChain: parsed.cpsChain,
      signatureProblems: problems,
    },
  };
}

function chainOf(value: unknown, what: string): { certificate: Uint8Array; subCertificates: Uint8Array[] } {
  const chain = value as ModelObject | undefined;
  if (!(chain?.Certificate instanceof Uint8Array)) invalid(`${what} has no Certificate`);
  const subs = ((chain.SubCertificates as ModelObject | undefined)?.Certificate ?? []) as Uint8Array[];
  return { certificate: chain.Certificate, subCertificates: subs };
}

function parseIso20(input: SignedDataInput): Checked {
  if (input.xml !== undefined)
    invalid('ISO 15118-20 signed contract data is accepted as EXI (certificateInstallationRes) only');
  const bytes = decodeField(input.exi as string, 'certificateInstallationRes', MAX_SIGNED_CONTRACT_EXI_BYTES);
  let decoded: AnyDecoded;
  try {
    decoded = decodeExiDocument('iso-20-common', bytes);
  } catch (error) {
    return invalid(
      `certificateInstallationRes is not an ISO 15118-20 EXI document: ${(error as Error).message}`,
    );
  }
  if (
    'wildcard' in decoded ||
    decoded.name.ns !== ISO20_COMMON_NS ||
    decoded.name.local !== 'CertificateInstallationRes'
  ) {
    invalid('certificateInstallationRes is not an ISO 15118-20 CertificateInstallationRes');
  }
  const value = decoded.value as ModelObject;
  const problems: string[] = [];
  if (value.ResponseCode !== 'OK') problems.push(`ResponseCode is ${String(value.ResponseCode)}, not OK`);
  try {
    const report = verifyIso20Message(decoded);
    if (!report.valid) {
      problems.push(
        `signature ${report.signature}`,
        ...report.references.filter((r) => r.status !== 'ok').map((r) => `${r.uri} ${r.status}`),
        ...(report.unreferenced.length > 0 ? [`not signed: ${report.unreferenced.join(', ')}`] : []),
      );
    }
  } catch (error) {
    if (isAppError(error)) problems.push(error.message);
    else throw error;
  }
  const signed = value.SignedInstallationData as ModelObject | undefined;
  return {
    // Canonical re-encoding: what is stored is what the codec writes, never the input bytes.
    exi: encodeExiDocument('iso-20-common', decoded as { name: typeof decoded.name; value: ModelObject }),
    emaidElement: undefined,
    contractChain: chainOf(signed?.ContractCertificateChain, 'ContractCertificateChain'),
    cpsChain: chainOf(value.CPSCertificateChain, 'CPSCertificateChain'),
    signatureProblems: problems,
  };
}

function anchorOf(
  target: { certificate: Uint8Array; subCertificates: readonly Uint8Array[] },
  roots: readonly TrustedRoot[],
  now: Date,
  what: string,
): TrustedRoot {
  if (roots.length === 0) {
    throw appError('ccp.contract-chain', `${what}: the Root Certificate Pool holds no suitable root`);
  }
  const result = validatePath({
    target: target.certificate,
    intermediates: target.subCertificates.slice(0, 8),
    anchors: roots.map((r) => r.der),
    at: now,
  });
  if (!result.valid) {
    throw appError('ccp.contract-chain', `${what} does not validate: ${result.reason} (${result.code})`, {
      details: { path: result.code },
    });
  }
  return roots[result.anchorIndex] as TrustedRoot;
}

/**
 * Parses and checks signed contract data; returns the record to store (source 'api'). Throws
 * ccp.invalid-contract (400), ccp.contract-signature (400), ccp.contract-chain (422).
 */
export async function checkSignedData(
  input: SignedDataInput,
  deps: { readonly trustAnchors: TrustAnchorSource; readonly now: Date },
): Promise<NewSignedContract> {
  if ((input.xml === undefined) === (input.exi === undefined)) {
    invalid(
      'give exactly one of signedContractDataXML (base64 XML) and certificateInstallationRes (base64 EXI)',
    );
  }
  const checked = input.iso === 2 ? parseIso2(input).checked : parseIso20(input);
  if (checked.signatureProblems.length > 0) {
    throw appError(
      'ccp.contract-signature',
      `the CPS signature of the contract data is not valid: ${checked.signatureProblems.join('; ')}`,
    );
  }
  const contract = commonName(checked.contractChain.certificate, 'the contract certificate');
  const cnKey = normalizeEmaid(contract.cn);
  const matches = (text: string | undefined) => {
    const key = text === undefined ? undefined : normalizeEmaid(text);
    return (
      key !== undefined &&
      (input.emaid.lookupKeys.includes(key) || input.emaid.lookupKeys.includes(key.slice(0, 14)))
    );
  };
  if (cnKey === undefined || !matches(contract.cn)) {
    invalid(`the contract certificate is for ${contract.cn}, not for EMAID ${input.emaid.normalized}`);
  }
  if (input.iso === 2 && !matches(checked.emaidElement)) {
    invalid(`the signed eMAID ${String(checked.emaidElement)} is not EMAID ${input.emaid.normalized}`);
  }
  const v2gRoots = await deps.trustAnchors.trustedRoots({ types: ['V2G'], iso: input.iso });
  // [V2G2-925]: the CPS chains to a V2G root.
  const cpsRoot = anchorOf(checked.cpsChain, v2gRoots, deps.now, 'the CPS certificate chain');
  const contractRoots = await deps.trustAnchors.trustedRoots({ types: ['V2G', 'MO'], iso: input.iso });
  anchorOf(checked.contractChain, contractRoots, deps.now, 'the contract certificate chain');
  const claimed = givenFingerprint(input.cpsV2GRootCertificateFingerprint);
  if (claimed !== undefined && claimed !== cpsRoot.fingerprintSha256) {
    invalid(
      `cpsV2GRootCertificateFingerprint ${claimed} is not the root the CPS chain ends in (${cpsRoot.fingerprintSha256})`,
    );
  }
  return {
    emaid: input.emaid.normalized,
    emaidAsInCertificate: contract.cn,
    pcid: input.pcid,
    iso: input.iso,
    providerId: input.emaid.providerId,
    certificateInstallationRes: checked.exi,
    contractCertificate: checked.contractChain.certificate,
    contractNotAfter: contract.notAfter,
    cpsV2GRootFingerprint: fingerprint(cpsRoot.der),
    cpsRootDistinguishedName: cpsRoot.subject,
    metadata: input.metadata,
    source: 'api',
  };
}
