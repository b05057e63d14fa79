// Webhook signatures (spec-gaps.md item 23, D-107). HMAC-SHA256 over the raw request body with the
// endpoint's secret (UTF-8 bytes of the secret as the key, OPCP docs/components/06 "Validating
// payloads"), sent in every header form the specs name:
//
//   payload-signature: <hex>              OPCP / OPNC webhook.payload.v1.json (required there)
//   X-Hubject-Signature: sha256=<hex>     OPCP webhook.payload.v1.json and docs example
//   X-Operator-Signature: <hex>           OPCP / OPNC docs (hex digest; OPNC root payload)
//
// None of them covers a time, so a captured request can be replayed. Our own headers add one:
//
//   X-PnC-Timestamp: <unix seconds of this attempt>
//   X-PnC-Signature: t=<same seconds>,v1=<hex HMAC-SHA256 over "<seconds>.<raw body>">
//
// so a receiver that checks X-PnC-Signature and refuses old timestamps is safe from replays; the
// eventId in the body (and X-PnC-Event-Id) lets it drop duplicates of at-least-once delivery.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  payload: 'payload-signature',
  hubject: 'x-hubject-signature',
  operator: 'x-operator-signature',
  timestamp: 'x-pnc-timestamp',
  timed: 'x-pnc-signature',
  eventId: 'x-pnc-event-id',
  deliveryId: 'x-pnc-delivery-id',
  attempt: 'x-pnc-attempt',
} as const;

export function hmacHex(secret: string, message: string | Uint8Array): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(message).digest('hex');
}

export interface SignedHeaders {
  readonly [name: string]: string;
}

/** The signature headers of one attempt. `at` is the attempt's time (the injected clock). */
export function signatureHeaders(secret: string, body: string, at: Date): SignedHeaders {
  const hex = hmacHex(secret, body);
  const seconds = String(Math.floor(at.getTime() / 1000));
  return {
    [SIGNATURE_HEADERS.payload]: hex,
    [SIGNATURE_HEADERS.hubject]: `sha256=${hex}`,
    [SIGNATURE_HEADERS.operator]: hex,
    [SIGNATURE_HEADERS.timestamp]: seconds,
    [SIGNATURE_HEADERS.timed]: `t=${seconds},v1=${hmacHex(secret, `${seconds}.${body}`)}`,
  };
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What a receiver does (and our tests do): checks a signature header value against the raw body.
 * Accepts `<hex>` and `sha256=<hex>`; constant-time comparison.
 */
export function verifySignature(secret: string, rawBody: string | Uint8Array, headerValue: string): boolean {
  const given = headerValue
    .trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(given) && equalHex(hmacHex(secret, rawBody), given);
}

/**
 * Checks X-PnC-Signature (`t=<seconds>,v1=<hex>`) and that t is within `toleranceSeconds` of `now`.
 */
export function verifyTimedSignature(
  secret: string,
  rawBody: string,
  headerValue: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(headerValue.trim());
  if (m === null) return false;
  const seconds = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) return false;
  return equalHex(hmacHex(secret, `${m[1]}.${rawBody}`), m[2] as string);
}
