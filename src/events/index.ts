// The webhook service (docs/events.md): the event sink the pools raise events through, endpoint
// subscriptions over HTTP (both trees), and the delivery worker started by `pnc serve`.

import type { Clock, RandomSource } from '../app/runtime.ts';
import type { Auth } from '../auth/index.ts';
import type { AppConfig } from '../config/fields.ts';
import type { RouteModule } from '../http/server.ts';
import type { Database } from '../storage/types.ts';
import { EndpointService } from './endpoints.ts';
import { EventOutbox } from './outbox.ts';
import { eventRoutes } from './routes.ts';
import { DeliveryWorker, type WorkerLogger } from './worker.ts';

export { EndpointService, endpointView } from './endpoints.ts';
export type {
  AnyEvent,
  ContractEventData,
  ContractPoolEvent,
  EventSink,
  PoolEvent,
  RaisedEvent,
  RootEventData,
  RootPoolEvent,
} from './event-sink.ts';
export { EVENTS_MIGRATIONS } from './migrations.ts';
export { EventOutbox, endpointReceives } from './outbox.ts';
export { ENDPOINT_PATHS, eventRoutes } from './routes.ts';
export { signatureHeaders, verifySignature, verifyTimedSignature } from './signature.ts';
export { EVENT_TYPES, type EventType } from './vocabulary.ts';
export { DeliveryWorker } from './worker.ts';

export type EventsConfig = Pick<
  AppConfig,
  | 'webhookRetries'
  | 'webhookRetryDelaySeconds'
  | 'webhookAllowHttp'
  | 'webhookAllowPrivateNetworks'
  | 'webhookTimeoutMs'
  | 'webhookPollIntervalMs'
>;

export interface EventsDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly config: EventsConfig;
  readonly logger: WorkerLogger;
  readonly auth: Pick<Auth, 'requireAuth'>;
  /** The User-Agent of deliveries (`pnc-webhooks/<version>`). */
  readonly userAgent?: string;
}

export interface Events {
  /** What the pools take in their constructors: `sink.raise(tx, event)`. */
  readonly sink: EventOutbox;
  readonly endpoints: EndpointService;
  readonly worker: DeliveryWorker;
  readonly routes: readonly RouteModule[];
}

export function createEvents(deps: EventsDeps): Events {
  const sink = new EventOutbox({ clock: deps.clock, random: deps.random });
  const endpoints = new EndpointService({
    db: deps.db,
    clock: deps.clock,
    random: deps.random,
    allowHttp: deps.config.webhookAllowHttp,
    allowPrivateNetworks: deps.config.webhookAllowPrivateNetworks,
  });
  const worker = new DeliveryWorker({
    db: deps.db,
    clock: deps.clock,
    random: deps.random,
    outbox: sink,
    logger: deps.logger,
    options: {
      retries: deps.config.webhookRetries,
      retryDelaySeconds: deps.config.webhookRetryDelaySeconds,
      timeoutMs: deps.config.webhookTimeoutMs,
      pollIntervalMs: deps.config.webhookPollIntervalMs,
      allowPrivateNetworks: deps.config.webhookAllowPrivateNetworks,
      ...(deps.userAgent === undefined ? {} : { userAgent: deps.userAgent }),
    },
  });
  return { sink, endpoints, worker, routes: [eventRoutes({ endpoints, auth: deps.auth })] };
}
