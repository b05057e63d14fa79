import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { APP_ERROR_KINDS, httpStatusFor } from './app-error.ts';
import { appError, ERROR_CATALOGUE, isErrorCode } from './catalogue.ts';

const docsPath = new URL('../../docs/errors.md', import.meta.url);

/** Rows of a markdown table whose first cell is a code span: `| `code` | cell | ... |`. */
function documentedRows(markdown: string, section: string): Map<string, string[]> {
  const start = markdown.indexOf(`## ${section}`);
  assert.notEqual(start, -1, `docs/errors.md has no "## ${section}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  const body = markdown.slice(start, next === -1 ? undefined : next);
  const rows = new Map<string, string[]>();
  for (const line of body.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    rows.set(
      match[1],
      match[2].split('|').map((cell) => cell.trim()),
    );
  }
  return rows;
}

const markdown = readFileSync(docsPath, 'utf8');

test('every catalogue code is documented in docs/errors.md with its kind', () => {
  const rows = documentedRows(markdown, 'Codes');
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    const row = rows.get(code);
    assert.ok(row, `code ${code} is missing from docs/errors.md`);
    assert.equal(row[0], entry.kind, `docs/errors.md lists ${code} with another kind`);
  }
});

test('docs/errors.md lists no code that the catalogue does not know', () => {
  for (const code of documentedRows(markdown, 'Codes').keys()) {
    assert.ok(isErrorCode(code), `docs/errors.md documents ${code}, which is not in src/errors/catalogue.ts`);
  }
});

test('every kind is documented with its HTTP status', () => {
  const rows = documentedRows(markdown, 'Kinds');
  for (const kind of APP_ERROR_KINDS) {
    const row = rows.get(kind);
    assert.ok(row, `kind ${kind} is missing from docs/errors.md`);
    assert.equal(row[0], String(httpStatusFor(kind)), `docs/errors.md gives another status for ${kind}`);
  }
  assert.equal(rows.size, APP_ERROR_KINDS.length);
});

test('codes follow <component>.<kebab-case>', () => {
  for (const code of Object.keys(ERROR_CATALOGUE)) {
    assert.match(code, /^[a-z][a-z0-9]*\.[a-z][a-z0-9]*(-[a-z0-9]+)*$/, code);
  }
});

test('appError takes the kind from the catalogue', () => {
  const err = appError('exi.header', 'header byte is 0x81', { details: { byte: 0x81 } });
  assert.equal(err.kind, 'Codec');
  assert.equal(err.code, 'exi.header');
  assert.deepEqual(err.details, { byte: 0x81 });
});
