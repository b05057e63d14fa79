// Tenant identifier syntax and the `--scope` list (ISO 3779 WMIs, ISO 15118-2 Annex H provider IDs,
// ISO 15118-2 / eMI3 operator IDs): tables of accepted and refused forms, and properties.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ROLES } from './principal.ts';
import {
  formatOAuthScope,
  MAX_SCOPE_ENTRIES,
  normaliseOperatorId,
  normaliseProviderId,
  normaliseWmi,
  parseScope,
  SCOPE_KIND_OF_ROLE,
} from './scope.ts';

const WMI_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const chars = (alphabet: string, n: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((a) => a.join(''));
const randomCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((flags) => [...s].map((c, i) => (flags[i] ? c.toLowerCase() : c)).join(''));

describe('identifiers', () => {
  test('WMI: exactly 3 of [A-HJ-NPR-Z0-9], case-insensitive', () => {
    for (const [input, expected] of [
      ['WP0', 'WP0'],
      ['wba', 'WBA'],
      ['HUB', 'HUB'],
      ['1HG', '1HG'],
      ['WIO', undefined], // I and O are not WMI characters (ISO 3779)
      ['QAB', undefined], // nor is Q
      ['WP', undefined],
      ['WP0X', undefined],
      ['W-0', undefined],
      [' WP0', undefined],
      ['', undefined],
      ['ÄBC', undefined],
    ] as const) {
      assert.equal(normaliseWmi(input), expected, input);
    }
    assert.equal(normaliseWmi(42), undefined);
    assert.equal(normaliseWmi('W'.repeat(100_000)), undefined);
  });

  test('provider ID: country + 3 alphanumerics, optional "-", case-insensitive', () => {
    for (const [input, expected] of [
      ['DE-ABC', 'DEABC'],
      ['DEABC', 'DEABC'],
      ['de-abc', 'DEABC'],
      ['EMP77', 'EMP77'], // Hubject QA: syntax only, no country list (spec-gaps.md 49)
      ['NL-T10', 'NLT10'],
      ['DE*ABC', undefined], // '*' is the operator-ID separator
      ['D1-ABC', undefined],
      ['DE--ABC', undefined],
      ['DE-AB', undefined],
      ['DE-ABCD', undefined],
      ['DE-AB_', undefined],
    ] as const) {
      assert.equal(normaliseProviderId(input), expected, input);
    }
  });

  test('operator ID: country + 3 alphanumerics, optional "*" (or "-"), case-insensitive', () => {
    for (const [input, expected] of [
      ['DE*ABC', 'DEABC'],
      ['DEABC', 'DEABC'],
      ['de*icE', 'DEICE'],
      ['DE-ICE', 'DEICE'], // ISO 15118-20 SECC ID separator
      ['DE**ABC', undefined],
      ['DE*AB', undefined],
      ['DE*ABC*E1', undefined], // a whole EVSE ID is not an operator ID
      ['12*ABC', undefined],
    ] as const) {
      assert.equal(normaliseOperatorId(input), expected, input);
    }
  });

  test('property: every valid identifier in any case and separator form normalises to one value', () => {
    fc.assert(
      fc.property(chars(WMI_CHARS, 3).chain(randomCase), (wmi) => {
        assert.equal(normaliseWmi(wmi), wmi.toUpperCase());
      }),
    );
    fc.assert(
      fc.property(chars(LETTERS, 2), chars(ALNUM, 3), fc.constantFrom('', '-'), (cc, id, sep) => {
        const canonical = `${cc}${id}`;
        fc.pre(true);
        for (const form of [`${cc}${sep}${id}`, `${cc}${sep}${id}`.toLowerCase()]) {
          assert.equal(normaliseProviderId(form), canonical);
        }
      }),
    );
    fc.assert(
      fc.property(chars(LETTERS, 2), chars(ALNUM, 3), fc.constantFrom('', '*', '-'), (cc, id, sep) => {
        assert.equal(normaliseOperatorId(`${cc}${sep}${id}`.toLowerCase()), `${cc}${id}`);
      }),
    );
  });

  test('property: normalisation is idempotent and never accepts what it would change into garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        for (const normalise of [normaliseWmi, normaliseProviderId, normaliseOperatorId]) {
          const once = normalise(s);
          if (once !== undefined) {
            assert.equal(normalise(once), once);
            assert.match(once, /^[A-Z0-9]{3,5}$/);
          }
        }
      }),
    );
  });
});

describe('parseScope', () => {
  test('each role takes its own kind of identifier', () => {
    assert.deepEqual(parseScope('OEM', 'WP0, wba,WP0'), {
      ok: true,
      scope: { wmis: ['WP0', 'WBA'], providerIds: [], operatorIds: [] },
    });
    assert.deepEqual(parseScope('MO', 'DE-ABC,deabc,NLT10'), {
      ok: true,
      scope: { wmis: [], providerIds: ['DEABC', 'NLT10'], operatorIds: [] },
    });
    assert.deepEqual(parseScope('CPS', 'DE-ABC'), {
      ok: true,
      scope: { wmis: [], providerIds: ['DEABC'], operatorIds: [] },
    });
    assert.deepEqual(parseScope('CPO', 'DE*ABC,FRXYZ'), {
      ok: true,
      scope: { wmis: [], providerIds: [], operatorIds: ['DEABC', 'FRXYZ'] },
    });
    assert.deepEqual(parseScope('ADMIN', undefined), {
      ok: true,
      scope: { wmis: [], providerIds: [], operatorIds: [] },
    });
    assert.deepEqual(parseScope('ADMIN', '  '), {
      ok: true,
      scope: { wmis: [], providerIds: [], operatorIds: [] },
    });
  });

  test('refusals name every problem', () => {
    const cases: [Parameters<typeof parseScope>, RegExp][] = [
      [['OEM', undefined], /role OEM needs a scope/],
      [['MO', ''], /role MO needs a scope/],
      [['CPO', ' '], /role CPO needs a scope/],
      [['CPS', undefined], /role CPS needs a scope/],
      [['ADMIN', 'WP0'], /ADMIN takes no scope/],
      [['OEM', 'DE-ABC'], /"DE-ABC" is not a WMI/],
      [['MO', 'WP0'], /"WP0" is not a provider ID/],
      [['CPO', 'DE-ABCD'], /"DE-ABCD" is not an operator ID/],
      [['OEM', 'WP0,,WBA'], /empty entry/],
      [['OEM', 'WP0,'], /empty entry/],
      [['OEM', 'WP0\u0000'], /"WP0\?" is not a WMI/],
    ];
    for (const [args, pattern] of cases) {
      const result = parseScope(...args);
      assert.equal(result.ok, false, JSON.stringify(args));
      if (!result.ok) assert.match(result.problems.join('\n'), pattern);
    }
    const many = parseScope('OEM', 'WP0,XX,YY');
    assert.equal(many.ok, false);
    if (!many.ok) assert.equal(many.problems.length, 2);
    const tooMany = parseScope('OEM', Array.from({ length: MAX_SCOPE_ENTRIES + 1 }, () => 'WP0').join(','));
    assert.equal(tooMany.ok, false);
  });

  test('every role has a scope rule; only ADMIN has none', () => {
    for (const role of ROLES) assert.equal(SCOPE_KIND_OF_ROLE[role] === undefined, role === 'ADMIN', role);
  });

  test('OAuth scope string: role first, then prefixed identifiers; never empty', () => {
    assert.equal(
      formatOAuthScope('OEM', { wmis: ['WP0', 'WBA'], providerIds: [], operatorIds: [] }),
      'role:OEM wmi:WP0 wmi:WBA',
    );
    assert.equal(
      formatOAuthScope('CPO', { wmis: [], providerIds: [], operatorIds: ['DEABC'] }),
      'role:CPO operator:DEABC',
    );
    assert.equal(formatOAuthScope('ADMIN', { wmis: [], providerIds: [], operatorIds: [] }), 'role:ADMIN');
    // RFC 6749 §3.3 scope-token characters only.
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.array(chars(WMI_CHARS, 3)), (role, wmis) => {
        assert.match(
          formatOAuthScope(role, { wmis, providerIds: [], operatorIds: [] }),
          /^[\x21\x23-\x5b\x5d-\x7e ]+$/,
        );
      }),
    );
  });
});
