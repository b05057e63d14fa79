// The ONE route table: every HTTP route module, in registration order. A component's routes appear
// on the server only by being listed here (architecture-practices §3.2).

import { healthRoutes } from '../http/health.ts';
import type { RouteModule } from '../http/server.ts';
import type { Database } from '../storage/types.ts';
import type { Clock } from './runtime.ts';

/** The long-lived services the route modules are built from (grows with the components). */
export interface RouteServices {
  readonly db: Database;
  readonly clock: Clock;
  readonly version: string;
}

export function routeTable(services: RouteServices): RouteModule[] {
  return [healthRoutes({ db: services.db, clock: services.clock, version: services.version })];
}
