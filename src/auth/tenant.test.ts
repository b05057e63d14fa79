// Tenant checks (OPCP docs/04_authentication.md: WMI of the PCID for OEMs, country + provider of the
// EMAID for MOs; operator IDs for CPOs): tables and properties.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors/app-error.ts';
import type { Principal } from './principal.ts';
import {
  assertTenant,
  canAccessEmaid,
  canAccessOperator,
  canAccessPcid,
  canAccessProvider,
  canAccessWmi,
} from './tenant.ts';

function principal(role: Principal['role'], scope: Partial<Principal['scope']> = {}): Principal {
  return {
    clientId: '0'.repeat(32),
    role,
    scope: { wmis: [], providerIds: [], operatorIds: [], ...scope },
  };
}

const oem = principal('OEM', { wmis: ['WP0', 'WBA'] });
const mo = principal('MO', { providerIds: ['DEABC'] });
const cps = principal('CPS', { providerIds: ['NLT10'] });
const cpo = principal('CPO', { operatorIds: ['DEICE'] });
const admin = principal('ADMIN');

describe('tenant helpers', () => {
  test('canAccessWmi', () => {
    const table: [Principal, string, boolean][] = [
      [oem, 'WP0', true],
      [oem, 'wp0', true],
      [oem, 'WBA', true],
      [oem, 'VWV', false],
      [oem, 'WP', false],
      [oem, 'WP0 ', false],
      [mo, 'WP0', false],
      [cpo, 'WP0', false],
      [admin, 'WP0', true],
      [admin, 'anything', true],
    ];
    for (const [p, wmi, expected] of table) assert.equal(canAccessWmi(p, wmi), expected, `${p.role} ${wmi}`);
  });

  test('canAccessPcid: the first 3 characters of a 17-18 character PCID', () => {
    assert.equal(canAccessPcid(oem, 'WP0ABCDEFGH123456'), true);
    assert.equal(canAccessPcid(oem, 'wbaOpenProvCert201'), true);
    assert.equal(canAccessPcid(oem, 'HUBOpenProvCert201'), false);
    assert.equal(canAccessPcid(oem, 'WP0SHORT'), false);
    assert.equal(canAccessPcid(oem, 'WP0-BCDEFGH1234567'), false);
    assert.equal(canAccessPcid(mo, 'WP0ABCDEFGH123456'), false);
    assert.equal(canAccessPcid(admin, 'HUBOpenProvCert201'), true);
  });

  test('canAccessProvider: DE-ABC = DEABC = de-abc', () => {
    const table: [Principal, string, boolean][] = [
      [mo, 'DEABC', true],
      [mo, 'DE-ABC', true],
      [mo, 'de-abc', true],
      [mo, 'DE*ABC', false],
      [mo, 'DE-ABD', false],
      [mo, 'FR-ABC', false],
      [cps, 'NL-T10', true],
      [oem, 'DE-ABC', false],
      [cpo, 'DE-ICE', false],
      [admin, 'XX-YYY', true],
    ];
    for (const [p, id, expected] of table)
      assert.equal(canAccessProvider(p, id), expected, `${p.role} ${id}`);
  });

  test('canAccessEmaid: the provider of the EMAID, with or without hyphens and check digit', () => {
    assert.equal(canAccessEmaid(mo, 'DEABCC123456789'), true);
    assert.equal(canAccessEmaid(mo, 'DE-ABC-C12345678-9'), true);
    assert.equal(canAccessEmaid(mo, 'de-abc-c12345678'), true);
    assert.equal(canAccessEmaid(mo, 'DEABD C12345678'), false);
    assert.equal(canAccessEmaid(mo, 'DEABD123456789'), false);
    assert.equal(canAccessEmaid(mo, 'DEABC'), false); // a provider ID is not an EMAID
    assert.equal(canAccessEmaid(cps, 'NLT10A000000001'), true);
    assert.equal(canAccessEmaid(oem, 'DEABCC123456789'), false);
    assert.equal(canAccessEmaid(admin, 'EMP77TWTW00002'), true);
  });

  test('canAccessOperator: DE*ICE = DEICE = de*ice', () => {
    const table: [Principal, string, boolean][] = [
      [cpo, 'DEICE', true],
      [cpo, 'DE*ICE', true],
      [cpo, 'de*ice', true],
      [cpo, 'DE-ICE', true],
      [cpo, 'DE*ICX', false],
      [cpo, 'DE*ICE*E45B*78C', false],
      [mo, 'DE*ABC', false],
      [admin, 'DE*ICE', true],
    ];
    for (const [p, id, expected] of table)
      assert.equal(canAccessOperator(p, id), expected, `${p.role} ${id}`);
  });

  test('property: a non-ADMIN principal reaches exactly the identifiers of its scope', () => {
    const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const id5 = fc.tuple(letter, letter, alnum, alnum, alnum).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(id5, { maxLength: 5 }), id5, fc.boolean(), (scope, probe, lower) => {
        const p = principal('MO', { providerIds: scope });
        const q = principal('CPO', { operatorIds: scope });
        const asked = lower ? probe.toLowerCase() : probe;
        const inScope = scope.includes(probe);
        assert.equal(canAccessProvider(p, `${asked.slice(0, 2)}-${asked.slice(2)}`), inScope);
        assert.equal(canAccessOperator(q, `${asked.slice(0, 2)}*${asked.slice(2)}`), inScope);
        assert.equal(canAccessProvider(q, asked), false);
        assert.equal(canAccessOperator(p, asked), false);
        assert.equal(canAccessProvider(admin, asked), true);
      }),
    );
  });

  test('property: helpers never throw, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        for (const p of [oem, mo, cpo, cps, admin]) {
          canAccessWmi(p, s);
          canAccessPcid(p, s);
          canAccessProvider(p, s);
          canAccessEmaid(p, s);
          canAccessOperator(p, s);
        }
      }),
    );
  });

  test('assertTenant throws auth.forbidden-tenant (403) when not allowed', () => {
    assertTenant(true, 'WMI WP0');
    assert.throws(
      () => assertTenant(canAccessWmi(oem, 'VWV'), 'WMI VWV'),
      (e) =>
        isAppError(e) &&
        e.code === 'auth.forbidden-tenant' &&
        e.kind === 'Forbidden' &&
        /VWV/.test(e.message),
    );
  });
});
