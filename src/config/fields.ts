// The configuration fields of `pnc serve` (and of every command that opens the data directory).
//
// One table, CONFIG_FIELDS, is the single source of truth: loadConfig reads and validates each field
// from the JSON file, the environment and the command line with it, `--print-config` masks the secret
// ones with it, and docs/configuration.md documents exactly these fields (checked by
// config-docs.test.ts, in both directions). Adding a field = one entry here + one row in the docs,
// with a safe default so existing files and environments keep working (architecture-practices §3.8).

import { isIP } from 'node:net';
import { DEFAULT_PKCS11_MODULE_PATH, MIN_PASSPHRASE_LENGTH } from '../signer/index.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated, frozen configuration. Every field is always present (defaults applied). */
export interface AppConfig {
  /** Interface the HTTP server binds to. */
  readonly host: string;
  /** TCP port; 0 lets the system choose a free one (tests). */
  readonly port: number;
  /** Absolute path of the data directory (embedded database, later key files). */
  readonly dataDir: string;
  /** Base URL that certificates and responses point to (OCSP, CRL, EST), without trailing slash. */
  readonly publicUrl: string;
  /** PostgreSQL connection URL; undefined selects the embedded SQLite database. Secret. */
  readonly databaseUrl: string | undefined;
  readonly logLevel: LogLevel;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** Trust X-Forwarded-* headers (only behind a reverse proxy that sets them). */
  readonly trustProxy: boolean;
  /** Time limit for receiving a whole request, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Time `pnc serve` waits for in-flight requests on SIGINT / SIGTERM before cutting connections. */
  readonly shutdownTimeoutMs: number;
  /** Maximum number of PostgreSQL connections in the pool. */
  readonly dbPoolMax: number;
  /** Where CA keys live: encrypted files under <dataDir>/keys ('software') or a PKCS#11 token (src/signer). */
  readonly keyStore: KeyStoreType;
  /** Passphrase that encrypts the software key store. Secret. */
  readonly keyPassphrase: string | undefined;
  /** PKCS#11 library of the HSM (keyStore 'pkcs11'). */
  readonly pkcs11Module: string;
  /** Label of the PKCS#11 token holding the CA keys. */
  readonly pkcs11Token: string | undefined;
  /** User PIN of that token. Secret. */
  readonly pkcs11Pin: string | undefined;
  /** Lifetime of the access tokens issued by `POST /oauth/token`, in seconds (src/auth). */
  readonly tokenTtlSeconds: number;
  /** Who signs OCSP responses: the issuing CA's key, or a delegated responder per CA (src/pki-http). */
  readonly ocspResponder: OcspResponderMode;
  /** nextUpdate − thisUpdate of OCSP responses, in seconds (src/pki-http). */
  readonly ocspValiditySeconds: number;
  /** Longest use of a certificate status the OCSP responder read from the database, in ms; 0 = never (src/pki-http). */
  readonly ocspStatusMaxAgeMs: number;
  /**
   * Longest use of the trusted roots and of the certificates revoked here that the pools (CCP, PCP,
   * CPS) read from the database, in ms; 0 = read for every request (src/rcp, src/ca; D-175).
   */
  readonly trustCacheMaxAgeMs: number;
  /** nextUpdate − thisUpdate of CRLs, in seconds (src/pki-http). */
  readonly crlValiditySeconds: number;
  /** Accept CPO CSRs whose CN is no EVSEID / SECCID over EST (MaEVe enrols `cs001`; src/pki-http). */
  readonly estLenientCommonName: boolean;
  /** Retries of a webhook delivery after 5xx / timeout / connection errors (src/events). */
  readonly webhookRetries: number;
  /** Delay between webhook delivery attempts, in seconds (src/events). */
  readonly webhookRetryDelaySeconds: number;
  /** Accept plain http:// webhook endpoint URLs (local testing only; src/events). */
  readonly webhookAllowHttp: boolean;
  /**
   * Deliver webhooks also to private, loopback, link-local and other non-public addresses (local
   * testing, receivers in the operator's own network; src/events, D-177).
   */
  readonly webhookAllowPrivateNetworks: boolean;
  /** Time limit of one webhook POST, in milliseconds (src/events). */
  readonly webhookTimeoutMs: number;
  /** How often the delivery worker polls the outbox when nothing wakes it, in milliseconds. */
  readonly webhookPollIntervalMs: number;
  /** Interval of the scheduled pool maintenance in `pnc serve`, in seconds; 0 = off (src/maintenance). */
  readonly maintenanceIntervalSeconds: number;
  /**
   * Days after which maintenance removes webhook events whose deliveries are all finished, with their
   * delivery log; 0 = keep them (src/maintenance, D-178).
   */
  readonly eventRetentionDays: number;
  /**
   * Shape of OPCP `CCPResponse.emaidContent`: `array` as the spec says, or `object` (one item) for
   * clients that read it as an object (ev-server; interop.md §1, spec-gaps item 4; src/ccp).
   */
  readonly ccpEmaidContentShape: CcpEmaidContentShape;
  /**
   * What the PCP does when a provisioning chain's revocation status cannot be determined (no OCSP
   * answer, no CRL): `reject` (fail closed) or `accept` (src/pcp, D-053).
   */
  readonly pcpUnknownRevocation: PcpUnknownRevocation;
  /** Server processes of `pnc serve` sharing the port (node:cluster); 1 = no cluster (D-173). */
  readonly workers: number;
}

export const CCP_EMAID_CONTENT_SHAPES = ['array', 'object'] as const;
export type CcpEmaidContentShape = (typeof CCP_EMAID_CONTENT_SHAPES)[number];
export const PCP_UNKNOWN_REVOCATION_POLICIES = ['reject', 'accept'] as const;
export type PcpUnknownRevocation = (typeof PCP_UNKNOWN_REVOCATION_POLICIES)[number];

export type ConfigKey = keyof AppConfig;

/** Where a raw value came from; used in messages so the operator knows what to fix. */
export type ConfigOrigin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag'; readonly name: string };

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

export interface ConfigField<K extends ConfigKey = ConfigKey> {
  readonly key: K;
  /** Environment variable that sets the field. */
  readonly env: string;
  /** Command-line flag of `pnc serve` that sets the field, if any. */
  readonly flag?: string;
  /** Never printed or logged in clear (`--print-config` masks it). */
  readonly secret: boolean;
  /** The default as written in docs/configuration.md (checked by the docs test). */
  readonly defaultText: string;
  /**
   * Validates one raw value. `text` is true for environment variables and flags (always strings, so
   * numbers and booleans are parsed); file values must have the JSON type of the field.
   */
  parse(raw: unknown, text: boolean): ParseResult<AppConfig[K]>;
}

const MIB = 1024 * 1024;

function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

function fail<T>(problem: string): ParseResult<T> {
  return { ok: false, problem };
}

/** Shows a rejected non-secret value in a message, shortened and with control characters escaped. */
export function showValue(raw: unknown): string {
  const json = typeof raw === 'string' ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw));
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function integer(min: number, max: number) {
  return (raw: unknown, text: boolean): ParseResult<number> => {
    let value: number | undefined;
    if (typeof raw === 'number') value = raw;
    else if (text && typeof raw === 'string' && /^[0-9]{1,16}$/.test(raw)) value = Number(raw);
    const expected = `an integer from ${min} to ${max}`;
    if (value === undefined || !Number.isSafeInteger(value) || value < min || value > max) {
      return fail(`must be ${expected}, got ${showValue(raw)}`);
    }
    return ok(value);
  };
}

function boolean(raw: unknown, text: boolean): ParseResult<boolean> {
  if (typeof raw === 'boolean') return ok(raw);
  if (text && typeof raw === 'string') {
    if (raw === 'true' || raw === '1') return ok(true);
    if (raw === 'false' || raw === '0') return ok(false);
  }
  return fail(`must be true or false${text ? ' (or 1 / 0)' : ''}, got ${showValue(raw)}`);
}

function nonEmptyString(raw: unknown): ParseResult<string> {
  if (typeof raw !== 'string') return fail(`must be a string, got ${showValue(raw)}`);
  if (raw.length === 0) return fail('must not be empty');
  // Control characters have no place in a host, path or URL and would corrupt log lines.
  if (/\p{Cc}/u.test(raw)) return fail('must not contain control characters');
  return ok(raw);
}

// RFC 1123 §2.1 host names: labels of letters, digits and hyphens, 1-63 characters each.
const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

function parseHost(raw: unknown): ParseResult<string> {
  const s = nonEmptyString(raw);
  if (!s.ok) return s;
  if (isIP(s.value) !== 0 || HOSTNAME.test(s.value)) return s;
  return fail(`must be an IP address or a host name, got ${showValue(raw)}`);
}

function parsePublicUrl(raw: unknown): ParseResult<string> {
  const s = nonEmptyString(raw);
  if (!s.ok) return s;
  let url: URL;
  try {
    url = new URL(s.value);
  } catch {
    return fail(`must be an absolute http:// or https:// URL, got ${showValue(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`must be an absolute http:// or https:// URL, got ${showValue(raw)}`);
  }
  // It ends up in certificates (AIA / CRL distribution points, RFC 5280 §4.2.2.1, §4.2.1.13): no
  // credentials, and no query or fragment that paths would be appended after.
  if (url.username !== '' || url.password !== '') return fail('must not contain a user name or password');
  if (url.search !== '' || url.hash !== '')
    return fail(`must not have a query or fragment, got ${showValue(raw)}`);
  return ok(url.href.replace(/\/+$/, ''));
}

function parseDatabaseUrl(raw: unknown): ParseResult<string | undefined> {
  // null in the file means "not set" (the embedded database), like an absent key.
  if (raw === null) return ok(undefined);
  // The value may hold a password: messages below never include it.
  if (typeof raw !== 'string') return fail('must be a string');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('must be a postgres:// or postgresql:// URL (value not shown: it may contain a password)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return fail(
      `must be a postgres:// or postgresql:// URL, got scheme ${showValue(url.protocol.replace(/:$/, ''))}`,
    );
  }
  return ok(raw);
}

export const KEY_STORE_TYPES = ['software', 'pkcs11'] as const;
export type KeyStoreType = (typeof KEY_STORE_TYPES)[number];

function parseKeyStoreType(raw: unknown): ParseResult<KeyStoreType> {
  if (typeof raw === 'string' && (KEY_STORE_TYPES as readonly string[]).includes(raw))
    return ok(raw as KeyStoreType);
  return fail(`must be one of ${KEY_STORE_TYPES.join(', ')}, got ${showValue(raw)}`);
}

/** A secret string; messages never repeat the value. null in the file means "not set". */
function secretString(minLength: number, what: string) {
  return (raw: unknown): ParseResult<string | undefined> => {
    if (raw === null) return ok(undefined);
    if (typeof raw !== 'string') return fail('must be a string');
    if (raw.length < minLength)
      return fail(`must be at least ${minLength} characters (${what}; value not shown)`);
    if (/\p{Cc}/u.test(raw)) return fail('must not contain control characters (value not shown)');
    return ok(raw);
  };
}

function parseTokenLabel(raw: unknown): ParseResult<string | undefined> {
  if (raw === null) return ok(undefined);
  const s = nonEmptyString(raw);
  if (!s.ok) return s;
  // CK_TOKEN_INFO.label is 32 bytes, blank padded (PKCS#11 v2.40 §3.2).
  if (Buffer.byteLength(s.value, 'utf8') > 32) return fail(`must be at most 32 bytes, got ${showValue(raw)}`);
  return s;
}

function parseLogLevel(raw: unknown): ParseResult<LogLevel> {
  if (typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw)) return ok(raw as LogLevel);
  return fail(`must be one of ${LOG_LEVELS.join(', ')}, got ${showValue(raw)}`);
}

export const OCSP_RESPONDER_MODES = ['issuer', 'delegated'] as const;
export type OcspResponderMode = (typeof OCSP_RESPONDER_MODES)[number];

function oneOf<T extends string>(values: readonly T[]): (raw: unknown) => ParseResult<T> {
  return (raw) =>
    typeof raw === 'string' && (values as readonly string[]).includes(raw)
      ? ok(raw as T)
      : fail(`must be one of ${values.join(', ')}, got ${showValue(raw)}`);
}

function parseOcspResponderMode(raw: unknown): ParseResult<OcspResponderMode> {
  if (typeof raw === 'string' && (OCSP_RESPONDER_MODES as readonly string[]).includes(raw))
    return ok(raw as OcspResponderMode);
  return fail(`must be one of ${OCSP_RESPONDER_MODES.join(', ')}, got ${showValue(raw)}`);
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_DATA_DIR = './pnc-data';

/** Default of publicUrl, derived from the port (issue 3: `http://127.0.0.1:<port>`). */
export function defaultPublicUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function field<K extends ConfigKey>(spec: ConfigField<K>): ConfigField<K> {
  return spec;
}

/**
 * Every field, in the order of docs/configuration.md. Defaults for host, port, dataDir and publicUrl
 * are applied by loadConfig (dataDir is resolved against the working directory, publicUrl derives
 * from the port); the others come from DEFAULTS below.
 */
export const CONFIG_FIELDS = [
  field({
    key: 'host',
    env: 'PNC_HOST',
    flag: 'host',
    secret: false,
    defaultText: '127.0.0.1',
    parse: parseHost,
  }),
  field({
    key: 'port',
    env: 'PNC_PORT',
    flag: 'port',
    secret: false,
    defaultText: String(DEFAULT_PORT),
    parse: integer(0, 65535),
  }),
  field({
    key: 'dataDir',
    env: 'PNC_DATA_DIR',
    flag: 'data-dir',
    secret: false,
    defaultText: DEFAULT_DATA_DIR,
    parse: nonEmptyString,
  }),
  field({
    key: 'publicUrl',
    env: 'PNC_PUBLIC_URL',
    secret: false,
    defaultText: 'http://127.0.0.1:<port>',
    parse: parsePublicUrl,
  }),
  field({
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    secret: true,
    defaultText: '(unset)',
    parse: parseDatabaseUrl,
  }),
  field({ key: 'logLevel', env: 'PNC_LOG_LEVEL', secret: false, defaultText: 'info', parse: parseLogLevel }),
  field({
    key: 'bodyLimit',
    env: 'PNC_BODY_LIMIT',
    secret: false,
    defaultText: String(MIB),
    parse: integer(1024, 64 * MIB),
  }),
  field({ key: 'trustProxy', env: 'PNC_TRUST_PROXY', secret: false, defaultText: 'false', parse: boolean }),
  field({
    key: 'requestTimeoutMs',
    env: 'PNC_REQUEST_TIMEOUT_MS',
    secret: false,
    defaultText: '30000',
    parse: integer(1000, 600_000),
  }),
  field({
    key: 'shutdownTimeoutMs',
    env: 'PNC_SHUTDOWN_TIMEOUT_MS',
    secret: false,
    defaultText: '10000',
    parse: integer(0, 600_000),
  }),
  field({
    key: 'dbPoolMax',
    env: 'PNC_DB_POOL_MAX',
    secret: false,
    defaultText: '10',
    parse: integer(1, 1000),
  }),
  field({
    key: 'keyStore',
    env: 'PNC_KEY_STORE',
    secret: false,
    defaultText: 'software',
    parse: parseKeyStoreType,
  }),
  field({
    key: 'keyPassphrase',
    env: 'PNC_KEY_PASSPHRASE',
    secret: true,
    defaultText: '(unset)',
    // The software key store refuses shorter passphrases (src/signer MIN_PASSPHRASE_LENGTH).
    parse: secretString(MIN_PASSPHRASE_LENGTH, 'scrypt slows guessing but cannot save a short passphrase'),
  }),
  field({
    key: 'pkcs11Module',
    env: 'PNC_PKCS11_MODULE',
    secret: false,
    defaultText: DEFAULT_PKCS11_MODULE_PATH,
    parse: nonEmptyString,
  }),
  field({
    key: 'pkcs11Token',
    env: 'PNC_PKCS11_TOKEN',
    secret: false,
    defaultText: '(unset)',
    parse: parseTokenLabel,
  }),
  field({
    key: 'pkcs11Pin',
    env: 'PNC_PKCS11_PIN',
    secret: true,
    defaultText: '(unset)',
    parse: secretString(1, 'the token user PIN'),
  }),
  field({
    key: 'tokenTtlSeconds',
    env: 'PNC_TOKEN_TTL_SECONDS',
    secret: false,
    defaultText: '3600',
    // Hubject issues 24 h tokens (OPCP accessToken.v1.json); one hour is the usual OAuth default.
    parse: integer(60, 86_400),
  }),
  field({
    key: 'ocspResponder',
    env: 'PNC_OCSP_RESPONDER',
    secret: false,
    defaultText: 'issuer',
    parse: parseOcspResponderMode,
  }),
  field({
    key: 'ocspValiditySeconds',
    env: 'PNC_OCSP_VALIDITY_SECONDS',
    secret: false,
    defaultText: '86400',
    // CA/Browser Forum BR §4.9.10 caps OCSP validity at 10 days; below a minute clients refetch constantly.
    parse: integer(60, 864_000),
  }),
  field({
    key: 'ocspStatusMaxAgeMs',
    env: 'PNC_OCSP_STATUS_MAX_AGE_MS',
    secret: false,
    defaultText: '1000',
    // D-091: the bound within which another instance's revocation shows on PostgreSQL; a minute at most.
    parse: integer(0, 60_000),
  }),
  field({
    key: 'trustCacheMaxAgeMs',
    env: 'PNC_TRUST_CACHE_MAX_AGE_MS',
    secret: false,
    defaultText: '1000',
    // D-175: the bound within which another process's root or revocation change reaches the pools.
    parse: integer(0, 60_000),
  }),
  field({
    key: 'crlValiditySeconds',
    env: 'PNC_CRL_VALIDITY_SECONDS',
    secret: false,
    defaultText: '86400',
    parse: integer(60, 864_000),
  }),
  field({
    key: 'estLenientCommonName',
    env: 'PNC_EST_LENIENT_CN',
    secret: false,
    defaultText: 'false',
    parse: boolean,
  }),
  field({
    key: 'webhookRetries',
    env: 'PNC_WEBHOOK_RETRIES',
    secret: false,
    defaultText: '3',
    // OPCP docs/components/06: "retry 3 times in 1 hour interval".
    parse: integer(0, 20),
  }),
  field({
    key: 'webhookRetryDelaySeconds',
    env: 'PNC_WEBHOOK_RETRY_DELAY',
    secret: false,
    defaultText: '3600',
    parse: integer(1, 7 * 86_400),
  }),
  field({
    key: 'webhookAllowHttp',
    env: 'PNC_WEBHOOK_ALLOW_HTTP',
    secret: false,
    defaultText: 'false',
    parse: boolean,
  }),
  field({
    key: 'webhookAllowPrivateNetworks',
    env: 'PNC_WEBHOOK_ALLOW_PRIVATE',
    secret: false,
    defaultText: 'false',
    parse: boolean,
  }),
  field({
    key: 'webhookTimeoutMs',
    env: 'PNC_WEBHOOK_TIMEOUT_MS',
    secret: false,
    defaultText: '10000',
    parse: integer(100, 120_000),
  }),
  field({
    key: 'webhookPollIntervalMs',
    env: 'PNC_WEBHOOK_POLL_MS',
    secret: false,
    defaultText: '1000',
    parse: integer(10, 60_000),
  }),
  field({
    key: 'maintenanceIntervalSeconds',
    env: 'PNC_MAINTENANCE_INTERVAL',
    secret: false,
    defaultText: '3600',
    parse: integer(0, 7 * 86_400),
  }),
  field({
    key: 'eventRetentionDays',
    env: 'PNC_EVENT_RETENTION_DAYS',
    secret: false,
    defaultText: '90',
    parse: integer(0, 36_500),
  }),
  field({
    key: 'ccpEmaidContentShape',
    env: 'PNC_CCP_EMAID_CONTENT_SHAPE',
    secret: false,
    defaultText: 'array',
    parse: oneOf(CCP_EMAID_CONTENT_SHAPES),
  }),
  field({
    key: 'pcpUnknownRevocation',
    env: 'PNC_PCP_UNKNOWN_REVOCATION',
    secret: false,
    defaultText: 'reject',
    parse: oneOf(PCP_UNKNOWN_REVOCATION_POLICIES),
  }),
  field({
    key: 'workers',
    env: 'PNC_WORKERS',
    secret: false,
    defaultText: '1',
    parse: integer(1, 64),
  }),
] as const satisfies readonly ConfigField[];

/** Defaults of the fields that do not depend on other fields or on the working directory. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  databaseUrl: undefined,
  logLevel: 'info',
  bodyLimit: MIB,
  trustProxy: false,
  requestTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  dbPoolMax: 10,
  keyStore: 'software',
  keyPassphrase: undefined,
  pkcs11Module: DEFAULT_PKCS11_MODULE_PATH,
  pkcs11Token: undefined,
  pkcs11Pin: undefined,
  tokenTtlSeconds: 3600,
  ocspResponder: 'issuer',
  ocspValiditySeconds: 86_400,
  ocspStatusMaxAgeMs: 1000,
  trustCacheMaxAgeMs: 1000,
  crlValiditySeconds: 86_400,
  estLenientCommonName: false,
  webhookRetries: 3,
  webhookRetryDelaySeconds: 3600,
  webhookAllowHttp: false,
  webhookAllowPrivateNetworks: false,
  webhookTimeoutMs: 10_000,
  webhookPollIntervalMs: 1000,
  maintenanceIntervalSeconds: 3600,
  eventRetentionDays: 90,
  ccpEmaidContentShape: 'array',
  pcpUnknownRevocation: 'reject',
  workers: 1,
} as const satisfies Partial<AppConfig>;
