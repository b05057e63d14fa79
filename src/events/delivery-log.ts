// The delivery log as operators see it (`pnc events list|retry`): deliveries with their endpoint,
// status and attempts, and a manual retry that makes a delivery due now with a fresh retry budget.

import type { Clock } from '../app/runtime.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database } from '../storage/types.ts';
import {
  type AttemptRecord,
  type DeliveryQuery,
  type DeliveryStatus,
  findDelivery,
  findEndpoint,
  listAttempts,
  listDeliveries,
  listEndpoints,
  resetDelivery,
} from './repository.ts';

export interface DeliveryView {
  readonly id: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpointId: string;
  /** null when the endpoint was deleted. */
  readonly url: string | null;
  readonly status: DeliveryStatus;
  /** Finished attempts. */
  readonly attempts: number;
  readonly inFlight: boolean;
  readonly nextAttemptAt: string | null;
  readonly lastHttpStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly log?: readonly {
    attempt: number;
    at: string;
    httpStatus: number | null;
    error: string | null;
    outcome: AttemptRecord['outcome'];
  }[];
}

export async function deliveryViews(
  db: Database,
  query: DeliveryQuery,
  now: Date,
  withLog = false,
): Promise<DeliveryView[]> {
  const deliveries = await listDeliveries(db, query);
  const urls = new Map((await listEndpoints(db)).map((e) => [e.id, e.url]));
  const views: DeliveryView[] = [];
  for (const d of deliveries) {
    const log = withLog ? await listAttempts(db, d.id) : undefined;
    views.push({
      id: d.id,
      eventId: d.eventId,
      eventType: (JSON.parse(d.body) as { eventType?: string }).eventType ?? d.eventName,
      endpointId: d.endpointId,
      url: urls.get(d.endpointId) ?? null,
      status: d.status,
      attempts: d.attempts,
      inFlight: d.status === 'pending' && d.leaseUntil !== null && d.leaseUntil.getTime() > now.getTime(),
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
      lastHttpStatus: d.lastHttpStatus,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      finishedAt: d.finishedAt?.toISOString() ?? null,
      ...(log === undefined
        ? {}
        : {
            log: log.map((a) => ({
              attempt: a.attempt,
              at: a.startedAt.toISOString(),
              httpStatus: a.httpStatus,
              error: a.error,
              outcome: a.outcome,
            })),
          }),
    });
  }
  return views;
}

/**
 * Makes the delivery due now with a fresh retry budget (also a delivered one: receivers deduplicate
 * on the eventId), with an audit record. A running `pnc serve` sends it on its next poll.
 */
export async function retryDelivery(db: Database, id: number, clock: Clock, actor: string): Promise<void> {
  const now = clock.now();
  await db.transaction(async (tx) => {
    const delivery = await findDelivery(tx, id);
    if (delivery === undefined) throw appError('events.delivery-not-found', `no delivery ${id}`);
    if ((await findEndpoint(tx, delivery.endpointId)) === undefined) {
      throw appError('events.delivery-not-retryable', `delivery ${id}: its endpoint was deleted`);
    }
    await resetDelivery(tx, id, now);
    await appendAudit(tx, {
      at: now,
      actor,
      component: 'events',
      action: 'delivery.retried',
      subject: String(id),
      details: {
        eventId: delivery.eventId,
        endpointId: delivery.endpointId,
        previousStatus: delivery.status,
      },
    });
  });
}
