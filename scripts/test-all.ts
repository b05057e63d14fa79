// `npm test`: the one command that runs every check, in the order a contributor wants feedback
// (cheap static checks first). CI runs exactly this (.ci/run). Every stage runs even after a failure,
// so one run shows all problems; the exit code is 1 when any stage failed.
//
// Each stage is an npm script of its own (package.json), so it can also be run alone.

import { spawnSync } from 'node:child_process';

const STAGES = ['check:lockfile', 'typecheck', 'lint', 'check:generated', 'test:unit'] as const;

interface StageResult {
  stage: string;
  ok: boolean;
  seconds: number;
}

const results: StageResult[] = [];
for (const stage of STAGES) {
  console.log(`\n=== ${stage} ===`);
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', stage], { stdio: 'inherit' });
  const seconds = (performance.now() - started) / 1000;
  const ok = run.status === 0;
  if (run.error) console.error(`test: cannot run npm: ${run.error.message}`);
  console.log(
    `=== ${stage}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds.toFixed(1)} s`,
  );
  results.push({ stage, ok, seconds });
}

console.log('\nSummary:');
for (const r of results)
  console.log(`  ${r.ok ? 'ok    ' : 'FAILED'}  ${r.stage.padEnd(16)} ${r.seconds.toFixed(1)} s`);
const failed = results.filter((r) => !r.ok).map((r) => r.stage);
if (failed.length > 0) {
  console.log(`npm test: FAILED stages: ${failed.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('npm test: all stages passed');
}
