// Storage of the CRLs published at `<publicUrl>/crl/<caId>` (docs/pki-http.md): per CA the last CRL
// signed, its CRL number (RFC 5280 §5.2.3: "monotonically increasing ... for a given CA") and a
// digest of the revoked entries it lists. Tables follow docs/storage.md (times as epoch ms).

import type { Database, MigrationRegistration } from '../storage/types.ts';

export const CRL_MIGRATIONS: MigrationRegistration = {
  component: 'crl',
  migrations: [
    {
      id: 1,
      name: 'create crl_published',
      sqlite: `CREATE TABLE crl_published (
  ca_id TEXT PRIMARY KEY REFERENCES ca_authorities (id),
  crl_number INTEGER NOT NULL CHECK (crl_number > 0),
  this_update_at INTEGER NOT NULL,
  next_update_at INTEGER NOT NULL,
  entries_sha256 TEXT NOT NULL,
  crl_der BLOB NOT NULL
) STRICT;`,
      postgres: `CREATE TABLE crl_published (
  ca_id TEXT PRIMARY KEY REFERENCES ca_authorities (id),
  crl_number BIGINT NOT NULL CHECK (crl_number > 0),
  this_update_at BIGINT NOT NULL,
  next_update_at BIGINT NOT NULL,
  entries_sha256 TEXT NOT NULL,
  crl_der BYTEA NOT NULL
);`,
    },
  ],
};

export interface PublishedCrl {
  readonly caId: string;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** SHA-256 (hex) over the revoked entries the CRL lists (see crl-service.ts entriesDigest). */
  readonly entriesSha256: string;
  readonly der: Uint8Array;
}

interface Row {
  ca_id: string;
  crl_number: number | bigint;
  this_update_at: number | bigint;
  next_update_at: number | bigint;
  entries_sha256: string;
  crl_der: Uint8Array;
}

function fromRow(row: Row): PublishedCrl {
  return {
    caId: row.ca_id,
    crlNumber: BigInt(row.crl_number),
    thisUpdate: new Date(Number(row.this_update_at)),
    nextUpdate: new Date(Number(row.next_update_at)),
    entriesSha256: row.entries_sha256,
    der: row.crl_der,
  };
}

export class CrlStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async get(caId: string): Promise<PublishedCrl | undefined> {
    const rows = await this.#db.query<Row>(
      'SELECT ca_id, crl_number, this_update_at, next_update_at, entries_sha256, crl_der FROM crl_published WHERE ca_id = $1',
      [caId],
    );
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  /**
   * Stores `crl` if the stored CRL number is still `previous` (undefined: none stored yet); false
   * when another request or instance published in between (compare-and-set, so two CRLs never
   * share a number).
   */
  async publish(crl: PublishedCrl, previous: bigint | undefined): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const values = [
        crl.caId,
        crl.crlNumber,
        crl.thisUpdate.getTime(),
        crl.nextUpdate.getTime(),
        crl.entriesSha256,
        crl.der,
      ];
      if (previous === undefined) {
        const { changes } = await tx.execute(
          `INSERT INTO crl_published (ca_id, crl_number, this_update_at, next_update_at, entries_sha256, crl_der)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ca_id) DO NOTHING`,
          values,
        );
        return changes === 1;
      }
      const { changes } = await tx.execute(
        `UPDATE crl_published SET crl_number = $2, this_update_at = $3, next_update_at = $4,
           entries_sha256 = $5, crl_der = $6
         WHERE ca_id = $1 AND crl_number = $7`,
        [...values, previous],
      );
      return changes === 1;
    });
  }
}
