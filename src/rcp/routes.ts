// The Root Certificate Pool over HTTP, in both trees (spec-gaps.md items 1, 5, 6; docs/rcp.md):
//
//   OPCP (rcp.v1.json)                             OPNC (apis/rcp/*)
//   GET    /v1/root/rootCerts[?rootType=]          GET    /opnc/v1/rcp/rootcertificates[?pkiType=]
//   PUT    /v1/root/rootCerts                      PUT    /opnc/v1/rcp/rootcertificates
//   GET    /v1/root/rootCerts/{id}                 GET    /opnc/v1/rcp/rootcertificates/{id}
//   DELETE /v1/root/rootCerts/{id}                 DELETE /opnc/v1/rcp/rootcertificates/{id}
//   GET    /v1/root/ctl                            GET    /opnc/v1/rcp/ctl (extension: OPNC has none)
//
// Access (OPCP docs/04_authentication.md): getRootCert / getAllRootCerts / CTL for every role,
// saveRootCa / deleteRootCa for ADMIN only. Status 200 on every success, PUT included (the specs
// document 200 only; clients treat anything else as an error, spec-gaps.md item 19). Both filters
// (rootType, pkiType) are accepted on both trees in any case; `iso` / `xsdMsgDefNamespace` filter
// by edition. `?lenient=true` on PUT accepts profile-lint errors (D-041).

import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import { appError } from '../errors/catalogue.ts';
import type { RouteModule } from '../http/server.ts';
import {
  decodeCertificateField,
  isoEditionOfNamespace,
  MAX_CERTIFICATE_FIELD_CHARS,
} from '../pool-inputs/index.ts';
import type { CtlDocument } from './ctl.ts';
import type { RootRecord } from './repository.ts';
import { parseRootType, type RcpService, type RootListFilter } from './service.ts';
import type { RootType } from './trust-anchors.ts';
import { findingsView, opcpRootCert, opncRootCertificate } from './views.ts';

export const OPCP_ROOTS_PATH = '/v1/root/rootCerts';
export const OPCP_CTL_PATH = '/v1/root/ctl';
export const OPNC_ROOTS_PATH = '/opnc/v1/rcp/rootcertificates';
export const OPNC_CTL_PATH = '/opnc/v1/rcp/ctl';
/** A PUT body holds one certificate field (≤ 8 KiB) and a type. */
export const RCP_BODY_LIMIT = 16 * 1024;

export const RCP_READ_ROLES = ['ADMIN', 'CPO', 'MO', 'OEM', 'CPS'] as const;
export const RCP_WRITE_ROLES = ['ADMIN'] as const;

export interface RcpRoutesDeps {
  readonly rcp: Pick<RcpService, 'add' | 'delete' | 'get' | 'list'>;
  /** The signed CTL (./ctl.ts). */
  readonly ctl: { current(): Promise<CtlDocument> };
  readonly auth: Pick<Auth, 'requireAuth'>;
}

type Tree = 'opcp' | 'opnc';

interface ListQuery {
  rootType?: string;
  pkiType?: string;
  iso?: string;
  xsdMsgDefNamespace?: string;
}

interface PutBody {
  caCertificate: string;
  rootType?: string;
  rootTypeList?: string[];
  xsdMsgDefNamespace?: string;
}

const errorSchema = {
  type: 'object',
  properties: {
    errorMessages: { type: 'array', items: { type: 'string' } },
    traceId: { type: 'string' },
  },
} as const;

const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

const str = { type: 'string' } as const;

const opcpRootSchema = {
  type: 'object',
  properties: {
    rootCertificateId: str,
    distinguishedName: str,
    rootType: str,
    caCertificate: str,
    commonName: str,
    rootAuthorityKeyIdentifier: str,
    rootAuthorityKeyIdentifierHex: str,
    rootIssuerSerialNumber: str,
    validFrom: str,
    validTo: str,
    organizationName: str,
    fingerprint: str,
    fingerprintSha1: str,
    xsdMsgDefNamespace: str,
    signatureAlgorithm: str,
  },
} as const;

const opncRootSchema = {
  type: 'object',
  properties: {
    rootCertificateId: str,
    distinguishedName: str,
    rootType: str,
    rootTypeList: { type: 'array', items: str },
    caCertificate: str,
    commonName: str,
    rootAuthorityKeyIdentifier: str,
    rootIssuerSerialNumber: str,
    validFrom: str,
    validTo: str,
    organizationName: str,
    fingerprint: str,
    xsdMsgDefNamespace: str,
  },
} as const;

const findingsSchema = {
  type: 'array',
  items: { type: 'object', properties: { code: str, severity: str, message: str } },
} as const;

const TREES = {
  opcp: {
    roots: OPCP_ROOTS_PATH,
    ctl: OPCP_CTL_PATH,
    view: opcpRootCert,
    single: (root: RootRecord) => ({ RootResponse: opcpRootCert(root) }),
    collection: (roots: RootRecord[]) => ({
      RootCertificateCollection: { rootCertificates: roots.map(opcpRootCert) },
    }),
    singleSchema: { type: 'object', properties: { RootResponse: opcpRootSchema } },
    collectionSchema: {
      type: 'object',
      properties: {
        RootCertificateCollection: {
          type: 'object',
          properties: { rootCertificates: { type: 'array', items: opcpRootSchema } },
        },
      },
    },
    singleKey: 'RootResponse',
    rootSchema: opcpRootSchema,
  },
  opnc: {
    roots: OPNC_ROOTS_PATH,
    ctl: OPNC_CTL_PATH,
    view: opncRootCertificate,
    // `roootCertificate`: OPNC's spelling (getRootCertificateRes.v1.json), kept (spec-gaps.md item 5).
    single: (root: RootRecord) => ({ roootCertificate: opncRootCertificate(root) }),
    collection: (roots: RootRecord[]) => ({ rootCertificateCollection: roots.map(opncRootCertificate) }),
    singleSchema: { type: 'object', properties: { roootCertificate: opncRootSchema } },
    collectionSchema: {
      type: 'object',
      properties: { rootCertificateCollection: { type: 'array', items: opncRootSchema } },
    },
    singleKey: 'roootCertificate',
    rootSchema: opncRootSchema,
  },
} as const;

/** The list filter from either tree's query (rootType / pkiType, iso / xsdMsgDefNamespace). */
export function listFilter(query: ListQuery): RootListFilter {
  const types: RootType[] = [];
  if (query.rootType !== undefined && query.rootType !== '')
    types.push(parseRootType(query.rootType, 'rootType'));
  if (query.pkiType !== undefined && query.pkiType !== '')
    types.push(parseRootType(query.pkiType, 'pkiType'));
  let iso: 2 | 20 | undefined;
  if (query.iso !== undefined && query.iso !== '') {
    if (query.iso !== '2' && query.iso !== '20')
      throw appError('pool.invalid-namespace', 'iso must be 2 or 20');
    iso = query.iso === '2' ? 2 : 20;
  }
  if (query.xsdMsgDefNamespace !== undefined && query.xsdMsgDefNamespace !== '') {
    const edition = isoEditionOfNamespace(query.xsdMsgDefNamespace);
    if (iso !== undefined && iso !== edition) return { types: [] };
    iso = edition;
  }
  // Two different types (rootType=v2g&pkiType=oem) select nothing, like two conditions joined by AND.
  const distinct = [...new Set(types)];
  return {
    ...(distinct.length === 0 ? {} : { types: distinct.length === 1 ? distinct : [] }),
    ...(iso === undefined ? {} : { iso }),
  };
}

/** The one root type of a PUT body: rootType (OPCP) or rootTypeList (OPNC), which must agree. */
export function bodyRootType(body: PutBody): RootType {
  const types = new Set<RootType>();
  if (body.rootType !== undefined) types.add(parseRootType(body.rootType, 'rootType'));
  for (const entry of body.rootTypeList ?? []) types.add(parseRootType(entry, 'rootTypeList'));
  if (types.size === 0) throw appError('rcp.invalid-root-type', 'rootType (or rootTypeList) is required');
  if (types.size > 1) {
    // One type per root (D-040): the pool answers trust questions per type.
    throw appError(
      'rcp.invalid-root-type',
      `a root has one type here, got ${[...types].join(' and ')}; add it once per certificate`,
    );
  }
  return [...types][0] as RootType;
}

function registerTree(app: FastifyInstance, tree: Tree, deps: RcpRoutesDeps): void {
  const t = TREES[tree];
  const read: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: RCP_READ_ROLES });
  const write: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: RCP_WRITE_ROLES });
  const idParams = {
    type: 'object',
    required: ['rootCertificateId'],
    properties: { rootCertificateId: { type: 'string', maxLength: 64 } },
  } as const;

  app.get<{ Querystring: ListQuery }>(
    t.roots,
    {
      onRequest: read,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            rootType: { type: 'string', maxLength: 16, description: 'V2G, MO, OEM, PE (any case)' },
            pkiType: { type: 'string', maxLength: 16, description: 'v2g, emsp, oem, pe (any case)' },
            iso: { type: 'string', maxLength: 2, description: 'ISO 15118 edition: 2 or 20' },
            xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
          },
        },
        response: { 200: t.collectionSchema, ...errorResponses },
      },
    },
    async (request) => t.collection(await deps.rcp.list(listFilter(request.query))),
  );

  app.put<{ Body: PutBody; Querystring: { lenient?: boolean } }>(
    t.roots,
    {
      onRequest: write,
      bodyLimit: RCP_BODY_LIMIT,
      schema: {
        querystring: { type: 'object', properties: { lenient: { type: 'boolean' } } },
        body: {
          type: 'object',
          required: ['caCertificate'],
          properties: {
            caCertificate: { type: 'string', minLength: 1, maxLength: MAX_CERTIFICATE_FIELD_CHARS },
            rootType: { type: 'string', maxLength: 16 },
            rootTypeList: { type: 'array', maxItems: 4, items: { type: 'string', maxLength: 16 } },
            xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { [t.singleKey]: t.rootSchema, lintFindings: findingsSchema },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const rootType = bodyRootType(body);
      const { der } = decodeCertificateField(body.caCertificate, { field: 'caCertificate' });
      const iso =
        body.xsdMsgDefNamespace === undefined || body.xsdMsgDefNamespace === ''
          ? undefined
          : isoEditionOfNamespace(body.xsdMsgDefNamespace);
      const added = await deps.rcp.add({
        der,
        rootType,
        actor: `client:${principalOf(request).clientId}`,
        ...(request.query.lenient === true ? { lenient: true } : {}),
        ...(iso === undefined ? {} : { iso }),
      });
      return { ...t.single(added.root), lintFindings: findingsView(added.findings) };
    },
  );

  app.get<{ Params: { rootCertificateId: string } }>(
    `${t.roots}/:rootCertificateId`,
    {
      onRequest: read,
      schema: { params: idParams, response: { 200: t.singleSchema, ...errorResponses } },
    },
    async (request) => t.single(await deps.rcp.get(request.params.rootCertificateId)),
  );

  app.delete<{ Params: { rootCertificateId: string } }>(
    `${t.roots}/:rootCertificateId`,
    {
      onRequest: write,
      schema: { params: idParams, response: { 200: t.singleSchema, ...errorResponses } },
    },
    async (request) =>
      t.single(
        await deps.rcp.delete(request.params.rootCertificateId, `client:${principalOf(request).clientId}`),
      ),
  );

  app.get(
    t.ctl,
    {
      onRequest: read,
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              signerCertificate: str,
              signerChain: { type: 'array', items: str },
              timeStamp: str,
              CTL: {
                type: 'object',
                properties: { protected: str, payload: str, signature: str },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => deps.ctl.current(),
  );
}

/** Both trees in one route module. */
export function rcpRoutes(deps: RcpRoutesDeps): RouteModule {
  return {
    name: 'rcp',
    register(app) {
      // OPCP documents a request body on GET /v1/root/ctl ("to be aligned", spec-gaps.md item 26):
      // accepted and ignored, which Fastify does for GET bodies of a known content type.
      registerTree(app, 'opcp', deps);
      registerTree(app, 'opnc', deps);
    },
  };
}
