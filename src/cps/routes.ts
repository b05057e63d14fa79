// The Certificate Provisioning Service over HTTP, in both trees (spec-gaps.md items 1, 19, 32;
// docs/cps.md):
//
//   OPCP (cps.v1.json)                                 OPNC (apis/cps/*)
//   PUT /v1/cps/contractData/signed          201       PUT /opnc/v1/cps/contractData/sign            201
//   PUT /v1/cps/forward/signedContractData   201 {}    (deprecated in OPCP: sign + store)
//   PUT /v1/cps/signedContractData           200       (deprecated in OPCP: sign, never store)
//   PUT /v1/cps/generate/signedContractData  201       PUT /opnc/v1/cps/contractData/generateandsign 201
//   GET /cps/signer (no /v1; also /v1/cps/signer) 200  GET /opnc/v1/cps/cpsCertificates               200
//
// OPCP answers with `signedData` = base64 XML of the signed V2G_Message (Hubject's form, no
// SessionID); OPNC with `certificateInstallationRes` = base64 EXI (spec-gaps.md item 32). A request
// whose `xsdMsgDefNamespace` names ISO 15118-20 (any accepted form) gets the -20
// CertificateInstallationRes in the same two forms (XML with its Header, 8-byte SessionID; D-144). Success
// statuses are each spec's own: no known client calls the CPS, so nothing forces a deviation
// (spec-gaps.md item 19; D-068). Generate documents no response body; we return the same body as
// the sign operation of the tree. JSON bodies only (OPCP also lists XML and multipart for generate:
// 415 here). Access (OPCP docs/04_authentication.md): sign and generate for MOs, for their own
// EMAIDs (the first five characters, checked in the service); the signer lists for every role.

import type { onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import { ERROR_BODY_SCHEMA } from '../http/openapi.ts';
import type { RouteModule } from '../http/server.ts';
import { msgDefNamespaceFor } from '../pool-inputs/index.ts';
import type {
  CpsService,
  CpsSignerView,
  GenerateContractDataRequest,
  SignContractDataRequest,
  SignedContractResult,
} from './service.ts';

export const OPCP_SIGN_PATH = '/v1/cps/contractData/signed';
export const OPCP_FORWARD_PATH = '/v1/cps/forward/signedContractData';
export const OPCP_CREATE_PATH = '/v1/cps/signedContractData';
export const OPCP_GENERATE_PATH = '/v1/cps/generate/signedContractData';
/** OPCP serves the signer list without /v1 (spec-gaps.md item 1); the /v1 form is an alias. */
export const OPCP_SIGNER_PATHS = ['/cps/signer', '/v1/cps/signer'] as const;
export const OPNC_SIGN_PATH = '/opnc/v1/cps/contractData/sign';
export const OPNC_GENERATE_PATH = '/opnc/v1/cps/contractData/generateandsign';
export const OPNC_SIGNERS_PATH = '/opnc/v1/cps/cpsCertificates';

/** Three certificates (≤ 8 KiB of text each) and two short keys fit well in 32 KiB. */
export const CPS_SIGN_BODY_LIMIT = 32 * 1024;
export const CPS_GENERATE_BODY_LIMIT = 8 * 1024;

export const CPS_WRITE_ROLES = ['MO'] as const;
export const CPS_READ_ROLES = ['OEM', 'MO', 'CPO', 'CPS', 'ADMIN'] as const;

export interface CpsRoutesDeps {
  readonly cps: Pick<CpsService, 'signContractData' | 'generateAndSign' | 'listSigners'>;
  readonly auth: Pick<Auth, 'requireAuth'>;
}

// --- Schemas -------------------------------------------------------------------------------------------

const str = { type: 'string' } as const;
const errorResponses = { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } as const;

/** OPCP `ContractData` (flat) and `contract-data` (nested chain): both accepted (D-069). */
const opcpContractDataSchema = {
  type: 'object',
  description:
    'OPCP ContractData (contractCertificate, contractSubCa2Certificate, contractSubCa1Certificate) or ' +
    'contract-data (contractSignatureCertChain {contractSignatureCertChainCertificate, ' +
    'contractSignatureCertChainSubCertificates [Sub-CA 2, Sub-CA 1]}, emaid), plus ' +
    'contractSignatureEncryptedPrivateKey and dHpublickey (base64; -2: 48 / 65 bytes; -20: 94 / 133 ' +
    'bytes for SECP521 or 84-85 / 56 bytes for X448).',
  properties: {
    contractCertificate: str,
    contractSubCa2Certificate: str,
    contractSubCa1Certificate: str,
    contractSignatureCertChain: {
      type: 'object',
      properties: {
        contractSignatureCertChainCertificate: str,
        contractSignatureCertChainSubCertificates: { type: 'array', items: str, maxItems: 4 },
      },
    },
    contractSignatureEncryptedPrivateKey: str,
    dHpublickey: str,
    emaid: str,
  },
} as const;

const opcpSignBodySchema = {
  type: 'object',
  properties: {
    contractData: opcpContractDataSchema,
    pcid: str,
    emaid: str,
    xsdMsgDefNamespace: str,
    cpsV2GRootCertificateFingerprint: str,
    metaData: str,
  },
} as const;

const generateBodySchema = {
  type: 'object',
  description: 'Required: contractBegins, contractEnds, emaid, pcid (checked after the tenant, D-069)',
  properties: {
    contractBegins: str,
    contractEnds: str,
    emaid: str,
    pcid: str,
    xsdMsgDefNamespace: str,
    subscriptionUrl: str,
    cpsV2GRootCertificateFingerprint: str,
    moRootCertificateFingerprint: str,
    metaData: str,
  },
} as const;

const opncSignBodySchema = {
  type: 'object',
  properties: {
    contractCertificateBundle: {
      type: 'object',
      properties: {
        pcid: str,
        emaid: str,
        contractCertificateChain: {
          type: 'object',
          description: 'certificateChain.v1 (the key fields are also accepted here, as in OPNC’s example)',
          properties: {
            certificate: str,
            subCa2Certificate: str,
            subCa1Certificate: str,
            contractSignatureEncryptedPrivateKey: str,
            dHpublickey: str,
          },
        },
        contractSignatureEncryptedPrivateKey: str,
        dHpublickey: str,
      },
    },
    xsdMsgDefNamespace: str,
    cpsV2GRootCertificateFingerprint: str,
    metaData: str,
  },
} as const;

/** OPCP SignedContractDataResponse / CreateSignedContractDataResponse. */
const opcpSignedSchema = {
  type: 'object',
  properties: {
    pcid: { type: 'string', nullable: true },
    emaid: str,
    xsdMsgDefNamespace: str,
    signedData: {
      type: 'string',
      description:
        'base64 XML: -2 the signed V2G_Message (no SessionID); -20 the signed CertificateInstallationRes (SessionID placeholder of 8 zero bytes)',
    },
    cpsV2GRootCertificateFingerprint: str,
    cpsRootDistinguishedName: str,
    metaData: str,
  },
} as const;

/** OPNC signContractDataRes. */
const opncSignedSchema = {
  type: 'object',
  properties: {
    signedContractData: {
      type: 'object',
      properties: {
        certificateInstallationRes: {
          type: 'string',
          description:
            'base64 EXI: -2 the signed V2G_Message (SessionID placeholder 00); -20 the signed CertificateInstallationRes (SessionID placeholder of 8 zero bytes)',
        },
        emaid: str,
        pcid: str,
        xsdMsgDefNamespace: str,
        metaData: str,
        cpsV2GRootCertificateFingerprint: str,
        cpsRootDistinguishedName: str,
      },
    },
  },
} as const;

const opcpSignersSchema = {
  type: 'object',
  properties: {
    cpsCertificates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          cpsDistinguishedName: str,
          cpsCertificate: str,
          validFrom: str,
          validTo: str,
          organizationName: str,
          cpsV2GRootCertificateFingerprint: str,
          cpsRootDistinguishedName: str,
          cpsRootCertificateId: str,
          cpsSubCa1Certificate: str,
          cpsSubCa2Certificate: str,
          // The names of the OPCP example (the schema says cpsSubCa1/2Certificate): both are sent.
          cpsCa1Certificate: str,
          cpsCa2Certificate: str,
          xsdMsgDefNamespace: str,
        },
      },
    },
  },
} as const;

const opncSignersSchema = {
  type: 'object',
  properties: {
    cpsCertificateDataCollection: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          cpsDistinguishedName: str,
          cpsCertificateChain: {
            type: 'object',
            properties: { certificate: str, subCa2Certificate: str, subCa1Certificate: str },
          },
          cpsCertificate: str,
          validFrom: str,
          validTo: str,
          organizationName: str,
          cpsV2GRootCertificateFingerprint: str,
          cpsV2GRootDistinguishedName: str,
          cpsRootDistinguishedName: str,
          cpsRootCertificateId: str,
          xsdMsgDefNamespace: str,
        },
      },
    },
  },
} as const;

// --- Request mapping -----------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** OPCP body → service request (both ContractData shapes). */
export function opcpSignRequest(
  body: Json,
  mode: { readonly storeWithPcid: boolean; readonly pcidRequired: boolean },
): SignContractDataRequest {
  const data = obj(body.contractData);
  const nested = obj(data.contractSignatureCertChain);
  const isNested = data.contractSignatureCertChain !== undefined;
  const subs = isNested
    ? nested.contractSignatureCertChainSubCertificates
    : [data.contractSubCa2Certificate, data.contractSubCa1Certificate].filter(present);
  return {
    xsdMsgDefNamespace: body.xsdMsgDefNamespace,
    emaid: body.emaid,
    contractDataEmaid: data.emaid,
    pcid: body.pcid,
    contractCertificate: isNested ? nested.contractSignatureCertChainCertificate : data.contractCertificate,
    subCertificates: subs === undefined || subs === null ? [] : Array.isArray(subs) ? subs : [subs],
    encryptedPrivateKey: data.contractSignatureEncryptedPrivateKey,
    dhPublicKey: data.dHpublickey,
    cpsV2GRootCertificateFingerprint: body.cpsV2GRootCertificateFingerprint,
    metadata: body.metaData,
    storeWithPcid: mode.storeWithPcid,
    pcidRequired: mode.pcidRequired,
  };
}

/** OPNC signContractDataReq → service request. */
export function opncSignRequest(body: Json): SignContractDataRequest {
  const bundle = obj(body.contractCertificateBundle);
  const chain = obj(bundle.contractCertificateChain);
  return {
    xsdMsgDefNamespace: body.xsdMsgDefNamespace,
    emaid: bundle.emaid,
    pcid: bundle.pcid,
    contractCertificate: chain.certificate,
    subCertificates: [chain.subCa2Certificate, chain.subCa1Certificate].filter(present),
    // OPNC's own example puts the two key fields inside contractCertificateChain: accepted there too.
    encryptedPrivateKey:
      bundle.contractSignatureEncryptedPrivateKey ?? chain.contractSignatureEncryptedPrivateKey,
    dhPublicKey: bundle.dHpublickey ?? chain.dHpublickey,
    cpsV2GRootCertificateFingerprint: body.cpsV2GRootCertificateFingerprint,
    metadata: body.metaData,
    storeWithPcid: true,
  };
}

function generateRequest(body: Json): GenerateContractDataRequest {
  return {
    xsdMsgDefNamespace: body.xsdMsgDefNamespace,
    emaid: body.emaid,
    pcid: body.pcid,
    contractBegins: body.contractBegins,
    contractEnds: body.contractEnds,
    cpsV2GRootCertificateFingerprint: body.cpsV2GRootCertificateFingerprint,
    moRootCertificateFingerprint: body.moRootCertificateFingerprint,
    metadata: body.metaData,
  };
}

// --- Response mapping ----------------------------------------------------------------------------------

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function opcpSignedView(result: SignedContractResult): Json {
  return {
    pcid: result.pcid,
    emaid: result.emaid,
    xsdMsgDefNamespace: msgDefNamespaceFor(result.iso, 'opcp'),
    signedData: Buffer.from(result.signed.xml, 'utf8').toString('base64'),
    cpsV2GRootCertificateFingerprint: result.signer.rootFingerprintSha256,
    cpsRootDistinguishedName: result.signer.rootDistinguishedName,
    ...(result.metadata === null ? {} : { metaData: result.metadata }),
  };
}

export function opncSignedView(result: SignedContractResult): Json {
  return {
    signedContractData: {
      certificateInstallationRes: b64(result.signed.exi),
      emaid: result.emaid,
      ...(result.pcid === null ? {} : { pcid: result.pcid }),
      xsdMsgDefNamespace: msgDefNamespaceFor(result.iso, 'opnc'),
      ...(result.metadata === null ? {} : { metaData: result.metadata }),
      cpsV2GRootCertificateFingerprint: result.signer.rootFingerprintSha256,
      cpsRootDistinguishedName: result.signer.rootDistinguishedName,
    },
  };
}

function signerCommon(s: CpsSignerView): Json {
  return {
    cpsDistinguishedName: s.distinguishedName,
    cpsCertificate: b64(s.chain.certificate),
    validFrom: s.notBefore.toISOString(),
    validTo: s.notAfter.toISOString(),
    organizationName: s.organizationName ?? s.distinguishedName,
    cpsV2GRootCertificateFingerprint: s.rootFingerprintSha256,
    cpsRootDistinguishedName: s.rootDistinguishedName,
    ...(s.rootId === null ? {} : { cpsRootCertificateId: s.rootId }),
  };
}

const subCa = (s: CpsSignerView, level: 1 | 2): string | undefined => {
  // subCertificates is [Sub-CA 2, Sub-CA 1] for the usual chain; a chain with one sub-CA has only its Sub-CA 2.
  const subs = s.chain.subCertificates;
  const der = level === 2 ? subs[0] : subs[1];
  return der === undefined ? undefined : b64(der);
};

export function opcpSignerView(s: CpsSignerView): Json {
  const sub1 = subCa(s, 1);
  const sub2 = subCa(s, 2);
  return {
    ...signerCommon(s),
    ...(sub1 === undefined ? {} : { cpsSubCa1Certificate: sub1, cpsCa1Certificate: sub1 }),
    ...(sub2 === undefined ? {} : { cpsSubCa2Certificate: sub2, cpsCa2Certificate: sub2 }),
    xsdMsgDefNamespace: msgDefNamespaceFor(s.iso, 'opcp'),
  };
}

export function opncSignerView(s: CpsSignerView): Json {
  const sub1 = subCa(s, 1);
  const sub2 = subCa(s, 2);
  return {
    ...signerCommon(s),
    cpsCertificateChain: {
      certificate: b64(s.chain.certificate),
      ...(sub2 === undefined ? {} : { subCa2Certificate: sub2 }),
      ...(sub1 === undefined ? {} : { subCa1Certificate: sub1 }),
    },
    cpsV2GRootDistinguishedName: s.rootDistinguishedName,
    xsdMsgDefNamespace: msgDefNamespaceFor(s.iso, 'opnc'),
  };
}

// --- Routes --------------------------------------------------------------------------------------------

export function cpsRoutes(deps: CpsRoutesDeps): RouteModule {
  return {
    name: 'cps',
    register(app) {
      // At onRequest: an anonymous or wrong-role request is refused before its body is read.
      const writer: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: [...CPS_WRITE_ROLES] });
      const reader: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: [...CPS_READ_ROLES] });

      app.put<{ Body: Json }>(
        OPCP_SIGN_PATH,
        {
          bodyLimit: CPS_SIGN_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'Sign contract data of an MO with its own PKI (stored in the CCP when pcid is given)',
            body: opcpSignBodySchema,
            response: { 201: opcpSignedSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const result = await deps.cps.signContractData(
            principalOf(request),
            opcpSignRequest(request.body, { storeWithPcid: true, pcidRequired: false }),
          );
          return reply.code(201).send(opcpSignedView(result));
        },
      );

      app.put<{ Body: Json }>(
        OPCP_FORWARD_PATH,
        {
          bodyLimit: CPS_SIGN_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'Deprecated (OPCP): sign contract data and store it in the CCP',
            body: opcpSignBodySchema,
            response: { 201: { type: 'object', properties: {} }, ...errorResponses },
          },
        },
        async (request, reply) => {
          await deps.cps.signContractData(
            principalOf(request),
            opcpSignRequest(request.body, { storeWithPcid: true, pcidRequired: true }),
          );
          return reply.code(201).send({});
        },
      );

      app.put<{ Body: Json }>(
        OPCP_CREATE_PATH,
        {
          bodyLimit: CPS_SIGN_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'Deprecated (OPCP): sign contract data without storing it',
            body: opcpSignBodySchema,
            response: { 200: opcpSignedSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const result = await deps.cps.signContractData(
            principalOf(request),
            opcpSignRequest(request.body, { storeWithPcid: false, pcidRequired: false }),
          );
          return reply.code(200).send(opcpSignedView(result));
        },
      );

      app.put<{ Body: Json }>(
        OPCP_GENERATE_PATH,
        {
          bodyLimit: CPS_GENERATE_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'Generate and sign contract data for an MO without a PKI; stored in the CCP',
            body: generateBodySchema,
            response: { 201: opcpSignedSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const result = await deps.cps.generateAndSign(principalOf(request), generateRequest(request.body));
          return reply.code(201).send(opcpSignedView(result));
        },
      );

      for (const url of OPCP_SIGNER_PATHS) {
        app.get(
          url,
          {
            onRequest: reader,
            schema: {
              summary: 'The CPS signers (getAllCpsSigners)',
              response: { 200: opcpSignersSchema, ...errorResponses },
            },
          },
          async (_request, reply) => {
            const signers = await deps.cps.listSigners();
            return reply.code(200).send({ cpsCertificates: signers.map(opcpSignerView) });
          },
        );
      }

      app.put<{ Body: Json }>(
        OPNC_SIGN_PATH,
        {
          bodyLimit: CPS_SIGN_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'SignContractData (OPNC): stored in the CCP when the bundle names a pcid',
            body: opncSignBodySchema,
            response: { 201: opncSignedSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const result = await deps.cps.signContractData(principalOf(request), opncSignRequest(request.body));
          return reply.code(201).send(opncSignedView(result));
        },
      );

      app.put<{ Body: Json }>(
        OPNC_GENERATE_PATH,
        {
          bodyLimit: CPS_GENERATE_BODY_LIMIT,
          onRequest: writer,
          schema: {
            summary: 'GenerateAndSignContractData (OPNC): stored in the CCP',
            body: generateBodySchema,
            response: { 201: opncSignedSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const result = await deps.cps.generateAndSign(principalOf(request), generateRequest(request.body));
          return reply.code(201).send(opncSignedView(result));
        },
      );

      app.get(
        OPNC_SIGNERS_PATH,
        {
          onRequest: reader,
          schema: {
            summary: 'GetCpsCertificates (OPNC)',
            response: { 200: opncSignersSchema, ...errorResponses },
          },
        },
        async (_request, reply) => {
          const signers = await deps.cps.listSigners();
          return reply.code(200).send({ cpsCertificateDataCollection: signers.map(opncSignerView) });
        },
      );
    },
  };
}
