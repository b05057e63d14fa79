// Subject names of issued certificates (RFC 5280 §4.1.2.6). The CA builds every name itself from
// validated fields, never copying DER from a request: the Domain Component comes from the profile
// ([V2G2-925]; P-004), CN / O / C from the caller.
//
// RDN order (most significant first) C, O, DC, CN: what Hubject's V2G root carries
// (`CN=V2G Root CA QA G1,DC=V2G,O=Hubject GmbH,C=DE` in RFC 4514 order, pki-profiles.md §1.3). One
// attribute per RDN. String types: C PrintableString (X.520, RFC 5280 Appendix A), DC IA5String
// (RFC 4519 §2.4), CN and O UTF8String (RFC 5280 §4.1.2.6: UTF8String for new certificates), with
// the upper bounds of RFC 5280 Appendix A (ub-common-name 64, ub-organization-name 64).

import { appError } from '../errors/catalogue.ts';
import { oid, sequence, set, tlv } from '../pki/ocsp/asn1.ts';
import { OID_C, OID_CN, OID_DC, OID_O } from '../pki/profiles/oids.ts';
import type { DomainComponent } from '../pki/profiles/types.ts';
import type { SubjectFields } from './types.ts';

const TAG_UTF8_STRING = 0x0c;
const TAG_PRINTABLE_STRING = 0x13;
const TAG_IA5_STRING = 0x16;

const UB_COMMON_NAME = 64;
const UB_ORGANIZATION_NAME = 64;

export interface SubjectName {
  /** DER of the Name. */
  readonly der: Uint8Array;
  /** RFC 4514 text (most significant RDN last), for lists and audit records. */
  readonly text: string;
}

function checkText(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw appError('ca.invalid-request', `${what} must be a non-empty string`);
  }
  if (value !== value.trim()) throw appError('ca.invalid-request', `${what} has leading or trailing spaces`);
  if ([...value].length > max)
    throw appError('ca.invalid-request', `${what} is longer than ${max} characters`);
  // C0 / C1 controls and format characters: never part of an identifier, and a log-injection vector.
  if (/\p{Cc}|\p{Cf}|\p{Zl}|\p{Zp}/u.test(value) || !value.isWellFormed()) {
    throw appError('ca.invalid-request', `${what} contains control, format or unpaired surrogate characters`);
  }
  return value;
}

/** Validated copy of the fields (throws AppError ca.invalid-request). */
export function checkSubjectFields(fields: SubjectFields): SubjectFields {
  const commonName = checkText(fields?.commonName, 'subject CN', UB_COMMON_NAME);
  const out: { commonName: string; organization?: string; country?: string } = { commonName };
  if (fields.organization !== undefined)
    out.organization = checkText(fields.organization, 'subject O', UB_ORGANIZATION_NAME);
  if (fields.country !== undefined) {
    if (typeof fields.country !== 'string' || !/^[A-Z]{2}$/.test(fields.country)) {
      throw appError(
        'ca.invalid-request',
        'subject C must be an ISO 3166 alpha-2 code in upper case (e.g. DE)',
      );
    }
    out.country = fields.country;
  }
  return out;
}

function escapeRfc4514(v: string): string {
  return v.replace(/[,+"\\<>;]/g, (c) => `\\${c}`).replace(/^([# ])/, '\\$1');
}

function rdn(typeOid: string, tag: number, value: string): Uint8Array {
  return set(sequence(oid(typeOid), tlv(tag, new TextEncoder().encode(value))));
}

/** The subject Name for validated fields and the profile's Domain Component (null: none). */
export function encodeSubjectName(fields: SubjectFields, dc: DomainComponent | null): SubjectName {
  const checked = checkSubjectFields(fields);
  const rdns: Uint8Array[] = [];
  const text: string[] = [];
  if (checked.country !== undefined) {
    rdns.push(rdn(OID_C, TAG_PRINTABLE_STRING, checked.country));
    text.unshift(`C=${checked.country}`);
  }
  if (checked.organization !== undefined) {
    rdns.push(rdn(OID_O, TAG_UTF8_STRING, checked.organization));
    text.unshift(`O=${escapeRfc4514(checked.organization)}`);
  }
  if (dc !== null) {
    rdns.push(rdn(OID_DC, TAG_IA5_STRING, dc));
    text.unshift(`DC=${dc}`);
  }
  rdns.push(rdn(OID_CN, TAG_UTF8_STRING, checked.commonName));
  text.unshift(`CN=${escapeRfc4514(checked.commonName)}`);
  return { der: sequence(...rdns), text: text.join(',') };
}
