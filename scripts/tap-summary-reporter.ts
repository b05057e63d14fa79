// node:test reporter that prints only the closing TAP summary lines (`# tests N`, `# pass N`,
// `# fail N`, ...). test:unit runs it next to the human-oriented `spec` reporter: spec (the default
// since Node 23) prints `ℹ pass N`, while CI log readers and tooling look for the TAP form.

import type { TestEvent } from 'node:test/reporters';

export default async function* tapSummaryReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  for await (const event of source) {
    // One summary per file plus one for the whole run (file undefined); only the latter is wanted.
    if (event.type !== 'test:summary' || event.data.file !== undefined) continue;
    // `failed` is in Node's summary but missing from @types/node 24's declaration.
    const counts = event.data.counts as typeof event.data.counts & { failed?: number };
    const failed =
      counts.failed ?? counts.tests - counts.passed - counts.skipped - counts.todo - counts.cancelled;
    yield [
      `# tests ${counts.tests}`,
      `# suites ${counts.suites}`,
      `# pass ${counts.passed}`,
      `# fail ${failed}`,
      `# cancelled ${counts.cancelled}`,
      `# skipped ${counts.skipped}`,
      `# todo ${counts.todo}`,
      `# duration_ms ${event.data.duration_ms.toFixed(3)}`,
      '',
    ].join('\n');
  }
}
