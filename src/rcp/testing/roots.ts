// Test support for the Root Certificate Pool: root certificates conforming to (or breaking) the
// ISO 15118 root profiles, built with the lint test builder, and the real Hubject roots of the spec
// examples, read from ../shared at test time (never copied).

import type { CertSpec } from '../../pki/lint/testing/cert-builder.ts';
import {
  basicConstraintsExt,
  buildCertificate,
  conformingSpec,
  generateTestKey,
  type TestKeyAlgorithm,
  withExtension,
} from '../../pki/lint/testing/cert-builder.ts';
import { getProfile } from '../../pki/profiles/index.ts';
import { OID_BASIC_CONSTRAINTS } from '../../pki/profiles/oids.ts';
import { hasShared, readSharedJson } from '../../testing/shared-data.ts';
import type { RootType } from '../trust-anchors.ts';

export type RootMutation = (spec: CertSpec) => CertSpec;

/** A self-signed root conforming to the profile of its type and key (-2: P-256; -20: P-521 / Ed448). */
export async function makeRoot(
  type: RootType,
  alg: TestKeyAlgorithm = 'P-256',
  options: { readonly commonName?: string; readonly mutate?: RootMutation } = {},
): Promise<Uint8Array> {
  const iso = alg === 'P-256' || alg === 'P-384' ? '2' : '20';
  const profile = getProfile(iso, `${type.toLowerCase()}-root` as 'v2g-root');
  if (profile === undefined) throw new Error(`no ${type} root profile for ISO 15118-${iso}`);
  const key = await generateTestKey(alg);
  const { spec } = conformingSpec(profile, key, key, {
    ...(options.commonName === undefined ? {} : { commonName: options.commonName }),
  });
  return buildCertificate(options.mutate === undefined ? spec : options.mutate(spec));
}

/** Mutation: basicConstraints cA FALSE. */
export const notCa: RootMutation = (spec) =>
  withExtension(spec, OID_BASIC_CONSTRAINTS, basicConstraintsExt(false, null));

/** Mutation: validity moved to [from, to]. */
export function validity(notBefore: Date, notAfter: Date): RootMutation {
  return (spec) => ({ ...spec, notBefore, notAfter });
}

/** A certificate issued by another key: same subject and issuer name, foreign signature. */
export async function makeForeignSigned(type: RootType): Promise<Uint8Array> {
  const other = await generateTestKey('P-256');
  return makeRoot(type, 'P-256', { mutate: (spec) => ({ ...spec, signerKey: other }) });
}

export const SHARED_RCP = ['specs', 'opcp-1.0.0', 'reference', 'rcp.v1.json'] as const;
export const SHARED_OPNC_ROOT = [
  'specs',
  'opnc-1.0',
  'specification',
  'components',
  'schemas',
  'rootCertificate.v1.json',
] as const;

export function hasSpecExamples(): boolean {
  return hasShared(...SHARED_RCP) && hasShared(...SHARED_OPNC_ROOT);
}

type Json = Record<string, unknown>;

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = (v as Json | undefined)?.[key];
  return v;
}

export interface SpecExamples {
  /** OPCP getRootCert example: V2G Root CA G2 (Hubject) with all RootCertV2 fields. */
  readonly opcpRootResponse: Json;
  /** OPCP saveRootCa request example (V2G Root CA G2). */
  readonly opcpPutV2g: { readonly caCertificate: string; readonly rootType: string };
  /** OPCP saveRootCa schema x-example: a real OEM root (PnC-OEM-RootCA-2021, BMW Group). */
  readonly opcpPutOem: { readonly caCertificate: string; readonly rootType: string };
  /** OPNC rootCertificate example values: V2G Root CA QA G1 (Hubject). */
  readonly opncRoot: {
    readonly caCertificate: string;
    readonly rootAuthorityKeyIdentifier: string;
    readonly rootIssuerSerialNumber: string;
    readonly fingerprint: string;
    readonly commonName: string;
  };
}

/** The real roots of the spec examples (read from ../shared). */
export function specExamples(): SpecExamples {
  const rcp = readSharedJson(...SHARED_RCP);
  const byId = at(
    rcp,
    'paths',
    '/v1/root/rootCerts/{rootCertificateId}',
    'get',
    'responses',
    '200',
    'content',
  );
  const put = at(rcp, 'paths', '/v1/root/rootCerts', 'put', 'requestBody', 'content', 'application/json');
  const opnc = at(readSharedJson(...SHARED_OPNC_ROOT), 'properties') as Json;
  const example = (name: string) => at(opnc, name, 'example') as string;
  return {
    opcpRootResponse: at(byId, 'application/json', 'examples', 'example', 'value', 'RootResponse') as Json,
    opcpPutV2g: at(put, 'examples', 'example-1', 'value') as SpecExamples['opcpPutV2g'],
    opcpPutOem: at(put, 'schema', 'x-examples', 'example-1') as SpecExamples['opcpPutOem'],
    opncRoot: {
      caCertificate: example('caCertificate'),
      rootAuthorityKeyIdentifier: example('rootAuthorityKeyIdentifier'),
      rootIssuerSerialNumber: example('rootIssuerSerialNumber'),
      fingerprint: example('fingerprint'),
      commonName: example('commonName'),
    },
  };
}
