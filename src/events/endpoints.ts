// Endpoint subscriptions (OPCP /v1/webhook/endpoints, OPNC /opnc/v1/event/endpoints): validation,
// tenant checks and access control, without HTTP types. Decisions D-102..D-106 (docs/events.md).
//
// - Both trees' field names are accepted (spec-gaps.md item 25): `enabledEvents` or `events`; `wmi` or
//   `wmis`; `providerIds` (or `providerId`). Event names of both vocabularies (./vocabulary.ts).
// - A role subscribes only to the events it may receive: CPO and CPS root.cert.*, OEM also
//   oem.contract.*, MO also mo.* / emsp.*, ADMIN everything (403 events.event-not-allowed).
// - The filter never exceeds the caller's scope: every WMI / provider ID given must be in it (403
//   auth.forbidden-tenant); without a filter the endpoint covers the caller's whole scope.
// - URL: absolute https; plain http only with PNC_WEBHOOK_ALLOW_HTTP=1; no user name or password.
// - Secret: given (16-256 printable characters) or generated (32 random bytes, base64url); shown in the
//   201 answer and by GET of the one endpoint (OPCP docs/components/06: "you can find it when you
//   create new endpoint ... or retrieving endpoint"), never in lists, never logged.
// - Access: ADMIN sees every endpoint; another role sees an endpoint of its role that its own client
//   created or whose tenants all lie in its scope (a partner's second client after a key rotation).
//   Others get 404 (existence is not revealed).

import { type Clock, type RandomSource, randomUuid } from '../app/runtime.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { normaliseProviderId, normaliseWmi } from '../auth/scope.ts';
import { assertTenant, canAccessOperator, canAccessProvider, canAccessWmi } from '../auth/tenant.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database } from '../storage/types.ts';
import { ipLiteralOf, isPublicAddress } from './address-policy.ts';
import {
  deleteEndpoint,
  type EndpointRecord,
  type EndpointStatus,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
} from './repository.ts';
import {
  audienceOf,
  canonicalEventType,
  type EventType,
  SUBSCRIBABLE_EVENT_NAMES,
  type Tree,
} from './vocabulary.ts';

export const MAX_URL_LENGTH = 2048;
export const MAX_EVENTS = 64;
export const MAX_FILTER_ENTRIES = 256;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_METADATA_BYTES = 4096;
export const MIN_SECRET_LENGTH = 16;
export const MAX_SECRET_LENGTH = 256;

/** The request body of create and update, with the field names of both trees. */
export interface EndpointInput {
  readonly url?: unknown;
  readonly enabledEvents?: unknown;
  readonly events?: unknown;
  readonly wmi?: unknown;
  readonly wmis?: unknown;
  readonly providerIds?: unknown;
  readonly providerId?: unknown;
  readonly description?: unknown;
  readonly metadata?: unknown;
  readonly status?: unknown;
  readonly apiVersion?: unknown;
  readonly secret?: unknown;
}

/** The endpoint object of both trees' responses (spec-gaps.md item 25: both field names). */
export interface EndpointView {
  readonly id: string;
  readonly apiVersion: string;
  readonly created: number;
  readonly description?: string;
  readonly enabledEvents: readonly string[];
  readonly events: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: EndpointStatus;
  readonly url: string;
  readonly secret?: string;
  readonly providerIds: readonly string[];
  readonly wmis: readonly string[];
  readonly wmi?: readonly string[];
  readonly userRole: string;
  readonly userName: string;
}

function bad(message: string): never {
  throw appError('events.invalid-endpoint', message);
}

/** Which events a role may subscribe to (its audience, "Relevant for Role"). */
export function roleMayReceive(role: Role, type: EventType): boolean {
  const audience = audienceOf(type);
  if (audience === 'ALL' || role === 'ADMIN') return true;
  return audience === role;
}

export function validateUrl(raw: unknown, allowHttp: boolean, allowPrivateNetworks: boolean): string {
  if (typeof raw !== 'string' || raw.length === 0) bad('url must be a non-empty string');
  if (raw.length > MAX_URL_LENGTH) bad(`url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    bad('url must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    bad(
      allowHttp
        ? 'url must be an https:// or http:// URL'
        : 'url must be an https:// URL (plain http only with PNC_WEBHOOK_ALLOW_HTTP=1)',
    );
  }
  if (url.username !== '' || url.password !== '') bad('url must not contain a user name or password');
  if (url.hash !== '') bad('url must not have a fragment');
  // D-177: refused at once where the URL itself names a non-public address; names are checked
  // when a delivery resolves them (./address-policy.ts).
  const literal = ipLiteralOf(url.hostname);
  if (
    !allowPrivateNetworks &&
    ((literal !== undefined && !isPublicAddress(literal)) || /^localhost\.?$/i.test(url.hostname))
  ) {
    bad(
      'url must name a public host (private, loopback and link-local addresses only with PNC_WEBHOOK_ALLOW_PRIVATE=1)',
    );
  }
  return url.href;
}

function stringArray(raw: unknown, field: string, max: number): string[] {
  if (!Array.isArray(raw)) bad(`${field} must be an array of strings`);
  if (raw.length > max) bad(`${field} may list at most ${max} entries`);
  for (const v of raw) if (typeof v !== 'string') bad(`${field} must be an array of strings`);
  return raw as string[];
}

function pick(input: EndpointInput, a: keyof EndpointInput, b: keyof EndpointInput): unknown {
  const x = input[a];
  const y = input[b];
  if (x !== undefined && y !== undefined && JSON.stringify(x) !== JSON.stringify(y)) {
    bad(`give either ${a} or ${b} (they are the same field in the two API trees), or the same value in both`);
  }
  return x ?? y;
}

function parseEvents(raw: unknown): { names: string[]; types: EventType[] } {
  const list = stringArray(raw, 'enabledEvents', MAX_EVENTS);
  if (list.length === 0) bad('enabledEvents must name at least one event');
  const names: string[] = [];
  const types: EventType[] = [];
  for (const name of list) {
    const type = canonicalEventType(name);
    if (type === undefined) {
      bad(
        `unknown event ${JSON.stringify(name.slice(0, 80))}; known: ${SUBSCRIBABLE_EVENT_NAMES.join(', ')}`,
      );
    }
    if (!names.includes(name)) names.push(name);
    if (!types.includes(type)) types.push(type);
  }
  return { names, types };
}

function parseList(raw: unknown, field: string, normalise: (v: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const v of stringArray(raw, field, MAX_FILTER_ENTRIES)) {
    const n = normalise(v);
    if (n === undefined) bad(`${field}: ${JSON.stringify(v.slice(0, 40))} is not valid`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function parseStatus(raw: unknown): EndpointStatus {
  if (raw === 'enabled' || raw === 'disabled') return raw;
  bad('status must be "enabled" or "disabled"');
}

function parseDescription(raw: unknown): string | null {
  if (raw === null) return null;
  if (typeof raw !== 'string' || raw.length > MAX_DESCRIPTION_LENGTH) {
    bad(`description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  return raw;
}

function parseMetadata(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('metadata must be an object');
  if (Buffer.byteLength(JSON.stringify(raw), 'utf8') > MAX_METADATA_BYTES) {
    bad(`metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  }
  return raw as Record<string, unknown>;
}

function parseApiVersion(raw: unknown): string {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9._-]{1,20}$/.test(raw)) {
    bad('apiVersion must be a short version string such as "v1"');
  }
  return raw;
}

function parseSecret(raw: unknown): string {
  if (
    typeof raw !== 'string' ||
    raw.length < MIN_SECRET_LENGTH ||
    raw.length > MAX_SECRET_LENGTH ||
    !/^[\x21-\x7e]+$/.test(raw)
  ) {
    // The value is never repeated in messages.
    bad(
      `secret must be ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} printable ASCII characters without spaces`,
    );
  }
  return raw;
}

/** The tenants of a new or changed endpoint: the filter (within the caller's scope) or the scope. */
function tenantsFor(
  principal: Principal,
  input: EndpointInput,
  previous: Pick<EndpointRecord, 'wmis' | 'providerIds' | 'operatorIds'> | undefined,
): { wmis: string[]; providerIds: string[]; operatorIds: string[] } {
  const rawWmis = pick(input, 'wmi', 'wmis');
  const rawProviders = pick(input, 'providerIds', 'providerId');
  const wmis = rawWmis === undefined ? undefined : parseList(rawWmis, 'wmis', (v) => normaliseWmi(v));
  const providerIds =
    rawProviders === undefined
      ? undefined
      : parseList(typeof rawProviders === 'string' ? [rawProviders] : rawProviders, 'providerIds', (v) =>
          normaliseProviderId(v),
        );
  for (const w of wmis ?? []) assertTenant(canAccessWmi(principal, w), `WMI ${w}`);
  for (const p of providerIds ?? []) assertTenant(canAccessProvider(principal, p), `provider ID ${p}`);
  const scope = principal.scope;
  if (principal.role === 'ADMIN') {
    return {
      wmis: wmis ?? [...(previous?.wmis ?? [])],
      providerIds: providerIds ?? [...(previous?.providerIds ?? [])],
      operatorIds: [],
    };
  }
  return {
    wmis: principal.role === 'OEM' ? (wmis ?? [...(previous?.wmis ?? scope.wmis)]) : [],
    providerIds:
      principal.role === 'MO' || principal.role === 'CPS'
        ? (providerIds ?? [...(previous?.providerIds ?? scope.providerIds)])
        : [],
    operatorIds: principal.role === 'CPO' ? [...scope.operatorIds] : [],
  };
}

/** May the principal see (and change) the endpoint? (D-103) */
export function canManage(principal: Principal, endpoint: EndpointRecord): boolean {
  if (principal.role === 'ADMIN') return true;
  if (principal.role !== endpoint.role) return false;
  if (principal.clientId === endpoint.ownerClientId) return true;
  const tenants = [
    ...endpoint.wmis.map((w) => canAccessWmi(principal, w)),
    ...endpoint.providerIds.map((p) => canAccessProvider(principal, p)),
    ...endpoint.operatorIds.map((o) => canAccessOperator(principal, o)),
  ];
  return tenants.length > 0 && tenants.every(Boolean);
}

export interface EndpointServiceDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** config.webhookAllowHttp. */
  readonly allowHttp: boolean;
  /** config.webhookAllowPrivateNetworks (D-177). */
  readonly allowPrivateNetworks: boolean;
}

export class EndpointService {
  readonly #deps: EndpointServiceDeps;

  constructor(deps: EndpointServiceDeps) {
    this.#deps = deps;
  }

  async create(principal: Principal, input: EndpointInput, tree: Tree): Promise<EndpointRecord> {
    if (typeof input !== 'object' || input === null) bad('the body must be a JSON object');
    const url = validateUrl(input.url, this.#deps.allowHttp, this.#deps.allowPrivateNetworks);
    const rawEvents = pick(input, 'enabledEvents', 'events');
    if (rawEvents === undefined) bad('enabledEvents is required');
    const { names, types } = parseEvents(rawEvents);
    this.#assertEventsAllowed(principal.role, types);
    const tenants = tenantsFor(principal, input, undefined);
    const now = this.#deps.clock.now();
    const endpoint: EndpointRecord = {
      id: randomUuid(this.#deps.random),
      tree,
      ownerClientId: principal.clientId,
      role: principal.role,
      url,
      secret:
        input.secret === undefined
          ? Buffer.from(this.#deps.random(32)).toString('base64url')
          : parseSecret(input.secret),
      description: input.description === undefined ? null : parseDescription(input.description),
      apiVersion: input.apiVersion === undefined ? 'v1' : parseApiVersion(input.apiVersion),
      metadata: input.metadata === undefined ? {} : parseMetadata(input.metadata),
      status: input.status === undefined ? 'enabled' : parseStatus(input.status),
      eventNames: names,
      eventTypes: types,
      ...tenants,
      createdAt: now,
      updatedAt: now,
    };
    await this.#deps.db.transaction(async (tx) => {
      await insertEndpoint(tx, endpoint);
      await appendAudit(tx, {
        at: now,
        actor: `client:${principal.clientId}`,
        component: 'events',
        action: 'endpoint.created',
        subject: endpoint.id,
        details: {
          url: endpoint.url,
          events: endpoint.eventNames,
          role: endpoint.role,
          status: endpoint.status,
        },
      });
    });
    return endpoint;
  }

  async list(principal: Principal): Promise<EndpointRecord[]> {
    const all = await listEndpoints(this.#deps.db, principal.role === 'ADMIN' ? undefined : principal.role);
    return all.filter((e) => canManage(principal, e));
  }

  async get(principal: Principal, id: string): Promise<EndpointRecord> {
    const endpoint = await findEndpoint(this.#deps.db, id);
    if (endpoint === undefined || !canManage(principal, endpoint)) throw this.#notFound(id);
    return endpoint;
  }

  async update(principal: Principal, id: string, input: EndpointInput): Promise<EndpointRecord> {
    if (typeof input !== 'object' || input === null) bad('the body must be a JSON object');
    const now = this.#deps.clock.now();
    return this.#deps.db.transaction(async (tx) => {
      const current = await findEndpoint(tx, id);
      if (current === undefined || !canManage(principal, current)) throw this.#notFound(id);
      const rawEvents = pick(input, 'enabledEvents', 'events');
      const events = rawEvents === undefined ? undefined : parseEvents(rawEvents);
      if (events !== undefined) this.#assertEventsAllowed(current.role, events.types);
      const filterGiven = [input.wmi, input.wmis, input.providerIds, input.providerId].some(
        (v) => v !== undefined,
      );
      if (filterGiven && principal.role !== current.role) {
        // ADMIN must not widen a partner's endpoint beyond the partner's scope, which it cannot see.
        throw appError(
          'auth.forbidden-tenant',
          'the tenant filter of an endpoint can only be changed by a client of its role',
        );
      }
      const tenants = filterGiven ? tenantsFor(principal, input, current) : current;
      const next: EndpointRecord = {
        ...current,
        url:
          input.url === undefined
            ? current.url
            : validateUrl(input.url, this.#deps.allowHttp, this.#deps.allowPrivateNetworks),
        eventNames: events?.names ?? current.eventNames,
        eventTypes: events?.types ?? current.eventTypes,
        wmis: tenants.wmis,
        providerIds: tenants.providerIds,
        operatorIds: tenants.operatorIds,
        secret: input.secret === undefined ? current.secret : parseSecret(input.secret),
        description:
          input.description === undefined ? current.description : parseDescription(input.description),
        apiVersion: input.apiVersion === undefined ? current.apiVersion : parseApiVersion(input.apiVersion),
        metadata: input.metadata === undefined ? current.metadata : parseMetadata(input.metadata),
        status: input.status === undefined ? current.status : parseStatus(input.status),
        updatedAt: now,
      };
      await updateEndpoint(tx, next);
      await appendAudit(tx, {
        at: now,
        actor: `client:${principal.clientId}`,
        component: 'events',
        action: 'endpoint.updated',
        subject: id,
        details: {
          url: next.url,
          events: next.eventNames,
          status: next.status,
          secretChanged: input.secret !== undefined,
        },
      });
      return next;
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const now = this.#deps.clock.now();
    await this.#deps.db.transaction(async (tx) => {
      const current = await findEndpoint(tx, id);
      if (current === undefined || !canManage(principal, current)) throw this.#notFound(id);
      await deleteEndpoint(tx, id, now);
      await appendAudit(tx, {
        at: now,
        actor: `client:${principal.clientId}`,
        component: 'events',
        action: 'endpoint.deleted',
        subject: id,
        details: { url: current.url },
      });
    });
  }

  #assertEventsAllowed(role: Role, types: readonly EventType[]): void {
    const refused = types.filter((t) => !roleMayReceive(role, t));
    if (refused.length > 0) {
      throw appError('events.event-not-allowed', `role ${role} cannot receive ${refused.join(', ')}`, {
        details: { role, refused },
      });
    }
  }

  #notFound(id: string) {
    return appError('events.endpoint-not-found', `no webhook endpoint ${JSON.stringify(id.slice(0, 64))}`);
  }
}

/** The response object; `secret` only when asked (create, get by id). */
export function endpointView(e: EndpointRecord, tree: Tree, withSecret: boolean): EndpointView {
  return {
    id: e.id,
    apiVersion: e.apiVersion,
    // Epoch seconds, as the specs' example (1623760573).
    created: Math.floor(e.createdAt.getTime() / 1000),
    ...(e.description === null ? {} : { description: e.description }),
    enabledEvents: e.eventNames,
    events: e.eventNames,
    metadata: e.metadata,
    status: e.status,
    url: e.url,
    ...(withSecret ? { secret: e.secret } : {}),
    providerIds: e.providerIds,
    wmis: e.wmis,
    // OPNC's create / update examples answer `wmi`.
    ...(tree === 'opnc' ? { wmi: e.wmis } : {}),
    // OPNC says eMSP where OPCP says MO.
    userRole: tree === 'opnc' && e.role === 'MO' ? 'eMSP' : e.role,
    userName: e.ownerClientId,
  };
}
