// The TLS link between EVCC (client) and SECC (server) over TCP, as ISO 15118 sets it (docs/v2g-link.md).
//
// ISO 15118-2 profile ([V2G2-602]): TLS 1.2 only, cipher suite TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
// (OpenSSL `ECDHE-ECDSA-AES128-SHA256`) on secp256r1; the static-ECDH suite the standard also lists
// (TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256) is not offered: OpenSSL 3 removed static ECDH (D-121). The
// SECC sends its leaf and the CPO sub-CAs; the EVCC checks that chain against its V2G roots and does
// no host name check (the SECC certificate names an EVSEID, not a host): checkServerIdentity runs the
// ISO 15118 path validation (src/pki/path, role secc-leaf) instead. No client certificate.
//
// ISO 15118-20 profile (D-122): TLS 1.3 with mutual authentication — the SECC requests and
// verifies the vehicle certificate against its configured roots; suites TLS_AES_256_GCM_SHA384 and
// TLS_CHACHA20_POLY1305_SHA256 as Josev and libiso15118 offer (pki-profiles.md §1.2), groups X448 and
// secp521r1 first (D-122).
//
// Key log: with a path, every TLS secret line (NSS key log format, the `keylog` event) is appended to
// the file, so a capture can be decrypted in Wireshark (SSLKEYLOGFILE). Off by default.

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { AppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { toPem, validatePath } from '../pki/path/index.ts';
import type { CertificateRole } from '../pki/profiles/types.ts';
import { V2gtpConnection } from './connection.ts';
import { DEFAULT_MAX_PAYLOAD, ISO2_TCP_PAYLOAD_TYPES, ISO20_TCP_PAYLOAD_TYPES } from './v2gtp.ts';

export type TlsProfile = 'iso-2' | 'iso-20';

/** OpenSSL name of the one -2 suite ([V2G2-602]). */
export const ISO2_CIPHER = 'ECDHE-ECDSA-AES128-SHA256';
export const ISO20_CIPHERSUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';
export const ISO2_GROUPS = 'prime256v1';
export const ISO20_GROUPS = 'X448:secp521r1';

export interface TlsIdentity {
  /** Private key: PEM, PKCS#8 DER or a KeyObject. */
  readonly key: string | Uint8Array | KeyObject;
  /** Leaf first, then the sub-CAs up to (not including) the root. */
  readonly chain: readonly Uint8Array[];
}

interface ProfileSettings {
  readonly versions: Pick<tls.SecureContextOptions, 'minVersion' | 'maxVersion'>;
  readonly ciphers: string;
  readonly groups: string;
  readonly allowedTypes: readonly number[];
}

const PROFILES: Readonly<Record<TlsProfile, ProfileSettings>> = {
  'iso-2': {
    versions: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' },
    ciphers: ISO2_CIPHER,
    groups: ISO2_GROUPS,
    allowedTypes: ISO2_TCP_PAYLOAD_TYPES,
  },
  'iso-20': {
    versions: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
    ciphers: ISO20_CIPHERSUITES,
    groups: ISO20_GROUPS,
    allowedTypes: ISO20_TCP_PAYLOAD_TYPES,
  },
};

function profileOf(profile: string): ProfileSettings {
  const p = (PROFILES as Record<string, ProfileSettings | undefined>)[profile];
  if (!p) throw appError('v2g.invalid-config', `unknown TLS profile '${profile}' (iso-2 or iso-20)`);
  return p;
}

function keyObject(key: TlsIdentity['key']): KeyObject {
  try {
    if (typeof key === 'string') return createPrivateKey(key);
    if (key instanceof Uint8Array)
      return createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    return key;
  } catch (e) {
    throw appError('v2g.invalid-config', 'the TLS private key cannot be read', { cause: e });
  }
}

/** Checks that the key fits the leaf and the profile's curve; returns PEM material for node:tls. */
function identityPem(identity: TlsIdentity, profile: TlsProfile): { key: string; cert: string } {
  if (identity.chain.length === 0) throw appError('v2g.invalid-config', 'the TLS certificate chain is empty');
  const key = keyObject(identity.key);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(identity.chain[0]!);
  } catch (e) {
    throw appError('v2g.invalid-config', 'the TLS leaf certificate cannot be parsed', { cause: e });
  }
  if (!leaf.checkPrivateKey(key))
    throw appError('v2g.invalid-config', 'the TLS private key does not belong to the leaf certificate');
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const ok =
    profile === 'iso-2'
      ? key.asymmetricKeyType === 'ec' && curve === 'prime256v1'
      : (key.asymmetricKeyType === 'ec' && curve === 'secp521r1') || key.asymmetricKeyType === 'ed448';
  if (!ok) {
    throw appError(
      'v2g.invalid-config',
      profile === 'iso-2'
        ? 'ISO 15118-2 TLS needs a secp256r1 key [V2G2-602]'
        : 'ISO 15118-20 TLS needs a secp521r1 or Ed448 key [V2G20-2674, V2G20-2319]',
    );
  }
  return {
    key: key.export({ format: 'pem', type: 'pkcs8' }) as string,
    cert: identity.chain.map((c) => toPem(c)).join(''),
  };
}

function rootsPem(roots: readonly Uint8Array[], what: string): string[] {
  if (roots.length === 0) throw appError('v2g.invalid-config', `no ${what} configured`);
  return roots.map((r) => toPem(r));
}

function keyLogWriter(path: string | undefined): ((line: Buffer) => void) | undefined {
  if (path === undefined) return undefined;
  return (line) => appendFileSync(path, line, { mode: 0o600 });
}

/** Certificates a TLS peer presented, leaf first (Node links them through issuerCertificate). */
export function peerChain(socket: tls.TLSSocket): Uint8Array[] {
  return linkedChain(socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined);
}

function linkedChain(first: tls.DetailedPeerCertificate | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert = first;
  // A self-signed root links to itself: stop at the first repeat.
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return out;
}

/** The ISO 15118 path check of a peer chain: RFC 5280 plus the role's usage rules ([V2G2-925]). */
export function checkPeerChain(
  chain: readonly Uint8Array[],
  roots: readonly Uint8Array[],
  role: CertificateRole,
  at: Date,
): AppError | undefined {
  const result = validatePath({
    target: chain[0] ?? new Uint8Array(0),
    intermediates: chain.slice(1),
    anchors: roots,
    at,
    profile: { role },
  });
  if (result.valid) return undefined;
  return appError('v2g.tls', `the peer certificate chain is not valid: ${result.code} ${result.reason}`, {
    details: { code: result.code },
  });
}

export interface SeccServerOptions {
  readonly profile: TlsProfile;
  readonly identity: TlsIdentity;
  /** -20 only: roots the vehicle certificate must chain to (mutual authentication). */
  readonly clientRoots?: readonly Uint8Array[];
  readonly host?: string;
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly keyLogPath?: string;
  readonly maxPayload?: number;
  /** Seconds the handshake may take (default 20: V2G_EVCC_CommunicationSetup_Timeout). */
  readonly handshakeTimeoutMs?: number;
  /** A connection failed its handshake (wrong roots, version, cipher): for logs and tests. */
  readonly onTlsError?: (error: Error) => void;
}

export interface SeccServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface SeccConnectionInfo {
  readonly socket: tls.TLSSocket;
  /** -20: the vehicle certificate chain the client presented. */
  readonly clientChain: readonly Uint8Array[];
}

/** Starts the SECC's TLS listener; onConnection gets each established V2GTP channel. */
export async function startSeccServer(
  options: SeccServerOptions,
  onConnection: (connection: V2gtpConnection, info: SeccConnectionInfo) => void,
): Promise<SeccServer> {
  const settings = profileOf(options.profile);
  const { key, cert } = identityPem(options.identity, options.profile);
  const mutual = options.profile === 'iso-20';
  const server = tls.createServer({
    key,
    cert,
    ...settings.versions,
    ciphers: settings.ciphers,
    ecdhCurve: settings.groups,
    honorCipherOrder: true,
    handshakeTimeout: options.handshakeTimeoutMs ?? 20_000,
    ...(mutual
      ? {
          requestCert: true,
          rejectUnauthorized: true,
          ca: rootsPem(options.clientRoots ?? [], 'vehicle certificate roots (ISO 15118-20 mutual TLS)'),
        }
      : { requestCert: false }),
  });
  const log = keyLogWriter(options.keyLogPath);
  if (log) server.on('keylog', (line: Buffer) => log(line));
  server.on('tlsClientError', (e: Error) => options.onTlsError?.(e));
  const open = new Set<tls.TLSSocket>();
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const connection = new V2gtpConnection(socket, {
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      allowedTypes: settings.allowedTypes,
    });
    onConnection(connection, { socket, clientChain: mutual ? peerChain(socket) : [] });
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(appError('v2g.invalid-config', `cannot listen: ${e.message}`, { cause: e })),
    );
    server.listen(options.port ?? 0, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        host,
        port: address.port,
        // Stops listening and ends the sessions still open.
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of open) socket.destroy();
          }),
      });
    });
  });
}

export interface EvccConnectOptions {
  readonly profile: TlsProfile;
  readonly host: string;
  readonly port: number;
  /** V2G roots the SECC chain must lead to ([V2G2-875]). */
  readonly roots: readonly Uint8Array[];
  /** -20: the vehicle certificate and key presented to the SECC. */
  readonly identity?: TlsIdentity;
  readonly keyLogPath?: string;
  readonly maxPayload?: number;
  /** Time at which the SECC chain is validated (injected clock). */
  readonly at: Date;
  readonly timeoutMs?: number;
}

export interface EvccLink {
  readonly connection: V2gtpConnection;
  readonly socket: tls.TLSSocket;
  /** The SECC chain as presented, leaf first. */
  readonly seccChain: readonly Uint8Array[];
  readonly protocol: string;
  readonly cipher: string;
}

/** Opens the EVCC's TLS connection to a SECC; refuses chains that do not lead to the V2G roots. */
export async function connectEvcc(options: EvccConnectOptions): Promise<EvccLink> {
  const settings = profileOf(options.profile);
  const ca = rootsPem(options.roots, 'V2G roots');
  const identity = options.identity ? identityPem(options.identity, options.profile) : undefined;
  if (options.profile === 'iso-20' && !identity)
    throw appError(
      'v2g.invalid-config',
      'ISO 15118-20 TLS needs a vehicle certificate (mutual authentication)',
    );
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = tls.connect({
      host: options.host,
      port: options.port,
      ca,
      ...settings.versions,
      ciphers: settings.ciphers,
      ecdhCurve: settings.groups,
      rejectUnauthorized: true,
      // No host name: the SECC certificate names an EVSEID (D-123). The ISO path check replaces it.
      checkServerIdentity: (_host, cert) =>
        checkPeerChain(
          linkedChain(cert as tls.DetailedPeerCertificate),
          options.roots,
          'secc-leaf',
          options.at,
        ),
      ...(identity ? { key: identity.key, cert: identity.cert } : {}),
    });
    const log = keyLogWriter(options.keyLogPath);
    if (log) socket.on('keylog', (line: Buffer) => log(line));
    const timer = setTimeout(() => {
      fail(appError('v2g.timeout', `TLS handshake not done within ${options.timeoutMs ?? 20_000} ms`));
      socket.destroy();
    }, options.timeoutMs ?? 20_000);
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        e instanceof AppError
          ? e
          : appError('v2g.tls', `TLS connection to the SECC failed: ${e.message}`, {
              cause: e,
              details: { reason: (e as NodeJS.ErrnoException).code ?? e.message },
            }),
      );
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', fail);
      const connection = new V2gtpConnection(socket, {
        maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
        allowedTypes: settings.allowedTypes,
      });
      resolve({
        connection,
        socket,
        seccChain: peerChain(socket),
        protocol: socket.getProtocol() ?? '',
        cipher: socket.getCipher().standardName,
      });
    });
  });
}
