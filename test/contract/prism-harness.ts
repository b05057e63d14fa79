// Contract-test harness (docs/openapi.md): our server behind one `prism proxy --errors` per spec file,
// on copies of the OPCP / OPNC specs patched only for the defects of spec-gaps.md
// (scripts/specs/patch-specs.ts). A request sent through a proxy is validated against the spec
// (request and response); a violation shows as Prism's problem+json error (422 for the request,
// …#VIOLATIONS for the response) and/or the `sl-violations` header.

import { join } from 'node:path';
import { writePatchedSpecs } from '../../scripts/specs/patch-specs.ts';
import { type PrismProcess, startPrism } from '../../src/testing/prism.ts';

/** The spec files the scenario goes through, and the URL prefix of the routes each covers. */
export const CONTRACT_SPECS = {
  'opcp-token': { file: 'opcp-1.0.0/reference/accessToken.v1.json', upstream: '', prefix: '/oauth/token' },
  'opcp-est': { file: 'opcp-1.0.0/reference/est.v1.json', upstream: '', prefix: '/.well-known/' },
  'opcp-rcp': { file: 'opcp-1.0.0/reference/rcp.v1.json', upstream: '', prefix: '/v1/root/' },
  'opcp-pcp': { file: 'opcp-1.0.0/reference/pcp.v1.json', upstream: '', prefix: '/v1/oem/' },
  'opcp-cps': { file: 'opcp-1.0.0/reference/cps.v1.json', upstream: '', prefix: '/v1/cps/' },
  'opcp-ccp': { file: 'opcp-1.0.0/reference/ccp.v1.json', upstream: '', prefix: '/v1/ccp/' },
  'opnc-pki': {
    file: 'opnc-1.0/specification/apis/pki/pki.api.v1.json',
    upstream: '/opnc/v1/pki',
    prefix: '/opnc/v1/pki/',
  },
  'opnc-rcp': {
    file: 'opnc-1.0/specification/apis/rcp/rcp.api.v1.json',
    upstream: '/opnc/v1/rcp',
    prefix: '/opnc/v1/rcp/',
  },
  'opnc-pcp': {
    file: 'opnc-1.0/specification/apis/pcp/pcp.api.v1.json',
    upstream: '/opnc/v1/pcp',
    prefix: '/opnc/v1/pcp/',
  },
  'opnc-cps': {
    file: 'opnc-1.0/specification/apis/cps/cps.api.v1.json',
    upstream: '/opnc/v1/cps',
    prefix: '/opnc/v1/cps/',
  },
  'opnc-ccp': {
    file: 'opnc-1.0/specification/apis/ccp/ccp.api.v1.json',
    upstream: '/opnc/v1/ccp',
    prefix: '/opnc/v1/ccp/',
  },
} as const;

export type ContractSpec = keyof typeof CONTRACT_SPECS;

export interface Violation {
  readonly location: string;
  readonly message: string;
  readonly severity: string;
}

export interface ContractResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Everything Prism reported: sl-violations entries and its own error responses. */
  readonly violations: readonly Violation[];
  json<T = unknown>(): T;
}

export interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  /** JSON-serialised unless a string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

function parseViolations(header: string | null): Violation[] {
  if (header === null) return [];
  try {
    const list = JSON.parse(header.replace(/^Too many violations! /, '')) as {
      location?: string[];
      message?: string;
      severity?: string;
    }[];
    return list.map((v) => ({
      location: (v.location ?? []).join('.'),
      message: v.message ?? '',
      severity: v.severity ?? '',
    }));
  } catch {
    return [{ location: '', message: header.slice(0, 500), severity: 'Error' }];
  }
}

export class ContractHarness {
  readonly #proxies = new Map<ContractSpec, PrismProcess>();
  readonly specsDir: string;
  readonly serverUrl: string;

  private constructor(specsDir: string, serverUrl: string) {
    this.specsDir = specsDir;
    this.serverUrl = serverUrl;
  }

  /** Writes the patched specs (server URL = ours) and starts one proxy per spec, in parallel. */
  static async start(serverUrl: string, specs: readonly ContractSpec[]): Promise<ContractHarness> {
    const { dir } = writePatchedSpecs({ serverUrl });
    const harness = new ContractHarness(dir, serverUrl);
    const started = await Promise.allSettled(
      specs.map(async (name) => {
        const spec = CONTRACT_SPECS[name];
        const prism = await startPrism({
          mode: 'proxy',
          spec: join(dir, spec.file),
          upstream: `${serverUrl}${spec.upstream}`,
          startupTimeoutMs: 120_000,
        });
        harness.#proxies.set(name, prism);
      }),
    );
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) {
      await harness.close();
      throw (failed as PromiseRejectedResult).reason;
    }
    return harness;
  }

  has(name: ContractSpec): boolean {
    return this.#proxies.has(name);
  }

  /** A request through the proxy of `name`; `path` relative to the spec's server (OPNC) or root (OPCP). */
  async call(name: ContractSpec, path: string, options: CallOptions = {}): Promise<ContractResult> {
    const prism = this.#proxies.get(name);
    if (prism === undefined) throw new Error(`no proxy for ${name}`);
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${prism.url}${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    const violations = parseViolations(res.headers.get('sl-violations'));
    // Prism's own errors (invalid request, invalid response, no route in the spec, …).
    if ((res.headers.get('content-type') ?? '').includes('application/problem+json')) {
      try {
        const problem = JSON.parse(text) as {
          type?: string;
          title?: string;
          detail?: string;
          validation?: { location?: string[]; message?: string; severity?: string }[];
        };
        if (problem.type?.startsWith('https://stoplight.io/prism/errors')) {
          const details = problem.validation ?? [];
          if (details.length === 0)
            violations.push({
              location: problem.type,
              message: `${problem.title}: ${problem.detail}`,
              severity: 'Error',
            });
          for (const v of details)
            violations.push({
              location: (v.location ?? []).join('.'),
              message: v.message ?? '',
              severity: v.severity ?? 'Error',
            });
        }
      } catch {
        // not Prism's
      }
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      violations,
      json: <T>() => JSON.parse(text) as T,
    };
  }

  /** Prism's log of one proxy (for failure messages). */
  output(name: ContractSpec): string {
    return this.#proxies.get(name)?.output() ?? '';
  }

  async close(): Promise<void> {
    await Promise.all([...this.#proxies.values()].map((p) => p.close()));
    this.#proxies.clear();
  }
}

/** A readable line per violation, for assertion messages and reports. */
export function describeViolations(step: string, result: ContractResult): string {
  return `${step}: HTTP ${result.status}\n${result.violations
    .map((v) => `  [${v.severity}] ${v.location}: ${v.message}`)
    .join('\n')}\n  body: ${result.text.slice(0, 400)}`;
}
