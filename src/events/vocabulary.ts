// The event vocabulary of the webhook service: one canonical name per event (the OPCP spelling), the
// names each API tree uses for it, and who may receive it. OPCP 1.0.0 docs/components/06 "Available
// Events" and OPNC docs/components/06 list the same events; OPCP prefixes the eMSP events `mo.`, OPNC's
// subscription enum (components/schemas/eventEnum.v1.json) `emsp.`, while OPNC's payload file still
// says `mo.` (spec-gaps.md item 24: "map both vocabularies"). Decisions D-100, D-101.

/** Canonical event types (OPCP names). */
export const EVENT_TYPES = [
  'root.cert.added',
  'root.cert.expired',
  'root.cert.revoked',
  'mo.prov.cert.deleted',
  'mo.prov.cert.updated',
  'mo.prov.cert.factory.reset',
  'mo.contract.created.sent.to.oem',
  'mo.contract.updated.sent.to.oem',
  'mo.contract.deleted.sent.to.oem',
  'mo.contract.delivered.to.oem',
  'mo.contract.rejected.by.oem',
  'mo.contract.queued.to.oem',
  'oem.contract.created',
  'oem.contract.updated',
  'oem.contract.deleted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const ROOT_EVENT_TYPES = ['root.cert.added', 'root.cert.expired', 'root.cert.revoked'] as const;
export type RootEventType = (typeof ROOT_EVENT_TYPES)[number];

export const OEM_CONTRACT_EVENT_TYPES = [
  'oem.contract.created',
  'oem.contract.updated',
  'oem.contract.deleted',
] as const;
export type OemContractEventType = (typeof OEM_CONTRACT_EVENT_TYPES)[number];

/** Raised by the delivery worker from the outcome of an oem.contract.* delivery, never by a pool. */
export const DELIVERY_EVENT_TYPES = [
  'mo.contract.created.sent.to.oem',
  'mo.contract.updated.sent.to.oem',
  'mo.contract.deleted.sent.to.oem',
  'mo.contract.rejected.by.oem',
  'mo.contract.queued.to.oem',
] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

/** Events about a vehicle and a contract (payload `{emaid, pcid, ...}`). */
export type ContractEventType = Exclude<EventType, RootEventType>;

/** Raised by the pools (src/rcp, src/pcp, src/ccp) through the EventSink. */
export type PoolEventType = Exclude<EventType, DeliveryEventType>;

/**
 * Who an event is for ("Relevant for Role"): ALL = every subscriber; OEM = keyed by the WMI of the
 * PCID; MO = keyed by the provider ID of the EMAID.
 */
export type Audience = 'ALL' | 'OEM' | 'MO';

export function audienceOf(type: EventType): Audience {
  if (type.startsWith('root.')) return 'ALL';
  if (type.startsWith('oem.')) return 'OEM';
  return 'MO';
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

export function isRootEventType(type: EventType): type is RootEventType {
  return (ROOT_EVENT_TYPES as readonly string[]).includes(type);
}

export function isOemContractEventType(type: EventType): type is OemContractEventType {
  return (OEM_CONTRACT_EVENT_TYPES as readonly string[]).includes(type);
}

/** The API tree an endpoint was created on; it picks the default names delivered to it. */
export type Tree = 'opcp' | 'opnc';

// Names that differ from "canonical with mo. → emsp.": OPCP's deprecated
// `mo.prov.cert.updated.factory.reset` (in webhooks.v1.json's Event enum, without the factory.reset
// event itself) and OPNC's eventEnum `emsp.prov.cert.updated.factory.reset` (its docs table says
// `mo.prov.cert.factory.reset`). spec-gaps.md item 24 pairs the OPNC name with OPCP's factory reset;
// we read both `…updated.factory.reset` names as the factory reset (D-101).
const ALIASES: Readonly<Record<string, EventType>> = {
  'mo.prov.cert.updated.factory.reset': 'mo.prov.cert.factory.reset',
  'emsp.prov.cert.updated.factory.reset': 'mo.prov.cert.factory.reset',
};

/**
 * The canonical type of a subscribable name from either vocabulary (`mo.*`, `emsp.*`, the aliases),
 * case-sensitive as in the specs; undefined for an unknown name.
 */
export function canonicalEventType(name: string): EventType | undefined {
  if (isEventType(name)) return name;
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  if (name.startsWith('emsp.')) {
    const mo = `mo.${name.slice('emsp.'.length)}`;
    if (isEventType(mo)) return mo;
  }
  return undefined;
}

/** Every accepted name (for messages and the OpenAPI enum). */
export const SUBSCRIBABLE_EVENT_NAMES: readonly string[] = [
  ...EVENT_TYPES,
  ...EVENT_TYPES.filter((t) => t.startsWith('mo.')).map((t) => `emsp.${t.slice(3)}`),
  ...Object.keys(ALIASES),
].filter((name, i, all) => all.indexOf(name) === i);

/** The default name of an event for a tree: OPCP `mo.*`; OPNC `emsp.*` (its subscription enum). */
export function defaultEventName(type: EventType, tree: Tree): string {
  if (tree === 'opcp' || !type.startsWith('mo.')) return type;
  if (type === 'mo.prov.cert.factory.reset') return 'emsp.prov.cert.updated.factory.reset';
  return `emsp.${type.slice(3)}`;
}

/**
 * The `eventType` delivered to an endpoint: the name the endpoint subscribed with (so a subscriber
 * gets back exactly the names it asked for), else the tree's default.
 */
export function deliveredEventName(type: EventType, subscribedNames: readonly string[], tree: Tree): string {
  for (const name of subscribedNames) if (canonicalEventType(name) === type) return name;
  return defaultEventName(type, tree);
}
