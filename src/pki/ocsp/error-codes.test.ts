// The error codes of src/pki/{ocsp,crl,est,csr} exist, with the same kind, in the catalogue and in
// docs/errors.md (src/errors/catalogue.test.ts checks the whole table; this pins our own codes).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CATALOGUE, isErrorCode } from '../../errors/catalogue.ts';

const OUR_CODES = {
  'ocsp.malformed': 'Malformed',
  'ocsp.unsupported': 'Malformed',
  'ocsp.responder': 'Internal',
  'crl.invalid': 'Internal',
  'est.bad-request': 'Malformed',
  'est.chain': 'Internal',
  'csr.malformed': 'Malformed',
  'csr.signature': 'Signature',
  'csr.policy': 'Policy',
} as const;

test('our codes are in src/errors/catalogue.ts and docs/errors.md with the same kind', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  for (const [code, kind] of Object.entries(OUR_CODES)) {
    assert.ok(isErrorCode(code), `${code} missing from the catalogue`);
    assert.equal(ERROR_CATALOGUE[code].kind, kind, code);
    const row = new RegExp(`^\\|\\s*\`${code.replace('.', '\\.')}\`\\s*\\|\\s*${kind}\\s*\\|`, 'm');
    assert.match(markdown, row, `${code} (${kind}) missing from docs/errors.md`);
  }
});

test('every ocsp / crl / est / csr code of the catalogue is one we use', () => {
  const ours = Object.keys(ERROR_CATALOGUE).filter((c) => /^(ocsp|crl|est|csr)\./.test(c));
  assert.deepEqual(ours.sort(), Object.keys(OUR_CODES).sort());
});
