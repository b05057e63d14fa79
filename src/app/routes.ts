// The ONE route table: every HTTP route module, in registration order. A component's routes appear
// on the server only by being listed here (architecture-practices §3.2).

import type { Auth } from '../auth/index.ts';
import { oauthTokenRoutes } from '../auth/token-routes.ts';
import { healthRoutes } from '../http/health.ts';
import type { RouteModule } from '../http/server.ts';
import type { Database } from '../storage/types.ts';
import type { Clock } from './runtime.ts';

/** The long-lived services the route modules are built from (grows with the components). */
export interface RouteServices {
  readonly db: Database;
  readonly clock: Clock;
  readonly version: string;
  /** Token service and requireAuth({ roles }) for protected routes (src/auth, docs/auth.md). */
  readonly auth: Auth;
}

export function routeTable(services: RouteServices): RouteModule[] {
  return [
    healthRoutes({ db: services.db, clock: services.clock, version: services.version }),
    oauthTokenRoutes({ tokens: services.auth.tokens }),
  ];
}
