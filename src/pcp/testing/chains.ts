// Test support for the PCP: real provisioning certificates from the demo OEM Sub-CA 2 of a test
// ecosystem (src/ca, the same CA the server runs), request bodies of both trees, and the Hubject
// provisioning examples of the specifications read from ../shared.

import type { CertificateAuthorityService } from '../../ca/index.ts';
import type { ValidityRequest } from '../../ca/types.ts';
import {
  buildTestCertificate,
  generateTestSigner,
  type TestCa,
  type TestSigner,
} from '../../pki/ocsp/testing/test-pki.ts';
import { readSharedJson } from '../../testing/shared-data.ts';
import type { HttpExchange, HttpResult, RevocationHttpClient } from '../revocation/http-client.ts';

export interface IssuedChain {
  readonly vehicle: Uint8Array;
  readonly subCa2: Uint8Array;
  readonly subCa1: Uint8Array;
  readonly root: Uint8Array;
  /** The CA's certificate id of the leaf (for revoke). */
  readonly certificateId: string;
  readonly serial: string;
  readonly issuerCaId: string;
}

const SUFFIX = { 2: 'ISO15118-2', 20: 'ISO15118-20' } as const;

async function oemSub2(ca: CertificateAuthorityService, iso: 2 | 20): Promise<string> {
  const found = await ca.findCaByName(`OEM Sub-CA 2 ${SUFFIX[iso]}`);
  if (found === undefined) throw new Error(`no demo OEM Sub-CA 2 for ISO 15118-${iso}`);
  return found.id;
}

async function chainOf(
  ca: CertificateAuthorityService,
  issued: { id: string; serial: string; issuerCaId: string },
): Promise<IssuedChain> {
  const chain = await ca.chain(issued.id);
  const [vehicle, subCa2, subCa1, root] = chain;
  if (vehicle === undefined || subCa2 === undefined || subCa1 === undefined || root === undefined) {
    throw new Error(`unexpected chain length ${chain.length}`);
  }
  return {
    vehicle,
    subCa2,
    subCa1,
    root,
    certificateId: issued.id,
    serial: issued.serial,
    issuerCaId: issued.issuerCaId,
  };
}

/** A provisioning certificate with a new key (kept in the server's key store) and its chain. */
export async function issueProvisioning(
  ca: CertificateAuthorityService,
  iso: 2 | 20,
  pcid: string,
  validity?: ValidityRequest,
): Promise<IssuedChain> {
  const issued = await ca.issueWithGeneratedKey({
    caId: await oemSub2(ca, iso),
    role: 'oem-prov-leaf',
    subject: { commonName: pcid, organization: 'PnC Test', country: 'DE' },
    ...(validity === undefined ? {} : { validity }),
    actor: 'test',
  });
  return chainOf(ca, issued);
}

/** A provisioning certificate from any OEM Sub-CA 2 of the CA (e.g. of a hierarchy the RCP does not trust). */
export async function issueFrom(
  ca: CertificateAuthorityService,
  caId: string,
  pcid: string,
  validity?: ValidityRequest,
): Promise<IssuedChain> {
  const issued = await ca.issueWithGeneratedKey({
    caId,
    role: 'oem-prov-leaf',
    subject: { commonName: pcid, organization: 'PnC Test', country: 'DE' },
    ...(validity === undefined ? {} : { validity }),
    actor: 'test',
  });
  return chainOf(ca, issued);
}

/** A new provisioning certificate for an existing key (same SubjectPublicKeyInfo). */
export async function reissueProvisioning(
  ca: CertificateAuthorityService,
  iso: 2 | 20,
  pcid: string,
  spki: Uint8Array,
): Promise<IssuedChain> {
  const token = await ca.prepare({
    issuerCaId: await oemSub2(ca, iso),
    role: 'oem-prov-leaf',
    subject: { commonName: pcid, organization: 'PnC Test', country: 'DE' },
    subjectPublicKeyInfo: spki,
  });
  return chainOf(ca, await ca.issue(token));
}

function b64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

/** OPCP ProvisioningCertificate body. */
export function opcpBody(chain: IssuedChain, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vehicleCertificate: b64(chain.vehicle),
    subCA2Certificate: b64(chain.subCa2),
    subCA1Certificate: b64(chain.subCa1),
    ...extra,
  };
}

/** OPNC ProvisioningCertificateDataV1 body. */
export function opncBody(chain: IssuedChain, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provisioningCertificateChain: {
      certificate: b64(chain.vehicle),
      subCa2Certificate: b64(chain.subCa2),
      subCa1Certificate: b64(chain.subCa1),
    },
    ...extra,
  };
}

/** A PCID of the WMI that no other test uses: WMI + 14 characters from `seed`. */
export function testPcid(wmi: string, seed: number): string {
  return `${wmi}${String(seed).padStart(14, '0')}`;
}

// --- Hubject examples in the specifications (read from ../shared at test time) ----------------------

export interface SpecExample {
  readonly name: string;
  readonly body: Record<string, unknown>;
  /** A time inside the validity of every certificate of the example. */
  readonly at: Date;
  /** The example's V2G root, when the specifications carry it (OPNC rootCertificate.v1.json). */
  readonly root: Uint8Array | undefined;
  readonly pcid: string;
}

type Json = Record<string, unknown>;

function get(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = (v as Json | undefined)?.[key];
  return v;
}

/** "V2G Root CA QA G1" from OPNC's rootCertificate example (the root of Hubject's QA OEM chains). */
export function hubjectQaRoot(): Uint8Array {
  const schema = readSharedJson(
    'specs',
    'opnc-1.0',
    'specification',
    'components',
    'schemas',
    'rootCertificate.v1.json',
  );
  const text = JSON.stringify(schema);
  const match = /"(MII[A-Za-z0-9+/=]{200,})"/.exec(text);
  if (match === null) throw new Error('no certificate in rootCertificate.v1.json');
  return new Uint8Array(Buffer.from(match[1] as string, 'base64'));
}

/** The provisioning chains of OPCP pcp.v1.json and OPNC provisioningCertificateChainData.v1.json. */
export function specExamples(): SpecExample[] {
  const opcp = readSharedJson('specs', 'opcp-1.0.0', 'reference', 'pcp.v1.json');
  const opnc = readSharedJson(
    'specs',
    'opnc-1.0',
    'specification',
    'components',
    'schemas',
    'provisioningCertificateChainData.v1.json',
  );
  const qaRoot = hubjectQaRoot();
  return [
    {
      // Request example "example complete": OEM Sub1 CA QA G1.1 under V2G Root CA QA G1, leaf 2021-06-15..2025-06-15.
      name: 'OPCP addOEMProvCert request example',
      body: get(
        opcp,
        'paths',
        '/v1/oem/provCerts',
        'put',
        'requestBody',
        'content',
        'application/json',
        'examples',
        'example complete',
        'value',
      ) as Json,
      at: new Date('2023-06-01T00:00:00Z'),
      root: qaRoot,
      pcid: 'huboemprovcqa0615',
    },
    {
      // OPNC x-example (note its subCA1Certificate / subCA2Certificate spelling), leaf 2024-07-04..2028-07-04.
      name: 'OPNC ProvisioningCertificateDataV1 example',
      body: get(opnc, 'x-examples', 'example') as Json,
      at: new Date('2025-06-01T00:00:00Z'),
      root: qaRoot,
      pcid: 'DEHUBCOPNCPROVCER',
    },
    {
      // getOEMProvCert response example: Electrify America TEST chain; its root "US V2G Root CA TEST G2"
      // is in neither specification.
      name: 'OPCP getOEMProvCert response example',
      body: get(
        opcp,
        'paths',
        '/v1/oem/provCerts/{pcid}',
        'get',
        'responses',
        '200',
        'content',
        'application/json',
        'examples',
        'example',
        'value',
        'OEMMessage',
      ) as Json,
      at: new Date('2022-06-01T00:00:00Z'),
      root: undefined,
      pcid: 'hubUsEaTest000003',
    },
  ];
}

// --- Synthetic chains (any validity, any root): src/pki/ocsp/testing/test-pki.ts -------------------

export interface SyntheticChain {
  readonly root: TestCa;
  readonly subCa1: TestCa;
  readonly subCa2: TestCa;
  readonly vehicle: Uint8Array;
  readonly vehicleKey: TestSigner;
}

export interface SyntheticOptions {
  readonly pcid?: string;
  readonly algorithm?: 'P-256' | 'P-521';
  /** Validity per certificate (default: 2020-01-01 .. 2040-01-01 for the CAs, 2021..2039 for the leaf). */
  readonly validity?: Partial<
    Record<'root' | 'subCa1' | 'subCa2' | 'vehicle', { readonly notBefore: Date; readonly notAfter: Date }>
  >;
  readonly ocspUrl?: string;
  /** Subject CN of the leaf as is (for CN tests); default the PCID. */
  readonly leafCommonName?: string;
  /** Make the leaf a CA (a blocking profile finding). */
  readonly leafIsCa?: boolean;
}

const CA_VALIDITY = {
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2040-01-01T00:00:00Z'),
};
const LEAF_VALIDITY = {
  notBefore: new Date('2021-01-01T00:00:00Z'),
  notAfter: new Date('2039-01-01T00:00:00Z'),
};

/** An OEM chain (root → Sub-CA 1 → Sub-CA 2 → provisioning certificate) outside any CA of the server. */
export async function syntheticChain(options: SyntheticOptions = {}): Promise<SyntheticChain> {
  const algorithm = options.algorithm ?? 'P-256';
  const v = options.validity ?? {};
  const rootKey = generateTestSigner(algorithm);
  const root: TestCa = {
    signer: rootKey,
    certificate: await buildTestCertificate({
      subject: [
        ['C', 'DE'],
        ['O', 'Synthetic OEM'],
        ['DC', 'V2G'],
        ['CN', `Synthetic OEM Root ${algorithm}`],
      ],
      subjectKey: rootKey,
      serial: 1n,
      ...(v.root ?? CA_VALIDITY),
      ca: {},
      keyUsage: ['keyCertSign', 'cRLSign'],
    }),
  };
  const sub1Key = generateTestSigner(algorithm);
  const subCa1: TestCa = {
    signer: sub1Key,
    certificate: await buildTestCertificate({
      subject: [
        ['C', 'DE'],
        ['O', 'Synthetic OEM'],
        ['DC', 'OEM'],
        ['CN', 'Synthetic OEM Sub-CA 1'],
      ],
      subjectKey: sub1Key,
      issuer: root,
      serial: 2n,
      ...(v.subCa1 ?? CA_VALIDITY),
      ca: { pathLen: 1 },
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...(options.ocspUrl === undefined ? {} : { ocspUrl: options.ocspUrl }),
    }),
  };
  const sub2Key = generateTestSigner(algorithm);
  const subCa2: TestCa = {
    signer: sub2Key,
    certificate: await buildTestCertificate({
      subject: [
        ['C', 'DE'],
        ['O', 'Synthetic OEM'],
        ['DC', 'OEM'],
        ['CN', 'Synthetic OEM Sub-CA 2'],
      ],
      subjectKey: sub2Key,
      issuer: subCa1,
      serial: 3n,
      ...(v.subCa2 ?? CA_VALIDITY),
      ca: { pathLen: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...(options.ocspUrl === undefined ? {} : { ocspUrl: options.ocspUrl }),
    }),
  };
  const vehicleKey = generateTestSigner(algorithm);
  const vehicle = await buildTestCertificate({
    subject: [
      ['O', 'Synthetic OEM'],
      ['DC', 'OEM'],
      ['CN', options.leafCommonName ?? options.pcid ?? 'SYN00000000000001'],
    ],
    subjectKey: vehicleKey,
    issuer: subCa2,
    serial: 4n,
    ...(v.vehicle ?? LEAF_VALIDITY),
    ...(options.leafIsCa === true ? { ca: {} } : {}),
    keyUsage: ['digitalSignature', 'keyAgreement'],
    ...(options.ocspUrl === undefined ? {} : { ocspUrl: options.ocspUrl }),
  });
  return { root, subCa1, subCa2, vehicle, vehicleKey };
}

/** OPCP body of a synthetic chain. */
export function syntheticBody(
  chain: SyntheticChain,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    vehicleCertificate: b64(chain.vehicle),
    subCA2Certificate: b64(chain.subCa2.certificate),
    subCA1Certificate: b64(chain.subCa1.certificate),
    ...extra,
  };
}

/**
 * A stand-in for a remote OCSP responder / CRL server that cannot be reached (Hubject's QA responder,
 * a foreign OEM's): the tests never depend on the internet. Records the URLs asked.
 */
export class UnreachableRemote implements RevocationHttpClient {
  readonly asked: string[] = [];
  async exchange(request: HttpExchange): Promise<HttpResult> {
    this.asked.push(request.url);
    return { ok: false, reason: 'connection refused (test stand-in for a remote responder)' };
  }
}
