// Serial numbers: 16 random bytes from the injected source, high bit clear so the INTEGER is
// positive (RFC 5280 §4.1.2.2: positive, at most 20 octets), as Hubject issues them (pki-profiles.md
// §1.3; P-025). A draw whose first octet is zero is drawn again, so every serial is exactly 16
// octets (127 random bits): the minimal DER encoding never shrinks and the low-entropy lint never
// fires. Stored and compared in canonical form: lower-case hex without leading zeros, the form
// OCPP CertificateHashData uses ("hex, no leading zeros", interop.md §3).

import { appError } from '../errors/catalogue.ts';
import type { RandomSource } from './types.ts';

export const SERIAL_BYTES = 16;
const MAX_DRAWS = 64;

/** A fresh serial number. Throws when the random source is broken (wrong length, always zero). */
export function generateSerial(random: RandomSource): bigint {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const bytes = random(SERIAL_BYTES);
    if (!(bytes instanceof Uint8Array) || bytes.length !== SERIAL_BYTES) {
      throw new RangeError(`the random source returned ${bytes?.length} bytes instead of ${SERIAL_BYTES}`);
    }
    const first = (bytes[0] as number) & 0x7f;
    if (first === 0) continue;
    let value = BigInt(first);
    for (let i = 1; i < SERIAL_BYTES; i++) value = (value << 8n) | BigInt(bytes[i] as number);
    return value;
  }
  throw new RangeError('the random source keeps returning serials with a zero first octet');
}

export function serialToHex(serial: bigint): string {
  return serial.toString(16);
}

/**
 * Parses a serial typed by a person or taken from another system: hex digits, optionally with
 * `0x`, colons or spaces between octets (`openssl x509 -serial` prints `serial=5F3A…`), any case,
 * leading zeros allowed. Returns the canonical form. Throws AppError ca.invalid-request.
 */
export function parseSerial(text: string): string {
  const trimmed = text
    .trim()
    .replace(/^serial=/i, '')
    .replace(/^0x/i, '');
  const digits = trimmed.replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]{1,40}$/.test(digits)) {
    throw appError(
      'ca.invalid-request',
      `"${text.slice(0, 80)}" is not a serial number (1-20 octets in hex)`,
    );
  }
  const value = BigInt(`0x${digits}`);
  if (value === 0n)
    throw appError('ca.invalid-request', 'serial number 0 is never issued (RFC 5280 §4.1.2.2)');
  return serialToHex(value);
}

export function serialFromHex(hex: string): bigint {
  return BigInt(`0x${hex}`);
}
