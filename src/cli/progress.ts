// Progress output for long CLI runs (`pnc oem publish --bulk`): on a terminal one line redrawn in
// place (a bar, counts, rate); elsewhere (CI logs, files) a plain line at every tenth of the work, so
// a log stays short. Always on stderr: stdout carries the result (and --json).

import type { Clock } from '../app/runtime.ts';
import type { CliWriter } from './registry.ts';

export interface ProgressOptions {
  readonly total: number;
  readonly label: string;
  readonly stream: CliWriter;
  /** Redraw in place (stderr is a terminal). */
  readonly interactive: boolean;
  readonly clock: Clock;
}

const BAR_WIDTH = 30;

export class Progress {
  readonly #options: ProgressOptions;
  readonly #start: number;
  #done = 0;
  #failed = 0;
  #lastDecile = -1;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#start = options.clock.now().getTime();
  }

  /** One item finished. */
  tick(ok: boolean): void {
    this.#done++;
    if (!ok) this.#failed++;
    const { total, interactive, stream, label } = this.#options;
    if (interactive) {
      stream.write(`\r${this.line()}`);
      if (this.#done === total) stream.write('\n');
      return;
    }
    const decile = total === 0 ? 10 : Math.floor((this.#done * 10) / total);
    if (decile !== this.#lastDecile) {
      this.#lastDecile = decile;
      stream.write(`${label}: ${this.line()}\n`);
    }
  }

  /** `[#####-----] 120/1000 (2 failed) 40/s`. */
  line(): string {
    const { total } = this.#options;
    const filled = total === 0 ? BAR_WIDTH : Math.round((this.#done * BAR_WIDTH) / total);
    const seconds = Math.max((this.#options.clock.now().getTime() - this.#start) / 1000, 0.001);
    const rate = Math.round(this.#done / seconds);
    const failed = this.#failed > 0 ? ` (${this.#failed} failed)` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${this.#done}/${total}${failed} ${rate}/s`;
  }
}
