// EST path resolution for every path form real clients use (interop.md §1.6 compatibility matrix,
// rows "EST enroll path" and "EST cacerts path"; spec-gaps.md item 2):
//
//   /.well-known/est/{label}/{op}[/{iso}[/{algorithm}]][/]  OPCP est.v1.json enroll; RFC 7030 §3.2.2
//   /.well-known/{label}/{op}[...]                           CitrineOS 1.8.3, ocppcompote, MaEVe forks
//   /est/{label}/{op}[...]                                   "optional /.well-known"
//   /{label}/{op}[...]                                       OPCP cacerts, CitrineOS ≤ 1.8.2, MaEVe
//   /.well-known/est/{op}, /est/{op}                         RFC 7030 default CA (no label)
//   /opnc/v1/pki/est/{op}[/{algorithm}]?caDomain=&iso15118Version=[&algorithm=]     OPNC pki.api
//
// {op} is simpleenroll (POST) or cacerts (GET); {label} is a CA name `cpo | mo | emsp | oem | cps |
// veh`, optionally prefixed `<name>-` (OPCP pattern `^(\w+-)?(mo|cpo|oem|cps|veh)$`; OPNC says
// `emsp` for `mo`), or a label the server configures (RFC 7030 §3.2.2 arbitrary label); {iso} is
// ISO15118-2 | ISO15118-20 (default ISO15118-2, OPCP); {algorithm} is secp256r1 | secp521r1 | ed448.

export type EstCa = 'cpo' | 'mo' | 'oem' | 'cps' | 'veh';
export type EstOperation = 'simpleenroll' | 'cacerts';
export type EstAlgorithm = 'secp256r1' | 'secp521r1' | 'ed448';
export type EstIso = 2 | 20;
export type EstPathForm = 'well-known-est' | 'well-known' | 'est' | 'bare' | 'opnc';

export interface EstRoute {
  readonly operation: EstOperation;
  /** simpleenroll is POST (RFC 7030 §4.2.1), cacerts GET (§4.1.2). */
  readonly method: 'GET' | 'POST';
  /** null: no label, the RFC 7030 default CA — the server decides which one that is. */
  readonly ca: EstCa | null;
  /** The label as it appeared, e.g. 'hubject-cpo', 'emsp'. */
  readonly label?: string;
  readonly iso: EstIso;
  /** False when the ISO version defaulted to 2 (no path segment, query or namespace named it). */
  readonly isoExplicit: boolean;
  /**
   * Only when the path names it. OPCP's default is secp256r1, which fits ISO 15118-2 only; for
   * ISO 15118-20 the server should default to secp521r1.
   */
  readonly algorithm?: EstAlgorithm;
  readonly form: EstPathForm;
}

export interface ResolveEstPathOptions {
  /** Extra labels (case-insensitive) mapped to a CA, e.g. { 'contract': 'mo' }. */
  readonly labels?: Readonly<Record<string, EstCa>>;
}

const MAX_PATH_LENGTH = 2048;
const CA_BY_NAME: Readonly<Record<string, EstCa>> = {
  cpo: 'cpo',
  mo: 'mo',
  emsp: 'mo',
  oem: 'oem',
  cps: 'cps',
  veh: 'veh',
};
const LABEL = /^(?:\w+-)?(cpo|mo|emsp|oem|cps|veh)$/i;
const ISO = /^iso15118-(2|20)$/i;
const ALGORITHMS: readonly EstAlgorithm[] = ['secp256r1', 'secp521r1', 'ed448'];

function operationOf(segment: string | undefined): EstOperation | undefined {
  const s = segment?.toLowerCase();
  return s === 'simpleenroll' || s === 'cacerts' ? s : undefined;
}

function algorithmOf(segment: string | undefined): EstAlgorithm | undefined {
  const s = segment?.toLowerCase();
  return ALGORITHMS.find((a) => a === s);
}

function caOfLabel(label: string, options: ResolveEstPathOptions): EstCa | undefined {
  const configured = options.labels?.[label.toLowerCase()] ?? options.labels?.[label];
  if (configured !== undefined) return configured;
  const m = LABEL.exec(label);
  return m?.[1] === undefined ? undefined : CA_BY_NAME[m[1].toLowerCase()];
}

/** ISO version from OPCP's `xsdMsgDefNamespace` query (any -20 spelling, spec-gaps.md item 15). */
function isoOfNamespace(ns: string | null): EstIso | undefined {
  if (ns === null) return undefined;
  if (/15118:20:|15118:-20:/.test(ns)) return 20;
  if (/15118:2:/.test(ns)) return 2;
  return undefined;
}

function route(
  operation: EstOperation,
  ca: EstCa | null,
  label: string | undefined,
  iso: EstIso | undefined,
  algorithm: EstAlgorithm | undefined,
  form: EstPathForm,
): EstRoute {
  return {
    operation,
    method: operation === 'simpleenroll' ? 'POST' : 'GET',
    ca,
    ...(label === undefined ? {} : { label }),
    iso: iso ?? 2,
    isoExplicit: iso !== undefined,
    ...(algorithm === undefined ? {} : { algorithm }),
    form,
  };
}

/** Resolves a request path (with or without query string) to an EST route, or undefined. */
export function resolveEstPath(
  pathWithQuery: string,
  options: ResolveEstPathOptions = {},
): EstRoute | undefined {
  if (typeof pathWithQuery !== 'string' || pathWithQuery.length > MAX_PATH_LENGTH) return undefined;
  const q = pathWithQuery.indexOf('?');
  const path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : pathWithQuery.slice(q + 1));
  if (!path.startsWith('/')) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  const lower = segments.map((s) => s.toLowerCase());

  // OPNC: /opnc/v1/pki/est/{op}[/{algorithm}]?caDomain&iso15118Version — the algorithm is declared
  // a path parameter without a place in the path (spec-gaps.md item 2), so accept it as a trailing
  // segment or as a query parameter.
  if (lower[0] === 'opnc' && lower[1] === 'v1' && lower[2] === 'pki' && lower[3] === 'est') {
    const operation = operationOf(lower[4]);
    if (operation === undefined || segments.length > 6) return undefined;
    const algorithmText = segments[5] ?? query.get('algorithm') ?? undefined;
    const algorithm = algorithmText === undefined ? undefined : algorithmOf(algorithmText);
    if (algorithmText !== undefined && algorithm === undefined) return undefined;
    const label = query.get('caDomain');
    const ca = label === null ? undefined : caOfLabel(label, options);
    if (label === null || ca === undefined) return undefined;
    const isoText = query.get('iso15118Version');
    const isoMatch = isoText === null ? null : ISO.exec(isoText);
    if (isoText !== null && isoMatch === null) return undefined;
    const iso = isoMatch?.[1] === undefined ? undefined : (Number(isoMatch[1]) as EstIso);
    return route(operation, ca, label, iso, algorithm, 'opnc');
  }

  let i = 0;
  let form: EstPathForm = 'bare';
  if (lower[0] === '.well-known') {
    i = 1;
    form = 'well-known';
    if (lower[1] === 'est') {
      i = 2;
      form = 'well-known-est';
    }
  } else if (lower[0] === 'est') {
    i = 1;
    form = 'est';
  }

  let ca: EstCa | null = null;
  let label: string | undefined;
  let operation = operationOf(lower[i]);
  if (operation !== undefined) {
    // No label: only the RFC 7030 forms with an `est` segment name the default CA.
    if (form !== 'well-known-est' && form !== 'est') return undefined;
    i++;
  } else {
    label = segments[i];
    const resolved = label === undefined ? undefined : caOfLabel(label, options);
    if (resolved === undefined) return undefined;
    ca = resolved;
    operation = operationOf(lower[i + 1]);
    if (operation === undefined) return undefined;
    i += 2;
  }

  let iso: EstIso | undefined;
  let algorithm: EstAlgorithm | undefined;
  const isoMatch = segments[i] === undefined ? null : ISO.exec(segments[i] as string);
  if (isoMatch?.[1] !== undefined) {
    iso = Number(isoMatch[1]) as EstIso;
    i++;
    algorithm = algorithmOf(segments[i]);
    if (algorithm !== undefined) i++;
  }
  if (i !== segments.length) return undefined;
  iso ??= isoOfNamespace(query.get('xsdMsgDefNamespace'));
  return route(operation, ca, label, iso, algorithm, form);
}

// --- The compatibility matrix as data ------------------------------------------------------------

export interface EstPathMatrixRow {
  readonly path: string;
  readonly expected: {
    readonly operation: EstOperation;
    readonly ca: EstCa | null;
    readonly iso: EstIso;
    readonly algorithm?: EstAlgorithm;
  };
  /** Who sends it (interop.md §1.1-§1.3, §1.6; OPCP / OPNC references). */
  readonly source: string;
}

const PREFIXES = [
  { prefix: '/.well-known/est', source: 'OPCP est.v1.json (enroll); RFC 7030 §3.2.2' },
  { prefix: '/.well-known', source: 'CitrineOS 1.8.3; ocppcompote; evorada/maeve-csms fork' },
  { prefix: '/est', source: 'interop.md §1.6 (optional /.well-known)' },
  { prefix: '', source: 'OPCP est.v1.json (cacerts); CitrineOS ≤ 1.8.2; MaEVe' },
] as const;

const LABELS: readonly (readonly [string, EstCa])[] = [
  ['cpo', 'cpo'],
  ['mo', 'mo'],
  ['emsp', 'mo'],
  ['oem', 'oem'],
  ['cps', 'cps'],
  ['veh', 'veh'],
  ['hubject-cpo', 'cpo'],
  ['qa_1-mo', 'mo'],
];

const ISO_SUFFIXES: readonly {
  readonly suffix: string;
  readonly iso: EstIso;
  readonly algorithm?: EstAlgorithm;
}[] = [
  { suffix: '', iso: 2 },
  { suffix: '/ISO15118-2', iso: 2 },
  { suffix: '/ISO15118-20', iso: 20 },
];

const ALGORITHM_SUFFIXES: readonly {
  readonly suffix: string;
  readonly iso: EstIso;
  readonly algorithm?: EstAlgorithm;
}[] = [
  ...ISO_SUFFIXES,
  { suffix: '/ISO15118-2/secp256r1', iso: 2, algorithm: 'secp256r1' },
  { suffix: '/ISO15118-20/secp521r1', iso: 20, algorithm: 'secp521r1' },
  { suffix: '/ISO15118-20/ed448', iso: 20, algorithm: 'ed448' },
];

function generatedRows(): EstPathMatrixRow[] {
  const rows: EstPathMatrixRow[] = [];
  for (const { prefix, source } of PREFIXES) {
    for (const [label, ca] of LABELS) {
      for (const [operation, suffixes] of [
        ['simpleenroll', ISO_SUFFIXES],
        ['cacerts', ALGORITHM_SUFFIXES],
      ] as const) {
        for (const s of suffixes) {
          for (const trailing of ['', '/']) {
            rows.push({
              path: `${prefix}/${label}/${operation}${s.suffix}${trailing}`,
              expected: {
                operation,
                ca,
                iso: s.iso,
                ...(s.algorithm === undefined ? {} : { algorithm: s.algorithm }),
              },
              source,
            });
          }
        }
      }
    }
  }
  for (const prefix of ['/.well-known/est', '/est']) {
    for (const operation of ['simpleenroll', 'cacerts'] as const) {
      rows.push({
        path: `${prefix}/${operation}`,
        expected: { operation, ca: null, iso: 2 },
        source: 'RFC 7030 §3.2.2 default CA',
      });
      rows.push({
        path: `${prefix}/${operation}/ISO15118-20`,
        expected: { operation, ca: null, iso: 20 },
        source: 'RFC 7030 §3.2.2 default CA with an OPCP ISO segment',
      });
    }
  }
  return rows;
}

/** Rows naming real clients verbatim (interop.md §1.1-§1.3, pki-profiles.md §2, OPCP, OPNC). */
const CLIENT_ROWS: readonly EstPathMatrixRow[] = [
  {
    path: '/.well-known/cpo/simpleenroll',
    expected: { operation: 'simpleenroll', ca: 'cpo', iso: 2 },
    source: 'CitrineOS 1.8.3 SignCertificate',
  },
  {
    path: '/.well-known/cpo/cacerts',
    expected: { operation: 'cacerts', ca: 'cpo', iso: 2 },
    source: 'CitrineOS 1.8.3 CA chain',
  },
  {
    path: '/cpo/simpleenroll/ISO15118-2',
    expected: { operation: 'simpleenroll', ca: 'cpo', iso: 2 },
    source: 'CitrineOS ≤ 1.8.2; MaEVe generate-cs-cert.sh',
  },
  {
    path: '/cpo/simpleenroll/ISO15118-20',
    expected: { operation: 'simpleenroll', ca: 'cpo', iso: 20 },
    source: 'MaEVe contract_certificate_provider (ISO15118-20)',
  },
  {
    path: '/cpo/cacerts/ISO15118-2',
    expected: { operation: 'cacerts', ca: 'cpo', iso: 2 },
    source: 'CitrineOS ≤ 1.8.2; MaEVe get-ca-cert.sh',
  },
  {
    path: '/mo/simpleenroll/ISO15118-2',
    expected: { operation: 'simpleenroll', ca: 'mo', iso: 2 },
    source: 'MaEVe generate-mo-cert.sh',
  },
  {
    path: '/oem/simpleenroll/ISO15118-2',
    expected: { operation: 'simpleenroll', ca: 'oem', iso: 2 },
    source: 'MaEVe generate-oem-cert.sh',
  },
  {
    path: '/mo/cacerts/ISO15118-2',
    expected: { operation: 'cacerts', ca: 'mo', iso: 2 },
    source: 'MaEVe get-ca-cert.sh',
  },
  {
    path: '/.well-known/mo/cacerts',
    expected: { operation: 'cacerts', ca: 'mo', iso: 2 },
    source: 'ocppcompote EMP; evorada/maeve-csms get-ca-cert.sh',
  },
  {
    path: '/.well-known/mo/simpleenroll',
    expected: { operation: 'simpleenroll', ca: 'mo', iso: 2 },
    source: 'ocppcompote EMP',
  },
  {
    path: '/.well-known/est/cpo/simpleenroll/ISO15118-20?xsdMsgDefNamespace=urn:iso:15118:20:2020:MsgDef',
    expected: { operation: 'simpleenroll', ca: 'cpo', iso: 20 },
    source: 'OPCP est.v1.json POST /.well-known/est/{ca}/simpleenroll/{iso-version}',
  },
  {
    path: '/.well-known/est/mo/simpleenroll?xsdMsgDefNamespace=urn:iso:15118:20:2022:MsgDef',
    expected: { operation: 'simpleenroll', ca: 'mo', iso: 20 },
    source: 'OPCP est.v1.json, ISO version from xsdMsgDefNamespace',
  },
  {
    path: '/cpo/cacerts/ISO15118-20/secp521r1/',
    expected: { operation: 'cacerts', ca: 'cpo', iso: 20, algorithm: 'secp521r1' },
    source: 'OPCP est.v1.json GET /{ca}/cacerts/{iso-version}/{algorithm}/',
  },
  {
    path: '/opnc/v1/pki/est/simpleenroll?caDomain=emsp&iso15118Version=ISO15118-20',
    expected: { operation: 'simpleenroll', ca: 'mo', iso: 20 },
    source: 'OPNC pki.api.v1.simpleenroll.json',
  },
  {
    path: '/opnc/v1/pki/est/cacerts?caDomain=cpo&iso15118Version=ISO15118-2',
    expected: { operation: 'cacerts', ca: 'cpo', iso: 2 },
    source: 'OPNC pki.api.v1.cacerts.json',
  },
  {
    path: '/opnc/v1/pki/est/cacerts/ed448?caDomain=oem&iso15118Version=ISO15118-20',
    expected: { operation: 'cacerts', ca: 'oem', iso: 20, algorithm: 'ed448' },
    source: 'OPNC pki.api.v1.cacerts.json, algorithm as a path segment',
  },
  {
    path: '/opnc/v1/pki/est/cacerts?caDomain=veh&iso15118Version=ISO15118-20&algorithm=secp521r1',
    expected: { operation: 'cacerts', ca: 'veh', iso: 20, algorithm: 'secp521r1' },
    source: 'OPNC pki.api.v1.cacerts.json, algorithm as a query parameter',
  },
  {
    path: '/opnc/v1/pki/est/simpleenroll?caDomain=hubject-cps',
    expected: { operation: 'simpleenroll', ca: 'cps', iso: 2 },
    source: 'OPNC caDomainParam pattern ^(\\w+-)?(emsp|cpo|oem|cps|veh)$, iso15118Version defaulted',
  },
];

/** Every EST path variant of the interop.md §1.6 matrix with the route it must resolve to. */
export const estPathMatrix: readonly EstPathMatrixRow[] = [...CLIENT_ROWS, ...generatedRows()];

/** Paths that must NOT resolve (unknown CA, op, ISO version or algorithm; traversal; extra segments). */
export const estPathNonMatches: readonly string[] = [
  '/',
  '/.well-known',
  '/.well-known/est',
  '/.well-known/simpleenroll',
  '/simpleenroll',
  '/cacerts',
  '/.well-known/est/xyz/simpleenroll',
  '/.well-known/est/cpo/simplereenroll',
  '/.well-known/est/cpo/serverkeygen',
  '/cpo/simpleenroll/ISO15118-3',
  '/cpo/simpleenroll/ISO15118-2/extra/more',
  '/cpo/cacerts/ISO15118-20/rsa2048',
  '/cpo/cacerts/secp521r1',
  '/cpo/../cpo/cacerts',
  '/cpo-hubject/cacerts',
  'cpo/cacerts',
  '/v1/ccp/signedContractData',
  '/opnc/v1/pki/est/cacerts',
  '/opnc/v1/pki/est/cacerts?caDomain=xyz',
  '/opnc/v1/pki/est/cacerts?caDomain=cpo&iso15118Version=ISO15118-3',
  '/opnc/v1/pki/est/cacerts/rsa?caDomain=cpo',
  '/opnc/v1/pki/est/simplereenroll?caDomain=cpo',
  `/${'a'.repeat(3000)}/cpo/cacerts`,
];
