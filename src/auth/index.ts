// Public surface of the auth component (docs/auth.md): OAuth 2.0 client credentials, access tokens,
// requireAuth for the routes of other components, tenant checks, and the client registry behind
// `pnc clients`. Importing it has no side effects.

import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Clock, RandomSource } from '../app/runtime.ts';
import type { Database } from '../storage/types.ts';
import { type RequireAuthOptions, requireAuth } from './require-auth.ts';
import { loadOrCreateSigningKeys } from './signing-key.ts';
import { TokenService } from './token-service.ts';

export {
  type ClientRegistrationInput,
  type ClientStatus,
  type ClientSummary,
  listRegisteredClients,
  type RegisteredClient,
  registerClient,
  revokeRegisteredClient,
  validateRegistration,
} from './clients.ts';
export { EMPTY_SCOPE, isRole, type Principal, ROLES, type Role, type TenantScope } from './principal.ts';
export { AUTH_MIGRATIONS } from './repository.ts';
export {
  API_KEY_HEADER,
  type Authenticator,
  extractAccessToken,
  principalOf,
  type RequireAuthOptions,
  requireAuth,
  rolesOfAuthHook,
} from './require-auth.ts';
export {
  formatOAuthScope,
  normaliseOperatorId,
  normaliseProviderId,
  normaliseWmi,
  parseScope,
  SCOPE_KIND_OF_ROLE,
} from './scope.ts';
export {
  assertTenant,
  canAccessEmaid,
  canAccessOperator,
  canAccessPcid,
  canAccessProvider,
  canAccessWmi,
} from './tenant.ts';
export { oauthTokenRoutes, TOKEN_BODY_LIMIT, TOKEN_PATH } from './token-routes.ts';
export { CLOCK_TOLERANCE_SECONDS, type IssuedToken, TokenService } from './token-service.ts';

export interface AuthDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** The public URL, the tokens' iss and aud (App.publicUrl: known after listen with port 0). */
  readonly issuer: () => string;
  /** config.tokenTtlSeconds. */
  readonly tokenTtlSeconds: number;
  /** config.trustCacheMaxAgeMs: how long a client record read for a token is used (D-175). */
  readonly clientMaxAgeMs?: number;
}

/** What the composition root hands to the route modules. */
export interface Auth {
  readonly tokens: TokenService;
  /** The preHandler for a protected route: `{ preHandler: auth.requireAuth({ roles: ['CPO'] }) }`. */
  requireAuth(options: RequireAuthOptions): preHandlerAsyncHookHandler;
}

/** Loads (or, on first start, creates) the signing key and builds the token service. */
export async function createAuth(deps: AuthDeps): Promise<Auth> {
  const keys = await loadOrCreateSigningKeys(deps.db, { clock: deps.clock, random: deps.random });
  const tokens = new TokenService({
    db: deps.db,
    clock: deps.clock,
    random: deps.random,
    keys,
    issuer: deps.issuer,
    ttlSeconds: deps.tokenTtlSeconds,
    ...(deps.clientMaxAgeMs === undefined ? {} : { clientMaxAgeMs: deps.clientMaxAgeMs }),
  });
  return {
    tokens,
    requireAuth: (options) => requireAuth(tokens, options),
  };
}
