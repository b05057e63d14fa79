// The audit log of the pools and services (RCP, PCP, CPS, CCP, events): one append-only table,
// written in the same transaction as the change it records, so a change without its record (or a
// record without its change) cannot exist. The certificate authority keeps its own ca_audit_log
// (src/ca) for issuance and revocation. Records hold identifiers and fingerprints, never secrets,
// private keys or whole request bodies (DEVELOPERS.md "Security is the product").

import type { MigrationRegistration, SqlValue, Tx } from '../storage/types.ts';

/** Who made a change: `client:<clientId>` for an API client, `cli` for the operator, `system` for jobs. */
export type AuditActor = string;

export interface AuditEntry {
  readonly at: Date;
  readonly actor: AuditActor;
  /** The component that changed: `rcp`, `pcp`, `cps`, `ccp`, `events`, `maintenance`. */
  readonly component: string;
  /** What happened, `<noun>.<verb>` in lower case: `root.added`, `contract.deleted`. */
  readonly action: string;
  /** What it happened to: a PCID, an EMAID, a root fingerprint, ... */
  readonly subject: string;
  /** Further facts (JSON-serialisable, no secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends Required<AuditEntry> {
  readonly id: number;
}

/** Appends one record inside the caller's transaction (the one that makes the change). */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.execute(
    'INSERT INTO audit_log (at, actor, component, action, subject, details) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      entry.at.getTime(),
      entry.actor,
      entry.component,
      entry.action,
      entry.subject,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

export interface AuditQuery {
  readonly component?: string;
  readonly subject?: string;
  /** Newest first; at most this many (default 100, at most 10 000). */
  readonly limit?: number;
}

interface AuditRow {
  id: number | bigint;
  at: number | bigint;
  actor: string;
  component: string;
  action: string;
  subject: string;
  details: string;
}

/** Reads records, newest first. */
export async function listAudit(
  db: { query<R extends object>(sql: string, params?: readonly SqlValue[]): Promise<R[]> },
  query: AuditQuery = {},
): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (query.component !== undefined) {
    params.push(query.component);
    where.push(`component = $${params.length}`);
  }
  if (query.subject !== undefined) {
    params.push(query.subject);
    where.push(`subject = $${params.length}`);
  }
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 10_000);
  params.push(limit);
  const rows = await db.query<AuditRow>(
    `SELECT id, at, actor, component, action, subject, details FROM audit_log${
      where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    at: new Date(Number(row.at)),
    actor: row.actor,
    component: row.component,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}

const CREATE_SQLITE = `CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  component TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE INDEX audit_log_component ON audit_log (component, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;`;

const CREATE_POSTGRES = `CREATE TABLE audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  component TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE INDEX audit_log_component ON audit_log (component, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();`;

export const AUDIT_MIGRATIONS: MigrationRegistration = {
  component: 'audit',
  migrations: [{ id: 1, name: 'create audit_log', sqlite: CREATE_SQLITE, postgres: CREATE_POSTGRES }],
};
