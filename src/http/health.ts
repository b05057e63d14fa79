// `GET /health` (issue 3): liveness plus a database round trip, for load balancers and operators.
// 200 with status "ok" when the database answers, 503 with status "error" when it does not (or not
// within the timeout), so a balancer takes the instance out of rotation.

import type { Clock } from '../app/runtime.ts';
import type { Database } from '../storage/types.ts';
import type { RouteModule } from './server.ts';

export interface HealthBody {
  readonly status: 'ok' | 'error';
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly database: 'ok' | 'error';
}

export interface HealthDeps {
  readonly db: Pick<Database, 'query'>;
  readonly clock: Clock;
  /** pnc version (package.json). */
  readonly version: string;
  /** How long the database may take to answer (default 2000 ms). */
  readonly timeoutMs?: number;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: HealthDeps): RouteModule {
  const startedAt = deps.clock.now().getTime();
  const timeoutMs = deps.timeoutMs ?? 2000;
  return {
    name: 'health',
    register(app) {
      // Probes every few seconds: request logs only at warn and above.
      app.get('/health', { logLevel: 'warn' }, async (request, reply) => {
        let database: HealthBody['database'] = 'ok';
        try {
          await withTimeout(deps.db.query('SELECT 1 AS ok'), timeoutMs);
        } catch (error) {
          database = 'error';
          request.log.warn({ err: error }, 'health check: the database does not answer');
        }
        const body: HealthBody = {
          status: database === 'ok' ? 'ok' : 'error',
          version: deps.version,
          uptimeSeconds: Math.max(0, Math.floor((deps.clock.now().getTime() - startedAt) / 1000)),
          database,
        };
        return reply.code(database === 'ok' ? 200 : 503).send(body);
      });
    },
  };
}
