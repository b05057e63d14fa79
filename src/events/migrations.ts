// Tables of the webhook service (component `events`, docs/events.md):
//
//   events_endpoints   the subscriptions (URL, secret, events, tenant filter, owner's role)
//   events_outbox      every event, written in the transaction of the change that caused it
//   events_deliveries  one row per (event, endpoint): status, attempts, due time, lease
//   events_attempts    the delivery log: one row per finished HTTP attempt

import type { MigrationRegistration } from '../storage/types.ts';

const SQLITE = `CREATE TABLE events_endpoints (
  id TEXT PRIMARY KEY,
  tree TEXT NOT NULL,
  owner_client_id TEXT NOT NULL,
  role TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT,
  api_version TEXT NOT NULL,
  metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  event_names TEXT NOT NULL,
  event_types TEXT NOT NULL,
  wmis TEXT NOT NULL,
  provider_ids TEXT NOT NULL,
  operator_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_endpoints_role ON events_endpoints (role, status);
CREATE TABLE events_outbox (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  pcid TEXT,
  emaid TEXT,
  wmi TEXT,
  provider_id TEXT,
  root_fingerprint TEXT,
  data TEXT NOT NULL,
  actor TEXT NOT NULL,
  cause_event_id TEXT
) STRICT;
CREATE INDEX events_outbox_occurred ON events_outbox (occurred_at);
CREATE TABLE events_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL REFERENCES events_outbox (id),
  endpoint_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_http_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX events_deliveries_due ON events_deliveries (status, next_attempt_at);
CREATE INDEX events_deliveries_event ON events_deliveries (event_id);
CREATE INDEX events_deliveries_endpoint ON events_deliveries (endpoint_id, status);
CREATE TABLE events_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id INTEGER NOT NULL REFERENCES events_deliveries (id),
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  http_status INTEGER,
  error TEXT,
  outcome TEXT NOT NULL
) STRICT;
CREATE INDEX events_attempts_delivery ON events_attempts (delivery_id, attempt);`;

const POSTGRES = `CREATE TABLE events_endpoints (
  id TEXT PRIMARY KEY,
  tree TEXT NOT NULL,
  owner_client_id TEXT NOT NULL,
  role TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT,
  api_version TEXT NOT NULL,
  metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  event_names TEXT NOT NULL,
  event_types TEXT NOT NULL,
  wmis TEXT NOT NULL,
  provider_ids TEXT NOT NULL,
  operator_ids TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX events_endpoints_role ON events_endpoints (role, status);
CREATE TABLE events_outbox (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  pcid TEXT,
  emaid TEXT,
  wmi TEXT,
  provider_id TEXT,
  root_fingerprint TEXT,
  data TEXT NOT NULL,
  actor TEXT NOT NULL,
  cause_event_id TEXT
);
CREATE INDEX events_outbox_occurred ON events_outbox (occurred_at);
CREATE TABLE events_deliveries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events_outbox (id),
  endpoint_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_http_status INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX events_deliveries_due ON events_deliveries (status, next_attempt_at);
CREATE INDEX events_deliveries_event ON events_deliveries (event_id);
CREATE INDEX events_deliveries_endpoint ON events_deliveries (endpoint_id, status);
CREATE TABLE events_attempts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id BIGINT NOT NULL REFERENCES events_deliveries (id),
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  http_status INTEGER,
  error TEXT,
  outcome TEXT NOT NULL
);
CREATE INDEX events_attempts_delivery ON events_attempts (delivery_id, attempt);`;

export const EVENTS_MIGRATIONS: MigrationRegistration = {
  component: 'events',
  migrations: [
    { id: 1, name: 'create endpoints, outbox, deliveries, attempts', sqlite: SQLITE, postgres: POSTGRES },
  ],
};
