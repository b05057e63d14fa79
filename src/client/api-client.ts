// The HTTP client of the role CLIs (`pnc oem …`, `pnc mo …`, `pnc cpo …`, `pnc demo`): OAuth2
// client credentials against POST /oauth/token (OPCP accessToken.v1.json), the bearer token reused
// until shortly before it expires, JSON bodies, the OPCP error body {errorMessages, traceId} turned
// into an AppError that names the server's message and trace id, a timeout and a bound on the
// response size (a misbehaving server cannot make the CLI hang or exhaust memory).

import type { Clock } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';

export interface ApiCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ApiClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:8080 (no trailing path). */
  readonly baseUrl: string;
  readonly credentials: ApiCredentials;
  readonly clock: Clock;
  /** Per request, default 30 s. */
  readonly timeoutMs?: number;
  /** Largest response body read, default 4 MiB. */
  readonly maxResponseBytes?: number;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface ApiRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that are not errors (default: 2xx). */
  readonly accept?: readonly number[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** A token is renewed this long before it expires, so a request never races its expiry. */
const TOKEN_RENEWAL_MARGIN_MS = 30_000;

/** Reads a response body up to `max` bytes; longer bodies are an error, not a truncation. */
async function readBounded(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw appError('client.response', `the server's response is larger than ${max} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw appError('client.response', `the server's response is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown; traceId?: unknown };
    if (Array.isArray(body.errorMessages)) {
      const trace = typeof body.traceId === 'string' ? ` (trace ${body.traceId})` : '';
      return `HTTP ${status}: ${body.errorMessages.map(String).join('; ')}${trace}`;
    }
  } catch {
    // not the OPCP error body: fall through
  }
  return `HTTP ${status}${text.length > 0 ? `: ${text.slice(0, 200)}` : ''}`;
}

export class ApiClient {
  readonly #options: ApiClientOptions;
  #token: { value: string; expiresAt: number } | undefined;

  constructor(options: ApiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw appError('cli.usage', `not a URL: ${options.baseUrl}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw appError('cli.usage', `the server URL must be http or https: ${options.baseUrl}`);
    }
    this.#options = { ...options, baseUrl: url.href.replace(/\/+$/, '') };
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.#options.baseUrl}${path}`, {
        ...init,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      throw appError(
        'client.unreachable',
        `${init.method ?? 'GET'} ${this.#options.baseUrl}${path}: ${reason}`,
        {
          cause: error,
        },
      );
    }
  }

  /** A valid access token, fetched with the client credentials when needed. */
  async token(): Promise<string> {
    const now = this.#options.clock.now().getTime();
    if (this.#token !== undefined && this.#token.expiresAt - TOKEN_RENEWAL_MARGIN_MS > now)
      return this.#token.value;
    const response = await this.#fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: this.#options.credentials.clientId,
        client_secret: this.#options.credentials.clientSecret,
      }),
    });
    const text = await readBounded(response, this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    if (response.status !== 200) {
      throw appError('client.auth', `the token request was refused: ${describeError(response.status, text)}`);
    }
    const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw appError('client.response', 'the token response has no access_token / expires_in');
    }
    this.#token = { value: body.access_token, expiresAt: now + body.expires_in * 1000 };
    return body.access_token;
  }

  /**
   * One authenticated JSON request; non-accepted statuses throw `client.http` with the server's message.
   * A 401 to a reused token (revoked, signing key rotated, server restarted, clocks apart) drops it and
   * retries once with a fresh one.
   */
  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    const reused = this.#token !== undefined;
    const first = await this.#send(request);
    if (first.status === 401 && reused && !(request.accept ?? []).includes(401)) {
      this.#token = undefined;
      return this.#finish<T>(request, await this.#send(request));
    }
    return this.#finish<T>(request, first);
  }

  async #send(request: ApiRequest): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token()}`,
      accept: 'application/json',
      ...request.headers,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const response = await this.#fetch(request.path, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await readBounded(response, this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    return { status: response.status, text, headers: response.headers };
  }

  #finish<T>(
    request: ApiRequest,
    response: { status: number; text: string; headers: Headers },
  ): ApiResponse<T> {
    const { text } = response;
    const accepted = request.accept ?? [];
    if (!(accepted.includes(response.status) || (accepted.length === 0 && response.status < 300))) {
      throw appError(
        'client.http',
        `${request.method} ${request.path}: ${describeError(response.status, text)}`,
        {
          details: { status: response.status },
        },
      );
    }
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw appError(
          'client.response',
          `${request.method} ${request.path}: the JSON response does not parse`,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
