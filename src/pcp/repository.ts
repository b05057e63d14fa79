// Storage of the Provisioning Certificate Pool (docs/pcp.md): one row per vehicle, keyed by the
// PCID in upper case (lookups are case-insensitive, the PCID text is kept as first received:
// spec-gaps.md items 14 / 34; docs/spec-decisions.md D-051). Every change runs in one transaction
// together with its audit record (src/audit, component 'pcp') and with the caller's step inside the
// same transaction (the CCP deleting the vehicle's contracts when the key pair changes or the vehicle
// is removed: OPCP docs/components/02 "Update" / "Delete").

import { appendAudit } from '../audit/audit-log.ts';
import { appError } from '../errors/catalogue.ts';
import { isUniqueViolation } from '../storage/index.ts';
import type { Database, MigrationRegistration, SqlValue, Tx } from '../storage/types.ts';

/** The trusted root a chain validated against when it was stored (OPCP response extras). */
export interface StoredRoot {
  /** SHA-256 of the root's DER, lower-case hex. */
  readonly fingerprintSha256: string;
  /** `rootIssuerDistinguishedName`: RFC 4514 order, `, ` separated (the form of OPCP's examples). */
  readonly distinguishedName: string;
  /** `rootIssuerSerialNumber`: lower-case hex without separators. */
  readonly serialHex: string;
  /** `rootAuthorityKeyIdentifier`: the root's key identifier as lower-case colon hex, or null. */
  readonly keyIdentifier: string | null;
}

/** A vehicle as stored. */
export interface ProvisioningRow {
  /** As first received (17-18 alphanumerics). */
  readonly pcid: string;
  /** Upper-case WMI (first three characters of the PCID). */
  readonly wmi: string;
  readonly iso: 2 | 20;
  readonly vehicleCertificate: Uint8Array;
  readonly subCa2Certificate: Uint8Array | null;
  readonly subCa1Certificate: Uint8Array;
  /** SHA-256 of the leaf's DER (`fingerprint`), lower-case hex. */
  readonly vehicleFingerprintSha256: string;
  /** SHA-256 of the leaf's SubjectPublicKeyInfo DER: equal keys = same key pair. */
  readonly keyFingerprintSha256: string;
  readonly vehicleNotAfter: Date;
  readonly previousPcid: string | null;
  /** Colon-hex key identifiers of the V2G roots installed in the EV (OPCP request field). */
  readonly v2gRootAuthorityKeyIdentifiers: readonly string[];
  readonly root: StoredRoot;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

/** What a PUT stores; created* are kept from the existing row on update. */
export type NewProvisioning = Omit<ProvisioningRow, 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

export interface SaveOptions {
  readonly actor: string;
  readonly at: Date;
  /**
   * Runs inside the transaction after the existing row (if any) was read and before the write; its
   * result goes into the audit record. The PCP service deletes the vehicle's contracts here when the
   * key pair changed.
   */
  readonly beforeWrite?: (
    tx: Tx,
    existing: ProvisioningRow | undefined,
  ) => Promise<Readonly<Record<string, unknown>>>;
  /** Further audit details (no secrets). */
  readonly auditDetails?: Readonly<Record<string, unknown>>;
}

export interface SaveResult {
  readonly outcome: 'created' | 'updated';
  readonly row: ProvisioningRow;
  readonly previous: ProvisioningRow | undefined;
  readonly hook: Readonly<Record<string, unknown>>;
}

export interface RemoveOptions {
  readonly actor: string;
  readonly at: Date;
  readonly beforeDelete?: (tx: Tx, existing: ProvisioningRow) => Promise<Readonly<Record<string, unknown>>>;
  /** Further audit details (e.g. the reason of a maintenance removal). */
  readonly auditDetails?: Readonly<Record<string, unknown>>;
}

/** Anything that runs read statements: a Database (committed data) or a Tx. */
export interface Reader {
  query<R extends object>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
}

/** The component's repository interface (architecture-practices §3.4). */
export interface PcpRepository {
  /** By PCID, case-insensitive. */
  find(pcid: string): Promise<ProvisioningRow | undefined>;
  exists(pcid: string): Promise<boolean>;
  /** Inserts or replaces the vehicle with the same PCID (case-insensitive), with its audit record. */
  save(record: NewProvisioning, options: SaveOptions): Promise<SaveResult>;
  /** Deletes the vehicle with its audit record; undefined (and nothing written) when there is none. */
  remove(pcid: string, options: RemoveOptions): Promise<ProvisioningRow | undefined>;
  /** The same inside the caller's transaction (pool maintenance, src/maintenance). */
  removeInTx(tx: Tx, pcid: string, options: RemoveOptions): Promise<ProvisioningRow | undefined>;
  /**
   * Runs `change` on the stored vehicle in one transaction and appends the audit record `action`
   * (its details merged with what `change` returns); undefined when there is no such vehicle.
   */
  changeVehicle(
    pcid: string,
    audit: { readonly action: string; readonly actor: string; readonly at: Date },
    change: (tx: Tx, existing: ProvisioningRow) => Promise<Readonly<Record<string, unknown>>>,
  ): Promise<ProvisioningRow | undefined>;
  /** PCID and edition of the vehicles whose provisioning certificate expired before `now`. */
  listExpired(now: Date): Promise<{ readonly pcid: string; readonly iso: 2 | 20 }[]>;
  /** PCIDs of the vehicles whose chain was validated against the root with this fingerprint. */
  pcidsUnderRoot(reader: Reader, rootFingerprintSha256: string): Promise<string[]>;
  /** Oldest first; for maintenance jobs and tests. */
  list(filter?: { readonly wmi?: string; readonly limit?: number }): Promise<ProvisioningRow[]>;
}

interface Row {
  pcid_key: string;
  pcid: string;
  wmi: string;
  iso: number | bigint;
  vehicle_der: Uint8Array;
  sub_ca2_der: Uint8Array | null;
  sub_ca1_der: Uint8Array;
  vehicle_fingerprint: string;
  key_fingerprint: string;
  vehicle_not_after_at: number | bigint;
  previous_pcid: string | null;
  v2g_root_key_ids: string;
  root_fingerprint: string;
  root_dn: string;
  root_serial: string;
  root_key_id: string | null;
  created_at: number | bigint;
  created_by: string;
  updated_at: number | bigint;
  updated_by: string;
}

const COLUMNS =
  'pcid_key, pcid, wmi, iso, vehicle_der, sub_ca2_der, sub_ca1_der, vehicle_fingerprint, key_fingerprint, ' +
  'vehicle_not_after_at, previous_pcid, v2g_root_key_ids, root_fingerprint, root_dn, root_serial, root_key_id, ' +
  'created_at, created_by, updated_at, updated_by';

/** The key of a PCID: upper case (the form the -20 AAD uses, [V2G20-2492]). */
export function pcidKey(pcid: string): string {
  return pcid.toUpperCase();
}

function toRow(row: Row): ProvisioningRow {
  return {
    pcid: row.pcid,
    wmi: row.wmi,
    iso: Number(row.iso) === 20 ? 20 : 2,
    vehicleCertificate: row.vehicle_der,
    subCa2Certificate: row.sub_ca2_der,
    subCa1Certificate: row.sub_ca1_der,
    vehicleFingerprintSha256: row.vehicle_fingerprint,
    keyFingerprintSha256: row.key_fingerprint,
    vehicleNotAfter: new Date(Number(row.vehicle_not_after_at)),
    previousPcid: row.previous_pcid,
    v2gRootAuthorityKeyIdentifiers: JSON.parse(row.v2g_root_key_ids) as string[],
    root: {
      fingerprintSha256: row.root_fingerprint,
      distinguishedName: row.root_dn,
      serialHex: row.root_serial,
      keyIdentifier: row.root_key_id,
    },
    createdAt: new Date(Number(row.created_at)),
    createdBy: row.created_by,
    updatedAt: new Date(Number(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

function values(row: ProvisioningRow): SqlValue[] {
  return [
    pcidKey(row.pcid),
    row.pcid,
    row.wmi,
    row.iso,
    row.vehicleCertificate,
    row.subCa2Certificate,
    row.subCa1Certificate,
    row.vehicleFingerprintSha256,
    row.keyFingerprintSha256,
    row.vehicleNotAfter.getTime(),
    row.previousPcid,
    JSON.stringify(row.v2gRootAuthorityKeyIdentifiers),
    row.root.fingerprintSha256,
    row.root.distinguishedName,
    row.root.serialHex,
    row.root.keyIdentifier,
    row.createdAt.getTime(),
    row.createdBy,
    row.updatedAt.getTime(),
    row.updatedBy,
  ];
}

const PLACEHOLDERS = Array.from({ length: 20 }, (_, i) => `$${i + 1}`).join(', ');

export class SqlPcpRepository implements PcpRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async find(pcid: string): Promise<ProvisioningRow | undefined> {
    const rows = await this.#db.query<Row>(`SELECT ${COLUMNS} FROM pcp_vehicles WHERE pcid_key = $1`, [
      pcidKey(pcid),
    ]);
    return rows[0] === undefined ? undefined : toRow(rows[0]);
  }

  async exists(pcid: string): Promise<boolean> {
    const rows = await this.#db.query<{ n: number | bigint }>(
      'SELECT COUNT(*) AS n FROM pcp_vehicles WHERE pcid_key = $1',
      [pcidKey(pcid)],
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async list(filter: { readonly wmi?: string; readonly limit?: number } = {}): Promise<ProvisioningRow[]> {
    const params: SqlValue[] = [];
    let where = '';
    if (filter.wmi !== undefined) {
      params.push(filter.wmi.toUpperCase());
      where = ' WHERE wmi = $1';
    }
    params.push(Math.min(Math.max(Math.trunc(filter.limit ?? 1000), 1), 100_000));
    const rows = await this.#db.query<Row>(
      `SELECT ${COLUMNS} FROM pcp_vehicles${where} ORDER BY created_at, pcid_key LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRow);
  }

  async save(record: NewProvisioning, options: SaveOptions): Promise<SaveResult> {
    try {
      return await this.#db.transaction(async (tx) => {
        const found = await tx.query<Row>(`SELECT ${COLUMNS} FROM pcp_vehicles WHERE pcid_key = $1`, [
          pcidKey(record.pcid),
        ]);
        const previous = found[0] === undefined ? undefined : toRow(found[0]);
        const hook = (await options.beforeWrite?.(tx, previous)) ?? {};
        const row: ProvisioningRow = {
          ...record,
          // The PCID text of the first upload stays (D-051); lookups ignore case anyway.
          pcid: previous?.pcid ?? record.pcid,
          createdAt: previous?.createdAt ?? options.at,
          createdBy: previous?.createdBy ?? options.actor,
          updatedAt: options.at,
          updatedBy: options.actor,
        };
        if (previous === undefined) {
          await tx.execute(`INSERT INTO pcp_vehicles (${COLUMNS}) VALUES (${PLACEHOLDERS})`, values(row));
        } else {
          const v = values(row);
          // Every column but the key, the PCID text and the creation facts.
          await tx.execute(
            'UPDATE pcp_vehicles SET wmi = $3, iso = $4, vehicle_der = $5, sub_ca2_der = $6, sub_ca1_der = $7, ' +
              'vehicle_fingerprint = $8, key_fingerprint = $9, vehicle_not_after_at = $10, previous_pcid = $11, ' +
              'v2g_root_key_ids = $12, root_fingerprint = $13, root_dn = $14, root_serial = $15, root_key_id = $16, ' +
              'updated_at = $17, updated_by = $18 WHERE pcid_key = $1 AND pcid = $2',
            [v[0], v[1], ...v.slice(2, 16), v[18], v[19]] as SqlValue[],
          );
        }
        await appendAudit(tx, {
          at: options.at,
          actor: options.actor,
          component: 'pcp',
          action: previous === undefined ? 'vehicle.added' : 'vehicle.updated',
          subject: row.pcid,
          details: {
            wmi: row.wmi,
            iso: row.iso,
            vehicleFingerprint: row.vehicleFingerprintSha256,
            keyFingerprint: row.keyFingerprintSha256,
            rootFingerprint: row.root.fingerprintSha256,
            ...(previous === undefined
              ? {}
              : {
                  previousVehicleFingerprint: previous.vehicleFingerprintSha256,
                  keyChanged: previous.keyFingerprintSha256 !== row.keyFingerprintSha256,
                }),
            ...(row.previousPcid === null ? {} : { previousPcid: row.previousPcid }),
            ...options.auditDetails,
            ...hook,
          },
        });
        return { outcome: previous === undefined ? 'created' : 'updated', row, previous, hook };
      });
    } catch (error) {
      // Two first uploads of one PCID at the same moment: the loser retries and becomes an update.
      if (isUniqueViolation(error)) {
        throw appError(
          'pcp.conflict',
          `PCID ${record.pcid} was changed concurrently; send the request again`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async remove(pcid: string, options: RemoveOptions): Promise<ProvisioningRow | undefined> {
    return this.#db.transaction((tx) => this.removeInTx(tx, pcid, options));
  }

  async changeVehicle(
    pcid: string,
    audit: { readonly action: string; readonly actor: string; readonly at: Date },
    change: (tx: Tx, existing: ProvisioningRow) => Promise<Readonly<Record<string, unknown>>>,
  ): Promise<ProvisioningRow | undefined> {
    return this.#db.transaction(async (tx) => {
      const found = await tx.query<Row>(`SELECT ${COLUMNS} FROM pcp_vehicles WHERE pcid_key = $1`, [
        pcidKey(pcid),
      ]);
      if (found[0] === undefined) return undefined;
      const existing = toRow(found[0]);
      const details = await change(tx, existing);
      await appendAudit(tx, {
        at: audit.at,
        actor: audit.actor,
        component: 'pcp',
        action: audit.action,
        subject: existing.pcid,
        details: { wmi: existing.wmi, iso: existing.iso, ...details },
      });
      return existing;
    });
  }

  async listExpired(now: Date): Promise<{ readonly pcid: string; readonly iso: 2 | 20 }[]> {
    const rows = await this.#db.query<{ pcid: string; iso: number | bigint }>(
      'SELECT pcid, iso FROM pcp_vehicles WHERE vehicle_not_after_at < $1 ORDER BY vehicle_not_after_at, pcid_key',
      [now.getTime()],
    );
    return rows.map((r) => ({ pcid: r.pcid, iso: Number(r.iso) === 20 ? 20 : 2 }));
  }

  async pcidsUnderRoot(reader: Reader, rootFingerprintSha256: string): Promise<string[]> {
    const rows = await reader.query<{ pcid: string }>(
      'SELECT pcid FROM pcp_vehicles WHERE root_fingerprint = $1 ORDER BY pcid_key',
      [rootFingerprintSha256.replaceAll(':', '').toLowerCase()],
    );
    return rows.map((r) => r.pcid);
  }

  async removeInTx(tx: Tx, pcid: string, options: RemoveOptions): Promise<ProvisioningRow | undefined> {
    const found = await tx.query<Row>(`SELECT ${COLUMNS} FROM pcp_vehicles WHERE pcid_key = $1`, [
      pcidKey(pcid),
    ]);
    if (found[0] === undefined) return undefined;
    const existing = toRow(found[0]);
    const hook = (await options.beforeDelete?.(tx, existing)) ?? {};
    await tx.execute('DELETE FROM pcp_vehicles WHERE pcid_key = $1', [pcidKey(pcid)]);
    await appendAudit(tx, {
      at: options.at,
      actor: options.actor,
      component: 'pcp',
      action: 'vehicle.deleted',
      subject: existing.pcid,
      details: {
        wmi: existing.wmi,
        iso: existing.iso,
        vehicleFingerprint: existing.vehicleFingerprintSha256,
        ...options.auditDetails,
        ...hook,
      },
    });
    return existing;
  }
}

const COLUMN_TYPES = {
  sqlite: { text: 'TEXT', int: 'INTEGER', blob: 'BLOB' },
  postgres: { text: 'TEXT', int: 'BIGINT', blob: 'BYTEA' },
} as const;

function createTable(dialect: 'sqlite' | 'postgres'): string {
  const t = COLUMN_TYPES[dialect];
  return `CREATE TABLE pcp_vehicles (
  pcid_key ${t.text} PRIMARY KEY,
  pcid ${t.text} NOT NULL,
  wmi ${t.text} NOT NULL,
  iso ${t.int} NOT NULL CHECK (iso IN (2, 20)),
  vehicle_der ${t.blob} NOT NULL,
  sub_ca2_der ${t.blob},
  sub_ca1_der ${t.blob} NOT NULL,
  vehicle_fingerprint ${t.text} NOT NULL,
  key_fingerprint ${t.text} NOT NULL,
  vehicle_not_after_at ${t.int} NOT NULL,
  previous_pcid ${t.text},
  v2g_root_key_ids ${t.text} NOT NULL,
  root_fingerprint ${t.text} NOT NULL,
  root_dn ${t.text} NOT NULL,
  root_serial ${t.text} NOT NULL,
  root_key_id ${t.text},
  created_at ${t.int} NOT NULL,
  created_by ${t.text} NOT NULL,
  updated_at ${t.int} NOT NULL,
  updated_by ${t.text} NOT NULL
)${dialect === 'sqlite' ? ' STRICT' : ''};
CREATE INDEX pcp_vehicles_wmi ON pcp_vehicles (wmi);
CREATE INDEX pcp_vehicles_not_after ON pcp_vehicles (vehicle_not_after_at);`;
}

export const PCP_MIGRATIONS: MigrationRegistration = {
  component: 'pcp',
  migrations: [
    { id: 1, name: 'create pcp_vehicles', sqlite: createTable('sqlite'), postgres: createTable('postgres') },
  ],
};
