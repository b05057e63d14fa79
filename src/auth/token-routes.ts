// `POST /oauth/token`: the OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4, OPCP
// accessToken.v1.json), shaped for the clients in interop.md §1.6:
//
// - body as application/x-www-form-urlencoded (RFC 6749 §4.4.2; CitrineOS 1.8.3) or application/json
//   (OPCP, ev-server, MaEVe `oauth2_token`), at most TOKEN_BODY_LIMIT bytes; `audience` optional and
//   ignored (one pnc deployment is one audience; D-017); unknown parameters ignored (RFC 6749 §3.1);
//   empty values count as absent (§3.1); a repeated form parameter is refused (§3.2);
// - client authentication by client_id + client_secret in the body, or HTTP Basic (RFC 6749 §2.3.1,
//   which servers MUST support), not both;
// - success: 200 `{access_token, token_type: "Bearer", expires_in, scope}` (RFC 6749 §5.1; `scope` is
//   required by OPCP) with Cache-Control: no-store;
// - failure: RFC 6749 §5.2 `{error, error_description}` plus the OPCP error body fields
//   `{errorMessages, traceId}` in the same object (D-016), 400 / 401 (invalid_client, with
//   WWW-Authenticate when the client tried HTTP Basic) / 413 / 415; 5xx keep the platform's body.
//
// Nothing is written to the database by this endpoint; secrets and tokens are never logged.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors/app-error.ts';
import { appError, type ErrorCode } from '../errors/catalogue.ts';
import { classifyError, sendError } from '../http/errors.ts';
import type { RouteModule } from '../http/server.ts';
import type { TokenService } from './token-service.ts';

export const TOKEN_PATH = '/oauth/token';
/** Token requests are a few hundred bytes; refuse anything much larger before parsing it. */
export const TOKEN_BODY_LIMIT = 8 * 1024;
const MAX_AUDIENCE_LENGTH = 2048;

export interface TokenRoutesDeps {
  readonly tokens: Pick<TokenService, 'issue'>;
}

/** OAuth error codes of RFC 6749 §5.2 for our AppError codes; anything else is invalid_request. */
const OAUTH_ERROR: Partial<Record<ErrorCode, string>> = {
  'auth.invalid-request': 'invalid_request',
  'auth.invalid-client': 'invalid_client',
  'auth.unsupported-grant-type': 'unsupported_grant_type',
};

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
function oauthText(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?').slice(0, 300);
}

function invalidRequest(message: string) {
  return appError('auth.invalid-request', message);
}

/** A parameter name fit for a message (attacker-chosen names are not echoed). */
function nameOf(name: string): string {
  return /^[a-z_]{1,32}$/.test(name) ? name : 'a parameter';
}

/** application/x-www-form-urlencoded → plain object of strings; a repeated parameter is refused. */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(out, name)) throw invalidRequest(`${nameOf(name)} is given more than once`);
    out[name] = value;
  }
  return out;
}

type Params = Readonly<Record<string, unknown>>;

function paramsOf(body: unknown): Params {
  if (body === undefined || body === null) {
    throw invalidRequest(
      'missing body: send grant_type=client_credentials with client_id and client_secret as a form or JSON object',
    );
  }
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('the JSON body must be an object');
  return body as Params;
}

/** A string parameter; absent, null and '' are "not given" (RFC 6749 §3.1). */
function stringParam(params: Params, name: string): string | undefined {
  if (!Object.hasOwn(params, name)) return undefined;
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  return value;
}

/** RFC 6749 §2.3.1: each part is form-urlencoded before Basic encoding; decode it back. */
function formDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw appError('auth.invalid-client', 'client authentication failed: malformed HTTP Basic credentials');
  }
}

/** Client credentials from `Authorization: Basic` (RFC 7617), undefined without that header. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (header === undefined) return undefined;
  const scheme = /^(\S+)/.exec(header.trim())?.[1]?.toLowerCase();
  if (scheme !== 'basic') return undefined;
  const m = /^basic[ \t]+([A-Za-z0-9+/]{1,1024}={0,2})[ \t]*$/i.exec(header.trim());
  const decoded = m === null ? '' : Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw appError('auth.invalid-client', 'client authentication failed: malformed HTTP Basic credentials');
  }
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function sendTokenError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const classified = classifyError(error);
  // Server-side failures (database down, a bug): the platform's generic 5xx body and error log.
  if (classified.serverError) return sendError(error, request, reply);
  const code = classified.code;
  const oauthError = (code !== undefined && OAUTH_ERROR[code as ErrorCode]) || 'invalid_request';
  const message =
    code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
      ? 'unsupported content type: send application/x-www-form-urlencoded or application/json'
      : oauthText(classified.message);
  const details = isAppError(error) ? error.details : undefined;
  // The reason (wrong secret, revoked, ...) and the client id are for the operator; never the secret.
  request.log.info(
    { code, status: classified.status, reason: details?.reason, clientId: details?.clientId },
    'token request refused',
  );
  if (oauthError === 'invalid_client' && request.headers.authorization !== undefined) {
    reply.header('www-authenticate', 'Basic realm="pnc", charset="UTF-8"');
  }
  return reply
    .code(classified.status)
    .headers(NO_STORE)
    .type('application/json; charset=utf-8')
    .send({ error: oauthError, error_description: message, errorMessages: [message], traceId: request.id });
}

export function oauthTokenRoutes(deps: TokenRoutesDeps): RouteModule {
  return {
    name: 'oauth-token',
    register(app) {
      // This scope accepts exactly JSON and forms: no text/plain bodies.
      app.removeContentTypeParser(['text/plain']);
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
          try {
            done(null, parseForm(body as string));
          } catch (error) {
            done(error as Error, undefined);
          }
        },
      );
      app.setErrorHandler(sendTokenError);

      app.post(TOKEN_PATH, { bodyLimit: TOKEN_BODY_LIMIT }, async (request, reply) => {
        const params = paramsOf(request.body);
        const grantType = stringParam(params, 'grant_type');
        if (grantType === undefined) throw invalidRequest('grant_type is required (client_credentials)');
        if (grantType !== 'client_credentials') {
          throw appError(
            'auth.unsupported-grant-type',
            'unsupported grant_type: this server issues tokens for client_credentials only',
          );
        }
        const audience = stringParam(params, 'audience');
        if (audience !== undefined && audience.length > MAX_AUDIENCE_LENGTH)
          throw invalidRequest('audience is too long');

        const bodyId = stringParam(params, 'client_id');
        const bodySecret = stringParam(params, 'client_secret');
        const basic = basicCredentials(request.headers.authorization);
        // RFC 6749 §2.3: one authentication method per request.
        if (basic !== undefined && bodySecret !== undefined) {
          throw invalidRequest('send the client secret either with HTTP Basic or in the body, not both');
        }
        if (basic !== undefined && bodyId !== undefined && bodyId !== basic.id) {
          throw invalidRequest('client_id in the body differs from the HTTP Basic user');
        }
        const clientId = basic?.id ?? bodyId;
        const clientSecret = basic?.secret ?? bodySecret;
        if (clientId === undefined || clientSecret === undefined) {
          throw appError(
            'auth.invalid-client',
            'client authentication failed: send client_id and client_secret (or HTTP Basic)',
            { details: { reason: 'no credentials' } },
          );
        }
        const issued = await deps.tokens.issue(clientId, clientSecret);
        return reply.code(200).headers(NO_STORE).send({
          access_token: issued.accessToken,
          token_type: issued.tokenType,
          expires_in: issued.expiresIn,
          scope: issued.scope,
        });
      });
    },
  };
}
