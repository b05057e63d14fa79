// Certificate profiles for ISO 15118-2 and -20, and the identifier rules of their CNs.

import { ISO15118_2_PROFILES } from './iso15118-2.ts';
import { ISO15118_20_PROFILES } from './iso15118-20.ts';
import type { CertificateProfile, CertificateRole, IsoVersion } from './types.ts';

export * from './identifiers.ts';
export * from './iso15118-2.ts';
export * from './iso15118-20.ts';
export { computeSubjectKeyIdentifier, knownSkiDerivations, type SkiDerivation } from './key-identifier.ts';
export type * from './types.ts';

export const PROFILES: readonly CertificateProfile[] = [...ISO15118_2_PROFILES, ...ISO15118_20_PROFILES];

/** The profile for an ISO version and certificate type, or undefined (e.g. -2 has no PE root). */
export function getProfile(iso: IsoVersion, role: CertificateRole): CertificateProfile | undefined {
  return PROFILES.find((p) => p.iso === iso && p.role === role);
}

/** Profile by id, e.g. 'iso15118-20/secc-leaf'. */
export function getProfileById(id: string): CertificateProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
