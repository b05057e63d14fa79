// Storage of the certificate authority (architecture-practices §3 item 4: the component owns its
// repository and its SQL; src/storage owns connections and transactions). Tables: ./migrations.ts.
//
// Issuance writes in two transactions around the signature (Boulder `ca/ca.go`: the serial is
// stored before issuance, so no serial is ever used twice and every signature is traceable):
//   reserve()          INSERT the certificate row as 'reserved' (with the exact TBS to be signed),
//                      the new CA row as 'pending' for CA certificates, and the audit record
//                      "about to sign" — committed before the key is touched;
//   completeIssuance() 'issued' + DER (+ CA 'active') + audit record, or
//   failIssuance()     'failed' (+ CA 'failed') + audit record.
// The audit log is append-only (triggers refuse UPDATE / DELETE); it holds no secrets.

import type { CertificateRole, IsoVersion } from '../pki/profiles/types.ts';
import type { SignerBackend } from '../signer/types.ts';
import { commitMarker } from '../storage/change-marker.ts';
import { isUniqueViolation } from '../storage/driver-errors.ts';
import type { Database, SqlValue, Tx } from '../storage/types.ts';
import { serialFromHex } from './serial.ts';
import type {
  AuditEntry,
  CaStatus,
  CaView,
  CertificateStatus,
  CertificateView,
  RevocationReasonCode,
  RevokedCertificate,
} from './types.ts';

export interface NewCaRow {
  readonly id: string;
  readonly name: string;
  readonly iso: IsoVersion;
  readonly role: CertificateRole;
  readonly profileId: string;
  readonly parentId: string | null;
  readonly subject: string;
  readonly keyId: string | null;
  readonly keyBackend: SignerBackend | null;
  readonly keyAlgorithm: string;
  readonly external: boolean;
  readonly status: CaStatus;
  readonly createdAt: Date;
  /** Imported CAs arrive with their certificate; issued ones get it in completeIssuance(). */
  readonly certificate?: {
    readonly der: Uint8Array;
    readonly serial: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
  };
}

export interface ReservationRow {
  readonly id: string;
  readonly issuerCaId: string;
  readonly serial: string;
  readonly profileId: string;
  readonly subject: string;
  readonly subjectCaId: string | null;
  readonly tbsDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyId: string | null;
  readonly createdAt: Date;
}

export interface AuditInput {
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: Record<string, unknown>;
}

/** The status of one certificate row (findCertificateStatus). */
export interface CertificateStatusRow {
  readonly status: CertificateStatus;
  readonly notAfter: Date;
  readonly revokedAt: Date | null;
  readonly revocationReason: RevocationReasonCode | null;
}

export type ReserveOutcome = 'reserved' | 'serial-taken' | 'name-taken';
export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-issued' | 'not-found';

export interface CertificateFilter {
  readonly issuerCaId?: string;
  readonly status?: CertificateStatus;
  /** Leave out certificates of CAs (those show in listCas). */
  readonly leavesOnly?: boolean;
}

/** The storage the service needs (a narrow port; SqlCaRepository implements it on both backends). */
/** Which CA audit records to read: by subject, oldest first (default) or the newest `limit`. */
export interface AuditFilter {
  readonly subject?: string;
  readonly newestFirst?: boolean;
  readonly limit?: number;
}

export interface CaRepository {
  reserve(input: {
    readonly ca?: NewCaRow;
    readonly certificate: ReservationRow;
    readonly audit: AuditInput;
  }): Promise<ReserveOutcome>;
  completeIssuance(input: {
    readonly certificateId: string;
    readonly der: Uint8Array;
    readonly issuedAt: Date;
    readonly caId?: string;
    readonly audit: AuditInput;
  }): Promise<void>;
  failIssuance(input: {
    readonly certificateId: string;
    readonly caId?: string;
    readonly audit: AuditInput;
  }): Promise<void>;
  /** Inserts imported CAs (parents first) with their audit records; 'name-taken' inserts nothing. */
  insertImportedCas(
    cas: readonly NewCaRow[],
    audits: readonly AuditInput[],
  ): Promise<'inserted' | 'name-taken'>;
  revoke(input: {
    readonly certificateId: string;
    readonly at: Date;
    readonly reason: RevocationReasonCode;
    readonly audit: AuditInput;
  }): Promise<RevokeOutcome>;
  appendAudit(entry: AuditInput): Promise<void>;

  getCa(id: string): Promise<CaView | undefined>;
  /** The CA with this name among those that did not fail. */
  findCaByName(name: string): Promise<CaView | undefined>;
  listCas(): Promise<CaView[]>;
  getCertificate(id: string): Promise<CertificateView | undefined>;
  findCertificate(issuerCaId: string, serial: string): Promise<CertificateView | undefined>;
  /** The status columns only of findCertificate (the OCSP responder's lookup: no DER, no view). */
  findCertificateStatus(issuerCaId: string, serial: string): Promise<CertificateStatusRow | undefined>;
  /**
   * A value that changes whenever a transaction that may have changed certificate statuses was
   * committed, by any connection or process, or undefined where the database offers no such cheap
   * marker (PostgreSQL). See statusChangeMarker in SqlCaRepository.
   */
  statusChangeMarker(): Promise<number | undefined>;
  findCertificatesBySerial(serial: string): Promise<CertificateView[]>;
  listCertificates(filter?: CertificateFilter): Promise<CertificateView[]>;
  revokedCertificates(issuerCaId: string): Promise<RevokedCertificate[]>;
  /** Number of revoked certificates of every CA (grows only: revocation is final; D-175). */
  revokedCount(): Promise<number>;
  /** Every revoked certificate of every CA, as issuer CA id and canonical serial. */
  revokedSerials(): Promise<{ issuerCaId: string; serialHex: string }[]>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}

// --- Rows ---------------------------------------------------------------------------------------------

interface CaRowSql {
  id: string;
  name: string;
  iso: string;
  role: string;
  profile_id: string;
  parent_id: string | null;
  subject: string;
  certificate_der: Uint8Array | null;
  serial_hex: string | null;
  not_before_at: number | null;
  not_after_at: number | null;
  key_id: string | null;
  key_backend: string | null;
  key_algorithm: string;
  external: number;
  status: string;
  created_at: number;
}

interface CertificateRowSql {
  id: string;
  issuer_ca_id: string;
  serial_hex: string;
  profile_id: string;
  subject: string;
  subject_ca_id: string | null;
  der: Uint8Array | null;
  not_before_at: number;
  not_after_at: number;
  key_id: string | null;
  status: string;
  revoked_at: number | null;
  revocation_reason: number | null;
  created_at: number;
}

interface AuditRowSql {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  details: string;
}

const CA_COLUMNS =
  'id, name, iso, role, profile_id, parent_id, subject, certificate_der, serial_hex, not_before_at, ' +
  'not_after_at, key_id, key_backend, key_algorithm, external, status, created_at';

const CERTIFICATE_COLUMNS =
  'id, issuer_ca_id, serial_hex, profile_id, subject, subject_ca_id, der, not_before_at, not_after_at, ' +
  'key_id, status, revoked_at, revocation_reason, created_at';

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(Number(ms)));

function caView(row: CaRowSql): CaView {
  return {
    id: row.id,
    name: row.name,
    iso: row.iso as IsoVersion,
    role: row.role as CertificateRole,
    profileId: row.profile_id,
    parentId: row.parent_id,
    external: Number(row.external) === 1,
    status: row.status as CaStatus,
    subject: row.subject,
    serial: row.serial_hex,
    notBefore: date(row.not_before_at),
    notAfter: date(row.not_after_at),
    keyId: row.key_id,
    keyBackend: row.key_backend as SignerBackend | null,
    keyAlgorithm: row.key_algorithm,
    createdAt: new Date(Number(row.created_at)),
    certificate: row.certificate_der,
  };
}

function certificateView(row: CertificateRowSql): CertificateView {
  return {
    id: row.id,
    issuerCaId: row.issuer_ca_id,
    serial: row.serial_hex,
    profileId: row.profile_id,
    subject: row.subject,
    subjectCaId: row.subject_ca_id,
    status: row.status as CertificateStatus,
    notBefore: new Date(Number(row.not_before_at)),
    notAfter: new Date(Number(row.not_after_at)),
    keyId: row.key_id,
    revokedAt: date(row.revoked_at),
    revocationReason:
      row.revocation_reason === null ? null : (Number(row.revocation_reason) as RevocationReasonCode),
    createdAt: new Date(Number(row.created_at)),
    certificate: row.der,
  };
}

async function insertAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.execute(
    'INSERT INTO ca_audit_log (at, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5)',
    [entry.at.getTime(), entry.actor, entry.action, entry.subject, JSON.stringify(entry.details)],
  );
}

async function insertCa(tx: Tx, ca: NewCaRow): Promise<void> {
  await tx.execute(
    `INSERT INTO ca_authorities (${CA_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      ca.id,
      ca.name,
      ca.iso,
      ca.role,
      ca.profileId,
      ca.parentId,
      ca.subject,
      ca.certificate?.der ?? null,
      ca.certificate?.serial ?? null,
      ca.certificate?.notBefore.getTime() ?? null,
      ca.certificate?.notAfter.getTime() ?? null,
      ca.keyId,
      ca.keyBackend,
      ca.keyAlgorithm,
      ca.external ? 1 : 0,
      ca.status,
      ca.createdAt.getTime(),
    ],
  );
}

async function nameTaken(tx: Tx | Database, name: string): Promise<boolean> {
  const rows = await tx.query("SELECT 1 AS one FROM ca_authorities WHERE name = $1 AND status <> 'failed'", [
    name,
  ]);
  return rows.length > 0;
}

async function serialTaken(tx: Tx | Database, issuerCaId: string, serial: string): Promise<boolean> {
  const rows = await tx.query(
    'SELECT 1 AS one FROM ca_certificates WHERE issuer_ca_id = $1 AND serial_hex = $2',
    [issuerCaId, serial],
  );
  return rows.length > 0;
}

export class SqlCaRepository implements CaRepository {
  readonly #db: Database;

  constructor(db: Database) {
    if (db === undefined || db === null) throw new TypeError('SqlCaRepository needs a Database');
    this.#db = db;
  }

  async reserve(input: {
    ca?: NewCaRow;
    certificate: ReservationRow;
    audit: AuditInput;
  }): Promise<ReserveOutcome> {
    const { ca, certificate: c } = input;
    try {
      return await this.#db.transaction(async (tx) => {
        // Checked first so the usual answer needs no failed statement; the UNIQUE constraints below
        // still decide races between processes.
        if (ca !== undefined && (await nameTaken(tx, ca.name))) return 'name-taken';
        if (await serialTaken(tx, c.issuerCaId, c.serial)) return 'serial-taken';
        if (ca !== undefined) await insertCa(tx, ca);
        await tx.execute(
          `INSERT INTO ca_certificates (id, issuer_ca_id, serial_hex, profile_id, subject, subject_ca_id, tbs_der,
             not_before_at, not_after_at, key_id, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reserved', $11)`,
          [
            c.id,
            c.issuerCaId,
            c.serial,
            c.profileId,
            c.subject,
            c.subjectCaId,
            c.tbsDer,
            c.notBefore.getTime(),
            c.notAfter.getTime(),
            c.keyId,
            c.createdAt.getTime(),
          ],
        );
        await insertAudit(tx, input.audit);
        return 'reserved' as const;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Lost a race with another process: tell which constraint fired.
      if (ca !== undefined && (await nameTaken(this.#db, ca.name))) return 'name-taken';
      if (await serialTaken(this.#db, c.issuerCaId, c.serial)) return 'serial-taken';
      throw error;
    }
  }

  async completeIssuance(input: {
    certificateId: string;
    der: Uint8Array;
    issuedAt: Date;
    caId?: string;
    audit: AuditInput;
  }): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const rows = await tx.query<{ serial_hex: string; not_before_at: number; not_after_at: number }>(
        `UPDATE ca_certificates SET status = 'issued', der = $1, issued_at = $2
         WHERE id = $3 AND status = 'reserved' RETURNING serial_hex, not_before_at, not_after_at`,
        [input.der, input.issuedAt.getTime(), input.certificateId],
      );
      const row = rows[0];
      if (row === undefined) throw new Error(`certificate ${input.certificateId} is not reserved`);
      if (input.caId !== undefined) {
        const { changes } = await tx.execute(
          `UPDATE ca_authorities SET status = 'active', certificate_der = $1, serial_hex = $2, not_before_at = $3,
             not_after_at = $4 WHERE id = $5 AND status = 'pending'`,
          [input.der, row.serial_hex, Number(row.not_before_at), Number(row.not_after_at), input.caId],
        );
        if (changes !== 1) throw new Error(`CA ${input.caId} is not pending`);
      }
      await insertAudit(tx, input.audit);
    });
  }

  async failIssuance(input: { certificateId: string; caId?: string; audit: AuditInput }): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.execute("UPDATE ca_certificates SET status = 'failed' WHERE id = $1 AND status = 'reserved'", [
        input.certificateId,
      ]);
      if (input.caId !== undefined) {
        await tx.execute("UPDATE ca_authorities SET status = 'failed' WHERE id = $1 AND status = 'pending'", [
          input.caId,
        ]);
      }
      await insertAudit(tx, input.audit);
    });
  }

  async insertImportedCas(
    cas: readonly NewCaRow[],
    audits: readonly AuditInput[],
  ): Promise<'inserted' | 'name-taken'> {
    try {
      return await this.#db.transaction(async (tx) => {
        for (const ca of cas) if (await nameTaken(tx, ca.name)) return 'name-taken';
        for (const ca of cas) await insertCa(tx, ca);
        for (const audit of audits) await insertAudit(tx, audit);
        return 'inserted' as const;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
  }

  async revoke(input: {
    certificateId: string;
    at: Date;
    reason: RevocationReasonCode;
    audit: AuditInput;
  }): Promise<RevokeOutcome> {
    return this.#db.transaction(async (tx) => {
      const rows = await tx.query<{ status: string; subject_ca_id: string | null }>(
        'SELECT status, subject_ca_id FROM ca_certificates WHERE id = $1',
        [input.certificateId],
      );
      const row = rows[0];
      if (row === undefined) return 'not-found';
      if (row.status === 'revoked') return 'already-revoked';
      if (row.status !== 'issued') return 'not-issued';
      await tx.execute(
        "UPDATE ca_certificates SET status = 'revoked', revoked_at = $1, revocation_reason = $2 WHERE id = $3",
        [input.at.getTime(), input.reason, input.certificateId],
      );
      if (row.subject_ca_id !== null) {
        await tx.execute("UPDATE ca_authorities SET status = 'revoked' WHERE id = $1", [row.subject_ca_id]);
      }
      await insertAudit(tx, input.audit);
      return 'revoked' as const;
    });
  }

  async appendAudit(entry: AuditInput): Promise<void> {
    await this.#db.transaction((tx) => insertAudit(tx, entry));
  }

  async getCa(id: string): Promise<CaView | undefined> {
    const rows = await this.#db.query<CaRowSql>(`SELECT ${CA_COLUMNS} FROM ca_authorities WHERE id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? undefined : caView(rows[0]);
  }

  async findCaByName(name: string): Promise<CaView | undefined> {
    const rows = await this.#db.query<CaRowSql>(
      `SELECT ${CA_COLUMNS} FROM ca_authorities WHERE name = $1 AND status <> 'failed'`,
      [name],
    );
    return rows[0] === undefined ? undefined : caView(rows[0]);
  }

  async listCas(): Promise<CaView[]> {
    const rows = await this.#db.query<CaRowSql>(
      `SELECT ${CA_COLUMNS} FROM ca_authorities ORDER BY created_at, id`,
    );
    return rows.map(caView);
  }

  async getCertificate(id: string): Promise<CertificateView | undefined> {
    const rows = await this.#db.query<CertificateRowSql>(
      `SELECT ${CERTIFICATE_COLUMNS} FROM ca_certificates WHERE id = $1`,
      [id],
    );
    return rows[0] === undefined ? undefined : certificateView(rows[0]);
  }

  async findCertificate(issuerCaId: string, serial: string): Promise<CertificateView | undefined> {
    const rows = await this.#db.query<CertificateRowSql>(
      `SELECT ${CERTIFICATE_COLUMNS} FROM ca_certificates WHERE issuer_ca_id = $1 AND serial_hex = $2`,
      [issuerCaId, serial],
    );
    return rows[0] === undefined ? undefined : certificateView(rows[0]);
  }

  async findCertificateStatus(issuerCaId: string, serial: string): Promise<CertificateStatusRow | undefined> {
    const rows = await this.#db.query<{
      status: string;
      not_after_at: number;
      revoked_at: number | null;
      revocation_reason: number | null;
    }>(
      'SELECT status, not_after_at, revoked_at, revocation_reason FROM ca_certificates WHERE issuer_ca_id = $1 AND serial_hex = $2',
      [issuerCaId, serial],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      status: row.status as CertificateStatus,
      notAfter: new Date(Number(row.not_after_at)),
      revokedAt: date(row.revoked_at),
      revocationReason:
        row.revocation_reason === null ? null : (Number(row.revocation_reason) as RevocationReasonCode),
    };
  }

  /** The database's commit marker (src/storage/change-marker.ts): SQLite data_version, else undefined. */
  statusChangeMarker(): Promise<number | undefined> {
    return commitMarker(this.#db);
  }

  async findCertificatesBySerial(serial: string): Promise<CertificateView[]> {
    const rows = await this.#db.query<CertificateRowSql>(
      `SELECT ${CERTIFICATE_COLUMNS} FROM ca_certificates WHERE serial_hex = $1 ORDER BY created_at, id`,
      [serial],
    );
    return rows.map(certificateView);
  }

  async listCertificates(filter: CertificateFilter = {}): Promise<CertificateView[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.issuerCaId !== undefined) {
      params.push(filter.issuerCaId);
      where.push(`issuer_ca_id = $${params.length}`);
    }
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.leavesOnly === true) where.push('subject_ca_id IS NULL');
    const rows = await this.#db.query<CertificateRowSql>(
      `SELECT ${CERTIFICATE_COLUMNS} FROM ca_certificates${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at, id`,
      params,
    );
    return rows.map(certificateView);
  }

  async revokedCount(): Promise<number> {
    // Answered from the partial index ca_certificates_revoked (WHERE status = 'revoked').
    const rows = await this.#db.query<{ n: number | bigint }>(
      "SELECT COUNT(*) AS n FROM ca_certificates WHERE status = 'revoked'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  async revokedSerials(): Promise<{ issuerCaId: string; serialHex: string }[]> {
    const rows = await this.#db.query<{ issuer_ca_id: string; serial_hex: string }>(
      "SELECT issuer_ca_id, serial_hex FROM ca_certificates WHERE status = 'revoked'",
    );
    return rows.map((r) => ({ issuerCaId: r.issuer_ca_id, serialHex: r.serial_hex }));
  }

  async revokedCertificates(issuerCaId: string): Promise<RevokedCertificate[]> {
    const rows = await this.#db.query<{
      serial_hex: string;
      revoked_at: number;
      revocation_reason: number;
      not_after_at: number;
    }>(
      `SELECT serial_hex, revoked_at, revocation_reason, not_after_at FROM ca_certificates
       WHERE issuer_ca_id = $1 AND status = 'revoked' ORDER BY revoked_at, serial_hex`,
      [issuerCaId],
    );
    return rows.map((r) => ({
      serial: r.serial_hex,
      serialNumber: serialFromHex(r.serial_hex),
      revokedAt: new Date(Number(r.revoked_at)),
      reason: Number(r.revocation_reason) as RevocationReasonCode,
      notAfter: new Date(Number(r.not_after_at)),
    }));
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const params: SqlValue[] = [];
    let sql = 'SELECT id, at, actor, action, subject, details FROM ca_audit_log';
    if (filter.subject !== undefined) {
      params.push(filter.subject);
      sql += ' WHERE subject = $1';
    }
    sql += filter.newestFirst === true ? ' ORDER BY id DESC' : ' ORDER BY id';
    if (filter.limit !== undefined) {
      params.push(filter.limit);
      sql += ` LIMIT $${params.length}`;
    }
    const rows = await this.#db.query<AuditRowSql>(sql, params);
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(Number(r.at)),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
