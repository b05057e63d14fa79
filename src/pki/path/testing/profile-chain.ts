// Test support: ISO 15118 chains whose every certificate conforms to its profile, built with the
// lint module's @peculiar/x509 builder (conformingSpec: DC, key usage, SKI/AKI, AIA as the
// profiles demand), root first. `edit` changes one certificate's spec before it is signed.

import {
  buildCertificate,
  type CertSpec,
  conformingSpec,
  generateTestKey,
  type NameSpec,
  subjectFor,
  TEST_NOW,
  type TestKey,
  type TestKeyAlgorithm,
} from '../../lint/testing/cert-builder.ts';
import { getProfile } from '../../profiles/index.ts';
import type { CertificateRole, IsoVersion } from '../../profiles/types.ts';

export { TEST_NOW };
/** A check time inside every conforming certificate's validity. */
export const PROFILE_AT = new Date(TEST_NOW.getTime() + 86_400_000);

export async function profileChain(
  iso: IsoVersion,
  roles: readonly CertificateRole[],
  alg: TestKeyAlgorithm,
  edit: (role: CertificateRole, index: number, spec: CertSpec) => CertSpec = (_r, _i, s) => s,
): Promise<Uint8Array[]> {
  const ders: Uint8Array[] = [];
  let parentKey: TestKey | null = null;
  let parentName: NameSpec | null = null;
  for (const [index, role] of roles.entries()) {
    const profile = getProfile(iso, role);
    if (profile === undefined) throw new Error(`no profile ${iso}/${role}`);
    const k = await generateTestKey(alg);
    // A root profile signs itself; anything else placed first (a test of odd shapes) is
    // self-signed under its own name.
    const { spec } = conformingSpec(
      profile,
      k,
      parentKey ?? k,
      parentName === null ? {} : { issuerName: parentName },
    );
    const fixed = parentName === null ? { ...spec, issuer: spec.subject } : spec;
    ders.push(await buildCertificate(edit(role, index, fixed)));
    parentKey = k;
    parentName = subjectFor(profile);
  }
  return ders;
}
