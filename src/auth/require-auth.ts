// `requireAuth({ roles })`: the Fastify preHandler that protects a route (docs/auth.md).
//
//   app.get('/v1/oem/provCerts/:pcid', { preHandler: auth.requireAuth({ roles: ['OEM', 'MO'] }) },
//     async (request) => { const principal = principalOf(request); ... });
//
// The token is read from `Authorization: Bearer <token>` (RFC 6750 §2.1) and from `x-api-key: <token>`
// (MaEVe sends both, interop.md §1.2 and §1.6); when both are present they must be equal. Failures are
// AppErrors, answered by the server's error handler with the OPCP error body: 401
// auth.missing-credentials / auth.invalid-token with `WWW-Authenticate: Bearer` (RFC 6750 §3), 403
// auth.forbidden-role. A route lists every role it admits; ADMIN is not implied (D-019).

import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { isRole, type Principal, type Role } from './principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAuth; read it with principalOf(request). */
    principal?: Principal;
  }
}

/** What requireAuth needs from the token service. */
export interface Authenticator {
  authenticate(token: string): Promise<Principal>;
}

export interface RequireAuthOptions {
  /** Roles admitted to the route (at least one). */
  readonly roles: readonly Role[];
}

export const API_KEY_HEADER = 'x-api-key';
const REALM = 'Bearer realm="pnc"';

function headerValue(value: string | string[] | undefined): string | undefined {
  // Node joins repeated headers into one string (x-api-key: a, b), which then fails as malformed;
  // Authorization is never repeated by Node, but be defensive.
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

/**
 * The access token of a request. Throws auth.missing-credentials when there is none,
 * auth.invalid-token when the headers are malformed or disagree.
 */
export function extractAccessToken(headers: FastifyRequest['headers']): string {
  const authorization = headerValue(headers.authorization)?.trim();
  const apiKey = headerValue(headers[API_KEY_HEADER])?.trim();
  let bearer: string | undefined;
  if (authorization !== undefined && authorization !== '') {
    const m = /^(\S+)(?:[ \t]+(.*))?$/s.exec(authorization);
    // Another scheme (Basic, ...) is not an access token; the scheme name is case-insensitive
    // (RFC 7235 §2.1).
    if (m?.[1]?.toLowerCase() === 'bearer') {
      bearer = m[2]?.trim();
      if (bearer === undefined || bearer === '') {
        throw appError('auth.invalid-token', 'invalid access token: empty Bearer credentials');
      }
    }
  }
  const fromApiKey = apiKey === undefined || apiKey === '' ? undefined : apiKey;
  if (bearer !== undefined && fromApiKey !== undefined && bearer !== fromApiKey) {
    throw appError(
      'auth.invalid-token',
      'invalid access token: Authorization and x-api-key carry different tokens',
    );
  }
  const token = bearer ?? fromApiKey;
  if (token === undefined) {
    throw appError(
      'auth.missing-credentials',
      'this endpoint needs an access token (Authorization: Bearer <token> or x-api-key: <token>) from POST /oauth/token',
    );
  }
  return token;
}

// The roles each requireAuth hook admits, so the OpenAPI document (src/http/openapi.ts) can mark a
// route as protected and name its roles without each route module repeating them.
const ROLES_OF_HOOK = new WeakMap<object, readonly Role[]>();

/** The roles a requireAuth hook admits; undefined for any other function. */
export function rolesOfAuthHook(hook: unknown): readonly Role[] | undefined {
  return typeof hook === 'function' ? ROLES_OF_HOOK.get(hook) : undefined;
}

/** The preHandler that admits requests with a valid token of one of the roles. */
export function requireAuth(
  authenticator: Authenticator,
  options: RequireAuthOptions,
): preHandlerAsyncHookHandler {
  const roles = options?.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    // A route declared without roles is a programming error: fail when the routes are built.
    throw new Error(`requireAuth needs a non-empty list of roles, got ${JSON.stringify(roles)}`);
  }
  const admitted = new Set<Role>(roles);
  const hook: preHandlerAsyncHookHandler = async (request, reply) => {
    let principal: Principal;
    try {
      principal = await authenticator.authenticate(extractAccessToken(request.headers));
    } catch (error) {
      if (isAppError(error) && error.code === 'auth.missing-credentials')
        reply.header('www-authenticate', REALM);
      else if (isAppError(error) && error.code === 'auth.invalid-token') {
        reply.header('www-authenticate', `${REALM}, error="invalid_token"`);
      }
      throw error;
    }
    // Later log lines of this request say who made it.
    request.log = request.log.child({ clientId: principal.clientId, role: principal.role });
    if (!admitted.has(principal.role)) {
      reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`);
      throw appError('auth.forbidden-role', `role ${principal.role} may not use this endpoint`, {
        details: { role: principal.role, admitted: [...admitted] },
      });
    }
    request.principal = principal;
  };
  ROLES_OF_HOOK.set(hook, Object.freeze([...admitted]));
  return hook;
}

/** The principal of a request that passed requireAuth; throws (a bug: 500) on an unprotected route. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === undefined) throw new Error('principalOf: the route has no requireAuth preHandler');
  return principal;
}
