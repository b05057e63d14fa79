// Shape of the generated grammar tables (src/exi/gen/*-table.ts, written by tools/exi-codegen).
// The tables are plain data: the hand-written interpreter in this folder gives them meaning.

/** Event kinds of a production, in the event-code order of EXI 1.0 §8.5.4.3. */
export const EV_AT = 0;
export const EV_AT_URI = 1;
export const EV_AT_ANY = 2;
export const EV_SE = 3;
export const EV_SE_URI = 4;
export const EV_SE_ANY = 5;
export const EV_EE = 6;
export const EV_CH = 7;

export type SimpleKind = 'string' | 'boolean' | 'binary' | 'unsigned' | 'integer' | 'nbit' | 'enum';

export interface SimpleTypeSpec {
  readonly name: string;
  readonly kind: SimpleKind;
  /** XML lexical form of binary values. */
  readonly encoding?: 'base64' | 'hex';
  /** The model holds this value as bigint (range beyond Number.MAX_SAFE_INTEGER). */
  readonly big?: boolean;
  /** Decimal strings (bigint-safe) of the value bounds, where the schema sets them. */
  readonly min?: string;
  readonly max?: string;
  /** n-bit width (nbit, enum). */
  readonly width?: number;
  readonly values?: readonly string[];
  /** Lexical space of enumeration values. */
  readonly base?: 'string' | 'integer' | 'boolean';
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** [qname index, simple type index, required (1) or optional (0)] */
export type AttributeSpec = readonly [qname: number, simpleType: number, required: number];
/** [qname index, type reference, repeated (1) or single (0)]; typeRef >= 0 complex type, < 0 simple type ~typeRef */
export type ChildSpec = readonly [qname: number, typeRef: number, repeated: number];

export interface ComplexTypeSpec {
  readonly name: string;
  readonly attributes: readonly AttributeSpec[];
  readonly children: readonly ChildSpec[];
  /** Simple type index of simple content, or -1. */
  readonly simpleContent: number;
  readonly mixed: boolean;
  /**
   * Grammar states; each is a flat list of productions [kind, arg, next, ...] in event-code order.
   * arg: AT → index into attributes; SE → index into children; CH → simple type index or -1
   * (untyped); SE_URI/AT_URI → uri index; otherwise -1. next: state index, -1 after EE.
   */
  readonly states: readonly (readonly number[])[];
  /**
   * Counted repetitions (bounded maxOccurs without unrolled chains): [state, production index,
   * limit, exit]. In `state`, the production loops back to `state` until it has been taken `limit`
   * times since the state was entered; the limit-th time it goes to `exit`.
   */
  readonly loops?: readonly (readonly [state: number, production: number, limit: number, exit: number])[];
}

/**
 * [qname index, type reference, attributes] — typeRef as in ChildSpec, or ELEMENT_FRAGMENT_GRAMMAR
 * (then the third field lists the attribute qnames the element's declarations have).
 */
export type ElementSpec = readonly [
  qname: number,
  typeRef: number,
  elementFragmentAttributes?: readonly number[],
];

export const ELEMENT_FRAGMENT_GRAMMAR = 1 << 30;

export interface SchemaTable {
  readonly id: string;
  readonly uris: readonly string[];
  readonly localNames: readonly (readonly string[])[];
  readonly qnames: readonly (readonly [uri: number, local: string])[];
  readonly simpleTypes: readonly SimpleTypeSpec[];
  readonly types: readonly ComplexTypeSpec[];
  /** Global elements, sorted by local name then URI: the DocContent grammar (EXI 1.0 §8.5.1). */
  readonly globalElements: readonly ElementSpec[];
  /** All element qnames, deduplicated, sorted: the FragmentContent grammar (EXI 1.0 §8.5.2). */
  readonly fragmentElements: readonly ElementSpec[];
  /** All attribute qnames of the schema set, sorted: the element fragment grammar (EXI 1.0 §8.5.3). */
  readonly fragmentAttributes: readonly ElementSpec[];
}
