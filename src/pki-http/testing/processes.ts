// Benchmark support for src/pki-http (bench/ocsp.bench.ts, bench/est.bench.ts): child processes
// pinned to a CPU with taskset, always stopped (also on Ctrl-C or an exception), their CPU time
// from /proc, a free loopback port, and autocannon runs with a rotating set of request bodies.
// interop.md §4.4 is the protocol these helpers serve: system under test on CPU 0, load generator
// on CPU 1, plain HTTP/1.1 on 127.0.0.1.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function hasCommand(command: string, args: readonly string[] = ['--version']): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

let pinnable: boolean | undefined;

/**
 * taskset exists and the machine has at least two CPUs to split between server and load. Decided
 * once: after pinSelf, os.availableParallelism() reports this process's single CPU, and children
 * would then silently inherit the load generator's CPU.
 */
export function canPin(): boolean {
  pinnable ??= os.cpus().length >= 2 && hasCommand('taskset', ['-c', '0', 'true']);
  return pinnable;
}

/** Pins this process (the load generator) to a CPU; no-op when pinning is not possible. */
export function pinSelf(cpu: number): boolean {
  if (!canPin()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)]).status === 0;
}

export async function freePort(): Promise<number> {
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

export interface ManagedProcess {
  readonly pid: number;
  readonly logPath: string;
  log(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a process with its output in `logPath` (not a pipe: a full pipe would stall it). */
export function startProcess(
  command: string,
  args: readonly string[],
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd?: string;
    /** CPU list for taskset -c: one CPU (0) or several ('0,1'). */
    readonly cpu?: number | string;
    readonly logPath: string;
  },
): ManagedProcess {
  hookExit();
  const fd = openSync(options.logPath, 'w');
  const pinned = options.cpu !== undefined && canPin();
  const child = pinned
    ? spawn('taskset', ['-c', String(options.cpu), command, ...args], {
        env: options.env,
        cwd: options.cwd,
        stdio: ['ignore', fd, fd],
      })
    : spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (child.pid === undefined) throw new Error(`cannot start ${command}`);
  return {
    // taskset execs the command: same pid.
    pid: child.pid,
    logPath: options.logPath,
    log: () => readFileSync(options.logPath, 'utf8'),
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let clockTicks: number | undefined;

/**
 * CPU seconds the whole machine spent in user and system mode (/proc/stat; irq, softirq and steal
 * left out, like a process's utime + stime); NaN where /proc is missing.
 */
export function machineCpuSeconds(): number {
  try {
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user, nice, system] = line.split(/\s+/).slice(1, 4).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0)) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

/** Child process ids of a process (/proc/<pid>/task/<tid>/children, Linux); empty elsewhere. */
function childrenOf(pid: number): number[] {
  try {
    const ids: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text !== '') ids.push(...text.split(/\s+/).map(Number));
    }
    return ids;
  } catch {
    return [];
  }
}

/**
 * utime + stime of a process and its live descendants (a `pnc serve` cluster primary and its
 * workers, PNC_WORKERS), in seconds (Linux); NaN elsewhere.
 */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  for (const child of childrenOf(pid)) {
    const t = treeCpuSeconds(child);
    if (Number.isFinite(t)) total += t;
  }
  return total;
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

// --- autocannon --------------------------------------------------------------------------------------

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/** The parts of autocannon's Client (lib/httpClient.js) the keep-alive-off mode relies on. */
interface AutocannonClient {
  on(event: 'response', listener: (status: number, bytes: number, durationMs: number) => void): void;
  _doRequest(...args: unknown[]): unknown;
  _destroyConnection(): void;
  _connect(): void;
}

/** autocannon (the decided load generator), or undefined when it is not installed. */
export async function loadAutocannon(): Promise<Autocannon | undefined> {
  const name = 'autocannon';
  try {
    const module = (await import(name)) as { default: Autocannon };
    return module.default;
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Request bodies (POST) or paths (GET), used in turn. */
  readonly bodies?: readonly Uint8Array[];
  readonly paths?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly durationS: number;
  /** false: a new TCP connection for every request (reconnectRate 1), as `openssl ocsp` forces. */
  readonly keepAlive: boolean;
  /** Server process whose CPU time (with its child processes') is read before and after. */
  readonly serverPid?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Server CPU seconds per second of the run (1 = one core busy). */
  readonly serverCpu: number;
  /** Requests per server CPU-second. */
  readonly perCpuSecond: number;
  /**
   * CPU used by other processes than the server and this one, per second of the run (1 = a whole
   * CPU): clearly above 0 means others competed and the figures are inflated.
   */
  readonly othersCpu: number;
}

/** Nearest-rank percentile of ascending values. */
function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

/**
 * One autocannon run. Two adaptations, both through autocannon's documented `setupClient` hook:
 *  - latencies are taken from each client's `response` event (milliseconds as a float), because
 *    autocannon's own histogram records whole milliseconds, too coarse for sub-millisecond answers;
 *  - "keep-alive off" opens a new connection before every request. autocannon's `reconnectRate`
 *    cannot be used: it resets the connection before the response is counted (autocannon 9
 *    lib/httpClient.js), so every response is lost; and against a server that closes after each
 *    answer (openssl ocsp, HTTP/1.0) autocannon writes the next request into the closing socket.
 */
export async function runLoad(autocannon: Autocannon, options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  let next = 0;
  const bodies = options.bodies?.map((b) => Buffer.from(b));
  const paths = options.paths;
  const latencies: number[] = [];
  let bad = 0;
  const request = {
    method: options.method,
    path: url.pathname,
    setupRequest: (req: { body?: unknown; path?: string }) => {
      const i = next++;
      if (bodies !== undefined && bodies.length > 0) req.body = bodies[i % bodies.length];
      if (paths !== undefined && paths.length > 0) req.path = paths[i % paths.length];
      return req;
    },
  };
  const setupClient = (client: AutocannonClient) => {
    client.on('response', (status: number, _bytes: number, durationMs: number) => {
      if (status >= 200 && status < 300) latencies.push(durationMs);
      else bad++;
    });
    if (options.keepAlive) return;
    let used = false;
    const doRequest = client._doRequest;
    client._doRequest = function (this: AutocannonClient, ...args: unknown[]) {
      if (used) {
        // The previous request on this connection is answered: close it and start over on a new
        // one (autocannon's _connect sends the next request once connected).
        used = false;
        this._destroyConnection();
        this._connect();
        return undefined;
      }
      used = true;
      return doRequest.apply(this, args);
    };
  };
  const cpuBefore = options.serverPid === undefined ? Number.NaN : treeCpuSeconds(options.serverPid);
  const machineBefore = machineCpuSeconds();
  const selfBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: `${url.protocol}//${url.host}`,
    connections: options.connections,
    duration: options.durationS,
    headers: options.headers ?? {},
    requests: [request],
    setupClient,
    timeout: 10,
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = options.serverPid === undefined ? Number.NaN : treeCpuSeconds(options.serverPid) - cpuBefore;
  const self = process.cpuUsage(selfBefore);
  const others = machineCpuSeconds() - machineBefore - cpu - (self.user + self.system) / 1e6;
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  return {
    requests: total,
    rps: total / result.duration,
    p50Ms: percentileOf(latencies, 50),
    p99Ms: percentileOf(latencies, 99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: bad,
    serverCpu: cpu / wallS,
    perCpuSecond: total / cpu,
    othersCpu: Math.max(0, others / wallS),
  };
}
