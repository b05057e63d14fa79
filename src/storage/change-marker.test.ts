// The commit marker and its watch: SQLite's moves when another connection commits, PostgreSQL has
// none; the watch reads at most once per MARKER_REUSE_MS and reports a move once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommitWatch, commitMarker, MARKER_REUSE_MS } from './change-marker.ts';
import { forEachBackend } from './testing/backends.ts';

forEachBackend('commit marker', (getDb, backend) => {
  test('moves when another connection commits (SQLite); undefined on PostgreSQL', async () => {
    const db = getDb();
    const other = await backend.openAnother();
    const before = await commitMarker(db);
    await other.transaction((tx) => tx.execute('CREATE TABLE marker_probe (x INTEGER)'));
    const after = await commitMarker(db);
    if (backend.dialect === 'sqlite') {
      assert.equal(typeof before, 'number');
      assert.notEqual(after, before);
      assert.equal(await commitMarker(db), after, 'no commit since: the same marker');
    } else {
      assert.deepEqual([before, after], [undefined, undefined]);
    }
  });
});

test('CommitWatch: one read per MARKER_REUSE_MS, a move reported once, undefined never moves', async () => {
  let marker: number | undefined = 1;
  let reads = 0;
  const watch = new CommitWatch(async () => {
    reads++;
    return marker;
  });
  assert.equal(watch.fresh(1000), false);
  assert.equal(await watch.changed(1000), true, 'the first read moves from "never read"');
  assert.equal(watch.fresh(1000), true);
  assert.equal(await watch.changed(1000), false);
  assert.equal(reads, 1, 'fresh: no second read in the same millisecond');
  marker = 2;
  assert.equal(await watch.changed(1000), false, 'not read again within MARKER_REUSE_MS');
  assert.equal(await watch.changed(1000 + MARKER_REUSE_MS), true);
  assert.equal(await watch.changed(1000 + 2 * MARKER_REUSE_MS), false);
  assert.equal(watch.fresh(999), false, 'a clock that went back reads again');
  assert.equal(reads, 3);

  const none = new CommitWatch(async () => undefined);
  assert.equal(await none.changed(0), false);
  assert.equal(await none.changed(5), false);
});
