import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaceSection, writeSection } from './doc-section.ts';

const doc = [
  '# Perf',
  'intro',
  '<!-- bench:exi:start -->',
  'old exi',
  '<!-- bench:exi:end -->',
  '<!-- bench:pki:start -->',
  'pki stays',
  '<!-- bench:pki:end -->',
  'outro',
  '',
].join('\n');

test('replaces only the named section', () => {
  const out = replaceSection(doc, 'exi', 'new exi\n');
  assert.equal(out, doc.replace('old exi', 'new exi'));
});

test('appends a missing section with its markers', () => {
  const out = replaceSection('# Perf\n', 'exi', 'table');
  assert.equal(out, '# Perf\n\n<!-- bench:exi:start -->\ntable\n<!-- bench:exi:end -->\n');
});

test('refuses duplicated, reversed or half markers and bad names', () => {
  assert.throws(() => replaceSection(`${doc}<!-- bench:exi:end -->\n`, 'exi', 'x'), /one/);
  assert.throws(
    () => replaceSection('<!-- bench:exi:end -->\n<!-- bench:exi:start -->\n', 'exi', 'x'),
    /before/,
  );
  assert.throws(() => replaceSection('<!-- bench:exi:start -->\n', 'exi', 'x'), /one/);
  assert.throws(() => replaceSection(doc, 'e x', 'x'), /invalid/);
});

test('writeSection rewrites a file in place and creates a missing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-doc-'));
  try {
    const path = join(dir, 'performance.md');
    writeSection(path, 'exi', 'first');
    assert.match(readFileSync(path, 'utf8'), /^# Performance\n\n<!-- bench:exi:start -->\nfirst\n/);
    writeFileSync(path, doc);
    writeSection(path, 'pki', 'second');
    assert.equal(readFileSync(path, 'utf8'), doc.replace('pki stays', 'second'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
