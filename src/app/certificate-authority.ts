// Wiring of the certificate authority (src/ca) from the configuration: the key store chosen by
// `keyStore` and the CA service over the component's repository. Used by the composition root
// (./create-app.ts, `pnc serve`) and by the `pnc pki` commands that work on the data directory
// directly (init, list, export, revoke), so both build the CA the same way.

import { join } from 'node:path';
import {
  type CaLogger,
  CertificateAuthorityService,
  SqlCaRepository,
  UnavailableKeyStore,
} from '../ca/index.ts';
import type { AppConfig } from '../config/fields.ts';
import { createKeyStore } from '../signer/index.ts';
import type { ClosableKeyStore } from '../signer/types.ts';
import type { StorageLogger } from '../storage/open-database.ts';
import type { Database } from '../storage/types.ts';
import { openMigratedDatabase } from './database.ts';
import type { Clock, RandomSource } from './runtime.ts';

/** Directory of the software key store inside the data directory. */
export const KEY_DIRECTORY = 'keys';

/**
 * The configured key store. Without a passphrase (software) or token / PIN (PKCS#11), a store that
 * refuses every key operation with `ca.key-store-unavailable` and says what to set.
 */
export function keyStoreFromConfig(config: AppConfig, random: RandomSource): ClosableKeyStore {
  if (config.keyStore === 'pkcs11') {
    if (config.pkcs11Token === undefined || config.pkcs11Pin === undefined) {
      return new UnavailableKeyStore(
        'pkcs11',
        'the PKCS#11 key store needs a token label and a user PIN: set PNC_PKCS11_TOKEN and PNC_PKCS11_PIN',
      );
    }
    return createKeyStore(
      {
        type: 'pkcs11',
        modulePath: config.pkcs11Module,
        tokenLabel: config.pkcs11Token,
        userPin: config.pkcs11Pin,
      },
      { randomBytes: random },
    );
  }
  if (config.keyPassphrase === undefined) {
    return new UnavailableKeyStore(
      'software',
      'the software key store needs a passphrase: set PNC_KEY_PASSPHRASE (at least 12 characters), or use ' +
        'a PKCS#11 token (PNC_KEY_STORE=pkcs11)',
    );
  }
  return createKeyStore(
    { type: 'software', directory: join(config.dataDir, KEY_DIRECTORY), passphrase: config.keyPassphrase },
    { randomBytes: random },
  );
}

export interface CertificateAuthorityDeps {
  readonly config: AppConfig;
  readonly db: Database;
  readonly keyStore: ClosableKeyStore;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: CaLogger;
  /** The public base URL; a function because `pnc serve --port 0` knows it only once listening. */
  readonly publicUrl: () => string;
}

export function createCertificateAuthority(deps: CertificateAuthorityDeps): CertificateAuthorityService {
  return new CertificateAuthorityService({
    repository: new SqlCaRepository(deps.db),
    keyStore: deps.keyStore,
    clock: deps.clock,
    random: deps.random,
    publicUrl: deps.publicUrl,
    logger: deps.logger,
    options: { revokedSetMaxAgeMs: deps.config.trustCacheMaxAgeMs },
  });
}

/** The CA over a data directory, for CLI commands; close() releases the key store and the database. */
export interface OpenedCertificateAuthority {
  readonly ca: CertificateAuthorityService;
  readonly keyStore: ClosableKeyStore;
  readonly db: Database;
  close(): Promise<void>;
}

export async function openCertificateAuthority(
  config: AppConfig,
  deps: {
    readonly clock: Clock;
    readonly random: RandomSource;
    readonly logger: CaLogger & StorageLogger;
  },
): Promise<OpenedCertificateAuthority> {
  const db = await openMigratedDatabase(config, { clock: deps.clock, logger: deps.logger });
  let keyStore: ClosableKeyStore;
  try {
    keyStore = keyStoreFromConfig(config, deps.random);
  } catch (error) {
    await db.close();
    throw error;
  }
  const ca = createCertificateAuthority({
    config,
    db,
    keyStore,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    publicUrl: () => config.publicUrl,
  });
  let closing: Promise<void> | undefined;
  return {
    ca,
    keyStore,
    db,
    close() {
      closing ??= (async () => {
        try {
          await keyStore.close();
        } finally {
          await db.close();
        }
      })();
      return closing;
    },
  };
}
