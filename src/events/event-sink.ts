// The API the pools call to raise webhook events: `sink.raise(tx, event)` inside the transaction of the
// change that causes the event (transactional outbox, docs/events.md). The event and one delivery row
// per matching endpoint are written in that same transaction, so a committed change always has its
// events and a rolled-back change never has any; the delivery worker (./worker.ts) sends them later.
//
//   await db.transaction(async (tx) => {
//     await repository.deleteContract(tx, id);
//     await appendAudit(tx, { ... });
//     await events.raise(tx, { type: 'oem.contract.deleted', pcid, emaid, iso: 2 });
//   });
//
// Which pool change raises which event: docs/events.md "Who raises what".

import type { Tx } from '../storage/types.ts';
import type { ContractEventType, DeliveryEventType, PoolEventType, RootEventType } from './vocabulary.ts';

/** Root type of the payload (OPCP / OPNC webhook.payload.v1.json `rootType`; PE from the RCP). */
export type EventRootType = 'V2G' | 'MO' | 'OEM' | 'PE';

/** The facts of a root event (payload of `root.cert.*`). */
export interface RootEventData {
  /** The RCP's id of the root (a UUID in both specs' payloads). */
  readonly rootCertificateId: string;
  /** RFC 4514 subject of the root. */
  readonly distinguishedName: string;
  readonly commonName: string;
  readonly rootType: EventRootType;
  /** Serial number, hex. */
  readonly rootSerialNumber?: string;
  /** `secp256r1` / `secp521r1` (the payload enum); other key types are passed as named. */
  readonly signatureAlgorithm?: string;
  /** SHA-256 of the DER, lower-case hex: the event's tenant key for roots. */
  readonly fingerprintSHA256: string;
}

export interface RootPoolEvent {
  readonly type: RootEventType;
  /** ISO 15118 edition of the root: xsdMsgDefNamespace of the payload. */
  readonly iso?: 2 | 20;
  readonly root: RootEventData;
}

/** The facts of a vehicle / contract event (payload `{emaid, pcid, ...}`). */
export interface ContractEventData {
  /** The vehicle (17-18 alphanumerics); its first three characters are the WMI (the OEM's key). */
  readonly pcid: string;
  /** The contract's EMAID, with or without hyphens; its first five characters are the MO's key. */
  readonly emaid: string;
  readonly iso?: 2 | 20;
  /** Contract certificate, base64 DER (oem.contract.created / updated). */
  readonly contractCert?: string;
  /** SHA-256 (hex) of the V2G root of the CPS signing chain. */
  readonly cpsSignerRootFingerprint?: string;
  readonly cpsSignerRootCommonName?: string;
  readonly signatureAlgorithm?: string;
}

export interface ContractPoolEvent extends ContractEventData {
  readonly type: Exclude<PoolEventType, RootEventType>;
}

/** What a pool raises. The `mo.contract.*.sent.to.oem`, `queued` and `rejected` events are the worker's. */
export type PoolEvent = RootPoolEvent | ContractPoolEvent;

/** Any event, including those the delivery worker derives from delivery outcomes. */
export type AnyEvent = RootPoolEvent | (ContractEventData & { readonly type: ContractEventType });

export interface RaiseOptions {
  /** Who caused it, for the event record (`client:<id>`, `cli`, `system`). */
  readonly actor?: string;
  /** For derived events: the event whose delivery caused this one. */
  readonly causeEventId?: string;
}

export interface RaisedEvent {
  /** The `eventId` of the payload (a UUID), the same on every delivery and retry. */
  readonly eventId: string;
  /** How many deliveries were queued (one per matching endpoint). */
  readonly deliveries: number;
}

/** Narrow interface the pools take in their constructors. */
export interface EventSink {
  /**
   * Records the event and queues its deliveries inside `tx` (the change's own transaction). Throws
   * AppError `events.invalid-event` for an event that cannot be delivered (a programming error).
   */
  raise(tx: Tx, event: PoolEvent, options?: RaiseOptions): Promise<RaisedEvent>;
}

export type { DeliveryEventType };
