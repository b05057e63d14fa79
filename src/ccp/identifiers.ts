// EMAIDs and PCIDs as the CCP reads them from paths and bodies (docs/spec-decisions.md D-072).
//
// EMAID (spec-gaps.md item 13): OPCP allows 14-15 characters with optional hyphens, OPNC 14-36 for
// ISO 15118-20; both ecosystems normalise to upper case without hyphens (OPCP/OPNC
// docs/05_handling-of-ids.md), which is the key the pool stores and looks up. A 15-character EMAID
// is the ISO 15118-2 Annex H form with its check digit: a wrong check digit is refused. The same
// contract may be stored with or without its check digit (the CPS decides), so a lookup tries both
// forms. PCID: `^[A-Za-z0-9]{17,18}$` (spec-gaps.md item 14), stored as received, compared upper case.

import { appError } from '../errors/catalogue.ts';
import { computeEmaidCheckDigit, parseEmaid } from '../pki/profiles/identifiers.ts';

const EMAID_NORMAL = /^[A-Z]{2}[A-Z0-9]{3}[A-Z0-9]{9,31}$/;
const PCID = /^[A-Za-z0-9]{17,18}$/;
/** Longest EMAID text accepted before normalising (36 = OPNC maxLength). */
export const MAX_EMAID_INPUT = 40;

export interface CcpEmaid {
  /** Upper case, no hyphens, an ISO 15118-2 check digit removed: the storage key. */
  readonly normalized: string;
  /** Country code + provider ID: the MO tenant (first five characters). */
  readonly providerId: string;
  /** The keys a lookup tries: the normal form and, for ISO 15118-2 EMAIDs, the other check-digit form. */
  readonly lookupKeys: readonly string[];
}

/** Normal form of an EMAID, or undefined when it is no EMAID at all (no check digit verified). */
export function normalizeEmaid(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_EMAID_INPUT) return undefined;
  const normal = input.replaceAll('-', '').toUpperCase();
  return EMAID_NORMAL.test(normal) ? normal : undefined;
}

/** Parses an EMAID from a request (path or body); 400 `ccp.invalid-emaid` when unusable. */
export function parseCcpEmaid(input: unknown, field = 'emaid'): CcpEmaid {
  const text = typeof input === 'string' ? input : '';
  const normalized = normalizeEmaid(text);
  if (normalized === undefined) {
    throw appError(
      'ccp.invalid-emaid',
      `${field}: not an EMAID (2 letters, 3 provider characters, an instance of 9 to 31 characters; hyphens allowed)`,
      { details: { field } },
    );
  }
  let keys = [normalized];
  if (normalized.length === 15) {
    const parsed = parseEmaid(normalized);
    if (!parsed.ok) {
      throw appError(
        'ccp.invalid-emaid',
        `${field}: ${parsed.reasons.join('; ')} (ISO 15118-2 Annex H: the 15th character is the check digit)`,
        { details: { field } },
      );
    }
    // The key is the 14-character form, as the CPS stores it (parseEmaid `normalized`).
    keys = [normalized.slice(0, 14), normalized];
  } else if (normalized.length === 14) {
    keys.push(normalized + computeEmaidCheckDigit(normalized));
  }
  return { normalized: keys[0] as string, providerId: normalized.slice(0, 5), lookupKeys: keys };
}

/** Checks a PCID from a request; 400 `ccp.invalid-pcid` when unusable. Returns it as received. */
export function parseCcpPcid(input: unknown, field = 'pcid'): string {
  if (typeof input !== 'string' || !PCID.test(input)) {
    throw appError('ccp.invalid-pcid', `${field}: a PCID is 17 or 18 letters and digits`, {
      details: { field },
    });
  }
  return input;
}

export function isPcid(input: string): boolean {
  return PCID.test(input);
}
