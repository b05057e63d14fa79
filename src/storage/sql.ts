// What both adapters share: the placeholder rewrite for SQLite, parameter checks and result
// normalisation, so that the same SQL and values behave the same on both backends (rules in
// ./types.ts and docs/storage.md).

import type { SqlValue } from './types.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface TranslatedSql {
  /** The SQL with `$n` rewritten to `?n` (SQLite numbered parameters bind by position n). */
  readonly text: string;
  /** Highest placeholder number used (0 without placeholders). */
  readonly maxIndex: number;
  /** Placeholder numbers used, in ascending order, without repetition. */
  readonly used: readonly number[];
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/**
 * Rewrites `$1`..`$n` to SQLite's `?1`..`?n`, skipping string literals, quoted identifiers and
 * comments. Rejects other parameter syntaxes (`?`, `:name`, `@name`, `$name`), which SQLite would
 * otherwise bind to NULL when left unbound, and a second statement after `;` (one statement per call,
 * as on PostgreSQL's extended protocol).
 */
export function translateForSqlite(sql: string): TranslatedSql {
  let out = '';
  const used = new Set<number>();
  let i = 0;
  let endedStatement = false;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    // Quoted text: 'string', "identifier", `identifier`, [identifier]; copied verbatim.
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      if (endedStatement) throw new TypeError('one SQL statement per call: text after ";"');
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        if (j >= n)
          throw new TypeError(`unterminated ${c === "'" ? 'string literal' : 'quoted identifier'} in SQL`);
        if (sql[j] === close) {
          // A doubled quote is an escaped quote inside the literal ('it''s').
          if (close !== ']' && sql[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new TypeError('unterminated comment in SQL');
      out += sql.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (/\s/.test(c)) {
      out += c;
      i++;
      continue;
    }
    if (endedStatement) throw new TypeError('one SQL statement per call: text after ";"');
    if (c === ';') {
      endedStatement = true;
      out += c;
      i++;
      continue;
    }
    if (c === '$') {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j] as string)) j++;
      if (j === i + 1 || isIdentChar(sql[j])) {
        throw new TypeError(`unsupported parameter syntax at offset ${i}: use $1, $2, ...`);
      }
      const index = Number(sql.slice(i + 1, j));
      if (index < 1 || index > 32766) throw new TypeError(`placeholder $${index} out of range`);
      used.add(index);
      out += `?${index}`;
      i = j;
      continue;
    }
    if (c === '?' || ((c === ':' || c === '@') && isIdentChar(sql[i + 1]))) {
      throw new TypeError(`unsupported parameter syntax '${c}' at offset ${i}: use $1, $2, ...`);
    }
    // Identifiers and keywords: copy a whole word at once so `a$1` inside a name is not a placeholder.
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && (isIdentChar(sql[j]) || sql[j] === '$')) j++;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  const sorted = [...used].sort((a, b) => a - b);
  return {
    text: out,
    maxIndex: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
    used: sorted,
  };
}

/** Same check PostgreSQL makes: the parameters are exactly $1..$n. */
export function checkParamCount(translated: TranslatedSql, count: number): void {
  if (translated.maxIndex !== count || translated.used.length !== count) {
    throw new TypeError(
      `SQL uses placeholders ${translated.used.map((i) => `$${i}`).join(', ') || '(none)'} but ${count} ` +
        `parameter${count === 1 ? ' was' : 's were'} given; every $1..$n must be used exactly for n parameters`,
    );
  }
}

/**
 * Validates one parameter and converts it to what both drivers accept identically: booleans become
 * 1 / 0 (SQLite has no boolean; PostgreSQL accepts '1' / '0' for boolean and integer columns alike).
 */
export function normalizeParam(
  value: unknown,
  position: number,
): string | number | bigint | Uint8Array | null {
  const where = `parameter $${position}`;
  switch (typeof value) {
    case 'string':
      // PostgreSQL text cannot hold U+0000 and both drivers would replace lone surrogates silently.
      if (value.includes('\u0000')) throw new TypeError(`${where}: strings must not contain U+0000`);
      if (!value.isWellFormed()) throw new TypeError(`${where}: string is not well-formed Unicode`);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${where}: number must be finite, got ${value}`);
      return value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX)
        throw new TypeError(`${where}: bigint outside signed 64 bits`);
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return value;
      if (value instanceof Date) {
        throw new TypeError(`${where}: Date is not accepted; store epoch milliseconds (date.getTime())`);
      }
      break;
    default:
      break;
  }
  throw new TypeError(`${where}: unsupported value type ${value === null ? 'null' : typeof value}`);
}

export function normalizeParams(
  params: readonly SqlValue[],
): (string | number | bigint | Uint8Array | null)[] {
  return params.map((value, i) => normalizeParam(value, i + 1));
}

/** Integers: number when safe, bigint beyond (the one rule for both backends). */
export function normalizeInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** Parses a base-10 integer string (PostgreSQL int8 / integral numeric) by the same rule. */
export function parseIntegerText(text: string): number | bigint {
  return normalizeInteger(BigInt(text));
}
