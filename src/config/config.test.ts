import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { CONFIG_FIELDS } from './fields.ts';
import { loadConfig, maskSecret, redactConfig } from './load-config.ts';

const cwd = '/srv/pnc';

/** The message of the AppError that loadConfig throws, asserting its code. */
function failure(options: Parameters<typeof loadConfig>[0], code = 'config.invalid'): string {
  try {
    loadConfig({ cwd, ...options });
  } catch (error) {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, code, error.message);
    return error.message;
  }
  assert.fail('loadConfig did not throw');
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pnc-config-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function configFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('defaults', () => {
  test('every field has a safe default; the result is frozen', () => {
    const config = loadConfig({ env: {}, cwd });
    assert.deepEqual(config, {
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/pnc/pnc-data',
      publicUrl: 'http://127.0.0.1:8080',
      databaseUrl: undefined,
      logLevel: 'info',
      bodyLimit: 1048576,
      trustProxy: false,
      requestTimeoutMs: 30000,
      shutdownTimeoutMs: 10000,
      dbPoolMax: 10,
      keyStore: 'software',
      keyPassphrase: undefined,
      pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so',
      pkcs11Token: undefined,
      pkcs11Pin: undefined,
      tokenTtlSeconds: 3600,
      ocspResponder: 'issuer',
      ocspValiditySeconds: 86400,
      ocspStatusMaxAgeMs: 1000,
      trustCacheMaxAgeMs: 1000,
      crlValiditySeconds: 86400,
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
    });
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.deepEqual(Object.keys(config).sort(), CONFIG_FIELDS.map((f) => f.key).sort());
  });

  test('the default public URL follows the port; an explicit one is normalised', () => {
    assert.equal(loadConfig({ env: { PNC_PORT: '9000' }, cwd }).publicUrl, 'http://127.0.0.1:9000');
    assert.equal(loadConfig({ env: {}, overrides: { port: '0' }, cwd }).publicUrl, 'http://127.0.0.1:0');
    assert.equal(
      loadConfig({ env: { PNC_PUBLIC_URL: 'https://pki.example.com/pnc/' }, cwd }).publicUrl,
      'https://pki.example.com/pnc',
    );
    assert.equal(
      loadConfig({ env: { PNC_PUBLIC_URL: 'HTTPS://PKI.example.com' }, cwd }).publicUrl,
      'https://pki.example.com',
    );
  });

  test('dataDir is resolved against the working directory; absolute paths stay', () => {
    assert.equal(loadConfig({ env: { PNC_DATA_DIR: 'data' }, cwd }).dataDir, '/srv/pnc/data');
    assert.equal(loadConfig({ env: { PNC_DATA_DIR: '/var/lib/pnc/' }, cwd }).dataDir, '/var/lib/pnc');
  });

  test('an empty environment variable counts as unset', () => {
    const config = loadConfig({ env: { DATABASE_URL: '', PNC_PORT: '', PNC_CONFIG: '' }, cwd });
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.port, 8080);
  });
});

describe('validation', () => {
  // [environment variable, bad value, expected message part]
  const cases: [string, string, RegExp][] = [
    [
      'PNC_HOST',
      'bad host',
      /host \(environment PNC_HOST\): must be an IP address or a host name, got "bad host"/,
    ],
    ['PNC_HOST', 'a..b', /host .*must be an IP address or a host name/],
    ['PNC_HOST', `${'a'.repeat(64)}.example`, /host .*must be an IP address or a host name/],
    ['PNC_PORT', 'abc', /port \(environment PNC_PORT\): must be an integer from 0 to 65535, got "abc"/],
    ['PNC_PORT', '65536', /port .*from 0 to 65535/],
    ['PNC_PORT', '-1', /port .*from 0 to 65535/],
    ['PNC_PORT', '80.5', /port .*from 0 to 65535/],
    ['PNC_DATA_DIR', 'a\nb', /dataDir \(environment PNC_DATA_DIR\): must not contain control characters/],
    ['PNC_PUBLIC_URL', 'pki.example.com', /publicUrl .*must be an absolute http:\/\/ or https:\/\/ URL/],
    ['PNC_PUBLIC_URL', 'ftp://pki.example.com', /publicUrl .*http:\/\/ or https:\/\//],
    [
      'PNC_PUBLIC_URL',
      'https://user:pw@pki.example.com',
      /publicUrl .*must not contain a user name or password/,
    ],
    ['PNC_PUBLIC_URL', 'https://pki.example.com/?a=1', /publicUrl .*must not have a query or fragment/],
    [
      'DATABASE_URL',
      'mysql://root:hunter2@db/pnc',
      /databaseUrl \(environment DATABASE_URL\): .*got scheme "mysql"/,
    ],
    ['DATABASE_URL', 'hunter2 is no url', /databaseUrl .*value not shown/],
    [
      'PNC_LOG_LEVEL',
      'verbose',
      /logLevel .*must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/,
    ],
    ['PNC_BODY_LIMIT', '10', /bodyLimit .*from 1024 to 67108864, got "10"/],
    ['PNC_BODY_LIMIT', '1MiB', /bodyLimit .*integer/],
    ['PNC_TRUST_PROXY', 'yes', /trustProxy .*must be true or false \(or 1 \/ 0\), got "yes"/],
    ['PNC_REQUEST_TIMEOUT_MS', '0', /requestTimeoutMs .*from 1000 to 600000/],
    ['PNC_SHUTDOWN_TIMEOUT_MS', '600001', /shutdownTimeoutMs .*from 0 to 600000/],
    ['PNC_DB_POOL_MAX', '0', /dbPoolMax .*from 1 to 1000/],
    ['PNC_TOKEN_TTL_SECONDS', '59', /tokenTtlSeconds .*from 60 to 86400/],
    ['PNC_KEY_STORE', 'hsm', /keyStore .*must be one of software, pkcs11, got "hsm"/],
    ['PNC_KEY_PASSPHRASE', 'short-pw', /keyPassphrase .*at least 12 characters.*value not shown/],
    ['PNC_PKCS11_MODULE', 'lib\u0007.so', /pkcs11Module .*control characters/],
    ['PNC_PKCS11_TOKEN', 'x'.repeat(33), /pkcs11Token .*at most 32 bytes/],
    ['PNC_PKCS11_PIN', '12\u00003', /pkcs11Pin .*control characters \(value not shown\)/],
    ['PNC_OCSP_RESPONDER', 'ca', /ocspResponder .*must be one of issuer, delegated, got "ca"/],
    ['PNC_OCSP_VALIDITY_SECONDS', '59', /ocspValiditySeconds .*from 60 to 864000/],
    ['PNC_OCSP_STATUS_MAX_AGE_MS', '60001', /ocspStatusMaxAgeMs .*from 0 to 60000/],
    ['PNC_TRUST_CACHE_MAX_AGE_MS', '-1', /trustCacheMaxAgeMs .*from 0 to 60000/],
    ['PNC_CRL_VALIDITY_SECONDS', '864001', /crlValiditySeconds .*from 60 to 864000/],
    ['PNC_EST_LENIENT_CN', 'maybe', /estLenientCommonName .*must be true or false/],
    ['PNC_WEBHOOK_RETRIES', '21', /webhookRetries .*from 0 to 20/],
    ['PNC_WEBHOOK_RETRY_DELAY', '0', /webhookRetryDelaySeconds .*from 1 to 604800/],
    ['PNC_WEBHOOK_ALLOW_HTTP', 'yes', /webhookAllowHttp .*must be true or false/],
    ['PNC_WEBHOOK_ALLOW_PRIVATE', 'maybe', /webhookAllowPrivateNetworks .*must be true or false/],
    ['PNC_WEBHOOK_TIMEOUT_MS', '99', /webhookTimeoutMs .*from 100 to 120000/],
    ['PNC_WEBHOOK_POLL_MS', '9', /webhookPollIntervalMs .*from 10 to 60000/],
    ['PNC_MAINTENANCE_INTERVAL', '-1', /maintenanceIntervalSeconds .*from 0 to 604800/],
    ['PNC_EVENT_RETENTION_DAYS', '36501', /eventRetentionDays .*from 0 to 36500/],
    ['PNC_WORKERS', '0', /workers .*from 1 to 64/],
    [
      'PNC_CCP_EMAID_CONTENT_SHAPE',
      'list',
      /ccpEmaidContentShape .*must be one of array, object, got "list"/,
    ],
    [
      'PNC_PCP_UNKNOWN_REVOCATION',
      'ignore',
      /pcpUnknownRevocation .*must be one of reject, accept, got "ignore"/,
    ],
  ];
  for (const [name, value, expected] of cases) {
    test(`${name}=${JSON.stringify(value)} is refused with a clear message`, () => {
      assert.match(failure({ env: { [name]: value } }), expected);
    });
  }

  test('key store secrets never appear in messages and are masked for display', () => {
    assert.doesNotMatch(failure({ env: { PNC_KEY_PASSPHRASE: 'hunter2' } }), /hunter2/);
    const config = loadConfig({
      env: { PNC_KEY_PASSPHRASE: 'correct horse battery', PNC_PKCS11_PIN: '246810', PNC_KEY_STORE: 'pkcs11' },
      cwd,
    });
    assert.equal(config.keyPassphrase, 'correct horse battery');
    const shown = redactConfig(config);
    assert.equal(shown.keyPassphrase, '***');
    assert.equal(shown.pkcs11Pin, '***');
    assert.equal(shown.keyStore, 'pkcs11');
  });

  test('every field in the table is covered by a bad-value case', () => {
    const covered = new Set(cases.map(([name]) => name));
    for (const field of CONFIG_FIELDS) assert.ok(covered.has(field.env), `no case for ${field.env}`);
  });

  test('good textual values are parsed', () => {
    const config = loadConfig({
      env: {
        PNC_HOST: '::',
        PNC_PORT: '0',
        PNC_TRUST_PROXY: '1',
        PNC_LOG_LEVEL: 'debug',
        PNC_BODY_LIMIT: '2048',
        DATABASE_URL: 'postgresql://pnc:pw@db.internal:5432/pnc?sslmode=require',
      },
      cwd,
    });
    assert.equal(config.host, '::');
    assert.equal(config.port, 0);
    assert.equal(config.trustProxy, true);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.bodyLimit, 2048);
    assert.equal(config.databaseUrl, 'postgresql://pnc:pw@db.internal:5432/pnc?sslmode=require');
    assert.equal(loadConfig({ env: { PNC_TRUST_PROXY: 'false' }, cwd }).trustProxy, false);
    assert.equal(loadConfig({ env: { PNC_HOST: 'pnc-1.internal' }, cwd }).host, 'pnc-1.internal');
  });

  test('all problems are reported at once, secrets never', () => {
    const message = failure({
      env: { PNC_PORT: 'x', PNC_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:hunter2@db/x' },
      overrides: { host: '' },
    });
    assert.match(message, /invalid configuration \(4 problems\)/);
    assert.match(message, /host \(--host\): must not be empty/);
    assert.match(message, /port \(environment PNC_PORT\)/);
    assert.match(message, /logLevel \(environment PNC_LOG_LEVEL\)/);
    assert.match(message, /databaseUrl \(environment DATABASE_URL\)/);
    assert.doesNotMatch(message, /hunter2/);
  });

  test('a value that a higher source overrides is still validated', () => {
    assert.match(
      failure({ env: { PNC_PORT: 'x' }, overrides: { port: '80' } }),
      /port \(environment PNC_PORT\)/,
    );
  });

  test('unknown overrides are refused', () => {
    assert.match(failure({ env: {}, overrides: { colour: 'red' } as never }), /unknown override "colour"/);
  });
});

describe('sources and precedence', () => {
  test('file < environment < command line', async () => {
    const file = await configFile('precedence.json', { host: '10.0.0.1', port: 1000, logLevel: 'warn' });
    const fromFile = loadConfig({ env: {}, file, cwd });
    assert.deepEqual([fromFile.host, fromFile.port, fromFile.logLevel], ['10.0.0.1', 1000, 'warn']);
    const fromEnv = loadConfig({ env: { PNC_PORT: '2000' }, file, cwd });
    assert.deepEqual([fromEnv.host, fromEnv.port, fromEnv.logLevel], ['10.0.0.1', 2000, 'warn']);
    const fromFlag = loadConfig({
      env: { PNC_PORT: '2000' },
      file,
      overrides: { port: '3000', host: '::1' },
      cwd,
    });
    assert.deepEqual([fromFlag.host, fromFlag.port, fromFlag.logLevel], ['::1', 3000, 'warn']);
    // Programmatic overrides may also be typed values.
    assert.equal(loadConfig({ env: {}, overrides: { port: 4000, trustProxy: true }, cwd }).port, 4000);
  });

  test('PNC_CONFIG names the file when no path is given', async () => {
    const file = await configFile('via-env.json', { port: 1234 });
    assert.equal(loadConfig({ env: { PNC_CONFIG: file }, cwd }).port, 1234);
  });

  test('file values must have their JSON type; unknown keys are refused', async () => {
    const file = await configFile('types.json', {
      port: '8080',
      trustProxy: 'true',
      colour: 'red',
      databaseUrl: 5,
    });
    const message = failure({ env: {}, file });
    assert.match(
      message,
      /port \(config file .*types\.json\): must be an integer from 0 to 65535, got "8080"/,
    );
    assert.match(message, /trustProxy \(config file .*\): must be true or false, got "true"/);
    assert.match(message, /config file .*types\.json: unknown key "colour"/);
    assert.match(message, /databaseUrl \(config file .*\): must be a string/);
  });

  test('databaseUrl null in the file means the embedded database', async () => {
    const file = await configFile('null-db.json', { databaseUrl: null });
    assert.equal(loadConfig({ env: {}, file, cwd }).databaseUrl, undefined);
  });

  test('an unreadable, malformed or non-object file is config.file', async () => {
    assert.match(
      failure({ env: {}, file: join(dir, 'missing.json') }, 'config.file'),
      /cannot read config file .*ENOENT/,
    );
    const broken = await configFile('broken.json', '{"port": 80,');
    assert.match(failure({ env: {}, file: broken }, 'config.file'), /is not valid JSON/);
    const array = await configFile('array.json', [1]);
    assert.match(failure({ env: {}, file: array }, 'config.file'), /must contain a JSON object/);
  });
});

describe('redaction', () => {
  test('redactConfig masks the database password and lists every field', () => {
    const config = loadConfig({
      env: { DATABASE_URL: 'postgres://pnc:hunter2@db:5432/pnc?sslpassword=s3cret&sslmode=require' },
      cwd,
    });
    const shown = redactConfig(config);
    assert.equal(shown.databaseUrl, 'postgres://pnc:***@db:5432/pnc?sslpassword=***&sslmode=require');
    assert.doesNotMatch(JSON.stringify(shown), /hunter2|s3cret/);
    assert.deepEqual(Object.keys(shown).sort(), CONFIG_FIELDS.map((f) => f.key).sort());
    assert.equal(redactConfig(loadConfig({ env: {}, cwd })).databaseUrl, null);
  });

  test('maskSecret hides what is not a URL with a host', () => {
    assert.equal(maskSecret('hunter2'), '***');
    assert.equal(maskSecret('user:hunter2'), '***');
    assert.equal(maskSecret('postgres://db/pnc'), 'postgres://db/pnc');
  });
});
