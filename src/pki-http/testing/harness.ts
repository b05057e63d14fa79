// Test support for src/pki-http: a server with the PKI routes (and the token endpoint) on a real
// database of either backend, the CA service with an in-memory key store (the real software store
// costs a scrypt derivation per key; the integration test in test/integration uses it), the demo
// hierarchy of `pnc pki init` for ISO 15118-2 (P-256) and -20 (P-521), and clients with tokens.

import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { componentMigrations } from '../../app/migrations.ts';
import { createAuth, registerClient } from '../../auth/index.ts';
import { oauthTokenRoutes } from '../../auth/token-routes.ts';
import {
  type CaView,
  type CertificateAuthorityService,
  initDemoHierarchy,
  CertificateAuthorityService as Service,
  SqlCaRepository,
} from '../../ca/index.ts';
import { FakeClock, fastKeyStore, MemoryLogger, storedCounts } from '../../ca/testing/fixtures.ts';
import type { AppConfig } from '../../config/fields.ts';
import { createLogger } from '../../http/logger.ts';
import { createMetrics } from '../../http/metrics.ts';
import { buildHttpServer } from '../../http/server.ts';
import type { KeyStore } from '../../signer/types.ts';
import { migrate } from '../../storage/migrate.ts';
import type { Database } from '../../storage/types.ts';
import { createPkiHttp, type PkiHttp } from '../index.ts';

export const PUBLIC_URL = 'http://pki.example.test:8080';

export interface PkiHarness {
  readonly db: Database;
  readonly server: FastifyInstance;
  readonly clock: FakeClock;
  readonly ca: CertificateAuthorityService;
  readonly keyStore: KeyStore;
  readonly pki: PkiHttp;
  readonly logs: string[];
  /** The demo hierarchy's CAs by ISO edition and plan key ('root', 'cpo-sub2', ...). */
  ca2(key: string): CaView;
  ca20(key: string): CaView;
  /** Registers a client and returns a token for it. */
  token(role: string, scope?: string): Promise<{ token: string; clientId: string }>;
  counts(): Promise<{ cas: number; certificates: number; audit: number }>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface HarnessOptions {
  readonly config?: Partial<
    Pick<
      AppConfig,
      | 'ocspResponder'
      | 'ocspValiditySeconds'
      | 'ocspStatusMaxAgeMs'
      | 'crlValiditySeconds'
      | 'estLenientCommonName'
    >
  >;
  /** The key store the PKI routes open keys with (default: the CA's own). */
  readonly routesKeyStore?: Pick<KeyStore, 'open'>;
}

const FAST_SCRYPT = { ln: 10, r: 8, p: 1 };

export async function withPkiHarness(
  db: Database,
  options: HarnessOptions,
  fn: (h: PkiHarness) => Promise<void>,
): Promise<void> {
  const clock = new FakeClock();
  const random = (n: number) => new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(n)));
  await migrate(db, componentMigrations, clock);
  const keyStore = fastKeyStore();
  const ca = new Service({
    repository: new SqlCaRepository(db),
    keyStore,
    clock,
    random,
    publicUrl: PUBLIC_URL,
    logger: new MemoryLogger(),
  });
  const nodes = await initDemoHierarchy(
    ca,
    { iso: [2, 20], organization: 'PnC Test', country: 'DE', actor: 'test' },
    () => clock.now(),
  );
  const byKey = new Map<string, CaView>();
  for (const node of nodes) {
    if (node.node.role === 'cps-leaf') continue;
    byKey.set(`${node.iso}/${node.node.key}`, await ca.getCa(node.id));
  }
  const auth = await createAuth({ db, clock, random, issuer: () => PUBLIC_URL, tokenTtlSeconds: 3600 });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const pki = createPkiHttp({
    db,
    clock,
    auth,
    ca,
    keyStore: options.routesKeyStore ?? keyStore,
    config: {
      ocspResponder: options.config?.ocspResponder ?? 'issuer',
      ocspValiditySeconds: options.config?.ocspValiditySeconds ?? 86_400,
      ocspStatusMaxAgeMs: options.config?.ocspStatusMaxAgeMs ?? 1000,
      crlValiditySeconds: options.config?.crlValiditySeconds ?? 86_400,
      estLenientCommonName: options.config?.estLenientCommonName ?? false,
    },
    logger,
  });
  const server = await buildHttpServer({
    config: { bodyLimit: 1024 * 1024, trustProxy: false, requestTimeoutMs: 30_000 },
    logger,
    metrics: createMetrics(),
    routes: [oauthTokenRoutes({ tokens: auth.tokens }), ...pki.routes],
    random,
  });
  const get = (iso: 2 | 20, key: string): CaView => {
    const view = byKey.get(`${iso}/${key}`);
    assert.ok(view, `no demo CA ${iso}/${key}`);
    return view;
  };
  const h: PkiHarness = {
    db,
    server,
    clock,
    ca,
    keyStore,
    pki,
    logs,
    ca2: (key) => get(2, key),
    ca20: (key) => get(20, key),
    async token(role, scope) {
      const client = await registerClient(db, { role, scope }, { clock, random, scryptParams: FAST_SCRYPT });
      const res = await server.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: {
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return { token: res.json().access_token as string, clientId: client.clientId };
    },
    counts: () => storedCounts(db),
    inject: (opts) => server.inject(opts),
  };
  try {
    await fn(h);
  } finally {
    keyStore.remove();
    await server.close();
  }
}

/** The body of an OPCP error response: its first message. */
export function errorMessage(res: LightMyRequestResponse): string {
  const body = res.json() as { errorMessages?: string[]; traceId?: string };
  assert.ok(Array.isArray(body.errorMessages) && typeof body.traceId === 'string', res.body);
  return body.errorMessages[0] as string;
}
