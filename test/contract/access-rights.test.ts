// Issue 4 must-show: access control as ONE table of every route of both trees × role (OEM, MO, CPO,
// CPS, ADMIN, anonymous) × tenant (own vs other WMI / provider / operator), on the real server
// (demo PKI, real tokens). Expected outcomes come from the OPCP access-rights table
// (specs/opcp-1.0.0/docs/04_authentication.md; OPNC docs/04_authentication.md has the same), with
// ADMIN and the cells the spec leaves open decided in D-085. A refused write changes nothing (row
// counts of every table, audit logs included). A route registered on the server but missing from the
// table fails the test (compared with routeInventory, the list behind /openapi.json).
//
// Outcomes: 'allow' = neither 401 nor 403 (the request reaches the component, which may still answer
// 400 / 404 / 409 for the sample); 'role' = 403 (auth.forbidden-role); anonymous on a protected route =
// 401; tenant refusals = 403 or 404 (404 where existence must not leak). docs/openapi.md.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { routeInventory } from '../../src/http/openapi.ts';
import { csrKey, makeCsr } from '../../src/pki-http/testing/messages.ts';
import { startSqliteEcosystem, type TestEcosystem } from '../../src/testing/test-ecosystem.ts';

type Role = 'OEM' | 'MO' | 'CPO' | 'CPS' | 'ADMIN';
type Who = Role | 'anonymous';
const ROLES: readonly Role[] = ['OEM', 'MO', 'CPO', 'CPS', 'ADMIN'];
const WHO: readonly Who[] = [...ROLES, 'anonymous'];

/** Own tenant scopes, and the "other" tenant of the same kind. */
const OWN = { OEM: 'WP0', MO: 'DE-ABC', CPO: 'DE*ABC', CPS: 'DE-ABC' } as const;
const OTHER = { OEM: 'WBA', MO: 'DE-XYZ', CPO: 'DE*XYZ', CPS: 'DE-XYZ' } as const;

const PCID_OWN = 'WP0ABCDEFGHIJKLMN'; // WMI WP0
const EMAID_OWN = 'DEABCC123456788'; // provider DE-ABC (check digit valid)
const UNKNOWN_UUID = '0f1e2d3c-4b5a-4968-8776-655443322110';
/** A complete generate-and-sign body (the CPS checks the tenant before the rest, D-069). */
const GENERATE_BODY = {
  emaid: EMAID_OWN,
  pcid: PCID_OWN,
  contractBegins: '2027-03-01T00:00:00Z',
  contractEnds: '2028-03-01T00:00:00Z',
  xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef',
};

interface Req {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Ctx {
  readonly eco: TestEcosystem;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly otherTokens: Readonly<Record<Exclude<Role, 'ADMIN'>, string>>;
  /** A client (CPO) for the token endpoint. */
  readonly client: { clientId: string; clientSecret: string };
  /** Base64 DER of a V2G root of the demo PKI (for RCP PUT). */
  readonly v2gRoot: string;
  /** Base64 DER of a SECC leaf of operator DE*ABC (for revocation). */
  readonly seccLeaf: () => Promise<string>;
  /** The id of a root in the pool (added when missing). */
  readonly rootId: () => Promise<string>;
}

interface TenantCase {
  readonly name: string;
  /** The role, with a token of the OTHER tenant. */
  readonly role: Exclude<Role, 'ADMIN'>;
  readonly request: (ctx: Ctx) => Req | Promise<Req>;
  /** 403, or 404 where existence must not leak. */
  readonly refused: readonly number[];
}

interface Row {
  /** METHOD + Fastify URL as registered (param names do not matter: compared as ':'). */
  readonly route: string;
  /** Roles admitted; 'public' = no token needed; 'nobody' = 404 for everyone (e.g. wrong method on EST). */
  readonly allow: readonly Role[] | 'public' | 'nobody';
  readonly sample: (ctx: Ctx, who: Who) => Req | Promise<Req>;
  /** Where the expectation comes from. */
  readonly source: string;
  readonly write?: boolean;
  readonly tenant?: readonly TenantCase[];
}

const csrBody = (commonName: string, kind: 'P-256' | 'P-521' = 'P-256') =>
  Buffer.from(makeCsr({ key: csrKey(kind), commonName })).toString('base64');
const PKCS10 = { 'content-type': 'application/pkcs10' } as const;
const OPCP_TABLE = 'OPCP 04_authentication.md';

const ALL_READ: readonly Role[] = ['OEM', 'CPO', 'MO', 'CPS', 'ADMIN'];

const TABLE: readonly Row[] = [
  // --- platform ---------------------------------------------------------------------------------
  {
    route: 'GET /openapi.json',
    allow: 'public',
    source: 'issue 4 (public document)',
    sample: () => ({ method: 'GET', path: '/openapi.json' }),
  },
  {
    route: 'GET /metrics',
    allow: 'public',
    source: 'issue 3 (operations)',
    sample: () => ({ method: 'GET', path: '/metrics' }),
  },
  {
    route: 'GET /health',
    allow: 'public',
    source: 'issue 3 (operations)',
    sample: () => ({ method: 'GET', path: '/health' }),
  },
  {
    route: 'POST /oauth/token',
    allow: 'public',
    source: 'RFC 6749 §4.4 (client authentication, no bearer token)',
    sample: (ctx) => ({
      method: 'POST',
      path: '/oauth/token',
      body: {
        grant_type: 'client_credentials',
        client_id: ctx.client.clientId,
        client_secret: ctx.client.clientSecret,
      },
    }),
  },
  // --- OCSP, CRL: public (D-030, D-033) ---------------------------------------------------------
  {
    route: 'POST /ocsp',
    allow: 'public',
    source: 'RFC 6960 (public)',
    sample: () => ({
      method: 'POST',
      path: '/ocsp',
      body: 'garbage',
      headers: { 'content-type': 'application/ocsp-request' },
    }),
  },
  {
    route: 'POST /ocsp/',
    allow: 'public',
    source: 'RFC 6960 (public)',
    sample: () => ({
      method: 'POST',
      path: '/ocsp/',
      body: 'garbage',
      headers: { 'content-type': 'application/ocsp-request' },
    }),
  },
  {
    route: 'GET /ocsp/*',
    allow: 'public',
    source: 'RFC 6960 (public)',
    sample: () => ({ method: 'GET', path: '/ocsp/MAA%3D' }),
  },
  {
    route: 'GET /crl/:',
    allow: 'public',
    source: 'RFC 5280 (public)',
    sample: () => ({ method: 'GET', path: '/crl/no-such-ca' }),
  },
  // --- EST: cacerts public (RFC 7030 §4.1.1, D-034); simpleenroll by the label's role ---------------
  {
    route: 'GET /.well-known/*',
    allow: 'public',
    source: 'D-034',
    sample: () => ({ method: 'GET', path: '/.well-known/est/cpo/cacerts' }),
  },
  {
    route: 'GET /est/*',
    allow: 'public',
    source: 'D-034',
    sample: () => ({ method: 'GET', path: '/est/oem/cacerts' }),
  },
  {
    route: 'GET /opnc/v1/pki/est/*',
    allow: 'public',
    source: 'D-034',
    sample: () => ({
      method: 'GET',
      path: '/opnc/v1/pki/est/cacerts?caDomain=emsp&iso15118Version=ISO15118-2',
    }),
  },
  {
    route: 'GET /:/simpleenroll',
    allow: 'nobody',
    source: 'D-034 (GET on simpleenroll: 404 before auth)',
    sample: () => ({ method: 'GET', path: '/cpo/simpleenroll' }),
  },
  {
    route: 'GET /:/simpleenroll/*',
    allow: 'nobody',
    source: 'D-034',
    sample: () => ({ method: 'GET', path: '/cpo/simpleenroll/ISO15118-2' }),
  },
  {
    route: 'GET /:/cacerts',
    allow: 'public',
    source: 'D-034',
    sample: () => ({ method: 'GET', path: '/cps/cacerts' }),
  },
  {
    route: 'GET /:/cacerts/*',
    allow: 'public',
    source: 'D-034',
    sample: () => ({ method: 'GET', path: '/cpo/cacerts/ISO15118-20/secp521r1/' }),
  },
  {
    route: 'POST /:/cacerts',
    allow: 'nobody',
    source: 'D-034 (POST on cacerts: 404 before auth)',
    sample: () => ({ method: 'POST', path: '/cpo/cacerts', body: 'x', headers: PKCS10 }),
  },
  {
    route: 'POST /:/cacerts/*',
    allow: 'nobody',
    source: 'D-034',
    sample: () => ({ method: 'POST', path: '/cpo/cacerts/ISO15118-2', body: 'x', headers: PKCS10 }),
  },
  {
    route: 'POST /.well-known/*',
    allow: ['CPO'],
    source: `${OPCP_TABLE} simpleEnroll - CPO`,
    write: true,
    sample: () => ({
      method: 'POST',
      path: '/.well-known/est/cpo/simpleenroll',
      body: csrBody('DE*ABC*E7'),
      headers: PKCS10,
    }),
    tenant: [
      {
        name: 'a CPO enrolling an SECC leaf of another operator',
        role: 'CPO',
        request: () => ({
          method: 'POST',
          path: '/.well-known/est/cpo/simpleenroll',
          body: csrBody('DE*ABC*E8'),
          headers: PKCS10,
        }),
        refused: [403],
      },
    ],
  },
  {
    route: 'POST /est/*',
    allow: ['MO'],
    source: `${OPCP_TABLE} simpleEnroll - MO`,
    write: true,
    sample: () => ({
      method: 'POST',
      path: '/est/mo/simpleenroll',
      body: csrBody(EMAID_OWN),
      headers: PKCS10,
    }),
    tenant: [
      {
        name: "an MO enrolling a contract certificate of another provider's EMAID",
        role: 'MO',
        request: () => ({
          method: 'POST',
          path: '/est/mo/simpleenroll',
          body: csrBody(EMAID_OWN),
          headers: PKCS10,
        }),
        refused: [403],
      },
    ],
  },
  {
    route: 'POST /opnc/v1/pki/est/*',
    allow: ['OEM'],
    source: `${OPCP_TABLE} simpleEnroll - OEM`,
    write: true,
    sample: () => ({
      method: 'POST',
      path: '/opnc/v1/pki/est/simpleenroll?caDomain=oem&iso15118Version=ISO15118-2',
      body: csrBody(PCID_OWN),
      headers: PKCS10,
    }),
    tenant: [
      {
        name: "an OEM enrolling a provisioning certificate for another WMI's PCID",
        role: 'OEM',
        request: () => ({
          method: 'POST',
          path: '/opnc/v1/pki/est/simpleenroll?caDomain=oem&iso15118Version=ISO15118-2',
          body: csrBody(PCID_OWN),
          headers: PKCS10,
        }),
        refused: [403],
      },
    ],
  },
  {
    route: 'POST /:/simpleenroll',
    allow: ['CPS'],
    // OPCP also lists "MO with V2G PKI" for the cps CA; D-034 admits the CPS role only.
    source: `${OPCP_TABLE} simpleEnroll - CPS; D-034`,
    write: true,
    sample: () => ({ method: 'POST', path: '/cps/simpleenroll', body: csrBody('CPS Test'), headers: PKCS10 }),
  },
  {
    route: 'POST /:/simpleenroll/*',
    allow: ['OEM'],
    source: `${OPCP_TABLE} simpleEnroll - OEM`,
    write: true,
    sample: () => ({
      method: 'POST',
      path: '/oem/simpleenroll/ISO15118-2',
      body: csrBody(PCID_OWN),
      headers: PKCS10,
    }),
  },
  // --- OPNC revokeCertificate (D-035): ADMIN any leaf, CPO / MO / OEM their own ---------------------
  ...[
    '/opnc/v1/pki/pki/revokeCertificate',
    '/opnc/v1/pki/revokeCertificate',
    '/v1/pki/revokeCertificate',
  ].map(
    (path): Row => ({
      route: `POST ${path}`,
      allow: ['ADMIN', 'CPO', 'MO', 'OEM'],
      source: 'OPNC pki.api.v1.revokeCert ("only his own certificates"); D-035',
      write: true,
      // A certificate this server did not issue: allowed roles get 404, nothing is revoked.
      sample: (ctx) => ({
        method: 'POST',
        path,
        body: { certificate: ctx.v2gRoot.slice(0, 200), revocationReason: 'superseded' },
      }),
      tenant: [
        {
          name: "a CPO revoking another operator's SECC leaf",
          role: 'CPO',
          request: async (ctx) => ({
            method: 'POST',
            path,
            body: { certificate: await ctx.seccLeaf(), revocationReason: 'keyCompromise' },
          }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  // --- RCP (OPCP rcp.v1.json and OPNC rcp.api.v1) ------------------------------------------------
  ...(['/v1/root/rootCerts', '/opnc/v1/rcp/rootcertificates'] as const).flatMap((base): Row[] => [
    {
      route: `GET ${base}`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} getAllRootCerts (+ADMIN, D-085)`,
      sample: () => ({ method: 'GET', path: base }),
    },
    {
      route: `GET ${base}/:`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} getRootCert (+ADMIN)`,
      sample: async (ctx) => ({ method: 'GET', path: `${base}/${await ctx.rootId()}` }),
    },
    {
      route: `PUT ${base}`,
      allow: ['ADMIN'],
      source: `${OPCP_TABLE} saveRootCa (Admin)`,
      write: true,
      sample: (ctx) => ({
        method: 'PUT',
        path: base,
        body: base.startsWith('/opnc')
          ? { caCertificate: ctx.v2gRoot, rootTypeList: ['V2G'] }
          : { caCertificate: ctx.v2gRoot, rootType: 'V2G' },
      }),
    },
    {
      route: `DELETE ${base}/:`,
      allow: ['ADMIN'],
      source: `${OPCP_TABLE} deleteRootCa (Admin)`,
      write: true,
      sample: async (ctx) => ({ method: 'DELETE', path: `${base}/${await ctx.rootId()}` }),
    },
  ]),
  {
    route: 'GET /v1/root/ctl',
    allow: ALL_READ,
    source: 'OPCP rcp.v1.json /v1/root/ctl (every role, D-085)',
    sample: () => ({ method: 'GET', path: '/v1/root/ctl' }),
  },
  {
    route: 'GET /opnc/v1/rcp/ctl',
    allow: ALL_READ,
    source: 'extension of the RCP (docs/rcp.md)',
    sample: () => ({ method: 'GET', path: '/opnc/v1/rcp/ctl' }),
  },
  // --- Webhooks (OPCP webhooks.v1.json / OPNC event): OEM, CPO, MO, CPS (+ADMIN) -------------------
  ...(
    ['/v1/webhook/endpoints', '/opnc/v1/event/endpoints', '/opnc/v1/event/opnc/v1/event/endpoints'] as const
  ).flatMap((base): Row[] => [
    {
      route: `GET ${base}`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} getWebhooks`,
      sample: () => ({ method: 'GET', path: base }),
    },
    {
      route: `POST ${base}`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} addWebhook`,
      write: true,
      // An invalid body: the allowed roles get 400, nothing is stored.
      sample: () => ({ method: 'POST', path: base, body: { url: 42 } }),
    },
    {
      route: `GET ${base}/:`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} getWebhook`,
      sample: () => ({ method: 'GET', path: `${base}/${UNKNOWN_UUID}` }),
    },
    {
      route: `PUT ${base}/:`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} updateWebhook`,
      write: true,
      sample: () => ({
        method: 'PUT',
        path: `${base}/${UNKNOWN_UUID}`,
        body: { url: 'https://hooks.example.test/x' },
      }),
    },
    {
      route: `DELETE ${base}/:`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} deleteWebhook`,
      write: true,
      sample: () => ({ method: 'DELETE', path: `${base}/${UNKNOWN_UUID}` }),
    },
  ]),
  // --- PCP (OPCP pcp.v1.json /v1/oem/provCerts, OPNC pcp.api.v1 /opnc/v1/pcp) -----------------------
  ...(
    [
      ['/v1/oem/provCerts', '/v1/oem/provCerts/lookupVehicle'],
      ['/opnc/v1/pcp/provisioningcertificates', '/opnc/v1/pcp/lookupvehicle'],
    ] as const
  ).flatMap(([base, lookup]): Row[] => [
    {
      route: `PUT ${base}`,
      allow: ['OEM'],
      source: `${OPCP_TABLE} addOemProvCert (OEM, own WMI)`,
      write: true,
      sample: () => ({
        method: 'PUT',
        path: base,
        body: { vehicleCertificate: 'AAAA', subCA1Certificate: 'AAAA' },
      }),
    },
    {
      route: `GET ${base}/:`,
      allow: ['OEM', 'MO', 'CPS'],
      source: `${OPCP_TABLE} getOEMProvCert (OEM, MO; CPS column: Access)`,
      sample: () => ({ method: 'GET', path: `${base}/${PCID_OWN}` }),
      tenant: [
        {
          name: "an OEM reading another WMI's vehicle",
          role: 'OEM',
          request: () => ({ method: 'GET', path: `${base}/${PCID_OWN}` }),
          refused: [403, 404],
        },
      ],
    },
    {
      route: `DELETE ${base}/:`,
      allow: ['OEM'],
      source: `${OPCP_TABLE} deleteOemProvCert (OEM, own WMI)`,
      write: true,
      sample: () => ({ method: 'DELETE', path: `${base}/${PCID_OWN}` }),
      tenant: [
        {
          name: "an OEM deleting another WMI's provisioning certificate",
          role: 'OEM',
          request: () => ({ method: 'DELETE', path: `${base}/${PCID_OWN}` }),
          refused: [403, 404],
        },
      ],
    },
    {
      route: `DELETE ${base}/:/contracts`,
      allow: ['OEM'],
      source: 'our factory-reset extension (D-038): the OEM of the vehicle, as deleteOemProvCert',
      write: true,
      sample: () => ({ method: 'DELETE', path: `${base}/${PCID_OWN}/contracts` }),
      tenant: [
        {
          name: "an OEM factory-resetting another WMI's vehicle",
          role: 'OEM',
          request: () => ({ method: 'DELETE', path: `${base}/${PCID_OWN}/contracts` }),
          refused: [403, 404],
        },
      ],
    },
    {
      route: `GET ${lookup}/:`,
      allow: ['OEM', 'MO', 'CPS'],
      source: `${OPCP_TABLE} lookupVehicle (OEM, MO; CPS column: Access)`,
      sample: () => ({ method: 'GET', path: `${lookup}/${PCID_OWN}` }),
      tenant: [
        {
          name: "an OEM looking up another WMI's vehicle",
          role: 'OEM',
          request: () => ({ method: 'GET', path: `${lookup}/${PCID_OWN}` }),
          refused: [403, 404],
        },
      ],
    },
  ]),
  // --- CCP (OPCP ccp.v1.json /v1/ccp, OPNC ccp.api.v1 /opnc/v1/ccp) ---------------------------------
  // ADMIN (no column in the OPCP table) is admitted where the CCP admits the ecosystem operator (D-085).
  ...(['/v1/ccp/signedContractData', '/opnc/v1/ccp/signedcontractdata'] as const).flatMap((base): Row[] => [
    {
      route: `POST ${base}`,
      allow: ['CPO', 'OEM'],
      source: `${OPCP_TABLE} getSignedContractData (CPO) and signedContractData (OEM: POST)`,
      sample: () => ({
        method: 'POST',
        path: base,
        body: { certificateInstallationReq: 'AAAA', xsdMsgDefNamespace: 'urn:iso:15118:2:2013:MsgDef' },
      }),
    },
    {
      route: `PUT ${base}`,
      allow: ['CPS', 'MO'],
      source: `${OPCP_TABLE} signedContractData (CPS: PUT); MO with own PKI stores its signed data (D-085)`,
      write: true,
      sample: () => ({ method: 'PUT', path: base, body: { emaid: EMAID_OWN, pcid: PCID_OWN } }),
    },
    {
      route: `DELETE ${base}/:`,
      allow: ['MO', 'ADMIN'],
      source: `${OPCP_TABLE} deleteSignedContractData (MO)`,
      write: true,
      sample: () => ({ method: 'DELETE', path: `${base}/${EMAID_OWN}` }),
      tenant: [
        {
          name: "an MO deleting another provider's contract",
          role: 'MO',
          request: () => ({ method: 'DELETE', path: `${base}/${EMAID_OWN}` }),
          refused: [403, 404],
        },
      ],
    },
  ]),
  ...(
    [
      '/v1/ccp/lookupContract/:emaid',
      '/opnc/v1/ccp/contractData/emaid/:emaid',
      '/opnc/v1/ccp/contractdata/emaid/:emaid',
    ] as const
  ).map(
    (url): Row => ({
      route: `GET ${url}`,
      allow: ['MO', 'ADMIN'],
      source: `${OPCP_TABLE} lookupContract (MO)`,
      sample: () => ({ method: 'GET', path: url.replace(':emaid', EMAID_OWN) }),
      tenant: [
        {
          name: "an MO looking up another provider's contract",
          role: 'MO',
          request: () => ({ method: 'GET', path: url.replace(':emaid', EMAID_OWN) }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  ...(
    [
      '/v1/ccp/signedContractData/:pcid',
      '/opnc/v1/ccp/contractData/pcid/:pcid',
      '/opnc/v1/ccp/contractdata/pcid/:pcid',
    ] as const
  ).map(
    (url): Row => ({
      route: `GET ${url}`,
      allow: ['OEM', 'ADMIN'],
      source: `${OPCP_TABLE} signedContractData/priorities (OEM): the contracts of a vehicle`,
      sample: () => ({ method: 'GET', path: url.replace(':pcid', PCID_OWN) }),
      tenant: [
        {
          name: "an OEM reading another WMI's vehicle contracts",
          role: 'OEM',
          request: () => ({ method: 'GET', path: url.replace(':pcid', PCID_OWN) }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  ...(
    [
      '/v1/ccp/provideSignedContractData/:emaid/:pcid',
      '/opnc/v1/ccp/signedcontractdata/:emaid/:pcid',
    ] as const
  ).map(
    (url): Row => ({
      route: `GET ${url}`,
      allow: ['OEM', 'ADMIN'],
      source: `${OPCP_TABLE} provideSignedContractData (OEM)`,
      sample: () => ({ method: 'GET', path: url.replace(':emaid', EMAID_OWN).replace(':pcid', PCID_OWN) }),
      tenant: [
        {
          name: "an OEM reading another WMI's vehicle contract",
          role: 'OEM',
          request: () => ({
            method: 'GET',
            path: url.replace(':emaid', EMAID_OWN).replace(':pcid', PCID_OWN),
          }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  ...(
    [
      [
        '/v1/ccp/signedContractData/:a/:b/default',
        `/v1/ccp/signedContractData/${PCID_OWN}/${EMAID_OWN}/default`,
      ],
      [
        '/opnc/v1/ccp/signedcontractdata/:a/:b/setdefault',
        `/opnc/v1/ccp/signedcontractdata/${EMAID_OWN}/${PCID_OWN}/setdefault`,
      ],
    ] as const
  ).map(
    ([url, path]): Row => ({
      route: `POST ${url}`,
      allow: ['OEM', 'ADMIN'],
      source: `${OPCP_TABLE} signedContractData/priorities (OEM)`,
      write: true,
      sample: () => ({ method: 'POST', path }),
      tenant: [
        {
          name: "an OEM setting the default contract of another WMI's vehicle",
          role: 'OEM',
          request: () => ({ method: 'POST', path }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  // --- CPS (OPCP cps.v1.json, OPNC cps.api.v1 /opnc/v1/cps) -----------------------------------------
  ...(['/cps/signer', '/v1/cps/signer', '/opnc/v1/cps/cpsCertificates'] as const).map(
    (path): Row => ({
      route: `GET ${path}`,
      allow: ALL_READ,
      source: `${OPCP_TABLE} getAllCpsSigners (+ADMIN)`,
      sample: () => ({ method: 'GET', path }),
    }),
  ),
  ...(
    [
      ['/v1/cps/generate/signedContractData', 'generateSignedContractData (MO without own PKI, own EMAIDs)'],
      ['/opnc/v1/cps/contractData/generateandsign', 'generateSignedContractData (OPNC GenerateAndSign)'],
    ] as const
  ).map(
    ([path, what]): Row => ({
      route: `PUT ${path}`,
      allow: ['MO'],
      source: `${OPCP_TABLE} ${what}`,
      write: true,
      sample: () => ({ method: 'PUT', path, body: GENERATE_BODY }),
      tenant: [
        {
          name: "an MO generating a contract for another provider's EMAID",
          role: 'MO',
          request: () => ({ method: 'PUT', path, body: GENERATE_BODY }),
          refused: [403, 404],
        },
      ],
    }),
  ),
  ...(
    [
      ['/v1/cps/signedContractData', 'createSignedContractData (MO with own PKI)'],
      ['/v1/cps/forward/signedContractData', 'createAndForwardSignedContractData (MO with own PKI)'],
      ['/v1/cps/contractData/signed', 'contractData/signed (MO with own PKI)'],
      ['/opnc/v1/cps/contractData/sign', 'createSignedContractData (OPNC SignContractData)'],
    ] as const
  ).map(
    ([path, what]): Row => ({
      route: `PUT ${path}`,
      allow: ['MO'],
      source: `${OPCP_TABLE} ${what}`,
      write: true,
      sample: () => ({ method: 'PUT', path, body: { emaid: EMAID_OWN, pcid: PCID_OWN } }),
    }),
  ),
];

/** Fastify URL with parameter names erased: `/v1/oem/provCerts/:pcid` → `/v1/oem/provCerts/:`. */
const shape = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, ':');
const rowKey = (route: string) => {
  const [method, url] = route.split(' ') as [string, string];
  return `${method} ${shape(url)}`;
};

async function tableCounts(eco: TestEcosystem): Promise<Record<string, number>> {
  const tables = await eco.app.db.query<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const r = await eco.app.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`);
    out[name] = Number(r[0]?.n ?? 0);
  }
  return out;
}

describe('access rights: every route × role × tenant', () => {
  let eco: (TestEcosystem & { close(): Promise<void> }) | undefined;
  let ctx: Ctx;
  let served: Set<string>;
  const tenantOutcomes: string[] = [];

  before(async () => {
    eco = await startSqliteEcosystem();
    const e = eco;
    const token = (role: Role, scope?: string) => e.token(role, scope);
    const tokens = {
      OEM: await token('OEM', OWN.OEM),
      MO: await token('MO', OWN.MO),
      CPO: await token('CPO', OWN.CPO),
      CPS: await token('CPS', OWN.CPS),
      ADMIN: await token('ADMIN'),
    };
    const otherTokens = {
      OEM: await token('OEM', OTHER.OEM),
      MO: await token('MO', OTHER.MO),
      CPO: await token('CPO', OTHER.CPO),
      CPS: await token('CPS', OTHER.CPS),
    };
    const root = (await e.app.ca.listCas()).find(
      (ca) => ca.role === 'v2g-root' && ca.iso === '2' && ca.certificate !== null,
    );
    assert.ok(root?.certificate);
    const v2gRoot = Buffer.from(root.certificate).toString('base64');
    let leaf: string | undefined;
    ctx = {
      eco: e,
      tokens,
      otherTokens,
      client: await e.client('CPO', OWN.CPO),
      v2gRoot,
      async seccLeaf() {
        if (leaf !== undefined) return leaf;
        const res = await e.fetch('/.well-known/est/cpo/simpleenroll', {
          method: 'POST',
          token: tokens.CPO,
          headers: PKCS10,
          body: csrBody('DE*ABC*E9'),
        });
        assert.equal(res.status, 200, await res.clone().text());
        const issued = (await e.app.ca.listCertificates({})).find((c) => c.subject.includes('DE*ABC*E9'));
        assert.ok(issued?.certificate);
        leaf = Buffer.from(issued.certificate).toString('base64');
        return leaf;
      },
      async rootId() {
        const list = await e.fetch('/v1/root/rootCerts', { token: tokens.ADMIN });
        const roots =
          (
            (await list.json()) as {
              RootCertificateCollection?: { rootCertificates?: { rootCertificateId: string }[] };
            }
          ).RootCertificateCollection?.rootCertificates ?? [];
        if (roots[0] !== undefined) return roots[0].rootCertificateId;
        const put = await e.fetch('/v1/root/rootCerts', {
          method: 'PUT',
          token: tokens.ADMIN,
          body: { caCertificate: v2gRoot, rootType: 'V2G' },
        });
        assert.equal(put.status, 200, await put.clone().text());
        return ((await put.json()) as { rootCertificateId: string }).rootCertificateId;
      },
    };
    served = new Set(routeInventory(e.app.server).map((r) => `${r.method} ${shape(r.url)}`));
  });
  after(async () => {
    await eco?.close();
  });

  test('every route the server registers has a row in the table', () => {
    const rows = new Set(TABLE.map((r) => rowKey(r.route)));
    const missing = [...served].filter((key) => !rows.has(key));
    assert.deepEqual(missing, [], `routes without an access-rights row: add them to TABLE`);
  });

  test('the table has no duplicate rows', () => {
    const keys = TABLE.map((r) => rowKey(r.route));
    assert.equal(new Set(keys).size, keys.length);
  });

  const send = async (req: Req, token: string | undefined) => {
    const e = eco as TestEcosystem;
    const res = await e.fetch(req.path, {
      method: req.method,
      ...(token === undefined ? {} : { token }),
      ...(req.body === undefined ? {} : { body: req.body }),
      ...(req.headers === undefined ? {} : { headers: req.headers }),
    });
    return { status: res.status, text: await res.text() };
  };

  for (const row of TABLE) {
    describe(row.route, () => {
      // ADMIN last: an allowed ADMIN write (DELETE) must not take away what the refusals check.
      for (const who of WHO) {
        test(`${who}`, async (t) => {
          if (!served.has(rowKey(row.route))) {
            t.skip('route not registered (component missing): not covered');
            return;
          }
          const req = await row.sample(ctx, who);
          const token = who === 'anonymous' ? undefined : ctx.tokens[who];
          const refusedExpected =
            row.allow === 'nobody'
              ? 404
              : row.allow === 'public'
                ? undefined
                : who === 'anonymous'
                  ? 401
                  : row.allow.includes(who)
                    ? undefined
                    : 403;
          const before =
            row.write === true && refusedExpected !== undefined ? await tableCounts(ctx.eco) : undefined;
          const res = await send(req, token);
          const what = `${who} ${req.method} ${req.path} → ${res.status} ${res.text.slice(0, 200)} [${row.source}]`;
          if (refusedExpected === undefined) {
            assert.ok(res.status !== 401 && res.status !== 403, `expected access: ${what}`);
          } else {
            assert.equal(res.status, refusedExpected, what);
          }
          if (before !== undefined)
            assert.deepEqual(await tableCounts(ctx.eco), before, `a refused write changed rows: ${what}`);
        });
      }
      for (const tc of row.tenant ?? []) {
        test(`tenant: ${tc.name} → refused, nothing changed`, async (t) => {
          if (!served.has(rowKey(row.route))) {
            t.skip('route not registered (component missing): not covered');
            return;
          }
          const req = await tc.request(ctx);
          const before = await tableCounts(ctx.eco);
          const res = await send(req, ctx.otherTokens[tc.role]);
          const what = `${tc.role}(${OTHER[tc.role]}) ${req.method} ${req.path} → ${res.status} ${res.text.slice(0, 200)}`;
          tenantOutcomes.push(`${res.status} ${tc.name} (${req.method} ${req.path})`);
          assert.ok(tc.refused.includes(res.status), what);
          assert.deepEqual(await tableCounts(ctx.eco), before, `a refused request changed rows: ${what}`);
        });
      }
    });
  }

  test('report: rows not covered because their route is not registered', () => {
    const uncovered = TABLE.filter((r) => !served.has(rowKey(r.route))).map((r) => r.route);
    console.log(
      `access-rights rows not covered (route not registered): ${uncovered.length}\n  ${uncovered.join('\n  ')}`,
    );
    console.log(`tenant refusals:\n  ${tenantOutcomes.join('\n  ')}`);
    assert.ok(uncovered.length < TABLE.length);
  });
});
