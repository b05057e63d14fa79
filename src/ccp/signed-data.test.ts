// Signed contract data put by a client, without a server: Hubject's real XML of OPCP cps.v1.json
// (JAXB prefixes, namespace-qualified Id attributes, no SessionID) is converted to EXI and its CPS
// signature verifies; a changed byte of the XML fails the signature; its chain ends in Hubject's QA
// root, which no pool here trusts, so it is refused as a chain problem — after the signature check.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import type { TrustAnchorSource, TrustedRoot } from '../rcp/trust-anchors.ts';
import { hasShared, readSharedJson, SHARED_SKIP } from '../testing/shared-data.ts';
import { checkSignedData } from './signed-data.ts';

const noRoots: TrustAnchorSource = { trustedRoots: async () => [] as readonly TrustedRoot[] };
// The example's eMAID `EMP99CQATEST001` carries no valid check digit (Hubject QA data, P-018): the
// request EMAID is built by hand, as parseCcpEmaid would refuse it.
const EXAMPLE_EMAID = { normalized: 'EMP99CQATEST001', providerId: 'EMP99', lookupKeys: ['EMP99CQATEST001'] };

function exampleXml(): string {
  const spec = readSharedJson('specs', 'opcp-1.0.0', 'reference', 'cps.v1.json') as {
    components: { schemas: Record<string, { 'x-examples'?: Record<string, { signedData?: string }> }> };
  };
  const b64 = spec.components.schemas.SignedContractDataResponse?.['x-examples']?.['example-1']?.signedData;
  assert.ok(b64);
  return Buffer.from(b64, 'base64').toString('utf8');
}

describe('the signed contract data XML of OPCP cps.v1.json', {
  skip: hasShared('specs') ? false : SHARED_SKIP,
}, () => {
  const input = (xml: string) => ({
    emaid: EXAMPLE_EMAID,
    pcid: 'HUBOEMPROVCQA0615',
    iso: 2 as const,
    xml: Buffer.from(xml).toString('base64'),
    metadata: null,
  });

  test('converted and its signature verified; refused only because its root is not trusted here', async () => {
    await assert.rejects(
      checkSignedData(input(exampleXml()), { trustAnchors: noRoots, now: new Date('2022-06-01T00:00:00Z') }),
      (e) => isAppError(e) && e.code === 'ccp.contract-chain',
    );
  });

  test('a changed signed value fails the signature check', async () => {
    const xml = exampleXml();
    // The eMAID text is one of the four signed elements.
    const tampered = xml.replace('EMP99CQATEST001<', 'EMP99CQATEST002<');
    assert.notEqual(tampered, xml);
    await assert.rejects(
      checkSignedData(input(tampered), { trustAnchors: noRoots, now: new Date('2022-06-01T00:00:00Z') }),
      (e) => isAppError(e) && e.code === 'ccp.contract-signature',
    );
  });
});
