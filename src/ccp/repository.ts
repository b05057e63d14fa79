// Storage of the Contract Certificate Pool (docs/ccp.md): one row per signed contract, i.e. per
// (EMAID, vehicle, ISO edition) — a new copy for the same three replaces the old one (OPCP
// docs/components/04 "The update process overwrites the existing Contract Certificate with the same
// EMAID"). Several contracts per vehicle are allowed; per vehicle and edition exactly one of them is
// the default while it has any (docs/spec-decisions.md D-071): the first one stored becomes the
// default, deleting the default promotes the oldest remaining contract. A unique partial index makes
// "two defaults" impossible on both backends.
//
// Keys: the EMAID in its normalised form (upper case, no hyphens; spec-gaps.md item 13), the PCID
// upper-cased in `pcid_key` ('' for a contract not bound to a vehicle) while `pcid` keeps it as
// received (spec-gaps.md item 34). Times are epoch ms (docs/storage.md). Every method that changes
// rows takes the caller's transaction; the audit record is written by the caller in the same one.

import type { MigrationRegistration, SqlValue, Tx } from '../storage/types.ts';
import type { NewSignedContract } from './contract-record.ts';

const CREATE_SQLITE = `CREATE TABLE ccp_contracts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  emaid TEXT NOT NULL,
  emaid_cn TEXT NOT NULL,
  pcid TEXT,
  pcid_key TEXT NOT NULL,
  wmi TEXT,
  iso INTEGER NOT NULL CHECK (iso IN (2, 20)),
  provider_id TEXT NOT NULL,
  installation_res BLOB NOT NULL,
  contract_certificate BLOB NOT NULL,
  contract_not_after_at INTEGER NOT NULL,
  cps_root_fingerprint TEXT,
  cps_root_dn TEXT,
  metadata TEXT,
  source TEXT NOT NULL CHECK (source IN ('cps', 'api')),
  is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX ccp_contracts_key ON ccp_contracts (emaid, pcid_key, iso);
CREATE INDEX ccp_contracts_vehicle ON ccp_contracts (pcid_key, iso, id);
CREATE UNIQUE INDEX ccp_contracts_one_default ON ccp_contracts (pcid_key, iso) WHERE is_default = 1;`;

const CREATE_POSTGRES = `CREATE TABLE ccp_contracts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  emaid TEXT NOT NULL,
  emaid_cn TEXT NOT NULL,
  pcid TEXT,
  pcid_key TEXT NOT NULL,
  wmi TEXT,
  iso SMALLINT NOT NULL CHECK (iso IN (2, 20)),
  provider_id TEXT NOT NULL,
  installation_res BYTEA NOT NULL,
  contract_certificate BYTEA NOT NULL,
  contract_not_after_at BIGINT NOT NULL,
  cps_root_fingerprint TEXT,
  cps_root_dn TEXT,
  metadata TEXT,
  source TEXT NOT NULL CHECK (source IN ('cps', 'api')),
  is_default SMALLINT NOT NULL CHECK (is_default IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ccp_contracts_key ON ccp_contracts (emaid, pcid_key, iso);
CREATE INDEX ccp_contracts_vehicle ON ccp_contracts (pcid_key, iso, id);
CREATE UNIQUE INDEX ccp_contracts_one_default ON ccp_contracts (pcid_key, iso) WHERE is_default = 1;`;

export const CCP_MIGRATIONS: MigrationRegistration = {
  component: 'ccp',
  migrations: [{ id: 1, name: 'create ccp_contracts', sqlite: CREATE_SQLITE, postgres: CREATE_POSTGRES }],
};

/** A stored contract as the pool reads it back. */
export interface ContractRecord {
  readonly id: string;
  /** Normalised EMAID (upper case, no hyphens). */
  readonly emaid: string;
  readonly emaidAsInCertificate: string;
  readonly pcid: string | null;
  readonly iso: 2 | 20;
  readonly providerId: string;
  readonly certificateInstallationRes: Uint8Array;
  readonly contractCertificate: Uint8Array;
  readonly contractNotAfter: Date;
  readonly cpsV2GRootFingerprint: string | null;
  readonly cpsRootDistinguishedName: string | null;
  readonly metadata: string | null;
  readonly source: 'cps' | 'api';
  readonly isDefault: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface Row {
  id: number | bigint;
  emaid: string;
  emaid_cn: string;
  pcid: string | null;
  pcid_key: string;
  iso: number | bigint;
  provider_id: string;
  installation_res: Uint8Array | null;
  contract_certificate: Uint8Array;
  contract_not_after_at: number | bigint;
  cps_root_fingerprint: string | null;
  cps_root_dn: string | null;
  metadata: string | null;
  source: string;
  is_default: number | bigint;
  created_at: number | bigint;
  updated_at: number | bigint;
}

const COLUMNS =
  'id, emaid, emaid_cn, pcid, pcid_key, iso, provider_id, installation_res, contract_certificate, ' +
  'contract_not_after_at, cps_root_fingerprint, cps_root_dn, metadata, source, is_default, created_at, updated_at';

/** Columns without the EXI and certificate blobs, for listings. */
const SUMMARY_COLUMNS =
  'id, emaid, emaid_cn, pcid, pcid_key, iso, provider_id, NULL AS installation_res, contract_certificate, ' +
  'contract_not_after_at, cps_root_fingerprint, cps_root_dn, metadata, source, is_default, created_at, updated_at';

function fromRow(row: Row): ContractRecord {
  return {
    id: String(row.id),
    emaid: row.emaid,
    emaidAsInCertificate: row.emaid_cn,
    pcid: row.pcid,
    iso: Number(row.iso) === 20 ? 20 : 2,
    providerId: row.provider_id,
    certificateInstallationRes: row.installation_res ?? new Uint8Array(0),
    contractCertificate: row.contract_certificate,
    contractNotAfter: new Date(Number(row.contract_not_after_at)),
    cpsV2GRootFingerprint: row.cps_root_fingerprint,
    cpsRootDistinguishedName: row.cps_root_dn,
    metadata: row.metadata,
    source: row.source === 'api' ? 'api' : 'cps',
    isDefault: Number(row.is_default) === 1,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** The lookup key of a PCID: upper case ('' for "no vehicle"). */
export function pcidKey(pcid: string | null): string {
  return pcid === null ? '' : pcid.toUpperCase();
}

/** Anything that runs read statements: a Database (committed data) or a Tx. */
export interface Reader {
  query<R extends object>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
}

export interface UpsertResult {
  readonly record: ContractRecord;
  /** A contract with the same EMAID, PCID and edition was replaced. */
  readonly replaced: boolean;
}

export interface DeletedContract {
  readonly record: ContractRecord;
  /** The contract made default because this one (the default) was deleted. */
  readonly promoted: ContractRecord | undefined;
}

// Default vehicle order: the default first, then by age (id is monotonic on both backends).
const VEHICLE_ORDER = 'ORDER BY is_default DESC, id ASC';

/** SQL of the CCP; stateless, so one instance serves every caller. */
export class ContractRepository {
  /** Stores or replaces (same EMAID, PCID, edition) a contract; the first of a vehicle becomes default. */
  async upsert(tx: Tx, contract: NewSignedContract, now: Date): Promise<UpsertResult> {
    const key = pcidKey(contract.pcid);
    const at = now.getTime();
    const existing = await tx.query<{ id: number | bigint }>(
      'SELECT id FROM ccp_contracts WHERE emaid = $1 AND pcid_key = $2 AND iso = $3',
      [contract.emaid, key, contract.iso],
    );
    const values: SqlValue[] = [
      contract.emaidAsInCertificate,
      contract.pcid,
      contract.pcid === null ? null : contract.pcid.slice(0, 3).toUpperCase(),
      contract.providerId,
      contract.certificateInstallationRes,
      contract.contractCertificate,
      contract.contractNotAfter.getTime(),
      contract.cpsV2GRootFingerprint,
      contract.cpsRootDistinguishedName,
      contract.metadata,
      contract.source,
      at,
    ];
    let id: number | bigint;
    const found = existing[0];
    if (found !== undefined) {
      id = found.id;
      await tx.execute(
        'UPDATE ccp_contracts SET emaid_cn = $1, pcid = $2, wmi = $3, provider_id = $4, installation_res = $5, ' +
          'contract_certificate = $6, contract_not_after_at = $7, cps_root_fingerprint = $8, cps_root_dn = $9, ' +
          'metadata = $10, source = $11, updated_at = $12 WHERE id = $13',
        [...values, id],
      );
    } else {
      // Bound contracts become the default when their vehicle has none in this edition yet.
      const isDefault =
        key !== '' &&
        (
          await tx.query<{ n: number }>(
            'SELECT COUNT(*) AS n FROM ccp_contracts WHERE pcid_key = $1 AND iso = $2 AND is_default = 1',
            [key, contract.iso],
          )
        )[0]?.n === 0;
      const inserted = await tx.query<{ id: number | bigint }>(
        'INSERT INTO ccp_contracts (emaid_cn, pcid, wmi, provider_id, installation_res, contract_certificate, ' +
          'contract_not_after_at, cps_root_fingerprint, cps_root_dn, metadata, source, created_at, updated_at, ' +
          'emaid, pcid_key, iso, is_default) ' +
          'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16) RETURNING id',
        [...values, contract.emaid, key, contract.iso, isDefault ? 1 : 0],
      );
      id = (inserted[0] as { id: number | bigint }).id;
    }
    const record = await this.#byId(tx, id);
    return { record, replaced: found !== undefined };
  }

  async #byId(reader: Reader, id: number | bigint | string): Promise<ContractRecord> {
    const rows = await reader.query<Row>(`SELECT ${COLUMNS} FROM ccp_contracts WHERE id = $1`, [Number(id)]);
    const row = rows[0];
    if (row === undefined) throw new Error(`ccp_contracts row ${String(id)} vanished inside its transaction`);
    return fromRow(row);
  }

  /** Contracts of one or more normalised EMAIDs (every vehicle and edition), oldest first. */
  async findByEmaids(reader: Reader, emaids: readonly string[]): Promise<ContractRecord[]> {
    if (emaids.length === 0) return [];
    const placeholders = emaids.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await reader.query<Row>(
      `SELECT ${COLUMNS} FROM ccp_contracts WHERE emaid IN (${placeholders}) ORDER BY id ASC`,
      emaids,
    );
    return rows.map(fromRow);
  }

  /** The contracts of a vehicle (optionally of one edition): default first, then by age. */
  async listByPcid(
    reader: Reader,
    pcid: string,
    options: { readonly iso?: 2 | 20; readonly withExi?: boolean } = {},
  ): Promise<ContractRecord[]> {
    const columns = options.withExi === false ? SUMMARY_COLUMNS : COLUMNS;
    const rows =
      options.iso === undefined
        ? await reader.query<Row>(
            `SELECT ${columns} FROM ccp_contracts WHERE pcid_key = $1 ORDER BY iso ASC, is_default DESC, id ASC`,
            [pcidKey(pcid)],
          )
        : await reader.query<Row>(
            `SELECT ${columns} FROM ccp_contracts WHERE pcid_key = $1 AND iso = $2 ${VEHICLE_ORDER}`,
            [pcidKey(pcid), options.iso],
          );
    return rows.map(fromRow);
  }

  /**
   * Deletes every contract of the normalised EMAIDs (all vehicles and editions) and promotes, per
   * vehicle and edition that lost its default, the oldest remaining contract (D-071).
   */
  async deleteByEmaids(tx: Tx, emaids: readonly string[]): Promise<DeletedContract[]> {
    const records = await this.findByEmaids(tx, emaids);
    const out: DeletedContract[] = [];
    for (const record of records) {
      await tx.execute('DELETE FROM ccp_contracts WHERE id = $1', [Number(record.id)]);
      out.push({ record, promoted: record.isDefault ? await this.#promote(tx, record) : undefined });
    }
    return out;
  }

  /** Deletes every contract of a vehicle (all editions). */
  async deleteByPcid(tx: Tx, pcid: string): Promise<ContractRecord[]> {
    const key = pcidKey(pcid);
    if (key === '') return [];
    const rows = await tx.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM ccp_contracts WHERE pcid_key = $1`, [
      key,
    ]);
    await tx.execute('DELETE FROM ccp_contracts WHERE pcid_key = $1', [key]);
    return rows.map(fromRow);
  }

  /** Every contract without its EXI, oldest first, at most `limit` (pool maintenance). */
  async listSummaries(reader: Reader, limit: number): Promise<ContractRecord[]> {
    const rows = await reader.query<Row>(
      `SELECT ${SUMMARY_COLUMNS} FROM ccp_contracts ORDER BY id ASC LIMIT $1`,
      [limit],
    );
    return rows.map(fromRow);
  }

  /** Contracts whose CPS signing chain ends in the V2G root with this SHA-256 (lower hex). */
  async listUnderCpsRoot(reader: Reader, rootFingerprintSha256: string): Promise<ContractRecord[]> {
    const rows = await reader.query<Row>(
      `SELECT ${SUMMARY_COLUMNS} FROM ccp_contracts WHERE cps_root_fingerprint = $1 ORDER BY id ASC`,
      [rootFingerprintSha256],
    );
    return rows.map(fromRow);
  }

  /** Deletes one contract by id (promoting the next default, D-071); undefined when it was gone. */
  async deleteById(tx: Tx, id: string): Promise<DeletedContract | undefined> {
    if (!/^[0-9]{1,18}$/.test(id)) return undefined;
    const rows = await tx.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM ccp_contracts WHERE id = $1`, [
      Number(id),
    ]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const record = fromRow(row);
    await tx.execute('DELETE FROM ccp_contracts WHERE id = $1', [Number(id)]);
    return { record, promoted: record.isDefault ? await this.#promote(tx, record) : undefined };
  }

  async #promote(tx: Tx, deleted: ContractRecord): Promise<ContractRecord | undefined> {
    const key = pcidKey(deleted.pcid);
    if (key === '') return undefined;
    const next = await tx.query<{ id: number | bigint }>(
      'SELECT id FROM ccp_contracts WHERE pcid_key = $1 AND iso = $2 ORDER BY id ASC LIMIT 1',
      [key, deleted.iso],
    );
    const id = next[0]?.id;
    if (id === undefined) return undefined;
    await tx.execute('UPDATE ccp_contracts SET is_default = 1 WHERE id = $1', [Number(id)]);
    return this.#byId(tx, id);
  }

  /**
   * Makes the vehicle's contract(s) of this EMAID the default, in every edition in which the vehicle
   * has one (or only in `iso`). Returns the contracts that became default (empty: no such contract);
   * `previous` are those that stopped being default.
   */
  async setDefault(
    tx: Tx,
    pcid: string,
    emaid: string,
    iso?: 2 | 20,
  ): Promise<{ readonly changed: ContractRecord[]; readonly previous: ContractRecord[] }> {
    const key = pcidKey(pcid);
    const targets = (await this.listByPcid(tx, pcid, { withExi: false })).filter(
      (r) => r.emaid === emaid && (iso === undefined || r.iso === iso),
    );
    const changed: ContractRecord[] = [];
    const previous: ContractRecord[] = [];
    for (const target of targets) {
      if (target.isDefault) {
        changed.push(target);
        continue;
      }
      const old = await tx.query<Row>(
        `SELECT ${SUMMARY_COLUMNS} FROM ccp_contracts WHERE pcid_key = $1 AND iso = $2 AND is_default = 1`,
        [key, target.iso],
      );
      previous.push(...old.map(fromRow));
      await tx.execute('UPDATE ccp_contracts SET is_default = 0 WHERE pcid_key = $1 AND iso = $2', [
        key,
        target.iso,
      ]);
      await tx.execute('UPDATE ccp_contracts SET is_default = 1 WHERE id = $1', [Number(target.id)]);
      changed.push({ ...target, isDefault: true });
    }
    return { changed, previous };
  }

  /** How many contracts the pool holds (for tests and metrics). */
  async count(reader: Reader): Promise<number> {
    const rows = await reader.query<{ n: number }>('SELECT COUNT(*) AS n FROM ccp_contracts');
    return Number(rows[0]?.n ?? 0);
  }
}
