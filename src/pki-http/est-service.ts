// EST (RFC 7030) `cacerts` and `simpleenroll` for the V2G PKI, transport-free (./est-routes.ts binds
// it to HTTP; docs/pki-http.md).
//
// Which CA serves a path: the Sub-CA 2 of the path's domain (OPCP est.v1.json: "The PKI Gateway /
// Certificate Manager creates the leaf certificates from the Sub 2 CA of the respective role") and
// ISO version — cpo → cpo-sub2 (SECC leaves), mo / emsp → mo-sub2 (contracts), oem → oem-sub2
// (provisioning), cps → cps-sub2 (CPS leaves), veh → vehicle-sub2 (ISO 15118-20 vehicle leaves) —
// found by role, not by name: active, with its key here, within its validity; the algorithm segment
// (secp256r1 / secp521r1 / ed448) narrows the choice, -20 prefers P-521; among equals the newest.
// None: `pki.est-no-ca` (404) saying what to set up.
//
// Who may enrol where (OPCP est.v1.json security + "Each entity can get leaf certificates regarding
// to its role"): cpo → CPO, mo → MO, oem and veh → OEM, cps → CPS; ADMIN does not enrol (it has the
// CLI). The CSR's identifier must be in the caller's tenant scope: a CPO's EVSEID / SECCID operator,
// an MO's EMAID provider, an OEM's PCID WMI (OPCP docs/04_authentication.md); CPS and vehicle CNs
// name no tenant. The CSR itself is checked by the CA (checkCsrForRole: key algorithm per role and
// ISO version, CN rule, DC, forbidden extensions; proof of possession).

import {
  assertTenant,
  canAccessEmaid,
  canAccessOperator,
  canAccessPcid,
  type Principal,
  type Role,
} from '../auth/index.ts';
import type { CaView, CertificateAuthorityService, CsrLeafRole } from '../ca/index.ts';
import { appError } from '../errors/catalogue.ts';
import { parseCsr } from '../pki/csr/index.ts';
import {
  certsOnlyPkcs7,
  type EstAlgorithm,
  type EstCa,
  type EstRoute,
  estBase64,
  parseEstCsrBody,
} from '../pki/est/index.ts';
import { parseEmaid, parseEvseId, parsePcid, parseSeccId } from '../pki/profiles/index.ts';
import type { CertificateRole } from '../pki/profiles/types.ts';

export interface EstServiceDeps {
  readonly ca: Pick<CertificateAuthorityService, 'listCas' | 'chain' | 'issueFromCsr'>;
  readonly clock: { now(): Date };
  /** Accept CPO CNs that are no EVSEID / SECCID (configuration estLenientCommonName). */
  readonly lenientCommonName: boolean;
}

/** Sub-CA 2 role, CSR role and the API role allowed to enrol, per EST CA label. */
const EST_CAS: Readonly<
  Record<EstCa, { readonly caRole: CertificateRole; readonly csrRole: CsrLeafRole; readonly role: Role }>
> = {
  cpo: { caRole: 'cpo-sub2', csrRole: 'CPO', role: 'CPO' },
  mo: { caRole: 'mo-sub2', csrRole: 'MO', role: 'MO' },
  oem: { caRole: 'oem-sub2', csrRole: 'OEM', role: 'OEM' },
  cps: { caRole: 'cps-sub2', csrRole: 'CPS', role: 'CPS' },
  veh: { caRole: 'vehicle-sub2', csrRole: 'VEH', role: 'OEM' },
};

/** The RFC 7030 default CA (a path without label) for enrolment: the caller's own domain. */
const DEFAULT_CA_OF_ROLE: Readonly<Partial<Record<Role, EstCa>>> = {
  CPO: 'cpo',
  MO: 'mo',
  OEM: 'oem',
  CPS: 'cps',
};

/** Roles that may call simpleenroll at all (the label then narrows it to one). */
export const EST_ENROLL_ROLES: readonly Role[] = ['CPO', 'MO', 'OEM', 'CPS'];

const KEY_ALGORITHM: Readonly<Record<EstAlgorithm, string>> = {
  secp256r1: 'P-256',
  secp521r1: 'P-521',
  ed448: 'Ed448',
};

const TITLE: Readonly<Record<EstCa, string>> = {
  cpo: 'CPO Sub-CA 2',
  mo: 'MO Sub-CA 2',
  oem: 'OEM Sub-CA 2',
  cps: 'CPS (Prov) Sub-CA 2',
  veh: 'Vehicle Sub-CA 2',
};

export interface EnrollRequest {
  readonly route: EstRoute;
  readonly principal: Principal;
  readonly body: string | Uint8Array;
  readonly contentType: string | undefined;
}

export class EstService {
  readonly #deps: EstServiceDeps;
  /**
   * Chains and cacerts bodies by CA id. A CA's certificate and its parents never change once issued
   * (src/ca: a certificate row is immutable, a CA's parent is fixed), so these are computed once; which
   * CA serves a path is still decided on every request.
   */
  readonly #chains = new Map<string, Promise<Uint8Array[]>>();
  readonly #cacerts = new Map<string, string>();

  constructor(deps: EstServiceDeps) {
    this.#deps = deps;
  }

  /** cacerts (RFC 7030 §4.1.3): the chain of the CA the path names, root last, as EST base64. */
  async cacerts(route: EstRoute): Promise<string> {
    // Without a label, the CPO chain: its root is the V2G root, the anchor of SECC chains.
    const label = route.ca ?? 'cpo';
    const ca = await this.#selectCa(label, route, false);
    let body = this.#cacerts.get(ca.id);
    if (body === undefined) {
      body = estBase64(certsOnlyPkcs7(await this.#chain(ca.id)));
      this.#cacerts.set(ca.id, body);
    }
    return body;
  }

  #chain(caId: string): Promise<Uint8Array[]> {
    let chain = this.#chains.get(caId);
    if (chain === undefined) {
      chain = this.#deps.ca.chain(caId);
      this.#chains.set(caId, chain);
      chain.catch(() => this.#chains.delete(caId));
    }
    return chain;
  }

  /** simpleenroll (RFC 7030 §4.2): the new leaf first, then its chain, root last, as EST base64. */
  async simpleenroll(request: EnrollRequest): Promise<string> {
    const { route, principal } = request;
    const label = route.ca ?? DEFAULT_CA_OF_ROLE[principal.role];
    if (label === undefined) {
      throw appError('auth.forbidden-role', `role ${principal.role} has no EST CA of its own`);
    }
    const spec = EST_CAS[label];
    if (principal.role !== spec.role) {
      throw appError(
        'auth.forbidden-role',
        `role ${principal.role} may not enrol on the ${label} CA (it issues to ${spec.role} clients)`,
        { details: { role: principal.role, admitted: [spec.role] } },
      );
    }
    const ca = await this.#selectCa(label, route, true);
    const csrDer = parseEstCsrBody(request.body, request.contentType);
    // Parsed here for the tenant check only; the CA parses and checks it again, completely.
    const csr = parseCsr(csrDer);
    checkTenant(principal, label, csr.subject.commonNames);
    const issued = await this.#deps.ca.issueFromCsr({
      caId: ca.id,
      csrDer,
      role: spec.csrRole,
      lenientCommonName: this.#deps.lenientCommonName,
      actor: `client:${principal.clientId}`,
    });
    const chain = await this.#chain(ca.id);
    return estBase64(certsOnlyPkcs7([issued.certificate, ...chain]));
  }

  async #selectCa(label: EstCa, route: EstRoute, issuing: boolean): Promise<CaView> {
    const { caRole } = EST_CAS[label];
    const iso = route.iso === 20 ? '20' : '2';
    const wanted = route.algorithm === undefined ? undefined : KEY_ALGORITHM[route.algorithm];
    const now = this.#deps.clock.now().getTime();
    const candidates = (await this.#deps.ca.listCas()).filter(
      (ca) =>
        ca.role === caRole &&
        ca.iso === iso &&
        ca.status === 'active' &&
        ca.certificate !== null &&
        (!issuing || ca.keyId !== null) &&
        (ca.notBefore?.getTime() ?? Number.POSITIVE_INFINITY) <= now &&
        (ca.notAfter?.getTime() ?? Number.NEGATIVE_INFINITY) > now &&
        (wanted === undefined || ca.keyAlgorithm === wanted),
    );
    const preferred = iso === '20' && wanted === undefined ? 'P-521' : undefined;
    candidates.sort(
      (a, b) =>
        Number(b.keyAlgorithm === preferred) - Number(a.keyAlgorithm === preferred) ||
        b.createdAt.getTime() - a.createdAt.getTime(),
    );
    const chosen = candidates[0];
    if (chosen === undefined) {
      const what = `${TITLE[label]} for ISO 15118-${iso}${wanted === undefined ? '' : ` with ${route.algorithm} keys`}`;
      const hint =
        label === 'veh'
          ? 'vehicle certificates exist in ISO 15118-20 only, and pnc pki init creates no vehicle sub-CA'
          : `create one with pnc pki init --iso ${iso}${issuing ? '; it needs its key in the key store' : ''}`;
      throw appError('pki.est-no-ca', `no usable ${what} is set up on this server (${hint})`, {
        details: {
          ca: label,
          iso: route.iso,
          ...(route.algorithm === undefined ? {} : { algorithm: route.algorithm }),
        },
      });
    }
    return chosen;
  }
}

/**
 * The tenant rule of the enrolling client (OPCP docs/04_authentication.md; src/auth tenant.ts): a CN
 * that is an identifier of the domain must belong to the caller. A CN that is no identifier is left
 * to the CA's CN rule (refused, or accepted in lenient CPO mode).
 */
function checkTenant(principal: Principal, label: EstCa, commonNames: readonly string[]): void {
  const cn = commonNames.length === 1 ? (commonNames[0] as string) : undefined;
  if (cn === undefined) return;
  if (label === 'cpo') {
    const evse = parseEvseId(cn);
    const secc = evse.ok ? undefined : parseSeccId(cn);
    const id = evse.ok ? evse.value : secc?.ok === true ? secc.value : undefined;
    if (id !== undefined) {
      assertTenant(
        canAccessOperator(principal, `${id.countryCode}${id.operatorId}`),
        `operator ${id.countryCode}*${id.operatorId} of CN "${cn}"`,
      );
    }
  } else if (label === 'mo') {
    if (parseEmaid(cn).ok) assertTenant(canAccessEmaid(principal, cn), `EMAID ${cn}`);
  } else if (label === 'oem') {
    if (parsePcid(cn).ok) assertTenant(canAccessPcid(principal, cn), `PCID ${cn}`);
  }
}
