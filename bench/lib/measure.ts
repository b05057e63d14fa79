// Timing loop shared by the benchmarks: warm-up, calibrated batches, per-operation statistics.
//
// Why batches: one call of a few µs is too close to the cost and resolution of the clock, so the
// loop times batches of calls sized to take about `batchMs` each and divides. Every batch is one
// sample; median and p99 are taken over those samples. Garbage collection and JIT events that fall
// into a batch stay in it on purpose: they are part of what a caller pays, and p99 shows them.

export interface MeasureOptions {
  /** Minimum measured time after warm-up, in ms (the published figures use ≥ 2000). */
  readonly minTimeMs: number;
  /** Warm-up time in ms: lets V8 tier the code up to optimised machine code before timing. */
  readonly warmupMs: number;
  /** Target duration of one batch in ms. */
  readonly batchMs: number;
}

export const DEFAULT_MEASURE_OPTIONS: MeasureOptions = { minTimeMs: 2000, warmupMs: 500, batchMs: 1 };

export interface Measurement {
  /** Calls per batch, fixed after calibration. */
  readonly batchSize: number;
  readonly batches: number;
  readonly operations: number;
  /** Measured wall time (warm-up excluded), in ns. */
  readonly elapsedNs: number;
  /** Per-operation time of each batch (batch time / batch size), in ns, sorted ascending. */
  readonly samplesNs: readonly number[];
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly minNs: number;
  /** Total time / total operations, in ns. */
  readonly meanNs: number;
  /**
   * CPU time of this process during the measured time / that wall time. About 1 when the process had
   * a core to itself; clearly below 1 when other processes competed for the CPU (the figures are
   * then inflated). GC and compiler helper threads count too, so it can exceed 1.
   */
  readonly cpuShare: number;
}

/** Keeps results observable so that V8 cannot drop a call whose value is unused. */
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}
export function sinkValue(): unknown {
  return sink;
}

/**
 * Percentile of sorted values by the nearest-rank method: the smallest sample such that at least
 * p % of the samples are ≤ it (p99 of 2000 batches = the 20th slowest).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is outside (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

/** Median of sorted values (mean of the two middle ones for an even count). */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) throw new Error('median of no samples');
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarise(
  batchSize: number,
  perOpNs: number[],
  elapsedNs: number,
  cpuNs = Number.NaN,
): Measurement {
  const samplesNs = perOpNs.slice().sort((a, b) => a - b);
  const operations = batchSize * samplesNs.length;
  return {
    batchSize,
    batches: samplesNs.length,
    operations,
    elapsedNs,
    samplesNs,
    medianNs: median(samplesNs),
    p99Ns: percentile(samplesNs, 99),
    minNs: samplesNs[0] as number,
    meanNs: elapsedNs / operations,
    cpuShare: cpuNs / elapsedNs,
  };
}

const now = (): number => Number(process.hrtime.bigint());
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function batchSizeFor(perOpNs: number, batchMs: number): number {
  return Math.max(1, Math.round((batchMs * 1e6) / Math.max(perOpNs, 1)));
}

/** Measures a synchronous operation. */
export function measure(fn: () => unknown, options: MeasureOptions = DEFAULT_MEASURE_OPTIONS): Measurement {
  // Warm-up doubles as calibration: the last warm-up rounds give the per-call cost.
  let calls = 0;
  let round = 1;
  let perOpNs = Number.POSITIVE_INFINITY;
  const warmupEnd = now() + options.warmupMs * 1e6;
  do {
    const t0 = now();
    for (let i = 0; i < round; i++) consume(fn());
    perOpNs = (now() - t0) / round;
    calls += round;
    if (round < 1 << 20) round *= 2;
  } while (now() < warmupEnd || calls < 10);

  const batchSize = batchSizeFor(perOpNs, options.batchMs);
  const samples: number[] = [];
  const cpuStart = cpuNow();
  const start = now();
  const end = start + options.minTimeMs * 1e6;
  let t = start;
  do {
    const t0 = t;
    for (let i = 0; i < batchSize; i++) consume(fn());
    t = now();
    samples.push((t - t0) / batchSize);
  } while (t < end);
  return summarise(batchSize, samples, t - start, cpuNow() - cpuStart);
}

/** Measures an asynchronous operation; every call is awaited before the next starts. */
export async function measureAsync(
  fn: () => Promise<unknown>,
  options: MeasureOptions = DEFAULT_MEASURE_OPTIONS,
): Promise<Measurement> {
  let calls = 0;
  let round = 1;
  let perOpNs = Number.POSITIVE_INFINITY;
  const warmupEnd = now() + options.warmupMs * 1e6;
  do {
    const t0 = now();
    for (let i = 0; i < round; i++) consume(await fn());
    perOpNs = (now() - t0) / round;
    calls += round;
    if (round < 1 << 20) round *= 2;
  } while (now() < warmupEnd || calls < 10);

  const batchSize = batchSizeFor(perOpNs, options.batchMs);
  const samples: number[] = [];
  const cpuStart = cpuNow();
  const start = now();
  const end = start + options.minTimeMs * 1e6;
  let t = start;
  do {
    const t0 = t;
    for (let i = 0; i < batchSize; i++) consume(await fn());
    t = now();
    samples.push((t - t0) / batchSize);
  } while (t < end);
  return summarise(batchSize, samples, t - start, cpuNow() - cpuStart);
}
