// `pnc serve`: runs the server until SIGINT / SIGTERM. Logs are JSON lines on stdout (one of them
// `listening on http://HOST:PORT`, with the real port when --port 0). On a signal it stops accepting
// requests, lets in-flight ones finish (at most shutdownTimeoutMs, then cuts connections), closes the
// database and exits with 0.

import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { type App, createApp } from '../app/create-app.ts';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import type { AppConfig } from '../config/fields.ts';
import { redactConfig } from '../config/load-config.ts';
import { appError } from '../errors/catalogue.ts';
import { describeDatabase } from '../storage/open-database.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS, loadCommandConfig } from './config-options.ts';
import { type CliWriter, defineCommand } from './registry.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Closes the app; after timeoutMs, cuts the remaining connections. True when it finished in time. */
async function closeWithin(app: App, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([app.close().then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'closed') return true;
  app.logger.warn(
    { timeoutMs },
    'requests still running after the shutdown timeout: closing their connections',
  );
  app.server.server.closeAllConnections();
  await app.close();
  return false;
}

/**
 * Runs the server until `stop` is aborted. Returns the exit code: 0 after a clean shutdown, 1 when
 * in-flight requests had to be cut.
 */
export async function runServer(
  config: AppConfig,
  logDestination: CliWriter,
  stop: AbortSignal,
): Promise<number> {
  const app = await createApp({ config, clock: systemClock, random: cryptoRandom, logDestination });
  try {
    app.logger.info({ config: redactConfig(config), database: describeDatabase(config) }, 'configuration');
    await app.listen();
    app.logger.info({ publicUrl: app.publicUrl() }, 'public URL');
  } catch (error) {
    await app.close();
    throw error;
  }
  if (!stop.aborted) await once(stop, 'abort');
  app.logger.info({ reason: String(stop.reason) }, 'shutting down');
  return (await closeWithin(app, config.shutdownTimeoutMs)) ? 0 : 1;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** One JSON log line of the cluster primary, shaped like the app's (src/http logger), at logLevel or above. */
function primaryLog(
  out: CliWriter & { readonly logLevel: string },
  level: 'info' | 'error',
  msg: string,
  extra: Record<string, unknown> = {},
): void {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(out.logLevel)) return;
  const line = {
    level,
    time: new Date().toISOString(),
    service: 'pnc',
    role: 'cluster primary',
    pid: process.pid,
  };
  out.write(`${JSON.stringify({ ...line, ...extra, msg })}\n`);
}

/**
 * PNC_WORKERS > 1 (D-173): this process becomes a node:cluster primary that runs no app itself and
 * starts `workers` processes of the same command, which share the listening port (connections are
 * handed out round-robin). The first worker starts alone and the others only once it listens, so
 * migrations, first-start signing keys and the like are done once. A signal stops every worker
 * (each shuts down cleanly as a single `pnc serve` does); a worker that exits on its own stops the
 * others. Returns the exit code: the largest of the workers', 1 when one died.
 */
export async function runCluster(
  config: Pick<AppConfig, 'workers' | 'logLevel'>,
  env: Readonly<Record<string, string | undefined>>,
  out: CliWriter,
  stop: AbortSignal,
): Promise<number> {
  const { workers } = config;
  const stdout = { write: (chunk: string) => out.write(chunk), logLevel: config.logLevel };
  const live = new Set<Worker>();
  let stopping = false;
  let failed = false;
  let code = 0;
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, exitCode, signal) => {
      live.delete(worker);
      code = Math.max(code, exitCode ?? 1);
      if (!stopping) {
        failed = true;
        primaryLog(stdout, 'error', 'a worker exited: stopping the others', {
          worker: worker.process.pid,
          exitCode,
          signal,
        });
        stopAll();
      }
      if (live.size === 0) resolve();
    });
  });
  const stopAll = () => {
    // Once: a second SIGTERM would meet the default action in a worker already shutting down.
    if (stopping) return;
    stopping = true;
    for (const worker of live) worker.process.kill('SIGTERM');
  };
  stop.addEventListener('abort', () => {
    primaryLog(stdout, 'info', 'shutting down the workers', { reason: String(stop.reason) });
    stopAll();
  });
  const forkOne = async (): Promise<boolean> => {
    const worker = cluster.fork({ ...env });
    live.add(worker);
    const listening = once(worker, 'listening').then(() => true);
    const exited = once(worker, 'exit').then(() => false);
    return Promise.race([listening, exited]);
  };
  primaryLog(stdout, 'info', `starting ${workers} workers`, { workers });
  let started = 0;
  while (started < workers && !stopping && !stop.aborted && (await forkOne())) started++;
  if (started === workers) primaryLog(stdout, 'info', `all ${workers} workers listening`, { workers });
  if (stop.aborted) stopAll();
  await allExited;
  primaryLog(stdout, failed ? 'error' : 'info', 'all workers stopped', {
    exitCode: failed ? Math.max(code, 1) : code,
  });
  return failed ? Math.max(code, 1) : code;
}

export const serveCommand = defineCommand({
  path: ['serve'],
  summary: 'Start the HTTP server (health, metrics, and the component APIs)',
  usage: [
    'Usage: pnc serve [--host H] [--port P] [--data-dir DIR] [--config FILE] [--print-config]',
    '',
    'Configuration comes from the JSON file (--config / PNC_CONFIG), then the environment, then these',
    'flags; every field is described in docs/configuration.md. Without DATABASE_URL the data lives in',
    '<data-dir>/pnc.sqlite. Logs are JSON lines on stdout. SIGINT / SIGTERM stop the server cleanly.',
  ].join('\n'),
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    ...CONFIG_OPTIONS,
    'print-config': { type: 'boolean' },
  },
  optionHelp: {
    host: 'Interface to listen on (environment PNC_HOST, default 127.0.0.1)',
    port: 'TCP port, 0 for any free port (environment PNC_PORT, default 8080)',
    ...CONFIG_OPTION_HELP,
    'print-config': 'Print the effective configuration as JSON (secrets masked) and exit',
  },
  async run({ values, positionals, env, stdout }) {
    if (positionals.length > 0) throw appError('cli.usage', `unexpected argument '${positionals[0]}'`);
    const config = loadCommandConfig({ values, env }, { host: values.host, port: values.port });
    if (values['print-config'] === true) {
      stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
      return 0;
    }
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => controller.abort(signal);
    for (const signal of SIGNALS) process.once(signal, onSignal);
    try {
      // A cluster worker (cluster.isPrimary false) reads the same configuration and serves.
      if (config.workers > 1 && cluster.isPrimary) {
        return await runCluster(config, env, stdout, controller.signal);
      }
      const code = await runServer(config, stdout, controller.signal);
      // A cluster worker: the IPC channel to the primary would keep the process alive.
      if (cluster.isWorker) process.disconnect?.();
      return code;
    } finally {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    }
  },
});
