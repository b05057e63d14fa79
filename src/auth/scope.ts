// Tenant identifiers: syntax, normalisation, and the `--scope` list of `pnc clients add`.
//
// - WMI (World Manufacturer Identifier, ISO 3779): exactly 3 characters from [A-HJ-NPR-Z0-9] (ISO 3779
//   excludes I, O and Q). It is the first 3 characters of a PCID (OPCP docs/05_handling-of-ids.md, PCID
//   = WMI + 14 alphanumerics + optional check digit, compared case-insensitively: `^[a-zA-Z0-9]{17,18}$`).
// - Provider ID (eMobility service provider, ISO 15118-2 Annex H EMAID): 2-letter country code + 3
//   alphanumerics, optional `-` between them (`DE-ABC` = `DEABC`). The syntax only, not a country list:
//   Hubject's QA provider `EMP77` has no real country (spec-gaps.md item 49).
// - Operator ID (EVSE operator, ISO 15118-2 / eMI3 EVSE ID `DE*ICE*E45B*78C`): 2-letter country code + 3
//   alphanumerics, optional `*` between them; `-` is accepted too, the separator of ISO 15118-20 SECC
//   IDs (`DE-ICE-S-…`, OPCP docs/05_handling-of-ids.md).
// All are case-insensitive on input and stored upper case without separator.

import type { Role, TenantScope } from './principal.ts';

const WMI = /^[A-HJ-NPR-Z0-9]{3}$/;
const PROVIDER_ID = /^([A-Z]{2})-?([A-Z0-9]{3})$/;
const OPERATOR_ID = /^([A-Z]{2})[*-]?([A-Z0-9]{3})$/;
/** Longest identifier worth looking at; anything longer is refused before any regex runs. */
const MAX_ID_LENGTH = 64;

/** Most entries one client's scope may list (a typo in a script should not create a huge row). */
export const MAX_SCOPE_ENTRIES = 256;

function upper(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) return undefined;
  return value.toUpperCase();
}

/** `wp0` → `WP0`; undefined when not a WMI. */
export function normaliseWmi(value: unknown): string | undefined {
  const v = upper(value);
  return v !== undefined && WMI.test(v) ? v : undefined;
}

/** `DE-ABC` / `de-abc` / `DEABC` → `DEABC`; undefined when not a provider ID. */
export function normaliseProviderId(value: unknown): string | undefined {
  const m = PROVIDER_ID.exec(upper(value) ?? '');
  return m === null ? undefined : `${m[1]}${m[2]}`;
}

/** `DE*ABC` / `de*abc` / `DE-ABC` / `DEABC` → `DEABC`; undefined when not an operator ID. */
export function normaliseOperatorId(value: unknown): string | undefined {
  const m = OPERATOR_ID.exec(upper(value) ?? '');
  return m === null ? undefined : `${m[1]}${m[2]}`;
}

/** Which list of the tenant scope a role's `--scope` fills; ADMIN has none. */
export type ScopeKind = 'wmis' | 'providerIds' | 'operatorIds';

/**
 * The scope each role takes. CPS: provider IDs, the eMSPs whose contract data the CPS may provision
 * (OPCP: CPS PUT signedContractData is per EMAID); docs/spec-decisions.md D-019.
 */
export const SCOPE_KIND_OF_ROLE: Readonly<Record<Role, ScopeKind | undefined>> = Object.freeze({
  OEM: 'wmis',
  MO: 'providerIds',
  CPO: 'operatorIds',
  CPS: 'providerIds',
  ADMIN: undefined,
});

const KIND_TEXT: Record<
  ScopeKind,
  { one: string; example: string; normalise: (v: string) => string | undefined }
> = {
  wmis: {
    one: 'a WMI (3 characters of A-H J-N P R-Z 0-9, ISO 3779)',
    example: 'WP0,WBA',
    normalise: normaliseWmi,
  },
  providerIds: {
    one: 'a provider ID (country code + 3 letters or digits, optional "-")',
    example: 'DE-ABC,DEXYZ',
    normalise: normaliseProviderId,
  },
  operatorIds: {
    one: 'an operator ID (country code + 3 letters or digits, optional "*")',
    example: 'DE*ABC,FRXYZ',
    normalise: normaliseOperatorId,
  },
};

export type ScopeParseResult =
  | { readonly ok: true; readonly scope: TenantScope }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Shows an offending entry in a message: short, and without control characters. */
function show(entry: string): string {
  const clean = entry.replace(/\p{Cc}/gu, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 37)}...` : clean);
}

/**
 * Parses the comma-separated `--scope` list for a role: every entry must be an identifier of the
 * role's kind (surrounding spaces are ignored; duplicates after normalisation are merged, in first
 * occurrence order). OEM, MO, CPO and CPS need at least one entry; ADMIN takes none.
 */
export function parseScope(role: Role, text: string | undefined): ScopeParseResult {
  const kind = SCOPE_KIND_OF_ROLE[role];
  const raw = text === undefined || text.trim() === '' ? [] : text.split(',').map((e) => e.trim());
  if (kind === undefined) {
    return raw.length === 0
      ? { ok: true, scope: { wmis: [], providerIds: [], operatorIds: [] } }
      : {
          ok: false,
          problems: [`role ADMIN takes no scope (it has access to every tenant), got ${show(text ?? '')}`],
        };
  }
  const { one, example, normalise } = KIND_TEXT[kind];
  if (raw.length === 0) {
    return {
      ok: false,
      problems: [`role ${role} needs a scope, e.g. --scope ${example}: each entry ${one}`],
    };
  }
  if (raw.length > MAX_SCOPE_ENTRIES) {
    return { ok: false, problems: [`a scope lists at most ${MAX_SCOPE_ENTRIES} entries, got ${raw.length}`] };
  }
  const problems: string[] = [];
  const values: string[] = [];
  for (const entry of raw) {
    if (entry === '') {
      problems.push('the scope has an empty entry (two commas in a row, or a comma at the start or end)');
      continue;
    }
    const value = normalise(entry);
    if (value === undefined) problems.push(`${show(entry)} is not ${one}, as role ${role} needs`);
    else if (!values.includes(value)) values.push(value);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    scope: {
      wmis: kind === 'wmis' ? values : [],
      providerIds: kind === 'providerIds' ? values : [],
      operatorIds: kind === 'operatorIds' ? values : [],
    },
  };
}

/**
 * The OAuth `scope` string of a client (RFC 6749 §3.3: space-separated tokens), also the `scope`
 * claim of its access tokens (RFC 9068 §2.2.3): `role:OEM wmi:WP0 wmi:WBA`, `role:MO provider:DEABC`,
 * `role:CPO operator:DEABC`, `role:ADMIN`. Never empty (OPCP accessToken.v1.json requires it).
 */
export function formatOAuthScope(role: Role, scope: TenantScope): string {
  return [
    `role:${role}`,
    ...scope.wmis.map((v) => `wmi:${v}`),
    ...scope.providerIds.map((v) => `provider:${v}`),
    ...scope.operatorIds.map((v) => `operator:${v}`),
  ].join(' ');
}
