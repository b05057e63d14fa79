// Registering, listing and revoking API clients: the logic behind `pnc clients add|list|revoke`
// (src/cli/clients-commands.ts), without CLI types, so an admin HTTP API can reuse it later.

import type { Clock, RandomSource } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database } from '../storage/types.ts';
import { isRole, ROLES, type Role, type TenantScope } from './principal.ts';
import { type ClientRecord, insertClient, listClients, revokeClient } from './repository.ts';
import { parseScope } from './scope.ts';
import { generateClientId, generateClientSecret, hashSecret, type ScryptParams } from './secrets.ts';

export interface ClientRegistrationInput {
  /** OEM, MO, CPO, CPS or ADMIN (case-insensitive). */
  readonly role: string | undefined;
  /** Comma-separated WMIs / provider IDs / operator IDs, as the role needs (./scope.ts). */
  readonly scope: string | undefined;
  /** Free text for operators (who the client is), at most 100 characters. */
  readonly name?: string | undefined;
  /** ISO 8601 date or date-time after which the client is refused; absent: no expiry. */
  readonly expiresAt?: string | undefined;
}

export interface ValidRegistration {
  readonly role: Role;
  readonly scope: TenantScope;
  readonly name: string | undefined;
  readonly expiresAt: Date | undefined;
}

const MAX_NAME_LENGTH = 100;
// A calendar date (midnight UTC) or a date-time with seconds optional and an explicit offset.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Checks every field and reports every problem at once (auth.invalid-registration). */
export function validateRegistration(input: ClientRegistrationInput, now: Date): ValidRegistration {
  const problems: string[] = [];
  const roleText = input.role?.trim().toUpperCase();
  const role = isRole(roleText) ? roleText : undefined;
  if (role === undefined) {
    problems.push(
      input.role === undefined || input.role.trim() === ''
        ? `a role is required: one of ${ROLES.join(', ')}`
        : `unknown role ${JSON.stringify(input.role.slice(0, 20))}: use one of ${ROLES.join(', ')}`,
    );
  }
  let scope: TenantScope | undefined;
  if (role !== undefined) {
    const parsed = parseScope(role, input.scope);
    if (parsed.ok) scope = parsed.scope;
    else problems.push(...parsed.problems);
  }
  let name: string | undefined;
  if (input.name !== undefined) {
    name = input.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
      problems.push(`the name must be 1 to ${MAX_NAME_LENGTH} characters without control characters`);
    }
  }
  let expiresAt: Date | undefined;
  if (input.expiresAt !== undefined) {
    const ms = ISO_DATE_TIME.test(input.expiresAt) ? Date.parse(input.expiresAt) : Number.NaN;
    if (Number.isNaN(ms)) {
      problems.push(
        'the expiry must be an ISO 8601 date or date-time with offset, e.g. 2027-01-31 or 2027-01-31T12:00:00Z',
      );
    } else if (ms <= now.getTime()) {
      problems.push(`the expiry ${new Date(ms).toISOString()} is not in the future`);
    } else {
      expiresAt = new Date(ms);
    }
  }
  if (problems.length > 0 || role === undefined || scope === undefined) {
    const list = problems.map((p) => `\n  - ${p}`).join('');
    throw appError('auth.invalid-registration', `cannot register the client:${list}`);
  }
  return { role, scope, name, expiresAt };
}

export type ClientStatus = 'active' | 'revoked' | 'expired';

/** What may be shown about a client: never the secret or its hash. */
export interface ClientSummary {
  readonly clientId: string;
  readonly name: string | undefined;
  readonly role: Role;
  readonly scope: TenantScope;
  readonly status: ClientStatus;
  readonly createdAt: Date;
  readonly expiresAt: Date | undefined;
  readonly revokedAt: Date | undefined;
}

function summarise(client: ClientRecord, now: Date): ClientSummary {
  const status: ClientStatus =
    client.revokedAt !== undefined
      ? 'revoked'
      : client.expiresAt !== undefined && client.expiresAt.getTime() <= now.getTime()
        ? 'expired'
        : 'active';
  return {
    clientId: client.clientId,
    name: client.name,
    role: client.role,
    scope: client.scope,
    status,
    createdAt: client.createdAt,
    expiresAt: client.expiresAt,
    revokedAt: client.revokedAt,
  };
}

export interface RegisteredClient {
  readonly clientId: string;
  /** Shown once to the operator; only its hash is stored. */
  readonly clientSecret: string;
  readonly client: ClientSummary;
}

export interface ClientsDeps {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Tests of other components may lower the cost; production uses the default. */
  readonly scryptParams?: ScryptParams;
}

/** Validates the input, generates id and secret, stores the client with the secret's hash. */
export async function registerClient(
  db: Database,
  input: ClientRegistrationInput,
  deps: ClientsDeps,
): Promise<RegisteredClient> {
  const now = deps.clock.now();
  const valid = validateRegistration(input, now);
  const clientId = generateClientId(deps.random);
  const clientSecret = generateClientSecret(deps.random);
  // The slow hash runs before the transaction, which stays short.
  const secretHash = await hashSecret(clientSecret, deps.random, deps.scryptParams);
  const record: ClientRecord = {
    clientId,
    name: valid.name,
    role: valid.role,
    scope: valid.scope,
    secretHash,
    createdAt: now,
    expiresAt: valid.expiresAt,
    revokedAt: undefined,
  };
  await db.transaction((tx) => insertClient(tx, record));
  return { clientId, clientSecret, client: summarise(record, now) };
}

export async function listRegisteredClients(db: Database, clock: Clock): Promise<ClientSummary[]> {
  const now = clock.now();
  return (await listClients(db)).map((client) => summarise(client, now));
}

/**
 * Revokes the client: its token requests and every token it holds are refused from the next request
 * on. Revoking a revoked client changes nothing. Throws auth.client-not-found.
 */
export async function revokeRegisteredClient(
  db: Database,
  clientId: string,
  clock: Clock,
): Promise<'revoked' | 'already-revoked'> {
  const outcome = await revokeClient(db, clientId, clock.now());
  if (outcome === 'not-found') {
    const shown = /^[0-9a-f]{1,64}$/i.test(clientId) ? clientId : JSON.stringify(clientId.slice(0, 64));
    throw appError('auth.client-not-found', `no client with id ${shown}`);
  }
  return outcome;
}
