// The maintenance schedule of `pnc serve`: one run every PNC_MAINTENANCE_INTERVAL seconds (0 = off),
// the first one interval after start; runs never overlap; stop() waits for a run in progress. The
// wall-clock timer only triggers runs: what is expired is decided with the injected clock.

import type { MaintenanceReport, MaintenanceService } from './service.ts';

export interface SchedulerLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export class MaintenanceScheduler {
  readonly #service: Pick<MaintenanceService, 'run'>;
  readonly #intervalMs: number;
  readonly #logger: SchedulerLogger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(service: Pick<MaintenanceService, 'run'>, intervalSeconds: number, logger: SchedulerLogger) {
    this.#service = service;
    this.#intervalMs = intervalSeconds * 1000;
    this.#logger = logger;
  }

  start(): void {
    if (this.#intervalMs === 0 || !this.#stopped) return;
    this.#stopped = false;
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#service
        .run('system')
        .then((report: MaintenanceReport) => {
          if (report.roots + report.provisioningCertificates + report.contracts + report.failures > 0) {
            this.#logger.info({ report }, 'pool maintenance');
          }
        })
        .catch((error: unknown) => this.#logger.warn({ err: error }, 'pool maintenance failed'))
        .finally(() => {
          this.#running = undefined;
          this.#arm();
        });
    }, this.#intervalMs);
    this.#timer.unref();
  }
}
