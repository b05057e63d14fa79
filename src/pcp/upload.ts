// The body of an add / update request, in every form real clients send (docs/pcp.md "Request
// bodies"; spec-gaps.md items 15, 16, 29, 35):
//
//   OPCP ProvisioningCertificate  {vehicleCertificate*, subCA1Certificate*, subCA2Certificate,
//                                  xsdMsgDefNamespace, v2gRootAuthorityKeyIdentifiers[], previousPcid}
//   OPCP renames it announces     provisioningCertificate, subCa1Certificate, subCa2Certificate
//   OPNC ProvisioningCertificateDataV1 {provisioningCertificateChain{certificate, subCa1Certificate,
//                                  subCa2Certificate}, ...} (its own example writes subCA1Certificate)
//   MaEVe / openPlugnCharge extras rootIssuerDistinguishedName, rootIssuerSerialNumber,
//                                  rootAuthorityKeyIdentifier, v2gRootAuthorityKeyIdentifier
//
// Both route trees accept all of them; unknown fields are ignored. The root fields are deprecated in
// both specs ("the root certificate will be determined from the Sub-CA 1 certificate
// automatically"): they are checked for syntax and otherwise ignored (D-052).

import { appError } from '../errors/catalogue.ts';
import {
  type CertificateField,
  decodeCertificateField,
  isoEditionOfNamespace,
} from '../pool-inputs/index.ts';

export const PCID_PATTERN = /^[A-Za-z0-9]{17,18}$/;
const MAX_KEY_IDENTIFIERS = 16;
const MAX_KEY_IDENTIFIER_BYTES = 64;
const MAX_TEXT = 1024;

/** Which certificate of the chain: for messages and error details. */
export type ChainPosition = 'vehicle' | 'subCa2' | 'subCa1' | 'root';

export const POSITION_LABEL: Readonly<Record<ChainPosition, string>> = {
  vehicle: 'the provisioning certificate (vehicleCertificate)',
  subCa2: 'the Sub-CA 2 certificate (subCA2Certificate)',
  subCa1: 'the Sub-CA 1 certificate (subCA1Certificate)',
  root: 'the root certificate',
};

export interface ParsedUpload {
  readonly vehicle: CertificateField;
  readonly subCa2: CertificateField | null;
  readonly subCa1: CertificateField;
  /** The edition named by xsdMsgDefNamespace, when the field was given. */
  readonly namespaceEdition: 2 | 20 | null;
  readonly previousPcid: string | null;
  /** Lower-case colon hex, de-duplicated. */
  readonly v2gRootAuthorityKeyIdentifiers: readonly string[];
}

function invalid(message: string, details: Record<string, unknown> = {}): never {
  throw appError('pcp.invalid-request', message, { details });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One value out of several equivalent field names; two different values are a contradiction. */
function pick(sources: readonly (readonly [string, unknown])[], what: string): unknown {
  const given = sources.filter(([, value]) => value !== undefined && value !== null && value !== '');
  const first = given[0];
  if (first === undefined) return undefined;
  for (const [name, value] of given.slice(1)) {
    if (value !== first[1]) invalid(`${first[0]} and ${name} both give ${what} with different values`);
  }
  return first[1];
}

/**
 * Key identifier in any of the forms seen (spec-gaps.md item 35): colon hex (`4b:45:ff:…`), plain hex,
 * or base64 (`StsXq6WQwGg=`). Text made only of hex digits is read as hex. Returns lower colon hex.
 */
export function parseKeyIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 4 * MAX_KEY_IDENTIFIER_BYTES) {
    return invalid(`${field} must be a key identifier (colon hex, hex or base64)`, { field });
  }
  const text = value.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(text)) bytes = Buffer.from(text.replaceAll(':', ''), 'hex');
  else if (/^([0-9A-Fa-f]{2})+$/.test(text)) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1) {
    bytes = Buffer.from(text, 'base64');
  }
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_KEY_IDENTIFIER_BYTES) {
    return invalid(`${field} must be a key identifier (colon hex, hex or base64)`, { field });
  }
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function optionalText(value: unknown, field: string, pattern?: RegExp): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (
    typeof value !== 'string' ||
    value.length > MAX_TEXT ||
    (pattern !== undefined && !pattern.test(value))
  ) {
    return invalid(`${field} is not valid`, { field });
  }
  return value;
}

function certificate(value: unknown, field: string): CertificateField {
  // No edition yet: the size limit of the edition is applied once the leaf's key says which it is.
  return decodeCertificateField(value, { field });
}

/** Reads and checks the body; certificates are decoded (base64 DER, PEM, base64 of PEM). */
export function parseUpload(body: unknown): ParsedUpload {
  if (!isObject(body)) invalid('the body must be a JSON object');
  const chain = body.provisioningCertificateChain;
  if (chain !== undefined && chain !== null && !isObject(chain)) {
    invalid('provisioningCertificateChain must be an object');
  }
  const nested = isObject(chain) ? chain : {};
  const vehicleText = pick(
    [
      ['vehicleCertificate', body.vehicleCertificate],
      ['provisioningCertificate', body.provisioningCertificate],
      ['provisioningCertificateChain.certificate', nested.certificate],
    ],
    'the provisioning certificate',
  );
  const sub1Text = pick(
    [
      ['subCA1Certificate', body.subCA1Certificate],
      ['subCa1Certificate', body.subCa1Certificate],
      ['provisioningCertificateChain.subCa1Certificate', nested.subCa1Certificate],
      ['provisioningCertificateChain.subCA1Certificate', nested.subCA1Certificate],
    ],
    'the Sub-CA 1 certificate',
  );
  const sub2Text = pick(
    [
      ['subCA2Certificate', body.subCA2Certificate],
      ['subCa2Certificate', body.subCa2Certificate],
      ['provisioningCertificateChain.subCa2Certificate', nested.subCa2Certificate],
      ['provisioningCertificateChain.subCA2Certificate', nested.subCA2Certificate],
    ],
    'the Sub-CA 2 certificate',
  );
  if (vehicleText === undefined) {
    invalid(
      'the provisioning certificate is missing (vehicleCertificate or provisioningCertificateChain.certificate)',
    );
  }
  if (sub1Text === undefined) {
    invalid(
      'the Sub-CA 1 certificate is missing (subCA1Certificate or provisioningCertificateChain.subCa1Certificate)',
    );
  }
  const vehicle = certificate(vehicleText, 'vehicleCertificate');
  const subCa1 = certificate(sub1Text, 'subCA1Certificate');
  const subCa2 = sub2Text === undefined ? null : certificate(sub2Text, 'subCA2Certificate');

  const namespace = body.xsdMsgDefNamespace;
  const namespaceEdition =
    namespace === undefined || namespace === null || namespace === ''
      ? null
      : isoEditionOfNamespace(namespace);

  const previousPcid = optionalText(body.previousPcid, 'previousPcid', PCID_PATTERN);

  const identifiers = new Set<string>();
  const list = body.v2gRootAuthorityKeyIdentifiers;
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list) || list.length > MAX_KEY_IDENTIFIERS) {
      invalid(
        `v2gRootAuthorityKeyIdentifiers must be an array of at most ${MAX_KEY_IDENTIFIERS} key identifiers`,
      );
    }
    for (const [i, item] of list.entries()) {
      identifiers.add(parseKeyIdentifier(item, `v2gRootAuthorityKeyIdentifiers[${i}]`));
    }
  }
  // MaEVe's register-oem-cert.sh sends one identifier under the singular name (interop.md §1.2).
  if (body.v2gRootAuthorityKeyIdentifier !== undefined && body.v2gRootAuthorityKeyIdentifier !== null) {
    identifiers.add(parseKeyIdentifier(body.v2gRootAuthorityKeyIdentifier, 'v2gRootAuthorityKeyIdentifier'));
  }
  // Deprecated root fields: syntax only (D-052).
  if (body.rootAuthorityKeyIdentifier !== undefined && body.rootAuthorityKeyIdentifier !== null) {
    parseKeyIdentifier(body.rootAuthorityKeyIdentifier, 'rootAuthorityKeyIdentifier');
  }
  optionalText(body.rootIssuerSerialNumber, 'rootIssuerSerialNumber', /^[0-9A-Fa-f:]{1,128}$/);
  optionalText(body.rootIssuerDistinguishedName, 'rootIssuerDistinguishedName');

  return {
    vehicle,
    subCa2,
    subCa1,
    namespaceEdition,
    previousPcid,
    v2gRootAuthorityKeyIdentifiers: [...identifiers],
  };
}
