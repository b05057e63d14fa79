// Description of the machine a benchmark ran on, so that published figures can be compared.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';

export interface MachineDescription {
  readonly cpuModel: string;
  /** Logical CPUs the process may use (os.availableParallelism()). */
  readonly cores: number;
  readonly totalMemBytes: number;
  readonly node: string;
  readonly v8: string;
  readonly os: string;
  readonly arch: string;
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  // Some virtual machines report an empty model or a speed of 0; say "unknown" rather than guess.
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  return {
    cpuModel: model,
    cores: os.availableParallelism(),
    totalMemBytes: os.totalmem(),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
  };
}

/** One line, e.g. "AMD EPYC, 2 cores, 23.5 GiB RAM, Node v24.21.0 (V8 13.6), Linux 6.18 x64". */
export function formatMachine(m: MachineDescription): string {
  const gib = (m.totalMemBytes / 2 ** 30).toFixed(1);
  const v8 = m.v8.split('.').slice(0, 2).join('.');
  return `${m.cpuModel}, ${m.cores} ${m.cores === 1 ? 'core' : 'cores'}, ${gib} GiB RAM, Node ${m.node} (V8 ${v8}), ${m.os} ${m.arch}`;
}

/**
 * 1-minute load average (0 on Windows). Near or above the number of cores, other processes compete
 * with the benchmark and its figures are inflated.
 */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}

/** `abc1234`, or `abc1234 with uncommitted changes`: which code a bench section was measured on. */
export function codeRevision(): string {
  const root = resolve(import.meta.dirname, '../..');
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      cwd: root,
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      cwd: root,
    }).trim();
    return dirty === '' ? head : `${head} with uncommitted changes`;
  } catch {
    return 'unknown revision';
  }
}
