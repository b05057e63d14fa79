// All SQL of the webhook service (tables: ./migrations.ts). Methods that are steps of a larger change
// take the caller's Tx; reads outside a change take the Database.

import type { Role } from '../auth/principal.ts';
import type { Database, SqlValue, Tx } from '../storage/types.ts';
import type { EventType, Tree } from './vocabulary.ts';

export type EndpointStatus = 'enabled' | 'disabled';

export interface EndpointRecord {
  readonly id: string;
  readonly tree: Tree;
  /** The client that created it (informational; access follows role and tenants, D-103). */
  readonly ownerClientId: string;
  /** Role of the owner: decides which events it may receive (D-102). */
  readonly role: Role;
  readonly url: string;
  /** HMAC-SHA256 key of the signatures. Never logged. */
  readonly secret: string;
  readonly description: string | null;
  readonly apiVersion: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: EndpointStatus;
  /** The names as subscribed (either vocabulary): the delivered `eventType` follows them. */
  readonly eventNames: readonly string[];
  readonly eventTypes: readonly EventType[];
  /** Tenants of the endpoint (normalised): the filter, or the owner's scope when none was given. */
  readonly wmis: readonly string[];
  readonly providerIds: readonly string[];
  readonly operatorIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface EndpointRow {
  id: string;
  tree: string;
  owner_client_id: string;
  role: string;
  url: string;
  secret: string;
  description: string | null;
  api_version: string;
  metadata: string;
  status: string;
  event_names: string;
  event_types: string;
  wmis: string;
  provider_ids: string;
  operator_ids: string;
  created_at: number | bigint;
  updated_at: number | bigint;
}

const ENDPOINT_COLUMNS =
  'id, tree, owner_client_id, role, url, secret, description, api_version, metadata, status, event_names, event_types, wmis, provider_ids, operator_ids, created_at, updated_at';

/** `,a,b,` so that one LIKE '%,type,%' finds the subscribers of a type. */
function typeList(types: readonly EventType[]): string {
  return types.length === 0 ? ',' : `,${types.join(',')},`;
}

function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    id: row.id,
    tree: row.tree as Tree,
    ownerClientId: row.owner_client_id,
    role: row.role as Role,
    url: row.url,
    secret: row.secret,
    description: row.description,
    apiVersion: row.api_version,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    status: row.status as EndpointStatus,
    eventNames: JSON.parse(row.event_names) as string[],
    eventTypes: row.event_types.split(',').filter((t) => t !== '') as EventType[],
    wmis: JSON.parse(row.wmis) as string[],
    providerIds: JSON.parse(row.provider_ids) as string[],
    operatorIds: JSON.parse(row.operator_ids) as string[],
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

function endpointParams(e: EndpointRecord): SqlValue[] {
  return [
    e.id,
    e.tree,
    e.ownerClientId,
    e.role,
    e.url,
    e.secret,
    e.description,
    e.apiVersion,
    JSON.stringify(e.metadata),
    e.status,
    JSON.stringify(e.eventNames),
    typeList(e.eventTypes),
    JSON.stringify(e.wmis),
    JSON.stringify(e.providerIds),
    JSON.stringify(e.operatorIds),
    e.createdAt.getTime(),
    e.updatedAt.getTime(),
  ];
}

type Reader = Pick<Database, 'query'> | Tx;

export async function insertEndpoint(tx: Tx, e: EndpointRecord): Promise<void> {
  await tx.execute(
    `INSERT INTO events_endpoints (${ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    endpointParams(e),
  );
}

export async function updateEndpoint(tx: Tx, e: EndpointRecord): Promise<void> {
  await tx.execute(
    'UPDATE events_endpoints SET tree = $2, owner_client_id = $3, role = $4, url = $5, secret = $6, description = $7, api_version = $8, metadata = $9, status = $10, event_names = $11, event_types = $12, wmis = $13, provider_ids = $14, operator_ids = $15, created_at = $16, updated_at = $17 WHERE id = $1',
    endpointParams(e),
  );
}

export async function findEndpoint(db: Reader, id: string): Promise<EndpointRecord | undefined> {
  const rows = await db.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM events_endpoints WHERE id = $1`, [
    id,
  ]);
  return rows[0] === undefined ? undefined : toEndpoint(rows[0]);
}

export async function listEndpoints(db: Reader, role?: Role): Promise<EndpointRecord[]> {
  const rows =
    role === undefined
      ? await db.query<EndpointRow>(
          `SELECT ${ENDPOINT_COLUMNS} FROM events_endpoints ORDER BY created_at, id`,
        )
      : await db.query<EndpointRow>(
          `SELECT ${ENDPOINT_COLUMNS} FROM events_endpoints WHERE role = $1 ORDER BY created_at, id`,
          [role],
        );
  return rows.map(toEndpoint);
}

/** Enabled endpoints subscribed to the type (the tenant rules are applied by the caller). */
export async function subscribersOf(tx: Tx, type: EventType): Promise<EndpointRecord[]> {
  const rows = await tx.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM events_endpoints WHERE status = 'enabled' AND event_types LIKE $1 ORDER BY id`,
    [`%,${type},%`],
  );
  return rows.map(toEndpoint);
}

/** Deletes the endpoint and cancels its unfinished deliveries; false when it did not exist. */
export async function deleteEndpoint(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { changes } = await tx.execute('DELETE FROM events_endpoints WHERE id = $1', [id]);
  if (changes === 0) return false;
  await tx.execute(
    "UPDATE events_deliveries SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = $2, finished_at = $2 WHERE endpoint_id = $1 AND status = 'pending'",
    [id, now.getTime()],
  );
  return true;
}

// --- outbox ------------------------------------------------------------------------------------------

export interface OutboxRecord {
  readonly id: string;
  readonly type: EventType;
  readonly occurredAt: Date;
  readonly pcid: string | null;
  readonly emaid: string | null;
  readonly wmi: string | null;
  readonly providerId: string | null;
  readonly rootFingerprint: string | null;
  /** `{xsdMsgDefNamespace?, payload}` as JSON text. */
  readonly data: string;
  readonly actor: string;
  readonly causeEventId: string | null;
}

export async function insertEvent(tx: Tx, e: OutboxRecord): Promise<void> {
  await tx.execute(
    'INSERT INTO events_outbox (id, type, occurred_at, pcid, emaid, wmi, provider_id, root_fingerprint, data, actor, cause_event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
    [
      e.id,
      e.type,
      e.occurredAt.getTime(),
      e.pcid,
      e.emaid,
      e.wmi,
      e.providerId,
      e.rootFingerprint,
      e.data,
      e.actor,
      e.causeEventId,
    ],
  );
}

interface OutboxRow {
  id: string;
  type: string;
  occurred_at: number | bigint;
  pcid: string | null;
  emaid: string | null;
  wmi: string | null;
  provider_id: string | null;
  root_fingerprint: string | null;
  data: string;
  actor: string;
  cause_event_id: string | null;
}

export async function findEvent(db: Reader, id: string): Promise<OutboxRecord | undefined> {
  const rows = await db.query<OutboxRow>(
    'SELECT id, type, occurred_at, pcid, emaid, wmi, provider_id, root_fingerprint, data, actor, cause_event_id FROM events_outbox WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    id: row.id,
    type: row.type as EventType,
    occurredAt: new Date(Number(row.occurred_at)),
    pcid: row.pcid,
    emaid: row.emaid,
    wmi: row.wmi,
    providerId: row.provider_id,
    rootFingerprint: row.root_fingerprint,
    data: row.data,
    actor: row.actor,
    causeEventId: row.cause_event_id,
  };
}

// --- deliveries ----------------------------------------------------------------------------------------

/** pending: waiting or in flight (leased); the others are final. */
export type DeliveryStatus = 'pending' | 'delivered' | 'rejected' | 'failed' | 'cancelled';

export interface DeliveryRecord {
  readonly id: number;
  readonly eventId: string;
  readonly endpointId: string;
  readonly eventName: string;
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly leaseOwner: string | null;
  readonly leaseUntil: Date | null;
  readonly lastHttpStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

interface DeliveryRow {
  id: number | bigint;
  event_id: string;
  endpoint_id: string;
  event_name: string;
  body: string;
  status: string;
  attempts: number | bigint;
  next_attempt_at: number | bigint;
  lease_owner: string | null;
  lease_until: number | bigint | null;
  last_http_status: number | bigint | null;
  last_error: string | null;
  created_at: number | bigint;
  updated_at: number | bigint;
  finished_at: number | bigint | null;
}

const DELIVERY_COLUMNS =
  'id, event_id, endpoint_id, event_name, body, status, attempts, next_attempt_at, lease_owner, lease_until, last_http_status, last_error, created_at, updated_at, finished_at';

const dateOrNull = (v: number | bigint | null) => (v === null ? null : new Date(Number(v)));

function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    eventName: row.event_name,
    body: row.body,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    leaseOwner: row.lease_owner,
    leaseUntil: dateOrNull(row.lease_until),
    lastHttpStatus: row.last_http_status === null ? null : Number(row.last_http_status),
    lastError: row.last_error,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    finishedAt: dateOrNull(row.finished_at),
  };
}

export async function insertDelivery(
  tx: Tx,
  d: { eventId: string; endpointId: string; eventName: string; body: string; at: Date },
): Promise<void> {
  await tx.execute(
    "INSERT INTO events_deliveries (event_id, endpoint_id, event_name, body, status, attempts, next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
    [d.eventId, d.endpointId, d.eventName, d.body, d.at.getTime()],
  );
}

export async function findDelivery(db: Reader, id: number): Promise<DeliveryRecord | undefined> {
  const rows = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM events_deliveries WHERE id = $1`,
    [id],
  );
  return rows[0] === undefined ? undefined : toDelivery(rows[0]);
}

export interface DeliveryQuery {
  readonly status?: DeliveryStatus;
  readonly eventId?: string;
  readonly endpointId?: string;
  /** Newest first, at most this many (default 100, at most 10 000). */
  readonly limit?: number;
}

export async function listDeliveries(db: Reader, q: DeliveryQuery = {}): Promise<DeliveryRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of [
    ['status', q.status],
    ['event_id', q.eventId],
    ['endpoint_id', q.endpointId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  params.push(Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 10_000));
  const rows = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM events_deliveries${
      where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toDelivery);
}

/**
 * Leases up to `limit` due deliveries of enabled endpoints to `owner` until `leaseUntil`: pending, due
 * (next_attempt_at <= now) and not leased by a live lease. The SELECT and the UPDATEs run in one
 * serializable transaction, and each UPDATE re-checks the lease, so two workers never hold the same
 * delivery; a worker that died leaves a lease that expires (then another takes the delivery over).
 */
export async function claimDue(
  tx: Tx,
  now: Date,
  owner: string,
  leaseUntil: Date,
  limit: number,
): Promise<DeliveryRecord[]> {
  const rows = await tx.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(
        ', ',
      )} FROM events_deliveries d JOIN events_endpoints e ON e.id = d.endpoint_id WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1) AND e.status = 'enabled' ORDER BY d.next_attempt_at, d.id LIMIT $2`,
    [now.getTime(), limit],
  );
  const claimed: DeliveryRecord[] = [];
  for (const row of rows) {
    const { changes } = await tx.execute(
      "UPDATE events_deliveries SET lease_owner = $2, lease_until = $3, updated_at = $4 WHERE id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $4)",
      [row.id, owner, leaseUntil.getTime(), now.getTime()],
    );
    if (changes === 1) claimed.push({ ...toDelivery(row), leaseOwner: owner, leaseUntil });
  }
  return claimed;
}

/** The earliest next_attempt_at of a pending delivery, for the worker's sleep. */
export async function nextDueAt(db: Reader): Promise<Date | undefined> {
  const rows = await db.query<{ at: number | bigint | null }>(
    "SELECT MIN(next_attempt_at) AS at FROM events_deliveries WHERE status = 'pending'",
  );
  const at = rows[0]?.at;
  return at === null || at === undefined ? undefined : new Date(Number(at));
}

export interface AttemptOutcome {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly finishedAt: Date | null;
}

/**
 * Records the outcome of an attempt, only while `owner` still holds the lease; false when it does
 * not (the lease expired and another worker took the delivery over: its outcome counts).
 */
export async function recordOutcome(
  tx: Tx,
  id: number,
  owner: string,
  now: Date,
  o: AttemptOutcome,
): Promise<boolean> {
  const { changes } = await tx.execute(
    'UPDATE events_deliveries SET status = $3, attempts = $4, next_attempt_at = $5, last_http_status = $6, last_error = $7, finished_at = $8, updated_at = $9, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2',
    [
      id,
      owner,
      o.status,
      o.attempts,
      o.nextAttemptAt.getTime(),
      o.httpStatus,
      o.error,
      o.finishedAt === null ? null : o.finishedAt.getTime(),
      now.getTime(),
    ],
  );
  return changes === 1;
}

export interface AttemptRecord {
  readonly deliveryId: number;
  readonly attempt: number;
  readonly worker: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly httpStatus: number | null;
  readonly error: string | null;
  /** delivered, rejected (400 / 409), retry (will be retried), failed (no retry left). */
  readonly outcome: 'delivered' | 'rejected' | 'retry' | 'failed';
}

export async function insertAttempt(tx: Tx, a: AttemptRecord): Promise<void> {
  await tx.execute(
    'INSERT INTO events_attempts (delivery_id, attempt, worker, started_at, finished_at, http_status, error, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [
      a.deliveryId,
      a.attempt,
      a.worker,
      a.startedAt.getTime(),
      a.finishedAt.getTime(),
      a.httpStatus,
      a.error,
      a.outcome,
    ],
  );
}

export async function listAttempts(db: Reader, deliveryId: number): Promise<AttemptRecord[]> {
  const rows = await db.query<{
    delivery_id: number | bigint;
    attempt: number | bigint;
    worker: string;
    started_at: number | bigint;
    finished_at: number | bigint;
    http_status: number | bigint | null;
    error: string | null;
    outcome: string;
  }>(
    'SELECT delivery_id, attempt, worker, started_at, finished_at, http_status, error, outcome FROM events_attempts WHERE delivery_id = $1 ORDER BY attempt, id',
    [deliveryId],
  );
  return rows.map((r) => ({
    deliveryId: Number(r.delivery_id),
    attempt: Number(r.attempt),
    worker: r.worker,
    startedAt: new Date(Number(r.started_at)),
    finishedAt: new Date(Number(r.finished_at)),
    httpStatus: r.http_status === null ? null : Number(r.http_status),
    error: r.error,
    outcome: r.outcome as AttemptRecord['outcome'],
  }));
}

/** Makes a delivery due now with a fresh retry budget (pnc events retry); false when unknown. */
export async function resetDelivery(tx: Tx, id: number, now: Date): Promise<boolean> {
  const { changes } = await tx.execute(
    "UPDATE events_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, finished_at = NULL, updated_at = $2 WHERE id = $1",
    [id, now.getTime()],
  );
  return changes === 1;
}

/** Events removed by one pruning transaction at most (bounded work and lock time per transaction). */
export const PRUNE_BATCH = 500;

/**
 * Removes, inside `tx`, up to PRUNE_BATCH events raised before `before` (epoch ms) none of whose
 * deliveries is still pending, with their deliveries and delivery log (D-178). Returns how many
 * events, deliveries and attempts went.
 */
export async function pruneFinishedEvents(
  tx: Tx,
  before: number,
): Promise<{ events: number; deliveries: number; attempts: number }> {
  const rows = await tx.query<{ id: string }>(
    `SELECT o.id FROM events_outbox o WHERE o.occurred_at < $1 AND NOT EXISTS (
       SELECT 1 FROM events_deliveries d WHERE d.event_id = o.id AND d.status = 'pending'
     ) ORDER BY o.occurred_at, o.id LIMIT $2`,
    [before, PRUNE_BATCH],
  );
  let events = 0;
  let deliveries = 0;
  let attempts = 0;
  for (const { id } of rows) {
    attempts += (
      await tx.execute(
        'DELETE FROM events_attempts WHERE delivery_id IN (SELECT id FROM events_deliveries WHERE event_id = $1)',
        [id],
      )
    ).changes;
    deliveries += (await tx.execute('DELETE FROM events_deliveries WHERE event_id = $1', [id])).changes;
    events += (await tx.execute('DELETE FROM events_outbox WHERE id = $1', [id])).changes;
  }
  return { events, deliveries, attempts };
}
