// Identifier rules for certificate common names: EMAID (contract), PCID (OEM provisioning),
// EVSEID and SECCID (SECC). Pure functions; parse functions never throw and return either a
// typed value or the list of reasons the input is rejected.
//
// Sources: ISO 15118-2 Annex H ABNF as quoted in OPCP 05_handling-of-ids.md
// (../shared/specs/opcp-1.0.0/docs/05_handling-of-ids.md), the eMI3 "Check Digit Calculation
// for Contract-IDs" as implemented by thoughtworks/maeve-csms (manager/ocpp/emaid.go),
// ShellRechargeSolutionsEU/mobilityid (CheckDigit.scala) and kajedot/ema-id-tool
// (pki-profiles.md §5; decisions P-018..P-020).

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reasons: readonly string[] };

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// --- EMAID check digit (eMI3 / ISO 15118-2 Annex H) -------------------------------------------
//
// Each character k (index in 0-9A-Z) maps to q = (q1, q2) over Z2 and r = (r1, r2) over Z3 with
// k = 18·q1 + 9·q2 + 3·r1 + r2. Position i (1-based) weighs q by P1^i (mod 2) and r by P2^i
// (mod 3), P1 = [[0,1],[1,1]], P2 = [[0,1],[1,2]]. The check character carries
// q15 = Σ q_i·P1^i and r15 = (Σ r_i·P2^i)·(−P2^−15), so that Σ_{i=1..15} v_i·P^i = 0 and every
// position has an invertible weight: single substitutions, adjacent and jump transpositions,
// twin and jump-twin errors are all detected. The result maps back through the table
// "0I9R3LCU6OFX----1JAS4MDV7PGY----2KBT5NEW8QHZ" indexed by q1 + 2·q2 + 4·r1 + 16·r2.

type Mat = readonly [number, number, number, number]; // [m11, m12, m21, m22]

function mul(a: Mat, b: Mat, mod: number): Mat {
  return [
    (a[0] * b[0] + a[1] * b[2]) % mod,
    (a[0] * b[1] + a[1] * b[3]) % mod,
    (a[2] * b[0] + a[3] * b[2]) % mod,
    (a[2] * b[1] + a[3] * b[3]) % mod,
  ];
}

function powers(p: Mat, count: number, mod: number): Mat[] {
  const out: Mat[] = [p];
  for (let i = 1; i < count; i++) out.push(mul(out[i - 1] as Mat, p, mod));
  return out;
}

const P1_POWERS = powers([0, 1, 1, 1], 14, 2);
const P2_POWERS = powers([0, 1, 1, 2], 14, 3);
const NEG_P2_MINUS_15: Mat = [0, 2, 2, 1];
const CHECK_TABLE = '0I9R3LCU6OFX----1JAS4MDV7PGY----2KBT5NEW8QHZ';

/**
 * ISO 15118-2 / eMI3 check digit for the 14 characters CC + provider (3) + instance (9),
 * without separators. Case-insensitive. Throws RangeError on other input.
 */
export function computeEmaidCheckDigit(emaidWithoutCheckDigit: string): string {
  const s = emaidWithoutCheckDigit.toUpperCase();
  if (!/^[A-Z0-9]{14}$/.test(s)) {
    throw new RangeError('computeEmaidCheckDigit expects exactly 14 letters or digits (no separators)');
  }
  let t1a = 0;
  let t1b = 0;
  let t2a = 0;
  let t2b = 0;
  for (let i = 0; i < 14; i++) {
    const k = ALPHANUMERIC.indexOf(s[i] as string);
    const q1 = Math.floor(k / 18);
    const q2 = Math.floor(k / 9) % 2;
    const r1 = Math.floor((k % 9) / 3);
    const r2 = k % 3;
    const p1 = P1_POWERS[i] as Mat;
    const p2 = P2_POWERS[i] as Mat;
    t1a += q1 * p1[0] + q2 * p1[2];
    t1b += q1 * p1[1] + q2 * p1[3];
    t2a += r1 * p2[0] + r2 * p2[2];
    t2b += r1 * p2[1] + r2 * p2[3];
  }
  const q1 = t1a % 2;
  const q2 = t1b % 2;
  const [n11, n12, n21, n22] = NEG_P2_MINUS_15;
  const r1 = ((t2a % 3) * n11 + (t2b % 3) * n21) % 3;
  const r2 = ((t2a % 3) * n12 + (t2b % 3) * n22) % 3;
  return CHECK_TABLE[q1 + 2 * q2 + 4 * r1 + 16 * r2] as string;
}

/**
 * DIN SPEC 91286 check digit over CC + provider (3) + instance (6), as implemented by
 * mobilityid (CheckDigitDin: digit values, letters as two decimal digits, weights 2^n, mod 11,
 * 10 → 'X'). The DIN text is not public, so a mismatch is reported, not rejected (P-018).
 */
export function computeDinCheckDigit(dinIdWithoutCheckDigit: string): string {
  const s = dinIdWithoutCheckDigit.toUpperCase();
  if (!/^[A-Z0-9]{11}$/.test(s)) {
    throw new RangeError('computeDinCheckDigit expects exactly 11 letters or digits (no separators)');
  }
  let sum = 0;
  let exponent = 0;
  for (const ch of s) {
    const v = ALPHANUMERIC.indexOf(ch);
    if (v < 10) {
      sum += v * 2 ** exponent;
      exponent += 1;
    } else {
      sum += Math.floor(v / 10) * 2 ** exponent + (v % 10) * 2 ** (exponent + 1);
      exponent += 2;
    }
  }
  const mod = sum % 11;
  return mod === 10 ? 'X' : String(mod);
}

export interface Emaid {
  /** Upper-case, as in the input. Syntax only: 'EM' (Hubject QA) is accepted (C9, P-018). */
  readonly countryCode: string;
  readonly providerId: string;
  /** The 9-character eMA instance (DIN IDs are mapped to '00' + instance + DIN check). */
  readonly instance: string;
  /** The computed ISO check digit. */
  readonly checkDigit: string;
  /** The check digit found in the input (ISO form only), or null. */
  readonly givenCheckDigit: string | null;
  /** givenCheckDigit === checkDigit; null when the input had none. */
  readonly checkDigitValid: boolean | null;
  /** OPCP normal form: 14 upper-case characters, no separators, no check digit. */
  readonly normalized: string;
  /** 15 characters: normalized + check digit (the -2 XSD eMAIDType allows 14-15). */
  readonly withCheckDigit: string;
  readonly form: 'iso' | 'din';
  /** DIN SPEC 91286 input only. */
  readonly din: {
    readonly instance: string;
    readonly checkDigit: string;
    readonly checkDigitMatches: boolean;
  } | null;
}

// ISO 15118-2 Annex H: <CC 2 ALPHA> <S> <provider 3 ALNUM> <S> <instance 9 ALNUM> [<S> <check>];
// <S> is '-' or nothing, used consistently (OPCP regex with a back-reference).
const EMAID_ISO = /^([A-Za-z]{2})(-?)([A-Za-z0-9]{3})\2([A-Za-z0-9]{9})(?:\2([A-Za-z0-9]))?$/;
// DIN SPEC 91286: <CC> <S> <provider 3> <S> <instance 6> <S> <check 1>, <S> '-' / '*' / nothing.
const EMAID_DIN = /^([A-Za-z]{2})([-*]?)([A-Za-z0-9]{3})\2([A-Za-z0-9]{6})\2([A-Za-z0-9])$/;

export interface ParseEmaidOptions {
  /**
   * Reject a 15th character that is not the eMI3 check digit (default true). Certificate lints
   * pass false and report the mismatch separately: real data (Hubject QA `EMP99CQATEST001`,
   * Josev `UKSWI123456789A`) carries such EMAIDs (P-018).
   */
  readonly verifyCheckDigit?: boolean;
}

/** Parse an EMAID in ISO 15118-2 Annex H or DIN SPEC 91286 form, with or without separators. */
export function parseEmaid(input: string, options: ParseEmaidOptions = {}): ParseResult<Emaid> {
  const iso = EMAID_ISO.exec(input);
  if (iso !== null) {
    const cc = (iso[1] as string).toUpperCase();
    const provider = (iso[3] as string).toUpperCase();
    const instance = (iso[4] as string).toUpperCase();
    const normalized = cc + provider + instance;
    const computed = computeEmaidCheckDigit(normalized);
    const given = iso[5]?.toUpperCase() ?? null;
    if (given !== null && given !== computed && options.verifyCheckDigit !== false) {
      return { ok: false, reasons: [`check digit '${given}' does not match the computed '${computed}'`] };
    }
    return {
      ok: true,
      value: {
        countryCode: cc,
        providerId: provider,
        instance,
        checkDigit: computed,
        givenCheckDigit: given,
        checkDigitValid: given === null ? null : given === computed,
        normalized,
        withCheckDigit: normalized + computed,
        form: 'iso',
        din: null,
      },
    };
  }
  const din = EMAID_DIN.exec(input);
  if (din !== null) {
    const cc = (din[1] as string).toUpperCase();
    const provider = (din[3] as string).toUpperCase();
    const dinInstance = (din[4] as string).toUpperCase();
    const dinCheck = (din[5] as string).toUpperCase();
    // mobilityid: the ISO instance of a DIN ID is '00' + DIN instance + DIN check digit.
    const instance = `00${dinInstance}${dinCheck}`;
    const normalized = cc + provider + instance;
    const computed = computeEmaidCheckDigit(normalized);
    return {
      ok: true,
      value: {
        countryCode: cc,
        providerId: provider,
        instance,
        checkDigit: computed,
        givenCheckDigit: null,
        checkDigitValid: null,
        normalized,
        withCheckDigit: normalized + computed,
        form: 'din',
        din: {
          instance: dinInstance,
          checkDigit: dinCheck,
          checkDigitMatches: computeDinCheckDigit(cc + provider + dinInstance) === dinCheck,
        },
      },
    };
  }
  return { ok: false, reasons: emaidReasons(input) };
}

function emaidReasons(input: string): string[] {
  const reasons: string[] = [];
  if (input.length === 0) return ['empty'];
  if (/[^A-Za-z0-9*-]/.test(input))
    reasons.push('contains characters other than letters, digits and the separators - or *');
  if (/^[A-Za-z]{2}/.test(input) === false) reasons.push('does not start with a two-letter country code');
  const parts = input.split(/[-*]/);
  if (parts.length > 1 && new Set(input.replace(/[A-Za-z0-9]/g, '')).size > 1)
    reasons.push('mixes separators');
  reasons.push(
    'does not match <CC 2 letters><S><provider 3><S><instance 9>[<S><check digit>] (ISO 15118-2 Annex H) or ' +
      '<CC><S><provider 3><S><instance 6><S><check> (DIN SPEC 91286); length 14-15 without separators',
  );
  return reasons;
}

// --- PCID -------------------------------------------------------------------------------------

export interface Pcid {
  /** World Manufacturer Identifier: the first three characters (ISO 3780). */
  readonly wmi: string;
  /** The 14 characters after the WMI. */
  readonly oemId: string;
  /** 18th character when present; its algorithm is not public, so it is not verified (P-019). */
  readonly checkCharacter: string | null;
  /** Upper-case, as the -20 AAD uses it ([V2G20-2492]). */
  readonly normalized: string;
  readonly length: 17 | 18;
}

/** PCID per VDE-AR-E 2802-100-1 as OPCP checks it: `^[a-zA-Z0-9]{17,18}$`. */
export function parsePcid(input: string): ParseResult<Pcid> {
  const reasons: string[] = [];
  if (/[^A-Za-z0-9]/.test(input)) reasons.push('contains characters other than letters and digits');
  if (input.length !== 17 && input.length !== 18) reasons.push(`length ${input.length}, expected 17 or 18`);
  if (reasons.length > 0) return { ok: false, reasons };
  const normalized = input.toUpperCase();
  return {
    ok: true,
    value: {
      wmi: normalized.slice(0, 3),
      oemId: normalized.slice(3, 17),
      checkCharacter: normalized.length === 18 ? normalized.slice(17) : null,
      normalized,
      length: normalized.length as 17 | 18,
    },
  };
}

// --- EVSEID -----------------------------------------------------------------------------------

export interface EvseId {
  readonly countryCode: string;
  readonly operatorId: string;
  /** Power outlet id after the 'E' id type; may contain '*'. */
  readonly powerOutletId: string;
  /** ISO form with '*' separators, e.g. 'DE*ICE*E45B*78C'. */
  readonly normalized: string;
  /** Without separators, e.g. 'DEICEE45B78C'. */
  readonly compact: string;
}

// ISO 15118-2 Annex H: <CC 2 ALPHA> <S> <operator 3 ALNUM> <S> 'E' <power outlet 1-31>, <S> = '*'
// or nothing (OPCP EST CSR rule `^[A-Za-z]{2}[\*]?\w{3}[\*]?[E][\w\*]{1,30}$`).
const EVSE_ID = /^([A-Za-z]{2})\*?([A-Za-z0-9]{3})\*?E([A-Za-z0-9][A-Za-z0-9*]{0,30})$/;

export function parseEvseId(input: string): ParseResult<EvseId> {
  const m = EVSE_ID.exec(input);
  if (m === null) {
    const reasons: string[] = [];
    if (/^\+?\d/.test(input)) reasons.push('DIN SPEC 91286 EVSEID form (+49*...) is not accepted');
    reasons.push(
      'does not match <CC 2 letters>[*]<operator 3>[*]E<power outlet id 1-31> (ISO 15118-2 Annex H)',
    );
    return { ok: false, reasons };
  }
  const cc = (m[1] as string).toUpperCase();
  const op = (m[2] as string).toUpperCase();
  const outlet = (m[3] as string).toUpperCase();
  return {
    ok: true,
    value: {
      countryCode: cc,
      operatorId: op,
      powerOutletId: outlet,
      normalized: `${cc}*${op}*E${outlet}`,
      compact: `${cc}${op}E${outlet.replaceAll('*', '')}`,
    },
  };
}

// --- SECCID (ISO 15118-20) ----------------------------------------------------------------------

export interface SeccId {
  readonly countryCode: string;
  readonly operatorId: string;
  readonly controllerId: string;
  /** Not verified: the algorithm is not public (P-020). */
  readonly checkDigit: string;
  /** With '-' separators, e.g. 'DE-ICE-S-00003C4D557878675645330967543476-2'. */
  readonly normalized: string;
}

// ISO 15118-20: <CC> <S> <operator> <S> 'S' <S> <controller id> <S> <check digit>, <S> = '-' or
// nothing, used consistently. Controller id length is not public; 1-64 accepted (P-020).
const SECC_ID = /^([A-Za-z]{2})(-?)([A-Za-z0-9]{3})\2S\2([A-Za-z0-9]{1,64})\2([A-Za-z0-9])$/;

export function parseSeccId(input: string): ParseResult<SeccId> {
  const m = SECC_ID.exec(input);
  if (m === null) {
    return {
      ok: false,
      reasons: [
        'does not match <CC 2 letters><S><operator 3><S>S<S><controller id><S><check digit> (ISO 15118-20)',
      ],
    };
  }
  const cc = (m[1] as string).toUpperCase();
  const op = (m[3] as string).toUpperCase();
  const controller = (m[4] as string).toUpperCase();
  const check = (m[5] as string).toUpperCase();
  return {
    ok: true,
    value: {
      countryCode: cc,
      operatorId: op,
      controllerId: controller,
      checkDigit: check,
      normalized: `${cc}-${op}-S-${controller}-${check}`,
    },
  };
}
