// The composition root (architecture-practices §3.1): configuration in, running services out. Opens
// the database, applies the migrations of every component (./migrations.ts), builds the HTTP server
// with the route table (./routes.ts). Nothing else constructs long-lived services; the clock, the
// random source and the log destination are passed in, so tests control them.

import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { createAuth } from '../auth/index.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import { type AppConfig, defaultPublicUrl } from '../config/fields.ts';
import { appError } from '../errors/catalogue.ts';
import { createLogger, type LogDestination, type Logger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer } from '../http/server.ts';
import { migrate } from '../storage/migrate.ts';
import { describeDatabase, openDatabase } from '../storage/open-database.ts';
import type { Database } from '../storage/types.ts';
import { createCertificateAuthority, keyStoreFromConfig } from './certificate-authority.ts';
import { componentMigrations } from './migrations.ts';
import { routeTable } from './routes.ts';
import type { Clock, RandomSource } from './runtime.ts';

export interface CreateAppDeps {
  readonly config: AppConfig;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Where the JSON log lines go: process.stdout for `pnc serve`, a capturing stream in tests. */
  readonly logDestination: LogDestination;
}

export interface App {
  readonly config: AppConfig;
  readonly server: FastifyInstance;
  readonly db: Database;
  readonly logger: Logger;
  /** The certificate authority (src/ca), with the configured key store (closed by close()). */
  readonly ca: CertificateAuthorityService;
  /** Listens on config.host / config.port and returns the URL actually bound (real port for port 0). */
  listen(): Promise<string>;
  /**
   * The base URL for links in certificates and responses: config.publicUrl, except that with port 0
   * and no PNC_PUBLIC_URL the default (http://127.0.0.1:0) is replaced by the bound port once listening.
   */
  publicUrl(): string;
  /** Stops accepting requests, waits for in-flight ones, closes the database. Idempotent. */
  close(): Promise<void>;
}

export async function readPackageVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (
    typeof code === 'string' &&
    ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
  ) {
    return appError('server.listen', `cannot listen on ${host}:${port}: ${code}`, { cause: error });
  }
  return error;
}

export async function createApp(deps: CreateAppDeps): Promise<App> {
  const { config, clock, random } = deps;
  const logger = createLogger({ level: config.logLevel, destination: deps.logDestination });
  const version = await readPackageVersion();

  let boundPort: number | undefined;
  const publicUrl = (): string => {
    if (config.port === 0 && config.publicUrl === defaultPublicUrl(0) && boundPort !== undefined) {
      return defaultPublicUrl(boundPort);
    }
    return config.publicUrl;
  };

  const db = await openDatabase(config, { logger });
  // Building the key store touches no file or token yet (src/signer): errors surface on first use.
  const keyStore = keyStoreFromConfig(config, random);
  let server: FastifyInstance;
  let ca: CertificateAuthorityService;
  try {
    logger.info({ database: describeDatabase(config), dialect: db.dialect }, 'database opened');
    const { applied } = await migrate(db, componentMigrations, clock);
    for (const m of applied)
      logger.info({ migration: m }, `migration applied: ${m.component}#${m.id} ${m.name}`);
    // Tokens name the public URL as issuer; with port 0 it is known only once listening.
    const auth = await createAuth({
      db,
      clock,
      random,
      issuer: publicUrl,
      tokenTtlSeconds: config.tokenTtlSeconds,
    });
    ca = createCertificateAuthority({ config, db, keyStore, clock, random, logger, publicUrl });
    server = await buildHttpServer({
      config,
      logger,
      metrics: createMetrics(),
      routes: routeTable({ db, clock, version, auth, ca, keyStore, config, logger }),
      random,
    });
  } catch (error) {
    await keyStore.close();
    await db.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    server,
    db,
    logger,
    ca,
    async listen() {
      let address: string;
      try {
        address = await server.listen({
          host: config.host,
          port: config.port,
          listenTextResolver: (url) => `listening on ${url}`,
        });
      } catch (error) {
        throw listenError(error, config.host, config.port);
      }
      const bound = server.server.address();
      if (bound !== null && typeof bound === 'object') boundPort = bound.port;
      return address;
    },
    publicUrl,
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await keyStore
            .close()
            .catch((error: unknown) => logger.warn({ err: error }, 'closing the key store failed'));
          await db.close();
          logger.info('stopped');
        }
      })();
      return closing;
    },
  };
}
