// Public surface of the EXI codec: schema sets by id, document and fragment coding.
import {
  dinTable,
  iso2Table,
  iso20AcdpTable,
  iso20AcTable,
  iso20CommonTable,
  iso20DcTable,
  iso20WptTable,
  sapTable,
  xmldsigTable,
} from './gen/index.ts';
import { CodecError } from './runtime/codec-error.ts';
import { type AnyDecoded, type DecodeOptions, decodeDocument, decodeFragment } from './runtime/decoder.ts';
import { type EncodeElement, type EncodeOptions, encodeDocument, encodeFragment } from './runtime/encoder.ts';
import { compileSchema, type RtSchema } from './runtime/grammar.ts';
import type { SchemaTable } from './runtime/table.ts';

export { CodecError, isCodecError } from './runtime/codec-error.ts';
export type { AnyDecoded, DecodeOptions } from './runtime/decoder.ts';
export type { EncodeElement, EncodeOptions } from './runtime/encoder.ts';
export type { AnyElement, ExiElement, ModelObject, ModelValue, QualifiedName } from './runtime/model.ts';

/** Schema set ids accepted by the CLI and the API (exi-and-signatures.md §1.3). */
export const SCHEMA_IDS = [
  'iso-2',
  'sap',
  'xmldsig',
  'din',
  'iso-20-common',
  'iso-20-ac',
  'iso-20-dc',
  'iso-20-wpt',
  'iso-20-acdp',
] as const;
export type SchemaId = (typeof SCHEMA_IDS)[number];

const TABLES: Record<SchemaId, SchemaTable> = {
  'iso-2': iso2Table,
  sap: sapTable,
  xmldsig: xmldsigTable,
  din: dinTable,
  'iso-20-common': iso20CommonTable,
  'iso-20-ac': iso20AcTable,
  'iso-20-dc': iso20DcTable,
  'iso-20-wpt': iso20WptTable,
  'iso-20-acdp': iso20AcdpTable,
};

export function isSchemaId(id: string): id is SchemaId {
  return (SCHEMA_IDS as readonly string[]).includes(id);
}

export function schemaSet(id: SchemaId | string): RtSchema {
  if (!isSchemaId(id)) {
    throw new CodecError(
      'schema-mismatch',
      `schema set '${id}' is unknown; known: ${SCHEMA_IDS.join(', ')}`,
      -1,
    );
  }
  return compileSchema(TABLES[id]);
}

export function decodeExiDocument(
  schema: SchemaId | RtSchema,
  bytes: Uint8Array,
  options?: DecodeOptions,
): AnyDecoded {
  return decodeDocument(typeof schema === 'string' ? schemaSet(schema) : schema, bytes, options);
}

export function decodeExiFragment(
  schema: SchemaId | RtSchema,
  bytes: Uint8Array,
  options?: DecodeOptions,
): AnyDecoded[] {
  return decodeFragment(typeof schema === 'string' ? schemaSet(schema) : schema, bytes, options);
}

export function encodeExiDocument(
  schema: SchemaId | RtSchema,
  root: EncodeElement,
  options?: EncodeOptions,
): Uint8Array {
  return encodeDocument(typeof schema === 'string' ? schemaSet(schema) : schema, root, options);
}

export function encodeExiFragment(
  schema: SchemaId | RtSchema,
  elements: readonly EncodeElement[],
  options?: EncodeOptions,
): Uint8Array {
  return encodeFragment(typeof schema === 'string' ? schemaSet(schema) : schema, elements, options);
}

export const NS = {
  iso2MsgDef: 'urn:iso:15118:2:2013:MsgDef',
  iso2MsgHeader: 'urn:iso:15118:2:2013:MsgHeader',
  iso2MsgBody: 'urn:iso:15118:2:2013:MsgBody',
  iso2MsgDataTypes: 'urn:iso:15118:2:2013:MsgDataTypes',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
  appProtocol: 'urn:iso:15118:2:2010:AppProtocol',
} as const;
