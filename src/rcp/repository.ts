// Storage of the Root Certificate Pool (docs/rcp.md): one table of roots, soft-deleted so that the
// history stays for the audit log and for the CTL sequence number (a deleted root keeps its row with
// deleted_at set; the SHA-256 fingerprint is unique among the roots not deleted). Every change runs
// in one transaction together with its audit record (src/audit, component 'rcp').

import { appendAudit } from '../audit/audit-log.ts';
import { appError } from '../errors/catalogue.ts';
import { isUniqueViolation } from '../storage/driver-errors.ts';
import type { Database, MigrationRegistration, SqlValue, Tx } from '../storage/types.ts';
import type { RootType } from './trust-anchors.ts';

/** A root as stored. */
export interface RootRecord {
  /** UUID (OPCP RootCertV2.rootCertificateId is a UUID). */
  readonly id: string;
  readonly rootType: RootType;
  readonly iso: 2 | 20;
  readonly der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprintSha256: string;
  /** RFC 4514 subject. */
  readonly subject: string;
  /** RFC 4514 issuer (equal to the subject: roots are self-signed). */
  readonly issuer: string;
  /** Lower-case hex without leading zeros. */
  readonly serial: string;
  /** subjectKeyIdentifier, or null when the root has none. */
  readonly ski: Uint8Array | null;
  /** P-256, P-521 or Ed448. */
  readonly keyAlgorithm: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly addedAt: Date;
  readonly addedBy: string;
  readonly deletedAt: Date | null;
  readonly deletedBy: string | null;
  /** Lint findings accepted when the root was added (warnings; in lenient mode also errors). */
  readonly lintFindings: readonly LintFinding[];
  /** Added in lenient mode (profile-lint errors accepted, D-041). */
  readonly lenient: boolean;
}

export interface LintFinding {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
}

export type NewRoot = Omit<RootRecord, 'deletedAt' | 'deletedBy'>;

export interface RootFilter {
  readonly types?: readonly RootType[];
  readonly iso?: 2 | 20;
  /** Also deleted roots (history); default false. */
  readonly includeDeleted?: boolean;
}

/** More work inside the transaction of a change (raising its webhook event, src/events). */
export type WithinChange = (tx: Tx, root: RootRecord) => Promise<void>;

/** The component's repository interface (architecture-practices §3.4). */
export interface RcpRepository {
  /**
   * Inserts a root and its audit record (and runs `within` in the same transaction); a root with the
   * same fingerprint not deleted → rcp.duplicate.
   */
  add(root: NewRoot, within?: WithinChange): Promise<void>;
  /** Soft-deletes a root not yet deleted, with its audit record (and `within`); undefined when there is none. */
  delete(id: string, actor: string, at: Date, within?: WithinChange): Promise<RootRecord | undefined>;
  /** The same inside the caller's transaction (pool maintenance, src/maintenance); `details` go to the audit record. */
  deleteInTx(
    tx: Tx,
    id: string,
    actor: string,
    at: Date,
    details?: Readonly<Record<string, unknown>>,
  ): Promise<RootRecord | undefined>;
  get(id: string, options?: { readonly includeDeleted?: boolean }): Promise<RootRecord | undefined>;
  findActiveByFingerprint(fingerprintSha256: string): Promise<RootRecord | undefined>;
  /** Oldest first (added_at, then id). */
  list(filter?: RootFilter): Promise<RootRecord[]>;
  /**
   * The number of changes ever made to the pool (adds + deletes): strictly increases with every
   * change and never decreases, since rows are never removed. The CTL sequence number.
   */
  changeCount(): Promise<number>;
}

interface RootRow {
  id: string;
  root_type: string;
  iso: number | bigint;
  der: Uint8Array;
  fingerprint_sha256: string;
  subject: string;
  issuer: string;
  serial: string;
  ski: Uint8Array | null;
  key_algorithm: string;
  not_before_at: number | bigint;
  not_after_at: number | bigint;
  added_at: number | bigint;
  added_by: string;
  deleted_at: number | bigint | null;
  deleted_by: string | null;
  lint_findings: string;
  lenient: number | bigint;
}

const COLUMNS =
  'id, root_type, iso, der, fingerprint_sha256, subject, issuer, serial, ski, key_algorithm, not_before_at, ' +
  'not_after_at, added_at, added_by, deleted_at, deleted_by, lint_findings, lenient';

function toRecord(row: RootRow): RootRecord {
  return {
    id: row.id,
    rootType: row.root_type as RootType,
    iso: Number(row.iso) === 20 ? 20 : 2,
    der: row.der,
    fingerprintSha256: row.fingerprint_sha256,
    subject: row.subject,
    issuer: row.issuer,
    serial: row.serial,
    ski: row.ski,
    keyAlgorithm: row.key_algorithm,
    notBefore: new Date(Number(row.not_before_at)),
    notAfter: new Date(Number(row.not_after_at)),
    addedAt: new Date(Number(row.added_at)),
    addedBy: row.added_by,
    deletedAt: row.deleted_at === null ? null : new Date(Number(row.deleted_at)),
    deletedBy: row.deleted_by,
    lintFindings: JSON.parse(row.lint_findings) as LintFinding[],
    lenient: Number(row.lenient) === 1,
  };
}

export class SqlRcpRepository implements RcpRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async add(root: NewRoot, within?: WithinChange): Promise<void> {
    try {
      await this.#db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO rcp_roots (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL, $15, $16)`,
          [
            root.id,
            root.rootType,
            root.iso,
            root.der,
            root.fingerprintSha256,
            root.subject,
            root.issuer,
            root.serial,
            root.ski,
            root.keyAlgorithm,
            root.notBefore.getTime(),
            root.notAfter.getTime(),
            root.addedAt.getTime(),
            root.addedBy,
            JSON.stringify(root.lintFindings),
            root.lenient ? 1 : 0,
          ],
        );
        await appendAudit(tx, {
          at: root.addedAt,
          actor: root.addedBy,
          component: 'rcp',
          action: 'root.added',
          subject: root.fingerprintSha256,
          details: {
            id: root.id,
            rootType: root.rootType,
            iso: root.iso,
            subject: root.subject,
            serial: root.serial,
            notAfter: root.notAfter.toISOString(),
            lenient: root.lenient,
            lintCodes: [...new Set(root.lintFindings.map((f) => f.code))],
          },
        });
        await within?.(tx, { ...root, deletedAt: null, deletedBy: null });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw appError(
          'rcp.duplicate',
          `the root with SHA-256 fingerprint ${root.fingerprintSha256} is already in the pool`,
          { details: { fingerprint: root.fingerprintSha256 }, cause: error },
        );
      }
      throw error;
    }
  }

  async delete(id: string, actor: string, at: Date, within?: WithinChange): Promise<RootRecord | undefined> {
    return this.#db.transaction(async (tx) => {
      const deleted = await this.deleteInTx(tx, id, actor, at);
      if (deleted !== undefined) await within?.(tx, deleted);
      return deleted;
    });
  }

  async deleteInTx(
    tx: Tx,
    id: string,
    actor: string,
    at: Date,
    details: Readonly<Record<string, unknown>> = {},
  ): Promise<RootRecord | undefined> {
    const rows = await tx.query<RootRow>(
      `UPDATE rcp_roots SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [at.getTime(), actor, id],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const deleted = toRecord(row);
    await appendAudit(tx, {
      at,
      actor,
      component: 'rcp',
      action: 'root.deleted',
      subject: deleted.fingerprintSha256,
      details: { id, rootType: deleted.rootType, iso: deleted.iso, subject: deleted.subject, ...details },
    });
    return deleted;
  }

  async get(
    id: string,
    options: { readonly includeDeleted?: boolean } = {},
  ): Promise<RootRecord | undefined> {
    const rows = await this.#db.query<RootRow>(
      `SELECT ${COLUMNS} FROM rcp_roots WHERE id = $1${options.includeDeleted === true ? '' : ' AND deleted_at IS NULL'}`,
      [id],
    );
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async findActiveByFingerprint(fingerprintSha256: string): Promise<RootRecord | undefined> {
    const rows = await this.#db.query<RootRow>(
      `SELECT ${COLUMNS} FROM rcp_roots WHERE fingerprint_sha256 = $1 AND deleted_at IS NULL`,
      [fingerprintSha256],
    );
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async list(filter: RootFilter = {}): Promise<RootRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.includeDeleted !== true) where.push('deleted_at IS NULL');
    if (filter.types !== undefined) {
      if (filter.types.length === 0) return [];
      const marks = filter.types.map((t) => {
        params.push(t);
        return `$${params.length}`;
      });
      where.push(`root_type IN (${marks.join(', ')})`);
    }
    if (filter.iso !== undefined) {
      params.push(filter.iso);
      where.push(`iso = $${params.length}`);
    }
    const rows = await this.#db.query<RootRow>(
      `SELECT ${COLUMNS} FROM rcp_roots${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY added_at, id`,
      params,
    );
    return rows.map(toRecord);
  }

  async changeCount(): Promise<number> {
    const rows = await this.#db.query<{ n: number | bigint }>(
      'SELECT COUNT(*) + COUNT(deleted_at) AS n FROM rcp_roots',
    );
    return Number(rows[0]?.n ?? 0);
  }
}

const CREATE_SQLITE = `CREATE TABLE rcp_roots (
  id TEXT PRIMARY KEY,
  root_type TEXT NOT NULL CHECK (root_type IN ('V2G', 'MO', 'OEM', 'PE')),
  iso INTEGER NOT NULL CHECK (iso IN (2, 20)),
  der BLOB NOT NULL,
  fingerprint_sha256 TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  ski BLOB,
  key_algorithm TEXT NOT NULL,
  not_before_at INTEGER NOT NULL,
  not_after_at INTEGER NOT NULL,
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL,
  deleted_at INTEGER,
  deleted_by TEXT,
  lint_findings TEXT NOT NULL,
  lenient INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX rcp_roots_active_fingerprint ON rcp_roots (fingerprint_sha256) WHERE deleted_at IS NULL;
CREATE INDEX rcp_roots_added ON rcp_roots (added_at, id);`;

const CREATE_POSTGRES = `CREATE TABLE rcp_roots (
  id TEXT PRIMARY KEY,
  root_type TEXT NOT NULL CHECK (root_type IN ('V2G', 'MO', 'OEM', 'PE')),
  iso INTEGER NOT NULL CHECK (iso IN (2, 20)),
  der BYTEA NOT NULL,
  fingerprint_sha256 TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  ski BYTEA,
  key_algorithm TEXT NOT NULL,
  not_before_at BIGINT NOT NULL,
  not_after_at BIGINT NOT NULL,
  added_at BIGINT NOT NULL,
  added_by TEXT NOT NULL,
  deleted_at BIGINT,
  deleted_by TEXT,
  lint_findings TEXT NOT NULL,
  lenient SMALLINT NOT NULL
);
CREATE UNIQUE INDEX rcp_roots_active_fingerprint ON rcp_roots (fingerprint_sha256) WHERE deleted_at IS NULL;
CREATE INDEX rcp_roots_added ON rcp_roots (added_at, id);`;

/** Registered in src/app/migrations.ts after AUDIT_MIGRATIONS. */
export const RCP_MIGRATIONS: MigrationRegistration = {
  component: 'rcp',
  migrations: [{ id: 1, name: 'create rcp_roots', sqlite: CREATE_SQLITE, postgres: CREATE_POSTGRES }],
};
