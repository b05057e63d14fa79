// Input checks of the CPS requests, shared by both route trees (OPCP cps.v1.json, OPNC
// cps.api.v1.*): each turns one JSON field into a typed value or throws a cps.* AppError (400 unless
// noted) naming the field. Nothing here touches storage.

import { createPublicKey, ECDH } from 'node:crypto';
import { appError } from '../errors/catalogue.ts';
import { decodeBase64Lenient } from '../pki/est/index.ts';
import { type Emaid, parseEmaid, parsePcid } from '../pki/profiles/identifiers.ts';
import { type IsoEdition, isoEditionOfNamespace } from '../pool-inputs/index.ts';
import { ISO2_DH_PUBLIC_KEY_BYTES, ISO2_ENCRYPTED_PRIVATE_KEY_BYTES } from './contract-data.ts';
import {
  ISO20_SECP521_DH_PUBLIC_KEY_BYTES,
  ISO20_SECP521_ENCRYPTED_KEY_BYTES,
  ISO20_X448_DH_PUBLIC_KEY_BYTES,
  ISO20_X448_ENCRYPTED_KEY_BYTES,
  type Iso20EcdhCurve,
} from './contract-data-20.ts';

/** Longest EMAID / PCID / date text looked at (anything longer is refused before a regex runs). */
const MAX_ID_CHARS = 64;
/** Longest `metaData` kept: opaque text of the MO, returned as given (D-069). */
export const MAX_METADATA_CHARS = 4096;
/** Longest base64 text of a key field (48 / 65 bytes need 64 / 88 characters; line breaks allowed). */
const MAX_KEY_FIELD_CHARS = 512;

/**
 * The ISO 15118 edition of a request (`xsdMsgDefNamespace`, every accepted form; both specs default to
 * -2). Both editions are signed (D-060, D-140). An unknown text is 400 `pool.invalid-namespace`.
 */
export function editionOf(namespace: unknown): IsoEdition {
  return isoEditionOfNamespace(namespace, { fallback: 2 });
}

/**
 * An EMAID in ISO 15118-2 Annex H (or DIN SPEC 91286) form, separators optional; a 15th character
 * must be the eMI3 check digit (D-061). Throws cps.invalid-emaid.
 */
export function emaidOf(value: unknown, field = 'emaid'): Emaid {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS) {
    throw appError(
      'cps.invalid-emaid',
      `${field} must be an EMAID (e.g. DEABCC12345678 or DE-ABC-C12345678-8)`,
      {
        details: { field },
      },
    );
  }
  const parsed = parseEmaid(value.trim());
  if (!parsed.ok) {
    throw appError('cps.invalid-emaid', `${field} ${JSON.stringify(value)}: ${parsed.reasons.join('; ')}`, {
      details: { field },
    });
  }
  return parsed.value;
}

/**
 * The eMAID text written into the message and, for generated contracts, the certificate CN: upper case
 * without separators, with the check digit when the input had one (14-15 characters, -2 `eMAIDType`;
 * D-061).
 */
export function emaidText(emaid: Emaid): string {
  return emaid.givenCheckDigit === null ? emaid.normalized : emaid.withCheckDigit;
}

/** A PCID (17-18 letters and digits), kept as received. Throws cps.invalid-pcid. */
export function pcidOf(value: unknown, field = 'pcid'): string {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const parsed = text === undefined || text.length > MAX_ID_CHARS ? undefined : parsePcid(text);
  if (text === undefined || parsed === undefined || !parsed.ok) {
    const why = parsed !== undefined && !parsed.ok ? `: ${parsed.reasons.join('; ')}` : '';
    throw appError('cps.invalid-pcid', `${field} must match ^[a-zA-Z0-9]{17,18}$${why}`, {
      details: { field },
    });
  }
  return text;
}

/** An optional field: absent, null and '' are "not given". */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function base64Field(value: unknown, field: string, what: string): Uint8Array {
  if (typeof value !== 'string' || value.length > MAX_KEY_FIELD_CHARS) {
    throw appError('cps.invalid-contract-data', `${field} must be base64 of ${what}`, {
      details: { field },
    });
  }
  const bytes = decodeBase64Lenient(value);
  if (bytes === undefined) {
    throw appError('cps.invalid-contract-data', `${field} is not base64`, { details: { field } });
  }
  return bytes;
}

function keyBytes(value: unknown, field: string, length: number): Uint8Array {
  const bytes = base64Field(value, field, `${length} bytes`);
  if (bytes.length !== length) {
    throw appError(
      'cps.invalid-contract-data',
      `${field} is ${bytes.length} bytes; ISO 15118-2 needs exactly ${length}`,
      { details: { field } },
    );
  }
  return bytes;
}

/**
 * ContractSignatureEncryptedPrivateKey: IV(16) ‖ AES-128-CBC ciphertext of the 32-byte scalar = 48
 * bytes ([V2G2-818] ff., -2 XSD privateKeyType; pki-profiles.md §4.1).
 */
export function encryptedPrivateKeyOf(
  value: unknown,
  field = 'contractSignatureEncryptedPrivateKey',
): Uint8Array {
  return keyBytes(value, field, ISO2_ENCRYPTED_PRIVATE_KEY_BYTES);
}

/** DHpublickey: an uncompressed secp256r1 point (65 bytes, 0x04 ‖ X ‖ Y) that lies on the curve. */
export function dhPublicKeyOf(value: unknown, field = 'dHpublickey'): Uint8Array {
  const bytes = keyBytes(value, field, ISO2_DH_PUBLIC_KEY_BYTES);
  let onCurve = bytes[0] === 4;
  if (onCurve) {
    try {
      // Decoding the point checks that it lies on the curve (OpenSSL EC_POINT_oct2point).
      ECDH.convertKey(bytes, 'prime256v1', undefined, undefined, 'uncompressed');
    } catch {
      onCurve = false;
    }
  }
  if (!onCurve) {
    throw appError(
      'cps.invalid-contract-data',
      `${field} is not an uncompressed secp256r1 point (04 ‖ X ‖ Y on the curve)`,
      { details: { field } },
    );
  }
  return bytes;
}

/** The key fields of ISO 15118-20 contract data, with the ECDH curve they belong to. */
export interface Iso20KeyFields {
  readonly curve: Iso20EcdhCurve;
  readonly dhPublicKey: Uint8Array;
  readonly encryptedPrivateKey: Uint8Array;
}

/**
 * The -20 key fields an MO sends in the -2 field names (OPCP / OPNC have no -20 fields; D-145): the
 * curve follows from `dHpublickey` — a 133-byte uncompressed secp521r1 point on the curve (SECP521) or
 * a 56-byte X448 key ([V2G20-2489], D-029) — and `contractSignatureEncryptedPrivateKey` must have that
 * curve's size: 94 bytes (SECP521) or 84 / 85 (X448; D-015). Throws cps.invalid-contract-data.
 */
export function iso20KeyFieldsOf(
  encryptedPrivateKey: unknown,
  dhPublicKey: unknown,
  fields: { readonly encrypted: string; readonly dh: string } = {
    encrypted: 'contractSignatureEncryptedPrivateKey',
    dh: 'dHpublickey',
  },
): Iso20KeyFields {
  const dh = base64Field(dhPublicKey, fields.dh, 'a 133-byte P-521 point or a 56-byte X448 key');
  let curve: Iso20EcdhCurve;
  if (dh.length === ISO20_SECP521_DH_PUBLIC_KEY_BYTES && dh[0] === 4) {
    try {
      // Decoding the point checks that it lies on the curve (OpenSSL EC_POINT_oct2point).
      ECDH.convertKey(dh, 'secp521r1', undefined, undefined, 'uncompressed');
    } catch {
      throw appError('cps.invalid-contract-data', `${fields.dh} is not a point on secp521r1`, {
        details: { field: fields.dh },
      });
    }
    curve = 'SECP521';
  } else if (dh.length === ISO20_X448_DH_PUBLIC_KEY_BYTES) {
    try {
      createPublicKey({
        key: { kty: 'OKP', crv: 'X448', x: Buffer.from(dh).toString('base64url') },
        format: 'jwk',
      });
    } catch {
      throw appError('cps.invalid-contract-data', `${fields.dh} is not an X448 public key`, {
        details: { field: fields.dh },
      });
    }
    curve = 'X448';
  } else {
    throw appError(
      'cps.invalid-contract-data',
      `${fields.dh} is ${dh.length} bytes; ISO 15118-20 needs an uncompressed secp521r1 point (133 bytes, 04 first) or an X448 key (56 bytes)`,
      { details: { field: fields.dh } },
    );
  }
  const sizes = curve === 'SECP521' ? [ISO20_SECP521_ENCRYPTED_KEY_BYTES] : ISO20_X448_ENCRYPTED_KEY_BYTES;
  const encrypted = base64Field(encryptedPrivateKey, fields.encrypted, `${sizes.join(' or ')} bytes`);
  if (!sizes.includes(encrypted.length)) {
    throw appError(
      'cps.invalid-contract-data',
      `${fields.encrypted} is ${encrypted.length} bytes; ISO 15118-20 ${curve} needs ${sizes.join(' or ')}`,
      { details: { field: fields.encrypted } },
    );
  }
  return { curve, dhPublicKey: dh, encryptedPrivateKey: encrypted };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 date-time (OPCP `@ValidDateTime`). Throws cps.invalid-contract-period. */
export function dateTimeOf(value: unknown, field: string): Date {
  const text = typeof value === 'string' && value.length <= MAX_ID_CHARS ? value.trim() : '';
  const at = DATE_TIME.test(text) ? new Date(text) : undefined;
  if (at === undefined || !Number.isFinite(at.getTime())) {
    throw appError(
      'cps.invalid-contract-period',
      `The ${field} does not match the specification (RFC 3339 date-time, e.g. 2027-05-11T00:00:00Z)`,
      { details: { field } },
    );
  }
  return at;
}

/** `metaData`: optional opaque text, at most MAX_METADATA_CHARS. */
export function metadataOf(value: unknown, field = 'metaData'): string | null {
  if (!given(value)) return null;
  if (typeof value !== 'string' || value.length > MAX_METADATA_CHARS) {
    throw appError(
      'cps.invalid-request',
      `${field} must be text of at most ${MAX_METADATA_CHARS} characters`,
      {
        details: { field },
      },
    );
  }
  return value;
}

/** An optional fingerprint field: a string or absent (its syntax is checked where it is used). */
export function optionalText(value: unknown, field: string): string | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'string' || value.length > 256) {
    throw appError('cps.invalid-fingerprint', `${field} must be a SHA-256 fingerprint (64 hex digits)`, {
      details: { field },
    });
  }
  return value;
}
