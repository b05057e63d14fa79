// Tables of the certificate authority (docs/ca.md "Storage"; rules in docs/storage.md): CAs, the
// certificates they issue (one row per serial, written BEFORE the signature), and an append-only
// audit log. Times are epoch milliseconds; booleans 0 / 1.

import type { MigrationRegistration } from '../storage/types.ts';

const CREATE_AUTHORITIES_SQLITE = `CREATE TABLE ca_authorities (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  iso TEXT NOT NULL CHECK (iso IN ('2', '20')),
  role TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  parent_id TEXT REFERENCES ca_authorities (id),
  subject TEXT NOT NULL,
  certificate_der BLOB,
  serial_hex TEXT,
  not_before_at INTEGER,
  not_after_at INTEGER,
  key_id TEXT,
  key_backend TEXT,
  key_algorithm TEXT NOT NULL,
  external INTEGER NOT NULL CHECK (external IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'revoked')),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX ca_authorities_name ON ca_authorities (name) WHERE status <> 'failed';
CREATE INDEX ca_authorities_parent ON ca_authorities (parent_id);`;

const CREATE_AUTHORITIES_POSTGRES = `CREATE TABLE ca_authorities (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  iso TEXT NOT NULL CHECK (iso IN ('2', '20')),
  role TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  parent_id TEXT REFERENCES ca_authorities (id),
  subject TEXT NOT NULL,
  certificate_der BYTEA,
  serial_hex TEXT,
  not_before_at BIGINT,
  not_after_at BIGINT,
  key_id TEXT,
  key_backend TEXT,
  key_algorithm TEXT NOT NULL,
  external SMALLINT NOT NULL CHECK (external IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'revoked')),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ca_authorities_name ON ca_authorities (name) WHERE status <> 'failed';
CREATE INDEX ca_authorities_parent ON ca_authorities (parent_id);`;

// serial_hex is unique per issuer (RFC 5280 §4.1.2.2: "unique for each certificate issued by a given
// CA"); the constraint, not a read-then-insert, is what makes a reservation collision-proof.
const CREATE_CERTIFICATES_SQLITE = `CREATE TABLE ca_certificates (
  id TEXT PRIMARY KEY,
  issuer_ca_id TEXT NOT NULL REFERENCES ca_authorities (id),
  serial_hex TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  subject_ca_id TEXT REFERENCES ca_authorities (id),
  tbs_der BLOB NOT NULL,
  der BLOB,
  not_before_at INTEGER NOT NULL,
  not_after_at INTEGER NOT NULL,
  key_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'failed', 'revoked')),
  revoked_at INTEGER,
  revocation_reason INTEGER,
  created_at INTEGER NOT NULL,
  issued_at INTEGER,
  UNIQUE (issuer_ca_id, serial_hex)
) STRICT;
CREATE INDEX ca_certificates_serial ON ca_certificates (serial_hex);
CREATE INDEX ca_certificates_revoked ON ca_certificates (issuer_ca_id, revoked_at) WHERE status = 'revoked';`;

const CREATE_CERTIFICATES_POSTGRES = `CREATE TABLE ca_certificates (
  id TEXT PRIMARY KEY,
  issuer_ca_id TEXT NOT NULL REFERENCES ca_authorities (id),
  serial_hex TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  subject_ca_id TEXT REFERENCES ca_authorities (id),
  tbs_der BYTEA NOT NULL,
  der BYTEA,
  not_before_at BIGINT NOT NULL,
  not_after_at BIGINT NOT NULL,
  key_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'failed', 'revoked')),
  revoked_at BIGINT,
  revocation_reason INTEGER,
  created_at BIGINT NOT NULL,
  issued_at BIGINT,
  UNIQUE (issuer_ca_id, serial_hex)
);
CREATE INDEX ca_certificates_serial ON ca_certificates (serial_hex);
CREATE INDEX ca_certificates_revoked ON ca_certificates (issuer_ca_id, revoked_at) WHERE status = 'revoked';`;

// Append-only: triggers refuse UPDATE and DELETE on both backends, so not even a bug in this
// component (or an operator with the application's credentials) can rewrite history quietly.
const CREATE_AUDIT_SQLITE = `CREATE TABLE ca_audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX ca_audit_log_subject ON ca_audit_log (subject);
CREATE TRIGGER ca_audit_log_no_update BEFORE UPDATE ON ca_audit_log
BEGIN
  SELECT RAISE(ABORT, 'ca_audit_log is append-only');
END;
CREATE TRIGGER ca_audit_log_no_delete BEFORE DELETE ON ca_audit_log
BEGIN
  SELECT RAISE(ABORT, 'ca_audit_log is append-only');
END;`;

const CREATE_AUDIT_POSTGRES = `CREATE TABLE ca_audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX ca_audit_log_subject ON ca_audit_log (subject);
CREATE FUNCTION ca_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ca_audit_log is append-only';
END;
$$;
CREATE TRIGGER ca_audit_log_no_change BEFORE UPDATE OR DELETE ON ca_audit_log
  FOR EACH ROW EXECUTE FUNCTION ca_audit_log_append_only();
CREATE TRIGGER ca_audit_log_no_truncate BEFORE TRUNCATE ON ca_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ca_audit_log_append_only();`;

export const CA_MIGRATIONS: MigrationRegistration = {
  component: 'ca',
  migrations: [
    {
      id: 1,
      name: 'create ca_authorities, ca_certificates, ca_audit_log',
      sqlite: [CREATE_AUTHORITIES_SQLITE, CREATE_CERTIFICATES_SQLITE, CREATE_AUDIT_SQLITE].join('\n'),
      postgres: [CREATE_AUTHORITIES_POSTGRES, CREATE_CERTIFICATES_POSTGRES, CREATE_AUDIT_POSTGRES].join('\n'),
    },
  ],
};
