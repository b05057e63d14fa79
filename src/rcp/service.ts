// The Root Certificate Pool (OPCP docs/components/01_root-certificate-pool.md; docs/rcp.md): the
// trust store of the ecosystem. An administrator adds and deletes roots (every change audited); all
// roles read them; the other pools take it as their TrustAnchorSource. Transport-free: the route
// modules (./routes.ts) and the CLI (src/cli/root-commands.ts) translate to and from it.

import { createHash } from 'node:crypto';
import { type Clock, type RandomSource, randomUuid } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import type { EventSink, RootEventData } from '../events/event-sink.ts';
import type { ExpiringRoot, RootPoolMaintenance } from '../maintenance/pools.ts';
import type { Tx } from '../storage/types.ts';
import type { LintFinding, RcpRepository, RootRecord, WithinChange } from './repository.ts';
import { checkRoot, rootFacts } from './root-certificate.ts';
import {
  ROOT_TYPES,
  type RootType,
  type TrustAnchorFilter,
  type TrustAnchorSource,
  type TrustedRoot,
} from './trust-anchors.ts';
import { signatureAlgorithmName } from './views.ts';

export interface RcpServiceDeps {
  readonly repository: RcpRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
  /**
   * Webhook events (src/events), raised in the transaction of each change: root.cert.added on add,
   * root.cert.revoked on delete (D-047). Absent: no events (unit tests).
   */
  readonly events?: EventSink;
  /**
   * Longest use, in ms, of the trusted roots read for trustedRoots() (D-175): changes made through
   * this service apply at once, those of other processes within this time. 0 or absent: read on
   * every call.
   */
  readonly trustedRootsMaxAgeMs?: number;
}

export interface AddRootRequest {
  readonly der: Uint8Array;
  readonly rootType: RootType;
  /** Who adds it: `client:<id>` or `cli:<user>` (the audit actor). */
  readonly actor: string;
  /** Accept profile-lint errors, reported as findings (D-041). */
  readonly lenient?: boolean;
  /** The edition the request named (xsdMsgDefNamespace); must agree with the key. */
  readonly iso?: 2 | 20;
}

export interface AddedRoot {
  readonly root: RootRecord;
  /** Accepted lint findings (warnings; in lenient mode also errors). */
  readonly findings: readonly LintFinding[];
}

export interface RootListFilter {
  readonly types?: readonly RootType[];
  readonly iso?: 2 | 20;
  readonly includeDeleted?: boolean;
}

// RFC 9562 §4 text form, any version; `\-` is avoided on purpose (spec-gaps.md item 8).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A rootCertificateId in canonical (lower-case) form; 400 rcp.invalid-id otherwise. */
export function parseRootId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw appError('rcp.invalid-id', 'rootCertificateId must be a UUID (8-4-4-4-12 hex digits)');
  }
  return value.toLowerCase();
}

const TYPE_ALIASES: ReadonlyMap<string, RootType> = new Map<string, RootType>([
  ['v2g', 'V2G'],
  ['mo', 'MO'],
  // OPNC names the MO PKI eMSP (rootTypeList, pkiType; spec-gaps.md item 6).
  ['emsp', 'MO'],
  ['oem', 'OEM'],
  ['pe', 'PE'],
]);

/** rootType / pkiType / rootTypeList entry in any case and either vocabulary → RootType. */
export function parseRootType(value: unknown, field = 'rootType'): RootType {
  const type = typeof value === 'string' ? TYPE_ALIASES.get(value.trim().toLowerCase()) : undefined;
  if (type === undefined) {
    throw appError(
      'rcp.invalid-root-type',
      `${field} must be one of ${ROOT_TYPES.join(', ')} (any case; eMSP for MO)`,
      { details: { field } },
    );
  }
  return type;
}

export function toTrustedRoot(root: RootRecord): TrustedRoot {
  return {
    id: root.id,
    rootType: root.rootType,
    iso: root.iso,
    der: root.der,
    fingerprintSha256: root.fingerprintSha256,
    subject: root.subject,
    notBefore: root.notBefore,
    notAfter: root.notAfter,
  };
}

/** The facts of a root event payload (src/events RootEventData). */
export function rootEventData(root: RootRecord): RootEventData {
  const facts = rootFacts(root.der);
  return {
    rootCertificateId: root.id,
    distinguishedName: facts.distinguishedName,
    commonName: facts.commonName ?? '',
    rootType: root.rootType,
    rootSerialNumber: root.serial,
    signatureAlgorithm: signatureAlgorithmName(root.keyAlgorithm),
    fingerprintSHA256: root.fingerprintSha256,
  };
}

export class RcpService implements TrustAnchorSource, RootPoolMaintenance {
  readonly #repository: RcpRepository;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #events: EventSink | undefined;
  readonly #rootsMaxAgeMs: number;
  /** The trusted roots as last read (D-175), with the clock time before the read. */
  #roots: { readonly readAt: number; readonly roots: readonly TrustedRoot[] } | undefined;
  /** Counts changes made here: a read that a change overtook is answered but not kept. */
  #rootsGeneration = 0;

  constructor(deps: RcpServiceDeps) {
    if (deps?.repository === undefined) throw new TypeError('RcpService needs a repository');
    if (typeof deps.clock?.now !== 'function') throw new TypeError('RcpService needs a clock');
    if (typeof deps.random !== 'function') throw new TypeError('RcpService needs a random source');
    this.#repository = deps.repository;
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#events = deps.events;
    const maxAge = deps.trustedRootsMaxAgeMs ?? 0;
    if (!Number.isInteger(maxAge) || maxAge < 0)
      throw new RangeError('trustedRootsMaxAgeMs must be an integer ≥ 0');
    this.#rootsMaxAgeMs = maxAge;
  }

  /** Drops the remembered trusted roots: the next trustedRoots() reads them again. */
  #rootsChanged(): void {
    this.#roots = undefined;
    this.#rootsGeneration++;
  }

  #raise(type: 'root.cert.added' | 'root.cert.revoked', actor: string): WithinChange | undefined {
    const events = this.#events;
    if (events === undefined) return undefined;
    return async (tx, root) => {
      await events.raise(tx, { type, iso: root.iso, root: rootEventData(root) }, { actor });
    };
  }

  /**
   * TrustAnchorSource: the roots not deleted, optionally by type and edition. Every CCP installation,
   * PCP upload and CPS call asks; the pool holds a handful of roots that change a few times a year, so
   * the answer comes from the roots read at most trustedRootsMaxAgeMs ago (D-175). Adds and deletes of
   * this service drop them at once; another process's (`pnc root add|delete`, a second instance) are
   * seen within trustedRootsMaxAgeMs.
   */
  async trustedRoots(filter: TrustAnchorFilter = {}): Promise<readonly TrustedRoot[]> {
    const all = await this.#allTrustedRoots();
    const types = filter.types;
    const iso = filter.iso;
    if (types === undefined && iso === undefined) return all;
    return all.filter(
      (r) => (types === undefined || types.includes(r.rootType)) && (iso === undefined || r.iso === iso),
    );
  }

  async #allTrustedRoots(): Promise<readonly TrustedRoot[]> {
    const now = this.#clock.now().getTime();
    const known = this.#roots;
    if (known !== undefined && now >= known.readAt && now - known.readAt < this.#rootsMaxAgeMs) {
      return known.roots;
    }
    const generation = this.#rootsGeneration;
    const roots = Object.freeze((await this.#repository.list()).map(toTrustedRoot));
    if (this.#rootsMaxAgeMs > 0 && generation === this.#rootsGeneration) this.#roots = { readAt: now, roots };
    return roots;
  }

  /** Checks and adds a root (./root-certificate.ts); a root already in the pool → 409 rcp.duplicate. */
  async add(request: AddRootRequest): Promise<AddedRoot> {
    const now = this.#clock.now();
    // A root in the pool already is a conflict whatever else the request says (a repeated PUT).
    const fingerprint = createHash('sha256').update(request.der).digest('hex');
    const present = await this.#repository.findActiveByFingerprint(fingerprint);
    if (present !== undefined) throw duplicate(present);
    const { facts, findings } = checkRoot(request.der, {
      rootType: request.rootType,
      at: now,
      ...(request.lenient === undefined ? {} : { lenient: request.lenient }),
      ...(request.iso === undefined ? {} : { iso: request.iso }),
    });
    const root: RootRecord = {
      id: randomUuid(this.#random),
      rootType: request.rootType,
      iso: facts.iso,
      der: facts.der,
      fingerprintSha256: facts.fingerprintSha256,
      subject: facts.subject,
      issuer: facts.issuer,
      serial: facts.serial,
      ski: facts.ski,
      keyAlgorithm: facts.keyAlgorithm,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      addedAt: now,
      addedBy: request.actor,
      deletedAt: null,
      deletedBy: null,
      lintFindings: findings,
      lenient: request.lenient === true,
    };
    try {
      await this.#repository.add(root, this.#raise('root.cert.added', request.actor));
      this.#rootsChanged();
    } catch (error) {
      // A concurrent add of the same root won the race: answer as if it had come first.
      const winner = await this.#repository.findActiveByFingerprint(facts.fingerprintSha256);
      if (winner !== undefined) throw duplicate(winner);
      throw error;
    }
    return { root, findings };
  }

  /** Soft-deletes a root (kept for the audit trail); 404 rcp.not-found when absent or deleted. */
  async delete(id: string, actor: string): Promise<RootRecord> {
    const deleted = await this.#repository.delete(
      parseRootId(id),
      actor,
      this.#clock.now(),
      this.#raise('root.cert.revoked', actor),
    );
    this.#rootsChanged();
    if (deleted === undefined) throw notFound();
    return deleted;
  }

  async get(id: string): Promise<RootRecord> {
    const root = await this.#repository.get(parseRootId(id));
    if (root === undefined) throw notFound();
    return root;
  }

  /** The root not deleted with this SHA-256 fingerprint (hex, any case, colons allowed), if any. */
  async findActiveByFingerprint(fingerprint: string): Promise<RootRecord | undefined> {
    return this.#repository.findActiveByFingerprint(fingerprint.replace(/:/g, '').trim().toLowerCase());
  }

  async list(filter: RootListFilter = {}): Promise<RootRecord[]> {
    return this.#repository.list(filter);
  }

  // --- RootPoolMaintenance (src/maintenance): the "Data Cleansing" of OPCP docs/components/01 ---------

  /**
   * Roots past their notAfter. None is "revoked": a root certifies itself, no CRL or OCSP answer of
   * its own PKI can revoke it; a compromised root is deleted by the operator.
   */
  async listExpiredOrRevokedRoots(now: Date): Promise<readonly ExpiringRoot[]> {
    const roots = await this.#repository.list();
    return roots
      .filter((r) => r.notAfter.getTime() < now.getTime())
      .map((r) => ({ id: r.id, reason: 'expired' as const, iso: r.iso, root: rootEventData(r) }));
  }

  /** Marks the root deleted inside the maintenance transaction (its audit record included). */
  async removeRoot(tx: Tx, id: string, actor: string, now: Date): Promise<boolean> {
    // Dropped before the commit, so a read between here and the commit may keep the root for up to
    // trustedRootsMaxAgeMs: harmless, the root is past its notAfter and validates no path (RFC 5280
    // §6.1.3 (a)(2)).
    this.#rootsChanged();
    return (await this.#repository.deleteInTx(tx, id, actor, now, { via: 'maintenance' })) !== undefined;
  }
}

function notFound() {
  return appError('rcp.not-found', 'Root certificate with the given ID is not found');
}

function duplicate(existing: RootRecord) {
  return appError(
    'rcp.duplicate',
    `the root is in the pool already as ${existing.id} (${existing.rootType}, SHA-256 ${existing.fingerprintSha256})`,
    { details: { rootCertificateId: existing.id, fingerprint: existing.fingerprintSha256 } },
  );
}
