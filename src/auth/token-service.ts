// Access tokens: issued to clients that prove their secret (OAuth 2.0 client credentials, RFC 6749
// §4.4), verified on every protected request.
//
// Token format (JWT, RFC 7519, shaped like RFC 9068 access tokens): header {alg: ES256, kid, typ:
// at+jwt}; claims iss = aud = the public URL, sub = client_id = the client id, role, scope (the OAuth
// scope string of ./scope.ts), iat, nbf, exp (iat + tokenTtlSeconds, never after the client's expiry),
// jti (128 random bits).
//
// Verification: signature with one of our keys (by kid), alg ES256 only, typ at+jwt, iss and aud equal
// to the public URL, exp / nbf / iat against the injected clock with CLOCK_TOLERANCE_SECONDS of skew;
// then the client is looked up in the database on every request, so a revoked or expired client is
// refused on its next request, also when another process (pnc clients revoke) revoked it. There is
// deliberately no cache of the client (docs/spec-decisions.md D-020). The principal is built from the
// stored client, which is authoritative; the role in the token must still match it.
//
// The cryptographic part (signature, header, iss / aud, required claims) depends on the token alone,
// so its result is kept per token (D-171): a bounded map from the SHA-256 of the token to its verified
// claims, a hit confirmed by a constant-time comparison of the whole token, and reused only while the
// time checks above (exp, nbf, iat / maxTokenAge, with the tolerance) still pass at the clock, for the
// same issuer; anything else is verified again by jose. The client lookup stays per request.

import { hash, timingSafeEqual } from 'node:crypto';
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock, RandomSource } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import { CommitWatch, commitMarker } from '../storage/change-marker.ts';
import type { Database } from '../storage/types.ts';
import { isRole, type Principal } from './principal.ts';
import { type ClientRecord, findClient } from './repository.ts';
import { formatOAuthScope } from './scope.ts';
import { CLIENT_ID_PATTERN, DUMMY_HASH, MAX_SECRET_LENGTH, verifySecret } from './secrets.ts';
import { type SigningKey, TOKEN_ALGORITHM } from './signing-key.ts';

/** Allowed clock difference between instances (and clients) for exp / nbf / iat. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Longest token looked at (ours are about 600 characters). */
export const MAX_TOKEN_LENGTH = 4096;
export const TOKEN_TYPE_HEADER = 'at+jwt';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Verified tokens remembered (D-171): one per active client is typical, a few per client at most. */
export const MAX_VERIFIED_TOKENS = 10_000;

interface VerifiedToken {
  readonly token: Buffer;
  readonly issuer: string;
  readonly payload: JWTPayload;
}

export interface TokenServiceDeps {
  readonly db: Pick<Database, 'query' | 'dialect'>;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Signing keys, newest first: the first signs, all verify. */
  readonly keys: readonly SigningKey[];
  /** The public URL (iss and aud); a function because with port 0 it is known only after listen. */
  readonly issuer: () => string;
  readonly ttlSeconds: number;
  /**
   * Longest use, in ms, of a client record read to authenticate a token (D-175): on PostgreSQL a
   * client revoked by `pnc clients revoke` (another process) loses access within this time; on
   * SQLite at once (data_version). 0 or absent: read for every request.
   */
  readonly clientMaxAgeMs?: number;
}

/** Client records remembered for authenticate (D-175); the oldest read is dropped first. */
const MAX_REMEMBERED_CLIENTS = 10_000;

export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly scope: string;
}

/** Why a token request or a token was refused: for the log, never for the client. */
export type RefusalReason =
  | 'malformed client id'
  | 'unknown client'
  | 'wrong secret'
  | 'client revoked'
  | 'client expired';

function invalidClient(reason: RefusalReason, clientId: string | undefined) {
  // One message for every reason (RFC 6749 §5.2 invalid_client; no oracle for which ids exist);
  // the reason goes to the log through details.
  return appError('auth.invalid-client', 'client authentication failed', {
    details: clientId === undefined ? { reason } : { reason, clientId },
  });
}

function invalidToken(reason: string, cause?: unknown) {
  return appError(
    'auth.invalid-token',
    `invalid access token: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

function joseReason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return 'not yet valid';
      case 'iat':
        return 'issued in the future or too long ago';
      case 'iss':
        return 'issued by another issuer';
      case 'aud':
        return 'issued for another audience';
      default:
        return `claim ${error.claim} is missing or invalid`;
    }
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return 'malformed';
}

function isActive(client: ClientRecord, now: Date): RefusalReason | undefined {
  if (client.revokedAt !== undefined) return 'client revoked';
  if (client.expiresAt !== undefined && client.expiresAt.getTime() <= now.getTime()) return 'client expired';
  return undefined;
}

export class TokenService {
  readonly #db: Pick<Database, 'query' | 'dialect'>;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #keys: readonly SigningKey[];
  readonly #issuer: () => string;
  readonly #ttlSeconds: number;
  readonly #clientMaxAgeMs: number;
  readonly #clients = new Map<
    string,
    { readonly record: ClientRecord | undefined; readonly readAt: number }
  >();
  /** Other connections' commits (SQLite); see #client. */
  readonly #commits: CommitWatch;
  /** Counts marker changes: a client read that one overtook is answered but not kept. */
  #clientsGeneration = 0;
  /** D-171: tokens whose signature and claims verified, by the SHA-256 of the token. */
  readonly #verified = new Map<string, VerifiedToken>();

  constructor(deps: TokenServiceDeps) {
    // Checked at construction (architecture-practices §3.3): a misconfiguration fails at start-up.
    if (deps.keys.length === 0) throw new Error('TokenService needs at least one signing key');
    if (!Number.isSafeInteger(deps.ttlSeconds) || deps.ttlSeconds < 1) {
      throw new Error(`TokenService: ttlSeconds must be a positive integer, got ${deps.ttlSeconds}`);
    }
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#keys = deps.keys;
    this.#issuer = deps.issuer;
    this.#ttlSeconds = deps.ttlSeconds;
    const maxAge = deps.clientMaxAgeMs ?? 0;
    if (!Number.isInteger(maxAge) || maxAge < 0)
      throw new Error('TokenService: clientMaxAgeMs must be an integer ≥ 0');
    this.#clientMaxAgeMs = maxAge;
    const db = deps.db;
    this.#commits = new CommitWatch(() => commitMarker(db));
  }

  /**
   * The client behind a token, read at most clientMaxAgeMs ago (D-175). Every protected request
   * asks; the records change only when a client is revoked (`pnc auth revoke`, another process), so
   * a read serves the requests of that time instead of one query each.
   */
  async #client(clientId: string, now: Date): Promise<ClientRecord | undefined> {
    if (this.#clientMaxAgeMs === 0) return findClient(this.#db, clientId);
    const t = now.getTime();
    // Embedded SQLite: the commit marker moves with every commit of another connection or process
    // (`pnc clients revoke` included), so a revocation is seen by every request that starts a
    // millisecond after it, as without the cache (D-020). PostgreSQL has no marker.
    if (await this.#commits.changed(t)) {
      this.#clients.clear();
      this.#clientsGeneration++;
    }
    const known = this.#clients.get(clientId);
    if (known !== undefined && t >= known.readAt && t - known.readAt < this.#clientMaxAgeMs)
      return known.record;
    const generation = this.#clientsGeneration;
    const record = await findClient(this.#db, clientId);
    if (generation === this.#clientsGeneration) {
      this.#clients.delete(clientId); // re-inserted last: eviction drops the oldest read first
      if (this.#clients.size >= MAX_REMEMBERED_CLIENTS) {
        const oldest = this.#clients.keys().next().value;
        if (oldest !== undefined) this.#clients.delete(oldest);
      }
      this.#clients.set(clientId, { record, readAt: t });
    }
    return record;
  }

  /**
   * Authenticates the client (RFC 6749 §2.3.1) and issues an access token. Throws AppError
   * `auth.invalid-client` (details.reason says why, for the log) when the id is unknown or malformed,
   * the secret wrong, the client revoked or expired.
   */
  async issue(clientId: string, clientSecret: string): Promise<IssuedToken> {
    if (!CLIENT_ID_PATTERN.test(clientId)) throw invalidClient('malformed client id', undefined);
    const client = await findClient(this.#db, clientId);
    // Always one scrypt evaluation, also for unknown ids, so timing does not tell which ids exist.
    const secretOk =
      clientSecret.length > 0 &&
      clientSecret.length <= MAX_SECRET_LENGTH &&
      (await verifySecret(clientSecret, client?.secretHash ?? DUMMY_HASH));
    if (client === undefined) throw invalidClient('unknown client', clientId);
    if (!secretOk) throw invalidClient('wrong secret', clientId);
    const now = this.#clock.now();
    const inactive = isActive(client, now);
    if (inactive !== undefined) throw invalidClient(inactive, clientId);

    const iat = Math.floor(now.getTime() / 1000);
    let exp = iat + this.#ttlSeconds;
    if (client.expiresAt !== undefined) exp = Math.min(exp, Math.floor(client.expiresAt.getTime() / 1000));
    if (exp <= iat) throw invalidClient('client expired', clientId);

    const issuer = this.#issuer();
    const key = this.#keys[0] as SigningKey;
    const scope = formatOAuthScope(client.role, client.scope);
    const accessToken = await new SignJWT({ client_id: client.clientId, role: client.role, scope })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: TOKEN_TYPE_HEADER })
      .setIssuer(issuer)
      .setAudience(issuer)
      .setSubject(client.clientId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(Buffer.from(this.#random(16)).toString('base64url'))
      .sign(key.privateKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: exp - iat, scope };
  }

  /**
   * Verifies an access token and returns its principal. Throws AppError `auth.invalid-token` with a
   * short reason (expired, signature does not verify, client revoked, ...).
   */
  async authenticate(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw invalidToken('malformed');
    const issuer = this.#issuer();
    const now = this.#clock.now();
    const key = hash('sha256', token, 'base64');
    let payload = this.#reuse(key, token, issuer, now);
    if (payload === undefined) {
      payload = await this.#verify(token, issuer, now);
      if (this.#verified.size >= MAX_VERIFIED_TOKENS) {
        const oldest = this.#verified.keys().next().value;
        if (oldest !== undefined) this.#verified.delete(oldest);
      }
      this.#verified.set(key, { token: Buffer.from(token), issuer, payload });
    }
    const { sub, role } = payload;
    if (typeof sub !== 'string' || !CLIENT_ID_PATTERN.test(sub) || !isRole(role)) {
      throw invalidToken('claims sub or role are invalid');
    }
    const client = await this.#client(sub, now);
    if (client === undefined) throw invalidToken('unknown client');
    const inactive = isActive(client, now);
    if (inactive !== undefined) throw invalidToken(inactive);
    if (client.role !== role) throw invalidToken('the role of the client changed');
    return Object.freeze({
      clientId: client.clientId,
      role: client.role,
      scope: Object.freeze({
        wmis: Object.freeze([...client.scope.wmis]),
        providerIds: Object.freeze([...client.scope.providerIds]),
        operatorIds: Object.freeze([...client.scope.operatorIds]),
      }),
    });
  }

  /**
   * The claims of a token verified before, when jose's time checks would pass now as they did then
   * (same formulas: jwt_claims_set.js validateClaimsSet, seconds, CLOCK_TOLERANCE_SECONDS); undefined
   * otherwise, and the token is verified in full.
   */
  #reuse(key: string, token: string, issuer: string, now: Date): JWTPayload | undefined {
    const hit = this.#verified.get(key);
    if (hit === undefined || hit.issuer !== issuer) return undefined;
    const given = Buffer.from(token);
    if (given.length !== hit.token.length || !timingSafeEqual(given, hit.token)) return undefined;
    const t = Math.floor(now.getTime() / 1000);
    const tolerance = CLOCK_TOLERANCE_SECONDS;
    const { exp, nbf, iat } = hit.payload;
    if (typeof exp !== 'number' || exp <= t - tolerance) return undefined;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > t + tolerance)) return undefined;
    if (typeof iat !== 'number') return undefined;
    const age = t - iat;
    if (age - tolerance > this.#ttlSeconds + CLOCK_TOLERANCE_SECONDS || age < -tolerance) return undefined;
    return hit.payload;
  }

  /** jose: signature with one of our keys, header and claims at the clock. */
  async #verify(token: string, issuer: string, now: Date): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          const key = this.#keys.find((k) => k.kid === header.kid);
          if (key === undefined) throw new UnknownKeyError('no signing key with this kid');
          return key.publicKey;
        },
        {
          algorithms: [TOKEN_ALGORITHM],
          typ: TOKEN_TYPE_HEADER,
          issuer,
          audience: issuer,
          currentDate: now,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: this.#ttlSeconds + CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp', 'iat', 'jti', 'role'],
        },
      ));
    } catch (error) {
      if (error instanceof UnknownKeyError) throw invalidToken('not signed by a key of this server');
      throw invalidToken(joseReason(error), error);
    }
    return payload;
  }
}

class UnknownKeyError extends Error {}
