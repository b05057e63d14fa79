// Storage of the auth component: API clients and the token signing keys (docs/auth.md).
//
// This repository is the tenant registry itself, used by the operator (pnc clients) and by the token
// service; it is not tenant data, so its methods take no tenant (architecture-practices §4 applies to
// the repositories of the components behind requireAuth). Times are epoch milliseconds.
//
// Scope lists are stored as comma-separated normalised identifiers: every entry is validated to
// [A-Z0-9]{3,5} on the way in and again on the way out, so the separator can never be ambiguous.

import { appError } from '../errors/catalogue.ts';
import type { Database, MigrationRegistration, Tx } from '../storage/types.ts';
import { isRole, type Role, type TenantScope } from './principal.ts';
import { normaliseOperatorId, normaliseProviderId, normaliseWmi } from './scope.ts';

export const AUTH_MIGRATIONS: MigrationRegistration = {
  component: 'auth',
  migrations: [
    {
      id: 1,
      name: 'create auth_clients and auth_signing_keys',
      // No CHECK on role: adding a role later would need a table rebuild on SQLite; the code validates
      // on write and on read (auth.corrupt-record).
      sqlite: `CREATE TABLE auth_clients (
  client_id TEXT PRIMARY KEY,
  name TEXT,
  role TEXT NOT NULL,
  wmis TEXT NOT NULL,
  provider_ids TEXT NOT NULL,
  operator_ids TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) STRICT;
CREATE TABLE auth_signing_keys (
  kid TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;`,
      postgres: `CREATE TABLE auth_clients (
  client_id TEXT PRIMARY KEY,
  name TEXT,
  role TEXT NOT NULL,
  wmis TEXT NOT NULL,
  provider_ids TEXT NOT NULL,
  operator_ids TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE auth_signing_keys (
  kid TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  private_key BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);`,
    },
  ],
};

/** A registered client as stored (the secret only as its hash). */
export interface ClientRecord {
  readonly clientId: string;
  readonly name: string | undefined;
  readonly role: Role;
  readonly scope: TenantScope;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | undefined;
  readonly revokedAt: Date | undefined;
}

interface ClientRow {
  client_id: string;
  name: string | null;
  role: string;
  wmis: string;
  provider_ids: string;
  operator_ids: string;
  secret_hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const CLIENT_COLUMNS =
  'client_id, name, role, wmis, provider_ids, operator_ids, secret_hash, created_at, expires_at, revoked_at';

function joinList(values: readonly string[], normalise: (v: string) => string | undefined): string {
  for (const v of values) {
    if (normalise(v) !== v) throw new TypeError('scope values must be normalised before they are stored');
  }
  return values.join(',');
}

function splitList(text: string, normalise: (v: string) => string | undefined, clientId: string): string[] {
  if (text === '') return [];
  const values = text.split(',');
  for (const v of values) {
    if (normalise(v) !== v) {
      throw appError('auth.corrupt-record', `client ${clientId} has an invalid stored scope entry`);
    }
  }
  return values;
}

function toRecord(row: ClientRow): ClientRecord {
  if (!isRole(row.role)) {
    throw appError('auth.corrupt-record', `client ${row.client_id} has an unknown stored role`);
  }
  return {
    clientId: row.client_id,
    name: row.name ?? undefined,
    role: row.role,
    scope: {
      wmis: splitList(row.wmis, normaliseWmi, row.client_id),
      providerIds: splitList(row.provider_ids, normaliseProviderId, row.client_id),
      operatorIds: splitList(row.operator_ids, normaliseOperatorId, row.client_id),
    },
    secretHash: row.secret_hash,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? undefined : new Date(row.revoked_at),
  };
}

export async function insertClient(tx: Tx, client: ClientRecord): Promise<void> {
  await tx.execute(
    `INSERT INTO auth_clients (${CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      client.clientId,
      client.name ?? null,
      client.role,
      joinList(client.scope.wmis, normaliseWmi),
      joinList(client.scope.providerIds, normaliseProviderId),
      joinList(client.scope.operatorIds, normaliseOperatorId),
      client.secretHash,
      client.createdAt.getTime(),
      client.expiresAt?.getTime() ?? null,
      client.revokedAt?.getTime() ?? null,
    ],
  );
}

/** The client with this id, revoked or not; undefined when there is none. Reads committed data. */
export async function findClient(
  db: Pick<Database, 'query'>,
  clientId: string,
): Promise<ClientRecord | undefined> {
  const rows = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM auth_clients WHERE client_id = $1`, [
    clientId,
  ]);
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/** Every client, oldest first. */
export async function listClients(db: Pick<Database, 'query'>): Promise<ClientRecord[]> {
  const rows = await db.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM auth_clients ORDER BY created_at, client_id`,
  );
  return rows.map(toRecord);
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

/** Marks the client revoked at `at` (kept for the record); a second revocation changes nothing. */
export async function revokeClient(db: Database, clientId: string, at: Date): Promise<RevokeOutcome> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ revoked_at: number | null }>(
      'SELECT revoked_at FROM auth_clients WHERE client_id = $1',
      [clientId],
    );
    const row = rows[0];
    if (row === undefined) return 'not-found';
    if (row.revoked_at !== null) return 'already-revoked';
    await tx.execute('UPDATE auth_clients SET revoked_at = $1 WHERE client_id = $2', [
      at.getTime(),
      clientId,
    ]);
    return 'revoked';
  });
}

/** A token signing key as stored: PKCS#8 DER of the private key. */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly algorithm: string;
  readonly privateKey: Uint8Array;
  readonly createdAt: Date;
}

/** Every signing key, newest first. */
export async function listSigningKeys(db: Pick<Database, 'query'>): Promise<SigningKeyRecord[]> {
  const rows = await db.query<{
    kid: string;
    algorithm: string;
    private_key: Uint8Array;
    created_at: number;
  }>('SELECT kid, algorithm, private_key, created_at FROM auth_signing_keys ORDER BY created_at DESC, kid');
  return rows.map((r) => ({
    kid: r.kid,
    algorithm: r.algorithm,
    privateKey: r.private_key,
    createdAt: new Date(r.created_at),
  }));
}

/**
 * Stores the key unless a signing key exists already; returns whether it was stored. Serializable on
 * both backends, so two instances starting at once end up with one key.
 */
export async function insertFirstSigningKey(db: Database, key: SigningKeyRecord): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM auth_signing_keys');
    if ((rows[0]?.n ?? 0) > 0) return false;
    await tx.execute(
      'INSERT INTO auth_signing_keys (kid, algorithm, private_key, created_at) VALUES ($1, $2, $3, $4)',
      [key.kid, key.algorithm, key.privateKey, key.createdAt.getTime()],
    );
    return true;
  });
}
