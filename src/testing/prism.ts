// Test support: a Stoplight Prism process (`prism proxy` or `prism mock`, devDependency
// @stoplight/prism-cli) for contract tests (test/contract, docs/openapi.md). One process per spec
// file, on a free local port; startup waits a bounded time for "Prism is listening"; close() ends
// exactly that process.
//
// With --errors, Prism answers a request that violates the spec with 422 (401 for missing
// credentials) without forwarding it, and a response that violates the spec with a problem+json
// error (type …#VIOLATIONS); in both cases and for warnings it also sets the `sl-violations` header.

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The prism CLI entry point of the installed @stoplight/prism-cli. */
export function prismCli(): string {
  return join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
}

export interface PrismOptions {
  readonly mode: 'proxy' | 'mock';
  /** The OpenAPI document (a file path). */
  readonly spec: string;
  /** proxy: the upstream base URL (our server, plus the spec's server path for OPNC). */
  readonly upstream?: string;
  /** Pass --errors (default true). */
  readonly errors?: boolean;
  /** How long to wait for "Prism is listening" (default 60 s). */
  readonly startupTimeoutMs?: number;
}

export interface PrismProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  close(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it; the race with another process is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startPrism(options: PrismOptions): Promise<PrismProcess> {
  const port = await freePort();
  const args = [prismCli(), options.mode, options.spec];
  if (options.mode === 'proxy') {
    if (options.upstream === undefined) throw new Error('prism proxy needs an upstream URL');
    args.push(options.upstream);
  }
  if (options.errors ?? true) args.push('--errors');
  args.push('-p', String(port), '-h', '127.0.0.1');
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startupTimeoutMs ?? 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`prism did not start within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`prism exited (${code ?? signal}) before listening:\n${output}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    await stop(child);
    throw error;
  }
  return {
    url,
    output: () => output,
    close: () => stop(child),
  };
}
