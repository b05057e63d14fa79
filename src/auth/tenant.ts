// Tenant checks for the components behind requireAuth: may this principal act on data of that WMI,
// provider or operator? Pure functions; a malformed identifier is simply "no" (the caller validates its
// input and reports syntax errors itself). ADMIN may act for every tenant.
//
// OPCP 1.0.0 docs/04_authentication.md: an OEM has access "depending on the WMI in the PCID (first 3
// characters)", an MO "depending on the EMAID (first 5 characters - CountryCode + ProviderID)".
// Repositories of tenant data take the principal (or its TenantScope) in every method signature
// (architecture-practices §4), and answer NotFound for rows of other tenants; auth.forbidden-tenant is
// for requests that name a foreign tenant explicitly (e.g. an OEM uploading a PCID of another WMI).

import { appError } from '../errors/catalogue.ts';
import type { Principal } from './principal.ts';
import { normaliseOperatorId, normaliseProviderId, normaliseWmi } from './scope.ts';

const PCID = /^[A-Za-z0-9]{17,18}$/;
// EMAID without separators (OPCP docs/05_handling-of-ids.md normalises to upper case, no hyphens): 2
// letters, 3 provider characters, then the instance (9 characters for ISO 15118-2, longer for -20).
const EMAID = /^[A-Z]{2}[A-Z0-9]{3}[A-Z0-9]{9,31}$/;

/** The principal may act for this WMI (`WP0`, case-insensitive). */
export function canAccessWmi(principal: Principal, wmi: string): boolean {
  if (principal.role === 'ADMIN') return true;
  const normal = normaliseWmi(wmi);
  return normal !== undefined && principal.scope.wmis.includes(normal);
}

/** The principal may act for this PCID: its first 3 characters are a WMI of the principal. */
export function canAccessPcid(principal: Principal, pcid: string): boolean {
  if (principal.role === 'ADMIN') return true;
  return typeof pcid === 'string' && PCID.test(pcid) && canAccessWmi(principal, pcid.slice(0, 3));
}

/** The principal may act for this provider (`DE-ABC` = `DEABC`, case-insensitive). */
export function canAccessProvider(principal: Principal, providerId: string): boolean {
  if (principal.role === 'ADMIN') return true;
  const normal = normaliseProviderId(providerId);
  return normal !== undefined && principal.scope.providerIds.includes(normal);
}

/** The principal may act for this EMAID (`DE-ABC-C12345678-9` or `DEABCC123456789`): its provider. */
export function canAccessEmaid(principal: Principal, emaid: string): boolean {
  if (principal.role === 'ADMIN') return true;
  if (typeof emaid !== 'string' || emaid.length > 64) return false;
  const normal = emaid.replaceAll('-', '').toUpperCase();
  return EMAID.test(normal) && canAccessProvider(principal, normal.slice(0, 5));
}

/** The principal may act for this EVSE operator (`DE*ABC` = `DEABC`, case-insensitive). */
export function canAccessOperator(principal: Principal, operatorId: string): boolean {
  if (principal.role === 'ADMIN') return true;
  const normal = normaliseOperatorId(operatorId);
  return normal !== undefined && principal.scope.operatorIds.includes(normal);
}

/**
 * Throws AppError `auth.forbidden-tenant` (HTTP 403) unless allowed; `what` names the identifier for
 * the message, e.g. `assertTenant(canAccessPcid(p, pcid), \`PCID ${pcid}\`)`.
 */
export function assertTenant(allowed: boolean, what: string): void {
  if (!allowed) throw appError('auth.forbidden-tenant', `${what} is outside the tenant scope of this client`);
}
