// CRLs per CA (RFC 5280 §5) for `GET <publicUrl>/crl/<caId>`: a complete v2 CRL of every certificate
// the CA revoked, signed with the CA key (src/pki/crl buildCrl), with a stored, strictly increasing
// CRL number (§5.2.3).
//
// A CRL is signed only when needed and then served as stored: when none exists, when the revoked
// entries changed since the stored one (a revocation, from any process: the entries are read from
// the database on every fetch), or when half of its validity has passed. thisUpdate / nextUpdate
// come from the configuration (crlValiditySeconds). Expired certificates stay listed (§5.1.2.6
// allows either; keeping them costs little at V2G volumes and never un-revokes anything).

import { createHash } from 'node:crypto';
import type { CertificateAuthorityService } from '../ca/index.ts';
import { appError } from '../errors/catalogue.ts';
import { buildCrl } from '../pki/crl/index.ts';
import type { KeyStore, Signer } from '../signer/types.ts';
import type { CrlStore, PublishedCrl } from './crl-store.ts';

export interface CrlServiceDeps {
  readonly ca: Pick<CertificateAuthorityService, 'getCa' | 'revokedCertificates'>;
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly store: CrlStore;
  readonly clock: { now(): Date };
  /** nextUpdate − thisUpdate, in seconds. */
  readonly validitySeconds: number;
}

const PUBLISH_ATTEMPTS = 3;
/** How long a failure to open a CA key is answered without trying again. */
const SIGNER_RETRY_MS = 10_000;

export class CrlService {
  readonly #deps: CrlServiceDeps;
  readonly #validityMs: number;
  /** One CRL build per CA at a time in this process (others wait and get its result). */
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #signers = new Map<string, { signer: Promise<Signer>; failedAt?: number }>();

  constructor(deps: CrlServiceDeps) {
    if (!Number.isInteger(deps.validitySeconds) || deps.validitySeconds < 1)
      throw new RangeError('validitySeconds must be a positive integer');
    this.#deps = deps;
    this.#validityMs = deps.validitySeconds * 1000;
  }

  /** The CA's current CRL, signed now if the stored one is missing, outdated or half expired. */
  async current(caId: string): Promise<PublishedCrl> {
    const previous = this.#locks.get(caId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#current(caId));
    this.#locks.set(caId, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(caId) === run) this.#locks.delete(caId);
    }
  }

  async #current(caId: string): Promise<PublishedCrl> {
    const ca = await this.#deps.ca.getCa(caId);
    if (ca.certificate === null) {
      throw appError('pki.crl-not-available', `CA ${ca.id} has no certificate (status ${ca.status}): no CRL`);
    }
    if (ca.keyId === null) {
      throw appError(
        'pki.crl-not-available',
        `CA ${ca.id} (${ca.name}) was imported without its key: its CRL is published by its operator`,
      );
    }
    const certificate = ca.certificate;
    const keyId = ca.keyId;
    for (let attempt = 1; ; attempt++) {
      const entries = await this.#deps.ca.revokedCertificates(caId);
      const digest = entriesDigest(entries);
      const stored = await this.#deps.store.get(caId);
      const now = this.#deps.clock.now().getTime();
      if (
        stored !== undefined &&
        stored.entriesSha256 === digest &&
        now < stored.thisUpdate.getTime() + this.#validityMs / 2 &&
        now < stored.nextUpdate.getTime()
      ) {
        return stored;
      }
      const thisUpdate = new Date(Math.floor(now / 1000) * 1000);
      const nextUpdate = new Date(thisUpdate.getTime() + this.#validityMs);
      const crlNumber = (stored?.crlNumber ?? 0n) + 1n;
      const der = await buildCrl({
        issuer: { signer: await this.#signer(caId, keyId), certificateDer: certificate },
        thisUpdate,
        nextUpdate,
        crlNumber,
        revoked: entries.map((e) => ({ serial: e.serialNumber, revokedAt: e.revokedAt, reason: e.reason })),
      });
      const published: PublishedCrl = { caId, crlNumber, thisUpdate, nextUpdate, entriesSha256: digest, der };
      if (await this.#deps.store.publish(published, stored?.crlNumber)) return published;
      // Another instance published in between: start over from its CRL (never reuse a number).
      if (attempt >= PUBLISH_ATTEMPTS) {
        throw appError('storage.busy', `CRL of CA ${caId}: concurrent publications kept conflicting`);
      }
    }
  }

  #signer(caId: string, keyId: string): Promise<Signer> {
    const now = this.#deps.clock.now().getTime();
    const cached = this.#signers.get(caId);
    if (cached !== undefined && (cached.failedAt === undefined || now - cached.failedAt < SIGNER_RETRY_MS)) {
      return cached.signer;
    }
    const entry: { signer: Promise<Signer>; failedAt?: number } = { signer: this.#deps.keyStore.open(keyId) };
    this.#signers.set(caId, entry);
    // A failure is kept for a while: CRLs are public, and opening a software key with a wrong
    // passphrase costs a scrypt derivation.
    entry.signer.catch(() => {
      entry.failedAt = this.#deps.clock.now().getTime();
    });
    return entry.signer;
  }
}

/** SHA-256 over the entries in serial order: equal lists of revocations give equal digests. */
export function entriesDigest(
  entries: readonly { readonly serial: string; readonly revokedAt: Date; readonly reason: number }[],
): string {
  const lines = entries
    .map((e) => `${e.serial}:${e.revokedAt.getTime()}:${e.reason}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(lines).digest('hex');
}
