// Who is calling: the role and the tenant scope of an API client (docs/auth.md).
//
// Roles follow the OPCP access-rights table (OPCP 1.0.0 docs/04_authentication.md "Roles&Rights"):
// OEM, MO, CPO and CPS, plus ADMIN for the ecosystem operator (RCP saveRootCa / deleteRootCa). The
// tenant scope is what the same chapter keys access on: the WMI of a PCID for an OEM, the country code
// + provider ID of an EMAID for an MO, and (ISO 15118-2 / eMI3 EVSE IDs) the operator ID for a CPO.

export const ROLES = ['OEM', 'MO', 'CPO', 'CPS', 'ADMIN'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * The tenants a client may act for, always in normalised form: WMIs upper case (`WP0`), provider IDs
 * upper case without separator (`DEABC`), operator IDs upper case without separator (`DEABC`).
 */
export interface TenantScope {
  readonly wmis: readonly string[];
  readonly providerIds: readonly string[];
  readonly operatorIds: readonly string[];
}

/** The authenticated caller, set on `request.principal` by requireAuth. */
export interface Principal {
  readonly clientId: string;
  readonly role: Role;
  readonly scope: TenantScope;
}

export const EMPTY_SCOPE: TenantScope = Object.freeze({
  wmis: Object.freeze([]),
  providerIds: Object.freeze([]),
  operatorIds: Object.freeze([]),
});
