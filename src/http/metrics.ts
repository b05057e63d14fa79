// Prometheus metrics (issue 3: `/metrics`). One registry per server instance, never prom-client's
// global one, so that two servers in one process (tests) do not share or double-register metrics.
// Components may register their own metrics on `registry` (e.g. HSM signing errors).

import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  /** Request duration by method, route pattern (never the raw URL: bounded cardinality) and status. */
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/** Label for requests that matched no route (404s), so unknown URLs cannot create label values. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function createMetrics(): HttpMetrics {
  const registry = new Registry();
  // Process and Node.js runtime metrics: CPU, memory, event loop lag, GC, handles.
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, requestDuration };
}
