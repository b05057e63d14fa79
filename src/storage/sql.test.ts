import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkParamCount, normalizeInteger, normalizeParam, translateForSqlite } from './sql.ts';

test('translateForSqlite rewrites $n outside literals, identifiers and comments', () => {
  const sql = `SELECT $1, '$2 it''s', "col$3", [$4], \`$5\`, a$6b -- $7 ?\n /* $8 ; */ FROM t WHERE x = $2`;
  const t = translateForSqlite(sql);
  assert.equal(
    t.text,
    `SELECT ?1, '$2 it''s', "col$3", [$4], \`$5\`, a$6b -- $7 ?\n /* $8 ; */ FROM t WHERE x = ?2`,
  );
  assert.deepEqual(t.used, [1, 2]);
  assert.equal(t.maxIndex, 2);
});

test('translateForSqlite allows one statement with a trailing ; and comments', () => {
  assert.equal(translateForSqlite('SELECT 1; -- done\n').text, 'SELECT 1; -- done\n');
  assert.throws(() => translateForSqlite('SELECT 1; SELECT 2'), /one SQL statement/);
  assert.throws(() => translateForSqlite("SELECT 1; 'x'"), /one SQL statement/);
});

test('translateForSqlite refuses other parameter syntaxes and unterminated text', () => {
  for (const sql of ['SELECT ?', 'SELECT ?1', 'SELECT :name', 'SELECT @name', 'SELECT $name', 'SELECT $0']) {
    assert.throws(() => translateForSqlite(sql), TypeError, sql);
  }
  for (const sql of ["SELECT 'open", 'SELECT "open', 'SELECT /* open']) {
    assert.throws(() => translateForSqlite(sql), /unterminated/, sql);
  }
  // Colons and at-signs inside literals are not parameters.
  assert.doesNotThrow(() => translateForSqlite("SELECT '12:30', 'a@b'"));
});

test('checkParamCount wants exactly $1..$n', () => {
  assert.doesNotThrow(() => checkParamCount(translateForSqlite('SELECT $2, $1, $1'), 2));
  assert.throws(() => checkParamCount(translateForSqlite('SELECT $1'), 2), /\$1 but 2 parameters/);
  assert.throws(() => checkParamCount(translateForSqlite('SELECT $1, $3'), 3), /every \$1\.\.\$n/);
  assert.throws(() => checkParamCount(translateForSqlite('SELECT 1'), 1), /\(none\)/);
});

test('normalizeParam converts booleans and refuses what the backends would treat differently', () => {
  assert.equal(normalizeParam(true, 1), 1);
  assert.equal(normalizeParam(false, 1), 0);
  assert.equal(normalizeParam(-(2n ** 63n), 1), -(2n ** 63n));
  assert.throws(() => normalizeParam(new Date(0), 3), /\$3: Date is not accepted; store epoch milliseconds/);
  assert.throws(() => normalizeParam(undefined, 1), /unsupported value type undefined/);
  assert.throws(() => normalizeParam(2n ** 63n, 1), /outside signed 64 bits/);
  assert.throws(() => normalizeParam(Number.NaN, 1), /finite/);
  assert.throws(() => normalizeParam('\u0000', 1), /U\+0000/);
  assert.throws(() => normalizeParam('\udc00', 1), /well-formed/);
});

test('normalizeInteger: number when safe, bigint beyond', () => {
  assert.equal(normalizeInteger(2n ** 53n - 1n), 2 ** 53 - 1);
  assert.equal(normalizeInteger(-(2n ** 53n) + 1n), -(2 ** 53) + 1);
  assert.equal(normalizeInteger(2n ** 53n), 2n ** 53n);
});
