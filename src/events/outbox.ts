// The EventSink implementation: validates an event, writes it to events_outbox and fans it out to one
// delivery row per matching endpoint, all inside the caller's transaction (transactional outbox). The
// body of each delivery is rendered here, once, so every retry sends the same bytes with the same
// eventId (receivers deduplicate on it).
//
// Who receives what (D-102): an endpoint receives an event when it is enabled, subscribed to the
// event's type, and
//   - root.cert.*: always (ALL roles);
//   - oem.contract.*: its role is OEM and the event's WMI (first 3 characters of the PCID) is one of
//     its WMIs, or its role is ADMIN;
//   - mo.* / emsp.*: its role is MO and the event's provider ID (first 5 characters of the normalised
//     EMAID) is one of its provider IDs, or its role is ADMIN;
//   - ADMIN endpoints: additionally narrowed by their WMI / provider ID filters when given.
// An endpoint's tenants were checked against its owner's scope when it was created (./endpoints.ts),
// so a partner never receives an event about another tenant's vehicle or contract.

import { AsyncResource } from 'node:async_hooks';
import { type Clock, type RandomSource, randomUuid } from '../app/runtime.ts';
import { normaliseProviderId } from '../auth/scope.ts';
import { appError } from '../errors/catalogue.ts';
import { msgDefNamespaceFor } from '../pool-inputs/iso-namespace.ts';
import type { Tx } from '../storage/types.ts';
import type {
  AnyEvent,
  ContractEventData,
  EventSink,
  PoolEvent,
  RaisedEvent,
  RaiseOptions,
  RootEventData,
} from './event-sink.ts';
import { type EndpointRecord, insertDelivery, insertEvent, subscribersOf } from './repository.ts';
import {
  audienceOf,
  DELIVERY_EVENT_TYPES,
  deliveredEventName,
  type EventType,
  isEventType,
  isRootEventType,
} from './vocabulary.ts';

/** The tenant keys of an event. */
export interface EventTenants {
  readonly type: EventType;
  readonly wmi: string | null;
  readonly providerId: string | null;
}

/** Does this endpoint receive this event? (the rule in the header comment; pure) */
export function endpointReceives(
  endpoint: Pick<EndpointRecord, 'status' | 'role' | 'eventTypes' | 'wmis' | 'providerIds'>,
  event: EventTenants,
): boolean {
  if (endpoint.status !== 'enabled' || !endpoint.eventTypes.includes(event.type)) return false;
  const audience = audienceOf(event.type);
  if (audience === 'ALL') return true;
  if (endpoint.role === 'ADMIN') {
    const wmiOk = endpoint.wmis.length === 0 || (event.wmi !== null && endpoint.wmis.includes(event.wmi));
    const providerOk =
      endpoint.providerIds.length === 0 ||
      (event.providerId !== null && endpoint.providerIds.includes(event.providerId));
    return wmiOk && providerOk;
  }
  if (audience === 'OEM') {
    return endpoint.role === 'OEM' && event.wmi !== null && endpoint.wmis.includes(event.wmi);
  }
  return (
    endpoint.role === 'MO' && event.providerId !== null && endpoint.providerIds.includes(event.providerId)
  );
}

const PCID = /^[A-Za-z0-9]{17,18}$/;
const EMAID = /^[A-Z]{2}[A-Z0-9]{3}[A-Z0-9]{9,31}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;
const ROOT_TYPES = ['V2G', 'MO', 'OEM', 'PE'];

function invalid(message: string): never {
  throw appError('events.invalid-event', message);
}

function text(value: unknown, what: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(`${what} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function optionalText(value: unknown, what: string, max = 8192): string | undefined {
  return value === undefined ? undefined : text(value, what, max);
}

function fingerprint(value: unknown, what: string): string {
  const v = typeof value === 'string' ? value.replaceAll(':', '').toLowerCase() : '';
  if (!FINGERPRINT.test(v)) invalid(`${what} must be a SHA-256 fingerprint (64 hex digits)`);
  return v;
}

interface Prepared {
  readonly type: EventType;
  readonly wmi: string | null;
  readonly providerId: string | null;
  readonly pcid: string | null;
  readonly emaid: string | null;
  readonly rootFingerprint: string | null;
  /** xsdMsgDefNamespace (when the edition is known) and payload, in the specs' field order. */
  readonly content: { readonly xsdMsgDefNamespace?: string; readonly payload: Record<string, unknown> };
}

function namespaceOf(iso: unknown): { xsdMsgDefNamespace?: string } {
  if (iso === undefined) return {};
  if (iso !== 2 && iso !== 20) invalid('iso must be 2 or 20');
  // Both payload files (OPCP and OPNC webhook.payload.v1.json) name the -20 namespace
  // urn:iso:15118:20:2022:MsgDef, so both trees get the OPCP form.
  return { xsdMsgDefNamespace: msgDefNamespaceFor(iso, 'opcp') };
}

function prepareRoot(type: EventType, iso: unknown, root: RootEventData | undefined): Prepared {
  if (typeof root !== 'object' || root === null) invalid(`${type} needs root`);
  const fp = fingerprint(root.fingerprintSHA256, 'root.fingerprintSHA256');
  if (!ROOT_TYPES.includes(root.rootType)) invalid(`root.rootType must be one of ${ROOT_TYPES.join(', ')}`);
  const serial = optionalText(root.rootSerialNumber, 'root.rootSerialNumber', 64);
  if (serial !== undefined && !/^[0-9a-fA-F]+$/.test(serial)) invalid('root.rootSerialNumber must be hex');
  const signatureAlgorithm = optionalText(root.signatureAlgorithm, 'root.signatureAlgorithm', 64);
  const payload: Record<string, unknown> = {
    rootCertificateId: text(root.rootCertificateId, 'root.rootCertificateId', 128),
    distinguishedName: text(root.distinguishedName, 'root.distinguishedName'),
    commonName: text(root.commonName, 'root.commonName'),
    rootType: root.rootType,
    ...(serial === undefined ? {} : { rootSerialNumber: serial.toLowerCase() }),
    ...(signatureAlgorithm === undefined ? {} : { signatureAlgorithm }),
    fingerprintSHA256: fp,
  };
  return {
    type,
    wmi: null,
    providerId: null,
    pcid: null,
    emaid: null,
    rootFingerprint: fp,
    content: { ...namespaceOf(iso), payload },
  };
}

function prepareContract(type: EventType, e: ContractEventData): Prepared {
  if (typeof e.pcid !== 'string' || !PCID.test(e.pcid)) invalid('pcid must be 17-18 letters or digits');
  const normal = typeof e.emaid === 'string' ? e.emaid.replaceAll('-', '').toUpperCase() : '';
  if (!EMAID.test(normal) || e.emaid.length > 64) invalid('emaid is not an EMAID');
  const providerId = normaliseProviderId(normal.slice(0, 5));
  if (providerId === undefined) invalid('emaid has no provider ID');
  const contractCert = optionalText(e.contractCert, 'contractCert', 8192);
  if (contractCert !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(contractCert)) {
    invalid('contractCert must be base64 (DER)');
  }
  const cpsFp =
    e.cpsSignerRootFingerprint === undefined
      ? undefined
      : fingerprint(e.cpsSignerRootFingerprint, 'cpsSignerRootFingerprint');
  const cpsCn = optionalText(e.cpsSignerRootCommonName, 'cpsSignerRootCommonName', 1024);
  const signatureAlgorithm = optionalText(e.signatureAlgorithm, 'signatureAlgorithm', 64);
  const payload: Record<string, unknown> = {
    emaid: e.emaid,
    pcid: e.pcid,
    ...(contractCert === undefined ? {} : { contractCert }),
    ...(cpsFp === undefined ? {} : { cpsSignerRootFingerprint: cpsFp }),
    ...(cpsCn === undefined ? {} : { cpsSignerRootCommonName: cpsCn }),
    ...(signatureAlgorithm === undefined ? {} : { signatureAlgorithm }),
  };
  return {
    type,
    wmi: e.pcid.slice(0, 3).toUpperCase(),
    providerId,
    pcid: e.pcid,
    emaid: normal,
    rootFingerprint: cpsFp ?? null,
    content: { ...namespaceOf(e.iso), payload },
  };
}

export function prepareEvent(event: AnyEvent): Prepared {
  if (typeof event !== 'object' || event === null || !isEventType(event.type)) {
    invalid(`unknown event type ${JSON.stringify((event as { type?: unknown } | null)?.type)}`);
  }
  if (isRootEventType(event.type)) {
    const root = event as { iso?: unknown; root?: RootEventData };
    return prepareRoot(event.type, root.iso, root.root);
  }
  return prepareContract(event.type, event as ContractEventData);
}

/**
 * The JSON body of a delivery: `{timestamp, eventId, eventType, xsdMsgDefNamespace?, payload}` (OPCP /
 * OPNC webhook.payload.v1.json), rendered once per delivery.
 */
export function renderBody(
  eventId: string,
  occurredAt: Date,
  eventName: string,
  content: { readonly xsdMsgDefNamespace?: string; readonly payload: unknown },
): string {
  return JSON.stringify({
    timestamp: occurredAt.toISOString(),
    eventId,
    eventType: eventName,
    ...(content.xsdMsgDefNamespace === undefined ? {} : { xsdMsgDefNamespace: content.xsdMsgDefNamespace }),
    payload: content.payload,
  });
}

export interface EventOutboxDeps {
  readonly clock: Clock;
  readonly random: RandomSource;
}

export class EventOutbox implements EventSink {
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #listeners = new Set<() => void>();

  constructor(deps: EventOutboxDeps) {
    this.#clock = deps.clock;
    this.#random = deps.random;
  }

  /**
   * Calls `listener` soon after each raise (the delivery worker's wake-up). A hint only: the
   * transaction may not have committed yet; the worker's polling finds the event in any case.
   */
  onRaised(listener: () => void): () => void {
    // Bound to the caller's async context: raise() runs inside a transaction, and a callback that
    // inherited that context would count as nested in it (the storage refuses nested transactions).
    const bound = AsyncResource.bind(listener);
    this.#listeners.add(bound);
    return () => this.#listeners.delete(bound);
  }

  raise(tx: Tx, event: PoolEvent, options: RaiseOptions = {}): Promise<RaisedEvent> {
    if (
      typeof event === 'object' &&
      event !== null &&
      (DELIVERY_EVENT_TYPES as readonly string[]).includes(event.type)
    ) {
      invalid(`${event.type} is raised by the delivery worker, not by a pool`);
    }
    return this.raiseAny(tx, event, options);
  }

  /** raise() for every type, the worker's derived events included. */
  async raiseAny(tx: Tx, event: AnyEvent, options: RaiseOptions = {}): Promise<RaisedEvent> {
    const prepared = prepareEvent(event);
    const eventId = randomUuid(this.#random);
    const at = this.#clock.now();
    await insertEvent(tx, {
      id: eventId,
      type: prepared.type,
      occurredAt: at,
      pcid: prepared.pcid,
      emaid: prepared.emaid,
      wmi: prepared.wmi,
      providerId: prepared.providerId,
      rootFingerprint: prepared.rootFingerprint,
      data: JSON.stringify(prepared.content),
      actor: options.actor ?? 'system',
      causeEventId: options.causeEventId ?? null,
    });
    let deliveries = 0;
    for (const endpoint of await subscribersOf(tx, prepared.type)) {
      if (!endpointReceives(endpoint, prepared)) continue;
      const eventName = deliveredEventName(prepared.type, endpoint.eventNames, endpoint.tree);
      await insertDelivery(tx, {
        eventId,
        endpointId: endpoint.id,
        eventName,
        body: renderBody(eventId, at, eventName, prepared.content),
        at,
      });
      deliveries++;
    }
    if (deliveries > 0) {
      for (const listener of this.#listeners) setImmediate(listener);
    }
    return { eventId, deliveries };
  }
}
