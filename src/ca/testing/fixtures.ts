// Test support for src/ca: a settable clock, a random source whose next draws a test can script, a
// software key store shared by a test file (generating keys costs a scrypt derivation each), a key
// store wrapper whose signers can be made to fail, and `openssl verify -x509_strict` over a chain.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appError } from '../../errors/catalogue.ts';
import { lintCertificate } from '../../pki/lint/index.ts';
import { openssl, TempDir } from '../../pki/ocsp/testing/test-pki.ts';
import { toPem, validatePath } from '../../pki/path/index.ts';
import { getProfileById } from '../../pki/profiles/index.ts';
import type { CertificateRole } from '../../pki/profiles/types.ts';
import { SoftwareKeyStore } from '../../signer/index.ts';
import type { KeyAlgorithm, KeyHandle, KeyStore, Signer } from '../../signer/types.ts';
import { migrate } from '../../storage/migrate.ts';
import type { Database } from '../../storage/types.ts';
import { CA_MIGRATIONS } from '../migrations.ts';
import { SqlCaRepository } from '../repository.ts';
import { type CaServiceOptions, CertificateAuthorityService } from '../service.ts';
import type { CaLogger, Clock, RandomSource } from '../types.ts';

export const TEST_PASSPHRASE = 'correct horse battery staple';
export const PUBLIC_URL = 'http://pki.example.test:8080';
/** A fixed "now" far from the real clock: every time comparison must use the injected clock. */
export const START = new Date('2027-03-01T10:00:00.000Z');

export class FakeClock implements Clock {
  #now: number;

  constructor(start: Date = START) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** crypto random bytes, except that draws queued with `next()` come first (serial collisions). */
export class ScriptedRandom {
  readonly #queue: Uint8Array[] = [];

  readonly source: RandomSource = (n) => {
    const queued = this.#queue[0];
    if (queued !== undefined && queued.length === n) {
      this.#queue.shift();
      return queued.slice();
    }
    return new Uint8Array(randomBytes(n));
  };

  next(bytes: Uint8Array): void {
    this.#queue.push(bytes);
  }
}

export class MemoryLogger implements CaLogger {
  readonly lines: { level: 'info' | 'warn'; message: string; object: Record<string, unknown> }[] = [];

  info(object: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', message, object });
  }

  warn(object: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', message, object });
  }
}

/**
 * The real software key store in a temporary directory, with a low scrypt cost (N = 2^10) so the
 * service tests can generate many keys; production keys use DEFAULT_SCRYPT_PARAMS. `remove()` deletes
 * the directory (call it in `after`).
 */
export function fastKeyStore(): SoftwareKeyStore & { remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-test-keys-'));
  const store = new SoftwareKeyStore({
    directory: join(dir, 'keys'),
    passphrase: TEST_PASSPHRASE,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    scryptParams: { N: 2 ** 10, r: 8, p: 1 },
  });
  return Object.assign(store, { remove: () => rmSync(dir, { recursive: true, force: true }) });
}

/** One software key store per test file, removed at the end (keys outlive the per-test databases). */
export function sharedKeyStore(): { store: SoftwareKeyStore; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-ca-keys-'));
  const store = new SoftwareKeyStore({
    directory: join(dir, 'keys'),
    passphrase: TEST_PASSPHRASE,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
  });
  return { store, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Wraps a key store; its signers fail while `failSigning` is set, and call `onSign` first (a test
 * looks at the database at the moment of the signature).
 */
export class ControlledKeyStore implements KeyStore {
  readonly inner: KeyStore;
  failSigning = false;
  onSign: (() => Promise<void>) | undefined;
  readonly destroyed: string[] = [];

  constructor(inner: KeyStore) {
    this.inner = inner;
  }

  #wrap(signer: Signer): Signer {
    const sign = async (data: Uint8Array, raw: boolean) => {
      await this.onSign?.();
      if (this.failSigning)
        throw appError('signer.crypto', 'signing failed (test)', { details: { backend: 'software' } });
      return raw ? signer.signRaw(data) : signer.sign(data);
    };
    return {
      handle: signer.handle,
      publicKeySpki: () => signer.publicKeySpki(),
      sign: (data) => sign(data, false),
      signRaw: (data) => sign(data, true),
    };
  }

  async generate(algorithm: KeyAlgorithm, label: string): Promise<Signer> {
    return this.#wrap(await this.inner.generate(algorithm, label));
  }

  async open(id: string): Promise<Signer> {
    return this.#wrap(await this.inner.open(id));
  }

  list(): Promise<KeyHandle[]> {
    return this.inner.list();
  }

  async destroy(id: string): Promise<void> {
    this.destroyed.push(id);
    await this.inner.destroy(id);
  }
}

export async function migrateCa(db: Database, clock: Clock): Promise<void> {
  await migrate(db, [CA_MIGRATIONS], clock);
}

export interface TestCa {
  readonly service: CertificateAuthorityService;
  readonly repository: SqlCaRepository;
  readonly clock: FakeClock;
  readonly random: ScriptedRandom;
  readonly logger: MemoryLogger;
}

export async function newTestCa(
  db: Database,
  keyStore: KeyStore,
  options: {
    clock?: FakeClock;
    random?: ScriptedRandom;
    service?: CaServiceOptions;
    migrate?: boolean;
    publicUrl?: string;
  } = {},
): Promise<TestCa> {
  const clock = options.clock ?? new FakeClock();
  const random = options.random ?? new ScriptedRandom();
  const logger = new MemoryLogger();
  if (options.migrate !== false) await migrateCa(db, clock);
  const repository = new SqlCaRepository(db);
  const service = new CertificateAuthorityService({
    repository,
    keyStore,
    clock,
    random: random.source,
    publicUrl: options.publicUrl ?? PUBLIC_URL,
    logger,
    ...(options.service === undefined ? {} : { options: options.service }),
  });
  return { service, repository, clock, random, logger };
}

/** Row counts that must not change when a request is refused ("nothing stored"). */
export async function storedCounts(
  db: Database,
): Promise<{ cas: number; certificates: number; audit: number }> {
  const count = async (table: string) =>
    Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n ?? -1);
  return {
    cas: await count('ca_authorities'),
    certificates: await count('ca_certificates'),
    audit: await count('ca_audit_log'),
  };
}

/** `openssl verify -x509_strict -CAfile root.pem -untrusted subs.pem leaf.pem` at `at`. */
export function opensslVerify(chain: readonly Uint8Array[], at: Date): { ok: boolean; output: string } {
  const dir = new TempDir();
  try {
    const root = dir.write('root.pem', toPem(chain[chain.length - 1] as Uint8Array));
    const args = [
      'verify',
      '-x509_strict',
      '-attime',
      String(Math.floor(at.getTime() / 1000)),
      '-CAfile',
      root,
    ];
    if (chain.length > 2)
      args.push('-untrusted', dir.write('subs.pem', chain.slice(1, -1).map(toPem).join('')));
    args.push(dir.write('leaf.pem', toPem(chain[0] as Uint8Array)));
    const r = openssl(args);
    return { ok: r.status === 0 && /leaf\.pem: OK/.test(r.output), output: r.output };
  } finally {
    dir.remove();
  }
}

/**
 * The checks every issued certificate must pass: its own profile's lint with its issuer (no error),
 * RFC 5280 path validation with OpenSSL's strict checks and the ISO 15118 usage checks.
 */
export function assertConforms(
  chain: readonly Uint8Array[],
  profileId: string,
  at: Date,
  allowedWarnings: readonly string[] = [],
  /** Role of the root, where nothing in it tells (Private Environment roots, src/pki/path PV-13). */
  anchorRole?: CertificateRole,
): void {
  const profile = getProfileById(profileId);
  assert.ok(profile, profileId);
  const lint = lintCertificate(chain[0] as Uint8Array, profile, {
    at,
    issuer: (chain[1] ?? chain[0]) as Uint8Array,
  });
  assert.ok(lint.ok, `${profileId}: ${JSON.stringify(lint.violations)}`);
  assert.deepEqual(
    lint.violations.map((v) => v.code).filter((c) => !allowedWarnings.includes(c)),
    [],
    `${profileId} lints without (unexpected) warnings`,
  );
  const path = validatePath({
    target: chain[0] as Uint8Array,
    intermediates: chain.slice(1, -1),
    anchors: [chain[chain.length - 1] as Uint8Array],
    at,
    strict: true,
    profile: {
      role: profile.role,
      iso: profile.iso,
      ...(anchorRole === undefined ? {} : { anchorRoles: [anchorRole] }),
    },
  });
  assert.ok(
    path.valid,
    `${profileId}: ${path.valid ? '' : `${path.code} ${path.reason} ${JSON.stringify(path.violations)}`}`,
  );
}
