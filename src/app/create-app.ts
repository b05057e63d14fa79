// The composition root (architecture-practices §3.1): configuration in, running services out. Opens
// the database, applies the migrations of every component (./migrations.ts), builds the HTTP server
// with the route table (./routes.ts). Nothing else constructs long-lived services; the clock, the
// random source and the log destination are passed in, so tests control them.

import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { createAuth } from '../auth/index.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import { CcpService } from '../ccp/service.ts';
import { type AppConfig, defaultPublicUrl } from '../config/fields.ts';
import { CpsService } from '../cps/index.ts';
import { appError } from '../errors/catalogue.ts';
import type { EventSink } from '../events/event-sink.ts';
import { createEvents, type Events } from '../events/index.ts';
import { createLogger, type LogDestination, type Logger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer } from '../http/server.ts';
import { MaintenanceScheduler, MaintenanceService } from '../maintenance/index.ts';
import { createPcp, type ProvisioningCertificatePool } from '../pcp/index.ts';
import { createRcp, type Rcp, type RcpService } from '../rcp/index.ts';
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
  /** The Root Certificate Pool (src/rcp, docs/rcp.md): the TrustAnchorSource of the other pools. */
  readonly rcp: RcpService;
  /** The Contract Certificate Pool (src/ccp, docs/ccp.md): ContractSink for the CPS, VehicleContracts for the PCP. */
  readonly ccp: CcpService;
  /**
   * The Provisioning Certificate Pool (src/pcp, docs/pcp.md): the ProvisioningLookup of the CPS and
   * the CCP; trusts the RCP's roots, deletes a vehicle's contracts in the CCP.
   */
  readonly pcp: ProvisioningCertificatePool;
  /**
   * The Certificate Provisioning Service (src/cps, docs/cps.md): signs MO contract data, generates
   * contract data for MOs without a PKI; stores through the CCP, looks vehicles up in the PCP.
   */
  readonly cps: CpsService;
  /**
   * The webhook service (src/events, docs/events.md): `events.sink` is the EventSink for the pools;
   * the delivery worker runs from listen() to close().
   */
  readonly events: Events;
  /**
   * Pool maintenance (src/maintenance, docs/maintenance.md): `pnc maintain` calls run('cli'); `pnc serve`
   * runs it every config.maintenanceIntervalSeconds from listen() to close().
   */
  readonly maintenance: MaintenanceService;
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
  let events: Events;
  let maintenance: MaintenanceService;
  let ccp: CcpService;
  let rcp: Rcp;
  let pcp: ProvisioningCertificatePool;
  let cps: CpsService;
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
      clientMaxAgeMs: config.trustCacheMaxAgeMs,
    });
    ca = createCertificateAuthority({ config, db, keyStore, clock, random, logger, publicUrl });
    // Late-bound: the events are built after the pools (the worker needs the server's config and auth).
    const lateEvents: Pick<EventSink, 'raise'> = {
      raise: (tx, event, options) => events.sink.raise(tx, event, options),
    };
    rcp = createRcp({
      db,
      clock,
      random,
      ca,
      keyStore,
      events: lateEvents,
      trustedRootsMaxAgeMs: config.trustCacheMaxAgeMs,
    });
    ccp = new CcpService({
      db,
      clock,
      trustAnchors: rcp.service,
      localCa: ca,
      // Late-bound: the PCP is built after the CCP (it deletes contracts through it).
      provisioning: { findByPcid: (pcid) => pcp.findByPcid(pcid) },
      events: lateEvents,
    });
    pcp = createPcp({
      db,
      clock,
      ca,
      trustAnchors: rcp.service,
      vehicleContracts: ccp,
      events: lateEvents,
      unknownRevocation: config.pcpUnknownRevocation,
    });
    cps = new CpsService({
      ca,
      keyStore,
      trustAnchors: rcp.service,
      provisioning: pcp,
      contracts: ccp,
      db,
      clock,
      random,
      logger,
    });
    events = createEvents({
      db,
      clock,
      random,
      config,
      logger,
      auth,
      userAgent: `pnc-webhooks/${version}`,
    });
    // The pools join here as they implement the interfaces of src/maintenance/pools.ts (rcp, pcp, ccp).
    maintenance = new MaintenanceService({
      db,
      clock,
      events: events.sink,
      pools: { rcp: rcp.service, pcp, ccp: ccp.maintenance },
      logger,
      eventRetentionDays: config.eventRetentionDays,
    });
    server = await buildHttpServer({
      config,
      logger,
      metrics: createMetrics(),
      routes: routeTable({
        db,
        clock,
        version,
        auth,
        ca,
        keyStore,
        config,
        logger,
        rcp,
        events,
        pcp,
        ccp,
        cps,
      }),
      random,
      openapi: { title: 'pnc', version, publicUrl },
    });
  } catch (error) {
    await keyStore.close();
    await db.close();
    throw error;
  }

  const maintenanceSchedule = new MaintenanceScheduler(
    maintenance,
    config.maintenanceIntervalSeconds,
    logger,
  );
  let closing: Promise<void> | undefined;
  return {
    config,
    server,
    db,
    logger,
    ca,
    events,
    maintenance,
    ccp,
    pcp,
    cps,
    rcp: rcp.service,
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
      // Webhook deliveries start with the server (pnc serve) and stop before the database closes.
      events.worker.start();
      maintenanceSchedule.start();
      return address;
    },
    publicUrl,
    close() {
      closing ??= (async () => {
        try {
          // No new deliveries; the ones in flight record their outcome while the database is open.
          await maintenanceSchedule.stop();
          await events.worker.stop();
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
