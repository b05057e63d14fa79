import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure, median, percentile, summarise } from './measure.ts';

test('percentile uses the nearest rank', () => {
  const values = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200
  assert.equal(percentile(values, 99), 198);
  assert.equal(percentile(values, 50), 100);
  assert.equal(percentile(values, 100), 200);
  assert.equal(percentile([7], 99), 7);
  assert.throws(() => percentile([], 50));
  assert.throws(() => percentile(values, 0));
});

test('median of odd and even counts', () => {
  assert.equal(median([1, 2, 9]), 2);
  assert.equal(median([1, 2, 4, 9]), 3);
});

test('summarise sorts the samples and derives the figures', () => {
  const m = summarise(10, [30, 10, 20], 600);
  assert.deepEqual(m.samplesNs, [10, 20, 30]);
  assert.equal(m.operations, 30);
  assert.equal(m.medianNs, 20);
  assert.equal(m.minNs, 10);
  assert.equal(m.meanNs, 20);
});

test('measure runs for at least the requested time and calibrates its batches', () => {
  let calls = 0;
  const m = measure(() => calls++, { minTimeMs: 30, warmupMs: 5, batchMs: 1 });
  assert.ok(m.elapsedNs >= 30e6);
  assert.ok(m.batchSize > 1);
  assert.ok(calls >= m.operations);
  assert.ok(m.minNs <= m.medianNs && m.medianNs <= m.p99Ns);
});
