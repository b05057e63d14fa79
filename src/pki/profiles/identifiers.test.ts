import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runParams } from '../../exi/testing/seed.ts';
import {
  computeDinCheckDigit,
  computeEmaidCheckDigit,
  parseEmaid,
  parseEvseId,
  parsePcid,
  parseSeccId,
} from './identifiers.ts';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('computeEmaidCheckDigit', () => {
  // Published vectors: thoughtworks/maeve-csms manager/ocpp/emaid_test.go, mobilityid
  // CheckDigitSpec.scala / EmaIdSpec.scala, kajedot/ema-id-tool tests/test_check_digit_calc.py.
  const vectors: [string, string][] = [
    ['GBTWK012345678', 'V'],
    ['CSKTH5U8TC90A1', 'S'],
    ['IHRFRNPCZVPPVE', 'W'],
    ['gbtwk123456789', 'B'],
    ['NN123ABCDEFGHI', 'T'],
    ['FRXYZ123456789', '2'],
    ['ITA1B2C3E4F5G6', '4'],
    ['ESZU8WOX834H1D', 'R'],
    ['PT73902837ABCZ', 'Z'],
    ['DE83DUIEN83QGZ', 'D'],
    ['DE83DUIEN83ZGQ', 'M'],
    ['DE8AA001234567', '0'],
    ['NLTNM000122045', 'U'],
    ['NLTNM000722345', 'X'],
  ];
  for (const [id, digit] of vectors) {
    it(`${id} → ${digit}`, () => assert.equal(computeEmaidCheckDigit(id), digit));
  }

  it('rejects input that is not 14 alphanumerics', () => {
    for (const bad of ['', 'DE-ABC-C123ABC5', 'DEABCC123ABC5', 'DEABCC123ABC560', 'DEABCC123ABC5ä']) {
      assert.throws(() => computeEmaidCheckDigit(bad), RangeError);
    }
  });
});

describe('computeDinCheckDigit (mobilityid CheckDigitDin vectors)', () => {
  for (const [instance, digit] of [
    [71, '9'],
    [110, 'X'],
    [124, '0'],
    [114, '6'],
    [191, '5'],
  ] as const) {
    it(`INTNM${String(instance).padStart(6, '0')} → ${digit}`, () => {
      assert.equal(computeDinCheckDigit(`INTNM${String(instance).padStart(6, '0')}`), digit);
    });
  }
});

describe('parseEmaid', () => {
  it('accepts the ISO forms with and without separators and check digit, any case', () => {
    for (const s of [
      'NL-TNM-000122045-U',
      'nl-tnm-000122045-u',
      'NLTNM000122045U',
      'NLTNM000122045',
      'NL-TNM-000122045',
    ]) {
      const r = parseEmaid(s);
      assert.ok(r.ok, s);
      assert.equal(r.value.normalized, 'NLTNM000122045');
      assert.equal(r.value.withCheckDigit, 'NLTNM000122045U');
      assert.equal(r.value.form, 'iso');
    }
  });

  it('maps DIN SPEC 91286 IDs to the ISO instance (mobilityid EmaIdSpec)', () => {
    const cases: [string, string][] = [
      ['NL-TNM-012204-5', 'NLTNM000122045U'],
      ['DE-TNM-002965-8', 'DETNM000029658Q'],
      ['NL*BMW*00009L*1', 'NLBMW0000009L1Z'],
    ];
    for (const [din, iso] of cases) {
      const r = parseEmaid(din);
      assert.ok(r.ok, din);
      assert.equal(r.value.form, 'din');
      assert.equal(r.value.withCheckDigit, iso);
      assert.equal(r.value.din?.checkDigitMatches, true);
    }
  });

  it('rejects a wrong check digit unless told not to verify it', () => {
    const r = parseEmaid('NL-TNM-000122045-X');
    assert.equal(r.ok, false);
    const lenient = parseEmaid('NL-TNM-000122045-X', { verifyCheckDigit: false });
    assert.ok(lenient.ok);
    assert.equal(lenient.value.checkDigitValid, false);
    assert.equal(lenient.value.givenCheckDigit, 'X');
    assert.equal(lenient.value.checkDigit, 'U');
  });

  it('rejects malformed input with reasons', () => {
    for (const s of [
      '',
      'NLTNM076',
      'X-aargh-131331234',
      ' \u0000t24\u2396a\t',
      'NL-T|M-000122045-U',
      'NL-TNM000122045',
      'GB-TWK-01234567',
      '1LTNM000122045',
    ]) {
      const r = parseEmaid(s);
      assert.equal(r.ok, false, s);
      assert.ok(r.reasons.length > 0);
    }
  });

  // Every EMAID-like string found in ../shared (vectors/pki, vectors/exi, specs, docs), with the
  // outcome under the eMI3 check digit. Hubject's 15-character QA IDs do not carry a valid
  // check digit, which is why certificate lints only warn about it (P-018).
  const sharedEmaids: [string, 'ok' | 'bad-check' | 'malformed', string?][] = [
    ['UKSWI123456789A', 'bad-check', 'G'], // Josev / EVerest contract CN
    ['UKSWI123456791A', 'bad-check', '5'], // Josev contract CN
    ['DE-ABC-C123ABC56', 'ok', '0'], // RISE-V2G contract CN (no check digit)
    ['DEABCC123ABC56', 'ok', '0'], // RISE-V2G eMAID fragment
    ['DEABC123456789Y', 'ok', 'Y'], // dSPACE contract CN
    ['EMP77TWTW00002', 'ok', 'C'], // Hubject QA contract CN (C9: 'EM' is no country)
    ['EMP77TWTW00003', 'ok'],
    ['EMP77TWTW00005', 'ok'],
    ['EMP77TWTW99999', 'ok', '0'],
    ['DEICECOPNCCERT', 'ok', '5'], // Hubject QA contract 2024
    ['EMP99CQAPAB004', 'ok', 'P'], // OPCP CCP example
    ['DECGN000020001', 'ok', '7'], // CitrineOS Hubject example
    ['DEHUBCTESTOPEN', 'ok', 'F'], // interop.md
    ['EMP99CQATEST001', 'bad-check', 'Z'], // OPCP examples
    ['EMP99C123456789', 'bad-check', 'L'], // OPCP examples
    ['DEABCE1234567890', 'malformed'], // OPNC example (16 chars, -20 length)
    ['TESTEMAID', 'malformed'],
    ['stringstringst', 'ok'], // OpenAPI placeholder: syntactically an EMAID
  ];
  for (const [s, outcome, digit] of sharedEmaids) {
    it(`${s} (../shared): ${outcome}`, () => {
      const strict = parseEmaid(s);
      const lenient = parseEmaid(s, { verifyCheckDigit: false });
      if (outcome === 'malformed') {
        assert.equal(lenient.ok, false);
        return;
      }
      assert.ok(lenient.ok);
      assert.equal(strict.ok, outcome === 'ok');
      if (digit !== undefined) assert.equal(lenient.value.checkDigit, digit);
    });
  }

  const emaidParts = fc.record({
    cc: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 2, maxLength: 2 }),
    provider: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 3, maxLength: 3 }),
    instance: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 9, maxLength: 9 }),
    dashes: fc.boolean(),
    lower: fc.boolean(),
  });

  it('agrees with computeEmaidCheckDigit for random valid EMAIDs in every form', () => {
    fc.assert(
      fc.property(emaidParts, ({ cc, provider, instance, dashes, lower }) => {
        const core = cc + provider + instance;
        const digit = computeEmaidCheckDigit(core);
        const sep = dashes ? '-' : '';
        for (const withDigit of [false, true]) {
          let s = [cc, provider, instance, ...(withDigit ? [digit] : [])].join(sep);
          if (lower) s = s.toLowerCase();
          const r = parseEmaid(s);
          assert.ok(r.ok, s);
          assert.equal(r.value.normalized, core);
          assert.equal(r.value.checkDigit, digit);
          assert.equal(r.value.checkDigitValid, withDigit ? true : null);
        }
      }),
      runParams('emaid.parse-agrees', 300),
    );
  });

  // The check character makes Σ v_i·P^i = 0 over all 15 positions with invertible weights, so
  // these error classes are always detected (eMI3 check digit document; identifiers.ts).
  const fullEmaid = emaidParts.map(({ cc, provider, instance }) => {
    const core = cc + provider + instance;
    return core + computeEmaidCheckDigit(core);
  });
  const detected = (original: string, changed: string) => {
    if (changed === original) return;
    assert.equal(parseEmaid(changed).ok, false, `${original} → ${changed} not detected`);
  };

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(fullEmaid, fc.nat(14), fc.constantFrom(...ALNUM), (s, i, c) => {
        detected(s, s.slice(0, i) + c + s.slice(i + 1));
      }),
      runParams('emaid.single-substitution', 500),
    );
  });

  it('detects adjacent and jump transpositions, twin and jump-twin errors', () => {
    fc.assert(
      fc.property(fullEmaid, fc.nat(13), fc.constantFrom(...ALNUM), (s, i, c) => {
        const a = s.split('');
        const swap = (x: number, y: number) => {
          const t = [...a];
          [t[x], t[y]] = [t[y] as string, t[x] as string];
          return t.join('');
        };
        detected(s, swap(i, i + 1)); // ab → ba
        if (i + 2 < 15) detected(s, swap(i, i + 2)); // abc → cba
        if (a[i] === a[i + 1]) detected(s, s.slice(0, i) + c + c + s.slice(i + 2)); // aa → bb
        if (i + 2 < 15 && a[i] === a[i + 2]) {
          detected(s, s.slice(0, i) + c + s[i + 1] + c + s.slice(i + 3)); // aca → bcb
        }
      }),
      runParams('emaid.transpositions', 500),
    );
  });

  it('detects twin errors exhaustively on a twin-rich EMAID', () => {
    const core = 'DEAAA11BB22CC3';
    const s = core + computeEmaidCheckDigit(core);
    for (let i = 0; i < 14; i++) {
      if (s[i] !== s[i + 1]) continue;
      for (const c of ALNUM) detected(s, s.slice(0, i) + c + c + s.slice(i + 2));
    }
  });
});

describe('parsePcid', () => {
  // PCIDs found in ../shared (vectors/pki CNs, OPCP/OPNC examples, interop.md).
  for (const s of [
    'DEHUBCOPNCPROVCER',
    'hubjectopenpnc0001',
    'huboemprovcqa0615',
    'WMI123456712345678',
    'WMIP12345678901234',
    'HUBOpenProvCert201',
  ]) {
    it(`accepts ${s}`, () => {
      const r = parsePcid(s);
      assert.ok(r.ok);
      assert.equal(r.value.wmi, s.slice(0, 3).toUpperCase());
      assert.equal(r.value.normalized, s.toUpperCase());
      assert.equal(r.value.checkCharacter, s.length === 18 ? (s[17] as string).toUpperCase() : null);
    });
  }
  for (const s of [
    '',
    'TESTPCID',
    'OEMProvCert',
    'WMIV1234567890ABCDEX',
    'DEHUB-OPNCPROVCER',
    'DEHUBCOPNCPROVCE',
  ]) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.equal(parsePcid(s).ok, false));
  }
  it('accepts exactly the 17-18 alphanumerics OPCP accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (s) => {
        assert.equal(parsePcid(s).ok, /^[a-zA-Z0-9]{17,18}$/.test(s));
      }),
      runParams('pcid.regex', 500),
    );
  });
});

describe('parseEvseId', () => {
  it('parses the ISO forms (OPCP example, mobilityid EvseIdSpec)', () => {
    const r = parseEvseId('DE*ICE*E45B*78C');
    assert.ok(r.ok);
    assert.deepEqual(
      { cc: r.value.countryCode, op: r.value.operatorId, outlet: r.value.powerOutletId, c: r.value.compact },
      { cc: 'DE', op: 'ICE', outlet: '45B*78C', c: 'DEICEE45B78C' },
    );
    for (const s of [
      'DEAB7E8406487',
      'DE*AB7*E840*6487',
      'DEAB7E1',
      'DE*AB7*E1234567890ABCDEFGHIJ1234567890',
    ]) {
      assert.ok(parseEvseId(s).ok, s);
    }
  });
  it('rejects DIN, missing E, too long', () => {
    for (const s of [
      '+49*810*000*438',
      'NL*TNM*840*6487',
      `DE*AB7*E${'7'.repeat(32)}`,
      'DE*ICE*E',
      'SECCCert',
    ]) {
      assert.equal(parseEvseId(s).ok, false, s);
    }
  });
  it('round-trips through the normalized form', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 2, maxLength: 2 }),
        fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 3, maxLength: 3 }),
        fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 31 }),
        (cc, op, outlet) => {
          const r = parseEvseId(`${cc}${op}E${outlet}`);
          assert.ok(r.ok);
          const again = parseEvseId(r.value.normalized);
          assert.ok(again.ok);
          assert.equal(again.value.compact, r.value.compact);
        },
      ),
      runParams('evseid.roundtrip', 200),
    );
  });
});

describe('parseSeccId', () => {
  it('parses the OPCP example', () => {
    const r = parseSeccId('DE-ICE-S-00003C4D557878675645330967543476-2');
    assert.ok(r.ok);
    assert.equal(r.value.controllerId, '00003C4D557878675645330967543476');
    assert.equal(r.value.checkDigit, '2');
    assert.equal(r.value.normalized, 'DE-ICE-S-00003C4D557878675645330967543476-2');
    assert.ok(parseSeccId('DEICES00003C4D5578786756453309675434762').ok);
  });
  it('rejects mixed separators and other shapes', () => {
    for (const s of ['DE-ICES-0000-2', 'DE*ICE*E45B*78C', 'DE-ICE-X-0000-2', 'DE-ICE-S--2']) {
      assert.equal(parseSeccId(s).ok, false, s);
    }
  });
});
