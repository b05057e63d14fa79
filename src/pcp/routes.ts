// The Provisioning Certificate Pool over HTTP, both route trees (spec-gaps.md item 1; docs/pcp.md):
//
//   OPCP 1.0.0 (reference/pcp.v1.json)            OPNC 1.0 (apis/pcp, server /opnc/v1/pcp)
//   PUT    /v1/oem/provCerts                       PUT    /opnc/v1/pcp/provisioningcertificates
//   GET    /v1/oem/provCerts/{pcid}                GET    /opnc/v1/pcp/provisioningcertificates/{pcid}
//   DELETE /v1/oem/provCerts/{pcid}                DELETE /opnc/v1/pcp/provisioningcertificates/{pcid}
//   GET    /v1/oem/provCerts/lookupVehicle/{pcid}  GET    /opnc/v1/pcp/lookupvehicle/{pcid}
//
// Roles (OPCP docs/04_authentication.md, OPNC the same table): add and delete OEM (its WMIs only);
// get and lookupVehicle OEM (its WMIs), MO and CPS. Both trees accept every body form
// (./upload.ts, spec-gaps.md item 29) and answer in their own shape: OPCP ProvisioningCertificateData
// (GET wrapped in `OEMMessage`), OPNC ProvisioningCertificateDataV1 (GET wrapped in
// `provisioningCertificate`). Status 200 for add and update alike (spec-gaps.md item 19); lookupVehicle
// and delete answer 200 without a body, 404 with the OPCP error body (item 30). The `broadcast` header
// and the OPNC routing headers are accepted and have no effect: this pool forwards nothing (D-059).
// Thin: the logic is ./service.ts.

import type { FastifyReply, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import { ERROR_BODY_SCHEMA } from '../http/openapi.ts';
import type { RouteModule } from '../http/server.ts';
import { msgDefNamespaceFor } from '../pool-inputs/index.ts';
import type { ProvisioningCertificatePool, ProvisioningView } from './service.ts';

export const OPCP_PCP_PATHS = {
  put: '/v1/oem/provCerts',
  byPcid: '/v1/oem/provCerts/:pcid',
  lookup: '/v1/oem/provCerts/lookupVehicle/:pcid',
  // Our extension (D-038): neither spec has the call that raises mo.prov.cert.factory.reset.
  contracts: '/v1/oem/provCerts/:pcid/contracts',
} as const;

export const OPNC_PCP_PATHS = {
  put: '/opnc/v1/pcp/provisioningcertificates',
  byPcid: '/opnc/v1/pcp/provisioningcertificates/:pcid',
  lookup: '/opnc/v1/pcp/lookupvehicle/:pcid',
  contracts: '/opnc/v1/pcp/provisioningcertificates/:pcid/contracts',
} as const;

/** Three certificates of ≤ 8 KiB text each (src/pool-inputs) plus the other fields. */
export const PCP_BODY_LIMIT = 64 * 1024;

export interface PcpRoutesDeps {
  readonly pcp: Pick<ProvisioningCertificatePool, 'put' | 'get' | 'lookup' | 'remove' | 'factoryReset'>;
  readonly auth: Pick<Auth, 'requireAuth'>;
}

const STRING = { type: 'string' } as const;
const BASE64_CERT = {
  type: 'string',
  description: 'Certificate in base64 encoded DER form (PEM and base64 of PEM accepted)',
} as const;

const CHAIN_SCHEMA = {
  type: 'object',
  description:
    'OPNC CertificateChainV1 (subCA1Certificate / subCA2Certificate, as OPNC’s own example, accepted)',
  properties: {
    certificate: BASE64_CERT,
    subCa1Certificate: BASE64_CERT,
    subCa2Certificate: BASE64_CERT,
    subCA1Certificate: BASE64_CERT,
    subCA2Certificate: BASE64_CERT,
  },
} as const;

/** The request body of both trees: every field name of OPCP, OPNC and the real clients. */
const PUT_BODY_SCHEMA = {
  type: 'object',
  description:
    'OPCP ProvisioningCertificate {vehicleCertificate, subCA1Certificate, subCA2Certificate, ...} or OPNC ' +
    'ProvisioningCertificateDataV1 {provisioningCertificateChain {certificate, subCa1Certificate, subCa2Certificate}, ...}; ' +
    'the provisioning certificate and Sub-CA 1 are required in one of the forms. Unknown fields are ignored.',
  properties: {
    vehicleCertificate: BASE64_CERT,
    provisioningCertificate: BASE64_CERT,
    subCA1Certificate: BASE64_CERT,
    subCA2Certificate: BASE64_CERT,
    subCa1Certificate: BASE64_CERT,
    subCa2Certificate: BASE64_CERT,
    provisioningCertificateChain: CHAIN_SCHEMA,
    xsdMsgDefNamespace: {
      type: 'string',
      description:
        'ISO 15118 edition; default urn:iso:15118:2:2013:MsgDef (the key type decides for -20 chains)',
    },
    v2gRootAuthorityKeyIdentifiers: { type: 'array', items: STRING },
    v2gRootAuthorityKeyIdentifier: STRING,
    previousPcid: { type: 'string', description: 'Previous PCID of the vehicle (17-18 letters and digits)' },
    rootIssuerDistinguishedName: { type: 'string', description: 'Deprecated; ignored (checked for syntax)' },
    rootIssuerSerialNumber: { type: 'string', description: 'Deprecated; ignored (checked for syntax)' },
    rootAuthorityKeyIdentifier: { type: 'string', description: 'Deprecated; ignored (checked for syntax)' },
  },
} as const;

const PCID_PARAMS = {
  type: 'object',
  required: ['pcid'],
  properties: { pcid: { type: 'string', pattern: '^[a-zA-Z0-9]{17,18}$' } },
} as const;

const OPCP_HEADERS = {
  type: 'object',
  properties: {
    broadcast: {
      type: 'string',
      description:
        'OPCP: "if set to true - this call is not getting forwarded to other Ecosystems"; accepted, no effect',
    },
  },
} as const;

const OPNC_HEADERS = {
  type: 'object',
  properties: {
    broadcast: OPCP_HEADERS.properties.broadcast,
    'opnc-from-party-type': STRING,
    'opnc-from-party-id': STRING,
    'opnc-to-party-type': STRING,
    'opnc-to-party-id': STRING,
  },
} as const;

const OPCP_DATA_SCHEMA = {
  type: 'object',
  description: 'OPCP ProvisioningCertificateData',
  required: [
    'subCA1Certificate',
    'vehicleCertificate',
    'rootIssuerDistinguishedName',
    'rootIssuerSerialNumber',
  ],
  properties: {
    subCA1Certificate: STRING,
    subCA2Certificate: STRING,
    vehicleCertificate: STRING,
    xsdMsgDefNamespace: STRING,
    rootIssuerDistinguishedName: STRING,
    rootIssuerSerialNumber: STRING,
    rootAuthorityKeyIdentifier: STRING,
    v2gRootAuthorityKeyIdentifiers: { type: 'array', items: STRING },
    fingerprint: { type: 'string', description: 'SHA-256 of the provisioning certificate, lower-case hex' },
    previousPcid: STRING,
  },
} as const;

const OPNC_DATA_SCHEMA = {
  type: 'object',
  description: 'OPNC ProvisioningCertificateDataV1',
  required: ['provisioningCertificateChain'],
  properties: {
    provisioningCertificateChain: {
      type: 'object',
      required: ['certificate', 'subCa1Certificate'],
      properties: { certificate: STRING, subCa1Certificate: STRING, subCa2Certificate: STRING },
    },
    xsdMsgDefNamespace: STRING,
    rootIssuerSerialNumber: STRING,
    rootAuthorityKeyIdentifier: STRING,
    v2gRootAuthorityKeyIdentifiers: { type: 'array', items: STRING },
    fingerprint: { type: 'string', description: 'SHA-256 of the provisioning certificate, lower-case hex' },
    previousPcid: STRING,
  },
} as const;

const EMPTY_OK = { description: 'OK (no body)', type: 'null' } as const;

const ERRORS = {
  400: ERROR_BODY_SCHEMA,
  401: ERROR_BODY_SCHEMA,
  403: ERROR_BODY_SCHEMA,
  404: ERROR_BODY_SCHEMA,
  409: ERROR_BODY_SCHEMA,
  422: ERROR_BODY_SCHEMA,
  503: ERROR_BODY_SCHEMA,
} as const;

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** OPCP ProvisioningCertificateData of a stored vehicle. */
export function opcpData(view: ProvisioningView): Record<string, unknown> {
  return {
    subCA1Certificate: b64(view.subCa1Certificate),
    ...(view.subCa2Certificate === null ? {} : { subCA2Certificate: b64(view.subCa2Certificate) }),
    vehicleCertificate: b64(view.vehicleCertificate),
    xsdMsgDefNamespace: msgDefNamespaceFor(view.iso, 'opcp'),
    rootIssuerDistinguishedName: view.root.distinguishedName,
    rootIssuerSerialNumber: view.root.serialHex,
    ...(view.root.keyIdentifier === null ? {} : { rootAuthorityKeyIdentifier: view.root.keyIdentifier }),
    ...(view.v2gRootAuthorityKeyIdentifiers.length === 0
      ? {}
      : { v2gRootAuthorityKeyIdentifiers: [...view.v2gRootAuthorityKeyIdentifiers] }),
    fingerprint: view.vehicleFingerprintSha256,
    ...(view.previousPcid === null ? {} : { previousPcid: view.previousPcid }),
  };
}

/** OPNC ProvisioningCertificateDataV1 of a stored vehicle. */
export function opncData(view: ProvisioningView): Record<string, unknown> {
  return {
    provisioningCertificateChain: {
      certificate: b64(view.vehicleCertificate),
      subCa1Certificate: b64(view.subCa1Certificate),
      ...(view.subCa2Certificate === null ? {} : { subCa2Certificate: b64(view.subCa2Certificate) }),
    },
    xsdMsgDefNamespace: msgDefNamespaceFor(view.iso, 'opnc'),
    rootIssuerSerialNumber: view.root.serialHex,
    ...(view.root.keyIdentifier === null ? {} : { rootAuthorityKeyIdentifier: view.root.keyIdentifier }),
    ...(view.v2gRootAuthorityKeyIdentifiers.length === 0
      ? {}
      : { v2gRootAuthorityKeyIdentifiers: [...view.v2gRootAuthorityKeyIdentifiers] }),
    fingerprint: view.vehicleFingerprintSha256,
    ...(view.previousPcid === null ? {} : { previousPcid: view.previousPcid }),
  };
}

function sendEmpty(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}

interface TreeSpec {
  readonly tree: 'opcp' | 'opnc';
  readonly paths: {
    readonly put: string;
    readonly byPcid: string;
    readonly lookup: string;
    readonly contracts: string;
  };
  readonly headers: typeof OPCP_HEADERS | typeof OPNC_HEADERS;
  readonly data: (view: ProvisioningView) => Record<string, unknown>;
  readonly dataSchema: typeof OPCP_DATA_SCHEMA | typeof OPNC_DATA_SCHEMA;
  /** The GET body: OPCP `{OEMMessage}`, OPNC `{provisioningCertificate}`. */
  readonly wrapper: 'OEMMessage' | 'provisioningCertificate';
  readonly operationIds: {
    readonly put: string;
    readonly get: string;
    readonly del: string;
    readonly lookup: string;
  };
}

const TREES: readonly TreeSpec[] = [
  {
    tree: 'opcp',
    paths: OPCP_PCP_PATHS,
    headers: OPCP_HEADERS,
    data: opcpData,
    dataSchema: OPCP_DATA_SCHEMA,
    wrapper: 'OEMMessage',
    operationIds: {
      put: 'addOEMProvCert',
      get: 'getOEMProvCert',
      del: 'deleteOEMProvCert',
      lookup: 'lookupVehicle',
    },
  },
  {
    tree: 'opnc',
    paths: OPNC_PCP_PATHS,
    headers: OPNC_HEADERS,
    data: opncData,
    dataSchema: OPNC_DATA_SCHEMA,
    wrapper: 'provisioningCertificate',
    operationIds: {
      put: 'addProvisioningCertificateV1',
      get: 'getProvisioningCertificateV1',
      del: 'deleteProvisioningCertificateV1',
      lookup: 'lookupVehicleV1',
    },
  },
];

export function pcpRoutes(deps: PcpRoutesDeps): RouteModule {
  return {
    name: 'pcp',
    register(app) {
      // At onRequest: an anonymous or wrong-role request is refused before its body is read.
      const writers: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: ['OEM'] });
      const readers: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: ['OEM', 'MO', 'CPS'] });
      for (const spec of TREES) {
        app.put(
          spec.paths.put,
          {
            bodyLimit: PCP_BODY_LIMIT,
            onRequest: writers,
            schema: {
              operationId: spec.operationIds.put,
              summary: 'Add or update the provisioning certificate chain of a vehicle',
              headers: spec.headers,
              body: PUT_BODY_SCHEMA,
              response: { 200: spec.dataSchema, ...ERRORS },
            },
          },
          async (request, reply) => {
            const result = await deps.pcp.put(principalOf(request), request.body);
            return reply.code(200).send(spec.data(result.view));
          },
        );
        app.get<{ Params: { pcid: string } }>(
          spec.paths.lookup,
          {
            onRequest: readers,
            schema: {
              operationId: spec.operationIds.lookup,
              summary: 'Is a provisioning certificate stored for the PCID? 200 without body, or 404',
              headers: spec.headers,
              params: PCID_PARAMS,
              response: { 200: EMPTY_OK, ...ERRORS },
            },
          },
          async (request, reply) => {
            await deps.pcp.lookup(principalOf(request), request.params.pcid);
            return sendEmpty(reply);
          },
        );
        app.get<{ Params: { pcid: string } }>(
          spec.paths.byPcid,
          {
            onRequest: readers,
            schema: {
              operationId: spec.operationIds.get,
              summary: 'The provisioning certificate chain of a vehicle (revocation and trust checked again)',
              headers: spec.headers,
              params: PCID_PARAMS,
              response: {
                200: {
                  type: 'object',
                  required: [spec.wrapper],
                  properties: { [spec.wrapper]: spec.dataSchema },
                },
                ...ERRORS,
              },
            },
          },
          async (request, reply) => {
            const view = await deps.pcp.get(principalOf(request), request.params.pcid);
            return reply.code(200).send({ [spec.wrapper]: spec.data(view) });
          },
        );
        app.delete<{ Params: { pcid: string } }>(
          spec.paths.byPcid,
          {
            onRequest: writers,
            schema: {
              operationId: spec.operationIds.del,
              summary: 'Delete the provisioning certificate of a vehicle and the vehicle’s contracts',
              headers: spec.headers,
              params: PCID_PARAMS,
              response: { 200: EMPTY_OK, ...ERRORS },
            },
          },
          async (request, reply) => {
            await deps.pcp.remove(principalOf(request), request.params.pcid);
            return sendEmpty(reply);
          },
        );
        app.delete<{ Params: { pcid: string } }>(
          spec.paths.contracts,
          {
            onRequest: writers,
            schema: {
              operationId: `${spec.operationIds.del}FactoryReset`,
              summary:
                'Factory reset: delete every contract of the vehicle and keep its provisioning certificate ' +
                '(raises mo.prov.cert.factory.reset; an extension of this server, D-038)',
              headers: spec.headers,
              params: PCID_PARAMS,
              response: {
                200: {
                  type: 'object',
                  required: ['contractsDeleted'],
                  properties: { contractsDeleted: { type: 'integer', minimum: 0 } },
                },
                ...ERRORS,
              },
            },
          },
          async (request, reply) => {
            const result = await deps.pcp.factoryReset(principalOf(request), request.params.pcid);
            return reply.code(200).send(result);
          },
        );
      }
    },
  };
}
