// The Contract Certificate Pool over HTTP, in both trees (spec-gaps.md items 1, 4, 9, 10, 11; docs/ccp.md):
//
//   OPCP (ccp.v1.json)                                          OPNC (apis/ccp/*, prefix /opnc/v1/ccp)
//   POST   /v1/ccp/signedContractData          install (CPO, OEM)    POST   /signedcontractdata
//   PUT    /v1/ccp/signedContractData          add (CPS, MO)         PUT    /signedcontractdata
//   DELETE /v1/ccp/signedContractData/{emaid}  delete (MO, ADMIN)    DELETE /signedcontractdata/{emaid}
//   GET    /v1/ccp/signedContractData/{pcid}   list (OEM, ADMIN)     GET    /contractData/pcid/{pcid}
//   GET    /v1/ccp/lookupContract/{emaid}      lookup (MO, ADMIN)    GET    /contractData/emaid/{emaid}
//   GET    /v1/ccp/provideSignedContractData/{emaid}/{pcid}  (OEM)   GET    /signedcontractdata/{emaid}/{pcid}
//   POST   /v1/ccp/signedContractData/{pcid}/{emaid}/default (OEM)   POST   /signedcontractdata/{emaid}/{pcid}/setdefault
//
// The OPCP GET by PCID and DELETE by EMAID share one template (spec-gaps.md item 9): Fastify routes by
// method. The default routes accept both segment orders (item 10): a PCID is 17-18 alphanumerics, an
// EMAID contains a hyphen or is 14-15 / 19+ characters. Status 200 on the install call in every case
// (interop.md §1.6, spec-gaps.md item 19); PUT answers 201 as both specs say; with `alwaysReturnEXI`
// (default true, OPCP) failures of the install call are HTTP 200 with a FAILED EXI (item 21, D-076).

import { X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import { appError } from '../errors/catalogue.ts';
import { ERROR_BODY_SCHEMA } from '../http/openapi.ts';
import type { RouteModule } from '../http/server.ts';
import { decodeBase64Lenient } from '../pki/est/index.ts';
import {
  ACCEPTED_MSGDEF_NAMESPACES,
  type IsoEdition,
  isoEditionOfNamespace,
  msgDefNamespaceFor,
} from '../pool-inputs/index.ts';
import { isPcid } from './identifiers.ts';
import type { InstallationOutcome } from './installation.ts';
import type { ContractRecord } from './repository.ts';
import type { CcpService } from './service.ts';
import { MAX_REQUEST_EXI_BYTES } from './v2g-messages.ts';

export const OPCP_CCP_PREFIX = '/v1/ccp';
export const OPNC_CCP_PREFIX = '/opnc/v1/ccp';
/** Install request: base64 of at most MAX_REQUEST_EXI_BYTES plus JSON. */
export const CCP_INSTALL_BODY_LIMIT = 64 * 1024;
/** PUT: base64 XML of up to 64 KiB. */
export const CCP_PUT_BODY_LIMIT = 128 * 1024;

export type EmaidContentShape = 'array' | 'object';

export interface CcpRoutesDeps {
  readonly ccp: Pick<
    CcpService,
    | 'install'
    | 'putSignedContractData'
    | 'deleteContract'
    | 'lookupContract'
    | 'listContracts'
    | 'setDefaultContract'
    | 'findVehicleContract'
  >;
  readonly auth: Pick<Auth, 'requireAuth'>;
  /**
   * `CCPResponse.emaidContent` as an array (OPCP, default) or as the first element's object
   * (sap-labs-france/ev-server reads an object: interop.md §1.4; D-076).
   */
  readonly emaidContentShape?: EmaidContentShape;
}

type Tree = 'opcp' | 'opnc';

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const errorResponses = { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } as const;

const installBody = {
  type: 'object',
  required: ['certificateInstallationReq'],
  properties: {
    certificateInstallationReq: {
      type: 'string',
      maxLength: Math.ceil((MAX_REQUEST_EXI_BYTES * 4) / 3) + 4096,
    },
    xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
    metadata: { type: 'string', maxLength: 4096 },
  },
} as const;

const putBody = {
  type: 'object',
  required: ['emaid', 'pcid'],
  properties: {
    xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
    emaid: { type: 'string', maxLength: 64 },
    pcid: { type: 'string', maxLength: 64 },
    signedContractDataXML: { type: 'string', maxLength: CCP_PUT_BODY_LIMIT },
    certificateInstallationRes: { type: 'string', maxLength: CCP_PUT_BODY_LIMIT },
    metadata: { type: 'string', maxLength: 4096 },
    metaData: { type: 'string', maxLength: 4096 },
    cpsV2GRootCertificateFingerprint: { type: 'string', maxLength: 200 },
    cpsRootDistinguishedName: { type: 'string', maxLength: 1024 },
  },
} as const;

const messageDefSchema = {
  type: 'object',
  properties: {
    certificateInstallationRes: str,
    emaid: str,
    metaData: str,
    cpsV2GRootCertificateFingerprint: str,
  },
} as const;

const opcpInstallResponse = {
  type: 'object',
  properties: {
    CCPResponse: {
      type: 'object',
      properties: {
        // An array (OPCP); an object with the ev-server compatibility switch.
        emaidContent: {
          anyOf: [
            { type: 'array', items: { type: 'object', properties: { messageDef: messageDefSchema } } },
            { type: 'object', properties: { messageDef: messageDefSchema } },
          ],
        },
      },
    },
    xsdMsgDefNamespace: str,
  },
} as const;

const opncSignedContractData = {
  type: 'object',
  properties: {
    certificateInstallationRes: str,
    emaid: str,
    pcid: str,
    xsdMsgDefNamespace: str,
    metaData: str,
    cpsV2GRootCertificateFingerprint: str,
    cpsRootDistinguishedName: str,
  },
} as const;

const opncCollection = {
  type: 'object',
  properties: { signedContractDataCollection: { type: 'array', items: opncSignedContractData } },
} as const;

const opcpContract = {
  type: 'object',
  properties: {
    pcid: str,
    emaid: str,
    xsdMsgDefNamespace: str,
    contractCertificate: str,
    defaultContract: bool,
    certValidFrom: str,
    certValidTo: str,
    cpsV2GRootCertificateFingerprint: str,
    cpsRootCertificateDN: str,
    cpsRootDistinguishedName: str,
    metaData: str,
  },
} as const;

const opcpLookupResponse = {
  type: 'object',
  properties: { XMLContracts: { type: 'array', items: opcpContract } },
} as const;

const opncContract = {
  type: 'object',
  properties: {
    pcid: str,
    emaid: str,
    xsdMsgDefNamespace: str,
    contractCertificate: str,
    defaultContract: bool,
    certValidFrom: str,
    certValidTo: str,
    cpsV2GRootDistinguishedName: str,
    cpsV2GRootCertificateFingerprint: str,
  },
} as const;

const opncContractCollection = {
  type: 'object',
  properties: { contractDataCollection: { type: 'array', items: opncContract } },
} as const;

const putResponse = {
  type: 'object',
  properties: {
    emaid: str,
    pcid: str,
    xsdMsgDefNamespace: str,
    defaultContract: bool,
    cpsV2GRootCertificateFingerprint: str,
  },
} as const;

const defaultResponse = {
  type: 'object',
  properties: {
    pcid: str,
    emaid: str,
    defaultContract: bool,
    xsdMsgDefNamespace: { type: 'array', items: str },
  },
} as const;

const provideResponse = {
  type: 'object',
  properties: {
    certificateInstallationRes: str,
    xsdMsgDefNamespace: str,
    cpsV2GRootCertificateFingerprint: str,
  },
} as const;

const params = (...names: string[]) => ({
  type: 'object',
  required: names,
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string', maxLength: 64 }])),
});

const filterQuery = {
  type: 'object',
  properties: {
    xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
    cpsV2GRootCertificateFingerprint: str,
  },
} as const;

const alwaysReturnExiHeader = {
  type: 'object',
  properties: {
    alwaysreturnexi: {
      type: 'string',
      description: 'true (default): failures as HTTP 200 with a FAILED EXI',
    },
  },
} as const;

interface InstallBody {
  certificateInstallationReq: string;
  xsdMsgDefNamespace?: string;
  metadata?: string;
}

interface PutBody {
  xsdMsgDefNamespace?: string;
  emaid: string;
  pcid: string;
  signedContractDataXML?: string;
  certificateInstallationRes?: string;
  metadata?: string;
  metaData?: string;
  cpsV2GRootCertificateFingerprint?: string;
}

interface FilterQuery {
  xsdMsgDefNamespace?: string;
  cpsV2GRootCertificateFingerprint?: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** `alwaysReturnEXI`: default true (OPCP); only `false` / `0` / `no` turn it off. */
export function alwaysReturnExi(header: string | string[] | undefined): boolean {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return !(value === 'false' || value === '0' || value === 'no');
}

/** The edition a namespace names, or undefined for an unknown text (the install call uses it as a hint only). */
function hintOf(namespace: string | undefined): IsoEdition | undefined {
  if (namespace === undefined || !ACCEPTED_MSGDEF_NAMESPACES.includes(namespace.trim())) return undefined;
  return isoEditionOfNamespace(namespace);
}

/** An optional edition filter of a query (400 for an unknown namespace). */
function isoFilter(namespace: string | undefined): { iso?: IsoEdition } {
  if (namespace === undefined || namespace === '') return {};
  return { iso: isoEditionOfNamespace(namespace) };
}

function fingerprintFilter(value: string | undefined): { cpsV2GRootCertificateFingerprint?: string } {
  if (value === undefined || value === '') return {};
  const hex = value.replaceAll(':', '').toLowerCase();
  // OPCP documents a UUID pattern for this field (spec-gaps.md item 7): such a value filters nothing.
  return /^[0-9a-f]{64}$/.test(hex) ? { cpsV2GRootCertificateFingerprint: hex } : {};
}

function validity(contract: ContractRecord): { certValidFrom?: string; certValidTo: string } {
  try {
    const cert = new X509Certificate(contract.contractCertificate);
    return {
      certValidFrom: new Date(cert.validFrom).toISOString(),
      certValidTo: new Date(cert.validTo).toISOString(),
    };
  } catch {
    return { certValidTo: contract.contractNotAfter.toISOString() };
  }
}

function opcpContractView(c: ContractRecord): Record<string, unknown> {
  return {
    pcid: c.pcid ?? undefined,
    emaid: c.emaid,
    xsdMsgDefNamespace: msgDefNamespaceFor(c.iso, 'opcp'),
    contractCertificate: b64(c.contractCertificate),
    defaultContract: c.isDefault,
    ...validity(c),
    cpsV2GRootCertificateFingerprint: c.cpsV2GRootFingerprint ?? undefined,
    cpsRootCertificateDN: c.cpsRootDistinguishedName ?? undefined,
    cpsRootDistinguishedName: c.cpsRootDistinguishedName ?? undefined,
    metaData: c.metadata ?? undefined,
  };
}

function opncContractView(c: ContractRecord): Record<string, unknown> {
  return {
    pcid: c.pcid ?? undefined,
    emaid: c.emaid,
    xsdMsgDefNamespace: msgDefNamespaceFor(c.iso, 'opnc'),
    contractCertificate: b64(c.contractCertificate),
    defaultContract: c.isDefault,
    ...validity(c),
    cpsV2GRootDistinguishedName: c.cpsRootDistinguishedName ?? undefined,
    cpsV2GRootCertificateFingerprint: c.cpsV2GRootFingerprint ?? undefined,
  };
}

/** Which of two path segments is the PCID and which the EMAID (spec-gaps.md item 10). */
export function pcidAndEmaid(first: string, second: string): { pcid: string; emaid: string } {
  const looksLikeEmaid = (s: string) => !isPcid(s) || s.includes('-');
  if (isPcid(first) && looksLikeEmaid(second)) return { pcid: first, emaid: second };
  if (isPcid(second) && looksLikeEmaid(first)) return { pcid: second, emaid: first };
  if (isPcid(first)) return { pcid: first, emaid: second };
  throw appError(
    'ccp.invalid-pcid',
    `neither ${first.slice(0, 40)} nor ${second.slice(0, 40)} is a PCID (17-18 letters and digits)`,
  );
}

export function installReply(
  tree: Tree,
  outcome: InstallationOutcome,
  always: boolean,
  shape: EmaidContentShape,
): Record<string, unknown> {
  if (!outcome.ok && !always) throw outcome.error;
  const namespace = msgDefNamespaceFor(outcome.iso, tree);
  if (tree === 'opnc') {
    const items = outcome.ok
      ? outcome.deliveries.map((d) => ({
          certificateInstallationRes: b64(d.exi),
          emaid: d.contract.emaidAsInCertificate,
          pcid: d.contract.pcid ?? outcome.pcid,
          xsdMsgDefNamespace: namespace,
          metaData: d.contract.metadata ?? undefined,
          cpsV2GRootCertificateFingerprint: d.contract.cpsV2GRootFingerprint ?? undefined,
          cpsRootDistinguishedName: d.contract.cpsRootDistinguishedName ?? undefined,
        }))
      : [{ certificateInstallationRes: b64(outcome.exi), pcid: outcome.pcid, xsdMsgDefNamespace: namespace }];
    return { signedContractDataCollection: items };
  }
  const items = outcome.ok
    ? outcome.deliveries.map((d) => ({
        messageDef: {
          certificateInstallationRes: b64(d.exi),
          emaid: d.contract.emaidAsInCertificate,
          metaData: d.contract.metadata ?? undefined,
          cpsV2GRootCertificateFingerprint: d.contract.cpsV2GRootFingerprint ?? undefined,
        },
      }))
    : // No emaid: there is no contract (as Hubject's "ISO compliant" 404 example).
      [{ messageDef: { certificateInstallationRes: b64(outcome.exi) } }];
  return {
    CCPResponse: { emaidContent: shape === 'object' ? items[0] : items },
    xsdMsgDefNamespace: namespace,
  };
}

export function ccpRoutes(deps: CcpRoutesDeps): RouteModule {
  const shape = deps.emaidContentShape ?? 'array';
  return {
    name: 'ccp',
    register(app: FastifyInstance) {
      const auth = (roles: Parameters<Auth['requireAuth']>[0]['roles']): onRequestAsyncHookHandler =>
        deps.auth.requireAuth({ roles });
      const installRoles = auth(['CPO', 'OEM']);
      const putRoles = auth(['CPS', 'MO']);
      const deleteRoles = auth(['MO', 'ADMIN']);
      const lookupRoles = auth(['MO', 'ADMIN']);
      const oemRoles = auth(['OEM', 'ADMIN']);

      const install =
        (tree: Tree) => async (request: FastifyRequest<{ Body: InstallBody }>, reply: FastifyReply) => {
          const body = request.body;
          const exi = decodeBase64Lenient(body.certificateInstallationReq);
          const outcome = await deps.ccp.install(principalOf(request), {
            exi,
            hint: hintOf(body.xsdMsgDefNamespace),
          });
          if (!outcome.ok) {
            request.log.info(
              { code: outcome.error.code, responseCode: outcome.responseCode, pcid: outcome.pcid },
              'certificate installation failed',
            );
          }
          return reply
            .code(200)
            .send(installReply(tree, outcome, alwaysReturnExi(request.headers.alwaysreturnexi), shape));
        };

      const put = async (request: FastifyRequest<{ Body: PutBody }>, reply: FastifyReply) => {
        const body = request.body;
        const iso = isoEditionOfNamespace(body.xsdMsgDefNamespace, { fallback: 2 });
        const metadata = body.metadata ?? body.metaData;
        const { contract, stored } = await deps.ccp.putSignedContractData(principalOf(request), {
          emaid: body.emaid,
          pcid: body.pcid,
          iso,
          ...(body.signedContractDataXML === undefined
            ? {}
            : { signedContractDataXML: body.signedContractDataXML }),
          ...(body.certificateInstallationRes === undefined
            ? {}
            : { certificateInstallationRes: body.certificateInstallationRes }),
          ...(metadata === undefined ? {} : { metadata }),
          ...(body.cpsV2GRootCertificateFingerprint === undefined
            ? {}
            : { cpsV2GRootCertificateFingerprint: body.cpsV2GRootCertificateFingerprint }),
        });
        return reply.code(201).send({
          emaid: contract.emaid,
          pcid: contract.pcid,
          xsdMsgDefNamespace: msgDefNamespaceFor(
            iso,
            request.url.startsWith(OPNC_CCP_PREFIX) ? 'opnc' : 'opcp',
          ),
          defaultContract: stored.isDefault,
          cpsV2GRootCertificateFingerprint: contract.cpsV2GRootFingerprint ?? undefined,
        });
      };

      const remove = async (request: FastifyRequest<{ Params: { emaid: string } }>, reply: FastifyReply) => {
        // OPCP "Automatic revocation", turned off by X-Skip-Revocation: true (docs/ccp.md).
        const skip = request.headers['x-skip-revocation'];
        await deps.ccp.deleteContract(principalOf(request), request.params.emaid, {
          skipRevocation: (Array.isArray(skip) ? skip[0] : skip)?.trim().toLowerCase() === 'true',
        });
        return reply.code(200).send();
      };

      const setDefault =
        (order: 'pcid-first' | 'emaid-first') =>
        async (request: FastifyRequest<{ Params: { a: string; b: string } }>, reply: FastifyReply) => {
          const { a, b } = request.params;
          const { pcid, emaid } = order === 'pcid-first' ? pcidAndEmaid(a, b) : pcidAndEmaid(b, a);
          const changed = await deps.ccp.setDefaultContract(principalOf(request), pcid, emaid);
          const tree: Tree = request.url.startsWith(OPNC_CCP_PREFIX) ? 'opnc' : 'opcp';
          return reply.code(200).send({
            pcid: (changed[0] as ContractRecord).pcid ?? pcid,
            emaid: (changed[0] as ContractRecord).emaid,
            defaultContract: true,
            xsdMsgDefNamespace: changed.map((c) => msgDefNamespaceFor(c.iso, tree)),
          });
        };

      // --- Install ---------------------------------------------------------------------------------
      for (const [tree, url] of [
        ['opcp', `${OPCP_CCP_PREFIX}/signedContractData`],
        ['opnc', `${OPNC_CCP_PREFIX}/signedcontractdata`],
      ] as const) {
        app.post<{ Body: InstallBody }>(
          url,
          {
            bodyLimit: CCP_INSTALL_BODY_LIMIT,
            onRequest: installRoles,
            schema: {
              summary: 'Signed contract data for a CertificateInstallationReq (ISO 15118-2 / -20)',
              headers: alwaysReturnExiHeader,
              body: installBody,
              response: { 200: tree === 'opcp' ? opcpInstallResponse : opncCollection, ...errorResponses },
            },
          },
          install(tree),
        );
        app.put<{ Body: PutBody }>(
          url,
          {
            bodyLimit: CCP_PUT_BODY_LIMIT,
            onRequest: putRoles,
            schema: {
              summary: 'Add signed contract data (XML of the CPS, or EXI)',
              body: putBody,
              response: { 201: putResponse, ...errorResponses },
            },
          },
          put,
        );
      }

      // --- Delete by EMAID -------------------------------------------------------------------------
      for (const url of [
        `${OPCP_CCP_PREFIX}/signedContractData/:emaid`,
        `${OPNC_CCP_PREFIX}/signedcontractdata/:emaid`,
      ]) {
        app.delete<{ Params: { emaid: string } }>(
          url,
          {
            onRequest: deleteRoles,
            schema: {
              summary: 'Delete the signed contract data of an EMAID (all vehicles)',
              params: params('emaid'),
              headers: {
                type: 'object',
                properties: {
                  'x-skip-revocation': {
                    type: 'string',
                    description: 'true: do not revoke a contract certificate issued by this server',
                  },
                },
              },
              response: { 200: { type: 'null' }, ...errorResponses },
            },
          },
          remove,
        );
      }

      // --- Lookup by EMAID (MO) --------------------------------------------------------------------
      const lookup =
        (tree: Tree) =>
        async (
          request: FastifyRequest<{ Params: { emaid: string }; Querystring: FilterQuery }>,
          reply: FastifyReply,
        ) => {
          const found = await deps.ccp.lookupContract(principalOf(request), request.params.emaid, {
            ...isoFilter(request.query.xsdMsgDefNamespace),
            ...fingerprintFilter(request.query.cpsV2GRootCertificateFingerprint),
          });
          return reply
            .code(200)
            .send(
              tree === 'opcp'
                ? { XMLContracts: found.map(opcpContractView) }
                : { contractDataCollection: found.map(opncContractView) },
            );
        };
      for (const [tree, url] of [
        ['opcp', `${OPCP_CCP_PREFIX}/lookupContract/:emaid`],
        ['opnc', `${OPNC_CCP_PREFIX}/contractData/emaid/:emaid`],
        ['opnc', `${OPNC_CCP_PREFIX}/contractdata/emaid/:emaid`],
      ] as const) {
        app.get<{ Params: { emaid: string }; Querystring: FilterQuery }>(
          url,
          {
            onRequest: lookupRoles,
            schema: {
              summary: 'Contracts of an EMAID',
              params: params('emaid'),
              querystring: filterQuery,
              response: {
                200: tree === 'opcp' ? opcpLookupResponse : opncContractCollection,
                ...errorResponses,
              },
            },
          },
          lookup(tree),
        );
      }

      // --- List per PCID (OEM) ---------------------------------------------------------------------
      const list =
        (tree: Tree) =>
        async (
          request: FastifyRequest<{ Params: { pcid: string }; Querystring: FilterQuery }>,
          reply: FastifyReply,
        ) => {
          const found = await deps.ccp.listContracts(
            principalOf(request),
            request.params.pcid,
            isoFilter(request.query.xsdMsgDefNamespace),
          );
          return reply
            .code(200)
            .send(
              tree === 'opcp'
                ? { XMLContracts: found.map(opcpContractView) }
                : { contractDataCollection: found.map(opncContractView) },
            );
        };
      for (const [tree, url] of [
        ['opcp', `${OPCP_CCP_PREFIX}/signedContractData/:pcid`],
        ['opnc', `${OPNC_CCP_PREFIX}/contractData/pcid/:pcid`],
        ['opnc', `${OPNC_CCP_PREFIX}/contractdata/pcid/:pcid`],
      ] as const) {
        app.get<{ Params: { pcid: string }; Querystring: FilterQuery }>(
          url,
          {
            onRequest: oemRoles,
            schema: {
              summary: 'Contracts of a vehicle (PCID)',
              params: params('pcid'),
              querystring: {
                type: 'object',
                properties: { xsdMsgDefNamespace: { type: 'string', maxLength: 200 } },
              },
              response: {
                200: tree === 'opcp' ? opcpLookupResponse : opncContractCollection,
                ...errorResponses,
              },
            },
          },
          list(tree),
        );
      }

      // --- OEM pull of signed contract data --------------------------------------------------------
      const provide =
        (tree: Tree) =>
        async (
          request: FastifyRequest<{
            Params: { emaid: string; pcid: string };
            Querystring: FilterQuery & { sessionID?: string };
          }>,
          reply: FastifyReply,
        ) => {
          const q = request.query;
          // OPCP: one contract, ISO 15118-2 unless asked otherwise (the parameter's default).
          const filter =
            tree === 'opcp'
              ? { iso: isoEditionOfNamespace(q.xsdMsgDefNamespace, { fallback: 2 }) }
              : isoFilter(q.xsdMsgDefNamespace);
          const found = await deps.ccp.findVehicleContract(
            principalOf(request),
            request.params.emaid,
            request.params.pcid,
            {
              ...filter,
              ...fingerprintFilter(q.cpsV2GRootCertificateFingerprint),
              ...(q.sessionID === undefined ? {} : { sessionId: q.sessionID }),
            },
          );
          if (tree === 'opcp') {
            const { contract: c, exi } = found[0] as { contract: ContractRecord; exi: Uint8Array };
            return reply.code(200).send({
              certificateInstallationRes: b64(exi),
              xsdMsgDefNamespace: msgDefNamespaceFor(c.iso, 'opcp'),
              cpsV2GRootCertificateFingerprint: c.cpsV2GRootFingerprint ?? undefined,
            });
          }
          return reply.code(200).send({
            signedContractDataCollection: found.map(({ contract: c, exi }) => ({
              certificateInstallationRes: b64(exi),
              emaid: c.emaidAsInCertificate,
              pcid: c.pcid ?? undefined,
              xsdMsgDefNamespace: msgDefNamespaceFor(c.iso, 'opnc'),
              metaData: c.metadata ?? undefined,
              cpsV2GRootCertificateFingerprint: c.cpsV2GRootFingerprint ?? undefined,
              cpsRootDistinguishedName: c.cpsRootDistinguishedName ?? undefined,
            })),
          });
        };
      const provideQuery = {
        type: 'object',
        properties: {
          sessionID: { type: 'string', maxLength: 64 },
          xsdMsgDefNamespace: { type: 'string', maxLength: 200 },
          cpsV2GRootCertificateFingerprint: str,
        },
      } as const;
      app.get<{ Params: { emaid: string; pcid: string }; Querystring: FilterQuery & { sessionID?: string } }>(
        `${OPCP_CCP_PREFIX}/provideSignedContractData/:emaid/:pcid`,
        {
          onRequest: oemRoles,
          schema: {
            summary: 'Signed contract data of an EMAID for a vehicle, without a CertificateInstallationReq',
            params: params('emaid', 'pcid'),
            querystring: provideQuery,
            response: { 200: provideResponse, ...errorResponses },
          },
        },
        provide('opcp'),
      );
      app.get<{ Params: { emaid: string; pcid: string }; Querystring: FilterQuery & { sessionID?: string } }>(
        `${OPNC_CCP_PREFIX}/signedcontractdata/:emaid/:pcid`,
        {
          onRequest: oemRoles,
          schema: {
            summary: 'Signed contract data of an EMAID for a vehicle, without a CertificateInstallationReq',
            params: params('emaid', 'pcid'),
            querystring: provideQuery,
            response: { 200: opncCollection, ...errorResponses },
          },
        },
        provide('opnc'),
      );

      // --- Default contract ------------------------------------------------------------------------
      for (const [order, url] of [
        ['pcid-first', `${OPCP_CCP_PREFIX}/signedContractData/:a/:b/default`],
        ['emaid-first', `${OPNC_CCP_PREFIX}/signedcontractdata/:a/:b/setdefault`],
      ] as const) {
        app.post<{ Params: { a: string; b: string } }>(
          url,
          {
            onRequest: oemRoles,
            schema: {
              summary: 'Make a contract the default of its vehicle (either segment order)',
              params: params('a', 'b'),
              response: { 200: defaultResponse, ...errorResponses },
            },
          },
          setDefault(order),
        );
      }
    },
  };
}
