// Differential test against OpenSSL 3.0 on every real certificate of ../shared/vectors/pki: the
// recorded `openssl verify` call (anchor, untrusted certificates, -attime, -x509_strict) is
// replayed through validatePath from the command's own arguments, and the verdict must agree with
// OpenSSL's exit code, for the strict call and for the lax one (without -x509_strict). Where both
// reject, the failure code must correspond to one of the errors OpenSSL printed, at its depth.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHARED_SKIP } from '../../testing/shared-data.ts';
import { type PathValidationResult, validatePath } from './index.ts';
import {
  type CertRecord,
  certRecords,
  OPENSSL_EQUIVALENT,
  type OpensslCall,
  opensslErrors,
  parseCall,
} from './testing/openssl-records.ts';

const records = certRecords();

/**
 * Justified disagreements, by record id and mode: none so far. Each entry must carry the reason,
 * and the test checks the disagreement is exactly the documented one (so a fix is noticed).
 */
const KNOWN_DISAGREEMENTS: Readonly<
  Record<string, { readonly mode: 'strict' | 'lax'; readonly why: string }>
> = {};

function replay(
  all: Map<string, CertRecord>,
  call: OpensslCall,
  strictOverride?: boolean,
): PathValidationResult {
  const p = parseCall(call);
  const der = (id: string): Uint8Array => {
    const r = all.get(id);
    assert.ok(r, `record ${id} named by ${call.command}`);
    return r.der;
  };
  // Without -partial_chain OpenSSL accepts only a self-signed anchor; the records never rely on
  // that difference (validatePath always allows partial chains, PV-03).
  if (p.anchor !== null && !p.partialChain) assert.ok(all.get(p.anchor)?.selfSigned, call.command);
  return validatePath({
    target: der(p.target),
    intermediates: p.untrusted.map(der),
    anchors: p.anchor === null ? [] : [der(p.anchor)],
    at: p.at,
    strict: strictOverride ?? p.strict,
  });
}

function describeResult(r: PathValidationResult): string {
  return r.valid ? `valid (${r.chain.length} certificates)` : `${r.code} at ${r.at}: ${r.reason}`;
}

describe('agreement with OpenSSL 3.0 on the real certificates', {
  skip: records === undefined ? SHARED_SKIP : false,
}, () => {
  if (records === undefined) return;
  const stats = { strict: { agree: 0, total: 0 }, lax: { agree: 0, total: 0 }, codesChecked: 0 };
  const disagreements: string[] = [];

  const compare = (
    rec: CertRecord,
    mode: 'strict' | 'lax',
    call: OpensslCall,
    result: PathValidationResult,
  ) => {
    const opensslValid = call.exitCode === 0;
    stats[mode].total++;
    const known = KNOWN_DISAGREEMENTS[rec.id];
    if (result.valid === opensslValid) {
      stats[mode].agree++;
      assert.ok(known?.mode !== mode, `${rec.id} ${mode}: documented as a disagreement but now agrees`);
    } else {
      disagreements.push(
        `${rec.id} ${mode}: openssl exit ${call.exitCode}, validatePath ${describeResult(result)}`,
      );
      assert.equal(
        known?.mode,
        mode,
        `${rec.id} ${mode} (${rec.subject}): OpenSSL exit ${call.exitCode} ("${call.output.replace(/\n/g, ' | ')}"), validatePath ${describeResult(result)}`,
      );
      return;
    }
    if (!result.valid) {
      // Same reason: our code is one of the OpenSSL errors printed, at one of their depths.
      const errors = opensslErrors(call.output);
      assert.ok(errors.length > 0, call.output);
      const matching = errors.filter((e) => OPENSSL_EQUIVALENT[e.code]?.includes(result.code));
      assert.ok(
        matching.length > 0,
        `${rec.id} ${mode}: ${result.code} is none of OpenSSL's ${errors.map((e) => `${e.code} (${e.text})`).join(', ')}`,
      );
      assert.ok(
        matching.some((e) => e.depth === result.at),
        `${rec.id} ${mode}: ${result.code} at ${result.at}, OpenSSL at depth ${matching.map((e) => e.depth).join('/')}`,
      );
      stats.codesChecked++;
    }
  };

  for (const rec of records.values()) {
    it(`${rec.id} ${rec.role} ${rec.subject}`, () => {
      const strict = rec.strict;
      assert.ok(strict, `${rec.id} has no expected.opensslVerify`);
      assert.ok(strict.command.includes('-x509_strict'));
      compare(rec, 'strict', strict, replay(records, strict));
      // The lax call is recorded where the strict one fails; where the strict one passes, the
      // lax one passes too (OpenSSL's strict checks only add errors), so lax mode must accept.
      const lax = rec.lax ?? { ...strict, command: strict.command.replace(' -x509_strict', '') };
      assert.ok(!lax.command.includes('-x509_strict'));
      compare(rec, 'lax', lax, replay(records, lax));
    });
  }

  it('summary: every verdict agrees (or is a documented disagreement)', (t) => {
    const { strict, lax } = stats;
    t.diagnostic(
      `strict: ${strict.agree}/${strict.total} agree; lax: ${lax.agree}/${lax.total} agree (` +
        `${lax.total - [...records.values()].filter((r) => r.lax !== undefined).length} lax verdicts implied by a passing strict call); ` +
        `failure codes matched to OpenSSL's errors: ${stats.codesChecked}`,
    );
    for (const d of disagreements)
      t.diagnostic(`disagreement: ${d} — ${KNOWN_DISAGREEMENTS[d.split(' ')[0] as string]?.why}`);
    assert.equal(strict.total, records.size);
    assert.equal(lax.total, records.size);
    assert.equal(strict.agree + lax.agree + disagreements.length, strict.total + lax.total);
    assert.equal(disagreements.length, Object.keys(KNOWN_DISAGREEMENTS).length);
  });
});
