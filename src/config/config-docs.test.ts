// docs/configuration.md documents exactly the fields of CONFIG_FIELDS, with their environment
// variable, flag and default (architecture-practices §3.8: a documented config).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CONFIG_FIELDS } from './fields.ts';

const markdown = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

/** Rows of the "## Fields" table: field -> [environment, flag, default, description]. */
function documentedFields(): Map<string, string[]> {
  const start = markdown.indexOf('## Fields');
  assert.notEqual(start, -1, 'docs/configuration.md has no "## Fields" section');
  const next = markdown.indexOf('\n## ', start + 1);
  const rows = new Map<string, string[]>();
  for (const line of markdown.slice(start, next === -1 ? undefined : next).split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    rows.set(
      match[1],
      match[2].split('|').map((cell) => cell.trim()),
    );
  }
  return rows;
}

const unquote = (cell: string | undefined) => (cell ?? '').replace(/^`(.*)`$/, '$1');

test('every configuration field is documented with its variable, flag and default', () => {
  const rows = documentedFields();
  for (const field of CONFIG_FIELDS) {
    const row = rows.get(field.key);
    assert.ok(row, `field ${field.key} is missing from docs/configuration.md`);
    const [env, flag, defaultText, description] = row;
    assert.equal(unquote(env), field.env, `${field.key}: environment variable`);
    const fieldFlag = 'flag' in field ? `--${field.flag}` : '—';
    assert.equal(unquote(flag), fieldFlag, `${field.key}: flag`);
    assert.equal(unquote(defaultText), field.defaultText, `${field.key}: default`);
    assert.ok((description ?? '').length > 20, `${field.key}: description`);
    if (field.secret) assert.match(description ?? '', /\*\*Secret\.\*\*/, `${field.key} is marked secret`);
  }
});

test('docs/configuration.md documents no field the code does not have', () => {
  const keys = new Set<string>(CONFIG_FIELDS.map((f) => f.key));
  for (const key of documentedFields().keys()) assert.ok(keys.has(key), `docs document unknown field ${key}`);
});
