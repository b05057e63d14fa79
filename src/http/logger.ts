// Structured JSON logs (pino) that never carry secrets (issue 3).
//
// Three layers, because pino applies `formatters.log` to the raw object before serializers run:
// 1. redactSecrets() masks the value of every key that looks like a credential (authorization,
//    cookie, x-api-key, client_secret, password, anything with key / secret / token in its name) in the
//    plain objects and arrays handed to a log call, at any depth;
// 2. the req / res / err serializers emit a fixed set of fields (never headers or bodies), mask
//    credential-like query parameters in URLs, and run redactSecrets over their output;
// 3. pino's `redact` paths cover headers logged under the usual names.
// What cannot be caught by key names is a secret inside a free-text message: never build messages
// from credentials.

import { pino } from 'pino';
import type { LogLevel } from '../config/fields.ts';

export type Logger = pino.Logger;
export type LogDestination = pino.DestinationStream;

export const REDACTED = '[redacted]';

/** Key names whose values are never logged (matched case-insensitively, anywhere in the name). */
const SENSITIVE_KEY = /authorization|cookie|passw(or)?d|passphrase|secret|token|key|credential|^pin$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copy of value with the values of sensitive keys replaced by REDACTED, walking plain objects and
 * arrays (not class instances such as requests or errors: their serializers handle them).
 */
export function redactSecrets(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 16 || seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactSecrets(item, depth + 1, seen));
  }
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactSecrets(item, depth + 1, seen);
  }
  return out;
}

/** A request URL with the values of credential-like query parameters (`?access_token=`) masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Keep the raw name; a malformed escape is not a reason to drop the log line.
      }
      return eq !== -1 && isSensitiveKey(name) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  routeOptions?: { url?: string | undefined };
}

const serializers = {
  req(request: RequestLike) {
    return {
      method: request.method,
      url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
      route: request.routeOptions?.url,
      remoteAddress: request.ip,
    };
  },
  res(reply: { statusCode?: number }) {
    return { statusCode: reply.statusCode };
  },
  err(error: Error) {
    return redactSecrets(pino.stdSerializers.err(error));
  },
};

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where JSON lines go: process.stdout for `pnc serve`, a capturing stream in tests. */
  readonly destination: LogDestination;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'pnc' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers,
      formatters: {
        // Level names ("info") instead of numbers: readable without pino-pretty.
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'headers["x-api-key"]',
        ],
        censor: REDACTED,
      },
    },
    options.destination,
  );
}
