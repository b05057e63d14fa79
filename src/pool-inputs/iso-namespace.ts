// `xsdMsgDefNamespace`: the field through which OPCP and OPNC bodies say which ISO 15118 edition a
// certificate or a contract belongs to. The specs disagree and neither names a real -20 namespace
// (spec-gaps.md item 15): OPCP uses `urn:iso:15118:2:2013:MsgDef` for -2 and both
// `urn:iso:15118:20:2022:MsgDef` (ccp, rcp, webhook) and `urn:iso:15118:20:2020:MsgDef` (est) for
// -20; OPNC only the 2020 form; real clients send the 2022 form or OCPP's real namespace
// `urn:iso:std:iso:15118:-20:CommonMessages`. Every form is accepted; the edition is what matters
// internally, and the form a response carries is chosen per tree (docs/spec-decisions.md D-036).

import { appError } from '../errors/catalogue.ts';

export type IsoEdition = 2 | 20;

/** The -2 MsgDef namespace (ISO 15118-2:2014 schemas, as OPCP and OPNC name it). */
export const ISO2_MSGDEF_NAMESPACE = 'urn:iso:15118:2:2013:MsgDef';
/** OPCP's -20 form (ccp, rcp, webhook payloads). */
export const OPCP_ISO20_NAMESPACE = 'urn:iso:15118:20:2022:MsgDef';
/** OPNC's -20 form (xsdMsgDefNamespaceParam.v1.json) and OPCP est.v1.json. */
export const OPNC_ISO20_NAMESPACE = 'urn:iso:15118:20:2020:MsgDef';
/** The real ISO 15118-20 CommonMessages namespace (what OCPP 2.0.1 forwards). */
export const ISO20_COMMON_MESSAGES_NAMESPACE = 'urn:iso:std:iso:15118:-20:CommonMessages';

const EDITION_OF_NAMESPACE: ReadonlyMap<string, IsoEdition> = new Map<string, IsoEdition>([
  [ISO2_MSGDEF_NAMESPACE, 2],
  [OPCP_ISO20_NAMESPACE, 20],
  [OPNC_ISO20_NAMESPACE, 20],
  [ISO20_COMMON_MESSAGES_NAMESPACE, 20],
  ['urn:iso:std:iso:15118:-20:CommonTypes', 20],
  ['urn:iso:std:iso:15118:-20:AC', 20],
  ['urn:iso:std:iso:15118:-20:DC', 20],
  ['urn:iso:std:iso:15118:-20:WPT', 20],
  ['urn:iso:std:iso:15118:-20:ACDP', 20],
]);

/** Every namespace text accepted as input. */
export const ACCEPTED_MSGDEF_NAMESPACES: readonly string[] = [...EDITION_OF_NAMESPACE.keys()];

/**
 * The edition a namespace names; `fallback` when the field is absent (both specs default to -2).
 * An unknown text is a 400 `pool.invalid-namespace`.
 */
export function isoEditionOfNamespace(
  value: unknown,
  options: { readonly field?: string; readonly fallback?: IsoEdition } = {},
): IsoEdition {
  const field = options.field ?? 'xsdMsgDefNamespace';
  if (value === undefined || value === null || value === '') {
    if (options.fallback !== undefined) return options.fallback;
    throw appError('pool.invalid-namespace', `${field} is required`, { details: { field } });
  }
  const edition = typeof value === 'string' ? EDITION_OF_NAMESPACE.get(value.trim()) : undefined;
  if (edition === undefined) {
    throw appError(
      'pool.invalid-namespace',
      `${field} must be one of ${ACCEPTED_MSGDEF_NAMESPACES.join(', ')}`,
      { details: { field } },
    );
  }
  return edition;
}

/** The namespace text a response of the given tree carries for an edition. */
export function msgDefNamespaceFor(edition: IsoEdition, tree: 'opcp' | 'opnc'): string {
  if (edition === 2) return ISO2_MSGDEF_NAMESPACE;
  return tree === 'opcp' ? OPCP_ISO20_NAMESPACE : OPNC_ISO20_NAMESPACE;
}
